import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { describe, expect, it } from 'vitest';
import { squareRing } from '../../test/features.js';
import { referenceHaversine } from '../../test/reference.js';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { validateCommunities } from '../validate/features.js';
import { candidatesInAreas, combineTargets, generateCandidates, readCandidates } from './index.js';

const LON = 106.66;
const LAT = 35.54;
const M_LON = metresPerDegreeLon(LAT);
const lonAt = (dx: number) => LON + dx / M_LON;
const latAt = (dy: number) => LAT + dy / METRES_PER_DEGREE;

const square = (dx: number, dy: number, size: number) => [squareRing(LON, LAT, dx, dy, size)];

function communities() {
  const features = [
    { id: 'A', district: 'East', geometry: { type: 'Polygon', coordinates: square(0, 0, 1000) } },
    { id: 'B', district: 'West', geometry: { type: 'Polygon', coordinates: square(3000, 0, 600) } },
    { id: 'C', district: 'West', geometry: { type: 'Point', coordinates: [lonAt(6000), latAt(0)] } },
  ].map((f) => ({
    type: 'Feature',
    geometry: f.geometry,
    properties: { id: f.id, district: f.district, population: 100 },
  }));
  return validateCommunities({ type: 'FeatureCollection', features }).records;
}

describe('readCandidates', () => {
  it('reads points as they are and polygons as a point on their surface; rejects the rest with a reason', () => {
    const input = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [LON, LAT] },
          properties: { id: 'p1', cost: 3, capacity: '40' },
        },
        {
          type: 'Feature',
          geometry: { type: 'Polygon', coordinates: square(0, 0, 100) },
          properties: { id: 'parcel', district: 'East' },
        },
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [LON, LAT],
              [LON, LAT + 0.01],
            ],
          },
          properties: { id: 'road' },
        },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [LAT, 200] }, properties: { id: 'bad' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [LON, LAT] }, properties: { id: 'p1' } },
      ],
    };
    const before = JSON.stringify(input);
    const { candidates, rejected, warnings } = readCandidates(input, { file: 'parcels.geojson' });
    expect(JSON.stringify(input)).toBe(before);
    expect(candidates.ids).toEqual(['p1', 'parcel', 'p1#2']);
    expect(candidates.cost[0]).toBe(3);
    expect(candidates.capacity[0]).toBe(40);
    expect(Number.isNaN(candidates.cost[1]!)).toBe(true);
    expect(candidates.district[1]).toBe('East');
    expect(
      booleanPointInPolygon([candidates.coords[2]!, candidates.coords[3]!], {
        type: 'Polygon',
        coordinates: square(0, 0, 100),
      }),
    ).toBe(true);
    expect(rejected.map((r) => [r.index, r.field])).toEqual([
      [2, 'geometry'],
      [3, 'geometry'],
    ]);
    expect(rejected[0]!.reason).toContain('"LineString" is not supported');
    expect(warnings[0]!.message).toContain('repeat an id');
  });

  it('says what a non-FeatureCollection is', () => {
    expect(() => readCandidates([1, 2], { file: 'x.geojson' })).toThrowError(
      'x.geojson: expected a GeoJSON FeatureCollection with a "features" array, got an array.',
    );
  });
});

