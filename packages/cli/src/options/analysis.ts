import { closeSync, openSync, readSync } from 'node:fs';
import {
  type AnalysisInput,
  type AnalysisOptions,
  type CategoryReport,
  type CostMatrixColumnsRead,
  CostMatrixCsvReader,
  CostMatrixSource,
  FacilityCatalog,
  GreatCircleSource,
  InputError,
  NetworkSource,
  type Origins,
  parseCatalogTypes,
  type Rejection,
  RoadGraph,
  type RoadGraphStats,
  type Warning,
  type WorkPool,
} from '@lifecircle/core';
import {
  DEFAULT_MAX_SNAP_M,
  type FlatWalk,
  minutesToMetres,
  type NetworkElevations,
  networkElevations,
  parseSnapTo,
  type SnapCost,
  type SnapTo,
  tierMinutes,
  WALKING_SPEED_KMH,
} from '@lifecircle/core/internal';
import { DEFAULT_LIMITS, type InputRead, LimitError } from '@lifecircle/io';
import type { FeatureCollection } from 'geojson';
import { type Console, UsageError } from '../command.js';
import { readJsonFile } from '../inputs/files.js';
import { formatOptions, InputReading } from '../inputs/reading.js';
import { progressReporter, progressWanted } from '../outputs/progress.js';
import { type TerrainLossFigures, terrainLossMember } from '../outputs/walking.js';
import { defaultThreads, NodeWorkPool } from '../pool/node-pool.js';
import { CrsRun, crsOptions, type InputRole } from './crs.js';
import { decimal } from './decimal.js';
import { repeatableFlags, switchFlags, valueFlags } from './flags.js';
import { limitHelp, limitOption, parseLimits } from './limits.js';
import { checkMemory, memoryBudget } from './memory.js';
import { osmClipHelp, osmClipOptions, parseBBox, readStudyArea } from './osm-clip.js';
import {
  checkPopulationFlags,
  populationSurfaceHelp,
  populationSurfaceOptions,
  readPopulationSurface,
} from './population.js';
import { loadTypeMap } from './type-map.js';
import { readWalkers, type WalkingSummary, walkerHelp, walkerOptions, wantsWalkers } from './walkers.js';

/** A numeric option, or undefined when absent; a value failing `check` is a usage error. */
export function numberOption(
  value: unknown,
  name: string,
  check: (n: number) => boolean,
  expected: string,
): number | undefined {
  if (value === undefined) return undefined;
  const n = decimal(String(value));
  if (!check(n)) throw new UsageError(`${name} expects ${expected}, got '${String(value)}'.`);
  return n;
}

/** A whole year option such as `--as-of 2023`, or undefined when absent. */
export function yearOption(value: unknown, name: string): number | undefined {
  return numberOption(
    value,
    name,
    (n) => Number.isInteger(n) && n >= 1800 && n <= 2200,
    'a year such as 2025',
  );
}

/** `--radius TYPE=METRES` values as a radii option. */
export function parseRadii(values: readonly string[]): Record<string, number> {
  const radii: Record<string, number> = {};
  for (const text of values) {
    const match = /^([^=]*)=(.*)$/.exec(text);
    const type = match?.[1]?.trim() ?? '';
    const metres = match ? decimal(match[2]!) : Number.NaN;
    if (!match || type === '' || !(metres > 0)) {
      throw new UsageError(
        `--radius expects TYPE=METRES with a type and a positive number of metres, got '${text}'.`,
      );
    }
    radii[type] = metres;
  }
  return radii;
}

/** A `--catalog` file: extends the built-in catalog, or replaces it with `"replace": true`. */
export function loadCatalog(path: string): FacilityCatalog {
  const value = readJsonFile(path);
  const { types, problems } = parseCatalogTypes(value);
  if (problems.length > 0) {
    const list = problems
      .map((p) => `  type ${p.index}${p.id ? ` (${p.id})` : ''}, field ${p.field}: ${p.reason}`)
      .join('\n');
    throw new InputError(path, `the catalog has ${problems.length} problem(s):\n${list}`);
  }
  const replace =
    typeof value === 'object' && value !== null && (value as { replace?: unknown }).replace === true;
  return replace ? new FacilityCatalog(types) : FacilityCatalog.builtIn().extend(types);
}

