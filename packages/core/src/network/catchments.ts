import { buffer } from '@turf/buffer';
import type { Feature, FeatureCollection, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { Targets } from '../distance/types.js';
import type { RoadGraph } from './graph.js';
import { gridPolygons } from './grid-shapes.js';
import { SearchWorkspace } from './search.js';
import { DEFAULT_MAX_SNAP_M, type Snap, snapToNetwork } from './snap.js';
import { BACKWARD, FORWARD } from './tags.js';

/**
 * How catchments of several facilities relate:
 * - `per-facility`: one shape per facility, overlapping where facilities share streets;
 * - `dissolved`: one shape for all facilities of the set (the type's served area);
 * - `nearest`: one shape per facility holding the places for which it is the nearest facility,
 *   so shapes never overlap.
 */
export type CatchmentMode = 'per-facility' | 'dissolved' | 'nearest';

/** Options of {@link catchments} and {@link catchmentStreets}; every field is optional. */
export interface CatchmentAreaOptions {
  /** Default `per-facility`. */
  mode?: CatchmentMode;
  /**
   * Width in metres on each side of a reached street that the shape covers: the places a resident
   * reaches the street from (a building entrance, a gate). Default 25.
   */
  bufferM?: number;
  /**
   * How shapes are drawn. `grid` (default): cells of `cellM` metres whose centre lies within
   * `bufferM` of a reached street; fast at any size, and the only way to draw `nearest` shapes
   * without overlaps. `buffer`: `@turf/buffer` polygons of the reached streets, with smooth
   * outlines; slow beyond a few dozen facilities (see docs/network.md).
   */
  shape?: 'grid' | 'buffer';
  /** Side in metres of the cells of `grid` shapes; outlines are exact to about this. Default 5. */
  cellM?: number;
  /** Facilities farther than this from the network reach nothing. Default 200. */
  maxSnapM?: number;
  /** Facility type written into every feature's properties; default null. */
  type?: string | null;
}

/** Properties of a catchment feature. */
export interface CatchmentProperties {
  /** The facility's id (from `Targets.ids`, else its index as text); null for `dissolved`. */
  readonly facility_id: string | null;
  /** Index of the facility in the targets; -1 for `dissolved`. */
  readonly facility_index: number;
  readonly type: string | null;
  readonly mode: CatchmentMode;
  /** The walking bound in metres (on a walker's graph in minutes, `bound_min` instead). */
  readonly bound_m?: number;
  /** On a walker's graph (costs in minutes): the walking bound in minutes. */
  readonly bound_min?: number;
  readonly buffer_m: number;
  /** Facilities the shape stands for: 1, or all reaching something for `dissolved`. */
  readonly facilities: number;
  /** Metres of street reached (for `nearest`, the streets nearest to this facility). */
  readonly street_m: number;
}

/** A stretch of an edge, `start`…`end` metres from its start node, reached by facility `label`. */
interface Piece {
  readonly edge: number;
  readonly start: number;
  readonly end: number;
  readonly label: number;
  /** Walking cost at `start` and the slope (+1 or -1) of the cost along the piece (nearest mode). */
  readonly cost: number;
  readonly slope: number;
}

/**
 * A walking cost along part of an edge: `cost + slope · (x − lo)` for lo <= x <= hi. In metres the
 * slope is +1 or -1; on a walker's graph it is the minutes per metre of that stretch, either sign.
 */
interface Linear {
  label: number;
  lo: number;
  hi: number;
  cost: number;
  slope: number;
}

const defaults = {
  mode: 'per-facility' as CatchmentMode,
  shape: 'grid' as 'grid' | 'buffer',
  bufferM: 25,
  cellM: 5,
  maxSnapM: DEFAULT_MAX_SNAP_M,
};
const MODES: readonly CatchmentMode[] = ['per-facility', 'dissolved', 'nearest'];
// Pieces shorter than this (a facility standing exactly on a dead end with nothing left to walk)
// have no shape to buffer.
const MIN_PIECE_M = 1e-3;

/**
 * The streets reached within `bound` metres of walking, as MultiLineStrings: exact, with partial
 * edges cut at the exact remaining distance. A point of a street is reached when a resident standing
 * there can walk to the facility within the bound (one-way streets as the graph was built).
 *
 * @example
 * const streets = catchmentStreets(graph, { coords, ids }, 500, { mode: 'dissolved' });
 */
export function catchmentStreets(
  graph: RoadGraph,
  targets: Targets,
  bound: number,
  options: CatchmentAreaOptions = {},
): FeatureCollection<MultiLineString, CatchmentProperties> {
  const settings = settingsOf(options, bound, graph.costUnit);
  const snap = snapToNetwork(graph, targets.coords, { maxSnapM: settings.maxSnapM });
  const groups = groupByLabel(reachedPieces(graph, snap, bound, settings.mode));
  return {
    type: 'FeatureCollection',
    features: [...groups].map(([label, pieces]) => ({
      type: 'Feature',
      properties: propertiesOf(graph, label, pieces, targets, snap, bound, settings),
      geometry: {
        type: 'MultiLineString',
        coordinates: joinPieces(pieces).map((p) => cutEdge(graph, p.edge, p.start, p.end)),
      },
    })),
  };
}

/**
 * Catchment areas: the places from which a facility (or, dissolved, any facility of the set) can be
 * reached within `bound` metres of walking (on a walker's graph from `walkerGraph`, `bound`
 * minutes: uphill, downhill and steps as that walker walks them), as polygons. A place is inside when it lies within
 * `bufferM` of a reached street (see {@link catchmentStreets}): every reached street is inside, and
 * no place farther than `bufferM` (plus half a cell's diagonal on the grid) from one is.
 *
 * - `per-facility`: one shape per facility; shapes overlap where facilities share streets.
 * - `dissolved`: one shape for the whole set, the union of the per-facility shapes.
 * - `nearest`: one shape per facility holding the places whose cheapest walk (the leg to a reached
 *   street plus the walk along it) leads to that facility; shapes never overlap.
 *
 * Shapes are drawn on a grid by default (`shape: 'grid'`), or as `@turf/buffer` polygons
 * (`shape: 'buffer'`, per-facility and dissolved only). Facilities that reach nothing (off the
 * network) get no feature.
 *
 * @example
 * const fc = catchments(graph, { coords, ids }, 300, { mode: 'nearest', type: 'kindergarten' });
 * fc.features[0]?.properties; // { facility_id: 'K1', mode: 'nearest', street_m: 812.4, … }
 */
export function catchments(
  graph: RoadGraph,
  targets: Targets,
  bound: number,
  options: CatchmentAreaOptions = {},
): FeatureCollection<Polygon | MultiPolygon, CatchmentProperties> {
  const settings = settingsOf(options, bound, graph.costUnit);
  const snap = snapToNetwork(graph, targets.coords, { maxSnapM: settings.maxSnapM });
  const groups = groupByLabel(reachedPieces(graph, snap, bound, settings.mode));
  if (settings.shape === 'grid') {
    const lines = new Map(
      [...groups].map(([label, pieces]) => [
        label,
        pieces.map((p) => ({
          line: cutEdge(graph, p.edge, p.start, p.end),
          cost: p.cost,
          slope: p.slope,
          legCostPerM: graph.legCostPerM,
        })),
      ]),
    );
    const shapes = gridPolygons(lines, settings.bufferM, settings.cellM, settings.mode === 'nearest');
    const features: Feature<Polygon | MultiPolygon, CatchmentProperties>[] = [];
    for (const [label, pieces] of groups) {
      const polygons = shapes.get(label);
      if (!polygons) continue;
      features.push({
        type: 'Feature',
        properties: propertiesOf(graph, label, pieces, targets, snap, bound, settings),
        geometry:
          polygons.length === 1
            ? { type: 'Polygon', coordinates: polygons[0]! }
            : { type: 'MultiPolygon', coordinates: polygons },
      });
    }
    return { type: 'FeatureCollection', features };
  }
  const features: Feature<Polygon | MultiPolygon, CatchmentProperties>[] = [];
  for (const [label, pieces] of groups) {
    const lines: MultiLineString = {
      type: 'MultiLineString',
      coordinates: pieces.map((p) => cutEdge(graph, p.edge, p.start, p.end)),
    };
    const shape = buffer(lines, settings.bufferM, { units: 'meters', steps: 8 });
    if (!shape) continue;
    features.push({
      type: 'Feature',
      properties: propertiesOf(graph, label, pieces, targets, snap, bound, settings),
      geometry: shape.geometry,
    });
  }
  return { type: 'FeatureCollection', features };
}

type Settings = Required<Omit<CatchmentAreaOptions, 'type'>> & { type: string | null };

function settingsOf(options: CatchmentAreaOptions, bound: number, unit: 'm' | 'min'): Settings {
  const settings: Settings = { ...defaults, ...options, type: options.type ?? null };
  if (!MODES.includes(settings.mode)) {
    throw new Error(`Catchment mode must be one of: ${MODES.join(', ')}; got ${settings.mode}.`);
  }
  if (!(bound >= 0) || !Number.isFinite(bound)) {
    throw new Error(
      `Catchment bound must be a finite number of ${unit === 'min' ? "minutes (a walker's graph)" : 'metres'} >= 0, got ${bound}.`,
    );
  }
  if (!(settings.bufferM > 0))
    throw new Error(`bufferM must be a positive number of metres, got ${settings.bufferM}.`);
  if (!(settings.cellM > 0))
    throw new Error(`cellM must be a positive number of metres, got ${settings.cellM}.`);
  if (settings.shape !== 'grid' && settings.shape !== 'buffer') {
    throw new Error(`Catchment shape must be one of: grid, buffer; got ${settings.shape}.`);
  }
  if (settings.shape === 'buffer' && settings.mode === 'nearest') {
    throw new Error(
      "Nearest catchments are drawn on a grid (buffers of neighbouring facilities overlap); use shape 'grid'.",
    );
  }
  return settings;
}

/** Pieces with adjacent stretches of the same edge joined (nearest mode splits them where the cost turns). */
function joinPieces(pieces: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && last.edge === p.edge && last.end === p.start) out[out.length - 1] = { ...last, end: p.end };
    else out.push(p);
  }
  return out;
}

