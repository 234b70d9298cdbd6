// POI exports as planners get them (fixtures/categories: an AMap-style and a Baidu-style CSV of
// invented Pingliang POIs), through `lifecircle analyze`: every row is typed by a category rule or
// counted in the unmapped-categories table, on screen and in summary.json, and --type-map adds the user's own.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoverageSummary } from '@lifecircle/core';
import { readFeatures } from '@lifecircle/io';
import { describe, expect, it } from 'vitest';
import { runCli, runInto, scratchDir } from './harness.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/categories');
const AMAP = join(FIXTURES, 'amap-pingliang.csv');
const BAIDU = join(FIXTURES, 'baidu-pingliang.csv');
const OSM = join(FIXTURES, '../osm/town.osm');
const { file, outDir } = scratchDir('categories');

// Four residential communities in central Kongtong (WGS84).
const COMMUNITIES = file(
  'communities.geojson',
  JSON.stringify({
    type: 'FeatureCollection',
    features: [
      [106.662, 35.544],
      [106.668, 35.542],
      [106.676, 35.541],
      [106.684, 35.542],
    ].map((coordinates, i) => ({
      type: 'Feature',
      properties: { id: `C${i + 1}`, name: `社区${i + 1}`, population: 3000 + i * 500 },
      geometry: { type: 'Point', coordinates },
    })),
  }),
);

/**
 * The AMap fixture as a table io reads today: `location` "lng,lat" split into lon and lat, and an
 * id from the row number. io's own reading of `location` and of files without ids is being added
 * (issue #12, column roles); the test below runs on the raw file as soon as io reads it.
 */
function amapWithLonLat(): string {
  const [, ...lines] = readFileSync(AMAP, 'utf8').trimEnd().split('\n');
  const rows = lines.map((line, i) => {
    const match = /^(.*),"([\d.]+),([\d.]+)",(.*)$/.exec(line);
    if (!match) throw new Error(`fixture line ${i + 2} has no "lng,lat" location`);
    return `A${i + 2},${match[1]},${match[2]},${match[3]},${match[4]}`;
  });
  return `${['id,name,type,typecode,address,lon,lat,pname,cityname,adname', ...rows].join('\n')}\n`;
}

const AMAP_ROWS = 31;
// Rows of the fixture a category rule types; the other 14 must each land in the unmapped table.
const AMAP_TYPED = 17;

// Whether io reads the raw export yet (its `location` column and rows without ids).
const rawReadable = await readFeatures(readFileSync(AMAP), AMAP).then(
  (read) => read.collection.features.length === AMAP_ROWS,
  () => false,
);

/** The four communities and the facilities `path`, with more options. */
const inputs = (path: string, ...rest: string[]) => [
  '--communities',
  COMMUNITIES,
  '--facilities',
  path,
  ...rest,
];
/** `analyze` of the four communities and the facilities `path`, writing into a fresh folder. */
const analyzeFacilities = (path: string, ...rest: string[]) =>
  runInto<CoverageSummary>(outDir(), ['analyze', ...inputs(path, ...rest)]);
/** {@link analyzeFacilities} of an AMap export, in GCJ-02 as AMap gives them. */
const analyzeAmap = (path: string, ...rest: string[]) =>
  analyzeFacilities(path, '--facilities-crs', 'gcj02', ...rest);

function accountFor(summary: CoverageSummary, rows: number) {
  const categories = summary.categories!;
  const typed = categories.typed.reduce((n, t) => n + t.facilities, 0);
  const unmapped = categories.unmapped.reduce((n, u) => n + u.facilities, 0);
  const rejected = summary.rejected.filter((r) => r.file.endsWith('.csv')).length;
  expect(typed + unmapped + rejected).toBe(rows);
  return { typed, unmapped, rejected };
}

