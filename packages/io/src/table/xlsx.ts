import { InputError, OptionError, type Warning } from '@lifecircle/core';
import readXlsxFile from 'read-excel-file/universal';
import type { Cell } from '../read/types.js';

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

/**
 * Reads one worksheet of an XLSX workbook with read-excel-file (pure JavaScript, for Node and browsers;
 * no prototype-polluting or ReDoS-prone parser). `layer` names the sheet; by default the first, with
 * a warning when there are others.
 */
export async function readWorksheet(bytes: Uint8Array, file: string, layer?: string): Promise<Worksheet> {
  let sheets: { sheet: string; data: unknown[][] }[];
  try {
    // An ArrayBuffer of exactly these bytes: a Node Buffer may be a view into a larger pool.
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
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
        .join(', ')} (choose one with --layer)`,
    });
  }
  return { name: chosen.sheet, cells: chosen.data.map((row) => row.map(cellOf)), warnings };
}
