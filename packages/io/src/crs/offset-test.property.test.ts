// The offset test on synthetic layers: a random street grid as the WGS84 reference, facilities placed
// on or near its streets, then written as they are, shifted to GCJ-02 or shifted to BD-09. The test must
// name the shift it was given, and refuse to decide on too few points or points far from every street.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wgs84ToBd09, wgs84ToGcj02 } from './chinese-web.js';
import { OFFSET_TEST_RULE, type OffsetHypothesis, OffsetReference, offsetTest } from './offset-test.js';

const METRES_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;

interface Town {
  readonly roads: unknown;
  /** Facilities in WGS84, each within a few metres of a street. */
  readonly facilities: [number, number][];
}

function lineString(coordinates: [number, number][]) {
  return {
    type: 'Feature',
    properties: { highway: 'residential' },
    geometry: { type: 'LineString', coordinates },
  };
}

function pointLayer(points: readonly [number, number][]) {
  return {
    type: 'FeatureCollection',
    features: points.map((p, i) => ({
      type: 'Feature',
      properties: { id: `f${i}` },
      geometry: { type: 'Point', coordinates: p },
    })),
  };
}

/** Streets at irregular spacings (so no offset lines a shifted point up with a street by design). */
const town = fc
  .record({
    lng: fc.double({ min: 104, max: 118, noNaN: true }),
    lat: fc.double({ min: 24, max: 40, noNaN: true }),
    xGaps: fc.array(fc.double({ min: 120, max: 320, noNaN: true }), { minLength: 9, maxLength: 14 }),
    yGaps: fc.array(fc.double({ min: 120, max: 320, noNaN: true }), { minLength: 9, maxLength: 14 }),
    // Facilities take the streets in turn, so they are spread over the town as real ones are.
    facilities: fc.array(
      fc.record({
        along: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        offsetM: fc.double({ min: -12, max: 12, noNaN: true }),
      }),
      { minLength: 40, maxLength: 120 },
    ),
  })
  .map(({ lng, lat, xGaps, yGaps, facilities }): Town => {
    const kx = METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
    const cumulative = (gaps: readonly number[]): number[] => {
      const at = [0];
      for (const gap of gaps) at.push(at.at(-1)! + gap);
      return at;
    };
    const xs = cumulative(xGaps);
    const ys = cumulative(yGaps);
    const width = xs.at(-1)!;
    const height = ys.at(-1)!;
    const at = (x: number, y: number): [number, number] => [lng + x / kx, lat + y / METRES_PER_DEGREE];
    const roads = {
      type: 'FeatureCollection',
      features: [
        ...xs.map((x) => lineString([at(x, 0), at(x, height)])),
        ...ys.map((y) => lineString([at(0, y), at(width, y)])),
      ],
    };
    const placed = facilities.map(({ along, offsetM }, k): [number, number] => {
      const street = k % (xs.length + ys.length);
      return street < xs.length
        ? at(xs[street]! + offsetM, along * height)
        : at(along * width, ys[street - xs.length]! + offsetM);
    });
    return { roads, facilities: placed };
  });

const SHIFTS: Record<OffsetHypothesis, (p: [number, number]) => [number, number]> = {
  'as-read': (p) => p,
  gcj02: (p) => wgs84ToGcj02(p[0], p[1]),
  bd09: (p) => wgs84ToBd09(p[0], p[1]),
};

