// A planner's own files tried as a new user would, with the docs' commands (issue #12): the files of
// fixtures/trial (an AMap export in three encodings, a Baidu export, a bureau shapefile in CGCS2000
// Gauss-Krüger with a GBK .dbf, zipped with GBK names, the same boundaries without .prj or codes, a
// census table by name, a drive-only OpenStreetMap extract) through analyze, check, monitor and site.
import { describe, expect, it } from 'vitest';
import { fixture, runCli, runInto, scratchDir } from './harness.js';

const trial = (name: string) => fixture(`trial/${name}`);
const SHAPEFILE = trial('社区边界.shp');
const ZIPPED = trial('社区边界.zip');
const AMAP = trial('高德POI-gbk.csv');
const scratch = scratchDir('trial');

interface TypeFigures {
  facilities: number;
  covered_share: number;
  gap_communities: number;
}
interface Summary {
  communities: number;
  population: number;
  types: Record<string, TypeFigures>;
  warnings: { code: string; file?: string; message: string }[];
  rejected: { row?: number; field: string; reason: string }[];
  inputs: Record<string, { columns: Record<string, { column: string; source: string }> }>;
  network?: { population_reached: number };
}

const analyze = (...args: string[]) => runInto<Summary>(scratch.outDir(), ['analyze', ...args]);
/** Each type's facilities, covered share and gap communities: what two equal readings share. */
const figures = (summary: Summary) =>
  Object.fromEntries(
    Object.entries(summary.types).map(([type, t]) => [
      type,
      [t.facilities, t.covered_share, t.gap_communities],
    ]),
  );

describe('fixtures/trial as a new user runs it', () => {
  it('an AMap export reads the same as UTF-8, UTF-8 with a BOM and GBK, with the bureau shapefile or its zip', async () => {
    const runs = await Promise.all([
      analyze('--communities', ZIPPED, '--facilities', AMAP, '--facilities-crs', 'gcj02'),
      analyze('--communities', SHAPEFILE, '--facilities', trial('高德POI.csv'), '--facilities-crs', 'gcj02'),
      analyze(
        '--communities',
        SHAPEFILE,
        '--facilities',
        trial('高德POI-bom.csv'),
        '--facilities-crs',
        'gcj02',
      ),
    ]);
    for (const r of runs) expect(r.code, r.all).toBe(0);
    const [gbk, utf8, bom] = runs.map((r) => r.summary!);
    expect(gbk!.communities).toBe(6);
    expect(gbk!.population).toBe(24_235);
    expect(gbk!.inputs.communities!.columns).toMatchObject({
      id: { column: 'ADMINCODE' },
      name: { column: '名称' },
      population: { column: '常住人口' },
    });
    // Head office, training school, pet and dental clinics typed as nothing; the row without a
    // position rejected by row and field, not dropped.
    expect(Object.values(gbk!.types).reduce((n, t) => n + t.facilities, 0)).toBe(8);
    expect(gbk!.rejected).toEqual([expect.objectContaining({ row: 14, field: 'location' })]);
    expect(figures(utf8!)).toEqual(figures(gbk!));
    expect(figures(bom!)).toEqual(figures(gbk!));
  });

  it('asks whether a Baidu export (uid, tag) is BD-09, and is quiet once told', async () => {
    const asked = await analyze('--communities', SHAPEFILE, '--facilities', trial('百度POI.csv'));
    expect(asked.code, asked.all).toBe(0);
    expect(
      asked.summary!.warnings.filter((w) => w.code === 'coordinates-gcj02').map((w) => w.message),
    ).toEqual([
      expect.stringContaining('a Baidu (百度) export: are its coordinates BD-09, offset about 1 km'),
    ]);
    const told = await analyze(
      '--communities',
      SHAPEFILE,
      '--facilities',
      trial('百度POI.csv'),
      '--facilities-crs',
      'bd09',
    );
    expect(told.summary!.warnings.map((w) => w.code)).not.toContain('coordinates-gcj02');
  });

  it('joins the census table by name, from CSV (GBK) or XLSX, and reads boundaries with no .prj nor codes', async () => {
    const [csv, xlsx, zoned] = await Promise.all(
      [
        [SHAPEFILE, '人口普查.csv'],
        [SHAPEFILE, '人口普查.xlsx'],
        [trial('街道社区-无prj.shp'), '人口普查.csv', '--communities-crs', 'cgcs2000-gk3'],
      ].map(([communities, table, ...rest]) =>
        analyze(
          '--communities',
          communities!,
          '--facilities',
          AMAP,
          '--facilities-crs',
          'gcj02',
          '--population-table',
          trial(table!),
          '--join-by',
          'name',
          ...rest,
        ),
      ),
    );
    for (const r of [csv!, xlsx!, zoned!]) expect(r.code, r.all).toBe(0);
    expect(csv!.summary!.population).toBe(24_835);
    expect(xlsx!.summary!.population).toBe(24_835);
    expect(zoned!.summary!.population).toBe(24_835);
    expect(figures(zoned!.summary!)).toEqual(figures(csv!.summary!));
  });

  it('the census table given as facilities says to join it instead; the zone-numbered file asks for its system', async () => {
    const census = await analyze('--communities', SHAPEFILE, '--facilities', trial('人口普查.csv'));
    expect(census.code).toBe(1);
    expect(census.err).toContain('人口普查.csv: found no longitude and latitude column');
    expect(census.err).toContain('--population-table FILE, with --join-by name');
    const zoned = await analyze('--communities', trial('街道社区-无prj.shp'), '--facilities', AMAP);
    expect(zoned.code).toBe(1);
    expect(zoned.err).toContain('3-degree Gauss-Krüger zone 36');
    expect(zoned.err).toContain('--communities-crs');
    for (const r of [census, zoned]) expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('a drive-only OpenStreetMap extract is named as one, and every figure says the network reaches no one', async () => {
    for (const network of ['驾车路网.osm.pbf', '驾车路网.osm']) {
      const r = await analyze(
        '--communities',
        SHAPEFILE,
        '--facilities',
        AMAP,
        '--facilities-crs',
        'gcj02',
        '--network',
        trial(network),
      );
      expect(r.code, r.all).toBe(0);
      const excluded = r.summary!.warnings.find((w) => w.code === 'osm-ways-excluded');
      expect(excluded?.message).toContain('as in an extract cut for driving');
      expect(r.summary!.network!.population_reached).toBe(0);
      expect(r.summary!.warnings.map((w) => w.code)).toContain('off-network');
    }
  });

  it('check, monitor and site run on the same files', async () => {
    const inputs = ['--communities', ZIPPED, '--facilities', AMAP, '--facilities-crs', 'gcj02'];
    const runs = await Promise.all(
      [
        ['check', '--profile', 'complete-community', ...inputs],
        ['monitor', '--profile', 'pingliang-2025', ...inputs],
        ['site', ...inputs, '--type', '幼儿园', '--model', 'mclp', '--k', '2'],
      ].map((args) => runCli([...args, '--out', scratch.outDir(), '--quiet'])),
    );
    for (const r of runs) {
      expect(r.code, r.all).toBe(0);
      expect(r.all).not.toMatch(/\n\s+at /);
    }
  });
});
