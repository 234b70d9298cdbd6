import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import pointOnFeature from '@turf/point-on-feature';
import type { Position } from 'geojson';
import type { Origins } from '../distance/types.js';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { forEachLatticePoint } from '../geodesy/lattice.js';
import { communityIndex } from '../rules/district.js';
import type { CommunityGeometry, CommunityRecord, DemandPointRecord } from '../validate/features.js';
import { OptionError, type Rejection, type Warning } from '../validate/problems.js';
import {
  type BuildingFootprints,
  joinWeightedPoints,
  type PopulationGrid,
  type WeightedPoints,
} from './weights.js';

export {
  type BuildingFootprint,
  type BuildingFootprints,
  buildingFootprints,
  METRES_PER_FLOOR,
  type PopulationGrid,
  populationFromGrid,
} from './weights.js';

/**
 * Population points every analysis measures from, grouped by community: the points of community
 * `c` are contiguous and `owner[i] === c` for each of them.
 */
export interface DemandPoints extends Origins {
  /** Residents each point stands for. */
  readonly weight: Float64Array;
  /**
   * Index of the demand-file (or buildings-file) feature each point came from, or -1 for a generated
   * point or a raster cell.
   */
  readonly sourceIndex: Int32Array;
  /** How each community got its points: a grid inside its polygon, its own point, or a demand file. */
  readonly method: readonly DemandMethod[];
  /**
   * Per community, the spacing in metres of its grid of points (NaN for a community not placed on a
   * grid): `cellM`, or wider where the polygon would have had more than `maxPointsPerCommunity`.
   */
  readonly gridSpacingM?: Float64Array;
}

/**
 * How a community's population was placed: its own point, a grid inside its polygon (one point on its
 * surface when smaller than a cell), a demand file, or shared out over a population raster's cells or
 * building footprints inside it.
 */
export type DemandMethod = 'point' | 'grid' | 'surface-point' | 'demand-file' | 'raster' | 'buildings';

/** Options of {@link buildDemand}. */
export interface DemandOptions {
  /**
   * Spacing in metres of the grid that spreads a polygon community's population. Each grid point
   * inside the polygon takes an equal share (so population follows area). Default 50.
   */
  cellM?: number;
  /**
   * Most grid points one community may get; a larger polygon gets a coarser grid so that one rural
   * polygon cannot dominate the run. Default 2,000.
   */
  maxPointsPerCommunity?: number;
  /**
   * A population raster (io's `readGeoTiff` grid): each community's population is shared out over
   * the cells whose centres lie inside its polygon, in proportion to their values (dasymetric
   * weighting); a community with no populated cell inside keeps the even grid, with a warning. To
   * take the raster's counts as the population of communities without one, fill it first with
   * `populationFromGrid` (`@lifecircle/core/internal`). Not with a demand file or `buildings`.
   */
  populationGrid?: PopulationGrid;
  /**
   * Building footprints (see {@link buildingFootprints}): each community's population is shared out
   * over the footprints inside it in proportion to footprint area × floors; a community with none
   * keeps the even grid, with a warning. Not with a demand file or `populationGrid`.
   */
  buildings?: BuildingFootprints;
  /** Name of the communities input in warnings. Default `communities`. */
  communitiesFile?: string;
}

/** What weighting by a raster or building footprints did, for summary.json's `demand`. */
export interface DemandWeighting {
  readonly source: 'raster' | 'buildings';
  readonly file: string;
  /** Raster cells holding data in the window read, or footprints read. */
  readonly read: number;
  /** Populated cells or footprints inside a community polygon. */
  readonly inside: number;
  /** Populated cells or footprints in no community polygon. */
  readonly outside: number;
  /** Raster: residents of the cells in no community; buildings: their floor area in m². */
  readonly outside_weight: number;
  /** Communities whose population was shared out by the raster or footprints. */
  readonly communities_weighted: number;
  /** Polygon communities with no populated cell or footprint inside, spread evenly instead. */
  readonly communities_even: number;
  /** Buildings: the column floors were read from, or null (area alone). */
  readonly floors_column?: string | null;
}

