import { DistrictPlan } from './feasibility.js';
import { MaxHeap } from './heap.js';
import { colCostsOf, ELIGIBLE, type Problem } from './problem.js';

/** The model side of the greedy: marginal gains and what opening a site does. */
export interface GreedyState {
  /** Exact marginal gain of opening column `j` now; never increases as sites open (submodular). */
  gain(j: number): number;
  /** Opens column `j`. */
  commit(j: number): void;
  /** True once no further site is needed (set covering met its requirement). */
  satisfied(): boolean;
  /** What the state records of the gains its commits took away, when it keeps that (see {@link GainLedger}). */
  readonly ledger?: GainLedger | null;
}

/**
 * The gain every column has lost to the commits so far, kept by a state that can say so cheaply
 * (maximal covering's rows covered by a commit, each spread over the columns that reach it). The
 * lazy greedy then knows without a pass over a column that its gain is unchanged since it was last
 * computed, or how far at most it can be now, and recomputes only the columns that could be the best.
 */
export interface GainLedger {
  /** Commits recorded so far. */
  readonly commits: number;
  /** The commit (counted from 1) at which each column last lost gain; 0 when never. */
  readonly lostAt: Int32Array;
  /** Gain each column has lost over all recorded commits (only grows). */
  readonly lost: Float64Array;
}

/** How the greedy runs. */
export interface GreedySettings {
  /** Most new sites. */
  readonly maxSites: number;
  /** `gain` picks the largest gain, `ratio` the largest gain per unit of cost (budgeted runs). */
  readonly priority: 'gain' | 'ratio';
  /** Stop before a pick that gains nothing (unless a district minimum forces it). */
  readonly stopWhenNoGain: boolean;
  /** Plain greedy: re-evaluate every candidate at every step (the baseline of the benchmark). */
  readonly plain?: boolean;
  /**
   * Called at bound steps (`step` sites chosen) with the exact marginal gains of the `boundFresh`
   * best candidates that a better solution could still use (open ones excluded; blocked ones
   * included), sorted descending, and `rest()`: upper bounds of the gains of all the others, sorted
   * descending (computed only when asked for).
   */
  readonly onBound?: (step: number, fresh: Float64Array, rest: () => Float64Array) => void;
  readonly boundFresh?: number;
}

/** The sites a greedy run opened, in order, with the gain of each when it was chosen. */
export interface GreedyRun {
  readonly order: number[];
  readonly gains: number[];
  /** Candidate gains evaluated (work done), for benchmarks. */
  readonly evaluations: number;
  /**
   * Whether a district minimum is left unmet: null when all are met, `proved` when no choice of
   * sites could meet them (an exhaustive search found none), `not-found` when this run found none.
   */
  readonly districtsUnmet: null | 'proved' | 'not-found';
}

const BLOCKED = 1;
const OPEN = 2;

/**
 * Lazy greedy (CELF, Minoux's accelerated greedy): candidates wait in a max-heap keyed by their last
 * computed gain. Gains only shrink as sites open, so a popped candidate whose key was computed at
 * this step is the best; a stale one is re-evaluated and pushed back. Most steps re-evaluate a
 * handful of candidates instead of all of them.
 *
 * Side constraints: a candidate closer than the minimum spacing to an opened site is blocked; one
 * that no longer fits the remaining budget is set aside. District minimums go through a
 * {@link DistrictPlan}: the best candidate opens only when the minimums stay reachable with it
 * (within the spacing, the budget and the sites left), so the greedy never paints itself into a
 * corner; once nothing gains any more, the best candidates of the short districts fill them.
 * Blocked candidates keep their last gain for the online bound, because a better solution may still
 * use them.
 */