/** `--type-map FILE` and its help line, for every command that types facilities. */
export const typeMapOption = { 'type-map': { type: 'string' } } as const;
export const typeMapHelp = `  --type-map FILE        POI categories to catalog types: a table with columns category,type
                         (AMap type or typecode, Baidu tag, OSM key=value, or a plain type text);
                         see docs/categories.md`;

/** The input options every analysing command takes (analyze, check, monitor). */
export const analysisInputOptions = {
  ...valueFlags('communities', 'facilities', 'demand', 'catalog'),
  radius: { type: 'string', multiple: true },
  'include-planned': { type: 'boolean' },
  ...valueFlags(
    'cell-m',
    'network',
    'max-snap',
    'join-m',
    'snap-to',
    'snap-cost',
    'distance',
    'minutes',
    'cost-matrix',
    'cost-unit',
    'threads',
  ),
  ...walkerOptions,
  out: { type: 'string' },
  ...switchFlags('json', 'quiet', 'progress'),
  'memory-budget': { type: 'string' },
  ...crsOptions,
  ...repeatableFlags(
    'encoding',
    'lon-column',
    'lat-column',
    'position-column',
    'layer',
    'id-column',
    'name-column',
    'type-column',
    'households-column',
    'capacity-column',
    'district-column',
    'status-column',
  ),
  ...limitOption,
  ...osmClipOptions,
  ...populationSurfaceOptions,
} as const;

/** Help text of the input format options, shared by every analysing command. */
export const formatHelp = `Input formats (by extension or content; docs/formats.md):
  GeoJSON, GeoJSON lines (.geojsonl, .ndjson), CSV/TSV and XLSX with longitude and latitude columns,
  shapefiles (.shp with its .dbf and .prj beside it, or a .zip), FlatGeobuf (.fgb), GeoPackage (.gpkg)
  --encoding NAME        text encoding of CSV/TSV and shapefile .dbf files (utf-8, gbk, gb18030,
                         big5 …); default: a .cpg or byte-order mark, else UTF-8, else GBK with a
                         warning (GeoJSON is always UTF-8, or GBK detected)
  --lon-column NAME      table column of longitudes (default: lon, lng, longitude, x, 经度 …)
  --lat-column NAME      table column of latitudes (default: lat, latitude, y, 纬度 …)
  --position-column NAME table column holding each position in one: lng,lat text (default: location,
                         坐标, 经纬度) or WKT such as POINT (116.397 39.909) (default: wkt, geometry)
  --layer NAME           GeoPackage table, XLSX sheet or shapefile in a zip to read
  --id-column COL        column of ids (default: id, code, 编号, 代码, 编码, 社区代码, ADMINCODE,
                         else OBJECTID; communities and facilities without one get made-up ids)
  --name-column COL      column of names (default: name, 名称, 社区名称, 小区名称)
  --type-column COL      column of facility types (default: type, 类型)
  --population-column COL  column of population (default: population, POP, 人口, 常住人口 …);
                         with --population-table, that table's column
  --households-column COL  column of households (default: households, 户数)
  --capacity-column COL  column of capacity (default: capacity, 学位, 床位, 托位)
  --district-column COL  column of districts (default: district, adname, 区县, 街道)
  --status-column COL    column of facility status (default: status, 状态)
  Each applies to every input, or to one as ROLE=VALUE (repeatable), e.g.
  --layer communities=社区 --layer facilities=设施 for two tables of one GeoPackage
${osmClipHelp}
${limitHelp}
  --memory-budget SIZE   memory the run may use, such as 8G (default: what the machine has
                         available); a run whose estimated peak (from the input sizes,
                         docs/benchmarks.md) is larger stops before reading, saying what fits

${populationSurfaceHelp}`;

