import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '@lifecircle/core';

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

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? value.join(';') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV text for Excel: UTF-8 with a byte-order mark (so Chinese names display), CRLF line ends,
 * RFC 4180 quoting.
 */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
