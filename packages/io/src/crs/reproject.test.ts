import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, wgs84ToGcj02 } from './chinese-web.js';
import {
  BD09,
  type Crs,
  crsOfEpsg,
  GCJ02,
  gaussKrugerCrs,
  geographicCrs,
  WEB_MERCATOR,
  WGS84,
} from './definitions.js';
import { reprojectFeatureCollection, transformBetween } from './reproject.js';

/**
 * Transverse Mercator by the series of Snyder, Map Projections — A Working Manual (USGS PP 1395, 1987),
 * eqs. 3-21, 8-9 and 8-10: written out here, independently of proj4 (which uses the Poder/Engsager
 * algorithm), as the reference for the Gauss-Krüger zones. Within 2° of the central meridian the
 * series is good to well under a millimetre.
 */
function snyderTransverseMercator(
  lng: number,
  lat: number,
  centralMeridian: number,
  falseEasting: number,
  a: number,
  inverseFlattening: number,
): [number, number] {
  const f = 1 / inverseFlattening;
  const e2 = f * (2 - f);
  const e4 = e2 * e2;
  const e6 = e4 * e2;
  const ep2 = e2 / (1 - e2);
  const phi = (lat * Math.PI) / 180;
  const sin = Math.sin(phi);
  const cos = Math.cos(phi);
  const tan = Math.tan(phi);
  const N = a / Math.sqrt(1 - e2 * sin * sin);
  const T = tan * tan;
  const C = ep2 * cos * cos;
  const A = (((lng - centralMeridian) * Math.PI) / 180) * cos;
  const M =
    a *
    ((1 - e2 / 4 - (3 * e4) / 64 - (5 * e6) / 256) * phi -
      ((3 * e2) / 8 + (3 * e4) / 32 + (45 * e6) / 1024) * Math.sin(2 * phi) +
      ((15 * e4) / 256 + (45 * e6) / 1024) * Math.sin(4 * phi) -
      ((35 * e6) / 3072) * Math.sin(6 * phi));
  const x = N * (A + ((1 - T + C) * A ** 3) / 6 + ((5 - 18 * T + T * T + 72 * C - 58 * ep2) * A ** 5) / 120);
  const y =
    M +
    N *
      tan *
      ((A * A) / 2 +
        ((5 - T + 9 * C + 4 * C * C) * A ** 4) / 24 +
        ((61 - 58 * T + T * T + 600 * C - 330 * ep2) * A ** 6) / 720);
  return [x + falseEasting, y];
}

const GRS80 = { a: 6378137, rf: 298.257222101 };

