import { FlowNetwork, sitePatterns } from './flow.js';
import { type InterchangeLimits, SwapRules } from './interchange.js';
import { ELIGIBLE, openColumns, type Problem } from './problem.js';

/** What the capacitated interchange did. */
export interface CapacityInterchangeRun {
  /** The new sites after the swaps (same count as given). */
  readonly sites: number[];
  /** Residents served (the max-flow value) with them. */
  readonly served: number;
  readonly swaps: number;
  readonly passes: number;
  /** Exact flow evaluations of a site set (work done). */
  readonly evaluations: number;
  /** True when a pass found no improving swap (a local optimum), false when a limit stopped it. */
  readonly converged: boolean;
}

/**
 * Interchange for capacitated coverage: swap an open new site r for a candidate c when the exact
 * allocation (maximum flow) of the new set serves more residents.
 *
 * Every candidate pair would need a max flow, so the pass is pruned by two upper bounds on the gain
 * of a swap. Removing a site never raises the flow, so swap(c, r) gains at most what adding c gains,
 * and by the max-flow min-cut theorem that is at most c's capacity, and at most the residents within
 * its reach on the source side of the current minimum cut (the others cannot send it any more flow).
 * It also gains at most min(capacity, residents in reach) − loss(r), where loss(r) is what removing
 * r costs (one flow per open site, per pass). Candidates go best bound first, each against the open
 * sites in order of their loss, and a pair whose bound cannot beat the best gain found is skipped:
 * when a pass ends without a swap, no single swap improves the answer.
 *
 * The evaluation is incremental ({@link SwapAllocation}): only rows in reach of c or r change their
 * pattern, and only the connected parts of the flow network that those patterns touch are solved
 * again. Existing facilities stay open, and every swap keeps the spacing, budget and districts.
 */
export function capacityInterchange(
  problem: Problem,
  initial: readonly number[],
  residents: Float64Array,
  limits: InterchangeLimits,
): CapacityInterchangeRun {
  const { nCols, status, colStart, colRow, weight } = problem;
  const deadline = Date.now() + limits.timeMs;
  const p = initial.length;
  const sites = initial.slice();
  const allocation = new SwapAllocation(problem, sites, residents);
  const open = openColumns(problem, sites);
  const rules = new SwapRules(problem, open, sites);
  const tolerance = 1e-9 * Math.max(1, problem.population);
  const loss = new Float64Array(p);
  const bySlot = Array.from({ length: p }, (_, s) => s);
  let swaps = 0;
  let passes = 0;
  let converged = false;
  let timedOut = false;

  const refreshLosses = () => {
    for (let s = 0; s < p; s++) loss[s] = allocation.total - allocation.evaluate(-1, sites[s]!);
    bySlot.sort((a, b) => loss[a]! - loss[b]! || a - b);
  };

  while (passes < limits.passes && !timedOut && p > 0) {
    passes++;
    refreshLosses();
    // Bounds of every candidate: what adding it can gain, and its capacity within its reach.
    const candidates: number[] = [];
    const addBound = new Float64Array(nCols);
    const reachBound = new Float64Array(nCols);
    for (let c = 0; c < nCols; c++) {
      if (status[c] !== ELIGIBLE || open[c] !== 0 || rules.onlyPartner(c) === -2) continue;
      let reach = 0;
      let cut = 0;
      for (let q = colStart[c]!, e = colStart[c + 1]!; q < e; q++) {
        const i = colRow[q]!;
        reach += weight[i]!;
        if (allocation.sourceSide(i)) cut += weight[i]!;
      }
      const capacity = residents[c]!;
      addBound[c] = Math.min(capacity, cut);
      reachBound[c] = Math.min(capacity, reach);
      if (addBound[c]! > tolerance) candidates.push(c);
    }
    candidates.sort((a, b) => addBound[b]! - addBound[a]! || a - b);
    let improved = false;
    for (let n = 0; n < candidates.length; n++) {
      if (Date.now() > deadline) {
        timedOut = true;
        break;
      }
      const c = candidates[n]!;
      const only = rules.onlyPartner(c);
      if (open[c] !== 0 || only === -2) continue;
      // What adding c alone gains bounds every swap with it; a site in a part of the network that
      // adding c leaves alone loses exactly its loss, so the far sites need no flow of their own.
      const added = allocation.evaluate(c, -1) - allocation.total;
      if (added <= tolerance) continue;
      let best = tolerance;
      let bestSlot = -1;
      let farDone = false;
      for (const s of bySlot) {
        const r = sites[s]!;
        if (only >= 0 && r !== only) continue;
        // Losses ascend, so once the bound cannot beat the best gain, no later site can.
        if (Math.min(added, reachBound[c]! - loss[s]!) <= best) break;
        if (!rules.allows(c, r)) continue;
        let gain: number;
        if (allocation.near(r)) gain = allocation.evaluate(c, r) - allocation.total;
        else if (!farDone) {
          farDone = true;
          gain = added - loss[s]!;
        } else continue;
        if (gain > best) {
          best = gain;
          bestSlot = s;
        }
        // A swap's evaluation marks c's parts and r's: later sites may look near when they are
        // not, which only costs an exact evaluation.
      }
      if (bestSlot < 0) continue;
      const r = sites[bestSlot]!;
      allocation.apply(c, r);
      rules.swap(c, r);
      open[r] = 0;
      open[c] = 1;
      sites[bestSlot] = c;
      swaps++;
      improved = true;
      refreshLosses();
    }
    if (!improved && !timedOut) {
      converged = true;
      break;
    }
  }
  return {
    sites,
    served: allocation.total,
    swaps,
    passes,
    evaluations: allocation.evaluations,
    converged,
  };
}

