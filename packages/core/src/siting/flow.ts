import type { Problem } from './problem.js';

/**
 * A flow network for Dinic's maximum-flow algorithm on typed arrays: node 0 is the source, node 1
 * the sink; edge e and its reverse e ^ 1 hold the residual capacities. `reset` reuses the buffers,
 * so a caller that solves many small networks (the capacitated interchange) allocates once.
 */
export class FlowNetwork {
  private head = new Int32Array(0);
  private next = new Int32Array(0);
  private to = new Int32Array(0);
  private cap = new Float64Array(0);
  private level = new Int32Array(0);
  private iter = new Int32Array(0);
  private queue = new Int32Array(0);
  private nodes = 0;
  private edges = 0;
  private eps = 0;

  constructor(nodes = 2, edges = 0, eps = 0) {
    this.reset(nodes, edges, eps);
  }

  /** Empties the network for `nodes` nodes and up to `edges` edges (reverse edges included). */
  reset(nodes: number, edges: number, eps: number): void {
    if (this.head.length < nodes) {
      const size = Math.max(nodes, 2 * this.head.length);
      this.head = new Int32Array(size);
      this.level = new Int32Array(size);
      this.iter = new Int32Array(size);
      this.queue = new Int32Array(size);
    }
    if (this.next.length < edges) {
      const size = Math.max(edges, 2 * this.next.length);
      this.next = new Int32Array(size);
      this.to = new Int32Array(size);
      this.cap = new Float64Array(size);
    }
    this.head.fill(-1, 0, nodes);
    this.level.fill(-1, 0, nodes);
    this.nodes = nodes;
    this.edges = 0;
    this.eps = eps;
  }

  /** Adds an edge u → v of capacity c (and its reverse of capacity 0); returns its index. */
  addEdge(u: number, v: number, c: number): number {
    const e = this.edges;
    this.to[e] = v;
    this.cap[e] = c;
    this.next[e] = this.head[u]!;
    this.head[u] = e;
    this.to[e + 1] = u;
    this.cap[e + 1] = 0;
    this.next[e + 1] = this.head[v]!;
    this.head[v] = e + 1;
    this.edges = e + 2;
    return e;
  }

  setCapacity(e: number, c: number): void {
    this.cap[e] = c;
  }

  /** Sends `amount` along edge e (the caller keeps the flow balanced at every node). */
  push(e: number, amount: number): void {
    this.cap[e]! -= amount;
    this.cap[e ^ 1]! += amount;
  }

  /** Flow on edge e (what its reverse edge holds). */
  flowOn(e: number): number {
    return this.cap[e ^ 1]!;
  }

  /** Residual capacity of edge e. */
  residual(e: number): number {
    return this.cap[e]!;
  }

  /** First edge out of node u (-1 when none); walk on with `nextEdge`. */
  firstEdge(u: number): number {
    return this.head[u]!;
  }

  nextEdge(e: number): number {
    return this.next[e]!;
  }

  target(e: number): number {
    return this.to[e]!;
  }

  /**
   * Whether node v is on the source side of a minimum cut: reachable from the source in the
   * residual network. Valid after `maxflow` (its last search, the one that failed to reach the sink).
   */
  sourceSide(v: number): boolean {
    return this.level[v]! >= 0;
  }

  /** Augments the current flow to a maximum one; returns the flow added. */
  maxflow(): number {
    let flow = 0;
    while (this.bfs()) {
      this.iter.set(this.head.subarray(0, this.nodes));
      for (;;) {
        const f = this.dfs(0, Number.POSITIVE_INFINITY);
        if (f <= this.eps) break;
        flow += f;
      }
    }
    return flow;
  }

  private bfs(): boolean {
    const { level, queue, head, next, to, cap } = this;
    level.fill(-1, 0, this.nodes);
    level[0] = 0;
    let qh = 0;
    let qt = 0;
    queue[qt++] = 0;
    while (qh < qt) {
      const u = queue[qh++]!;
      for (let e = head[u]!; e >= 0; e = next[e]!) {
        const v = to[e]!;
        if (cap[e]! > this.eps && level[v]! < 0) {
          level[v] = level[u]! + 1;
          queue[qt++] = v;
        }
      }
    }
    return level[1]! >= 0;
  }

  // An augmenting path alternates patterns and sites, so its depth is at most about twice the number
  // of open sites (hundreds): recursion is safe here.
  private dfs(u: number, limit: number): number {
    if (u === 1) return limit;
    const { level, iter, next, to, cap } = this;
    for (let e = iter[u]!; e >= 0; e = next[e]!, iter[u] = e) {
      const v = to[e]!;
      if (cap[e]! <= this.eps || level[v] !== level[u]! + 1) continue;
      const pushed = this.dfs(v, Math.min(limit, cap[e]!));
      if (pushed > this.eps) {
        cap[e]! -= pushed;
        cap[e ^ 1]! += pushed;
        return pushed;
      }
    }
    iter[u] = -1;
    return 0;
  }
}

/**
 * The exact allocation of residents to capacitated sites: a maximum flow from demand to open sites
 * (each resident served at most once, each site up to its capacity, only within the radius).
 *
 * Rows that reach exactly the same open sites are interchangeable, so they are merged into one
 * *pattern* node first; with a few hundred open sites a million demand points collapse to a few
 * thousand patterns and Dinic's algorithm runs on a small graph. Sites are opened one at a time
 * (`open`) and the flow is augmented from the previous one, which gives the served population after
 * every prefix of the chosen sites.
 */
