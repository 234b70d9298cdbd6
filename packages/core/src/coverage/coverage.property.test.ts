// Property tests of analyzeCoverage on small random cities around Pingliang (106.66E 35.54N):
// bounds of every coverage figure, monotonicity in facilities and radius, accounting of every input
// feature, no input mutation, and nearest distances against a brute-force haversine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { squareRing } from '../../test/features.js';
import { referenceHaversine } from '../../test/reference.js';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import {
  type AnalysisOptions,
  type AnalysisResult,
  analyzeCoverage,
  communityFeatureCollection,
  gapRows,
  InputError,
} from '../index.js';

const CENTRE = { lon: 106.66, lat: 35.54 };
const M_LON = metresPerDegreeLon(CENTRE.lat);
const TYPES = ['kindergarten', 'nursery_childcare', 'fresh_market'] as const;
const RUNS = { seed: 42, numRuns: 60 };

const lonAt = (dx: number) => CENTRE.lon + dx / M_LON;
const latAt = (dy: number) => CENTRE.lat + dy / METRES_PER_DEGREE;

/** A square ring of side `size` metres with its south-west corner at (dx, dy). */
const square = (dx: number, dy: number, size: number) => squareRing(CENTRE.lon, CENTRE.lat, dx, dy, size);

interface CommunitySpec {
  shape: 'point' | 'polygon' | 'multipolygon';
  dx: number;
  dy: number;
  size: number;
  population: number;
  district: string | null;
}

interface FacilitySpec {
  type: number;
  dx: number;
  dy: number;
  status: 'open' | 'planned' | 'under_construction' | 'closed';
  capacity: number | undefined;
  polygon: boolean;
}

interface CitySpec {
  types: (typeof TYPES)[number][];
  communities: CommunitySpec[];
  facilities: FacilitySpec[];
  radii: number[];
  includePlanned: boolean;
}

const metres = fc.integer({ min: -1500, max: 1500 });

const communityArb: fc.Arbitrary<CommunitySpec> = fc.record({
  shape: fc.constantFrom('point', 'polygon', 'multipolygon'),
  dx: metres,
  dy: metres,
  size: fc.integer({ min: 20, max: 400 }),
  population: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 5000 }),
    fc.double({ min: 0.5, max: 3000, noNaN: true }),
  ),
  district: fc.constantFrom('东区', '西区', null),
});

const facilityArb: fc.Arbitrary<FacilitySpec> = fc.record({
  type: fc.nat({ max: 2 }),
  dx: metres,
  dy: metres,
  status: fc.constantFrom('open', 'open', 'open', 'planned', 'under_construction', 'closed'),
  capacity: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
  polygon: fc.nat({ max: 6 }).map((n) => n === 0),
});

const cityArb: fc.Arbitrary<CitySpec> = fc.record({
  types: fc.shuffledSubarray([...TYPES], { minLength: 1, maxLength: 3 }),
  communities: fc.array(communityArb, { minLength: 1, maxLength: 8 }),
  facilities: fc.array(facilityArb, { minLength: 0, maxLength: 8 }),
  radii: fc.array(fc.integer({ min: 50, max: 2000 }), { minLength: 3, maxLength: 3 }),
  includePlanned: fc.boolean(),
});

function communityFeature(spec: CommunitySpec, id: string): Record<string, unknown> {
  let geometry: Record<string, unknown>;
  if (spec.shape === 'point') geometry = { type: 'Point', coordinates: [lonAt(spec.dx), latAt(spec.dy)] };
  else if (spec.shape === 'polygon')
    geometry = { type: 'Polygon', coordinates: [square(spec.dx, spec.dy, spec.size)] };
  else {
    const half = Math.max(10, spec.size / 2);
    geometry = {
      type: 'MultiPolygon',
      coordinates: [[square(spec.dx, spec.dy, half)], [square(spec.dx + spec.size, spec.dy, half)]],
    };
  }
  const properties: Record<string, unknown> = { id, population: spec.population, name: `小区${id}` };
  if (spec.district !== null) properties.district = spec.district;
  return { type: 'Feature', properties, geometry };
}

