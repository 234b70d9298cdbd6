import { longestArc, shortestArc } from '../network/bucket-search.js';
import { type RoadGraph, readGraphBuffer, sharedGraphBuffer } from '../network/graph.js';
import { hilbertOrder } from '../network/hilbert.js';
import {
  allowedPieces,
  DEFAULT_SNAP_TO,
  largestPiece,
  networkExtent,
  pieceLengths,
  type SnapTo,
} from '../network/pieces.js';
import { listSome, NETWORK_WARNING_CODES } from '../network/problems.js';
import { DEFAULT_MAX_SNAP_M, type Snap, snapToNetwork } from '../network/snap.js';
import {
  guidedRanges,
  type KernelRange,
  onSharedMemory,
  sharedArray,
  splitsWork,
  type WorkPool,
} from '../parallel/pool.js';
import type { Warning } from '../validate/problems.js';
import { concatPairs, costTableFromPairs, type PairRows, pairRows } from './cost-table.js';
import {
  addCountTotals,
  type CountGraph,
  type CountOrigins,
  type CountTotals,
  countNetworkTargets,
  countTotals,
  NETWORK_COUNT_KERNEL,
  type NetworkCountInput,
  pointKeys,
  rankOwners,
} from './network-count.js';
import {
  NETWORK_REACH_KERNEL,
  type NetworkNearestInput,
  type NetworkReachInput,
  nearestNetworkTargets,
} from './network-nearest.js';
import type {
  CostTable,
  DistanceSource,
  NetworkFacts,
  Origins,
  Reach,
  SnapCost,
  TargetFacts,
  Targets,
} from './types.js';

/** Options of {@link NetworkSource}; every field is optional. */
export interface NetworkSourceOptions {
  /**
   * Demand points and targets farther than this many metres from every walkable segment are not
   * snapped: they reach nothing (nearest Infinity, counts 0) and are reported. Default 200.
   */
  maxSnapM?: number;
  /**
   * How far (metres) the search for each origin's nearest target goes, beyond the bound of the
   * question: nearest costs above max(bound, nearestCapM) are reported as Infinity with index -1.
   * The default, Infinity, finds the nearest target anywhere on the origin's piece of network;
   * one search per target set covers the whole graph, which costs tens of milliseconds on a city.
   * Lower it to save time on a regional graph when only nearby answers matter.
   */
  nearestCapM?: number;
  /**
   * Which pieces of the network points may snap onto, so that a demand point or facility beside a
   * stray fragment does not join it and reach nothing: `'largest'`, `'all'` or `{ minShare }`.
   * Default `DEFAULT_SNAP_TO`, the pieces holding at least 1 % of the street length.
   */
  snapTo?: SnapTo;
  /**
   * Whether the walk from a point to its snap position on the road counts against the radius:
   * `'walk'` (the default) adds it to every distance, as walked; `'free'` leaves it out, as if
   * every point stood on its road (for inputs whose points are deliberately set back, such as
   * community centroids).
   */
  snapCost?: SnapCost;
  /** Names of the owners (community ids) used in warnings instead of owner indices. */
  ownerNames?: readonly string[];
  /** Name of the demand input in warnings. Default `demand`. */
  file?: string;
  /**
   * Threads to split the counts within the bound (by ranges of targets, one Dijkstra each) and the
   * snapping of 20,000 points or more (by ranges of points) over; the graph and the snapped origins
   * are put on shared memory once, at construction. The answers are the same as without. In
   * `reach`, the nearest-target search (one multi-source Dijkstra, not itself split) runs on one
   * thread beside the counts' ranges; `nearest` alone runs on the calling thread. Default: none.
   */
  pool?: WorkPool;
}

/** Nearest target per origin, as in {@link Reach}. */
export interface Nearest {
  readonly nearestCost: Float64Array;
  readonly nearestIndex: Int32Array;
  /**
   * On a walker's graph (costs in minutes): the length in metres of each origin's quickest walk to
   * its nearest target (Infinity where none). Absent on a graph in metres, where the cost is the length.
   */
  readonly nearestLengthM?: Float64Array;
}

