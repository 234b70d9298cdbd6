import { CoverageState } from './greedy.js';
import { ELIGIBLE, FIXED, openColumns, type Problem, rowCostsOf } from './problem.js';

// Lagrangian bounds by subgradient optimisation. Both relax the constraints that tie demand to open
// sites, which leaves a problem that splits into one term per demand point and one per candidate:
// the candidates' part is "take the k best", so every evaluation of the dual is one pass over the
// table (no simplex), and the dual's optimum equals the LP-relaxation bound (the subproblem has
// integral optima). Budget, spacing and district constraints are relaxed too, which only loosens
// the bound. Both start from the multipliers that reproduce the greedy online bound of the best
// known solution, so the subgradient steps only improve on it.

// Enough for the bound to settle on small instances (which keeps their answers reproducible); large
// ones stop at the time budget first. Maximal covering's restarts (see `coverageLagrangian`) share
// its count; the p-median's dual converges slowly (OR-Library pmed1 needs about 700 to reach its
// optimum).
const COVERAGE_ITERATIONS = 1000;
// Deflection of maximal covering's subgradient (Camerini, Fratta & Maffioli 1975, their γ): each
// direction keeps part of the previous one when the two point against each other.
const DEFLECTION = 1.5;
const MEDIAN_ITERATIONS = 1000;

/** Limits of one subgradient run. */
interface DualLimits {
  readonly deadline: number;
  readonly iterations: number;
  /** Iterations without a better bound before the step multiplier is halved (Held & Karp). */
  readonly patience: number;
  /** The step multiplier to start from (Polyak's θ, in (0, 2]). */
  readonly initialStep: number;
}

/**
 * Subgradient optimisation with Polyak's step towards the best known objective: `evaluate` returns
 * L(λ) at the current multipliers, `direction` the squared norm of the (projected) subgradient
 * there, and `move(t)` steps the multipliers by t along it, in the direction that tightens the
 * bound. An `upper` bound (maximisation) is minimised, a `lower` one (minimisation) maximised.
 */
function subgradient(
  kind: 'upper' | 'lower',
  best: number,
  limits: DualLimits,
  evaluate: () => number,
  direction: () => number,
  move: (t: number) => void,
): number {
  let bound = kind === 'upper' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  let step = limits.initialStep;
  let stale = 0;
  for (let iteration = 0; iteration < limits.iterations; iteration++) {
    const L = evaluate();
    const better =
      kind === 'upper'
        ? L < bound * (1 - 1e-12)
        : bound === Number.NEGATIVE_INFINITY || L > bound + 1e-12 * Math.abs(bound);
    if (better) {
      bound = L;
      stale = 0;
    } else if (++stale >= limits.patience) {
      step /= 2;
      stale = 0;
    }
    const gap = kind === 'upper' ? bound - best : best - bound;
    if (gap <= 1e-9 * Math.max(1, Math.abs(best)) || Date.now() > limits.deadline || step < 1e-6) break;
    const norm = direction();
    if (norm === 0) break;
    move((step * Math.abs(L - best)) / norm);
  }
  return bound;
}

/**
 * Lagrangian upper bound of maximal covering (Galvão & ReVelle 1996).
 *
 * Relaxing the coverage constraints y_i ≤ Σ_{j ∈ N_i} x_j with multipliers λ_i ≥ 0 leaves
 *
 *     L(λ) = covered by existing + Σ_i (w_i − λ_i)⁺ + (sum of the k largest Σ_{i ∈ col j} λ_i)
 *
 * an upper bound of the optimum for every λ. Starting from λ_i = w_i on the rows the best known
 * solution leaves uncovered (0 elsewhere) gives exactly the greedy online bound of that solution.
 */