export function lazyGreedy(problem: Problem, state: GreedyState, settings: GreedySettings): GreedyRun {
  const { nCols, status, siteCost, budget, spacing } = problem;
  const heap = new MaxHeap(nCols);
  const evaluatedAt = new Int32Array(nCols).fill(-1);
  const gainOf = new Float64Array(nCols);
  const flag = new Uint8Array(nCols);
  const keyOf =
    settings.priority === 'ratio' && siteCost
      ? (g: number, j: number) => {
          const c = siteCost[j]!;
          return c > 0 ? g / c : g * 1e12;
        }
      : (g: number) => g;
  let evaluations = 0;
  let step = 0;
  const ledger = settings.plain === true ? null : (state.ledger ?? null);
  // With a ledger: the commits recorded, and the column's recorded loss, when its gain was computed.
  const evaluatedCommit = ledger ? new Int32Array(nCols) : null;
  const lostThen = ledger ? new Float64Array(nCols) : null;
  const evaluate = (j: number) => {
    const g = state.gain(j);
    evaluations++;
    gainOf[j] = g;
    evaluatedAt[j] = step;
    if (ledger) {
      evaluatedCommit![j] = ledger.commits;
      lostThen![j] = ledger.lost[j]!;
    }
    return g;
  };
  /**
   * Column j, whose gain was computed before this step, brought up to date or bounded: its gain
   * when that is known now (computed, or unchanged since no row it reaches was covered since), else
   * an upper bound below `next` (the best key left in the queue, in the same units as `key`), so
   * that it can wait in the queue without a pass over its column. `fresh` tells which.
   */
  const refresh = (j: number, next: number, key: (g: number) => number): { g: number; fresh: boolean } => {
    if (ledger) {
      if (ledger.lostAt[j]! <= evaluatedCommit![j]!) {
        evaluatedAt[j] = step;
        return { g: gainOf[j]!, fresh: true };
      }
      // The loss is a sum of the same weights the gain sums, in another order: the margin covers
      // the rounding of both (far below one part in a million of either).
      const lost = ledger.lost[j]! - lostThen![j]!;
      const upper = gainOf[j]! - lost + 1e-6 * (gainOf[j]! + ledger.lost[j]!);
      if (key(upper) < next) return { g: upper, fresh: false };
    }
    return { g: evaluate(j), fresh: true };
  };

  const plan = DistrictPlan.of(problem, settings.maxSites);
  // With a certificate the plan vets every pick; without one (none found, or none exists) the
  // greedy falls back to spending its last picks on the short districts.
  const planned = plan?.state === 'planned';
  const shortOf = (j: number) => plan?.short(j) === true;

  for (let j = 0; j < nCols; j++) {
    if (status[j] !== ELIGIBLE) continue;
    heap.push(keyOf(evaluate(j), j), j);
  }

  const order: number[] = [];
  const gains: number[] = [];
  let spent = 0;
  let forceDistricts = false;
  const aside: number[] = [];
  const plain = settings.plain === true;
  const boundStep = (t: number) => settings.maxSites <= 64 || t <= 16 || t % Math.ceil(t / 16) === 0;
  let boundAt = -1;

  const emitBound = () => {
    if (!settings.onBound) return;
    boundAt = step;
    // A temporary heap over every candidate still usable by some solution, keyed by its last gain
    // (an upper bound of its current gain); the top `boundFresh` are made exact.
    const temp = new MaxHeap(nCols);
    for (let j = 0; j < nCols; j++) {
      if (status[j] === ELIGIBLE && flag[j] !== OPEN) temp.push(gainOf[j]!, j);
    }
    const want = Math.min(settings.boundFresh ?? settings.maxSites, temp.size);
    const fresh: number[] = [];
    while (fresh.length < want && temp.size > 0) {
      const j = temp.pop();
      if (evaluatedAt[j] !== step) {
        const { g, fresh: known } = refresh(j, temp.topKey(), (v) => v);
        if (!known || temp.size > 0) {
          temp.push(g, j);
          continue;
        }
      }
      fresh.push(gainOf[j]!);
    }
    const rest = () => {
      const values = new Float64Array(temp.size);
      let r = 0;
      while (temp.size > 0) values[r++] = gainOf[temp.pop()]!;
      return values;
    };
    settings.onBound(step, Float64Array.from(fresh), rest);
  };

  /** The best candidate that may open now (fresh gain), or -1. */
  const select = (restrict: boolean): number => {
    if (plain) {
      // Baseline: every remaining candidate is evaluated at every step.
      let best = Number.NEGATIVE_INFINITY;
      let pick = -1;
      for (let j = 0; j < nCols; j++) {
        if (status[j] !== ELIGIBLE || flag[j] !== 0) continue;
        if (siteCost && siteCost[j]! > budget - spent) continue;
        if (restrict && !shortOf(j)) continue;
        const key = evaluatedAt[j] === step ? keyOf(gainOf[j]!, j) : keyOf(evaluate(j), j);
        if (key > best) {
          best = key;
          pick = j;
        }
      }
      return pick;
    }
    let pick = -1;
    while (heap.size > 0) {
      const key = heap.topKey();
      const j = heap.pop();
      if (flag[j] !== 0) continue;
      if (siteCost && siteCost[j]! > budget - spent) {
        // Never affordable again in this run; kept for the bound.
        flag[j] = BLOCKED;
        continue;
      }
      if (evaluatedAt[j] !== step) {
        heap.push(keyOf(refresh(j, heap.topKey(), (g) => keyOf(g, j)).g, j), j);
        continue;
      }
      if (key !== keyOf(gainOf[j]!, j)) {
        // Re-evaluated by the bound after it was queued: its queued key is stale.
        heap.push(keyOf(gainOf[j]!, j), j);
        continue;
      }
      if (restrict && !shortOf(j)) {
        aside.push(j);
        continue;
      }
      pick = j;
      break;
    }
    for (const j of aside) heap.push(keyOf(gainOf[j]!, j), j);
    aside.length = 0;
    return pick;
  };

  const open = (j: number, g: number) => {
    state.commit(j);
    flag[j] = OPEN;
    order.push(j);
    gains.push(g);
    if (siteCost) spent += siteCost[j]!;
    if (spacing) {
      for (let p = spacing.start[j]!, e = spacing.start[j + 1]!; p < e; p++) {
        const l = spacing.neighbour[p]!;
        if (flag[l] === 0) flag[l] = BLOCKED;
      }
    }
    step++;
  };

  while (order.length < settings.maxSites) {
    const deficit = plan ? plan.deficit() : 0;
    if (state.satisfied() && deficit === 0) break;
    if (boundAt !== step && boundStep(step)) emitBound();
    const restrict =
      deficit > 0 &&
      (forceDistricts || state.satisfied() || (!planned && settings.maxSites - order.length <= deficit));
    const pick = select(restrict);
    if (pick < 0) break;
    const g = gainOf[pick]!;
    if (g <= 0 && !restrict) {
      if (deficit > 0) {
        // Nothing gains any more: spend the remaining picks on the district minimums.
        forceDistricts = true;
        if (!plain) heap.push(keyOf(g, pick), pick);
        continue;
      }
      if (settings.stopWhenNoGain) break;
    }
    if (plan && !plan.tryOpen(pick)) {
      // Opening it would leave some district minimum out of reach, now and after any later pick.
      flag[pick] = BLOCKED;
      continue;
    }
    open(pick, g);
  }
  if (plan && plan.deficit() > 0 && plan.state === 'planned') {
    // The greedy stopped short (for instance, the candidates it skipped as unreachable were the
    // only ones left): the certificate's sites complete the minimums and fit every constraint.
    for (const j of [...plan.remaining()]) {
      plan.tryOpen(j);
      open(j, evaluate(j));
    }
  }
  if (boundAt !== step) emitBound();
  const unmet = plan !== null && plan.deficit() > 0;
  return {
    order,
    gains,
    evaluations,
    districtsUnmet: unmet ? (plan.state === 'proved-infeasible' ? 'proved' : 'not-found') : null,
  };
}