function facilityFeature(spec: FacilitySpec, id: string, types: readonly string[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    id,
    type: types[spec.type % types.length],
    status: spec.status,
  };
  if (spec.capacity !== undefined) properties.capacity = spec.capacity;
  const geometry = spec.polygon
    ? { type: 'Polygon', coordinates: [square(spec.dx, spec.dy, 30)] }
    : { type: 'Point', coordinates: [lonAt(spec.dx), latAt(spec.dy)] };
  return { type: 'Feature', properties, geometry };
}

function cityInput(city: CitySpec, extraFacilities: FacilitySpec[] = []) {
  return {
    communities: {
      type: 'FeatureCollection',
      features: city.communities.map((c, i) => communityFeature(c, `c${i}`)),
    },
    facilities: {
      type: 'FeatureCollection',
      features: [...city.facilities, ...extraFacilities].map((f, i) =>
        facilityFeature(f, `f${i}`, city.types),
      ),
    },
  };
}

function cityOptions(city: CitySpec, radiusOverride?: { type: string; radius: number }): AnalysisOptions {
  const radii: Record<string, number> = {};
  city.types.forEach((t, i) => {
    radii[t] = city.radii[i]!;
  });
  if (radiusOverride) radii[radiusOverride.type] = radiusOverride.radius;
  return { radii, types: [...city.types], includePlanned: city.includePlanned };
}

/** Covered and nearest figures compare with `null` nearest meaning "nothing at any distance". */
const nearestOf = (m: number | null) => (m === null ? Number.POSITIVE_INFINITY : m);

function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
}

/** A covered population between 0 and the population it is part of, and its share, where given, in [0, 1]. */
function expectCoveredWithin(
  figures: { coveredPopulation: number; coveredShare: number | null },
  population: number,
): void {
  expect(figures.coveredPopulation).toBeGreaterThanOrEqual(0);
  expect(figures.coveredPopulation).toBeLessThanOrEqual(population);
  if (figures.coveredShare !== null) {
    expect(figures.coveredShare).toBeGreaterThanOrEqual(0);
    expect(figures.coveredShare).toBeLessThanOrEqual(1);
  }
}

function expectBounded(result: AnalysisResult): void {
  const { summary } = result;
  for (const community of result.communities) {
    expect(community.population).toBeGreaterThanOrEqual(0);
    for (const type of result.types) {
      const r = community.types[type.id]!;
      expectCoveredWithin(r, community.population);
      if (community.population > 0) {
        expect(r.coveredShare).not.toBeNull();
      } else {
        expect(r.coveredShare).toBeNull();
        expect(r.gap).toBe(false);
      }
      expect(r.gap).toBe(community.gaps.includes(type.id));
    }
  }
  for (const type of result.types) {
    const t = summary.types[type.id]!;
    expectCoveredWithin(t, summary.population);
    expect(t.gapPopulation).toBeLessThanOrEqual(summary.population);
    expect(t.gapCommunities).toBeLessThanOrEqual(summary.communities);
  }
  let districtPopulation = 0;
  let districtCommunities = 0;
  for (const district of Object.values(summary.districts)) {
    districtPopulation += district.population;
    districtCommunities += district.communities;
    for (const type of result.types) {
      expectCoveredWithin(district.types[type.id]!, district.population);
    }
  }
  expect(districtCommunities).toBe(summary.communities);
  // The summary rounds people to 0.1, so district sums may differ from the city by half a tenth each.
  const roundingSlack = 0.05 * (Object.keys(summary.districts).length + 1);
  expect(Math.abs(districtPopulation - summary.population)).toBeLessThanOrEqual(roundingSlack);
}

describe('coverage bounds', () => {
  it('covered population never exceeds population; shares stay in [0, 1]', () => {
    fc.assert(
      fc.property(cityArb, (city) => {
        const result = analyzeCoverage(cityInput(city), cityOptions(city));
        expectBounded(result);
      }),
      RUNS,
    );
  });
});

