// The maximal covering Lagrangian bound: its column sums, kept up to date row by row, against sums
// made afresh from a dense matrix; and the bound against the optimum found by enumeration.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusteredCoverTable, seededRandom } from '../../test/reference.js';
import type { CostTable } from '../distance/types.js';
import { inlineWorkPool } from '../parallel/kernels.js';
import {
  ColumnSums,
  coverageBoundSpace,
  coverageLagrangian,
  helpCoverageLagrangian,
  swapFinished,
  swapStarted,
} from './lagrangian.js';
import { MaximalCovering } from './maximal-covering.js';
import { compileProblem, type Problem } from './problem.js';

/** Random coverage sets: row i reaches column j with probability `density`; weights 1…9. */
function randomSets(seed: number, rows: number, cols: number, density: number): boolean[][] {
  const random = seededRandom(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => random() < density));
}

function tableOf(reach: boolean[][]): CostTable {
  const offsets = new Uint32Array(reach.length + 1);
  const targets: number[] = [];
  reach.forEach((row, i) => {
    row.forEach((r, j) => {
      if (r) targets.push(j);
    });
    offsets[i + 1] = targets.length;
  });
  return { bound: 1, offsets, targets: Uint32Array.from(targets), costs: new Float64Array(targets.length) };
}

function problemOf(reach: boolean[][], weight: Float64Array, cols: number, fixed: number[] = []): Problem {
  return compileProblem(
    tableOf(reach),
    weight,
    { targetCount: cols, fixed },
    { maxCost: Number.POSITIVE_INFINITY, keepCosts: false, aggregate: false },
  );
}

describe('ColumnSums', () => {
  it('follows every change, row by row or afresh, as the dense sums do', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(
          fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constant(0), fc.double({ min: 0, max: 9, noNaN: true }))), {
            maxLength: 40,
          }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (seed, rows, cols, batches) => {
          const reach = randomSets(seed, rows, cols, 0.4);
          const problem = problemOf(reach, new Float64Array(rows).fill(1), cols);
          const lambda = new Float64Array(problem.nRows);
          const sums = new ColumnSums(problem, lambda);
          for (const batch of batches) {
            for (const [row, next] of batch) {
              if (problem.nRows === 0) break;
              const i = row % problem.nRows;
              if (next !== lambda[i]) sums.change(i, next);
            }
            sums.settle();
            for (let j = 0; j < problem.nCols; j++) {
              let dense = 0;
              for (let q = problem.colStart[j]!; q < problem.colStart[j + 1]!; q++)
                dense += lambda[problem.colRow[q]!]!;
              expect(sums.value[j]).toBeCloseTo(dense, 9);
            }
          }
        },
      ),
      { seed: 16, numRuns: 200 },
    );
  });
});

/** The most population k of the columns (none of them fixed) cover, with `fixed` open, by enumeration. */
function optimum(reach: boolean[][], weight: Float64Array, cols: number, k: number, fixed: number[]): number {
  let best = 0;
  for (let mask = 0; mask < 1 << cols; mask++) {
    let size = 0;
    for (let j = 0; j < cols; j++) if (mask & (1 << j) && !fixed.includes(j)) size++;
    if (size > k) continue;
    let covered = 0;
    reach.forEach((row, i) => {
      if (row.some((r, j) => r && (mask & (1 << j) || fixed.includes(j)))) covered += weight[i]!;
    });
    best = Math.max(best, covered);
  }
  return best;
}

/** A seeded instance: 10–49 rows, 4–10 columns, weights 1…9; `random` goes on for the caller. */
function randomInstance(seed: number) {
  const random = seededRandom(seed * 7919);
  const rows = 10 + Math.floor(random() * 40);
  const cols = 4 + Math.floor(random() * 7);
  const reach = randomSets(seed, rows, cols, 0.15 + 0.3 * random());
  const weight = Float64Array.from({ length: rows }, () => 1 + Math.floor(random() * 9));
  return { random, cols, reach, weight };
}

