import { sharedArray, type WorkPool } from '../parallel/pool.js';
import { CoverageState } from './greedy.js';
import { ELIGIBLE, FIXED, openColumns, type Problem, rowCostsOf } from './problem.js';
import type { BoundStop } from './types.js';

// Lagrangian bounds by subgradient optimisation. Both relax the constraints that tie demand to open
// sites, which leaves a problem that splits into one term per demand point and one per candidate:
// the candidates' part is "take the k best", so every evaluation of the dual is one pass over the
// table (no simplex), and the dual's optimum equals the LP-relaxation bound (the subproblem has
// integral optima). Budget, spacing and district constraints are relaxed too, which only loosens
// the bound. Both start from the multipliers that reproduce the greedy online bound of the best
// known solution, so the subgradient steps only improve on it.

// Enough for the bound to settle on small instances (which keeps their answers reproducible); large
// ones stop at the time budget first. Maximal covering's restarts (see `coverageLagrangian`) share
// its count; the p-median's dual converges slowly (OR-Library pmed1 needs about 700 to reach its
// optimum).
const COVERAGE_ITERATIONS = 1000;
// Deflection of maximal covering's subgradient (Camerini, Fratta & Maffioli 1975, their γ): each
// direction keeps part of the previous one when the two point against each other.
const DEFLECTION = 1.5;
const MEDIAN_ITERATIONS = 1000;
// Maximal covering's stop short of its limits: once within STOP_GAP of the answer (issue #16's
// "within 0.5 % of its reported bound" for instances too large to prove), the bound stops when its
// last STALL_WINDOW steps closed less than STALL_SHARE of the gap they started from. A bound on its
// way to a proof closes it geometrically, about 60–90 % per 20 steps on the README's city (proved
// after about 300 steps); one that has stalled closes a few per cent (1M × 20k after 0.25 %). The
// rule counts steps and bounds only, never time, so it stops at the same step on any machine and on
// one or two threads. It stops nothing before the steps have visited STOP_WORK free rows (about a
// quarter of a second of one quiet core): below that the whole run is cheap and its tighter bound
// is kept (the bundled city's runs are all below it); 1M × 20k passes it after 27 steps.
const STOP_GAP = 0.005;
const STOP_WORK = 20_000_000;
const STALL_WINDOW = 20;
const STALL_SHARE = 0.5;

/** Limits of one subgradient run. */
interface DualLimits {
  readonly deadline: number;
  readonly iterations: number;
  /** Iterations without a better bound before the step multiplier is halved (Held & Karp). */
  readonly patience: number;
  /** The step multiplier to start from (Polyak's θ, in (0, 2]). */
  readonly initialStep: number;
  /** Asked after each evaluation: true ends the run there (a stop rule of the caller's). */
  readonly done?: () => boolean;
}

/**
 * Subgradient optimisation with Polyak's step towards the best known objective: `evaluate` returns
 * L(λ) at the current multipliers, `direction` the squared norm of the (projected) subgradient
 * there, and `move(t)` steps the multipliers by t along it, in the direction that tightens the
 * bound. An `upper` bound (maximisation) is minimised, a `lower` one (minimisation) maximised.
 */
function subgradient(
  kind: 'upper' | 'lower',
  best: number,
  limits: DualLimits,
  evaluate: () => number,
  direction: () => number,
  move: (t: number) => void,
): number {
  let bound = kind === 'upper' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  let step = limits.initialStep;
  let stale = 0;
  for (let iteration = 0; iteration < limits.iterations; iteration++) {
    const L = evaluate();
    const better =
      kind === 'upper'
        ? L < bound * (1 - 1e-12)
        : bound === Number.NEGATIVE_INFINITY || L > bound + 1e-12 * Math.abs(bound);
    if (better) {
      bound = L;
      stale = 0;
    } else if (++stale >= limits.patience) {
      step /= 2;
      stale = 0;
    }
    const gap = kind === 'upper' ? bound - best : best - bound;
    if (closed(gap, best) || Date.now() > limits.deadline || step < 1e-6) break;
    if (limits.done?.()) break;
    const norm = direction();
    if (norm === 0) break;
    move((step * Math.abs(L - best)) / norm);
  }
  return bound;
}

/**
 * Lagrangian upper bound of maximal covering (Galvão & ReVelle 1996).
 *
 * Relaxing the coverage constraints y_i ≤ Σ_{j ∈ N_i} x_j with multipliers λ_i ≥ 0 leaves
 *
 *     L(λ) = covered by existing + Σ_i (w_i − λ_i)⁺ + (sum of the k largest Σ_{i ∈ col j} λ_i)
 *
 * an upper bound of the optimum for every λ. Starting from λ_i = w_i on the rows the best known
 * solution leaves uncovered (0 elsewhere) gives exactly the greedy online bound of that solution.
 *
 * The passes over the rows are cut in two fixed halves (see {@link CoverageBoundSpace}), each with
 * its own column sums, combined in a fixed order. Given a `space` on shared memory, a second thread
 * that calls {@link helpCoverageLagrangian} while the bound runs takes the second half of every
 * step from then on: the same steps, and the same bound after as many steps, as on one thread.
 *
 * It stops at the answer (`proved`), within 0.5 % of it once the gap no longer halves every 20
 * steps (`within-tolerance`, see `STOP_GAP`), when the steps can go no further (`stalled`), after
 * `iterations` steps or at the time budget, whichever comes first; the result says which.
 */
export function coverageLagrangian(
  problem: Problem,
  k: number,
  solution: readonly number[],
  best: number,
  timeMs: number,
  iterations: number = COVERAGE_ITERATIONS,
  space: CoverageBoundSpace = coverageBoundSpace(problem, k, undefined),
): CoverageBoundRun {
  const { control } = space;
  // A thread done with the swap waits for the bound from now on (see `helpCoverageLagrangian`),
  // and goes back to its pool once the bound has made its steps (or failed).
  Atomics.store(control, STATE, SETTING_UP);
  try {
    return boundSteps(problem, k, solution, best, timeMs, iterations, space);
  } finally {
    releaseHelper(control);
  }
}

