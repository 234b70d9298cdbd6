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
    for (const node of this.seeds) if (cost[node]! <= bound) this.queue(node, cost[node]!, scale, last);
    this.seeds.length = 0;
    let settled = 0;
    for (let b = 0; b < buckets; b++) {
      for (let entry = head[b]!; entry >= 0; entry = head[b]!) {
        head[b] = this.entryNext[entry]!;
        const u = this.entryNode[entry]!;
        const cu = this.entryCost[entry]!;
        if (cu !== cost[u]) continue;
        settled++;
        const lu = this.label[u]!;
        for (let a = offsets[u]!, end = offsets[u + 1]!; a < end; a++) {
          this.offer(other[a]!, cu + length[a]!, lu, bound, scale, last);
        }
      }
    }
    return settled;
  }

  private offer(v: number, c: number, l: number, bound: number, scale: number, last: number): void {
    const old = this.cost[v]!;
    if (c > old || (c === old && l >= this.label[v]!)) return;
    this.cost[v] = c;
    this.label[v] = l;
    if (old === Number.POSITIVE_INFINITY) this.touched[this.touchedCount++] = v;
    // Queued again on a smaller label at the same cost too (rare: ties), so that the label travels on
    // should the node have been settled already.
    if (c <= bound) this.queue(v, c, scale, last);
  }

  private queue(v: number, c: number, scale: number, last: number): void {
    const bucket = Math.min(last, Math.floor(c * scale));
    if (this.entryCount === this.entryNode.length) this.grow();
    const entry = this.entryCount++;
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
