import type { Highs } from 'highs';
import type { WorkPool } from '../parallel/pool.js';

/** The siting models. */
export type SitingModelName = 'mclp' | 'lscp' | 'pmedian' | 'pcenter' | 'capacitated';

/** Which solver produced an answer. */
export type SitingSolver = 'greedy' | 'greedy+swap' | 'highs';

/**
 * How the answer was reached, in words a planner can act on:
 * - `heuristic`: greedy + swap only; its gap to the bound is what is known (the exact step was off,
 *   the MILP was larger than `exactLimit`, or no HiGHS runtime was given);
 * - `proved-optimal by bound`: the heuristic's answer meets its own bound (Lagrangian, LP or greedy),
 *   so no exact step was needed;
 * - `exact (HiGHS)`: HiGHS proved the answer optimal (or the constraints impossible) within its time;
 * - `exact timed out: heuristic kept`: HiGHS stopped at its time limit without a better answer, or
 *   failed; the heuristic's answer is returned, with the tighter of the two bounds;
 * - `exact timed out: HiGHS answer kept`: HiGHS stopped at its time limit with a better answer than
 *   the heuristic's, which is returned with HiGHS's dual bound.
 */
export type SitingMethod =
  | 'heuristic'
  | 'proved-optimal by bound'
  | 'exact (HiGHS)'
  | 'exact timed out: heuristic kept'
  | 'exact timed out: HiGHS answer kept';

/**
 * How good an answer is known to be: `optimal` (proved by HiGHS, or the bound meets the objective),
 * `feasible` (valid, with `bound` saying how far from optimal it can be), `time-limit` (HiGHS
 * stopped at its time limit; the best solution found is returned), `infeasible` (the constraints
 * cannot all be met, proved by HiGHS or by an exhaustive search; the answer is the closest the
 * heuristic got, and `warnings` say why) or `not-found` (the heuristic found no answer that meets
 * every constraint, and none is proved impossible: HiGHS may still find one).
 */
export type SitingStatus = 'optimal' | 'feasible' | 'time-limit' | 'infeasible' | 'not-found';

/** Where a bound comes from. */
export type BoundMethod =
  /** HiGHS branch and bound: the dual bound of the MILP. */
  | 'highs-mip'
  /** HiGHS solved the LP relaxation of the MILP. */
  | 'highs-lp'
  /** The online bound of the submodular greedy (sum of the best marginal gains at a step). */
  | 'greedy-online'
  /**
   * Lagrangian relaxation by subgradient optimisation: of the coverage constraints (maximal
   * covering, and set covering at a city-wide share, rounded up), the assignment constraints
   * (p-median) or the "served at most once" constraints (capacitated coverage).
   */
  | 'lagrangian'
  /** Set covering: the fewest sites whose best marginal gains could meet the requirement. */
  | 'greedy-cover'
  /** p-center: the largest radius that the cover test proved infeasible, or the nearest-site floor. */
  | 'cover-test'
  /**
   * Capacitated coverage: the existing sites' allocation plus the k largest min(capacity, residents
   * in reach on the source side of its minimum cut) (max-flow min-cut; ignores overlaps, so weak).
   */
  | 'capacity-relaxation';

/**
 * Why the Lagrangian bound of maximal covering stopped its steps (`result.boundStop`), so that a
 * reported gap says what it rests on.
 */
export type BoundStop =
  /** It reached the answer: the answer is optimal. */
  | 'proved'
  /**
   * Within 0.5 % of the answer (issue #16's target for instances too large to prove), with the gap
   * no longer halving every 20 steps, so a proof was out of reach of the steps left.
   */
  | 'within-tolerance'
  /** The steps can go no further: the step size shrank to nothing, or the subgradient vanished. */
  | 'stalled'
  /** The most steps allowed (1,000) were made. */
  | 'step-limit'
  /** The time budget (`boundTimeMs`) ran out first: on another machine the bound may differ. */
  | 'time-budget';

/**
 * Options every model accepts: which targets are existing facilities, which may not be chosen, and
 * the side constraints. Targets are the columns of the cost table: existing facilities and candidate
 * sites together, in one index space.
 */
