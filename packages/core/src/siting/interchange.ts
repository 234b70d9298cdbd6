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
  const { nRows, nCols, rowStart, rowCol, rowCost, colStart, colRow, colCost, weight, status } = problem;
  const deadline = Date.now() + limits.timeMs;
  const p = initial.length;
  const sites = initial.slice();
  const open = new Uint8Array(nCols);
  const slot = new Int32Array(nCols).fill(-1);
  for (const j of problem.fixed) open[j] = 1;
  sites.forEach((j, s) => {
    open[j] = 1;
    slot[j] = s;
  });

  const c1 = new Float64Array(nRows);
  const c2 = new Float64Array(nRows);
  const n1 = new Int32Array(nRows);
  const n2 = new Int32Array(nRows);
  const baseLoss = new Float64Array(p);
  const extra = new Float64Array(p);
  const stamp = new Int32Array(nRows).fill(-1);

  const rescan = (i: number) => {
    let a = cap;
    let b = cap;
    let na = -1;
    let nb = -1;
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      const j = rowCol[q]!;
      if (open[j] === 0) continue;
      const d = rowCost ? Math.min(rowCost[q]!, cap) : 0;
      if (d < a || (d === a && na < 0)) {
        b = a;
        nb = na;
        a = d;
        na = j;
      } else if (d < b || (d === b && nb < 0)) {
        b = d;
        nb = j;
      }
    }
    c1[i] = a;
    c2[i] = b;
    n1[i] = na;
    n2[i] = nb;
  };
  const lossOf = (i: number) => {
    const j = n1[i]!;
    if (j < 0) return;
    const s = slot[j]!;
    if (s >= 0) baseLoss[s]! += weight[i]! * (c2[i]! - c1[i]!);
  };
  const unlossOf = (i: number) => {
    const j = n1[i]!;
    if (j < 0) return;
    const s = slot[j]!;
    if (s >= 0) baseLoss[s]! -= weight[i]! * (c2[i]! - c1[i]!);
  };
  let cost = 0;
  const recomputeAll = () => {
    baseLoss.fill(0);
    cost = 0;
    for (let i = 0; i < nRows; i++) {
      rescan(i);
      lossOf(i);
      cost += weight[i]! * c1[i]!;
    }
  };
  recomputeAll();

  const rules = new SwapRules(problem, open, sites);
  const tolerance = 1e-10 * Math.max(1, problem.population) * (rowCost ? Math.max(1, cap) : 1);
  let swaps = 0;
  let passes = 0;
  let converged = false;
  let stampId = 0;
  let timedOut = false;

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
      if (gain <= tolerance) {
        extra.fill(0);
        continue;
      }
      let best = tolerance;
      let bestSlot = -1;
      for (let s = 0; s < p; s++) {
        const r = sites[s]!;
        if (only >= 0 && r !== only) continue;
        const delta = gain - (baseLoss[s]! - extra[s]!);
        if (delta > best && rules.allows(c, r)) {
          best = delta;
          bestSlot = s;
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
          unlossOf(i);
          cost -= weight[i]! * c1[i]!;
        }
      }
      open[r] = 0;
      slot[r] = -1;
      open[c] = 1;
      slot[c] = bestSlot;
      sites[bestSlot] = c;
      for (const i of affected) {
        rescan(i);
        lossOf(i);
        cost += weight[i]! * c1[i]!;
      }
      rules.swap(c, r);
      swaps++;
      improved = true;
    }
    // Incremental sums drift a little; start every pass from exact ones.
    recomputeAll();
    if (!improved && !timedOut) {
      converged = true;
      break;
    }
  }
  return { sites, cost, swaps, passes, converged };
}

/** Spacing, budget and district bookkeeping shared by the interchanges. */
class SwapRules {
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
  const { nRows, nCols, rowStart, rowCol, colStart, colRow, weight, status } = problem;
  const deadline = Date.now() + limits.timeMs;
  const p = initial.length;
  const sites = initial.slice();
  const open = new Uint8Array(nCols);
  const slot = new Int32Array(nCols).fill(-1);
  for (const j of problem.fixed) open[j] = 1;
  sites.forEach((j, s) => {
    open[j] = 1;
    slot[j] = s;
  });
  const count = new Int32Array(nRows);
  // Slot of the only new site covering the row, or -1 (no cover, a fixed one, or several).
  const sole = new Int32Array(nRows);
  const baseLoss = new Float64Array(p);
  const extra = new Float64Array(p);
  const stamp = new Int32Array(nRows).fill(-1);
  const rescan = (i: number) => {
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
  };
  let uncovered = 0;
  const recomputeAll = () => {
    baseLoss.fill(0);
    uncovered = 0;
    for (let i = 0; i < nRows; i++) {
      rescan(i);
      if (count[i] === 0) uncovered += weight[i]!;
      else if (sole[i]! >= 0) baseLoss[sole[i]!]! += weight[i]!;
    }
  };
  recomputeAll();
  const rules = new SwapRules(problem, open, sites);
  const tolerance = 1e-10 * Math.max(1, problem.population);
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
      const gain = scanCandidate(colStart[c]!, colStart[c + 1]!, colRow, count, sole, weight, extra);
      if (gain <= tolerance) {
        extra.fill(0);
        continue;
      }
      let best = tolerance;
      let bestSlot = -1;
      for (let s = 0; s < p; s++) {
        const r = sites[s]!;
        if (only >= 0 && r !== only) continue;
        const delta = gain - baseLoss[s]! + extra[s]!;
        if (delta > best && rules.allows(c, r)) {
          best = delta;
          bestSlot = s;
        }
      }
      extra.fill(0);
      if (bestSlot < 0) continue;
      const r = sites[bestSlot]!;
      stampId++;
      const affected: number[] = [];
      for (const j of [r, c]) {
        for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
          const i = colRow[q]!;
          if (stamp[i] === stampId) continue;
          stamp[i] = stampId;
          affected.push(i);
          if (count[i] === 0) uncovered -= weight[i]!;
          else if (sole[i]! >= 0) baseLoss[sole[i]!]! -= weight[i]!;
        }
      }
      open[r] = 0;
      slot[r] = -1;
      open[c] = 1;
      slot[c] = bestSlot;
      sites[bestSlot] = c;
      for (const i of affected) {
        rescan(i);
        if (count[i] === 0) uncovered += weight[i]!;
        else if (sole[i]! >= 0) baseLoss[sole[i]!]! += weight[i]!;
      }
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
  return { sites, cost: uncovered, swaps, passes, converged };
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
