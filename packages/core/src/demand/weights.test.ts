// Dasymetric demand: a population raster's cells and building footprints sharing out each
// community's population, checked on hand-worked grids.
import { bboxPolygon } from '@turf/turf';
import fc from 'fast-check';
import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { buildDemand, buildingFootprints, type PopulationGrid, validateCommunities } from '../index.js';
import { populationFromGrid } from './index.js';

// A 0.01° raster of 4 × 2 cells whose top-left corner is 106.60°E 35.56°N: cell centres at
// 106.605, 106.615, 106.625, 106.635 and 35.555, 35.545.
function grid(values: number[]): PopulationGrid {
  return {
    file: 'pop.tif',
    width: 4,
    height: 2,
    values: Float32Array.from(values),
    cellCentre: (col, row) => [106.605 + 0.01 * col, 35.555 - 0.01 * row],
  };
}

const box = (west: number, south: number, east: number, north: number): Polygon =>
  bboxPolygon([west, south, east, north]).geometry;

const feature = (id: string, population: number | null, geometry: Polygon): Feature => ({
  type: 'Feature',
  properties: population === null ? { id } : { id, population },
  geometry,
});

// West community covers the two western columns, east the third; the fourth column lies in neither.
const west = box(106.6, 35.54, 106.62, 35.56);
const east = box(106.62, 35.54, 106.63, 35.56);

describe('buildDemand with a population raster', () => {
  it('shares each community population out in proportion to the cells inside it', () => {
    const values = [1, 3, 5, 7, 0, 4, 5, 9];
    const { records } = validateCommunities(
      { type: 'FeatureCollection', features: [feature('W', 800, west), feature('E', 100, east)] },
      'c.geojson',
    );
    const { demand, report, warnings } = buildDemand(records, undefined, { populationGrid: grid(values) });
    expect(demand.method).toEqual(['raster', 'raster']);
    // W holds cells 1, 3, 0 (skipped: no residents), 4 → 8 units; 800 residents: 100 a unit.
    const weightsOf = (c: number) => [...demand.weight].filter((_, i) => demand.owner[i] === c);
    expect(weightsOf(0)).toEqual([100, 300, 400]);
    // E holds 5 and 5: 50 each.
    expect(weightsOf(1)).toEqual([50, 50]);
    expect(report.weighting).toEqual({
      source: 'raster',
      file: 'pop.tif',
      read: 8,
      inside: 5,
      outside: 2,
      outside_weight: 16,
      communities_weighted: 2,
      communities_even: 0,
    });
    expect(warnings).toEqual([]);
  });

  it('keeps an even spread, with a warning, for a community with no populated cell inside', () => {
    const { records } = validateCommunities(
      { type: 'FeatureCollection', features: [feature('W', 800, west), feature('E', 100, east)] },
      'c.geojson',
    );
    const { demand, report, warnings } = buildDemand(records, undefined, {
      populationGrid: grid([1, 1, 0, 0, 1, 1, 0, 0]),
    });
    expect(demand.method).toEqual(['raster', 'grid']);
    expect(report.weighting?.communities_even).toBe(1);
    expect(warnings.map((w) => [w.code, w.file])).toEqual([['no-demand-points', 'pop.tif']]);
    expect(warnings[0]!.message).toContain('E');
  });

  it('takes the raster counts as the population of communities without one', () => {
    const values = [1, 3, 5, 7, 0, 4, 5, 9];
    const collection = {
      type: 'FeatureCollection',
      features: [feature('W', null, west), feature('E', 100, east)],
    };
    const filled = populationFromGrid(collection, grid(values));
    expect(filled.filled).toBe(1);
    expect(filled.collection.features[0]!.properties!.population).toBe(8);
    expect(filled.collection.features[1]).toBe(collection.features[1]);
    const { records } = validateCommunities(filled.collection, 'c.geojson');
    const { demand } = buildDemand(records, undefined, { populationGrid: grid(values) });
    // Filled from the same raster, the shares are the cells' own counts.
    expect([...demand.weight].filter((_, i) => demand.owner[i] === 0)).toEqual([1, 3, 4]);
  });

  it('keeps every community population whatever the raster holds (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(Number.NaN), fc.float({ min: 0, max: 1000, noNaN: true })), {
          minLength: 8,
          maxLength: 8,
        }),
        fc.integer({ min: 0, max: 100_000 }),
        (values, population) => {
          const { records } = validateCommunities(
            { type: 'FeatureCollection', features: [feature('W', population, west)] },
            'c.geojson',
          );
          const { demand } = buildDemand(records, undefined, { populationGrid: grid(values) });
          const total = demand.weight.reduce((a, b) => a + b, 0);
          expect(total).toBeCloseTo(population, 6);
        },
      ),
    );
  });
});

