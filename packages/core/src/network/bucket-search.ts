// A bounded search with a bucket queue (Dial's algorithm) instead of a heap, for the counts' one
// search per facility: costs between 0 and the bound fall into buckets of equal width, and nodes are
// settled bucket by bucket. When no arc is shorter than a bucket is wide, a node can never improve
// another of its own bucket (an arc adds at least the width), so every node in a bucket already has
// its final cost and the buckets' order is as good as the heap's: the costs are Dijkstra's, bit for
// bit (each is the cheapest sum along a path, added in path order, whatever the order of settling).
// Even were an arc's head to land in its tail's bucket, it would be settled again there when it got
// cheaper (the bucket is read until empty, and stale entries are skipped), so the costs are exact
// whatever the widths, and so are the labels (a smaller label at the same cost is queued again); the
// width only keeps that from happening.
// Pushing and popping cost O(1) where the heap sifted through its levels; a 1 km search over a
// city's 77.5 m blocks spends its time in the arcs, not in the queue. Labels as in the heap search
// (the source that reaches a node first, ties to the smaller label): every cheapest predecessor of a
// node lies in an earlier bucket, so its label is final before the node is settled, as in Dijkstra.

/**
 * Most buckets a search uses. Where the graph's shortest arc would need more, the buckets are wider
 * than some arcs, and the few nodes such arcs join may be settled again within a bucket (see above).
 */
export const MAX_BUCKETS = 4096;

/**
 * How many buckets a search to `bound` uses: enough that none is wider than `shortestArc`, the
 * graph's shortest arc cost, up to {@link MAX_BUCKETS}; 0 when the bound is not finite or an arc
 * costs nothing (ties along such arcs would make labels depend on the order of settling), so the
 * caller uses the heap.
 */
export function bucketCountFor(bound: number, shortestArc: number): number {
  if (!(bound >= 0 && bound < Number.POSITIVE_INFINITY)) return 0;
  if (bound === 0) return 1;
  if (!(shortestArc > 0)) return 0;
  // A little narrower than the shortest arc, so that rounding in the bucket of a cost can never
  // leave an arc's head in its tail's bucket.
  const buckets = Math.ceil((bound * (1 + 1e-6)) / shortestArc);
  return Math.max(1, Math.min(MAX_BUCKETS, buckets));
}

/** The cost of the cheapest arc, the bucket queue's limit on its buckets' width. */
export function shortestArc(length: Float64Array): number {
  let shortest = Number.POSITIVE_INFINITY;
  for (let a = 0; a < length.length; a++) if (length[a]! < shortest) shortest = length[a]!;
  return shortest;
}

/** The cost of the dearest arc (0 when there is none): how far ahead an unbounded search queues. */
export function longestArc(length: Float64Array): number {
  let longest = 0;
  for (let a = 0; a < length.length; a++) if (length[a]! > longest) longest = length[a]!;
  return longest;
}

/** The buckets of an unbounded search ({@link BucketSearch.runUnbounded}): their width and how many are kept. */
export interface BucketWindow {
  /** Cost span of one bucket. */
  readonly width: number;
  /** Buckets kept at once, in a ring: enough that no arc reaches past the ring. */
  readonly buckets: number;
}

/**
 * The ring of buckets for a search without a bound over arcs costing from `shortestArc` to
 * `longestArc`: buckets no wider than the shortest arc where at most {@link MAX_BUCKETS} of them
 * span the longest arc (wider otherwise, as in {@link bucketCountFor}), and enough of them that an
 * arc never reaches past the ring; null when an arc costs nothing or some cost is not finite, so
 * the caller uses the heap.
 */
export function bucketWindowFor(shortestArc: number, longestArc: number): BucketWindow | null {
  if (!(shortestArc > 0 && longestArc < Number.POSITIVE_INFINITY)) return null;
  const width = Math.max(shortestArc / (1 + 1e-6), longestArc / MAX_BUCKETS);
  // An arc's head lies at most ceil(longestArc / width) buckets after its tail's; two more for the
  // rounding of floor(cost / width).
  return { width, buckets: Math.ceil(longestArc / width) + 2 };
}

