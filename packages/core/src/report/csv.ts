/**
 * The one CSV writer of lifecircle, used by the CLI's outputs and the viewer's exports, so that a
 * table downloaded from the viewer and one written by `lifecircle` are the same bytes.
 */

/**
 * First characters that make Excel, WPS and LibreOffice read a text cell as a formula (OWASP's CSV
 * injection list): such cells are written as text, with a leading `'`.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Characters that need a quoted field under RFC 4180. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell as CSV text: empty for null and undefined, a number or boolean as written by `String`
 * (a negative number stays a number), a list joined with `;`, and text that a spreadsheet would run
 * as a formula prefixed with `'` and quoted.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  const text = Array.isArray(value) ? value.join(';') : String(value);
  if (FORMULA_START.test(text)) return `"'${text.replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV text for spreadsheets: UTF-8 with a byte-order mark (so Excel shows Chinese names), CRLF line
 * ends, RFC 4180 quoting, and text cells beginning with `=`, `+`, `-`, `@`, tab or carriage return
 * prefixed with `'` so that no cell runs as a formula (see `csvCell`).
 *
 * @param header - the column names, written as the first line
 * @param rows - one array of cells per line, in the order of `header`
 * @example
 * ```ts
 * formatCsv(['id', 'name'], [['c1', '=1+1']]); // '\ufeffid,name\r\nc1,"\'=1+1"\r\n'
 * ```
 */
export function formatCsv(header: readonly string[], rows: Iterable<readonly unknown[]>): string {
  const pieces: string[] = [];
  for (const piece of csvChunks(header, rows)) pieces.push(piece);
  return pieces.join('');
}

/**
 * {@link formatCsv}'s text in pieces (the byte-order mark and header, then one piece per row, each
 * with its line end), for writing a table of any size to a file without holding it in one string.
 * Joined, the pieces are exactly `formatCsv(header, rows)`.
 *
 * @example
 * ```ts
 * [...csvChunks(['id'], [['c1'], ['c2']])]; // ['\ufeffid\r\n', 'c1\r\n', 'c2\r\n']
 * ```
 */
export function* csvChunks(header: readonly string[], rows: Iterable<readonly unknown[]>): Generator<string> {
  yield `\ufeff${header.map(csvCell).join(',')}\r\n`;
  for (const row of rows) yield `${row.map(csvCell).join(',')}\r\n`;
}
