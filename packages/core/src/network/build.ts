import { haversineM, METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { featureCollectionOf, positionProblem } from '../validate/features.js';
import { InputError, isRecord, type Rejection, type Warning } from '../validate/problems.js';
import type { RoadGraphArrays } from './arrays.js';
import { hilbertOrder } from './hilbert.js';
import { largestPiece, pieceLengths } from './pieces.js';
import { featureLabel, listSome, NETWORK_WARNING_CODES } from './problems.js';
import { BACKWARD, edgeKindOf, FORWARD, isWalkable, notWalkableReason, onewayDirection } from './tags.js';

/** Options of {@link RoadGraph.fromGeoJSON}; every field is optional. */
export interface RoadGraphOptions {
  /**
   * A line end that touches no other line but lies within this many metres of one is joined to it:
   * to its nearest vertex when that is within the tolerance too, else to the nearest point of the
   * segment (which is split there). Digitised networks are full of such near-misses; 1 m joins
   * them without joining streets that really end apart (a dead end stops metres short, not
   * centimetres). Lines that cross without a shared coordinate are never joined (a bridge or a
   * tunnel crossing a street). 0 joins only exactly shared coordinates. Default 1.
   */
  joinToleranceM?: number;
  /**
   * Honour one-way tags (`oneway:foot`, else `oneway` and `junction=roundabout`, see
   * `onewayDirection`). Walkers use one-way streets in both directions, so by default they are
   * ignored; turn this on for a network whose one-way tags are meant for pedestrians. Default false.
   */
  oneway?: boolean;
  /** Decides from a feature's properties whether it can be walked. Default `isWalkable`. */
  walkable?: (properties: Readonly<Record<string, unknown>>) => boolean;
  /** Name of the input in rejections and warnings. Default `roads`. */
  file?: string;
}

const defaultOptions: Required<RoadGraphOptions> = {
  joinToleranceM: 1,
  oneway: false,
  walkable: isWalkable,
  file: 'roads',
};

/** Non-walkable road lines left out for one reason: how many and how long. */
export interface NotWalkableCount {
  readonly features: number;
  /** Their length along the lines, in metres. */
  readonly length_m: number;
}

/** Counts that describe a build, for reports and benchmarks. */
export interface RoadGraphStats {
  /** Features in the input. */
  readonly features: number;
  /** Features left out because they cannot be walked (motorways, `foot=no`, …). */
  readonly notWalkable: number;
  /**
   * The features of {@link RoadGraphStats.notWalkable} by the tag that closes them (see
   * `notWalkableReason`; `walkable option` for lines a custom `walkable` rule leaves out), with
   * their number and length in metres.
   */
  readonly notWalkableByReason: Readonly<Record<string, NotWalkableCount>>;
  readonly rejected: number;
  /** Lines (LineStrings and MultiLineString parts) in the graph. */
  readonly lines: number;
  /** Line ends joined to another line within the tolerance; `splitSegments` of them mid-segment. */
  readonly joinedEnds: number;
  readonly splitSegments: number;
  readonly nodes: number;
  readonly edges: number;
  readonly components: number;
  /** Share of the street length in the largest component. */
  readonly largestComponentShare: number;
}

/**
 * Reads road lines into the arrays of a {@link RoadGraph}. Exposed for {@link RoadGraph.fromGeoJSON};
 * see there.
 */
export function buildRoadGraphArrays(
  roads: unknown,
  options: RoadGraphOptions = {},
): { arrays: RoadGraphArrays; rejected: Rejection[]; warnings: Warning[]; stats: RoadGraphStats } {
  const { joinToleranceM, oneway, walkable, file } = { ...defaultOptions, ...options };
  if (!(joinToleranceM >= 0) || !Number.isFinite(joinToleranceM)) {
    throw new Error(`joinToleranceM must be a finite number of metres >= 0, got ${joinToleranceM}.`);
  }
  const { features, warnings } = featureCollectionOf(roads, file);
  const rejected: Rejection[] = [];
  const lines = readLines(features, file, walkable, oneway, rejected);
  if (lines.partFeature.length === 0) {
    throw new InputError(
      file,
      `no walkable line: ${features.length} features, ${lines.notWalkable} not walkable, ${rejected.length} rejected${rejected[0] ? ` (the first: feature ${rejected[0].index}: ${rejected[0].reason})` : ''}. Expected LineString or MultiLineString roads.`,
    );
  }

  const vertices = uniqueVertices(lines.coords);
  const join = joinNearMisses(lines, vertices, joinToleranceM);
  if (join.joined.length > 0) {
    const labels = join.joined.map((f) => {
      const feature = features[f] as Record<string, unknown>;
      return featureLabel(f, featureIdOf(feature, isRecord(feature.properties) ? feature.properties : {}));
    });
    warnings.push({
      code: NETWORK_WARNING_CODES.nearMissJoined,
      file,
      field: 'geometry',
      message: `${join.joined.length} line end${join.joined.length === 1 ? '' : 's'} lay within ${joinToleranceM} m of another line without touching it and ${join.joined.length === 1 ? 'was' : 'were'} joined to it (${join.splits} mid-segment): ${listSome(labels)}`,
    });
  }
  const driveOnly = driveOnlyWarning(lines.highways, file);
  if (driveOnly) warnings.push(driveOnly);
  const arrays = assemble(lines, vertices, join);
  const share = largestComponentShare(arrays);
  if (arrays.componentCount > 1) {
    warnings.push({
      code: NETWORK_WARNING_CODES.disconnected,
      file,
      field: 'geometry',
      message: `the walkable network falls into ${arrays.componentCount} pieces not joined to each other; the largest holds ${(share * 100).toFixed(1)}% of the street length. Points on a smaller piece reach only what lies on the same piece.`,
    });
  }
  return {
    arrays,
    rejected,
    warnings,
    stats: {
      features: features.length,
      notWalkable: lines.notWalkable,
      notWalkableByReason: lines.notWalkableByReason,
      rejected: rejected.length,
      lines: lines.partFeature.length,
      joinedEnds: join.joined.length,
      splitSegments: join.splits,
      nodes: arrays.nodeCoords.length >> 1,
      edges: arrays.edgeFrom.length,
      components: arrays.componentCount,
      largestComponentShare: share,
    },
  };
}

/** Walkable lines as flat arrays: the vertices of part `p` are `partStart[p] … partStart[p + 1] - 1`. */
interface Lines {
  readonly coords: Float64Array;
  readonly partStart: Uint32Array;
  readonly partFeature: Uint32Array;
  readonly partDirection: Uint8Array;
  /** Kind bits of each part's line (steps, raised kerb …), see `edgeKindOf`. */
  readonly partKind: Uint8Array;
  readonly notWalkable: number;
  readonly notWalkableByReason: Readonly<Record<string, NotWalkableCount>>;
  /** Walkable lines per `highway` value (lines without the tag are not counted). */
  readonly highways: ReadonlyMap<string, number>;
}

/**
 * `highway` values of the ways a pedestrian network has and a drive network leaves out: a network
 * whose tagged lines include none of them was extracted for cars.
 */
const PEDESTRIAN_SCALE_HIGHWAYS: ReadonlySet<string> = new Set([
  'footway',
  'path',
  'pedestrian',
  'residential',
  'living_street',
  'steps',
]);

/**
 * The warning for a drive-only network: tagged lines, none at a pedestrian's scale. Lines without
 * a `highway` tag (a bureau's centreline file) say nothing either way, so they never warn.
 */
function driveOnlyWarning(highways: ReadonlyMap<string, number>, file: string): Warning | null {
  if (highways.size === 0) return null;
  for (const value of highways.keys()) if (PEDESTRIAN_SCALE_HIGHWAYS.has(value)) return null;
  const found = [...highways.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([value, count]) => `${value} ${count}`);
  return {
    code: NETWORK_WARNING_CODES.driveOnly,
    file,
    field: 'highway',
    message: `no footway, path, pedestrian or residential ways among the walkable lines (highway tags found: ${listSome(found, 8)}): this looks like a drive network, and walking distances over it will be too long, since the footpaths and side streets a walker takes are missing.`,
  };
}

function featureIdOf(feature: Record<string, unknown>, properties: Record<string, unknown>): string | null {
  const raw = properties.id ?? feature.id;
  if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return null;
}

/** The parts of a line geometry as position arrays, or why it cannot be used. */
function lineParts(geometry: unknown): unknown[][] | string {
  if (!isRecord(geometry)) return 'missing or null geometry';
  let parts: unknown[];
  if (geometry.type === 'LineString') parts = [geometry.coordinates];
  else if (geometry.type === 'MultiLineString') {
    if (!Array.isArray(geometry.coordinates) || geometry.coordinates.length === 0) {
      return 'MultiLineString has no lines';
    }
    parts = geometry.coordinates;
  } else {
    return `geometry type ${JSON.stringify(geometry.type)} is not a road line; expected LineString or MultiLineString`;
  }
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    const label = parts.length > 1 ? `line ${p}` : 'line';
    if (!Array.isArray(part)) return `${label} is not an array of positions`;
    let distinct = 0;
    let previous: unknown[] | null = null;
    for (const position of part) {
      const problem = positionProblem(position);
      if (problem) return `${label}: ${problem}`;
      const xy = position as number[];
      if (previous === null || previous[0] !== xy[0] || previous[1] !== xy[1]) distinct++;
      previous = xy;
    }
    if (distinct < 2)
      return `${label} has ${distinct} distinct position${distinct === 1 ? '' : 's'}; a line needs 2`;
  }
  return parts as unknown[][];
}