/**
 * The max-flow allocation of a set of open sites, kept up to date under swaps and able to evaluate
 * a swap without applying it.
 *
 * Open sites sit in *slots* (existing facilities first, then the new sites); a swap puts the
 * candidate into the slot of the site it replaces. Rows are grouped into patterns (the set of slots
 * they reach), as in {@link AllocationFlow}. The network falls apart into connected parts (sites
 * linked by patterns that reach several of them); the flow of each part is kept, and a swap only
 * re-solves the parts that the rows in reach of the two sites belong to.
 */
class SwapAllocation {
  private readonly problem: Problem;
  private readonly residents: Float64Array;
  /** Column in each slot, and the slot of each open column (-1 when not open). */
  private readonly slotCol: Int32Array;
  private readonly slotOf: Int32Array;
  private readonly rowPattern: Int32Array;
  private readonly patternSlots: number[][];
  private patternDemand: Float64Array;
  private readonly patternKey = new Map<string, number>();
  /** Connected part of each slot, the patterns of each part, and each part's flow. */
  private partOf: Int32Array;
  private partPatterns: number[][] = [];
  private partFlow: number[] = [];
  /** Patterns on the source side of the minimum cut of the current flow. */
  private sourcePattern = new Uint8Array(0);
  private readonly network = new FlowNetwork();
  private readonly eps: number;
  // Scratch of the evaluations.
  private readonly rowStamp: Int32Array;
  private readonly inReach: Uint8Array;
  private stamp = 0;
  private readonly slotNode: Int32Array;
  private readonly slotStamp: Int32Array;
  private readonly slotEdge: Int32Array;
  private readonly slotLeft: Float64Array;
  private solvedSlots: number[] = [];
  private readonly partStamp: Int32Array;
  private touchedStamp = -1;
  private keyStamp = new Int32Array(0);
  private keyGroup = new Int32Array(0);
  private groupPattern = new Int32Array(0);
  private groupAdd = new Uint8Array(0);
  private groupWeight = new Float64Array(0);
  private moved = new Float64Array(0);
  private movedStamp = new Int32Array(0);
  total = 0;
  evaluations = 0;

