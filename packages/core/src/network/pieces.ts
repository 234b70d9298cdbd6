import { buffer } from '@turf/buffer';
import { convex } from '@turf/convex';
import type { Geometry, LineString, Point, Position } from 'geojson';
import { PolygonIndex } from '../spatial/polygon-index.js';
import type { RoadGraphArrays } from './arrays.js';

/**
 * Which pieces (connected components) of a road network points may snap onto:
 * - `'largest'`: only the piece with the most street length;
 * - `'all'`: every piece, however small;
 * - `{ minShare }`: the pieces holding at least this share (0–1) of the network's street length,
 *   and always the largest one.
 *
 * A point whose nearest road lies on an excluded piece snaps to the nearest road of an allowed
 * piece within the snapping limit instead, or stays unsnapped and reaches nothing.
 */
export type SnapTo = 'largest' | 'all' | { readonly minShare: number };

/**
 * Default of the `snapTo` options: pieces holding at least 1 % of the street length. A stray
 * fragment (a driveway, a few footpaths in a park, a road cut by the extract's edge) is then not a
 * place to join, while every district-sized piece is.
 */
export const DEFAULT_SNAP_TO: SnapTo = { minShare: 0.01 };

/** `largest`, `all` or `min-share=S` (S a share such as 0.01, or a percentage such as 1%). */
export function parseSnapTo(text: string): SnapTo {
  const trimmed = text.trim();
  if (trimmed === 'largest' || trimmed === 'all') return trimmed;
  const match = /^min-share=(\d+(?:\.\d+)?)(%?)$/.exec(trimmed);
  if (match) {
    const share = Number(match[1]) / (match[2] ? 100 : 1);
    if (share >= 0 && share <= 1) return { minShare: share };
  }
  throw new Error(
    `expected largest, all or min-share=S with S a share between 0 and 1 (0.01) or a percentage (1%), got '${text}'.`,
  );
}

/** The words of a {@link SnapTo} rule as the CLI takes it (`min-share=0.01`). */
export function snapToText(rule: SnapTo): string {
  return typeof rule === 'string' ? rule : `min-share=${rule.minShare}`;
}

/** Street length in metres of each piece of the network, by component index. */
export function pieceLengths(graph: RoadGraphArrays): Float64Array {
  const total = new Float64Array(graph.componentCount);
  for (let e = 0; e < graph.edgeFrom.length; e++) {
    total[graph.component[graph.edgeFrom[e]!]!]! += graph.edgeLength[e]!;
  }
  return total;
}

/** Index of the piece with the most street length (the lower index on a tie); -1 for an empty graph. */
export function largestPiece(lengths: Float64Array): number {
  let best = -1;
  for (let c = 0; c < lengths.length; c++) if (best < 0 || lengths[c]! > lengths[best]!) best = c;
  return best;
}

/** 1 for each piece points may snap onto under `rule`, 0 for the others (by component index). */
export function allowedPieces(lengths: Float64Array, rule: SnapTo): Uint8Array {
  const allowed = new Uint8Array(lengths.length);
  if (rule === 'all') return allowed.fill(1);
  const largest = largestPiece(lengths);
  if (largest >= 0) allowed[largest] = 1;
  if (rule === 'largest') return allowed;
  let sum = 0;
  for (const l of lengths) sum += l;
  for (let c = 0; c < lengths.length; c++) if (sum > 0 && lengths[c]! / sum >= rule.minShare) allowed[c] = 1;
  return allowed;
}

/** One piece of the network in summary.json. */
export interface NetworkPiece {
  /** Street length of the piece, metres. */
  readonly length_m: number;
  /** Share of the network's street length. */
  readonly length_share: number;
  /** Share of the residents (demand weight) snapped onto this piece, of all residents. */
  readonly demand_share: number;
  /** Whether points may snap onto it under the run's `snapTo` rule. */
  readonly snap_allowed: boolean;
}

/**
 * The network's extent: the convex hull of its road geometry (every vertex, by Turf's `convex`),
 * widened by `marginM` metres (Turf's `buffer`). A point outside it lies beyond the network's extent
 * (the map the network was cut from stops before it), which is a different problem from a point
 * inside the extent that stands far from every road. The convex hull, not a concave one, because it
 * needs no tuning parameter and never calls a gap between streets "beyond the edge"; unlike a box,
 * it does not count the empty corners of a diagonal or L-shaped extract as covered by the network.
 * A network whose vertices lie on one line (or at one point) takes that segment (or point) widened
 * by the margin. Only `vertexCoords` is read, so any layer's positions (io's offset test reads a
 * reference layer's extent by this same rule) can be passed as `{ vertexCoords }`.
 */
