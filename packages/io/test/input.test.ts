// io's front door (readInput) on the real-shaped exports of fixtures/formats (an AMap POI CSV, a
// bureau's GBK community shapefile, a CSV of WKT polygons) and on small tables written here: which
// column each attribute is read from, made-up ids, one-column positions, coordinate systems, and the
// option hint a problem carries.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError, OptionError } from '@lifecircle/core';
import type { Point, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84 } from '../src/crs/chinese-web.js';
import {
  convertInput,
  hintOf,
  type InputOptions,
  type InputRead,
  ReadOptionError,
  readInput,
} from '../src/index.js';
import { FORMATS_DIR, readSibling } from './formats-dir.js';

const DIR = FORMATS_DIR;
const path = (name: string) => fileURLToPath(new URL(name, DIR));
const sibling = readSibling;
const input = (name: string, options: InputOptions = {}): Promise<InputRead> =>
  readInput(readFileSync(path(name)), path(name), { readSibling: sibling, ...options });
const csv = (text: string, name: string, options: InputOptions = {}) =>
  readInput(new TextEncoder().encode(text), name, options);
const props = (read: InputRead) => read.features.features.map((f) => f.properties ?? {});

describe('readInput: an AMap POI export as facilities', () => {
  it('takes positions from the location column, makes ids from rows, detects name, type and district', async () => {
    const read = await input('amap/幼儿园.csv', { kind: 'facilities' });
    expect(read.format).toBe('csv');
    expect(props(read).map((p) => p.id)).toEqual(['幼儿园.csv#2', '幼儿园.csv#3', '幼儿园.csv#4']);
    expect(props(read)[0]).toMatchObject({
      name: '崆峒区阳光幼儿园',
      type: '科教文化服务;学校;幼儿园',
      typecode: '141204',
      district: '崆峒区',
      adname: '崆峒区',
    });
    expect(read.columns).toEqual([
      { role: 'name', column: 'name', source: 'detected' },
      { role: 'type', column: 'type', source: 'detected' },
      { role: 'district', column: 'adname', source: 'detected' },
    ]);
    expect(read.positionColumns).toEqual([{ role: 'position', column: 'location', source: 'detected' }]);
    expect(read.generatedIds).toEqual({ from: 'row', count: 3 });
    const made = read.warnings.filter((w) => w.code === 'ids-generated');
    expect(made).toHaveLength(1);
    expect(made[0]!.message).toContain('幼儿园.csv#2');
    expect(hintOf(made[0])).toEqual({ option: 'idColumn' });
    // The row without a location is rejected naming its spreadsheet row and the column.
    expect(read.rejected).toEqual([
      expect.objectContaining({ row: 5, field: 'location', reason: 'missing position' }),
    ]);
    expect((read.features.features[0]!.geometry as Point).coordinates).toEqual([106.6862, 35.5625]);
  });

  it('converts GCJ-02 locations to WGS84 as the independent inverse does', async () => {
    const read = await input('amap/幼儿园.csv', {
      kind: 'facilities',
      crs: { text: 'gcj02', option: 'crs' },
    });
    expect(read.crs).toMatchObject({ declared: 'gcj02', source: 'option', converted: true });
    const [lon, lat] = (read.features.features[0]!.geometry as Point).coordinates as [number, number];
    const [wantLon, wantLat] = gcj02ToWgs84(106.6862, 35.5625);
    expect(lon).toBeCloseTo(wantLon, 9);
    expect(lat).toBeCloseTo(wantLat, 9);
    // The features as read keep the file's own positions, to convert again from another system.
    const again = convertInput(read.asRead, { kind: 'facilities' });
    expect((again.features.features[0]!.geometry as Point).coordinates).toEqual([106.6862, 35.5625]);
    expect(again.rejected).toEqual(read.rejected);
    expect(again.positionColumns).toEqual(read.positionColumns);
  });
});