describe('coverageLagrangian', () => {
  it('stays above the optimum, never rises with more iterations, and starts at the answer’s online bound', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { random, cols, reach, weight } = randomInstance(seed);
      const fixed = random() < 0.5 ? [Math.floor(random() * cols)] : [];
      const k = 1 + Math.floor(random() * 3);
      const problem = problemOf(reach, weight, cols, fixed);
      const opt = optimum(reach, weight, cols, k, fixed);
      // Any answer will do as the start: the first k eligible columns.
      const sites = Array.from({ length: cols }, (_, j) => j)
        .filter((j) => !fixed.includes(j))
        .slice(0, k);
      const open = new Set([...sites, ...fixed]);
      let covered = 0;
      reach.forEach((row, i) => {
        if (row.some((r, j) => r && open.has(j))) covered += weight[i]!;
      });
      // The answer's online bound: covered + the k largest sums of uncovered weight per column.
      const gains = Array.from({ length: cols }, (_, j) =>
        open.has(j) || fixed.includes(j)
          ? 0
          : reach.reduce(
              (s, row, i) => s + (row[j] && !row.some((r, l) => r && open.has(l)) ? weight[i]! : 0),
              0,
            ),
      ).sort((a, b) => b - a);
      const online = covered + gains.slice(0, k).reduce((a, b) => a + b, 0);
      let previous = Number.POSITIVE_INFINITY;
      for (const iterations of [1, 3, 10, 50, 200, 1000]) {
        const { bound } = coverageLagrangian(problem, k, sites, covered, 60_000, iterations);
        expect(bound).toBeGreaterThanOrEqual(opt - 1e-9);
        expect(bound).toBeLessThanOrEqual(previous + 1e-9);
        if (iterations === 1) expect(bound).toBeCloseTo(online, 9);
        previous = bound;
      }
    }
  });
});

