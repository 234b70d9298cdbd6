import type { CostTable, DistanceSource, Targets } from '../distance/types.js';
import { type KernelRange, onSharedMemory, splitsWork, type WorkPool } from '../parallel/pool.js';
import { CoverageState, type GreedyRun, lazyGreedy } from './greedy.js';
import { addSideConstraints, decodeSites, MilpBuilder, sideConstraintSize, siteColumns } from './highs.js';
import { type InterchangeRun, interchange } from './interchange.js';
import {
  type CoverageBoundRun,
  type CoverageBoundSpace,
  coverageBoundSpace,
  coverageLagrangian,
  helpCoverageLagrangian,
  swapFinished,
  swapStarted,
} from './lagrangian.js';
import { compileProblem, ELIGIBLE, type Problem, type RowsWithin } from './problem.js';
import { aggregateRows, coverageRowsFromSource } from './rows.js';
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
  withDemandOf,
} from './shared.js';
import type { MaximalCoveringOptions, TradeoffPoint } from './types.js';

/** A greedy run of the maximal covering model with its online bounds. */
interface CoverageGreedy {
  readonly order: number[];
  readonly covered: number;
  /** Best covered population possible with m new sites, m = 0…k (online bound, min over steps). */
  readonly boundByK: Float64Array;
  readonly evaluations: number;
  readonly districtsUnmet: GreedyRun['districtsUnmet'];
}

/**
 * Maximal covering location problem (MCLP; Church & ReVelle 1974): choose `k` new sites that
 * maximise the population within the radius of an open site, existing facilities kept open.
 *
 * **Objective**
 *
 *     maximise  Σ_i w_i · y_i
 *
 * **Constraints**
 *
 *     y_i ≤ Σ_{j ∈ N_i} x_j        for every demand point i   (covered only by an open site in reach)
 *     Σ_{j ∈ C} x_j ≤ k                                        (k new sites)
 *     x_j = 1                        for every existing facility j ∈ F
 *     x_j = 0                        for every excluded candidate
 *     Σ_{j ∈ C} c_j x_j ≤ B                                     (budget, optional)
 *     x_j + x_l ≤ 1                  for candidates closer than the minimum spacing (optional)
 *     Σ_{j ∈ D_d} x_j ≥ m_d          for every district d (optional)
 *     x_j ∈ {0, 1},  0 ≤ y_i ≤ 1
 *
 * **Symbols**
 *
 * - i: demand point (row of the cost table), w_i its population
 * - j: target (column): C the candidates, F the existing facilities
 * - N_i: targets whose cost from i is at most the radius
 * - x_j: 1 when site j is open; y_i: 1 when demand point i is covered
 * - c_j, B: opening cost and budget; D_d, m_d: targets in district d and its minimum
 *
 * Solvers: lazy greedy with the online bound, then interchange; HiGHS for small instances or on
 * request. Greedy reaches at least (1 − 1/e) of the optimal newly covered population.
 *
 * @example
 * const table = new GreatCircleSource(demand).within({ coords: sites }, 500);
 * const mclp = MaximalCovering.fromCostMatrix(table, demand.weight, { k: 12, fixed });
 * const result = mclp.solve();
 * result.sites[0]?.candidate; // the best first site
 */
export class MaximalCovering extends SitingModel {
  /** Number of new sites. */
  readonly k: number;
  private readonly pool: WorkPool | undefined;

  private constructor(problem: Problem, k: number, pool: WorkPool | undefined) {
    super(problem);
    this.k = k;
    this.pool = pool;
  }

  /**
   * The model on a cost table whose rows are demand points and whose columns are targets (existing
   * facilities, marked with `fixed`, and candidates).
   */
  static fromCostMatrix(
    table: CostTable,
    demandWeight: Float64Array,
    options: MaximalCoveringOptions,
  ): MaximalCovering {
    const radius = options.radius ?? table.bound;
    const problem = compileProblem(table, demandWeight, options, {
      maxCost: radius,
      keepCosts: false,
      aggregate: true,
      ...(options.pool === undefined ? {} : { pool: options.pool }),
    });
    checkK(options.k, problem.districtNeed);
    return new MaximalCovering(problem, options.k, options.pool);
  }

