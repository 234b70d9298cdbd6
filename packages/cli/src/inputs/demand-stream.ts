import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type DemandColumns, InputError } from '@lifecircle/core';
import { DEFAULT_LIMITS, DemandLinesReader, type ReadLimits } from '@lifecircle/io';

/** Extensions of GeoJSON lines, the demand format read as a stream (docs/formats.md). */
const LINES_EXTENSION = /\.(geojsonl|geojsons|geojsonseq|ndjson|jsonl)$/i;

/** Whether a demand file is GeoJSON lines by its name, and so read as a stream into typed columns. */
export function isDemandLinesFile(path: string): boolean {
  return LINES_EXTENSION.test(path);
}

/** Bytes read at a time: few system calls, and little beside the columns. */
const PIECE_BYTES = 4 << 20;

/** How far a streamed reading is, for progress: bytes read of the file's size, points kept. */
export interface StreamProgress {
  readonly bytes: number;
  readonly totalBytes: number;
  readonly points: number;
}

/**
 * Reads a GeoJSON-lines demand file a few megabytes at a time into typed columns (issue #16: a
 * province's 20 million points as features would not fit in memory), calling `progress` after each
 * piece. Null when the file is not UTF-8: the caller then reads it the usual way, which detects GBK.
 */
export function readDemandLinesFile(
  path: string,
  limits: ReadLimits = DEFAULT_LIMITS,
  progress: (state: StreamProgress) => void = () => {},
): DemandColumns | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(path, code === 'ENOENT' ? 'file not found.' : `cannot be read (${code}).`);
  }
  try {
    const totalBytes = fstatSync(fd).size;
    const reader = new DemandLinesReader(path, limits);
    const buffer = new Uint8Array(PIECE_BYTES);
    let bytes = 0;
    try {
      for (;;) {
        const read = readSync(fd, buffer, 0, buffer.length, null);
        if (read === 0) break;
        bytes += read;
        // The reader keeps nothing of a piece beyond its unfinished last line, so one buffer serves.
        reader.pushBytes(buffer.subarray(0, read));
        progress({ bytes, totalBytes, points: reader.points });
      }
      return reader.end();
    } catch (error) {
      if (error instanceof TypeError) return null;
      throw error;
    }
  } finally {
    closeSync(fd);
  }
}