// The bound's stopped helping thread: its last task, or its wait for the bound to set up, ends.
function releaseHelper(control: Int32Array): void {
  if (Atomics.load(control, STATE) === FINISHED) return;
  Atomics.store(control, STATE, FINISHED);
  Atomics.notify(control, STATE);
  control[KIND] = STOP;
  Atomics.add(control, TASK, 1);
  Atomics.notify(control, TASK);
}

/** What {@link coverageLagrangian} reached: its bound, why it stopped and after how many steps. */
export interface CoverageBoundRun {
  /** An upper bound of the most any k sites cover (+∞ when no step was made). */
  readonly bound: number;
  readonly stop: BoundStop;
  readonly steps: number;
}

// The body of `coverageLagrangian`.
function boundSteps(
  problem: Problem,
  k: number,
  solution: readonly number[],
  best: number,
  timeMs: number,
  iterations: number,
  space: CoverageBoundSpace,
): CoverageBoundRun {
  const deadline = Date.now() + timeMs;
  const { nRows, rowStart, rowCol, status, weight } = problem;
  const { control, numbers, lambda, previous, bestLambda, top } = space;
  const fixedState = new CoverageState(problem, { mode: 'none' });
  const base = fixedState.coveredWeight;
  const solved = new CoverageState(problem, { mode: 'none' });
  for (const j of solution) solved.commit(j);

  // Rows the relaxation decides: not covered by an existing facility, reachable by some candidate.
  const eligible = eligibleColumns(problem);
  const { free } = space;
  let freeCount = 0;
  for (let i = 0; i < nRows; i++) {
    if (fixedState.covered[i] !== 0) continue;
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      if (status[rowCol[q]!] === ELIGIBLE) {
        free[freeCount++] = i;
        break;
      }
    }
  }
  for (let f = 0; f < freeCount; f++) {
    const i = free[f]!;
    if (solved.covered[i] === 0) lambda[i] = weight[i]!;
  }
  // The two halves: the free rows cut where each side has about as much work (a pass visits each
  // free row, a column update each entry of a changed row). The cut depends on the problem alone.
  let freeCut = 0;
  let work = 0;
  let total = 0;
  for (let f = 0; f < freeCount; f++) total += rowWork(rowStart, free[f]!);
  while (freeCut < freeCount && 2 * (work + rowWork(rowStart, free[freeCut]!)) <= total) {
    work += rowWork(rowStart, free[freeCut++]!);
  }
  control[FREE_COUNT] = freeCount;
  control[FREE_CUT] = freeCut;
  control[ROW_CUT] = freeCut < freeCount ? free[freeCut]! : nRows;
  const halves = [new BoundHalf(problem, space, 0, true), new BoundHalf(problem, space, 1, true)] as const;
  // Σ (w_i − λ_i)⁺ over the free rows, kept by the steps, per half.
  const rowTerm = () => numbers[ROW_TERM]! + numbers[ROW_TERM + HALF_NUMBERS]!;
  // value[j] = Σ λ over column j's rows: each half's sums, kept up to date row by row (most
  // multipliers settle at 0 or at w_i within a few steps, so a step changes few rows and costs far
  // less than a pass over the table; see `ColumnSums`), added in a fixed order.
  const value = new Float64Array(problem.nCols);
  const sums0 = halves[0].sums.value;
  const sums1 = halves[1].sums.value;
  let chosen = 0;
  const evaluate = () => {
    for (const j of eligible) value[j] = sums0[j]! + sums1[j]!;
    chosen = topK(eligible, value, k, top);
    let colTerm = 0;
    for (let t = 0; t < chosen; t++) colTerm += value[top[t]!]!;
    return base + rowTerm() + colTerm;
  };
  let bestSeen = Number.POSITIVE_INFINITY;
  let steps = 0;
  let flat = false;
  // The best bound after each of the last STALL_WINDOW + 1 steps, for the stop rule (see STOP_GAP).
  const history = new Float64Array(STALL_WINDOW + 1);
  let withinTolerance = false;
  // The answer the stop rule measures the gap to: `best`, or the better one a swap beside the bound
  // finds (see `swapStarted`), once known.
  let target = best;
  const answerFound = () => {
    if (Atomics.load(control, ANSWER) === ANSWER_FOUND) target = Math.max(best, numbers[FOUND]!);
    return target;
  };
  const keepBest = () => {
    steps++;
    const L = evaluate();
    if (L < bestSeen) {
      bestSeen = L;
      bestLambda.set(lambda);
    }
    history[steps % (STALL_WINDOW + 1)] = bestSeen;
    return L;
  };
  // Within STOP_GAP of an answer `x`, with the last STALL_WINDOW steps closing less than
  // STALL_SHARE of the gap they started from.
  const slowAt = (x: number, earlier: number) => {
    const gap = bestSeen - x;
    const before = earlier - x;
    return gap <= STOP_GAP * bestSeen && before - gap < STALL_SHARE * before;
  };
  const stopRule = () => {
    // A proof of the answer found beside the bound ends the run as soon as it is seen (when that
    // is depends on the other thread, but a proved bound is the answer itself, wherever it stops).
    if (provedBy(bestSeen, answerFound())) return true;
    if (steps <= STALL_WINDOW || steps * freeCount < STOP_WORK) return false;
    const earlier = history[(steps - STALL_WINDOW) % (STALL_WINDOW + 1)]!;
    // While the swap beside the bound still runs, its answer x ≥ best is not known. The rule holds
    // for some x when 0.995 · bound ≤ x < earlier − (earlier − bound) / STALL_SHARE (and x ≤ the
    // bound): then wait for it, so that the step the rule stops at depends on the two answers
    // alone, not on when the swap ended.
    if (Atomics.load(control, ANSWER) === ANSWER_COMING) {
      const lowest = Math.max(best, (1 - STOP_GAP) * bestSeen);
      const highest = Math.min(bestSeen, earlier - (earlier - bestSeen) / STALL_SHARE);
      if (lowest > highest) return false;
      waitForAnswer(control);
      if (provedBy(bestSeen, answerFound())) return true;
    }
    withinTolerance = slowAt(answerFound(), earlier);
    return withinTolerance;
  };
  // A phase of a step on both halves: the second on the helping thread once there is one.
  const phase = (kind: number) => {
    if (Atomics.load(control, HELPER) !== 1) {
      halves[0].run(kind);
      halves[1].run(kind);
      return;
    }
    control[KIND] = kind;
    const task = Atomics.add(control, TASK, 1) + 1;
    Atomics.notify(control, TASK);
    halves[0].run(kind);
    const posted = Date.now();
    for (let done = Atomics.load(control, DONE); done !== task; done = Atomics.load(control, DONE)) {
      // A helper that has not claimed the task by then is gone (it gave up waiting, or its thread
      // stopped): this thread takes the task back and goes on alone. A claimed task is finished.
      if (
        Date.now() - posted > control[LOST_MS]! &&
        Atomics.compareExchange(control, CLAIMED, task - 1, task) === task - 1
      ) {
        Atomics.store(control, HELPER, 0);
        halves[1].run(kind);
        return;
      }
      Atomics.wait(control, DONE, done, HELPER_WAIT_MS);
    }
    if (Atomics.load(control, FAILED) !== 0) {
      throw new Error('The thread helping the maximal covering bound failed in a step.');
    }
  };
  const direction = () => {
    // Subgradient g_i = (chosen columns covering i) − y_i, with y_i = 1 where w_i > λ_i. The step
    // goes along d = g + β d_previous, β = max(0, −γ g·d_previous / |d_previous|²): plain
    // subgradients zigzag, a step undoing much of the one before; keeping part of the previous
    // direction when they disagree reached 0.5 % in a third fewer steps at 1M × 20k and half as many
    // at 100k × 5k. Its squared norm comes from the three sums of one pass, so d is formed only as
    // the multipliers move.
    control[CHOSEN] = chosen;
    phase(DIRECTION);
    const gg = numbers[GG]! + numbers[GG + HALF_NUMBERS]!;
    const gd = numbers[GD]! + numbers[GD + HALF_NUMBERS]!;
    const dd = numbers[DD]! + numbers[DD + HALF_NUMBERS]!;
    flat = gg === 0;
    let deflection = dd > 0 ? Math.max(0, (-DEFLECTION * gd) / dd) : 0;
    let norm = gg + deflection * (2 * gd + deflection * dd);
    // |g + βd|² vanishes only when rounding cancels it: then the plain subgradient.
    if (!(norm > 0)) {
      deflection = 0;
      norm = gg;
    }
    numbers[STEP_DEFLECTION] = deflection;
    return norm;
  };
  const move = (t: number) => {
    numbers[STEP_SIZE] = t;
    phase(MOVE);
  };
  Atomics.store(control, STATE, RUNNING);
  Atomics.notify(control, STATE);
  // Phases: the step halves after 3 steps without a better bound, which converges fastest on large
  // instances, but on some small ones the step shrinks to nothing with the bound still far above
  // the LP bound (3.99 % against 0.63 % on 10,000 × 1,000, k 20). So while steps and time are
  // left, a phase that ended that way is followed by one from the best multipliers, with a full
  // step and ten times the patience.
  for (let patience = 3; steps < iterations && Date.now() <= deadline; patience *= 10) {
    if (patience > 3) {
      lambda.set(bestLambda);
      previous.fill(0);
      for (const half of halves) half.restart();
    }
    const before = steps;
    subgradient(
      'upper',
      best,
      { deadline, iterations: iterations - steps, patience, initialStep: 2, done: stopRule },
      keepBest,
      direction,
      move,
    );
    // Stopped at the answer (optimal), by the stop rule, on a zero subgradient, or after a single
    // step: no restart.
    if (flat || withinTolerance || steps - before < 2 || provedBy(bestSeen, answerFound())) break;
  }
  // The final evaluation needs no helping thread.
  releaseHelper(control);
  const stop: BoundStop = provedBy(bestSeen, answerFound())
    ? 'proved'
    : withinTolerance
      ? 'within-tolerance'
      : steps >= iterations
        ? 'step-limit'
        : Date.now() > deadline
          ? 'time-budget'
          : 'stalled';
  if (bestSeen === Number.POSITIVE_INFINITY) return { bound: bestSeen, stop, steps };
  // The sums were updated step by step, with rounding that could drift either way: the bound is
  // L at the best multipliers, evaluated afresh (any λ gives a valid bound).
  lambda.set(bestLambda);
  for (const half of halves) half.restart();
  return { bound: evaluate(), stop, steps };
}

