import type { CostTable, DistanceSource, Targets } from '../distance/types.js';
import { OptionError } from '../validate/problems.js';
import { COVER_DUAL_ITERATIONS, partialCoverDual } from './cover-lagrangian.js';
import { CoverageState, lazyGreedy } from './greedy.js';
import { addSideConstraints, decodeSites, MilpBuilder, sideConstraintSize, siteColumns } from './highs.js';
import { interchange } from './interchange.js';
import { compileProblem, DistrictTally, ELIGIBLE, openColumns, type Problem } from './problem.js';
import {
  bestGreedy,
  districtWarnings,
  type FromSourceOptions,
  type HeuristicAnswer,
  type MilpPlan,
  type ModelHooks,
  orderByGain,
  type ResolvedSolve,
  type SitingDemand,
  SitingModel,
  sequenceReport,
  sourceArguments,
} from './shared.js';
import type { SetCoveringOptions } from './types.js';

/** What must be covered: a city-wide weight, or a weight per owner. */
type Requirement = { mode: 'all'; weight: number; full: boolean } | { mode: 'owner'; weight: Float64Array };

/**
 * Location set covering problem (LSCP; Toregas et al. 1971): the fewest new sites such that every
 * demand point some site can reach is within the radius of an open one, existing facilities kept.
 * With `targetShare` < 1 it is the partial covering variant (cover at least that share of the
 * population), and with `perOwner` every community must reach the share on its own ("make every
 * community compliant").
 *
 * **Objective**
 *
 *     minimise  Σ_{j ∈ C} x_j
 *
 * **Constraints** (full covering)
 *
 *     Σ_{j ∈ N_i} x_j ≥ 1           for every demand point i that any target reaches
 *
 * **Constraints** (target share s, city-wide or per owner o)
 *
 *     y_i ≤ Σ_{j ∈ N_i} x_j          for every demand point i
 *     Σ_{i ∈ I_o} w_i y_i ≥ s · P_o  for every owner o (or once over all demand points)
 *
 * plus, as in every model: x_j = 1 for existing facilities, x_j = 0 for excluded candidates,
 * Σ c_j x_j ≤ B, x_j + x_l ≤ 1 for pairs closer than the minimum spacing, Σ_{j ∈ D_d} x_j ≥ m_d;
 * x_j ∈ {0, 1}, 0 ≤ y_i ≤ 1.
 *
 * **Symbols**
 *
 * - i: demand point, w_i its population; I_o the demand points of owner o, P_o their population
 * - j: target: C candidates, F existing facilities; N_i targets within the radius of i
 * - x_j: 1 when site j is open; y_i: 1 when demand point i is covered; s: the target share
 *
 * A share no sites could reach (demand no target reaches) is lowered to the most that can be
 * covered, with a warning. Solvers: greedy set cover (largest capped gain first) followed by
 * removal of redundant sites, with the greedy lower bound; at a city-wide share, the Lagrangian dual
 * (its covers by Lagrangian costs and its bound) and drop and repair; HiGHS for small instances or
 * on request.
 *
 * @example
 * const lscp = SetCovering.fromSource(source, demand, targets, {
 *   radius: 300, fixed, targetShare: 0.5, perOwner: true,
 * });
 * lscp.solve().objective; // new sites needed so that every community is at least half covered
 */
export class SetCovering extends SitingModel {
  private readonly requirement: Requirement;
  private readonly requirementWarnings: string[];

  private constructor(problem: Problem, requirement: Requirement, warnings: string[]) {
    super(problem);
    this.requirement = requirement;
    this.requirementWarnings = warnings;
  }