function readLines(
  features: readonly unknown[],
  file: string,
  walkable: (properties: Readonly<Record<string, unknown>>) => boolean,
  oneway: boolean,
  rejected: Rejection[],
): Lines {
  const coords = new GrowableF64(1 << 16);
  const partStart: number[] = [];
  const partFeature: number[] = [];
  const partDirection: number[] = [];
  const partKind: number[] = [];
  const highways = new Map<string, number>();
  let notWalkable = 0;
  const notWalkableByReason: Record<string, NotWalkableCount> = {};
  for (let index = 0; index < features.length; index++) {
    const feature = features[index];
    if (!isRecord(feature) || feature.type !== 'Feature') {
      rejected.push({ file, index, id: null, field: 'type', reason: 'expected a GeoJSON Feature object' });
      continue;
    }
    const properties = isRecord(feature.properties) ? feature.properties : {};
    const id = featureIdOf(feature, properties);
    const parts = lineParts(feature.geometry);
    if (typeof parts === 'string') {
      rejected.push({ file, index, id, field: 'geometry', reason: parts });
      continue;
    }
    const closed =
      walkable === isWalkable
        ? notWalkableReason(properties)
        : walkable(properties)
          ? null
          : 'walkable option';
    if (closed !== null) {
      notWalkable++;
      const count = notWalkableByReason[closed] ?? { features: 0, length_m: 0 };
      notWalkableByReason[closed] = {
        features: count.features + 1,
        length_m: count.length_m + partsLengthM(parts),
      };
      continue;
    }
    const highway = properties.highway;
    if (typeof highway === 'string' && highway.trim() !== '') {
      const value = highway.trim().toLowerCase();
      highways.set(value, (highways.get(value) ?? 0) + 1);
    }
    const direction = oneway ? onewayDirection(properties) : 'both';
    const flags =
      direction === 'forward' ? FORWARD : direction === 'backward' ? BACKWARD : FORWARD | BACKWARD;
    const kind = edgeKindOf(properties);
    for (const part of parts) {
      partStart.push(coords.length >> 1);
      partFeature.push(index);
      partDirection.push(flags);
      partKind.push(kind);
      let lastLon = Number.NaN;
      let lastLat = Number.NaN;
      for (const position of part) {
        // `+ 0` turns -0 into 0 so that equal positions have equal bits in the vertex hash.
        const lon = (position as number[])[0]! + 0;
        const lat = (position as number[])[1]! + 0;
        if (lon === lastLon && lat === lastLat) continue;
        coords.push(lon);
        coords.push(lat);
        lastLon = lon;
        lastLat = lat;
      }
    }
  }
  partStart.push(coords.length >> 1);
  return {
    coords: coords.finish(),
    partStart: Uint32Array.from(partStart),
    partFeature: Uint32Array.from(partFeature),
    partDirection: Uint8Array.from(partDirection),
    partKind: Uint8Array.from(partKind),
    notWalkable,
    notWalkableByReason,
    highways,
  };
}