/**
 * Coverage state of the covering models: which rows are covered, and for set covering how much of
 * the requirement is left (city-wide, or per owner). With `maxCost`, only entries within it cover
 * (p-center tests radii on one instance).
 */
export class CoverageState implements GreedyState {
  readonly covered: Uint8Array;
  coveredWeight = 0;
  private readonly problem: Problem;
  private readonly maxCost: number;
  private readonly mode: 'none' | 'all' | 'owner';
  private remaining: number;
  /** Per-owner requirement left, with scratch space for the gains (owner mode only). */
  private readonly owners: {
    readonly rowOwner: Uint32Array;
    readonly deficit: Float64Array;
    readonly scratch: Float64Array;
    readonly touched: Uint32Array;
  } | null;
  private readonly tolerance: number;
  /** The gains the commits took away, once {@link CoverageState.keepLedger} is called. */
  ledger: {
    commits: number;
    readonly lostAt: Int32Array;
    readonly lost: Float64Array;
  } | null = null;

  constructor(
    problem: Problem,
    requirement: { mode: 'none' } | { mode: 'all'; weight: number } | { mode: 'owner'; weight: Float64Array },
    maxCost: number = Number.POSITIVE_INFINITY,
  ) {
    this.problem = problem;
    this.maxCost = problem.colCost ? maxCost : Number.POSITIVE_INFINITY;
    this.covered = new Uint8Array(problem.nRows);
    this.mode = requirement.mode;
    this.remaining = requirement.mode === 'all' ? requirement.weight : 0;
    this.owners = null;
    if (requirement.mode === 'owner') {
      if (!problem.rowOwner)
        throw new Error('A per-owner requirement needs the owner of every demand point.');
      const deficit = Float64Array.from(requirement.weight);
      for (const d of deficit) this.remaining += d;
      this.owners = {
        rowOwner: problem.rowOwner,
        deficit,
        scratch: new Float64Array(deficit.length),
        touched: new Uint32Array(deficit.length),
      };
    }
    this.tolerance = 1e-9 * Math.max(1, problem.population);
    for (const j of problem.fixed) this.commit(j);
  }

