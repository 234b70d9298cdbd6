/**
 * Siting benchmark: maximal covering and capacitated coverage with 1,000,000 demand points, 20,000
 * candidate sites (plus 200 existing facilities kept open), k = 50, radius 500 m; p-median with
 * 100,000 demand points and 5,000 candidates, k = 50, costs truncated at 2,000 m. Every model runs
 * the library's lazy greedy (CELF) against a plain greedy (every candidate re-evaluated at every
 * step) in the same process, then the full solve (greedy + interchange, bounds: Lagrangian for MCLP
 * and p-median). A last section compares heuristic answers with HiGHS optima on instances small
 * enough for the MILP (MCLP, p-median, capacitated coverage).
 *
 *   node bench/run.mjs siting            # full size (about 3 minutes)
 *   node bench/run.mjs siting --small    # 100,000 demand × 5,000 candidates
 *
 * Options:
 *   --small            100,000 demand points × 5,000 candidates (p-median 20,000 × 1,000)
 *   --reps N           timed repetitions after the warm-up (default 3)
 *   --plain-reps N     repetitions of the plain greedy baseline, no warm-up (default 1)
 *   --seed N           seed of the synthetic city (default 42)
 *   --only LIST        sections to run, comma-separated from mclp,capacitated,pmedian,exact,limits
 *                      (default all but limits: the HiGHS size sweep takes about 10 minutes)
 *   --threads N        threads of the side-by-side table build on the CLI's worker pool (default 2;
 *                      1 skips it); needs packages/cli/dist (node scripts/build-packages.mjs)
 *   --bound-ms N       time budget of the long Lagrangian bound runs of MCLP, capacitated coverage
 *                      and p-median (default 15,000; 0 skips them)
 *
 * Exits with code 1 when the lazy and the plain greedy disagree, or when a heuristic beats a
 * proved optimum.
 */
import { availableParallelism, cpus, totalmem } from 'node:os';
import { NodeWorkPool } from '../packages/cli/src/pool/node-pool.js';
import { type CostTable, type DemandPoints, GreatCircleSource } from '../packages/core/src/index.js';
// The siting module directly: it works before and after the lead re-exports it from the index.
import {
  CapacitatedCoverage,
  loadHighs,
  MaximalCovering,
  PMedian,
  type SitingResult,
} from '../packages/core/src/siting/index.js';
import {
  benchArgs,
  collectGarbage,
  formatCount,
  formatMiB,
  formatMs,
  formatRatio,
  formatStats,
  MemorySampler,
  repeat,
  seededRandom,
  stats,
  table,
  timedCpu,
} from './lib.js';
import * as valley from './valley.js';

const { small: SMALL, reps: REPS, seed: SEED, number, names } = benchArgs();
const PLAIN_REPS = number('plain-reps', 1);
const ONLY = names('only', 'mclp,capacitated,pmedian,exact');
const LONG_BOUND_MS = number('bound-ms', 15_000);
const THREADS = number('threads', 2);
// Issue #16: MCLP 1M × 20k candidates, k 50, table and solve() within 2 s on both cores.
const FLOOR_MCLP_THREADED_MS = 2000;

const POINTS = SMALL ? 100_000 : 1_000_000;
const GRID_COLS = SMALL ? 100 : 200;
const GRID_ROWS = SMALL ? 50 : 100;
const EXISTING = 200;
const K = 50;
const RADIUS = 500;
const PM_POINTS = SMALL ? 20_000 : 100_000;
const PM_COLS = SMALL ? 40 : 100;
const PM_ROWS = SMALL ? 25 : 50;
const PM_BOUND = 2000;
const RATE = 4.5 / 1000;
const FLOOR_MCLP_MS = 5000;

let sink = 0;
let failed = false;
const rows: string[][] = [];
const notes: string[] = [];

// ---------------------------------------------------------------------------------------------
// The synthetic city (bench/valley.ts, as bench/coverage.ts: a dense core, a sparser fringe and four
// towns; 100 demand points per community)
// ---------------------------------------------------------------------------------------------

