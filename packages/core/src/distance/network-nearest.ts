import { BucketSearch, bucketCountFor, bucketWindowFor } from '../network/bucket-search.js';
import { SearchWorkspace } from '../network/search.js';
import type { Snap } from '../network/snap.js';
import { BACKWARD, FORWARD } from '../network/tags.js';
import type { PairRows } from './cost-table.js';
import {
  boundedSearchFor,
  bucketSearchFor,
  type CountGraph,
  type CountOrigins,
  countNetworkTargets,
  directCost,
  enters,
  type NetworkCountInput,
  runBounded,
} from './network-count.js';

/** The snapped targets a nearest search seeds from, with their costs along their edges. */
export type NearestTargets = Pick<Snap, 'edge' | 'offsetM' | 'alongM'> & {
  readonly forwardCost: Float64Array;
  readonly backwardCost: Float64Array;
};

/** The input of {@link nearestNetworkTargets}: plain data a pool can hand to another thread. */
export interface NetworkNearestInput {
  readonly graph: CountGraph;
  readonly origins: CountOrigins;
  readonly targets: NearestTargets;
  /** Costs above this are left as Infinity (index -1). */
  readonly capM: number;
  /**
   * Outputs per origin: the search writes every origin snapped onto an edge (Infinity and -1 where
   * it reaches none); the others must hold Infinity and -1 before it.
   */
  readonly nearestCost: Float64Array;
  readonly nearestIndex: Int32Array;
  /** Per origin the metres of its quickest walk, on a graph whose cost is not its length; else null. */
  readonly nearestLengthM: Float64Array | null;
}

/**
 * The network source's nearest target for every origin: one multi-source Dijkstra on the reverse
 * graph from every target's snap point, labelling each node with the target that reaches it first
 * (ties to the lower index), then each origin takes the better of its edge's two end nodes, or a
 * target on its own edge. Writes the input's outputs. A search capped at a finite cost runs on a
 * bucket queue, one not capped on a ring of buckets (the same costs and labels, see
 * bucket-search.ts); one that keeps the walks' metres, or runs on a graph with a zero-cost arc, on
 * the heap.
 */