// An upper bound that has reached the best known answer.
function provedBy(bound: number, best: number): boolean {
  return closed(bound - best, best);
}

// A gap between a bound and the best known answer `best` that is rounding only.
function closed(gap: number, best: number): boolean {
  return gap <= 1e-9 * Math.max(1, Math.abs(best));
}

/**
 * Takes the second half of every step of the maximal covering bound that runs on another thread
 * with the same `space` (see {@link coverageLagrangian}), until it ends; returns at once when that
 * bound is not running (not started yet, or done), so that a pool may run the two in any order.
 */
export function helpCoverageLagrangian(problem: Problem, space: CoverageBoundSpace): void {
  const { control } = space;
  // Only a bound on another thread can be running here; it writes its halves' cut before it runs.
  if (typeof SharedArrayBuffer === 'undefined' || !(control.buffer instanceof SharedArrayBuffer)) return;
  let seen = Atomics.load(control, TASK);
  // Not begun: this thread may be the one to run it next. Begun on another thread: wait while it
  // sets up (and not for ever: a bound whose thread stopped never will).
  let waitedFrom = Date.now();
  for (let state = Atomics.load(control, STATE); state !== RUNNING; state = Atomics.load(control, STATE)) {
    if (state !== SETTING_UP || Date.now() - waitedFrom > control[LOST_MS]!) return;
    Atomics.wait(control, STATE, state, HELPER_WAIT_MS);
  }
  const half = new BoundHalf(problem, space, 1, false);
  Atomics.store(control, HELPER, 1);
  waitedFrom = Date.now();
  for (;;) {
    const task = Atomics.load(control, TASK);
    if (task === seen) {
      if (Atomics.load(control, STATE) !== RUNNING) return;
      // No task for that long: the bound's thread stopped. Leaving is safe: a task posted meanwhile
      // is taken back by the bound's thread, should it still run.
      if (Date.now() - waitedFrom > control[LOST_MS]!) {
        Atomics.store(control, HELPER, 0);
        return;
      }
      Atomics.wait(control, TASK, seen, HELPER_WAIT_MS);
      continue;
    }
    seen = task;
    const kind = control[KIND]!;
    // Done, or the task was taken back (this thread was too slow to claim it): back to the pool.
    if (kind === STOP || Atomics.compareExchange(control, CLAIMED, task - 1, task) !== task - 1) return;
    waitedFrom = Date.now();
    try {
      half.run(kind);
    } catch {
      Atomics.store(control, FAILED, 1);
    }
    Atomics.store(control, DONE, task);
    Atomics.notify(control, DONE);
    if (Atomics.load(control, FAILED) !== 0) return;
  }
}

