import type { Highs } from 'highs';
import type { CostTable, DistanceSource, Targets } from '../distance/types.js';
import { OptionError } from '../validate/problems.js';
import type { GreedyRun } from './greedy.js';
import { MaxHeap } from './heap.js';
import { type MilpAnswer, type MilpBuilder, type MilpSettings, solveMilp } from './highs.js';
import type { Problem } from './problem.js';
import type {
  BoundMethod,
  BoundStop,
  OwnerFigures,
  SiteChoice,
  SiteLoad,
  SitingMethod,
  SitingModelName,
  SitingModelSize,
  SitingResult,
  SitingSolveOptions,
  SitingSolver,
  SitingStatus,
} from './types.js';

/** Demand as the `fromSource` adapters take it: {@link DemandPoints} fits. */
export interface SitingDemand {
  /** Residents per demand point. */
  readonly weight: Float64Array;
  /** Owner (community) per demand point. */
  readonly owner?: Uint32Array;
  readonly ownerCount?: number;
}

/** Extra option of the `fromSource` adapters. */
export interface FromSourceOptions {
  /**
   * Bound of the table asked from the source. Default: `radius` for the coverage models; for
   * p-median and p-center it must be given (a within-bound table truncates costs at it).
   */
  tableBound?: number;
}

/**
 * Most MILP nonzeros that the exact step of `exact: 'auto'` hands to HiGHS (measured in
 * docs/siting.md: at 200,000 nonzeros, building and loading the model took 7 s and HiGHS's presolve,
 * which does not stop at the time limit, 9 s more at load 25 on 2 cores).
 */
export const DEFAULT_EXACT_LIMIT = 100_000;

/**
 * Gap to the bound above which a timed-out exact step solves the LP relaxation for a tighter bound
 * (issue #16: the default's answer within 0.5 % of its reported bound).
 */
const TIMED_OUT_GAP_TARGET = 0.005;

/** Default time limit of the exact step of `exact: 'auto'`, in milliseconds. */
export const DEFAULT_EXACT_TIME_MS = 10_000;

/** Settings of `solve()` with every default filled in. */
export interface ResolvedSolve {
  readonly exact: boolean | 'auto';
  readonly highs: Highs | null;
  readonly exactLimit: number;
  /** Time limit of the exact step of `exact: 'auto'` in milliseconds (0: off). */
  readonly exactTimeMs: number;
  readonly lpBoundLimit: number;
  readonly timeLimitS: number;
  readonly mipRelGap: number;
  readonly swap: boolean;
  readonly swapTimeMs: number;
  readonly swapPasses: number;
  readonly boundTimeMs: number;
}

export function resolveSolve(options: SitingSolveOptions): ResolvedSolve {
  const resolved: ResolvedSolve = {
    exact: options.exact ?? 'auto',
    highs: options.highs ?? null,
    exactLimit: options.exactLimit ?? DEFAULT_EXACT_LIMIT,
    exactTimeMs:
      options.exactTimeMs ??
      (options.timeLimitS !== undefined ? 1000 * options.timeLimitS : DEFAULT_EXACT_TIME_MS),
    lpBoundLimit: options.lpBoundLimit ?? 50_000,
    timeLimitS: options.timeLimitS ?? (options.exact === true ? 60 : 10),
    mipRelGap: options.mipRelGap ?? 1e-6,
    swap: options.swap ?? true,
    swapTimeMs: options.swapTimeMs ?? 2000,
    swapPasses: options.swapPasses ?? 20,
    boundTimeMs: options.boundTimeMs ?? 1000,
  };
  if (resolved.exact === true && !resolved.highs) {
    throw new Error(
      'exact: true needs a loaded HiGHS runtime: solve({ exact: true, highs: await loadHighs() }).',
    );
  }
  // timeLimitS first: exactTimeMs defaults from it, and the mistake is the option the caller gave.
  if (!(resolved.timeLimitS > 0))
    throw new OptionError('timeLimitS', `must be a positive number of seconds, got ${resolved.timeLimitS}.`);
  if (!(resolved.exactTimeMs >= 0))
    throw new OptionError(
      'exactTimeMs',
      `must be 0 (off) or a positive number, got ${resolved.exactTimeMs}.`,
    );
  return resolved;
}

