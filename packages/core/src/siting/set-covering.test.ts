// Partial set covering's drop-and-repair search against enumeration: random set systems (not
// geography, so that the sets overlap in every way), every subset of candidates tried by a reference
// that shares no code with the engine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/reference.js';
import type { CostTable } from '../distance/types.js';
import { leastRatioFill, partialCoverDual } from './cover-lagrangian.js';
import { loadHighs, SetCovering, type SitingResult } from './index.js';
import { compileProblem } from './problem.js';

/** A covering instance: which candidates reach each demand point, and the points' weights. */
interface SetSystem {
  readonly reach: number[][];
  readonly weight: Float64Array;
  readonly nCols: number;
  readonly fixed: number[];
  /** District of each candidate (0 or 1). */
  readonly district: number[];
}

function setSystem(seed: number, nRows: number, nCols: number, density: number, fixed: number): SetSystem {
  const random = seededRandom(seed);
  const reach = Array.from({ length: nRows }, () =>
    Array.from({ length: nCols }, (_, j) => j).filter(() => random() < density),
  );
  const weight = Float64Array.from({ length: nRows }, () => 1 + Math.floor(random() * 9));
  const fixedSites = [...new Set(Array.from({ length: fixed }, () => Math.floor(random() * nCols)))];
  const district = Array.from({ length: nCols }, () => (random() < 0.5 ? 0 : 1));
  return { reach, weight, nCols, fixed: fixedSites.sort((a, b) => a - b), district };
}

/** Every pair within reach at a cost below the radius (1), as the models read a table. */
function tableOf(system: SetSystem): CostTable {
  const offsets = new Uint32Array(system.reach.length + 1);
  const targets: number[] = [];
  system.reach.forEach((cols, i) => {
    targets.push(...cols);
    offsets[i + 1] = targets.length;
  });
  return { bound: 1, offsets, targets: Uint32Array.from(targets), costs: new Float64Array(targets.length) };
}

function coveredWeight(system: SetSystem, open: readonly number[]): number {
  let covered = 0;
  system.reach.forEach((cols, i) => {
    if (cols.some((j) => open.includes(j))) covered += system.weight[i]!;
  });
  return covered;
}

/** The weight the requirement asks for: the share of all residents, or all that any site reaches. */
function wanted(system: SetSystem, share: number): number {
  const total = system.weight.reduce((a, b) => a + b, 0);
  const reachable = coveredWeight(
    system,
    Array.from({ length: system.nCols }, (_, j) => j),
  );
  return Math.min(share * total, reachable);
}

function* subsets(items: number[], size: number, from = 0): Generator<number[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let a = from; a <= items.length - size; a++) {
    for (const rest of subsets(items, size - 1, a + 1)) yield [items[a]!, ...rest];
  }
}

/** Fewest new sites whose cover, with the existing ones, meets `meets`, by enumeration. */
function fewest(system: SetSystem, meets: (open: number[]) => boolean): number {
  const eligible = Array.from({ length: system.nCols }, (_, j) => j).filter((j) => !system.fixed.includes(j));
  for (let size = 0; size <= eligible.length; size++) {
    for (const sites of subsets(eligible, size)) if (meets([...system.fixed, ...sites])) return size;
  }
  return Number.POSITIVE_INFINITY;
}

const newSites = (r: SitingResult) => r.sites.map((s) => s.candidate);

const systemArb = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  rows: fc.integer({ min: 4, max: 30 }),
  cols: fc.integer({ min: 3, max: 11 }),
  density: fc.double({ min: 0.1, max: 0.5, noNaN: true }),
  fixed: fc.integer({ min: 0, max: 2 }),
  share: fc.double({ min: 0.3, max: 0.97, noNaN: true }),
});

