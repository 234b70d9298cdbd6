// The bucket queue against the heap search it stands in for: every node within the bound gets the
// same cost bit for bit and the same label, on random graphs with fractional arc costs (so that the
// order of additions matters) or whole ones (so that costs tie and labels decide), and with any
// number of buckets, including too few for the shortest arc (nodes of one bucket then improve each
// other and are settled again).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedArb, seededRandom } from '../../test/reference.js';
import {
  BucketSearch,
  bucketCountFor,
  bucketWindowFor,
  longestArc,
  MAX_BUCKETS,
  shortestArc,
} from './bucket-search.js';
import { SearchWorkspace } from './search.js';

/** Random arcs in CSR form with costs in [minCost, minCost + spread), fractional or `whole`. */
function randomArcs(
  random: () => number,
  nodes: number,
  arcs: number,
  minCost: number,
  spread: number,
  whole: boolean,
) {
  const from = Array.from({ length: arcs }, () => Math.floor(random() * nodes)).sort((a, b) => a - b);
  const offsets = new Uint32Array(nodes + 1);
  for (const u of from) offsets[u + 1]!++;
  for (let u = 0; u < nodes; u++) offsets[u + 1]! += offsets[u]!;
  const other = Uint32Array.from({ length: arcs }, () => Math.floor(random() * nodes));
  const length = Float64Array.from({ length: arcs }, () => {
    const cost = minCost + random() * spread;
    return whole ? Math.floor(cost) : cost;
  });
  return { offsets, other, length };
}

/**
 * A random graph of 30 to 229 nodes with `arcsPerNode` arcs a node, costs fractional or whole (at
 * least 1), and a heap search and a bucket search over it.
 */
function randomSearch(seed: number, arcsPerNode: number) {
  const random = seededRandom(seed);
  const nodes = 30 + Math.floor(random() * 200);
  const whole = random() < 0.4;
  const minCost = whole ? 1 : random() < 0.3 ? 0.01 : 1 + random() * 5;
  const arcs = randomArcs(random, nodes, nodes * arcsPerNode, minCost, 15, whole);
  return {
    random,
    nodes,
    whole,
    ...arcs,
    heap: new SearchWorkspace(nodes),
    buckets: new BucketSearch(nodes),
  };
}

