import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
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
 * A box around the network's nodes, widened by `marginM` metres on every side: a point outside it
 * lies beyond the network's extent (the map the network was cut from stops before it), which is a
 * different problem from a point inside the extent that stands far from every road.
 */
export function networkExtent(
  graph: RoadGraphArrays,
  marginM: number,
): (lon: number, lat: number) => boolean {
  let west = Number.POSITIVE_INFINITY;
  let south = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  const c = graph.nodeCoords;
  for (let i = 0; i < c.length; i += 2) {
    if (c[i]! < west) west = c[i]!;
    if (c[i]! > east) east = c[i]!;
    if (c[i + 1]! < south) south = c[i + 1]!;
    if (c[i + 1]! > north) north = c[i + 1]!;
  }
  if (!(west <= east)) return () => false;
  const dLat = marginM / METRES_PER_DEGREE;
  // The longitude margin at the box's latitude nearest a pole, where a degree is shortest.
  const dLon = marginM / metresPerDegreeLon(Math.max(Math.abs(south), Math.abs(north)));
  return (lon, lat) => lon >= west - dLon && lon <= east + dLon && lat >= south - dLat && lat <= north + dLat;
}
