import { BucketSearch, bucketCountFor } from '../network/bucket-search.js';
import { SearchWorkspace } from '../network/search.js';
import { BACKWARD, FORWARD } from '../network/tags.js';
import { sharedArray, type WorkPool } from '../parallel/pool.js';
import { PairBuffer, type PairRows, pairRows } from './cost-table.js';

/** The arrays of a road graph a count search reads, as plain data a pool can hand to other threads. */
export interface CountGraph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly edgeLength: Float64Array;
  readonly edgeDirection: Uint8Array;
  readonly edgeForwardCost: Float64Array;
  readonly edgeBackwardCost: Float64Array;
  readonly legCostPerM: number;
  readonly offsets: Uint32Array;
  readonly arcEdge: Uint32Array;
  readonly reverseOffsets: Uint32Array;
  readonly reverseSource: Uint32Array;
  readonly reverseLength: Float64Array;
  readonly reverseArcEdge: Uint32Array;
  readonly directed: boolean;
  /** The cheapest arc of the reverse graph (`shortestArc(reverseLength)`): how narrow the search's buckets must be. */
  readonly shortestReverseArc: number;
  /** The dearest arc of the reverse graph (`longestArc(reverseLength)`): how far an unbounded search's ring of buckets reaches. */
  readonly longestReverseArc: number;
}

/** The network source's snapped origins grouped by edge (see `NetworkSource`). */
export interface CountOrigins {
  readonly ownerCount: number;
  readonly edgeStart: Uint32Array;
  readonly byEdgeOrigin: Uint32Array;
  readonly byEdgeAlong: Float64Array;
  readonly byEdgeForward: Float64Array;
  readonly byEdgeBackward: Float64Array;
  readonly byEdgeOffset: Float64Array;
  /** Metres off the network (byEdgeOffset is their cost): the nearest search's walk lengths. */
  readonly byEdgeOffsetM: Float64Array;
  /** Per snapped origin in edge order: its owner's rank (see {@link RankedOwners}). */
  readonly byEdgeOwnerRank: Uint32Array;
  /** Per rank, the owner (see {@link RankedOwners}). */
  readonly ownerOfRank: Uint32Array;
  readonly edgeMinOffset: Float64Array;
  readonly edgeMaxOffset: Float64Array;
  /** Per edge, its owners as words of ranks (see {@link RankedOwners}). */
  readonly edgeWordStart: Uint32Array;
  readonly edgeWordMasks: Int32Array;
  readonly edgeCostGap: Float64Array;
  /**
   * Per snapped origin in edge order, two Float32 keys for the counts' first test (see
   * {@link pointKeys}); NaN for an origin on a node.
   */
  readonly byEdgeKeys: Float32Array;
}

/**
 * The counts' first-test keys of snapped origins in edge order ({@link CountOrigins.byEdgeKeys}):
 * for slot j, `backward + leg` (its cost less the start node's) and `leg − forward` (its cost less
 * the end node's and the edge's forward cost), rounded to Float32, so that a crossed edge's origins
 * are first tested from 8 bytes each instead of the 32 of their exact figures. An origin at either
 * end of its edge gets NaN: its cost is the node's own (even against a one-way edge), which the exact
 * test handles.
 */
export function pointKeys(
  edgeStart: Uint32Array,
  edgeLength: Float64Array,
  byEdgeAlong: Float64Array,
  byEdgeForward: Float64Array,
  byEdgeBackward: Float64Array,
  byEdgeOffset: Float64Array,
): Float32Array {
  const keys = new Float32Array(2 * byEdgeAlong.length);
  for (let e = 0; e + 1 < edgeStart.length; e++) {
    const length = edgeLength[e]!;
    for (let j = edgeStart[e]!, end = edgeStart[e + 1]!; j < end; j++) {
      const b = byEdgeAlong[j]!;
      const onNode = b === 0 || b === length;
      keys[2 * j] = onNode ? Number.NaN : byEdgeBackward[j]! + byEdgeOffset[j]!;
      keys[2 * j + 1] = onNode ? Number.NaN : byEdgeOffset[j]! - byEdgeForward[j]!;
    }
  }
  return keys;
}