  /** The model on a cost table (rows demand points, columns targets). */
  static fromCostMatrix(
    table: CostTable,
    demandWeight: Float64Array,
    options: SetCoveringOptions = {},
  ): SetCovering {
    const share = options.targetShare ?? 1;
    if (!(share > 0 && share <= 1)) throw new OptionError('targetShare', `must be in (0, 1], got ${share}.`);
    if (options.perOwner && !options.owner)
      throw new Error('perOwner needs the owner of every demand point.');
    const problem = compileProblem(table, demandWeight, options, {
      maxCost: options.radius ?? table.bound,
      keepCosts: false,
      aggregate: true,
    });
    const { requirement, warnings } = requirementOf(problem, share, options.perOwner ?? false);
    return new SetCovering(problem, requirement, warnings);
  }

  /** The model from any distance source (see {@link MaximalCovering.fromSource}). */
  static fromSource(
    source: DistanceSource,
    demand: SitingDemand,
    targets: Targets,
    options: SetCoveringOptions & FromSourceOptions,
  ): SetCovering {
    const bound = options.radius === undefined ? undefined : (options.tableBound ?? options.radius);
    return SetCovering.fromCostMatrix(
      ...sourceArguments('SetCovering', source, demand, targets, options, bound, 'radius'),
    );
  }

  protected hooks(): ModelHooks {
    const { problem, requirement } = this;
    const warnings = [...this.requirementWarnings];
    return {
      model: 'lscp',
      sense: 'min',
      problem,
      integral: true,
      relaxSimplex: 'dual',
      warnings,
      heuristic: (settings) => heuristic(problem, requirement, warnings, settings),
      milpSize: () => milpSize(problem),
      milp: () => milp(problem, requirement),
      objectiveOf: (sites) => sites.length,
      order: (sites) => orderByGain(sites, new CoverageState(problem, { mode: 'none' })),
      report: (order) => {
        let count = 0;
        const report = sequenceReport(problem, order, { commit: () => count++, value: () => count });
        return { ...report, objectiveBefore: 0, loads: null };
      },
    };
  }
}

function requirementOf(
  problem: Problem,
  share: number,
  perOwner: boolean,
): { requirement: Requirement; warnings: string[] } {
  const { nRows, rowStart, weight, ownerCount, population } = problem;
  const warnings: string[] = [];
  if (!perOwner) {
    let coverable = 0;
    for (let i = 0; i < nRows; i++) if (rowStart[i + 1]! > rowStart[i]!) coverable += weight[i]!;
    const wanted = share * population;
    const tolerance = 1e-9 * Math.max(1, population);
    if (share === 1 || wanted >= coverable - tolerance) {
      if (wanted > coverable + tolerance) {
        const most = population > 0 ? coverable / population : 0;
        warnings.push(
          `No choice of sites covers ${(100 * share).toFixed(1)}% of the population: at most ${(100 * most).toFixed(1)}% is within reach of a site, and that is the target instead.`,
        );
      }
      return { requirement: { mode: 'all', weight: coverable, full: true }, warnings };
    }
    return { requirement: { mode: 'all', weight: wanted, full: false }, warnings };
  }
  const owners = ownersOf(problem);
  const ownerPopulation = new Float64Array(ownerCount);
  const ownerCoverable = new Float64Array(ownerCount);
  for (let i = 0; i < nRows; i++) {
    const o = owners[i]!;
    ownerPopulation[o]! += weight[i]!;
    if (rowStart[i + 1]! > rowStart[i]!) ownerCoverable[o]! += weight[i]!;
  }
  const need = new Float64Array(ownerCount);
  let lowered = 0;
  for (let o = 0; o < ownerCount; o++) {
    const wanted = share * ownerPopulation[o]!;
    if (wanted > ownerCoverable[o]! * (1 + 1e-12)) lowered++;
    need[o] = Math.min(wanted, ownerCoverable[o]!);
  }
  if (lowered > 0) {
    warnings.push(
      `${lowered} owners cannot reach ${(100 * share).toFixed(1)}% coverage with any sites; their target is what is within reach.`,
    );
  }
  return { requirement: { mode: 'owner', weight: need }, warnings };
}

/**
 * Fewest values, taken from the largest, that add up to `deficit`: `fresh` (exact, descending) then
 * `rest()` (upper bounds, descending); Infinity when all of them fall short.
 */