/** Scratch state of bounded bucket-queue searches over one graph of `nodeCount` nodes. */
export class BucketSearch {
  /** Cost per node; Infinity when not reached. Exact for every node with cost <= the bound. */
  readonly cost: Float64Array;
  /** Label (source index) of the source that reached each node first; -1 when none. */
  readonly label: Int32Array;
  /** Nodes touched by the last search, `touched[0 … touchedCount - 1]`, in the order first reached. */
  readonly touched: Uint32Array;
  touchedCount = 0;
  // Queue entries, one per accepted offer: the node, the cost it was offered at (an entry whose
  // node has since become cheaper is stale and skipped) and the next entry of the same bucket.
  private entryNode: Uint32Array;
  private entryCost: Float64Array;
  private entryNext: Int32Array;
  private entryCount = 0;
  // Entries queued and not yet taken.
  private queued = 0;
  // First entry of each bucket (-1 when empty); grown to the most buckets asked for.
  private bucketHead = new Int32Array(0);
  // Seeds offered since the last run, queued when it starts.
  private seeds: number[] = [];

  constructor(nodeCount: number) {
    this.cost = new Float64Array(nodeCount).fill(Number.POSITIVE_INFINITY);
    this.label = new Int32Array(nodeCount).fill(-1);
    this.touched = new Uint32Array(nodeCount);
    const capacity = Math.max(16, Math.min(nodeCount, 4096));
    this.entryNode = new Uint32Array(capacity);
    this.entryCost = new Float64Array(capacity);
    this.entryNext = new Int32Array(capacity);
  }

  /** Forgets the last search: resets the nodes it touched. */
  reset(): void {
    const { cost, label, touched } = this;
    for (let k = 0; k < this.touchedCount; k++) {
      const u = touched[k]!;
      cost[u] = Number.POSITIVE_INFINITY;
      label[u] = -1;
    }
    this.touchedCount = 0;
    this.entryCount = 0;
    this.queued = 0;
    this.seeds.length = 0;
  }

  /**
   * Offers `node` at `cost` with `label` before a search: kept when cheaper than what the node has
   * (or as cheap with a smaller label).
   */
  seed(node: number, cost: number, label: number): void {
    const old = this.cost[node]!;
    if (cost > old || (cost === old && label >= this.label[node]!)) return;
    this.cost[node] = cost;
    this.label[node] = label;
    if (old === Number.POSITIVE_INFINITY) {
      this.touched[this.touchedCount++] = node;
      this.seeds.push(node);
    }
  }

  /**
   * Runs the search from the seeded nodes over arcs `offsets`/`other`/`length` (pass a graph's
   * reverse CSR to get costs *to* the seeds) in `buckets` buckets (from {@link bucketCountFor}),
   * settling every node whose cost is at most `bound`. Returns the number of nodes settled.
   */
  run(
    offsets: Uint32Array,
    other: Uint32Array,
    length: Float64Array,
    bound: number,
    buckets: number,
  ): number {
    if (this.bucketHead.length < buckets) this.bucketHead = new Int32Array(buckets);
    const head = this.bucketHead;
    head.fill(-1, 0, buckets);
    // Bucket of cost c: floor(c × scale), the last one holding c = bound; monotone in c, so an arc's
    // head never falls in an earlier bucket than its tail.
    const scale = bound > 0 ? buckets / bound : 0;
    const last = buckets - 1;
    const cost = this.cost;
    for (const node of this.seeds) {
      if (cost[node]! <= bound)
        this.queueAt(node, cost[node]!, Math.min(last, Math.floor(cost[node]! * scale)));
    }
    this.seeds.length = 0;
    let settled = 0;
    for (let b = 0; b < buckets; b++)
      settled += this.settleBucket(b, offsets, other, length, bound, scale, 0, last);
    return settled;
  }

