import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFeatures } from '../read/read.js';
import { detectDelimiter, parseDelimited } from './delimited.js';

describe('parseDelimited', () => {
  it('reads quoted cells holding delimiters, quotes and line breaks (RFC 4180)', () => {
    const { cells, rows } = parseDelimited('id,name\r\n1,"a, ""b"""\r\n2,"two\nlines"\r\n', 'x.csv');
    expect(cells).toEqual([
      ['id', 'name'],
      ['1', 'a, "b"'],
      ['2', 'two\nlines'],
    ]);
    expect(rows).toEqual([1, 2, 3]);
  });

  it('numbers rows as a spreadsheet does: an empty line is a row, a break inside quotes is not', () => {
    const { rows } = parseDelimited('id\n"a\nb"\n\nc\n', 'x.csv');
    expect(rows).toEqual([1, 2, 4]);
  });

  it("detects comma, tab, semicolon and bar, and honours Excel's sep= line", () => {
    expect(detectDelimiter('a\tb\tc\n1,2\t3')).toBe('\t');
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('"a;b",c')).toBe(',');
    expect(detectDelimiter('a|b')).toBe('|');
    expect(parseDelimited('sep=;\na;b\n1;2\n', 'x.csv')).toMatchObject({ delimiter: ';', rows: [1, 2] });
  });

  it('an unclosed quote is an error naming the row it opened on', () => {
    expect(() => parseDelimited('id,name\n1,"open\n2,b\n', 'x.csv')).toThrowError(
      'x.csv: a quoted cell opened on row 2 is never closed',
    );
  });
});

// Text cells that a table may hold: Chinese, quotes, delimiters, line breaks, leading zeros.
const cellText = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('崆峒区', '0012', 'a,b', 'say "hi"', 'two\nlines', ' padded ', '', '-', '1e5'),
);

describe('any table of points written as CSV reads back as the same points', () => {
  it('every row is a feature with its coordinates, or rejected naming its row', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            lon: fc.option(
              fc.double({ min: -180, max: 180, noNaN: true }).map((v) => v + 0),
              { freq: 8 },
            ),
            lat: fc.option(
              fc.double({ min: -90, max: 90, noNaN: true }).map((v) => v + 0),
              { freq: 8 },
            ),
            name: cellText,
          }),
          { maxLength: 30 },
        ),
        fc.constantFrom(',', '\t', ';'),
        async (points, delimiter) => {
          const quote = (text: string) =>
            /[",;\t\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
          // A `_code` column stays text even when every value looks like a number.
          const lines = [['label_code', 'lon', 'lat'].join(delimiter)];
          for (const p of points) {
            lines.push(
              [quote(p.name), p.lon === null ? '' : String(p.lon), p.lat === null ? '' : String(p.lat)].join(
                delimiter,
              ),
            );
          }
          const read = await readFeatures(new TextEncoder().encode(`${lines.join('\r\n')}\r\n`), 'p.csv');
          // Each data row is row (its position + 2): the header is row 1.
          const outcome = new Map<number, string>();
          read.collection.features.forEach((f, k) => {
            outcome.set(read.origins!.row![k]!, 'feature');
            const p = points[read.origins!.index[k]!]!;
            expect(f.geometry).toEqual({ type: 'Point', coordinates: [p.lon, p.lat] });
            expect(f.properties?.label_code ?? '').toBe(p.name.trim());
          });
          for (const r of read.rejected) {
            expect(outcome.has(r.row!)).toBe(false);
            outcome.set(r.row!, 'rejected');
            const p = points[r.index]!;
            expect(r.row).toBe(r.index + 2);
            expect(r.field).toBe(p.lon === null ? 'lon' : 'lat');
            expect(r.reason).toMatch(/^missing (longitude|latitude)$/);
          }
          expect(outcome.size).toBe(points.length);
          expect(read.collection.features.length).toBe(
            points.filter((p) => p.lon !== null && p.lat !== null).length,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