/**
 * How the demand points were placed: summary.json's `demand` member, the same in every command's
 * summary (analyze, check, monitor, site), built once by {@link buildDemand}.
 */
export interface DemandReport {
  /** Demand points placed. */
  readonly points: number;
  /** Spacing of the grid that spreads a polygon's population (`cellM`). */
  readonly cell_m: number;
  /** Communities per placing method. */
  readonly methods: Readonly<Partial<Record<DemandMethod, number>>>;
  /**
   * Polygon communities whose grid is coarser than `cellM` (the point cap), and the widest grid
   * spacing used (null when no community was placed on a grid).
   */
  readonly coarsened: { readonly communities: number; readonly largest_spacing_m: number | null };
  readonly weighting?: DemandWeighting;
}

// Demand points that sum to within this share of a community's own population are taken as agreeing.
const POPULATION_MISMATCH_SHARE = 0.01;

const defaultOptions: Required<Pick<DemandOptions, 'cellM' | 'maxPointsPerCommunity'>> = {
  cellM: 50,
  maxPointsPerCommunity: 2000,
};

/** Demand points for each community, and what the demand file could not place. */
export interface DemandBuild {
  readonly demand: DemandPoints;
  readonly rejected: Rejection[];
  readonly warnings: Warning[];
  readonly report: DemandReport;
}

/** Demand points written one at a time into typed arrays that grow by doubling (no array of objects). */
class DemandWriter {
  private size = 0;
  private coords: Float64Array;
  private weight: Float64Array;
  private owner: Uint32Array;
  private source: Int32Array;
  constructor(capacity = 1024) {
    const n = Math.max(16, capacity);
    this.coords = new Float64Array(2 * n);
    this.weight = new Float64Array(n);
    this.owner = new Uint32Array(n);
    this.source = new Int32Array(n);
  }
  add(lon: number, lat: number, weight: number, owner: number, source: number): void {
    const i = this.size++;
    if (i === this.weight.length) this.grow();
    this.coords[2 * i] = lon;
    this.coords[2 * i + 1] = lat;
    this.weight[i] = weight;
    this.owner[i] = owner;
    this.source[i] = source;
  }
  private grow(): void {
    const n = this.weight.length * 2;
    this.coords = grown(this.coords, 2 * n);
    this.weight = grown(this.weight, n);
    this.owner = grown(this.owner, n);
    this.source = grown(this.source, n);
  }
  finish(ownerCount: number, method: DemandMethod[], gridSpacingM: Float64Array): DemandPoints {
    const n = this.size;
    // Exact-length copies: the doubling slack (up to half) is not kept for the whole run. Filled to
    // the last place (a demand file's points counted beforehand), the arrays are already that.
    const exact = n === this.weight.length;
    return {
      coords: exact ? this.coords : this.coords.slice(0, 2 * n),
      owner: exact ? this.owner : this.owner.slice(0, n),
      ownerCount,
      weight: exact ? this.weight : this.weight.slice(0, n),
      sourceIndex: exact ? this.source : this.source.slice(0, n),
      method,
      gridSpacingM,
    };
  }
}

type GrowableArray = Float64Array | Int32Array | Uint32Array;

/** A typed array of `length` holding `array`'s values first. */
function grown<T extends GrowableArray>(array: T, length: number): T {
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}

/**
 * Demand points as typed columns, in file order: what a demand file read as a stream becomes
 * (`DemandColumnsBuilder`), so that a province's millions of points never exist as one object each.
 * {@link buildDemand} and `analyzeCoverage` take it in place of the file's FeatureCollection.
 */
export interface DemandColumns {
  readonly kind: 'demand-columns';
  /** Points read. */
  readonly count: number;
  /** Longitude and latitude of each point, interleaved (WGS84). */
  readonly coords: Float64Array;
  /** Residents each point stands for. */
  readonly population: Float64Array;
  /** Per point, the index in `communityIds` of its `community_id`, or -1 when it names none. */
  readonly community: Int32Array;
  /** The distinct community ids the points name, each once. */
  readonly communityIds: readonly string[];
  /** Per point, the index of its feature in the file (rejected features take an index too). */
  readonly sourceIndex: Int32Array;
  /**
   * Per point, the id of its feature, when kept (records converted by `demandColumnsOf`); a streamed
   * file keeps none, as a province's millions of ids would cost more than the points.
   */
  readonly ids?: readonly (string | null)[];
  /** Features the reading rejected (a line that is not JSON, a population that is not a number). */
  readonly rejected: readonly Rejection[];
  readonly warnings: readonly Warning[];
}

