import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import fc from 'fast-check';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildDemand } from '../demand/index.js';
import { toUnitVectors } from '../geodesy/index.js';
import { PolygonIndex } from '../spatial/polygon-index.js';
import { validateCommunities } from '../validate/features.js';
import { districtsOfPoints, NO_DISTRICT, nearestDemandPoints } from './district.js';
import { servesAsGiven } from './serving.js';

const square = (w: number, s: number, size: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [w + size, s],
      [w + size, s + size],
      [w, s + size],
      [w, s],
    ],
  ],
});

describe('the serving rule', () => {
  it('lets open facilities serve, planned ones only when counted, closed ones never', () => {
    expect(servesAsGiven('open', false)).toBe(true);
    expect(servesAsGiven('planned', false)).toBe(false);
    expect(servesAsGiven('under_construction', true)).toBe(true);
    expect(servesAsGiven('closed', true)).toBe(false);
  });
});

describe('PolygonIndex', () => {
  it('finds the same first containing polygon as a scan of every polygon with turf', () => {
    // Coordinates on a 1e-5° lattice (about 1 m): subnormal doubles a hair outside a box would test
    // float round-off in turf's edge test rather than the index.
    const coordinate = (min: number, max: number) =>
      fc.integer({ min: Math.round(min * 1e5), max: Math.round(max * 1e5) }).map((v) => v / 1e5);
    const box = fc.tuple(coordinate(0, 0.09), coordinate(0, 0.09), coordinate(0.001, 0.03));
    fc.assert(
      fc.property(
        fc.array(fc.option(box, { nil: null }), { maxLength: 12 }),
        fc.array(fc.tuple(coordinate(-0.01, 0.13), coordinate(-0.01, 0.13)), { maxLength: 20 }),
        (boxes, points) => {
          const polygons = boxes.map((b) => (b === null ? null : square(b[0], b[1], b[2])));
          const index = new PolygonIndex(polygons);
          for (const [lon, lat] of points) {
            const all = polygons.flatMap((p, i) =>
              p !== null && booleanPointInPolygon([lon, lat], p) ? [i] : [],
            );
            expect(index.containing(lon, lat)).toEqual(all);
            expect(index.first(lon, lat)).toBe(all[0] ?? -1);
            expect(index.has(lon, lat)).toBe(all.length > 0);
          }
        },
      ),
    );
  });
});

describe('the district rule', () => {
  // Community A (district East) is a long strip whose demand points spread along it; community B
  // (district West) is a small square right next to A's west end, its one point close to the edge.
  const communities = validateCommunities(
    {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { id: 'A', population: 100, district: 'East' },
          geometry: square(116.0, 39.9, 0.02),
        },
        {
          type: 'Feature',
          properties: { id: 'B', population: 100, district: 'West' },
          geometry: { type: 'Point', coordinates: [115.9999, 39.9001] },
        },
      ],
    },
    'communities.geojson',
  ).records;
  const demand = buildDemand(communities, undefined, { cellM: 500 }).demand;

  it('takes a facility’s own district first, then the community containing it, then the nearest', () => {
    // Inside A's polygon but nearer to B's point than to any of A's grid points.
    const coords = Float64Array.of(116.0001, 39.9001, 116.0001, 39.9001, 115.99, 39.9001);
    const own = [undefined, 'North', undefined];
    expect(districtsOfPoints(coords, own, communities, demand)).toEqual(['East', 'North', 'West']);
  });

  it('says (none) when there is nothing to go by', () => {
    const empty = { coords: new Float64Array(0), owner: new Uint32Array(0), ownerCount: 0 };
    expect(districtsOfPoints(Float64Array.of(0, 0), [null], [], empty)).toEqual([NO_DISTRICT]);
  });
});

describe('nearestDemandPoints', () => {
  // Every pair's squared chord on the unit sphere, the smallest kept, ties to the smaller index.
  function bruteNearest(points: Float64Array, demand: Float64Array): number[] {
    const p = toUnitVectors(points);
    const d = toUnitVectors(demand);
    const nearest: number[] = [];
    for (let k = 0; k < points.length / 2; k++) {
      let best = -1;
      let best2 = Number.POSITIVE_INFINITY;
      for (let t = 0; t < demand.length / 2; t++) {
        const dx = d[3 * t]! - p[3 * k]!;
        const dy = d[3 * t + 1]! - p[3 * k + 1]!;
        const dz = d[3 * t + 2]! - p[3 * k + 2]!;
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 < best2) {
          best2 = d2;
          best = t;
        }
      }
      nearest.push(best);
    }
    return nearest;
  }

  it('finds the nearest demand point of each point, ties to the smaller index, however the demand is sliced', () => {
    // Positions on a coarse lattice (about 1 km), so that demand points coincide and distances tie.
    const position = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }));
    const lonLat = (cells: [number, number][]) =>
      Float64Array.from(cells.flatMap(([x, y]) => [106 + x * 0.01, 35 + y * 0.01]));
    fc.assert(
      fc.property(
        fc.array(position, { minLength: 1, maxLength: 20 }),
        fc.array(position, { maxLength: 200 }),
        fc.integer({ min: 1, max: 64 }),
        (points, demand, slice) => {
          const pointCoords = lonLat(points);
          const demandCoords = lonLat(demand);
          const whole = [...nearestDemandPoints(pointCoords, demandCoords, Number.POSITIVE_INFINITY)];
          expect(whole).toEqual(bruteNearest(pointCoords, demandCoords));
          expect([...nearestDemandPoints(pointCoords, demandCoords, slice)]).toEqual(whole);
        },
      ),
      { numRuns: 200 },
    );
  });
});
