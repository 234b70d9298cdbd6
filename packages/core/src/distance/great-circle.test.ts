import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bruteReach, cityPoints, seededRandom } from '../../test/reference.js';
import { chord2ToMetres, metresToChord2, toUnitVectors } from '../geodesy/index.js';
import { OptionError } from '../validate/problems.js';
import { type GreatCircleOptions, GreatCircleSource } from './great-circle.js';

const PINGLIANG: [number, number] = [106.66, 35.54];

// Chords of unit vectors lose about 1e-16 of the Earth's radius to cancellation, so distances agree
// to a micrometre or to 1e-9 of their length, whichever is larger.
function distanceError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.max(1000, Math.abs(expected));
}

// Longitudes past ±180° are wrapped, so a city on the antimeridian straddles it as real data does.
function wrapLongitudes(coords: Float64Array): Float64Array {
  for (let i = 0; i < coords.length; i += 2) {
    if (coords[i]! > 180) coords[i]! -= 360;
    if (coords[i]! < -180) coords[i]! += 360;
  }
  return coords;
}

function randomCase(
  seed: number,
  nOrigins: number,
  nTargets: number,
  owners: number,
  spreadDeg: number,
  centre: [number, number] = PINGLIANG,
) {
  const random = seededRandom(seed);
  const coords = wrapLongitudes(cityPoints(random, nOrigins, centre, spreadDeg));
  const owner = new Uint32Array(nOrigins);
  for (let i = 0; i < nOrigins; i++) owner[i] = Math.floor(random() * owners);
  const targets = wrapLongitudes(cityPoints(random, nTargets, centre, spreadDeg));
  return { origins: { coords, owner, ownerCount: owners }, targets };
}

function expectBruteForceAnswers(
  origins: { coords: Float64Array; owner: Uint32Array; ownerCount: number },
  targets: Float64Array,
  bound: number,
): void {
  const source = new GreatCircleSource(origins);
  const reach = source.reach({ coords: targets }, bound);
  const expected = bruteReach(origins.coords, targets, bound);
  const ownerSets = Array.from({ length: origins.ownerCount }, () => new Set<number>());
  for (let i = 0; i < origins.owner.length; i++) {
    expect(distanceError(reach.nearestCost[i]!, expected.nearestCost[i]!)).toBeLessThan(1e-9);
    expect(reach.withinCount[i]).toBe(expected.within[i]!.length);
    for (const t of expected.within[i]!) ownerSets[origins.owner[i]!]!.add(t);
  }
  expect(Array.from(reach.ownerWithinCount)).toEqual(ownerSets.map((s) => s.size));

  const table = source.within({ coords: targets }, bound);
  for (let i = 0; i < origins.owner.length; i++) {
    // Rows come in target order, whatever order the grid visited them in.
    const got = Array.from(table.targets.subarray(table.offsets[i], table.offsets[i + 1]));
    expect(got).toEqual(expected.within[i]);
  }
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
      expectBruteForceAnswers(origins, targets, c.bound);
    });
  }

  // Far from Pingliang the grid's planar bounds meet their limits: wide searches at high latitude
  // fall back to scanning every target, and a city on the antimeridian cannot use the grid at all.
  const places = [
    {
      name: 'Tromsø, 69.6° N, sparse targets 100 km away',
      centre: [18.96, 69.65],
      spread: 1.5,
      nTargets: 4,
      bound: 2000,
    },
    { name: 'near the pole, 86° N', centre: [40, 86], spread: 1.2, nTargets: 25, bound: 5000 },
    { name: 'Fiji, across the antimeridian', centre: [179.98, -16.5], spread: 0.1, nTargets: 40, bound: 800 },
    { name: 'on the equator', centre: [-60, 0], spread: 0.05, nTargets: 80, bound: 300 },
  ] as const;
  for (const place of places) {
    it(`agrees at ${place.name}`, () => {
      const { origins, targets } = randomCase(11, 600, place.nTargets, 12, place.spread, [...place.centre]);
      expectBruteForceAnswers(origins, targets, place.bound);
    });
  }

  it('agrees anywhere on Earth, for any spread and bound (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.double({ min: -179.9, max: 179.9, noNaN: true }),
        fc.double({ min: -85, max: 85, noNaN: true }),
        fc.constantFrom(0.002, 0.02, 0.2, 2),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom(-1, 0, 50, 300, 1000, 30_000),
        (seed, lon, lat, spread, nTargets, bound) => {
          const { origins, targets } = randomCase(seed, 150, nTargets, 6, spread, [lon, lat]);
          expectBruteForceAnswers(origins, targets, bound);
        },
      ),
      { numRuns: 120, seed: 620_802 },
    );
  });

  it('reports no target for every origin when the target set is empty', () => {
    const { origins } = randomCase(9, 10, 0, 2, 0.01);
    const reach = new GreatCircleSource(origins).reach({ coords: new Float64Array(0) }, 300);
    expect(Array.from(reach.nearestIndex)).toEqual(new Array(10).fill(-1));
    expect(reach.nearestCost.every((d) => d === Number.POSITIVE_INFINITY)).toBe(true);
  });

  it('rejects a point that is not finite, as an option mistake, instead of searching forever', () => {
    const { origins } = randomCase(9, 10, 0, 2, 0.01);
    const source = new GreatCircleSource(origins);
    const targets = { coords: new Float64Array([106.6, 35.5, Number.NaN, 35.5]) };
    expect(() => source.reach(targets, 300)).toThrowError(
      'targets: point 1 is (NaN, 35.5); expected finite longitude and latitude in degrees',
    );
    expect(() => source.reach(targets, 300)).toThrowError(OptionError);
    const bad = {
      coords: new Float64Array([106.6, Number.POSITIVE_INFINITY]),
      owner: new Uint32Array([0]),
      ownerCount: 1,
    };
    expect(() => new GreatCircleSource(bad)).toThrowError('origins: point 0 is (106.6, Infinity)');
  });

  it('rejects owners outside ownerCount', () => {
    const origins = { coords: new Float64Array([106.6, 35.5]), owner: new Uint32Array([3]), ownerCount: 2 };
    expect(() => new GreatCircleSource(origins)).toThrowError('Origin 0 has owner 3, but ownerCount is 2.');
  });
});

