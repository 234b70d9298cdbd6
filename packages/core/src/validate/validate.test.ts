// Every rejection reason and warning of the validation stage, with the field it names.
import { describe, expect, it } from 'vitest';
import {
  analyzeCoverage,
  FacilityCatalog,
  InputError,
  type Rejection,
  validateCommunities,
  validateDemandPoints,
  validateFacilities,
} from '../index.js';
import { featureCollectionOf, positionProblem } from '../internal.js';
import { DemandPointValidator } from './features.js';

const AT = [106.66, 35.54];
const point = (coordinates: unknown) => ({ type: 'Point', coordinates });
const feature = (properties: unknown, geometry: unknown = point(AT)) => ({
  type: 'Feature',
  properties,
  geometry,
});
const collection = (features: unknown[]) => ({ type: 'FeatureCollection', features });
const ring = [
  [106.66, 35.54],
  [106.67, 35.54],
  [106.67, 35.55],
  [106.66, 35.55],
  [106.66, 35.54],
];
const catalog = FacilityCatalog.builtIn();

function onlyRejection(rejected: readonly Rejection[]): Rejection {
  expect(rejected).toHaveLength(1);
  return rejected[0]!;
}

describe('featureCollectionOf', () => {
  const cases: [string, unknown, string][] = [
    ['null', null, 'got null'],
    ['an array', [feature({ id: 'a', population: 1 })], 'got an array'],
    ['a number', 5, 'got 5'],
    ['a string', 'communities', 'got "communities"'],
    ['a single Feature', feature({ id: 'a', population: 1 }), 'got an object of type "Feature"'],
    ['a Geometry', point(AT), 'got an object of type "Point"'],
    ['a FeatureCollection without features', { type: 'FeatureCollection' }, '"features" array'],
    ['features that are not an array', { type: 'FeatureCollection', features: {} }, '"features" array'],
    ['an object without type', { features: [] }, 'got an object of type null'],
  ];
  for (const [what, value, phrase] of cases) {
    it(`stops with an InputError naming the file for ${what}`, () => {
      let error: unknown;
      try {
        featureCollectionOf(value, 'xiaoqu.geojson');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).file).toBe('xiaoqu.geojson');
      expect((error as InputError).message).toMatch(
        /^xiaoqu\.geojson: (expected|is) a (GeoJSON )?FeatureCollection/,
      );
      expect((error as InputError).message).toContain(phrase);
    });
  }

  it('refuses a declared projected coordinate system, naming it', () => {
    const value = {
      ...collection([]),
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4547' } },
    };
    expect(() => featureCollectionOf(value, 'c.geojson')).toThrowError(
      /^c\.geojson: declares the coordinate system urn:ogc:def:crs:EPSG::4547; .*Reproject the file first\./,
    );
    const mercator = { ...collection([]), crs: { type: 'name', properties: { name: 'EPSG:3857' } } };
    expect(() => featureCollectionOf(mercator, 'c.geojson')).toThrow(InputError);
  });

  it('accepts the longitude/latitude systems it names', () => {
    for (const name of [
      'urn:ogc:def:crs:OGC:1.3:CRS84',
      'urn:ogc:def:crs:OGC::CRS84',
      'urn:ogc:def:crs:EPSG::4326',
      'EPSG:4326',
      'epsg:4490',
      'urn:ogc:def:crs:EPSG::4490',
      'EPSG:4979',
    ]) {
      const value = { ...collection([]), crs: { type: 'name', properties: { name } } };
      expect(featureCollectionOf(value, 'c.geojson')).toEqual({ features: [], warnings: [] });
    }
  });

  it('accepts the versioned URN urn:ogc:def:crs:EPSG:6.6:4326', () => {
    const value = {
      ...collection([]),
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG:6.6:4326' } },
    };
    expect(featureCollectionOf(value, 'c.geojson').features).toEqual([]);
  });
});

