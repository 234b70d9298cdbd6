import { CoverageState } from './greedy.js';
import { ELIGIBLE, type Problem } from './problem.js';

/**
 * Lagrangian upper bound of maximal covering (Galvão & ReVelle 1996), by subgradient optimisation.
 *
 * Relaxing the coverage constraints y_i ≤ Σ_{j ∈ N_i} x_j with multipliers λ_i ≥ 0 leaves
 *
 *     L(λ) = covered by existing + Σ_i (w_i − λ_i)⁺ + (sum of the k largest Σ_{i ∈ col j} λ_i)
 *
 * which is an upper bound of the optimum for every λ (the budget, spacing and district constraints
 * are relaxed too, which only loosens it). Its minimum equals the LP-relaxation bound, because the
 * subproblem in x (pick the k largest) has integral optima, but each evaluation is one pass over the
 * table instead of a simplex solve, so it scales to a million demand points.
 *
 * Starting from λ_i = w_i on the rows the best known solution leaves uncovered (0 elsewhere) gives
 * exactly the greedy online bound of that solution; the subgradient steps (Polyak's rule towards the
 * best known objective, halving the step after three iterations without progress) only improve on it.
 */
// Enough for the bound to settle on small instances (which keeps their answers reproducible); large
// ones stop at the time budget first.
const MAX_ITERATIONS = 200;

export function coverageLagrangian(
  problem: Problem,
  k: number,
  solution: readonly number[],
  best: number,
  timeMs: number,
): number {
  const deadline = Date.now() + timeMs;
  const { nRows, nCols, status, colStart, colRow, weight } = problem;
  const fixedState = new CoverageState(problem, { mode: 'none' });
  const base = fixedState.coveredWeight;
  const solved = new CoverageState(problem, { mode: 'none' });
  for (const j of solution) solved.commit(j);

  // Rows the relaxation decides: not covered by an existing facility, reachable by some candidate.
  const free = new Uint8Array(nRows);
  const eligible: number[] = [];
  for (let j = 0; j < nCols; j++) {
    if (status[j] !== ELIGIBLE) continue;
    eligible.push(j);
    for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
      const i = colRow[q]!;
      if (fixedState.covered[i] === 0) free[i] = 1;
    }
  }
  const lambda = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) if (free[i] && solved.covered[i] === 0) lambda[i] = weight[i]!;
  const value = new Float64Array(nCols);
  const count = new Int32Array(nRows);
  const top = new Int32Array(Math.max(1, k));
  let bound = Number.POSITIVE_INFINITY;
  // Polyak step multiplier, halved after three iterations without a better bound (Held & Karp).
  let step = 2;
  let stale = 0;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    // Evaluate L(λ): column values, the k best, and the row terms.
    let rowTerm = 0;
    for (let i = 0; i < nRows; i++)
      if (free[i] && weight[i]! > lambda[i]!) rowTerm += weight[i]! - lambda[i]!;
    columnValues(eligible, colStart, colRow, lambda, value);
    const chosen = topK(eligible, value, k, top);
    let colTerm = 0;
    for (let t = 0; t < chosen; t++) colTerm += value[top[t]!]!;
    const L = base + rowTerm + colTerm;
    if (L < bound * (1 - 1e-12)) {
      bound = L;
      stale = 0;
    } else if (++stale >= 3) {
      step /= 2;
      stale = 0;
    }
    if (bound - best <= 1e-9 * Math.max(1, best) || Date.now() > deadline || step < 1e-6) break;

    // Subgradient g_i = (chosen columns covering i) − y_i, with y_i = 1 where w_i > λ_i.
    for (let t = 0; t < chosen; t++) {
      const j = top[t]!;
      for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) count[colRow[q]!]!++;
    }
    let norm = 0;
    for (let i = 0; i < nRows; i++) {
      if (!free[i]) continue;
      const g = count[i]! - (weight[i]! > lambda[i]! ? 1 : 0);
      norm += g * g;
    }
    if (norm === 0) break;
    const t = (step * (L - best)) / norm;
    for (let i = 0; i < nRows; i++) {
      if (!free[i]) continue;
      const g = count[i]! - (weight[i]! > lambda[i]! ? 1 : 0);
      const next = lambda[i]! - t * g;
      lambda[i] = Math.max(0, Math.min(next, weight[i]!));
      count[i] = 0;
    }
  }
  return bound;
}

// One pass over the eligible columns: value[j] = Σ λ over the column's rows.
function columnValues(
  eligible: readonly number[],
  colStart: Uint32Array,
  colRow: Uint32Array,
  lambda: Float64Array,
  value: Float64Array,
): void {
  for (const j of eligible) {
    let sum = 0;
    for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) sum += lambda[colRow[q]!]!;
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