/**
 * The owners of snapped origins renumbered for the counts' sets of owners ({@link OwnerBits}): ranks
 * in the order owners first appear along the edges (which a graph numbers along a Hilbert curve), so
 * that the owners of one edge, neighbouring communities, mostly fall in one or two 32-bit words of
 * ranks. Each edge then lists its owners as (word, mask) pairs, and an edge counted whole sets a
 * word's bits at once instead of one owner at a time (on the bench city 4,615 owner entries a
 * facility before).
 */
export interface RankedOwners {
  /** Per rank, the owner: owners with no snapped origin take the last ranks. */
  readonly ownerOfRank: Uint32Array;
  /** Per snapped origin in edge order, its owner's rank. */
  readonly byEdgeOwnerRank: Uint32Array;
  /** Edge e's pairs are `edgeWordMasks[2q]` (word index) and `edgeWordMasks[2q + 1]` (its bits) for q in `[edgeWordStart[e], edgeWordStart[e + 1])`. */
  readonly edgeWordStart: Uint32Array;
  readonly edgeWordMasks: Int32Array;
}

/**
 * {@link RankedOwners} of the snapped origins whose owners in edge order are `byEdgeOwner` (edge e's
 * slots are `[edgeStart[e], edgeStart[e + 1])`), of `ownerCount` owners.
 */
export function rankOwners(
  edgeStart: Uint32Array,
  byEdgeOwner: Uint32Array,
  ownerCount: number,
): RankedOwners {
  const rank = new Int32Array(ownerCount).fill(-1);
  const ownerOfRank = new Uint32Array(ownerCount);
  let next = 0;
  for (let j = 0; j < byEdgeOwner.length; j++) {
    const owner = byEdgeOwner[j]!;
    if (rank[owner]! < 0) {
      rank[owner] = next;
      ownerOfRank[next++] = owner;
    }
  }
  for (let owner = 0; owner < ownerCount; owner++) {
    if (rank[owner]! < 0) {
      rank[owner] = next;
      ownerOfRank[next++] = owner;
    }
  }
  const byEdgeOwnerRank = new Uint32Array(byEdgeOwner.length);
  for (let j = 0; j < byEdgeOwner.length; j++) byEdgeOwnerRank[j] = rank[byEdgeOwner[j]!]!;
  const edges = edgeStart.length - 1;
  const edgeWordStart = new Uint32Array(edges + 1);
  // At most one pair per origin, cut to length at the end.
  const pairs = new Int32Array(2 * byEdgeOwner.length);
  // Per word of ranks, where its pair is (an index below the current edge's first is another edge's).
  const pairOfWord = new Int32Array(Math.ceil(ownerCount / 32)).fill(-1);
  let total = 0;
  for (let e = 0; e < edges; e++) {
    const first = total;
    for (let j = edgeStart[e]!, end = edgeStart[e + 1]!; j < end; j++) {
      const r = byEdgeOwnerRank[j]!;
      const w = r >>> 5;
      let q = pairOfWord[w]!;
      if (q < first) {
        q = total++;
        pairOfWord[w] = q;
        pairs[2 * q] = w;
      }
      pairs[2 * q + 1]! |= 1 << (r & 31);
    }
    edgeWordStart[e + 1] = total;
  }
  return { ownerOfRank, byEdgeOwnerRank, edgeWordStart, edgeWordMasks: pairs.slice(0, 2 * total) };
}

/** The input of {@link countNetworkTargets}. */
export interface NetworkCountInput {
  readonly graph: CountGraph;
  readonly origins: CountOrigins;
  /** Snapped targets, and the order to search them in (`order`: target indices along a Hilbert curve). */
  readonly targets: {
    readonly order: Uint32Array;
    readonly edge: Int32Array;
    readonly offsetM: Float64Array;
    readonly alongM: Float64Array;
    readonly forwardCost: Float64Array;
    readonly backwardCost: Float64Array;
  };
  /** At least 0. */
  readonly bound: number;
  /** Whether to list every (origin, target, cost) within the bound (for `within`). */
  readonly collectPairs: boolean;
  /** Where the ranges add up their counts (see {@link countTotals}). */
  readonly totals: CountTotals;
}

