// One test per class of hostile or huge input found in issue #17, each with a file generated here:
// every one ends quickly with a clear message naming the file (or a valid result), never a stack
// overflow, an endless loop or gigabytes of memory.
import { readFileSync } from 'node:fs';
import { InputError } from '@lifecircle/core';
import { strToU8, unzipSync, zipSync, zlibSync } from 'fflate';
import { PbfWriter } from 'pbf';
import { describe, expect, it } from 'vitest';
import { loadDefaultSqlJs } from '../src/geopackage/geopackage.js';
import {
  DEFAULT_LIMITS,
  type LimitError,
  type ReadOptions,
  readFeatures,
  readGeoTiff,
  readTable,
  writeOsmPbf,
} from '../src/index.js';
// A format's own reader is internal to the package (io's export list); the test reaches it directly.
import { pbfFileBlock } from '../src/osm/encode.js';
import { readShapefileParts } from '../src/shapefile/shapefile.js';

const DIR = new URL('../../../fixtures/formats/', import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, DIR)));

/** Runs `read`, expects an InputError naming `file`, and returns it with how long it took. */
async function rejects(
  read: () => Promise<unknown>,
  file: string,
  pattern: RegExp,
): Promise<{ error: InputError; ms: number }> {
  const started = performance.now();
  let caught: unknown;
  try {
    await read();
  } catch (error) {
    caught = error;
  }
  const ms = performance.now() - started;
  expect(caught, 'expected an error').toBeInstanceOf(InputError);
  const error = caught as InputError;
  expect(error.message.startsWith(`${file}: `), error.message).toBe(true);
  expect(error.message).toMatch(pattern);
  return { error, ms };
}