describe('readInput: a Baidu POI export as facilities', () => {
  const baidu = fileURLToPath(new URL('../../../fixtures/categories/baidu-pingliang.csv', import.meta.url));
  it('takes ids from uid and reports tag as the type column, left for the category tables', async () => {
    const read = await readInput(readFileSync(baidu), baidu, { kind: 'facilities' });
    expect(read.columns).toEqual([
      { role: 'id', column: 'uid', source: 'detected' },
      { role: 'name', column: 'name', source: 'detected' },
      { role: 'type', column: 'tag', source: 'detected' },
    ]);
    expect(read.generatedIds).toBeNull();
    const first = props(read)[0]!;
    expect(first).toMatchObject({ id: 'bd0001', name: '崆峒区第二幼儿园', tag: '教育培训;幼儿园' });
    // Core's Baidu table reads `tag` by its own name: nothing is copied to `type`.
    expect(first.type).toBeUndefined();
    expect(read.warnings.filter((w) => w.code === 'column-ambiguous')).toEqual([]);
  });

  it('a type column beside tag is the type column, with no ambiguity; tag stays for the tables', async () => {
    const read = await csv(
      'uid,name,type,tag,lng,lat\nb1,阳光幼儿园,education,教育培训;幼儿园,106.6,35.5\n',
      'baidu.csv',
      { kind: 'facilities' },
    );
    expect(read.columns.find((c) => c.role === 'type')).toEqual({
      role: 'type',
      column: 'type',
      source: 'detected',
    });
    expect(props(read)[0]).toMatchObject({ id: 'b1', type: 'education', tag: '教育培训;幼儿园' });
    expect(read.warnings.filter((w) => w.code === 'column-ambiguous')).toEqual([]);
    // Named by the option, tag is copied like any column.
    const named = await csv('name,tag,lng,lat\n阳光幼儿园,教育培训;幼儿园,106.6,35.5\n', 'b.csv', {
      typeColumn: 'tag',
    });
    expect(props(named)[0]!.type).toBe('教育培训;幼儿园');
  });
});