/** Length of a line's parts along their positions, in metres. */
function partsLengthM(parts: readonly unknown[][]): number {
  let length = 0;
  for (const part of parts) {
    for (let i = 1; i < part.length; i++) {
      const a = part[i - 1] as number[];
      const b = part[i] as number[];
      length += haversineM(a[0]!, a[1]!, b[0]!, b[1]!);
    }
  }
  return length;
}

/** Distinct positions: `of[i]` is the distinct vertex of input vertex `i`, `first[u]` its first input vertex. */
interface Vertices {
  readonly of: Int32Array;
  readonly first: Uint32Array;
  readonly count: number;
  /** Input vertices per distinct vertex. */
  readonly uses: Uint32Array;
  /** 1 when the distinct vertex is the first or last vertex of a line. */
  readonly isEnd: Uint8Array;
}

// Positions are deduplicated by their exact bits in an open-addressing hash table: an order of
// magnitude faster than a Map keyed by strings on networks of a million vertices.
function uniqueVertices(coords: Float64Array): Vertices {
  const n = coords.length >> 1;
  const bits = new Uint32Array(coords.buffer, coords.byteOffset, coords.length * 2);
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const of = new Int32Array(n);
  const first = new Uint32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const a = bits[4 * i]!;
    const b = bits[4 * i + 1]!;
    const c = bits[4 * i + 2]!;
    const d = bits[4 * i + 3]!;
    let h =
      Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) ^
      Math.imul(c ^ Math.imul(d, 0xc2b2ae35), 0x27d4eb2f);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    let slot = h & mask;
    const lon = coords[2 * i]!;
    const lat = coords[2 * i + 1]!;
    for (;;) {
      const u = table[slot]!;
      if (u < 0) {
        table[slot] = count;
        first[count] = i;
        of[i] = count++;
        break;
      }
      const j = first[u]!;
      if (coords[2 * j] === lon && coords[2 * j + 1] === lat) {
        of[i] = u;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { of, first, count, uses: new Uint32Array(count), isEnd: new Uint8Array(count) };
}

// Side of the grid cells that hold dangling line ends while near-misses are looked for.
const GRID_CELL_M = 100;

/** Near-misses resolved: a union-find over distinct vertices plus the split points added on segments. */
interface Join {
  /** Union-find parent over distinct vertices, then split points (`count + k`). */
  readonly parent: Int32Array;
  /** Positions of the split points, interleaved lon/lat. */
  readonly splitCoords: number[];
  /** Per split point: the input segment (its first input vertex) and the fraction along it. */
  readonly splitSegment: number[];
  readonly splitFraction: number[];
  /** Feature index of every joined line end. */
  readonly joined: number[];
  readonly splits: number;
}

function find(parent: Int32Array, x: number): number {
  let root = x;
  while (parent[root]! !== root) root = parent[root]!;
  while (parent[x]! !== root) {
    const next = parent[x]!;
    parent[x] = root;
    x = next;
  }
  return root;
}

/**
 * Joins dangling line ends (touching no other line) to the nearest other line within `toleranceM`:
 * to its nearest vertex when that is within the tolerance too, else to the foot of the
 * perpendicular, which becomes a new vertex splitting the segment. Distances are measured in a
 * local equirectangular frame at the line end's latitude (exact to well under a millimetre at 1 m).
 */
function joinNearMisses(lines: Lines, vertices: Vertices, toleranceM: number): Join {
  const { coords, partStart } = lines;
  const parts = lines.partFeature.length;
  for (let i = 0; i < vertices.of.length; i++) vertices.uses[vertices.of[i]!]!++;
  const dangling: number[] = [];
  for (let p = 0; p < parts; p++) {
    for (const i of [partStart[p]!, partStart[p + 1]! - 1]) {
      const u = vertices.of[i]!;
      vertices.isEnd[u] = 1;
      if (vertices.uses[u] === 1) dangling.push(p, i);
    }
  }
  const parent = new Int32Array(vertices.count + (dangling.length >> 1));
  for (let k = 0; k < parent.length; k++) parent[k] = k;
  const join: Join = { parent, splitCoords: [], splitSegment: [], splitFraction: [], joined: [], splits: 0 };
  if (toleranceM === 0 || dangling.length === 0) return join;

  // The dangling ends go into a grid of 100 m cells (there are few of them), and every input
  // segment looks up the cells its box (widened by the tolerance) covers: cheaper than indexing
  // every segment to answer a few hundred queries.
  const ends = dangling.length >> 1;
  const ky = METRES_PER_DEGREE;
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < ends; k++) {
    const i = dangling[2 * k + 1]!;
    minX = Math.min(minX, coords[2 * i]!);
    maxX = Math.max(maxX, coords[2 * i]!);
    minY = Math.min(minY, coords[2 * i + 1]!);
    maxY = Math.max(maxY, coords[2 * i + 1]!);
  }
  // Degrees of longitude per metre are largest at the highest latitude: use it for every box.
  const widest = metresPerDegreeLon(Math.min(89, Math.max(Math.abs(minY), Math.abs(maxY)) + 0.01));
  const cellLon = GRID_CELL_M / widest;
  const cellLat = GRID_CELL_M / ky;
  const cols = Math.floor((maxX - minX) / cellLon) + 1;
  const rows = Math.floor((maxY - minY) / cellLat) + 1;
  const grid = new Map<number, number[]>();
  for (let k = 0; k < ends; k++) {
    const i = dangling[2 * k + 1]!;
    const key =
      Math.floor((coords[2 * i + 1]! - minY) / cellLat) * cols +
      Math.floor((coords[2 * i]! - minX) / cellLon);
    const list = grid.get(key);
    if (list) list.push(k);
    else grid.set(key, [k]);
  }
  const dLon = toleranceM / widest;
  const dLat = toleranceM / ky;
  const endKx = Float64Array.from({ length: ends }, (_, k) =>
    metresPerDegreeLon(coords[2 * dangling[2 * k + 1]! + 1]!),
  );
  const best2 = new Float64Array(ends).fill(toleranceM * toleranceM);
  const bestStart = new Int32Array(ends).fill(-1);
  const bestT = new Float64Array(ends);
  for (let p = 0; p < parts; p++) {
    for (let a = partStart[p]!; a < partStart[p + 1]! - 1; a++) {
      const x0 = coords[2 * a]!;
      const y0 = coords[2 * a + 1]!;
      const x1 = coords[2 * a + 2]!;
      const y1 = coords[2 * a + 3]!;
      const cx0 = Math.max(0, Math.floor((Math.min(x0, x1) - dLon - minX) / cellLon));
      const cx1 = Math.min(cols - 1, Math.floor((Math.max(x0, x1) + dLon - minX) / cellLon));
      const cy0 = Math.max(0, Math.floor((Math.min(y0, y1) - dLat - minY) / cellLat));
      const cy1 = Math.min(rows - 1, Math.floor((Math.max(y0, y1) + dLat - minY) / cellLat));
      for (let cy = cy0; cy <= cy1; cy++) {
        for (let cx = cx0; cx <= cx1; cx++) {
          const list = grid.get(cy * cols + cx);
          if (!list) continue;
          for (const k of list) {
            if (dangling[2 * k] === p) continue;
            const i = dangling[2 * k + 1]!;
            const px = coords[2 * i]!;
            const py = coords[2 * i + 1]!;
            const kx = endKx[k]!;
            const ax = (x0 - px) * kx;
            const ay = (y0 - py) * ky;
            const dx = (x1 - px) * kx - ax;
            const dy = (y1 - py) * ky - ay;
            const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy)));
            const fx = ax + t * dx;
            const fy = ay + t * dy;
            const d2 = fx * fx + fy * fy;
            if (d2 < best2[k]! || (d2 === best2[k]! && bestStart[k]! >= 0 && a < bestStart[k]!)) {
              best2[k] = d2;
              bestStart[k] = a;
              bestT[k] = t;
            }
          }
        }
      }
    }
  }

  // Join in the order of the line ends, so the result does not depend on the grid.
  let splits = 0;
  const tol2 = toleranceM * toleranceM;
  for (let k = 0; k < ends; k++) {
    const a = bestStart[k]!;
    if (a < 0) continue;
    const p = dangling[2 * k]!;
    const i = dangling[2 * k + 1]!;
    const px = coords[2 * i]!;
    const py = coords[2 * i + 1]!;
    const kx = endKx[k]!;
    const t = bestT[k]!;
    const dA = localDistance2(coords, a, px, py, kx, ky);
    const dB = localDistance2(coords, a + 1, px, py, kx, ky);
    const u = find(parent, vertices.of[i]!);
    let into: number;
    if (Math.min(dA, dB) <= tol2) {
      into = find(parent, vertices.of[dA <= dB ? a : a + 1]!);
    } else {
      into = vertices.count + splits++;
      join.splitCoords.push(
        coords[2 * a]! + t * (coords[2 * a + 2]! - coords[2 * a]!),
        coords[2 * a + 1]! + t * (coords[2 * a + 3]! - coords[2 * a + 1]!),
      );
      join.splitSegment.push(a);
      join.splitFraction.push(t);
    }
    if (into === u) continue;
    parent[u] = into;
    join.joined.push(lines.partFeature[p]!);
  }
  return { ...join, splits };
}

