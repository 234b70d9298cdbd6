import { readFileSync } from 'node:fs';
import {
  type EdgeTerrain,
  edgeTerrain,
  type FacilityCatalog,
  InputError,
  minutesToMetres,
  type NetworkElevations,
  OptionError,
  parseWalkerProfiles,
  type RoadGraph,
  type SnapCost,
  type SnapTo,
  terrainWarning,
  WalkerNetworkSource,
  type WalkerProfile,
  WalkerSet,
  type Warning,
  walkerGraph,
} from '@lifecircle/core';
import { readGeoTiff } from '@lifecircle/io';
import { UsageError } from '../command.js';
import { readJsonFile } from '../inputs/files.js';

/** The terrain and walker options every analysing command takes (analyze, check, monitor, site). */
export const walkerOptions = {
  dem: { type: 'string' },
  walker: { type: 'string', multiple: true },
  'walker-file': { type: 'string' },
} as const;

/** Help text of the terrain and walker options. */
export const walkerHelp = `Terrain and walkers (with --network; costs become minutes):
  --dem FILE             elevation model as GeoTIFF (any CRS lifecircle knows), read for the network's
                         area: uphill and downhill take their own time (Tobler's hiking function)
  --walker NAME          who walks, for every type: adult, elderly, child, pram, wheelchair; or per
                         type, TYPE=NAME,TYPE=NAME (repeatable). Types not named take their default
                         (elderly care → elderly, childcare → pram, kindergarten and school → child,
                         others → adult)
  --walker-file FILE     JSON walker profiles to add (same form as the built-in walkers.json)
  Radii are --minutes when given, else each type's metres at its walker's flat speed.`;

/** What the run measured with: per type its walker and radius in minutes, for summary.json. */
export interface WalkingSummary {
  readonly dem: string | null;
  readonly slope_function: string;
  /** Road edges by where their rise and fall came from: the network's own elevations, the DEM, none. */
  readonly elevation_sources: EdgeTerrain['sources'] | null;
  readonly uncovered: EdgeTerrain['uncovered'] | null;
  readonly types: Record<
    string,
    {
      readonly walker: string;
      readonly flat_speed_kmh: number;
      readonly speed_status: string;
      readonly radius_min: number;
      /** `minutes` (from --minutes) or `metres at flat speed` (the type's metres converted). */
      readonly radius_from: string;
      readonly radius_m?: number;
    }
  >;
}

/** The walker part of a run: the source factory, radii in minutes, warnings and the summary member. */
export interface WalkerSetup {
  readonly distance: (
    origins: ConstructorParameters<typeof WalkerNetworkSource>[1],
    context: { readonly communityIds: readonly string[] },
  ) => WalkerNetworkSource;
  readonly radii: Record<string, number>;
  /**
   * The flat walk each type is compared with (`lost_to_terrain`): metres at the adult's flat
   * 4.5 km/h — the type's metres, or its minutes at that speed.
   */
  readonly flatRadiiM: Record<string, number>;
  readonly warnings: Warning[];
  readonly summary: WalkingSummary;
  /** The graph a type's walker walks (minutes over the terrain), built once per walker: for catchments. */
  readonly walkerGraphOf: (typeId: string) => RoadGraph;
}

/** True when the command line asks for terrain or walkers. */
export function wantsWalkers(values: Record<string, unknown>): boolean {
  return (
    values.dem !== undefined ||
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
  let all: WalkerProfile | null = null;
  const named: Record<string, WalkerProfile> = {};
  for (const item of values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)) {
    const match = /^([^=]+)=(.+)$/.exec(item);
    try {
      if (!match) {
        all = walkers.get(item);
        continue;
      }
      const typeId = catalog.resolve(match[1]!.trim())?.id;
      if (!typeId) {
        throw new UsageError(
          `--walker: unknown facility type '${match[1]!.trim()}' in '${item}'; expected TYPE=WALKER with a catalog type such as elderly_day_care_center.`,
        );
      }
      named[typeId] = walkers.get(match[2]!.trim());
    } catch (error) {
      if (error instanceof OptionError) throw new UsageError(error.message);
      throw error;
    }
  }
  const byType: Record<string, WalkerProfile> = {};
  for (const type of catalog.types) byType[type.id] = named[type.id] ?? all ?? walkers.forType(type.id);
  return { byType, fallback: all ?? walkers.get('adult') };
}

