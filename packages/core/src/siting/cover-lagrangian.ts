import { ELIGIBLE, FIXED, type Problem } from './problem.js';

// Partial set covering's Lagrangian dual and the covers it guides (Beasley 1990; Caprara, Fischetti &
// Toth 1999, adapted to a weighted share). The model is
//
//     min Σ_j x_j   s.t.   y_i ≤ Σ_{j ∈ N_i} x_j,   Σ_i w_i y_i ≥ T,   x, y ∈ {0, 1}.
//
// Relaxing the linking rows y_i ≤ Σ x_j with multipliers u_i ≥ 0 leaves two independent parts:
//
//     L(u) = Σ_j min(0, 1 − Σ_{i ∈ col j} u_i)  +  min { Σ_i u_i y_i : Σ_i w_i y_i ≥ T, y ∈ {0, 1} }
//
// The second is a knapsack over the demand rows, solved here as a linear programme (take the rows of
// least u_i / w_i until T is reached, the last one in part), so the dual's optimum is the LP bound.
// With y binary the knapsack's optimum can be higher, which could lift the bound past the LP's; it
// was tried (dynamic programming over the weights at the best multipliers) and on the bench towns
// added 0.002–0.006 of a site (rows of equal ratio fill the requirement almost exactly), so it is
// not kept. Budget, spacing and district constraints are relaxed, which only loosens the bound.
//
// Reduced-cost fixing (Beasley) is not done either: a candidate can be fixed to 0 only when its
// reduced cost 1 − Σ u_i exceeds UB − 1 − L(u), and with every site costing 1 that cost is at most 1,
// while on the bench towns UB − 1 − L is 1.6–3.3 sites for the best answers found (L is at most the
// LP bound). Measured at the best multipliers and at the LP's own duals, no candidate of 1,000 could
// be fixed either way on any seed, and 2 given seed 18's optimum (159) as the incumbent; HiGHS fixes
// by reduced cost itself, once its cuts bring the bound within tenths of a site (docs/benchmarks.md,
// session 14).

/** What {@link partialCoverDual} found. */
export interface PartialCoverDual {
  /** A lower bound on the new sites of any cover that meets the requirement (not rounded). */
  readonly bound: number;
  /** The best cover the Lagrangian costs led the greedy to (new sites), or null when none. */
  readonly sites: number[] | null;
  readonly iterations: number;
}

/** Limits of {@link partialCoverDual}. */
export interface PartialCoverLimits {
  readonly deadline: number;
  readonly iterations: number;
  /** Build covers from the Lagrangian costs (false: the bound only). */
  readonly covers: boolean;
}

/** The subgradient stops after this many iterations at most (small instances settle well before). */
export const COVER_DUAL_ITERATIONS = 3000;
// Iterations between two covers by Lagrangian costs.
const COVER_EVERY = 10;
// Iterations without a better bound before the step multiplier is halved (Held & Karp). Measured on
// the 10,000 × 1,000 bench towns at 3,000 iterations: 20 stalls 1–2 sites below 60 and 100.
const PATIENCE = 60;

/**
 * The Lagrangian dual of partial set covering at a city-wide requirement (`required`, in weight,
 * existing facilities' coverage included; met within `tolerance`), by subgradient with Polyak steps
 * towards `incumbent` (the best known number of new sites), and, with `limits.covers`, a greedy cover
 * per iteration by Lagrangian costs (redundant sites dropped, most expensive first).
 */