/** Help text of the distance options, shared by every analysing command. */
export const distanceHelp = `Distance (straight line by default):
  --network FILE         walk along this road network (lines with highway tags, any input format)
  --distance KIND        euclidean or network (network is the default when --network is given)
  --max-snap M           points farther than M metres from a walkable road reach nothing (default 200)
  --join-m M             line ends within M metres of another line are joined to it (default 1;
                         0 joins only lines that share a vertex)
  --snap-to RULE         pieces of the network points may snap onto: largest, all, or min-share=S
                         (the pieces holding at least S of the street length, and the largest);
                         default min-share=0.01, so no point joins a stray fragment
  --snap-cost walk|free  walk: the walk from a point to its road counts against the radius
                         (default); free: it does not, as if every point stood on its road
  --minutes A,B,C        radii as walking minutes for the 5-, 10- and 15-minute life circles
                         at ${WALKING_SPEED_KMH} km/h (block-level types take A) instead of metres
  --cost-matrix FILE     costs from a CSV origin_id,destination_id,cost (OSRM, Valhalla, ArcGIS …);
                         origins are community ids, destinations facility ids
  --cost-unit m|min      unit of the matrix costs (default m; with min, give --minutes)
  --threads N            threads the straight-line searches and a network's counts within the
                         radius run on (default: the machine's cores, here ${defaultThreads()}); the
                         answers are the same for any N
${walkerHelp}`;

/**
 * The walking-network or cost-matrix part of an analysis, what reading it rejected, and the input
 * files of the run as read (`reading`), whose problems {@link withReadingProblems} adds to a result.
 */
export interface DistanceSetup {
  readonly distance?: AnalysisOptions['distance'];
  readonly graph?: RoadGraph;
  /** Elevations the road network carries itself (3D positions, OSM `ele`), or null. */
  readonly networkElevations?: NetworkElevations | null;
  readonly maxSnapM: number;
  /** `--snap-to` and `--snap-cost` as given (the sources' defaults otherwise). */
  readonly snapping?: { readonly snapTo?: SnapTo; readonly snapCost?: SnapCost };
  readonly minutes?: readonly number[];
  /** What reading the road network or the cost matrix rejected (located in their files). */
  readonly rejected: Rejection[];
  readonly warnings: Warning[];
  /** Every input file read for the run, with the readers' own rejections and warnings. */
  readonly reading: InputReading;
  /** The coordinate systems of the run's inputs and outputs, and the population join (options/crs.ts). */
  readonly crs: CrsRun;
  /** With --dem or --walker: who walks to each type, at what speed, and the radii in minutes. */
  readonly walking?: WalkingSummary;
  /** With --dem or --walker: the graph of each type's walker, in minutes (catchments are drawn on it). */
  readonly walkerGraphOf?: (typeId: string) => RoadGraph;
  /**
   * With --dem or --walker: the flat walk the run is compared with (`lost_to_terrain`), the road
   * network in metres with each type's radius at the adult's flat speed.
   */
  readonly flatWalk?: FlatWalk;
  /** Threads the searches may run on (`--threads`), recorded in summary.json. */
  readonly threads: number;
  /** The `--threads` pool (two or more threads), for the siting model's own kernels. */
  readonly pool?: WorkPool;
  /** With --network: the road lines left out as not walkable, by the tag that closes them. */
  readonly notWalkable?: RoadGraphStats['notWalkableByReason'];
}

/**
 * What the outputs say about how a run read and measured (summary.json's `crs`, `inputs`, `walking`,
 * `threads` …): the part of a {@link DistanceSetup} a command's format step reads.
 */
export type RunSetup = Pick<DistanceSetup, 'crs' | 'walking' | 'minutes' | 'notWalkable' | 'threads'>;

