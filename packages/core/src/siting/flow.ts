import type { Problem } from './problem.js';

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
  private readonly siteNode: Map<number, number>;
  private readonly siteEdge: Map<number, number>;
  private readonly capacity: Map<number, number>;
  // Residual graph: edge e and its reverse e ^ 1.
  private readonly head: Int32Array;
  private readonly next: Int32Array;
  private readonly to: Int32Array;
  private readonly cap: Float64Array;
  private readonly level: Int32Array;
  private readonly iter: Int32Array;
  private readonly queue: Int32Array;
  private readonly nodes: number;
  private readonly eps: number;
  private readonly sites: readonly number[];
  total = 0;

  /**
   * @param sites every site that will be opened (fixed and new), with its capacity in residents.
   */
  constructor(problem: Problem, sites: readonly number[], capacityResidents: Float64Array) {
    const { nRows, rowStart, rowCol, weight } = problem;
    this.sites = sites.slice();
    const isSite = new Int32Array(problem.nCols).fill(-1);
    sites.forEach((j, s) => {
      isSite[j] = s;
    });
    // Group rows by their sorted set of sites.
    this.rowPattern = new Int32Array(nRows).fill(-1);
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
      this.rowPattern[i] = pattern;
    }
    this.patternCount = patternSites.length;
    this.patternDemand = Float64Array.from(demand);

    // Nodes: 0 source, 1 sink, 2… patterns, then sites.
    const P = this.patternCount;
    this.nodes = 2 + P + sites.length;
    let edges = 0;
    for (const list of patternSites) edges += list.length;
    edges = 2 * (edges + P + sites.length);
    this.head = new Int32Array(this.nodes).fill(-1);
    this.next = new Int32Array(edges);
    this.to = new Int32Array(edges);
    this.cap = new Float64Array(edges);
    this.level = new Int32Array(this.nodes);
    this.iter = new Int32Array(this.nodes);
    this.queue = new Int32Array(this.nodes);
    let e = 0;
    const addEdge = (u: number, v: number, c: number) => {
      this.to[e] = v;
      this.cap[e] = c;
      this.next[e] = this.head[u]!;
      this.head[u] = e++;
      this.to[e] = u;
      this.cap[e] = 0;
      this.next[e] = this.head[v]!;
      this.head[v] = e++;
    };
    let totalDemand = 0;
    for (let p = 0; p < P; p++) {
      addEdge(0, 2 + p, this.patternDemand[p]!);
      totalDemand += this.patternDemand[p]!;
      for (const s of patternSites[p]!) addEdge(2 + p, 2 + P + s, this.patternDemand[p]!);
    }
    this.siteNode = new Map();
    this.siteEdge = new Map();
    this.capacity = new Map();
    sites.forEach((j, s) => {
      this.siteNode.set(j, 2 + P + s);
      this.siteEdge.set(j, e);
      this.capacity.set(j, Math.max(0, capacityResidents[j]!));
      addEdge(2 + P + s, 1, 0);
    });
    this.eps = 1e-12 * Math.max(1, totalDemand);
  }

  /** Opens a site (its capacity becomes usable) and augments the flow; returns the new total. */
  open(site: number): number {
    const e = this.siteEdge.get(site);
    if (e === undefined) throw new Error(`Site ${site} is not in this allocation.`);
    this.cap[e] = this.capacity.get(site) ?? 0;
    this.total += this.maxflow();
    return this.total;
  }

  /** Residents served by a site in the current flow. */
  served(site: number): number {
    const e = this.siteEdge.get(site);
    return e === undefined ? 0 : this.cap[e ^ 1]!;
  }

  /** Share of each pattern's demand that is served in the current flow. */
  patternShare(): Float64Array {
    const share = new Float64Array(this.patternCount);
    for (let p = 0; p < this.patternCount; p++) {
      // The pattern's reverse edge to the source carries the flow that entered it.
      const demand = this.patternDemand[p]!;
      let e = this.head[2 + p]!;
      let flowIn = 0;
      for (; e >= 0; e = this.next[e]!) if (this.to[e] === 0) flowIn = this.cap[e]!;
      share[p] = demand > 0 ? Math.min(1, flowIn / demand) : 0;
    }
    return share;
  }

  /** Flow from a pattern to each of its sites, as (site target, residents) pairs. */
  patternFlows(pattern: number): [number, number][] {
    const out: [number, number][] = [];
    const P = this.patternCount;
    for (let e = this.head[2 + pattern]!; e >= 0; e = this.next[e]!) {
      const v = this.to[e]!;
      if (v < 2 + P) continue;
      const flow = this.cap[e ^ 1]!;
      if (flow > this.eps) out.push([this.sites[v - 2 - P]!, flow]);
    }
    return out;
  }

  private maxflow(): number {
    let flow = 0;
    while (this.bfs()) {
      this.iter.set(this.head);
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
    level.fill(-1);
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