  /**
   * The model from any distance source: asks `source.within(targets, tableBound ?? radius)` and
   * passes the table to {@link MaximalCovering.fromCostMatrix}, with the demand's owners. A source
   * that offers {@link DistanceSource.withinThen} (a `GreatCircleSource` on a pool of two or more
   * threads), measured to the radius with `pool` given here too, skips the table: each thread writes
   * its owners' rows without costs and merges them at once (about two thirds of the time and CPU at
   * 1M × 20k); the same model.
   */
  static fromSource(
    source: DistanceSource,
    demand: SitingDemand,
    targets: Targets,
    options: MaximalCoveringOptions & FromSourceOptions,
  ): MaximalCovering {
    const bound = options.radius === undefined ? undefined : (options.tableBound ?? options.radius);
    const { pool } = options;
    const owner = options.owner ?? demand.owner;
    if (
      source.withinThen !== undefined &&
      splitsWork(pool) &&
      bound !== undefined &&
      bound === options.radius &&
      owner === source.origins.owner &&
      owner.length === demand.weight.length
    ) {
      return MaximalCovering.fromRowsWithin(source, demand, targets, { ...options, radius: bound }, pool);
    }
    return MaximalCovering.fromCostMatrix(
      ...sourceArguments('MaximalCovering', source, demand, targets, options, bound, 'radius'),
    );
  }

  // A source that offers `withinThen`: the merged rows straight from its pass, without the table of
  // pairs and its costs (see `coverageRowsFromSource`); the same problem as through the table.
  private static fromRowsWithin(
    source: DistanceSource,
    demand: SitingDemand,
    targets: Targets,
    options: MaximalCoveringOptions & { radius: number },
    pool: WorkPool,
  ): MaximalCovering {
    const resolved = withDemandOf(options, demand, targets);
    const bound = options.radius;
    const nCols = resolved.targetCount;
    const rows: RowsWithin = {
      bound,
      targetCount: nCols,
      merge: (status) =>
        coverageRowsFromSource(source, targets, bound, demand.weight, status, nCols, pool) ??
        aggregateRows(
          source.within(targets, bound),
          demand.weight,
          status,
          Number.POSITIVE_INFINITY,
          source.origins.owner,
          source.origins.ownerCount,
          nCols,
          pool,
        ),
    };
    const problem = compileProblem(rows, demand.weight, resolved, {
      maxCost: bound,
      keepCosts: false,
      aggregate: true,
      pool,
    });
    checkK(options.k, problem.districtNeed);
    return new MaximalCovering(problem, options.k, pool);
  }

  /**
   * Covered population against the number of new sites, k = 0 … `kMax`, from one greedy run (the
   * greedy is nested, so its first k sites are its answer for k), with the online bound per k.
   */
  tradeoff(kMax: number = this.k): TradeoffPoint[] {
    checkK(kMax, this.problem.districtNeed);
    const run = greedyCoverage(this.problem, kMax, 'gain', false);
    const state = new CoverageState(this.problem, { mode: 'none' });
    const population = this.problem.population;
    const points: TradeoffPoint[] = [
      {
        k: 0,
        objective: state.coveredWeight,
        coveredWeight: state.coveredWeight,
        coveredShare: share(state.coveredWeight, population),
        bound: state.coveredWeight,
      },
    ];
    run.order.forEach((j, s) => {
      state.commit(j);
      points.push({
        k: s + 1,
        objective: state.coveredWeight,
        coveredWeight: state.coveredWeight,
        coveredShare: share(state.coveredWeight, population),
        bound: run.boundByK[s + 1]!,
      });
    });
    return points;
  }

  /**
   * The greedy alone, lazy (CELF) or plain (every candidate re-evaluated at every step), for
   * benchmarks: the sites in order, covered population, bound and number of gain evaluations.
   */
  greedy(plain = false): { order: number[]; covered: number; bound: number; evaluations: number } {
    const run = greedyCoverage(this.problem, this.k, 'gain', plain);
    return {
      order: run.order,
      covered: run.covered,
      bound: run.boundByK[this.k]!,
      evaluations: run.evaluations,
    };
  }