describe('readInput: a bureau shapefile of communities (GBK .dbf, CGCS2000 .prj)', () => {
  it('reads ids from ADMINCODE, names from 名称 and population from 常住人口', async () => {
    const read = await input('bureau/社区.shp', { kind: 'communities' });
    expect(read.encoding).toBe('gb18030');
    expect(read.columns).toEqual([
      { role: 'id', column: 'ADMINCODE', source: 'detected' },
      { role: 'name', column: '名称', source: 'detected' },
      { role: 'population', column: '常住人口', source: 'detected' },
    ]);
    expect(props(read)).toEqual([
      expect.objectContaining({
        id: '620802001001',
        name: '阳光社区',
        population: 3200,
        ADMINCODE: '620802001001',
      }),
      expect.objectContaining({ id: '620802001002', name: '西郊社区', population: 2100 }),
      expect.objectContaining({ id: '620802001003', name: '新民社区', population: 4050 }),
    ]);
    expect(read.generatedIds).toBeNull();
    expect(read.crs).toMatchObject({ source: 'file', used: { id: 'EPSG:4490' } });
    expect(read.warnings.map((w) => w.code)).toContain('encoding-guessed');
  });

  it('a column named by option wins over detection; one the file lacks lists the columns it has', async () => {
    const read = await input('bureau/社区.shp', { kind: 'communities', idColumn: '名称' });
    expect(read.columns[0]).toEqual({ role: 'id', column: '名称', source: 'named' });
    expect(props(read)[0]!.id).toBe('阳光社区');
    const error = await input('bureau/社区.shp', { kind: 'communities', populationColumn: '人口数' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReadOptionError);
    expect(error).toBeInstanceOf(InputError);
    expect((error as ReadOptionError).hint).toEqual({ option: 'populationColumn' });
    expect((error as Error).message).toBe(
      `${path('bureau/社区.shp')}: has no column '人口数' for the population (the populationColumn option); its columns are 'ADMINCODE', '名称', '常住人口'.`,
    );
  });
});

describe('readInput: columns of a table', () => {
  it('reads WKT polygons, takes OBJECTID as the id only as a last resort, NAME and POP by any case', async () => {
    const read = await input('wkt-communities.csv', { kind: 'communities' });
    expect(read.columns).toEqual([
      { role: 'id', column: 'OBJECTID', source: 'detected' },
      { role: 'name', column: 'NAME', source: 'detected' },
      { role: 'population', column: 'POP', source: 'detected' },
    ]);
    expect(props(read).map((p) => [p.id, p.name, p.population])).toEqual([
      // A number, as the file has it; core takes a finite number as an id.
      [1, '阳光社区', 3200],
      [2, '西郊社区', 2100],
      [3, '新民社区', 4050],
    ]);
    const ring = (read.features.features[0]!.geometry as Polygon).coordinates[0]!;
    expect(ring[0]).toEqual([106.68, 35.555]);
    expect(ring).toHaveLength(5);
    expect(read.features.features[0]!.properties).not.toHaveProperty('wkt');
  });

  it('gives communities without an id column their unique names as ids, else their rows, with one warning', async () => {
    const unique = await csv('名称,lng,lat\n甲社区,106.6,35.5\n乙社区,106.7,35.6\n', 'c.csv', {
      kind: 'communities',
    });
    expect(props(unique).map((p) => p.id)).toEqual(['甲社区', '乙社区']);
    expect(unique.generatedIds).toEqual({ from: 'name', count: 2 });
    expect(unique.warnings.filter((w) => w.code === 'ids-generated')).toHaveLength(1);
    const twice = await csv('名称,lng,lat\n甲社区,106.6,35.5\n甲社区,106.7,35.6\n', 'dir/c.csv', {
      kind: 'communities',
    });
    expect(props(twice).map((p) => p.id)).toEqual(['c.csv#2', 'c.csv#3']);
    expect(twice.warnings.filter((w) => w.code === 'ids-generated')).toHaveLength(1);
    // Inputs other than communities and facilities are left without ids.
    const other = await csv('名称,lng,lat\n甲社区,106.6,35.5\n', 'd.csv');
    expect(props(other)[0]).not.toHaveProperty('id');
    expect(other.generatedIds).toBeNull();
  });

  it('leaves a missing id missing where the file has an id column (validation rejects it)', async () => {
    const read = await csv('编号,名称,lng,lat\nA1,甲,106.6,35.5\n,乙,106.7,35.6\n', 'f.csv', {
      kind: 'facilities',
    });
    expect(props(read).map((p) => p.id)).toEqual(['A1', null]);
    expect(read.generatedIds).toBeNull();
  });

  it('warns naming both columns when two headers fit one role, and takes the first', async () => {
    const read = await csv('id,name,名称,lng,lat\n1,Sunshine,阳光,106.6,35.5\n', 'two.csv');
    expect(props(read)[0]!.name).toBe('Sunshine');
    const ambiguous = read.warnings.filter((w) => w.code === 'column-ambiguous');
    expect(ambiguous).toHaveLength(1);
    expect(ambiguous[0]!.message).toContain(
      "both 'name' and '名称' look like the name column; 'name' was used (name the one to use with the nameColumn option)",
    );
    expect(hintOf(ambiguous[0])).toEqual({ option: 'nameColumn' });
    // OBJECTID beside a real id is no ambiguity.
    const withObjectId = await csv('OBJECTID,代码,lng,lat\n7,X1,106.6,35.5\n', 'o.csv');
    expect(props(withObjectId)[0]!.id).toBe('X1');
    expect(withObjectId.warnings.filter((w) => w.code === 'column-ambiguous')).toEqual([]);
  });

  it('reads lng,lat text with a full-width comma and rejects text that is not a position', async () => {
    const read = await csv('id,坐标\n1,"106.6，35.5"\n2,北纬35度\n3,POINT (106.7 35.6)\n', 'p.csv');
    expect(read.features.features.map((f) => (f.geometry as Point).coordinates)).toEqual([[106.6, 35.5]]);
    expect(read.rejected.map((r) => [r.row, r.field])).toEqual([
      [3, '坐标'],
      [4, '坐标'],
    ]);
    expect(read.rejected[0]!.reason).toContain('expected longitude,latitude in decimal degrees');
    const wkt = await csv('id,geometry\n1,POINT (106.7 35.6)\n2,POINT (a b)\n', 'w.csv');
    expect(wkt.features.features.map((f) => (f.geometry as Point).coordinates)).toEqual([[106.7, 35.6]]);
    expect(wkt.rejected[0]).toMatchObject({ row: 3, field: 'geometry' });
    expect(wkt.rejected[0]!.reason).toContain('expected well-known text such as POINT (116.397 39.909)');
  });

  it('takes the one position column the positionColumn option names, WKT or lng,lat by its first value', async () => {
    // Both a lon/lat pair and two one-column positions: detection takes lon/lat; the option wins.
    const table = 'id,lon,lat,where,shape_text\n1,1,2,"106.6,35.5",POINT (106.7 35.6)\n';
    const detected = await csv(table, 't.csv');
    expect(detected.features.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [1, 2] });
    const pair = await csv(table, 't.csv', { positionColumn: 'where' });
    expect(pair.features.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [106.6, 35.5] });
    // The columns not used for the position stay properties; the one used does not.
    expect(pair.features.features[0]!.properties).toMatchObject({ lon: 1, lat: 2 });
    expect(pair.features.features[0]!.properties).not.toHaveProperty('where');
    const wkt = await csv(table, 't.csv', { positionColumn: 'SHAPE_TEXT' });
    expect(wkt.features.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [106.7, 35.6] });
    // Each reading says which column or columns gave the positions, and how they were chosen.
    expect(detected.positionColumns).toEqual([
      { role: 'longitude', column: 'lon', source: 'detected' },
      { role: 'latitude', column: 'lat', source: 'detected' },
    ]);
    expect(pair.positionColumns).toEqual([{ role: 'position', column: 'where', source: 'named' }]);
    expect(wkt.positionColumns).toEqual([{ role: 'geometry', column: 'shape_text', source: 'named' }]);
    await expect(csv(table, 't.csv', { positionColumn: 'nowhere' })).rejects.toThrow(
      /no column named 'nowhere' \(the positionColumn option\)/,
    );
    await expect(csv(table, 't.csv', { positionColumn: 'where', lonColumn: 'lon' })).rejects.toThrow(
      OptionError,
    );
  });
});