/** True for {@link DemandColumns} (rather than a parsed FeatureCollection). */
export function isDemandColumns(value: unknown): value is DemandColumns {
  return (value as { kind?: unknown } | null)?.kind === 'demand-columns';
}

/**
 * Collects demand points into {@link DemandColumns} one at a time, interning community ids: 24 bytes a
 * point, the arrays growing by doubling.
 */
export class DemandColumnsBuilder {
  private count = 0;
  private coords = new Float64Array(2 * 1024);
  private population = new Float64Array(1024);
  private community = new Int32Array(1024);
  private sourceIndex = new Int32Array(1024);
  private readonly codeOf = new Map<string, number>();
  private readonly communityIds: string[] = [];

  /** Points added so far. */
  get size(): number {
    return this.count;
  }

  /** Adds a point; `communityId` null when the point names no community. */
  add(lon: number, lat: number, population: number, communityId: string | null, sourceIndex: number): void {
    const i = this.count++;
    if (i === this.population.length) {
      const n = 2 * i;
      this.coords = grown(this.coords, 2 * n);
      this.population = grown(this.population, n);
      this.community = grown(this.community, n);
      this.sourceIndex = grown(this.sourceIndex, n);
    }
    let code = -1;
    if (communityId !== null) {
      code = this.codeOf.get(communityId) ?? -1;
      if (code < 0) {
        code = this.communityIds.length;
        this.codeOf.set(communityId, code);
        this.communityIds.push(communityId);
      }
    }
    this.coords[2 * i] = lon;
    this.coords[2 * i + 1] = lat;
    this.population[i] = population;
    this.community[i] = code;
    this.sourceIndex[i] = sourceIndex;
  }

  /** The columns, trimmed to the points added, with what reading rejected and warned about. */
  finish(rejected: readonly Rejection[] = [], warnings: readonly Warning[] = []): DemandColumns {
    const n = this.count;
    return {
      kind: 'demand-columns',
      count: n,
      coords: this.coords.slice(0, 2 * n),
      population: this.population.slice(0, n),
      community: this.community.slice(0, n),
      communityIds: this.communityIds,
      sourceIndex: this.sourceIndex.slice(0, n),
      rejected,
      warnings,
    };
  }
}

/** Validated demand-point records as {@link DemandColumns}. */
export function demandColumnsOf(records: readonly DemandPointRecord[]): DemandColumns {
  const builder = new DemandColumnsBuilder();
  for (const r of records) builder.add(r.lon, r.lat, r.population, r.communityId, r.index);
  return { ...builder.finish(), ids: records.map((r) => r.id) };
}

/**
 * Grid points inside a polygon community at `cellM` spacing: the cell centres of a lattice anchored at
 * whole multiples of the cell size, with the east–west step taken at the polygon's latitude rounded to
 * a whole degree, so neighbouring communities sample one shared lattice (cells are then within about
 * 1 % of `cellM` wide). A polygon that would get more than `maxPoints` points gets a coarser grid.
 */
export function gridPointsInside(geometry: CommunityGeometry, cellM: number, maxPoints: number): Position[] {
  return gridInside(geometry, cellM, maxPoints).points;
}