  /**
   * Records from now on, per column, the gain each commit takes away (the weight of the rows it
   * newly covers, on every column that reaches them): the lazy greedy then recomputes far fewer
   * gains. Only without a requirement or a cost limit, where a column's gain is exactly the weight
   * of its uncovered rows. Returns this state.
   */
  keepLedger(): this {
    if (this.mode !== 'none' || this.maxCost !== Number.POSITIVE_INFINITY) {
      throw new Error('A gain ledger needs a coverage state without a requirement or a cost limit.');
    }
    const nCols = this.problem.nCols;
    this.ledger = { commits: 0, lostAt: new Int32Array(nCols), lost: new Float64Array(nCols) };
    return this;
  }

  /** Requirement left (0 when met). */
  get deficit(): number {
    return this.remaining > this.tolerance ? this.remaining : 0;
  }

  gain(j: number): number {
    const { colStart, colRow, colCost, weight } = this.problem;
    const covered = this.covered;
    const a = colStart[j]!;
    const b = colStart[j + 1]!;
    if (this.owners) return this.ownerGain(a, b, this.owners);
    let sum = 0;
    if (colCost && this.maxCost !== Number.POSITIVE_INFINITY) {
      const maxCost = this.maxCost;
      for (let p = a; p < b; p++) {
        const i = colRow[p]!;
        if (covered[i] === 0 && colCost[p]! <= maxCost) sum += weight[i]!;
      }
    } else {
      for (let p = a; p < b; p++) {
        const i = colRow[p]!;
        if (covered[i] === 0) sum += weight[i]!;
      }
    }
    return this.mode === 'all' ? Math.min(sum, Math.max(0, this.remaining)) : sum;
  }

  private ownerGain(a: number, b: number, owners: NonNullable<CoverageState['owners']>): number {
    const { colRow, colCost, weight } = this.problem;
    const { rowOwner, deficit, scratch, touched } = owners;
    let count = 0;
    for (let p = a; p < b; p++) {
      const i = colRow[p]!;
      if (this.covered[i] !== 0 || (colCost && colCost[p]! > this.maxCost)) continue;
      const o = rowOwner[i]!;
      if (deficit[o]! <= 0) continue;
      if (scratch[o] === 0) touched[count++] = o;
      scratch[o]! += weight[i]!;
    }
    let sum = 0;
    for (let t = 0; t < count; t++) {
      const o = touched[t]!;
      sum += Math.min(scratch[o]!, deficit[o]!);
      scratch[o] = 0;
    }
    return sum;
  }

