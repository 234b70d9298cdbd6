import { InputError } from '@lifecircle/core';
import { DEFAULT_LIMITS, LimitError, type ReadLimits } from '../limits.js';

/** Rows of raw cells and the spreadsheet row each was on (from 1). */
export interface RawTable {
  readonly cells: string[][];
  readonly rows: number[];
  readonly delimiter: string;
}

const CANDIDATE_DELIMITERS = [',', '\t', ';', '|'] as const;

/**
 * The delimiter of a delimited text: the candidate (comma, tab, semicolon, bar) found most often
 * outside quotes in its first line; a comma when none is.
 */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(CANDIDATE_DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',';
  for (const d of CANDIDATE_DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/**
 * Splits CSV or TSV text into rows of cells (RFC 4180: quoted cells may hold delimiters, doubled
 * quotes and line breaks). Rows are numbered as a spreadsheet shows them: a line break inside quotes
 * does not start a row, an empty line is a row. Empty rows are left out of `cells`. Excel's `sep=;`
 * first line sets the delimiter and is not a row. A row longer than `limits.maxLineLength` characters
 * or wider than `limits.maxColumns` cells is a {@link LimitError}, found as soon as it is passed.
 *
 * @example
 * parseDelimited('id,name\n1,"a, b"\n', 'x.csv').cells; // [['id', 'name'], ['1', 'a, b']]
 */
export function parseDelimited(
  text: string,
  file: string,
  delimiter?: string,
  limits: ReadLimits = DEFAULT_LIMITS,
): RawTable {
  let start = 0;
  const sep = /^sep=(.)\r?\n/.exec(text);
  if (sep) {
    delimiter ??= sep[1]!;
    start = sep[0].length;
  }
  const d = delimiter ?? detectDelimiter(text.slice(start, start + 65536));
  const cells: string[][] = [];
  const rows: number[] = [];
  let row: string[] = [];
  let cell = '';
  // Whether the cell so far is only blanks, where a quote opens a quoted cell (kept, not recomputed,
  // so that a long cell full of quotes stays linear).
  let blank = true;
  let rowNumber = 1;
  let quotedFrom = -1;
  let i = start;
  let rowStart = start;
  const tooLong = () =>
    new LimitError(
      file,
      `row ${rowNumber} is longer than ${limits.maxLineLength.toLocaleString('en-US')} characters${
        quotedFrom >= 0
          ? ` (inside a quoted cell opened on row ${quotedFrom}: a lone " may swallow the rest of the file)`
          : ''
      }`,
      'maxLineLength',
      limits.maxLineLength,
    );
  const pushCell = () => {
    row.push(cell);
    cell = '';
    blank = true;
    if (row.length > limits.maxColumns) {
      throw new LimitError(
        file,
        `row ${rowNumber} has more than ${limits.maxColumns.toLocaleString('en-US')} cells`,
        'maxColumns',
        limits.maxColumns,
      );
    }
  };
  const endRow = () => {
    pushCell();
    if (row.length > 1 || row[0] !== '') {
      cells.push(row);
      rows.push(rowNumber);
    }
    row = [];
    rowNumber++;
  };
  while (i < text.length) {
    if (i - rowStart > limits.maxLineLength) throw tooLong();
    const c = text[i]!;
    if (quotedFrom >= 0) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quotedFrom = -1;
        blank = cell.trim() === '';
      } else cell += c;
      i++;
    } else if (c === '"' && blank) {
      cell = '';
      quotedFrom = rowNumber;
      i++;
    } else if (c === d) {
      pushCell();
      i++;
    } else if (c === '\n' || c === '\r') {
      endRow();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      rowStart = i;
    } else {
      cell += c;
      if (blank && c.trim() !== '') blank = false;
      i++;
    }
  }
  if (quotedFrom >= 0) {
    throw new InputError(
      file,
      `a quoted cell opened on row ${quotedFrom} is never closed (a lone " swallows the rest of the file).`,
    );
  }
  if (cell !== '' || row.length > 0) endRow();
  return { cells, rows, delimiter: d };
}
