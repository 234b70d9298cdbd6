import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FacilityCatalog, InputError } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { readTypeMap } from './type-map.js';

const catalog = FacilityCatalog.builtIn();
const encode = (text: string) => new TextEncoder().encode(text);

describe('readTypeMap', () => {
  it("reads the docs' type map: each row's category, catalog type, file and spreadsheet row", async () => {
    const path = fileURLToPath(new URL('../../../../fixtures/categories/type-map.csv', import.meta.url));
    expect(await readTypeMap(readFileSync(path), 'type-map.csv', catalog)).toEqual([
      { category: '风景名胜;公园广场;公园', type: 'fitness_ground', row: 2, file: 'type-map.csv' },
    ]);
  });

  it('takes Chinese headers, and names the file, row and field of a wrong row', async () => {
    const entries = await readTypeMap(encode('类别,类型\n教育培训;托管班,托育\n'), '对照表.csv', catalog);
    expect(entries).toEqual([{ category: '教育培训;托管班', type: '托育', row: 2, file: '对照表.csv' }]);
    await expect(readTypeMap(encode('name,kind\na,b\n'), 'map.csv', catalog)).rejects.toThrow(
      "map.csv: expected a header row with a category column and a type column (category,type), found 'name', 'kind'.",
    );
    await expect(
      readTypeMap(encode('category,type\n医疗;诊所,not_a_type\n'), 'map.csv', catalog),
    ).rejects.toThrow(/^map\.csv: .*row 2.*not_a_type/);
  });

  it('names every wrong row of the file, not only the first', async () => {
    const text = 'category,type\n餐饮服务,kindergarden\n购物服务,幼儿园\n,托育\n医疗;诊所,not_a_type\n';
    const error = await readTypeMap(encode(text), 'map.csv', catalog).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message.split('\n').slice(0, 4)).toEqual([
      'map.csv: 3 rows are wrong:',
      "  row 2, field type: unknown catalog type 'kindergarden'. Did you mean kindergarten?",
      '  row 4, field category: empty; expected the category as the data spells it.',
      "  row 5, field type: unknown catalog type 'not_a_type'.",
    ]);
  });
});
