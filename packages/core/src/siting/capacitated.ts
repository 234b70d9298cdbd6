import type { CostTable, DistanceSource, Targets } from '../distance/types.js';
import { OptionError } from '../validate/problems.js';
import { capacityInterchange } from './capacity-interchange.js';
import { AllocationFlow } from './flow.js';
import { CapacityState, lazyGreedy } from './greedy.js';
import { addSideConstraints, decodeSites, MilpBuilder, sideConstraintSize, siteColumns } from './highs.js';
import { capacityLagrangian } from './lagrangian.js';
import { compileProblem, ELIGIBLE, FIXED, type Problem, rowCostsOf, UNAVAILABLE } from './problem.js';
import {
  bestGreedy,
  checkK,
  districtWarnings,
  type FromSourceOptions,
  type HeuristicAnswer,
  type MilpPlan,
  type ModelHooks,
  orderByGain,
  type ResolvedSolve,
  type SitingDemand,
  SitingModel,
  sourceArguments,
} from './shared.js';
import type {
  CapacitatedCoverageOptions,
  OwnerFigures,
  SiteChoice,
  SiteLoad,
  TradeoffPoint,
} from './types.js';

/**
 * Capacitated maximal covering (Current & Storbeck 1988; Pirkul & Schilling 1991): choose `k` new
 * sites that maximise the population *served*, where each site serves at most its capacity and a
 * resident counts only within the radius. Demand is population × `rate` (e.g. 4.5 childcare places
 * per 1,000 people), so capacity (places) becomes capacity / rate residents.
 *
 * **Objective**
 *
 *     maximise  Σ_i Σ_{j ∈ N_i} a_ij
 *
 * **Constraints**
 *
 *     Σ_{j ∈ N_i} a_ij ≤ w_i                 for every demand point i   (served at most once)
 *     Σ_{i : j ∈ N_i} a_ij ≤ (Q_j / ρ) · x_j  for every target j          (capacity)
 *     a_ij ≤ w_i · x_j                        for every pair (i, j)       (only by an open site)
 *     Σ_{j ∈ C} x_j ≤ k
 *     x_j = 1 for existing facilities, x_j = 0 for excluded candidates; budget, spacing and district
 *     minimums as in {@link MaximalCovering}
 *     x_j ∈ {0, 1},  a_ij ≥ 0
 *
 * **Symbols**
 *
 * - i: demand point, w_i its population; j: target, C the candidates
 * - N_i: targets within the radius of i; Q_j: capacity of target j; ρ: demand per resident
 * - x_j: 1 when site j is open; a_ij: residents of i served by j
 *
 * Solvers: lazy greedy on the gain min(capacity, unserved residents in reach), allocating each
 * opened site's capacity in proportion to the unserved residents it reaches; then interchange, each
 * swap judged by the exact allocation (maximum flow) of the new set; every reported figure is the
 * best allocation for the chosen sites. Bound: Lagrangian relaxation of "served at most once".
 * HiGHS for small instances or on request. The result lists every open site's
 * load: served residents, capacity use, and the residents for whom it is the nearest open site
 * (over-subscribed when their demand exceeds the capacity).
 *
 * @example
 * const cap = CapacitatedCoverage.fromSource(source, demand, targets, {
 *   k: 10, radius: 300, fixed, capacity: places, rate: 4.5 / 1000,
 * });
 * cap.solve().loads?.filter((l) => l.oversubscribed);
 */
export class CapacitatedCoverage extends SitingModel {
  readonly k: number;
  /** Demand per resident in capacity units. */
  readonly rate: number;
  /** Capacity per target in residents (capacity / rate). */
  private readonly residents: Float64Array;
  private readonly capacity: Float64Array;

  private constructor(problem: Problem, k: number, capacity: Float64Array, rate: number) {
    super(problem);
    this.k = k;
    this.rate = rate;
    this.capacity = capacity;
    this.residents = capacity.map((c) => c / rate);
  }

  /** The model on a cost table (rows demand points, columns targets). */
  static fromCostMatrix(
    table: CostTable,
    demandWeight: Float64Array,
    options: CapacitatedCoverageOptions,
  ): CapacitatedCoverage {
    const rate = options.rate ?? 1;
    if (!(rate > 0) || !Number.isFinite(rate))
      throw new OptionError('rate', `must be a positive number, got ${rate}.`);
    const problem = compileProblem(
      table,
      demandWeight,
      { ...options, targetCount: options.targetCount ?? options.capacity.length },
      { maxCost: options.radius ?? table.bound, keepCosts: true, aggregate: false, columnCosts: false },
    );
    if (options.capacity.length !== problem.nCols) {
      throw new Error(
        `capacity has ${options.capacity.length} entries but there are ${problem.nCols} targets.`,
      );
    }
    const capacity = Float64Array.from(options.capacity);
    for (let j = 0; j < capacity.length; j++) {
      const c = capacity[j]!;
      if (problem.status[j] !== UNAVAILABLE && (!(c >= 0) || !Number.isFinite(c))) {
        throw new Error(`capacity of target ${j} must be a number ≥ 0, got ${c}.`);
      }
    }
    checkK(options.k, problem.districtNeed);
    return new CapacitatedCoverage(problem, options.k, capacity, rate);
  }

