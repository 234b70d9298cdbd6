import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runInto, scratchDir } from './harness.js';

const FORMATS = join(ROOT, 'fixtures', 'formats');
const AMAP = join(FORMATS, 'amap', '幼儿园.csv');
const BUREAU = join(FORMATS, 'bureau', '社区.shp');
const { write, outDir } = scratchDir('columns');

// AMap's category as an alias of a catalog type of its own: mapping POI categories to the catalog's
// types is another part of issue 12; here the type column's raw text only has to reach the catalog.
const CATALOG = write('amap-catalog.json', {
  types: [
    {
      id: 'amap_kindergarten',
      name_zh: '幼儿园（高德）',
      name_en: 'Kindergarten (AMap)',
      aliases: ['科教文化服务;学校;幼儿园'],
      radius_m: 500,
    },
  ],
});

interface Summary {
  communities: number;
  population: number;
  inputs: Record<
    string,
    {
      columns: Record<string, { column: string; source: string }>;
      generated_ids?: { from: string; count: number };
    }
  >;
  rejected: { file: string; row?: number; id: string | null; field: string; reason: string }[];
  warnings: { code: string; file: string; message: string }[];
  types: Record<string, { facilities: number }>;
}

/** `analyze` of the bureau's communities and `facilities` with the AMap catalog, into a fresh folder. */
const analyzeWithCatalog = (facilities: string, ...extra: string[]) =>
  runInto<Summary>(outDir(), [
    'analyze',
    '--communities',
    BUREAU,
    '--facilities',
    facilities,
    '--catalog',
    CATALOG,
    ...extra,
  ]);
/** {@link analyzeWithCatalog} of the AMap export (in GCJ-02). */
const analyze = (...extra: string[]) => analyzeWithCatalog(AMAP, '--facilities-crs', 'gcj02', ...extra);

describe('analyze on an AMap POI export and a bureau shapefile', () => {
  it('detects the columns, makes facility ids from rows and reports both in summary.json', async () => {
    const { code, err, summary } = await analyze();
    expect(err).toBe('');
    expect(code).toBe(0);
    const s = summary!;
    expect(s.communities).toBe(3);
    expect(s.population).toBe(3200 + 2100 + 4050);
    expect(s.inputs.communities).toEqual({
      columns: {
        id: { column: 'ADMINCODE', source: 'detected' },
        name: { column: '名称', source: 'detected' },
        population: { column: '常住人口', source: 'detected' },
      },
    });
    expect(s.inputs.facilities).toEqual({
      columns: {
        // The coordinates came from AMap's one `location` column of lng,lat.
        position: { column: 'location', source: 'detected' },
        name: { column: 'name', source: 'detected' },
        type: { column: 'type', source: 'detected' },
        district: { column: 'adname', source: 'detected' },
      },
      generated_ids: { from: 'row', count: 3 },
    });
    expect(s.types.amap_kindergarten!.facilities).toBe(3);
    // The row without a location is accounted for, naming its row and column.
    expect(s.rejected).toEqual([
      expect.objectContaining({ file: AMAP, row: 5, field: 'location', reason: 'missing position' }),
    ]);
    const generated = s.warnings.filter((w) => w.code === 'ids-generated');
    expect(generated).toHaveLength(1);
    expect(generated[0]!.message).toContain('幼儿园.csv#2');
  });

  it('--id-column ROLE=COL names a column for one input; a plain value applies to every input', async () => {
    const byRole = await analyze('--id-column', 'communities=名称');
    expect(byRole.summary!.inputs.communities!.columns.id).toEqual({ column: '名称', source: 'named' });
    expect(byRole.summary!.inputs.facilities!.generated_ids).toEqual({ from: 'row', count: 3 });
    const everywhere = await analyze('--name-column', '名称', '--name-column', 'facilities=address');
    expect(everywhere.summary!.inputs.communities!.columns.name).toEqual({ column: '名称', source: 'named' });
    expect(everywhere.summary!.inputs.facilities!.columns.name).toEqual({
      column: 'address',
      source: 'named',
    });
  });

  it('a named column the file lacks stops the run naming the file and the columns it has', async () => {
    const r = await analyze('--population-column', 'communities=人口数');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `${BUREAU}: has no column '人口数' for the population (--population-column); its columns are 'ADMINCODE', '名称', '常住人口'.`,
    );
    expect(r.err).not.toContain('    at ');
  });

  it('a missing id where the file has an id column is still a rejection', async () => {
    const facilities = write(
      'with-ids.csv',
      'code,name,type,location\r\nK1,甲幼儿园,科教文化服务;学校;幼儿园,"106.6862,35.5625"\r\n,乙幼儿园,科教文化服务;学校;幼儿园,"106.6583,35.5464"\r\n',
    );
    const r = await analyzeWithCatalog(facilities);
    expect(r.code).toBe(0);
    const s = r.summary!;
    expect(s.inputs.facilities!.columns.id).toEqual({ column: 'code', source: 'detected' });
    expect(s.inputs.facilities!.generated_ids).toBeUndefined();
    expect(s.rejected).toEqual([expect.objectContaining({ file: facilities, row: 3, field: 'id' })]);
  });

  it('summary.json names the columns the positions came from: WKT, or two columns named by option', async () => {
    /** summary.json's inputs after reading one kindergarten with position `columns` holding `cells`. */
    const inputsOf = async (columns: string, cells: string, ...extra: string[]) => {
      const table = `code,name,type,${columns}\r\nK1,甲幼儿园,科教文化服务;学校;幼儿园,${cells}\r\n`;
      const r = await analyzeWithCatalog(write(`${columns}.csv`, table), ...extra);
      expect(r.code).toBe(0);
      return r.summary!.inputs;
    };
    const fromWkt = await inputsOf('wkt', 'POINT (106.6862 35.5625)');
    expect(fromWkt.facilities!.columns.geometry).toEqual({ column: 'wkt', source: 'detected' });
    const named = await inputsOf('东,北', '106.6862,35.5625', '--lon-column', '东', '--lat-column', '北');
    expect(named.facilities!.columns.longitude).toEqual({ column: '东', source: 'named' });
    expect(named.facilities!.columns.latitude).toEqual({ column: '北', source: 'named' });
    // Communities from a shapefile take their positions from its geometry: no position column.
    expect(named.communities!.columns.longitude).toBeUndefined();
  });
});