export function coverageLagrangian(
  problem: Problem,
  k: number,
  solution: readonly number[],
  best: number,
  timeMs: number,
  iterations: number = COVERAGE_ITERATIONS,
): number {
  const deadline = Date.now() + timeMs;
  const { nRows, rowStart, rowCol, status, colStart, colRow, weight } = problem;
  const fixedState = new CoverageState(problem, { mode: 'none' });
  const base = fixedState.coveredWeight;
  const solved = new CoverageState(problem, { mode: 'none' });
  for (const j of solution) solved.commit(j);

  // Rows the relaxation decides: not covered by an existing facility, reachable by some candidate.
  const eligible = eligibleColumns(problem);
  const freeList: number[] = [];
  for (let i = 0; i < nRows; i++) {
    if (fixedState.covered[i] !== 0) continue;
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      if (status[rowCol[q]!] === ELIGIBLE) {
        freeList.push(i);
        break;
      }
    }
  }
  const free = Uint32Array.from(freeList);
  const lambda = new Float64Array(nRows);
  for (const i of free) if (solved.covered[i] === 0) lambda[i] = weight[i]!;
  // value[j] = Σ λ over column j's rows, kept up to date row by row: most multipliers settle at 0
  // or at w_i within a few steps, so a step changes few rows and costs far less than a pass over
  // the table (see `ColumnSums`).
  const sums = new ColumnSums(problem, lambda);
  const { value } = sums;
  // Σ (w_i − λ_i)⁺ over the free rows, kept by the steps.
  const rowTermOf = () => {
    let sum = 0;
    for (let f = 0; f < free.length; f++) {
      const i = free[f]!;
      if (weight[i]! > lambda[i]!) sum += weight[i]! - lambda[i]!;
    }
    return sum;
  };
  let rowTerm = rowTermOf();
  const count = new Int32Array(nRows);
  // The previous step's direction d, per row, and this step's deflection β (see `direction`).
  const previous = new Float64Array(nRows);
  let deflection = 0;
  const top = new Int32Array(Math.max(1, k));
  const bestLambda = new Float64Array(nRows);
  let bestSeen = Number.POSITIVE_INFINITY;
  let chosen = 0;
  const evaluate = () => {
    chosen = topK(eligible, value, k, top);
    let colTerm = 0;
    for (let t = 0; t < chosen; t++) colTerm += value[top[t]!]!;
    return base + rowTerm + colTerm;
  };
  let steps = 0;
  let flat = false;
  const keepBest = () => {
    steps++;
    const L = evaluate();
    if (L < bestSeen) {
      bestSeen = L;
      bestLambda.set(lambda);
    }
    return L;
  };
  const direction = () => {
    // Subgradient g_i = (chosen columns covering i) − y_i, with y_i = 1 where w_i > λ_i. The step
    // goes along d = g + β d_previous, β = max(0, −γ g·d_previous / |d_previous|²): plain
    // subgradients zigzag, a step undoing much of the one before; keeping part of the previous
    // direction when they disagree reached 0.5 % in a third fewer steps at 1M × 20k and half as many
    // at 100k × 5k. Its squared norm comes from the three sums of one pass, so d is formed only as
    // the multipliers move.
    for (let t = 0; t < chosen; t++) {
      const j = top[t]!;
      for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) count[colRow[q]!]!++;
    }
    let gg = 0;
    let gd = 0;
    let dd = 0;
    for (let f = 0; f < free.length; f++) {
      const i = free[f]!;
      const g = count[i]! - (weight[i]! > lambda[i]! ? 1 : 0);
      const d = previous[i]!;
      gg += g * g;
      gd += g * d;
      dd += d * d;
    }
    flat = gg === 0;
    deflection = dd > 0 ? Math.max(0, (-DEFLECTION * gd) / dd) : 0;
    const norm = gg + deflection * (2 * gd + deflection * dd);
    // |g + βd|² vanishes only when rounding cancels it: then the plain subgradient.
    if (!(norm > 0)) {
      deflection = 0;
      return gg;
    }
    return norm;
  };
  const move = (t: number) => {
    rowTerm = 0;
    for (let f = 0; f < free.length; f++) {
      const i = free[f]!;
      const w = weight[i]!;
      const d = count[i]! - (w > lambda[i]! ? 1 : 0) + deflection * previous[i]!;
      previous[i] = d;
      const next = Math.max(0, Math.min(lambda[i]! - t * d, w));
      if (next !== lambda[i]) sums.change(i, next);
      if (w > next) rowTerm += w - next;
    }
    count.fill(0);
    sums.settle();
  };
  // Phases: the step halves after 3 steps without a better bound, which converges fastest on large
  // instances, but on some small ones the step shrinks to nothing with the bound still far above
  // the LP bound (3.99 % against 0.63 % on 10,000 × 1,000, k 20). So while steps and time are left,
  // a phase that ended that way is followed by one from the best multipliers, with a full step and
  // ten times the patience.
  for (let patience = 3; steps < iterations && Date.now() <= deadline; patience *= 10) {
    if (patience > 3) {
      lambda.set(bestLambda);
      previous.fill(0);
      sums.recompute();
      rowTerm = rowTermOf();
    }
    const before = steps;
    subgradient(
      'upper',
      best,
      { deadline, iterations: iterations - steps, patience, initialStep: 2 },
      keepBest,
      direction,
      move,
    );
    // Stopped at the answer (optimal), on a zero subgradient, or after a single step: no restart.
    if (flat || steps - before < 2 || bestSeen - best <= 1e-9 * Math.max(1, Math.abs(best))) break;
  }
  if (bestSeen === Number.POSITIVE_INFINITY) return bestSeen;
  // The sums were updated step by step, with rounding that could drift either way: the bound is
  // L at the best multipliers, evaluated afresh (any λ gives a valid bound).
  lambda.set(bestLambda);
  sums.recompute();
  rowTerm = rowTermOf();
  return evaluate();
}

