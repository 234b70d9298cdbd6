// Demand points: the grid inside polygon communities and the assignment of demand-file points.
import turfArea from '@turf/area';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import fc from 'fast-check';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import {
  analyzeCoverage,
  buildDemand,
  type CommunityRecord,
  type DemandPoints,
  haversineM,
  OptionError,
  validateCommunities,
  validateDemandPoints,
} from '../index.js';
import { gridPointsInside } from './index.js';

const O: [number, number] = [106.66, 35.54];

/** Rectangle `widthM` × `heightM` with its south-west corner `dx`, `dy` metres from O. */
function rect(dx: number, dy: number, widthM: number, heightM: number): Position[] {
  const mLon = metresPerDegreeLon(O[1]);
  const x0 = O[0] + dx / mLon;
  const y0 = O[1] + dy / METRES_PER_DEGREE;
  const x1 = x0 + widthM / mLon;
  const y1 = y0 + heightM / METRES_PER_DEGREE;
  return [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
}

const polygon = (...rings: Position[][]): Polygon => ({ type: 'Polygon', coordinates: rings });

/**
 * A `sizeM` square centred on a corner of the 50 m demand lattice near O, half a cell from every
 * lattice point, so that the grid finds no point inside it.
 */
function offLatticeSquare(sizeM: number): Polygon {
  const dLat = 50 / METRES_PER_DEGREE;
  const y = Math.floor(O[1] / dLat) * dLat;
  const mLon = metresPerDegreeLon(y);
  const dLon = 50 / mLon;
  const x = Math.floor(O[0] / dLon) * dLon;
  const hx = sizeM / 2 / mLon;
  const hy = sizeM / 2 / METRES_PER_DEGREE;
  return polygon([
    [x - hx, y - hy],
    [x + hx, y - hy],
    [x + hx, y + hy],
    [x - hx, y + hy],
    [x - hx, y - hy],
  ]);
}

function nearestNeighbourM(points: Position[], i: number): number {
  let best = Number.POSITIVE_INFINITY;
  const [lon, lat] = points[i]!;
  points.forEach((p, j) => {
    if (j !== i) best = Math.min(best, haversineM(lon!, lat!, p[0]!, p[1]!));
  });
  return best;
}

function pointsOf(demand: DemandPoints, community: number) {
  const out: { lon: number; lat: number; weight: number; source: number }[] = [];
  for (let i = 0; i < demand.owner.length; i++) {
    if (demand.owner[i] !== community) continue;
    out.push({
      lon: demand.coords[2 * i]!,
      lat: demand.coords[2 * i + 1]!,
      weight: demand.weight[i]!,
      source: demand.sourceIndex[i]!,
    });
  }
  return out;
}

const communityFeature = (id: string, population: number, geometry: unknown) => ({
  type: 'Feature',
  properties: { id, population },
  geometry,
});
const pointFeature = (properties: Record<string, unknown>, at: Position) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Point', coordinates: at },
});
const collection = (features: unknown[]) => ({ type: 'FeatureCollection', features });

function records(features: unknown[]): CommunityRecord[] {
  const v = validateCommunities(collection(features), 'c.geojson');
  expect(v.rejected).toEqual([]);
  return v.records;
}