  constructor(problem: Problem, sites: readonly number[], residents: Float64Array) {
    this.problem = problem;
    this.residents = residents;
    const all = [...problem.fixed, ...sites];
    this.slotCol = Int32Array.from(all);
    this.slotOf = new Int32Array(problem.nCols).fill(-1);
    all.forEach((j, s) => {
      this.slotOf[j] = s;
    });
    const patterns = sitePatterns(problem, all);
    this.rowPattern = patterns.rowPattern;
    this.patternSlots = patterns.sites;
    this.patternSlots.forEach((list, p) => {
      this.patternKey.set(list.join(','), p);
    });
    this.patternDemand = new Float64Array(0);
    this.eps = 1e-12 * Math.max(1, problem.population);
    this.rowStamp = new Int32Array(problem.nRows);
    this.inReach = new Uint8Array(problem.nRows);
    // One slot more than there are sites: where an added candidate goes.
    this.slotNode = new Int32Array(all.length + 1);
    this.slotStamp = new Int32Array(all.length + 1);
    this.slotEdge = new Int32Array(all.length + 1);
    this.slotLeft = new Float64Array(all.length + 1);
    this.partOf = new Int32Array(all.length);
    this.partStamp = new Int32Array(all.length);
    this.refresh();
  }

  /** Whether row i could send more flow to a new site: unserved, or on the source side of the cut. */
  sourceSide(i: number): boolean {
    const p = this.rowPattern[i]!;
    return p < 0 || this.sourcePattern[p] === 1;
  }

  /**
   * The flow with open site `r` replaced by candidate `c`, without changing the allocation: c = -1
   * closes r and opens nothing, r = -1 opens c and closes nothing. Afterwards `near(r)` says whether
   * a site's part of the network was re-solved (otherwise the two changes do not interact).
   */
  evaluate(c: number, r: number): number {
    this.evaluations++;
    const s = r >= 0 ? this.slotOf[r]! : this.slotCol.length;
    const groups = this.groups(c, r);
    // Parts touched: r's, and those of the patterns whose rows change.
    const stamp = ++this.stamp;
    this.touchedStamp = stamp;
    const parts: number[] = [];
    const touch = (part: number) => {
      if (this.partStamp[part] !== stamp) {
        this.partStamp[part] = stamp;
        parts.push(part);
      }
    };
    if (r >= 0) touch(this.partOf[s]!);
    const { groupPattern, groupAdd, groupWeight, moved } = this;
    for (let g = 0; g < groups; g++) {
      const p = groupPattern[g]!;
      if (p < 0) continue;
      touch(this.partOf[this.patternSlots[p]![0]!]!);
      this.movedStamp[p] = stamp;
      moved[p] = 0;
    }
    for (let g = 0; g < groups; g++) if (groupPattern[g]! >= 0) moved[groupPattern[g]!]! += groupWeight[g]!;
    // The sub-network: the touched parts' patterns (less what moves) and the moved groups.
    const nodeDemand: number[] = [];
    const nodeSlots: (readonly number[])[] = [];
    let before = 0;
    for (const part of parts) {
      before += this.partFlow[part]!;
      for (const p of this.partPatterns[part]!) {
        const demand = this.patternDemand[p]! - (this.movedStamp[p] === stamp ? moved[p]! : 0);
        if (demand > this.eps) {
          nodeDemand.push(demand);
          nodeSlots.push(this.patternSlots[p]!);
        }
      }
    }
    for (let g = 0; g < groups; g++) {
      if (groupWeight[g]! <= this.eps) continue;
      const slots = this.moveSlots(groupPattern[g]!, groupAdd[g] === 1, s);
      if (slots.length > 0) {
        nodeDemand.push(groupWeight[g]!);
        nodeSlots.push(slots);
      }
    }
    const capacityOf = (slot: number) =>
      slot === s ? (c >= 0 ? this.residents[c]! : 0) : this.residents[this.slotCol[slot]!]!;
    return this.total - before + this.solve(nodeDemand, nodeSlots, capacityOf);
  }

  /** Whether open site r's part of the network was re-solved by the last evaluation. */
  near(r: number): boolean {
    return this.partStamp[this.partOf[this.slotOf[r]!]!] === this.touchedStamp;
  }

