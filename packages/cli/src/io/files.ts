import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '@lifecircle/core';
import { parseJson } from '@lifecircle/io';

/**
 * The bytes of a file, turning a missing file or a folder into an {@link InputError} that names it and
 * says what was `expected` there.
 */
export function readFileBytes(path: string, expected = 'a GeoJSON file'): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(path, 'file not found.');
    if (code === 'EISDIR') throw new InputError(path, `is a directory, expected ${expected}.`);
    throw new InputError(path, `cannot be read (${code ?? String(error)}).`);
  }
}

/** The bytes of a file beside an input (a shapefile's .dbf), or undefined when there is none. */
export function readFileIfPresent(path: string): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Reads and parses a JSON file, turning a missing file or a syntax error into an {@link InputError}
 * that names the file and the line and column of the problem.
 */
export function readJsonFile(path: string): unknown {
  let text = new TextDecoder('utf-8').decode(readFileBytes(path));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseJson(text, path);
}

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
