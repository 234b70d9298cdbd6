import type { Highs } from 'highs';
import type { CostTable, DistanceSource, Targets } from '../distance/types.js';
import { type CoverRows, reduceCover } from './cover-reduction.js';
import { CoverageState, type GreedyRun, lazyGreedy, MedianState } from './greedy.js';
import {
  addSideConstraints,
  decodeSites,
  MilpBuilder,
  sideConstraintSize,
  siteColumns,
  solveMilp,
} from './highs.js';
import { interchange } from './interchange.js';
import { compileProblem, ELIGIBLE, openColumns, type Problem, rowCostsOf, UNAVAILABLE } from './problem.js';
import { sitesNeeded } from './set-covering.js';
import {
  checkK,
  districtWarnings,
  type FromSourceOptions,
  type HeuristicAnswer,
  type ModelHooks,
  type ResolvedSolve,
  type SitingDemand,
  SitingModel,
  sourceArguments,
  stateHooks,
} from './shared.js';
import type { PCenterOptions, SitingStatus } from './types.js';

/** Outcome of testing whether k sites can bring every demand point within a radius. */
interface CoverTest {
  readonly feasible: boolean;
  /** Infeasibility is proved (a lower bound), not just a heuristic failure. */
  readonly proved: boolean;
  readonly sites: number[];
  /** The district minimums are unmet (see {@link GreedyRun}). */
  readonly districtsUnmet: GreedyRun['districtsUnmet'];
}

/**
 * p-center problem (Hakimi 1964): choose `k` new sites that minimise the largest cost from any
 * demand point to its nearest open site, existing facilities kept open.
 *
 * **Objective**
 *
 *     minimise  r
 *
 * **Constraints**
 *
 *     Σ_{j ∈ N_i(r)} x_j ≥ 1        for every demand point i     (someone within r of everyone)
 *     Σ_{j ∈ C} x_j ≤ k
 *     x_j = 1 for existing facilities, x_j = 0 for excluded candidates; budget, spacing and district
 *     minimums as in {@link MaximalCovering}
 *     x_j ∈ {0, 1}
 *
 * **Symbols**
 *
 * - i: demand point with population > 0 that some target in the table reaches (others cannot be
 *   served by any choice and are left out, with a warning)
 * - j: target, C the candidates; N_i(r): targets whose cost from i is at most r
 * - x_j: 1 when site j is open; r: the largest cost, one of the costs in the table
 *
 * The optimum is one of the table's costs, so both solvers search the sorted costs for the smallest
 * r at which k sites cover everyone: the heuristic tests each r with the greedy set cover (a
 * radius where the greedy lower bound already needs more than k sites is proved infeasible, which
 * gives the bound); the exact solver tests each r with HiGHS on the set-covering problem at r,
 * reduced first by row and column dominance, its LP relaxation before its MILP (an infeasible
 * relaxation proves r too small, a whole-numbered vertex is a cover). Sites left
 * over after the cover are filled in by the p-median greedy, which cannot raise the worst cost.
 * With `swap` (the default), the heuristic then searches the radii below its answer again, testing
 * each with the maximal-covering interchange started from its sites (every reachable demand point
 * weighing one): a test that leaves no point uncovered is a better answer. The greedy cover needs
 * more sites than an exact cover does; the interchange closes most of that gap (measured in
 * docs/benchmarks.md).
 *
 * @example
 * const pc = PCenter.fromCostMatrix(table, demand.weight, { k: 3, fixed });
 * pc.solve().objective; // metres from the worst-served demand point to its nearest site
 */
export class PCenter extends SitingModel {
  readonly k: number;
  private readonly cap: number;
  /** Rows some target reaches; only they count. */
  private readonly reachable: Uint8Array;
  private readonly unreachableWarning: string | null;
  /** Sorted distinct costs (the candidate radii). */
  private readonly radii: Float64Array;
  /** No k-site answer is below this: every demand point needs its nearest usable target. */
  private readonly floor: number;