/** {@link gridPointsInside} with the spacing the grid really has (wider than `cellM` when capped). */
export function gridInside(
  geometry: CommunityGeometry,
  cellM: number,
  maxPoints: number,
): { points: Position[]; spacingM: number } {
  if (!(maxPoints >= 1)) throw new Error(`maxPoints must be at least 1, got ${maxPoints}.`);
  if (!(cellM > 0)) throw new Error(`cellM must be positive, got ${cellM}.`);
  if (geometry.type === 'Point') return { points: [geometry.coordinates], spacingM: Number.NaN };
  const rings = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let minLon = Number.POSITIVE_INFINITY;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLon = Number.NEGATIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  for (const polygon of rings) {
    for (const [lon, lat] of polygon[0]!) {
      if (lon! < minLon) minLon = lon!;
      if (lon! > maxLon) maxLon = lon!;
      if (lat! < minLat) minLat = lat!;
      if (lat! > maxLat) maxLat = lat!;
    }
  }
  const latticeLat = Math.round((minLat + maxLat) / 2);
  let spacing = cellM;
  const widthM = (maxLon - minLon) * metresPerDegreeLon(latticeLat);
  const heightM = (maxLat - minLat) * METRES_PER_DEGREE;
  // Roughly π/4 of the bounding box is inside a compact polygon; widen the grid until the count fits.
  while ((widthM / spacing + 1) * (heightM / spacing + 1) * 0.8 > maxPoints) spacing *= 1.25;
  const dLat = spacing / METRES_PER_DEGREE;
  const dLon = spacing / metresPerDegreeLon(latticeLat);
  const points: Position[] = [];
  forEachLatticePoint({ minLon, minLat, maxLon, maxLat }, dLon, dLat, (lon, lat) => {
    if (booleanPointInPolygon([lon, lat], geometry)) points.push([lon, lat]);
  });
  return { points, spacingM: spacing };
}

/**
 * Places every community's population on demand points: a Point community is one point; a polygon
 * community is a regular grid of points inside it, each with an equal share of its population (one
 * point on its surface when the polygon is smaller than a cell). When demand points from a file are
 * given, they carry the population instead: each joins the community named by its `community_id`,
 * or else the polygon that contains it. Communities no demand point falls in keep their own grid,
 * with a warning; demand points in no community are rejected.
 *
 * @example
 * const { records } = validateCommunities(communities, 'communities.geojson');
 * const { demand } = buildDemand(records, undefined, { cellM: 50 });
 */
