import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cityPoints, seededRandom } from '../../test/reference.js';
import { GreatCircleSource } from '../distance/great-circle.js';
import type { Reach } from '../distance/types.js';
import { inlineWorkPool, runKernel } from './kernels.js';
import { balancedRanges, type KernelRange, type WorkPool } from './pool.js';

function instance(seed: number, origins: number, targets: number, owners: number, spreadDeg: number) {
  const random = seededRandom(seed);
  const coords = cityPoints(random, origins, [106.66, 35.54], spreadDeg);
  const owner = new Uint32Array(origins);
  for (let i = 0; i < origins; i++) owner[i] = Math.floor(random() * owners);
  return {
    origins: { coords, owner, ownerCount: owners },
    targets: cityPoints(random, targets, [106.66, 35.54], spreadDeg),
  };
}

// Plain arrays, so that toEqual compares values and not the buffers they sit on.
function plain(reach: Reach) {
  return {
    bound: reach.bound,
    nearestCost: Array.from(reach.nearestCost),
    nearestIndex: Array.from(reach.nearestIndex),
    withinCount: Array.from(reach.withinCount),
    ownerWithinCount: Array.from(reach.ownerWithinCount),
  };
}

// A pool that runs the ranges in reverse and records them: the merged answer must not depend on
// the order ranges finish in, and the ranges must cover the work exactly once.
function reversingPool(threads: number, seen: KernelRange[][]): WorkPool {
  return {
    threads,
    run: <Part>(name: string, input: object, ranges: readonly KernelRange[]) => {
      seen.push([...ranges]);
      const parts = new Array<Part>(ranges.length);
      for (let k = ranges.length - 1; k >= 0; k--) parts[k] = runKernel(name, input, ...ranges[k]!) as Part;
      return parts;
    },
  };
}

describe('great-circle searches split over a work pool', () => {
  it('gives every origin and owner the figures of the single-threaded run, and the same cost table', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 2, max: 6 }),
        fc.constantFrom(-1, 0, 150, 600, 2_000),
        fc.constantFrom(0.005, 0.03, 0.2),
        (seed, nOrigins, nTargets, owners, threads, bound, spread) => {
          const { origins, targets } = instance(seed, nOrigins, nTargets, owners, spread);
          const single = new GreatCircleSource(origins);
          const seen: KernelRange[][] = [];
          const split = new GreatCircleSource(origins, {
            pool: reversingPool(threads, seen),
            minOriginsToSplit: 0,
          });
          expect(plain(split.reach({ coords: targets }, bound))).toEqual(
            plain(single.reach({ coords: targets }, bound)),
          );
          const table = split.within({ coords: targets }, Math.max(bound, 0));
          const expected = single.within({ coords: targets }, Math.max(bound, 0));
          expect(Array.from(table.offsets)).toEqual(Array.from(expected.offsets));
          expect(Array.from(table.targets)).toEqual(Array.from(expected.targets));
          expect(Array.from(table.costs)).toEqual(Array.from(expected.costs));
          for (const ranges of seen) {
            // Contiguous, non-empty, covering every group once.
            expect(ranges[0]![0]).toBe(0);
            expect(ranges.at(-1)![1]).toBe(single.groupCount);
            for (let k = 1; k < ranges.length; k++) expect(ranges[k]![0]).toBe(ranges[k - 1]![1]);
            for (const [from, to] of ranges) expect(to).toBeGreaterThan(from);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('cuts a city of many owners into several ranges, and counts each owner’s distinct targets once', () => {
    // Few owners with many points each, close together: an owner cut in two would count the
    // targets both halves reach twice in ownerWithinCount.
    const { origins, targets } = instance(7, 5_000, 200, 12, 0.02);
    const seen: KernelRange[][] = [];
    const split = new GreatCircleSource(origins, { pool: reversingPool(2, seen), minOriginsToSplit: 0 });
    const reach = split.reach({ coords: targets }, 800);
    expect(seen[0]!.length).toBeGreaterThan(4);
    expect(Array.from(reach.ownerWithinCount)).toEqual(
      Array.from(new GreatCircleSource(origins).reach({ coords: targets }, 800).ownerWithinCount),
    );
  });

  it('runs in place with a one-thread pool, without asking it to run anything', () => {
    const { origins, targets } = instance(3, 200, 20, 10, 0.02);
    const seen: KernelRange[][] = [];
    const source = new GreatCircleSource(origins, { pool: reversingPool(1, seen), minOriginsToSplit: 0 });
    expect(plain(source.reach({ coords: targets }, 300))).toEqual(
      plain(
        new GreatCircleSource(origins, { pool: inlineWorkPool(3), minOriginsToSplit: 0 }).reach(
          { coords: targets },
          300,
        ),
      ),
    );
    expect(seen).toEqual([]);
  });

  it('runs a search of fewer origins than minOriginsToSplit in place', () => {
    const { origins, targets } = instance(5, 300, 20, 10, 0.02);
    const seen: KernelRange[][] = [];
    new GreatCircleSource(origins, { pool: reversingPool(2, seen), minOriginsToSplit: 301 }).reach(
      { coords: targets },
      300,
    );
    expect(seen).toEqual([]);
    new GreatCircleSource(origins, { pool: reversingPool(2, seen), minOriginsToSplit: 300 }).reach(
      { coords: targets },
      300,
    );
    expect(seen.length).toBe(1);
  });
});

describe('balancedRanges', () => {
  it('cuts by weight, only where allowed', () => {
    // Items weigh 1, 1, 1, 1, 10, 1, 1, 1: item 4 alone holds most of the weight.
    const start = [0, 1, 2, 3, 4, 14, 15, 16, 17];
    expect(balancedRanges(start, 2)).toEqual([
      [0, 5],
      [5, 8],
    ]);
    expect(balancedRanges(start, 2, (i) => i !== 5)).toEqual([
      [0, 6],
      [6, 8],
    ]);
    expect(balancedRanges(start, 1)).toEqual([[0, 8]]);
    expect(balancedRanges([0], 4)).toEqual([]);
  });
});
