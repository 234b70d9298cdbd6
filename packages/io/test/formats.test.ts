// Every fixture in fixtures/formats/ reads back to the same features as points.geojson, and every
// broken input is a clear error naming the file (and row, feature and field where there is one).
import { readFileSync } from 'node:fs';
import { InputError, OptionError } from '@lifecircle/core';
import { zipSync } from 'fflate';
import type { Feature, FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { formatFixtures } from '../../../fixtures/formats/generate.js';
import { type FeatureRead, listLayers, type ReadOptions, readFeatures, readTable } from '../src/index.js';
import { FORMATS_DIR, readSibling } from './formats-dir.js';

const DIR = FORMATS_DIR;
const path = (name: string) => new URL(name, DIR).pathname;
const bytes = (name: string) => readFileSync(new URL(name, DIR));
const sibling = readSibling;
const read = (name: string, options: ReadOptions = {}): Promise<FeatureRead> =>
  readFeatures(bytes(name), path(name), { readSibling: sibling, ...options });

const POINTS = JSON.parse(bytes('points.geojson').toString()) as FeatureCollection;
const POLYGONS = JSON.parse(bytes('polygons.geojson').toString()) as FeatureCollection;

/** A feature as compared across formats: geometry and properties, a missing property the same as null. */
function comparable(feature: Feature, keys: readonly string[]): unknown {
  return {
    geometry: feature.geometry,
    properties: Object.fromEntries(keys.map((k) => [k, feature.properties?.[k] ?? null])),
  };
}

function expectSameFeatures(actual: FeatureCollection, expected: FeatureCollection): void {
  const keys = [...new Set(expected.features.flatMap((f) => Object.keys(f.properties ?? {})))];
  expect(actual.features.map((f) => comparable(f, keys))).toEqual(
    expected.features.map((f) => comparable(f, keys)),
  );
  // Nothing else came along (FlatGeobuf leaves out null properties; the comparison above covers them).
  for (const f of actual.features)
    expect(keys).toEqual(expect.arrayContaining(Object.keys(f.properties ?? {})));
}

describe('fixtures/formats/', () => {
  it('holds what generate.ts writes (regenerate with npx tsx fixtures/formats/generate.ts)', async () => {
    for (const [name, data] of await formatFixtures()) {
      const expected = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
      expect(bytes(name).equals(expected), `${name} is out of date`).toBe(true);
    }
  });
});

describe('each format reads back to the same features', () => {
  const cases: [string, string, Partial<FeatureRead>][] = [
    ['GeoJSON', 'points.geojson', { format: 'geojson', encoding: 'utf-8' }],
    ['GeoJSON lines', 'points.geojsonl', { format: 'geojsonseq', encoding: 'utf-8' }],
    ['GBK CSV with 经度/纬度', 'points-gbk.csv', { format: 'csv', encoding: 'gb18030' }],
    ['UTF-8 TSV with lng/lat', 'points.tsv', { format: 'csv', encoding: 'utf-8' }],
    ['XLSX with a title row', 'points.xlsx', { format: 'xlsx' }],
    ['shapefile with a GBK .dbf', 'shapefile/points.shp', { format: 'shapefile', encoding: 'gb18030' }],
    ['zipped shapefile', 'points-shp.zip', { format: 'shapefile', encoding: 'gb18030' }],
    ['FlatGeobuf', 'points.fgb', { format: 'flatgeobuf' }],
    ['GeoPackage', 'points.gpkg', { format: 'geopackage' }],
  ];
  for (const [what, name, expected] of cases) {
    it(what, async () => {
      const result = await read(name, name.endsWith('.gpkg') ? { layer: 'facilities' } : {});
      expect(result).toMatchObject(expected);
      expect(result.rejected).toEqual([]);
      expectSameFeatures(result.collection, POINTS);
    });
  }

  it('ids with leading zeros and 18-digit codes stay text; capacity is a number', async () => {
    for (const name of ['points-gbk.csv', 'points.tsv', 'points.xlsx', 'shapefile/points.shp']) {
      const { collection } = await read(name);
      expect(collection.features[0]!.properties).toMatchObject({
        id: '0012',
        code: '620802000000000012',
        capacity: 40,
      });
      expect(collection.features[3]!.properties?.capacity).toBe(1200.5);
    }
  });

  it('polygons, holes included, from a zipped shapefile (.cpg UTF-8) and a GeoPackage layer', async () => {
    const shp = await read('polygons-shp.zip');
    expect(shp.encoding).toBe('utf-8');
    // A shapefile's outer rings run clockwise, so the ring order differs from RFC 7946: compare as sets.
    const rings = (c: FeatureCollection) =>
      c.features.map((f) =>
        (f.geometry as { coordinates: number[][][] }).coordinates.map((ring) =>
          ring
            .slice(1)
            .map((p) => p.join(' '))
            .sort(),
        ),
      );
    expect(rings(shp.collection)).toEqual(rings(POLYGONS));
    expect(shp.collection.features.map((f) => f.properties)).toEqual(
      POLYGONS.features.map((f) => f.properties),
    );
    const gpkg = await read('points.gpkg', { layer: 'communities' });
    expectSameFeatures(gpkg.collection, POLYGONS);
  });
});

describe('the coordinate system the file declares, for the CRS stage', () => {
  it('a .prj gives its WKT and name', async () => {
    const { crs } = await read('shapefile/points.shp');
    expect(crs).toMatchObject({ source: 'prj', name: 'GCS_China_Geodetic_Coordinate_System_2000' });
    expect(crs?.wkt).toMatch(/^GEOGCS\["GCS_China_Geodetic_Coordinate_System_2000"/);
  });

  it('a FlatGeobuf header and a GeoPackage SRS give an EPSG code; CSV and plain GeoJSON none', async () => {
    expect((await read('points.fgb')).crs).toEqual({ source: 'flatgeobuf', name: 'EPSG:4326' });
    expect((await read('points.gpkg', { layer: 'facilities' })).crs).toMatchObject({
      source: 'geopackage',
      name: 'EPSG:4326',
    });
    expect((await read('points-gbk.csv')).crs).toBeNull();
    expect((await read('points.geojson')).crs).toBeNull();
  });

  it('a GeoJSON crs member, legacy URN or EPSG object, is reported and left on the collection', async () => {
    const named = { ...POINTS, crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4549' } } };
    const result = await readFeatures(new TextEncoder().encode(JSON.stringify(named)), 'a.geojson');
    expect(result.crs).toEqual({ source: 'geojson', name: 'urn:ogc:def:crs:EPSG::4549' });
    expect((result.collection as unknown as { crs: unknown }).crs).toEqual(named.crs);
    const legacy = { ...POINTS, crs: { type: 'EPSG', properties: { code: 4490 } } };
    expect((await readFeatures(new TextEncoder().encode(JSON.stringify(legacy)), 'b.json')).crs).toEqual({
      source: 'geojson',
      name: 'EPSG:4490',
    });
  });
});

describe('options', () => {
  it('--lon-column/--lat-column name the coordinate columns, any case', async () => {
    const csv = new TextEncoder().encode('id,E,N,lon\nA,106.6,35.5,wrong\n');
    const result = await readFeatures(csv, 'a.csv', { lonColumn: 'e', latColumn: 'N' });
    expect(result.collection.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [106.6, 35.5] });
    expect(result.collection.features[0]!.properties).toEqual({ id: 'A', lon: 'wrong' });
    await expect(readFeatures(csv, 'a.csv', { lonColumn: 'east' })).rejects.toThrowError(
      "lonColumn: no column named 'east' (the lonColumn option); the table has 'id', 'E', 'N', 'lon'.",
    );
    // A program words the option its own way (the CLI as its flag, the viewer as its control).
    await expect(
      readFeatures(csv, 'a.csv', { lonColumn: 'east', optionWording: (h) => `the ${h.option} box` }),
    ).rejects.toThrowError("lonColumn: no column named 'east' (the lonColumn box); the table has");
  });

  it('--layer picks an XLSX sheet; an unknown layer lists the ones there are', async () => {
    const notes = await readTable(bytes('points.xlsx'), 'points.xlsx', { layer: '说明' });
    expect(notes.columns).toEqual(['字段', '含义']);
    await expect(read('points.xlsx', { layer: 'Sheet9' })).rejects.toThrowError(
      /has no sheet 'Sheet9'; its sheets are '设施', '说明'/,
    );
    await expect(read('points.gpkg')).rejects.toThrowError(
      /holds 2 feature tables \('communities', 'facilities'\); choose one with the layer option\.$/,
    );
    const error = await read('points.gpkg', { optionWording: () => 'the table menu' }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/; choose one with the table menu\.$/);
    expect((error as { hint?: unknown }).hint).toEqual({ option: 'layer' });
  });

  it('the first sheet of a workbook with several is read, with a warning naming the others', async () => {
    const result = await read('points.xlsx');
    expect(result.warnings.map((w) => w.message)).toContain(
      "read the first sheet '设施'; the workbook also has '说明' (choose one with the layer option)",
    );
    expect(result.warnings.find((w) => w.code === 'layer-chosen')).toMatchObject({
      hint: { option: 'layer' },
    });
    expect(result.warnings.map((w) => w.code)).toContain('rows-skipped');
  });

  it('an unknown encoding is an option error', async () => {
    await expect(read('points-gbk.csv', { encoding: 'gbk-2312' })).rejects.toThrowError(OptionError);
    await expect(read('shapefile/points.shp', { encoding: 'nope' })).rejects.toThrowError(
      /unknown text encoding 'nope'/,
    );
  });

  it('readTable reads a table without locations, such as population for a join', async () => {
    const table = await readTable(bytes('bad/no-coordinates.csv'), 'pop.csv');
    expect(table.columns).toEqual(['社区编码', '人口']);
    expect(table.records).toEqual([
      { 社区编码: '0012', 人口: 651 },
      { 社区编码: '0013', 人口: 1320 },
    ]);
    expect(table.rows).toEqual([2, 3]);
    const dbf = await readTable(bytes('bad/lonely.dbf'), 'lonely.dbf');
    expect(dbf.records[0]).toMatchObject({ id: '0012', name: '崆峒区阳光托育中心', capacity: 40 });
  });
});

describe('broken inputs: a clear error or rejection naming the file, row and field', () => {
  const expectInputError = async (promise: Promise<unknown>, file: string, phrase: RegExp | string) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message.startsWith(`${file}: `)).toBe(true);
    expect((error as InputError).message).toMatch(phrase);
  };

  it('a truncated .shp', async () => {
    await expectInputError(
      read('bad/truncated.shp'),
      path('bad/truncated.shp'),
      /is truncated: its header says 268 bytes but the file has 258/,
    );
  });

  it('a .shp that is not a shapefile', async () => {
    await expectInputError(
      read('bad/not-a-shapefile.shp'),
      path('bad/not-a-shapefile.shp'),
      /too short to be a shapefile/,
    );
  });

  it('a .dbf without its .shp', async () => {
    await expectInputError(
      read('bad/lonely.dbf'),
      path('bad/lonely.dbf'),
      /its \.shp \(the shapes\) was not found beside it/,
    );
  });

  it('a .shp without its .dbf', async () => {
    const shp = bytes('shapefile/points.shp');
    await expectInputError(
      readFeatures(shp, 'alone.shp'),
      'alone.shp',
      /attribute table alone\.dbf was not found/,
    );
  });

  it('a zip with a .dbf and no .shp', async () => {
    await expectInputError(read('bad/no-shp.zip'), path('bad/no-shp.zip'), /holds lonely\.dbf but no \.shp/);
  });

  it('a CSV with missing and text coordinates: those rows rejected, with row and column', async () => {
    const result = await read('bad/coordinates.csv');
    expect(result.collection.features.map((f) => f.properties?.id)).toEqual(['C1', 'C4']);
    expect(result.rejected).toEqual([
      {
        file: path('bad/coordinates.csv'),
        index: 1,
        row: 3,
        id: 'C2',
        field: '经度',
        reason: 'missing longitude',
      },
      {
        file: path('bad/coordinates.csv'),
        index: 2,
        row: 4,
        id: 'C3',
        field: '纬度',
        reason: 'expected a latitude in decimal degrees, got "北纬35度"',
      },
    ]);
    expect(Array.from(result.origins!.row!)).toEqual([2, 5]);
  });

  it('a table without coordinate columns lists the headers it has', async () => {
    await expectInputError(
      read('bad/no-coordinates.csv'),
      path('bad/no-coordinates.csv'),
      "found no longitude and latitude column. Its headers are '社区编码', '人口'",
    );
  });

  it('a census table given as features says how it is used: joined to the boundaries (issue #12)', async () => {
    const census = readFileSync(new URL('../../../fixtures/trial/人口普查.xlsx', import.meta.url));
    await expectInputError(
      readFeatures(census, '人口普查.xlsx'),
      '人口普查.xlsx',
      "Its headers are '社区名称', '常住人口', '户数'; expected lon/lng/longitude/x/经度 and lat/latitude/y/纬度, one location/坐标 column of lng,lat, or one wkt/geometry column of well-known text, or name them (the lonColumn option, the latColumn option). With its column '常住人口' and no positions it looks like a table of population by community: join it to the community boundaries instead (CLI: --population-table FILE, with --join-by name when it has names, not codes; library: joinPopulation).",
    );
    // The formats set's table of codes and 人口 is one too.
    await expectInputError(
      read('bad/no-coordinates.csv'),
      path('bad/no-coordinates.csv'),
      /with --join-by name/,
    );
  });

  it('a bad line of GeoJSON lines is rejected with its line number; the others are read', async () => {
    const result = await read('bad/broken-line.geojsonl');
    expect(result.collection.features).toHaveLength(2);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]).toMatchObject({ index: 1, row: 2, id: '0013', field: 'json' });
    expect(result.rejected[0]!.reason).toMatch(/^line 2 is not valid JSON/);
  });

  it('an old .xls workbook, and a corrupt FlatGeobuf or GeoPackage', async () => {
    await expectInputError(readFeatures(new Uint8Array(8), 'old.xls'), 'old.xls', /save it as \.xlsx/);
    await expectInputError(
      readFeatures(bytes('points.fgb').subarray(0, 200), 'cut.fgb'),
      'cut.fgb',
      /corrupt or truncated FlatGeobuf/,
    );
    await expectInputError(readFeatures(bytes('points.gpkg').subarray(0, 4096), 'cut.gpkg'), 'cut.gpkg', /./);
    await expectInputError(
      readFeatures(bytes('points.csv' in {} ? '' : 'points.tsv'), 'x.gpkg'),
      'x.gpkg',
      /not a GeoPackage/,
    );
  });
});

