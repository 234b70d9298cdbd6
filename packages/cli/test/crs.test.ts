// Coordinate systems, population tables and output formats through the command (issue 7): the
// bundled city in CGCS2000 Gauss-Krüger zone 36 and GCJ-02 (fixtures/crs, from fixtures/crs/generate.ts)
// gives the summary of its WGS84 original.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  crsOfEpsg,
  gcj02ToWgs84,
  readGeoPackage,
  reprojectFeatureCollection,
  shapefileZip,
  WGS84,
  wgs84ToGcj02,
  writeGeoPackage,
} from '@lifecircle/io';
import { bboxPolygon, feature, featureCollection } from '@turf/turf';
import { unzipSync } from 'fflate';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { ROOT, readSummary, runCli, scratchDir } from './harness.js';

const WGS_COMMUNITIES = join(ROOT, 'fixtures', 'pingliang', 'communities.geojson');
const WGS_FACILITIES = join(ROOT, 'fixtures', 'pingliang', 'facilities.geojson');
const GK_COMMUNITIES = join(ROOT, 'fixtures', 'crs', 'communities-cgcs2000-gk3-36.geojson');
const GCJ_FACILITIES = join(ROOT, 'fixtures', 'crs', 'facilities-gcj02.geojson');
const SMALL_COMMUNITIES = join(ROOT, 'packages', 'cli', 'test', 'data', 'communities.geojson');
const SMALL_FACILITIES = join(ROOT, 'packages', 'cli', 'test', 'data', 'facilities.geojson');
const { dir: TMP } = scratchDir('crs');

type Json = Record<string, unknown>;

/** The `--json` summary of a quiet run that must succeed without a word on stderr. */
async function jsonRun(args: readonly string[]): Promise<Json> {
  const r = await runCli([...args, '--json', '--quiet']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Json;
}
const summary = (...args: string[]): Promise<Json> => jsonRun(['analyze', ...args]);

/** Runs `args` quietly with its outputs in `dir`; the run must succeed. What it printed. */
async function writeTo(dir: string, args: readonly string[]): Promise<string> {
  const r = await runCli([...args, '--out', dir, '--quiet']);
  expect(r.code).toBe(0);
  return r.out;
}

/** How a run read its input files (`crs.inputs` of its summary). */
const inputsOf = (s: Json): Json[] => (s.crs as { inputs: Json[] }).inputs;
/** How a run read the input file `file`. */
const inputOf = (s: Json, file: string): Json | undefined => inputsOf(s).find((i) => i.file === file);

/** Figures of a summary, without what legitimately differs between runs on different files. */
function figures(s: Json): Json {
  // How the inputs were read (systems, joined table, columns) differs by design between the runs compared.
  const { warnings: _w, rejected, crs: _c, population_join: _p, inputs: _i, ...rest } = s;
  return { ...rest, rejected: (rejected as unknown[]).length };
}

/** Equal, with numbers within `relative` of each other (shares and metres after a round trip). */
function expectClose(actual: unknown, expected: unknown, relative: number, path = 'summary'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const tolerance = Math.max(1e-9, Math.abs(expected) * relative);
    if (Math.abs(actual - expected) > tolerance) {
      throw new Error(`${path}: ${actual} differs from ${expected} by more than ${tolerance}`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) {
      expectClose((actual as unknown[])[i], expected[i], relative, `${path}[${i}]`);
    }
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as Json).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected))
      expectClose((actual as Json)[k], v, relative, `${path}.${k}`);
    return;
  }
  expect(actual, path).toEqual(expected);
}