describe('monotonicity', () => {
  it('adding a facility never lowers coverage and never moves the nearest facility further', () => {
    fc.assert(
      fc.property(cityArb, facilityArb, (city, extraSpec) => {
        const extra: FacilitySpec = { ...extraSpec, status: 'open' };
        const options = cityOptions(city);
        const before = analyzeCoverage(cityInput(city), options);
        const after = analyzeCoverage(cityInput(city, [extra]), options);
        expect(after.communities.length).toBe(before.communities.length);
        before.communities.forEach((b, c) => {
          const a = after.communities[c]!;
          for (const type of before.types) {
            const rb = b.types[type.id]!;
            const ra = a.types[type.id]!;
            expect(ra.coveredPopulation).toBeGreaterThanOrEqual(rb.coveredPopulation);
            expect(ra.withinCount).toBeGreaterThanOrEqual(rb.withinCount);
            expect(nearestOf(ra.nearestM)).toBeLessThanOrEqual(nearestOf(rb.nearestM));
            if (rb.coveredShare !== null) expect(ra.coveredShare!).toBeGreaterThanOrEqual(rb.coveredShare);
            if (ra.gap) expect(rb.gap).toBe(true);
          }
        });
        for (const type of before.types) {
          const tb = before.summary.types[type.id]!;
          const ta = after.summary.types[type.id]!;
          expect(ta.coveredPopulation).toBeGreaterThanOrEqual(tb.coveredPopulation);
          expect(ta.gapCommunities).toBeLessThanOrEqual(tb.gapCommunities);
          expect(ta.gapPopulation).toBeLessThanOrEqual(tb.gapPopulation);
          expect(ta.facilities).toBeGreaterThanOrEqual(tb.facilities);
          for (const [name, district] of Object.entries(before.summary.districts)) {
            const db = district.types[type.id]!;
            const da = after.summary.districts[name]!.types[type.id]!;
            expect(da.coveredPopulation).toBeGreaterThanOrEqual(db.coveredPopulation);
            expect(da.facilities).toBeGreaterThanOrEqual(db.facilities);
          }
        }
      }),
      RUNS,
    );
  });

  it('adding a facility that does not serve (closed, or planned without includePlanned) changes no figure', () => {
    fc.assert(
      fc.property(cityArb, facilityArb, fc.constantFrom('closed', 'planned'), (city, extraSpec, status) => {
        const quiet = { ...city, includePlanned: false };
        const options = cityOptions(quiet);
        const before = analyzeCoverage(cityInput(quiet), options);
        const after = analyzeCoverage(
          cityInput(quiet, [{ ...extraSpec, status: status as FacilitySpec['status'] }]),
          options,
        );
        expect(after.communities.map((c) => c.types)).toEqual(before.communities.map((c) => c.types));
      }),
      RUNS,
    );
  });

  it('a larger radius never lowers coverage and leaves the nearest distance unchanged', () => {
    fc.assert(
      fc.property(
        cityArb,
        fc.nat({ max: 2 }),
        fc.integer({ min: 50, max: 2000 }),
        fc.integer({ min: 0, max: 2000 }),
        (city, typeIndex, r1, extra) => {
          const type = city.types[typeIndex % city.types.length]!;
          const input = cityInput(city);
          const small = analyzeCoverage(input, cityOptions(city, { type, radius: r1 }));
          const large = analyzeCoverage(input, cityOptions(city, { type, radius: r1 + extra }));
          small.communities.forEach((s, c) => {
            const l = large.communities[c]!;
            const rs = s.types[type]!;
            const rl = l.types[type]!;
            expect(rl.coveredPopulation).toBeGreaterThanOrEqual(rs.coveredPopulation);
            expect(rl.withinCount).toBeGreaterThanOrEqual(rs.withinCount);
            expect(rl.nearestM).toBe(rs.nearestM);
            expect(rl.nearestId).toBe(rs.nearestId);
            if (rl.gap) expect(rs.gap).toBe(true);
          });
          expect(large.summary.types[type]!.coveredPopulation).toBeGreaterThanOrEqual(
            small.summary.types[type]!.coveredPopulation,
          );
        },
      ),
      RUNS,
    );
  });

  it('without a radius constraint every populated community with a serving facility is fully covered', () => {
    fc.assert(
      fc.property(cityArb, (city) => {
        const options = cityOptions(city);
        for (const t of city.types) options.radii = { ...options.radii, [t]: 25_000_000 };
        const result = analyzeCoverage(cityInput(city), options);
        for (const community of result.communities) {
          for (const type of result.types) {
            const r = community.types[type.id]!;
            if (community.population === 0) continue;
            if (r.nearestM === null) {
              expect(r.coveredPopulation).toBe(0);
              expect(r.gap).toBe(true);
            } else {
              expect(r.coveredShare).toBe(1);
              expect(r.withinCount).toBe(result.coverage[type.id]!.facilityIndex.length);
              expect(r.gap).toBe(false);
            }
          }
        }
      }),
      RUNS,
    );
  });
});