describe('BucketSearch', () => {
  const seedCounts = fc.integer({ min: 1, max: 8 });
  // 0: as many buckets as the bound needs; 1 to 40: too few, so that nodes settle again in a bucket.
  const bucketCounts = fc.integer({ min: 0, max: 40 });

  it('gives every node within the bound the heap search cost and label, with any number of buckets', () => {
    fc.assert(
      fc.property(seedArb, seedCounts, bucketCounts, (seed, seedCount, fewBuckets) => {
        // Short arcs on some graphs (down to 0.01, more buckets than MAX_BUCKETS would take at the
        // larger bounds); whole costs (at least 1) on others.
        const { random, nodes, whole, offsets, other, length, heap, buckets } = randomSearch(seed, 3);
        // Several searches on one scratch: each must forget the last.
        for (let run = 0; run < 3; run++) {
          const bound = run === 2 ? 0 : 5 + random() * 60;
          const seeds = Array.from({ length: seedCount }, () => [
            Math.floor(random() * nodes),
            whole ? Math.floor(random() * 8) : random() * 8,
          ]);
          heap.reset();
          buckets.reset();
          seeds.forEach(([node, cost], label) => {
            heap.seed(node!, cost!, label);
            buckets.seed(node!, cost!, label);
          });
          const settledByHeap = heap.run(offsets, other, length, bound);
          const needed = bucketCountFor(bound, shortestArc(length));
          const count = fewBuckets > 0 ? fewBuckets : needed;
          if (count === 0) continue;
          buckets.run(offsets, other, length, bound, count);
          let within = 0;
          for (let v = 0; v < nodes; v++) {
            if (heap.cost[v]! <= bound) {
              within++;
              expect([v, buckets.cost[v], buckets.label[v]]).toEqual([v, heap.cost[v], heap.label[v]]);
            } else {
              expect(buckets.cost[v]! > bound).toBe(true);
            }
          }
          expect(within).toBe(settledByHeap);
          // The nodes it lists as touched are exactly those with a cost.
          const touched = new Set(buckets.touched.subarray(0, buckets.touchedCount));
          for (let v = 0; v < nodes; v++)
            expect(touched.has(v)).toBe(buckets.cost[v]! < Number.POSITIVE_INFINITY);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('asks for buckets no wider than the shortest arc, at most MAX_BUCKETS, and for the heap on zero-cost arcs', () => {
    expect(bucketCountFor(1000, 37.9)).toBe(27);
    expect(bucketCountFor(1000, 1000)).toBe(2);
    expect(bucketCountFor(0, 0)).toBe(1);
    expect(bucketCountFor(1000, 0)).toBe(0);
    expect(bucketCountFor(1000, 0.1)).toBe(MAX_BUCKETS);
    expect(bucketCountFor(1000, 0.25)).toBe(4001);
    expect(bucketCountFor(1000, 0.24)).toBe(MAX_BUCKETS);
    expect(bucketCountFor(Number.POSITIVE_INFINITY, 10)).toBe(0);
    expect(bucketCountFor(Number.NaN, 10)).toBe(0);
    expect(shortestArc(Float64Array.from([5, 2.5, 9]))).toBe(2.5);
  });

  it('gives every node the unbounded heap search cost and label on a ring of buckets, however wide', () => {
    fc.assert(
      fc.property(seedArb, seedCounts, fc.integer({ min: 0, max: 6 }), (seed, seedCount, widening) => {
        // One-way arcs (each drawn from one node to another), fractional or whole costs, short ones
        // on some graphs; seeds spread over far more than the ring spans, so that they join the
        // queue as the sweep reaches them, and some on one node at equal cost (labels decide).
        const { random, nodes, whole, offsets, other, length, heap, buckets } = randomSearch(seed, 2);
        const exact = bucketWindowFor(shortestArc(length), longestArc(length))!;
        // 0: the window the arcs need; otherwise buckets up to 2^6 times wider than the shortest arc.
        const width = exact.width * 2 ** widening;
        const window = { width, buckets: Math.ceil(longestArc(length) / width) + 2 };
        for (let run = 0; run < 3; run++) {
          const seeds = Array.from({ length: seedCount }, () => {
            const cost = random() * (random() < 0.5 ? 8 : 300);
            return [Math.floor(random() * nodes), whole ? Math.floor(cost) : cost] as const;
          });
          if (run === 1) seeds.push([seeds[0]![0], seeds[0]![1]]);
          heap.reset();
          buckets.reset();
          seeds.forEach(([node, cost], label) => {
            heap.seed(node, cost, label);
            buckets.seed(node, cost, label);
          });
          const settledByHeap = heap.run(offsets, other, length, Number.POSITIVE_INFINITY);
          buckets.runUnbounded(offsets, other, length, window);
          let reached = 0;
          for (let v = 0; v < nodes; v++) {
            expect([v, buckets.cost[v], buckets.label[v]]).toEqual([v, heap.cost[v], heap.label[v]]);
            if (heap.cost[v]! < Number.POSITIVE_INFINITY) reached++;
          }
          expect(reached).toBe(settledByHeap);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('rings buckets no wider than the shortest arc, at most MAX_BUCKETS of them across the longest, and none on zero-cost arcs', () => {
    const city = bucketWindowFor(37.9, 160)!;
    expect(city.width).toBeLessThan(37.9);
    expect(city.width).toBeGreaterThan(37.89);
    expect(city.buckets).toBe(7);
    const fine = bucketWindowFor(0.01, 2000)!;
    expect(fine.width).toBeCloseTo(2000 / MAX_BUCKETS, 12);
    expect(fine.buckets).toBe(MAX_BUCKETS + 2);
    expect(bucketWindowFor(0, 100)).toBeNull();
    expect(bucketWindowFor(1, Number.POSITIVE_INFINITY)).toBeNull();
    expect(longestArc(Float64Array.from([5, 2.5, 9]))).toBe(9);
    expect(longestArc(new Float64Array(0))).toBe(0);
  });
});