describe('positionProblem', () => {
  it('accepts longitude/latitude pairs, with or without elevation', () => {
    expect(positionProblem([106.66, 35.54])).toBeNull();
    expect(positionProblem([106.66, 35.54, 1350])).toBeNull();
    expect(positionProblem([-180, -90])).toBeNull();
    expect(positionProblem([180, 90])).toBeNull();
  });

  it('explains each kind of bad position', () => {
    expect(positionProblem(undefined)).toBe('expected a position [longitude, latitude]');
    expect(positionProblem([106.66])).toBe('expected a position [longitude, latitude]');
    expect(positionProblem({ lon: 1, lat: 2 })).toBe('expected a position [longitude, latitude]');
    expect(positionProblem([Number.NaN, 35.54])).toContain('coordinates must be finite numbers');
    expect(positionProblem([106.66, Number.POSITIVE_INFINITY])).toContain(
      'coordinates must be finite numbers',
    );
    expect(positionProblem(['106.66', '35.54'])).toBe(
      'coordinates must be finite numbers, got ["106.66", "35.54"]',
    );
    expect(positionProblem([null, 35.54])).toContain('finite numbers');
    expect(positionProblem([35.54, 106.66])).toContain('looks swapped');
    expect(positionProblem([35.54, 106.66])).toContain('[longitude, latitude]');
    expect(positionProblem([36_512_345.6, 3_934_567.8])).toContain('looks like projected metres');
    expect(positionProblem([512_345, 3_934_567])).toContain('reproject');
    expect(positionProblem([200, 50])).toContain('is out of range');
    expect(positionProblem([106.66, -95])).toContain('is out of range');
    expect(positionProblem([181, 91])).toContain('out of range');
  });
});