describe('gridPointsInside', () => {
  it('returns the point itself for a Point community', () => {
    expect(gridPointsInside({ type: 'Point', coordinates: O }, 50, 2000)).toEqual([O]);
  });

  it('puts every point inside the polygon, about cellM apart, about area / cellM² of them', () => {
    const geometry = polygon(rect(0, 0, 500, 300));
    const points = gridPointsInside(geometry, 50, 2000);
    expect(points.length).toBeGreaterThanOrEqual(50);
    expect(points.length).toBeLessThanOrEqual(72);
    expect(points.length / (turfArea(geometry) / 2500)).toBeCloseTo(1, 0);
    for (const p of points) expect(booleanPointInPolygon(p, geometry)).toBe(true);
    for (let i = 0; i < points.length; i++) {
      expect(Math.abs(nearestNeighbourM(points, i) - 50)).toBeLessThan(0.5);
    }
  });

  it('keeps the spacing for other cell sizes', () => {
    const geometry = polygon(rect(-400, 200, 400, 400));
    for (const cellM of [20, 75, 130]) {
      const points = gridPointsInside(geometry, cellM, 100_000);
      expect(points.length).toBeGreaterThan(0);
      for (const p of points) expect(booleanPointInPolygon(p, geometry)).toBe(true);
      for (let i = 0; i < points.length; i += 7) {
        expect(nearestNeighbourM(points, i) / cellM).toBeCloseTo(1, 2);
      }
      expect(points.length / (turfArea(geometry) / cellM ** 2)).toBeGreaterThan(0.7);
      expect(points.length / (turfArea(geometry) / cellM ** 2)).toBeLessThan(1.3);
    }
  });

  it('anchors the lattice at whole multiples of the cell: east-west neighbours line up', () => {
    const a = gridPointsInside(polygon(rect(0, 0, 300, 300)), 50, 2000);
    const b = gridPointsInside(polygon(rect(300, 0, 300, 300)), 50, 2000);
    const lats = (points: Position[]) => [...new Set(points.map((p) => p[1]))].sort();
    expect(lats(b)).toEqual(lats(a));
    const dLat = 50 / METRES_PER_DEGREE;
    for (const p of [...a, ...b]) {
      const k = p[1]! / dLat - 0.5;
      expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-6);
    }
  });

  it('north-south neighbours share the lattice columns, as documented', () => {
    const a = gridPointsInside(polygon(rect(0, 0, 300, 300)), 50, 2000);
    const b = gridPointsInside(polygon(rect(0, 300, 300, 300)), 50, 2000);
    const lons = (points: Position[]) => [...new Set(points.map((p) => p[0]))].sort();
    expect(lons(b)).toEqual(lons(a));
  });

  it('leaves out holes and covers every part of a MultiPolygon', () => {
    const outer = rect(0, 0, 600, 600);
    const hole = rect(200, 200, 200, 200).reverse();
    const geometry: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [[outer, hole], [rect(1000, 0, 200, 200)]],
    };
    const points = gridPointsInside(geometry, 25, 100_000);
    for (const p of points) {
      expect(booleanPointInPolygon(p, geometry)).toBe(true);
      expect(booleanPointInPolygon(p, polygon(hole))).toBe(false);
    }
    expect(points.some((p) => booleanPointInPolygon(p, polygon(rect(1000, 0, 200, 200))))).toBe(true);
    // (600² − 200² + 200²) / 25² = 576 cells.
    expect(points.length / 576).toBeCloseTo(1, 1);
  });

  it('widens the grid to stay within maxPoints', () => {
    const geometry = polygon(rect(0, 0, 5000, 5000));
    const points = gridPointsInside(geometry, 50, 2000);
    expect(points.length).toBeLessThanOrEqual(2000);
    expect(points.length).toBeGreaterThan(1000);
    expect(nearestNeighbourM(points, 0)).toBeGreaterThan(50);
    for (const p of points) expect(booleanPointInPolygon(p, geometry)).toBe(true);
  });

  it('finds no point in a polygon smaller than a cell that misses every lattice point', () => {
    expect(gridPointsInside(offLatticeSquare(10), 50, 2000)).toEqual([]);
  });
});

describe('buildDemand without a demand file', () => {
  const communities = records([
    communityFeature('pt', 120, { type: 'Point', coordinates: [106.65, 35.53] }),
    communityFeature('sq', 1000, polygon(rect(0, 0, 400, 400))),
    communityFeature('zero', 0, polygon(rect(600, 0, 200, 200))),
    communityFeature('tiny', 37, offLatticeSquare(8)),
    communityFeature('odd', 333.3, {
      type: 'MultiPolygon',
      coordinates: [[rect(-800, 0, 150, 150)], [rect(-500, 0, 150, 150)]],
    }),
  ]);
  const { demand, rejected, warnings } = buildDemand(communities, undefined, { cellM: 50 });

  it('gives each community contiguous points whose weights sum to its population', () => {
    expect(rejected).toEqual([]);
    expect(warnings).toEqual([]);
    expect(demand.ownerCount).toBe(5);
    const owners = Array.from(demand.owner);
    expect(owners).toEqual([...owners].sort((a, b) => a - b));
    communities.forEach((c, i) => {
      const points = pointsOf(demand, i);
      expect(points.length).toBeGreaterThan(0);
      const total = points.reduce((s, p) => s + p.weight, 0);
      expect(total).toBeCloseTo(c.population, 9);
      for (const p of points) expect(p.source).toBe(-1);
    });
  });

  it('records how each community was placed', () => {
    expect(demand.method).toEqual(['point', 'grid', 'grid', 'surface-point', 'grid']);
    expect(pointsOf(demand, 0)).toEqual([{ lon: 106.65, lat: 35.53, weight: 120, source: -1 }]);
  });

  it('spreads a polygon’s population equally over grid points inside it', () => {
    const points = pointsOf(demand, 1);
    expect(points.length).toBeGreaterThanOrEqual(56);
    expect(points.length).toBeLessThanOrEqual(72);
    for (const p of points) {
      expect(p.weight).toBeCloseTo(1000 / points.length, 12);
      expect(booleanPointInPolygon([p.lon, p.lat], communities[1]!.geometry as Polygon)).toBe(true);
    }
  });

  it('puts a polygon smaller than a cell on one point on its surface', () => {
    const points = pointsOf(demand, 3);
    expect(points).toHaveLength(1);
    expect(points[0]!.weight).toBe(37);
    expect(booleanPointInPolygon([points[0]!.lon, points[0]!.lat], communities[3]!.geometry as Polygon)).toBe(
      true,
    );
  });

  it('rejects a cell size that is not positive, as an option mistake', () => {
    expect(() => buildDemand(communities, undefined, { cellM: 0 })).toThrowError(OptionError);
    expect(() => buildDemand(communities, undefined, { cellM: 0 })).toThrowError(
      "cellM: the demand grid's cell must be positive, got 0.",
    );
    expect(() => buildDemand(communities, undefined, { cellM: Number.NaN })).toThrowError(
      /^cellM: the demand grid's cell must be positive, got NaN\.$/,
    );
  });

  it('coarsens the grid of a large polygon to maxPointsPerCommunity', () => {
    const big = records([communityFeature('big', 5000, polygon(rect(0, 0, 3000, 3000)))]);
    const built = buildDemand(big, undefined, { cellM: 50, maxPointsPerCommunity: 300 });
    expect(built.demand.owner.length).toBeLessThanOrEqual(300);
    expect(built.demand.weight.reduce((s, w) => s + w, 0)).toBeCloseTo(5000, 9);
  });
});