/**
 * Σ λ_i over every column's rows, for multipliers that change a few rows at a time. Changes are
 * queued per row and applied by {@link ColumnSums.settle}: row by row (adding each row's change to
 * its columns) when the changed rows hold less than a third of the table's entries, otherwise by
 * summing every row with λ_i > 0 afresh. Both read the rows in order and scatter into the column
 * sums, which fit in cache, where a pass over the columns would gather λ from all over memory.
 */
export class ColumnSums {
  readonly value: Float64Array;
  private readonly rowStart: Uint32Array;
  private readonly rowCol: Uint32Array;
  private readonly lambda: Float64Array;
  private readonly changed: Uint32Array;
  private readonly delta: Float64Array;
  private changes = 0;
  private changedEntries = 0;

  constructor(problem: Problem, lambda: Float64Array) {
    this.rowStart = problem.rowStart;
    this.rowCol = problem.rowCol;
    this.lambda = lambda;
    this.value = new Float64Array(problem.nCols);
    this.changed = new Uint32Array(problem.nRows);
    this.delta = new Float64Array(problem.nRows);
    this.recompute();
  }

  /** Sets λ_i to `next`; the sums follow at the next {@link ColumnSums.settle}. */
  change(i: number, next: number): void {
    this.changed[this.changes] = i;
    this.delta[this.changes++] = next - this.lambda[i]!;
    this.changedEntries += this.rowStart[i + 1]! - this.rowStart[i]!;
    this.lambda[i] = next;
  }

  settle(): void {
    const { rowStart, rowCol, value, changed, delta } = this;
    if (3 * this.changedEntries > rowStart[rowStart.length - 1]!) this.recompute();
    else {
      for (let c = 0; c < this.changes; c++) {
        const i = changed[c]!;
        const d = delta[c]!;
        for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) value[rowCol[q]!]! += d;
      }
    }
    this.changes = 0;
    this.changedEntries = 0;
  }

  /** The sums afresh from λ. */
  recompute(): void {
    const { rowStart, rowCol, value, lambda } = this;
    value.fill(0);
    for (let i = 0, n = rowStart.length - 1; i < n; i++) {
      const l = lambda[i]!;
      if (l === 0) continue;
      for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) value[rowCol[q]!]! += l;
    }
  }
}

/**
 * Lagrangian lower bound of the p-median (Cornuéjols, Fisher & Nemhauser 1977; Beasley 1993;
 * Daskin 1995, ch. 6).
 *
 * Every row can always be served at f_i = min(U, cost to its nearest existing facility). Relaxing
 * the assignment constraints Σ_j z_ij + z_i0 = 1 with multipliers λ_i leaves
 *
 *     L(λ) = Σ_i λ_i − (sum of the k largest ρ_j),   ρ_j = Σ_{i ∈ col j} (λ_i − w_i d_ij)⁺
 *
 * a lower bound of the optimum for every λ with λ_i ≤ w_i f_i. The subgradient is
 * g_i = 1 − (chosen columns with w_i d_ij < λ_i), projected on the box. λ_i = w_i c_i(S), the best
 * known solution's cost of each row, gives cost(S) minus the k largest savings (the online bound
 * of S); the start is halfway from there to the top of the box, better on every instance tried.
 *
 * The box is narrowed to λ_i ≤ w_i · min(f_i, s_i), s_i the cost to the second-nearest open site of
 * S. Any λ gives a valid bound, so this can only cost tightness, and it cost none where measured (the
 * bound converged as high or higher on OR-Library pmed1 and on the 20,000-point benchmark city). In
 * exchange, the table entries with w_i d_ij above the box can never count and are left out of the
 * passes: 40–45 % of them on the benchmark.
 */
