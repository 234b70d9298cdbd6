// io's messages worded for the viewer (issue 15): the option that would settle a problem is named as
// the viewer's control, never as a CLI flag.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLoadedFile, redeclareCrs } from './formats.js';

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

  it('says what to do about a workbook of two sheets without naming --layer', async () => {
    const read = await readLoadedFile('points.xlsx', bytesOf('points.xlsx'));
    const chosen = read.warnings.find((w) => w.code === 'layer-chosen');
    expect(chosen?.message).toBe(
      "read the first sheet '设施'; the workbook also has '说明' (choose one with a file holding only that one, as the viewer has no layer choice yet)",
    );
    expect((chosen as { hint?: unknown }).hint).toEqual({ option: 'layer' });
  });

  it('reads an AMap export: positions from its location column, columns detected', async () => {
    const read = await readLoadedFile('幼儿园.csv', bytesOf('amap/幼儿园.csv'));
    const value = read.value as { features: { properties: Record<string, unknown> }[] };
    expect(value.features).toHaveLength(3);
    expect(value.features[0]!.properties).toMatchObject({ name: '崆峒区阳光幼儿园', district: '崆峒区' });
    expect(read.rejected).toEqual([expect.objectContaining({ row: 5, field: 'location' })]);
  });
});