  protected hooks(): ModelHooks {
    const { problem, k, pool } = this;
    const warnings: string[] = [];
    return {
      model: 'mclp',
      sense: 'max',
      problem,
      warnings,
      heuristic: (settings) => heuristic(problem, k, settings, warnings, pool),
      milpSize: () => milpSize(problem),
      milp: () => milp(problem, k),
      ...stateHooks(
        problem,
        () => new CoverageState(problem, { mode: 'none' }),
        (state) => state.coveredWeight,
      ),
    };
  }
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** Lazy (or plain) greedy with the online bound f(S_t) + sum of the m best gains, per m. */
function greedyCoverage(
  problem: Problem,
  k: number,
  priority: 'gain' | 'ratio',
  plain: boolean,
): CoverageGreedy {
  const state = new CoverageState(problem, { mode: 'none' }).keepLedger();
  const boundByK = new Float64Array(k + 1).fill(Number.POSITIVE_INFINITY);
  let coverable = 0;
  for (let i = 0; i < problem.nRows; i++) {
    if (problem.rowStart[i + 1]! > problem.rowStart[i]!) coverable += problem.weight[i]!;
  }
  const run = lazyGreedy(problem, state, {
    maxSites: k,
    priority,
    plain,
    stopWhenNoGain: true,
    boundFresh: k,
    onBound: (_step, values) => {
      // The k best gains are exact (`boundFresh: k`); fewer values means fewer candidates are left.
      let sum = state.coveredWeight;
      boundByK[0] = Math.min(boundByK[0]!, sum);
      for (let m = 1; m <= k; m++) {
        sum += values[m - 1] ?? 0;
        if (sum < boundByK[m]!) boundByK[m] = sum;
      }
    },
  });
  for (let m = 0; m <= k; m++) boundByK[m] = Math.min(boundByK[m]!, coverable);
  return {
    order: run.order,
    covered: state.coveredWeight,
    boundByK,
    evaluations: run.evaluations,
    districtsUnmet: run.districtsUnmet,
  };
}

function heuristic(
  problem: Problem,
  k: number,
  settings: ResolvedSolve,
  warnings: string[],
  pool: WorkPool | undefined,
): HeuristicAnswer {
  // Budgeted coverage: the best of the cost-benefit greedy and the plain one.
  const { best: run, runs } = bestGreedy(
    problem,
    (priority) => greedyCoverage(problem, k, priority, false),
    (a, b) => a.covered > b.covered,
  );
  let bound = Math.min(...runs.map((r) => r.boundByK[k]!));
  districtWarnings(run.districtsUnmet, warnings);
  if (run.order.length < k && run.districtsUnmet === null) {
    warnings.push(`Only ${run.order.length} of ${k} sites add coverage; the others would add nobody.`);
  }
  let sites = run.order;
  let covered = run.covered;
  let solver: HeuristicAnswer['solver'] = 'greedy';
  const swap = settings.swap && sites.length > 0 && covered < bound;
  const needsBound = (objective: number) =>
    settings.boundTimeMs > 0 && bound - objective > 1e-9 * Math.max(1, objective);
  let lagrangian: CoverageBoundRun | null = null;
  let swapped: InterchangeRun | null = null;
  if (swap && needsBound(covered) && splitsWork(pool)) {
    // Side by side: the swap on one thread, the bound from the greedy's answer on another; the
    // swap's thread, once done, takes half of each of the bound's steps.
    const parts = pool.run<InterchangeRun | CoverageBoundRun>(
      COVERAGE_IMPROVE_KERNEL,
      {
        problem: onSharedMemory(problem, pool),
        k,
        sites,
        covered,
        swapTimeMs: settings.swapTimeMs,
        swapPasses: settings.swapPasses,
        boundTimeMs: settings.boundTimeMs,
        space: coverageBoundSpace(problem, k, pool),
      } satisfies ImproveInput,
      IMPROVE_RANGES,
    );
    swapped = parts[0] as InterchangeRun;
    lagrangian = parts[1] as CoverageBoundRun;
  } else if (swap) {
    swapped = interchange(problem, sites, 1, { timeMs: settings.swapTimeMs, passes: settings.swapPasses });
  }
  if (swapped !== null) {
    solver = 'greedy+swap';
    if (swapped.swaps > 0) {
      sites = swapped.sites;
      covered = problem.population - swapped.cost;
    }
  }
  let boundMethod: HeuristicAnswer['boundMethod'] = 'greedy-online';
  if (lagrangian === null && needsBound(covered)) {
    lagrangian = coverageLagrangian(problem, k, sites, covered, settings.boundTimeMs);
  }
  if (lagrangian !== null && lagrangian.bound < bound) {
    bound = lagrangian.bound;
    boundMethod = 'lagrangian';
  }
  return {
    sites,
    ordered: solver === 'greedy' || sites === run.order,
    objective: covered,
    bound: Math.max(bound, covered),
    boundMethod,
    boundStop: lagrangian?.stop ?? null,
    solver,
    infeasible: run.districtsUnmet ?? false,
  };
}

/** Pool kernel: the interchange (range 0) or the Lagrangian bound (range 1) of a coverage answer. */
export const COVERAGE_IMPROVE_KERNEL = 'siting-coverage-improve';
const IMPROVE_RANGES: readonly KernelRange[] = [
  [0, 1],
  [1, 2],
];

/** What {@link improveCoverage} is given: the compiled problem and the greedy's answer. */
export interface ImproveInput {
  readonly problem: Problem;
  readonly k: number;
  readonly sites: readonly number[];
  readonly covered: number;
  readonly swapTimeMs: number;
  readonly swapPasses: number;
  readonly boundTimeMs: number;
  /** The bound's steps at most (tests and benchmarks; by default the bound's own limit). */
  readonly boundSteps?: number;
  /** The bound's working memory, on shared memory: the swap's thread helps the bound in it. */
  readonly space: CoverageBoundSpace;
}

/**
 * Pool kernel: range `[0, 1)` runs the interchange from the greedy's sites, range `[1, 2)` the
 * Lagrangian bound started from the same answer, so that two threads run them side by side; the
 * interchange's thread, once done, takes the second half of each of the bound's later steps (when
 * the bound still runs; the same steps as on one thread, each sooner). The interchange is the one
 * the single thread runs (same sites, same covered population); the bound starts from the greedy's
 * answer instead of the swapped one, and any multipliers give a valid bound.
 */
export function improveCoverage(input: ImproveInput, from: number): InterchangeRun | CoverageBoundRun {
  const { problem, k, sites, covered, space } = input;
  if (from === 0) {
    swapStarted(space);
    let run: InterchangeRun;
    try {
      run = interchange(problem, sites, 1, { timeMs: input.swapTimeMs, passes: input.swapPasses });
    } catch (error) {
      // The bound may be waiting for this answer: the greedy's, which it already has, ends the wait.
      swapFinished(space, covered);
      throw error;
    }
    swapFinished(space, run.swaps > 0 ? problem.population - run.cost : covered);
    helpCoverageLagrangian(problem, space);
    return run;
  }
  return coverageLagrangian(problem, k, sites, covered, input.boundTimeMs, input.boundSteps, space);
}

/** Rows not covered by the existing facilities that some eligible candidate reaches. */
function openRows(problem: Problem): { rows: number[]; fixedCovered: number; covered: Uint8Array } {
  const state = new CoverageState(problem, { mode: 'none' });
  const rows: number[] = [];
  for (let i = 0; i < problem.nRows; i++) {
    if (state.covered[i] !== 0) continue;
    for (let q = problem.rowStart[i]!, e = problem.rowStart[i + 1]!; q < e; q++) {
      if (problem.status[problem.rowCol[q]!] === ELIGIBLE) {
        rows.push(i);
        break;
      }
    }
  }
  return { rows, fixedCovered: state.coveredWeight, covered: state.covered };
}

function milpSize(problem: Problem): number {
  let size = sideConstraintSize(problem);
  for (let i = 0; i < problem.nRows; i++) size += problem.rowStart[i + 1]! - problem.rowStart[i]! + 1;
  return size;
}

/** The MILP above, with existing facilities folded into the offset. */
function milp(problem: Problem, k: number): MilpPlan {
  const { nCols, rowStart, rowCol, weight } = problem;
  const builder = new MilpBuilder();
  const x = siteColumns(builder, problem, 0);
  const { rows, fixedCovered } = openRows(problem);
  builder.offset = fixedCovered;
  const y: number[] = [];
  for (const i of rows) {
    const yi = builder.addCol(weight[i]!, 0, 1, false);
    y.push(yi);
    const index = [yi];
    const value = [1];
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      const xj = x[rowCol[q]!]!;
      if (xj >= 0) {
        index.push(xj);
        value.push(-1);
      }
    }
    builder.addRow(Number.NEGATIVE_INFINITY, 0, index, value);
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
      rows.forEach((i, r) => {
        for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
          if (open[rowCol[q]!]) {
            values[y[r]!] = 1;
            break;
          }
        }
      });
      return values;
    },
    decode: (values) => decodeSites(x, values),
  };
}