  /** The model from any distance source (see {@link MaximalCovering.fromSource}). */
  static fromSource(
    source: DistanceSource,
    demand: SitingDemand,
    targets: Targets,
    options: CapacitatedCoverageOptions & FromSourceOptions,
  ): CapacitatedCoverage {
    const bound = options.radius === undefined ? undefined : (options.tableBound ?? options.radius);
    return CapacitatedCoverage.fromCostMatrix(
      ...sourceArguments('CapacitatedCoverage', source, demand, targets, options, bound, 'radius'),
    );
  }

  protected hooks(): ModelHooks {
    const problem = this.problem;
    const warnings: string[] = [];
    return {
      model: 'capacitated',
      sense: 'max',
      problem,
      warnings,
      heuristic: (settings) => this.heuristic(settings, warnings),
      milpSize: () => sideConstraintSize(problem) + 3 * problem.rowStart[problem.nRows]! + problem.nRows,
      milp: () => this.milp(),
      objectiveOf: (sites) => this.served(sites),
      order: (sites) => orderByGain(sites, new CapacityState(problem, this.residents)),
      report: (order) => this.report(order),
    };
  }

  /** Served population against the number of new sites, k = 0 … `kMax`, from one greedy run. */
  tradeoff(kMax: number = this.k): TradeoffPoint[] {
    checkK(kMax, this.problem.districtNeed);
    const run = lazyGreedy(this.problem, new CapacityState(this.problem, this.residents), {
      maxSites: kMax,
      priority: 'gain',
      stopWhenNoGain: true,
    });
    const flow = new AllocationFlow(this.problem, [...this.problem.fixed, ...run.order], this.residents);
    for (const j of this.problem.fixed) flow.open(j);
    const population = this.problem.population;
    const point = (k: number): TradeoffPoint => ({
      k,
      objective: flow.total,
      coveredWeight: flow.total,
      coveredShare: population > 0 ? flow.total / population : 0,
      bound: Number.NaN,
    });
    const points = [point(0)];
    run.order.forEach((j, s) => {
      flow.open(j);
      points.push(point(s + 1));
    });
    return points;
  }

  /** The greedy alone (lazy or plain), with the max-flow value of its sites, for benchmarks. */
  greedy(plain = false): { order: number[]; served: number; evaluations: number } {
    const run = lazyGreedy(this.problem, new CapacityState(this.problem, this.residents), {
      maxSites: this.k,
      priority: 'gain',
      stopWhenNoGain: true,
      plain,
    });
    return { order: run.order, served: this.served(run.order), evaluations: run.evaluations };
  }

  /** The share of each row's residents that the allocation of these new sites serves. */
  private servedShares(sites: readonly number[]): Float64Array {
    const all = [...this.problem.fixed, ...sites];
    const flow = new AllocationFlow(this.problem, all, this.residents);
    for (const j of all) flow.open(j);
    const share = flow.patternShare();
    return Float64Array.from(flow.rowPattern, (p) => (p >= 0 ? share[p]! : 0));
  }

  private served(sites: readonly number[]): number {
    const all = [...this.problem.fixed, ...sites];
    const flow = new AllocationFlow(this.problem, all, this.residents);
    for (const j of all) flow.open(j);
    return flow.total;
  }

  private heuristic(settings: ResolvedSolve, warnings: string[]): HeuristicAnswer {
    const problem = this.problem;
    const { best } = bestGreedy(
      problem,
      (priority) => {
        const run = lazyGreedy(problem, new CapacityState(problem, this.residents), {
          maxSites: this.k,
          priority,
          stopWhenNoGain: true,
        });
        return { ...run, served: this.served(run.order) };
      },
      (a, b) => a.served > b.served,
    );
    districtWarnings(best.districtsUnmet, warnings);
    let bound = Math.max(best.served, this.relaxationBound());
    let sites = best.order;
    let served = best.served;
    let solver: HeuristicAnswer['solver'] = 'greedy';
    if (settings.swap && sites.length > 0 && served < bound) {
      const swapped = capacityInterchange(problem, sites, this.residents, {
        timeMs: settings.swapTimeMs,
        passes: settings.swapPasses,
      });
      solver = 'greedy+swap';
      // The interchange's flow is the exact allocation of its sites, as `served` computes it.
      if (swapped.swaps > 0 && swapped.served > served) {
        sites = swapped.sites;
        served = swapped.served;
      }
    }
    let boundMethod: HeuristicAnswer['boundMethod'] = 'capacity-relaxation';
    if (settings.boundTimeMs > 0 && bound - served > 1e-9 * Math.max(1, served)) {
      const lagrangian = capacityLagrangian(
        problem,
        this.residents,
        this.k,
        this.servedShares(sites),
        served,
        settings.boundTimeMs,
      );
      if (lagrangian < bound) {
        bound = lagrangian;
        boundMethod = 'lagrangian';
      }
    }
    return {
      sites,
      ordered: sites === best.order,
      objective: served,
      bound: Math.max(served, bound),
      boundMethod,
      solver,
      infeasible: best.districtsUnmet ?? false,
    };
  }

