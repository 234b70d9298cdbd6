import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pushInPieces } from '../../../io/test/pieces.js';
import { InputError } from '../validate/problems.js';
import { parseCostMatrixCsv } from './cost-matrix.js';
import { type CostMatrixColumnsRead, CostMatrixCsvReader } from './cost-matrix-csv.js';

/** The reader's columns as rows, to compare with parseCostMatrixCsv's. */
function rowsOf({ columns }: CostMatrixColumnsRead) {
  return Array.from(columns.origin, (o, r) => ({
    origin_id: columns.originIds[o],
    destination_id: columns.destinationIds[columns.destination[r]!],
    cost: columns.cost[r],
  }));
}

function readInPieces(text: string, cuts: readonly number[]): CostMatrixColumnsRead {
  const reader = new CostMatrixCsvReader({ file: 'od.csv' });
  pushInPieces(text, cuts, (piece) => reader.push(piece));
  return reader.end();
}

describe('CostMatrixCsvReader', () => {
  it('reads a file given in pieces cut anywhere: inside a quoted field, a CRLF or a doubled quote', () => {
    const text =
      '\ufefforigin_id,destination_id,cost\r\n"C,1",K1,420\r\n"C""2",K1,inf\r\nC3,"K\n2",0x10\r\nC3,"K\n2",7\r\nC3,"K\n2",8\r\n';
    const whole = readInPieces(text, []);
    expect(rowsOf(whole)).toEqual([
      { origin_id: 'C,1', destination_id: 'K1', cost: 420 },
      { origin_id: 'C3', destination_id: 'K\n2', cost: 7 },
    ]);
    expect(whole.unreachable).toBe(1);
    // Lines as an editor numbers them: the quoted line break makes each C3 row two lines.
    expect(whole.rejected.map((r) => r.reason)).toEqual([
      'line 4: cost must be a plain decimal number >= 0, got "0x10"',
      'line 8: duplicate pair C3 → K\n2 (first on line 6)',
    ]);
    for (let cut = 0; cut <= text.length; cut++) {
      const pieces = readInPieces(text, [cut]);
      expect(rowsOf(pieces)).toEqual(rowsOf(whole));
      expect(pieces.rejected).toEqual(whole.rejected);
    }
  });

  it('gives the same rows, rejections and unreachable count however the text is cut', () => {
    const id = fc.constantFrom('C1', 'C2', '"C,3"', 'K1', 'K2', '"K""4"', '');
    const cost = fc.constantFrom('420', '0.5', '', 'inf', 'null', '-1', 'abc', '0x10', '1e999', '"12"');
    const row = fc.tuple(id, id, cost).map(([o, d, c]) => `${o},${d},${c}`);
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 30 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 6 }),
        (rows, eol, cutSeeds) => {
          const text = ['origin_id,destination_id,cost', ...rows].join(eol) + eol;
          const cuts = cutSeeds.map((c) => c % (text.length + 1));
          const pieces = readInPieces(text, cuts);
          const whole = parseCostMatrixCsv(text, 'od.csv');
          expect(rowsOf(pieces)).toEqual(whole.rows);
          expect(pieces.rejected).toEqual(whole.rejected);
          expect(pieces.unreachable).toBe(whole.unreachable);
        },
      ),
    );
  });

  it('stops at a line longer than the limit, naming the line, instead of holding it all', () => {
    const reader = new CostMatrixCsvReader({ file: 'od.csv', maxLineLength: 100 });
    reader.push('origin_id,destination_id,cost\nC1,K1,5\n');
    expect(() => reader.push('x'.repeat(101))).toThrowError(InputError);
    const quoted = new CostMatrixCsvReader({ file: 'od.csv', maxLineLength: 100 });
    quoted.push('origin_id,destination_id,cost\n');
    expect(() => quoted.push(`"C1${'\n'.repeat(200)}`)).toThrowError(
      /od\.csv: line 2 is longer than 100 characters without ending/,
    );
  });

  it('refuses a file without the header, as parseCostMatrixCsv does', () => {
    const reader = new CostMatrixCsvReader({ file: 'od.csv' });
    reader.push('from,to,');
    expect(() => reader.push('cost\nA,B,1\n')).toThrowError(
      'od.csv: the cost matrix header must name the columns',
    );
    expect(() => new CostMatrixCsvReader().end()).toThrowError('the cost matrix is empty');
  });
});