export function medianLagrangian(
  problem: Problem,
  cap: number,
  k: number,
  solution: readonly number[],
  best: number,
  timeMs: number,
  iterations: number = MEDIAN_ITERATIONS,
): number {
  const deadline = Date.now() + timeMs;
  const { nRows, nCols, rowStart, rowCol, status, colStart, colRow, weight } = problem;
  const rowCost = rowCostsOf(problem);
  const colCost = problem.colCost!;
  const open = openColumns(problem, solution);
  // Per row: the start (its cost in S) and the top of its multiplier's box.
  const lambda = new Float64Array(nRows);
  const upper = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    let fixed = cap;
    let first = cap;
    let second = cap;
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      const j = rowCol[q]!;
      if (!open[j]) continue;
      const d = rowCost[q]!;
      if (status[j] === FIXED && d < fixed) fixed = d;
      if (d < first) {
        second = first;
        first = d;
      } else if (d < second) second = d;
    }
    const w = weight[i]!;
    lambda[i] = w * (first + (Math.min(fixed, second) - first) / 2);
    upper[i] = w * Math.min(fixed, second);
  }
  // The entries that can count: eligible columns, w_i d_ij below the row's box.
  const eligible = eligibleColumns(problem);
  const start = new Uint32Array(nCols + 1);
  let kept = 0;
  for (const j of eligible) {
    for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
      const i = colRow[q]!;
      if (weight[i]! * colCost[q]! < upper[i]!) kept++;
    }
  }
  const entryRow = new Uint32Array(kept);
  // Single precision halves the bytes the passes read; each weighted cost is rounded down, which
  // can only lower L(λ) (a bound for slightly cheaper costs is a bound for these).
  const entryCost = new Float32Array(kept);
  kept = 0;
  for (let j = 0; j < nCols; j++) {
    start[j] = kept;
    if (status[j] !== ELIGIBLE) continue;
    for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
      const i = colRow[q]!;
      const c = weight[i]! * colCost[q]!;
      if (c < upper[i]!) {
        entryRow[kept] = i;
        entryCost[kept++] = roundDown32(c);
      }
    }
  }
  start[nCols] = kept;

  const value = new Float64Array(nCols);
  const count = new Int32Array(nRows);
  const top = new Int32Array(Math.max(1, k));
  let chosen = 0;
  return subgradient(
    'lower',
    best,
    { deadline, iterations, patience: 20, initialStep: 1 },
    () => {
      let rowTerm = 0;
      for (let i = 0; i < nRows; i++) rowTerm += lambda[i]!;
      columnSavings(eligible, start, entryRow, entryCost, lambda, value);
      chosen = topK(eligible, value, k, top);
      let colTerm = 0;
      for (let t = 0; t < chosen; t++) colTerm += value[top[t]!]!;
      return rowTerm - colTerm;
    },
    () => {
      for (let t = 0; t < chosen; t++) {
        const j = top[t]!;
        for (let q = start[j]!, e = start[j + 1]!; q < e; q++) {
          const i = entryRow[q]!;
          if (entryCost[q]! < lambda[i]!) count[i]!++;
        }
      }
      let norm = 0;
      for (let i = 0; i < nRows; i++) {
        const g = projected(1 - count[i]!, lambda[i]!, upper[i]!);
        norm += g * g;
      }
      return norm;
    },
    (t) => {
      for (let i = 0; i < nRows; i++) {
        const g = projected(1 - count[i]!, lambda[i]!, upper[i]!);
        lambda[i] = Math.max(0, Math.min(lambda[i]! + t * g, upper[i]!));
        count[i] = 0;
      }
    },
  );
}

const float32 = new Float32Array(1);
const float32Bits = new Int32Array(float32.buffer);

/** The largest single-precision number ≤ x (x ≥ 0). */
function roundDown32(x: number): number {
  float32[0] = x;
  if (float32[0]! > x) float32Bits[0]!--;
  return float32[0]!;
}

/** A subgradient component, zero where it would push the multiplier out of [0, upper]. */
function projected(g: number, lambda: number, upper: number): number {
  return (g > 0 && lambda >= upper) || (g < 0 && lambda <= 0) ? 0 : g;
}

function eligibleColumns(problem: Problem): number[] {
  const eligible: number[] = [];
  for (let j = 0; j < problem.nCols; j++) if (problem.status[j] === ELIGIBLE) eligible.push(j);
  return eligible;
}