/** The cost table a `fromSource` adapter asks for, checked against the demand. */
function tableFromSource(
  source: DistanceSource,
  demand: SitingDemand,
  targets: Targets,
  bound: number,
): CostTable {
  if (source.origins.owner.length !== demand.weight.length) {
    throw new Error(
      `The distance source measures from ${source.origins.owner.length} origins but the demand has ${demand.weight.length} weights.`,
    );
  }
  if (!(bound >= 0)) throw new Error(`The table bound must be a non-negative number, got ${bound}.`);
  return source.within(targets, bound);
}

/**
 * A `fromSource` adapter's options for `fromCostMatrix`: the demand's owners and the targets' count
 * and positions, unless the caller gave its own.
 */
export function withDemandOf<T extends { owner?: Uint32Array; ownerCount?: number; coords?: Float64Array }>(
  options: T,
  demand: SitingDemand,
  targets: Targets,
): T & { owner?: Uint32Array; ownerCount?: number; targetCount: number; coords: Float64Array } {
  return {
    ...options,
    owner: options.owner ?? demand.owner,
    ownerCount: options.ownerCount ?? demand.ownerCount,
    targetCount: targets.coords.length >> 1,
    coords: options.coords ?? targets.coords,
  };
}

/**
 * What a `fromSource` adapter passes to `fromCostMatrix`: the table the source gives at `bound`
 * (`what` names the option that sets it, for the error when it is missing), the demand's weights,
 * and the options with the demand's owners and the targets (see {@link withDemandOf}).
 */
export function sourceArguments<
  T extends { owner?: Uint32Array; ownerCount?: number; coords?: Float64Array },
>(
  model: string,
  source: DistanceSource,
  demand: SitingDemand,
  targets: Targets,
  options: T,
  bound: number | undefined,
  what: 'radius' | 'tableBound',
): [CostTable, Float64Array, T & { targetCount: number; coords: Float64Array }] {
  if (bound === undefined) throw new Error(`${model}.fromSource needs a ${what}.`);
  const table = tableFromSource(source, demand, targets, bound);
  return [table, demand.weight, withDemandOf(options, demand, targets)];
}

/**
 * What every model class shares: the compiled problem, its size, and `solve()` through the common
 * pipeline ({@link runSolve}) with the hooks the model supplies.
 */
export abstract class SitingModel {
  protected readonly problem: Problem;

  protected constructor(problem: Problem) {
    this.problem = problem;
  }

  /** Size of the compiled instance. */
  get size(): SitingModelSize {
    return sizeOf(this.problem, this.hooks().milpSize());
  }

  /** Chooses the sites. */
  solve(options: SitingSolveOptions = {}): SitingResult {
    return runSolve(this.hooks(), options);
  }

  protected abstract hooks(): ModelHooks;
}

/** The size of a compiled problem. */
function sizeOf(problem: Problem, milpNonzeros: number): SitingModelSize {
  return {
    rows: problem.nRows,
    targets: problem.nCols,
    entries: problem.rowStart[problem.nRows]!,
    milpNonzeros,
  };
}

/** |objective − bound| / max(|objective|, |bound|), 0 when both are 0. */
function relativeGap(objective: number, bound: number): number {
  if (!Number.isFinite(bound)) return Number.POSITIVE_INFINITY;
  const scale = Math.max(Math.abs(objective), Math.abs(bound));
  return scale === 0 ? 0 : Math.abs(objective - bound) / scale;
}

