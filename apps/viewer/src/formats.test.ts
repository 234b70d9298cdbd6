// io's messages worded for the viewer (issue 15): the option that would settle a problem is named as
// the viewer's control, never as a CLI flag.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLoadedFile, redeclareCrs, rereadFile, VIEWER_OPTION_WORDING } from './formats.js';

const FORMATS = new URL('../../../fixtures/formats/', import.meta.url);
const bytesOf = (name: string) => {
  const data = readFileSync(fileURLToPath(new URL(name, FORMATS)));
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
};
const encode = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

describe('io messages in the viewer', () => {
  it("names the file's coordinate-system menu, not --communities-crs, for metres read as degrees", async () => {
    const read = await readLoadedFile('gk.csv', encode('id,x,y\n1,36378479,3935329\n2,36378500,3935400\n'));
    expect(read.crsError).toContain(
      "Give the system with the file's coordinate-system menu, e.g. cgcs2000-gk3",
    );
    expect(read.crsError).not.toMatch(/--[a-z]/);
    const declared = redeclareCrs(read, 'cgcs2000-gk3');
    expect(declared.crsError).toBeNull();
    expect(declared.crs?.used.id).toBe('EPSG:4524');
  });

  it('reads the first sheet of a workbook of two, lists both, and reads the other when chosen', async () => {
    const read = await readLoadedFile('points.xlsx', bytesOf('points.xlsx'));
    expect(read.layers).toEqual(['设施', '说明']);
    expect(read.layer).toBe('设施');
    expect((read.value as { features: unknown[] }).features.length).toBeGreaterThan(0);
    // The sheet is chosen in the files panel, so io's "choose one" warning has nothing left to say.
    expect(read.warnings.find((w) => w.code === 'layer-chosen')).toBeUndefined();
    // The notes sheet is read when chosen: it has no coordinates, and says so without a CLI flag.
    const notes = await rereadFile(read, { layer: '说明' }).catch((e: Error) => e.message);
    expect(notes).toMatch(
      /^points\.xlsx: found no longitude and latitude column\. Its headers are '字段', '含义'/,
    );
    expect(notes).not.toMatch(/--[a-z]/);
    expect(VIEWER_OPTION_WORDING({ option: 'layer' })).toBe("the file's layer menu in the files panel");
  });

  it('a column named in the picker is read for its role; made-up ids follow the kind', async () => {
    const csv = encode('编号,名称,人数,lon,lat\nA,甲,10,106.6,35.5\nB,乙,20,106.7,35.6\n');
    const read = await readLoadedFile('社区点.csv', csv);
    expect(read.headers).toEqual(['编号', '名称', '人数']);
    expect(read.columns).toEqual([
      { role: 'id', column: '编号', source: 'detected' },
      { role: 'name', column: '名称', source: 'detected' },
    ]);
    const named = await rereadFile(read, { columns: { populationColumn: '人数', idColumn: '名称' } });
    expect(named.columns).toContainEqual({ role: 'population', column: '人数', source: 'named' });
    const props = (named.value as { features: { properties: Record<string, unknown> }[] }).features.map(
      (f) => f.properties,
    );
    expect(props.map((p) => [p.id, p.population])).toEqual([
      ['甲', 10],
      ['乙', 20],
    ]);
    const noIds = await readLoadedFile(
      '设施.csv',
      encode('type,lon,lat\nkindergarten,106.6,35.5\n'),
      new Map(),
      {
        kind: 'facilities',
      },
    );
    expect(noIds.generatedIds).toEqual({ from: 'row', count: 1 });
    expect(noIds.warnings.find((w) => w.code === 'ids-generated')?.message).toContain(
      "the id menu of the file's column picker",
    );
  });

  it('reads an AMap export: positions from its location column, columns detected', async () => {
    const read = await readLoadedFile('幼儿园.csv', bytesOf('amap/幼儿园.csv'));
    const value = read.value as { features: { properties: Record<string, unknown> }[] };
    expect(value.features).toHaveLength(3);
    expect(value.features[0]!.properties).toMatchObject({ name: '崆峒区阳光幼儿园', district: '崆峒区' });
    expect(read.rejected).toEqual([expect.objectContaining({ row: 5, field: 'location' })]);
  });
});