// Broken features mixed into otherwise valid inputs. `accepted` kinds are suspicious but usable.
const BROKEN_COMMUNITY = [
  'missing-population',
  'negative-population',
  'text-population-bad',
  'nan-coordinates',
  'swapped-coordinates',
  'projected-coordinates',
  'out-of-range',
  'duplicate-id',
  'missing-id',
  'linestring',
  'null-geometry',
  'open-ring',
  'not-a-feature',
  'text-population-ok',
] as const;
const BROKEN_FACILITY = [
  'unknown-type',
  'missing-type',
  'nan-coordinates',
  'swapped-coordinates',
  'projected-coordinates',
  'duplicate-id',
  'missing-id',
  'linestring',
  'bad-status',
  'not-a-feature',
] as const;
type BrokenCommunity = (typeof BROKEN_COMMUNITY)[number];
type BrokenFacility = (typeof BROKEN_FACILITY)[number];

const point = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });

function brokenCommunity(kind: BrokenCommunity, n: number, validIds: readonly string[]): unknown {
  const id = `bad-c${n}`;
  const at = point(lonAt(10 * n), latAt(-10 * n));
  const feature = (properties: Record<string, unknown>, geometry: unknown) => ({
    type: 'Feature',
    properties,
    geometry,
  });
  switch (kind) {
    case 'missing-population':
      return feature({ id }, at);
    case 'negative-population':
      return feature({ id, population: -12 }, at);
    case 'text-population-bad':
      return feature({ id, population: '约300人' }, at);
    case 'nan-coordinates':
      return feature({ id, population: 10 }, point(Number.NaN, CENTRE.lat));
    case 'swapped-coordinates':
      return feature({ id, population: 10 }, point(CENTRE.lat, CENTRE.lon));
    case 'projected-coordinates':
      return feature({ id, population: 10 }, point(36_512_345, 3_934_567));
    case 'out-of-range':
      return feature({ id, population: 10 }, point(200, 95));
    case 'duplicate-id':
      return feature({ id: validIds[n % validIds.length], population: 10 }, at);
    case 'missing-id':
      return feature({ population: 10 }, at);
    case 'linestring':
      return feature(
        { id, population: 10 },
        { type: 'LineString', coordinates: [at.coordinates, [CENTRE.lon, CENTRE.lat]] },
      );
    case 'null-geometry':
      return feature({ id, population: 10 }, null);
    case 'open-ring':
      return feature(
        { id, population: 10 },
        { type: 'Polygon', coordinates: [square(0, 0, 100).slice(0, 4)] },
      );
    case 'not-a-feature':
      return { type: 'Point', coordinates: at.coordinates };
    case 'text-population-ok':
      return feature({ id, population: '250' }, at);
  }
}

function brokenFacility(kind: BrokenFacility, n: number, validIds: readonly string[]): unknown {
  const id = `bad-f${n}`;
  const at = point(lonAt(-10 * n), latAt(10 * n));
  const feature = (properties: Record<string, unknown>, geometry: unknown) => ({
    type: 'Feature',
    properties,
    geometry,
  });
  switch (kind) {
    case 'unknown-type':
      return feature({ id, type: '游泳馆' }, at);
    case 'missing-type':
      return feature({ id }, at);
    case 'nan-coordinates':
      return feature({ id, type: 'kindergarten' }, point(CENTRE.lon, Number.NaN));
    case 'swapped-coordinates':
      return feature({ id, type: 'kindergarten' }, point(CENTRE.lat, CENTRE.lon));
    case 'projected-coordinates':
      return feature({ id, type: 'kindergarten' }, point(512_345, 3_934_567));
    case 'duplicate-id':
      return validIds.length > 0
        ? feature({ id: validIds[n % validIds.length], type: 'kindergarten' }, at)
        : feature({ id, type: 'nowhere-type' }, at);
    case 'missing-id':
      return feature({ type: 'kindergarten' }, at);
    case 'linestring':
      return feature(
        { id, type: 'kindergarten' },
        { type: 'LineString', coordinates: [at.coordinates, [CENTRE.lon, CENTRE.lat]] },
      );
    case 'bad-status':
      return feature({ id, type: 'kindergarten', status: 'demolished' }, at);
    case 'not-a-feature':
      return 42;
  }
}