describe('validateCommunities rejections', () => {
  const cases: [string, unknown, string, string][] = [
    ['missing population', feature({ id: 'a' }), 'population', 'missing population'],
    ['null population', feature({ id: 'a', population: null }), 'population', 'missing population'],
    [
      'negative population',
      feature({ id: 'a', population: -12 }),
      'population',
      'population -12 is negative',
    ],
    ['text population', feature({ id: 'a', population: '约300人' }), 'population', 'got "约300人"'],
    [
      'empty-text population',
      feature({ id: 'a', population: '' }),
      'population',
      'expected a number of residents ≥ 0',
    ],
    ['boolean population', feature({ id: 'a', population: true }), 'population', 'got true'],
    ['missing id', feature({ population: 10 }), 'id', 'missing id'],
    ['blank id', feature({ id: '  ', population: 10 }), 'id', 'missing id'],
    ['null geometry', feature({ id: 'a', population: 10 }, null), 'geometry', 'missing or null geometry'],
    [
      'LineString geometry',
      feature({ id: 'a', population: 10 }, { type: 'LineString', coordinates: [AT, [106.67, 35.54]] }),
      'geometry',
      'geometry type "LineString" is not supported here',
    ],
    [
      'GeometryCollection',
      feature({ id: 'a', population: 10 }, { type: 'GeometryCollection', geometries: [] }),
      'geometry',
      'not supported here; expected Point, Polygon, MultiPolygon',
    ],
    ['empty Point', feature({ id: 'a', population: 10 }, point([])), 'geometry', 'expected a position'],
    [
      'NaN coordinates',
      feature({ id: 'a', population: 10 }, point([Number.NaN, 35.54])),
      'geometry',
      'coordinates must be finite numbers',
    ],
    [
      'swapped coordinates',
      feature({ id: 'a', population: 10 }, point([35.54, 106.66])),
      'geometry',
      'looks swapped',
    ],
    [
      'projected coordinates',
      feature({ id: 'a', population: 10 }, point([36_512_345, 3_934_567])),
      'geometry',
      'looks like projected metres',
    ],
    [
      'out-of-range coordinates',
      feature({ id: 'a', population: 10 }, point([200, 50])),
      'geometry',
      'is out of range',
    ],
    [
      'Polygon without rings',
      feature({ id: 'a', population: 10 }, { type: 'Polygon', coordinates: [] }),
      'geometry',
      'polygon has no rings',
    ],
    [
      'Polygon with an empty ring',
      feature({ id: 'a', population: 10 }, { type: 'Polygon', coordinates: [[]] }),
      'geometry',
      'polygon ring 0 has 0 positions',
    ],
    [
      'open Polygon ring',
      feature({ id: 'a', population: 10 }, { type: 'Polygon', coordinates: [ring.slice(0, 4)] }),
      'geometry',
      'is not closed',
    ],
    [
      'Polygon ring with projected coordinates',
      feature(
        { id: 'a', population: 10 },
        {
          type: 'Polygon',
          coordinates: [
            [
              [500_000, 3_900_000],
              [500_100, 3_900_000],
              [500_100, 3_900_100],
              [500_000, 3_900_000],
            ],
          ],
        },
      ),
      'geometry',
      'polygon ring 0: [500000, 3900000] looks like projected metres',
    ],
    [
      'bad hole',
      feature({ id: 'a', population: 10 }, { type: 'Polygon', coordinates: [ring, [[1, 2]]] }),
      'geometry',
      'polygon ring 1 has 1 positions',
    ],
    [
      'empty MultiPolygon',
      feature({ id: 'a', population: 10 }, { type: 'MultiPolygon', coordinates: [] }),
      'geometry',
      'MultiPolygon has no polygons',
    ],
    [
      'MultiPolygon with a bad member',
      feature({ id: 'a', population: 10 }, { type: 'MultiPolygon', coordinates: [[ring], []] }),
      'geometry',
      'polygon 1 has no rings',
    ],
  ];
  for (const [what, value, field, phrase] of cases) {
    it(`rejects ${what} (field ${field})`, () => {
      const v = validateCommunities(collection([value]), 'c.geojson');
      expect(v.records).toEqual([]);
      const r = onlyRejection(v.rejected);
      expect(r.file).toBe('c.geojson');
      expect(r.index).toBe(0);
      expect(r.field).toBe(field);
      expect(r.reason).toContain(phrase);
      expect(r.id).toBe(field === 'id' ? null : 'a');
    });
  }

  it('rejects an entry that is not a Feature (field type)', () => {
    for (const bad of [42, null, 'x', point(AT), []]) {
      const r = onlyRejection(validateCommunities(collection([bad]), 'c.geojson').rejected);
      expect(r).toEqual({
        file: 'c.geojson',
        index: 0,
        id: null,
        field: 'type',
        reason: 'expected a GeoJSON Feature object',
      });
    }
  });

  it('rejects the second of two features with one id, naming the first', () => {
    const v = validateCommunities(
      collection([
        feature({ id: 'a', population: 1 }),
        feature({ id: 'b', population: 2 }),
        feature({ id: 'a', population: 3 }),
      ]),
      'c.geojson',
    );
    expect(v.records.map((r) => r.index)).toEqual([0, 1]);
    const r = onlyRejection(v.rejected);
    expect(r).toMatchObject({ index: 2, id: 'a', field: 'id' });
    expect(r.reason).toBe("duplicate id 'a' (first used by feature 0)");
  });

  it('treats a numeric id and its text as the same id', () => {
    const v = validateCommunities(
      collection([
        feature({ id: 7, population: 1 }),
        { type: 'Feature', id: '7', properties: { population: 1 }, geometry: point(AT) },
      ]),
    );
    expect(v.records.map((r) => r.id)).toEqual(['7']);
    expect(onlyRejection(v.rejected).field).toBe('id');
  });

  it('does not reject a valid feature as a duplicate of a feature that was itself rejected', () => {
    const v = validateCommunities(
      collection([
        feature({ id: 'A', population: 10 }, point([Number.NaN, 35.54])),
        feature({ id: 'A', population: 10 }),
      ]),
    );
    expect(v.records.map((r) => r.index)).toEqual([1]);
  });
});