function groupByLabel(pieces: readonly Piece[]): Map<number, Piece[]> {
  const groups = new Map<number, Piece[]>();
  for (const piece of pieces) {
    const list = groups.get(piece.label);
    if (list) list.push(piece);
    else groups.set(piece.label, [piece]);
  }
  return new Map([...groups].sort((a, b) => a[0] - b[0]));
}

function propertiesOf(
  graph: RoadGraph,
  label: number,
  pieces: readonly Piece[],
  targets: Targets,
  snap: Snap,
  bound: number,
  settings: Settings,
): CatchmentProperties {
  let street = 0;
  for (const p of pieces) street += p.end - p.start;
  let reaching = 0;
  for (let k = 0; k < snap.edge.length; k++)
    if (snap.edge[k]! >= 0 && snap.offsetM[k]! * graph.legCostPerM <= bound) reaching++;
  return {
    facility_id: label < 0 ? null : (targets.ids?.[label] ?? String(label)),
    facility_index: label,
    type: settings.type,
    mode: settings.mode,
    ...(graph.costUnit === 'min' ? { bound_min: bound } : { bound_m: bound }),
    buffer_m: settings.bufferM,
    facilities: label < 0 ? reaching : 1,
    street_m: street,
  };
}

/**
 * The reached stretches of every edge. `per-facility`: one bounded search per facility, pieces
 * labelled with it. `dissolved`: one multi-source search, the union of what any facility reaches,
 * labelled -1. `nearest`: one labelled multi-source search, each stretch labelled with the facility
 * whose walk is cheapest there.
 */