describe('generateCandidates', () => {
  it('grids the community polygons at the spacing, inside them, with stable ids and districts', () => {
    const records = communities();
    const set = generateCandidates({ communities: records, spacingM: 100 });
    // About (1000/100)² + (600/100)² points.
    expect(set.ids.length).toBeGreaterThan(120);
    expect(set.ids.length).toBeLessThan(150);
    const polygons = records.filter((r) => r.geometry.type !== 'Point');
    for (let j = 0; j < set.ids.length; j++) {
      const p = [set.coords[2 * j]!, set.coords[2 * j + 1]!];
      expect(polygons.some((r) => booleanPointInPolygon(p, r.geometry as never))).toBe(true);
      expect(set.origin[j]).toBe('grid');
      expect(set.ids[j]).toMatch(/^grid:-?\d+:-?\d+$/);
    }
    expect(new Set(set.district)).toEqual(new Set(['East', 'West']));
    // Neighbours along a row are one spacing apart.
    const d = referenceHaversine(set.coords[0]!, set.coords[1]!, set.coords[2]!, set.coords[3]!);
    expect(d).toBeCloseTo(100, 0);
    // Same input, same ids.
    expect(generateCandidates({ communities: records, spacingM: 100 }).ids).toEqual(set.ids);
  });

  it('grids only around gap communities, clips to a study area, and adds centroids', () => {
    const records = communities();
    const gaps = [false, true, true];
    const set = generateCandidates({
      communities: records,
      spacingM: 100,
      gaps,
      marginM: 0,
      centroids: true,
    });
    const gridWest = set.ids.filter((_, j) => set.origin[j] === 'grid');
    expect(gridWest.length).toBeGreaterThan(20);
    for (let j = 0; j < set.ids.length; j++)
      if (set.origin[j] === 'grid') expect(set.district[j]).toBe('West');
    expect(set.ids.filter((id) => id.startsWith('centroid:'))).toEqual(['centroid:B', 'centroid:C']);

    const studyArea = { type: 'Polygon' as const, coordinates: square(-500, -500, 800) };
    const clipped = generateCandidates({ communities: records, spacingM: 100, clip: studyArea });
    expect(clipped.ids.length).toBeGreaterThan(50);
    for (let j = 0; j < clipped.ids.length; j++) {
      expect(booleanPointInPolygon([clipped.coords[2 * j]!, clipped.coords[2 * j + 1]!], studyArea)).toBe(
        true,
      );
    }
  });

  it('refuses a grid far larger than maxPoints', () => {
    expect(() =>
      generateCandidates({ communities: communities(), spacingM: 1, maxPoints: 1000 }),
    ).toThrowError(/use a larger spacing/);
  });
});

describe('candidatesInAreas and combineTargets', () => {
  it('finds the candidates inside excluded polygons', () => {
    const coords = Float64Array.from([lonAt(50), latAt(50), lonAt(500), latAt(500), lonAt(5000), latAt(0)]);
    const inside = candidatesInAreas(coords, [{ type: 'Polygon', coordinates: square(0, 0, 100) }]);
    expect([...inside]).toEqual([0]);
  });

  it('puts existing facilities first and marks them fixed', () => {
    const { targets, fixed, candidateOffset } = combineTargets(
      { coords: Float64Array.from([1, 2, 3, 4]), ids: ['e1', 'e2'] },
      { coords: Float64Array.from([5, 6]), ids: ['c1'] },
    );
    expect([...targets.coords]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(targets.ids).toEqual(['e1', 'e2', 'c1']);
    expect([...fixed]).toEqual([0, 1]);
    expect(candidateOffset).toBe(2);
  });
});

describe('readCandidates: strict costs (issue #17)', () => {
  it('rejects a text, hexadecimal, negative or huge cost, naming the candidate, instead of costing 1', () => {
    const site = (id: string, cost: unknown) => ({
      type: 'Feature',
      properties: { id, cost },
      geometry: { type: 'Point', coordinates: [116.4, 39.9] },
    });
    const { candidates, rejected } = readCandidates(
      {
        type: 'FeatureCollection',
        features: [site('a', 'cheap'), site('b', '0x10'), site('c', -5), site('d', 1e308), site('e', '250')],
      },
      { file: 'parcels.geojson' },
    );
    expect(candidates.ids).toEqual(['e']);
    expect(Array.from(candidates.cost)).toEqual([250]);
    expect(rejected.map((r) => [r.id, r.field])).toEqual([
      ['a', 'cost'],
      ['b', 'cost'],
      ['c', 'cost'],
      ['d', 'cost'],
    ]);
    expect(rejected[0]!.reason).toBe('expected a plain decimal number from 0 to 1e+12, got "cheap"');
  });
});