/**
 * Walking distance over a {@link RoadGraph}: the distance from a demand point to a facility is the
 * point's off-network leg to its snap position, the shortest path along the network, and the
 * facility's own leg (see `snapToNetwork`). One-way restrictions apply as the graph was built.
 *
 * - Origins are snapped once, at construction; targets on every call.
 * - **Nearest** (`reach`, {@link NetworkSource.nearest}): one multi-source Dijkstra per target set,
 *   seeded from every target's snap position, on the reverse graph, labelling each node with the
 *   target that reaches it first; then each origin takes the better of its edge's two end nodes,
 *   or a target on its own edge directly. No per-target search. It runs up to
 *   max(bound, `nearestCapM`); by default that is the whole graph, so the nearest cost is exact
 *   wherever a target can be reached and Infinity where none can (another piece of network, or the
 *   origin is off the network).
 * - **Counts** (`withinCount`, `ownerWithinCount`) and {@link NetworkSource.within} need to know
 *   which targets lie within the bound, not only the nearest: they run one Dijkstra per target,
 *   bounded by `bound` (a 1 km walk settles a few hundred nodes), and scan the origins on the edges
 *   it reaches. This is the part whose cost grows with the number of targets; the benchmark
 *   (`bench/network.ts`) times it separately.
 *
 * Every cost is an exact shortest walking distance on the graph in metres (up to floating-point
 * rounding): the along-edge parts come from the haversine lengths of the segments, so a network
 * distance is never shorter than the great-circle distance between the same points by more than a
 * millimetre or so (the linear interpolation of a snap position along a segment).
 *
 * @example
 * const { graph } = RoadGraph.fromGeoJSON(roads);
 * const source = new NetworkSource(graph, demand);
 * const reach = source.reach({ coords: kindergartens }, 300);
 * reach.nearestCost[0]; // metres walked from the first demand point to its nearest kindergarten
 * analyzeCoverage(input, { distance: (origins) => new NetworkSource(graph, origins) });
 */
export class NetworkSource implements DistanceSource {
  readonly kind = 'network' as const;
  /** Metres on a graph from {@link RoadGraph.fromGeoJSON}; minutes on a walker's graph. */
  readonly costUnit: 'm' | 'min';
  readonly origins: Origins;
  readonly graph: RoadGraph;
  /** Where each origin joins the network. */
  readonly originSnap: Snap;
  /** Origins farther than `maxSnapM` from the network, as warnings. */
  readonly warnings: Warning[];
  /** The network's pieces, the snapping rules and where each origin joined, for the run's summary. */
  readonly networkFacts: NetworkFacts;
  private readonly maxSnapM: number;
  private readonly legCounts: boolean;
  private readonly inExtent: (lon: number, lat: number) => boolean;
  private readonly nearestCapM: number;
  // Snapped origins grouped by edge: those on edge e are byEdge*[edgeStart[e] … edgeStart[e + 1] - 1].
  private readonly edgeStart: Uint32Array;
  private readonly byEdgeOrigin: Uint32Array;
  private readonly byEdgeAlong: Float64Array;
  // Cost from the edge's start to the origin walking forward, and from the origin back to the start
  // walking backward (both byEdgeAlong on a graph in metres).
  private readonly byEdgeForward: Float64Array;
  private readonly byEdgeBackward: Float64Array;
  // The off-network leg as a cost, and in metres (the same array on a graph in metres).
  private readonly byEdgeOffset: Float64Array;
  private readonly byEdgeOffsetM: Float64Array;
  // Per edge: the smallest and largest off-network leg of its origins, so that an edge whose origins
  // are all within the bound, or all beyond it, is settled without looking at each origin (its owners
  // are the count origins' edgeWordMasks: see rankOwners).
  private readonly edgeMinOffset: Float64Array;
  private readonly edgeMaxOffset: Float64Array;
  // Per edge: the largest (backward cost − forward cost) at a vertex, which bounds the dearest
  // point of the edge (0 on a graph in metres); see countWithin.
  private readonly edgeCostGap: Float64Array;
  // 1 for a component of the graph that holds at least one snapped origin.
  private readonly componentHasOrigin: Uint8Array;
  private readonly pool: WorkPool | undefined;
  // The arrays a count search reads, gathered once as plain data for the pool's threads.
  private readonly countGraph: CountGraph;
  private readonly countOrigins: CountOrigins;
  private countTotals: CountTotals | undefined;
  // The last few target sets snapped for this source's searches, newest first (see targetSnap).
  private readonly recentSnaps: { readonly coords: Float64Array; readonly snap: Snap }[] = [];