describe('offsetTest', () => {
  it('picks the reading a layer was written in: as read, GCJ-02 or BD-09, and is never wrong', () => {
    // A street grid can happen to line a shifted layer up with other streets (gaps that are nearly
    // multiples of the shift): then the evidence does not decide and the test must say null, never
    // name the wrong reading. Such towns are rare; most random towns must be decided.
    let undecided = 0;
    const runs = 60;
    fc.assert(
      fc.property(town, fc.constantFrom<OffsetHypothesis>('as-read', 'gcj02', 'bd09'), (t, written) => {
        const layer = pointLayer(t.facilities.map(SHIFTS[written]));
        const result = offsetTest(layer, t.roads);
        const medians = [result.as_read_median_m!, result.as_gcj02_median_m!, result.as_bd09_median_m!];
        const chosen = medians[['as-read', 'gcj02', 'bd09'].indexOf(written)]!;
        const others = medians.filter((_, k) => k !== ['as-read', 'gcj02', 'bd09'].indexOf(written));
        // The reading the layer was written in always fits its streets.
        expect(chosen).toBeLessThanOrEqual(OFFSET_TEST_RULE.maxBestMedianM);
        if (result.better === null) {
          // Undecided only where another reading fits nearly as well, by the rule's own margins.
          const runnerUp = Math.min(...others);
          const close =
            runnerUp < chosen * OFFSET_TEST_RULE.minRatio ||
            runnerUp - chosen < OFFSET_TEST_RULE.minDifferenceM;
          expect(close, result.reason).toBe(true);
          undecided++;
          return;
        }
        expect(result.better, result.reason).toBe(written);
        // The chosen reading's median is the smallest, and the rule's margins hold.
        for (const other of others) {
          expect(other).toBeGreaterThanOrEqual(chosen * OFFSET_TEST_RULE.minRatio);
        }
      }),
      { numRuns: runs },
    );
    expect(undecided).toBeLessThanOrEqual(runs / 10);
  });

  it('does not decide on fewer points than the rule needs', () => {
    fc.assert(
      fc.property(
        town,
        fc.constantFrom<OffsetHypothesis>('as-read', 'gcj02', 'bd09'),
        fc.integer({ min: 0, max: OFFSET_TEST_RULE.minPoints - 1 }),
        (t, written, kept) => {
          const layer = pointLayer(t.facilities.slice(0, kept).map(SHIFTS[written]));
          const result = offsetTest(layer, t.roads);
          expect(result.better).toBeNull();
          expect(result.reason).toMatch(/the test needs at least 20/);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('does not decide when the points lie far from every street under every reading', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 104, max: 118, noNaN: true }),
        fc.double({ min: 24, max: 40, noNaN: true }),
        fc.array(
          fc.tuple(
            fc.double({ min: -500, max: 500, noNaN: true }),
            fc.double({ min: -500, max: 500, noNaN: true }),
          ),
          {
            minLength: 30,
            maxLength: 80,
          },
        ),
        fc.constantFrom<OffsetHypothesis>('as-read', 'gcj02', 'bd09'),
        (lng, lat, offsets, written) => {
          // A ring road 6 km across around a park; the points stand within 500 m of its centre.
          const kx = METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
          const at = (x: number, y: number): [number, number] => [lng + x / kx, lat + y / METRES_PER_DEGREE];
          const ring = [at(-3000, -3000), at(3000, -3000), at(3000, 3000), at(-3000, 3000), at(-3000, -3000)];
          const roads = { type: 'FeatureCollection', features: [lineString(ring)] };
          const layer = pointLayer(offsets.map(([x, y]) => SHIFTS[written](at(x, y))));
          const result = offsetTest(layer, roads);
          expect(result.better).toBeNull();
          expect(result.reason).toMatch(/far from the reference under every reading/);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('OffsetReference', () => {
  it('measures to segments, polygon outlines and lone points; beyond 2 km it says 2 km', () => {
    const reference = new OffsetReference({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'LineString',
            coordinates: [
              [0, 0],
              [0.01, 0],
            ],
          },
        },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [0.05, 0.05] } },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [0.1, 0],
                [0.11, 0],
                [0.11, 0.01],
                [0.1, 0.01],
                [0.1, 0],
              ],
            ],
          },
        },
        { type: 'Feature', properties: {}, geometry: null },
      ],
    });
    expect(reference.bbox).toEqual([0, 0, 0.11, 0.05]);
    // 0.0001° of latitude is 11.12 m on the sphere lifecircle measures on.
    expect(reference.distanceM(0.005, 0.0001)).toBeCloseTo(11.119, 2);
    expect(reference.distanceM(0.05, 0.0501)).toBeCloseTo(11.119, 2);
    // Inside the polygon, the distance is to its outline.
    expect(reference.distanceM(0.105, 0.005)).toBeCloseTo(555.97, 1);
    expect(reference.distanceM(0.03, 0.03)).toBe(2000);
    expect(reference.covers(0.05, 0.02)).toBe(true);
    expect(reference.covers(0.2, 0.02)).toBe(false);
  });

  it('an empty reference decides nothing', () => {
    const result = offsetTest(pointLayer([[106.6, 35.5]]), { type: 'FeatureCollection', features: [] });
    expect(result).toEqual({
      points: 0,
      as_read_median_m: null,
      as_gcj02_median_m: null,
      as_bd09_median_m: null,
      better: null,
      reason: "0 points inside the reference's extent; the test needs at least 20",
    });
  });
});

describe("the reference's extent", () => {
  it("is analyze's network extent: the hull of the roads widened by 200 m, not their box", () => {
    // An L of roads (x metres east, y north of 116 E, 40 N): 0,0 → 2000,0 → 2000,2000. Its box holds
    // the empty corner at 0,2000; the hull (the triangle) widened by 200 m does not.
    const kx = METRES_PER_DEGREE * Math.cos((40 * Math.PI) / 180);
    const at = (x: number, y: number): [number, number] => [116 + x / kx, 40 + y / METRES_PER_DEGREE];
    const reference = new OffsetReference({
      type: 'FeatureCollection',
      features: [lineString([at(0, 0), at(2000, 0), at(2000, 2000)])],
    });
    expect(reference.covers(...at(1500, 500))).toBe(true); // inside the triangle
    expect(reference.covers(...at(1000, 1100))).toBe(true); // 71 m beyond its diagonal: within the margin
    expect(reference.covers(...at(2150, 1000))).toBe(true); // 150 m east of the road
    expect(reference.covers(...at(300, 1700))).toBe(false); // the box's empty corner, 990 m from the hull
    expect(reference.covers(...at(2300, 1000))).toBe(false); // 300 m east of the road
    // So points in the corner do not count as evidence.
    const corner = pointLayer(Array.from({ length: 30 }, (_, i) => at(100 + i * 10, 1800)));
    expect(offsetTest(corner, reference).points).toBe(0);
  });
});
