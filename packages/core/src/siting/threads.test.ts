import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainFields, seedArb, seededRandom } from '../../test/reference.js';
import { GreatCircleSource } from '../distance/great-circle.js';
import { METRES_PER_DEGREE } from '../geodesy/index.js';
import { poolArena } from '../parallel/arena.js';
import { runKernel } from '../parallel/kernels.js';
import type { KernelRange, WorkPool } from '../parallel/pool.js';
import { MaximalCovering } from './maximal-covering.js';
import { compileProblem, type Problem } from './problem.js';

// MCLP on a pool (rows merged by ranges of owners, columns built by ranges of rows, the swap and the
// bound side by side) against one thread, on seeded towns: the same compiled problem, array for
// array, and the same sites and covered population.

// A pool that runs the ranges last to first, as threads may finish them, and records the kernels.
function reversingPool(threads: number, kernels: string[]): WorkPool {
  return {
    threads,
    run: <Part>(name: string, input: object, ranges: readonly KernelRange[]) => {
      kernels.push(name);
      const parts = new Array<Part>(ranges.length);
      for (let k = ranges.length - 1; k >= 0; k--) parts[k] = runKernel(name, input, ...ranges[k]!) as Part;
      return parts;
    },
  };
}

/**
 * Communities of a few points within some 60 m of their centre (so that points repeat candidate
 * sets and merge), some of weight 0, owners in runs or shuffled; candidates on a grid, numbered row
 * by row or in a shuffled order (then the order the scan meets them in is not the targets' order).
 */
function town(
  seed: number,
  communities: number,
  grid: number,
  shuffled: boolean,
  sitesShuffled = false,
  lon0 = 106.66,
) {
  const random = seededRandom(seed);
  const lat0 = 35.54;
  const spanM = 2_500;
  // Longitudes past 180° wrap to −180°: a town at lon0 = 179.99 straddles the antimeridian.
  const toLon = (m: number) => {
    const lon = lon0 + m / (METRES_PER_DEGREE * Math.cos((lat0 * Math.PI) / 180));
    return lon > 180 ? lon - 360 : lon;
  };
  const toLat = (m: number) => lat0 + m / METRES_PER_DEGREE;
  const points: { lon: number; lat: number; owner: number; weight: number }[] = [];
  for (let c = 0; c < communities; c++) {
    const x = random() * spanM;
    const y = random() * spanM;
    const size = 1 + Math.floor(random() * 12);
    for (let p = 0; p < size; p++) {
      points.push({
        lon: toLon(x + (random() - 0.5) * 120),
        lat: toLat(y + (random() - 0.5) * 120),
        owner: c,
        weight: random() < 0.1 ? 0 : 1 + Math.floor(random() * 9),
      });
    }
  }
  if (shuffled) {
    for (let i = points.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [points[i], points[j]] = [points[j]!, points[i]!];
    }
  }
  const n = points.length;
  const coords = new Float64Array(2 * n);
  const owner = new Uint32Array(n);
  const weight = new Float64Array(n);
  points.forEach((p, i) => {
    coords[2 * i] = p.lon;
    coords[2 * i + 1] = p.lat;
    owner[i] = p.owner;
    weight[i] = p.weight;
  });
  const number = Array.from({ length: grid * grid }, (_, j) => j);
  if (sitesShuffled) {
    for (let j = number.length - 1; j > 0; j--) {
      const l = Math.floor(random() * (j + 1));
      [number[j], number[l]] = [number[l]!, number[j]!];
    }
  }
  const sites = new Float64Array(2 * grid * grid);
  for (let r = 0; r < grid; r++) {
    for (let c = 0; c < grid; c++) {
      const j = number[r * grid + c]!;
      sites[2 * j] = toLon(((c + 0.5) * spanM) / grid);
      sites[2 * j + 1] = toLat(((r + 0.5) * spanM) / grid);
    }
  }
  return { demand: { coords, owner, ownerCount: communities, weight }, sites };
}