// One pass over the eligible columns: value[j] = Σ (λ_i − w_i d_ij)⁺ over the column's entries.
function columnSavings(
  eligible: readonly number[],
  start: Uint32Array,
  entryRow: Uint32Array,
  entryCost: Float32Array,
  lambda: Float64Array,
  value: Float64Array,
): void {
  for (const j of eligible) {
    let sum = 0;
    for (let q = start[j]!, e = start[j + 1]!; q < e; q++) {
      const saving = lambda[entryRow[q]!]! - entryCost[q]!;
      if (saving > 0) sum += saving;
    }
    value[j] = sum;
  }
}

/** The (up to) k eligible columns of largest positive value, into `top`; returns how many. */
function topK(eligible: readonly number[], value: Float64Array, k: number, top: Int32Array): number {
  // A small min-heap of the best k so far.
  let size = 0;
  for (const j of eligible) {
    const v = value[j]!;
    if (v <= 0) continue;
    if (size < k) {
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (value[top[parent]!]! <= v) break;
        top[at] = top[parent]!;
        at = parent;
      }
      top[at] = j;
    } else if (k > 0 && v > value[top[0]!]!) {
      let at = 0;
      for (;;) {
        let child = 2 * at + 1;
        if (child >= size) break;
        if (child + 1 < size && value[top[child + 1]!]! < value[top[child]!]!) child++;
        if (value[top[child]!]! >= v) break;
        top[at] = top[child]!;
        at = child;
      }
      top[at] = j;
    }
  }
  return size;
}

/**
 * Lagrangian upper bound of capacitated coverage (after Pirkul & Schilling 1991).
 *
 * Relaxing "each resident is served at most once", Σ_j a_ij ≤ w_i, with multipliers μ_i ∈ [0, 1]
 * leaves one problem per site: fill its capacity Q_j with the residents in reach that pay most,
 * each paying 1 − μ_i (a fractional knapsack with unit weights). So
 *
 *     L(μ) = Σ_i μ_i w_i + Σ_{j existing} v_j(μ) + (sum of the k largest v_j(μ) of the candidates)
 *
 * is an upper bound of the most residents k new sites can serve, for every μ; its minimum is the
 * bound of the LP relaxation with a_ij ≤ w_i x_j. Each v_j is found by a weighted selection over the
 * column (expected linear time), so an evaluation is one pass over the table. The subgradient is
 * g_i = w_i − Σ_j a_ij over the chosen sites' allocations, projected on the box; the start is the
 * best known allocation (μ_i = the share of row i it serves).
 */
export function capacityLagrangian(
  problem: Problem,
  capacity: Float64Array,
  k: number,
  start: Float64Array,
  best: number,
  timeMs: number,
): number {
  const deadline = Date.now() + timeMs;
  const { nRows, nCols, colStart, colRow, weight } = problem;
  const mu = Float64Array.from(start);
  const eligible = eligibleColumns(problem);
  const fixed = Array.from(problem.fixed);
  const value = new Float64Array(nCols);
  const served = new Float64Array(nRows);
  const top = new Int32Array(Math.max(1, k));
  let longest = 0;
  for (let j = 0; j < nCols; j++) longest = Math.max(longest, colStart[j + 1]! - colStart[j]!);
  const knapsack = new ColumnKnapsack(longest);
  let chosen = 0;
  const fill = (j: number) => knapsack.fill(colStart[j]!, colStart[j + 1]!, colRow, weight, mu, capacity[j]!);
  return subgradient(
    'upper',
    best,
    { deadline, iterations: MEDIAN_ITERATIONS, patience: 20, initialStep: 1 },
    () => {
      let L = 0;
      for (let i = 0; i < nRows; i++) L += mu[i]! * weight[i]!;
      for (const j of fixed) L += fill(j);
      for (const j of eligible) value[j] = fill(j);
      chosen = topK(eligible, value, k, top);
      for (let t = 0; t < chosen; t++) L += value[top[t]!]!;
      return L;
    },
    () => {
      served.fill(0);
      const allocate = (j: number) => {
        fill(j);
        knapsack.allocate(colStart[j]!, colStart[j + 1]!, colRow, weight, mu, served);
      };
      for (const j of fixed) allocate(j);
      for (let t = 0; t < chosen; t++) allocate(top[t]!);
      let norm = 0;
      for (let i = 0; i < nRows; i++) {
        const g = boxed(weight[i]! - served[i]!, mu[i]!);
        norm += g * g;
      }
      return norm;
    },
    (t) => {
      for (let i = 0; i < nRows; i++) {
        const g = boxed(weight[i]! - served[i]!, mu[i]!);
        mu[i] = Math.max(0, Math.min(1, mu[i]! - t * g));
      }
    },
  );
}

