import { unzipSync } from 'fflate';
import type { Feature, FeatureCollection } from 'geojson';
import { open } from 'shapefile';
import { describe, expect, it } from 'vitest';
import { crsOfEpsg, WGS84 } from '../crs/definitions.js';
import { parseCrs } from '../crs/parse.js';
import { shapefileZip } from './shapefile.js';

/** Reads every shapefile in a zip with the `shapefile` package (an independent reader), as UTF-8. */
async function readBack(bytes: Uint8Array): Promise<Map<string, Feature[]>> {
  const files = unzipSync(bytes);
  const layers = new Map<string, Feature[]>();
  for (const name of Object.keys(files).filter((n) => n.endsWith('.shp'))) {
    const base = name.slice(0, -4);
    const source = await open(files[name]!, files[`${base}.dbf`], { encoding: 'utf-8' });
    const features: Feature[] = [];
    for (let r = await source.read(); !r.done; r = await source.read()) features.push(r.value as Feature);
    layers.set(base, features);
  }
  return layers;
}

const square = [
  [106.6, 35.5],
  [106.7, 35.5],
  [106.7, 35.6],
  [106.6, 35.6],
  [106.6, 35.5],
];
const hole = [
  [106.62, 35.52],
  [106.62, 35.54],
  [106.64, 35.54],
  [106.64, 35.52],
  [106.62, 35.52],
];

const communities = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: {
        id: 'C001',
        name: '崆峒区东关街道东关社区',
        district: '崆峒区',
        population: 3200,
        nursery_childcare_covered_share: 0.4567,
        nursery_childcare_nearest_m: 812.3,
        gaps: ['nursery_childcare', '托育'],
        complete: false,
        note: null,
      },
      geometry: { type: 'Polygon', coordinates: [square, hole] },
    },
    {
      type: 'Feature',
      properties: {
        id: 'C002',
        name: '西郊社区',
        district: '崆峒区',
        population: 1250.5,
        nursery_childcare_covered_share: 1,
        nursery_childcare_nearest_m: null,
        gaps: [],
        complete: true,
        note: '备注'.repeat(60),
      },
      geometry: {
        type: 'MultiPolygon',
        coordinates: [[square.map(([x, y]) => [x! + 0.2, y!])], [square.map(([x, y]) => [x! + 0.4, y!])]],
      },
    },
    { type: 'Feature', properties: { id: 'C003', name: '无界社区', population: 10 }, geometry: null },
  ],
};