function makeDemand(points: number, seed: number): DemandPoints {
  const random = seededRandom(seed);
  const communities = points / 100;
  const demand = valley.emptyDemand(points, communities);
  let i = 0;
  // Footprint radius (m) by where the community lies: larger than bench/coverage.ts's.
  const FOOTPRINT_M = { core: [120, 130], fringe: [200, 200], town: [150, 150] } as const;
  for (let c = 0; c < communities; c++) {
    const { x, y, zone } = valley.placeCommunity(random);
    const [least, spread] = FOOTPRINT_M[zone];
    i = valley.scatterCommunity(random, demand, i, { c, x, y, footprintM: least + spread * random() }, 100);
  }
  return demand;
}

/** Existing facilities near random demand points, then a regular grid of candidates over the box. */
function makeTargets(
  demand: DemandPoints,
  existing: number,
  cols: number,
  rowsCount: number,
  seed: number,
): { coords: Float64Array; fixed: Uint32Array; capacity: Float64Array } {
  // Existing facilities (the first `existing` targets) lie near random demand points.
  const random = seededRandom(seed + 1);
  const n = existing + cols * rowsCount;
  const coords = new Float64Array(2 * n);
  const capacity = new Float64Array(n);
  for (let f = 0; f < existing; f++) {
    valley.nearRandomPoint(random, demand.coords, 300, coords, f);
    capacity[f] = 20 + Math.floor(random() * 61);
  }
  const dx = (2 * valley.HALF_WIDTH_M) / cols;
  const dy = (2 * valley.HALF_HEIGHT_M) / rowsCount;
  for (let r = 0; r < rowsCount; r++) {
    for (let c = 0; c < cols; c++) {
      const j = existing + r * cols + c;
      coords[2 * j] = valley.toLon(-valley.HALF_WIDTH_M + (c + 0.5) * dx);
      coords[2 * j + 1] = valley.toLat(-valley.HALF_HEIGHT_M + (r + 0.5) * dy);
      // 60–400 places: small sites fill up, large ones are limited by who lives within reach.
      capacity[j] = 60 + Math.floor(random() * 341);
    }
  }
  return { coords, fixed: Uint32Array.from({ length: existing }, (_, f) => f), capacity };
}

function tableBytes(t: CostTable): number {
  return t.offsets.byteLength + t.targets.byteLength + t.costs.byteLength;
}

function gapText(r: {
  objective: number;
  bound: number;
  gap: number;
  boundMethod: string;
  boundStop?: string | null;
}): string {
  const stop = r.boundStop ? `, stopped: ${r.boundStop}` : '';
  return `${formatCount(r.bound)} (${r.boundMethod}${stop}), gap ${(100 * r.gap).toFixed(2)}%`;
}

