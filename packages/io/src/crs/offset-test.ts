import { DEFAULT_MAX_SNAP_M, networkExtent } from '@lifecircle/core/internal';
import Flatbush from 'flatbush';
import { bd09ToWgs84, gcj02ToWgs84 } from './chinese-web.js';

/**
 * The readings of a layer's coordinates that the offset test weighs: as read (already WGS84), or
 * GCJ-02 (AMap/Gaode, Tencent) or BD-09 (Baidu) to be converted to WGS84.
 */
export type OffsetHypothesis = 'as-read' | 'gcj02' | 'bd09';

/** Options of {@link offsetTest}; every field is optional. */
export interface OffsetTestOptions {
  /** Fewest points inside the reference's extent for the test to decide. Default {@link OFFSET_TEST_RULE}.minPoints. */
  readonly minPoints?: number;
  /** Most points measured (spread evenly over the layer), which bounds the work on large layers. Default 2000. */
  readonly maxPoints?: number;
}

/**
 * What the offset test found: the median distance from the layer's points to the nearest part of the
 * reference under each reading, and the reading the evidence supports, or null where it does not decide.
 * Field names are those of `summary.json` and `inspect --json`.
 */
export interface OffsetTestResult {
  /** Points measured: those inside the reference's extent under at least one reading, up to `maxPoints`. */
  readonly points: number;
  /** Median metres to the reference with the coordinates as read; null with no point measured. */
  readonly as_read_median_m: number | null;
  /** The same after converting the coordinates from GCJ-02 to WGS84. */
  readonly as_gcj02_median_m: number | null;
  /** The same after converting from BD-09 to WGS84. */
  readonly as_bd09_median_m: number | null;
  /** The reading that fits clearly better than the other two (see {@link OFFSET_TEST_RULE}), or null. */
  readonly better: OffsetHypothesis | null;
  /** Why `better` is what it is, in a sentence. */
  readonly reason: string;
}

/**
 * The decision rule of {@link offsetTest}. A reading is chosen only when (1) at least `minPoints`
 * points lie inside the reference's extent, (2) its median distance is at most `maxBestMedianM` (the
 * points do lie on the reference under it; farther, the reference does not describe where they are),
 * and (3) each other reading's median is at least `minRatio` times and `minDifferenceM` metres larger.
 * GCJ-02 moves positions in China by 300–700 m and BD-09 by a further 600–800 m, so on a street
 * network a wrong reading scatters points over the blocks, while the right one keeps them on the
 * streets: the ratio and the difference together keep a dense network (where scattered points still
 * fall near some street) from deciding on noise.
 */
export const OFFSET_TEST_RULE = {
  minPoints: 20,
  maxBestMedianM: 100,
  minRatio: 2,
  minDifferenceM: 10,
} as const;

/** Distances are searched up to this far; a point with nothing nearer counts as this far. */
const SEARCH_LIMIT_M = 2000;
const FIRST_RADIUS_M = 50;
const RADIUS_GROWTH = 4;
const METRES_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;
const RAD = Math.PI / 180;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPosition(value: unknown): value is [number, number] {
  return (
    Array.isArray(value) &&
    typeof value[0] === 'number' &&
    typeof value[1] === 'number' &&
    Number.isFinite(value[0]) &&
    Number.isFinite(value[1])
  );
}

/** Calls `line` with each line of a geometry (a LineString, a ring) and `point` with each lone position. */
function walkGeometry(
  geometry: unknown,
  line: (positions: readonly unknown[]) => void,
  point: (position: [number, number]) => void,
): void {
  if (!isRecord(geometry)) return;
  const c = geometry.coordinates;
  switch (geometry.type) {
    case 'Point':
      if (isPosition(c)) point(c);
      return;
    case 'MultiPoint':
      if (Array.isArray(c)) for (const p of c) if (isPosition(p)) point(p);
      return;
    case 'LineString':
      if (Array.isArray(c)) line(c);
      return;
    case 'MultiLineString':
    case 'Polygon':
      if (Array.isArray(c)) for (const l of c) if (Array.isArray(l)) line(l);
      return;
    case 'MultiPolygon':
      if (Array.isArray(c))
        for (const polygon of c)
          if (Array.isArray(polygon)) for (const l of polygon) if (Array.isArray(l)) line(l);
      return;
    case 'GeometryCollection':
      if (Array.isArray(geometry.geometries))
        for (const g of geometry.geometries) walkGeometry(g, line, point);
      return;
    default:
  }
}

function featuresOf(collection: unknown): readonly unknown[] {
  return isRecord(collection) && Array.isArray(collection.features) ? collection.features : [];
}

/**
 * A layer known to be in WGS84 (a road network, or any layer declared WGS84), indexed for the
 * distance from a position to its nearest segment or point. Lines and polygon outlines count by their
 * segments, points as they are.
 */