function localDistance2(
  coords: Float64Array,
  i: number,
  px: number,
  py: number,
  kx: number,
  ky: number,
): number {
  const dx = (coords[2 * i]! - px) * kx;
  const dy = (coords[2 * i + 1]! - py) * ky;
  return dx * dx + dy * dy;
}

/** Growable typed arrays for the edge lists, whose final size is known only at the end. */
class GrowableF64 {
  data: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = x;
  }
  finish(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

class GrowableU32 {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = x;
  }
  finish(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Cuts the joined lines into edges at nodes (line ends, and vertices used more than once) and
 * builds the CSR adjacency, components and the segment index.
 */
function assemble(lines: Lines, vertices: Vertices, join: Join): RoadGraphArrays {
  const { coords, partStart, partFeature, partDirection, partKind } = lines;
  const parts = partFeature.length;
  const { parent } = join;
  const distinct = vertices.count;
  const splitCount = join.splitSegment.length;
  // Positions of the distinct vertices, then of the split points.
  const repCoords = new Float64Array(2 * (distinct + splitCount));
  for (let u = 0; u < distinct; u++) {
    repCoords[2 * u] = coords[2 * vertices.first[u]!]!;
    repCoords[2 * u + 1] = coords[2 * vertices.first[u]! + 1]!;
  }
  for (let k = 0; k < 2 * splitCount; k++) repCoords[2 * distinct + k] = join.splitCoords[k]!;
  const positionOf = (rep: number, axis: 0 | 1): number => repCoords[2 * rep + axis]!;

  // Split points per input segment, in order along it.
  const splitsAt = new Map<number, number[]>();
  for (let k = 0; k < splitCount; k++) {
    const list = splitsAt.get(join.splitSegment[k]!) ?? [];
    list.push(k);
    splitsAt.set(join.splitSegment[k]!, list);
  }
  for (const list of splitsAt.values()) list.sort((x, y) => join.splitFraction[x]! - join.splitFraction[y]!);

  // Each line as a sequence of representative vertices, without consecutive repeats.
  const sequence = new Int32Array(vertices.of.length + splitCount);
  const sequenceStart = new Uint32Array(parts + 1);
  let length = 0;
  let lineStart = 0;
  const push = (rep: number): void => {
    if (length > lineStart && sequence[length - 1] === rep) return;
    sequence[length++] = rep;
  };
  for (let p = 0; p < parts; p++) {
    lineStart = length;
    sequenceStart[p] = length;
    for (let i = partStart[p]!; i < partStart[p + 1]!; i++) {
      push(find(parent, vertices.of[i]!));
      const here = splitsAt.get(i);
      if (here) for (const k of here) push(find(parent, distinct + k));
    }
    // A line whose ends were joined onto each other with nothing between collapses to one vertex.
    if (length - sequenceStart[p]! < 2) length = sequenceStart[p]!;
  }
  sequenceStart[parts] = length;

  // Nodes: line ends, and vertices that occur more than once (shared by lines, or a line crossing itself).
  const reps = distinct + splitCount;
  const occurrences = new Uint32Array(reps);
  const isNode = new Uint8Array(reps);
  for (let p = 0; p < parts; p++) {
    const a = sequenceStart[p]!;
    const b = sequenceStart[p + 1]!;
    if (b - a < 2) continue;
    isNode[sequence[a]!] = 1;
    isNode[sequence[b - 1]!] = 1;
    for (let k = a; k < b; k++) occurrences[sequence[k]!]!++;
  }
  const nodeOf = new Int32Array(reps).fill(-1);
  const nodeCoordsList = new GrowableF64(2 * reps);
  let nodes = 0;
  for (let k = 0; k < length; k++) {
    const rep = sequence[k]!;
    if ((isNode[rep] || occurrences[rep]! > 1) && nodeOf[rep] === -1) {
      isNode[rep] = 1;
      nodeOf[rep] = nodes++;
      nodeCoordsList.push(positionOf(rep, 0));
      nodeCoordsList.push(positionOf(rep, 1));
    }
  }

  // Edges between consecutive nodes along each line, with their vertices and lengths.
  const edgeFrom = new GrowableU32(parts);
  const edgeTo = new GrowableU32(parts);
  const edgeLength = new GrowableF64(parts);
  const edgeDirectionList: number[] = [];
  const edgeKindList: number[] = [];
  const edgeFeature = new GrowableU32(parts);
  const edgeVertexStart = new GrowableU32(parts + 1);
  const vertexCoords = new GrowableF64(2 * length);
  const vertexDistance = new GrowableF64(length);
  for (let p = 0; p < parts; p++) {
    const a = sequenceStart[p]!;
    const b = sequenceStart[p + 1]!;
    if (b - a < 2) continue;
    let start = a;
    for (let k = a + 1; k < b; k++) {
      if (!isNode[sequence[k]!]) continue;
      edgeVertexStart.push(vertexDistance.length);
      let along = 0;
      let lon0 = positionOf(sequence[start]!, 0);
      let lat0 = positionOf(sequence[start]!, 1);
      for (let j = start; j <= k; j++) {
        const lon = positionOf(sequence[j]!, 0);
        const lat = positionOf(sequence[j]!, 1);
        along += haversineM(lon0, lat0, lon, lat);
        vertexCoords.push(lon);
        vertexCoords.push(lat);
        vertexDistance.push(along);
        lon0 = lon;
        lat0 = lat;
      }
      edgeFrom.push(nodeOf[sequence[start]!]!);
      edgeTo.push(nodeOf[sequence[k]!]!);
      edgeLength.push(along);
      edgeDirectionList.push(partDirection[p]!);
      edgeKindList.push(partKind[p]!);
      edgeFeature.push(partFeature[p]!);
      start = k;
    }
  }
  edgeVertexStart.push(vertexDistance.length);

  const spatial = spatialOrder({
    nodeCoords: nodeCoordsList.finish(),
    edgeFrom: edgeFrom.finish(),
    edgeTo: edgeTo.finish(),
    edgeLength: edgeLength.finish(),
    edgeDirection: Uint8Array.from(edgeDirectionList),
    edgeFeature: edgeFeature.finish(),
    edgeKind: Uint8Array.from(edgeKindList),
    edgeVertexStart: edgeVertexStart.finish(),
    vertexCoords: vertexCoords.finish(),
    vertexDistance: vertexDistance.finish(),
  });
  const { edgeFrom: from, edgeTo: to, edgeLength: lengths, edgeDirection: direction } = spatial;
  const forward = adjacency(nodes, from, to, lengths, lengths, direction, false);
  const directed = direction.some((d) => d !== (FORWARD | BACKWARD));
  const reverse = directed ? adjacency(nodes, from, to, lengths, lengths, direction, true) : forward;
  const { component, componentCount } = components(nodes, from, to);
  const segments = segmentMaps(spatial.edgeVertexStart);
  return {
    ...spatial,
    ...arcArrays(forward, reverse),
    component,
    componentCount,
    ...segments,
    // A graph in metres costs the same both ways: the cost arrays are the length arrays.
    edgeForwardCost: lengths,
    edgeBackwardCost: lengths,
    vertexForwardCost: spatial.vertexDistance,
    vertexBackwardCost: spatial.vertexDistance,
    costUnit: 'm',
    legCostPerM: 1,
  };
}

type EdgeLists = Pick<
  RoadGraphArrays,
  | 'nodeCoords'
  | 'edgeFrom'
  | 'edgeTo'
  | 'edgeLength'
  | 'edgeDirection'
  | 'edgeFeature'
  | 'edgeKind'
  | 'edgeVertexStart'
  | 'vertexCoords'
  | 'vertexDistance'
>;

/**
 * Renumbers nodes along a Hilbert curve and edges by their start node, so that nodes and edges near
 * each other on the ground are near each other in memory whatever order the input file had (OSM
 * exports come sorted by way id, which scatters a neighbourhood over the whole file). Searches
 * then touch few cache lines; see hilbert.ts.
 */
function spatialOrder(lists: EdgeLists): EdgeLists {
  const nodes = lists.nodeCoords.length >> 1;
  const edges = lists.edgeFrom.length;
  const nodeOrder = hilbertOrder(
    nodes,
    (i) => lists.nodeCoords[2 * i]!,
    (i) => lists.nodeCoords[2 * i + 1]!,
  );
  const newNode = new Uint32Array(nodes);
  const nodeCoords = new Float64Array(2 * nodes);
  for (let k = 0; k < nodes; k++) {
    const old = nodeOrder[k]!;
    newNode[old] = k;
    nodeCoords[2 * k] = lists.nodeCoords[2 * old]!;
    nodeCoords[2 * k + 1] = lists.nodeCoords[2 * old + 1]!;
  }
  // Edges by (new start node, input order): a counting sort, stable.
  const start = new Uint32Array(nodes + 1);
  for (let e = 0; e < edges; e++) start[newNode[lists.edgeFrom[e]!]! + 1]!++;
  for (let u = 0; u < nodes; u++) start[u + 1]! += start[u]!;
  const edgeOrder = new Uint32Array(edges);
  for (let e = 0; e < edges; e++) edgeOrder[start[newNode[lists.edgeFrom[e]!]!]!++] = e;

  const edgeFrom = new Uint32Array(edges);
  const edgeTo = new Uint32Array(edges);
  const edgeLength = new Float64Array(edges);
  const edgeDirection = new Uint8Array(edges);
  const edgeFeature = new Uint32Array(edges);
  const edgeKind = new Uint8Array(edges);
  const edgeVertexStart = new Uint32Array(edges + 1);
  const vertexCoords = new Float64Array(lists.vertexCoords.length);
  const vertexDistance = new Float64Array(lists.vertexDistance.length);
  let v = 0;
  for (let k = 0; k < edges; k++) {
    const e = edgeOrder[k]!;
    edgeFrom[k] = newNode[lists.edgeFrom[e]!]!;
    edgeTo[k] = newNode[lists.edgeTo[e]!]!;
    edgeLength[k] = lists.edgeLength[e]!;
    edgeDirection[k] = lists.edgeDirection[e]!;
    edgeFeature[k] = lists.edgeFeature[e]!;
    edgeKind[k] = lists.edgeKind[e]!;
    edgeVertexStart[k] = v;
    const a = lists.edgeVertexStart[e]!;
    const b = lists.edgeVertexStart[e + 1]!;
    for (let j = a; j < b; j++) {
      vertexCoords[2 * (v + j - a)] = lists.vertexCoords[2 * j]!;
      vertexCoords[2 * (v + j - a) + 1] = lists.vertexCoords[2 * j + 1]!;
      vertexDistance[v + j - a] = lists.vertexDistance[j]!;
    }
    v += b - a;
  }
  edgeVertexStart[edges] = v;
  return {
    nodeCoords,
    edgeFrom,
    edgeTo,
    edgeLength,
    edgeDirection,
    edgeFeature,
    edgeKind,
    edgeVertexStart,
    vertexCoords,
    vertexDistance,
  };
}

/** A graph's adjacency from one CSR per direction. */
type Adjacency = ReturnType<typeof adjacency>;

/** The graph's arc arrays (forward and reverse CSR) under their names in {@link RoadGraphArrays}. */
export function arcArrays(
  forward: Adjacency,
  reverse: Adjacency,
): Pick<
  RoadGraphArrays,
  | 'offsets'
  | 'target'
  | 'length'
  | 'arcEdge'
  | 'reverseOffsets'
  | 'reverseSource'
  | 'reverseLength'
  | 'reverseArcEdge'
> {
  return {
    offsets: forward.offsets,
    target: forward.other,
    length: forward.length,
    arcEdge: forward.edge,
    reverseOffsets: reverse.offsets,
    reverseSource: reverse.other,
    reverseLength: reverse.length,
    reverseArcEdge: reverse.edge,
  };
}

/**
 * CSR adjacency: arcs leaving each node (`reverse` false) or entering it (`reverse` true), in edge
 * order within a node. A two-way edge is an arc each way; a self-loop appears twice at its node.
 * An arc walking edge `e` from its start to its end costs `forwardCost[e]`, the other way
 * `backwardCost[e]` (both the edge lengths in a graph in metres).
 */
export function adjacency(
  nodes: number,
  from: Uint32Array,
  to: Uint32Array,
  forwardCost: Float64Array,
  backwardCost: Float64Array,
  direction: Uint8Array,
  reverse: boolean,
): { offsets: Uint32Array; other: Uint32Array; length: Float64Array; edge: Uint32Array } {
  const edges = from.length;
  const offsets = new Uint32Array(nodes + 1);
  // An arc u→v exists for a FORWARD edge from→to and a BACKWARD edge to→from; listed at u (forward
  // adjacency) or at v (reverse adjacency).
  const at = (e: number, forwardArc: boolean): number => (forwardArc !== reverse ? from[e]! : to[e]!);
  for (let e = 0; e < edges; e++) {
    if (direction[e]! & FORWARD) offsets[at(e, true) + 1]!++;
    if (direction[e]! & BACKWARD) offsets[at(e, false) + 1]!++;
  }
  for (let u = 0; u < nodes; u++) offsets[u + 1]! += offsets[u]!;
  const arcs = offsets[nodes]!;
  const other = new Uint32Array(arcs);
  const length = new Float64Array(arcs);
  const edge = new Uint32Array(arcs);
  const cursor = offsets.slice(0, nodes);
  for (let e = 0; e < edges; e++) {
    if (direction[e]! & FORWARD) {
      const u = at(e, true);
      const k = cursor[u]!++;
      other[k] = reverse ? from[e]! : to[e]!;
      length[k] = forwardCost[e]!;
      edge[k] = e;
    }
    if (direction[e]! & BACKWARD) {
      const u = at(e, false);
      const k = cursor[u]!++;
      other[k] = reverse ? to[e]! : from[e]!;
      length[k] = backwardCost[e]!;
      edge[k] = e;
    }
  }
  return { offsets, other, length, edge };
}

/** Connected components (one-way restrictions ignored), numbered in order of their first node. */
function components(
  nodes: number,
  from: Uint32Array,
  to: Uint32Array,
): { component: Uint32Array; componentCount: number } {
  const parent = new Int32Array(nodes);
  for (let u = 0; u < nodes; u++) parent[u] = u;
  for (let e = 0; e < from.length; e++) {
    const a = find(parent, from[e]!);
    const b = find(parent, to[e]!);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const component = new Uint32Array(nodes);
  const label = new Int32Array(nodes).fill(-1);
  let count = 0;
  for (let u = 0; u < nodes; u++) {
    const root = find(parent, u);
    if (label[root] === -1) label[root] = count++;
    component[u] = label[root]!;
  }
  return { component, componentCount: count };
}

function largestComponentShare(arrays: RoadGraphArrays): number {
  const total = pieceLengths(arrays);
  let sum = 0;
  for (const t of total) sum += t;
  const largest = largestPiece(total);
  return sum > 0 ? total[largest]! / sum : 1;
}

/** The segment → vertex and segment → edge maps (snapping finds segments on its own grid, segment-grid.ts). */
function segmentMaps(vertexStart: Uint32Array): { segmentVertex: Uint32Array; segmentEdge: Uint32Array } {
  const edges = vertexStart.length - 1;
  const segmentCount = vertexStart[edges]! - edges;
  const segmentVertex = new Uint32Array(segmentCount);
  const segmentEdge = new Uint32Array(segmentCount);
  let s = 0;
  for (let e = 0; e < edges; e++) {
    for (let v = vertexStart[e]!; v < vertexStart[e + 1]! - 1; v++) {
      segmentVertex[s] = v;
      segmentEdge[s++] = e;
    }
  }
  return { segmentVertex, segmentEdge };
}