export function sitesNeeded(deficit: number, fresh: Float64Array, rest: () => Float64Array): number {
  if (deficit <= 0) return 0;
  const target = deficit * (1 - 1e-12);
  let sum = 0;
  let m = 0;
  for (; m < fresh.length && sum < target; m++) sum += fresh[m]!;
  if (sum >= target) return m;
  const more = rest();
  for (let r = 0; r < more.length && sum < target; r++, m++) sum += more[r]!;
  return sum >= target ? m : Number.POSITIVE_INFINITY;
}

/** The owner of every row; set covering per owner cannot run without it. */
function ownersOf(problem: Problem): Uint32Array {
  if (!problem.rowOwner) throw new Error('perOwner needs the owner of every demand point.');
  return problem.rowOwner;
}

function newRequirementState(problem: Problem, requirement: Requirement): CoverageState {
  return new CoverageState(
    problem,
    requirement.mode === 'all'
      ? { mode: 'all', weight: requirement.weight }
      : { mode: 'owner', weight: requirement.weight },
  );
}

function heuristic(
  problem: Problem,
  requirement: Requirement,
  warnings: string[],
  settings: ResolvedSolve,
): HeuristicAnswer {
  const { best, runs } = bestGreedy(
    problem,
    (priority) => {
      const state = newRequirementState(problem, requirement);
      let lowerBound = problem.districtNeed;
      const result = lazyGreedy(problem, state, {
        maxSites: problem.nCols,
        priority,
        stopWhenNoGain: true,
        boundFresh: 64,
        onBound: (_step, fresh, rest) => {
          // Any solution S* covers what is left now with its sites' marginal gains, so it needs at
          // least as many sites as the best gains take to add up to the deficit.
          lowerBound = Math.max(lowerBound, sitesNeeded(state.deficit, fresh, rest));
        },
      });
      return { order: result.order, districtsUnmet: result.districtsUnmet, state, lowerBound };
    },
    (a, b) => a.state.satisfied() && (!b.state.satisfied() || a.order.length < b.order.length),
  );
  const lowerBound = Math.max(...runs.map((r) => r.lowerBound));
  const satisfied = best.state.satisfied();
  const requirementProved = !satisfied && unaffordable(problem, lowerBound);
  if (requirementProved) {
    warnings.push(
      `No choice of sites meets the requirement within the budget: it takes at least ${lowerBound} new sites, and the ${lowerBound} cheapest cost more than the budget.`,
    );
  } else if (!satisfied) {
    warnings.push(
      'The heuristic found no choice of sites that meets the requirement within the budget, spacing and exclusions; one may exist (HiGHS can tell: solve with exact: true).',
    );
  }
  districtWarnings(best.districtsUnmet, warnings);
  const kept = satisfied ? removeRedundant(problem, requirement, best.order) : best.order;
  const search =
    satisfied && settings.swap && requirement.mode === 'all' && kept.length > lowerBound
      ? coverSearch(problem, requirement, kept, lowerBound, settings)
      : { sites: null, bound: lowerBound };
  const searched = search.sites;
  const sites = searched ?? kept;
  const lagrangianBound = search.bound > lowerBound;
  return {
    sites,
    ordered: searched === null,
    objective: sites.length,
    bound: Math.min(Math.max(lowerBound, search.bound), sites.length),
    boundMethod: lagrangianBound ? 'lagrangian' : 'greedy-cover',
    solver: searched === null ? 'greedy' : 'greedy+swap',
    infeasible:
      requirementProved || best.districtsUnmet === 'proved'
        ? 'proved'
        : !satisfied || best.districtsUnmet !== null
          ? 'not-found'
          : false,
  };
}