// Plain arrays, so that toEqual compares values and not the buffers they sit on.
function arrays(problem: Problem) {
  return plainFields(problem, PROBLEM_FIELDS);
}
// A model's compiled problem, as plain arrays (the field is protected: a test reads it by index).
function problemArrays(model: MaximalCovering) {
  // biome-ignore lint/complexity/useLiteralKeys: `problem` is protected; the bracket is how a test reaches it.
  return arrays(model['problem']);
}
const PROBLEM_FIELDS = [
  'nRows',
  'rowStart',
  'rowCol',
  'weight',
  'rowOwner',
  'colStart',
  'colRow',
  'status',
  'population',
] as const;

const townArb = fc.record({
  seed: seedArb,
  communities: fc.integer({ min: 1, max: 120 }),
  grid: fc.integer({ min: 2, max: 9 }),
  shuffled: fc.boolean(),
  sitesShuffled: fc.boolean(),
  threads: fc.integer({ min: 2, max: 5 }),
  radius: fc.constantFrom(200, 400, 700),
  k: fc.integer({ min: 1, max: 6 }),
});

// Whether each owner's points are one contiguous run (in any order of owners): then the rows merge
// on the pool by ranges of whole owners.
function eachOwnerOneRun(owner: Uint32Array): boolean {
  const runStarts = owner.filter((o, i) => i === 0 || o !== owner[i - 1]!);
  return new Set(runStarts).size === runStarts.length;
}

