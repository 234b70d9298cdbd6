import { readFileSync } from 'node:fs';
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
