import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '@lifecircle/core';
import { type ParseError, parse as parseTolerant, printParseErrorCode } from 'jsonc-parser';

/**
 * Reads and parses a JSON file, turning a missing file or a syntax error into an {@link InputError}
 * that names the file and the line and column of the problem.
 */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(path, 'file not found.');
    if (code === 'EISDIR') throw new InputError(path, 'is a directory, expected a GeoJSON file.');
    throw new InputError(path, `cannot be read (${code ?? String(error)}).`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(path, `is not valid JSON${describeJsonError(text)}`);
  }
}

// JSON.parse on Node 20 often names no position ("Unexpected token 'N'"), so the text is parsed
// again with a parser that reports offsets, only to say where the first problem is.
function describeJsonError(text: string): string {
  const errors: ParseError[] = [];
  parseTolerant(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  const first = errors[0];
  if (!first) return '';
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  const found = text.slice(first.offset, first.offset + Math.max(1, Math.min(first.length, 20)));
  const what = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return ` at line ${line}, column ${column}: ${what}${found.trim() ? ` (found ${JSON.stringify(found)})` : ''}`;
}

/** Writes a file, creating its folder; a path that cannot be written is the user's to fix. */
export function writeTextFile(path: string, text: string): void {
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