export function nearestNetworkTargets(input: NetworkNearestInput): void {
  const { graph, origins, targets: snap, capM, nearestCost, nearestIndex, nearestLengthM } = input;
  const tracking = nearestLengthM !== null;
  const buckets = tracking ? 0 : bucketCountFor(capM, graph.shortestReverseArc);
  // Not capped: a ring of buckets spanning the longest arc, swept until the queue is empty.
  const window =
    tracking || capM !== Number.POSITIVE_INFINITY
      ? null
      : bucketWindowFor(graph.shortestReverseArc, graph.longestReverseArc);
  const ws = window !== null ? bucketSearchFor(graph.nodeCount) : boundedSearchFor(graph.nodeCount, buckets);
  const heap = ws instanceof SearchWorkspace ? ws : null;
  ws.reset();
  const { edgeFrom, edgeTo, edgeLength, edgeDirection, edgeBackwardCost, edgeForwardCost, legCostPerM } =
    graph;
  const nT = snap.edge.length;
  for (let k = 0; k < nT; k++) {
    const e = snap.edge[k]!;
    if (e < 0) continue;
    const legM = snap.offsetM[k]!;
    const leg = legM * legCostPerM;
    const a = snap.alongM[k]!;
    // From the start node the walk goes forward to the target; from the end node, backward.
    const fromStart = leg + snap.forwardCost[k]!;
    const fromEnd = leg + (edgeBackwardCost[e]! - snap.backwardCost[k]!);
    if (enters(edgeDirection[e]!, a, edgeLength[e]!, true)) {
      if (tracking) heap!.seedTracking(edgeFrom[e]!, fromStart, k, legM + a);
      else ws.seed(edgeFrom[e]!, fromStart, k);
    }
    if (enters(edgeDirection[e]!, a, edgeLength[e]!, false)) {
      if (tracking) heap!.seedTracking(edgeTo[e]!, fromEnd, k, legM + edgeLength[e]! - a);
      else ws.seed(edgeTo[e]!, fromEnd, k);
    }
  }
  if (tracking) {
    heap!.runTracking(
      graph.reverseOffsets,
      graph.reverseSource,
      graph.reverseLength,
      graph.reverseArcEdge,
      edgeLength,
      capM,
    );
  } else if (window !== null && ws instanceof BucketSearch) {
    ws.runUnbounded(graph.reverseOffsets, graph.reverseSource, graph.reverseLength, window);
  } else {
    runBounded(ws, graph.reverseOffsets, graph.reverseSource, graph.reverseLength, capM, buckets);
  }
  const pathMetres = tracking ? heap!.pathMetres : null;
  const { head, next } = targetsByEdge(snap, graph.edgeCount);
  const { cost, label } = ws;
  const { edgeStart, byEdgeOrigin, byEdgeAlong, byEdgeForward, byEdgeBackward, byEdgeOffset, byEdgeOffsetM } =
    origins;
  for (let e = 0, edges = graph.edgeCount; e < edges; e++) {
    const start = edgeStart[e]!;
    const end = edgeStart[e + 1]!;
    if (start === end) continue;
    const dir = edgeDirection[e]!;
    const length = edgeLength[e]!;
    const forwardTotal = edgeForwardCost[e]!;
    // Walking from the origin back to the start node needs the edge to be walkable backwards
    // (unless the origin stands on the node itself); likewise forwards to the end node.
    const fromCost = cost[edgeFrom[e]!]!;
    const fromLabel = label[edgeFrom[e]!]!;
    const toCost = cost[edgeTo[e]!]!;
    const toLabel = label[edgeTo[e]!]!;
    const onEdge = head[e]!;
    for (let j = start; j < end; j++) {
      const b = byEdgeAlong[j]!;
      const forwardB = byEdgeForward[j]!;
      const backwardB = byEdgeBackward[j]!;
      let best = b === 0 ? fromCost : dir & BACKWARD ? backwardB + fromCost : Number.POSITIVE_INFINITY;
      let bestLabel = fromLabel;
      // Which way the best walk leaves the edge: 0 start node, 1 end node, 2 along it to a target.
      let via = 0;
      let viaTarget = -1;
      const c =
        b === length ? toCost : dir & FORWARD ? forwardTotal - forwardB + toCost : Number.POSITIVE_INFINITY;
      if (c < best || (c === best && toLabel < bestLabel)) {
        best = c;
        bestLabel = toLabel;
        via = 1;
      }
      for (let k = onEdge; k >= 0; k = next[k]!) {
        const d =
          directCost(
            b,
            snap.alongM[k]!,
            dir,
            forwardB,
            backwardB,
            snap.forwardCost[k]!,
            snap.backwardCost[k]!,
          ) +
          snap.offsetM[k]! * legCostPerM;
        if (d < best || (d === best && k < bestLabel)) {
          best = d;
          bestLabel = k;
          via = 2;
          viaTarget = k;
        }
      }
      best += byEdgeOffset[j]!;
      const o = byEdgeOrigin[j]!;
      if (!(best <= capM && best < Number.POSITIVE_INFINITY)) {
        nearestCost[o] = Number.POSITIVE_INFINITY;
        nearestIndex[o] = -1;
        if (nearestLengthM !== null) nearestLengthM[o] = Number.POSITIVE_INFINITY;
      } else {
        nearestCost[o] = best;
        nearestIndex[o] = bestLabel;
        if (nearestLengthM !== null && pathMetres !== null) {
          const along =
            via === 0
              ? b + pathMetres[edgeFrom[e]!]!
              : via === 1
                ? length - b + pathMetres[edgeTo[e]!]!
                : Math.abs(snap.alongM[viaTarget]! - b) + snap.offsetM[viaTarget]!;
          nearestLengthM[o] = byEdgeOffsetM[j]! + along;
        }
      }
    }
  }
}

/** Targets per edge as linked lists: the first on edge e is head[e], the next after k is next[k]. */
function targetsByEdge(
  snap: { readonly edge: Int32Array },
  edges: number,
): { head: Int32Array; next: Int32Array } {
  const head = new Int32Array(edges).fill(-1);
  const next = new Int32Array(snap.edge.length).fill(-1);
  // Filled backwards so that each list runs in ascending target order.
  for (let k = snap.edge.length - 1; k >= 0; k--) {
    const e = snap.edge[k]!;
    if (e < 0) continue;
    next[k] = head[e]!;
    head[e] = k;
  }
  return { head, next };
}

/**
 * The input of {@link reachNetworkTargets}: a reach's nearest search and its counts, run as one
 * job of a pool so that the nearest search (one Dijkstra, not split) runs beside the counts' ranges
 * instead of before them.
 */
export interface NetworkReachInput {
  readonly nearest: NetworkNearestInput;
  readonly count: NetworkCountInput;
  /** The range that starts here (one past the last target) is the nearest search. */
  readonly nearestAt: number;
}

/** Name under which {@link reachNetworkTargets} is registered for work pools. */
export const NETWORK_REACH_KERNEL = 'network-reach';

/**
 * One range of a network reach on a pool: `[nearestAt, nearestAt + 1)` runs the nearest search
 * (writing its outputs, returning null), any other range the counts of those targets (into the
 * thread's tally, see {@link countNetworkTargets}).
 */
export function reachNetworkTargets(input: NetworkReachInput, from: number, to: number): PairRows | null {
  if (from === input.nearestAt) {
    nearestNetworkTargets(input.nearest);
    return null;
  }
  return countNetworkTargets(input.count, from, to);
}
