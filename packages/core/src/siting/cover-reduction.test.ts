// The covering reductions against brute force: on random small covering instances, the fewest
// columns that cover every row is the same before and after, and a fewest cover of what is left
// covers every original row.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CoverRows, reduceCover } from './cover-reduction.js';

/** Rows as column lists to CSR (each row's columns sorted and distinct). */
function csr(rows: readonly (readonly number[])[]): CoverRows {
  const start = [0];
  const col: number[] = [];
  for (const row of rows) {
    col.push(...[...new Set(row)].sort((a, b) => a - b));
    start.push(col.length);
  }
  return { start: Uint32Array.from(start), col: Uint32Array.from(col) };
}

function rowsOf(c: CoverRows): number[][] {
  return Array.from({ length: c.start.length - 1 }, (_, i) =>
    Array.from(c.col.subarray(c.start[i]!, c.start[i + 1]!)),
  );
}

const bits = (mask: number, nCols: number) =>
  Array.from({ length: nCols }, (_, j) => j).filter((j) => (mask >> j) & 1);

/** Every column set (as a bit mask over `allowed`) that covers every row, fewest first. */
function covers(rows: readonly (readonly number[])[], nCols: number, allowed: readonly number[]): number[] {
  const found: number[] = [];
  for (let mask = 0; mask < 1 << nCols; mask++) {
    if (bits(mask, nCols).some((j) => !allowed.includes(j))) continue;
    if (rows.every((row) => row.some((j) => (mask >> j) & 1))) found.push(mask);
  }
  const size = (m: number) => bits(m, nCols).length;
  return found.sort((a, b) => size(a) - size(b));
}

const instance = fc.integer({ min: 1, max: 8 }).chain((nCols) =>
  fc.record({
    nCols: fc.constant(nCols),
    rows: fc.array(
      fc.uniqueArray(fc.integer({ min: 0, max: nCols - 1 }), { minLength: 1, maxLength: nCols }),
      {
        minLength: 0,
        maxLength: 14,
      },
    ),
  }),
);

describe('reduceCover', () => {
  it('keeps the fewest cover and every fewest cover of the reduced rows covers the original ones', () => {
    fc.assert(
      fc.property(instance, fc.boolean(), ({ nCols, rows }, dropColumns) => {
        const all = Array.from({ length: nCols }, (_, j) => j);
        const before = covers(rows, nCols, all);
        const reduced = reduceCover(csr(rows), nCols, dropColumns);
        const kept = all.filter((j) => reduced.columns[j] === 1);
        const left = rowsOf(reduced.rows);
        // What is left is part of the original: rows among its rows, columns among theirs.
        for (const row of left) {
          expect(rows.some((r) => row.every((j) => r.includes(j)))).toBe(true);
          expect(row.every((j) => kept.includes(j))).toBe(true);
        }
        if (!dropColumns) expect(kept).toEqual(all.filter((j) => rows.some((r) => r.includes(j))));
        const after = covers(left, nCols, kept);
        const size = (m: number | undefined) => (m === undefined ? -1 : bits(m, nCols).length);
        expect(size(after[0])).toBe(size(before[0]));
        for (const mask of after.filter((m) => size(m) === size(after[0]))) {
          expect(rows.every((row) => row.some((j) => (mask >> j) & 1))).toBe(true);
        }
      }),
      { numRuns: 400, seed: 16 },
    );
  });

  it('drops a row that another implies and a column another dominates', () => {
    // Row 1 ⊇ row 0, so row 1 goes; column 2 covers only row 0, which column 0 covers too.
    const reduced = reduceCover(csr([[0, 2], [0, 1, 2], [1]]), 3, true);
    expect(rowsOf(reduced.rows)).toEqual([[0], [1]]);
    expect(Array.from(reduced.columns)).toEqual([1, 1, 0]);
    // Equal rows keep one; equal columns keep the first.
    const equal = reduceCover(
      csr([
        [0, 1],
        [0, 1],
      ]),
      2,
      true,
    );
    expect(rowsOf(equal.rows)).toEqual([[0]]);
    expect(Array.from(equal.columns)).toEqual([1, 0]);
  });
});