export class AllocationFlow {
  /** Pattern of each row (-1 when it reaches no open site). */
  readonly rowPattern: Int32Array;
  readonly patternCount: number;
  private readonly patternDemand: Float64Array;
  private readonly siteEdge: Map<number, number>;
  private readonly capacity: Map<number, number>;
  private readonly network: FlowNetwork;
  private readonly sites: readonly number[];
  private readonly eps: number;
  total = 0;

  /**
   * @param sites every site that will be opened (fixed and new), with its capacity in residents.
   */
  constructor(problem: Problem, sites: readonly number[], capacityResidents: Float64Array) {
    this.sites = sites.slice();
    const patterns = sitePatterns(problem, sites);
    this.rowPattern = patterns.rowPattern;
    this.patternCount = patterns.sites.length;
    this.patternDemand = Float64Array.from(patterns.demand);

    // Nodes: 0 source, 1 sink, 2… patterns, then sites.
    const P = this.patternCount;
    let edges = 0;
    let totalDemand = 0;
    for (const list of patterns.sites) edges += list.length;
    for (const d of this.patternDemand) totalDemand += d;
    this.eps = 1e-12 * Math.max(1, totalDemand);
    this.network = new FlowNetwork(2 + P + sites.length, 2 * (edges + P + sites.length), this.eps);
    for (let p = 0; p < P; p++) {
      this.network.addEdge(0, 2 + p, this.patternDemand[p]!);
      for (const s of patterns.sites[p]!) this.network.addEdge(2 + p, 2 + P + s, this.patternDemand[p]!);
    }
    this.siteEdge = new Map();
    this.capacity = new Map();
    sites.forEach((j, s) => {
      this.siteEdge.set(j, this.network.addEdge(2 + P + s, 1, 0));
      this.capacity.set(j, Math.max(0, capacityResidents[j]!));
    });
  }

  /** Opens a site (its capacity becomes usable) and augments the flow; returns the new total. */
  open(site: number): number {
    const e = this.siteEdge.get(site);
    if (e === undefined) throw new Error(`Site ${site} is not in this allocation.`);
    this.network.setCapacity(e, this.capacity.get(site) ?? 0);
    this.total += this.network.maxflow();
    return this.total;
  }

  /** Residents served by a site in the current flow. */
  served(site: number): number {
    const e = this.siteEdge.get(site);
    return e === undefined ? 0 : this.network.flowOn(e);
  }

  /**
   * Whether row i is on the source side of a minimum cut of the current flow: it reaches no open
   * site (its demand is unserved), or more flow could reach it from unserved demand.
   */
  rowSourceSide(i: number): boolean {
    const p = this.rowPattern[i]!;
    return p < 0 || this.network.sourceSide(2 + p);
  }

  /** Share of each pattern's demand that is served in the current flow. */
  patternShare(): Float64Array {
    const share = new Float64Array(this.patternCount);
    const network = this.network;
    for (let p = 0; p < this.patternCount; p++) {
      // The pattern's reverse edge to the source carries the flow that entered it.
      const demand = this.patternDemand[p]!;
      let flowIn = 0;
      for (let e = network.firstEdge(2 + p); e >= 0; e = network.nextEdge(e)) {
        if (network.target(e) === 0) flowIn = network.residual(e);
      }
      share[p] = demand > 0 ? Math.min(1, flowIn / demand) : 0;
    }
    return share;
  }

  /** Flow from a pattern to each of its sites, as (site target, residents) pairs. */
  patternFlows(pattern: number): [number, number][] {
    const out: [number, number][] = [];
    const P = this.patternCount;
    const network = this.network;
    for (let e = network.firstEdge(2 + pattern); e >= 0; e = network.nextEdge(e)) {
      const v = network.target(e);
      if (v < 2 + P) continue;
      const flow = network.flowOn(e);
      if (flow > this.eps) out.push([this.sites[v - 2 - P]!, flow]);
    }
    return out;
  }
}

/**
 * Rows grouped by the set of sites they reach: each row's pattern (-1 for none), and per pattern
 * the positions in `sites` it reaches (ascending) and its demand.
 */
export function sitePatterns(
  problem: Problem,
  sites: readonly number[],
): { rowPattern: Int32Array; sites: number[][]; demand: number[] } {
  const { nRows, rowStart, rowCol, weight } = problem;
  const isSite = new Int32Array(problem.nCols).fill(-1);
  sites.forEach((j, s) => {
    isSite[j] = s;
  });
  const rowPattern = new Int32Array(nRows).fill(-1);
  const byKey = new Map<string, number>();
  const patternSites: number[][] = [];
  const demand: number[] = [];
  const scratch: number[] = [];
  for (let i = 0; i < nRows; i++) {
    scratch.length = 0;
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      const s = isSite[rowCol[q]!]!;
      if (s >= 0) scratch.push(s);
    }
    if (scratch.length === 0) continue;
    scratch.sort((a, b) => a - b);
    const key = scratch.join(',');
    let pattern = byKey.get(key);
    if (pattern === undefined) {
      pattern = patternSites.length;
      byKey.set(key, pattern);
      patternSites.push(scratch.slice());
      demand.push(0);
    }
    demand[pattern]! += weight[i]!;
    rowPattern[i] = pattern;
  }
  return { rowPattern, sites: patternSites, demand };
}