describe('an AMap-style export', () => {
  it('types each row by its category (the name deciding broad ones) and tables the rest', async () => {
    const r = await analyzeAmap(file('amap.csv', amapWithLonLat()));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = r.summary!;
    expect(accountFor(summary, AMAP_ROWS)).toEqual({
      typed: AMAP_TYPED,
      unmapped: AMAP_ROWS - AMAP_TYPED,
      rejected: 0,
    });
    const typed = (rule: string, type: string) =>
      summary.categories!.typed.find((t) => t.rule === rule && t.type === type)?.facilities ?? 0;
    expect(typed('amap-kindergarten', 'kindergarten')).toBe(2);
    expect(typed('amap-township-health', 'community_health_station')).toBe(2);
    expect(typed('amap-township-health', 'community_health_center')).toBe(2);
    expect(summary.categories!.typed.find((t) => t.rule === 'amap-township-health')).toMatchObject({
      mapping: 'broad',
      by_name: true,
    });
    expect(summary.types.community_health_station?.facilities).toBe(2);
    const unmapped = (category: string) =>
      summary.categories!.unmapped.filter((u) => u.category === category);
    // Head office, gate and training school: the kindergarten category, undone by the name.
    expect(
      unmapped('科教文化服务;学校;幼儿园')
        .map((u) => u.name_rule)
        .sort(),
    ).toEqual(['exclude-office', 'exclude-part-of-site', 'exclude-training']);
    expect(unmapped('医疗保健服务;动物医疗场所;宠物诊所')[0]).toMatchObject({
      rule: 'amap-animal-clinic',
      examples: [{ name: '爱宠宠物诊所', row: 12, id: 'A12' }],
    });
    expect(unmapped('医疗保健服务;诊所;诊所')[0]).toMatchObject({ facilities: 2, rule: 'amap-clinic' });
    expect(summary.categories!.how_to_map).toContain('--type-map FILE');
    expect(r.out).toContain('Facilities typed by POI category:');
    expect(r.out).toMatch(
      /amap-township-health\s+name \(name-community-health-station\)\s+community_health_station\s+2/,
    );
    expect(r.out).toContain(`${AMAP_ROWS - AMAP_TYPED} facilities in `);
    expect(r.out).toMatch(/医疗保健服务;诊所;诊所\s+2\s+贝美口腔诊所 \(row 13\), 仁和诊所 \(row 14\)/);
    expect(r.out).not.toContain('feature(s) rejected');
  });

  it('--type-map maps categories the tables leave unmapped, and reports the row that did', async () => {
    const map = file(
      '类型映射.csv',
      'category,type\n090300,社区卫生服务站\n风景名胜;公园广场;公园,fitness_ground\n',
    );
    const r = await analyzeAmap(file('amap.csv', amapWithLonLat()), '--type-map', map);
    expect(r.err).toBe('');
    const summary = r.summary!;
    expect(accountFor(summary, AMAP_ROWS).typed).toBe(AMAP_TYPED + 3);
    expect(summary.categories!.typed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: `type-map:${map} row 2`,
          type: 'community_health_station',
          facilities: 2,
        }),
        expect.objectContaining({ rule: `type-map:${map} row 3`, type: 'fitness_ground', facilities: 1 }),
      ]),
    );
  });

  it('a type map naming an unknown catalog type stops with the file, row and field', async () => {
    const map = file(
      'map.csv',
      'category,type\n090300,社区卫生服务站\n风景名胜;公园广场;公园,kindergarden\n',
    );
    const r = await analyzeAmap(file('amap.csv', amapWithLonLat()), '--type-map', map);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `${map}: row 3, field type: unknown catalog type 'kindergarden'. Did you mean kindergarten? Use one of: nursery_childcare,`,
    );
    expect(r.err).not.toContain('    at ');
  });

  it('a type map without category and type columns is named with the headers it has', async () => {
    const map = file('map.csv', '分类代码,设施\n090300,社区卫生服务站\n');
    const r = await analyzeAmap(file('amap.csv', amapWithLonLat()), '--type-map', map);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `${map}: expected a header row with a category column and a type column (category,type), found '分类代码', '设施'.`,
    );
  });

  it('the raw export, with its location column and no id column', async () => {
    expect(rawReadable).toBe(true);
    const r = await analyzeAmap(AMAP);
    expect(r.code).toBe(0);
    expect(accountFor(r.summary!, AMAP_ROWS).typed).toBe(AMAP_TYPED);
  });
});

describe('every command that types facilities', () => {
  it('check shows the categories table and puts it in its JSON, with --type-map', async () => {
    const map = file('map.csv', 'category,type\n风景名胜;公园广场;公园,fitness_ground\n');
    const check = (...rest: string[]) =>
      runCli([
        ...['check', '--profile', 'gb50180-2018'],
        ...inputs(file('amap.csv', amapWithLonLat()), '--facilities-crs', 'gcj02', '--type-map', map),
        '--quiet',
        ...rest,
      ]);
    const r = await check();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Facilities typed by POI category:');
    expect(r.out).toContain(`${AMAP_ROWS - AMAP_TYPED - 1} facilities in `);
    const json = await check('--json');
    const printed = JSON.parse(json.out) as { categories: NonNullable<CoverageSummary['categories']> };
    expect(printed.categories.typed).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: `type-map:${map} row 2`, facilities: 1 })]),
    );
  });
});

describe('a Baidu-style export', () => {
  it('types rows by their tag; early education (by name), training and pet services are tabled', async () => {
    // As Baidu exports it: ids in uid, categories in tag (io detects both; core's Baidu table reads tag).
    const r = await analyzeFacilities(BAIDU, '--facilities-crs', 'bd09');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = r.summary!;
    expect((summary as unknown as { inputs: Record<string, unknown> }).inputs.facilities).toEqual({
      columns: {
        longitude: { column: 'lng', source: 'detected' },
        latitude: { column: 'lat', source: 'detected' },
        id: { column: 'uid', source: 'detected' },
        name: { column: 'name', source: 'detected' },
        type: { column: 'tag', source: 'detected' },
      },
    });
    expect(accountFor(summary, 12)).toEqual({ typed: 8, unmapped: 4, rejected: 0 });
    const typeOf = (rule: string) =>
      summary.categories!.typed.filter((t) => t.rule === rule).map((t) => t.type);
    expect(typeOf('baidu-clinic')).toEqual(['community_health_station']);
    expect(typeOf('baidu-general-hospital')).toEqual(['community_health_center']);
    expect(typeOf('baidu-early-education')).toEqual(['nursery_childcare']);
    expect(summary.categories!.unmapped.map((u) => [u.category, u.rule, u.name_rule]).sort()).toEqual([
      ['教育培训;亲子教育', 'baidu-early-education', null],
      ['教育培训;培训机构', 'baidu-training', null],
      ['生活服务;宠物服务', 'baidu-pet-service', null],
      ['美食;中餐厅', null, null],
    ]);
  });
});

describe('an OpenStreetMap extract', () => {
  it('types facilities by their tags (school by isced:level, social facility, clinic by name)', async () => {
    const r = await analyzeFacilities(OSM);
    expect(r.code).toBe(0);
    const summary = r.summary!;
    expect(summary.categories!.typed.map((t) => [t.rule, t.type]).sort()).toEqual([
      ['osm-clinic', 'community_health_station'],
      ['osm-kindergarten', 'kindergarten'],
      ['osm-marketplace', 'fresh_market'],
      ['osm-school-primary', 'primary_school'],
      ['osm-social-facility-nursing-home', 'nursing_home'],
    ]);
    expect(summary.categories!.unmapped).toEqual([]);
  });
});