const TYPES = ['--types', 'kindergarten,nursery_childcare,elderly_service_station,community_health_station'];
// The bundled city in WGS84, as every run that changes only the outputs reads it.
const WGS_CITY = ['--communities', WGS_COMMUNITIES, '--facilities', WGS_FACILITIES];
const BUNDLED_CITY = [...WGS_CITY, ...TYPES];
// The same city with its communities in Gauss-Krüger zone 36 and its facilities in GCJ-02; each run
// adds the options that declare (or do not declare) the two systems.
const CONVERTED_CITY = ['--communities', GK_COMMUNITIES, '--facilities', GCJ_FACILITIES, ...TYPES];
// The small town of the CLI's test data, for the runs that check outputs rather than figures.
const SMALL_TOWN = ['--communities', SMALL_COMMUNITIES, '--facilities', SMALL_FACILITIES];
/** `site` choosing `k` kindergarten sites by MCLP among the communities and facilities `town`. */
const kindergartenSites = (k = 1, town: readonly string[] = SMALL_TOWN): string[] => [
  'site',
  ...town,
  ...['--type', 'kindergarten', '--model', 'mclp', '--k', String(k)],
];
// The bundled city's analysis written in Gauss-Krüger zone 36.
const ANALYZE_IN_ZONE_36 = ['analyze', ...BUNDLED_CITY, '--output-crs', 'cgcs2000-gk3-36'];
// `check` of the small town against the complete-community profile.
const COMPLETE_COMMUNITY_CHECK = ['check', '--profile', 'complete-community', ...SMALL_TOWN];
let reference: Promise<Json> | undefined;
const wgs84Summary = () => {
  reference ??= summary(...BUNDLED_CITY);
  return reference;
};

/**
 * The summary of communities a run wrote, read back as the communities of the bundled city, after
 * checking they were read in `epsg`, the system their file declares (no option).
 */
async function readBack(communities: string, epsg: string): Promise<Json> {
  const back = await summary('--communities', communities, '--facilities', WGS_FACILITIES, ...TYPES);
  expect(inputsOf(back)[0]).toMatchObject({ source: 'file', used: { id: epsg } });
  return back;
}