  private constructor(problem: Problem, k: number) {
    super(problem);
    this.k = k;
    this.cap = problem.tableBound;
    const { nRows, rowStart, weight } = problem;
    const rowCost = rowCostsOf(problem);
    this.reachable = new Uint8Array(nRows);
    let unreachable = 0;
    let floor = 0;
    for (let i = 0; i < nRows; i++) {
      let best = Number.POSITIVE_INFINITY;
      for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) best = Math.min(best, rowCost[q]!);
      if (best === Number.POSITIVE_INFINITY) unreachable += weight[i]!;
      else {
        this.reachable[i] = 1;
        floor = Math.max(floor, best);
      }
    }
    this.floor = floor;
    this.unreachableWarning =
      unreachable > 0
        ? `${unreachable.toFixed(1)} residents have no existing facility or candidate within the table's bound (${problem.tableBound}); they are left out of the worst cost.`
        : null;
    const costs = Float64Array.from(rowCost).sort();
    let distinct = 0;
    for (let q = 0; q < costs.length; q++)
      if (q === 0 || costs[q] !== costs[distinct - 1]) costs[distinct++] = costs[q]!;
    this.radii = costs.slice(0, distinct);
  }

  /** The model on a cost table (rows demand points, columns targets). */
  static fromCostMatrix(table: CostTable, demandWeight: Float64Array, options: PCenterOptions): PCenter {
    const problem = compileProblem(table, demandWeight, options, {
      maxCost: table.bound,
      keepCosts: true,
      aggregate: false,
    });
    checkK(options.k, problem.districtNeed);
    return new PCenter(problem, options.k);
  }

  /** The model from any distance source; `tableBound` is required. */
  static fromSource(
    source: DistanceSource,
    demand: SitingDemand,
    targets: Targets,
    options: PCenterOptions & FromSourceOptions,
  ): PCenter {
    return PCenter.fromCostMatrix(
      ...sourceArguments('PCenter', source, demand, targets, options, options.tableBound, 'tableBound'),
    );
  }

  protected hooks(): ModelHooks {
    const problem = this.problem;
    const warnings: string[] = this.unreachableWarning ? [this.unreachableWarning] : [];
    return {
      model: 'pcenter',
      sense: 'min',
      problem,
      lpBound: false,
      warnings,
      heuristic: (settings) => this.heuristic(settings, warnings),
      milpSize: () => sideConstraintSize(problem) + problem.rowStart[problem.nRows]!,
      exactSize: (heuristic) => sideConstraintSize(problem) + this.reducedEntriesWithin(heuristic.objective),
      milp: () => {
        throw new Error('PCenter solves a sequence of covering MILPs instead.');
      },
      exact: (highs, settings, heuristic) => this.exact(highs, settings, heuristic),
      ...stateHooks(
        problem,
        () => new MedianState(problem, this.cap),
        (state) => this.worstOf(state.current),
        (state) => state.current,
      ),
    };
  }

  /**
   * Nonzeros of the reduced covering problem at r: what the exact search hands HiGHS at its largest
   * radius (the reductions cost about as much as building the rows, far less than HiGHS on them).
   */
  private reducedEntriesWithin(r: number): number {
    const rows = this.coverRows(r);
    return rows ? reduceCover(rows, this.problem.nCols, this.sitesFree()).rows.col.length : 0;
  }

  /** Nothing but their number constrains the sites: dropping a dominated column is then safe. */
  private sitesFree(): boolean {
    const problem = this.problem;
    return !(problem.siteCost && Number.isFinite(problem.budget)) && !problem.spacing && !problem.districts;
  }

  private worstOf(current: Float64Array): number {
    let worst = 0;
    for (let i = 0; i < this.problem.nRows; i++)
      if (this.reachable[i] && current[i]! > worst) worst = current[i]!;
    return worst;
  }

  private worst(sites: readonly number[]): number {
    const state = new MedianState(this.problem, this.cap);
    for (const j of sites) state.commit(j);
    return this.worstOf(state.current);
  }

  /** Greedy cover test at radius r: at most k sites covering every reachable row within r? */
  private coverTest(r: number): CoverTest {
    const problem = this.problem;
    let required = 0;
    for (let i = 0; i < problem.nRows; i++) if (this.reachable[i]) required += problem.weight[i]!;
    const state = new CoverageState(problem, { mode: 'all', weight: required }, r);
    let lowerBound = 0;
    const run = lazyGreedy(problem, state, {
      maxSites: this.k,
      priority: 'gain',
      stopWhenNoGain: true,
      boundFresh: this.k + 1,
      onBound: (_step, fresh, rest) => {
        // A solution S* must make up the deficit with its sites' marginal gains from here.
        lowerBound = Math.max(lowerBound, sitesNeeded(state.deficit, fresh, rest));
      },
    });
    const feasible = state.satisfied() && run.districtsUnmet === null;
    return {
      feasible,
      proved: !feasible && (lowerBound > this.k || run.districtsUnmet === 'proved'),
      sites: run.order,
      districtsUnmet: run.districtsUnmet,
    };
  }

  /** Fills the remaining sites with the p-median greedy (it cannot raise the worst cost). */
  private fill(sites: readonly number[]): { sites: number[]; districtsUnmet: GreedyRun['districtsUnmet'] } {
    const problem = this.problem;
    const state = new MedianState(problem, this.cap);
    for (const j of sites) state.commit(j);
    // A view of the problem with the cover sites fixed (and their spacing and cost taken), so the
    // greedy builds on them.
    const status = problem.status.slice();
    let spent = 0;
    for (const j of sites) {
      status[j] = UNAVAILABLE;
      if (problem.siteCost) spent += problem.siteCost[j]!;
      const spacing = problem.spacing;
      if (spacing) {
        for (let q = spacing.start[j]!, e = spacing.start[j + 1]!; q < e; q++) {
          status[spacing.neighbour[q]!] = UNAVAILABLE;
        }
      }
    }
    const view: Problem = {
      ...problem,
      status,
      fixed: Uint32Array.from([...problem.fixed, ...sites]),
      budget: problem.budget - spent,
    };
    const run = lazyGreedy(view, state, {
      maxSites: this.k - sites.length,
      priority: 'gain',
      stopWhenNoGain: true,
    });
    return { sites: [...sites, ...run.order], districtsUnmet: run.districtsUnmet };
  }

  private heuristic(settings: ResolvedSolve, warnings: string[]): HeuristicAnswer {
    const radii = this.radii;
    let lo = lowerIndex(radii, this.floor);
    let hi = radii.length - 1;
    let bound = this.floor;
    if (hi < 0) {
      return {
        sites: [],
        ordered: true,
        objective: 0,
        bound: 0,
        boundMethod: 'cover-test',
        solver: 'greedy',
        infeasible: false,
      };
    }
    let best = this.coverTest(radii[hi]!);
    if (best.feasible) {
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const test = this.coverTest(radii[mid]!);
        if (test.feasible) {
          hi = mid;
          best = test;
        } else {
          if (test.proved) bound = Math.max(bound, radii[mid + 1]!);
          lo = mid + 1;
        }
      }
    } else if (best.districtsUnmet === null) {
      warnings.push(
        `${this.k} new sites cannot bring every demand point within the table's bound; the worst cost is the bound.`,
      );
      if (best.proved) bound = this.cap;
    }
    const filled = this.fill(best.sites);
    // The fill builds on the cover's sites, so its failure proves nothing about other choices.
    const unmet =
      best.districtsUnmet === 'proved' ? 'proved' : filled.districtsUnmet === null ? null : 'not-found';
    districtWarnings(unmet, warnings);
    const sites =
      settings.swap && unmet === null ? this.descend(filled.sites, bound, settings) : filled.sites;
    const objective = this.worst(sites);
    return {
      sites,
      ordered: true,
      objective,
      bound: Math.min(bound, objective),
      boundMethod: 'cover-test',
      solver: 'greedy',
      infeasible: unmet ?? false,
    };
  }

  /**
   * Binary search over the radii from the proved bound up to the answer's worst cost, testing each
   * radius r with the covering interchange (swaps keep the spacing, budget and district rules)
   * started from the best sites so far. A test that covers every reachable point within r gives a
   * better answer; a failed one proves nothing, so the search only narrows on what it found. Stops
   * at `swapTimeMs`.
   */
  private descend(initial: readonly number[], bound: number, settings: ResolvedSolve): number[] {
    const radii = this.radii;
    let sites = initial.slice();
    if (sites.length === 0) return sites;
    const deadline = Date.now() + settings.swapTimeMs;
    let lo = lowerIndex(radii, Math.max(this.floor, bound));
    let hi = lowerIndex(radii, this.worst(sites));
    while (lo < hi) {
      const timeMs = deadline - Date.now();
      if (timeMs <= 0) break;
      const mid = (lo + hi) >> 1;
      const found = this.coverBySwaps(this.coverView(radii[mid]!), sites, timeMs, settings.swapPasses);
      if (found) {
        sites = found;
        hi = Math.min(mid, lowerIndex(radii, this.worst(sites)));
      } else lo = mid + 1;
    }
    return sites;
  }

  /**
   * Swaps towards a cover of every reachable point of `view`: the covering interchange, and while
   * it stops short, the points it leaves uncovered weigh one more in the next round (the weighting
   * of local search for set covering), which moves it out of its local optimum. Returns the sites
   * of a cover, or null when none was found within the rounds or the time.
   */
  private coverBySwaps(
    view: Problem,
    initial: readonly number[],
    timeMs: number,
    passes: number,
  ): number[] | null {
    const deadline = Date.now() + timeMs;
    // The rounds' weights are this search's own: the view stays as built.
    const weight = view.weight.slice();
    let population = view.population;
    let sites = initial.slice();
    for (let round = 0; round < COVER_ROUNDS; round++) {
      const left = deadline - Date.now();
      if (left <= 0) return null;
      const run = interchange({ ...view, weight, population }, sites, 1, { timeMs: left, passes });
      sites = run.sites;
      // The weights are whole numbers, so the uncovered weight the interchange keeps is exact:
      // zero means a cover, with no pass over the rows to check it.
      if (run.cost === 0) return sites;
      const uncovered = uncoveredRows(view, sites);
      for (const i of uncovered) weight[i]!++;
      population += uncovered.length;
    }
    return null;
  }

  /**
   * The problem as maximal covering at radius r: the table's entries within r, every reachable
   * demand point weighing one (the answer must cover each, however few live there) and the others
   * nothing.
   */
  private coverView(r: number): Problem {
    const problem = this.problem;
    const { nRows, nCols, rowStart, rowCol } = problem;
    const rowCost = rowCostsOf(problem);
    const keptRowStart = new Uint32Array(nRows + 1);
    const colCount = new Uint32Array(nCols + 1);
    let kept = 0;
    for (let i = 0; i < nRows; i++) {
      for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
        if (rowCost[q]! <= r) {
          kept++;
          colCount[rowCol[q]! + 1]!++;
        }
      }
      keptRowStart[i + 1] = kept;
    }
    const keptRowCol = new Uint32Array(kept);
    const colStart = colCount;
    for (let j = 0; j < nCols; j++) colStart[j + 1]! += colStart[j]!;
    const fill = colStart.slice(0, nCols);
    const colRow = new Uint32Array(kept);
    let w = 0;
    for (let i = 0; i < nRows; i++) {
      for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
        if (rowCost[q]! > r) continue;
        const j = rowCol[q]!;
        keptRowCol[w++] = j;
        colRow[fill[j]!++] = i;
      }
    }
    const weight = new Float64Array(nRows);
    let population = 0;
    for (let i = 0; i < nRows; i++) {
      if (this.reachable[i]) {
        weight[i] = 1;
        population++;
      }
    }
    return {
      ...problem,
      rowStart: keptRowStart,
      rowCol: keptRowCol,
      rowCost: null,
      colStart,
      colRow,
      colCost: null,
      weight,
      population,
      radius: r,
    };
  }

  /**
   * Exact: binary search over the radii from the heuristic's bound up to its answer, each radius
   * tested by HiGHS on its covering problem, reduced first ({@link reduceCover}). A cover found
   * lowers the top of the search to its sites' worst cost, which is often well below the radius
   * tested; a radius HiGHS proves infeasible raises the bottom, so a search stopped by the time limit
   * still reports a proved bound: the lowest radius not proved infeasible.
   */
  private exact(
    highs: Highs,
    settings: ResolvedSolve,
    heuristic: HeuristicAnswer,
  ): { sites: number[]; objective: number; bound: number; status: SitingStatus } | null {
    const radii = this.radii;
    if (radii.length === 0) return null;
    let lo = lowerIndex(radii, Math.max(this.floor, heuristic.bound));
    let hi = Math.min(lowerIndex(radii, heuristic.objective), radii.length - 1);
    let sites = heuristic.sites;
    let timedOut = false;
    const deadline = Date.now() + settings.timeLimitS * 1000;
    // The heuristic answer is feasible at `hi`; search below it.
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const test = this.exactCoverTest(highs, radii[mid]!, deadline, settings.mipRelGap);
      if (test === 'time-limit') {
        timedOut = true;
        break;
      }
      if (test === 'infeasible') lo = mid + 1;
      else {
        sites = this.fill(test).sites;
        hi = Math.min(mid, lowerIndex(radii, this.worst(sites)));
      }
    }
    const objective = this.worst(sites);
    return {
      sites,
      objective,
      bound: timedOut ? radii[lo]! : objective,
      status: timedOut ? 'time-limit' : 'optimal',
    };
  }

  /**
   * The covering problem at radius r: for every reachable row that no existing facility covers
   * within r, its eligible columns within r (sorted). Null when some row has none (no choice of
   * sites covers it within r).
   */
  private coverRows(r: number): CoverRows | null {
    const problem = this.problem;
    const { nRows, rowStart, rowCol, status } = problem;
    const rowCost = rowCostsOf(problem);
    const before = new CoverageState(problem, { mode: 'none' }, r);
    const start: number[] = [0];
    const col: number[] = [];
    for (let i = 0; i < nRows; i++) {
      if (!this.reachable[i] || before.covered[i] !== 0) continue;
      const first = col.length;
      for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
        if (rowCost[q]! <= r && status[rowCol[q]!] === ELIGIBLE) col.push(rowCol[q]!);
      }
      if (col.length === first) return null;
      start.push(col.length);
    }
    const rows = { start: Uint32Array.from(start), col: Uint32Array.from(col) };
    for (let i = 0; i + 1 < rows.start.length; i++)
      rows.col.subarray(rows.start[i]!, rows.start[i + 1]!).sort();
    return rows;
  }

  /**
   * Whether k new sites can cover every reachable row within r, answered by HiGHS: the sites of a
   * cover (at most k), `infeasible` when HiGHS proves there is none, `time-limit` when the deadline
   * came first.
   */
  private exactCoverTest(
    highs: Highs,
    r: number,
    deadline: number,
    mipRelGap: number,
  ): number[] | 'infeasible' | 'time-limit' {
    const problem = this.problem;
    const rows = this.coverRows(r);
    if (!rows) return 'infeasible';
    const sitesFree = this.sitesFree();
    const reduced = reduceCover(rows, problem.nCols, sitesFree);
    const builder = new MilpBuilder();
    let x: Int32Array;
    if (sitesFree) {
      x = new Int32Array(problem.nCols).fill(-1);
      for (let j = 0; j < problem.nCols; j++) if (reduced.columns[j]) x[j] = builder.addCol(1, 0, 1, true);
    } else x = siteColumns(builder, problem, 1);
    const { start, col } = reduced.rows;
    for (let i = 0; i + 1 < start.length; i++) {
      const index = Array.from(col.subarray(start[i]!, start[i + 1]!), (j) => x[j]!);
      builder.addRow(
        1,
        Number.POSITIVE_INFINITY,
        index,
        index.map(() => 1),
      );
    }
    addSideConstraints(builder, problem, x, this.k);
    // The LP relaxation first: measured on the 2,000 × 200 bench town it proved every infeasible
    // radius of the search on its own, in a fraction of the MILP's time, and at both feasible ones
    // its vertex was already whole, which is a cover.
    const solve = (relax: boolean) =>
      solveMilp(highs, builder, 'min', {
        timeLimitS: Math.max(0, (deadline - Date.now()) / 1000),
        deadline,
        mipRelGap,
        relax,
      });
    const relaxed = solve(true);
    if (relaxed.status === 'infeasible') return 'infeasible';
    if (relaxed.status === 'time-limit') return 'time-limit';
    if (relaxed.status === 'optimal' && relaxed.values && isWhole(relaxed.values))
      return decodeSites(x, relaxed.values);
    const answer = solve(false);
    if (answer.status === 'infeasible') return 'infeasible';
    if (answer.status !== 'optimal' || !answer.values) return 'time-limit';
    return decodeSites(x, answer.values);
  }
}

/** Reweighting rounds of one radius's cover search (see `coverBySwaps`). */
const COVER_ROUNDS = 40;

/** The rows of a covering view with weight that no open site (existing or in `sites`) covers. */
function uncoveredRows(view: Problem, sites: readonly number[]): number[] {
  const open = openColumns(view, sites);
  const { nRows, rowStart, rowCol, weight } = view;
  const rows: number[] = [];
  for (let i = 0; i < nRows; i++) {
    if (weight[i] === 0) continue;
    let covered = false;
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e && !covered; q++) covered = open[rowCol[q]!] === 1;
    if (!covered) rows.push(i);
  }
  return rows;
}

/** Whether every value of an LP solution is 0 or 1 (within HiGHS's feasibility tolerance). */
function isWhole(values: Float64Array): boolean {
  for (let c = 0; c < values.length; c++) {
    const v = values[c]!;
    if (Math.abs(v) > 1e-7 && Math.abs(v - 1) > 1e-7) return false;
  }
  return true;
}

/** Index of the first value ≥ v in a sorted array (length when none). */
function lowerIndex(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