export function networkExtent(
  graph: Pick<RoadGraphArrays, 'vertexCoords'>,
  marginM: number,
): (lon: number, lat: number) => boolean {
  const vertices = hullCandidates(graph.vertexCoords);
  if (vertices.length === 0) return () => false;
  const hull: Geometry =
    convex({ type: 'MultiPoint', coordinates: vertices })?.geometry ?? extremeSegment(vertices);
  const widened = buffer(hull, marginM, { units: 'meters', steps: 8 })?.geometry;
  if (!widened) return () => false;
  const index = new PolygonIndex([widened]);
  return (lon, lat) => index.has(lon, lat);
}

/**
 * The vertices that can be on the convex hull: every vertex but those strictly inside the octagon of
 * the extreme vertices in eight directions (Akl–Toussaint), which no hull vertex is. A city's road
 * network has millions of vertices and a few hundred on its hull; this keeps Turf's input small.
 */
function hullCandidates(coords: Float64Array): Position[] {
  const n = coords.length / 2;
  if (n === 0) return [];
  // Extremes, counter-clockwise from the bottom: min y, max x−y, max x, max x+y, max y, min x−y,
  // min x, min x+y (each direction's score is maximised).
  const score = [
    (_x: number, y: number) => -y,
    (x: number, y: number) => x - y,
    (x: number) => x,
    (x: number, y: number) => x + y,
    (_x: number, y: number) => y,
    (x: number, y: number) => y - x,
    (x: number) => -x,
    (x: number, y: number) => -x - y,
  ];
  const best = score.map(() => 0);
  const bestScore = score.map(() => Number.NEGATIVE_INFINITY);
  for (let i = 0; i < n; i++) {
    const x = coords[2 * i]!;
    const y = coords[2 * i + 1]!;
    for (let d = 0; d < 8; d++) {
      const v = score[d]!(x, y);
      if (v > bestScore[d]!) {
        bestScore[d] = v;
        best[d] = i;
      }
    }
  }
  const ring = best.filter((v, d) => v !== best[(d + 7) % 8]);
  const out: Position[] = [];
  for (let i = 0; i < n; i++) {
    const x = coords[2 * i]!;
    const y = coords[2 * i + 1]!;
    let strictlyInside = ring.length >= 3;
    for (let k = 0; strictlyInside && k < ring.length; k++) {
      const a = ring[k]!;
      const b = ring[(k + 1) % ring.length]!;
      const ax = coords[2 * a]!;
      const ay = coords[2 * a + 1]!;
      const cross = (coords[2 * b]! - ax) * (y - ay) - (coords[2 * b + 1]! - ay) * (x - ax);
      if (!(cross > 0)) strictlyInside = false;
    }
    if (!strictlyInside) out.push([x, y]);
  }
  return out;
}

/** The segment between the two farthest-apart nodes along their line, or the one node: a hull of nothing. */
function extremeSegment(nodes: readonly Position[]): Point | LineString {
  let first = nodes[0]!;
  let last = nodes[0]!;
  const before = (a: Position, b: Position) => a[0]! < b[0]! || (a[0] === b[0] && a[1]! < b[1]!);
  for (const p of nodes) {
    if (before(p, first)) first = p;
    if (before(last, p)) last = p;
  }
  return first === last
    ? { type: 'Point', coordinates: first }
    : { type: 'LineString', coordinates: [first, last] };
}

/**
 * [west, south, east, north] of interleaved lon/lat positions; west > east (infinite) when there are
 * none.
 */
export function coordsBox(coords: ArrayLike<number>): [number, number, number, number] {
  let west = Number.POSITIVE_INFINITY;
  let south = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < coords.length; i += 2) {
    if (coords[i]! < west) west = coords[i]!;
    if (coords[i]! > east) east = coords[i]!;
    if (coords[i + 1]! < south) south = coords[i + 1]!;
    if (coords[i + 1]! > north) north = coords[i + 1]!;
  }
  return [west, south, east, north];
}