const TIER_MINUTE_SLOT: Readonly<Record<string, number>> = {
  block: 0,
  '5min': 0,
  '10min': 1,
  '15min': 2,
  street: 2,
};

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
      const list = problems
        .map((p) => `  walker ${p.index}${p.id ? ` (${p.id})` : ''}, field ${p.field}: ${p.reason}`)
        .join('\n');
      throw new InputError(filePath, `the walker file has ${problems.length} problem(s):\n${list}`);
    }
    extra = walkers;
  }
  const walkers = new WalkerSet(extra);
  const { byType, fallback } = assignWalkers((values.walker as string[] | undefined) ?? [], walkers, catalog);

  const warnings: Warning[] = [];
  let terrain: EdgeTerrain | null = null;
  const demPath = values.dem as string | undefined;
  if (demPath) {
    // The file is read whole; only the tiles of the network's window are decoded. (geotiff's lazy
    // Blob reading needs a browser FileReader.)
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(demPath);
    } catch {
      throw new InputError(demPath, 'file not found or unreadable.');
    }
    const dem = await readGeoTiff(bytes, { file: demPath, bbox: networkBox(graph) });
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

  const radii: Record<string, number> = {};
  const flatRadiiM: Record<string, number> = {};
  const types: WalkingSummary['types'] = {};
  for (const type of catalog.types) {
    const walker = byType[type.id]!;
    const metresPerMinute = (walker.flat_speed_kmh * 1000) / 60;
    let radiusMin: number;
    let radiusFrom: string;
    let radiusM: number | undefined;
    if (minutes && metresRadii[type.id] === undefined) {
      radiusMin = minutes[Math.min(TIER_MINUTE_SLOT[type.tier] ?? 0, minutes.length - 1)]!;
      radiusFrom = 'minutes';
    } else {
      radiusM = metresRadii[type.id] ?? type.radius_m;
      radiusMin = radiusM / metresPerMinute;
      radiusFrom = 'metres at flat speed';
    }
    radii[type.id] = radiusMin;
    flatRadiiM[type.id] = radiusM ?? minutesToMetres(radiusMin);
    types[type.id] = {
      walker: walker.id,
      flat_speed_kmh: walker.flat_speed_kmh,
      speed_status: walker.speed_status,
      radius_min: Math.round(radiusMin * 100) / 100,
      radius_from: radiusFrom,
      ...(radiusM === undefined ? {} : { radius_m: radiusM }),
    };
  }
  const graphs = new Map<string, RoadGraph>();
  const walkerGraphOf = (typeId: string): RoadGraph => {
    const walker = byType[typeId] ?? fallback;
    let walked = graphs.get(walker.id);
    if (!walked) {
      walked = walkerGraph(graph, walker, terrain);
      graphs.set(walker.id, walked);
    }
    return walked;
  };
  return {
    walkerGraphOf,
    distance: (origins, context) =>
      new WalkerNetworkSource(graph, origins, {
        terrain,
        walkers: byType,
        fallback,
        ...networkOptions,
        ownerNames: context.communityIds,
      }),
    radii,
    flatRadiiM,
    warnings,
    summary: {
      dem: demPath ?? null,
      slope_function: terrain ? 'tobler' : 'flat (no --dem, no elevation in the network)',
      elevation_sources: terrain ? terrain.sources : null,
      uncovered: terrain ? terrain.uncovered : null,
      types,
    },
  };
}

/** The network's box in WGS84 degrees, widened by about 100 m so the DEM window has a margin. */
export function networkBox(graph: RoadGraph): [number, number, number, number] {
  let west = Number.POSITIVE_INFINITY;
  let south = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  const c = graph.vertexCoords;
  for (let k = 0; k < c.length; k += 2) {
    west = Math.min(west, c[k]!);
    east = Math.max(east, c[k]!);
    south = Math.min(south, c[k + 1]!);
    north = Math.max(north, c[k + 1]!);
  }
  const margin = 0.001;
  return [west - margin, south - margin, east + margin, north + margin];
}