  constructor(graph: RoadGraph, origins: Origins, options: NetworkSourceOptions = {}) {
    const n = origins.coords.length >> 1;
    if (origins.owner.length !== n) {
      throw new Error(`Origins have ${n} points but ${origins.owner.length} owners.`);
    }
    for (let i = 0; i < n; i++) {
      if (origins.owner[i]! >= origins.ownerCount) {
        throw new Error(
          `Origin ${i} has owner ${origins.owner[i]}, but ownerCount is ${origins.ownerCount}.`,
        );
      }
    }
    const nearestCapM = options.nearestCapM ?? Number.POSITIVE_INFINITY;
    if (!(nearestCapM >= 0))
      throw new Error(`nearestCapM must be a number of metres >= 0, got ${nearestCapM}.`);
    this.graph = graph;
    this.costUnit = graph.costUnit;
    this.origins = origins;
    this.maxSnapM = options.maxSnapM ?? DEFAULT_MAX_SNAP_M;
    this.nearestCapM = nearestCapM;
    const snapTo = options.snapTo ?? DEFAULT_SNAP_TO;
    const snapCost = options.snapCost ?? 'walk';
    if (snapCost !== 'walk' && snapCost !== 'free')
      throw new Error(`snapCost must be 'walk' or 'free', got '${String(snapCost)}'.`);
    this.legCounts = snapCost === 'walk';
    const lengths = pieceLengths(graph);
    const allowedPiece = allowedPieces(lengths, snapTo);
    // Anything within the snapping limit of the outermost nodes could still join a road.
    this.inExtent = networkExtent(graph, this.maxSnapM);
    this.originSnap = snapToNetwork(graph, origins.coords, {
      maxSnapM: this.maxSnapM,
      allowedPiece,
      pool: options.pool,
    });
    this.pool = options.pool;

    const edges = graph.edgeCount;
    const { edge, alongM, offsetM } = this.originSnap;
    this.edgeStart = new Uint32Array(edges + 1);
    for (let i = 0; i < n; i++) if (edge[i]! >= 0) this.edgeStart[edge[i]! + 1]!++;
    for (let e = 0; e < edges; e++) this.edgeStart[e + 1]! += this.edgeStart[e]!;
    const snapped = this.edgeStart[edges]!;
    this.byEdgeOrigin = new Uint32Array(snapped);
    const costed = graph.costUnit !== 'm';
    this.byEdgeAlong = new Float64Array(snapped);
    this.byEdgeForward = costed ? new Float64Array(snapped) : this.byEdgeAlong;
    this.byEdgeBackward = costed ? new Float64Array(snapped) : this.byEdgeAlong;
    this.byEdgeOffsetM = new Float64Array(snapped);
    this.byEdgeOffset = costed ? new Float64Array(snapped) : this.byEdgeOffsetM;
    const byEdgeOwner = new Uint32Array(snapped);
    this.componentHasOrigin = new Uint8Array(graph.componentCount);
    const cursor = this.edgeStart.slice(0, edges);
    for (let i = 0; i < n; i++) {
      const e = edge[i]!;
      if (e < 0) continue;
      const at = cursor[e]!++;
      this.byEdgeOrigin[at] = i;
      this.byEdgeAlong[at] = alongM[i]!;
      // With snapCost 'free' the walk to the road is not counted: every leg is 0.
      this.byEdgeOffsetM[at] = this.legCounts ? offsetM[i]! : 0;
      if (costed) {
        this.byEdgeForward[at] = this.originSnap.forwardCost[i]!;
        this.byEdgeBackward[at] = this.originSnap.backwardCost[i]!;
        this.byEdgeOffset[at] = this.byEdgeOffsetM[at]! * graph.legCostPerM;
      }
      byEdgeOwner[at] = origins.owner[i]!;
      this.componentHasOrigin[graph.component[graph.edgeFrom[e]!]!] = 1;
    }
    this.edgeMinOffset = new Float64Array(edges);
    this.edgeMaxOffset = new Float64Array(edges);
    const { edgeStart, byEdgeOffset, edgeMinOffset, edgeMaxOffset } = this;
    for (let e = 0; e < edges; e++) {
      let min = Number.POSITIVE_INFINITY;
      let max = 0;
      for (let j = edgeStart[e]!, end = edgeStart[e + 1]!; j < end; j++) {
        const leg = byEdgeOffset[j]!;
        if (leg < min) min = leg;
        if (leg > max) max = leg;
      }
      edgeMinOffset[e] = min;
      edgeMaxOffset[e] = max;
    }
    const ranked = rankOwners(edgeStart, byEdgeOwner, origins.ownerCount);
    this.edgeCostGap = new Float64Array(edges);
    if (costed) {
      const { edgeVertexStart, vertexForwardCost, vertexBackwardCost } = graph;
      for (let e = 0; e < edges; e++) {
        let gap = 0;
        for (let v = edgeVertexStart[e]!; v < edgeVertexStart[e + 1]!; v++) {
          gap = Math.max(gap, vertexBackwardCost[v]! - vertexForwardCost[v]!);
        }
        this.edgeCostGap[e] = gap;
      }
    }
    // On a pool, the graph and the origins go onto shared memory once, here: every search then hands
    // the threads views of the same memory instead of copying them.
    const split = splitsWork(options.pool);
    this.countGraph = countGraphOf(split ? readGraphBuffer(sharedGraphBuffer(graph)) : graph);
    this.countOrigins = onSharedMemory(
      {
        ownerCount: origins.ownerCount,
        edgeStart: this.edgeStart,
        byEdgeOrigin: this.byEdgeOrigin,
        byEdgeAlong: this.byEdgeAlong,
        byEdgeForward: this.byEdgeForward,
        byEdgeBackward: this.byEdgeBackward,
        byEdgeOffset: this.byEdgeOffset,
        byEdgeOffsetM: this.byEdgeOffsetM,
        byEdgeOwnerRank: ranked.byEdgeOwnerRank,
        ownerOfRank: ranked.ownerOfRank,
        edgeMinOffset: this.edgeMinOffset,
        edgeMaxOffset: this.edgeMaxOffset,
        edgeWordStart: ranked.edgeWordStart,
        edgeWordMasks: ranked.edgeWordMasks,
        edgeCostGap: this.edgeCostGap,
        byEdgeKeys: pointKeys(
          this.edgeStart,
          graph.edgeLength,
          this.byEdgeAlong,
          this.byEdgeForward,
          this.byEdgeBackward,
          this.byEdgeOffset,
        ),
      },
      options.pool,
    );

    const originPiece = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++)
      if (edge[i]! >= 0) originPiece[i] = graph.component[graph.edgeFrom[edge[i]!]!]!;
    const originBeyondExtent = new Uint8Array(n);
    for (const i of this.originSnap.unsnapped) {
      if (!this.inExtent(origins.coords[2 * i]!, origins.coords[2 * i + 1]!)) originBeyondExtent[i] = 1;
    }
    this.networkFacts = {
      snapTo,
      snapCost,
      maxSnapM: this.maxSnapM,
      pieceLength: lengths,
      allowedPiece,
      largestPiece: largestPiece(lengths),
      originPiece,
      originBeyondExtent,
    };
    this.warnings = [];
    const off = this.originSnap.unsnapped;
    if (off.length > 0) {
      const names = options.ownerNames;
      const ownerOf = (i: number) => {
        const o = origins.owner[i]!;
        return names?.[o] ?? `owner ${o}`;
      };
      const owners = [...new Set(Array.from(off, ownerOf))];
      this.warnings.push({
        code: NETWORK_WARNING_CODES.offNetwork,
        file: options.file ?? 'demand',
        field: 'geometry',
        message: `${off.length} of ${n} demand points lie farther than ${this.maxSnapM} m from every walkable road and reach nothing on foot; they belong to ${owners.length} communit${owners.length === 1 ? 'y' : 'ies'}: ${listSome(owners)}`,
      });
    }
  }

  /** Where each target joins the network (a new snap on every call: the caller's to keep or change). */
  snapTargets(targets: Targets): Snap {
    return snapToNetwork(this.graph, targets.coords, {
      maxSnapM: this.maxSnapM,
      allowedPiece: this.networkFacts.allowedPiece,
      pool: this.pool,
    });
  }

  // The snap of `targets` for this source's own searches, which never change it: the snap of a recent
  // call whose coordinates were the same numbers (compared one by one, so a coordinate array changed
  // in place since is snapped again), else a new one. An analysis checks a type's facilities and then
  // reaches them, and a benchmark repeats its searches: each snapped once.
  private targetSnap(targets: Targets): Snap {
    const coords = targets.coords;
    const kept = this.recentSnaps.find((recent) => sameNumbers(recent.coords, coords));
    if (kept !== undefined) return kept.snap;
    const snap = this.snapTargets(targets);
    this.recentSnaps.unshift({ coords: coords.slice(), snap });
    this.recentSnaps.length = Math.min(this.recentSnaps.length, RECENT_SNAPS);
    return snap;
  }

  /**
   * The targets (by index) that reach no one, by reason: beyond the network's extent (outside the
   * box of its nodes widened by the snapping limit: the network was cut before them), far from every
   * road inside the extent, or on a piece of network no demand point is on.
   *
   * @example
   * new NetworkSource(graph, demand).targetFacts({ coords }).beyondExtent.length; // facilities past the map's edge
   */
  targetFacts(targets: Targets): TargetFacts {
    return this.targetFactsOf(targets, this.targetSnap(targets));
  }

  private targetFactsOf(targets: Targets, snap: Snap): TargetFacts {
    const beyondExtent: number[] = [];
    const offRoad: number[] = [];
    const stranded: number[] = [];
    for (const k of snap.unsnapped) {
      if (this.inExtent(targets.coords[2 * k]!, targets.coords[2 * k + 1]!)) offRoad.push(k);
      else beyondExtent.push(k);
    }
    for (let k = 0, n = snap.edge.length; k < n; k++) {
      const e = snap.edge[k]!;
      if (e >= 0 && !this.componentHasOrigin[this.graph.component[this.graph.edgeFrom[e]!]!])
        stranded.push(k);
    }
    return { beyondExtent, offRoad, stranded };
  }

  // The snap as the costs see it: with snapCost 'free', no target's walk to the road counts.
  private costSnap(snap: Snap): Snap {
    return this.legCounts ? snap : { ...snap, offsetM: new Float64Array(snap.offsetM.length) };
  }

  /**
   * Warnings about a target set: targets farther than `maxSnapM` from the network, and targets on
   * a piece of network that no demand point is on (nobody can walk to them).
   *
   * @example
   * new NetworkSource(graph, demand).checkTargets({ coords, ids }, 'facilities.geojson', 'kindergarten'); // warnings
   */
  checkTargets(targets: Targets, file = 'facilities', what = 'facilities'): Warning[] {
    const snap = this.targetSnap(targets);
    const facts = this.targetFactsOf(targets, snap);
    const name = (k: number) => (targets.ids?.[k] !== undefined ? `${targets.ids[k]}` : `#${k}`);
    const warnings: Warning[] = [];
    const n = targets.coords.length >> 1;
    if (facts.beyondExtent.length > 0) {
      warnings.push({
        code: NETWORK_WARNING_CODES.beyondExtent,
        file,
        field: 'geometry',
        message: `${facts.beyondExtent.length} of ${n} ${what} lie beyond the road network's extent (more than ${this.maxSnapM} m outside the convex hull of its roads) and serve no one: the network was cut before them, so extend it to count them: ${listSome(facts.beyondExtent.map(name))}`,
      });
    }
    if (facts.offRoad.length > 0) {
      warnings.push({
        code: NETWORK_WARNING_CODES.offNetwork,
        file,
        field: 'geometry',
        message: `${facts.offRoad.length} of ${n} ${what} lie inside the road network's extent but farther than ${this.maxSnapM} m from every walkable road${this.snapsEveryPiece() ? '' : ' of the pieces points snap onto'} and serve no one: ${listSome(facts.offRoad.map(name))}`,
      });
    }
    if (facts.stranded.length > 0) {
      warnings.push({
        code: NETWORK_WARNING_CODES.unreachableTarget,
        file,
        field: 'geometry',
        message: `${facts.stranded.length} of ${n} ${what} stand on a piece of road network that no demand point can walk to: ${listSome(facts.stranded.map(name))}`,
      });
    }
    return warnings;
  }

  private snapsEveryPiece(): boolean {
    return this.networkFacts.allowedPiece.every((a) => a === 1);
  }

  /**
   * Nearest target per origin within `capM` (default: the source's `nearestCapM`, Infinity), by one
   * multi-source Dijkstra; beyond the cap, Infinity and -1. Ties go to the lower target index.
   */
  nearest(targets: Targets, capM: number = this.nearestCapM): Nearest {
    if (Number.isNaN(capM)) throw new Error('Nearest cap must be a number, got NaN.');
    return this.nearestOf(this.costSnap(this.targetSnap(targets)), capM);
  }

  reach(targets: Targets, bound: number): Reach {
    if (Number.isNaN(bound)) throw new Error('Reach bound must be a number, got NaN.');
    const snap = this.costSnap(this.targetSnap(targets));
    const capM = Math.max(bound, this.nearestCapM);
    const n = this.origins.owner.length;
    const withinCount = new Uint32Array(n);
    const ownerWithinCount = new Uint32Array(this.origins.ownerCount);
    const pool = this.pool;
    const nT = snap.edge.length;
    if (splitsWork(pool) && bound >= 0 && nT >= 2) {
      // The nearest search (one Dijkstra) is one more range of the counts' job: a thread runs it
      // while the others count, instead of every thread waiting for it first.
      const input: NetworkReachInput = {
        nearest: this.nearestInput(snap, capM, pool),
        count: this.countInput(targets.coords, snap, bound, false),
        nearestAt: nT,
      };
      const ranges: KernelRange[] = [[nT, nT + 1], ...countRanges(nT, pool)];
      pool.run<PairRows | null>(NETWORK_REACH_KERNEL, input, ranges);
      addCountTotals(input.count.totals, this.countOrigins, withinCount, ownerWithinCount);
      return { bound, ...nearestOutputs(input.nearest), withinCount, ownerWithinCount };
    }
    const nearest = this.nearestOf(snap, capM);
    this.countWithin(targets.coords, snap, bound, withinCount, ownerWithinCount, false);
    return { bound, ...nearest, withinCount, ownerWithinCount };
  }

  within(targets: Targets, bound: number): CostTable {
    if (Number.isNaN(bound)) throw new Error('Within bound must be a number, got NaN.');
    const snap = this.costSnap(this.targetSnap(targets));
    const n = this.origins.owner.length;
    const withinCount = new Uint32Array(n);
    const ownerWithinCount = new Uint32Array(this.origins.ownerCount);
    const pairs = this.countWithin(targets.coords, snap, bound, withinCount, ownerWithinCount, true);
    // Targets were searched in space-filling-curve order; the builder lists them in index order.
    return costTableFromPairs(pairs, withinCount, bound);
  }

  // The nearest search's input, with its outputs written for the origins off the network; on shared
  // memory when `shared`, for a pool's thread to write.
  private nearestInput(snap: Snap, capM: number, shared: WorkPool | undefined): NetworkNearestInput {
    const n = this.origins.owner.length;
    // On a walker's graph the search also keeps the length of each quickest walk.
    const tracking = this.graph.costUnit !== 'm';
    const nearestLengthM = tracking ? sharedArray(Float64Array, n, shared) : null;
    const nearestCost = sharedArray(Float64Array, n, shared);
    const nearestIndex = sharedArray(Int32Array, n, shared);
    // The search writes every origin on the network; the others reach nothing. (No fill of the
    // whole arrays: on a million origins that was a pass over 12 MiB per call.)
    for (const i of this.originSnap.unsnapped) {
      nearestCost[i] = Number.POSITIVE_INFINITY;
      nearestIndex[i] = -1;
      if (nearestLengthM !== null) nearestLengthM[i] = Number.POSITIVE_INFINITY;
    }
    return {
      graph: this.countGraph,
      origins: this.countOrigins,
      targets: snap,
      capM,
      nearestCost,
      nearestIndex,
      nearestLengthM,
    };
  }

  private nearestOf(snap: Snap, capM: number): Nearest {
    const input = this.nearestInput(snap, capM, undefined);
    nearestNetworkTargets(input);
    return nearestOutputs(input);
  }

  // Counts within the bound (and the pairs, for `within`) by one bounded Dijkstra per target
  // (network-count.ts), over ranges of targets on the pool's threads when there is one; the ranges'
  // counts are added up and per-origin counts moved from edge order to origin order.
  private countWithin(
    coords: Float64Array,
    snap: Snap,
    bound: number,
    withinCount: Uint32Array,
    ownerWithinCount: Uint32Array,
    collectPairs: boolean,
  ): PairRows {
    if (bound < 0) return pairRows(null);
    const input = this.countInput(coords, snap, bound, collectPairs);
    const nT = snap.edge.length;
    const pool = this.pool;
    const parts =
      !splitsWork(pool) || nT < 2
        ? [countNetworkTargets(input, 0, nT)]
        : pool.run<PairRows>(NETWORK_COUNT_KERNEL, input, countRanges(nT, pool));
    addCountTotals(input.totals, this.countOrigins, withinCount, ownerWithinCount);
    return concatPairs(parts);
  }

  private countInput(
    coords: Float64Array,
    snap: Snap,
    bound: number,
    collectPairs: boolean,
  ): NetworkCountInput {
    const nT = snap.edge.length;
    // The tallies' arrays are the last job's (a job zeroes the tallies it uses): some MiB per call
    // not allocated.
    this.countTotals = countTotals(this.countOrigins, this.graph.edgeCount, this.pool, this.countTotals);
    // Targets near each other are searched one after another, so each search finds most of the
    // arrays it touches still in cache (see hilbert.ts).
    const order = hilbertOrder(
      nT,
      (k) => coords[2 * k]!,
      (k) => coords[2 * k + 1]!,
    );
    return {
      graph: this.countGraph,
      origins: this.countOrigins,
      targets: { order, ...snap },
      bound,
      collectPairs,
      totals: this.countTotals,
    };
  }
}