/**
 * Says, on the bound's `space`, that a swap from the same starting answer runs beside the bound on
 * another thread: the bound's stop rule then waits for its answer (see {@link swapFinished}) before
 * stopping short of its limits, so that where it stops does not depend on when the swap ends.
 */
export function swapStarted(space: CoverageBoundSpace): void {
  Atomics.store(space.control, ANSWER, ANSWER_COMING);
}

/** The swap beside the bound found an answer covering `covered`: the bound measures its gap to it. */
export function swapFinished(space: CoverageBoundSpace, covered: number): void {
  space.numbers[FOUND] = covered;
  Atomics.store(space.control, ANSWER, ANSWER_FOUND);
  Atomics.notify(space.control, ANSWER);
}

// Waits for the swap beside the bound to finish, and not for ever: a swap whose thread stopped
// never will, and the bound then goes on with the answer it was given.
function waitForAnswer(control: Int32Array): void {
  const from = Date.now();
  while (Atomics.load(control, ANSWER) === ANSWER_COMING) {
    if (Date.now() - from > control[LOST_MS]!) {
      Atomics.store(control, ANSWER, NO_ANSWER_COMING);
      return;
    }
    Atomics.wait(control, ANSWER, ANSWER_COMING, HELPER_WAIT_MS);
  }
}

// The bound's control words (Int32) and numbers (Float64) in its space.
const STATE = 0;
const HELPER = 1;
const TASK = 2;
const KIND = 3;
const DONE = 4;
const FAILED = 5;
const CHOSEN = 6;
const FREE_COUNT = 7;
const FREE_CUT = 8;
const ROW_CUT = 9;
const CLAIMED = 10;
const LOST_MS = 11;
// Where the answer the bound is measured against stands (see `swapStarted`): NO_ANSWER_COMING,
// ANSWER_COMING or ANSWER_FOUND.
const ANSWER = 12;
const CONTROL_WORDS = 13;
const NO_ANSWER_COMING = 0;
const ANSWER_COMING = 1;
const ANSWER_FOUND = 2;
const SETTING_UP = 1;
const RUNNING = 2;
const FINISHED = 3;
const DIRECTION = 1;
const MOVE = 2;
const STOP = 3;
const STEP_SIZE = 0;
const STEP_DEFLECTION = 1;
// Per half h, at 2 + 4h: its sums |g|², g·d′, |d′|² and its row term.
const GG = 2;
const GD = 3;
const DD = 4;
const ROW_TERM = 5;
const HALF_NUMBERS = 4;
// The covered population of the answer found beside the bound (see `swapFinished`).
const FOUND = 2 + 2 * HALF_NUMBERS;
const NUMBERS = FOUND + 1;
// Waits are cut into slices so that a waiting thread looks again whether the other is still there.
const HELPER_WAIT_MS = 50;
// A thread waiting that long for the other (a step's half takes milliseconds) takes it to have
// stopped: the bound goes on alone, or the helper goes back to its pool, rather than hang.
const DEFAULT_LOST_MS = 30_000;

// A free row's share of a step's work: its visits in the two passes, and its entries' updates.
function rowWork(rowStart: Uint32Array, i: number): number {
  return 4 + rowStart[i + 1]! - rowStart[i]!;
}

/**
 * The working memory of one {@link coverageLagrangian} run, which a helping thread shares: the
 * multipliers and per-row state, each half's column sums and change queues, the chosen columns,
 * and the words the two threads talk through. The free rows are cut in two halves at a row fixed
 * by the problem; half 0 owns the rows below the cut and half 1 the others, and only a half's
 * owner writes its rows' state, its column sums and its numbers.
 */
export interface CoverageBoundSpace {
  readonly lambda: Float64Array;
  /** The previous step's direction per row. */
  readonly previous: Float64Array;
  readonly bestLambda: Float64Array;
  /** Chosen columns covering each row, in the step being made. */
  readonly count: Int32Array;
  /** The free rows (those the relaxation decides), ascending; `control[FREE_COUNT]` of them. */
  readonly free: Uint32Array;
  /** Column sums of half 0's rows, then of half 1's. */
  readonly halfSums: Float64Array;
  /** Each half's queue of changed rows and their changes (half 1's from the row cut on). */
  readonly changed: Uint32Array;
  readonly delta: Float64Array;
  /** The chosen columns. */
  readonly top: Int32Array;
  readonly control: Int32Array;
  readonly numbers: Float64Array;
}