  /**
   * Runs the search from the seeded nodes over arcs `offsets`/`other`/`length` with no bound, on a
   * ring of buckets (`window`, from {@link bucketWindowFor} for these arcs): every node that can
   * reach a seed gets the heap search's cost and label. The seeds join the queue in order of cost
   * as the sweep reaches their buckets, so their costs may span more than the ring. Returns the
   * number of nodes settled.
   */
  runUnbounded(offsets: Uint32Array, other: Uint32Array, length: Float64Array, window: BucketWindow): number {
    const ring = window.buckets;
    if (this.bucketHead.length < ring) this.bucketHead = new Int32Array(ring);
    const head = this.bucketHead;
    head.fill(-1, 0, ring);
    const scale = 1 / window.width;
    const cost = this.cost;
    // Seeds by cost, each with the cost it was seeded at (a seed made cheaper before its turn is stale).
    const seeds = this.seeds.map((node) => ({ node, cost: cost[node]! }));
    seeds.sort((a, b) => a.cost - b.cost);
    this.seeds.length = 0;
    let nextSeed = 0;
    let settled = 0;
    let bucket = 0;
    while (this.queued > 0 || nextSeed < seeds.length) {
      // An empty queue skips ahead to the next seed's bucket.
      if (this.queued === 0) bucket = Math.max(bucket, Math.floor(seeds[nextSeed]!.cost * scale));
      for (; nextSeed < seeds.length; nextSeed++) {
        const seed = seeds[nextSeed]!;
        if (Math.floor(seed.cost * scale) > bucket) break;
        if (cost[seed.node] === seed.cost)
          this.queueAt(seed.node, seed.cost, Math.floor(seed.cost * scale) % ring);
      }
      settled += this.settleBucket(
        bucket % ring,
        offsets,
        other,
        length,
        Number.POSITIVE_INFINITY,
        scale,
        ring,
        0,
      );
      bucket++;
    }
    return settled;
  }

  // Settles the nodes of bucket `slot` (read until empty: a node made cheaper by another of its bucket
  // comes back to it) and queues those they make cheaper at a cost within `bound`, in bucket
  // floor(cost × scale) of a ring of `ring` buckets, or (ring 0) of a row ending at `last`. A node is
  // queued again on a smaller label at the same cost too (rare: ties), so that the label travels on
  // should it have been settled already. Returns how many it settled.
  private settleBucket(
    slot: number,
    offsets: Uint32Array,
    other: Uint32Array,
    length: Float64Array,
    bound: number,
    scale: number,
    ring: number,
    last: number,
  ): number {
    const head = this.bucketHead;
    const cost = this.cost;
    let settled = 0;
    for (let entry = head[slot]!; entry >= 0; entry = head[slot]!) {
      head[slot] = this.entryNext[entry]!;
      this.queued--;
      const u = this.entryNode[entry]!;
      const cu = this.entryCost[entry]!;
      if (cu !== cost[u]) continue;
      settled++;
      const lu = this.label[u]!;
      for (let a = offsets[u]!, end = offsets[u + 1]!; a < end; a++) {
        const v = other[a]!;
        const c = cu + length[a]!;
        if (!this.improve(v, c, lu) || c > bound) continue;
        const bucket = Math.floor(c * scale);
        this.queueAt(v, c, ring > 0 ? bucket % ring : Math.min(last, bucket));
      }
    }
    return settled;
  }

  // Gives v cost c and label l when that is cheaper than what it has, or as cheap with a smaller
  // label; whether it did (then v must be queued).
  private improve(v: number, c: number, l: number): boolean {
    const old = this.cost[v]!;
    if (c > old || (c === old && l >= this.label[v]!)) return false;
    this.cost[v] = c;
    this.label[v] = l;
    if (old === Number.POSITIVE_INFINITY) this.touched[this.touchedCount++] = v;
    return true;
  }

  private queueAt(v: number, c: number, bucket: number): void {
    if (this.entryCount === this.entryNode.length) this.grow();
    const entry = this.entryCount++;
    this.queued++;
    this.entryNode[entry] = v;
    this.entryCost[entry] = c;
    this.entryNext[entry] = this.bucketHead[bucket]!;
    this.bucketHead[bucket] = entry;
  }

  private grow(): void {
    const capacity = this.entryNode.length * 2;
    const node = new Uint32Array(capacity);
    node.set(this.entryNode);
    const cost = new Float64Array(capacity);
    cost.set(this.entryCost);
    const next = new Int32Array(capacity);
    next.set(this.entryNext);
    this.entryNode = node;
    this.entryCost = cost;
    this.entryNext = next;
  }
}
