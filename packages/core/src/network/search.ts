// Bounded Dijkstra on the CSR arrays of a road graph, with a 4-ary heap in typed arrays.
//
// One workspace is allocated per graph and reused by every search: costs, labels and heap
// positions live in arrays the size of the graph, and a search remembers the nodes it touched so
// that the next one resets only those (a 1 km search touches a few hundred nodes of a city's
// hundred thousand). The heap supports decrease-key through a position array, so it never holds
// more entries than nodes and needs no stale-entry checks.

const UNSEEN = -1;
const SETTLED = -2;

/** Scratch state of Dijkstra searches over one graph of `nodeCount` nodes. */
export class SearchWorkspace {
  /** Cost per node; Infinity when not reached. Exact for every node with cost <= the bound. */
  readonly cost: Float64Array;
  /** Label (source index) of the source that reached each node first; -1 when none. */
  readonly label: Int32Array;
  /** Nodes touched by the last search, `touched[0 … touchedCount - 1]`, in the order first reached. */
  readonly touched: Uint32Array;
  touchedCount = 0;
  // A 4-ary heap of nodes with each one's cost beside it, so that sifting compares keys read in
  // order from one array instead of looking up the costs of nodes scattered over the graph.
  private readonly heap: Uint32Array;
  private readonly heapKey: Float64Array;
  // Heap slot of each node, or UNSEEN / SETTLED.
  private readonly position: Int32Array;
  private heapSize = 0;
  // Metres of the path that gave each node its cost, kept only by the tracking searches (a walker's
  // graph costs minutes, and the length of the quickest walk is reported beside them).
  private metres: Float64Array | null = null;

  constructor(nodeCount: number) {
    this.cost = new Float64Array(nodeCount).fill(Number.POSITIVE_INFINITY);
    this.label = new Int32Array(nodeCount).fill(-1);
    this.touched = new Uint32Array(nodeCount);
    this.heap = new Uint32Array(nodeCount);
    this.heapKey = new Float64Array(nodeCount);
    this.position = new Int32Array(nodeCount).fill(UNSEEN);
  }

  /** Forgets the last search: resets the nodes it touched. */
  reset(): void {
    const { cost, label, position, touched } = this;
    for (let k = 0; k < this.touchedCount; k++) {
      const u = touched[k]!;
      cost[u] = Number.POSITIVE_INFINITY;
      label[u] = -1;
      position[u] = UNSEEN;
    }
    this.touchedCount = 0;
    this.heapSize = 0;
  }

  /**
   * Offers `node` at `cost` with `label` before a search: kept when cheaper than what the node has
   * (or as cheap with a smaller label, so ties resolve to the smallest source index).
   */
  seed(node: number, cost: number, label: number): void {
    this.offer(node, cost, label);
  }

  /** {@link SearchWorkspace.seed} for {@link SearchWorkspace.runTracking}: the seed's path is `metres` long. */
  seedTracking(node: number, cost: number, label: number, metres: number): void {
    if (this.offer(node, cost, label)) this.pathMetres[node] = metres;
  }

  /** Metres of the path that reached each node at its cost, after {@link SearchWorkspace.runTracking}. */
  get pathMetres(): Float64Array {
    this.metres ??= new Float64Array(this.cost.length);
    return this.metres;
  }

  /**
   * {@link SearchWorkspace.run} that also keeps, per node, the length in metres of the path that
   * gave it its cost (arc `a` is `edgeLength[arcEdge[a]]` long), in {@link SearchWorkspace.pathMetres}.
   */
  runTracking(
    offsets: Uint32Array,
    other: Uint32Array,
    length: Float64Array,
    arcEdge: Uint32Array,
    edgeLength: Float64Array,
    bound: number,
  ): number {
    const { cost, position } = this;
    const metres = this.pathMetres;
    let settled = 0;
    for (let u = this.settleNext(bound); u >= 0; u = this.settleNext(bound), settled++) {
      const cu = cost[u]!;
      const lu = this.label[u]!;
      const mu = metres[u]!;
      for (let a = offsets[u]!, end = offsets[u + 1]!; a < end; a++) {
        const v = other[a]!;
        if (position[v] === SETTLED) continue;
        if (this.offer(v, cu + length[a]!, lu)) metres[v] = mu + edgeLength[arcEdge[a]!]!;
      }
    }
    return settled;
  }

  /**
   * Runs Dijkstra from the seeded nodes over arcs `offsets`/`other`/`length` (pass a graph's reverse
   * CSR to get costs *to* the seeds), settling every node whose cost is at most `bound`. Returns the
   * number of nodes settled.
   */
  run(offsets: Uint32Array, other: Uint32Array, length: Float64Array, bound: number): number {
    const { cost, position } = this;
    let settled = 0;
    for (let u = this.settleNext(bound); u >= 0; u = this.settleNext(bound), settled++) {
      const cu = cost[u]!;
      const lu = this.label[u]!;
      for (let a = offsets[u]!, end = offsets[u + 1]!; a < end; a++) {
        const v = other[a]!;
        if (position[v] !== SETTLED) this.offer(v, cu + length[a]!, lu);
      }
    }
    return settled;
  }

  /** Settles the heap's cheapest node and returns it, or -1 when none is left within `bound`. */
  private settleNext(bound: number): number {
    if (this.heapSize === 0 || this.heapKey[0]! > bound) return -1;
    const u = this.heap[0]!;
    const size = --this.heapSize;
    if (size > 0) this.siftDown(0, this.heap[size]!, this.heapKey[size]!);
    this.position[u] = SETTLED;
    return u;
  }

  /** Offers `v` at cost `c` with label `l`; true when it took the offer. */
  private offer(v: number, c: number, l: number): boolean {
    const cost = this.cost;
    const old = cost[v]!;
    if (c > old || (c === old && l >= this.label[v]!)) return false;
    const p = this.position[v]!;
    if (p === SETTLED) return false;
    cost[v] = c;
    this.label[v] = l;
    if (p === UNSEEN) {
      this.touched[this.touchedCount++] = v;
      this.siftUp(this.heapSize++, v, c);
    } else {
      this.siftUp(p, v, c);
    }
    return true;
  }

  private siftUp(slot: number, v: number, c: number): void {
    const { heap, heapKey, position } = this;
    while (slot > 0) {
      const parentSlot = (slot - 1) >> 2;
      const parentKey = heapKey[parentSlot]!;
      if (parentKey <= c) break;
      const parent = heap[parentSlot]!;
      heap[slot] = parent;
      heapKey[slot] = parentKey;
      position[parent] = slot;
      slot = parentSlot;
    }
    heap[slot] = v;
    heapKey[slot] = c;
    position[v] = slot;
  }

  private siftDown(slot: number, v: number, c: number): void {
    const { heap, heapKey, position } = this;
    const size = this.heapSize;
    for (;;) {
      const first = 4 * slot + 1;
      if (first >= size) break;
      // The cheapest of up to four children, which sit side by side in memory.
      let child = first;
      let childKey = heapKey[first]!;
      const last = first + 3 < size ? first + 3 : size - 1;
      for (let s = first + 1; s <= last; s++) {
        const key = heapKey[s]!;
        if (key < childKey) {
          child = s;
          childKey = key;
        }
      }
      if (childKey >= c) break;
      const childNode = heap[child]!;
      heap[slot] = childNode;
      heapKey[slot] = childKey;
      position[childNode] = slot;
      slot = child;
    }
    heap[slot] = v;
    heapKey[slot] = c;
    position[v] = slot;
  }
}