describe('validateCommunities records and warnings', () => {
  it('keeps the fields of a valid community', () => {
    const v = validateCommunities(
      collection([
        feature({ id: ' a1 ', name: ' 东苑小区 ', district: '崆峒区', population: 1200, households: 400 }),
        {
          type: 'Feature',
          id: 9,
          properties: { population: 0, district: 3 },
          geometry: { type: 'Polygon', coordinates: [ring] },
        },
      ]),
    );
    expect(v.rejected).toEqual([]);
    expect(v.warnings).toEqual([]);
    expect(v.records[0]).toMatchObject({
      index: 0,
      id: 'a1',
      name: '东苑小区',
      district: '崆峒区',
      population: 1200,
      households: 400,
    });
    expect(v.records[1]).toMatchObject({ index: 1, id: '9', name: null, district: '3', population: 0 });
    expect(v.records[1]!.households).toBeNaN();
  });

  it('warns numeric-text for population given as text, and uses it', () => {
    const v = validateCommunities(
      collection([feature({ id: 'a', population: ' 250 ' }), feature({ id: 'b', population: '1e3' })]),
      'c.geojson',
    );
    expect(v.records.map((r) => r.population)).toEqual([250, 1000]);
    expect(v.warnings).toEqual([
      {
        code: 'numeric-text',
        file: 'c.geojson',
        field: 'population',
        message: expect.stringContaining('#0 (a), #1 (b)'),
      },
    ]);
    expect(v.warnings[0]!.message).toMatch(/^population given as text in 2 features/);
  });

  it('warns invalid-optional-field for bad households and treats them as unknown', () => {
    const v = validateCommunities(
      collection([
        feature({ id: 'a', population: 10, households: 'many' }),
        feature({ id: 'b', population: 10, households: -3 }),
        feature({ id: 'c', population: 10, households: '' }),
      ]),
      'c.geojson',
    );
    expect(v.records.map((r) => r.households)).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(v.warnings).toHaveLength(1);
    expect(v.warnings[0]).toMatchObject({
      code: 'invalid-optional-field',
      file: 'c.geojson',
      field: 'households',
    });
    expect(v.warnings[0]!.message).toContain('#0 (a), #1 (b)');
    expect(v.warnings[0]!.message).not.toContain('(c)');
  });

  it('names the first five features of a warning and counts the rest', () => {
    const features = Array.from({ length: 8 }, (_, i) => feature({ id: `x${i}`, population: String(i) }));
    const [warning] = validateCommunities(collection(features)).warnings;
    expect(warning!.message).toBe(
      'population given as text in 8 features: #0 (x0), #1 (x1), #2 (x2), #3 (x3), #4 (x4) and 3 more',
    );
  });
});