  commit(j: number): void {
    const { colStart, colRow, colCost, weight } = this.problem;
    const owners = this.owners;
    const ledger = this.ledger;
    const commit = ledger ? ++ledger.commits : 0;
    for (let p = colStart[j]!, e = colStart[j + 1]!; p < e; p++) {
      const i = colRow[p]!;
      if (this.covered[i] !== 0 || (colCost && colCost[p]! > this.maxCost)) continue;
      this.covered[i] = 1;
      const w = weight[i]!;
      this.coveredWeight += w;
      if (ledger) this.record(ledger, i, w, commit);
      if (owners) {
        const o = owners.rowOwner[i]!;
        const d = owners.deficit[o]!;
        if (d > 0) {
          const used = Math.min(d, w);
          owners.deficit[o] = d - used;
          this.remaining -= used;
        }
      } else if (this.mode === 'all') this.remaining -= w;
    }
  }

  satisfied(): boolean {
    return this.mode !== 'none' && this.remaining <= this.tolerance;
  }

  // Row i, newly covered, no longer counts in the gain of any column that reaches it.
  private record(ledger: NonNullable<CoverageState['ledger']>, i: number, w: number, commit: number): void {
    const { rowStart, rowCol } = this.problem;
    const { lost, lostAt } = ledger;
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      const l = rowCol[q]!;
      lost[l]! += w;
      lostAt[l] = commit;
    }
  }
}

/**
 * p-median state: every row's cost to its nearest open site, capped at `cap` (the cost of a row no
 * open site reaches). The gain of a site is the weighted cost it saves.
 */
export class MedianState implements GreedyState {
  readonly current: Float64Array;
  total = 0;
  private readonly problem: Problem;
  private readonly colCost: Float64Array;

  constructor(problem: Problem, cap: number) {
    this.problem = problem;
    this.colCost = colCostsOf(problem);
    this.current = new Float64Array(problem.nRows).fill(cap);
    for (let i = 0; i < problem.nRows; i++) this.total += problem.weight[i]! * cap;
    for (const j of problem.fixed) this.commit(j);
  }

  gain(j: number): number {
    const { colStart, colRow, weight } = this.problem;
    const colCost = this.colCost;
    const current = this.current;
    let sum = 0;
    for (let p = colStart[j]!, e = colStart[j + 1]!; p < e; p++) {
      const i = colRow[p]!;
      const saving = current[i]! - colCost[p]!;
      if (saving > 0) sum += weight[i]! * saving;
    }
    return sum;
  }

  commit(j: number): void {
    const { colStart, colRow, weight } = this.problem;
    const colCost = this.colCost;
    const current = this.current;
    for (let p = colStart[j]!, e = colStart[j + 1]!; p < e; p++) {
      const i = colRow[p]!;
      const c = colCost[p]!;
      if (c < current[i]!) {
        this.total -= weight[i]! * (current[i]! - c);
        current[i] = c;
      }
    }
  }

  satisfied(): boolean {
    return false;
  }
}

/**
 * Capacitated coverage state for the greedy: unserved residents per row. A site's gain is the
 * smaller of its capacity (in residents) and the unserved residents it reaches; opening it serves
 * that many, taken from every reachable row in proportion (the exact allocation is computed by max
 * flow afterwards).
 */
export class CapacityState implements GreedyState {
  readonly residual: Float64Array;
  private readonly problem: Problem;
  private readonly capacity: Float64Array;

  constructor(problem: Problem, capacityResidents: Float64Array) {
    this.problem = problem;
    this.capacity = capacityResidents;
    this.residual = Float64Array.from(problem.weight);
    for (const j of problem.fixed) this.commit(j);
  }

  private reachable(j: number): number {
    const { colStart, colRow } = this.problem;
    const residual = this.residual;
    let sum = 0;
    for (let p = colStart[j]!, e = colStart[j + 1]!; p < e; p++) sum += residual[colRow[p]!]!;
    return sum;
  }

  gain(j: number): number {
    return Math.min(this.capacity[j]!, this.reachable(j));
  }

  commit(j: number): void {
    const { colStart, colRow } = this.problem;
    const residual = this.residual;
    const reach = this.reachable(j);
    if (reach <= 0) return;
    const keep = reach <= this.capacity[j]! ? 0 : 1 - this.capacity[j]! / reach;
    for (let p = colStart[j]!, e = colStart[j + 1]!; p < e; p++) residual[colRow[p]!]! *= keep;
  }

  satisfied(): boolean {
    return false;
  }
}