/**
 * The search after the greedy at a city-wide requirement, within `swapTimeMs` in all: drop and
 * repair from the greedy's cover first (so that, however little time the rest gets, the answer is
 * never larger than that search's alone). Then, when nothing but the number of sites constrains
 * them (no budget, spacing or district minimums, which the Lagrangian covers ignore), the
 * Lagrangian dual (`cover-lagrangian.ts`) with half the time left: its bound, rounded up (sites are
 * whole), joins the greedy's, and drop and repair runs again from its best cover when that is no
 * larger than the answer so far, with the rest of the time; the smaller answer wins. On the bench's
 * 10,000 × 1,000 towns at 90 %, drop and repair from the Lagrangian covers ends 3–4 sites lower
 * than from the greedy's, in 1.4 s at load 6 (docs/benchmarks.md). Returns the best cover found
 * (null when none beat the greedy's) and the bound.
 */
function coverSearch(
  problem: Problem,
  requirement: Requirement & { mode: 'all' },
  kept: readonly number[],
  greedyBound: number,
  settings: ResolvedSolve,
): { sites: number[] | null; bound: number } {
  const end = Date.now() + settings.swapTimeMs;
  const passes = settings.swapPasses;
  const first = dropAndRepair(problem, requirement, kept, end, passes);
  const unconstrained =
    !problem.spacing && !problem.districts && !(problem.siteCost && Number.isFinite(problem.budget));
  const best = first ?? kept;
  if (!unconstrained || best.length <= greedyBound || Date.now() >= end)
    return { sites: first, bound: greedyBound };
  const tolerance = 1e-9 * Math.max(1, problem.population);
  const dual = partialCoverDual(problem, requirement.weight, tolerance, best.length, {
    deadline: Date.now() + 0.5 * Math.max(0, end - Date.now()),
    iterations: COVER_DUAL_ITERATIONS,
    covers: true,
  });
  const bound = Math.max(greedyBound, Math.ceil(dual.bound - 1e-6));
  let answer: readonly number[] = best;
  const consider = (sites: readonly number[] | null) => {
    if (sites && sites.length < answer.length) answer = sites;
  };
  if (dual.sites && dual.sites.length <= best.length) {
    consider(dual.sites);
    if (answer.length > bound) consider(dropAndRepair(problem, requirement, dual.sites, end, passes));
  }
  return { sites: answer === kept ? null : answer.slice(), bound };
}

/**
 * Drop and repair: takes one site out of a cover that meets the city-wide requirement, then swaps
 * sites (the covering interchange, which maximises the weight the remaining sites cover) until that
 * weight meets the requirement again; on success it starts over from the smaller answer, otherwise
 * it tries the next site. Sites are tried cheapest first (the least weight that only they cover).
 * The greedy's redundancy removal stops at a cover from which no single site can go; a swap or two
 * often frees one (on the bench's 10,000 × 1,000 town at 90 %: 170 → 163 sites in under a second,
 * where HiGHS kept 170 for 15 minutes). Runs until `deadline` (a time), each interchange at most
 * `passes` passes; every swap keeps the spacing, budget and district rules, and a site is only
 * dropped where the district minimums allow. Returns null when no site could go.
 */
function dropAndRepair(
  problem: Problem,
  requirement: Requirement & { mode: 'all' },
  initial: readonly number[],
  deadline: number,
  passes: number,
): number[] | null {
  const tolerance = 1e-9 * Math.max(1, problem.population);
  let sites = initial.slice();
  let improved = false;
  search: while (Date.now() < deadline) {
    const districts = DistrictTally.of(problem, [...problem.fixed, ...sites]);
    const loss = soleCoverage(problem, sites);
    const tries = sites.map((j, s) => ({ j, loss: loss[s]! }));
    tries.sort((a, b) => a.loss - b.loss || a.j - b.j);
    for (const { j } of tries) {
      if (districts && !districts.allowsRemoval(j)) continue;
      const left = deadline - Date.now();
      if (left <= 0) break search;
      const run = interchange(
        problem,
        sites.filter((site) => site !== j),
        1,
        { timeMs: left, passes },
      );
      if (coveredWeight(problem, run.sites) >= requirement.weight - tolerance) {
        sites = removeRedundant(problem, requirement, run.sites);
        improved = true;
        continue search;
      }
    }
    break;
  }
  return improved ? sites : null;
}