describe('validateFacilities', () => {
  it('resolves ids, names and aliases of the catalog, ignoring case and separators', () => {
    const types = 'kindergarten,幼儿园,Kindergarten,托儿所,Child Care,elder-care_station,菜市场,CLINIC'.split(
      ',',
    );
    const v = validateFacilities(
      collection(types.map((type, i) => feature({ id: `f${i}`, type }, point([106.66 + i / 1000, 35.54])))),
      catalog,
    );
    expect(v.rejected).toEqual([]);
    expect(v.records.map((r) => r.typeId)).toEqual([
      'kindergarten',
      'kindergarten',
      'kindergarten',
      'nursery_childcare',
      'nursery_childcare',
      'elderly_service_station',
      'fresh_market',
      'community_health_station',
    ]);
  });

  const cases: [string, unknown, string, string][] = [
    ['missing type', feature({ id: 'f' }), 'type', 'missing type'],
    ['empty type', feature({ id: 'f', type: ' ' }), 'type', 'missing type'],
    [
      'unknown status',
      feature({ id: 'f', type: 'kindergarten', status: 'demolished' }),
      'status',
      "unknown status 'demolished'",
    ],
    ['missing id', feature({ type: 'kindergarten' }), 'id', 'missing id'],
    [
      'LineString',
      feature({ id: 'f', type: 'kindergarten' }, { type: 'LineString', coordinates: [AT, AT] }),
      'geometry',
      '"LineString"',
    ],
    [
      'NaN coordinates',
      feature({ id: 'f', type: 'kindergarten' }, point([106.66, Number.NaN])),
      'geometry',
      'finite numbers',
    ],
    [
      'swapped coordinates',
      feature({ id: 'f', type: 'kindergarten' }, point([35.54, 106.66])),
      'geometry',
      'looks swapped',
    ],
    [
      'projected coordinates',
      feature({ id: 'f', type: 'kindergarten' }, point([512_345, 3_934_567])),
      'geometry',
      'projected metres',
    ],
  ];
  for (const [what, value, field, phrase] of cases) {
    it(`rejects ${what} (field ${field})`, () => {
      const v = validateFacilities(collection([value]), catalog, 'f.geojson');
      expect(v.records).toEqual([]);
      const r = onlyRejection(v.rejected);
      expect(r).toMatchObject({ file: 'f.geojson', index: 0, field });
      expect(r.reason).toContain(phrase);
    });
  }

  it('counts an unknown type in the unmapped-categories table, not as a rejection', () => {
    const v = validateFacilities(collection([feature({ id: 'f', type: '游泳馆' })]), catalog, 'f.geojson');
    expect(v.records).toEqual([]);
    expect(v.rejected).toEqual([]);
    expect(v.categories?.unmapped).toEqual([
      {
        category: '游泳馆',
        field: 'type',
        facilities: 1,
        examples: [{ file: 'f.geojson', index: 0, id: 'f', name: null }],
        indices: [0],
        rule: null,
        name_rule: null,
        why: 'neither a catalog type nor a known POI category',
      },
    ]);
    expect(v.categories?.how_to_map).toContain('--type-map FILE');
  });

  it('suggests close catalog ids for a misspelt type and tells how to map it', () => {
    const v = validateFacilities(collection([feature({ id: 'f', type: 'kindergardn' })]), catalog);
    expect(v.categories?.unmapped[0]).toMatchObject({
      category: 'kindergardn',
      did_you_mean: ['kindergarten'],
    });
    expect(v.categories?.how_to_map).toContain('--catalog');
  });

  it('reads statuses in English and Chinese; open by default', () => {
    const statuses = [
      undefined,
      'Open',
      '运营',
      'planned',
      '规划',
      '拟建',
      'Under Construction',
      '在建',
      'closed',
      '已关闭',
    ];
    const v = validateFacilities(
      collection(
        statuses.map((status, i) =>
          feature({ id: `f${i}`, type: 'clinic', status }, point([106.66 + i / 1000, 35.54])),
        ),
      ),
      catalog,
    );
    expect(v.records.map((r) => r.status)).toEqual([
      'open',
      'open',
      'open',
      'planned',
      'planned',
      'planned',
      'under_construction',
      'under_construction',
      'closed',
      'closed',
    ]);
  });

  it('reads capacity and area, also as text; warns invalid-optional-field for bad ones', () => {
    const v = validateFacilities(
      collection([
        feature({ id: 'a', type: 'kindergarten', capacity: 90, area_m2: 1200 }, point([106.66, 35.54])),
        feature({ id: 'b', type: 'kindergarten', capacity: '60', area_m2: '' }, point([106.661, 35.54])),
        feature({ id: 'c', type: 'kindergarten', capacity: -5, area_m2: 'big' }, point([106.662, 35.54])),
      ]),
      catalog,
      'f.geojson',
    );
    expect(v.records.map((r) => [r.capacity, r.areaM2])).toEqual([
      [90, 1200],
      [60, Number.NaN],
      [Number.NaN, Number.NaN],
    ]);
    expect(v.warnings.map((w) => [w.code, w.field])).toEqual([
      ['invalid-optional-field', 'capacity'],
      ['invalid-optional-field', 'area_m2'],
    ]);
    expect(v.warnings[0]!.message).toContain('#2 (c)');
    expect(v.warnings[0]!.file).toBe('f.geojson');
  });

  it('places a polygon facility on its surface with a polygon-facility warning', () => {
    const v = validateFacilities(
      collection([feature({ id: 'p', type: 'fitness' }, { type: 'Polygon', coordinates: [ring] })]),
      catalog,
      'f.geojson',
    );
    const [r] = v.records;
    expect(r!.lon).toBeGreaterThanOrEqual(106.66);
    expect(r!.lon).toBeLessThanOrEqual(106.67);
    expect(r!.lat).toBeGreaterThanOrEqual(35.54);
    expect(r!.lat).toBeLessThanOrEqual(35.55);
    expect(v.warnings).toEqual([
      expect.objectContaining({ code: 'polygon-facility', field: 'geometry', file: 'f.geojson' }),
    ]);
  });

  it('warns duplicate-location for two facilities of one type at one position, keeping both', () => {
    const v = validateFacilities(
      collection([
        feature({ id: 'a', type: 'kindergarten' }),
        feature({ id: 'b', type: '幼儿园' }),
        feature({ id: 'c', type: 'clinic' }),
      ]),
      catalog,
    );
    expect(v.records).toHaveLength(3);
    expect(v.warnings).toEqual([expect.objectContaining({ code: 'duplicate-location', field: 'geometry' })]);
    expect(v.warnings[0]!.message).toContain('#1 (b, same as a)');
    expect(v.warnings[0]!.message).toContain('#1 (b, same as a)');
  });

  it('rejects duplicate facility ids', () => {
    const v = validateFacilities(
      collection([
        feature({ id: 'a', type: 'kindergarten' }),
        feature({ id: 'a', type: 'clinic' }, point([106.67, 35.54])),
      ]),
      catalog,
    );
    expect(onlyRejection(v.rejected)).toMatchObject({ index: 1, id: 'a', field: 'id' });
  });
});