describe('SetCovering: drop and repair after the greedy (city-wide share)', () => {
  it('meets the share, never beats the optimum nor loses to the greedy alone; the bound stays below the optimum', () => {
    fc.assert(
      fc.property(systemArb, ({ seed, rows, cols, density, fixed, share }) => {
        const system = setSystem(seed, rows, cols, density, fixed);
        const model = SetCovering.fromCostMatrix(tableOf(system), system.weight, {
          targetCount: cols,
          fixed: system.fixed,
          targetShare: share,
        });
        const need = wanted(system, share) * (1 - 1e-12);
        const optimum = fewest(system, (open) => coveredWeight(system, open) >= need);
        // A long time limit, so that the search ends by itself and the answer does not hang on the load.
        const searched = model.solve({ swapTimeMs: 60_000 });
        const greedy = model.solve({ swap: false });
        expect(coveredWeight(system, [...system.fixed, ...newSites(searched)])).toBeGreaterThanOrEqual(need);
        expect(searched.objective).toBe(searched.sites.length);
        expect(searched.objective).toBeGreaterThanOrEqual(optimum);
        expect(searched.objective).toBeLessThanOrEqual(greedy.objective);
        expect(searched.bound).toBeLessThanOrEqual(optimum);
        for (const s of searched.sites) expect(system.fixed).not.toContain(s.candidate);
        if (searched.objective < greedy.objective) expect(searched.solver).toBe('greedy+swap');
      }),
      { numRuns: 150, seed: 16 },
    );
  });

  it('keeps the district minimums while it drops sites', () => {
    fc.assert(
      fc.property(systemArb, ({ seed, rows, cols, density, fixed, share }) => {
        const system = setSystem(seed, rows, cols, density, fixed);
        const minimum = [1, 2];
        const r = SetCovering.fromCostMatrix(tableOf(system), system.weight, {
          targetCount: cols,
          fixed: system.fixed,
          targetShare: share,
          district: system.district,
          minPerDistrict: minimum,
        }).solve({ swapTimeMs: 60_000 });
        const open = [...system.fixed, ...newSites(r)];
        const need = wanted(system, share) * (1 - 1e-12);
        const inDistrict = (d: number) => system.district.filter((label) => label === d).length;
        // Only when the minimums can be met at all is the answer held to them.
        if (r.status !== 'infeasible' && r.status !== 'not-found') {
          expect(coveredWeight(system, open)).toBeGreaterThanOrEqual(need);
          for (const d of [0, 1]) {
            const count = open.filter((j) => system.district[j] === d).length;
            expect(count).toBeGreaterThanOrEqual(Math.min(minimum[d]!, inDistrict(d)));
          }
        }
      }),
      { numRuns: 100, seed: 17 },
    );
  });

  it('finds fewer sites than the greedy on a town where redundancy removal stops early', () => {
    // 600 points, 120 candidates on a grid-like town: the greedy's cover at 90 % keeps sites that a
    // swap or two make unnecessary (seeded; the search ends by itself within its long limit).
    const random = seededRandom(5);
    const points = 600;
    const candidates = 120;
    const px = Array.from({ length: points }, () => random() * 6000);
    const py = Array.from({ length: points }, () => random() * 6000);
    const cx = Array.from({ length: candidates }, () => random() * 6000);
    const cy = Array.from({ length: candidates }, () => random() * 6000);
    const reach = px.map((x, i) =>
      cx.map((_, j) => j).filter((j) => Math.hypot(cx[j]! - x, cy[j]! - py[i]!) <= 500),
    );
    const weight = Float64Array.from({ length: points }, () => 1 + Math.floor(random() * 9));
    const system: SetSystem = { reach, weight, nCols: candidates, fixed: [], district: [] };
    const model = SetCovering.fromCostMatrix(tableOf(system), weight, {
      targetCount: candidates,
      targetShare: 0.9,
    });
    const greedy = model.solve({ swap: false });
    const searched = model.solve({ swapTimeMs: 60_000 });
    expect(searched.objective).toBeLessThan(greedy.objective);
    expect(searched.solver).toBe('greedy+swap');
    expect(coveredWeight(system, newSites(searched))).toBeGreaterThanOrEqual(
      wanted(system, 0.9) * (1 - 1e-12),
    );
  });
});