  /** Replaces open site `r` by candidate `c` and updates the allocation. */
  apply(c: number, r: number): void {
    const s = this.slotOf[r]!;
    const { colStart, colRow } = this.problem;
    const stamp = ++this.stamp;
    for (let q = colStart[c]!, e = colStart[c + 1]!; q < e; q++) this.rowStamp[colRow[q]!] = stamp;
    const moves = new Map<number, number>();
    const move = (i: number, add: boolean) => {
      const from = this.rowPattern[i]!;
      const key = 2 * (from + 1) + (add ? 1 : 0);
      let to = moves.get(key);
      if (to === undefined) {
        const slots = this.moveSlots(from, add, s);
        to = slots.length === 0 ? -1 : this.patternOf(slots);
        moves.set(key, to);
      }
      this.rowPattern[i] = to;
    };
    for (let q = colStart[r]!, e = colStart[r + 1]!; q < e; q++) {
      const i = colRow[q]!;
      if (this.rowStamp[i] === stamp) this.inReach[i] = 1;
      else move(i, false);
    }
    for (let q = colStart[c]!, e = colStart[c + 1]!; q < e; q++) {
      const i = colRow[q]!;
      if (this.inReach[i]) this.inReach[i] = 0;
      else move(i, true);
    }
    this.slotOf[r] = -1;
    this.slotOf[c] = s;
    this.slotCol[s] = c;
    this.refresh();
  }

  /**
   * Rows that change pattern when r's slot goes to c (either may be -1), grouped by old pattern
   * and direction into `groupPattern`, `groupAdd`, `groupWeight`; returns the number of groups.
   */
  private groups(c: number, r: number): number {
    const { colStart, colRow, weight } = this.problem;
    const stamp = ++this.stamp;
    if (c >= 0 && r >= 0) {
      for (let q = colStart[c]!, e = colStart[c + 1]!; q < e; q++) this.rowStamp[colRow[q]!] = stamp;
    }
    let count = 0;
    const add = (i: number, direction: number) => {
      const pattern = this.rowPattern[i]!;
      const key = 2 * (pattern + 1) + direction;
      if (this.keyStamp[key] !== stamp) {
        this.keyStamp[key] = stamp;
        this.keyGroup[key] = count;
        this.groupPattern[count] = pattern;
        this.groupAdd[count] = direction;
        this.groupWeight[count++] = 0;
      }
      this.groupWeight[this.keyGroup[key]!]! += weight[i]!;
    };
    if (r >= 0) {
      for (let q = colStart[r]!, e = colStart[r + 1]!; q < e; q++) {
        const i = colRow[q]!;
        // A row in reach of both keeps its pattern (the slot changes hands).
        if (this.rowStamp[i] === stamp) this.inReach[i] = 1;
        else add(i, 0);
      }
    }
    if (c >= 0) {
      for (let q = colStart[c]!, e = colStart[c + 1]!; q < e; q++) {
        const i = colRow[q]!;
        if (this.inReach[i]) this.inReach[i] = 0;
        else add(i, 1);
      }
    }
    return count;
  }

  /** A pattern's slots with slot s added or removed (pattern -1: no slots). */
  private moveSlots(pattern: number, add: boolean, s: number): number[] {
    const slots = pattern < 0 ? [] : this.patternSlots[pattern]!;
    if (!add) return slots.filter((x) => x !== s);
    const out = slots.slice();
    let at = out.length;
    while (at > 0 && out[at - 1]! > s) at--;
    out.splice(at, 0, s);
    return out;
  }

  private patternOf(slots: number[]): number {
    const key = slots.join(',');
    let p = this.patternKey.get(key);
    if (p === undefined) {
      p = this.patternSlots.length;
      this.patternSlots.push(slots);
      this.patternKey.set(key, p);
    }
    return p;
  }