describe('buildDemand with building footprints', () => {
  // Two 20 m squares inside one 200 m community, 10 and 2 floors, and one outside.
  const mLon = metresPerDegreeLon(35.55);
  const square = (lon: number, lat: number, sideM: number): Polygon =>
    box(lon, lat, lon + sideM / mLon, lat + sideM / METRES_PER_DEGREE);
  const community = square(106.6, 35.55, 200);
  const buildingsOf = (properties: Record<string, unknown>[]) => ({
    type: 'FeatureCollection' as const,
    features: [
      { type: 'Feature' as const, properties: properties[0]!, geometry: square(106.6001, 35.5501, 20) },
      { type: 'Feature' as const, properties: properties[1]!, geometry: square(106.601, 35.551, 20) },
      { type: 'Feature' as const, properties: properties[2]!, geometry: square(106.7, 35.7, 20) },
    ],
  });

  it('weights by footprint area × floors and reports footprints outside every community', () => {
    const { buildings, warnings } = buildingFootprints(
      buildingsOf([{ floors: 10 }, { floors: 2 }, { floors: 5 }]),
      'b.geojson',
    );
    expect(warnings).toEqual([]);
    expect(buildings.footprints[0]!.areaM2).toBeCloseTo(400, 0);
    const { records } = validateCommunities(
      { type: 'FeatureCollection', features: [feature('C', 1200, community)] },
      'c.geojson',
    );
    const { demand, report } = buildDemand(records, undefined, { buildings });
    expect(demand.method).toEqual(['buildings']);
    expect([...demand.weight].map((w) => Math.round(w))).toEqual([1000, 200]);
    expect([...demand.sourceIndex]).toEqual([0, 1]);
    expect(report.weighting).toMatchObject({
      source: 'buildings',
      read: 3,
      inside: 2,
      outside: 1,
      floors_column: 'floors',
    });
  });

  it('reads floors from height at 3 m a floor, and from 层数', () => {
    const byHeight = buildingFootprints(buildingsOf([{ height: 30 }, { height: 7 }, {}]), 'b.geojson');
    expect(byHeight.buildings.footprints.map((b) => b.floors)).toEqual([10, 2, 1]);
    expect(byHeight.warnings.map((w) => [w.code, w.field])).toEqual([['buildings-no-floors', 'height']]);
    const byChinese = buildingFootprints(buildingsOf([{ 层数: 6 }, { 层数: '3' }, { 层数: 1 }]), 'b.geojson');
    expect(byChinese.buildings.floorsColumn).toBe('层数');
    expect(byChinese.buildings.footprints.map((b) => b.floors)).toEqual([6, 3, 1]);
  });

  it('warns and weights by area alone when no floors or height column exists', () => {
    const { buildings, warnings } = buildingFootprints(buildingsOf([{ name: 'a' }, {}, {}]), 'b.geojson');
    expect(buildings.floorsColumn).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'buildings-no-floors', file: 'b.geojson', field: 'floors' });
    expect(warnings[0]!.message).toContain('footprint area alone');
  });
});

describe('the demand grid is never silently coarsened', () => {
  it('reports the real spacing of a capped grid per community and in the report', () => {
    const big = box(106.6, 35.5, 106.65, 35.55); // about 4.5 km × 5.6 km: far over 2,000 points at 50 m
    const small = box(106.7, 35.5, 106.701, 35.501);
    const { records } = validateCommunities(
      { type: 'FeatureCollection', features: [feature('BIG', 1000, big), feature('S', 10, small)] },
      'c.geojson',
    );
    const { demand, report, warnings } = buildDemand(records, undefined, { communitiesFile: 'c.geojson' });
    expect(demand.gridSpacingM![0]).toBeGreaterThan(50);
    expect(demand.gridSpacingM![1]).toBe(50);
    expect(report.coarsened.communities).toBe(1);
    expect(report.coarsened.largest_spacing_m).toBeCloseTo(demand.gridSpacingM![0]!, 1);
    expect(warnings.map((w) => [w.code, w.file])).toEqual([['demand-grid-coarsened', 'c.geojson']]);
    expect(warnings[0]!.message).toContain('BIG');
  });
});