// Fewest targets in a range of the counts: about a millisecond of searches at a city's walking radius.
const SMALLEST_COUNT_RANGE = 8;

// The counts' `nT` targets cut for `pool`'s threads: ranges shrinking towards the end of the job, so
// that the threads finish together (the targets' searches differ in cost with how much lies around them).
function countRanges(nT: number, pool: WorkPool): KernelRange[] {
  return guidedRanges(nT, pool.threads, SMALLEST_COUNT_RANGE);
}

// Target sets whose snaps a source keeps: the types of an analysis come one after another.
const RECENT_SNAPS = 4;

// Whether two coordinate arrays hold the same numbers (NaN never matches: such a set is snapped again).
function sameNumbers(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// The nearest figures a search wrote.
function nearestOutputs(input: NetworkNearestInput): Nearest {
  const { nearestCost, nearestIndex, nearestLengthM } = input;
  return nearestLengthM === null
    ? { nearestCost, nearestIndex }
    : { nearestCost, nearestIndex, nearestLengthM };
}

// The graph's arrays a count search reads (the graph itself holds more, such as its spatial index).
function countGraphOf(graph: RoadGraph): CountGraph {
  return {
    nodeCount: graph.nodeCount,
    edgeCount: graph.edgeCount,
    edgeFrom: graph.edgeFrom,
    edgeTo: graph.edgeTo,
    edgeLength: graph.edgeLength,
    edgeDirection: graph.edgeDirection,
    edgeForwardCost: graph.edgeForwardCost,
    edgeBackwardCost: graph.edgeBackwardCost,
    legCostPerM: graph.legCostPerM,
    offsets: graph.offsets,
    arcEdge: graph.arcEdge,
    reverseOffsets: graph.reverseOffsets,
    reverseSource: graph.reverseSource,
    reverseLength: graph.reverseLength,
    reverseArcEdge: graph.reverseArcEdge,
    directed: graph.directed,
    shortestReverseArc: shortestArc(graph.reverseLength),
    longestReverseArc: longestArc(graph.reverseLength),
  };
}
