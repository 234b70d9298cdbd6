import {
  type EdgeTerrain,
  edgeTerrain,
  type FacilityCatalog,
  formatWalkerProblems,
  InputError,
  OptionError,
  parseWalkerProfiles,
  type RoadGraph,
  type WalkerProfile,
  WalkerSet,
  type Warning,
} from '@lifecircle/core';
import {
  graphBox,
  type NetworkElevations,
  type SnapCost,
  type SnapTo,
  terrainWarning,
  type WalkerRun,
  type WalkingSummary,
  walkerRun,
  walkersByType,
} from '@lifecircle/core/internal';
import { readGeoTiff } from '@lifecircle/io';
import { UsageError } from '../command.js';
import { readJsonFile, withFileRanges } from '../inputs/files.js';

/** The terrain and walker options every analysing command takes (analyze, check, monitor, site). */
export const walkerOptions = {
  dem: { type: 'string' },
  'dem-crs': { type: 'string' },
  walker: { type: 'string', multiple: true },
  'walker-file': { type: 'string' },
} as const;

/** Help text of the terrain and walker options. */
export const walkerHelp = `Terrain and walkers (with --network; costs become minutes):
  --dem FILE             elevation model as GeoTIFF (any CRS lifecircle knows), read for the network's
                         area: uphill and downhill take their own time (Tobler's hiking function)
  --dem-crs CRS          the DEM's coordinate system, winning over its GeoKeys (for a GeoTIFF with
                         none, or a CGCS2000 Gauss-Krüger one: EPSG:4544, cgcs2000-gk3-35 …)
  --walker NAME          who walks, for every type: adult, elderly, child, pram, wheelchair; or per
                         type, TYPE=NAME,TYPE=NAME (repeatable). Types not named take their default
                         (elderly care → elderly, childcare → pram, kindergarten and school → child,
                         others → adult)
  --walker-file FILE     JSON walker profiles to add (same form as the built-in walkers.json)
  Radii are --minutes when given, else each type's metres at its walker's flat speed.`;

export type { WalkingSummary };

/** The walker part of a run: the source factory, radii in minutes, warnings and the summary member. */
export interface WalkerSetup extends WalkerRun {
  readonly warnings: Warning[];
}

/** True when the command line asks for terrain or walkers. */
export function wantsWalkers(values: Record<string, unknown>): boolean {
  return (
    values.dem !== undefined ||
    values['dem-crs'] !== undefined ||
    (values.walker as string[] | undefined)?.length !== undefined ||
    values['walker-file'] !== undefined
  );
}

/** The walker of every catalog type from `--walker` values and the per-type defaults. */
export function assignWalkers(
  values: readonly string[],
  walkers: WalkerSet,
  catalog: FacilityCatalog,
): { byType: Record<string, WalkerProfile>; fallback: WalkerProfile } {
  let all: string | null = null;
  const named: Record<string, string> = {};
  for (const item of values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)) {
    const match = /^([^=]+)=(.+)$/.exec(item);
    if (!match) {
      all = item;
      checkWalker(walkers, item);
      continue;
    }
    const typeId = catalog.resolve(match[1]!.trim())?.id;
    if (!typeId) {
      throw new UsageError(
        `--walker: unknown facility type '${match[1]!.trim()}' in '${item}'; expected TYPE=WALKER with a catalog type such as elderly_day_care_center.`,
      );
    }
    named[typeId] = match[2]!.trim();
    checkWalker(walkers, named[typeId]);
  }
  return walkersByType(walkers, catalog, named, all);
}

/** An unknown walker name is an option mistake (exit 2), named as `--walker` gave it. */
function checkWalker(walkers: WalkerSet, id: string): void {
  try {
    walkers.get(id);
  } catch (error) {
    if (error instanceof OptionError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Reads `--dem`, `--walker` and `--walker-file` for a run on `graph`: the elevation profile of its
 * edges, each catalog type's walker, and radii in minutes (`--minutes` by tier, else the type's
 * metres — its `--radius` or catalog radius — at the walker's flat speed).
 */
export async function readWalkers(
  values: Record<string, unknown>,
  graph: RoadGraph | undefined,
  catalog: FacilityCatalog,
  metresRadii: Readonly<Record<string, number>>,
  minutes: readonly number[] | undefined,
  networkOptions: {
    maxSnapM: number;
    file: string;
    snapTo?: SnapTo;
    snapCost?: SnapCost;
    elevations?: NetworkElevations | null;
  },
): Promise<WalkerSetup> {
  if (!graph)
    throw new UsageError(
      '--dem, --walker and --walker-file need --network FILE: they change walks along roads.',
    );
  const filePath = values['walker-file'] as string | undefined;
  let extra: WalkerProfile[] = [];
  if (filePath) {
    const { walkers, problems } = parseWalkerProfiles(readJsonFile(filePath));
    if (problems.length > 0) {
      throw new InputError(
        filePath,
        `the walker file has ${problems.length} problem(s):\n${formatWalkerProblems(problems)}`,
      );
    }
    extra = walkers;
  }
  const walkers = new WalkerSet(extra);
  const { byType, fallback } = assignWalkers((values.walker as string[] | undefined) ?? [], walkers, catalog);

  const warnings: Warning[] = [];
  let terrain: EdgeTerrain | null = null;
  const demPath = values.dem as string | undefined;
  const demCrs = values['dem-crs'] as string | undefined;
  if (demCrs !== undefined && demPath === undefined) {
    throw new UsageError('--dem-crs is the system of --dem FILE, which is not given.');
  }
  if (demPath) {
    // Read by ranges: only the headers and the tiles or strips of the network's window.
    const dem = await withFileRanges(demPath, 'a GeoTIFF', (source) =>
      readGeoTiff(source, {
        file: demPath,
        bbox: graphBox(graph),
        ...(demCrs === undefined ? {} : { crs: demCrs }),
        optionWording: () => '--dem-crs',
      }),
    );
    terrain = edgeTerrain(
      graph,
      { sample: dem.sample, cellSizeM: dem.cellSizeM, file: demPath },
      { network: networkOptions.elevations ?? null },
    );
  } else if (networkOptions.elevations) {
    // No DEM: the network's own elevations (3D positions, OSM `ele`) give the slopes they cover.
    terrain = edgeTerrain(graph, null, { network: networkOptions.elevations });
  }
  const warning = terrain ? terrainWarning(terrain, graph) : null;
  if (warning) warnings.push(warning);

  const { elevations, ...network } = networkOptions;
  return {
    ...walkerRun(graph, catalog, {
      walkers: byType,
      fallback,
      terrain,
      dem: demPath ?? null,
      metresRadii,
      ...(minutes ? { minutes } : {}),
      network,
    }),
    warnings,
  };
}
