import { haversineM, METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import {
  evenRanges,
  onSharedMemory,
  rangeCount,
  sharedArray,
  splitsWork,
  type WorkPool,
} from '../parallel/pool.js';
import { RoadGraph, readGraphBuffer, sharedGraphBuffer } from './graph.js';
import { FIRST_SNAP_RADIUS_M, type SegmentGrid, segmentGrid } from './segment-grid.js';

/** Options of {@link snapToNetwork}. */
export interface SnapOptions {
  /**
   * A point farther than this many metres from every walkable segment is not snapped: it is
   * reported rather than silently joined to a distant road, and reaches nothing. Default 200.
   */
  maxSnapM?: number;
  /**
   * 1 for each piece of the network (component index) points may snap onto; roads of the other
   * pieces are passed over. Default: every piece. Build it with `allowedPieces`.
   */
  allowedPiece?: Uint8Array;
  /**
   * Threads to snap on, by ranges of points (20,000 points or more); the answer is the same as
   * without. Default: none, everything runs on the calling thread.
   */
  pool?: WorkPool;
}

/** Default of {@link SnapOptions.maxSnapM}. */
export const DEFAULT_MAX_SNAP_M = 200;

/**
 * Where each point joins the network. A snapped point's walking cost to a node is its off-network
 * leg plus the part of its edge between the snap position and that node.
 */
export interface Snap {
  readonly maxSnapM: number;
  /** Nearest walkable segment per point; -1 when none lies within `maxSnapM`. */
  readonly segment: Int32Array;
  /** Position of the snap point along its segment, 0 at the segment's first vertex, 1 at its last. */
  readonly fraction: Float64Array;
  /** Edge of the segment; -1 when unsnapped. */
  readonly edge: Int32Array;
  /** Metres along the edge from its start node (`edgeFrom`) to the snap point. */
  readonly alongM: Float64Array;
  /** Off-network leg in metres (haversine, point to snap position); Infinity when unsnapped. */
  readonly offsetM: Float64Array;
  /**
   * Cost from the edge's start node to the snap point walking forward, and from the snap point back
   * to the start node walking backward (the graph's `vertexForwardCost` / `vertexBackwardCost`
   * interpolated along the segment). In a graph in metres both are `alongM` (the same array).
   */
  readonly forwardCost: Float64Array;
  readonly backwardCost: Float64Array;
  /** Indices of the points farther than `maxSnapM` from every walkable segment, ascending. */
  readonly unsnapped: Uint32Array;
}

// Each search box after the first (FIRST_SNAP_RADIUS_M) is this many times wider.
const RADIUS_GROWTH = 3;

/**
 * Snaps points onto the nearest walkable segment of `graph`. Candidates come from a grid of the
 * graph's segments (built once per graph) through boxes of `r` metres around the point (converted to
 * degrees at the point's latitude, so the box stays square on the ground), growing from 40 m up to
 * `maxSnapM`; each candidate is projected onto in a local equirectangular frame at the point's latitude. The search
 * stops at the first box whose radius reaches the best distance found, which makes the answer the
 * exact nearest segment in that frame. Ties go to the lower segment index.
 *
 * @example
 * const snap = snapToNetwork(graph, Float64Array.of(106.661, 35.541), { maxSnapM: 200 });
 * snap.offsetM[0]; // metres from the point to the nearest walkable street
 */
export function snapToNetwork(graph: RoadGraph, coords: Float64Array, options: SnapOptions = {}): Snap {
  const maxSnapM = options.maxSnapM ?? DEFAULT_MAX_SNAP_M;
  if (!(maxSnapM >= 0)) throw new Error(`maxSnapM must be a number of metres >= 0, got ${maxSnapM}.`);
  const n = coords.length >> 1;
  const pool = options.pool !== undefined && n >= MIN_POINTS_TO_SPLIT ? options.pool : undefined;
  const snap = emptySnap(n, maxSnapM, graph.costUnit !== 'm', pool);
  const split = splitsWork(pool);
  const input: SnapInput = {
    graph: split ? sharedGraphBuffer(graph) : graph,
    grid: segmentGrid(graph, pool),
    coords: split ? onSharedMemory({ coords }, pool).coords : coords,
    allowedPiece: options.allowedPiece,
    snap,
  };
  const unsnapped = split
    ? pool.run<Uint32Array>(SNAP_KERNEL, input, evenRanges(n, rangeCount(pool)))
    : [snapPoints(input, 0, n)];
  const all = new Uint32Array(unsnapped.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of unsnapped) {
    all.set(part, at);
    at += part.length;
  }
  return { ...snap, unsnapped: all };
}

// Fewest points worth snapping on several threads: fewer snap in milliseconds.
const MIN_POINTS_TO_SPLIT = 20_000;

/** The input of {@link snapPoints}: the graph (or its shared buffer on a pool), the points and the snap it fills. */
export interface SnapInput {
  readonly graph: RoadGraph | SharedArrayBuffer;
  /** The graph's {@link segmentGrid}: where to look for the segments near a point. */
  readonly grid: SegmentGrid;
  readonly coords: Float64Array;
  readonly allowedPiece: Uint8Array | undefined;
  /** Written at the positions of the range's points only; its `unsnapped` is not used. */
  readonly snap: Snap;
}

/** Name under which {@link snapPoints} is registered for work pools. */
export const SNAP_KERNEL = 'network-snap';

// A snap of n points with nothing snapped yet, on shared memory when a pool fills it.
function emptySnap(n: number, maxSnapM: number, costed: boolean, pool: WorkPool | undefined): Snap {
  const alongM = sharedArray(Float64Array, n, pool);
  return {
    maxSnapM,
    segment: sharedArray(Int32Array, n, pool).fill(-1),
    fraction: sharedArray(Float64Array, n, pool),
    edge: sharedArray(Int32Array, n, pool).fill(-1),
    alongM,
    offsetM: sharedArray(Float64Array, n, pool).fill(Number.POSITIVE_INFINITY),
    forwardCost: costed ? sharedArray(Float64Array, n, pool) : alongM,
    backwardCost: costed ? sharedArray(Float64Array, n, pool) : alongM,
    unsnapped: new Uint32Array(0),
  };
}

/**
 * Snaps the points `[from, to)` of `input.coords` (see {@link snapToNetwork}), writing into
 * `input.snap`; returns the indices of the points it could not snap, ascending.
 */
export function snapPoints(input: SnapInput, from: number, to: number): Uint32Array {
  const graph = input.graph instanceof RoadGraph ? input.graph : readGraphBuffer(input.graph);
  const { coords, allowedPiece, snap } = input;
  const { minLon, minLat, cellLon, cellLat, cols, rows, cellStart, cellSegment } = input.grid;
  const { maxSnapM, segment, fraction, edge, alongM, offsetM, forwardCost, backwardCost } = snap;
  const unsnapped: number[] = [];
  const { vertexCoords, vertexDistance, segmentVertex, segmentEdge, edgeDirection } = graph;
  const { component, edgeFrom } = graph;
  const costed = graph.costUnit !== 'm';

  // State shared with the check below, which sees every candidate segment of a box and keeps the
  // nearest.
  let px = 0;
  let py = 0;
  let kx = 0;
  let best2 = Number.POSITIVE_INFINITY;
  let bestSegment = -1;
  let bestT = 0;
  const ky = METRES_PER_DEGREE;
  const consider = (s: number): void => {
    // A way the walker cannot use in either direction (steps for a pram) is not a place to join.
    if (edgeDirection[segmentEdge[s]!] === 0) return;
    // A road of a piece the run does not snap onto (a stray fragment) is not a place to join either.
    if (allowedPiece !== undefined && allowedPiece[component[edgeFrom[segmentEdge[s]!]!]!] === 0) return;
    const d2 = projectOntoSegment(vertexCoords, segmentVertex[s]!, px, py, kx);
    if (d2 < best2 || (d2 === best2 && s < bestSegment)) {
      best2 = d2;
      bestSegment = s;
      bestT = projected.t;
    }
  };

  for (let i = from; i < to; i++) {
    px = coords[2 * i]!;
    py = coords[2 * i + 1]!;
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      unsnapped.push(i);
      continue;
    }
    kx = metresPerDegreeLon(py);
    best2 = Number.POSITIVE_INFINITY;
    bestSegment = -1;
    let radius = Math.min(FIRST_SNAP_RADIUS_M, maxSnapM);
    for (;;) {
      const dLon = radius / kx;
      const dLat = radius / ky;
      // The box's cells, clipped to the grid (which holds every segment).
      const firstCol = Math.max(0, Math.floor((px - dLon - minLon) / cellLon));
      const lastCol = Math.min(cols - 1, Math.floor((px + dLon - minLon) / cellLon));
      const firstRow = Math.max(0, Math.floor((py - dLat - minLat) / cellLat));
      const lastRow = Math.min(rows - 1, Math.floor((py + dLat - minLat) / cellLat));
      for (let row = firstRow; row <= lastRow; row++) {
        for (let cell = row * cols + firstCol, end = row * cols + lastCol; cell <= end; cell++) {
          for (let q = cellStart[cell]!, last = cellStart[cell + 1]!; q < last; q++)
            consider(cellSegment[q]!);
        }
      }
      // Every segment nearer than `radius` meets the box, so it passes one of the box's cells; the
      // other segments of those cells lie farther than `radius`. Once the best is that near, no
      // segment outside the box can beat it.
      if (best2 <= radius * radius || radius >= maxSnapM) break;
      radius = Math.min(radius * RADIUS_GROWTH, maxSnapM);
    }
    if (bestSegment < 0 || best2 > maxSnapM * maxSnapM) {
      unsnapped.push(i);
      continue;
    }
    const v = segmentVertex[bestSegment]!;
    const lon = vertexCoords[2 * v]! + bestT * (vertexCoords[2 * v + 2]! - vertexCoords[2 * v]!);
    const lat = vertexCoords[2 * v + 1]! + bestT * (vertexCoords[2 * v + 3]! - vertexCoords[2 * v + 1]!);
    segment[i] = bestSegment;
    fraction[i] = bestT;
    edge[i] = segmentEdge[bestSegment]!;
    // At a vertex, exactly its distance: a point on a node must be recognised as standing on it.
    alongM[i] =
      bestT === 0
        ? vertexDistance[v]!
        : bestT === 1
          ? vertexDistance[v + 1]!
          : vertexDistance[v]! + bestT * (vertexDistance[v + 1]! - vertexDistance[v]!);
    offsetM[i] = haversineM(px, py, lon, lat);
    if (costed) {
      forwardCost[i] = interpolate(graph.vertexForwardCost, v, bestT);
      backwardCost[i] = interpolate(graph.vertexBackwardCost, v, bestT);
    }
  }
  return Uint32Array.from(unsnapped);
}