/** Weight of the rows that an open site (existing facilities included) covers. */
function coveredWeight(problem: Problem, sites: readonly number[]): number {
  const { nRows, rowStart, rowCol, weight } = problem;
  const open = openColumns(problem, sites);
  let covered = 0;
  for (let i = 0; i < nRows; i++) {
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      if (open[rowCol[q]!]) {
        covered += weight[i]!;
        break;
      }
    }
  }
  return covered;
}

/** Per site of `sites`, the weight no other open site (existing facilities included) covers. */
function soleCoverage(problem: Problem, sites: readonly number[]): Float64Array {
  const { nRows, rowStart, rowCol, colStart, colRow, weight } = problem;
  const open = openColumns(problem, sites);
  const count = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) {
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) if (open[rowCol[q]!]) count[i]!++;
  }
  return Float64Array.from(sites, (j) => {
    let sole = 0;
    for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
      if (count[colRow[q]!] === 1) sole += weight[colRow[q]!]!;
    }
    return sole;
  });
}

/** Whether `sites` new sites cannot fit the budget: even the cheapest that many cost more. */
function unaffordable(problem: Problem, sites: number): boolean {
  const { nCols, status, siteCost, budget } = problem;
  if (sites === Number.POSITIVE_INFINITY) return true;
  if (!siteCost || !Number.isFinite(budget)) return false;
  const costs: number[] = [];
  for (let j = 0; j < nCols; j++) if (status[j] === ELIGIBLE) costs.push(siteCost[j]!);
  if (costs.length < sites) return true;
  costs.sort((a, b) => a - b);
  let sum = 0;
  for (let m = 0; m < sites; m++) sum += costs[m]!;
  return sum > budget * (1 + 1e-12);
}

/**
 * Drops sites the requirement does not need, latest first (an early greedy pick is often made
 * redundant by later ones), keeping the district minimums.
 */
function removeRedundant(problem: Problem, requirement: Requirement, order: readonly number[]): number[] {
  const { nRows, rowStart, rowCol, colStart, colRow, weight } = problem;
  const rowOwner = requirement.mode === 'owner' ? ownersOf(problem) : null;
  const open = openColumns(problem, order);
  const count = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) {
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) if (open[rowCol[q]!]) count[i]!++;
  }
  const ownerCovered = requirement.mode === 'owner' ? new Float64Array(requirement.weight.length) : null;
  let covered = 0;
  for (let i = 0; i < nRows; i++) {
    if (count[i]! === 0) continue;
    covered += weight[i]!;
    if (ownerCovered && rowOwner) ownerCovered[rowOwner[i]!]! += weight[i]!;
  }
  const districts = DistrictTally.of(problem, [...problem.fixed, ...order]);
  const tolerance = 1e-9 * Math.max(1, problem.population);
  const kept = new Set(order);
  const lossByOwner = new Map<number, number>();
  for (let s = order.length - 1; s >= 0; s--) {
    const j = order[s]!;
    if (districts && !districts.allowsRemoval(j)) continue;
    let loss = 0;
    lossByOwner.clear();
    for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
      const i = colRow[q]!;
      if (count[i] !== 1) continue;
      loss += weight[i]!;
      if (rowOwner) lossByOwner.set(rowOwner[i]!, (lossByOwner.get(rowOwner[i]!) ?? 0) + weight[i]!);
    }
    let removable = true;
    if (requirement.mode === 'all') removable = covered - loss >= requirement.weight - tolerance;
    else if (ownerCovered) {
      for (const [o, l] of lossByOwner) {
        if (ownerCovered[o]! - l < requirement.weight[o]! - tolerance) {
          removable = false;
          break;
        }
      }
    }
    if (!removable) continue;
    kept.delete(j);
    covered -= loss;
    if (ownerCovered) for (const [o, l] of lossByOwner) ownerCovered[o]! -= l;
    for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) count[colRow[q]!]!--;
    districts?.add(j, -1);
  }
  return order.filter((j) => kept.has(j));
}