/** A value deep inside parsed JSON, by keys and indices. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | null)?.[key], value);
}
const PINGLIANG: [number, number] = [106.66, 35.54];

describe('Gauss-Krüger zones against the transverse Mercator series', () => {
  it.each([
    ['CGCS2000 3° zone 36, zone number in front', gaussKrugerCrs('cgcs2000', 3, 36, true), 108, 36_500_000],
    ['CGCS2000 3° CM 108°E (EPSG:4545)', gaussKrugerCrs('cgcs2000', 3, 36, false), 108, 500_000],
    ['CGCS2000 6° zone 18', gaussKrugerCrs('cgcs2000', 6, 18, true), 105, 18_500_000],
    ['CGCS2000 6° CM 105°E (EPSG:4507)', gaussKrugerCrs('cgcs2000', 6, 18, false), 105, 500_000],
  ])('Pingliang (106.66°E, 35.54°N) in %s, to 1 mm, and back to 1e-9°', (_, gk, cm, fe) => {
    const expected = snyderTransverseMercator(...PINGLIANG, cm, fe, GRS80.a, GRS80.rf);
    const [x, y] = transformBetween(WGS84, gk)(...PINGLIANG);
    expect(Math.abs(x - expected[0])).toBeLessThan(0.001);
    expect(Math.abs(y - expected[1])).toBeLessThan(0.001);
    const [lng, lat] = transformBetween(gk, WGS84)(x, y);
    expect(Math.abs(lng - PINGLIANG[0])).toBeLessThan(1e-9);
    expect(Math.abs(lat - PINGLIANG[1])).toBeLessThan(1e-9);
  });

  it('puts Pingliang 1.34° west of zone 36 and 1.66° east of zone 18, as the eastings show', () => {
    const [x3] = transformBetween(WGS84, crsOfEpsg(4524)!)(...PINGLIANG);
    const [x6] = transformBetween(WGS84, crsOfEpsg(4496)!)(...PINGLIANG);
    expect(Math.floor(x3 / 1e6)).toBe(36);
    expect(x3 - 36_500_000).toBeLessThan(-100_000); // west of 108°E
    expect(Math.floor(x6 / 1e6)).toBe(18);
    expect(x6 - 18_500_000).toBeGreaterThan(100_000); // east of 105°E
  });

  it('uses each datum’s own ellipsoid for Xian 1980 and Beijing 1954', () => {
    // Xian 1980 has no datum shift (none is published), so only the ellipsoid differs from CGCS2000.
    const xian = gaussKrugerCrs('xian1980', 3, 36, true);
    const [x, y] = transformBetween(WGS84, xian)(...PINGLIANG);
    const expected = snyderTransverseMercator(...PINGLIANG, 108, 36_500_000, 6378140, 298.257);
    expect(Math.abs(x - expected[0])).toBeLessThan(0.001);
    expect(Math.abs(y - expected[1])).toBeLessThan(0.001);
    // Beijing 1954 shifts by the EPSG 15921 translation: around 100 m at Pingliang.
    const beijing = gaussKrugerCrs('beijing1954', 3, 36, true);
    const [bx, by] = transformBetween(WGS84, beijing)(...PINGLIANG);
    const unshifted = snyderTransverseMercator(...PINGLIANG, 108, 36_500_000, 6378245, 298.3);
    const shift = Math.hypot(bx - unshifted[0], by - unshifted[1]);
    expect(shift).toBeGreaterThan(20);
    expect(shift).toBeLessThan(200);
    const [lng, lat] = transformBetween(beijing, WGS84)(bx, by);
    expect(Math.abs(lng - PINGLIANG[0]) + Math.abs(lat - PINGLIANG[1])).toBeLessThan(1e-8);
  });

  it('converts between two zones through WGS84', () => {
    const z36 = crsOfEpsg(4524)!;
    const z35 = crsOfEpsg(4523)!;
    const [x, y] = transformBetween(WGS84, z36)(...PINGLIANG);
    const [x35, y35] = transformBetween(z36, z35)(x, y);
    const direct = snyderTransverseMercator(...PINGLIANG, 105, 35_500_000, GRS80.a, GRS80.rf);
    expect(Math.abs(x35 - direct[0]) + Math.abs(y35 - direct[1])).toBeLessThan(0.002);
    expect(geographicCrs('cgcs2000').id).toBe('EPSG:4490');
  });
});

describe('Web Mercator and the web-map offsets', () => {
  it('matches gcoord’s EPSG:3857 value at (123, 45)', () => {
    // hujiulong/gcoord, test/unit/crs/WGS84.spec.ts, compared there to 5 decimals.
    const [x, y] = transformBetween(WGS84, WEB_MERCATOR)(123, 45);
    expect(x).toBeCloseTo(13692297.367572648, 5);
    expect(y).toBeCloseTo(5621521.486192066, 5);
  });

  it('goes WGS84 → GCJ-02 → BD-09 and back', () => {
    const [gx, gy] = transformBetween(WGS84, GCJ02)(...PINGLIANG);
    expect([gx, gy]).toEqual(wgs84ToGcj02(...PINGLIANG));
    const [bx, by] = transformBetween(GCJ02, BD09)(gx, gy);
    const [lng, lat] = transformBetween(BD09, WGS84)(bx, by);
    expect(Math.abs(lng - PINGLIANG[0]) + Math.abs(lat - PINGLIANG[1])).toBeLessThan(1e-9);
    expect(transformBetween(GCJ02, WGS84)(gx, gy)).toEqual(gcj02ToWgs84(gx, gy));
  });
});

describe('reprojectFeatureCollection', () => {
  const gk: Crs = crsOfEpsg(4524)!;
  const toGk = transformBetween(WGS84, gk);
  const p = (lng: number, lat: number) => toGk(lng, lat);
  const ring = [p(106.65, 35.53), p(106.67, 35.53), p(106.67, 35.55), p(106.65, 35.53)];
  const input = {
    type: 'FeatureCollection',
    name: 'communities',
    bbox: [1, 2, 3, 4],
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4524' } },
    features: [
      {
        type: 'Feature',
        id: 'pt',
        properties: { name: '崆峒' },
        geometry: { type: 'Point', coordinates: [...p(106.66, 35.54), 1350] },
      },
      { type: 'Feature', properties: {}, geometry: { type: 'MultiPoint', coordinates: [p(106.66, 35.54)] } },
      {
        type: 'Feature',
        properties: {},
        geometry: { type: 'LineString', coordinates: [p(106.66, 35.54), p(106.67, 35.55)] },
      },
      {
        type: 'Feature',
        properties: {},
        geometry: { type: 'MultiLineString', coordinates: [[p(106.66, 35.54), p(106.67, 35.55)]] },
      },
      {
        type: 'Feature',
        bbox: [0, 0, 1, 1],
        properties: {},
        geometry: { type: 'Polygon', coordinates: [ring] },
      },
      { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[ring]] } },
      {
        type: 'Feature',
        properties: {},
        geometry: {
          type: 'GeometryCollection',
          geometries: [{ type: 'Point', coordinates: p(106.66, 35.54) }],
        },
      },
      { type: 'Feature', properties: {}, geometry: null },
      { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: ['x', 1] } },
      'not a feature',
    ],
  };

  it('converts every geometry type, keeps heights, and copies what is not a position', () => {
    const before = JSON.stringify(input);
    const { collection, failed, positions } = reprojectFeatureCollection(input, gk, WGS84);
    expect(JSON.stringify(input)).toBe(before); // the input is not modified
    expect(failed).toEqual([]);
    expect(positions).toBe(1 + 1 + 2 + 2 + 4 + 4 + 1);
    const out = collection as unknown as FeatureCollection & Record<string, unknown>;
    expect(out.crs).toBeUndefined();
    expect(out.bbox).toBeUndefined();
    expect(out.name).toBe('communities');
    const close = (a: unknown, b: number[]) => {
      const [x, y] = a as number[];
      expect(Math.abs(x! - b[0]!) + Math.abs(y! - b[1]!)).toBeLessThan(1e-9);
    };
    const features = out.features as unknown[];
    const notFeature = features[9];
    close(at(features, 0, 'geometry', 'coordinates'), [106.66, 35.54]);
    expect(at(features, 0, 'geometry', 'coordinates', 2)).toBe(1350);
    expect(at(features, 0, 'id')).toBe('pt');
    expect(at(features, 0, 'properties', 'name')).toBe('崆峒');
    close(at(features, 1, 'geometry', 'coordinates', 0), [106.66, 35.54]);
    close(at(features, 2, 'geometry', 'coordinates', 1), [106.67, 35.55]);
    close(at(features, 3, 'geometry', 'coordinates', 0, 1), [106.67, 35.55]);
    close(at(features, 4, 'geometry', 'coordinates', 0, 2), [106.67, 35.55]);
    expect(at(features, 4, 'bbox')).toBeUndefined();
    close(at(features, 5, 'geometry', 'coordinates', 0, 0, 1), [106.67, 35.53]);
    close(at(features, 6, 'geometry', 'geometries', 0, 'coordinates'), [106.66, 35.54]);
    expect(at(features, 7, 'geometry')).toBeNull();
    expect(at(features, 8, 'geometry', 'coordinates')).toEqual(['x', 1]);
    expect(notFeature).toBe('not a feature');
  });

  it('round-trips WGS84 → zone → WGS84 and names the system in the crs member', () => {
    const wgs = reprojectFeatureCollection(input, gk, WGS84).collection;
    const there = reprojectFeatureCollection(wgs, WGS84, gk).collection;
    expect(at(there, 'crs')).toEqual({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4524' } });
    const back = reprojectFeatureCollection(there, gk, WGS84).collection;
    const a = at(wgs, 'features', 4, 'geometry', 'coordinates', 0) as number[][];
    const b = at(back, 'features', 4, 'geometry', 'coordinates', 0) as number[][];
    a.forEach((q, i) => {
      expect(Math.abs(q[0]! - b[i]![0]!) + Math.abs(q[1]! - b[i]![1]!)).toBeLessThan(1e-9);
    });
    expect(reprojectFeatureCollection(wgs, WGS84, GCJ02).collection).toMatchObject({
      crs: { properties: { name: 'gcj02' } },
    });
  });

  it('reports features whose positions fall outside the system’s domain', () => {
    const far = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [106.66, 35.54] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [0, 95] } },
      ],
    };
    const { failed } = reprojectFeatureCollection(far, WGS84, WEB_MERCATOR);
    expect(failed).toEqual([1]);
  });
});