export interface SitingOptions {
  /**
   * Number of targets (columns). Default: inferred from `coords`, `cost`, `capacity` or `district`,
   * else the largest target index in the table plus one.
   */
  targetCount?: number;
  /**
   * Targets that are existing facilities: always open, counted in every figure ("before" is what
   * they achieve alone), never moved, and not counted in `k` or the budget.
   */
  fixed?: ArrayLike<number>;
  /** Targets that may not be chosen (in an excluded area, not for sale …). */
  excluded?: ArrayLike<number>;
  /**
   * Coverage radius in the table's cost unit. A demand point is covered by a site whose cost is at
   * most this. Default: the table's bound.
   */
  radius?: number;
  /** Cost of opening each target (ignored for fixed ones), for `budget`. */
  cost?: ArrayLike<number>;
  /** Most that the new sites may cost together. Default: no budget. Needs `cost`. */
  budget?: number;
  /**
   * Least straight-line distance in metres between two open sites (new–new, and new–existing unless
   * `spacingFromFixed` is false). Needs `coords`.
   */
  minSpacingM?: number;
  /** Whether a new site must also keep `minSpacingM` from existing facilities. Default true. */
  spacingFromFixed?: boolean;
  /** Target positions, interleaved `[lon0, lat0, …]`, for `minSpacingM`. */
  coords?: Float64Array;
  /** District label of each target (0, 1, …; -1 for none), for `minPerDistrict`. */
  district?: ArrayLike<number>;
  /**
   * Least number of open sites (existing ones count) in each district: one number for every
   * district, or one per district label.
   */
  minPerDistrict?: number | ArrayLike<number>;
  /** Owner (community) of each demand point, for per-community figures and `newlyServedOwners`. */
  owner?: Uint32Array;
  /** Number of owners. Default: the largest owner plus one. */
  ownerCount?: number;
}

/** Options of {@link MaximalCovering}. */
export interface MaximalCoveringOptions extends SitingOptions {
  /** Number of new sites to choose. */
  k: number;
  /**
   * Threads to run on (the CLI's worker threads, or `inlineWorkPool` in tests), given
   * by the caller: the core starts none. With two or more, `fromCostMatrix` merges the rows and
   * builds the columns on several threads, and `solve()` runs the interchange and the Lagrangian
   * bound side by side (the bound then starts from the greedy's answer). The sites and the covered
   * population are the same as on one thread; the time-limited bound may differ. Default: one thread.
   */
  pool?: WorkPool;
}

/** Options of {@link SetCovering}. */
export interface SetCoveringOptions extends SitingOptions {
  /**
   * Share of the population that must be covered (0–1]. Default 1: every demand point that some
   * candidate or existing facility can reach. A share that cannot be reached is lowered to the
   * most that can be, with a warning.
   */
  targetShare?: number;
  /**
   * When true, every owner (community) must reach `targetShare` of its own population (every
   * community compliant); when false (default), the share is of the whole population.
   */
  perOwner?: boolean;
}

/** Options of {@link PMedian}. */
export interface PMedianOptions extends SitingOptions {
  /** Number of new sites to choose. */
  k: number;
  /**
   * Cost charged for a demand point with no open site in the table (and the cap on every cost).
   * Default: the table's bound, which makes the objective the p-median objective with distances
   * truncated at the bound; must be finite.
   */
  unreachableCost?: number;
}

/** Options of {@link PCenter}. */
export interface PCenterOptions extends SitingOptions {
  /** Number of new sites to choose. */
  k: number;
}

/** Options of {@link CapacitatedCoverage}. */
export interface CapacitatedCoverageOptions extends SitingOptions {
  /** Number of new sites to choose. */
  k: number;
  /** Capacity of every target (places, beds), existing and candidate. */
  capacity: ArrayLike<number>;
  /**
   * Demand per resident in capacity units, e.g. 0.0045 for 4.5 childcare places per 1,000 people.
   * Default 1 (capacity counts people).
   */
  rate?: number;
}