describe('validateDemandPoints', () => {
  it('reads population and community_id or community; ids are optional', () => {
    const v = validateDemandPoints(
      collection([
        feature({ population: 12, community_id: 'c1' }),
        feature({ id: 'b2', population: '8', community: 'c2' }),
        feature({ population: 0 }),
      ]),
      'd.geojson',
    );
    expect(v.rejected).toEqual([]);
    expect(v.records.map((r) => [r.index, r.id, r.population, r.communityId])).toEqual([
      [0, null, 12, 'c1'],
      [1, 'b2', 8, 'c2'],
      [2, null, 0, null],
    ]);
    expect(v.warnings).toEqual([
      {
        code: 'numeric-text',
        file: 'd.geojson',
        field: 'population',
        message: 'population given as text in 1 feature: #1 (b2)',
      },
    ]);
  });

  it('rejects a missing or negative population, and a geometry that is not a Point', () => {
    const v = validateDemandPoints(
      collection([
        feature({}),
        feature({ population: -1 }),
        feature({ population: 5 }, { type: 'Polygon', coordinates: [ring] }),
        feature({ population: 5 }, point([35.54, 106.66])),
        7,
      ]),
      'd.geojson',
    );
    expect(v.records).toEqual([]);
    expect(v.rejected.map((r) => [r.index, r.field])).toEqual([
      [0, 'population'],
      [1, 'population'],
      [2, 'geometry'],
      [3, 'geometry'],
      [4, 'type'],
    ]);
    expect(v.rejected[0]!.reason).toContain('expected a number of residents ≥ 0');
    expect(v.rejected[1]!.reason).toContain('got -1');
    expect(v.rejected[2]!.reason).toContain('expected Point');
    expect(v.rejected[3]!.reason).toContain('looks swapped');
  });

  it('stops with an InputError for a file that is not a FeatureCollection', () => {
    expect(() => validateDemandPoints([], 'd.geojson')).toThrowError(
      /^d\.geojson: expected a GeoJSON FeatureCollection/,
    );
  });
});

