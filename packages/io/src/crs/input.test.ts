import { InputError, OptionError } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from './chinese-web.js';
import { crsOfEpsg, WGS84 } from './definitions.js';
import { inputToWgs84, suggestProjected } from './input.js';
import { transformBetween } from './reproject.js';

const ZONE_36 = crsOfEpsg(4524)!;

function points(coords: readonly (readonly number[])[], crs?: string) {
  return {
    type: 'FeatureCollection',
    ...(crs ? { crs: { type: 'name', properties: { name: crs } } } : {}),
    features: coords.map((c, i) => ({
      type: 'Feature',
      properties: { id: `c${i}` },
      geometry: { type: 'Point', coordinates: [...c] },
    })),
  };
}

const lngLat = [
  [106.66, 35.54],
  [106.68, 35.55],
  [106.7, 35.52],
];
const inZone36 = lngLat.map(([lng, lat]) => transformBetween(WGS84, ZONE_36)(lng!, lat!));

function firstPoint(collection: unknown): number[] {
  return (collection as { features: { geometry: { coordinates: number[] } }[] }).features[0]!.geometry
    .coordinates;
}

describe('inputToWgs84', () => {
  it('leaves WGS84 input alone and records that nothing was declared', () => {
    const input = points(lngLat);
    const { collection, record, warnings } = inputToWgs84(input, { file: 'c.geojson' });
    expect(collection).toBe(input);
    expect(warnings).toEqual([]);
    expect(record).toEqual({
      file: 'c.geojson',
      read: null,
      declared: null,
      detected: null,
      used: { id: 'EPSG:4326', name: 'WGS 84' },
      source: 'default',
      converted: false,
    });
  });

  it('converts a file in the zone it declares itself, and strips its crs member', () => {
    const input = points(inZone36, 'urn:ogc:def:crs:EPSG::4524');
    const { collection, record } = inputToWgs84(input, {
      file: 'c.geojson',
      fileCrs: { name: 'urn:ogc:def:crs:EPSG::4524' },
    });
    expect((collection as Record<string, unknown>).crs).toBeUndefined();
    const [lng, lat] = firstPoint(collection);
    expect(Math.abs(lng! - 106.66) + Math.abs(lat! - 35.54)).toBeLessThan(1e-9);
    expect(record).toMatchObject({ read: 'urn:ogc:def:crs:EPSG::4524', source: 'file', converted: true });
  });

  it('reads the zone from the eastings for a family such as cgcs2000-gk3', () => {
    const { record } = inputToWgs84(points(inZone36), {
      file: 'c.shp',
      declared: { text: 'cgcs2000-gk3', option: '--communities-crs' },
    });
    expect(record.used.id).toBe('EPSG:4524');
    expect(record.detected).toBe("zone 36 from the eastings' zone number (EPSG:4524)");
  });

  it('stops when Gauss-Krüger metres are read as WGS84, naming the zone the eastings point to', () => {
    const call = () => inputToWgs84(points(inZone36), { file: 'communities.geojson' });
    expect(call).toThrow(InputError);
    expect(call).toThrow(
      /communities\.geojson: 3 of 3 positions \(e\.g\. \[36\d+\.\d+, 39\d+\.\d+\]\) look like projected metres, but the file is read as WGS 84 longitude\/latitude \(no coordinate system given/,
    );
    expect(call).toThrow(
      /3-degree Gauss-Krüger zone 36 \(central meridian 108°E\).*CGCS2000 EPSG:4524, Xian 1980 EPSG:2360, Beijing 1954 EPSG:2412/,
    );
    expect(call).toThrow(/Give the system with the crs option, e\.g\. cgcs2000-gk3 \(the zone/);
    // A program names its own option (the CLI its flag, the viewer its control).
    expect(() =>
      inputToWgs84(points(inZone36), { file: 'c.geojson', optionWording: () => '--communities-crs' }),
    ).toThrow(/Give the system with --communities-crs, e\.g\. cgcs2000-gk3 \(the zone/);
    // The same when WGS84 was declared, by the file or by an option.
    expect(() =>
      inputToWgs84(points(inZone36), {
        file: 'c.geojson',
        declared: { text: 'wgs84', option: '--input-crs' },
      }),
    ).toThrow(/read as WGS 84 longitude\/latitude \(--input-crs wgs84\)/);
  });

  it('stops when the eastings carry another zone number than the declared zone', () => {
    const call = () =>
      inputToWgs84(points(inZone36), {
        file: 'c.shp',
        declared: { text: 'EPSG:4523', option: '--communities-crs' },
      });
    expect(call).toThrow(
      /whose eastings start with the zone number 35, but the eastings start with 36, zone 36: EPSG:4524/,
    );
    const unprefixed = inZone36.map(([x, y]) => [x! - 36_000_000, y!]);
    expect(() =>
      inputToWgs84(points(unprefixed), {
        file: 'c.shp',
        declared: { text: 'cgcs2000-gk3-36', option: '--communities-crs' },
      }),
    ).toThrow(/the eastings carry no zone number; the same zone without it is EPSG:4545/);
    expect(() =>
      inputToWgs84(points(inZone36), {
        file: 'c.shp',
        declared: { text: 'EPSG:4545', option: '--communities-crs' },
      }),
    ).toThrow(/with the zone number in front it is EPSG:4524 \(cgcs2000-gk3-36\)/);
  });

  it('stops when degrees are declared as metres', () => {
    expect(() =>
      inputToWgs84(points(lngLat), {
        file: 'c.geojson',
        declared: { text: 'EPSG:4545', option: '--communities-crs' },
      }),
    ).toThrow(
      /look like longitude\/latitude degrees, but the file is read as CGCS2000 \/ 3-degree Gauss-Kruger CM 108E/,
    );
  });

  it('warns about positions outside the declared zone', () => {
    const unprefixed = crsOfEpsg(4545)!;
    const spread = [...lngLat, [104.1, 35.5]].map(([lng, lat]) =>
      transformBetween(WGS84, unprefixed)(lng!, lat!),
    );
    const { warnings } = inputToWgs84(points(spread), {
      file: 'c.shp',
      declared: { text: 'EPSG:4545', option: '--communities-crs' },
    });
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'crs-outside-zone',
        file: 'c.shp',
        message: expect.stringMatching(
          /^1 of 4 positions lie outside .*central meridian 108°E ± 1\.5°\), in features #3;/,
        ),
      }),
    ]);
  });

  it('converts GCJ-02 and warns about positions outside China, which it leaves as they are', () => {
    const gcj = lngLat.map(([lng, lat]) => wgs84ToGcj02(lng!, lat!));
    const { collection, warnings, record } = inputToWgs84(points([...gcj, [2.35, 48.85]]), {
      file: 'amap.csv',
      declared: { text: 'gcj02', option: '--facilities-crs' },
    });
    const [lng, lat] = firstPoint(collection);
    expect(Math.abs(lng! - 106.66) + Math.abs(lat! - 35.54)).toBeLessThan(1e-9);
    expect(record).toMatchObject({
      declared: 'gcj02',
      used: { id: 'gcj02' },
      converted: true,
      source: 'option',
    });
    expect(warnings.map((w) => w.code)).toEqual(['crs-outside-china']);
    expect(warnings[0]!.message).toMatch(/1 of 4 positions lie outside China.*features #3/);
  });

  it('warns that Beijing 1954 is shifted approximately and Xian 1980 not at all', () => {
    const beijing = crsOfEpsg(2412)!;
    const xian = crsOfEpsg(2360)!;
    const b = inputToWgs84(points(lngLat.map(([x, y]) => transformBetween(WGS84, beijing)(x!, y!))), {
      file: 'b.shp',
      fileCrs: { wkt: beijing.wkt! },
    });
    expect(b.warnings.map((w) => w.code)).toEqual(['crs-datum-approximate']);
    expect(b.warnings[0]!.message).toMatch(/regional datum shift \(EPSG 15921/);
    const x = inputToWgs84(points(lngLat.map(([p, q]) => transformBetween(WGS84, xian)(p!, q!))), {
      file: 'x.shp',
      fileCrs: { wkt: xian.wkt! },
    });
    expect(x.warnings[0]!.message).toMatch(/without a datum shift \(none is published for Xian 1980\)/);
  });

  it('lets a declaration for the file win over the file’s own, with a warning', () => {
    const { record, warnings } = inputToWgs84(points(inZone36), {
      file: 'c.geojson',
      fileCrs: { name: 'EPSG:4326' },
      declared: { text: 'EPSG:4524', option: '--communities-crs' },
      fallback: { text: 'EPSG:4545', option: '--input-crs' },
    });
    expect(record).toMatchObject({ read: 'EPSG:4326', declared: 'EPSG:4524', source: 'option' });
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'crs-overridden',
        message: 'the file declares WGS 84 (EPSG:4326), but --communities-crs EPSG:4524 was used instead',
      }),
    ]);
    // --input-crs only speaks for files that declare nothing.
    const own = inputToWgs84(points(lngLat), {
      file: 'f.geojson',
      fileCrs: { name: 'EPSG:4326' },
      fallback: { text: 'EPSG:4524', option: '--input-crs' },
    });
    expect(own.record).toMatchObject({ source: 'file', used: { id: 'EPSG:4326' } });
  });

  it('names the option, the file and the accepted forms for an unknown system', () => {
    const call = () =>
      inputToWgs84(points(lngLat), {
        file: 'pois.csv',
        declared: { text: 'EPSG:99999', option: '--facilities-crs' },
      });
    expect(call).toThrow(OptionError);
    expect(call).toThrow(
      /^--facilities-crs: 'EPSG:99999' \(for pois\.csv\) EPSG:99999 is not a coordinate system lifecircle knows/,
    );
    expect(call).toThrow(/Accepted forms:\n {2}wgs84/);
    const fromFile = () =>
      inputToWgs84(points(lngLat), { file: 'c.shp', fileCrs: { wkt: 'LOCAL_CS["survey grid"]' } });
    expect(fromFile).toThrow(InputError);
    expect(fromFile).toThrow(
      /^c\.shp: declares the coordinate system 'LOCAL_CS\["survey grid"\]', which lifecircle cannot use/,
    );
  });
});

describe('suggestProjected', () => {
  it('names the zone, Web Mercator, or asks for the central meridian', () => {
    expect(suggestProjected([18_403_000, 3_934_000])[0]).toMatch(
      /^6-degree Gauss-Krüger zone 18 \(central meridian 105°E\).*EPSG:4496/,
    );
    expect(suggestProjected([11_873_000, 4_240_000])).toEqual([
      expect.stringMatching(/^Web Mercator metres \(EPSG:3857\), around 106\.657°E 35\.558°N/),
    ]);
    expect(suggestProjected([378_000, 3_935_000])[0]).toMatch(/without a zone number.*cgcs2000-gk3-cm108/);
    expect(suggestProjected([106.6, 35.5])).toEqual([]);
  });
});