  /**
   * A cheap upper bound from a minimum cut of the existing sites' allocation (max-flow min-cut):
   * whatever set T of new sites opens, the cut that keeps the existing sites' source side and puts
   * each site of T on whichever side is cheaper has capacity
   *
   *     served by the existing sites + Σ_{j ∈ T} min(capacity_j, residents in reach of j on the source side)
   *
   * so the k largest of those terms bound every answer. Residents on the sink side are served by
   * saturated existing sites that nobody can relieve, so no new site adds them. Never more than
   * the residents some site reaches.
   */
  private relaxationBound(): number {
    const problem = this.problem;
    const { nCols, nRows, status, colStart, colRow, weight, rowStart } = problem;
    const flow = new AllocationFlow(problem, Array.from(problem.fixed), this.residents);
    for (const j of problem.fixed) flow.open(j);
    const gains: number[] = [];
    for (let j = 0; j < nCols; j++) {
      if (status[j] !== ELIGIBLE) continue;
      let reach = 0;
      for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
        const i = colRow[q]!;
        if (flow.rowSourceSide(i)) reach += weight[i]!;
      }
      gains.push(Math.min(reach, this.residents[j]!));
    }
    gains.sort((a, b) => b - a);
    let bound = flow.total;
    for (let m = 0; m < Math.min(this.k, gains.length); m++) bound += gains[m]!;
    let reachable = 0;
    for (let i = 0; i < nRows; i++) if (rowStart[i + 1]! > rowStart[i]!) reachable += weight[i]!;
    return Math.min(bound, reachable);
  }

  private milp(): MilpPlan {
    const problem = this.problem;
    const { nCols, nRows, status, weight, rowStart, rowCol } = problem;
    const builder = new MilpBuilder();
    const x = siteColumns(builder, problem, 0);
    // a_ij per table entry (row-major), indexed by the entry position.
    const aOf = new Int32Array(rowStart[nRows]!).fill(-1);
    for (let i = 0; i < nRows; i++) {
      const index: number[] = [];
      for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
        const j = rowCol[q]!;
        if (status[j] === UNAVAILABLE) continue;
        const a = builder.addCol(1, 0, weight[i]!, false);
        aOf[q] = a;
        index.push(a);
        if (status[j] === ELIGIBLE) builder.addRow(Number.NEGATIVE_INFINITY, 0, [a, x[j]!], [1, -weight[i]!]);
      }
      if (index.length > 0)
        builder.addRow(
          Number.NEGATIVE_INFINITY,
          weight[i]!,
          index,
          index.map(() => 1),
        );
    }
    // Capacity rows need the entries by column: map column entries back to row entries.
    const byCol: number[][] = Array.from({ length: nCols }, () => []);
    for (let i = 0; i < nRows; i++) {
      for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++)
        if (aOf[q]! >= 0) byCol[rowCol[q]!]!.push(aOf[q]!);
    }
    for (let j = 0; j < nCols; j++) {
      const entries = byCol[j]!;
      if (entries.length === 0) continue;
      if (status[j] === FIXED)
        builder.addRow(
          Number.NEGATIVE_INFINITY,
          this.residents[j]!,
          entries,
          entries.map(() => 1),
        );
      else if (status[j] === ELIGIBLE) {
        builder.addRow(
          Number.NEGATIVE_INFINITY,
          0,
          [...entries, x[j]!],
          [...entries.map(() => 1), -this.residents[j]!],
        );
      }
    }
    addSideConstraints(builder, problem, x, this.k);
    return {
      builder,
      start: (sites) => {
        const values = new Float64Array(builder.cols);
        for (const j of sites) if (x[j]! >= 0) values[x[j]!] = 1;
        const all = [...problem.fixed, ...sites];
        const flow = new AllocationFlow(problem, all, this.residents);
        for (const j of all) flow.open(j);
        // Split each pattern's flow to a site over its rows in proportion to their weight.
        const patternDemand = new Float64Array(flow.patternCount);
        for (let i = 0; i < nRows; i++)
          if (flow.rowPattern[i]! >= 0) patternDemand[flow.rowPattern[i]!]! += weight[i]!;
        const flows = Array.from({ length: flow.patternCount }, (_, p) => new Map(flow.patternFlows(p)));
        for (let i = 0; i < nRows; i++) {
          const p = flow.rowPattern[i]!;
          if (p < 0) continue;
          const share = weight[i]! / patternDemand[p]!;
          for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
            const f = flows[p]!.get(rowCol[q]!);
            if (f !== undefined && aOf[q]! >= 0) values[aOf[q]!] = Math.min(weight[i]!, f * share);
          }
        }
        return values;
      },
      decode: (values) => decodeSites(x, values),
    };
  }

  private report(order: readonly number[]): {
    sites: SiteChoice[];
    coveredBefore: number;
    coveredAfter: number;
    objectiveBefore: number;
    owners: OwnerFigures | null;
    loads: SiteLoad[];
  } {
    const problem = this.problem;
    const { nRows, rowStart, rowCol, weight, rowOwner, ownerCount, population } = problem;
    const rowCost = rowCostsOf(problem);
    const all = [...problem.fixed, ...order];
    const flow = new AllocationFlow(problem, all, this.residents);
    for (const j of problem.fixed) flow.open(j);
    const before = flow.total;
    // Residents served per owner in the current flow (a pattern's flow split by weight).
    const ownerServed = (owner: Uint32Array) => {
      const share = flow.patternShare();
      const served = new Float64Array(ownerCount);
      for (let i = 0; i < nRows; i++) {
        const p = flow.rowPattern[i]!;
        if (p >= 0) served[owner[i]!]! += weight[i]! * share[p]!;
      }
      return served;
    };
    const servedNow = () => (rowOwner ? ownerServed(rowOwner) : null);
    const ownersBefore = servedNow();
    let previous = ownersBefore;
    const steps = order.map((j, s) => {
      const last = flow.total;
      flow.open(j);
      const now = servedNow();
      const newly: number[] = [];
      if (now && previous) {
        for (let o = 0; o < ownerCount; o++)
          if (now[o]! > previous[o]! + 1e-9 * Math.max(1, now[o]!)) newly.push(o);
      }
      previous = now;
      return { j, rank: s + 1, added: flow.total - last, total: flow.total, newly };
    });
    const sites: SiteChoice[] = steps.map((step) => {
      const served = flow.served(step.j);
      return {
        candidate: step.j,
        rank: step.rank,
        addedWeight: step.added,
        cumulativeWeight: step.total,
        cumulativeShare: population > 0 ? step.total / population : 0,
        objective: step.total,
        newlyServedOwners: step.newly,
        served,
        capacityUse: this.capacity[step.j]! > 0 ? (served * this.rate) / this.capacity[step.j]! : 0,
      };
    });
    // Nearest open site within the radius per row, for the over-subscription check.
    const isOpen = new Uint8Array(problem.nCols);
    for (const j of all) isOpen[j] = 1;
    const nearest = new Map<number, number>();
    for (let i = 0; i < nRows; i++) {
      let best = Number.POSITIVE_INFINITY;
      let site = -1;
      for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
        const j = rowCol[q]!;
        if (isOpen[j] && rowCost[q]! < best) {
          best = rowCost[q]!;
          site = j;
        }
      }
      if (site >= 0) nearest.set(site, (nearest.get(site) ?? 0) + weight[i]!);
    }
    const fixedSet = new Set(problem.fixed);
    const loads: SiteLoad[] = all.map((j) => {
      const served = flow.served(j);
      const capacity = this.capacity[j]!;
      const nearestResidents = nearest.get(j) ?? 0;
      return {
        target: j,
        fixed: fixedSet.has(j),
        capacity,
        served,
        capacityUse: capacity > 0 ? (served * this.rate) / capacity : 0,
        nearestResidents,
        oversubscribed: nearestResidents * this.rate > capacity * (1 + 1e-9),
      };
    });
    let owners: OwnerFigures | null = null;
    if (rowOwner && ownersBefore) {
      const ownerPopulation = new Float64Array(ownerCount);
      for (let i = 0; i < nRows; i++) ownerPopulation[rowOwner[i]!]! += weight[i]!;
      owners = {
        population: ownerPopulation,
        coveredBefore: ownersBefore,
        coveredAfter: ownerServed(rowOwner),
      };
    }
    return { sites, coveredBefore: before, coveredAfter: flow.total, objectiveBefore: before, owners, loads };
  }
}