describe('buildDemand with a demand file', () => {
  const communities = records([
    communityFeature('west', 500, polygon(rect(0, 0, 400, 400))),
    communityFeature('east', 800, polygon(rect(300, 0, 400, 400))), // overlaps west between 300 and 400 m
    communityFeature('pt', 90, { type: 'Point', coordinates: [106.7, 35.6] }),
    communityFeature('empty', 70, polygon(rect(2000, 2000, 200, 200))),
  ]);
  const at = (dx: number, dy: number): Position => [
    O[0] + dx / metresPerDegreeLon(O[1]),
    O[1] + dy / METRES_PER_DEGREE,
  ];
  const file = validateDemandPoints(
    collection([
      pointFeature({ id: 'b0', population: 40 }, at(100, 100)), // west by containment
      pointFeature({ id: 'b1', population: 60 }, at(600, 100)), // east by containment
      pointFeature({ id: 'b2', population: 25 }, at(350, 100)), // in both: west comes first
      pointFeature({ id: 'b3', population: 15, community_id: 'east' }, at(100, 300)), // id beats position
      pointFeature({ id: 'b4', population: 9, community: 'pt' }, at(-3000, -3000)), // community alias key
      pointFeature({ id: 'b5', population: 5 }, at(-3000, -3000)), // in no polygon
      pointFeature({ id: 'b6', population: 5, community_id: 'nowhere' }, at(100, 100)), // unknown id
      pointFeature({ id: 'b7', population: 7 }, [106.7, 35.6]), // on the Point community: not contained
    ]),
    'd.geojson',
  );
  expect(file.rejected).toEqual([]);
  const built = buildDemand(communities, { records: file.records, file: 'd.geojson' }, { cellM: 50 });

  it('assigns points by community_id, else by the first polygon containing them', () => {
    const sources = (c: number) => pointsOf(built.demand, c).map((p) => p.source);
    expect(sources(0)).toEqual([0, 2]);
    expect(sources(1)).toEqual([1, 3]);
    expect(sources(2)).toEqual([4]);
    expect(built.demand.method).toEqual(['demand-file', 'demand-file', 'demand-file', 'grid']);
  });

  it('weights the points with the file’s population, not the community’s', () => {
    const weight = (c: number) => pointsOf(built.demand, c).reduce((s, p) => s + p.weight, 0);
    expect(weight(0)).toBe(65);
    expect(weight(1)).toBe(75);
    expect(weight(2)).toBe(9);
    expect(weight(3)).toBeCloseTo(70, 9);
  });

  it('rejects points in no community polygon and points naming an unknown community', () => {
    expect(built.rejected).toEqual([
      {
        file: 'd.geojson',
        index: 5,
        id: 'b5',
        field: 'geometry',
        reason: expect.stringContaining('lies in no community polygon'),
      },
      {
        file: 'd.geojson',
        index: 6,
        id: 'b6',
        field: 'community_id',
        reason: "no community has id 'nowhere'",
      },
      {
        file: 'd.geojson',
        index: 7,
        id: 'b7',
        field: 'geometry',
        reason: expect.stringContaining('give it a community_id property'),
      },
    ]);
  });

  it('warns no-demand-points naming the communities that kept their own grid', () => {
    expect(built.warnings).toContainEqual({
      code: 'no-demand-points',
      file: 'd.geojson',
      message: expect.stringContaining('use their own population spread over their area: empty'),
    });
  });

  it("warns when a community's demand points do not add up to its own population", () => {
    const one = records([communityFeature('c', 100, polygon(rect(0, 0, 200, 200)))]);
    const agree = validateDemandPoints(
      collection([pointFeature({ population: 100.5, community_id: 'c' }, O)]),
    );
    expect(buildDemand(one, { records: agree.records, file: 'd.geojson' }).warnings).toEqual([]);
    const differ = validateDemandPoints(collection([pointFeature({ population: 80, community_id: 'c' }, O)]));
    expect(buildDemand(one, { records: differ.records, file: 'd.geojson' }).warnings).toEqual([
      {
        code: 'demand-population-differs',
        file: 'd.geojson',
        field: 'population',
        message:
          "the demand points of 1 community sum to more than 1 % away from the community's own population; the demand points are used: c (80 vs 100)",
      },
    ]);
  });

  it('writes exactly the points placed, in community order, whichever communities lack points (property)', () => {
    // Point communities (and at times a polygon) and a file naming some of them, some no one: the
    // columns are exact (no slack kept), and agree with a reference that walks the communities.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        fc.array(fc.integer({ min: -1, max: 7 }), { maxLength: 25 }),
        (pointCommunities, withPolygon, named) => {
          const at = (k: number): Position => [O[0] + k * 1e-3, O[1] + k * 5e-4];
          const features = Array.from({ length: pointCommunities }, (_, c) =>
            communityFeature(`p${c}`, 10 + c, { type: 'Point', coordinates: at(c) }),
          );
          if (withPolygon) features.push(communityFeature('poly', 50, polygon(rect(0, 0, 120, 120))));
          const communities = records(features);
          const ids = communities.map((c) => c.id);
          const file = validateDemandPoints(
            collection(
              named.map((c, k) =>
                pointFeature({ population: k + 1, community_id: c < 0 ? 'nowhere' : `p${c}` }, at(20 + k)),
              ),
            ),
          );
          const { demand } = buildDemand(communities, { records: file.records, file: 'd.geojson' });
          const expected: number[][] = [];
          communities.forEach((community, c) => {
            const mine = named.flatMap((n, k) => (`p${n}` === ids[c] ? [k] : []));
            for (const k of mine) expected.push([...at(20 + k), k + 1, c, k]);
            if (mine.length === 0 && community.geometry.type === 'Point')
              expected.push([...at(c), community.population, c, -1]);
          });
          const n = demand.owner.length;
          // The polygon without points is spread over its grid, after the points before it.
          const written = Array.from({ length: n }, (_, i) => [
            demand.coords[2 * i]!,
            demand.coords[2 * i + 1]!,
            demand.weight[i]!,
            demand.owner[i]!,
            demand.sourceIndex[i]!,
          ]);
          expect(written.filter((row) => ids[row[3]!] !== 'poly')).toEqual(expected);
          for (const array of [demand.coords, demand.weight, demand.owner, demand.sourceIndex]) {
            expect(array.buffer.byteLength).toBe(array.byteLength);
          }
          expect(demand.coords.length).toBe(2 * n);
          expect(demand.weight.length).toBe(n);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rejects every point when all communities are Points and no point names one', () => {
    const pts = records([communityFeature('p', 10, { type: 'Point', coordinates: O })]);
    const only = validateDemandPoints(collection([pointFeature({ population: 3 }, O)]));
    const b = buildDemand(pts, { records: only.records, file: 'd.geojson' });
    expect(b.rejected.map((r) => [r.index, r.field])).toEqual([[0, 'geometry']]);
    expect(b.demand.method).toEqual(['point']);
  });

  it('runs through analyzeCoverage: file rejections in summary.rejected, measured population from the file', () => {
    const result = analyzeCoverage(
      {
        communities: collection([communityFeature('west', 500, polygon(rect(0, 0, 400, 400)))]),
        facilities: collection([pointFeature({ id: 'k', type: 'kindergarten' }, at(100, 100))]),
        demand: collection([
          pointFeature({ population: 40 }, at(100, 100)),
          pointFeature({ population: 60 }, at(390, 390)),
          pointFeature({ population: 5 }, at(-900, -900)),
        ]),
        files: { demand: 'buildings.geojson' },
      },
      { radii: { kindergarten: 200 } },
    );
    expect(result.summary.rejected).toEqual([
      expect.objectContaining({ file: 'buildings.geojson', index: 2, field: 'geometry' }),
    ]);
    expect(result.summary.population).toBe(100);
    expect(result.summary.demand.methods).toEqual({ 'demand-file': 1 });
    const r = result.communities[0]!.types.kindergarten!;
    expect(r.coveredPopulation).toBe(40);
    expect(r.coveredShare).toBe(0.4);
  });
});