  /**
   * Max flow of pattern nodes (demand, slots reached) into slots of the given capacities; the slots'
   * edges to the sink are in `slotEdge` (for the slots in `slotStamp` with the current stamp).
   */
  private solve(
    nodeDemand: readonly number[],
    nodeSlots: readonly (readonly number[])[],
    capacityOf: (slot: number) => number,
  ): number {
    const stamp = ++this.stamp;
    const nodes = nodeDemand.length;
    const slots: number[] = [];
    let edges = 0;
    for (let n = 0; n < nodes; n++) {
      const list = nodeSlots[n]!;
      edges += 1 + list.length;
      for (const slot of list) {
        if (this.slotStamp[slot] !== stamp) {
          this.slotStamp[slot] = stamp;
          this.slotNode[slot] = 2 + nodes + slots.length;
          slots.push(slot);
        }
      }
    }
    const network = this.network;
    network.reset(2 + nodes + slots.length, 2 * (edges + slots.length), this.eps);
    for (const slot of slots) {
      this.slotEdge[slot] = network.addEdge(this.slotNode[slot]!, 1, capacityOf(slot));
      this.slotLeft[slot] = capacityOf(slot);
    }
    // Most demand goes straight to a site with room: send that first, in one pass, and leave Dinic
    // only the rerouting (a few augmenting paths instead of one per pattern).
    let sent = 0;
    for (let n = 0; n < nodes; n++) {
      const demand = nodeDemand[n]!;
      const source = network.addEdge(0, 2 + n, demand);
      let left = demand;
      for (const slot of nodeSlots[n]!) {
        const e = network.addEdge(2 + n, this.slotNode[slot]!, demand);
        const take = Math.min(left, this.slotLeft[slot]!);
        if (take <= 0) continue;
        network.push(source, take);
        network.push(e, take);
        network.push(this.slotEdge[slot]!, take);
        this.slotLeft[slot]! -= take;
        left -= take;
        sent += take;
      }
    }
    this.solvedSlots = slots;
    return sent + network.maxflow();
  }

  /**
   * Recomputes the pattern demands, the connected parts, the flow of each part and the source side
   * of the minimum cut, from the rows' patterns.
   */
  private refresh(): void {
    const { nRows, weight } = this.problem;
    const P = this.patternSlots.length;
    const demand = new Float64Array(P);
    for (let i = 0; i < nRows; i++) {
      const p = this.rowPattern[i]!;
      if (p >= 0) demand[p]! += weight[i]!;
    }
    this.patternDemand = demand;
    // Parts: union-find over the slots, joined by every pattern that reaches several.
    const nSlots = this.slotCol.length;
    const parent = Int32Array.from({ length: nSlots }, (_, s) => s);
    const find = (s: number): number => {
      while (parent[s] !== s) {
        parent[s] = parent[parent[s]!]!;
        s = parent[s]!;
      }
      return s;
    };
    const live: number[] = [];
    for (let p = 0; p < P; p++) {
      if (demand[p]! <= this.eps) continue;
      live.push(p);
      const slots = this.patternSlots[p]!;
      const root = find(slots[0]!);
      for (let t = 1; t < slots.length; t++) {
        const other = find(slots[t]!);
        if (other !== root) parent[other] = root;
      }
    }
    const partId = new Int32Array(nSlots).fill(-1);
    let parts = 0;
    for (let s = 0; s < nSlots; s++) {
      const root = find(s);
      if (partId[root] === -1) partId[root] = parts++;
      this.partOf[s] = partId[root]!;
    }
    this.partPatterns = Array.from({ length: parts }, () => []);
    for (const p of live) this.partPatterns[this.partOf[this.patternSlots[p]![0]!]!]!.push(p);
    // One flow over everything; each part's share is what its slots serve.
    this.total = this.solve(
      live.map((p) => demand[p]!),
      live.map((p) => this.patternSlots[p]!),
      (slot) => this.residents[this.slotCol[slot]!]!,
    );
    this.partFlow = new Array(parts).fill(0);
    for (const slot of this.solvedSlots) {
      this.partFlow[this.partOf[slot]!]! += this.network.flowOn(this.slotEdge[slot]!);
    }
    this.sourcePattern = new Uint8Array(P);
    live.forEach((p, n) => {
      if (this.network.sourceSide(2 + n)) this.sourcePattern[p] = 1;
    });
    // Scratch sized to the patterns: groups are keyed by (pattern + 1, direction).
    if (this.keyStamp.length < 2 * (P + 1)) {
      this.keyStamp = new Int32Array(4 * (P + 1));
      this.keyGroup = new Int32Array(4 * (P + 1));
      this.groupPattern = new Int32Array(4 * (P + 1));
      this.groupAdd = new Uint8Array(4 * (P + 1));
      this.groupWeight = new Float64Array(4 * (P + 1));
      this.moved = new Float64Array(2 * P);
      this.movedStamp = new Int32Array(2 * P);
    }
  }
}
