import type { Rejection, Warning } from '@lifecircle/core';
import type { Cell, TableRead } from '../read/types.js';

// A plain decimal number as spreadsheets write it: no thousands separators, no units.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// "0012" is a code, not twelve: a leading zero before another digit keeps a column as text.
const LEADING_ZERO = /^[+-]?0\d/;
// More significant digits than a double holds exactly (ID card, credit or phone numbers) keep a column as text.
const MAX_EXACT_DIGITS = 15;
// Columns that name or code things stay text even when every value is a number: an id is a label.
// AMap's typecode, adcode and citycode, and a bureau's ADMINCODE, are codes written in one word.
const ID_LIKE =
  /(^|[\s_.-])(id|fid|gid|oid|code|no|num)$|^(id|fid|code)[\s_.-]|^(type|ad|admin|city|area)code$|编码|代码|编号|邮编|电话|手机|phone|tel|zip|postcode/i;

/**
 * A number written as plain decimal text, or NaN: `0x10`, `1e`, `Infinity`, `NaN`, `1,000` and a
 * number too large for a double (`1e400`) are not numbers here.
 */
export function decimalValue(text: string): number {
  const t = text.trim();
  if (!DECIMAL.test(t)) return Number.NaN;
  const value = Number(t);
  return Number.isFinite(value) ? value : Number.NaN;
}

function numericText(text: string): boolean {
  const t = text.trim();
  if (!DECIMAL.test(t) || LEADING_ZERO.test(t) || !Number.isFinite(Number(t))) return false;
  const digits = t
    .replace(/[eE].*$/, '')
    .replace(/\D/g, '')
    .replace(/^0+/, '');
  return digits.length <= MAX_EXACT_DIGITS;
}

// A warning lists this many renamed columns, then says how many more: a header of 40,000 copies
// of one name must not become a message of 40,000 names.
const RENAMES_LISTED = 10;

/**
 * Column names from a header row: trimmed, a blank name becomes `column_N` (its position from 1) and a
 * repeated one `name_2`, each with a warning so the user knows the name to use.
 */
export function columnNames(
  header: readonly Cell[],
  file: string,
): { columns: string[]; warnings: Warning[] } {
  const columns: string[] = [];
  const renamed: string[] = [];
  const seen = new Set<string>();
  // The next suffix to try for each repeated name, so that 40,000 copies of one name stay linear.
  const nextSuffix = new Map<string, number>();
  header.forEach((raw, c) => {
    const text = raw === null ? '' : String(raw).trim();
    const base = text === '' ? `column_${c + 1}` : text;
    let name = base;
    if (seen.has(name)) {
      let k = nextSuffix.get(base) ?? 2;
      while (seen.has(`${base}_${k}`)) k++;
      name = `${base}_${k}`;
      nextSuffix.set(base, k + 1);
    }
    if (name !== text) renamed.push(text === '' ? `blank column ${c + 1} → ${name}` : `'${text}' → ${name}`);
    seen.add(name);
    columns.push(name);
  });
  const warnings: Warning[] =
    renamed.length === 0
      ? []
      : [
          {
            code: 'column-renamed',
            file,
            message: `header names were blank or repeated, so columns were renamed: ${renamed
              .slice(0, RENAMES_LISTED)
              .join(
                ', ',
              )}${renamed.length > RENAMES_LISTED ? ` and ${renamed.length - RENAMES_LISTED} more` : ''}`,
          },
        ];
  return { columns, warnings };
}

/**
 * Turns rows of cells (the first being the header) into records. A column becomes numbers when every
 * non-empty value is a plain decimal number, none with a leading zero and none longer than a double
 * holds, and its name does not mark it as an id or code; otherwise its numbers become text, so one
 * column has one type. A row with non-empty values beyond the header's columns is rejected rather than
 * losing them.
 */
export function tableFromCells(
  file: string,
  format: TableRead['format'],
  cells: readonly (readonly Cell[])[],
  rowNumbers: readonly number[],
  encoding: string | null,
  warnings: Warning[],
): TableRead {
  const header = cells[0] ?? [];
  const { columns, warnings: headerWarnings } = columnNames(header, file);
  const rejected: Rejection[] = [];
  const kept: { cells: readonly Cell[]; row: number; index: number }[] = [];
  for (let r = 1; r < cells.length; r++) {
    const row = cells[r]!;
    const index = r - 1;
    const extra = row.slice(columns.length).filter((v) => v !== null && String(v).trim() !== '');
    if (extra.length > 0) {
      rejected.push({
        file,
        index,
        row: rowNumbers[r]!,
        id: null,
        field: `column ${columns.length + 1}`,
        reason: `has ${columns.length + extra.length} or more values but the header names ${columns.length} columns (a delimiter inside an unquoted cell?)`,
      });
      continue;
    }
    kept.push({ cells: row, row: rowNumbers[r]!, index });
  }
  const numeric = columns.map((name, c) => {
    if (ID_LIKE.test(name)) return false;
    let any = false;
    for (const { cells: row } of kept) {
      const v = row[c] ?? null;
      if (v === null || (typeof v === 'string' && v.trim() === '')) continue;
      if (typeof v === 'boolean' || (typeof v === 'string' && !numericText(v))) return false;
      any = true;
    }
    return any;
  });
  const records = kept.map(({ cells: row }) => {
    const record: Record<string, Cell> = {};
    columns.forEach((name, c) => {
      const v = row[c] ?? null;
      let value: Cell;
      if (v === null || (typeof v === 'string' && v.trim() === '')) value = null;
      else if (numeric[c]) value = typeof v === 'number' ? v : Number(String(v).trim());
      else value = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : v;
      setOwnProperty(record, name, value);
    });
    return record;
  });
  return {
    file,
    format,
    columns,
    records,
    rows: kept.map((k) => k.row),
    index: kept.map((k) => k.index),
    encoding,
    rejected,
    warnings: [...warnings, ...headerWarnings],
  };
}

/**
 * Sets `record[key]` as the record's own property. A plain assignment to a column named `__proto__`
 * would set the record's prototype (or, with a text value, be dropped without a word); a column of
 * that name is kept like any other.
 */
export function setOwnProperty<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}