export function partialCoverDual(
  problem: Problem,
  required: number,
  tolerance: number,
  incumbent: number,
  limits: PartialCoverLimits,
): PartialCoverDual {
  const rows = freeRows(problem);
  const deficit = required - rows.fixedWeight;
  if (deficit <= tolerance) return { bound: 0, sites: [], iterations: 0 };
  if (rows.total < deficit - tolerance) {
    return { bound: Number.POSITIVE_INFINITY, sites: null, iterations: 0 };
  }
  const dual = new CoverDual(problem, rows, deficit, tolerance);
  const u = dual.u;
  // Start (Beasley 1990): every row priced at the cheapest cost per unit of weight among the
  // candidates that reach it, so that no candidate's reduced cost starts below 0.
  startMultipliers(problem, rows, dual.freeWeight, u);
  let best = Number.NEGATIVE_INFINITY;
  let bestSites: number[] | null = null;
  let upper = incumbent;
  let step = 1;
  let stale = 0;
  let iteration = 0;
  const g = new Float64Array(rows.list.length);
  for (; iteration < limits.iterations; iteration++) {
    const L = dual.evaluate();
    if (iteration === 0 || L > best + 1e-12 * Math.max(1, Math.abs(best))) {
      best = L;
      stale = 0;
    } else if (++stale >= PATIENCE) {
      step /= 2;
      stale = 0;
    }
    if (limits.covers) {
      // A cover every few iterations: the multipliers move little between two.
      const cover = iteration % COVER_EVERY === 0 ? dual.greedyCover() : null;
      if (cover && cover.length < upper) {
        upper = cover.length;
        bestSites = cover;
      } else if (cover && bestSites === null && cover.length <= upper) bestSites = cover;
    }
    if (Math.ceil(best - 1e-6) >= upper || step < 1e-4 || Date.now() > limits.deadline) break;
    const norm = dual.subgradient(g);
    if (norm === 0) break;
    // Polyak's step towards just below the best cover: the dual cannot pass it.
    const t = (step * Math.max(1e-3, upper - 0.5 - L)) / norm;
    for (let f = 0; f < g.length; f++) u[f] = Math.max(0, u[f]! + t * g[f]!);
  }
  return { bound: Math.max(0, best), sites: bestSites, iterations: iteration };
}

function startMultipliers(problem: Problem, rows: FreeRows, freeWeight: Float64Array, u: Float64Array): void {
  const { rowStart, rowCol, status } = problem;
  for (let f = 0; f < rows.list.length; f++) {
    const i = rows.list[f]!;
    let least = Number.POSITIVE_INFINITY;
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      const j = rowCol[q]!;
      if (status[j] === ELIGIBLE && freeWeight[j]! > 0) least = Math.min(least, 1 / freeWeight[j]!);
    }
    u[f] = rows.w[f]! * least;
  }
}

/** Rows the relaxation decides: reachable by an eligible candidate and not covered by an existing one. */
interface FreeRows {
  /** Problem row of each free row. */
  readonly list: Uint32Array;
  readonly w: Float64Array;
  /** Free index of each problem row, or -1. */
  readonly index: Int32Array;
  readonly fixedWeight: number;
  /** Weight of the free rows. */
  readonly total: number;
}

function freeRows(problem: Problem): FreeRows {
  const { nRows, rowStart, rowCol, status, weight } = problem;
  const index = new Int32Array(nRows).fill(-1);
  const list: number[] = [];
  let fixedWeight = 0;
  let total = 0;
  for (let i = 0; i < nRows; i++) {
    let fixed = false;
    let eligible = false;
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      const s = status[rowCol[q]!];
      if (s === FIXED) fixed = true;
      else if (s === ELIGIBLE) eligible = true;
    }
    if (fixed) fixedWeight += weight[i]!;
    else if (eligible) {
      index[i] = list.length;
      list.push(i);
      total += weight[i]!;
    }
  }
  const rowList = Uint32Array.from(list);
  return {
    list: rowList,
    w: Float64Array.from(rowList, (i) => weight[i]!),
    index,
    fixedWeight,
    total,
  };
}

/** The dual's state at the current multipliers: reduced costs, the knapsack's rows, the x part. */
class CoverDual {
  readonly u: Float64Array;
  private readonly problem: Problem;
  private readonly rows: FreeRows;
  private readonly deficit: number;
  private readonly tolerance: number;
  private readonly cols: Uint32Array;
  /** Reduced cost 1 − Σ u over each column's free rows (of the last {@link evaluate}). */
  private readonly reduced: Float64Array;
  /** Weight of each eligible column's free rows (the same at every multiplier). */
  readonly freeWeight: Float64Array;
  /** y of the knapsack relaxation per free row (the last row taken in part). */
  private readonly y: Float64Array;
  private readonly order: Uint32Array;
  private readonly ratio: Float64Array;

