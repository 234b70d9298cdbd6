import { InputError, OptionError, type Warning } from '@lifecircle/core';
import { zipSync } from 'fflate';
import { DEFAULT_LIMITS, LimitError, type ReadLimits } from '../limits.js';
import { LIBRARY_WORDING, type OptionWording, type ReadWarning } from '../read/hints.js';
import type { Cell } from '../read/types.js';
import { unzipEntries } from '../zip/zip.js';

/** The cells of one worksheet, from A1, and the warnings of choosing it. */
export interface Worksheet {
  readonly name: string;
  readonly cells: Cell[][];
  readonly warnings: Warning[];
}

function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    // Excel dates have no zone; read-excel-file gives them as UTC midnight (plus the time of day).
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace(/\.000Z$/, 'Z');
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

/** A column's number from its letters: A = 1, Z = 26, AA = 27, XFD = 16,384. */
function columnNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n;
}

// A cell's or row's address in a worksheet's XML: `<c r="XFD1048576" …>`, `<row r="12" …>`.
const CELL_ADDRESS = /<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,7})(\d{1,10})"/g;
const ROW_ADDRESS = /<(?:\w+:)?row\s[^>]*?\br="(\d{1,10})"/g;
const ROW_TAG = /<(?:\w+:)?row[\s>/]/;
const CELL_TAG = /<(?:\w+:)?c[\s>/]/g;

/**
 * Checks the size of every worksheet before read-excel-file sees the workbook: it fills a sheet's
 * rows and columns out to its last cell, so one cell at XFD1048576 in a 2 KB file would become
 * seventeen billion. The archive's entries are held to the unpacking limits as well.
 */
function checkWorkbookSize(bytes: Uint8Array, file: string, limits: ReadLimits): Uint8Array {
  const { files } = unzipEntries(
    bytes,
    file,
    (name) => name !== '',
    limits,
    'XLSX workbook (its zip archive is damaged; save it again from Excel or WPS as .xlsx, or export the sheet as CSV)',
  );
  // read-excel-file spends tens of seconds on an archive whose directory is garbled; without its
  // workbook part, it is not a workbook anyway.
  if (!files.has('xl/workbook.xml') || !files.has('[Content_Types].xml')) {
    throw new InputError(
      file,
      'is not a readable XLSX workbook: its archive has no xl/workbook.xml or [Content_Types].xml (a damaged file?). Save it from Excel or WPS as .xlsx, or export the sheet as CSV.',
    );
  }
  const decoder = new TextDecoder('utf-8');
  for (const [name, data] of files) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/i.test(name)) continue;
    const xml = decoder.decode(data);
    let rows = 0;
    let columns = 0;
    let deepest = '';
    for (const match of xml.matchAll(CELL_ADDRESS)) {
      const column = columnNumber(match[1]!);
      const row = Number(match[2]);
      if (column > columns) columns = column;
      if (row > rows) rows = row;
      if (column >= columns && row >= rows) deepest = `${match[1]}${match[2]}`;
    }
    for (const match of xml.matchAll(ROW_ADDRESS)) rows = Math.max(rows, Number(match[1]));
    // Addresses are optional: rows and cells without one follow the one before, so their counts
    // bound the sheet too.
    const rowTexts = xml.split(ROW_TAG);
    rows = Math.max(rows, rowTexts.length - 1);
    for (let r = 1; r < rowTexts.length; r++) {
      columns = Math.max(columns, rowTexts[r]!.match(CELL_TAG)?.length ?? 0);
    }
    const sheet = name.replace(/^xl\/worksheets\//i, '').replace(/\.xml$/i, '');
    const at = deepest ? ` (its last cell is ${deepest})` : '';
    const refuseOver = (reached: number, what: string, limit: 'maxSheetRows' | 'maxSheetColumns') => {
      if (reached > limits[limit]) {
        throw new LimitError(
          file,
          `worksheet ${sheet} reaches ${what} ${reached}${at}`,
          limit,
          limits[limit],
        );
      }
    };
    refuseOver(rows, 'row', 'maxSheetRows');
    refuseOver(columns, 'column', 'maxSheetColumns');
    if (rows * columns > limits.maxSheetCells) {
      throw new LimitError(
        file,
        `worksheet ${sheet} spans ${rows} rows by ${columns} columns (${(rows * columns).toLocaleString('en-US')} cells)${at}`,
        'maxSheetCells',
        limits.maxSheetCells,
      );
    }
  }
  // read-excel-file unpacks the archive again with its own reader, which trusts the sizes in each
  // entry's local header; a damaged one made it allocate gigabytes. It gets the entries checked
  // here instead, stored (not compressed) in a fresh archive with consistent headers.
  return zipSync(Object.fromEntries(files), { level: 0 });
}