/**
 * The summary.json member of the road lines a network run left out as not walkable (issue #17: a
 * motorway must be counted somewhere): features and metres per reason (`highway=motorway`,
 * `foot=no`, `access=no`, …), most metres first; nothing without --network.
 */
export function notWalkableMember(distance: Pick<RunSetup, 'notWalkable'>): {
  roads_not_walkable?: Record<string, { features: number; length_m: number }>;
} {
  if (!distance.notWalkable) return {};
  const reasons = Object.entries(distance.notWalkable).sort((a, b) => b[1].length_m - a[1].length_m);
  return {
    roads_not_walkable: Object.fromEntries(
      reasons.map(([reason, { features, length_m }]) => [
        reason,
        { features, length_m: Math.round(length_m) },
      ]),
    ),
  };
}

/**
 * The members every command's summary JSON carries about how the run read and measured: the
 * coordinate systems, and with --dem or --walker the `walking` section (walker per type, speeds,
 * DEM, edges walked as flat, radii in minutes and metres, and given the comparison with the flat
 * walk, `lost_to_terrain`).
 */
export function runSummaryMembers(
  distance: Pick<RunSetup, 'crs' | 'walking'>,
  terrainLoss?: Readonly<Record<string, TerrainLossFigures>>,
): Record<string, unknown> {
  return {
    ...distance.crs.summaryMembers(),
    ...(distance.walking
      ? { walking: { ...distance.walking, ...terrainLossMember(terrainLoss, distance.walking) } }
      : {}),
  };
}

/** The distance flags of an analysing command, checked without reading a file. */
interface DistanceFlags {
  readonly networkPath: string | undefined;
  readonly matrixPath: string | undefined;
  readonly kind: 'euclidean' | 'network';
  readonly maxSnapM: number;
  readonly joinToleranceM: number | undefined;
  readonly snapping: ReturnType<typeof snappingOptions>;
  readonly minutes: number[] | undefined;
  readonly unit: 'm' | 'min';
}

/**
 * `--distance`, `--network`/`--cost-matrix`, `--max-snap`, `--join-m`, the snapping flags, `--minutes`
 * and `--cost-unit`, checked together; a mistake is a {@link UsageError} naming the flag.
 */
function distanceFlags(values: Record<string, unknown>): DistanceFlags {
  const networkPath = values.network as string | undefined;
  const matrixPath = values['cost-matrix'] as string | undefined;
  const kind = (values.distance as string | undefined) ?? (networkPath ? 'network' : 'euclidean');
  if (kind !== 'euclidean' && kind !== 'network') {
    throw new UsageError(`--distance expects euclidean or network, got '${kind}'.`);
  }
  if (kind === 'network' && !networkPath) throw new UsageError('--distance network needs --network FILE.');
  if (networkPath && matrixPath) throw new UsageError('give either --network or --cost-matrix, not both.');
  const maxSnapM =
    numberOption(values['max-snap'], '--max-snap', (n) => n > 0, 'a positive number of metres') ??
    DEFAULT_MAX_SNAP_M;
  const joinToleranceM = numberOption(
    values['join-m'],
    '--join-m',
    (n) => n >= 0 && Number.isFinite(n),
    'a number of metres ≥ 0',
  );
  if (joinToleranceM !== undefined && !networkPath) throw new UsageError('--join-m needs --network FILE.');
  const snapping = snappingOptions(values, networkPath);
  let minutes: number[] | undefined;
  if (values.minutes !== undefined) {
    minutes = String(values.minutes).split(',').map(decimal);
    if (minutes.length === 0 || minutes.length > 3 || minutes.some((m) => !(m > 0))) {
      throw new UsageError(
        `--minutes expects one to three positive numbers such as 5,10,15, got '${String(values.minutes)}'.`,
      );
    }
  }
  const unit = (values['cost-unit'] as string | undefined) ?? 'm';
  if (unit !== 'm' && unit !== 'min') throw new UsageError(`--cost-unit expects m or min, got '${unit}'.`);
  if (unit === 'min' && !minutes)
    throw new UsageError('--cost-unit min needs --minutes, the radii in minutes.');
  return { networkPath, matrixPath, kind, maxSnapM, joinToleranceM, snapping, minutes, unit };
}