/**
 * Where the ranges of one count job add up what their targets reach: one set of counters (a *tally*)
 * per thread, claimed by the thread's first range and reused by its later ones, so a range returns
 * nothing of the origins' size and the merge reads one tally per thread, not one per range. Each
 * target's searches are its own, so sums over any split of the targets are the whole answer.
 * On shared memory when a pool runs more than one thread.
 */
export interface CountTotals {
  /** How many tallies there are (the pool's threads). */
  readonly tallies: number;
  /** Tallies claimed so far: a counter the threads add to (`Atomics.add`). */
  readonly claimed: Int32Array;
  /** Per tally, per snapped origin in edge order: targets within the bound counted one by one. */
  readonly bySlot: Uint32Array;
  /** Per tally, per edge: targets within the bound of every origin on it (counted for the edge as a whole). */
  readonly edgeAll: Uint32Array;
  /** Per tally, per owner by rank ({@link RankedOwners}): distinct targets within the bound of at least one of its origins. */
  readonly ownerWithinCount: Uint32Array;
}

/**
 * {@link CountTotals} for a new count job over `origins` and a graph of `edgeCount` edges on `pool`:
 * on the arrays of `previous` (a finished job's, of the same sizes) when given, else new ones. Each
 * tally is zeroed by the thread that claims it, so the arrays need not be cleared here.
 */
export function countTotals(
  origins: CountOrigins,
  edgeCount: number,
  pool: WorkPool | undefined,
  previous?: CountTotals,
): CountTotals {
  const tallies = pool === undefined ? 1 : Math.max(1, pool.threads);
  const shared = tallies >= 2 ? pool : undefined;
  // A new counter (and a new object, which the threads' tallies are found by) for every job.
  const claimed = sharedArray(Int32Array, 1, shared);
  if (
    previous !== undefined &&
    previous.tallies === tallies &&
    previous.bySlot.length === tallies * origins.byEdgeOrigin.length &&
    previous.edgeAll.length === tallies * edgeCount &&
    (tallies < 2 || previous.bySlot.buffer instanceof SharedArrayBuffer)
  ) {
    return { ...previous, claimed };
  }
  return {
    tallies,
    claimed,
    bySlot: sharedArray(Uint32Array, tallies * origins.byEdgeOrigin.length, shared),
    edgeAll: sharedArray(Uint32Array, tallies * edgeCount, shared),
    ownerWithinCount: sharedArray(Uint32Array, tallies * origins.ownerCount, shared),
  };
}

/**
 * The counts of a finished count job: per origin (`withinCount`, by origin index) and per owner
 * (`ownerWithinCount`), added up over the tallies the threads claimed.
 */
export function addCountTotals(
  totals: CountTotals,
  origins: CountOrigins,
  withinCount: Uint32Array,
  ownerWithinCount: Uint32Array,
): void {
  const used = Math.min(Atomics.load(totals.claimed, 0), totals.tallies);
  const { edgeStart, byEdgeOrigin } = origins;
  const slots = byEdgeOrigin.length;
  const edges = edgeStart.length - 1;
  const owners = origins.ownerCount;
  const { bySlot, edgeAll } = totals;
  // The tallies count owners by rank.
  const { ownerOfRank } = origins;
  ownerWithinCount.fill(0);
  for (let t = 0; t < used; t++) {
    const tally = totals.ownerWithinCount.subarray(t * owners, (t + 1) * owners);
    for (let r = 0; r < owners; r++) ownerWithinCount[ownerOfRank[r]!]! += tally[r]!;
  }
  if (used === 0) {
    withinCount.fill(0);
    return;
  }
  // Per-origin counts move from edge order to origin order on the way.
  for (let e = 0; e < edges; e++) {
    const start = edgeStart[e]!;
    const end = edgeStart[e + 1]!;
    if (start === end) continue;
    let all = edgeAll[e]!;
    for (let t = 1; t < used; t++) all += edgeAll[t * edges + e]!;
    for (let j = start; j < end; j++) {
      let count = bySlot[j]! + all;
      for (let t = 1; t < used; t++) count += bySlot[t * slots + j]!;
      withinCount[byEdgeOrigin[j]!] = count;
    }
  }
}