describe('file-wide coordinate warnings', () => {
  const swapped = (id: string) => feature({ id, population: 10 }, point([35.54, 106.66]));
  const projected = (id: string) => feature({ id, population: 10 }, point([36_512_345, 3_934_567]));
  const good = (id: string) => feature({ id, population: 10 });

  it('coordinates-swapped when at least half the positions look swapped', () => {
    const v = validateCommunities(collection([swapped('a'), swapped('b'), good('c')]), 'c.geojson');
    expect(v.rejected.map((r) => r.field)).toEqual(['geometry', 'geometry']);
    expect(v.warnings).toEqual([
      {
        code: 'coordinates-swapped',
        file: 'c.geojson',
        field: 'geometry',
        message: expect.stringContaining('[longitude, latitude]'),
      },
    ]);
    expect(validateCommunities(collection([swapped('a'), good('b')])).warnings.map((w) => w.code)).toEqual([
      'coordinates-swapped',
    ]);
  });

  it("the streamed DemandPointValidator gives validateDemandPoints' file-wide warnings and rejections", () => {
    const demand = (coordinates: number[], extra: Record<string, unknown> = {}) =>
      feature({ population: 4, ...extra }, point(coordinates));
    const files = [
      [demand([35.54, 106.66]), demand([35.55, 106.66]), demand(AT)],
      [demand([36_512_345, 3_934_567]), demand(AT)],
      [demand(AT, { location: '106.66,35.54', typecode: '141204', adname: '崆峒区' })],
      [demand([35.54, 106.66]), demand(AT), demand(AT)],
    ];
    for (const features of files) {
      const whole = validateDemandPoints(collection(features), 'd.geojsonl');
      const streamed = new DemandPointValidator('d.geojsonl');
      features.forEach((f, i) => {
        streamed.check(f, i);
      });
      expect(streamed.warnings()).toEqual(whole.warnings);
      expect(streamed.rejected).toEqual(whole.rejected);
    }
    expect(validateDemandPoints(collection(files[0]!), 'd').warnings.map((w) => w.code)).toEqual([
      'coordinates-swapped',
    ]);
  });

  it('no file-wide warning when a minority of positions is swapped (each is still rejected)', () => {
    const v = validateCommunities(collection([swapped('a'), good('b'), good('c')]));
    expect(v.rejected).toHaveLength(1);
    expect(v.warnings).toEqual([]);
  });

  it('coordinates-projected when most positions are projected metres, for facilities too', () => {
    const v = validateFacilities(
      collection([
        feature({ id: 'f1', type: 'clinic' }, point([512_345, 3_934_567])),
        feature({ id: 'f2', type: 'clinic' }, point([512_445, 3_934_567])),
      ]),
      catalog,
      'f.geojson',
    );
    expect(v.warnings).toEqual([
      {
        code: 'coordinates-projected',
        file: 'f.geojson',
        field: 'geometry',
        message: expect.stringContaining('reproject'),
      },
    ]);
    expect(validateCommunities(collection([projected('a')])).warnings.map((w) => w.code)).toEqual([
      'coordinates-projected',
    ]);
  });

  it('no coordinates-gcj02 from a name alone: a file name, one field or a value says nothing about coordinates', () => {
    const quiet = [
      validateFacilities(
        collection([feature({ id: 'f1', type: 'clinic', gcj02_lon: 106.66 })]),
        catalog,
        'f.geojson',
      ),
      validateCommunities(collection([feature({ id: 'a', population: 1, source: '高德地图' })])),
      validateFacilities(
        collection([feature({ id: 'f1', type: 'clinic', name: '百度大厦诊所', location: '106.66,35.54' })]),
        catalog,
        'exports/高德POI-clinics.geojson',
      ),
      validateFacilities(
        collection([feature({ id: 'f1', type: 'clinic', uid: 'abc' })]),
        catalog,
        'baidu.geojson',
      ),
      validateFacilities(
        collection([feature({ id: 'f1', type: 'clinic', typecode: '090102' })]),
        catalog,
        'f.geojson',
      ),
    ];
    for (const result of quiet) expect(result.warnings).toEqual([]);
  });

  it("coordinates-gcj02 as a question when an export's fields come together (AMap typecode + location or adname …, Baidu uid + street_id)", () => {
    const amap = validateFacilities(
      collection([feature({ id: 'f1', type: 'clinic', location: '106.66,35.54', typecode: '090102' })]),
      catalog,
      'data/pois.geojson',
    );
    expect(amap.records).toHaveLength(1);
    expect(amap.warnings).toEqual([
      { code: 'coordinates-gcj02', file: 'data/pois.geojson', message: expect.any(String) },
    ]);
    const message = amap.warnings[0]!.message;
    expect(message).toContain('location and typecode together are those of an AMap (高德) export');
    expect(message).toContain('are its coordinates GCJ-02');
    expect(message).toContain('lifecircle inspect pois.geojson --network ROADS');
    // Read from a table, AMap's location column becomes the geometry: its address fields stand in.
    const table = validateFacilities(
      collection([feature({ id: 'f1', type: 'clinic', typecode: '090102', adname: '崆峒区' })]),
      catalog,
      'pois.csv',
    );
    expect(
      table.warnings.map((w) => w.message.startsWith('the fields adname and typecode together')),
    ).toEqual([true]);
    const baidu = validateFacilities(
      collection([feature({ id: 'f1', type: 'clinic', uid: 'abc', street_id: 'def' })]),
      catalog,
      'b.geojson',
    );
    expect(
      baidu.warnings.map((w) => w.message.includes('street_id and uid') && w.message.includes('BD-09')),
    ).toEqual([true]);
    // A Baidu POI export flattened to a table (uid, name, tag, address, lng, lat): tag is Baidu's
    // category field, so uid with tag is the export too, and its offset is BD-09's, not GCJ-02's.
    const flattened = validateFacilities(
      collection([feature({ id: 'f1', type: 'clinic', uid: '6f1c3b2a9e0d', tag: '医疗;诊所' })]),
      catalog,
      '百度POI.csv',
    );
    expect(flattened.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('the fields tag and uid together are those of a Baidu (百度) export'),
    ]);
    expect(flattened.warnings[0]!.message).toContain('BD-09, offset about 1 km from WGS84');
    expect(flattened.warnings[0]!.message).toContain('--facilities-crs bd09');
  });
});

