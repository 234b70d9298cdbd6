import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { InputError } from '@lifecircle/core';
import { type ByteRangeSource, parseJson } from '@lifecircle/io';

/**
 * The bytes of a file, turning a missing file or a folder into an {@link InputError} that names it and
 * says what was `expected` there.
 */
export function readFileBytes(path: string, expected = 'a GeoJSON file'): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw unreadable(path, expected, error);
  }
}

/**
 * At most the first `length` bytes of a file (enough to tell its format), with the errors of
 * {@link readFileBytes}.
 */
export function readFileHead(path: string, length: number, expected = 'a GeoJSON file'): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = new Uint8Array(Math.min(length, fstatSync(fd).size));
    const read = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, read);
  } catch (error) {
    throw unreadable(path, expected, error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function unreadable(path: string, expected: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(path, 'file not found.');
  if (code === 'EISDIR') return new InputError(path, `is a directory, expected ${expected}.`);
  return new InputError(path, `cannot be read (${code ?? String(error)}).`);
}

/**
 * Calls `use` with a file read by byte ranges (a raster larger than memory: only the ranges asked
 * for are read), closing the file afterwards; a missing file or a folder is an {@link InputError}
 * as {@link readFileBytes} gives it.
 */
export async function withFileRanges<T>(
  path: string,
  expected: string,
  use: (source: ByteRangeSource) => Promise<T>,
): Promise<T> {
  let fd: number;
  let byteLength: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw unreadable(path, expected, error);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw unreadable(path, expected, { code: 'EISDIR' });
    byteLength = stat.size;
    return await use({
      byteLength,
      read: async (offset, length) => {
        const bytes = new Uint8Array(Math.max(0, Math.min(length, byteLength - offset)));
        let done = 0;
        while (done < bytes.length) {
          const read = readSync(fd, bytes, done, bytes.length - done, offset + done);
          if (read === 0) break;
          done += read;
        }
        return done === bytes.length ? bytes : bytes.subarray(0, done);
      },
    });
  } finally {
    closeSync(fd);
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