/** Checks that `k` is a whole number ≥ 0. */
export function checkK(k: number, districtNeed: number): void {
  if (!(k >= 0) || !Number.isInteger(k)) throw new OptionError('k', `must be a whole number ≥ 0, got ${k}.`);
  if (districtNeed > k) {
    throw new OptionError(
      'minPerDistrict',
      `the district minimums need ${districtNeed} new sites but k is ${k}.`,
    );
  }
}

/** A greedy-style state: marginal gains and commits (see greedy.ts). */
interface GainState {
  gain(j: number): number;
  commit(j: number): void;
}

/**
 * Orders a set of sites the way the greedy would have chosen them (largest marginal gain first),
 * so the cumulative figures of an exact or swapped answer read like a priority list.
 */
export function orderByGain(sites: readonly number[], state: GainState): number[] {
  const heap = new MaxHeap(sites.length);
  const stale = new Map<number, number>();
  for (const j of sites) {
    const g = state.gain(j);
    stale.set(j, 0);
    heap.push(g, j);
  }
  const order: number[] = [];
  let step = 0;
  while (heap.size > 0) {
    const j = heap.pop();
    if (stale.get(j) !== step) {
      stale.set(j, step);
      heap.push(state.gain(j), j);
      continue;
    }
    state.commit(j);
    order.push(j);
    step++;
  }
  return order;
}

/**
 * The greedy by largest gain and, under a budget, also by gain per unit of cost (either alone can be
 * arbitrarily bad under a budget; the better of the two is not: Khuller, Moss & Naor 1999). A run
 * that meets the district minimums beats one that does not; otherwise `better` decides.
 */
export function bestGreedy<R extends { readonly districtsUnmet: GreedyRun['districtsUnmet'] }>(
  problem: Problem,
  run: (priority: 'gain' | 'ratio') => R,
  better: (a: R, b: R) => boolean,
): { best: R; runs: R[] } {
  const byGain = run('gain');
  if (!problem.siteCost || !Number.isFinite(problem.budget)) return { best: byGain, runs: [byGain] };
  const byRatio = run('ratio');
  const met = (r: R) => r.districtsUnmet === null;
  const ratioWins = met(byRatio) !== met(byGain) ? met(byRatio) : better(byRatio, byGain);
  return { best: ratioWins ? byRatio : byGain, runs: [byGain, byRatio] };
}

/**
 * The hooks of a model whose objective a greedy state tracks (maximal covering, p-median,
 * p-center): the objective of a set of sites, their greedy order, and the report along that order
 * (with per-owner mean costs when `rowCosts` reads them from the state).
 */
export function stateHooks<S extends GainState>(
  problem: Problem,
  newState: () => S,
  objective: (state: S) => number,
  rowCosts?: (state: S) => Float64Array,
): Pick<ModelHooks, 'objectiveOf' | 'order' | 'report'> {
  return {
    objectiveOf: (sites) => {
      const state = newState();
      for (const j of sites) state.commit(j);
      return objective(state);
    },
    order: (sites) => orderByGain(sites, newState()),
    report: (order) => {
      const state = newState();
      const before = objective(state);
      const meanBefore = rowCosts ? ownerMeanCost(problem, rowCosts(state)) : null;
      const report = sequenceReport(
        problem,
        order,
        { commit: (j) => state.commit(j), value: () => objective(state) },
        rowCosts && meanBefore
          ? { before: meanBefore, after: () => ownerMeanCost(problem, rowCosts(state))! }
          : undefined,
      );
      return { ...report, objectiveBefore: before, loads: null };
    },
  };
}

/** Tracks the model objective along the chosen sites. */
export interface ObjectiveTracker {
  commit(j: number): void;
  value(): number;
}

/** Coverage within the radius along a sequence of sites, with per-owner figures. */
export interface SequenceReport {
  readonly sites: SiteChoice[];
  readonly coveredBefore: number;
  readonly coveredAfter: number;
  readonly owners: OwnerFigures | null;
}

/**
 * Walks the chosen sites in order from the existing facilities alone and records what each adds:
 * population newly within the radius, the owners it newly serves, and the model objective.
 */
