import { DistrictTally, ELIGIBLE, type Problem } from './problem.js';

/** Limits of the interchange. */
export interface InterchangeLimits {
  /** Wall-clock budget in milliseconds. */
  readonly timeMs: number;
  /** Most passes over all candidates. */
  readonly passes: number;
}

/** What the interchange did. */
export interface InterchangeRun {
  /** The new sites after the swaps (same count as given). */
  readonly sites: number[];
  /** Objective (weighted cost, capped) after the swaps. */
  readonly cost: number;
  readonly swaps: number;
  readonly passes: number;
  /** True when a pass found no improving swap (a local optimum), false when a limit stopped it. */
  readonly converged: boolean;
}

/**
 * Interchange (vertex substitution, Teitz–Bart) with the fast swap evaluation of Whitaker (1983) and
 * Resende & Werneck (2004): every row keeps its nearest and second-nearest open site, so the effect
 * of inserting candidate c and removing any open site r is found in one pass over c's column plus
 * one entry per open site, O(|column| + p) instead of O(rows · p).
 *
 * It minimises Σ w_i · min(cap, cost to the nearest open site) (p-median with the table costs).
 * Maximal covering is the special case cost 0 inside the radius and cap 1, where the objective is
 * the uncovered population; it runs a leaner copy of the same evaluation (`coverageInterchange`).
 * Existing facilities stay open, and every swap keeps the spacing, budget and district constraints.
 */
export function interchange(
  problem: Problem,
  initial: readonly number[],
  cap: number,
  limits: InterchangeLimits,
): InterchangeRun {
  if (!problem.rowCost) return coverageInterchange(problem, initial, limits);
  const { nRows, rowStart, rowCol, rowCost, colStart, colRow, colCost, weight } = problem;
  const swap = new SwapState(problem, initial);
  const { open, slot, baseLoss, extra } = swap;
  const c1 = new Float64Array(nRows);
  const c2 = new Float64Array(nRows);
  const n1 = new Int32Array(nRows);
  let cost = 0;
  const run = swapPasses(swap, limits, 1e-10 * Math.max(1, problem.population) * Math.max(1, cap), {
    scan(c) {
      let gain = 0;
      for (let q = colStart[c]!, e = colStart[c + 1]!; q < e; q++) {
        const i = colRow[q]!;
        const d = colCost ? Math.min(colCost[q]!, cap) : 0;
        const a = c1[i]!;
        const w = weight[i]!;
        if (d < a) gain += w * (a - d);
        const j = n1[i]!;
        if (j < 0) continue;
        const s = slot[j]!;
        if (s < 0) continue;
        const b = c2[i]!;
        if (d < b) extra[s]! += w * (d < a ? b - a : b - d);
      }
      return gain;
    },
    detach(i) {
      const j = n1[i]!;
      const s = j < 0 ? -1 : slot[j]!;
      if (s >= 0) baseLoss[s]! -= weight[i]! * (c2[i]! - c1[i]!);
      cost -= weight[i]! * c1[i]!;
    },
    attach(i) {
      let a = cap;
      let b = cap;
      let na = -1;
      for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
        const j = rowCol[q]!;
        if (open[j] === 0) continue;
        const d = Math.min(rowCost[q]!, cap);
        if (d < a || (d === a && na < 0)) {
          b = a;
          a = d;
          na = j;
        } else if (d < b) b = d;
      }
      c1[i] = a;
      c2[i] = b;
      n1[i] = na;
      const s = na < 0 ? -1 : slot[na]!;
      if (s >= 0) baseLoss[s]! += weight[i]! * (b - a);
      cost += weight[i]! * a;
    },
    reset() {
      cost = 0;
    },
  });
  return { ...run, cost };
}

/**
 * The state every interchange shares: the new sites in slots 0 … p − 1, which targets are open
 * (existing ones too), each open site's slot, and per slot what closing it loses (`baseLoss`) and
 * what the candidate being scanned would keep of that (`extra`).
 */
class SwapState {
  readonly problem: Problem;
  readonly sites: number[];
  readonly open: Uint8Array;
  readonly slot: Int32Array;
  readonly baseLoss: Float64Array;
  readonly extra: Float64Array;