/**
 * A zeroed {@link CoverageBoundSpace} for a bound of `k` sites on `problem`: on shared memory when
 * `pool` runs several threads (so that a second thread can help), else on ordinary memory.
 */
export function coverageBoundSpace(
  problem: Problem,
  k: number,
  pool: WorkPool | undefined,
  /** How long one thread waits for the other before taking it to have stopped (tests shorten it). */
  lostMs: number = DEFAULT_LOST_MS,
): CoverageBoundSpace {
  const { nRows, nCols } = problem;
  const control = sharedArray(Int32Array, CONTROL_WORDS, pool);
  control[LOST_MS] = lostMs;
  return {
    lambda: sharedArray(Float64Array, nRows, pool),
    previous: sharedArray(Float64Array, nRows, pool),
    bestLambda: sharedArray(Float64Array, nRows, pool),
    count: sharedArray(Int32Array, nRows, pool),
    free: sharedArray(Uint32Array, nRows, pool),
    halfSums: sharedArray(Float64Array, 2 * nCols, pool),
    changed: sharedArray(Uint32Array, nRows, pool),
    delta: sharedArray(Float64Array, nRows, pool),
    top: sharedArray(Int32Array, Math.max(1, k), pool),
    control,
    numbers: sharedArray(Float64Array, NUMBERS, pool),
  };
}

/**
 * One half of the bound's passes: the free rows `free[freeFrom … freeTo)`, whose indices lie in
 * `[rowFrom, rowTo)`, with their own column sums. Whichever thread runs a phase of a half runs this
 * code on the same memory, so the arithmetic does not depend on where it ran.
 */
class BoundHalf {
  readonly sums: ColumnSums;
  private readonly freeFrom: number;
  private readonly freeTo: number;
  private readonly rowFrom: number;
  private readonly rowTo: number;
  private readonly at: number;

  constructor(
    private readonly problem: Problem,
    private readonly space: CoverageBoundSpace,
    half: 0 | 1,
    fresh: boolean,
  ) {
    const { control } = space;
    const { nRows, nCols } = problem;
    const cut = control[FREE_CUT]!;
    const rowCut = control[ROW_CUT]!;
    this.freeFrom = half === 0 ? 0 : cut;
    this.freeTo = half === 0 ? cut : control[FREE_COUNT]!;
    this.rowFrom = half === 0 ? 0 : rowCut;
    this.rowTo = half === 0 ? rowCut : nRows;
    this.at = 2 + half * HALF_NUMBERS;
    this.sums = new ColumnSums(
      problem,
      space.lambda,
      {
        from: this.rowFrom,
        to: this.rowTo,
        value: space.halfSums.subarray(half * nCols, (half + 1) * nCols),
        changed: space.changed.subarray(this.rowFrom, this.rowTo),
        delta: space.delta.subarray(this.rowFrom, this.rowTo),
      },
      fresh,
    );
    if (fresh) this.space.numbers[this.at + ROW_TERM - GG] = this.rowTerm();
  }

  run(kind: number): void {
    if (kind === DIRECTION) this.direction();
    else if (kind === MOVE) this.move();
    else throw new Error(`Unknown step phase ${kind}.`);
  }

  /** After λ was set from the best multipliers: the sums and the row term afresh. */
  restart(): void {
    this.sums.recompute();
    this.space.numbers[this.at + ROW_TERM - GG] = this.rowTerm();
  }

  private rowTerm(): number {
    const { free, lambda } = this.space;
    const { weight } = this.problem;
    let sum = 0;
    for (let f = this.freeFrom; f < this.freeTo; f++) {
      const i = free[f]!;
      if (weight[i]! > lambda[i]!) sum += weight[i]! - lambda[i]!;
    }
    return sum;
  }

  // The chosen columns' rows of this half counted, then |g|², g·d′ and |d′|² over its free rows.
  private direction(): void {
    const { colStart, colRow, weight } = this.problem;
    const { free, lambda, previous, count, top, control, numbers } = this.space;
    const chosen = control[CHOSEN]!;
    for (let t = 0; t < chosen; t++) {
      const j = top[t]!;
      // Each column lists its rows in increasing order: this half's are one run of it.
      const [q0, q1] = this.columnRun(colRow, colStart[j]!, colStart[j + 1]!);
      for (let q = q0; q < q1; q++) count[colRow[q]!]!++;
    }
    let gg = 0;
    let gd = 0;
    let dd = 0;
    for (let f = this.freeFrom; f < this.freeTo; f++) {
      const i = free[f]!;
      const g = count[i]! - (weight[i]! > lambda[i]! ? 1 : 0);
      const d = previous[i]!;
      gg += g * g;
      gd += g * d;
      dd += d * d;
    }
    numbers[this.at] = gg;
    numbers[this.at + GD - GG] = gd;
    numbers[this.at + DD - GG] = dd;
  }

  // λ moved by the step along d = g + β d′ and clamped to [0, w_i]; the sums follow.
  private move(): void {
    const { weight } = this.problem;
    const { free, lambda, previous, count, numbers } = this.space;
    const t = numbers[STEP_SIZE]!;
    const deflection = numbers[STEP_DEFLECTION]!;
    const sums = this.sums;
    let rowTerm = 0;
    for (let f = this.freeFrom; f < this.freeTo; f++) {
      const i = free[f]!;
      const w = weight[i]!;
      const d = count[i]! - (w > lambda[i]! ? 1 : 0) + deflection * previous[i]!;
      previous[i] = d;
      const next = Math.max(0, Math.min(lambda[i]! - t * d, w));
      if (next !== lambda[i]) sums.change(i, next);
      if (w > next) rowTerm += w - next;
    }
    numbers[this.at + ROW_TERM - GG] = rowTerm;
    count.fill(0, this.rowFrom, this.rowTo);
    sums.settle();
  }