export function buildDemand(
  communities: readonly CommunityRecord[],
  demandPoints?: {
    /** The demand file's validated records, or the same points as typed columns (a streamed file). */
    readonly records: readonly DemandPointRecord[] | DemandColumns;
    readonly file: string;
  },
  options: DemandOptions = {},
): DemandBuild {
  const { cellM, maxPointsPerCommunity } = { ...defaultOptions, ...options };
  if (!(cellM > 0)) throw new OptionError('cellM', `the demand grid's cell must be positive, got ${cellM}.`);
  if (!(maxPointsPerCommunity >= 1)) {
    throw new OptionError('maxPointsPerCommunity', `must be at least 1, got ${maxPointsPerCommunity}.`);
  }
  if (options.populationGrid && options.buildings) {
    throw new OptionError('buildings', 'demand takes a population raster or building footprints, not both.');
  }
  if (demandPoints && (options.populationGrid || options.buildings)) {
    throw new OptionError(
      options.populationGrid ? 'populationGrid' : 'buildings',
      'demand takes a demand file or a population raster / building footprints, not both.',
    );
  }
  const rejected: Rejection[] = [];
  const warnings: Warning[] = [];
  const columns = demandPoints
    ? isDemandColumns(demandPoints.records)
      ? demandPoints.records
      : demandColumnsOf(demandPoints.records)
    : undefined;
  const assigned =
    columns && demandPoints
      ? assignDemandPoints(communities, columns, demandPoints.file, rejected)
      : undefined;
  const surface = options.populationGrid
    ? { grid: options.populationGrid }
    : options.buildings
      ? { buildings: options.buildings }
      : undefined;
  const weighted = surface
    ? joinWeightedPoints(communityIndex(communities), communities.length, surface)
    : undefined;
  const writer = new DemandWriter(demandCapacity(communities, columns, assigned));
  const method: DemandMethod[] = [];
  const gridSpacingM = new Float64Array(communities.length).fill(Number.NaN);
  const fallback: string[] = [];
  const differing: string[] = [];
  const coarsened: string[] = [];
  const even: string[] = [];
  let weightedCommunities = 0;
  communities.forEach((community, c) => {
    if (assigned && columns && assigned.start[c + 1]! > assigned.start[c]!) {
      let total = 0;
      const { coords, population, sourceIndex } = columns;
      for (let k = assigned.start[c]!; k < assigned.start[c + 1]!; k++) {
        const p = assigned.order[k]!;
        writer.add(coords[2 * p]!, coords[2 * p + 1]!, population[p]!, c, sourceIndex[p]!);
        total += population[p]!;
      }
      if (
        Math.abs(total - community.population) >
        POPULATION_MISMATCH_SHARE * Math.max(community.population, 1)
      ) {
        differing.push(`${community.id} (${Math.round(total)} vs ${community.population})`);
      }
      method.push('demand-file');
      return;
    }
    if (assigned) fallback.push(community.id);
    if (community.geometry.type === 'Point') {
      const [lon, lat] = community.geometry.coordinates;
      writer.add(lon!, lat!, community.population, c, -1);
      method.push('point');
      return;
    }
    if (weighted && shareOut(weighted, c, community.population, writer)) {
      weightedCommunities++;
      method.push(weighted.source);
      return;
    }
    if (weighted) even.push(community.id);
    let { points: grid, spacingM } = gridInside(community.geometry, cellM, maxPointsPerCommunity);
    method.push(grid.length > 0 ? 'grid' : 'surface-point');
    if (grid.length === 0) {
      grid = [pointOnFeature(community.geometry).geometry.coordinates];
      spacingM = Number.NaN;
    }
    gridSpacingM[c] = spacingM;
    if (spacingM > cellM) coarsened.push(`${community.id} (${Math.round(spacingM)} m)`);
    const share = community.population / grid.length;
    for (const [lon, lat] of grid) writer.add(lon!, lat!, share, c, -1);
  });
  if (demandPoints && fallback.length > 0) {
    warnings.push({
      code: 'no-demand-points',
      file: demandPoints.file,
      message: `${countOf(fallback.length, 'community', 'communities')} received no demand points and use their own population spread over their area: ${listed(fallback)}`,
    });
  }
  if (demandPoints && differing.length > 0) {
    warnings.push({
      code: 'demand-population-differs',
      file: demandPoints.file,
      field: 'population',
      message: `the demand points of ${countOf(differing.length, 'community', 'communities')} sum to more than 1 % away from the community's own population; the demand points are used: ${listed(differing)}`,
    });
  }
  if (weighted && even.length > 0) {
    const what = weighted.source === 'raster' ? 'populated raster cell' : 'building footprint';
    warnings.push({
      code: 'no-demand-points',
      file: weighted.file,
      message: `${countOf(even.length, 'community has', 'communities have')} no ${what} inside and ${even.length === 1 ? 'keeps its' : 'keep their'} population spread evenly over the area: ${listed(even)}`,
    });
  }
  if (coarsened.length > 0) {
    warnings.push({
      code: 'demand-grid-coarsened',
      file: options.communitiesFile ?? 'communities',
      message: `${countOf(coarsened.length, 'community is', 'communities are')} too large for ${maxPointsPerCommunity} demand points at ${cellM} m and got a coarser grid (its spacing is the community's demand_spacing_m): ${listed(coarsened)}`,
    });
  }
  let largest = 0;
  for (const spacing of gridSpacingM) if (spacing > largest) largest = spacing;
  const demand = writer.finish(communities.length, method, gridSpacingM);
  const methods: Partial<Record<DemandMethod, number>> = {};
  for (const m of method) methods[m] = (methods[m] ?? 0) + 1;
  const report: DemandReport = {
    points: demand.owner.length,
    cell_m: cellM,
    methods,
    coarsened: {
      communities: coarsened.length,
      largest_spacing_m: largest > 0 ? Math.round(largest * 10) / 10 : null,
    },
    ...(weighted
      ? {
          weighting: {
            source: weighted.source,
            file: weighted.file,
            read: weighted.count,
            inside: weighted.start[communities.length]!,
            outside: weighted.outside,
            outside_weight: Math.round(weighted.outsideWeight * 10) / 10,
            communities_weighted: weightedCommunities,
            communities_even: even.length,
            ...(options.buildings ? { floors_column: options.buildings.floorsColumn } : {}),
          },
        }
      : {}),
  };
  return {
    demand,
    rejected,
    warnings,
    report,
  };
}

