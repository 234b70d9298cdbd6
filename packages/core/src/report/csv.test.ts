import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, formatCsv } from './csv.js';

// csv-parse is an independent RFC 4180 reader: what it reads back from formatCsv must be the cells.
function readBack(csv: string): string[][] {
  expect(csv.startsWith('\ufeff')).toBe(true);
  return parse(csv.slice(1), { relax_column_count: true, record_delimiter: '\r\n' }) as string[][];
}

/** What a cell reads back as: text that could run as a formula carries the `'` that disarms it. */
function expectedText(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

describe('formatCsv', () => {
  it('writes a byte-order mark, CRLF line ends and RFC 4180 quotes', () => {
    expect(
      formatCsv(
        ['id', 'name'],
        [
          ['c1', 'a "quoted", name'],
          ['c2', 'two\nlines'],
        ],
      ),
    ).toBe('\ufeffid,name\r\nc1,"a ""quoted"", name"\r\nc2,"two\nlines"\r\n');
  });

  it('disarms text cells that spreadsheets would run as formulas, and keeps numbers as numbers', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('+86 933')).toBe(`"'+86 933"`);
    expect(csvCell('-1+2')).toBe(`"'-1+2"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\tcmd')).toBe(`"'\tcmd"`);
    expect(csvCell('\rcmd')).toBe(`"'\rcmd"`);
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(0)).toBe('0');
    expect(csvCell('崆峒区')).toBe('崆峒区');
    expect(csvCell(['a', '=b'])).toBe('a;=b');
    expect(csvCell(['=a', 'b'])).toBe(`"'=a;b"`);
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('reads back as the cells it was given (property, against csv-parse)', () => {
    const cell = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({
        unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', ';', 'a', '社', ' '),
        maxLength: 8,
      }),
      fc.double({ noNaN: true }),
      fc.integer(),
    );
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((width) =>
            fc.tuple(
              fc.array(fc.stringMatching(/^[a-z_]{1,8}$/), { minLength: width, maxLength: width }),
              fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 6 }),
            ),
          ),
        ([header, rows]) => {
          const back = readBack(formatCsv(header, rows));
          expect(back).toEqual([header, ...rows.map((r) => r.map(expectedText))]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