/** Options of `solve()`. */
export interface SitingSolveOptions {
  /**
   * `true` solves the MILP with HiGHS whatever its size (needs `highs`), within `timeLimitS`;
   * `false` never does; `'auto'` (default) runs the heuristic first and, when its answer is not
   * proved optimal by its bound, `highs` is given and the MILP has at most `exactLimit` nonzeros,
   * hands the MILP to HiGHS warm-started from that answer within `exactTimeMs`, keeping the
   * heuristic's answer when HiGHS does not finish with a better one (`result.method` says which).
   */
  exact?: boolean | 'auto';
  /**
   * Time limit of the exact step of `exact: 'auto'`, in milliseconds. Default 10,000 (or
   * `timeLimitS` when only that is given); 0 turns the exact step off (the answer is then the
   * heuristic's, as with `exact: false`, but the LP relaxation may still serve as the bound).
   */
  exactTimeMs?: number;
  /** A loaded HiGHS runtime ({@link loadHighs}); without it the answer is heuristic. */
  highs?: Highs;
  /**
   * Most nonzeros of a MILP that `exact: 'auto'` hands to HiGHS. Default 100,000 (see docs/siting.md:
   * building and loading a larger model, and HiGHS's presolve, which does not stop at the time
   * limit, take seconds of their own on a loaded machine).
   */
  exactLimit?: number;
  /**
   * Most nonzeros of the LP relaxation that a heuristic answer asks HiGHS for as its bound (when
   * `highs` is given). Default 50,000 (a few seconds in the wasm build); 0 turns the LP bound off.
   */
  lpBoundLimit?: number;
  /**
   * HiGHS time limit in seconds with `exact: true` (default 60) and of the LP relaxation bound
   * (default 10). Under `exact: 'auto'`, `exactTimeMs` sets the exact step's limit.
   */
  timeLimitS?: number;
  /** HiGHS relative MIP gap at which it stops and reports optimal. Default 1e-6. */
  mipRelGap?: number;
  /**
   * Run the interchange (swap) local search after the greedy (set covering with a city-wide
   * requirement: the drop-and-repair search, one site out and swaps until the rest meet it). Default
   * true.
   */
  swap?: boolean;
  /** Time budget of the interchange (set covering: of the whole drop and repair) in milliseconds. Default 2,000. */
  swapTimeMs?: number;
  /** Most passes of the interchange over all candidates. Default 20. */
  swapPasses?: number;
  /**
   * Maximal covering, p-median and capacitated coverage: time budget in milliseconds of the
   * Lagrangian bound (subgradient), which tightens the heuristic's own bound when HiGHS does not
   * solve the instance. Default 1,000; 0 off. The outer limit: maximal covering's bound also stops
   * once within 0.5 % of the answer and stalled (`SitingResult.boundStop` says why it stopped).
   */
  boundTimeMs?: number;
}

/** One chosen site, in the order of choice. */
export interface SiteChoice {
  /** Target index (column of the cost table). */
  readonly candidate: number;
  /** 1 for the first site chosen. */
  readonly rank: number;
  /** Population newly within the radius thanks to this site, after the sites before it. */
  readonly addedWeight: number;
  /** Population within the radius of some open site once this site is added (existing included). */
  readonly cumulativeWeight: number;
  /** `cumulativeWeight` over the total population. */
  readonly cumulativeShare: number;
  /** The model's objective once this site is added. */
  readonly objective: number;
  /** Owners (communities) with population newly within the radius thanks to this site. */
  readonly newlyServedOwners: readonly number[];
  /** Capacitated coverage: residents this site serves in the final allocation. */
  readonly served?: number;
  /** Capacitated coverage: served demand over capacity (0–1). */
  readonly capacityUse?: number;
}

/** Capacitated coverage: one open site's load (existing and new). */
export interface SiteLoad {
  readonly target: number;
  readonly fixed: boolean;
  /** Capacity in the model's units (places). */
  readonly capacity: number;
  /** Residents served in the max-flow allocation. */
  readonly served: number;
  /** Served demand (residents × rate) over capacity. */
  readonly capacityUse: number;
  /** Residents for whom this is the nearest open site within the radius. */
  readonly nearestResidents: number;
  /** The nearest residents' demand exceeds the capacity. */
  readonly oversubscribed: boolean;
}

