import type { CostTable, DistanceSource, Targets } from '../distance/types.js';
import { type GreedyRun, lazyGreedy, MedianState } from './greedy.js';
import { addSideConstraints, decodeSites, MilpBuilder, sideConstraintSize, siteColumns } from './highs.js';
import { interchange } from './interchange.js';
import { medianLagrangian } from './lagrangian.js';
import { compileProblem, FIXED, type Problem, rowCostsOf } from './problem.js';
import {
  bestGreedy,
  checkK,
  districtWarnings,
  type FromSourceOptions,
  type HeuristicAnswer,
  type MilpPlan,
  type ModelHooks,
  type ResolvedSolve,
  type SitingDemand,
  SitingModel,
  sourceArguments,
  stateHooks,
} from './shared.js';
import type { PMedianOptions, TradeoffPoint } from './types.js';

/**
 * p-median problem (Hakimi 1964; ReVelle & Swain 1970): choose `k` new sites that minimise the
 * total population-weighted cost from each demand point to its nearest open site, existing
 * facilities kept open.
 *
 * **Objective**
 *
 *     minimise  Σ_i Σ_{j ∈ N_i ∪ {0}} w_i · d_ij · z_ij
 *
 * **Constraints**
 *
 *     Σ_{j ∈ N_i ∪ {0}} z_ij = 1     for every demand point i   (assigned once)
 *     z_ij ≤ x_j                     for every pair (i, j)       (only to an open site)
 *     Σ_{j ∈ C} x_j ≤ k
 *     x_j = 1 for existing facilities, x_j = 0 for excluded candidates; budget, spacing and district
 *     minimums as in {@link MaximalCovering}
 *     x_j ∈ {0, 1},  0 ≤ z_ij ≤ 1
 *
 * **Symbols**
 *
 * - i: demand point, w_i its population; j: target, C the candidates
 * - N_i: targets in the table's row i (within its bound); d_ij their cost
 * - z_i0: "no site in the table", charged the cap U (`unreachableCost`, by default the table's
 *   bound), so the objective is Σ w_i · min(U, cost to the nearest open site): the classic
 *   p-median on a full matrix, and its truncation on a within-bound table
 * - x_j: 1 when site j is open; z_ij: 1 when i is served by j
 *
 * Solvers: lazy greedy (the saving Σ w_i · (current − d_ij)⁺ is submodular, so the online bound
 * holds), then interchange with fast swap evaluation, then the Lagrangian lower bound (relaxed
 * assignment constraints, subgradient); HiGHS for small instances or on request.
 *
 * @example
 * const table = source.within({ coords: sites }, 3000);
 * const pm = PMedian.fromCostMatrix(table, demand.weight, { k: 5, fixed });
 * pm.solve().objective; // person-metres
 */
export class PMedian extends SitingModel {
  readonly k: number;
  /** The cost cap U. */
  readonly cap: number;

  private constructor(problem: Problem, k: number, cap: number) {
    super(problem);
    this.k = k;
    this.cap = cap;
  }

  /** The model on a cost table (rows demand points, columns targets). */
  static fromCostMatrix(table: CostTable, demandWeight: Float64Array, options: PMedianOptions): PMedian {
    const cap = options.unreachableCost ?? table.bound;
    if (!(cap >= 0) || !Number.isFinite(cap)) {
      throw new Error(
        `PMedian needs a finite unreachableCost (the table's bound is ${table.bound}); got ${cap}.`,
      );
    }
    const problem = compileProblem(table, demandWeight, options, {
      maxCost: cap,
      keepCosts: true,
      aggregate: false,
    });
    checkK(options.k, problem.districtNeed);
    return new PMedian(problem, options.k, cap);
  }

  /** The model from any distance source; `tableBound` is required (it is also the default cap). */
  static fromSource(
    source: DistanceSource,
    demand: SitingDemand,
    targets: Targets,
    options: PMedianOptions & FromSourceOptions,
  ): PMedian {
    return PMedian.fromCostMatrix(
      ...sourceArguments('PMedian', source, demand, targets, options, options.tableBound, 'tableBound'),
    );
  }