export class OffsetReference {
  /** Segment ends as x1, y1, x2, y2 in degrees; a point is a segment of no length. */
  private readonly segments: Float64Array;
  private readonly index: Flatbush | null;
  /** The reference's box as [west, south, east, north]; null when it holds no position. */
  readonly bbox: readonly [number, number, number, number] | null;
  /**
   * Whether a position lies in the reference's extent: the rule of a road network's extent in
   * `analyze` (core's `networkExtent`: the convex hull of every position, widened by the default
   * snapping distance), so that both call the same places "beyond the network's edge".
   */
  private readonly inExtent: (lon: number, lat: number) => boolean;

  constructor(collection: unknown) {
    const ends: number[] = [];
    const addLine = (positions: readonly unknown[]): void => {
      let previous: [number, number] | null = null;
      for (const p of positions) {
        if (!isPosition(p)) continue;
        if (previous) ends.push(previous[0], previous[1], p[0], p[1]);
        previous = p;
      }
      // A line of one usable position still says a road is there.
      if (previous && ends.length === 0) ends.push(previous[0], previous[1], previous[0], previous[1]);
    };
    for (const feature of featuresOf(collection)) {
      if (isRecord(feature))
        walkGeometry(feature.geometry, addLine, (p) => ends.push(p[0], p[1], p[0], p[1]));
    }
    this.segments = Float64Array.from(ends);
    const count = ends.length / 4;
    if (count === 0) {
      this.index = null;
      this.bbox = null;
      this.inExtent = () => false;
      return;
    }
    this.inExtent = networkExtent({ vertexCoords: this.segments }, DEFAULT_MAX_SNAP_M);
    const index = new Flatbush(count);
    let west = Number.POSITIVE_INFINITY;
    let south = Number.POSITIVE_INFINITY;
    let east = Number.NEGATIVE_INFINITY;
    let north = Number.NEGATIVE_INFINITY;
    for (let s = 0; s < count; s++) {
      const x1 = ends[4 * s]!;
      const y1 = ends[4 * s + 1]!;
      const x2 = ends[4 * s + 2]!;
      const y2 = ends[4 * s + 3]!;
      const minX = Math.min(x1, x2);
      const minY = Math.min(y1, y2);
      const maxX = Math.max(x1, x2);
      const maxY = Math.max(y1, y2);
      index.add(minX, minY, maxX, maxY);
      west = Math.min(west, minX);
      south = Math.min(south, minY);
      east = Math.max(east, maxX);
      north = Math.max(north, maxY);
    }
    index.finish();
    this.index = index;
    this.bbox = [west, south, east, north];
  }

  /** Whether a WGS84 position lies inside the reference's extent (see `inExtent`). */
  covers(lng: number, lat: number): boolean {
    return this.inExtent(lng, lat);
  }

  /**
   * Metres from a WGS84 position to the nearest segment or point of the reference, in a local
   * equirectangular frame at the position's latitude (exact to well under a metre at these
   * distances); 2000 m (the search limit) when nothing lies that near.
   */
  distanceM(lng: number, lat: number): number {
    const index = this.index;
    if (index === null) return SEARCH_LIMIT_M;
    const kx = METRES_PER_DEGREE * Math.cos(lat * RAD);
    const ky = METRES_PER_DEGREE;
    const ends = this.segments;
    let best2 = Number.POSITIVE_INFINITY;
    const consider = (s: number): boolean => {
      const ax = (ends[4 * s]! - lng) * kx;
      const ay = (ends[4 * s + 1]! - lat) * ky;
      const dx = (ends[4 * s + 2]! - lng) * kx - ax;
      const dy = (ends[4 * s + 3]! - lat) * ky - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2)) : 0;
      const fx = ax + t * dx;
      const fy = ay + t * dy;
      best2 = Math.min(best2, fx * fx + fy * fy);
      // Collect nothing: the filter sees every candidate and keeps the nearest.
      return false;
    };
    let radius = FIRST_RADIUS_M;
    for (;;) {
      index.search(lng - radius / kx, lat - radius / ky, lng + radius / kx, lat + radius / ky, consider);
      // Every segment nearer than `radius` meets the box, so none outside it can beat the best.
      if (best2 <= radius * radius || radius >= SEARCH_LIMIT_M) break;
      radius = Math.min(radius * RADIUS_GROWTH, SEARCH_LIMIT_M);
    }
    return Math.min(Math.sqrt(best2), SEARCH_LIMIT_M);
  }
}

/**
 * The positions of a layer to test: each point, and the vertices of lines and polygons (a community's
 * outline often follows streets), as interleaved lng, lat.
 */
export function layerPositions(collection: unknown): Float64Array {
  const xy: number[] = [];
  const add = (p: [number, number]): void => {
    xy.push(p[0], p[1]);
  };
  for (const feature of featuresOf(collection)) {
    if (!isRecord(feature)) continue;
    walkGeometry(
      feature.geometry,
      (positions) => {
        for (const p of positions) if (isPosition(p)) add(p);
      },
      add,
    );
  }
  return Float64Array.from(xy);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const m = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(m * 10) / 10;
}