  constructor(problem: Problem, rows: FreeRows, deficit: number, tolerance: number) {
    this.problem = problem;
    this.rows = rows;
    this.deficit = deficit;
    this.tolerance = tolerance;
    const n = rows.list.length;
    this.u = new Float64Array(n);
    this.y = new Float64Array(n);
    this.order = new Uint32Array(n);
    this.ratio = new Float64Array(n);
    const cols: number[] = [];
    for (let j = 0; j < problem.nCols; j++) if (problem.status[j] === ELIGIBLE) cols.push(j);
    this.cols = Uint32Array.from(cols);
    this.reduced = new Float64Array(problem.nCols);
    this.freeWeight = new Float64Array(problem.nCols);
    for (const j of this.cols) {
      let w = 0;
      for (let q = problem.colStart[j]!, e = problem.colStart[j + 1]!; q < e; q++) {
        const f = rows.index[problem.colRow[q]!]!;
        if (f >= 0) w += rows.w[f]!;
      }
      this.freeWeight[j] = w;
    }
  }

  /** L(u) with the knapsack as a linear programme; fills the reduced costs and y. */
  evaluate(): number {
    const { problem, rows, u, y, order, ratio, reduced, cols } = this;
    const { colStart, colRow } = problem;
    let value = 0;
    for (let c = 0; c < cols.length; c++) {
      const j = cols[c]!;
      let sum = 0;
      for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
        const f = rows.index[colRow[q]!]!;
        if (f >= 0) sum += u[f]!;
      }
      reduced[j] = 1 - sum;
      if (sum > 1) value += 1 - sum;
    }
    const n = rows.list.length;
    for (let f = 0; f < n; f++) {
      order[f] = f;
      ratio[f] = u[f]! / rows.w[f]!;
    }
    y.fill(0);
    value += leastRatioFill(order, ratio, rows.w, u, y, this.deficit - this.tolerance);
    return value;
  }

  /** The subgradient y_i − Σ_{j ∈ N_i} x_j at the last evaluation, and its squared norm. */
  subgradient(g: Float64Array): number {
    const { problem, rows, y, reduced } = this;
    const { rowStart, rowCol, status } = problem;
    let norm = 0;
    for (let f = 0; f < rows.list.length; f++) {
      const i = rows.list[f]!;
      let open = 0;
      for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
        const j = rowCol[q]!;
        if (status[j] === ELIGIBLE && reduced[j]! < 0) open++;
      }
      let d = y[f]! - open;
      // Projection: a multiplier at 0 cannot go lower.
      if (d < 0 && this.u[f]! <= 0) d = 0;
      g[f] = d;
      norm += d * d;
    }
    return norm;
  }

  /**
   * A cover by Lagrangian costs: repeatedly the candidate with the best score, its reduced cost over
   * the weight it newly covers (Caprara, Fischetti & Toth's σ: γ/μ when γ > 0, γ·μ otherwise, with
   * γ the reduced cost over still-uncovered rows and μ that weight, capped at what is still needed),
   * then redundant sites dropped, the most expensive first. Null when the candidates cannot meet it.
   * Called after {@link evaluate}, at the same multipliers.
   */
  greedyCover(): number[] | null {
    const { problem, rows, u, cols } = this;
    const { colStart, colRow, rowStart, rowCol } = problem;
    // At the multipliers of the last evaluation: γ starts at the reduced costs, μ at the columns'
    // free weight, and both change as rows are covered.
    const gamma = this.reduced.slice();
    const mu = this.freeWeight.slice();
    const covered = new Uint8Array(rows.list.length);
    const chosen: number[] = [];
    const taken = new Uint8Array(problem.nCols);
    let need = this.deficit - this.tolerance;
    while (need > 0) {
      let pick = -1;
      let pickScore = Number.POSITIVE_INFINITY;
      for (let c = 0; c < cols.length; c++) {
        const j = cols[c]!;
        if (taken[j] || mu[j]! <= 0) continue;
        const m = Math.min(mu[j]!, need);
        const gj = gamma[j]!;
        const score = gj > 0 ? gj / m : gj * m;
        if (score < pickScore) {
          pickScore = score;
          pick = j;
        }
      }
      if (pick < 0) return null;
      taken[pick] = 1;
      chosen.push(pick);
      for (let q = colStart[pick]!, e = colStart[pick + 1]!; q < e; q++) {
        const f = rows.index[colRow[q]!]!;
        if (f < 0 || covered[f]) continue;
        covered[f] = 1;
        need -= rows.w[f]!;
        const i = rows.list[f]!;
        for (let p = rowStart[i]!, pe = rowStart[i + 1]!; p < pe; p++) {
          const k = rowCol[p]!;
          gamma[k]! += u[f]!;
          mu[k]! -= rows.w[f]!;
        }
      }
    }
    return dropRedundant(problem, rows, chosen, this.reduced, this.deficit - this.tolerance);
  }
}