function sameOrder(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

// ---------------------------------------------------------------------------------------------

function benchCoverage(): void {
  const memory = new MemorySampler();
  memory.start();
  const t0 = performance.now();
  const demand = makeDemand(POINTS, SEED);
  const targets = makeTargets(demand, EXISTING, GRID_COLS, GRID_ROWS, SEED);
  const nTargets = targets.coords.length >> 1;
  console.error(
    `city: ${formatCount(POINTS)} demand points, ${formatCount(nTargets)} targets (${formatMs(performance.now() - t0)})`,
  );

  const a = performance.now();
  const source = new GreatCircleSource(demand);
  const sourceMs = performance.now() - a;
  const b = performance.now();
  const tableAt = source.within({ coords: targets.coords }, RADIUS);
  const withinMs = performance.now() - b;
  memory.sample();
  const nnz = tableAt.targets.length;
  rows.push([
    'table: GreatCircleSource + within(500 m)',
    `${formatCount(POINTS)} × ${formatCount(nTargets)}`,
    `${formatMs(sourceMs)} + ${formatMs(withinMs)}`,
    `${formatCount(nnz)} pairs, ${formatMiB(tableBytes(tableAt))}`,
    '',
  ]);
  const pool =
    THREADS > 1
      ? new NodeWorkPool(THREADS, new URL('../../packages/cli/dist/pool/worker.js', import.meta.url))
      : null;
  const threadedWithinMs = pool ? benchThreadedTable(pool, demand, targets.coords, tableAt, source) : null;

  if (ONLY.has('mclp')) {
    const options = { k: K, fixed: targets.fixed, owner: demand.owner, ownerCount: demand.ownerCount };
    const compile = repeat(REPS, () => MaximalCovering.fromCostMatrix(tableAt, demand.weight, options));
    const model = compile.result;
    memory.sample();
    const size = model.size;
    rows.push([
      'MCLP fromCostMatrix (filter, merge rows, transpose)',
      `${formatCount(size.rows)} rows, ${formatCount(size.entries)} entries`,
      formatStats(stats(compile.times)),
      '',
      '',
    ]);
    const lazy = repeat(REPS, () => model.greedy());
    memory.sample();
    rows.push([
      'MCLP lazy greedy (CELF), k = 50',
      `${formatCount(lazy.result.evaluations)} gain evaluations`,
      formatStats(stats(lazy.times)),
      `covered ${formatCount(lazy.result.covered)}`,
      `online bound ${formatCount(lazy.result.bound)}`,
    ]);
    const plain = repeat(PLAIN_REPS, () => model.greedy(true), false);
    rows.push([
      'MCLP plain greedy (baseline), k = 50',
      `${formatCount(plain.result.evaluations)} gain evaluations`,
      formatStats(stats(plain.times)),
      `covered ${formatCount(plain.result.covered)}`,
      `${(stats(plain.times).min / stats(lazy.times).min).toFixed(1)}× the lazy time`,
    ]);
    if (!sameOrder(lazy.result.order, plain.result.order)) {
      failed = true;
      notes.push('MCLP: lazy and plain greedy chose different sites.');
    }
    const solve = repeat(REPS, () => model.solve());
    const result = solve.result;
    memory.sample();
    sink += result.objective;
    const total = stats(compile.times).min + stats(solve.times).min;
    rows.push([
      'MCLP solve(): greedy + swap + Lagrangian (1 s)',
      result.solver,
      formatStats(stats(solve.times)),
      `covered ${formatCount(result.objective)} (${(100 * (result.objective / result.population)).toFixed(1)}%)`,
      gapText(result),
    ]);
    rows.push([
      `MCLP fromCostMatrix + solve() (floor ${formatMs(FLOOR_MCLP_MS)})`,
      '',
      formatMs(total),
      total < FLOOR_MCLP_MS ? 'floor met' : 'FLOOR MISSED',
      '',
    ]);
    if (threadedWithinMs !== null) {
      const withTable = threadedWithinMs + total;
      rows.push([
        `MCLP table on ${THREADS} threads + fromCostMatrix + solve() (floor ${formatMs(FLOOR_MCLP_THREADED_MS)})`,
        '',
        formatMs(withTable),
        withTable <= FLOOR_MCLP_THREADED_MS ? 'floor met' : 'FLOOR MISSED',
        `solve() ${formatMs(stats(solve.times).min)} of it`,
      ]);
    }
    if (pool) benchThreadedMclp(pool, demand, targets.coords, options, model, result);
    if (LONG_BOUND_MS > 0) {
      const t = performance.now();
      const long = model.solve({ boundTimeMs: LONG_BOUND_MS });
      rows.push([
        `MCLP solve() with a ${formatMs(LONG_BOUND_MS)} Lagrangian bound`,
        result.solver,
        formatMs(performance.now() - t),
        `covered ${formatCount(long.objective)}`,
        gapText(long),
      ]);
    }
  }

  if (ONLY.has('capacitated')) {
    const options = {
      k: K,
      fixed: targets.fixed,
      owner: demand.owner,
      ownerCount: demand.ownerCount,
      capacity: targets.capacity,
      rate: RATE,
    };
    const compile = repeat(REPS, () => CapacitatedCoverage.fromCostMatrix(tableAt, demand.weight, options));
    const model = compile.result;
    memory.sample();
    rows.push([
      'Capacitated fromCostMatrix',
      `${formatCount(model.size.rows)} rows, ${formatCount(model.size.entries)} entries`,
      formatStats(stats(compile.times)),
      '',
      '',
    ]);
    const lazy = repeat(REPS, () => model.greedy());
    rows.push([
      'Capacitated lazy greedy + max-flow allocation, k = 50',
      `${formatCount(lazy.result.evaluations)} gain evaluations`,
      formatStats(stats(lazy.times)),
      `served ${formatCount(lazy.result.served)}`,
      '',
    ]);
    const plain = repeat(PLAIN_REPS, () => model.greedy(true), false);
    rows.push([
      'Capacitated plain greedy (baseline) + max flow',
      `${formatCount(plain.result.evaluations)} gain evaluations`,
      formatStats(stats(plain.times)),
      `served ${formatCount(plain.result.served)}`,
      `${(stats(plain.times).min / stats(lazy.times).min).toFixed(1)}× the lazy time`,
    ]);
    if (!sameOrder(lazy.result.order, plain.result.order)) {
      failed = true;
      notes.push('Capacitated: lazy and plain greedy chose different sites.');
    }
    const solve = repeat(REPS, () => model.solve());
    const result = solve.result;
    memory.sample();
    sink += result.objective;
    const over = result.loads!.filter((l) => l.oversubscribed).length;
    rows.push([
      'Capacitated solve(): greedy, swap (2 s), exact allocation, loads',
      result.solver,
      formatStats(stats(solve.times)),
      `served ${formatCount(result.objective)}, ${over} sites over-subscribed`,
      gapText(result),
    ]);
    if (LONG_BOUND_MS > 0) {
      const t = performance.now();
      const long = model.solve({ boundTimeMs: LONG_BOUND_MS });
      rows.push([
        `Capacitated solve() with a ${formatMs(LONG_BOUND_MS)} Lagrangian bound`,
        long.solver,
        formatMs(performance.now() - t),
        `served ${formatCount(long.objective)}`,
        gapText(long),
      ]);
    }
  }
  void pool?.close();
  console.error(`coverage section memory: ${memory.report().text}`);
  notes.push(`Coverage section peak memory: ${memory.report().text}.`);
}

/**
 * The whole MCLP on THREADS threads, as the CLI runs it: the table, `fromCostMatrix` with the pool
 * (rows merged by ranges of owners, columns by ranges of rows) and `solve()` (the swap and the
 * Lagrangian bound side by side). A warm-up, then REPS runs; each stage's best wall time with the
 * CPU time of that run (all threads), so that a loaded run still shows what the threads did. Fails
 * unless the sites and the covered population are the single-threaded ones.
 */
function benchThreadedMclp(
  pool: NodeWorkPool,
  demand: DemandPoints,
  coords: Float64Array,
  options: { k: number; fixed: Uint32Array; owner: Uint32Array; ownerCount: number },
  single: MaximalCovering,
  reference: SitingResult,
): void {
  const source = new GreatCircleSource(demand, { pool });
  type Stage = { ms: number; cpuMs: number };
  const stages: {
    table: Stage[];
    compile: Stage[];
    fused: Stage[];
    solve: Stage[];
    total: number[];
  } = { table: [], compile: [], fused: [], solve: [], total: [] };
  let result: SitingResult | null = null;
  let size = '';
  const targets = { coords };
  // Alternating, in one process: the table then fromCostMatrix (as before), and fromSource, whose
  // threads write each owner's rows without costs and merge them in the scan (the default path).
  for (let r = 0; r <= REPS; r++) {
    collectGarbage();
    const table = timedCpu(() => source.within(targets, RADIUS));
    const model = timedCpu(() =>
      MaximalCovering.fromCostMatrix(table.result, demand.weight, { ...options, pool }),
    );
    collectGarbage();
    const fused = timedCpu(() =>
      MaximalCovering.fromSource(source, demand, targets, { ...options, radius: RADIUS, pool }),
    );
    const solved = timedCpu(() => fused.result.solve());
    result = solved.result;
    size = `${formatCount(fused.result.size.rows)} rows, ${formatCount(fused.result.size.entries)} entries`;
    if (fused.result.size.entries !== model.result.size.entries) {
      failed = true;
      notes.push('MCLP fromSource compiled another problem than table + fromCostMatrix.');
    }
    if (r === 0) continue; // warm-up: the pool threads start and compile the kernels
    stages.table.push(table);
    stages.compile.push(model);
    stages.fused.push(fused);
    stages.solve.push(solved);
    stages.total.push(fused.ms + solved.ms);
  }
  const sameAnswer = (a: SitingResult | null, b: SitingResult) =>
    a !== null &&
    a.objective === b.objective &&
    sameOrder(
      a.sites.map((s) => s.candidate),
      b.sites.map((s) => s.candidate),
    );
  // The timed runs stop the swap at its 2 s wall-clock budget, which a loaded machine can reach on
  // one path and not the other; the check gives both all the time the swap needs.
  const unlimited = { swapTimeMs: 600_000, boundTimeMs: 100 };
  const checked = MaximalCovering.fromSource(source, demand, targets, {
    ...options,
    radius: RADIUS,
    pool,
  }).solve(unlimited);
  const checkedSame = sameAnswer(checked, single.solve(unlimited));
  if (!checkedSame) {
    failed = true;
    notes.push(`MCLP on ${THREADS} threads chose other sites or covered another total than on one thread.`);
  }
  const same = sameAnswer(result, reference);
  if (!same && checkedSame) {
    notes.push(
      `MCLP on ${THREADS} threads: the timed solve() differs from the one-thread one (the swap's time budget); with the swap unlimited they agree.`,
    );
  }
  const describe = (list: Stage[]) => {
    const best = list.reduce((a, b) => (b.ms < a.ms ? b : a));
    return `${formatStats(stats(list.map((s) => s.ms)))}; CPU ${formatMs(best.cpuMs)} in the best`;
  };
  rows.push(
    [`MCLP on ${THREADS} threads: table within(500 m)`, '', describe(stages.table), '', ''],
    [
      `MCLP on ${THREADS} threads: fromCostMatrix (rows by owner ranges, columns by row ranges)`,
      size,
      describe(stages.compile),
      '',
      '',
    ],
    [
      `MCLP on ${THREADS} threads: fromSource (rows written without costs and merged in the scan, columns)`,
      size,
      describe(stages.fused),
      `${formatRatio(stats(stages.fused.map((s) => s.ms)).min / stats(stages.table.map((s, i) => s.ms + stages.compile[i]!.ms)).min)} of table + fromCostMatrix`,
      '',
    ],
    [
      `MCLP on ${THREADS} threads: solve() (swap beside the 1 s Lagrangian bound)`,
      result?.solver ?? '',
      describe(stages.solve),
      `covered ${formatCount(result?.objective ?? 0)}${same ? ', same sites as 1 thread' : ', not the 1-thread sites (see notes)'}`,
      result ? gapText(result) : '',
    ],
  );
  const total = stats(stages.total);
  rows.push([
    `MCLP on ${THREADS} threads: fromSource + solve() (floor ${formatMs(FLOOR_MCLP_THREADED_MS)})`,
    '',
    formatStats(total),
    total.min <= FLOOR_MCLP_THREADED_MS ? 'floor met (best)' : 'FLOOR MISSED',
    '',
  ]);
}

// The same table on THREADS worker threads, beside the one-thread build; returns its best time.
function benchThreadedTable(
  pool: NodeWorkPool,
  demand: DemandPoints,
  coords: Float64Array,
  reference: CostTable,
  single: GreatCircleSource,
): number {
  // Both timed the same way (a warm-up, then REPS runs), alternating would be fairer still.
  const singleMs = stats(repeat(REPS, () => single.within({ coords }, RADIUS)).times).min;
  const a = performance.now();
  const source = new GreatCircleSource(demand, { pool });
  const sourceMs = performance.now() - a;
  const timed = repeat(REPS, () => source.within({ coords }, RADIUS));
  const table = timed.result;
  const same = [table.offsets, table.targets, table.costs].every((array, k) => {
    const other = [reference.offsets, reference.targets, reference.costs][k]!;
    return array.length === other.length && array.every((v, i) => Object.is(v, other[i]));
  });
  if (!same) {
    failed = true;
    notes.push(`The table on ${THREADS} threads differs from the one-thread table.`);
  }
  const best = stats(timed.times).min;
  rows.push([
    `table on ${THREADS} threads (worker_threads): within(500 m)`,
    same ? 'identical to 1 thread' : 'DIFFERS',
    `${formatMs(sourceMs)} + ${formatStats(stats(timed.times))}`,
    `${(singleMs / best).toFixed(2)}× the one-thread within (best of ${REPS}: ${formatMs(singleMs)})`,
    '',
  ]);
  return best;
}

function benchMedian(): void {
  // The coverage section's buffers are gone by now; collect until the baseline reflects that.
  for (let r = 0; r < 3; r++) collectGarbage();
  const memory = new MemorySampler();
  memory.start();
  const demand = makeDemand(PM_POINTS, SEED + 7);
  const targets = makeTargets(demand, 0, PM_COLS, PM_ROWS, SEED + 7);
  const nTargets = targets.coords.length >> 1;
  const a = performance.now();
  const tableAt = new GreatCircleSource(demand).within({ coords: targets.coords }, PM_BOUND);
  const withinMs = performance.now() - a;
  memory.sample();
  rows.push([
    'p-median table: within(2,000 m)',
    `${formatCount(PM_POINTS)} × ${formatCount(nTargets)}`,
    formatMs(withinMs),
    `${formatCount(tableAt.targets.length)} pairs, ${formatMiB(tableBytes(tableAt))}`,
    '',
  ]);
  const options = { k: K, owner: demand.owner, ownerCount: demand.ownerCount };
  const compile = repeat(REPS, () => PMedian.fromCostMatrix(tableAt, demand.weight, options));
  const model = compile.result;
  rows.push([
    'p-median fromCostMatrix',
    `${formatCount(model.size.entries)} entries`,
    formatStats(stats(compile.times)),
    '',
    '',
  ]);
  const lazy = repeat(REPS, () => model.greedy());
  rows.push([
    'p-median lazy greedy, k = 50',
    `${formatCount(lazy.result.evaluations)} gain evaluations`,
    formatStats(stats(lazy.times)),
    `cost ${formatCount(lazy.result.objective)} person-m`,
    `online bound ${formatCount(lazy.result.bound)}`,
  ]);
  const plain = repeat(PLAIN_REPS, () => model.greedy(true), false);
  rows.push([
    'p-median plain greedy (baseline)',
    `${formatCount(plain.result.evaluations)} gain evaluations`,
    formatStats(stats(plain.times)),
    `cost ${formatCount(plain.result.objective)} person-m`,
    `${(stats(plain.times).min / stats(lazy.times).min).toFixed(1)}× the lazy time`,
  ]);
  if (!sameOrder(lazy.result.order, plain.result.order)) {
    failed = true;
    notes.push('p-median: lazy and plain greedy chose different sites.');
  }
  const solve = repeat(REPS, () => model.solve());
  memory.sample();
  sink += solve.result.objective;
  rows.push([
    'p-median solve(): greedy + fast interchange + Lagrangian (1 s)',
    solve.result.solver,
    formatStats(stats(solve.times)),
    `cost ${formatCount(solve.result.objective)} person-m`,
    gapText(solve.result),
  ]);
  const online = model.solve({ boundTimeMs: 0 });
  rows.push([
    'p-median solve({ boundTimeMs: 0 }): online bound only',
    online.solver,
    formatMs(online.timeMs),
    `cost ${formatCount(online.objective)} person-m`,
    gapText(online),
  ]);
  if (LONG_BOUND_MS > 0) {
    const t = performance.now();
    const long = model.solve({ boundTimeMs: LONG_BOUND_MS });
    rows.push([
      `p-median solve() with a ${formatMs(LONG_BOUND_MS)} Lagrangian bound`,
      long.solver,
      formatMs(performance.now() - t),
      `cost ${formatCount(long.objective)} person-m`,
      gapText(long),
    ]);
  }
  notes.push(`p-median section peak memory: ${memory.report().text}.`);
}

/** Heuristic answers against HiGHS optima where the MILP is small enough to prove. */
async function benchExact(): Promise<void> {
  const highs = await loadHighs();
  // Candidates near the demand (as a parcel file would give them), so that sites compete.
  const cases = [
    { name: 'MCLP', points: 5000, candidates: 300, existing: 10, k: 10, model: 'mclp' as const },
    { name: 'p-median', points: 800, candidates: 80, existing: 0, k: 5, model: 'pmedian' as const },
    { name: 'capacitated', points: 1000, candidates: 60, existing: 5, k: 6, model: 'capacitated' as const },
  ];
  for (const c of cases) {
    const demand = makeDemand(c.points, SEED + 11);
    const targets = makeTargets(demand, c.existing + c.candidates, 0, 0, SEED + 11);
    targets.fixed = targets.fixed.slice(0, c.existing);
    const source = new GreatCircleSource(demand);
    const options = { k: c.k, fixed: targets.fixed, owner: demand.owner, ownerCount: demand.ownerCount };
    const model =
      c.model === 'mclp'
        ? MaximalCovering.fromCostMatrix(
            source.within({ coords: targets.coords }, RADIUS),
            demand.weight,
            options,
          )
        : c.model === 'capacitated'
          ? CapacitatedCoverage.fromCostMatrix(
              source.within({ coords: targets.coords }, RADIUS),
              demand.weight,
              {
                ...options,
                capacity: targets.capacity,
                rate: RATE,
              },
            )
          : PMedian.fromCostMatrix(source.within({ coords: targets.coords }, 4000), demand.weight, options);
    const time = (f: () => SitingResult) => {
      const t = performance.now();
      const r = f();
      return { r, ms: performance.now() - t };
    };
    const greedy = time(() => model.solve({ swap: false, boundTimeMs: 0 }));
    const swapped = time(() => model.solve());
    const exact = time(() => model.solve({ highs, exact: true, timeLimitS: 120 }));
    const size = `${formatCount(c.points)} × ${formatCount(c.candidates + c.existing)}, k ${c.k}, MILP ${formatCount(model.size.milpNonzeros)} nz`;
    const vs = (r: SitingResult) => {
      const ratio = c.model === 'pmedian' ? exact.r.objective / r.objective : r.objective / exact.r.objective;
      return `${(100 * ratio).toFixed(2)}% of optimum`;
    };
    rows.push([
      `${c.name} greedy vs HiGHS`,
      size,
      formatMs(greedy.ms),
      `${formatCount(greedy.r.objective)}, ${vs(greedy.r)}`,
      gapText(greedy.r),
    ]);
    rows.push([
      `${c.name} greedy + swap vs HiGHS`,
      '',
      formatMs(swapped.ms),
      `${formatCount(swapped.r.objective)}, ${vs(swapped.r)}`,
      gapText(swapped.r),
    ]);
    rows.push([
      `${c.name} HiGHS (${exact.r.status})`,
      '',
      formatMs(exact.ms),
      formatCount(exact.r.objective),
      gapText(exact.r),
    ]);
    if (exact.r.status === 'optimal') {
      const beaten =
        c.model === 'pmedian'
          ? swapped.r.objective < exact.r.objective - 1e-6
          : swapped.r.objective > exact.r.objective + 1e-6;
      if (beaten) {
        failed = true;
        notes.push(`${c.name}: the heuristic beat a proved optimum.`);
      }
    }
  }
}

/**
 * HiGHS size limits: MILP and LP relaxation times against the model size, on demand and candidates
 * spread uniformly over a square (hard for branch and bound: many near-equivalent sites) and on the
 * clustered city. Each solve gets 60 s.
 */
async function benchLimits(): Promise<void> {
  const highs = await loadHighs();
  const limitRows: string[][] = [];
  const square = (points: number, candidates: number, seed: number) => {
    const random = seededRandom(seed);
    const side = Math.sqrt(points) * 60;
    const coords = new Float64Array(2 * points);
    for (let i = 0; i < points; i++) {
      coords[2 * i] = valley.toLon(random() * side);
      coords[2 * i + 1] = valley.toLat(random() * side);
    }
    const targets = new Float64Array(2 * candidates);
    for (let j = 0; j < candidates; j++) {
      targets[2 * j] = valley.toLon(random() * side);
      targets[2 * j + 1] = valley.toLat(random() * side);
    }
    const weight = Float64Array.from({ length: points }, () => 1 + Math.floor(random() * 50));
    return {
      source: new GreatCircleSource({ coords, owner: new Uint32Array(points), ownerCount: 1 }),
      targets,
      weight,
    };
  };
  const sizes: [number, number][] = [
    [500, 100],
    [1000, 200],
    [2000, 400],
    [4000, 600],
    [8000, 1000],
  ];
  for (const model of ['mclp', 'pmedian'] as const) {
    for (const [points, candidates] of sizes) {
      if (model === 'pmedian' && points > 2000) continue;
      const { source, targets, weight } = square(points, candidates, SEED);
      const k = Math.max(2, Math.round(candidates / 20));
      const m =
        model === 'mclp'
          ? MaximalCovering.fromCostMatrix(source.within({ coords: targets }, 400), weight, { k })
          : PMedian.fromCostMatrix(source.within({ coords: targets }, 1200), weight, { k });
      const lp = m.solve({ highs, exact: false, lpBoundLimit: Number.POSITIVE_INFINITY, timeLimitS: 60 });
      const exact = m.solve({ highs, exact: true, timeLimitS: 60 });
      const mip = exact.milp!;
      limitRows.push([
        `${model} uniform`,
        `${formatCount(points)} × ${formatCount(candidates)}, k ${k}`,
        `${formatCount(mip.columns)} × ${formatCount(mip.rows)}, ${formatCount(mip.nonzeros)} nz`,
        `${mip.status}, ${formatMs(mip.timeMs)}${exact.status === 'optimal' ? '' : `, gap ${(100 * exact.gap).toFixed(2)}%`}`,
        lp.milp ? `${lp.milp.status}, ${formatMs(lp.milp.timeMs)}` : '–',
      ]);
      console.error(limitRows.at(-1)!.join(' | '));
    }
  }
  console.log(
    table(['model', 'instance', 'MILP columns × rows', 'MILP (60 s limit)', 'LP relaxation'], limitRows),
  );
}

async function main(): Promise<void> {
  console.error(
    `siting bench: ${SMALL ? 'small' : 'full'} size, ${REPS} reps, node ${process.version}, ${cpus()[0]?.model ?? '?'} × ${availableParallelism()}, ${formatMiB(totalmem())}`,
  );
  if (ONLY.has('mclp') || ONLY.has('capacitated')) benchCoverage();
  if (ONLY.has('pmedian')) benchMedian();
  if (ONLY.has('exact')) await benchExact();
  if (ONLY.has('limits')) await benchLimits();
  if (rows.length > 0)
    console.log(table(['row', 'size', 'time min (mean ± sd)', 'answer', 'bound / note'], rows));
  for (const note of notes) console.log(`\n${note}`);
  console.error(`sink ${sink}`);
  if (failed) process.exitCode = 1;
}

await main();