describe('MCLP on a work pool', () => {
  it('compiles the same problem as one thread, array for array', () => {
    fc.assert(
      fc.property(townArb, ({ seed, communities, grid, shuffled, threads, radius }) => {
        const { demand, sites } = town(seed, communities, grid, shuffled);
        const table = new GreatCircleSource(demand).within({ coords: sites }, radius);
        const excluded = [0];
        const fixed = [grid * grid - 1];
        const options = {
          targetCount: grid * grid,
          fixed,
          excluded,
          owner: demand.owner,
          ownerCount: demand.ownerCount,
        };
        const spec = { maxCost: radius, keepCosts: false, aggregate: true } as const;
        const kernels: string[] = [];
        const pool = reversingPool(threads, kernels);
        const single = compileProblem(table, demand.weight, options, spec);
        const split = compileProblem(table, demand.weight, options, { ...spec, pool });
        expect(arrays(split)).toEqual(arrays(single));
        // A smaller radius than the table's bound reads the costs.
        const near = compileProblem(table, demand.weight, options, { ...spec, maxCost: radius / 2, pool });
        expect(arrays(near)).toEqual(
          arrays(compileProblem(table, demand.weight, options, { ...spec, maxCost: radius / 2 })),
        );
        // Owners in runs split the merging; owners split apart merge on one thread, as they must
        // (a shuffle of few points may leave every owner one run).
        if (!eachOwnerOneRun(demand.owner)) expect(kernels).not.toContain('siting-aggregate-rows');
        if (single.nRows >= 50) {
          if (!shuffled) expect(kernels).toContain('siting-aggregate-rows');
          expect(kernels).toContain('siting-transpose-scatter');
        }
      }),
      { numRuns: 60 },
    );
  });

  it('compiles the same problem straight from a great-circle source on a pool (rows merged in the scan)', () => {
    fc.assert(
      // Batches of a few pairs: a range hands its rows on in several batches, as at full size. A
      // town across the antimeridian takes the scan's other path: the grid cannot see across ±180°,
      // so each group scans every target.
      fc.property(
        townArb,
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        ({ seed, communities, grid, shuffled, sitesShuffled, threads, radius, k }, batchEntries, across) => {
          const lon0 = across ? 179.99 : undefined;
          const { demand, sites } = town(seed, communities, grid, shuffled, sitesShuffled, lon0);
          const targets = { coords: sites };
          const options = { k: Math.min(k, grid * grid - 2), fixed: [grid * grid - 1], excluded: [0] };
          const single = MaximalCovering.fromCostMatrix(
            new GreatCircleSource(demand).within(targets, radius),
            demand.weight,
            { ...options, targetCount: grid * grid, owner: demand.owner, ownerCount: demand.ownerCount },
          );
          const kernels: string[] = [];
          const pool = reversingPool(threads, kernels);
          const source = new GreatCircleSource(demand, { pool, minOriginsToSplit: 1, batchEntries });
          const fused = MaximalCovering.fromSource(source, demand, targets, { ...options, radius, pool });
          expect(problemArrays(fused)).toEqual(problemArrays(single));
          // Owners in ascending runs merge in the scan; others go through the table, merged on the
          // pool when each owner is one contiguous run (ranges cut between owners), else on one thread.
          const ascending = demand.owner.every((o, i) => i === 0 || o >= demand.owner[i - 1]!);
          // (the source's scan kernel, which runs the merge, `siting-coverage-rows`, on each range)
          expect(kernels.includes('great-circle-scan-then')).toBe(ascending);
          if (ascending || !eachOwnerOneRun(demand.owner))
            expect(kernels).not.toContain('siting-aggregate-rows');
          const solve = { exact: false, boundTimeMs: 20 } as const;
          const a = fused.solve(solve);
          const b = single.solve(solve);
          expect(a.sites.map((s) => s.candidate)).toEqual(b.sites.map((s) => s.candidate));
          expect(a.objective).toBe(b.objective);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives the scan’s scratch back to the pool’s arena, and a later model leaves an earlier one as it was', () => {
    fc.assert(
      fc.property(townArb, fc.integer({ min: 1, max: 1_000_000 }), (town1, seed2) => {
        const { seed, communities, grid, threads, radius } = town1;
        const pool = reversingPool(threads, []);
        const build = (s: number) => {
          const { demand, sites } = town(s, communities, grid, false);
          const source = new GreatCircleSource(demand, { pool, minOriginsToSplit: 1 });
          return MaximalCovering.fromSource(source, demand, { coords: sites }, { k: 1, radius, pool });
        };
        const first = build(seed);
        const before = structuredClone(problemArrays(first));
        const arena = poolArena(pool)!;
        const { created } = arena.counts;
        // The same town again: every scratch array of the scan comes from what the first gave back.
        build(seed);
        expect(arena.counts.created).toBe(created);
        build(seed2);
        expect(problemArrays(first)).toEqual(before);
      }),
      { numRuns: 30 },
    );
  });

  it('chooses the same sites with the same covered population as one thread', () => {
    fc.assert(
      fc.property(townArb, ({ seed, communities, grid, shuffled, threads, radius, k }) => {
        const { demand, sites } = town(seed, communities, grid, shuffled);
        const table = new GreatCircleSource(demand).within({ coords: sites }, radius);
        const options = {
          k,
          targetCount: grid * grid,
          fixed: [0],
          owner: demand.owner,
          ownerCount: demand.ownerCount,
        };
        const kernels: string[] = [];
        const pool = reversingPool(threads, kernels);
        const solve = { exact: false, boundTimeMs: 20 } as const;
        const single = MaximalCovering.fromCostMatrix(table, demand.weight, options).solve(solve);
        const split = MaximalCovering.fromCostMatrix(table, demand.weight, { ...options, pool }).solve(solve);
        expect(split.sites.map((s) => s.candidate)).toEqual(single.sites.map((s) => s.candidate));
        expect(split.objective).toBe(single.objective);
        expect(split.solver).toBe(single.solver);
        // Any multipliers give a valid bound: never below the answer.
        expect(split.bound).toBeGreaterThanOrEqual(split.objective);
      }),
      { numRuns: 40 },
    );
  });

  it('runs the swap and the bound side by side when there is something to improve', () => {
    const { demand, sites } = town(7, 150, 10, false);
    const table = new GreatCircleSource(demand).within({ coords: sites }, 400);
    const kernels: string[] = [];
    const options = { k: 6, owner: demand.owner, ownerCount: demand.ownerCount };
    const model = MaximalCovering.fromCostMatrix(table, demand.weight, {
      ...options,
      pool: reversingPool(2, kernels),
    });
    const split = model.solve({ exact: false, boundTimeMs: 50 });
    const single = MaximalCovering.fromCostMatrix(table, demand.weight, options).solve({
      exact: false,
      boundTimeMs: 50,
    });
    expect(kernels).toContain('siting-coverage-improve');
    expect(split.solver).toBe('greedy+swap');
    expect(split.boundMethod).toBe('lagrangian');
    expect(split.sites.map((s) => s.candidate)).toEqual(single.sites.map((s) => s.candidate));
    expect(split.objective).toBe(single.objective);
  });
});
