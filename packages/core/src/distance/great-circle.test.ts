import { describe, expect, it } from 'vitest';
import { bruteReach, cityPoints, seededRandom } from '../../test/reference.js';
import { GreatCircleSource } from './great-circle.js';

const PINGLIANG: [number, number] = [106.66, 35.54];

function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
}

function randomCase(seed: number, nOrigins: number, nTargets: number, owners: number, spreadDeg: number) {
  const random = seededRandom(seed);
  const coords = cityPoints(random, nOrigins, PINGLIANG, spreadDeg);
  const owner = new Uint32Array(nOrigins);
  for (let i = 0; i < nOrigins; i++) owner[i] = Math.floor(random() * owners);
  const targets = cityPoints(random, nTargets, PINGLIANG, spreadDeg);
  return { origins: { coords, owner, ownerCount: owners }, targets };
}

describe('GreatCircleSource against brute-force haversine', () => {
  const cases = [
    { seed: 1, nOrigins: 2000, nTargets: 150, owners: 40, spread: 0.08, bound: 300 },
    { seed: 2, nOrigins: 1500, nTargets: 30, owners: 10, spread: 0.2, bound: 1000 },
    { seed: 3, nOrigins: 800, nTargets: 2, owners: 800, spread: 0.3, bound: 500 },
    { seed: 4, nOrigins: 1000, nTargets: 1000, owners: 1, spread: 0.02, bound: 150 },
    { seed: 5, nOrigins: 500, nTargets: 60, owners: 7, spread: 3, bound: 20_000 },
  ];
  for (const c of cases) {
    it(`seed ${c.seed}: ${c.nOrigins} origins × ${c.nTargets} targets, bound ${c.bound} m`, () => {
      const { origins, targets } = randomCase(c.seed, c.nOrigins, c.nTargets, c.owners, c.spread);
      const source = new GreatCircleSource(origins);
      const reach = source.reach({ coords: targets }, c.bound);
      const expected = bruteReach(origins.coords, targets, c.bound);
      const ownerSets = Array.from({ length: c.owners }, () => new Set<number>());
      for (let i = 0; i < c.nOrigins; i++) {
        expect(relativeError(reach.nearestCost[i]!, expected.nearestCost[i]!)).toBeLessThan(1e-9);
        expect(reach.withinCount[i]).toBe(expected.within[i]!.length);
        for (const t of expected.within[i]!) ownerSets[origins.owner[i]!]!.add(t);
      }
      expect(Array.from(reach.ownerWithinCount)).toEqual(ownerSets.map((s) => s.size));

      const table = source.within({ coords: targets }, c.bound);
      for (let i = 0; i < c.nOrigins; i++) {
        // Rows come in target order, whatever order the grid visited them in.
        const got = Array.from(table.targets.subarray(table.offsets[i], table.offsets[i + 1]));
        expect(got).toEqual(expected.within[i]);
      }
    });
  }

  it('reports no target for every origin when the target set is empty', () => {
    const { origins } = randomCase(9, 10, 0, 2, 0.01);
    const reach = new GreatCircleSource(origins).reach({ coords: new Float64Array(0) }, 300);
    expect(Array.from(reach.nearestIndex)).toEqual(new Array(10).fill(-1));
    expect(reach.nearestCost.every((d) => d === Number.POSITIVE_INFINITY)).toBe(true);
  });

  it('rejects owners outside ownerCount', () => {
    const origins = { coords: new Float64Array([106.6, 35.5]), owner: new Uint32Array([3]), ownerCount: 2 };
    expect(() => new GreatCircleSource(origins)).toThrowError('Origin 0 has owner 3, but ownerCount is 2.');
  });
});
