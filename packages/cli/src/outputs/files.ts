import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatCsv, InputError } from '@lifecircle/core';

/** Writes a file, creating its folder; a path that cannot be written is the user's to fix. */
export function writeTextFile(path: string, text: string): void {
  writeBytesFile(path, text);
}

/** Writes bytes (a zipped shapefile) or text, creating the folder, as {@link writeTextFile}. */
export function writeBytesFile(path: string, text: string | Uint8Array): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? `a file stands where its folder ${dirname(path)} should be`
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (code ?? String(error));
    throw new InputError(path, `cannot be written: ${why}.`);
  }
}

/**
 * CSV text of records for spreadsheets, in the order of `columns`: core's {@link formatCsv} (UTF-8
 * with a byte-order mark, CRLF line ends, RFC 4180 quoting, text cells that would run as formulas
 * prefixed with `'`), the same writer as the viewer's exports.
 */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  return formatCsv(
    columns,
    rows.map((row) => columns.map((column) => row[column])),
  );
}