export function sequenceReport(
  problem: Problem,
  order: readonly number[],
  tracker: ObjectiveTracker,
  meanCost?: { before: Float64Array; after: () => Float64Array },
): SequenceReport {
  const { nRows, colStart, colRow, colCost, weight, rowOwner, ownerCount, radius, population } = problem;
  const covered = new Uint8Array(nRows);
  let coveredWeight = 0;
  // Per owner: covered weight, and the rank of the last site that newly served it.
  const owners = rowOwner
    ? { rowOwner, covered: new Float64Array(ownerCount), stamp: new Int32Array(ownerCount).fill(-1) }
    : null;
  const open = (j: number, rank: number, served: number[] | null) => {
    let added = 0;
    for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
      if (colCost && colCost[q]! > radius) continue;
      const i = colRow[q]!;
      if (covered[i] !== 0) continue;
      covered[i] = 1;
      added += weight[i]!;
      if (owners) {
        const o = owners.rowOwner[i]!;
        owners.covered[o]! += weight[i]!;
        if (served && owners.stamp[o] !== rank) {
          owners.stamp[o] = rank;
          served.push(o);
        }
      }
    }
    coveredWeight += added;
    return added;
  };
  for (const j of problem.fixed) open(j, -1, null);
  const coveredBefore = coveredWeight;
  const ownersBefore = owners ? owners.covered.slice() : new Float64Array(0);
  const sites: SiteChoice[] = order.map((j, s) => {
    const served: number[] = [];
    const added = open(j, s, served);
    tracker.commit(j);
    served.sort((a, b) => a - b);
    return {
      candidate: j,
      rank: s + 1,
      addedWeight: added,
      cumulativeWeight: coveredWeight,
      cumulativeShare: population > 0 ? coveredWeight / population : 0,
      objective: tracker.value(),
      newlyServedOwners: served,
    };
  });
  let ownerFigures: OwnerFigures | null = null;
  if (owners) {
    const ownerPopulation = new Float64Array(ownerCount);
    for (let i = 0; i < nRows; i++) ownerPopulation[owners.rowOwner[i]!]! += weight[i]!;
    ownerFigures = {
      population: ownerPopulation,
      coveredBefore: ownersBefore,
      coveredAfter: owners.covered,
      ...(meanCost ? { meanCostBefore: meanCost.before, meanCostAfter: meanCost.after() } : {}),
    };
  }
  return { sites, coveredBefore, coveredAfter: coveredWeight, owners: ownerFigures };
}

/** Population-weighted mean of a per-row cost by owner. */
function ownerMeanCost(problem: Problem, rowCost: Float64Array): Float64Array | null {
  const { rowOwner, ownerCount, nRows, weight } = problem;
  if (!rowOwner) return null;
  const sum = new Float64Array(ownerCount);
  const w = new Float64Array(ownerCount);
  for (let i = 0; i < nRows; i++) {
    const o = rowOwner[i]!;
    sum[o]! += weight[i]! * rowCost[i]!;
    w[o]! += weight[i]!;
  }
  for (let o = 0; o < ownerCount; o++) sum[o] = w[o]! > 0 ? sum[o]! / w[o]! : Number.NaN;
  return sum;
}

/** A heuristic answer before the exact solver is considered. */
export interface HeuristicAnswer {
  readonly sites: number[];
  /** Sites already in order of choice (greedy without swaps). */
  readonly ordered: boolean;
  readonly objective: number;
  readonly bound: number;
  readonly boundMethod: BoundMethod;
  /** Why maximal covering's Lagrangian bound stopped, when it ran. */
  readonly boundStop?: BoundStop | null;
  readonly solver: SitingSolver;
  /**
   * The heuristic could not meet the constraints (district minimums, set-covering requirement):
   * `proved` when no answer can (status `infeasible`), `not-found` when none was found (status
   * `not-found`); false when its answer meets them.
   */
  readonly infeasible: false | 'proved' | 'not-found';
}