/** Inserts `extra` items into `list` at positions drawn from `slots`. */
function mixIn<T>(list: readonly T[], extra: readonly T[], slots: readonly number[]): T[] {
  const out = [...list];
  extra.forEach((item, k) => {
    out.splice((slots[k] ?? 0) % (out.length + 1), 0, item);
  });
  return out;
}

describe('accounting of input features', () => {
  it('every community and facility is either in the output or rejected, never both, never neither', () => {
    fc.assert(
      fc.property(
        cityArb,
        fc.array(fc.constantFrom(...BROKEN_COMMUNITY), { maxLength: 6 }),
        fc.array(fc.constantFrom(...BROKEN_FACILITY), { maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
        (city, badCommunities, badFacilities, slots) => {
          const valid = cityInput(city);
          const communityIds = city.communities.map((_, i) => `c${i}`);
          const facilityIds = city.facilities.map((_, i) => `f${i}`);
          const communityFeatures = mixIn(
            valid.communities.features as unknown[],
            badCommunities.map((k, n) => brokenCommunity(k, n, communityIds)),
            slots,
          );
          const facilityFeatures = mixIn(
            valid.facilities.features as unknown[],
            badFacilities.map((k, n) => brokenFacility(k, n, facilityIds)),
            slots.slice(6),
          );
          const result = analyzeCoverage(
            {
              communities: { type: 'FeatureCollection', features: communityFeatures },
              facilities: { type: 'FeatureCollection', features: facilityFeatures },
              files: { communities: 'c.geojson', facilities: 'f.geojson' },
            },
            cityOptions(city),
          );
          // A facility whose type maps to nothing is accounted for in the unmapped-categories table
          // (one row per category listing every feature index), not as a rejection line.
          const unmappedFacilities = (result.summary.categories?.unmapped ?? []).flatMap((u) => [
            ...u.indices,
          ]);
          const check = (file: string, total: number, outputIndexes: number[], tabled: number[] = []) => {
            const rejected = result.summary.rejected.filter((r) => r.file === file).map((r) => r.index);
            expect(new Set(rejected).size).toBe(rejected.length);
            expect(new Set(outputIndexes).size).toBe(outputIndexes.length);
            expect(new Set(tabled).size).toBe(tabled.length);
            for (const i of rejected) expect(outputIndexes).not.toContain(i);
            for (const i of tabled) {
              expect(outputIndexes).not.toContain(i);
              expect(rejected).not.toContain(i);
            }
            expect([...rejected, ...outputIndexes, ...tabled].sort((a, b) => a - b)).toEqual(
              Array.from({ length: total }, (_, i) => i),
            );
          };
          check(
            'c.geojson',
            communityFeatures.length,
            result.communities.map((c) => c.record.index),
          );
          check(
            'f.geojson',
            facilityFeatures.length,
            result.facilities.map((f) => f.index),
            unmappedFacilities,
          );
          // Every hard-broken feature is rejected; a duplicate id costs exactly one of the pair.
          const hardCommunities = badCommunities.filter((k) => k !== 'text-population-ok').length;
          expect(result.summary.rejected.filter((r) => r.file === 'c.geojson').length).toBe(hardCommunities);
          // With no valid facility to duplicate, 'duplicate-id' falls back to an unknown type too.
          const unknownTypes = badFacilities.filter(
            (k) => k === 'unknown-type' || (k === 'duplicate-id' && facilityIds.length === 0),
          ).length;
          expect(unmappedFacilities.length).toBe(unknownTypes);
          expect(result.summary.rejected.filter((r) => r.file === 'f.geojson').length).toBe(
            badFacilities.length - unknownTypes,
          );
          expect(result.communities.length).toBe(communityFeatures.length - hardCommunities);
        },
      ),
      RUNS,
    );
  });

  it('throws an InputError, not a partial result, when every community is broken', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            ...BROKEN_COMMUNITY.filter((k) => k !== 'text-population-ok' && k !== 'duplicate-id'),
          ),
          { minLength: 0, maxLength: 6 },
        ),
        (kinds) => {
          const features = kinds.map((k, n) => brokenCommunity(k, n, []));
          expect(() =>
            analyzeCoverage({
              communities: { type: 'FeatureCollection', features },
              facilities: { type: 'FeatureCollection', features: [] },
            }),
          ).toThrow(InputError);
        },
      ),
      { seed: 42, numRuns: 30 },
    );
  });
});