describe('partial set covering: the Lagrangian dual and its covers', () => {
  const problemOf = (system: SetSystem, cols: number) =>
    compileProblem(
      tableOf(system),
      system.weight,
      { targetCount: cols, fixed: system.fixed },
      { maxCost: 1, keepCosts: false, aggregate: true },
    );

  it('never bounds above the optimum, and its covers meet the share (against enumeration)', () => {
    fc.assert(
      fc.property(systemArb, ({ seed, rows, cols, density, fixed, share }) => {
        const system = setSystem(seed, rows, cols, density, fixed);
        const need = wanted(system, share);
        const optimum = fewest(system, (open) => coveredWeight(system, open) >= need * (1 - 1e-12));
        const problem = problemOf(system, cols);
        const dual = partialCoverDual(problem, need, 1e-9 * problem.population, cols, {
          deadline: Date.now() + 60_000,
          iterations: 3000,
          covers: true,
        });
        expect(dual.bound).toBeLessThanOrEqual(optimum + 1e-9);
        if (dual.sites) {
          expect(new Set(dual.sites).size).toBe(dual.sites.length);
          for (const j of dual.sites) expect(system.fixed).not.toContain(j);
          expect(dual.sites.length).toBeGreaterThanOrEqual(optimum);
          expect(coveredWeight(system, [...system.fixed, ...dual.sites])).toBeGreaterThanOrEqual(
            need - 1e-9 * problem.population,
          );
        }
      }),
      { numRuns: 200, seed: 18 },
    );
  });

  it("never bounds above HiGHS's LP relaxation (the dual it approaches)", async () => {
    const highs = await loadHighs();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const system = setSystem(seed, 60, 14, 0.25, seed % 2);
      const share = 0.8;
      const model = SetCovering.fromCostMatrix(tableOf(system), system.weight, {
        targetCount: 14,
        fixed: system.fixed,
        targetShare: share,
      });
      const lp = model.solve({ highs, exactTimeMs: 0, swap: false, lpBoundLimit: 1e6 });
      const problem = problemOf(system, 14);
      const dual = partialCoverDual(problem, wanted(system, share), 1e-9 * problem.population, 14, {
        deadline: Date.now() + 60_000,
        iterations: 3000,
        covers: false,
      });
      // The LP bound is reported rounded up; the Lagrangian dual cannot pass the LP's optimum.
      if (lp.boundMethod === 'highs-lp') expect(Math.ceil(dual.bound - 1e-6)).toBeLessThanOrEqual(lp.bound);
      expect(dual.bound).toBeLessThanOrEqual(lp.objective);
    }
  });

  it('fills the knapsack relaxation as sorting by u / w would', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            u: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
            w: fc.integer({ min: 1, max: 9 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (items, fraction) => {
          const n = items.length;
          const u = Float64Array.from(items, (item) => item.u);
          const w = Float64Array.from(items, (item) => item.w);
          const total = w.reduce((a, b) => a + b, 0);
          const need = fraction * total;
          const ratio = Float64Array.from(items, (item) => item.u / item.w);
          const y = new Float64Array(n);
          const value = leastRatioFill(
            new Uint32Array(n).map((_, f) => f),
            ratio,
            w,
            u,
            y,
            need,
          );
          // Reference: sort by ratio, take whole rows, the last one in part.
          const sorted = items.map((item) => item).sort((a, b) => a.u / a.w - b.u / b.w);
          let left = need;
          let reference = 0;
          for (const item of sorted) {
            if (left <= 0) break;
            const part = Math.min(1, left / item.w);
            reference += part * item.u;
            left -= part * item.w;
          }
          expect(value).toBeCloseTo(reference, 9);
          let filled = 0;
          for (let f = 0; f < n; f++) {
            expect(y[f]).toBeGreaterThanOrEqual(0);
            expect(y[f]).toBeLessThanOrEqual(1);
            filled += y[f]! * w[f]!;
          }
          expect(filled).toBeCloseTo(need, 9);
        },
      ),
      { numRuns: 300, seed: 19 },
    );
  });

  it('is never larger than drop and repair alone (the search before the dual) when both end by themselves', () => {
    fc.assert(
      fc.property(systemArb, ({ seed, rows, cols, density, fixed, share }) => {
        const system = setSystem(seed, rows, cols, density, fixed);
        const options = { targetCount: cols, fixed: system.fixed, targetShare: share };
        const now = SetCovering.fromCostMatrix(tableOf(system), system.weight, options).solve({
          swapTimeMs: 60_000,
        });
        // Every site costing 1 under a budget no answer reaches: the same problem, but a budget
        // keeps the Lagrangian covers out, so this is drop and repair from the greedy alone.
        const alone = SetCovering.fromCostMatrix(tableOf(system), system.weight, {
          ...options,
          cost: new Float64Array(cols).fill(1),
          budget: 10 * cols,
        }).solve({ swapTimeMs: 60_000 });
        expect(now.objective).toBeLessThanOrEqual(alone.objective);
        expect(now.bound).toBeGreaterThanOrEqual(alone.bound);
      }),
      { numRuns: 150, seed: 20 },
    );
  });
});
