import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cityPoints, plainFields, referenceHaversine, seedArb, seededRandom } from '../../test/reference.js';
import { CELL_COUNT_KERNEL, demandCells, planCellCount } from '../distance/cell-counts.js';
import { GREAT_CIRCLE_SCAN_KERNEL, GreatCircleSource } from '../distance/great-circle.js';
import { NETWORK_REACH_KERNEL } from '../distance/network-nearest.js';
import { NetworkSource } from '../distance/network-source.js';
import type { Reach } from '../distance/types.js';
import { coordsBBox, METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { RoadGraph, sharedGraphBuffer } from '../network/graph.js';
import { snapToNetwork } from '../network/snap.js';
import { walkerGraph } from '../network/terrain.js';
import { WalkerSet } from '../network/walkers.js';
import { poolArena } from './arena.js';
import { inlineWorkPool, runKernel } from './kernels.js';
import { balancedRanges, evenRanges, guidedRanges, type KernelRange, type WorkPool } from './pool.js';

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
  return plainFields(reach, ['bound', 'nearestCost', 'nearestIndex', 'withinCount', 'ownerWithinCount']);
}

// A random instance's size, the threads to split over and the bound, up to the given maxima.
function splitCase(max: {
  origins: number;
  targets: number;
  owners: number;
  threads: number;
  bounds: number[];
}) {
  return fc.record({
    seed: seedArb,
    nOrigins: fc.integer({ min: 0, max: max.origins }),
    nTargets: fc.integer({ min: 0, max: max.targets }),
    owners: fc.integer({ min: 1, max: max.owners }),
    threads: fc.integer({ min: 2, max: max.threads }),
    bound: fc.constantFrom(...max.bounds),
  });
}

// A pool that runs the ranges in reverse and records them: the merged answer must not depend on
// the order ranges finish in, and the ranges must cover the work exactly once. `kernels` gets the
// name of each run's kernel, beside its ranges in `seen`.
function reversingPool(threads: number, seen: KernelRange[][], kernels: string[] = []): WorkPool {
  return {
    threads,
    run: <Part>(name: string, input: object, ranges: readonly KernelRange[]) => {
      seen.push([...ranges]);
      kernels.push(name);
      const parts = new Array<Part>(ranges.length);
      for (let k = ranges.length - 1; k >= 0; k--) parts[k] = runKernel(name, input, ...ranges[k]!) as Part;
      return parts;
    },
  };
}

// A pool that runs its ranges as `threads` threads would: each simulated thread gets its own copy of
// the input (as a worker receives it: arrays on shared memory stay shared, the rest are copied) and
// takes every `threads`-th range, the threads one after another, last first. Whatever a kernel keeps
// per thread (the network counts' tallies) must add up to the single-threaded answer.
function threadedPool(threads: number, seen: KernelRange[][]): WorkPool {
  return {
    threads,
    run: <Part>(name: string, input: object, ranges: readonly KernelRange[]) => {
      seen.push([...ranges]);
      const parts = new Array<Part>(ranges.length);
      for (let t = threads - 1; t >= 0; t--) {
        const copy = t === 0 ? input : structuredClone(input);
        for (let k = t; k < ranges.length; k += threads)
          parts[k] = runKernel(name, copy, ...ranges[k]!) as Part;
      }
      return parts;
    },
  };
}