/** A subgradient component of μ ∈ [0, 1] (which moves against it), zero where it would leave the box. */
function boxed(g: number, mu: number): number {
  return (g < 0 && mu >= 1) || (g > 0 && mu <= 0) ? 0 : g;
}

/**
 * The fractional knapsack of one site: the residents in reach, each paying 1 − μ_i per person,
 * fill its capacity best-paying first. `fill` returns the value and remembers the threshold pay;
 * `allocate` then adds each row's share to `served`.
 */
class ColumnKnapsack {
  private readonly pay: Float64Array;
  private readonly amount: Float64Array;
  /** Rows paying more than this are taken whole, rows paying exactly this in part, others not. */
  private threshold = 0;
  private fraction = 1;

  constructor(size: number) {
    this.pay = new Float64Array(Math.max(1, size));
    this.amount = new Float64Array(Math.max(1, size));
  }

  fill(
    a: number,
    b: number,
    colRow: Uint32Array,
    weight: Float64Array,
    mu: Float64Array,
    capacity: number,
  ): number {
    const { pay, amount } = this;
    let n = 0;
    let total = 0;
    let all = 0;
    for (let q = a; q < b; q++) {
      const i = colRow[q]!;
      const p = 1 - mu[i]!;
      if (p <= 0) continue;
      const w = weight[i]!;
      pay[n] = p;
      amount[n++] = w;
      total += w;
      all += p * w;
    }
    this.threshold = 0;
    this.fraction = 1;
    if (total <= capacity) return all;
    if (!(capacity > 0)) {
      this.threshold = Number.POSITIVE_INFINITY;
      return 0;
    }
    // Weighted quickselect for the pay at which the capacity runs out.
    let lo = 0;
    let hi = n;
    let need = capacity;
    let value = 0;
    while (lo < hi) {
      const pivot = pay[lo + ((hi - lo) >> 1)]!;
      // Three-way partition of [lo, hi): above the pivot, equal, below.
      let lt = lo;
      let gt = hi;
      let at = lo;
      while (at < gt) {
        const p = pay[at]!;
        if (p > pivot) {
          swap(pay, amount, at++, lt++);
        } else if (p < pivot) {
          swap(pay, amount, at, --gt);
        } else at++;
      }
      let above = 0;
      let aboveValue = 0;
      for (let s = lo; s < lt; s++) {
        above += amount[s]!;
        aboveValue += pay[s]! * amount[s]!;
      }
      if (above >= need) {
        if (above === need) {
          // Exactly the rows above the pivot: none of those at it.
          this.threshold = pivot;
          this.fraction = 0;
          return value + aboveValue;
        }
        hi = lt;
        continue;
      }
      value += aboveValue;
      need -= above;
      let equal = 0;
      for (let s = lt; s < gt; s++) equal += amount[s]!;
      if (equal >= need) {
        this.threshold = pivot;
        this.fraction = equal > 0 ? need / equal : 1;
        return value + need * pivot;
      }
      value += equal * pivot;
      need -= equal;
      lo = gt;
    }
    // Not reached (the capacity runs out inside the column); take nothing more.
    this.threshold = Number.POSITIVE_INFINITY;
    return value;
  }

  /** Adds the last `fill`'s allocation of each row to `served` (same column, same μ). */
  allocate(
    a: number,
    b: number,
    colRow: Uint32Array,
    weight: Float64Array,
    mu: Float64Array,
    served: Float64Array,
  ): void {
    for (let q = a; q < b; q++) {
      const i = colRow[q]!;
      const p = 1 - mu[i]!;
      if (p <= 0 || p < this.threshold) continue;
      served[i]! += p > this.threshold ? weight[i]! : weight[i]! * this.fraction;
    }
  }
}

function swap(pay: Float64Array, amount: Float64Array, x: number, y: number): void {
  const p = pay[x]!;
  pay[x] = pay[y]!;
  pay[y] = p;
  const w = amount[x]!;
  amount[x] = amount[y]!;
  amount[y] = w;
}