// One thread's tally of a job, with its scratch: found again by the job's totals (a thread's ranges
// of one job see the same input object), so a thread claims and zeroes one tally per job.
interface Tally {
  readonly bySlot: Uint32Array;
  readonly edgeAll: Uint32Array;
  readonly ownerWithinCount: Uint32Array;
  // Scratch stamped with the target index being searched (targets are unique within a job).
  readonly edgeStamp: Int32Array;
  // The owners the target being searched reaches, one bit each (see `OwnerBits`).
  readonly ownerBits: OwnerBits;
}

/**
 * The owners one target reaches, as a set of bits, so that each owner adds one to its count per
 * target however many of its origins are within. One bit an owner (10,000 owners take 1.25 KiB,
 * which stays in the first-level cache, where a stamp per owner took 40 KiB beside the counts'
 * 40 KiB), and a list of the words that have become non-zero, so that {@link OwnerBits.flush} reads
 * those words only (on a province of 200,000 owners a target reaches a few hundred of 6,250 words).
 */
export class OwnerBits {
  /** One bit per owner: set when the target being searched reaches it. */
  readonly bits: Int32Array;
  /** The indices of the words of `bits` that are not zero, each once, listed by the caller in order. */
  readonly words: Uint32Array;

  constructor(owners: number) {
    this.bits = new Int32Array(Math.ceil(owners / 32));
    this.words = new Uint32Array(this.bits.length);
  }

  /**
   * Adds one to `counts[owner]` for every owner in the set, whose non-zero words are
   * `words[0 … wordCount − 1]`, and empties the set for the next target.
   */
  flush(wordCount: number, counts: Uint32Array): void {
    const { bits, words } = this;
    for (let i = 0; i < wordCount; i++) {
      const w = words[i]!;
      let word = bits[w]!;
      bits[w] = 0;
      const base = w << 5;
      while (word !== 0) {
        const lowest = word & -word;
        counts[base + 31 - Math.clz32(lowest)]!++;
        word ^= lowest;
      }
    }
  }
}

const tallies = new WeakMap<CountTotals, Tally>();

function tallyOf(totals: CountTotals, slots: number, edges: number, owners: number): Tally {
  let tally = tallies.get(totals);
  if (tally !== undefined) return tally;
  const t = Atomics.add(totals.claimed, 0, 1);
  if (t >= totals.tallies) {
    throw new Error(`A count job ran on more threads than its ${totals.tallies} tallies.`);
  }
  tally = {
    bySlot: totals.bySlot.subarray(t * slots, (t + 1) * slots).fill(0),
    edgeAll: totals.edgeAll.subarray(t * edges, (t + 1) * edges).fill(0),
    ownerWithinCount: totals.ownerWithinCount.subarray(t * owners, (t + 1) * owners).fill(0),
    edgeStamp: new Int32Array(edges).fill(-1),
    ownerBits: new OwnerBits(owners),
  };
  tallies.set(totals, tally);
  return tally;
}

// The calling thread's search scratch, kept between jobs (a graph-sized allocation per range
// would cost more than a short range's searches).
let threadWorkspace: SearchWorkspace | null = null;

/** A {@link SearchWorkspace} for a graph of `nodeCount` nodes, reused by this thread's searches. */
function workspaceFor(nodeCount: number): SearchWorkspace {
  if (threadWorkspace === null || threadWorkspace.cost.length !== nodeCount) {
    threadWorkspace = new SearchWorkspace(nodeCount);
  }
  return threadWorkspace;
}

let threadBucketSearch: BucketSearch | null = null;

/** A {@link BucketSearch} for a graph of `nodeCount` nodes, reused by this thread's searches. */
export function bucketSearchFor(nodeCount: number): BucketSearch {
  if (threadBucketSearch === null || threadBucketSearch.cost.length !== nodeCount) {
    threadBucketSearch = new BucketSearch(nodeCount);
  }
  return threadBucketSearch;
}

/**
 * The calling thread's search for a bounded run: the bucket queue when `buckets` (from
 * `bucketCountFor`) is positive, else the heap. Both give the same costs (see bucket-search.ts).
 */