  // The entries [q0, q1) of a column whose rows lie in this half (binary search on the cut).
  private columnRun(colRow: Uint32Array, start: number, end: number): [number, number] {
    const q0 = firstAtLeast(colRow, start, end, this.rowFrom);
    return [q0, firstAtLeast(colRow, q0, end, this.rowTo)];
  }
}

// The first place in ascending `sorted[from … to)` holding `value` or more (`to` when none does).
function firstAtLeast(sorted: Uint32Array, from: number, to: number, value: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The rows a {@link ColumnSums} sums, and where it keeps its sums and its queue of changes. */
export interface ColumnSumsPart {
  /** Rows `[from, to)`. */
  readonly from: number;
  readonly to: number;
  /** The sums, one per column. */
  readonly value: Float64Array;
  /** Room for a change of each of the rows (indexed from 0). */
  readonly changed: Uint32Array;
  readonly delta: Float64Array;
}

/**
 * Σ λ_i over every column's rows (of the rows `[from, to)` of a part), for multipliers that change
 * a few rows at a time. Changes are queued per row and applied by {@link ColumnSums.settle}: row by
 * row (adding each row's change to its columns) when the changed rows hold less than a third of the
 * entries, otherwise by summing every row with λ_i > 0 afresh. Both read the rows in order and
 * scatter into the column sums, which fit in cache, where a pass over the columns would gather λ
 * from all over memory.
 */
export class ColumnSums {
  readonly value: Float64Array;
  private readonly rowStart: Uint32Array;
  private readonly rowCol: Uint32Array;
  private readonly lambda: Float64Array;
  private readonly changed: Uint32Array;
  private readonly delta: Float64Array;
  private readonly from: number;
  private readonly to: number;
  private changes = 0;
  private changedEntries = 0;

  /** Sums of all rows, or of `part`'s; made from λ unless `fresh` is false (they are already there). */
  constructor(problem: Problem, lambda: Float64Array, part?: ColumnSumsPart, fresh = true) {
    this.rowStart = problem.rowStart;
    this.rowCol = problem.rowCol;
    this.lambda = lambda;
    this.from = part?.from ?? 0;
    this.to = part?.to ?? problem.nRows;
    this.value = part?.value ?? new Float64Array(problem.nCols);
    this.changed = part?.changed ?? new Uint32Array(problem.nRows);
    this.delta = part?.delta ?? new Float64Array(problem.nRows);
    if (fresh) this.recompute();
  }

  /** Sets λ_i to `next`; the sums follow at the next {@link ColumnSums.settle}. */
  change(i: number, next: number): void {
    this.changed[this.changes] = i;
    this.delta[this.changes++] = next - this.lambda[i]!;
    this.changedEntries += this.rowStart[i + 1]! - this.rowStart[i]!;
    this.lambda[i] = next;
  }

  settle(): void {
    const { rowStart, rowCol, value, changed, delta } = this;
    if (3 * this.changedEntries > rowStart[this.to]! - rowStart[this.from]!) this.recompute();
    else {
      for (let c = 0; c < this.changes; c++) {
        const i = changed[c]!;
        const d = delta[c]!;
        for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) value[rowCol[q]!]! += d;
      }
    }
    this.changes = 0;
    this.changedEntries = 0;
  }

  /** The sums afresh from λ. */
  recompute(): void {
    const { rowStart, rowCol, value, lambda } = this;
    value.fill(0);
    for (let i = this.from; i < this.to; i++) {
      const l = lambda[i]!;
      if (l === 0) continue;
      for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) value[rowCol[q]!]! += l;
    }
  }
}

/**
 * Lagrangian lower bound of the p-median (Cornuéjols, Fisher & Nemhauser 1977; Beasley 1993;
 * Daskin 1995, ch. 6).
 *
 * Every row can always be served at f_i = min(U, cost to its nearest existing facility). Relaxing
 * the assignment constraints Σ_j z_ij + z_i0 = 1 with multipliers λ_i leaves
 *
 *     L(λ) = Σ_i λ_i − (sum of the k largest ρ_j),   ρ_j = Σ_{i ∈ col j} (λ_i − w_i d_ij)⁺
 *
 * a lower bound of the optimum for every λ with λ_i ≤ w_i f_i. The subgradient is
 * g_i = 1 − (chosen columns with w_i d_ij < λ_i), projected on the box. λ_i = w_i c_i(S), the best
 * known solution's cost of each row, gives cost(S) minus the k largest savings (the online bound
 * of S); the start is halfway from there to the top of the box, better on every instance tried.
 *
 * The box is narrowed to λ_i ≤ w_i · min(f_i, s_i), s_i the cost to the second-nearest open site of
 * S. Any λ gives a valid bound, so this can only cost tightness, and it cost none where measured (the
 * bound converged as high or higher on OR-Library pmed1 and on the 20,000-point benchmark city). In
 * exchange, the table entries with w_i d_ij above the box can never count and are left out of the
 * passes: 40–45 % of them on the benchmark.
 */