describe('listLayers: what a program offers to choose from, named as the layer option takes it', () => {
  it("a GeoPackage's feature tables, a workbook's sheets, a zip's shapefiles; none for one-layer formats", async () => {
    expect(await listLayers(bytes('points.gpkg'), 'points.gpkg')).toEqual(['communities', 'facilities']);
    expect(await listLayers(bytes('points.xlsx'), 'points.xlsx')).toEqual(['设施', '说明']);
    expect(await listLayers(bytes('points-shp.zip'), 'points-shp.zip')).toHaveLength(1);
    const part = (ext: string) => new Uint8Array(bytes(`shapefile/points.${ext}`));
    const two = zipSync({
      'a/kindergartens.shp': part('shp'),
      'a/kindergartens.dbf': part('dbf'),
      'b/clinics.shp': part('shp'),
      'b/clinics.dbf': part('dbf'),
    });
    const layers = await listLayers(two, 'two.zip');
    expect(layers).toEqual(['kindergartens', 'clinics']);
    // Each listed name reads its layer.
    for (const layer of layers) {
      const read = await readFeatures(two, 'two.zip', { layer });
      expect(read.collection.features.length).toBeGreaterThan(0);
    }
    const table = await readFeatures(bytes('points.gpkg'), 'points.gpkg', { layer: 'facilities' });
    expect(table.collection.features.length).toBeGreaterThan(0);
    for (const name of ['points.geojson', 'points.tsv', 'points.fgb', 'shapefile/points.shp'])
      expect(await listLayers(bytes(name), name)).toEqual([]);
  });
});