/** The warning of a greedy run that left district minimums unmet (none when they are met). */
export function districtWarnings(unmet: GreedyRun['districtsUnmet'], warnings: string[]): void {
  if (unmet === 'proved') {
    warnings.push(
      'No choice of new sites meets every district minimum within the spacing, the budget and the number of sites (an exhaustive search proved it); the answer is the closest the greedy got.',
    );
  } else if (unmet === 'not-found') {
    warnings.push(
      'The heuristic found no choice of new sites that meets every district minimum within the spacing, the budget and the number of sites; one may exist (HiGHS can tell: solve with exact: true).',
    );
  }
}

/** The MILP of a model, built on demand. */
export interface MilpPlan {
  readonly builder: MilpBuilder;
  /** Column values of a solution with these sites (a MIP start). */
  start(sites: readonly number[]): Float64Array;
  /** The new sites of a solution. */
  decode(values: Float64Array): number[];
}

/** What each model supplies to the shared solve pipeline. */
export interface ModelHooks {
  readonly model: SitingModelName;
  readonly sense: 'max' | 'min';
  readonly problem: Problem;
  /** Objectives are whole numbers (set covering): a bound can be rounded toward the objective. */
  readonly integral?: boolean;
  /** Simplex of the LP relaxation for the bound (see {@link MilpSettings.simplex}). Default primal. */
  readonly relaxSimplex?: 'primal' | 'dual';
  /** The MILP's LP relaxation is a bound of the objective (false for p-center). Default true. */
  readonly lpBound?: boolean;
  heuristic(settings: ResolvedSolve): HeuristicAnswer;
  /** Nonzeros of the MILP, for the size limits (estimated without building it). */
  milpSize(): number;
  milp(): MilpPlan;
  /**
   * Nonzeros of the largest model the exact step builds, once the heuristic answer is known, for
   * the size rule of `exact: 'auto'` (default {@link ModelHooks.milpSize}; p-center's covering
   * problems shrink with the radius its heuristic reached).
   */
  exactSize?(heuristic: HeuristicAnswer): number;
  /** Replaces the generic MILP solve (p-center's sequence of covering problems). */
  exact?(
    highs: Highs,
    settings: ResolvedSolve,
    heuristic: HeuristicAnswer,
  ): { sites: number[]; objective: number; bound: number; status: SitingStatus } | null;
  objectiveOf(sites: readonly number[]): number;
  order(sites: readonly number[]): number[];
  report(order: readonly number[]): {
    sites: SiteChoice[];
    coveredBefore: number;
    coveredAfter: number;
    objectiveBefore: number;
    owners: OwnerFigures | null;
    loads: SiteLoad[] | null;
  };
  /** Extra warnings of this solve. */
  readonly warnings: string[];
}

/**
 * The solve pipeline every model shares: heuristic first (it is also the MIP start); HiGHS when
 * asked or when the MILP is small enough; otherwise the LP relaxation as a bound when that is small
 * enough; then the report, frozen.
 */