  /** Total cost against the number of new sites, k = 0 … `kMax`, from one greedy run. */
  tradeoff(kMax: number = this.k): TradeoffPoint[] {
    checkK(kMax, this.problem.districtNeed);
    const run = greedyMedian(this.problem, this.cap, kMax, 'gain', false);
    const state = new MedianState(this.problem, this.cap);
    const coverage = coverageTracker(this.problem);
    const point = (k: number, bound: number): TradeoffPoint => ({
      k,
      objective: state.total,
      coveredWeight: coverage.covered,
      coveredShare: this.problem.population > 0 ? coverage.covered / this.problem.population : 0,
      bound,
    });
    const points = [point(0, state.total)];
    run.order.forEach((j, s) => {
      state.commit(j);
      coverage.commit(j);
      points.push(point(s + 1, run.boundByK[s + 1]!));
    });
    return points;
  }

  /** The greedy alone (lazy or plain), for benchmarks. */
  greedy(plain = false): { order: number[]; objective: number; bound: number; evaluations: number } {
    const run = greedyMedian(this.problem, this.cap, this.k, 'gain', plain);
    return {
      order: run.order,
      objective: run.total,
      bound: run.boundByK[this.k]!,
      evaluations: run.evaluations,
    };
  }

  protected hooks(): ModelHooks {
    const { problem, k, cap } = this;
    const warnings: string[] = [];
    return {
      model: 'pmedian',
      sense: 'min',
      problem,
      warnings,
      heuristic: (settings) => heuristic(problem, cap, k, settings, warnings),
      milpSize: () => milpSize(problem),
      milp: () => milp(problem, cap, k),
      ...stateHooks(
        problem,
        () => new MedianState(problem, cap),
        (state) => state.total,
        (state) => state.current,
      ),
    };
  }
}

/** Population within the radius along a sequence of sites (for trade-off curves). */
export function coverageTracker(problem: Problem): { covered: number; commit(j: number): void } {
  const covered = new Uint8Array(problem.nRows);
  const tracker = {
    covered: 0,
    commit(j: number): void {
      const { colStart, colRow, colCost, weight, radius } = problem;
      for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
        const i = colRow[q]!;
        if (covered[i] !== 0 || (colCost && colCost[q]! > radius)) continue;
        covered[i] = 1;
        tracker.covered += weight[i]!;
      }
    },
  };
  for (const j of problem.fixed) tracker.commit(j);
  return tracker;
}

/** Lower bound Σ w_i · min(U, nearest usable target): every demand point at its best possible site. */
function floorCost(problem: Problem, cap: number): number {
  const { nRows, rowStart, weight } = problem;
  const rowCost = rowCostsOf(problem);
  let sum = 0;
  for (let i = 0; i < nRows; i++) {
    let best = cap;
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) if (rowCost[q]! < best) best = rowCost[q]!;
    sum += weight[i]! * best;
  }
  return sum;
}

function greedyMedian(
  problem: Problem,
  cap: number,
  k: number,
  priority: 'gain' | 'ratio',
  plain: boolean,
): {
  order: number[];
  total: number;
  boundByK: Float64Array;
  evaluations: number;
  districtsUnmet: GreedyRun['districtsUnmet'];
} {
  const state = new MedianState(problem, cap);
  const floor = floorCost(problem, cap);
  const boundByK = new Float64Array(k + 1).fill(floor);
  const run = lazyGreedy(problem, state, {
    maxSites: k,
    priority,
    plain,
    stopWhenNoGain: true,
    boundFresh: k,
    onBound: (_step, values) => {
      // Savings are submodular: a k-site solution saves at most the k best gains from here.
      let lb = state.total;
      boundByK[0] = Math.max(boundByK[0]!, lb);
      for (let m = 1; m <= k; m++) {
        lb -= values[m - 1] ?? 0;
        if (lb > boundByK[m]!) boundByK[m] = lb;
      }
    },
  });
  return {
    order: run.order,
    total: state.total,
    boundByK,
    evaluations: run.evaluations,
    districtsUnmet: run.districtsUnmet,
  };
}