function reachedPieces(graph: RoadGraph, snap: Snap, bound: number, mode: CatchmentMode): Piece[] {
  const ws = new SearchWorkspace(graph.nodeCount);
  const pieces: Piece[] = [];
  const nT = snap.edge.length;
  const seed = (k: number, label: number) => {
    const e = snap.edge[k]!;
    const a = snap.alongM[k]!;
    const leg = snap.offsetM[k]! * graph.legCostPerM;
    const dir = graph.edgeDirection[e]!;
    // From a node to the facility: forward from the start node, backward from the end node.
    if (dir & FORWARD || a === 0) ws.seed(graph.edgeFrom[e]!, leg + snap.forwardCost[k]!, label);
    if (dir & BACKWARD || a === graph.edgeLength[e]!)
      ws.seed(graph.edgeTo[e]!, leg + graph.edgeBackwardCost[e]! - snap.backwardCost[k]!, label);
  };
  const usable = (k: number) => snap.edge[k]! >= 0 && snap.offsetM[k]! * graph.legCostPerM <= bound;
  if (mode === 'per-facility') {
    for (let k = 0; k < nT; k++) {
      if (!usable(k)) continue;
      ws.reset();
      seed(k, k);
      ws.run(graph.reverseOffsets, graph.reverseSource, graph.reverseLength, bound);
      for (const e of reachedEdges(graph, ws, bound, [snap.edge[k]!])) {
        const functions = edgeFunctions(graph, e, ws, snap, e === snap.edge[k] ? [k] : [], k);
        for (const [start, end] of belowBound(functions, bound)) {
          pieces.push({ edge: e, start, end, label: k, cost: 0, slope: 0 });
        }
      }
    }
    return pieces;
  }
  ws.reset();
  const byEdge = new Map<number, number[]>();
  for (let k = 0; k < nT; k++) {
    if (!usable(k)) continue;
    seed(k, k);
    const list = byEdge.get(snap.edge[k]!);
    if (list) list.push(k);
    else byEdge.set(snap.edge[k]!, [k]);
  }
  ws.run(graph.reverseOffsets, graph.reverseSource, graph.reverseLength, bound);
  for (const e of reachedEdges(graph, ws, bound, [...byEdge.keys()])) {
    const functions = edgeFunctions(graph, e, ws, snap, byEdge.get(e) ?? [], -1);
    if (mode === 'dissolved') {
      for (const [start, end] of belowBound(functions, bound)) {
        pieces.push({ edge: e, start, end, label: -1, cost: 0, slope: 0 });
      }
    } else {
      pieces.push(...lowerEnvelope(functions, bound).map((p) => ({ ...p, edge: e })));
    }
  }
  return pieces;
}