async function readDistance(
  values: Record<string, unknown>,
  communitiesFile: string,
  reading: InputReading,
  crs: CrsRun,
  poolFor: PoolFor,
): Promise<Omit<DistanceSetup, 'crs' | 'threads'> & { readonly threads?: number }> {
  const { networkPath, matrixPath, kind, maxSnapM, joinToleranceM, snapping, minutes, unit } =
    distanceFlags(values);
  if (matrixPath) {
    const { columns, rejected } = readCostMatrixFile(matrixPath, parseLimits(values)?.maxLineLength);
    return {
      distance: (origins, context) =>
        new CostMatrixSource(origins, columns, { ownerIds: context.communityIds, unit, file: matrixPath }),
      maxSnapM,
      ...(minutes ? { minutes } : {}),
      rejected,
      warnings: [],
      reading,
    };
  }
  if (kind === 'network' && networkPath) {
    const network = analysisCollection(await reading.read(networkPath, 'network'), crs, 'network');
    // The inputs read so far that nothing declared a system for are tested against the roads.
    crs.testOffsets(network, networkPath);
    const { graph, rejected, warnings, stats } = RoadGraph.fromGeoJSON(network, {
      file: networkPath,
      ...(joinToleranceM === undefined ? {} : { joinToleranceM }),
    });
    const pool = poolFor(threadsOption(values));
    return {
      distance: (origins, context) =>
        new NetworkSource(graph, origins, {
          maxSnapM,
          ...snapping,
          ownerNames: context.communityIds,
          file: communitiesFile,
          ...(pool ? { pool } : {}),
        }),
      threads: pool?.threads ?? 1,
      ...(pool ? { pool } : {}),
      graph,
      notWalkable: stats.notWalkableByReason,
      networkElevations: networkElevations(network),
      maxSnapM,
      snapping,
      ...(minutes ? { minutes } : {}),
      rejected: reading.locate(rejected),
      warnings: reading.locate(warnings),
      reading,
    };
  }
  const pool = poolFor(threadsOption(values));
  return {
    // Straight lines: every search splits over the threads.
    ...(pool ? { distance: (origins: Origins) => new GreatCircleSource(origins, { pool }) } : {}),
    maxSnapM,
    ...(minutes ? { minutes } : {}),
    rejected: [],
    warnings: [],
    reading,
    threads: pool?.threads ?? 1,
    ...(pool ? { pool } : {}),
  };
}

/** `--snap-to` and `--snap-cost`, as NetworkSource options; both need `--network`. */
export function snappingOptions(
  values: Record<string, unknown>,
  networkPath: string | undefined,
): { snapTo?: SnapTo; snapCost?: SnapCost } {
  const snapToText = values['snap-to'] as string | undefined;
  const snapCost = values['snap-cost'] as string | undefined;
  for (const [flag, given] of [
    ['--snap-to', snapToText],
    ['--snap-cost', snapCost],
  ] as const) {
    if (given !== undefined && !networkPath) throw new UsageError(`${flag} needs --network FILE.`);
  }
  if (snapCost !== undefined && snapCost !== 'walk' && snapCost !== 'free') {
    throw new UsageError(`--snap-cost expects walk or free, got '${snapCost}'.`);
  }
  let snapTo: SnapTo | undefined;
  if (snapToText !== undefined) {
    try {
      snapTo = parseSnapTo(snapToText);
    } catch (error) {
      throw new UsageError(`--snap-to ${(error as Error).message}`);
    }
  }
  return { ...(snapTo === undefined ? {} : { snapTo }), ...(snapCost === undefined ? {} : { snapCost }) };
}