export function medianLagrangian(
  problem: Problem,
  cap: number,
  k: number,
  solution: readonly number[],
  best: number,
  timeMs: number,
  iterations: number = MEDIAN_ITERATIONS,
): number {
  const deadline = Date.now() + timeMs;
  const { nRows, nCols, rowStart, rowCol, status, colStart, colRow, weight } = problem;
  const rowCost = rowCostsOf(problem);
  const colCost = problem.colCost!;
  const open = openColumns(problem, solution);
  // Per row: the start (its cost in S) and the top of its multiplier's box.
  const lambda = new Float64Array(nRows);
  const upper = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    let fixed = cap;
    let first = cap;
    let second = cap;
    for (let q = rowStart[i]!, e = rowStart[i + 1]!; q < e; q++) {
      const j = rowCol[q]!;
      if (!open[j]) continue;
      const d = rowCost[q]!;
      if (status[j] === FIXED && d < fixed) fixed = d;
      if (d < first) {
        second = first;
        first = d;
      } else if (d < second) second = d;
    }
    const w = weight[i]!;
    lambda[i] = w * (first + (Math.min(fixed, second) - first) / 2);
    upper[i] = w * Math.min(fixed, second);
  }
  // The entries that can count: eligible columns, w_i d_ij below the row's box.
  const eligible = eligibleColumns(problem);
  const start = new Uint32Array(nCols + 1);
  let kept = 0;
  for (const j of eligible) {
    for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
      const i = colRow[q]!;
      if (weight[i]! * colCost[q]! < upper[i]!) kept++;
    }
  }
  const entryRow = new Uint32Array(kept);
  // Single precision halves the bytes the passes read; each weighted cost is rounded down, which
  // can only lower L(λ) (a bound for slightly cheaper costs is a bound for these).
  const entryCost = new Float32Array(kept);
  kept = 0;
  for (let j = 0; j < nCols; j++) {
    start[j] = kept;
    if (status[j] !== ELIGIBLE) continue;
    for (let q = colStart[j]!, e = colStart[j + 1]!; q < e; q++) {
      const i = colRow[q]!;
      const c = weight[i]! * colCost[q]!;
      if (c < upper[i]!) {
        entryRow[kept] = i;
        entryCost[kept++] = roundDown32(c);
      }
    }
  }
  start[nCols] = kept;

  const value = new Float64Array(nCols);
  const count = new Int32Array(nRows);
  const top = new Int32Array(Math.max(1, k));
  let chosen = 0;
  return subgradient(
    'lower',
    best,
    { deadline, iterations, patience: 20, initialStep: 1 },
    () => {
      let rowTerm = 0;
      for (let i = 0; i < nRows; i++) rowTerm += lambda[i]!;
      columnSavings(eligible, start, entryRow, entryCost, lambda, value);
      chosen = topK(eligible, value, k, top);
      let colTerm = 0;
      for (let t = 0; t < chosen; t++) colTerm += value[top[t]!]!;
      return rowTerm - colTerm;
    },
    () => {
      for (let t = 0; t < chosen; t++) {
        const j = top[t]!;
        for (let q = start[j]!, e = start[j + 1]!; q < e; q++) {
          const i = entryRow[q]!;
          if (entryCost[q]! < lambda[i]!) count[i]!++;
        }
      }
      let norm = 0;
      for (let i = 0; i < nRows; i++) {
        const g = projected(1 - count[i]!, lambda[i]!, upper[i]!);
        norm += g * g;
      }
      return norm;
    },
    (t) => {
      for (let i = 0; i < nRows; i++) {
        const g = projected(1 - count[i]!, lambda[i]!, upper[i]!);
        lambda[i] = Math.max(0, Math.min(lambda[i]! + t * g, upper[i]!));
        count[i] = 0;
      }
    },
  );
}

const float32 = new Float32Array(1);
const float32Bits = new Int32Array(float32.buffer);

/** The largest single-precision number ≤ x (x ≥ 0). */
function roundDown32(x: number): number {
  float32[0] = x;
  if (float32[0]! > x) float32Bits[0]!--;
  return float32[0]!;
}

/** A subgradient component, zero where it would push the multiplier out of [0, upper]. */
function projected(g: number, lambda: number, upper: number): number {
  return (g > 0 && lambda >= upper) || (g < 0 && lambda <= 0) ? 0 : g;
}

function eligibleColumns(problem: Problem): number[] {
  const eligible: number[] = [];
  for (let j = 0; j < problem.nCols; j++) if (problem.status[j] === ELIGIBLE) eligible.push(j);
  return eligible;
}