describe('coverageLagrangian on shared memory', () => {
  it('gives the same bound on a shared space, and a thread that would help returns when the bound is not running', () => {
    // A pool may run the swap (which then helps) before, after or beside the bound: before it has
    // begun or after it is done, helping must return at once, not wait for it.
    for (let seed = 1; seed <= 12; seed++) {
      const { random, cols, reach, weight } = randomInstance(seed);
      const problem = problemOf(reach, weight, cols, [0]);
      const k = 1 + Math.floor(random() * 3);
      const sites = [1, 2, 3].slice(0, k);
      const plain = coverageLagrangian(problem, k, sites, 0, 60_000, 300);
      const space = coverageBoundSpace(problem, k, inlineWorkPool(2));
      expect(space.lambda.buffer).toBeInstanceOf(SharedArrayBuffer);
      helpCoverageLagrangian(problem, space);
      expect(coverageLagrangian(problem, k, sites, 0, 60_000, 300, space)).toEqual(plain);
      helpCoverageLagrangian(problem, space);
    }
  }, 10_000);

  it('goes on alone when its helper is gone, and a helper does not wait for a bound that never runs', () => {
    const { cols, reach, weight } = randomInstance(3);
    const problem = problemOf(reach, weight, cols, [0]);
    const plain = coverageLagrangian(problem, 2, [1, 2], 0, 60_000, 50);
    // A helper that said it was there and then stopped: the first task is taken back after 30 ms.
    const left = coverageBoundSpace(problem, 2, inlineWorkPool(2), 30);
    Atomics.store(left.control, 1, 1);
    expect(coverageLagrangian(problem, 2, [1, 2], 0, 60_000, 50, left)).toEqual(plain);
    // A bound that began to set up on a thread that then stopped: the helper returns.
    const stopped = coverageBoundSpace(problem, 2, inlineWorkPool(2), 30);
    Atomics.store(stopped.control, 0, 1);
    const started = Date.now();
    helpCoverageLagrangian(problem, stopped);
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 10_000);
});

/** A town large enough for the bound's stop rule, and the heuristic's answer of k sites. */
function largeTown(seed: number, rows: number, cols: number, k: number) {
  const { table, weight } = clusteredCoverTable(seed, rows, cols, 9);
  const problem = compileProblem(
    table,
    weight,
    { targetCount: cols },
    { maxCost: Number.POSITIVE_INFINITY, keepCosts: false, aggregate: false },
  );
  const answer = MaximalCovering.fromCostMatrix(table, weight, { k, targetCount: cols }).solve({
    exact: false,
    boundTimeMs: 0,
  });
  return { problem, sites: answer.sites.map((s) => s.candidate), covered: answer.objective };
}

describe('coverageLagrangian’s stop rule', () => {
  it('stops only proved, stalled or at its limits on small instances: the whole run’s bound', () => {
    // 20 million free rows visited is the rule's threshold; these have at most 30 rows × 1,000 steps.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 3 }), (seed, k) => {
        const { cols, reach, weight } = randomInstance(seed);
        const problem = problemOf(reach, weight, cols);
        const sites = Array.from({ length: Math.min(k, cols) }, (_, j) => j);
        const open = new Set(sites);
        let covered = 0;
        reach.forEach((row, i) => {
          if (row.some((r, j) => r && open.has(j))) covered += weight[i]!;
        });
        const run = coverageLagrangian(problem, k, sites, covered, 60_000);
        expect(['proved', 'stalled', 'step-limit']).toContain(run.stop);
        if (run.stop === 'proved') expect(run.bound).toBeCloseTo(covered, 6);
        if (run.stop === 'step-limit') expect(run.steps).toBe(1000);
        expect(run.bound).toBeGreaterThanOrEqual(optimum(reach, weight, cols, k, []) - 1e-9);
      }),
      { numRuns: 60 },
    );
  });

  it('stops within 0.5 % of the answer once slow, at the step and bound the same steps give', () => {
    let stopped = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const { problem, sites, covered } = largeTown(seed, 60_000, 400, 12);
      const run = coverageLagrangian(problem, 12, sites, covered, 600_000);
      // Any multipliers bound the optimum, up to the rounding of the sums.
      expect(run.bound).toBeGreaterThanOrEqual(covered * (1 - 1e-12));
      if (run.stop !== 'within-tolerance') continue;
      stopped++;
      expect(run.bound - covered).toBeLessThanOrEqual(0.005 * run.bound);
      // The rule only ends the run: as many steps with no rule to stop them give the same bound.
      expect(coverageLagrangian(problem, 12, sites, covered, 600_000, run.steps).bound).toBe(run.bound);
      // More steps could only have tightened it, and they did not close the gap.
      const longer = coverageLagrangian(problem, 12, sites, covered, 600_000, run.steps + 200).bound;
      expect(longer).toBeLessThanOrEqual(run.bound);
    }
    expect(stopped).toBeGreaterThan(0);
  }, 60_000);

  it('measures its gap to an answer found beside it, and goes on without one that never comes', () => {
    const { problem, sites, covered } = largeTown(2, 60_000, 400, 12);
    const plain = coverageLagrangian(problem, 12, sites, covered, 600_000);
    // A swap announced on a thread that then stopped: the bound waits 30 ms, then goes on as if
    // none had been announced, to the same steps and bound.
    const lost = coverageBoundSpace(problem, 12, inlineWorkPool(2), 30);
    swapStarted(lost);
    expect(coverageLagrangian(problem, 12, sites, covered, 600_000, undefined, lost)).toEqual(plain);
    // The swap found nothing better: its answer, once known, stops the bound where `covered` does.
    const found = coverageBoundSpace(problem, 12, inlineWorkPool(2));
    swapStarted(found);
    swapFinished(found, covered);
    expect(coverageLagrangian(problem, 12, sites, covered, 600_000, undefined, found)).toEqual(plain);
    expect(plain.stop).toBe('within-tolerance');
  }, 60_000);
});