/** Every worksheet of a workbook with its cells, after the size checks; never none. */
async function readSheets(
  bytes: Uint8Array,
  file: string,
  limits: ReadLimits,
): Promise<{ sheet: string; data: unknown[][] }[]> {
  const checked = checkWorkbookSize(bytes, file, limits);
  // Loaded on first use, like the readers of the other rarer formats: importing it costs every run
  // of the CLI about 0.1 s of start-up, and most inputs are not workbooks.
  const { default: readXlsxFile } = await import('read-excel-file/universal');
  let sheets: { sheet: string; data: unknown[][] }[];
  try {
    // An ArrayBuffer of exactly these bytes: a Node Buffer may be a view into a larger pool.
    const buffer = checked.buffer.slice(
      checked.byteOffset,
      checked.byteOffset + checked.byteLength,
    ) as ArrayBuffer;
    sheets = (await readXlsxFile(buffer, { trim: true })) as unknown as {
      sheet: string;
      data: unknown[][];
    }[];
  } catch (error) {
    throw new InputError(
      file,
      `is not a readable XLSX workbook (${(error as Error).message || String(error)}). Save it from Excel or WPS as .xlsx, or export the sheet as CSV.`,
    );
  }
  if (sheets.length === 0) throw new InputError(file, 'has no worksheets.');
  return sheets;
}

/** The names of a workbook's worksheets, in order (the first is what is read by default). */
export async function listWorksheets(
  bytes: Uint8Array,
  file: string,
  limits: ReadLimits = DEFAULT_LIMITS,
): Promise<string[]> {
  return (await readSheets(bytes, file, limits)).map((s) => s.sheet);
}

/**
 * Reads one worksheet of an XLSX workbook with read-excel-file (pure JavaScript, for Node and browsers;
 * no prototype-polluting or ReDoS-prone parser), after checking each sheet's size and the archive's
 * against the {@link ReadLimits}. `layer` names the sheet; by default the first, with a warning when
 * there are others.
 */
export async function readWorksheet(
  bytes: Uint8Array,
  file: string,
  layer?: string,
  limits: ReadLimits = DEFAULT_LIMITS,
  wording: OptionWording = LIBRARY_WORDING,
): Promise<Worksheet> {
  const sheets = await readSheets(bytes, file, limits);
  const names = sheets.map((s) => s.sheet);
  let chosen = sheets[0]!;
  const warnings: Warning[] = [];
  if (layer !== undefined) {
    const named =
      sheets.find((s) => s.sheet === layer) ?? sheets.find((s) => s.sheet.trim() === layer.trim());
    if (!named) {
      throw new OptionError(
        'layer',
        `${file} has no sheet '${layer}'; its sheets are ${names.map((n) => `'${n}'`).join(', ')}.`,
      );
    }
    chosen = named;
  } else if (sheets.length > 1) {
    warnings.push({
      code: 'layer-chosen',
      file,
      message: `read the first sheet '${chosen.sheet}'; the workbook also has ${names
        .slice(1)
        .map((n) => `'${n}'`)
        .join(', ')} (choose one with ${wording({ option: 'layer' })})`,
      hint: { option: 'layer' },
    } as ReadWarning);
  }
  return { name: chosen.sheet, cells: chosen.data.map((row) => row.map(cellOf)), warnings };
}