describe('the bundled city in CGCS2000 Gauss-Krüger zone 36 and GCJ-02', () => {
  it('gives the summary of the WGS84 run when both systems are declared', async () => {
    const converted = await summary(
      ...CONVERTED_CITY,
      ...['--communities-crs', 'EPSG:4524', '--facilities-crs', 'gcj02'],
    );
    // Positions come back within 1e-7° (the fixtures are rounded to a millimetre and 1e-7°), so the
    // 50 m demand grid and every distance agree to far below the rounding of the summary.
    expectClose(figures(converted), figures(await wgs84Summary()), 1e-4);
    expect(converted.crs).toEqual({
      inputs: [
        {
          file: GK_COMMUNITIES,
          read: null,
          declared: 'EPSG:4524',
          detected: null,
          used: { id: 'EPSG:4524', name: 'CGCS2000 / 3-degree Gauss-Kruger zone 36' },
          source: 'option',
          converted: true,
        },
        {
          file: GCJ_FACILITIES,
          read: null,
          declared: 'gcj02',
          detected: null,
          used: { id: 'gcj02', name: 'GCJ-02 (AMap/Gaode, Tencent)' },
          source: 'option',
          converted: true,
        },
      ],
      output: { id: 'EPSG:4326', name: 'WGS 84' },
    });
    const codes = (converted.warnings as { code: string; file: string; message: string }[]).map(
      (w) => w.code,
    );
    // The file name says GCJ-02, but it was declared and converted: no hint about it.
    expect(codes).not.toContain('coordinates-gcj02');
    // Jingning and Zhuanglang counties lie west of zone 36 (106.5°–109.5°E), as they would in real data.
    const outside = (converted.warnings as { code: string; message: string }[]).find(
      (w) => w.code === 'crs-outside-zone',
    );
    expect(outside?.message).toMatch(/positions lie outside CGCS2000 \/ 3-degree Gauss-Kruger zone 36/);
  });

  it('reads the zone from the eastings with --communities-crs cgcs2000-gk3, and takes --input-crs for the rest', async () => {
    const s = await summary(...CONVERTED_CITY, '--input-crs', 'cgcs2000-gk3', '--facilities-crs', 'gcj02');
    const [communities] = inputsOf(s);
    expect(communities).toMatchObject({
      declared: 'cgcs2000-gk3',
      detected: "zone 36 from the eastings' zone number (EPSG:4524)",
      used: { id: 'EPSG:4524' },
      source: 'default-option',
    });
    expectClose(figures(s), figures(await wgs84Summary()), 1e-4);
  });

  it('undeclared GCJ-02 facilities read as WGS84 land elsewhere; the file name alone raises no GCJ-02 warning', async () => {
    const s = await summary(...CONVERTED_CITY, '--communities-crs', 'EPSG:4524');
    // A name says nothing about coordinates (issue #13): only evidence does (inspect --network).
    const codes = (s.warnings as { code: string }[]).map((w) => w.code);
    expect(codes).not.toContain('coordinates-gcj02');
    expect(codes).not.toContain('coordinates-offset');
    const shares = (x: Json) =>
      Object.values(x.types as Record<string, { covered_share: number }>).map((t) => t.covered_share);
    expect(shares(s)).not.toEqual(shares(await wgs84Summary()));
  });

  it('stops when the Gauss-Krüger communities are read as WGS84, suggesting zone 36', async () => {
    const r = await runCli([
      'analyze',
      '--communities',
      GK_COMMUNITIES,
      '--facilities',
      WGS_FACILITIES,
      '--quiet',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).not.toContain('    at ');
    expect(r.err).toContain(`${GK_COMMUNITIES}: `);
    expect(r.err).toMatch(/look like projected metres, but the file is read as WGS 84 longitude\/latitude/);
    expect(r.err).toMatch(/3-degree Gauss-Krüger zone 36 \(central meridian 108°E\).*CGCS2000 EPSG:4524/);
  });

  it('names the option, the file and the accepted forms for an unknown system (exit 2)', async () => {
    const r = await runCli(['analyze', ...WGS_CITY, '--facilities-crs', 'EPSG:99999', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `--facilities-crs: 'EPSG:99999' (for ${WGS_FACILITIES}) EPSG:99999 is not a coordinate system`,
    );
    expect(r.err).toContain('Accepted forms:');
    expect(r.err).toContain('cgcs2000-gk3-36');
    const out = await runCli(['analyze', ...WGS_CITY, '--output-crs', 'pluto']);
    expect(out.code).toBe(2);
    expect(out.err).toContain("--output-crs: 'pluto' is not a coordinate system lifecircle knows.");
  });
});

describe('outputs in another system and format', () => {
  it('writes GeoJSON and a zipped shapefile in zone 36 that read back to the same analysis', async () => {
    const dir = join(TMP, 'gk-out');
    const r = await writeTo(dir, [...ANALYZE_IN_ZONE_36, '--format', 'geojson,csv,shp']);
    expect(r).toContain(
      `Wrote ${join(dir, 'communities.geojson')}, communities.shp.zip, summary.json, gaps.csv and districts.csv`,
    );
    const geojson = JSON.parse(readFileSync(join(dir, 'communities.geojson'), 'utf8'));
    expect(geojson.crs).toEqual({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4524' } });
    expect(Math.floor(geojson.features[0].geometry.coordinates[0][0][0] / 1e6)).toBe(36);
    const zip = unzipSync(readFileSync(join(dir, 'communities.shp.zip')));
    const parts = ['cpg', 'dbf', 'fields.csv', 'prj', 'shp', 'shx'];
    expect(Object.keys(zip).sort()).toEqual(parts.map((part) => `communities.${part}`));
    expect(new TextDecoder().decode(zip['communities.prj'])).toContain('AUTHORITY["EPSG","4524"]');
    const written = readSummary<{ crs: Json; warnings: { code: string }[] }>(dir);
    expect(written.crs.output).toEqual({ id: 'EPSG:4524', name: 'CGCS2000 / 3-degree Gauss-Kruger zone 36' });
    expect(written.warnings.map((w: { code: string }) => w.code)).toContain('output-field-renamed');
    // The shapefile, read back with its .prj (no option), gives the same analysis: names, ids,
    // populations and geometry survive the round trip.
    const back = await readBack(join(dir, 'communities.shp.zip'), 'EPSG:4524');
    expectClose(figures(back), figures(await wgs84Summary()), 1e-4);
    // Chinese names come back from the .dbf.
    const gaps = readFileSync(join(dir, 'gaps.csv'), 'utf8');
    expect(gaps).toContain('崆峒区');
  });

  it('writes GCJ-02 for Chinese web maps, which converts back to the WGS84 output', async () => {
    const wgsDir = join(TMP, 'wgs-out');
    const gcjDir = join(TMP, 'gcj-out');
    const common = ['analyze', ...BUNDLED_CITY];
    await writeTo(wgsDir, common);
    await writeTo(gcjDir, [...common, '--output-crs', 'gcj02', '--format', 'geojson']);
    const wgs = JSON.parse(readFileSync(join(wgsDir, 'communities.geojson'), 'utf8'));
    const gcj = JSON.parse(readFileSync(join(gcjDir, 'communities.geojson'), 'utf8'));
    expect(gcj.crs.properties.name).toBe('gcj02');
    const a = wgs.features[10].geometry.coordinates[0][3];
    const b = gcj.features[10].geometry.coordinates[0][3];
    expect(Math.abs(b[0] - a[0]) + Math.abs(b[1] - a[1])).toBeGreaterThan(0.002);
    const [lng, lat] = gcj02ToWgs84(b[0], b[1]);
    expect(Math.abs(lng - a[0]) + Math.abs(lat - a[1])).toBeLessThan(1e-6);
    expect(() => readFileSync(join(gcjDir, 'gaps.csv'))).toThrow();
  });

  it('writes check and site layers as shapefiles too', async () => {
    const checkDir = join(TMP, 'check-out');
    const check = await writeTo(checkDir, [...COMPLETE_COMMUNITY_CHECK, '--format', 'shp,csv']);
    expect(check).toContain(
      `Wrote ${join(checkDir, 'compliance.shp.zip')}, summary.json, compliance.csv, districts.csv and report.html`,
    );
    const siteDir = join(TMP, 'site-out');
    const inOutputCrs = [...kindergartenSites(), '--output-crs', 'EPSG:4545'];
    const site = await writeTo(siteDir, [...inOutputCrs, '--format', 'geojson,csv,shp']);
    expect(site).toContain(
      `Wrote ${join(siteDir, 'sites.geojson')}, sites.shp.zip, sites.csv and summary.json`,
    );
    const csv = readFileSync(join(siteDir, 'sites.csv'), 'utf8');
    const [header, row] = csv.replace(/^\ufeff/, '').split('\r\n');
    expect(header!.split(',').slice(-2)).toEqual(['x', 'y']);
    const x = Number(row!.split(',').at(-2));
    expect(x).toBeGreaterThan(100_000); // eastings of CM 108°E, not degrees
    expect(x).toBeLessThan(900_000);
  });

  it('rejects an unknown format, listing the ones there are', async () => {
    const args = ['analyze', ...SMALL_TOWN, '--quiet'];
    const bad = await runCli([...args, '--format', 'kml']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--format expects formats among geojson, csv, shp, gpkg, got 'kml'.");
  });
});

describe('GeoPackage output (--format gpkg)', () => {
  it('round-trips the bundled city: communities.gpkg read back as the communities gives the same summary', async () => {
    const dir = join(TMP, 'gpkg-wgs84');
    const r = await writeTo(dir, ['analyze', ...BUNDLED_CITY, '--format', 'gpkg']);
    expect(r).toContain(`Wrote ${join(dir, 'communities.gpkg')} and summary.json`);
    const written = await readGeoPackage(readFileSync(join(dir, 'communities.gpkg')), 'communities.gpkg');
    expect(written.crs).toMatchObject({ name: 'EPSG:4326' });
    const geojson = JSON.parse(readFileSync(WGS_COMMUNITIES, 'utf8'));
    expect(written.collection.features).toHaveLength(geojson.features.length);
    expect(written.collection.features[0]!.properties).toMatchObject({ id: 'KT-001', name: '阳光新村社区' });
    // Read back as the communities (the analysis columns ride along), it gives the same analysis:
    // positions are exact doubles, names and populations intact.
    const back = await readBack(join(dir, 'communities.gpkg'), 'EPSG:4326');
    expect(figures(back)).toEqual(figures(await wgs84Summary()));
  });

  it('writes in the declared --output-crs: srs_id 4524 on the table, column and geometries, read back as zone 36', async () => {
    const dir = join(TMP, 'gpkg-gk');
    const r = await writeTo(dir, [...ANALYZE_IN_ZONE_36, '--format', 'geojson,gpkg,shp']);
    expect(r).toContain(
      `Wrote ${join(dir, 'communities.geojson')}, communities.shp.zip, communities.gpkg and summary.json`,
    );
    const bytes = readFileSync(join(dir, 'communities.gpkg'));
    const SQL = await initSqlJs();
    const db = new SQL.Database(bytes);
    try {
      const one = (sql: string) => db.exec(sql)[0]!.values[0]![0];
      expect(one('PRAGMA application_id')).toBe(0x47504b47);
      expect(one("SELECT srs_id FROM gpkg_contents WHERE table_name = 'communities'")).toBe(4524);
      expect(one("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = 'communities'")).toBe(4524);
      expect(one('SELECT organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = 4524')).toBe(4524);
      const blob = one('SELECT geom FROM communities LIMIT 1') as Uint8Array;
      expect(new DataView(blob.buffer, blob.byteOffset).getInt32(4, true)).toBe(4524);
      // Eastings with the zone number in front, as the GeoJSON output has them.
      expect(Math.floor((one('SELECT min_x FROM gpkg_contents') as number) / 1e6)).toBe(36);
    } finally {
      db.close();
    }
    const geojson = JSON.parse(readFileSync(join(dir, 'communities.geojson'), 'utf8'));
    const gpkg = await readGeoPackage(bytes, 'communities.gpkg');
    expect(gpkg.collection.features[0]!.geometry).toEqual({
      type: 'MultiPolygon',
      coordinates: [geojson.features[0].geometry.coordinates],
    });
    const back = await readBack(join(dir, 'communities.gpkg'), 'EPSG:4524');
    expectClose(figures(back), figures(await wgs84Summary()), 1e-4);
  });

  it('writes check and site layers as GeoPackages; a UTM system is written by code with a warning not about GCJ-02', async () => {
    const checkDir = join(TMP, 'check-gpkg');
    const check = await writeTo(checkDir, [...COMPLETE_COMMUNITY_CHECK, '--format', 'geopackage']);
    expect(check).toContain(`Wrote ${join(checkDir, 'compliance.gpkg')}, summary.json and report.html`);
    // The small town has point and polygon communities: one table for each.
    const names: unknown[] = [];
    for (const layer of ['compliance_point', 'compliance_polygon']) {
      const bytes = readFileSync(join(checkDir, 'compliance.gpkg'));
      const compliance = await readGeoPackage(bytes, 'compliance.gpkg', { layer });
      names.push(...compliance.collection.features.map((f) => f.properties!.name));
    }
    expect(names.sort()).toEqual(['东苑小区', '北山小区', '西苑小区']);
    const siteDir = join(TMP, 'site-gpkg');
    const inOutputCrs = [...kindergartenSites(), '--output-crs', 'EPSG:32648'];
    const site = await writeTo(siteDir, [...inOutputCrs, '--format', 'gpkg,shp']);
    expect(site).toContain(`Wrote ${join(siteDir, 'sites.shp.zip')}, sites.gpkg and summary.json`);
    const sites = await readGeoPackage(readFileSync(join(siteDir, 'sites.gpkg')), 'sites.gpkg');
    expect(sites.crs).toEqual({ source: 'geopackage', name: 'EPSG:32648' });
    const summaryJson = readSummary<{ warnings: { code: string; file: string; message: string }[] }>(siteDir);
    const noDefinition = summaryJson.warnings.filter((w: { code: string }) =>
      ['output-no-prj', 'output-no-wkt'].includes(w.code),
    );
    expect(noDefinition.map((w: { code: string; file: string }) => [w.code, w.file])).toEqual([
      ['output-no-prj', join(siteDir, 'sites.shp.zip')],
      ['output-no-wkt', join(siteDir, 'sites.gpkg')],
    ]);
    for (const w of noDefinition) {
      expect(w.message).toContain('lifecircle has no WKT definition of EPSG:32648');
      expect(w.message).not.toMatch(/GCJ|BD-09/);
    }
  });
});

describe('--population-table', () => {
  it('joins the population by id and gives the summary of communities that carry it', async () => {
    const communities = JSON.parse(readFileSync(WGS_COMMUNITIES, 'utf8'));
    const lines = ['社区编号,常住人口'];
    for (const f of communities.features) {
      lines.push(`${f.properties.id},${f.properties.population}`);
      delete f.properties.population;
    }
    lines.push('XX-999,120');
    const table = join(TMP, 'population.csv');
    writeFileSync(table, `\ufeff${lines.join('\r\n')}\r\n`);
    const bare = join(TMP, 'communities-without-population.geojson');
    writeFileSync(bare, JSON.stringify(communities));
    const s = await summary(
      '--communities',
      bare,
      '--facilities',
      WGS_FACILITIES,
      ...TYPES,
      '--population-table',
      table,
    );
    expectClose(figures(s), figures(await wgs84Summary()), 1e-9);
    expect(s.population_join).toMatchObject({
      by: 'id',
      table_key: '社区编号',
      population_column: '常住人口',
      matched: communities.features.length,
      unmatched_rows: 1,
      unmatched_communities: 0,
    });
    expect(s.warnings).toContainEqual(
      expect.objectContaining({
        code: 'population-unmatched-row',
        message: expect.stringContaining('XX-999'),
      }),
    );
  });

  it('--encoding given for every input applies to a GBK population table', async () => {
    const table = join(TMP, 'population-gbk.csv');
    // 社区编号,常住人口 / C001,1200 … in GBK, without a byte-order mark.
    const gbk = new Uint8Array([
      0xc9,
      0xe7,
      0xc7,
      0xf8,
      0xb1,
      0xe0,
      0xba,
      0xc5,
      0x2c,
      0xb3,
      0xa3,
      0xd7,
      0xa1,
      0xc8,
      0xcb,
      0xbf,
      0xda,
      0x0a,
      ...new TextEncoder().encode('C001,1200\nC002,800\nC003,500\n'),
    ]);
    writeFileSync(table, gbk);
    const args = [...SMALL_TOWN, '--population-table', table];
    const guessed = await summary(...args);
    expect((guessed.warnings as Json[]).map((w) => w.code)).toContain('encoding-guessed');
    const told = await summary(...args, '--encoding', 'gbk');
    expect((told.warnings as Json[]).map((w) => w.code)).not.toContain('encoding-guessed');
    expect(told.population_join).toMatchObject({
      table_key: '社区编号',
      population_column: '常住人口',
      matched: 3,
    });
  });

  it('joins by name with named columns, and stops on a repeated key naming the rows', async () => {
    const table = join(TMP, 'by-name.csv');
    const small = JSON.parse(readFileSync(SMALL_COMMUNITIES, 'utf8'));
    const names: string[] = small.features.map((f: { properties: { name: string } }) => f.properties.name);
    writeFileSync(table, ['社区,人数', ...names.map((n, i) => `${n},${(i + 1) * 100}`)].join('\n'));
    const byName = ['--population-table', table, '--join-by', 'name', '--population-column', '人数'];
    const s = await summary(...SMALL_TOWN, ...byName, '--join-table-key', '社区');
    expect(s.population).toBe(names.reduce((sum, _, i) => sum + (i + 1) * 100, 0));
    writeFileSync(table, ['社区,人数', `${names[0]},1`, `${names[0]},2`].join('\n'));
    const r = await runCli(['analyze', ...SMALL_TOWN, ...byName, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${table}: 1 社区 value(s) appear on more than one row`);
    expect(r.err).toContain(`'${names[0]}' on rows 2, 3`);
    const orphan = await runCli(['analyze', ...SMALL_TOWN, '--join-by', 'id']);
    expect(orphan.code).toBe(2);
    expect(orphan.err).toContain('--join-by needs --population-table FILE.');
  });
});

describe("site's --study-area and --exclude: any input format, in any coordinate system", () => {
  const ZONE_36 = crsOfEpsg(4524)!;
  const toZone36 = (collection: unknown) => reprojectFeatureCollection(collection, WGS84, ZONE_36).collection;
  // The geometry only: turf's feature would carry a `bbox` in degrees into the reprojected copies.
  const box = (west: number, south: number, east: number, north: number, name: string) =>
    featureCollection([feature(bboxPolygon([west, south, east, north]).geometry, { name })]);
  // The small town's two southern communities, without 北山小区 (35.56 N).
  const studyArea = box(106.641, 35.5335, 106.6715, 35.5515, '研究区');
  const studyAreaJson = join(TMP, 'study-area.geojson');
  writeFileSync(studyAreaJson, JSON.stringify(studyArea));
  let runs = 0;

  /**
   * A site run among `town` on a grid clipped to the study area (its and the exclusions' files in
   * `more`); its summary and the sites it chose.
   */
  async function siteIn(
    town: readonly string[],
    ...more: string[]
  ): Promise<{ summary: Json; sites: Json[] }> {
    const dir = join(TMP, `site-areas-${runs++}`);
    const grid = ['--generate-candidates', 'grid:150,all,no-centroids,clip=study-area'];
    const summary = await jsonRun([...kindergartenSites(1, town), ...grid, ...more, '--out', dir]);
    const sites = JSON.parse(readFileSync(join(dir, 'sites.geojson'), 'utf8')).features as Json[];
    return { summary, sites };
  }
  /** {@link siteIn} the small town. */
  const site = (...more: string[]) => siteIn(SMALL_TOWN, ...more);
  /** What a run decided: the sites (id and rank), candidates, exclusions and coverage. */
  const decided = ({ summary: s, sites }: { summary: Json; sites: Json[] }) => ({
    sites: sites.map((f) => f.properties),
    candidates: (s.parameters as Json).candidates,
    excluded: (s.parameters as Json).candidates_excluded,
    covered: s.covered_population_after,
  });

  // Exclude a small area around the site the study area alone gives, so that the exclusion moves it.
  let exclusion: ReturnType<typeof box> | undefined;
  let reference: Promise<{ summary: Json; sites: Json[] }> | undefined;
  const withExclusion = async () => {
    const alone = await site('--study-area', studyAreaJson);
    expect(alone.summary.covered_population_after).toBe(2000); // 北山小区 is outside the study area
    const [x, y] = (alone.sites[0]!.geometry as { coordinates: [number, number] }).coordinates;
    exclusion = box(x - 0.0008, y - 0.0007, x + 0.0008, y + 0.0007, '禁建区');
    const excludeJson = join(TMP, 'exclude.geojson');
    writeFileSync(excludeJson, JSON.stringify(exclusion));
    const excluded = await site('--study-area', studyAreaJson, '--exclude', excludeJson);
    expect((excluded.summary.parameters as Json).candidates_excluded).toBeGreaterThan(0);
    expect(excluded.sites[0]!.properties).not.toMatchObject({ id: (alone.sites[0]!.properties as Json).id });
    expect(excluded.summary.covered_population_after).toBeLessThanOrEqual(2000);
    return excluded;
  };

  it('reads a GeoPackage study area and a zipped-shapefile exclusion in zone 36 as their GeoJSON in WGS84', async () => {
    reference ??= withExclusion();
    const expected = decided(await reference);
    const studyAreaGpkg = join(TMP, 'study-area.gpkg');
    const gpkg = await writeGeoPackage(toZone36(studyArea), { name: '研究区', crs: ZONE_36 });
    writeFileSync(studyAreaGpkg, gpkg.bytes);
    const excludeShp = join(TMP, 'exclude.shp.zip');
    writeFileSync(excludeShp, shapefileZip(toZone36(exclusion), { name: '禁建区', prj: ZONE_36.wkt }).bytes);
    const converted = await site('--study-area', studyAreaGpkg, '--exclude', excludeShp);
    expect(decided(converted)).toEqual(expected);
    expect(inputOf(converted.summary, studyAreaGpkg)).toMatchObject({
      source: 'file',
      used: { id: 'EPSG:4524' },
    });
    expect(inputOf(converted.summary, excludeShp)).toMatchObject({
      source: 'file',
      used: { id: 'EPSG:4524' },
    });
  });

  it('takes --input-crs for a study area and an exclusion that declare no system (GeoJSON, GeoJSON lines)', async () => {
    reference ??= withExclusion();
    const expected = decided(await reference);
    // The communities and facilities say they are WGS84, so --input-crs applies to the two areas only.
    const declared = (path: string, name: string) => {
      const collection = JSON.parse(readFileSync(path, 'utf8'));
      const copy = join(TMP, name);
      writeFileSync(
        copy,
        JSON.stringify({ ...collection, crs: { type: 'name', properties: { name: 'EPSG:4326' } } }),
      );
      return copy;
    };
    const studyArea36 = join(TMP, 'study-area-36.geojson');
    // Without the crs member the conversion adds: the file declares nothing.
    writeFileSync(studyArea36, JSON.stringify({ ...(toZone36(studyArea) as Json), crs: undefined }));
    const exclude36 = join(TMP, 'exclude-36.geojsonl');
    writeFileSync(
      exclude36,
      `${(toZone36(exclusion) as { features: unknown[] }).features.map((f) => JSON.stringify(f)).join('\n')}\n`,
    );
    const town = [
      '--communities',
      declared(SMALL_COMMUNITIES, 'communities-4326.geojson'),
      '--facilities',
      declared(SMALL_FACILITIES, 'facilities-4326.geojson'),
    ];
    const run = await siteIn(
      town,
      '--study-area',
      studyArea36,
      '--exclude',
      exclude36,
      '--input-crs',
      'cgcs2000-gk3-36',
    );
    const s = run.summary;
    expect(decided(run)).toEqual(expected);
    expect(inputOf(s, studyArea36)).toMatchObject({ source: 'default-option', used: { id: 'EPSG:4524' } });
    expect(inputOf(s, exclude36)).toMatchObject({ source: 'default-option', used: { id: 'EPSG:4524' } });
  });

  it('names a missing or unreadable area file (exit 1), like any input', async () => {
    const missing = join(TMP, 'no-such-area.gpkg');
    const r = await runCli([...kindergartenSites(), '--exclude', missing, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${missing}: file not found.`);
    const notAnArea = join(TMP, 'not-an-area.csv');
    writeFileSync(notAnArea, '名称,面积\n禁建区,12\n');
    const csv = await runCli([...kindergartenSites(), '--study-area', notAnArea, '--quiet']);
    expect(csv.code).toBe(1);
    expect(csv.err).toContain(notAnArea);
    expect(csv.err).toContain("Its headers are '名称', '面积'");
  });
});

describe('--network-crs and --candidates-crs', () => {
  const barrier = (name: string) => join(ROOT, 'fixtures', 'barrier', name);

  it('--network-crs reads a road network in zone 36 as the WGS84 one; without it the run stops', async () => {
    const zone36 = crsOfEpsg(4524)!;
    const roads = JSON.parse(readFileSync(barrier('roads.geojson'), 'utf8'));
    const roads36 = join(TMP, 'roads-36.geojson');
    // Without the crs member the conversion adds: only the option says which system it is.
    const converted = reprojectFeatureCollection(roads, WGS84, zone36).collection as Json;
    writeFileSync(roads36, JSON.stringify({ ...converted, crs: undefined }));
    const common = [
      '--communities',
      barrier('communities.geojson'),
      '--facilities',
      barrier('facilities.geojson'),
    ];
    const reference = await summary(...common, '--network', barrier('roads.geojson'));
    const declared = await summary(...common, '--network', roads36, '--network-crs', 'cgcs2000-gk3-36');
    expect(declared.distance).toBe('network');
    expectClose(figures(declared), figures(reference), 1e-6);
    expect(inputOf(declared, roads36)).toMatchObject({
      declared: 'cgcs2000-gk3-36',
      source: 'option',
      used: { id: 'EPSG:4524' },
      converted: true,
    });
    const undeclared = await runCli(['analyze', ...common, '--network', roads36, '--quiet']);
    expect(undeclared.code).toBe(1);
    expect(undeclared.err).toContain(roads36);
    expect(undeclared.err).toContain('look like projected metres');
  });

  it('--candidates-crs reads AMap (GCJ-02) candidates in a CSV as the WGS84 ones', async () => {
    const candidates = [
      ['K1', 106.6525, 35.5418],
      ['K2', 106.6598, 35.5588],
      ['K3', 106.6655, 35.5452],
    ] as const;
    const wgs = join(TMP, 'candidates.csv');
    writeFileSync(wgs, ['id,lng,lat', ...candidates.map(([id, x, y]) => `${id},${x},${y}`)].join('\n'));
    const gcj = join(TMP, 'candidates-gcj02.csv');
    writeFileSync(
      gcj,
      ['id,lng,lat', ...candidates.map(([id, x, y]) => `${id},${wgs84ToGcj02(x, y).join(',')}`)].join('\n'),
    );
    const siteRun = (...more: string[]) => jsonRun([...kindergartenSites(2), ...more]);
    const reference = await siteRun('--candidates', wgs);
    const declared = await siteRun('--candidates', gcj, '--candidates-crs', 'gcj02');
    const { time_ms: _t1, crs: _c1, ...expected } = reference;
    const { time_ms: _t2, crs: _c2, ...actual } = declared;
    expectClose(actual, expected, 1e-6);
    expect(inputOf(declared, gcj)).toMatchObject({
      declared: 'gcj02',
      source: 'option',
      used: { id: 'gcj02' },
    });
    // Read as WGS84, the GCJ-02 positions are 300–500 m off: a 300 m radius serves fewer residents.
    const undeclared = await siteRun('--candidates', gcj);
    expect(undeclared.covered_population_after).toBeLessThan(reference.covered_population_after as number);
  });

  it('a per-file system for a file that is not given is a usage error', async () => {
    const r = await runCli(['analyze', ...SMALL_TOWN, '--network-crs', 'cgcs2000-gk3-36']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--network-crs is the system of --network FILE, which is not given.');
  });
});