  constructor(problem: Problem, initial: readonly number[]) {
    this.problem = problem;
    this.sites = initial.slice();
    this.open = new Uint8Array(problem.nCols);
    this.slot = new Int32Array(problem.nCols).fill(-1);
    for (const j of problem.fixed) this.open[j] = 1;
    this.sites.forEach((j, s) => {
      this.open[j] = 1;
      this.slot[j] = s;
    });
    this.baseLoss = new Float64Array(initial.length);
    this.extra = new Float64Array(initial.length);
  }
}

/** The model side of an interchange: its per-row bookkeeping and the scan of a candidate. */
interface SwapKernel {
  /** What opening candidate c gains; adds to `extra[s]` what c keeps of slot s's loss. */
  scan(c: number): number;
  /** Takes row i out of the objective and the losses. */
  detach(i: number): void;
  /** Recomputes row i from the open sites and adds it back. */
  attach(i: number): void;
  /** Zeroes the objective before every row is attached again. */
  reset(): void;
}

/**
 * The passes of an interchange: every eligible candidate is scanned, swapped with the open site
 * whose closing it makes up for best (a swap must keep the spacing, budget and districts), and the
 * rows in reach of the two sites are recomputed. Stops when a pass makes no swap (converged) or at
 * a limit.
 */
function swapPasses(
  swap: SwapState,
  limits: InterchangeLimits,
  tolerance: number,
  kernel: SwapKernel,
): { sites: number[]; swaps: number; passes: number; converged: boolean } {
  const { problem, sites, open, slot, baseLoss, extra } = swap;
  const { nRows, nCols, colStart, colRow, status } = problem;
  const deadline = Date.now() + limits.timeMs;
  const p = sites.length;
  const stamp = new Int32Array(nRows).fill(-1);
  // Incremental sums drift a little; every pass starts from exact ones.
  const recomputeAll = () => {
    baseLoss.fill(0);
    kernel.reset();
    for (let i = 0; i < nRows; i++) kernel.attach(i);
  };
  recomputeAll();
  const rules = new SwapRules(problem, open, sites);
  let swaps = 0;
  let passes = 0;
  let converged = false;
  let timedOut = false;
  let stampId = 0;
  while (passes < limits.passes && !timedOut && p > 0) {
    passes++;
    let improved = false;
    for (let c = 0; c < nCols; c++) {
      if ((c & 63) === 0 && Date.now() > deadline) {
        timedOut = true;
        break;
      }
      if (status[c] !== ELIGIBLE || open[c] !== 0) continue;
      const only = rules.onlyPartner(c);
      if (only === -2) continue;
      const gain = kernel.scan(c);
      let best = tolerance;
      let bestSlot = -1;
      if (gain > tolerance) {
        for (let s = 0; s < p; s++) {
          const r = sites[s]!;
          if (only >= 0 && r !== only) continue;
          const delta = gain - baseLoss[s]! + extra[s]!;
          if (delta > best && rules.allows(c, r)) {
            best = delta;
            bestSlot = s;
          }
        }
      }
      extra.fill(0);
      if (bestSlot < 0) continue;
      // Apply: c in, r out. Rows that can change are those of c's and r's columns.
      const r = sites[bestSlot]!;
      stampId++;
      const affected: number[] = [];
      for (const j of [r, c]) {
        for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
          const i = colRow[q]!;
          if (stamp[i] === stampId) continue;
          stamp[i] = stampId;
          affected.push(i);
          kernel.detach(i);
        }
      }
      open[r] = 0;
      slot[r] = -1;
      open[c] = 1;
      slot[c] = bestSlot;
      sites[bestSlot] = c;
      for (const i of affected) kernel.attach(i);
      rules.swap(c, r);
      swaps++;
      improved = true;
    }
    recomputeAll();
    if (!improved && !timedOut) {
      converged = true;
      break;
    }
  }
  return { sites, swaps, passes, converged };
}

/** Spacing, budget and district bookkeeping shared by the interchanges. */
export class SwapRules {
  private readonly problem: Problem;
  /** How many open new sites are too close to each candidate, and the sum of their indices. */
  private readonly conflicts: { readonly count: Int32Array; readonly sum: Float64Array } | null;
  private readonly districts: DistrictTally | null;
  private spent = 0;

