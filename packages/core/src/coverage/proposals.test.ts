// evaluateProposals against a brute-force reference (haversine over every demand point and facility),
// on random small cities around Pingliang, plus a hand-checked case.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceHaversine } from '../../test/reference.js';
import type { DemandPoints } from '../demand/index.js';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { GreatCircleSource, measureCoverage } from '../index.js';
import { evaluateProposals } from './proposals.js';

const CENTRE = { lon: 106.66, lat: 35.54 };
const M_LON = metresPerDegreeLon(CENTRE.lat);
const at = (dx: number, dy: number): [number, number] => [
  CENTRE.lon + dx / M_LON,
  CENTRE.lat + dy / METRES_PER_DEGREE,
];

function demandOf(points: readonly { x: number; y: number; owner: number; weight: number }[]): DemandPoints {
  const ownerCount = Math.max(0, ...points.map((p) => p.owner + 1));
  return {
    coords: Float64Array.from(points.flatMap((p) => at(p.x, p.y))),
    owner: Uint32Array.from(points.map((p) => p.owner)),
    ownerCount,
    weight: Float64Array.from(points.map((p) => p.weight)),
    sourceIndex: new Int32Array(points.length).fill(-1),
    method: Array.from({ length: ownerCount }, () => 'point' as const),
  };
}

/** The residents each proposal adds, by definition: points no existing facility and no earlier proposal reaches. */
function referenceAdded(
  demand: DemandPoints,
  existing: Float64Array,
  proposed: Float64Array,
  radius: number,
): { added: number[]; communities: number[] } {
  const within = (coords: Float64Array, k: number, i: number) =>
    referenceHaversine(
      demand.coords[2 * i]!,
      demand.coords[2 * i + 1]!,
      coords[2 * k]!,
      coords[2 * k + 1]!,
    ) <= radius;
  const count = proposed.length / 2;
  const added = new Array<number>(count).fill(0);
  const owners = Array.from({ length: count }, () => new Set<number>());
  for (let i = 0; i < demand.weight.length; i++) {
    let reached = false;
    for (let k = 0; k < existing.length / 2; k++) reached ||= within(existing, k, i);
    if (reached) continue;
    for (let j = 0; j < count; j++) {
      if (within(proposed, j, i)) {
        added[j]! += demand.weight[i]!;
        owners[j]!.add(demand.owner[i]!);
        break;
      }
    }
  }
  return { added, communities: owners.map((o) => o.size) };
}

describe('evaluateProposals', () => {
  it('gives each proposal the residents only it newly reaches, in the order given', () => {
    // Three communities on a line; an existing facility at 0 m, proposals at 1,000 m and 1,100 m.
    const demand = demandOf([
      { x: 0, y: 0, owner: 0, weight: 100 },
      { x: 1000, y: 0, owner: 1, weight: 50 },
      { x: 1200, y: 0, owner: 2, weight: 30 },
    ]);
    const source = new GreatCircleSource(demand);
    const existing = { coords: Float64Array.from(at(0, 0)) };
    const before = measureCoverage(source, demand, existing, 300);
    const proposed = Float64Array.from([...at(1000, 0), ...at(1100, 0)]);
    const { after, proposals } = evaluateProposals(source, demand, before, existing, proposed);
    expect(proposals.map((p) => p.addedPopulation)).toEqual([80, 0]);
    expect(proposals.map((p) => p.newlyServedCommunities)).toEqual([2, 0]);
    expect(proposals.map((p) => p.rank)).toEqual([1, 2]);
    expect(proposals[0]!.cumulativeShare).toBeCloseTo(1, 12);
    expect(after.coveredPopulation).toBe(180);
    expect(Array.from(after.community.gap)).toEqual([0, 0, 0]);
  });

  it('matches a brute-force reference, and the proposals add up to the change in coverage', () => {
    const point = fc.record({
      x: fc.integer({ min: -1500, max: 1500 }),
      y: fc.integer({ min: -1500, max: 1500 }),
      owner: fc.integer({ min: 0, max: 5 }),
      weight: fc.integer({ min: 1, max: 200 }),
    });
    const place = fc.tuple(fc.integer({ min: -1500, max: 1500 }), fc.integer({ min: -1500, max: 1500 }));
    fc.assert(
      fc.property(
        fc.array(point, { minLength: 1, maxLength: 40 }),
        fc.array(place, { maxLength: 4 }),
        fc.array(place, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 100, max: 800 }),
        (points, existingAt, proposedAt, radius) => {
          const demand = demandOf(points);
          const source = new GreatCircleSource(demand);
          const existing = { coords: Float64Array.from(existingAt.flatMap(([x, y]) => at(x, y))) };
          const proposed = Float64Array.from(proposedAt.flatMap(([x, y]) => at(x, y)));
          const before = measureCoverage(source, demand, existing, radius);
          const { after, proposals } = evaluateProposals(source, demand, before, existing, proposed);
          const reference = referenceAdded(demand, existing.coords, proposed, radius);
          expect(proposals.map((p) => p.addedPopulation)).toEqual(reference.added);
          expect(proposals.map((p) => p.newlyServedCommunities)).toEqual(reference.communities);
          const total = proposals.reduce((s, p) => s + p.addedPopulation, 0);
          expect(after.coveredPopulation - before.coveredPopulation).toBeCloseTo(total, 6);
          expect(proposals.at(-1)!.cumulativeShare).toBeCloseTo(
            after.coveredPopulation / after.population,
            12,
          );
        },
      ),
      { seed: 7, numRuns: 80 },
    );
  });

  it('refuses an odd number of coordinates', () => {
    const demand = demandOf([{ x: 0, y: 0, owner: 0, weight: 1 }]);
    const source = new GreatCircleSource(demand);
    const before = measureCoverage(source, demand, { coords: new Float64Array(0) }, 300);
    expect(() =>
      evaluateProposals(source, demand, before, { coords: new Float64Array(0) }, Float64Array.of(1)),
    ).toThrow(/lon, lat pairs; got 1 numbers/);
  });
});