// One pass over the eligible columns: value[j] = Σ (λ_i − w_i d_ij)⁺ over the column's entries.
function columnSavings(
  eligible: readonly number[],
  start: Uint32Array,
  entryRow: Uint32Array,
  entryCost: Float32Array,
  lambda: Float64Array,
  value: Float64Array,
): void {
  for (const j of eligible) {
    let sum = 0;
    for (let q = start[j]!, e = start[j + 1]!; q < e; q++) {
      const saving = lambda[entryRow[q]!]! - entryCost[q]!;
      if (saving > 0) sum += saving;
    }
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

/**
 * Lagrangian upper bound of capacitated coverage (after Pirkul & Schilling 1991).
 *
 * Relaxing "each resident is served at most once", Σ_j a_ij ≤ w_i, with multipliers μ_i ∈ [0, 1]
 * leaves one problem per site: fill its capacity Q_j with the residents in reach that pay most,
 * each paying 1 − μ_i (a fractional knapsack with unit weights). So
 *
 *     L(μ) = Σ_i μ_i w_i + Σ_{j existing} v_j(μ) + (sum of the k largest v_j(μ) of the candidates)
 *
 * is an upper bound of the most residents k new sites can serve, for every μ; its minimum is the
 * bound of the LP relaxation with a_ij ≤ w_i x_j. Each v_j is found by a weighted selection over the
 * column (expected linear time), so an evaluation is one pass over the table. The subgradient is
 * g_i = w_i − Σ_j a_ij over the chosen sites' allocations, projected on the box; the start is the
 * best known allocation (μ_i = the share of row i it serves).
 */
export function capacityLagrangian(
  problem: Problem,
  capacity: Float64Array,
  k: number,
  start: Float64Array,
  best: number,
  timeMs: number,
): number {
  const deadline = Date.now() + timeMs;
  const { nRows, nCols, colStart, colRow, weight } = problem;
  const mu = Float64Array.from(start);
  const eligible = eligibleColumns(problem);
  const fixed = Array.from(problem.fixed);
  const value = new Float64Array(nCols);
  const served = new Float64Array(nRows);
  const top = new Int32Array(Math.max(1, k));
  let longest = 0;
  for (let j = 0; j < nCols; j++) longest = Math.max(longest, colStart[j + 1]! - colStart[j]!);
  const knapsack = new ColumnKnapsack(longest);
  let chosen = 0;
  const fill = (j: number) => knapsack.fill(colStart[j]!, colStart[j + 1]!, colRow, weight, mu, capacity[j]!);
  return subgradient(
    'upper',
    best,
    { deadline, iterations: MEDIAN_ITERATIONS, patience: 20, initialStep: 1 },
    () => {
      let L = 0;
      for (let i = 0; i < nRows; i++) L += mu[i]! * weight[i]!;
      for (const j of fixed) L += fill(j);
      for (const j of eligible) value[j] = fill(j);
      chosen = topK(eligible, value, k, top);
      for (let t = 0; t < chosen; t++) L += value[top[t]!]!;
      return L;
    },
    () => {
      served.fill(0);
      const allocate = (j: number) => {
        fill(j);
        knapsack.allocate(colStart[j]!, colStart[j + 1]!, colRow, weight, mu, served);
      };
      for (const j of fixed) allocate(j);
      for (let t = 0; t < chosen; t++) allocate(top[t]!);
      let norm = 0;
      for (let i = 0; i < nRows; i++) {
        const g = boxed(weight[i]! - served[i]!, mu[i]!);
        norm += g * g;
      }
      return norm;
    },
    (t) => {
      for (let i = 0; i < nRows; i++) {
        const g = boxed(weight[i]! - served[i]!, mu[i]!);
        mu[i] = Math.max(0, Math.min(1, mu[i]! - t * g));
      }
    },
  );
}

/** A subgradient component of μ ∈ [0, 1] (which moves against it), zero where it would leave the box. */
function boxed(g: number, mu: number): number {
  return (g < 0 && mu >= 1) || (g > 0 && mu <= 0) ? 0 : g;
}

/**
 * The fractional knapsack of one site: the residents in reach, each paying 1 − μ_i per person,
 * fill its capacity best-paying first. `fill` returns the value and remembers the threshold pay;
 * `allocate` then adds each row's share to `served`.
 */
class ColumnKnapsack {
  private readonly pay: Float64Array;
  private readonly amount: Float64Array;
  /** Rows paying more than this are taken whole, rows paying exactly this in part, others not. */
  private threshold = 0;
  private fraction = 1;

  constructor(size: number) {
    this.pay = new Float64Array(Math.max(1, size));
    this.amount = new Float64Array(Math.max(1, size));
  }

  fill(
    a: number,
    b: number,
    colRow: Uint32Array,
    weight: Float64Array,
    mu: Float64Array,
    capacity: number,
  ): number {
    const { pay, amount } = this;
    let n = 0;
    let total = 0;
    let all = 0;
    for (let q = a; q < b; q++) {
      const i = colRow[q]!;
      const p = 1 - mu[i]!;
      if (p <= 0) continue;
      const w = weight[i]!;
      pay[n] = p;
      amount[n++] = w;
      total += w;
      all += p * w;
    }
    this.threshold = 0;
    this.fraction = 1;
    if (total <= capacity) return all;
    if (!(capacity > 0)) {
      this.threshold = Number.POSITIVE_INFINITY;
      return 0;
    }
    // Weighted quickselect for the pay at which the capacity runs out.
    let lo = 0;
    let hi = n;
    let need = capacity;
    let value = 0;
    while (lo < hi) {
      const pivot = pay[lo + ((hi - lo) >> 1)]!;
      // Three-way partition of [lo, hi): above the pivot, equal, below.
      let lt = lo;
      let gt = hi;
      let at = lo;
      while (at < gt) {
        const p = pay[at]!;
        if (p > pivot) {
          swap(pay, amount, at++, lt++);
        } else if (p < pivot) {
          swap(pay, amount, at, --gt);
        } else at++;
      }
      let above = 0;
      let aboveValue = 0;
      for (let s = lo; s < lt; s++) {
        above += amount[s]!;
        aboveValue += pay[s]! * amount[s]!;
      }
      if (above >= need) {
        if (above === need) {
          // Exactly the rows above the pivot: none of those at it.
          this.threshold = pivot;
          this.fraction = 0;
          return value + aboveValue;
        }
        hi = lt;
        continue;
      }
      value += aboveValue;
      need -= above;
      let equal = 0;
      for (let s = lt; s < gt; s++) equal += amount[s]!;
      if (equal >= need) {
        this.threshold = pivot;
        this.fraction = equal > 0 ? need / equal : 1;
        return value + need * pivot;
      }
      value += equal * pivot;
      need -= equal;
      lo = gt;
    }
    // Not reached (the capacity runs out inside the column); take nothing more.
    this.threshold = Number.POSITIVE_INFINITY;
    return value;
  }

  /** Adds the last `fill`'s allocation of each row to `served` (same column, same μ). */
  allocate(
    a: number,
    b: number,
    colRow: Uint32Array,
    weight: Float64Array,
    mu: Float64Array,
    served: Float64Array,
  ): void {
    for (let q = a; q < b; q++) {
      const i = colRow[q]!;
      const p = 1 - mu[i]!;
      if (p <= 0 || p < this.threshold) continue;
      served[i]! += p > this.threshold ? weight[i]! : weight[i]! * this.fraction;
    }
  }
}

function swap(pay: Float64Array, amount: Float64Array, x: number, y: number): void {
  const p = pay[x]!;
  pay[x] = pay[y]!;
  pay[y] = p;
  const w = amount[x]!;
  amount[x] = amount[y]!;
  amount[y] = w;
}