  constructor(problem: Problem, open: Uint8Array, sites: readonly number[]) {
    this.problem = problem;
    const { nCols, spacing, siteCost } = problem;
    this.conflicts = spacing ? { count: new Int32Array(nCols), sum: new Float64Array(nCols) } : null;
    for (const j of sites) this.addConflicts(j, 1);
    if (siteCost) for (const j of sites) this.spent += siteCost[j]!;
    const openList: number[] = [];
    for (let j = 0; j < nCols; j++) if (open[j]) openList.push(j);
    this.districts = DistrictTally.of(problem, openList);
  }

  private addConflicts(j: number, sign: number): void {
    const { spacing } = this.problem;
    const conflicts = this.conflicts;
    if (!spacing || !conflicts) return;
    for (let q = spacing.start[j]!, e = spacing.start[j + 1]!; q < e; q++) {
      const l = spacing.neighbour[q]!;
      conflicts.count[l]! += sign;
      conflicts.sum[l]! += sign * j;
    }
  }

  /** -2: candidate c conflicts with two or more open sites; -1: with none; else the one site. */
  onlyPartner(c: number): number {
    if (!this.conflicts) return -1;
    const k = this.conflicts.count[c]!;
    return k > 1 ? -2 : k === 1 ? this.conflicts.sum[c]! : -1;
  }

  /** Whether swapping r out for c keeps the budget and the district minimums. */
  allows(c: number, r: number): boolean {
    const { siteCost, budget } = this.problem;
    if (siteCost && this.spent - siteCost[r]! + siteCost[c]! > budget * (1 + 1e-12)) return false;
    return this.districts === null || this.districts.allowsSwap(c, r);
  }

  swap(c: number, r: number): void {
    const { siteCost } = this.problem;
    this.addConflicts(r, -1);
    this.addConflicts(c, 1);
    if (siteCost) this.spent += siteCost[c]! - siteCost[r]!;
    if (this.districts) {
      this.districts.add(r, -1);
      this.districts.add(c, 1);
    }
  }
}

/**
 * The interchange for maximal covering, where a row is either covered or not: each row keeps how
 * many open sites cover it and, when exactly one new site does, which. A candidate's evaluation
 * reads one count, one slot and one weight per entry of its column (instead of two costs, a site and
 * a weight), which halves the memory traffic of the pass that dominates the run.
 */
function coverageInterchange(
  problem: Problem,
  initial: readonly number[],
  limits: InterchangeLimits,
): InterchangeRun {
  const { nRows, rowStart, rowCol, colStart, colRow, weight } = problem;
  const swap = new SwapState(problem, initial);
  const { open, slot, baseLoss, extra } = swap;
  const count = new Int32Array(nRows);
  // Slot of the only new site covering the row, or -1 (no cover, a fixed one, or several).
  const sole = new Int32Array(nRows);
  let uncovered = 0;
  const run = swapPasses(swap, limits, 1e-10 * Math.max(1, problem.population), {
    scan: (c) => scanCandidate(colStart[c]!, colStart[c + 1]!, colRow, count, sole, weight, extra),
    detach(i) {
      if (count[i] === 0) uncovered -= weight[i]!;
      else if (sole[i]! >= 0) baseLoss[sole[i]!]! -= weight[i]!;
    },
    attach(i) {
      let n = 0;
      let last = -1;
      for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
        const j = rowCol[q]!;
        if (open[j]) {
          n++;
          last = j;
        }
      }
      count[i] = n;
      sole[i] = n === 1 ? slot[last]! : -1;
      if (n === 0) uncovered += weight[i]!;
      else if (sole[i]! >= 0) baseLoss[sole[i]!]! += weight[i]!;
    },
    reset() {
      uncovered = 0;
    },
  });
  return { ...run, cost: uncovered };
}

// One candidate's column: its gain (uncovered weight it reaches) and, per open new site, the
// weight that site alone covers and the candidate would keep covered.
function scanCandidate(
  a: number,
  b: number,
  colRow: Uint32Array,
  count: Int32Array,
  sole: Int32Array,
  weight: Float64Array,
  extra: Float64Array,
): number {
  let gain = 0;
  for (let q = a; q < b; q++) {
    const i = colRow[q]!;
    const n = count[i]!;
    if (n === 0) gain += weight[i]!;
    else if (n === 1) {
      const s = sole[i]!;
      if (s >= 0) extra[s]! += weight[i]!;
    }
  }
  return gain;
}