/** `--threads N`: a whole number ≥ 1; default the machine's cores. */
function threadsOption(values: Record<string, unknown>): number {
  return (
    numberOption(values.threads, '--threads', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1') ??
    defaultThreads()
  );
}

/**
 * The pool of worker threads the searches of a run split over, for `--threads N` (none below 2): a
 * command's run step is given it (`StepIo.pool`).
 */
export type PoolFor = (threads: number) => NodeWorkPool | undefined;

// One pool per process: its worker threads start once and serve every search of the run.
let sharedPool: NodeWorkPool | undefined;

/** The process's one pool, started at the first run that asks for threads and kept for the next. */
export const processPool: PoolFor = (threads) => {
  if (threads < 2) return undefined;
  if (sharedPool === undefined || sharedPool.threads !== threads) {
    void sharedPool?.close();
    sharedPool = new NodeWorkPool(threads);
  }
  return sharedPool;
};

/**
 * A result with the rejections and warnings of reading the input files, road network or cost matrix
 * put first, and its own (found by feature index) pointed at each file's records and rows, so that
 * the summary accounts for every input row and feature of the run.
 */
export function withReadingProblems<
  T extends { readonly rejected: readonly Rejection[]; readonly warnings: readonly unknown[] },
>(result: T, distance: DistanceSetup): T {
  const { reading } = distance;
  // Unmapped categories name their facilities by feature index, like rejections: point them at rows.
  const categories = (result as { readonly categories?: CategoryReport }).categories;
  const located = categories && {
    ...categories,
    unmapped: categories.unmapped.map((u) => ({
      ...u,
      examples: reading.locate(u.examples),
      indices: reading
        .locate(u.indices.map((index) => ({ file: u.examples[0]!.file, index })))
        .map((p) => p.index),
    })),
  };
  // The spread keeps T's other fields; only the lists change, each with elements of its own kind.
  return {
    ...result,
    ...(located ? { categories: located } : {}),
    rejected: [...reading.rejected, ...distance.rejected, ...reading.locate(result.rejected)],
    warnings: distance.crs.withWarnings([
      ...reading.warnings,
      ...distance.warnings,
      ...reading.locate(result.warnings as readonly Warning[]),
    ]),
  } as T;
}

/**
 * The one place where a file's features, as read, enter the analysis: io's front door (`readInput`,
 * through {@link InputReading}) has converted them to WGS84 longitude/latitude from the system
 * declared for the file (`--communities-crs` …), its own (a .prj's WKT, a GeoJSON `crs` member, a
 * FlatGeobuf or GeoPackage code) or `--input-crs`; the run records what was used.
 */
export function analysisCollection(read: InputRead, crs: CrsRun, role: InputRole): unknown {
  return crs.toWgs84(read, role);
}

/**
 * Radii from walking minutes: each catalog type takes the minutes of its life-circle tier, in metres
 * at the walking speed (or in minutes for a cost matrix in minutes). An explicit --radius wins.
 */
function radiiFromMinutes(
  catalog: FacilityCatalog,
  minutes: readonly number[],
  inMinutes: boolean,
): Record<string, number> {
  const radii: Record<string, number> = {};
  for (const type of catalog.types) {
    const m = tierMinutes(minutes, type.tier);
    radii[type.id] = inMinutes ? m : minutesToMetres(m);
  }
  return radii;
}

/** `--cell-m`, the demand grid's cell. */
function cellMOption(values: Record<string, unknown>): number | undefined {
  return numberOption(values['cell-m'], '--cell-m', (n) => n > 0, 'a positive number of metres');
}

/**
 * Checks the flags every command that reads input files shares, without reading one: `--layer`,
 * `--encoding`, the column flags and `--limit` (one given twice, an unknown encoding), then
 * `--format`, `--output-crs`, a file's system without its file and the population-table flags. The
 * parse step calls it, so that it rejects their mistakes before run reads anything; run reads the
 * files with the same flags.
 */
export function checkReadingFlags(values: Record<string, unknown>): void {
  new InputReading(formatOptions(values));
  new CrsRun(values);
}

/**
 * {@link checkReadingFlags} and the other flags the analysing commands (analyze, check, monitor,
 * site) share, in the order run reads them: `--memory-budget`, `--cell-m`, the reading and
 * coordinate-system flags, `--bbox`, the population surface's, the distance's and `--threads`. A
 * mistake is a {@link UsageError} or an `OptionError` naming the flag; nothing is read.
 */
export function checkAnalysisFlags(values: Record<string, unknown>): void {
  memoryBudget(values);
  cellMOption(values);
  checkReadingFlags(values);
  parseBBox(values.bbox);
  checkPopulationFlags(values);
  distanceFlags(values);
  threadsOption(values);
}

/**
 * Input files of at least this many bytes together start the pool's threads before they are read
 * (the 1M-point demand job's 137 MB, the 200k-community city's 40 MB); the bundled city's 3 MB and
 * other small runs, whose searches may never need the pool, start none early.
 */
const WARM_POOL_BYTES = 16 << 20;

/**
 * Reads the input files, catalog, radii and shared options of an analysing command; its searches
 * split over `poolFor`'s threads.
 */
export async function readAnalysisInputs(
  values: Record<string, unknown>,
  console: Console,
  poolFor: PoolFor = processPool,
): Promise<{
  input: AnalysisInput;
  options: AnalysisOptions & { catalog: FacilityCatalog };
  distance: DistanceSetup;
  /** `--study-area` as read (WGS84), once for the OpenStreetMap clip and `site`'s candidates. */
  studyArea?: FeatureCollection;
}> {
  const communitiesPath = values.communities as string | undefined;
  const facilitiesPath = values.facilities as string | undefined;
  if (!communitiesPath || !facilitiesPath) {
    throw new UsageError('--communities FILE and --facilities FILE are required.');
  }
  // Before anything is read: a province that cannot fit stops now, not after minutes of reading.
  const memory = checkMemory(values);
  // Large inputs mean searches on the pool: its threads start while the inputs are read.
  if (memory.inputBytes >= WARM_POOL_BYTES) poolFor(threadsOption(values))?.warm();
  const cellM = cellMOption(values);
  const catalog = values.catalog ? loadCatalog(values.catalog as string) : FacilityCatalog.builtIn();
  // The systems are asked for when each file is read, after both option sets are checked.
  const reading = new InputReading(formatOptions(values), (role) => crs.declarationsFor(role));
  const crs = new CrsRun(values);
  const { clip, studyArea } = await readStudyArea(values, reading, crs);
  reading.osmClip = clip;
  const joined = await crs.joinPopulation(
    analysisCollection(await reading.read(communitiesPath, 'communities'), crs, 'communities'),
    communitiesPath,
  );
  const surface = await readPopulationSurface(values, joined, { reading, crs });
  const communities = surface.communities;
  const facilities = analysisCollection(await reading.read(facilitiesPath, 'facilities'), crs, 'facilities');
  const demandPath = values.demand as string | undefined;
  const progress = progressReporter(console, progressWanted(values, console));
  const streamed =
    demandPath === undefined
      ? undefined
      : await reading.readDemandColumns(demandPath, (state) =>
          progress({
            stage: 'read',
            message: `Reading ${demandPath}: ${state.points.toLocaleString('en-US')} demand points`,
            done: state.bytes,
            total: state.totalBytes,
            unit: 'bytes',
          }),
        );
  // A streamed file's columns and coordinate system are recorded from its first lines; its offset
  // test weighs points from all of it.
  if (streamed) crs.toWgs84(streamed.read, 'demand', streamed.positions);
  const demand = demandPath
    ? (streamed?.columns ?? analysisCollection(await reading.read(demandPath, 'demand'), crs, 'demand'))
    : undefined;
  const read = await readDistance(values, communitiesPath, reading, crs, poolFor);
  // Straight-line searches and a network's counts run on several threads; a cost matrix on one.
  let distance: DistanceSetup = {
    ...read,
    rejected: [...surface.rejected, ...read.rejected],
    warnings: [...surface.warnings, ...read.warnings],
    crs,
    threads: read.threads ?? 1,
  };
  // Every analysing command declares --type-map (analyze and site directly, check and monitor with the profile options).
  const typeMapPath = values['type-map'] as string | undefined;
  const typeMap = typeMapPath ? await loadTypeMap(typeMapPath, catalog) : undefined;
  const givenRadii = parseRadii((values.radius as string[] | undefined) ?? []);
  let radii = {
    ...(distance.minutes ? radiiFromMinutes(catalog, distance.minutes, values['cost-unit'] === 'min') : {}),
    ...givenRadii,
  };
  if (wantsWalkers(values)) {
    // Terrain or walkers: costs are minutes, each type measured for its walker.
    // Radii given by a type's name or alias count for its catalog id, as in the analysis.
    const radiiById = Object.fromEntries(
      Object.entries(givenRadii).map(([type, metres]) => [catalog.resolve(type)?.id ?? type, metres]),
    );
    const walkers = await readWalkers(values, distance.graph, catalog, radiiById, distance.minutes, {
      maxSnapM: distance.maxSnapM,
      ...distance.snapping,
      file: communitiesPath,
      elevations: distance.networkElevations ?? null,
    });
    radii = walkers.radii;
    distance = {
      ...distance,
      ...(distance.distance ? { flatWalk: { distance: distance.distance, radii: walkers.flatRadiiM } } : {}),
      walkerGraphOf: walkers.walkerGraphOf,
      distance: walkers.distance,
      warnings: [...distance.warnings, ...walkers.warnings],
      walking: walkers.summary,
      threads: 1,
    };
  }
  const input: AnalysisInput = {
    communities,
    facilities,
    ...(demand === undefined ? {} : { demand }),
    files: {
      communities: communitiesPath,
      facilities: facilitiesPath,
      ...(demandPath ? { demand: demandPath } : {}),
    },
  };
  return {
    input,
    options: {
      catalog,
      radii,
      includePlanned: values['include-planned'] === true,
      ...(typeMap ? { typeMap } : {}),
      onProgress: progress,
      demand: { ...(cellM === undefined ? {} : { cellM }), ...surface.demand },
      ...(distance.distance ? { distance: distance.distance } : {}),
    },
    distance,
    ...(studyArea ? { studyArea } : {}),
  };
}

/** Bytes read from a cost matrix at a time: large enough for few system calls, small beside the rows. */
const MATRIX_CHUNK_BYTES = 4 << 20;

/**
 * Reads a cost-matrix CSV a few megabytes at a time into typed columns (issue #17): a matrix of ten
 * million pairs is larger than one string can hold, and one object per row would not fit in memory.
 */
export function readCostMatrixFile(path: string, maxLineLength?: number): CostMatrixColumnsRead {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new InputError(path, 'file not found or unreadable.');
  }
  try {
    const reader = new CostMatrixCsvReader({
      file: path,
      ...(maxLineLength === undefined ? {} : { maxLineLength }),
    });
    const decoder = new TextDecoder('utf-8');
    const buffer = new Uint8Array(MATRIX_CHUNK_BYTES);
    try {
      for (;;) {
        const read = readSync(fd, buffer, 0, buffer.length, null);
        if (read === 0) break;
        reader.push(decoder.decode(buffer.subarray(0, read), { stream: true }));
      }
      reader.push(decoder.decode());
      return reader.end();
    } catch (error) {
      // A line past the limit is a reading limit like any other: its message names --limit.
      if (reader.overlongLine === null) throw error;
      const allowed = maxLineLength ?? DEFAULT_LIMITS.maxLineLength;
      throw new LimitError(
        path,
        `line ${reader.overlongLine} is longer than ${allowed.toLocaleString('en-US')} characters (no line break, or a quote never closed)`,
        'maxLineLength',
        allowed,
      );
    }
  } finally {
    closeSync(fd);
  }
}