/** Where the last {@link projectOntoSegment} landed: the fraction `t` along its segment. */
export const projected = { t: 0 };

/**
 * The squared distance in metres² from the point (`px`, `py`) to the segment from vertex `v` to
 * `v + 1` of `vertexCoords`, in the local equirectangular frame at the point's latitude (`kx` metres
 * per degree of longitude there); the nearest position's fraction along the segment goes to
 * `projected.t`.
 */
export function projectOntoSegment(
  vertexCoords: Float64Array,
  v: number,
  px: number,
  py: number,
  kx: number,
): number {
  const ky = METRES_PER_DEGREE;
  const ax = (vertexCoords[2 * v]! - px) * kx;
  const ay = (vertexCoords[2 * v + 1]! - py) * ky;
  const dx = (vertexCoords[2 * v + 2]! - px) * kx - ax;
  const dy = (vertexCoords[2 * v + 3]! - py) * ky - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  projected.t = t;
  const fx = ax + t * dx;
  const fy = ay + t * dy;
  return fx * fx + fy * fy;
}

/** A per-vertex value at fraction `t` of the segment from vertex `v`, exact at its ends. */
function interpolate(values: Float64Array, v: number, t: number): number {
  if (t === 0) return values[v]!;
  if (t === 1) return values[v + 1]!;
  return values[v]! + t * (values[v + 1]! - values[v]!);
}
