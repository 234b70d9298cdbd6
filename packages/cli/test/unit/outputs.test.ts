// The CLI's CSV files go through core's one writer: safe for spreadsheets (#17), as the viewer's.
import { formatCsv } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/outputs/files.js';

describe('toCsv', () => {
  it('writes records with the spreadsheet-safe writer the viewer uses', () => {
    const rows = [
      { id: 'C1', name: '=HYPERLINK("http://evil","点击")', population: -3, district: '@崆峒区' },
      { id: 'C2', name: '东苑, 小区', population: 1200 },
    ];
    const csv = toCsv(['id', 'name', 'population', 'district'], rows);
    expect(csv).toBe(
      '\ufeffid,name,population,district\r\n' +
        'C1,"\'=HYPERLINK(""http://evil"",""点击"")",-3,"\'@崆峒区"\r\n' +
        'C2,"东苑, 小区",1200,\r\n',
    );
    expect(csv).toBe(
      formatCsv(
        ['id', 'name', 'population', 'district'],
        rows.map((r) => [r.id, r.name, r.population, (r as { district?: string }).district]),
      ),
    );
  });
});