// The source's own definition of every figure, one pair at a time: the squared chord between the
// unit vectors, counted within the bound's squared chord, the nearest the least (ties to the lower
// target index), turned into metres once. The grouped kernel skips pairs its bounds decide; it must
// give exactly these numbers, bit for bit.
function chordReference(
  origins: { coords: Float64Array; owner: Uint32Array; ownerCount: number },
  targets: Float64Array,
  bound: number,
) {
  const p = toUnitVectors(origins.coords);
  const t = toUnitVectors(targets);
  const n = origins.owner.length;
  const nT = targets.length >> 1;
  const bound2 = bound < 0 ? -1 : metresToChord2(bound);
  const nearestCost: number[] = [];
  const nearestIndex: number[] = [];
  const withinCount: number[] = [];
  const ownerSets = Array.from({ length: origins.ownerCount }, () => new Set<number>());
  for (let i = 0; i < n; i++) {
    let min2 = Number.POSITIVE_INFINITY;
    let best = -1;
    let count = 0;
    for (let k = 0; k < nT; k++) {
      const dx = t[3 * k]! - p[3 * i]!;
      const dy = t[3 * k + 1]! - p[3 * i + 1]!;
      const dz = t[3 * k + 2]! - p[3 * i + 2]!;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 <= bound2) {
        count++;
        ownerSets[origins.owner[i]!]!.add(k);
      }
      if (d2 < min2) {
        min2 = d2;
        best = k;
      }
    }
    nearestCost.push(best < 0 ? Number.POSITIVE_INFINITY : chord2ToMetres(min2));
    nearestIndex.push(best);
    withinCount.push(count);
  }
  return { nearestCost, nearestIndex, withinCount, ownerWithinCount: ownerSets.map((s) => s.size) };
}

describe('GreatCircleSource against the pair-by-pair chord reference', () => {
  it('gives every origin the same nearest, cost and count, bit for bit, ties included (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom(0.002, 0.01, 0.05),
        fc.integer({ min: 1, max: 80 }),
        fc.constantFrom(-1, 0, 40, 150, 300, 1000),
        fc.constantFrom(0, 0.2),
        // Counts by demand cells (default side, and cells of 10 m: more of them wholly inside or
        // outside), and in the origin groups' scan.
        fc.constantFrom<GreatCircleOptions>({}, { countCellM: 10 }, { countKernel: 'groups' }),
        (seed, spread, nTargets, bound, duplicated, options) => {
          // Communities: clusters of points of random size and radius, as demand points are.
          const random = seededRandom(seed);
          const owners = 1 + Math.floor(random() * 12);
          const centres = cityPoints(random, owners, PINGLIANG, spread);
          const nOrigins = 20 + Math.floor(random() * 300);
          const coords = new Float64Array(2 * nOrigins);
          const owner = new Uint32Array(nOrigins);
          for (let i = 0; i < nOrigins; i++) {
            const o = Math.floor(random() * owners);
            const radiusDeg = 0.0005 + 0.003 * random();
            owner[i] = o;
            coords[2 * i] = centres[2 * o]! + radiusDeg * (2 * random() - 1);
            coords[2 * i + 1] = centres[2 * o + 1]! + radiusDeg * (2 * random() - 1);
          }
          // Targets among the communities; some share a position (ties), some stand on an origin.
          const targets = cityPoints(random, nTargets, PINGLIANG, spread);
          for (let k = 1; k < nTargets; k++) {
            if (random() >= duplicated) continue;
            const from = random() < 0.5 ? targets.subarray(0, 2 * k) : coords;
            const j = Math.floor(random() * (from.length >> 1));
            targets[2 * k] = from[2 * j]!;
            targets[2 * k + 1] = from[2 * j + 1]!;
          }
          const origins = { coords, owner, ownerCount: owners };
          const reach = new GreatCircleSource(origins, options).reach({ coords: targets }, bound);
          const expected = chordReference(origins, targets, bound);
          expect(Array.from(reach.nearestIndex)).toEqual(expected.nearestIndex);
          expect(Array.from(reach.nearestCost)).toEqual(expected.nearestCost);
          expect(Array.from(reach.withinCount)).toEqual(expected.withinCount);
          expect(Array.from(reach.ownerWithinCount)).toEqual(expected.ownerWithinCount);
        },
      ),
      { numRuns: 450 },
    );
  });
});