/**
 * Shares a community's population out over its weighted points in proportion to their weights;
 * false (nothing written) when it has none or they weigh nothing.
 */
function shareOut(weighted: WeightedPoints, c: number, population: number, writer: DemandWriter): boolean {
  const { start, coords, weight, sourceIndex } = weighted;
  let total = 0;
  for (let k = start[c]!; k < start[c + 1]!; k++) total += weight[k]!;
  if (!(total > 0)) return false;
  for (let k = start[c]!; k < start[c + 1]!; k++) {
    const w = weight[k]!;
    if (w > 0) writer.add(coords[2 * k]!, coords[2 * k + 1]!, (population * w) / total, c, sourceIndex[k]!);
  }
  return true;
}

/** `3 communities` / `1 community`. */
function countOf(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The first five items of a list, and how many more. */
function listed(items: readonly string[]): string {
  return `${items.slice(0, 5).join(', ')}${items.length > 5 ? ` and ${items.length - 5} more` : ''}`;
}

/**
 * Places for every demand point {@link buildDemand} writes: with a demand file, exactly the points
 * assigned to a community and one for each point community without any (so that the columns need no
 * trimming copy: 32 MB for a million points); room for the file's points and a point a community otherwise,
 * the writer growing for the rest (polygons spread over a grid).
 */
function demandCapacity(
  communities: readonly CommunityRecord[],
  columns: DemandColumns | undefined,
  assigned: { start: Uint32Array } | undefined,
): number {
  if (columns === undefined || assigned === undefined) return (columns?.count ?? 0) + communities.length;
  let capacity = assigned.start[communities.length]!;
  for (let c = 0; c < communities.length; c++) {
    if (assigned.start[c + 1]! > assigned.start[c]!) continue;
    // A polygon without points is spread over a grid of unknown size: the old room for everything.
    if (communities[c]!.geometry.type !== 'Point') return columns.count + communities.length;
    capacity++;
  }
  return capacity;
}

/**
 * The demand points of each community, in file order: community `c`'s points are
 * `order[start[c]] … order[start[c + 1] - 1]` (a counting sort, no list per community). A point goes
 * to the community its `community_id` names, else to the first polygon containing it; points that
 * fit no community go to `rejected`.
 */
function assignDemandPoints(
  communities: readonly CommunityRecord[],
  columns: DemandColumns,
  file: string,
  rejected: Rejection[],
): { start: Uint32Array; order: Uint32Array } {
  const indexOfId = new Map(communities.map((c, i) => [c.id, i]));
  const communityOfCode = Int32Array.from(columns.communityIds, (id) => indexOfId.get(id) ?? -1);
  let polygons: ReturnType<typeof communityIndex> | undefined;
  const { count, coords, community, sourceIndex, ids } = columns;
  const owner = new Int32Array(count);
  const start = new Uint32Array(communities.length + 1);
  const reject = (p: number, field: string, reason: string) =>
    rejected.push({ file, index: sourceIndex[p]!, id: ids?.[p] ?? null, field, reason });
  for (let p = 0; p < count; p++) {
    const code = community[p]!;
    let c: number;
    if (code >= 0) {
      c = communityOfCode[code]!;
      if (c < 0) reject(p, 'community_id', `no community has id '${columns.communityIds[code]}'`);
    } else {
      polygons ??= communityIndex(communities);
      // Overlapping polygons: the first community in input order takes the point.
      c = polygons.first(coords[2 * p]!, coords[2 * p + 1]!);
      if (c < 0) {
        reject(
          p,
          'geometry',
          'lies in no community polygon; give it a community_id property or extend the community polygons',
        );
      }
    }
    owner[p] = c;
    if (c >= 0) start[c + 1]!++;
  }
  for (let c = 0; c < communities.length; c++) start[c + 1]! += start[c]!;
  const next = start.slice(0, communities.length);
  const order = new Uint32Array(start[communities.length]!);
  for (let p = 0; p < count; p++) {
    const c = owner[p]!;
    if (c >= 0) order[next[c]!++] = p;
  }
  return { start, order };
}
