// Walking as the CLI's `--dem`, `--walker`, `--snap-to` and `--snap-cost` take it, for the worker:
// the elevation model read by io's readGeoTiff over the network's box, each type's walker and radius
// in minutes from core's walkerRun, and who the walkers' walk costs against the flat walk (core's
// lostToTerrain). Nothing here measures; it only builds what core measures with.
import {
  type AnalysisResult,
  type EdgeTerrain,
  edgeTerrain,
  FacilityCatalog,
  type RoadGraph,
  WalkerSet,
  type Warning,
  walkerGraph,
} from '@lifecircle/core';
import {
  graphBox,
  lostToTerrain,
  parseSnapTo,
  type SnapTo,
  terrainWarning,
  type WalkerRun,
  walkerRun,
  walkersByType,
} from '@lifecircle/core/internal';
import { readGeoTiff } from '@lifecircle/io';
import type { AnalyzeOptions, WalkingPayload } from './protocol.js';

/** How io's messages name the control that declares a GeoTIFF's coordinate system in the viewer. */
export const RASTER_CRS_WORDING = (): string => "the raster's coordinate-system menu in the files panel";

/**
 * A loaded GeoTIFF (an elevation model or a population raster): the dropped file, read by byte range
 * when an analysis first needs it, and the coordinate system the user declared for it.
 */
export interface LoadedDem {
  readonly file: string;
  readonly source: Blob;
  readonly crs?: string;
}

/** An elevation model read for one road network: the profile of its edges. */
export interface NetworkTerrain {
  readonly graph: RoadGraph;
  readonly dem: LoadedDem;
  readonly terrain: EdgeTerrain;
  /** Core's warning on the edges the DEM does not cover (walked as flat), or null. */
  readonly warning: Warning | null;
}

/**
 * Reads the DEM over the network's box (as the CLI does for `--dem`) and samples every edge's rise
 * and fall. io's messages (no georeference, an unknown CRS, a DEM that misses the network, no data
 * anywhere) come out as its InputErrors, naming the file.
 */
export async function readNetworkTerrain(graph: RoadGraph, dem: LoadedDem): Promise<NetworkTerrain> {
  const grid = await readGeoTiff(dem.source, {
    file: dem.file,
    bbox: graphBox(graph),
    ...(dem.crs ? { crs: dem.crs } : {}),
    optionWording: RASTER_CRS_WORDING,
  });
  const terrain = edgeTerrain(graph, { sample: grid.sample, cellSizeM: grid.cellSizeM, file: dem.file });
  return { graph, dem, terrain, warning: terrainWarning(terrain, graph) };
}

/** Whether an analysis with these options is a walker run (minutes for each type's walker). */
export function isWalkerRun(options: AnalyzeOptions, demLoaded: boolean): boolean {
  return options.distance === 'network' && (options.walkers !== undefined || demLoaded);
}

/** `snapTo` in the CLI's words as core's rule; absent: core's default. */
export function snapRule(options: AnalyzeOptions): SnapTo | undefined {
  return options.snapTo === undefined ? undefined : parseSnapTo(options.snapTo);
}

/**
 * The walker run of these options on `graph`: the built-in walkers (an unknown name is core's
 * OptionError), each type's named walker or its catalog default, radii in minutes from the
 * options' metres (or the catalog's) at the walker's flat speed, over the terrain when there is one.
 */
export function viewerWalkerRun(
  graph: RoadGraph,
  options: AnalyzeOptions,
  terrain: NetworkTerrain | null,
  communitiesFile: string,
): WalkerRun {
  const catalog = FacilityCatalog.builtIn();
  const { byType, fallback } = walkersByType(walkerSet(options), catalog, options.walkers ?? {});
  const snapTo = snapRule(options);
  return walkerRun(graph, catalog, {
    walkers: byType,
    fallback,
    terrain: terrain?.terrain ?? null,
    dem: terrain?.dem.file ?? null,
    metresRadii: options.radii,
    network: {
      file: communitiesFile,
      ...(snapTo === undefined ? {} : { snapTo }),
      ...(options.snapCost === undefined ? {} : { snapCost: options.snapCost }),
    },
  });
}

/**
 * What the page shows of a walker run: core's summary member, and per type and community who loses
 * coverage against `flat` (the same inputs walked flat along the roads, in metres).
 */
export function walkingPayload(
  run: WalkerRun,
  walked: AnalysisResult,
  flat: AnalysisResult,
  terrain: NetworkTerrain | null,
): WalkingPayload {
  const losses = lostToTerrain(flat, walked);
  const T = walked.types.length;
  const lost = new Uint8Array(walked.communities.length * T);
  const loss: Record<string, { communities: number; residents: number }> = {};
  walked.types.forEach((t, ti) => {
    const l = losses[t.id];
    if (!l) return;
    loss[t.id] = { communities: l.communities, residents: l.residents };
    l.lost.forEach((v, c) => {
      lost[c * T + ti] = v;
    });
  });
  return { summary: run.summary, loss, lost, uncoveredWarning: terrain?.warning?.message ?? null };
}

/** The built-in walkers and those of the loaded walker file (the CLI's `--walker-file`). */
export function walkerSet(options: Pick<AnalyzeOptions, 'walkerFile'>): WalkerSet {
  return new WalkerSet(options.walkerFile?.profiles ?? []);
}

/** The road graph in minutes of the walker `walkerId` (adult when unknown), over the terrain if any. */
export function walkerGraphOf(
  graph: RoadGraph,
  walkerId: string | undefined,
  terrain: NetworkTerrain | null,
  walkers: WalkerSet = new WalkerSet(),
): RoadGraph {
  return walkerGraph(graph, walkers.get(walkerId ?? 'adult'), terrain?.terrain ?? null);
}