export function runSolve(hooks: ModelHooks, options: SitingSolveOptions): SitingResult {
  const t0 = Date.now();
  const settings = resolveSolve(options);
  const { problem, sense } = hooks;
  const warnings: string[] = [];
  const heuristic = hooks.heuristic(settings);
  let sites = heuristic.sites;
  let ordered = heuristic.ordered;
  let objective = heuristic.objective;
  let bound = heuristic.bound;
  let boundMethod = heuristic.boundMethod;
  let solver: SitingSolver = heuristic.solver;
  let status: SitingStatus =
    heuristic.infeasible === 'proved'
      ? 'infeasible'
      : heuristic.infeasible === 'not-found'
        ? 'not-found'
        : 'feasible';
  const tighter = (candidate: number) =>
    sense === 'max' ? candidate < bound - 1e-9 * Math.abs(bound) : candidate > bound + 1e-9 * Math.abs(bound);

  let milpStats: SitingResult['milp'] = null;
  let method: SitingMethod = 'heuristic';
  const highs = settings.highs;
  const size = highs ? hooks.milpSize() : Number.POSITIVE_INFINITY;
  // A heuristic answer that meets its own bound is optimal: nothing for HiGHS to add.
  const provedByBound = !heuristic.infeasible && relativeGap(objective, bound) <= 1e-9;
  // The LP relaxation's optimum bounds the MILP's; when it beats the bound so far it replaces it.
  // `record` keeps its statistics as the run's `milp` (not when the MILP's own are there already).
  // `nonzeros`: of the model as built when it was (the estimate is an upper bound).
  const lpBoundWanted = (nonzeros = size) =>
    highs !== null &&
    (hooks.lpBound ?? true) &&
    settings.lpBoundLimit > 0 &&
    nonzeros <= settings.lpBoundLimit &&
    !heuristic.infeasible &&
    !provedByBound;
  const tightenByRelaxation = (timeLimitS: number, record: boolean): void => {
    const plan = hooks.milp();
    const lp = solveMilp(highs!, plan.builder, sense, {
      timeLimitS,
      mipRelGap: settings.mipRelGap,
      relax: true,
      simplex: hooks.relaxSimplex,
    });
    if (record) {
      milpStats = {
        relaxation: true,
        columns: plan.builder.cols,
        rows: plan.builder.rows,
        nonzeros: plan.builder.nonzeros,
        status: lp.status,
        timeMs: lp.timeMs,
      };
    }
    if (lp.status !== 'optimal') return;
    let lpBound = lp.bound;
    if (hooks.integral) lpBound = Math.ceil(lpBound - 1e-6);
    if (tighter(lpBound)) {
      bound = lpBound;
      boundMethod = 'highs-lp';
    }
  };
  const wantExact =
    highs !== null &&
    (settings.exact === true ||
      (settings.exact === 'auto' &&
        settings.exactTimeMs > 0 &&
        !provedByBound &&
        (hooks.exactSize?.(heuristic) ?? size) <= settings.exactLimit));
  // `exact: true` keeps its own (longer) limit; the exact step of 'auto' gets `exactTimeMs`.
  const exactTimeS = settings.exact === true ? settings.timeLimitS : settings.exactTimeMs / 1000;
  if (highs && wantExact) {
    const custom = hooks.exact?.(highs, { ...settings, timeLimitS: exactTimeS }, heuristic);
    let answer: { sites: number[]; objective: number; bound: number; status: SitingStatus } | null =
      custom ?? null;
    let failed = false;
    if (!hooks.exact) {
      // The stated limit covers building and loading the model too: HiGHS gets what is left of it.
      const deadline = Date.now() + 1000 * exactTimeS;
      const plan = hooks.milp();
      const milp: MilpAnswer = solveMilp(highs, plan.builder, sense, {
        timeLimitS: exactTimeS,
        deadline,
        mipRelGap: settings.mipRelGap,
        relax: false,
        start: heuristic.infeasible ? undefined : plan.start(sites),
      });
      milpStats = {
        relaxation: false,
        columns: plan.builder.cols,
        rows: plan.builder.rows,
        nonzeros: plan.builder.nonzeros,
        status: milp.status,
        timeMs: milp.timeMs,
      };
      if (milp.values) {
        const chosen = plan.decode(milp.values);
        answer = {
          sites: chosen,
          objective: hooks.objectiveOf(chosen),
          bound: milp.bound,
          status: milp.status === 'optimal' ? 'optimal' : 'time-limit',
        };
      } else if (milp.status === 'infeasible') {
        warnings.push('HiGHS proved the constraints cannot all be met; the heuristic answer is returned.');
        status = 'infeasible';
        method = 'exact (HiGHS)';
      } else {
        warnings.push(
          milp.status === 'time-limit'
            ? `HiGHS found no better answer within ${exactTimeS} s; the heuristic answer is returned.`
            : `HiGHS found no solution (${milp.status}); the heuristic answer is returned.`,
        );
        failed = true;
      }
    }
    if (failed) method = 'exact timed out: heuristic kept';
    if (answer) {
      const improves =
        heuristic.infeasible ||
        (sense === 'max'
          ? answer.objective >= objective - 1e-9 * Math.abs(objective)
          : answer.objective <= objective + 1e-9 * Math.abs(objective));
      const strictlyBetter =
        heuristic.infeasible ||
        (sense === 'max'
          ? answer.objective > objective + 1e-9 * Math.abs(objective)
          : answer.objective < objective - 1e-9 * Math.abs(objective));
      if (improves) {
        sites = answer.sites;
        objective = answer.objective;
        ordered = false;
        solver = 'highs';
      }
      status = answer.status === 'optimal' ? 'optimal' : answer.status;
      method =
        answer.status === 'optimal' || answer.status === 'infeasible'
          ? 'exact (HiGHS)'
          : strictlyBetter
            ? 'exact timed out: HiGHS answer kept'
            : 'exact timed out: heuristic kept';
      // HiGHS's dual bound is reported, and named, only when it proves the answer or is tighter than
      // the heuristic's: a run stopped early can hold a looser one.
      if (answer.status === 'optimal') {
        bound = objective;
        boundMethod = 'highs-mip';
      } else if (Number.isFinite(answer.bound) && tighter(answer.bound)) {
        bound = answer.bound;
        boundMethod = 'highs-mip';
      }
    }
    // A timed-out exact step can leave the bound where the heuristic put it (HiGHS stopped before
    // its root relaxation, or its dual bound is looser): the relaxation alone, solved to the end,
    // usually brings the gap under half a percent, so the answer's distance from the optimum is known.
    if (
      status !== 'optimal' &&
      status !== 'infeasible' &&
      method.startsWith('exact timed out') &&
      relativeGap(objective, bound) > TIMED_OUT_GAP_TARGET &&
      lpBoundWanted(milpStats?.nonzeros)
    ) {
      tightenByRelaxation(settings.timeLimitS, false);
    }
  } else if (highs && lpBoundWanted()) {
    tightenByRelaxation(settings.timeLimitS, true);
  }

  const order = ordered ? sites : hooks.order(sites);
  const report = hooks.report(order);
  const gap = status === 'optimal' ? 0 : relativeGap(objective, bound);
  if (status === 'feasible' && gap <= 1e-9) status = 'optimal';
  if (method === 'heuristic' && status === 'optimal') method = 'proved-optimal by bound';
  const result: SitingResult = {
    model: hooks.model,
    sense,
    sites: Object.freeze(
      report.sites.map((s) => Object.freeze({ ...s, newlyServedOwners: Object.freeze(s.newlyServedOwners) })),
    ),
    fixed: Object.freeze(Array.from(problem.fixed)),
    objective,
    objectiveBefore: report.objectiveBefore,
    bound: status === 'optimal' ? objective : bound,
    boundMethod,
    // The Lagrangian's reason is said only beside its own bound: after HiGHS, say, it would tell why
    // a bound that is not the one reported stopped.
    boundStop: boundMethod === 'lagrangian' ? (heuristic.boundStop ?? null) : null,
    gap: status === 'optimal' ? 0 : gap,
    solver,
    status,
    method,
    population: problem.population,
    coveredBefore: report.coveredBefore,
    coveredAfter: report.coveredAfter,
    radius: problem.radius,
    owners: report.owners ? Object.freeze(report.owners) : null,
    loads: report.loads ? Object.freeze(report.loads.map((l) => Object.freeze(l))) : null,
    milp: milpStats ? Object.freeze(milpStats) : null,
    timeMs: Date.now() - t0,
    warnings: Object.freeze([...problem.warnings, ...hooks.warnings, ...warnings]),
  };
  return Object.freeze(result);
}