/** Drops sites the cover does not need, highest reduced cost first. */
function dropRedundant(
  problem: Problem,
  rows: FreeRows,
  chosen: number[],
  reduced: Float64Array,
  need: number,
): number[] {
  const { colStart, colRow } = problem;
  const count = new Int32Array(rows.list.length);
  let covered = 0;
  for (const j of chosen) {
    for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
      const f = rows.index[colRow[q]!]!;
      if (f < 0) continue;
      if (count[f] === 0) covered += rows.w[f]!;
      count[f]!++;
    }
  }
  const byCost = chosen.slice().sort((a, b) => reduced[b]! - reduced[a]! || b - a);
  const kept = new Set(chosen);
  for (const j of byCost) {
    let loss = 0;
    for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
      const f = rows.index[colRow[q]!]!;
      if (f >= 0 && count[f] === 1) loss += rows.w[f]!;
    }
    if (covered - loss < need) continue;
    kept.delete(j);
    covered -= loss;
    for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
      const f = rows.index[colRow[q]!]!;
      if (f >= 0) count[f]!--;
    }
  }
  return chosen.filter((j) => kept.has(j));
}

/**
 * The knapsack as a linear programme: min Σ u_f y_f subject to Σ w_f y_f ≥ need, 0 ≤ y ≤ 1, whose
 * optimum takes the rows of least u_f / w_f until `need` is met, the last one in part. Found by a
 * weighted quickselect (linear on average) rather than a sort of every row, which cost more than the
 * rest of an iteration. Fills y and returns Σ u_f y_f; `order` is scratch (any permutation).
 */
export function leastRatioFill(
  order: Uint32Array,
  ratio: Float64Array,
  w: Float64Array,
  u: Float64Array,
  y: Float64Array,
  need: number,
): number {
  let value = 0;
  let lo = 0;
  let hi = order.length;
  const take = (f: number, part: number) => {
    y[f] = part;
    value += part * u[f]!;
    need -= part * w[f]!;
  };
  while (need > 0 && lo < hi) {
    const pivot = ratio[order[(lo + hi) >>> 1]!]!;
    // Three-way partition of [lo, hi): below the pivot, equal, above.
    let lt = lo;
    let gt = hi;
    let k = lo;
    let below = 0;
    while (k < gt) {
      const f = order[k]!;
      const r = ratio[f]!;
      if (r < pivot) {
        order[k] = order[lt]!;
        order[lt++] = f;
        below += w[f]!;
        k++;
      } else if (r > pivot) {
        order[k] = order[--gt]!;
        order[gt] = f;
      } else k++;
    }
    if (below >= need) {
      hi = lt;
      continue;
    }
    for (let q = lo; q < lt; q++) take(order[q]!, 1);
    for (let q = lt; q < gt && need > 0; q++) {
      const f = order[q]!;
      take(f, w[f]! <= need ? 1 : need / w[f]!);
    }
    lo = gt;
  }
  return value;
}
