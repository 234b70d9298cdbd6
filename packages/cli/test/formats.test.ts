// Bureau formats through the command: the bundled city as GBK CSV and as shapefiles gives the same
// summary as its GeoJSON, and every broken input of issue 7 is a clear message naming the file, row or
// feature and field, with no stack trace and nothing dropped.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pointOnFeature from '@turf/point-on-feature';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  encodeText,
  pointRows,
  WGS84_PRJ,
  writeDelimited,
  writeShapefile,
  writeZip,
} from '../../../fixtures/formats/writers.js';
import { ROOT, readSummary, runCli, scratchDir } from './harness.js';

const PINGLIANG = join(ROOT, 'fixtures', 'pingliang');
const FORMATS = join(ROOT, 'fixtures', 'formats');
const DATA = join(dirname(fileURLToPath(import.meta.url)), 'data');
const { dir: TMP, write } = scratchDir('formats');

const STACK_FRAME = '    at ';

const readCollection = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as FeatureCollection;

interface Summary {
  rejected: { file: string; index: number; row?: number; id: string | null; field: string; reason: string }[];
  warnings: { code: string; file: string; message: string }[];
  inputs: Record<string, { columns: Record<string, unknown>; [key: string]: unknown }>;
  [key: string]: unknown;
}

async function summaryOf(communities: string, facilities: string, ...rest: string[]): Promise<Summary> {
  const r = await runCli([
    'analyze',
    '--communities',
    communities,
    '--facilities',
    facilities,
    '--json',
    '--quiet',
    ...rest,
  ]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  // summary.crs records each file's own declaration (a .prj here, none in GeoJSON), which differs
  // between formats by design; crs.test.ts checks it.
  const { crs: _crs, ...summary } = JSON.parse(r.out) as Summary;
  return summary;
}

/** A summary with file names replaced by their role, to compare runs on differently named files. */
function byRole(summary: Summary, files: Record<string, string>): Summary {
  let text = JSON.stringify(summary);
  for (const [role, path] of Object.entries(files))
    text = text.split(JSON.stringify(path).slice(1, -1)).join(role);
  return JSON.parse(text) as Summary;
}

describe('the bundled city in other formats gives the same summary as its GeoJSON', () => {
  const communitiesPath = join(PINGLIANG, 'communities.geojson');
  const facilitiesPath = join(PINGLIANG, 'facilities.geojson');
  const facilities = readCollection(facilitiesPath);
  // A table holds points: a polygon facility goes where validation would place it, on its surface.
  const facilityPoints: Feature<Point>[] = facilities.features.map((f) => ({
    ...f,
    geometry: f.geometry.type === 'Point' ? f.geometry : pointOnFeature(f).geometry,
  }));

  let reference: Summary;
  const referenceSummary = async () => {
    reference ??= byRole(await summaryOf(communitiesPath, facilitiesPath), {
      communities: communitiesPath,
      facilities: facilitiesPath,
    });
    return reference;
  };
  // The GeoJSON run warns that polygon facilities were placed on their surface; the converted files
  // hold those points already. Nothing else may differ.
  const withoutPolygonWarning = (s: Summary) => ({
    ...s,
    warnings: s.warnings.filter((w) => w.code !== 'polygon-facility'),
  });

  it('facilities as a GBK CSV with 经度/纬度 columns', async () => {
    const { columns, rows } = pointRows(facilityPoints, '经度', '纬度');
    const csv = write('city/facilities.csv', encodeText(writeDelimited(columns, rows), 'gbk'));
    const summary = byRole(await summaryOf(communitiesPath, csv), {
      communities: communitiesPath,
      facilities: csv,
    });
    // Reading the GBK file warns that its encoding was detected, and says nothing else; its columns
    // record where the positions came from, which a GeoJSON file has no column for.
    expect(summary.warnings.filter((w) => w.code === 'encoding-guessed')).toHaveLength(1);
    const { longitude, latitude, ...otherColumns } = summary.inputs.facilities!.columns;
    expect({ longitude, latitude }).toEqual({
      longitude: { column: '经度', source: 'detected' },
      latitude: { column: '纬度', source: 'detected' },
    });
    const rest = {
      ...summary,
      inputs: { ...summary.inputs, facilities: { ...summary.inputs.facilities!, columns: otherColumns } },
      warnings: summary.warnings.filter((w) => w.code !== 'encoding-guessed'),
    };
    expect(rest).toEqual(withoutPolygonWarning(await referenceSummary()));
  });

  it('communities as a zipped shapefile and facilities as .shp/.dbf/.prj', async () => {
    const communities = writeShapefile(readCollection(communitiesPath).features, {
      encoding: 'utf-8',
      cpg: 'UTF-8',
      prj: WGS84_PRJ,
    });
    const zip = write(
      'city/communities.zip',
      writeZip({
        'communities.shp': communities.shp,
        'communities.shx': communities.shx,
        'communities.dbf': communities.dbf,
        'communities.prj': communities.prj!,
        'communities.cpg': communities.cpg!,
      }),
    );
    const points = writeShapefile(facilityPoints, { encoding: 'gbk', cpg: 'GBK', prj: WGS84_PRJ });
    const shp = write('city/shp/facilities.shp', points.shp);
    write('city/shp/facilities.dbf', points.dbf);
    write('city/shp/facilities.prj', points.prj!);
    write('city/shp/facilities.cpg', points.cpg!);
    const summary = byRole(await summaryOf(zip, shp), { communities: zip, facilities: shp });
    // The .prj files declare WGS 84, which the GeoJSON run assumes: how the coordinate-system stage
    // records that (summary.crs) is its own business; everything computed must be the same.
    const { crs: _crs, ...rest } = summary;
    const { crs: _referenceCrs, ...reference } = await referenceSummary();
    expect(rest).toEqual(withoutPolygonWarning(reference as Summary));
  });
});

describe('broken inputs through the command', () => {
  const communities = join(DATA, 'communities.geojson');
  const facilities = join(DATA, 'facilities.geojson');
  const analyze = (c: string, f: string, ...rest: string[]) =>
    runCli(['analyze', '--communities', c, '--facilities', f, '--quiet', ...rest]);

  const expectFatal = (
    r: { code: number; out: string; err: string },
    file: string,
    phrase: string | RegExp,
  ) => {
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`lifecircle analyze: ${file}: `);
    expect(r.err).toMatch(phrase);
    expect(r.err + r.out).not.toContain(STACK_FRAME);
  };

  // Files of fixtures/formats/bad nothing can be read from, given as the communities or the facilities.
  const unreadable: [string, 'communities' | 'facilities', string, string][] = [
    [
      'a corrupt (truncated) shapefile',
      'facilities',
      'truncated.shp',
      'is truncated: its header says 268 bytes but the file has 258',
    ],
    ['a .dbf without its .shp', 'facilities', 'lonely.dbf', 'its .shp (the shapes) was not found beside it'],
    ['a zip with no shapefile in it', 'facilities', 'no-shp.zip', 'holds lonely.dbf but no .shp'],
    [
      'a table without coordinate columns lists its headers',
      'communities',
      'no-coordinates.csv',
      "found no longitude and latitude column. Its headers are '社区编码', '人口'",
    ],
  ];
  for (const [what, role, name, phrase] of unreadable) {
    it(what, async () => {
      const bad = join(FORMATS, 'bad', name);
      const r = role === 'communities' ? await analyze(bad, facilities) : await analyze(communities, bad);
      expectFatal(r, bad, phrase);
    });
  }

  it('a CSV with missing and text coordinates: those rows rejected by row and column, the rest analysed', async () => {
    const csv = join(FORMATS, 'bad', 'coordinates.csv');
    const out = join(TMP, 'out-coordinates');
    const r = await analyze(csv, facilities, '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 communities, 500 residents');
    expect(r.out).toContain('2 feature(s) rejected:');
    expect(r.out).toContain(`  ${csv} row 3 (C2), 经度: missing longitude`);
    expect(r.out).toContain(
      `  ${csv} row 4 (C3), 纬度: expected a latitude in decimal degrees, got "北纬35度"`,
    );
    const summary = readSummary<Summary>(out);
    expect(summary.rejected).toEqual([
      { file: csv, index: 1, row: 3, id: 'C2', field: '经度', reason: 'missing longitude' },
      {
        file: csv,
        index: 2,
        row: 4,
        id: 'C3',
        field: '纬度',
        reason: 'expected a latitude in decimal degrees, got "北纬35度"',
      },
    ]);
    expect(r.out + r.err).not.toContain(STACK_FRAME);
  });

  it("validation's rejections of table rows name the spreadsheet row, not the feature's position", async () => {
    // Row 3 is rejected by the reader, so row 4 is the collection's second feature (index 1).
    const csv = write(
      'rows/communities.csv',
      'id,name,lon,lat,population\r\nA,好,106.66,35.54,100\r\nB,坏,,35.54,100\r\nC,负,106.661,35.541,-5\r\n',
    );
    const out = join(TMP, 'out-rows');
    const r = await analyze(csv, facilities, '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`  ${csv} row 3 (B), lon: missing longitude`);
    expect(r.out).toContain(`  ${csv} row 4 (C), population: population -5 is negative`);
    const summary = readSummary<Summary>(out);
    expect(summary.rejected.map((x) => [x.index, x.row, x.id])).toEqual([
      [1, 3, 'B'],
      [2, 4, 'C'],
    ]);
  });

  it("nothing usable left: every row is listed with its reason, the reader's and validation's", async () => {
    const csv = write('rows/none.csv', 'id,lon,lat,population\r\nA,,35.54,100\r\nB,106.66,35.54,-1\r\n');
    const r = await analyze(csv, facilities);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`  ${csv} row 2 (A), lon: missing longitude`);
    expect(r.err).toContain(`  ${csv} row 3 (B), population: population -1 is negative`);
    expect(r.err).not.toContain(STACK_FRAME);
  });

  it('every row rejected by the reader: exit 1 with the rows', async () => {
    const csv = write('rows/all-bad.csv', 'id,lon,lat,population\r\nA,x,35.54,100\r\nB,,35.54,1\r\n');
    const r = await analyze(csv, facilities);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${csv}: no row or feature could be read (2 rejected).`);
    expect(r.err).toContain(`  ${csv} row 2 (A), lon: expected a longitude in decimal degrees, got "x"`);
  });

  it('an unknown encoding is a usage error before any file is read', async () => {
    const r = await analyze(communities, facilities, '--encoding', 'gbk-9');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown text encoding 'gbk-9'; use one of utf-8, gbk, gb18030");
    expect(r.err).toContain("Run 'lifecircle analyze --help' for usage.");
  });

  it('--lon-column naming a column that is not there lists the headers', async () => {
    const csv = join(FORMATS, 'points.tsv');
    const r = await analyze(communities, csv, '--lon-column', 'east');
    expect(r.code).toBe(2);
    expect(r.err).toContain("no column named 'east' (--lon-column); the table has 'id', 'type', 'name'");
  });

  it('--layer ROLE=NAME reads two tables of one GeoPackage; a second plain --layer is a usage error', async () => {
    const gpkg = join(FORMATS, 'points.gpkg');
    const r = await analyze(
      gpkg,
      gpkg,
      '--layer',
      'communities=communities',
      '--layer',
      'facilities=facilities',
      '--json',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ communities: 2, population: 1971, rejected: [] });
    const twice = await analyze(gpkg, gpkg, '--layer', 'communities', '--layer', 'facilities');
    expect(twice.code).toBe(2);
    expect(twice.err).toContain(
      "--layer: given twice ('communities', 'facilities'); give NAME once for every input",
    );
    const unread = await analyze(gpkg, gpkg);
    expect(unread.code).toBe(1);
    expect(unread.err).toContain(
      `${gpkg}: holds 2 feature tables ('communities', 'facilities'); choose one with --layer.`,
    );
  });

  it('--encoding facilities=gbk applies to that input only', async () => {
    const utf8 = write('enc/communities.csv', 'id,lon,lat,population,name\r\nA,106.66,35.54,100,东苑\r\n');
    const gbk = join(FORMATS, 'points-gbk.csv');
    const r = await analyze(utf8, gbk, '--encoding', 'facilities=gbk', '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as Summary).warnings.map((w) => w.code)).not.toContain('encoding-guessed');
  });

  it('a GBK CSV read with the right --encoding gives no encoding warning', async () => {
    const csv = join(FORMATS, 'points-gbk.csv');
    const r = await analyze(communities, csv, '--encoding', 'gbk', '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as Summary;
    expect(summary.warnings.map((w) => w.code)).not.toContain('encoding-guessed');
    expect(summary.rejected).toEqual([]);
  });
});