describe('shapefileZip', () => {
  it('writes .shp .shx .dbf .cpg .prj that an independent reader reads back, Chinese names intact', async () => {
    const { bytes, entries, warnings } = shapefileZip(communities, {
      name: 'communities',
      prj: WGS84.wkt,
      date: new Date(2025, 0, 1),
    });
    expect(entries.sort()).toEqual([
      'communities.cpg',
      'communities.dbf',
      'communities.fields.csv',
      'communities.prj',
      'communities.shp',
      'communities.shx',
    ]);
    const files = unzipSync(bytes);
    expect(new TextDecoder().decode(files['communities.cpg'])).toBe('UTF-8');
    expect(new TextDecoder().decode(files['communities.prj'])).toBe(WGS84.wkt);
    expect(new TextDecoder().decode(files['communities.fields.csv'])).toContain(
      'nursery_childcare_covered_share,nursery_ch',
    );
    const [layer] = [...(await readBack(bytes)).values()];
    expect(layer).toHaveLength(3);
    const [a, b, c] = layer!;
    expect(a!.properties).toMatchObject({
      id: 'C001',
      name: '崆峒区东关街道东关社区',
      district: '崆峒区',
      population: 3200,
      nursery_ch: 0.4567,
      nursery__1: 812.3,
      gaps: 'nursery_childcare;托育',
      complete: false,
    });
    expect(b!.properties).toMatchObject({ id: 'C002', name: '西郊社区', population: 1250.5, complete: true });
    expect(c!.geometry).toBeNull();
    expect(c!.properties).toMatchObject({ id: 'C003', name: '无界社区' });
    expect(warnings.map((w) => w.code)).toEqual(['output-field-renamed', 'output-text-truncated']);
    expect(warnings[0]!.message).toMatch(/nursery_childcare_covered_share → nursery_ch/);
    // 120 Chinese characters are 360 bytes; the field keeps whole characters within 254.
    expect((b!.properties as Record<string, string>).note).toBe('备注'.repeat(42));
  });

  it('writes outer rings clockwise and holes counter-clockwise, so readers keep the hole', async () => {
    const { bytes } = shapefileZip(communities, { name: 'c', prj: null });
    const [layer] = [...(await readBack(bytes)).values()];
    const polygon = layer![0]!.geometry as { type: string; coordinates: number[][][] };
    // shapefile.js classifies rings by orientation: one polygon with one hole means the orientation is right.
    expect(polygon.type).toBe('Polygon');
    expect(polygon.coordinates).toHaveLength(2);
    const multi = layer![1]!.geometry as { type: string; coordinates: number[][][][] };
    expect(multi.type).toBe('MultiPolygon');
    expect(multi.coordinates).toHaveLength(2);
  });

  it('splits mixed geometry into one shapefile per kind, and writes no .prj for GCJ-02', async () => {
    const mixed: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { id: 'p', 名称: '幼儿园' },
          geometry: { type: 'Point', coordinates: [106.66, 35.54] },
        },
        {
          type: 'Feature',
          properties: { id: 'l' },
          geometry: {
            type: 'MultiLineString',
            coordinates: [
              [
                [106.6, 35.5],
                [106.7, 35.6],
              ],
              [
                [106.61, 35.5],
                [106.71, 35.6],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          properties: { id: 'm' },
          geometry: {
            type: 'MultiPoint',
            coordinates: [
              [106.6, 35.5],
              [106.7, 35.6],
            ],
          },
        },
      ],
    };
    const gcj = parseCrs('gcj02');
    const { bytes, warnings } = shapefileZip(mixed, { name: 'sites', prj: 'wkt' in gcj ? gcj.wkt : null });
    const layers = await readBack(bytes);
    expect([...layers.keys()].sort()).toEqual(['sites_line', 'sites_multipoint', 'sites_point']);
    expect(layers.get('sites_point')![0]!.properties).toEqual({ id: 'p', 名称: '幼儿园' });
    expect(layers.get('sites_line')![0]!.geometry).toEqual(mixed.features[1]!.geometry);
    expect(layers.get('sites_multipoint')![0]!.geometry).toEqual(mixed.features[2]!.geometry);
    expect(Object.keys(unzipSync(bytes)).some((n) => n.endsWith('.prj'))).toBe(false);
    expect(warnings.map((w) => w.code)).toEqual(['output-no-prj']);
  });

  it('says why there is no .prj: GCJ-02 is an offset; a UTM code has no WKT here, which can be given', () => {
    const point: FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1, 2] } }],
    };
    const message = (crs: ReturnType<typeof parseCrs> | undefined) => {
      const given = crs && 'wkt' in crs ? { crs, prj: crs.wkt } : { prj: null };
      const { warnings } = shapefileZip(point, { name: 'p', file: 'out/p.shp.zip', ...given });
      expect(warnings.map((w) => [w.code, w.file])).toEqual([['output-no-prj', 'out/p.shp.zip']]);
      return warnings[0]!.message;
    };
    const utm = message(parseCrs('EPSG:32648'));
    expect(utm).toBe(
      'no .prj was written: lifecircle has no WKT definition of EPSG:32648, only a proj4 one; give the output system as WKT (the text of its .prj file) to have it written, or tell GIS users the coordinates are in EPSG:32648',
    );
    expect(utm).not.toMatch(/GCJ|BD-09|offset/);
    expect(message(parseCrs('gcj02'))).toBe(
      'no .prj was written: GCJ-02 (AMap/Gaode, Tencent) is WGS84 shifted by an algorithm, not a projection, so no standard definition of it exists; tell GIS users the coordinates are gcj02',
    );
    expect(message(undefined)).toBe(
      'no .prj was written: no WKT definition of the output coordinate system was given; tell GIS users which system the coordinates are in',
    );
  });

  it('keeps projected coordinates exactly', async () => {
    const point: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { id: 1 },
          geometry: { type: 'Point', coordinates: [36378479.294, 3935329.578] },
        },
      ],
    };
    const { bytes } = shapefileZip(point, { name: 'p', prj: crsOfEpsg(4524)!.wkt });
    const [layer] = [...(await readBack(bytes)).values()];
    expect(layer![0]!.geometry).toEqual({ type: 'Point', coordinates: [36378479.294, 3935329.578] });
    expect(new TextDecoder().decode(unzipSync(bytes)['p.prj'])).toContain('AUTHORITY["EPSG","4524"]');
  });

  it('does not modify its input', () => {
    const before = JSON.stringify(communities);
    shapefileZip(communities, { name: 'c', prj: null });
    expect(JSON.stringify(communities)).toBe(before);
  });

  it('writes the epoch and any other date: dates as dBase date fields, the zip time within its range', async () => {
    const dated: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { id: 'a', opened: new Date(0) },
          geometry: { type: 'Point', coordinates: [1, 2] },
        },
        {
          type: 'Feature',
          properties: { id: 'b', opened: new Date('2025-06-01') },
          geometry: { type: 'Point', coordinates: [3, 4] },
        },
      ],
    };
    for (const date of [new Date(0), new Date(1975, 5, 1), new Date(2150, 0, 1)]) {
      const { bytes } = shapefileZip(dated, { name: 'dated', prj: WGS84.wkt, date });
      const files = unzipSync(bytes);
      const dbf = files['dated.dbf']!;
      // The header's date: the year counted from 1900 in one byte.
      expect(dbf[1]).toBe(date.getFullYear() - 1900);
      // The field descriptor after the 32-byte header: id (C), then opened as a date field of 8 bytes.
      expect(String.fromCharCode(dbf[32 + 32 + 11]!)).toBe('D');
      expect(dbf[32 + 32 + 16]).toBe(8);
      const text = new TextDecoder().decode(dbf);
      expect(text).toContain('a19700101');
      expect(text).toContain('b20250601');
      const [layer] = [...(await readBack(bytes)).values()];
      // The independent reader reads a date field as a Date of that calendar day.
      const opened = layer!.map((f) => f.properties!.opened as Date);
      expect(opened.map((d) => [d.getFullYear(), d.getMonth() + 1, d.getDate()])).toEqual([
        [1970, 1, 1],
        [2025, 6, 1],
      ]);
    }
  });
});