function heuristic(
  problem: Problem,
  cap: number,
  k: number,
  settings: ResolvedSolve,
  warnings: string[],
): HeuristicAnswer {
  const { best: run, runs } = bestGreedy(
    problem,
    (priority) => greedyMedian(problem, cap, k, priority, false),
    (a, b) => a.total < b.total,
  );
  let bound = Math.max(...runs.map((r) => r.boundByK[k]!));
  districtWarnings(run.districtsUnmet, warnings);
  let sites = run.order;
  let total = run.total;
  let solver: HeuristicAnswer['solver'] = 'greedy';
  if (settings.swap && sites.length > 0 && total > bound) {
    const swapped = interchange(problem, sites, cap, {
      timeMs: settings.swapTimeMs,
      passes: settings.swapPasses,
    });
    solver = 'greedy+swap';
    if (swapped.swaps > 0 && swapped.cost < total) {
      sites = swapped.sites;
      total = swapped.cost;
    }
  }
  let boundMethod: HeuristicAnswer['boundMethod'] = 'greedy-online';
  if (settings.boundTimeMs > 0 && total - bound > 1e-9 * Math.max(1, total)) {
    let lagrangian = medianLagrangian(problem, cap, k, sites, total, settings.boundTimeMs);
    // With whole-number weights and costs the optimum is whole too: round the bound up, less a
    // margin for the rounding of its sums.
    if (integralCosts(problem, cap)) lagrangian = Math.ceil(lagrangian - 1e-7 * Math.abs(lagrangian));
    if (lagrangian > bound) {
      bound = lagrangian;
      boundMethod = 'lagrangian';
    }
  }
  return {
    sites,
    ordered: sites === run.order,
    objective: total,
    bound: Math.min(bound, total),
    boundMethod,
    solver,
    infeasible: run.districtsUnmet ?? false,
  };
}

/** Whether every weight, every table cost and the cap are whole numbers. */
function integralCosts(problem: Problem, cap: number): boolean {
  if (!Number.isInteger(cap)) return false;
  for (const w of problem.weight) if (!Number.isInteger(w)) return false;
  for (const c of rowCostsOf(problem)) if (!Number.isInteger(c)) return false;
  return true;
}

function milpSize(problem: Problem): number {
  return sideConstraintSize(problem) + 3 * problem.rowStart[problem.nRows]! + problem.nRows;
}

/** The MILP above; demand points served best by an existing facility become constants. */
function milp(problem: Problem, cap: number, k: number): MilpPlan {
  const { nCols, nRows, status, rowStart, rowCol, weight } = problem;
  const rowCost = rowCostsOf(problem);
  const builder = new MilpBuilder();
  const x = siteColumns(builder, problem, 0);
  const rowFloor = new Float64Array(nRows);
  const z0 = new Int32Array(nRows).fill(-1);
  const zStart = new Int32Array(nRows + 1);
  const zCol: number[] = [];
  const zCost: number[] = [];
  const zVar: number[] = [];
  for (let i = 0; i < nRows; i++) {
    let fixedCost = cap;
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      if (status[rowCol[q]!] === FIXED && rowCost[q]! < fixedCost) fixedCost = rowCost[q]!;
    }
    rowFloor[i] = fixedCost;
    const w = weight[i]!;
    const index: number[] = [];
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      const j = rowCol[q]!;
      const d = rowCost[q]!;
      if (x[j]! < 0 || d >= fixedCost) continue;
      const z = builder.addCol(w * d, 0, 1, false);
      zCol.push(j);
      zCost.push(d);
      zVar.push(z);
      index.push(z);
      builder.addRow(Number.NEGATIVE_INFINITY, 0, [z, x[j]!], [1, -1]);
    }
    zStart[i + 1] = zCol.length;
    if (index.length === 0) {
      builder.offset += w * fixedCost;
      continue;
    }
    const zi0 = builder.addCol(w * fixedCost, 0, 1, false);
    z0[i] = zi0;
    builder.addRow(1, 1, [zi0, ...index], [1, ...index.map(() => 1)]);
  }
  addSideConstraints(builder, problem, x, k);
  return {
    builder,
    start: (sites) => {
      const values = new Float64Array(builder.cols);
      const open = new Uint8Array(nCols);
      for (const j of sites) {
        open[j] = 1;
        if (x[j]! >= 0) values[x[j]!] = 1;
      }
      for (let i = 0; i < nRows; i++) {
        if (z0[i]! < 0) continue;
        let best = rowFloor[i]!;
        let bestVar = z0[i]!;
        for (let q = zStart[i]!; q < zStart[i + 1]!; q++) {
          if (open[zCol[q]!] && zCost[q]! < best) {
            best = zCost[q]!;
            bestVar = zVar[q]!;
          }
        }
        values[bestVar] = 1;
      }
      return values;
    },
    decode: (values) => decodeSites(x, values),
  };
}