function milpSize(problem: Problem): number {
  let size = sideConstraintSize(problem);
  for (let i = 0; i < problem.nRows; i++) size += 2 * (problem.rowStart[i + 1]! - problem.rowStart[i]!) + 1;
  return size;
}

function milp(problem: Problem, requirement: Requirement): MilpPlan {
  const { nCols, nRows, rowStart, rowCol, weight } = problem;
  const builder = new MilpBuilder();
  const x = siteColumns(builder, problem, 1);
  const before = newRequirementState(problem, requirement);
  const yOf = new Int32Array(nRows).fill(-1);
  const candidatesOf = (i: number) => {
    const index: number[] = [];
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      const xj = x[rowCol[q]!]!;
      if (xj >= 0) index.push(xj);
    }
    return index;
  };
  if (requirement.mode === 'all' && requirement.full) {
    for (let i = 0; i < nRows; i++) {
      if (before.covered[i] !== 0) continue;
      const index = candidatesOf(i);
      if (index.length > 0)
        builder.addRow(
          1,
          Number.POSITIVE_INFINITY,
          index,
          index.map(() => 1),
        );
    }
  } else {
    // y_i ≤ Σ x_j, then the weighted requirement rows over y.
    for (let i = 0; i < nRows; i++) {
      if (before.covered[i] !== 0) continue;
      const index = candidatesOf(i);
      if (index.length === 0) continue;
      const yi = builder.addCol(0, 0, 1, false);
      yOf[i] = yi;
      builder.addRow(Number.NEGATIVE_INFINITY, 0, [yi, ...index], [1, ...index.map(() => -1)]);
    }
    if (requirement.mode === 'all') {
      const index: number[] = [];
      const value: number[] = [];
      for (let i = 0; i < nRows; i++) {
        if (yOf[i]! < 0) continue;
        index.push(yOf[i]!);
        value.push(weight[i]!);
      }
      builder.addRow(
        Math.max(0, requirement.weight - before.coveredWeight),
        Number.POSITIVE_INFINITY,
        index,
        value,
      );
    } else {
      const owners = ownersOf(problem);
      const ownerCovered = new Float64Array(requirement.weight.length);
      for (let i = 0; i < nRows; i++) if (before.covered[i] !== 0) ownerCovered[owners[i]!]! += weight[i]!;
      const byOwner = new Map<number, { index: number[]; value: number[] }>();
      for (let i = 0; i < nRows; i++) {
        if (yOf[i]! < 0) continue;
        const o = owners[i]!;
        let entry = byOwner.get(o);
        if (!entry) {
          entry = { index: [], value: [] };
          byOwner.set(o, entry);
        }
        entry.index.push(yOf[i]!);
        entry.value.push(weight[i]!);
      }
      // Slack of 1e-9 of the requirement keeps rounding in the summed weights from making it infeasible.
      for (const [o, entry] of byOwner) {
        const need = requirement.weight[o]! - ownerCovered[o]!;
        if (need > 1e-9 * Math.max(1, requirement.weight[o]!)) {
          builder.addRow(need * (1 - 1e-9), Number.POSITIVE_INFINITY, entry.index, entry.value);
        }
      }
    }
  }
  addSideConstraints(builder, problem, x, Number.POSITIVE_INFINITY);
  return {
    builder,
    start: (sites) => {
      const values = new Float64Array(builder.cols);
      const open = new Uint8Array(nCols);
      for (const j of problem.fixed) open[j] = 1;
      for (const j of sites) {
        open[j] = 1;
        if (x[j]! >= 0) values[x[j]!] = 1;
      }
      for (let i = 0; i < nRows; i++) {
        if (yOf[i]! < 0) continue;
        for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
          if (open[rowCol[q]!]) {
            values[yOf[i]!] = 1;
            break;
          }
        }
      }
      return values;
    },
    decode: (values) => decodeSites(x, values),
  };
}