/** Per-owner (community) figures before (existing facilities only) and after (with the new sites). */
export interface OwnerFigures {
  readonly population: Float64Array;
  readonly coveredBefore: Float64Array;
  readonly coveredAfter: Float64Array;
  /** Population-weighted mean cost to the nearest open site (truncated at the cap); cost models only. */
  readonly meanCostBefore?: Float64Array;
  readonly meanCostAfter?: Float64Array;
}

/** An immutable answer of a siting model. */
export interface SitingResult {
  readonly model: SitingModelName;
  /** `max` for the coverage models, `min` for the others. */
  readonly sense: 'max' | 'min';
  /** New sites, in order of choice (for an exact answer: in greedy order among the chosen). */
  readonly sites: readonly SiteChoice[];
  /** The existing (fixed) targets, all open. */
  readonly fixed: readonly number[];
  /**
   * Covered population for `mclp` and `capacitated`, number of new sites for `lscp`, total
   * population-weighted cost for `pmedian`, worst cost for `pcenter`.
   */
  readonly objective: number;
  /** The objective with the existing facilities alone (`lscp`: 0). */
  readonly objectiveBefore: number;
  /** Best possible objective proved: an upper bound when maximising, a lower bound when minimising. */
  readonly bound: number;
  readonly boundMethod: BoundMethod;
  /**
   * Maximal covering: why its Lagrangian bound stopped, when `bound` is that bound (`boundMethod`
   * `lagrangian`): `proved` (it reached the answer), `within-tolerance` (within 0.5 % and no longer
   * closing its gap fast), `stalled`, `step-limit` or `time-budget` (the only one that depends on the
   * machine); null for the other models, when it did not run, and when another method's bound is
   * reported (HiGHS's, say).
   */
  readonly boundStop: BoundStop | null;
  /** |objective − bound| / max(|objective|, |bound|); 0 when proved optimal. */
  readonly gap: number;
  readonly solver: SitingSolver;
  readonly status: SitingStatus;
  /** How the answer was reached (heuristic, proved by its bound, HiGHS, or HiGHS timed out). */
  readonly method: SitingMethod;
  /** Total population (demand weight). */
  readonly population: number;
  /** Population within the radius of an existing facility. */
  readonly coveredBefore: number;
  /** Population within the radius of an open site after the new ones are added. */
  readonly coveredAfter: number;
  /** The radius coverage is counted at. */
  readonly radius: number;
  /** Per owner, when the model knows owners. */
  readonly owners: OwnerFigures | null;
  /** Capacitated coverage: every open site's load. */
  readonly loads: readonly SiteLoad[] | null;
  /** What HiGHS was given and how it ended, when it ran (the MILP, or its LP relaxation for the bound). */
  readonly milp: {
    readonly relaxation: boolean;
    readonly columns: number;
    readonly rows: number;
    readonly nonzeros: number;
    readonly status: 'optimal' | 'time-limit' | 'infeasible' | 'error';
    readonly timeMs: number;
  } | null;
  /** Wall-clock time of `solve()` in milliseconds. */
  readonly timeMs: number;
  readonly warnings: readonly string[];
}

/** Size of a compiled instance, for choosing a solver. */
export interface SitingModelSize {
  /** Demand rows after dropping empty weights (and, for the coverage models, merging identical rows). */
  readonly rows: number;
  readonly targets: number;
  /** Table entries kept (pairs within the radius or cap). */
  readonly entries: number;
  /** Nonzeros of the MILP HiGHS would get (what `exactLimit` and `lpBoundLimit` compare with). */
  readonly milpNonzeros: number;
}

/** One point of a trade-off curve: the greedy answer with `k` new sites. */
export interface TradeoffPoint {
  readonly k: number;
  readonly objective: number;
  readonly coveredWeight: number;
  readonly coveredShare: number;
  /** Best objective possible with `k` sites (greedy online bound; NaN when unknown). */
  readonly bound: number;
}