describe('great-circle searches split over a work pool', () => {
  it('gives every origin and owner the figures of the single-threaded run, and the same cost table', () => {
    fc.assert(
      fc.property(
        splitCase({ origins: 400, targets: 60, owners: 40, threads: 6, bounds: [-1, 0, 150, 600, 2_000] }),
        fc.constantFrom(0.005, 0.03, 0.2),
        ({ seed, nOrigins, nTargets, owners, threads, bound }, spread) => {
          const { origins, targets } = instance(seed, nOrigins, nTargets, owners, spread);
          // The single-threaded reference counts in the origin groups' scan, the split run by
          // demand cells from the targets' side: the two kernels must agree too.
          const single = new GreatCircleSource(origins, { countKernel: 'groups' });
          const seen: KernelRange[][] = [];
          const kernels: string[] = [];
          const split = new GreatCircleSource(origins, {
            pool: reversingPool(threads, seen, kernels),
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
          // The nearest search alone (beside the cell counts) runs over groups of any owner.
          const anyOwner = { ...origins, owner: new Uint32Array(nOrigins), ownerCount: 1 };
          const groupCounts = [single.groupCount, new GreatCircleSource(anyOwner).groupCount];
          seen.forEach((ranges, run) => {
            // Contiguous, non-empty, covering every group (or, for the cell counts, target) once.
            const items = kernels[run] === CELL_COUNT_KERNEL ? [nTargets] : groupCounts;
            expect(ranges[0]![0]).toBe(0);
            expect(items).toContain(ranges.at(-1)![1]);
            for (let k = 1; k < ranges.length; k++) expect(ranges[k]![0]).toBe(ranges[k - 1]![1]);
            for (const [from, to] of ranges) expect(to).toBeGreaterThan(from);
          });
          // At bound 0 (a nearest search) the groups' scan counts the targets on a point itself.
          if (nOrigins > 0 && nTargets > 0 && bound > 0) expect(kernels).toContain(CELL_COUNT_KERNEL);
          if (bound <= 0) expect(kernels).not.toContain(CELL_COUNT_KERNEL);
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

  it('hands each reach its own arrays: a later search on the same pool leaves an earlier result as it was', () => {
    // The searches' outputs and scratch are on the pool's arena, reused from one search to the next;
    // what a caller keeps must be a copy no later search writes into.
    const { origins, targets } = instance(11, 3_000, 120, 30, 0.03);
    const pool = threadedPool(2, []);
    const split = new GreatCircleSource(origins, { pool, minOriginsToSplit: 0 });
    const groups = new GreatCircleSource(origins, { pool, minOriginsToSplit: 0, countKernel: 'groups' });
    const single = new GreatCircleSource(origins);
    const searches = [
      [split, targets, 400],
      [split, targets.subarray(0, 80), 400],
      [groups, targets, 1_500],
      [split, targets.subarray(40), 0],
      [split, targets, 250],
    ] as const;
    const kept = searches.map(([source, coords, bound]) => {
      const reach = source.reach({ coords }, bound);
      return { reach, copy: plain(reach), expected: plain(single.reach({ coords }, bound)) };
    });
    for (const { reach, copy, expected } of kept) {
      expect(plain(reach)).toEqual(copy);
      expect(copy).toEqual(expected);
      for (const array of [
        reach.nearestCost,
        reach.nearestIndex,
        reach.withinCount,
        reach.ownerWithinCount,
      ]) {
        expect(array.buffer).not.toBeInstanceOf(SharedArrayBuffer);
      }
    }
    // The scratch came back to the arena and was reused by the later searches.
    expect(poolArena(pool)!.counts.reused).toBeGreaterThan(0);
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
    const kernels: string[] = [];
    new GreatCircleSource(origins, { pool: reversingPool(2, seen, kernels), minOriginsToSplit: 300 }).reach(
      { coords: targets },
      300,
    );
    // The nearest over origin groups, then the counts over targets.
    expect(kernels).toEqual([GREAT_CIRCLE_SCAN_KERNEL, CELL_COUNT_KERNEL]);
  });
});

// A street grid of `side` × `side` blocks 80 m apart, some links missing, some one-way.
function streetGrid(seed: number, side: number) {
  const random = seededRandom(seed);
  const at = (x: number, y: number) => [
    106.66 + x / metresPerDegreeLon(35.54),
    35.54 + y / METRES_PER_DEGREE,
  ];
  const features = [];
  for (let i = 0; i <= side; i++) {
    for (let j = 0; j <= side; j++) {
      for (const [di, dj] of [
        [1, 0],
        [0, 1],
      ] as const) {
        if (i + di > side || j + dj > side || random() < 0.15) continue;
        features.push({
          type: 'Feature' as const,
          properties: { highway: 'residential', ...(random() < 0.2 ? { oneway: 'yes' } : {}) },
          geometry: {
            type: 'LineString' as const,
            coordinates: [at(80 * i, 80 * j), at(80 * (i + di), 80 * (j + dj))],
          },
        });
      }
    }
  }
  return RoadGraph.fromGeoJSON({ type: 'FeatureCollection', features }).graph;
}

// A random instance moved from the street grid's corner onto the grid.
function instanceOnGrid(seed: number, origins: number, targets: number, owners: number) {
  const placed = instance(seed, origins, targets, owners, 0.008);
  for (const coords of [placed.origins.coords, placed.targets]) {
    for (let i = 0; i < coords.length; i += 2) {
      coords[i]! += 0.004;
      coords[i + 1]! += 0.003;
    }
  }
  return placed;
}

describe('network counts split over a work pool', () => {
  it('gives every origin and owner the counts and pairs of the single-threaded run', () => {
    let reached = 0;
    fc.assert(
      fc.property(
        splitCase({ origins: 300, targets: 40, owners: 20, threads: 5, bounds: [-1, 0, 120, 400, 2_000] }),
        ({ seed, nOrigins, nTargets, owners, threads, bound }) => {
          const graph = streetGrid(seed, 8);
          const { origins, targets } = instanceOnGrid(seed, nOrigins, nTargets, owners);
          const single = new NetworkSource(graph, origins);
          const seen: KernelRange[][] = [];
          const split = new NetworkSource(graph, origins, { pool: reversingPool(threads, seen) });
          const reach = split.reach({ coords: targets }, bound);
          expect(plain(reach)).toEqual(plain(single.reach({ coords: targets }, bound)));
          const table = split.within({ coords: targets }, Math.max(bound, 0));
          const expected = single.within({ coords: targets }, Math.max(bound, 0));
          expect([table.offsets, table.targets, table.costs].map((a) => Array.from(a))).toEqual(
            [expected.offsets, expected.targets, expected.costs].map((a) => Array.from(a)),
          );
          if (nTargets >= threads && bound >= 0) expect(seen.length).toBeGreaterThan(0);
          reached += reach.withinCount.reduce((n, c) => n + c, 0);
          // Each simulated thread adds its ranges into a tally of its own.
          const threaded = new NetworkSource(graph, origins, { pool: threadedPool(threads, []) });
          expect(plain(threaded.reach({ coords: targets }, bound))).toEqual(plain(reach));
          const threadedTable = threaded.within({ coords: targets }, Math.max(bound, 0));
          expect(
            [threadedTable.offsets, threadedTable.targets, threadedTable.costs].map((a) => Array.from(a)),
          ).toEqual([expected.offsets, expected.targets, expected.costs].map((a) => Array.from(a)));
        },
      ),
      { numRuns: 60 },
    );
    // The instances land on the streets: most runs count something.
    expect(reached).toBeGreaterThan(1000);
  });
});

describe('network owner counts split over a work pool, many owners', () => {
  it('gives every owner the single-threaded count when owners span many words of ranks', () => {
    fc.assert(
      fc.property(
        splitCase({ origins: 400, targets: 30, owners: 250, threads: 3, bounds: [120, 400, 2_000] }),
        ({ seed, nOrigins, nTargets, owners, threads, bound }) => {
          const graph = streetGrid(seed, 8);
          const { origins, targets } = instanceOnGrid(seed, nOrigins, nTargets, owners);
          const single = new NetworkSource(graph, origins).reach({ coords: targets }, bound);
          const split = new NetworkSource(graph, origins, { pool: reversingPool(threads, []) });
          expect(plain(split.reach({ coords: targets }, bound))).toEqual(plain(single));
          const threaded = new NetworkSource(graph, origins, { pool: threadedPool(threads, []) });
          expect(plain(threaded.reach({ coords: targets }, bound))).toEqual(plain(single));
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('a network reach on a pool: the nearest search beside the counts', () => {
  it('gives the single-threaded nearest, walk lengths and counts on a walker’s graph in minutes', () => {
    const graph = walkerGraph(streetGrid(31, 10), new WalkerSet().get('elderly'));
    const { origins, targets } = instanceOnGrid(31, 3_000, 40, 60);
    const seen: KernelRange[][] = [];
    const kernels: string[] = [];
    const split = new NetworkSource(graph, origins, { pool: reversingPool(2, seen, kernels) }).reach(
      { coords: targets },
      8,
    );
    const single = new NetworkSource(graph, origins).reach({ coords: targets }, 8);
    expect(kernels).toEqual([NETWORK_REACH_KERNEL]);
    // The nearest search is one range of its own, past the last target.
    expect(seen[0]![0]).toEqual([40, 41]);
    expect(plain(split)).toEqual(plain(single));
    expect(Array.from(split.nearestLengthM!)).toEqual(Array.from(single.nearestLengthM!));
    expect(single.nearestLengthM!.some((m) => Number.isFinite(m) && m > 0)).toBe(true);
    expect(single.withinCount.some((count) => count > 0)).toBe(true);
  });
});

describe('snapping split over a work pool', () => {
  it('snaps every point where the single-threaded run does, over shared memory', () => {
    const graph = streetGrid(17, 12);
    const random = seededRandom(17);
    // Over the 20,000 points below which snapping stays on the calling thread; some beyond the grid.
    const n = 24_000;
    const coords = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      coords[2 * i] = 106.66 + (random() * 1.2 - 0.1) * (960 / metresPerDegreeLon(35.54));
      coords[2 * i + 1] = 35.54 + (random() * 1.2 - 0.1) * (960 / METRES_PER_DEGREE);
    }
    const seen: KernelRange[][] = [];
    const single = snapToNetwork(graph, coords, { maxSnapM: 60 });
    const split = snapToNetwork(graph, coords, { maxSnapM: 60, pool: reversingPool(3, seen) });
    expect(seen.length).toBe(1);
    expect(seen[0]!.length).toBeGreaterThan(3);
    const fields = ['segment', 'fraction', 'edge', 'alongM', 'offsetM', 'unsnapped'] as const;
    for (const field of fields) expect(Array.from(split[field])).toEqual(Array.from(single[field]));
    expect(single.unsnapped.length).toBeGreaterThan(100);
    expect(split.edge.buffer).toBeInstanceOf(SharedArrayBuffer);
    // The graph goes onto shared memory once, however many searches hand it to a pool.
    expect(sharedGraphBuffer(graph)).toBe(sharedGraphBuffer(graph));
  });

  it('gives a network source on a pool the single-threaded answers, its snapping split too', () => {
    const graph = streetGrid(23, 10);
    const { origins, targets } = instanceOnGrid(23, 21_000, 30, 150);
    const seen: KernelRange[][] = [];
    const split = new NetworkSource(graph, origins, { pool: reversingPool(2, seen) });
    const single = new NetworkSource(graph, origins);
    expect(plain(split.reach({ coords: targets }, 500))).toEqual(
      plain(single.reach({ coords: targets }, 500)),
    );
    // Origins' snapping, then the counts.
    expect(seen.length).toBe(2);
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

  it('evenRanges cuts into equal lengths and never returns an empty range', () => {
    expect(evenRanges(10, 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 10],
    ]);
    expect(evenRanges(2, 4)).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(evenRanges(0, 4)).toEqual([]);
  });

  it('guidedRanges shrinks its ranges as the items run out, down to the smallest size', () => {
    expect(guidedRanges(100, 2, 8)).toEqual([
      [0, 25],
      [25, 44],
      [44, 58],
      [58, 69],
      [69, 77],
      [77, 85],
      [85, 93],
      [93, 100],
    ]);
    expect(guidedRanges(0, 2, 8)).toEqual([]);
    expect(guidedRanges(3, 4, 8)).toEqual([[0, 3]]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 64 }),
        (items, threads, smallest) => {
          const ranges = guidedRanges(items, threads, smallest);
          // In order, back to back, none empty, covering [0, items).
          let next = 0;
          for (const [from, to] of ranges) {
            expect(from).toBe(next);
            expect(to).toBeGreaterThan(from);
            next = to;
          }
          expect(next).toBe(items);
          // Never longer than the one before, and only the last shorter than `smallest`.
          for (let r = 1; r < ranges.length; r++) {
            const [from, to] = ranges[r]!;
            const [before, after] = ranges[r - 1]!;
            expect(to - from).toBeLessThanOrEqual(after - before);
            if (r < ranges.length - 1) expect(to - from).toBeGreaterThanOrEqual(smallest);
          }
          // The first takes a 1 / (2 × threads) share (or `smallest`): no thread starts with most of the job.
          if (items > 0)
            expect(ranges[0]![1]).toBe(Math.min(items, Math.max(smallest, Math.ceil(items / (2 * threads)))));
        },
      ),
    );
  });
});

describe('the cell counts’ plan of ranges and bands', () => {
  it('gives each range a band of demand cells holding every point its targets reach, slices apart', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom(0, 50, 300, 1_000),
        fc.constantFrom(10, 50, 100),
        fc.integer({ min: 1, max: 12 }),
        (seed, nOrigins, nTargets, bound, side, parts) => {
          // Targets spread wider than the demand: some boxes miss the grid, or reach only its edge.
          const { origins } = instance(seed, nOrigins, 0, 5, 0.01);
          const targets = cityPoints(seededRandom(seed + 1), nTargets, [106.66, 35.54], 0.03);
          const bbox = coordsBBox(origins.coords);
          const cells = demandCells(origins, bbox, side, undefined);
          const lats = [...bbox.filter((_, i) => i % 2 === 1)];
          for (let k = 0; k < nTargets; k++) lats.push(targets[2 * k + 1]!);
          const metresPerLon = metresPerDegreeLon(Math.max(...lats.map(Math.abs)));
          const plan = planCellCount(cells, targets, bound, metresPerLon, parts);
          // Contiguous, non-empty ranges over every target.
          if (nTargets === 0) expect(plan.ranges).toEqual([]);
          else {
            expect(plan.ranges[0]![0]).toBe(0);
            expect(plan.ranges.at(-1)![1]).toBe(nTargets);
            plan.ranges.forEach(([from, to], r) => {
              expect(to).toBeGreaterThan(from);
              if (r > 0) expect(from).toBe(plan.ranges[r - 1]![1]);
            });
          }
          // Every demand point within the bound of a target (brute force) lies in its range's band.
          const cellOfPosition = new Uint32Array(nOrigins);
          for (let c = 0; c < cells.cols * cells.rows; c++) {
            for (let q = cells.cellStart[c]!; q < cells.cellStart[c + 1]!; q++) cellOfPosition[q] = c;
          }
          plan.ranges.forEach(([from, to], r) => {
            for (let k = from; k < to; k++) {
              for (let q = 0; q < nOrigins; q++) {
                const i = cells.order[q]!;
                const d = referenceHaversine(
                  targets[2 * k]!,
                  targets[2 * k + 1]!,
                  origins.coords[2 * i]!,
                  origins.coords[2 * i + 1]!,
                );
                if (d > bound * (1 - 1e-6)) continue;
                expect(cellOfPosition[q]).toBeGreaterThanOrEqual(plan.bandFirstCell[r]!);
                expect(cellOfPosition[q]).toBeLessThan(plan.bandEndCell[r]!);
              }
            }
          });
          // Slices follow each other, each as long as its band.
          let cellSlots = 0;
          let pointSlots = 0;
          plan.ranges.forEach((_, r) => {
            expect(plan.cellOffset[r]).toBe(cellSlots);
            expect(plan.pointOffset[r]).toBe(pointSlots);
            cellSlots += plan.bandEndCell[r]! - plan.bandFirstCell[r]!;
            pointSlots += cells.cellStart[plan.bandEndCell[r]!]! - cells.cellStart[plan.bandFirstCell[r]!]!;
          });
          expect([plan.cellSlots, plan.pointSlots]).toEqual([cellSlots, pointSlots]);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('cuts by the estimated cost of each target, not by their number', () => {
    // 1,000 demand points in one dense spot; 50 targets on it and 150 far from any demand.
    const origins = instance(3, 1_000, 0, 5, 0.002).origins;
    const cells = demandCells(origins, coordsBBox(origins.coords), 50, undefined);
    const targets = new Float64Array(400);
    for (let k = 0; k < 200; k++) {
      targets[2 * k] = k < 50 ? 106.66 : 107.5 + k * 1e-3;
      targets[2 * k + 1] = 35.54;
    }
    const plan = planCellCount(cells, targets, 300, metresPerDegreeLon(35.6), 4);
    // The 50 dense targets alone weigh more than the rest: they are cut into most of the ranges.
    const denseRanges = plan.ranges.filter(([from]) => from < 50).length;
    expect(denseRanges).toBeGreaterThanOrEqual(3);
  });
});