describe('readInput: coordinate systems', () => {
  const metres = 'id,x,y\n1,36378479,3935329\n2,36378500,3935400\n';

  it('stops on coordinates that contradict their system with the crs option as the hint', async () => {
    const error = await csv(metres, 'gk.csv').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadOptionError);
    expect(hintOf(error)).toEqual({ option: 'crs' });
    expect((error as Error).message).toMatch(/^gk\.csv: 2 of 2 positions .* look like projected metres/);
  });

  it("with crsMismatch 'keep', returns the features as read and why, to declare the system and convert again", async () => {
    const kept = await csv(metres, 'gk.csv', { crsMismatch: 'keep' });
    expect(kept.crs).toBeNull();
    expect(kept.crsError?.message).toContain('cgcs2000-gk3-36');
    expect((kept.features.features[0]!.geometry as Point).coordinates).toEqual([36378479, 3935329]);
    const declared = convertInput(kept.asRead, { crs: { text: 'cgcs2000-gk3', option: 'crs' } });
    expect(declared.crsError).toBeNull();
    expect(declared.crs?.used.id).toBe('EPSG:4524');
    const [lon] = (declared.features.features[0]!.geometry as Point).coordinates as [number, number];
    expect(lon).toBeGreaterThan(106);
    expect(lon).toBeLessThan(109);
  });

  it('an unknown declared system is an OptionError naming the option', async () => {
    await expect(
      csv('id,lng,lat\n1,106.6,35.5\n', 'a.csv', { crs: { text: 'EPSG:0', option: 'crs' } }),
    ).rejects.toThrow(OptionError);
  });
});