export function boundedSearchFor(nodeCount: number, buckets: number): BucketSearch | SearchWorkspace {
  return buckets > 0 ? bucketSearchFor(nodeCount) : workspaceFor(nodeCount);
}

/**
 * Runs `search` (from {@link boundedSearchFor} with the same `buckets`) over the arcs
 * `offsets`/`other`/`length` up to `bound`: the one place that tells the two searches apart.
 */
export function runBounded(
  search: BucketSearch | SearchWorkspace,
  offsets: Uint32Array,
  other: Uint32Array,
  length: Float64Array,
  bound: number,
  buckets: number,
): void {
  if (search instanceof BucketSearch) search.run(offsets, other, length, bound, buckets);
  else search.run(offsets, other, length, bound);
}

/** Name under which {@link countNetworkTargets} is registered for work pools. */
export const NETWORK_COUNT_KERNEL = 'network-count';

/**
 * The network source's counts within the bound for the targets at positions `[from, to)` of
 * `input.targets.order`, added to the calling thread's tally in `input.totals`; returns the pairs
 * found when `input.collectPairs` (else none). One bounded Dijkstra per target on the reverse graph;
 * the origins on every edge entering a settled node (and on the target's own edge) are checked
 * against the bound. Inside the walking radius most edges lie wholly within it: such an edge is
 * counted once (edgeAll) and its owners stamped, without touching its origins; an edge wholly beyond
 * it is skipped. Per-origin counts are kept in edge order (bySlot) while scanning, for locality.
 */
