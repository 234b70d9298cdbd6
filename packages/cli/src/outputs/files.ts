import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { csvChunks, formatCsv, InputError } from '@lifecircle/core';

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
    throw unwritable(path, error);
  }
}

/** Text gathered before each write of {@link writeChunksFile}: few system calls, little held. */
const WRITE_CHUNK_CHARS = 1 << 20;

/**
 * Writes text pieces to a file as they come, about a megabyte at a time, creating the folder, as
 * {@link writeTextFile}: an output of any size (a million communities' GeoJSON is larger than the
 * longest string JavaScript can hold) is never one string.
 */
export function writeChunksFile(path: string, chunks: Iterable<string>): void {
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'w');
  } catch (error) {
    throw unwritable(path, error);
  }
  try {
    let pending = '';
    for (const chunk of chunks) {
      pending += chunk;
      if (pending.length >= WRITE_CHUNK_CHARS) {
        writeSync(fd, pending);
        pending = '';
      }
    }
    if (pending.length > 0) writeSync(fd, pending);
  } catch (error) {
    if (error instanceof Error && 'code' in error) throw unwritable(path, error);
    throw error;
  } finally {
    closeSync(fd);
  }
}

/** The user's message for a file that cannot be written. */
function unwritable(path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EEXIST' || code === 'ENOTDIR'
      ? `a file stands where its folder ${dirname(path)} should be`
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'a folder of that name stands in its place'
          : code === 'ENOSPC'
            ? 'the disk is full'
            : (code ?? String(error));
  return new InputError(path, `cannot be written: ${why}.`);
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

/** {@link toCsv}'s text in pieces, row by row, for {@link writeChunksFile}: the same bytes. */
export function* csvChunksOf(
  columns: readonly string[],
  rows: Iterable<Readonly<Record<string, unknown>>>,
): Generator<string> {
  function* cells(): Generator<unknown[]> {
    for (const row of rows) yield columns.map((column) => row[column]);
  }
  yield* csvChunks(columns, cells());
}

/**
 * `JSON.stringify(collection)`'s text in pieces, one feature at a time, for {@link writeChunksFile}:
 * the same bytes, without the whole layer as one string (a large city's layer is longer than the
 * longest string JavaScript can hold).
 */
export function* featureCollectionChunks(
  collection: Readonly<Record<string, unknown>> & { readonly features: readonly unknown[] },
): Generator<string> {
  let separator = '';
  yield '{';
  for (const [key, value] of Object.entries(collection)) {
    // JSON.stringify leaves out members it cannot write.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    yield `${separator}${JSON.stringify(key)}:`;
    separator = ',';
    if (key !== 'features' || !Array.isArray(value)) {
      yield JSON.stringify(value);
      continue;
    }
    yield '[';
    for (let i = 0; i < value.length; i++) yield `${i > 0 ? ',' : ''}${JSON.stringify(value[i]) ?? 'null'}`;
    yield ']';
  }
  yield '}';
}