describe('zip bombs', () => {
  const shapefile = unzipSync(fixture('points-shp.zip'));
  // 24 MB of zeros packs into about 24 KB: a ratio of a thousand, as in a zip bomb.
  const zeros = new Uint8Array(24 * 1024 * 1024);

  it('an entry that unpacks a thousand times its size is refused before it is unpacked', async () => {
    const bomb = zipSync({ ...shapefile, [Object.keys(shapefile).find((n) => n.endsWith('.dbf'))!]: zeros });
    expect(bomb.byteLength).toBeLessThan(200_000);
    const { error, ms } = await rejects(
      () => readFeatures(bomb, 'bomb.zip'),
      'bomb.zip',
      /unpacks from .* to 24 MB \(\d+ times\), beyond the limit of 200 times \(reading option limits\.maxCompressionRatio/,
    );
    expect((error as LimitError).limit).toBe('maxCompressionRatio');
    // Generous for a shared machine: the point is that it stops at about 6 MB, not 30.
    expect(ms).toBeLessThan(5000);
  });

  it('entries of other files are neither unpacked nor counted: thirty .prj beside the shapefile', async () => {
    const entries: Record<string, Uint8Array> = { ...shapefile };
    for (let i = 0; i < 30; i++) entries[`other-${i}.prj`] = new Uint8Array(1024 * 1024);
    // Were the thirty unpacked, they would pass the 2 MB total many times over.
    const read = await readFeatures(zipSync(entries), 'many.zip', {
      layer: 'points',
      limits: { maxArchiveBytes: 2 * 1024 * 1024 },
    });
    expect(read.collection.features.length).toBeGreaterThan(0);
  });

  it('the absolute and total caps are options too', async () => {
    const data = zipSync(shapefile);
    await rejects(
      () => readFeatures(data, 'small.zip', { limits: { maxEntryBytes: 100 } }),
      'small.zip',
      /beyond the limit of 100 bytes \(reading option limits\.maxEntryBytes/,
    );
    await rejects(
      () => readFeatures(data, 'small.zip', { limits: { maxArchiveBytes: 300 } }),
      'small.zip',
      /limits\.maxArchiveBytes/,
    );
  });
});

describe('XLSX', () => {
  it('one cell at XFD1048576 is refused before the sheet is expanded', async () => {
    const parts = unzipSync(fixture('points.xlsx'));
    const sheetName = Object.keys(parts).find((n) => /^xl\/worksheets\/.*\.xml$/.test(n))!;
    const sheet = new TextDecoder().decode(parts[sheetName]);
    parts[sheetName] = strToU8(
      sheet.replace('</sheetData>', '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'),
    );
    const workbook = zipSync(parts);
    const { ms } = await rejects(
      () => readFeatures(workbook, 'far.xlsx'),
      'far.xlsx',
      /worksheet sheet\d+ spans 1048576 rows by 16384 columns .*last cell is XFD1048576.*limits\.maxSheetCells/,
    );
    expect(ms).toBeLessThan(2000);
    await rejects(
      () => readFeatures(workbook, 'far.xlsx', { limits: { maxSheetRows: 1000 } }),
      'far.xlsx',
      /reaches row 1048576 .*limits\.maxSheetRows/,
    );
  });

  it('cells without addresses count too: a row of 20,000 unaddressed cells', async () => {
    const parts = unzipSync(fixture('points.xlsx'));
    const sheetName = Object.keys(parts).find((n) => /^xl\/worksheets\/.*\.xml$/.test(n))!;
    const sheet = new TextDecoder().decode(parts[sheetName]);
    parts[sheetName] = strToU8(
      sheet.replace('</sheetData>', `<row>${'<c><v>1</v></c>'.repeat(20_000)}</row></sheetData>`),
    );
    await rejects(
      () => readFeatures(zipSync(parts), 'wide.xlsx'),
      'wide.xlsx',
      /reaches column 20000.*limits\.maxSheetColumns/,
    );
  });
});

describe('XLSX with a garbled zip directory', () => {
  it('58 bytes of commas at 95 % of the workbook: refused in well under 2 s (read-excel-file took 68 s)', async () => {
    const bytes = fixture('points.xlsx');
    const at = Math.floor(bytes.length * 0.95);
    bytes.fill(0x2c, at, at + 58);
    const { ms } = await rejects(
      () => readFeatures(bytes, 'points.xlsx'),
      'points.xlsx',
      /is not a readable XLSX workbook .*its directory is damaged: entry '[^']*' claims [\d.]+ MB packed .* in an archive of 2\.8 KB\.$/,
    );
    expect(ms).toBeLessThan(2000);
  });
});

describe('GeoPackage', () => {
  async function altered(sql: string): Promise<Uint8Array> {
    const SQL = await loadDefaultSqlJs();
    const db = new SQL.Database(fixture('points.gpkg'));
    db.exec(sql);
    const out = db.export();
    db.close();
    return out;
  }
  const featureTable = async () => {
    const SQL = await loadDefaultSqlJs();
    const db = new SQL.Database(fixture('points.gpkg'));
    const name = String(
      db.exec("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")[0]!.values[0]![0],
    );
    db.close();
    return name;
  };
  const RECURSIVE = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r';

  it('a feature table that is a recursive view is refused without running it', async () => {
    const table = await featureTable();
    const data = await altered(`DROP TABLE "${table}"; CREATE VIEW "${table}" AS ${RECURSIVE};`);
    const { ms } = await rejects(
      () => readFeatures(data, 'view.gpkg', { layer: table }),
      'view.gpkg',
      new RegExp(`feature table '${table}' is a view, not a table`),
    );
    expect(ms).toBeLessThan(5000);
  });

  it('gpkg_contents as a recursive view is refused', async () => {
    const data = await altered(
      `ALTER TABLE gpkg_contents RENAME TO old_contents; CREATE VIEW gpkg_contents AS SELECT * FROM old_contents, (${RECURSIVE});`,
    );
    await rejects(
      () => readFeatures(data, 'contents.gpkg'),
      'contents.gpkg',
      /gpkg_contents is a view, not a table/,
    );
  });

  it('contents naming a missing table, and a file without gpkg_spatial_ref_sys', async () => {
    const table = await featureTable();
    await rejects(
      async () => readFeatures(await altered(`DROP TABLE "${table}";`), 'missing.gpkg', { layer: table }),
      'missing.gpkg',
      new RegExp(`gpkg_contents lists the feature table '${table}', which is not in the file`),
    );
    await rejects(
      async () =>
        readFeatures(await altered('DROP TABLE gpkg_spatial_ref_sys;'), 'nosrs.gpkg', { layer: table }),
      'nosrs.gpkg',
      /has no gpkg_spatial_ref_sys table/,
    );
  });
});

describe('FlatGeobuf', () => {
  const valid = fixture('points.fgb');

  it('the magic bytes alone (8 bytes) are a clear error, not an endless loop', async () => {
    await rejects(
      () => readFeatures(valid.slice(0, 8), 'magic.fgb'),
      'magic.fgb',
      /truncated FlatGeobuf file: it has 8 bytes/,
    );
  });

  it('every truncation is an error naming a byte offset, the same on every run, never half the features', async () => {
    for (let length = 12; length < valid.byteLength; length += 7) {
      const cut = valid.slice(0, length);
      const first = await rejects(() => readFeatures(cut, 'cut.fgb'), 'cut.fgb', /FlatGeobuf file/);
      const second = await rejects(() => readFeatures(cut, 'cut.fgb'), 'cut.fgb', /FlatGeobuf file/);
      expect(second.error.message).toBe(first.error.message);
    }
  });

  it('a corrupt header is an error, not an empty file', async () => {
    const garbled = valid.slice();
    new DataView(garbled.buffer).setUint32(8, 0xfffffff0, true);
    await rejects(
      () => readFeatures(garbled, 'garbled.fgb'),
      'garbled.fgb',
      /header says it is 4294967280 bytes/,
    );
    const zeroed = valid.slice();
    zeroed.fill(0xff, 12, 40);
    await rejects(
      () => readFeatures(zeroed, 'zeroed.fgb'),
      'zeroed.fgb',
      /corrupt or truncated FlatGeobuf file: .* \(at byte \d+\)/,
    );
  });
});

describe('CSV', () => {
  const header = (columns: number) => Array.from({ length: columns }, () => 'name').join(',');

  it('a header of one name 40,000 times is refused quickly by the width limit', async () => {
    const text = `${header(40_000)}\n${Array.from({ length: 40_000 }, (_, i) => i).join(',')}\n`;
    const { ms } = await rejects(
      () => readTable(strToU8(text), 'wide.csv'),
      'wide.csv',
      /row 1 has more than 16,384 cells, beyond the limit of 16,384 \(reading option limits\.maxColumns/,
    );
    expect(ms).toBeLessThan(2000);
  });

  it('with the limit raised, renaming 40,000 repeats is linear and the warning lists ten of them', async () => {
    const text = `${header(40_000)}\n${Array.from({ length: 40_000 }, (_, i) => i).join(',')}\n`;
    const started = performance.now();
    const table = await readTable(strToU8(text), 'wide.csv', { limits: { maxColumns: 100_000 } });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(table.columns).toHaveLength(40_000);
    expect(new Set(table.columns).size).toBe(40_000);
    expect(table.columns.slice(0, 3)).toEqual(['name', 'name_2', 'name_3']);
    const warning = table.warnings.find((w) => w.code === 'column-renamed')!;
    expect(warning.message).toMatch(/'name' → name_11 and 39989 more$/);
    expect(warning.message.length).toBeLessThan(400);
  });

  it('random bytes named .csv are "not a text file" in one short line, not a header of garbage quoted back', async () => {
    const data = new Uint8Array(200_000);
    for (let i = 0, seed = 11; i < data.length; i++) {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) | 0;
      data[i] = seed >>> 23;
    }
    const { error } = await rejects(
      () => readFeatures(data, 'poi.csv'),
      'poi.csv',
      /^poi\.csv: is not a text file: [\d,]+ of its first 65,536 bytes are control characters/,
    );
    expect(error.message.length).toBeLessThan(300);
  });

  it.each([
    ['1 MB', 1_100_000],
    ['200 MB', 200_000_000],
  ])('a single line of %s is refused at the line-length limit, quickly', async (_, size) => {
    const data = new Uint8Array(size).fill(0x61);
    data.set(strToU8('lon,lat,'), 0);
    const { ms } = await rejects(
      () => readFeatures(data, 'line.csv'),
      'line.csv',
      /row 1 is longer than 1,000,000 characters.*limits\.maxLineLength/,
    );
    expect(ms).toBeLessThan(size > 10_000_000 ? 10_000 : 2000);
  });
});

describe('deep nesting and long strings', () => {
  const nested = (depth: number, inner: string) => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
  const geojson = (geometry: string, properties: string) =>
    strToU8(
      `{"type":"FeatureCollection","features":[{"type":"Feature","properties":${properties},"geometry":${geometry}}]}`,
    );
  const point = '{"type":"Point","coordinates":[116.4,39.9]}';

  it('properties nested 5,000 deep', async () => {
    const properties = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    await rejects(
      () => readFeatures(geojson(point, properties), 'deep.geojson'),
      'deep.geojson',
      /nests arrays or objects more than 64 deep, beyond the limit of 64 \(reading option limits\.maxDepth/,
    );
  });

  it('coordinates nested 5,000 deep', async () => {
    const geometry = `{"type":"Polygon","coordinates":${nested(5000, '1,2')}}`;
    await rejects(
      () => readFeatures(geojson(geometry, '{}'), 'deep.geojson'),
      'deep.geojson',
      /limits\.maxDepth/,
    );
  });

  it('a syntax error under 100,000 open brackets', async () => {
    await rejects(
      () => readFeatures(strToU8(`{"type":${'['.repeat(100_000)}`), 'open.geojson'),
      'open.geojson',
      /limits\.maxDepth/,
    );
  });

  it('deep brackets after an unclosed string and a line break (found by the fuzz suite)', async () => {
    const text = `{"type":"FeatureCollection","name":"unclosed\n${'[{"b":['.repeat(20_000)}`;
    await rejects(
      () => readFeatures(strToU8(text), 'unclosed.geojson'),
      'unclosed.geojson',
      /limits\.maxDepth/,
    );
  });

  it('a GeoJSON-lines line with a very long unterminated string is one rejected line', async () => {
    const good = `{"type":"Feature","id":"a","properties":{},"geometry":${point}}`;
    for (const length of [900_000, 3_000_000]) {
      const bad = `{"type":"Feature","id":"b","properties":{"name":"${'x'.repeat(length)}`;
      const read = await readFeatures(strToU8(`${good}\n${bad}\n${good}\n`), 'long.geojsonl');
      expect(read.collection.features).toHaveLength(2);
      expect(read.rejected).toHaveLength(1);
      expect(read.rejected[0]).toMatchObject({ row: 2, id: 'b', field: 'json' });
      expect(read.rejected[0]!.reason).toMatch(
        length > DEFAULT_LIMITS.maxLineLength ? /limits\.maxLineLength/ : /^line 2 is not valid JSON/,
      );
    }
  });

  it('a huge or deeply bracketed .prj', async () => {
    const parts = (prj: string) => ({
      shp: { name: 'p.shp', bytes: fixture('shapefile/points.shp') },
      dbf: { name: 'p.dbf', bytes: fixture('shapefile/points.dbf') },
      prj: { name: 'p.prj', bytes: strToU8(prj) },
    });
    await rejects(
      () => readShapefileParts(parts(`GEOGCS["x",${'AUTHORITY["EPSG","4326"],'.repeat(100_000)}]`), 'p.shp'),
      'p.shp',
      /p\.prj is .* MB .*limits\.maxPrjBytes/,
    );
    await rejects(
      () => readShapefileParts(parts(`GEOGCS["x",${nested(10_000, '')}]`), 'p.shp'),
      'p.shp',
      /brackets nest more than 64 deep.*limits\.maxDepth/,
    );
  });
});

describe('limits as options', () => {
  it('a limit can be lowered (and so raised) per read', async () => {
    const options: ReadOptions = { limits: { maxLineLength: 10 } };
    await rejects(
      () => readTable(strToU8('id,population\n1,123456789012\n'), 'short.csv', options),
      'short.csv',
      /row 1 is longer than 10 characters/,
    );
  });
});

describe('OpenStreetMap PBF', () => {
  /** One PBF blob of `type` holding `zlib` data, with or without the optional `raw_size`. */
  function zlibBlob(type: string, zlib: Uint8Array, rawSize?: number): Uint8Array {
    const blob = new PbfWriter();
    if (rawSize !== undefined) blob.writeVarintField(2, rawSize);
    blob.writeBytesField(3, zlib);
    return pbfFileBlock(type, blob.finish());
  }
  const town = writeOsmPbf({
    nodes: [
      { id: 1, lon: 106.6, lat: 35.5 },
      { id: 2, lon: 106.61, lat: 35.51 },
    ],
    ways: [{ id: 10, refs: [1, 2], tags: { highway: 'footway' } }],
  });
  // 30 MB of zeros packs into about 30 KB: under the format's 32 MiB, a thousand times its size.
  const bomb = zlibSync(new Uint8Array(30 * 1024 * 1024), { level: 9 });
  const withBlob = (blob: Uint8Array) => {
    const out = new Uint8Array(town.byteLength + blob.byteLength);
    out.set(town);
    out.set(blob, town.byteLength);
    return out;
  };

  it('a zlib blob without raw_size is not inflated past the compression limit', async () => {
    const { error, ms } = await rejects(
      () => readFeatures(withBlob(zlibBlob('OSMData', bomb)), 'town.osm.pbf', { osm: { layer: 'network' } }),
      'town.osm.pbf',
      /blob 4 at byte \d+: the blob unpacks from .* times \(a zip bomb\?\).*limits\.maxCompressionRatio/,
    );
    expect((error as LimitError).limit).toBe('maxCompressionRatio');
    // Generous for a shared machine: the point is that it stops at about 6 MB, not 30.
    expect(ms).toBeLessThan(5000);
  });

  it('a blob stating its size is held to the limits before it is inflated', async () => {
    const { error } = await rejects(
      () =>
        readFeatures(withBlob(zlibBlob('OSMData', bomb, 30 * 1024 * 1024)), 'town.osm.pbf', {
          osm: { layer: 'network' },
          limits: { maxCompressionRatio: 100_000, maxEntryBytes: 1024 * 1024 },
        }),
      'town.osm.pbf',
      /the blob unpacks to 30 MB.*limits\.maxEntryBytes/,
    );
    expect((error as LimitError).limit).toBe('maxEntryBytes');
  });

  it("with the ratio raised, the same blob is inflated (up to the format's 32 MiB) and read", async () => {
    const read = await readFeatures(withBlob(zlibBlob('OSMData', bomb)), 'town.osm.pbf', {
      osm: { layer: 'network' },
      limits: { maxCompressionRatio: 100_000 },
    });
    // 30 MB of zeros is an empty block: the footway of the file's own blocks is all there is.
    expect(read.collection.features.map((f) => f.properties?.id)).toEqual(['way/10']);
  });
});

describe('prototype-polluting column names', () => {
  it('a CSV column named __proto__ is kept as a property, not dropped or made a prototype', async () => {
    const read = await readFeatures(
      strToU8('id,lon,lat,__proto__,constructor\nA,106.66,35.54,x,y\n'),
      'proto.csv',
    );
    const properties = read.collection.features[0]!.properties!;
    expect(Object.keys(properties)).toEqual(['id', '__proto__', 'constructor']);
    expect(Object.hasOwn(properties, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(properties))).toEqual(
      JSON.parse('{"id":"A","__proto__":"x","constructor":"y"}'),
    );
  });
});

describe('GeoTIFF', () => {
  it('a damaged GeoKey directory is an input error naming the file, not the package’s bare Error', async () => {
    // The case the long fuzz run of 6 December 2026 found: oversized lengths in the GeoKey directory
    // made the geotiff package throw "Could not get value of geoKey 'GTCitationGeoKey'". The damage is
    // written into the directory itself (found through the IFD), so a regenerated DEM keeps the case.
    const bytes = new Uint8Array(
      readFileSync(new URL('../../../fixtures/pingliang/dem.tif', import.meta.url)),
    );
    damageGeoKeys(bytes);
    const read = readGeoTiff(bytes, { file: 'dem.tif' });
    await expect(read).rejects.toThrowError(InputError);
    await expect(read).rejects.toThrowError(/^dem\.tif: /);
  });
});

/**
 * Points every GeoKey held in another tag (GTCitationGeoKey's ASCII, for one) at the GeoDoubleParams
 * tag, far past its end, as a damaged writer would; throws when the file has no such key.
 */
function damageGeoKeys(tiff: Uint8Array): void {
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const little = view.getUint16(0) === 0x4949;
  const ifd = view.getUint32(4, little);
  for (let entry = 0; entry < view.getUint16(ifd, little); entry++) {
    const at = ifd + 2 + 12 * entry;
    if (view.getUint16(at, little) !== 34735) continue; // GeoKeyDirectoryTag
    const directory = view.getUint32(at + 8, little);
    let damaged = 0;
    for (let key = 0; key < view.getUint16(directory + 6, little); key++) {
      const k = directory + 8 + 8 * key;
      if (view.getUint16(k + 2, little) === 0) continue; // the value is in the key itself
      view.setUint16(k + 2, 34736, little); // GeoDoubleParamsTag
      view.setUint16(k + 6, 0xfff0, little);
      damaged++;
    }
    if (damaged > 0) return;
  }
  throw new Error('no GeoKey held in another tag to damage');
}