describe('warning codes raised by the analysis', () => {
  it('type-not-analysed and no-demand-points come with the file they concern', () => {
    const result = analyzeCoverage(
      {
        communities: collection([
          feature({ id: 'a', population: 10 }, { type: 'Polygon', coordinates: [ring] }),
          feature({ id: 'b', population: 10 }, point([106.7, 35.6])),
        ]),
        facilities: collection([
          feature({ id: 'k', type: 'kindergarten' }),
          feature({ id: 'h', type: 'clinic' }),
        ]),
        demand: collection([feature({ population: 4 }, point([106.665, 35.545]))]),
        files: { communities: 'c.geojson', facilities: 'f.geojson', demand: 'd.geojson' },
      },
      { types: ['clinic'] },
    );
    const codes = result.summary.warnings.map((w) => [w.code, w.file]);
    expect(codes).toContainEqual(['type-not-analysed', 'f.geojson']);
    expect(codes).toContainEqual(['no-demand-points', 'd.geojson']);
    const noDemand = result.summary.warnings.find((w) => w.code === 'no-demand-points')!;
    expect(noDemand.message).toContain(': b');
  });
});

describe('strict numbers (issue #17)', () => {
  const community = (population: unknown, id = 'C1') => ({
    type: 'Feature',
    properties: { id, population },
    geometry: { type: 'Point', coordinates: [116.4, 39.9] },
  });
  const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

  it.each(['0x10', '1e', 'Infinity', 'NaN', '1,000', ' ', '1e400'])('rejects the population %j', (text) => {
    const { records, rejected } = validateCommunities(collection(community(text)), 'c.geojson');
    expect(records).toHaveLength(0);
    expect(rejected[0]).toMatchObject({ field: 'population' });
  });

  it('rejects 1e308 residents, so totals cannot overflow, and warns above a plausible count', () => {
    const { records, rejected, warnings } = validateCommunities(
      collection(
        community(1e308, 'huge'),
        community(1e308, 'huge2'),
        community('2500000', 'big'),
        community(800, 'ok'),
      ),
      'c.geojson',
    );
    expect(rejected.map((r) => r.id)).toEqual(['huge', 'huge2']);
    expect(rejected[0]!.reason).toMatch(/beyond the largest accepted \(1,000,000,000\)/);
    const total = records.reduce((sum, r) => sum + r.population, 0);
    expect(total).toBe(2_500_800);
    expect(warnings.find((w) => w.code === 'implausible-value')?.message).toMatch(
      /population above 1,000,000 .* #2 \(big\)/,
    );
  });
});