const HYPOTHESES: readonly {
  readonly id: OffsetHypothesis;
  readonly convert: (lng: number, lat: number) => [number, number];
}[] = [
  { id: 'as-read', convert: (lng, lat) => [lng, lat] },
  { id: 'gcj02', convert: gcj02ToWgs84 },
  { id: 'bd09', convert: bd09ToWgs84 },
];

/** How each reading is named in sentences. */
export const OFFSET_HYPOTHESIS_LABELS: Readonly<Record<OffsetHypothesis, string>> = {
  'as-read': 'as read (WGS84)',
  gcj02: 'as GCJ-02 (AMap/Gaode, Tencent) converted to WGS84',
  bd09: 'as BD-09 (Baidu) converted to WGS84',
};

/**
 * Tests from evidence whether a layer's coordinates are WGS84 as read or GCJ-02 or BD-09 offsets of
 * it: the median distance from its points to a reference layer known in WGS84 (a road network, or
 * any layer declared WGS84) as read, after converting from GCJ-02, and after converting from BD-09.
 * Points of a correctly read layer lie on or near the streets; a 300–700 m offset scatters them over
 * the blocks. The reading with the clearly smallest median is `better` (the rule and its thresholds
 * are {@link OFFSET_TEST_RULE}); too few points inside the reference's extent, points far from it
 * under every reading, or medians too close together give null. Pure: no I/O.
 *
 * @param layer - the layer's features as read, in longitude/latitude (a FeatureCollection), or its
 *   positions as interleaved longitude, latitude (points gathered while streaming a file, say)
 * @param reference - a FeatureCollection in WGS84, or an {@link OffsetReference} built from one (to
 *   test several layers against one network)
 * @example
 * const test = offsetTest(facilities, roads); // the bundled city's facilities and roads
 * test.as_read_median_m;  // 26.5
 * test.as_gcj02_median_m; // 30.1
 * test.better;            // null: its facilities stand anywhere in their blocks, not at the streets
 */
export function offsetTest(
  layer: unknown,
  reference: unknown,
  options: OffsetTestOptions = {},
): OffsetTestResult {
  const minPoints = options.minPoints ?? OFFSET_TEST_RULE.minPoints;
  const maxPoints = options.maxPoints ?? 2000;
  const ref = reference instanceof OffsetReference ? reference : new OffsetReference(reference);
  const all = layer instanceof Float64Array ? layer : layerPositions(layer);
  const inside: number[] = [];
  // A point counts when any reading puts it inside the extent: judged as read alone, a layer at the
  // network's edge would lose exactly the points that a conversion moves onto it.
  for (let i = 0; i < all.length; i += 2) {
    if (HYPOTHESES.some((h) => ref.covers(...h.convert(all[i]!, all[i + 1]!))))
      inside.push(all[i]!, all[i + 1]!);
  }
  const count = inside.length / 2;
  const step = Math.max(1, count / maxPoints);
  const distances: number[][] = HYPOTHESES.map(() => []);
  for (let k = 0; k < Math.min(count, maxPoints); k++) {
    const i = Math.floor(k * step);
    HYPOTHESES.forEach((h, j) => {
      const [lng, lat] = h.convert(inside[2 * i]!, inside[2 * i + 1]!);
      distances[j]!.push(ref.distanceM(lng, lat));
    });
  }
  const medians = distances.map(median);
  const points = distances[0]!.length;
  const figures = {
    points,
    as_read_median_m: medians[0]!,
    as_gcj02_median_m: medians[1]!,
    as_bd09_median_m: medians[2]!,
  };
  if (points < minPoints) {
    return {
      ...figures,
      better: null,
      reason: `${points} point${points === 1 ? '' : 's'} inside the reference's extent; the test needs at least ${minPoints}`,
    };
  }
  const order = [0, 1, 2].sort((a, b) => medians[a]! - medians[b]!);
  const best = medians[order[0]!]!;
  const runnerUp = medians[order[1]!]!;
  const bestId = HYPOTHESES[order[0]!]!.id;
  if (best > OFFSET_TEST_RULE.maxBestMedianM) {
    return {
      ...figures,
      better: null,
      reason: `the points lie far from the reference under every reading (the nearest median is ${best} m, above ${OFFSET_TEST_RULE.maxBestMedianM} m)`,
    };
  }
  if (runnerUp < best * OFFSET_TEST_RULE.minRatio || runnerUp - best < OFFSET_TEST_RULE.minDifferenceM) {
    return {
      ...figures,
      better: null,
      reason: `no reading fits clearly better (${best} m ${OFFSET_HYPOTHESIS_LABELS[bestId]} against ${runnerUp} m ${OFFSET_HYPOTHESIS_LABELS[HYPOTHESES[order[1]!]!.id]}; the test needs ${OFFSET_TEST_RULE.minRatio}× and ${OFFSET_TEST_RULE.minDifferenceM} m)`,
    };
  }
  return {
    ...figures,
    better: bestId,
    reason: `${points} points lie ${best} m (median) from the reference ${OFFSET_HYPOTHESIS_LABELS[bestId]}, against ${runnerUp} m or more otherwise`,
  };
}