describe('input is not mutated', () => {
  it('leaves communities, facilities and demand deep-equal to what they were (also after the report helpers)', () => {
    fc.assert(
      fc.property(
        cityArb,
        fc.array(fc.constantFrom(...BROKEN_COMMUNITY), { maxLength: 3 }),
        fc.array(fc.constantFrom(...BROKEN_FACILITY), { maxLength: 3 }),
        fc.array(fc.record({ dx: metres, dy: metres, population: fc.integer({ min: 0, max: 50 }) }), {
          maxLength: 6,
        }),
        (city, badCommunities, badFacilities, demandSpecs) => {
          const valid = cityInput(city);
          const input = {
            communities: {
              type: 'FeatureCollection',
              features: [
                ...valid.communities.features,
                ...badCommunities.map((k, n) => brokenCommunity(k, n, ['c0'])),
              ],
            },
            facilities: {
              type: 'FeatureCollection',
              features: [
                ...valid.facilities.features,
                ...badFacilities.map((k, n) => brokenFacility(k, n, ['f0'])),
              ],
            },
            demand: {
              type: 'FeatureCollection',
              features: demandSpecs.map((d, i) => ({
                type: 'Feature',
                properties: { population: d.population, ...(i % 2 === 0 ? { community_id: 'c0' } : {}) },
                geometry: point(lonAt(d.dx), latAt(d.dy)),
              })),
            },
          };
          const copy = structuredClone(input);
          const options = cityOptions(city);
          const optionsCopy = structuredClone(options);
          const result = analyzeCoverage(input, options);
          communityFeatureCollection(result);
          gapRows(result);
          expect(input).toEqual(copy);
          expect(options).toEqual(optionsCopy);
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });
});

describe('nearest distances and covered population against brute force', () => {
  it('per-community nearest distance is the minimum haversine over its demand points and serving facilities', () => {
    fc.assert(
      fc.property(cityArb, (city) => {
        const result = analyzeCoverage(cityInput(city), cityOptions(city));
        const { coords, owner, weight } = result.demand;
        for (const type of result.types) {
          const serving = [...result.coverage[type.id]!.facilityIndex].map((fi) => result.facilities[fi]!);
          const radius = type.radius_m;
          result.communities.forEach((community, c) => {
            let best = Number.POSITIVE_INFINITY;
            let bestId: string | null = null;
            let covered = 0;
            let ambiguous = false;
            const within = new Set<string>();
            for (let i = 0; i < owner.length; i++) {
              if (owner[i] !== c) continue;
              let pointCovered = false;
              for (const f of serving) {
                const d = referenceHaversine(coords[2 * i]!, coords[2 * i + 1]!, f.lon, f.lat);
                if (d < best) {
                  best = d;
                  bestId = f.id;
                }
                if (Math.abs(d - radius) < 1e-6 * radius) ambiguous = true;
                if (d <= radius) {
                  pointCovered = true;
                  within.add(f.id);
                }
              }
              if (pointCovered) covered += weight[i]!;
            }
            const r = community.types[type.id]!;
            if (best === Number.POSITIVE_INFINITY) {
              expect(r.nearestM).toBeNull();
              expect(r.nearestId).toBeNull();
            } else {
              expect(relativeError(r.nearestM!, best)).toBeLessThan(1e-9);
              // Ties between facilities at the same distance may name either.
              const named = serving.find((f) => f.id === r.nearestId);
              expect(named).toBeDefined();
              expect(bestId).not.toBeNull();
            }
            if (!ambiguous) {
              expect(
                relativeError(r.coveredPopulation, Math.min(covered, community.population)),
              ).toBeLessThan(1e-9);
              expect(r.withinCount).toBe(within.size);
            }
          });
        }
      }),
      RUNS,
    );
  });
});