export function countNetworkTargets(input: NetworkCountInput, from: number, to: number): PairRows {
  const { graph, origins, targets, bound } = input;
  const { edgeFrom, edgeTo, edgeLength, edgeDirection, reverseOffsets, reverseSource, reverseLength } = graph;
  const { edgeForwardCost, edgeBackwardCost, legCostPerM } = graph;
  const { reverseArcEdge, offsets, arcEdge, directed } = graph;
  const { edgeStart, byEdgeOrigin, byEdgeAlong, byEdgeForward, byEdgeBackward, byEdgeOffset } = origins;
  const {
    byEdgeOwnerRank,
    edgeMinOffset,
    edgeMaxOffset,
    edgeWordStart,
    edgeWordMasks,
    edgeCostGap,
    byEdgeKeys,
  } = origins;
  const tally = tallyOf(input.totals, byEdgeOrigin.length, graph.edgeCount, origins.ownerCount);
  const { edgeStamp, edgeAll, bySlot, ownerBits, ownerWithinCount } = tally;
  const { bits: owned, words: ownedWords } = ownerBits;
  const pairs = input.collectPairs ? new PairBuffer() : null;
  // A bucket queue unless the bound is not finite or an arc costs nothing, else the heap: the costs
  // are the same (see bucket-search.ts).
  const buckets = bucketCountFor(bound, graph.shortestReverseArc);
  const ws = boundedSearchFor(graph.nodeCount, buckets);
  const { cost, touched } = ws;
  // An edge counts whole only when its largest cost is this far inside the bound, so that rounding
  // in the per-origin sums (which `within` uses) can never disagree with the shortcut.
  const allInside = bound - 1e-7 * Math.max(1, bound);

  // The exact cost of the origin in slot j of a crossed edge, not the target's own (what the first
  // test on the Float32 keys falls back on near the bound): the same sums as the per-point loop's.
  const crossedCost = (
    j: number,
    length: number,
    fromCost: number,
    toCost: number,
    viaFrom: number,
    viaTo: number,
    forwardTotal: number,
  ): number => {
    const b = byEdgeAlong[j]!;
    const c = b === 0 ? fromCost : byEdgeBackward[j]! + viaFrom;
    const c2 = b === length ? toCost : forwardTotal - byEdgeForward[j]! + viaTo;
    return Math.min(c, c2) + byEdgeOffset[j]!;
  };

  // Words of `owned` listed so far for the target being searched.
  let ownedWordCount = 0;

  // Adds the origin in slot j to the target's tally when `inside` (1, else 0). Whether a point is
  // within is not predictable on an edge the bound crosses: counted without branches (the owner's
  // bit is set only when inside; its word is listed when it was empty and no longer is).
  const tallyPoint = (j: number, inside: number): void => {
    bySlot[j]! += inside;
    const rank = byEdgeOwnerRank[j]!;
    const w = rank >>> 5;
    const old = owned[w]!;
    const now = old | (inside << (rank & 31));
    owned[w] = now;
    ownedWords[ownedWordCount] = w;
    ownedWordCount += (1 ^ ((old | -old) >>> 31)) & ((now | -now) >>> 31);
  };

  const scanEdge = (
    e: number,
    k: number,
    targetAlong: number,
    targetLeg: number,
    targetForward: number,
    targetBackward: number,
  ): void => {
    const dir = edgeDirection[e]!;
    const length = edgeLength[e]!;
    const forwardTotal = edgeForwardCost[e]!;
    const backwardTotal = edgeBackwardCost[e]!;
    const fromCost = cost[edgeFrom[e]!]!;
    const toCost = cost[edgeTo[e]!]!;
    const viaFrom = dir & BACKWARD ? fromCost : Number.POSITIVE_INFINITY;
    const viaTo = dir & FORWARD ? toCost : Number.POSITIVE_INFINITY;
    const direct = targetAlong >= 0;
    if (!direct) {
      // Every origin costs at least the cheaper end plus the smallest leg…
      if (Math.min(fromCost, toCost) + edgeMinOffset[e]! > bound) return;
      // …and at most the worst point of the edge, min(B(b) + viaFrom, F − F(b) + viaTo), plus the
      // largest leg, where F(b) and B(b) are the forward and backward costs from the start to b.
      // The smaller of two is at most their mean, (B(b) − F(b) + F + viaFrom + viaTo) / 2, and
      // B(b) − F(b) is at most the edge's gap; in metres that is (L + viaFrom + viaTo) / 2.
      const worst = Math.min(
        backwardTotal + viaFrom,
        forwardTotal + viaTo,
        (edgeCostGap[e]! + forwardTotal + viaFrom + viaTo) / 2,
      );
      if (pairs === null && worst + edgeMaxOffset[e]! <= allInside) {
        edgeAll[e]!++;
        // Without branches (which owners are new is not predictable): a word that was empty is
        // listed, (old | -old) >>> 31 being 0 only for it.
        for (let q = edgeWordStart[e]!, end = edgeWordStart[e + 1]!; q < end; q++) {
          const w = edgeWordMasks[2 * q]!;
          const old = owned[w]!;
          owned[w] = old | edgeWordMasks[2 * q + 1]!;
          ownedWords[ownedWordCount] = w;
          ownedWordCount += 1 ^ ((old | -old) >>> 31);
        }
        return;
      }
    }
    // The edge is crossed by the bound. First test on the Float32 keys: min(key + node cost) differs
    // from the exact cost by Float32 rounding of figures no larger than the bound and the edge's
    // costs, far less than `margin`; only an origin within the margin of the bound (or on a node,
    // whose keys are NaN) is tested on its exact figures.
    const margin = 1e-6 * (bound + forwardTotal + backwardTotal) + 1e-30;
    const keyed = !direct && pairs === null && bound + forwardTotal + backwardTotal < 1e30;
    const surelyInside = bound - margin;
    const surelyBeyond = bound + margin;
    const toBase = forwardTotal + viaTo;
    if (keyed) {
      for (let j = edgeStart[e]!, end = edgeStart[e + 1]!; j < end; j++) {
        const first = Math.min(byEdgeKeys[2 * j]! + viaFrom, byEdgeKeys[2 * j + 1]! + toBase);
        let inside = +(first < surelyInside);
        // Without a branch on `inside` (not predictable); the exact test is rare and predicted.
        if ((inside | +(first > surelyBeyond)) === 0) {
          inside = +!(crossedCost(j, length, fromCost, toCost, viaFrom, viaTo, forwardTotal) > bound);
        }
        tallyPoint(j, inside);
      }
      return;
    }
    for (let j = edgeStart[e]!, end = edgeStart[e + 1]!; j < end; j++) {
      const b = byEdgeAlong[j]!;
      const forwardB = byEdgeForward[j]!;
      const backwardB = byEdgeBackward[j]!;
      let c = b === 0 ? fromCost : backwardB + viaFrom;
      const c2 = b === length ? toCost : forwardTotal - forwardB + viaTo;
      if (c2 < c) c = c2;
      if (direct) {
        const d =
          directCost(b, targetAlong, dir, forwardB, backwardB, targetForward, targetBackward) + targetLeg;
        if (d < c) c = d;
      }
      c += byEdgeOffset[j]!;
      const inside = +!(c > bound);
      tallyPoint(j, inside);
      if (pairs !== null && inside === 1) pairs.push(byEdgeOrigin[j]!, k, c);
    }
  };

  const { order } = targets;
  for (let q = from; q < to; q++) {
    const k = order[q]!;
    const te = targets.edge[k]!;
    if (te < 0) continue;
    const leg = targets.offsetM[k]! * legCostPerM;
    if (leg > bound) continue;
    const a = targets.alongM[k]!;
    const forwardA = targets.forwardCost[k]!;
    const backwardA = targets.backwardCost[k]!;
    ws.reset();
    const fromStart = enters(edgeDirection[te]!, a, edgeLength[te]!, true);
    const fromEnd = enters(edgeDirection[te]!, a, edgeLength[te]!, false);
    const startCost = leg + forwardA;
    const endCost = leg + (edgeBackwardCost[te]! - backwardA);
    if (fromStart) ws.seed(edgeFrom[te]!, startCost, 0);
    if (fromEnd) ws.seed(edgeTo[te]!, endCost, 0);
    runBounded(ws, reverseOffsets, reverseSource, reverseLength, bound, buckets);
    edgeStamp[te] = k;
    if (edgeStart[te]! < edgeStart[te + 1]!) scanEdge(te, k, a, leg, forwardA, backwardA);
    for (let t = 0, count = ws.touchedCount; t < count; t++) {
      const u = touched[t]!;
      if (cost[u]! > bound) continue;
      for (let arc = reverseOffsets[u]!, end = reverseOffsets[u + 1]!; arc < end; arc++) {
        const e = reverseArcEdge[arc]!;
        if (edgeStamp[e] === k) continue;
        edgeStamp[e] = k;
        if (edgeStart[e]! < edgeStart[e + 1]!) scanEdge(e, k, -1, 0, 0, 0);
      }
      // With one-way streets, an edge leaving u against its direction still holds origins that
      // stand on u itself.
      if (!directed) continue;
      for (let arc = offsets[u]!, end = offsets[u + 1]!; arc < end; arc++) {
        const e = arcEdge[arc]!;
        if (edgeStamp[e] === k) continue;
        edgeStamp[e] = k;
        if (edgeStart[e]! < edgeStart[e + 1]!) scanEdge(e, k, -1, 0, 0, 0);
      }
    }
    ownerBits.flush(ownedWordCount, ownerWithinCount);
    ownedWordCount = 0;
  }
  ws.reset();
  return pairRows(pairs);
}

/**
 * Whether a target `a` metres along an edge of `length` can be reached from the edge's start node
 * (`fromStart`) or end node: walking along the edge in that direction, or standing on the node.
 */
export function enters(dir: number, a: number, length: number, fromStart: boolean): boolean {
  return fromStart ? (dir & FORWARD) !== 0 || a === 0 : (dir & BACKWARD) !== 0 || a === length;
}

/**
 * Cost along one edge from an origin at `b` metres to a target at `a` metres from the edge's start,
 * walking forwards (a >= b) or backwards (a <= b) as the edge allows; Infinity when it does not.
 * `forwardB`/`backwardB` and `forwardA`/`backwardA` are the forward cost from the start to each
 * point and the backward cost from each point to the start (the metres themselves in metres).
 */
export function directCost(
  b: number,
  a: number,
  dir: number,
  forwardB: number,
  backwardB: number,
  forwardA: number,
  backwardA: number,
): number {
  if (a >= b && dir & FORWARD) return forwardA - forwardB;
  if (a <= b && dir & BACKWARD) return backwardB - backwardA;
  return Number.POSITIVE_INFINITY;
}