/** Edges entering or leaving a node settled within `bound`, plus `extra`, each once, ascending. */
function reachedEdges(
  graph: RoadGraph,
  ws: SearchWorkspace,
  bound: number,
  extra: readonly number[],
): number[] {
  const seen = new Set<number>(extra);
  for (let t = 0; t < ws.touchedCount; t++) {
    const u = ws.touched[t]!;
    if (ws.cost[u]! > bound) continue;
    for (let a = graph.reverseOffsets[u]!; a < graph.reverseOffsets[u + 1]!; a++)
      seen.add(graph.reverseArcEdge[a]!);
    for (let a = graph.offsets[u]!; a < graph.offsets[u + 1]!; a++) seen.add(graph.arcEdge[a]!);
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * The walking cost from a point `x` metres along edge `e` to the facilities, as linear pieces: via
 * the start node (walking back, if the edge allows), via the end node, and straight along the edge
 * to each facility standing on it. `label` overrides the node labels (a single-facility search).
 */
function edgeFunctions(
  graph: RoadGraph,
  e: number,
  ws: SearchWorkspace,
  snap: Snap,
  onEdge: readonly number[],
  label: number,
): Linear[] {
  const length = graph.edgeLength[e]!;
  const dir = graph.edgeDirection[e]!;
  const from = graph.edgeFrom[e]!;
  const to = graph.edgeTo[e]!;
  const out: Linear[] = [];
  const cf = ws.cost[from]!;
  const ct = ws.cost[to]!;
  const profile = costProfile(graph, e);
  // Walking backward from x to the start node costs B(x); forward from x to the end, F(L) − F(x).
  if (dir & BACKWARD && cf < Number.POSITIVE_INFINITY) {
    out.push(...pieces(profile, 0, length, label >= 0 ? label : ws.label[from]!, cf, 'backward', 1, 0));
  }
  if (dir & FORWARD && ct < Number.POSITIVE_INFINITY) {
    const end = graph.edgeForwardCost[e]!;
    out.push(...pieces(profile, 0, length, label >= 0 ? label : ws.label[to]!, ct, 'forward', -1, end));
  }
  for (const k of onEdge) {
    const a = snap.alongM[k]!;
    const leg = snap.offsetM[k]! * graph.legCostPerM;
    if (dir & FORWARD) out.push(...pieces(profile, 0, a, k, leg, 'forward', -1, snap.forwardCost[k]!));
    if (dir & BACKWARD) out.push(...pieces(profile, a, length, k, leg, 'backward', 1, snap.backwardCost[k]!));
  }
  return out;
}

/**
 * The costs along an edge: in metres none (both directions cost the distance, one straight piece);
 * on a walker's graph, at each vertex: metres along, minutes walking forward from the start, minutes
 * walking backward to the start, so each segment is a piece with its own minutes per metre.
 */
type CostProfile = {
  readonly along: Float64Array;
  readonly forward: Float64Array;
  readonly backward: Float64Array;
} | null;

function costProfile(graph: RoadGraph, e: number): CostProfile {
  if (graph.costUnit === 'm') return null;
  const first = graph.edgeVertexStart[e]!;
  const end = graph.edgeVertexStart[e + 1]!;
  return {
    along: graph.vertexDistance.subarray(first, end),
    forward: graph.vertexForwardCost.subarray(first, end),
    backward: graph.vertexBackwardCost.subarray(first, end),
  };
}

/**
 * `base + sign · (C(x) − origin)` over `lo…hi` as linear pieces, `C` the forward or backward cost
 * of the edge from its start (the distance itself in metres, interpolated between vertices on a
 * walker's graph).
 */
function pieces(
  profile: CostProfile,
  lo: number,
  hi: number,
  label: number,
  base: number,
  direction: 'forward' | 'backward',
  sign: 1 | -1,
  origin: number,
): Linear[] {
  if (profile === null) return [{ label, lo, hi, cost: base + sign * (lo - origin), slope: sign }];
  const { along } = profile;
  const costs = profile[direction];
  const at = (x: number, i: number): number => {
    const span = along[i + 1]! - along[i]!;
    return span > 0 ? costs[i]! + ((x - along[i]!) / span) * (costs[i + 1]! - costs[i]!) : costs[i]!;
  };
  const out: Linear[] = [];
  for (let i = 0; i + 1 < along.length; i++) {
    const a = Math.max(lo, along[i]!);
    const b = Math.min(hi, along[i + 1]!);
    if (b <= a) continue;
    const ca = at(a, i);
    out.push({
      label,
      lo: a,
      hi: b,
      cost: base + sign * (ca - origin),
      slope: (sign * (at(b, i) - ca)) / (b - a),
    });
  }
  return out;
}

/** The stretches where at least one function is within the bound, merged. */
function belowBound(functions: readonly Linear[], bound: number): [number, number][] {
  const spans: [number, number][] = [];
  for (const f of functions) {
    const span = spanWithin(f, bound);
    if (span) spans.push(span);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  return merged.filter(([a, b]) => b - a >= MIN_PIECE_M);
}

/** Where one linear cost is within the bound, or null. */
function spanWithin(f: Linear, bound: number): [number, number] | null {
  if (f.hi < f.lo) return null;
  if (f.slope > 0) {
    if (f.cost > bound) return null;
    return [f.lo, Math.min(f.hi, f.lo + (bound - f.cost) / f.slope)];
  }
  if (f.slope === 0) return f.cost > bound ? null : [f.lo, f.hi];
  const atHi = f.cost + f.slope * (f.hi - f.lo);
  if (atHi > bound) return null;
  return [Math.max(f.lo, f.lo + (f.cost - bound) / -f.slope), f.hi];
}

function valueAt(f: Linear, x: number): number {
  return x < f.lo || x > f.hi ? Number.POSITIVE_INFINITY : f.cost + f.slope * (x - f.lo);
}

/**
 * The cheapest function at every point of the edge, where it is within the bound: stretches labelled
 * with the facility whose walk is cheapest (ties to the lower index). Between consecutive critical
 * points (domain ends, crossings of two functions, crossings of the bound) the cheapest function
 * does not change, so one evaluation per stretch decides it.
 */
function lowerEnvelope(functions: readonly Linear[], bound: number): Omit<Piece, 'edge'>[] {
  const xs = new Set<number>();
  for (const f of functions) {
    xs.add(f.lo);
    xs.add(f.hi);
    const span = spanWithin(f, bound);
    if (span) {
      xs.add(span[0]);
      xs.add(span[1]);
    }
  }
  for (let i = 0; i < functions.length; i++) {
    for (let j = i + 1; j < functions.length; j++) {
      const f = functions[i]!;
      const g = functions[j]!;
      if (f.slope === g.slope) continue;
      // f.cost + f.slope (x − f.lo) = g.cost + g.slope (x − g.lo)
      const x = (g.cost - g.slope * g.lo - f.cost + f.slope * f.lo) / (f.slope - g.slope);
      if (x > Math.max(f.lo, g.lo) && x < Math.min(f.hi, g.hi)) xs.add(x);
    }
  }
  const points = [...xs].sort((a, b) => a - b);
  const out: Omit<Piece, 'edge'>[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    if (b - a <= 0) continue;
    const mid = (a + b) / 2;
    let best: Linear | null = null;
    let bestValue = Number.POSITIVE_INFINITY;
    for (const f of functions) {
      const v = valueAt(f, mid);
      if (v < bestValue || (v === bestValue && best !== null && f.label < best.label)) {
        best = f;
        bestValue = v;
      }
    }
    if (best === null || bestValue > bound) continue;
    const last = out[out.length - 1];
    if (last && last.label === best.label && last.end === a && last.slope === best.slope) {
      out[out.length - 1] = { ...last, end: b };
    } else {
      out.push({ start: a, end: b, label: best.label, cost: valueAt(best, a), slope: best.slope });
    }
  }
  return out.filter((p) => p.end - p.start >= MIN_PIECE_M);
}

/** The positions of edge `e` from `start` to `end` metres along it, cut at the exact distances. */
function cutEdge(graph: RoadGraph, e: number, start: number, end: number): Position[] {
  const first = graph.edgeVertexStart[e]!;
  const last = graph.edgeVertexStart[e + 1]! - 1;
  const { vertexCoords: xy, vertexDistance: d } = graph;
  const at = (v: number, x: number): Position => {
    const span = d[v + 1]! - d[v]!;
    const t = span > 0 ? (x - d[v]!) / span : 0;
    return [
      xy[2 * v]! + t * (xy[2 * v + 2]! - xy[2 * v]!),
      xy[2 * v + 1]! + t * (xy[2 * v + 3]! - xy[2 * v + 1]!),
    ];
  };
  let v = first;
  while (v < last - 1 && d[v + 1]! <= start) v++;
  const out: Position[] = [at(v, start)];
  for (let w = v + 1; w <= last && d[w]! < end; w++) out.push([xy[2 * w]!, xy[2 * w + 1]!]);
  let u = v;
  while (u < last - 1 && d[u + 1]! < end) u++;
  out.push(at(u, end));
  return out;
}
