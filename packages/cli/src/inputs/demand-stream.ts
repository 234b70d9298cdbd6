import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type DemandColumns, InputError, type Rejection } from '@lifecircle/core';
import { DemandPointValidator } from '@lifecircle/core/internal';
import {
  DEFAULT_LIMITS,
  DemandLinesReader,
  type FeatureRead,
  FlatGeobufDemandReader,
  FlatGeobufFeatureStream,
  type InputRead,
  type ReadLimits,
  recordStart,
} from '@lifecircle/io';
import type { Feature, FeatureCollection } from 'geojson';

/** Extensions of GeoJSON lines, the demand format read as a stream (docs/formats.md). */
const LINES_EXTENSION = /\.(geojsonl|geojsons|geojsonseq|ndjson|jsonl)$/i;

/** Whether a demand file is GeoJSON lines by its name, and so read as a stream into typed columns. */
export function isDemandLinesFile(path: string): boolean {
  return LINES_EXTENSION.test(path);
}

/** Whether a demand file is FlatGeobuf by its name, and so read as a stream into typed columns. */
export function isDemandFlatGeobufFile(path: string): boolean {
  return /\.fgb$/i.test(path);
}

/** Bytes read at a time: few system calls, and little beside the columns. */
const PIECE_BYTES = 4 << 20;

/** How far a streamed reading is, for progress: bytes read of the file's size, points kept. */
export interface StreamProgress {
  readonly bytes: number;
  readonly totalBytes: number;
  readonly points: number;
}

/** A demand file read as a stream: its columns, and the lines that were not features. */
export interface StreamedDemand {
  /** The points, with the features the validator rejected and its warnings. */
  readonly columns: DemandColumns;
  /** The lines rejected before they were features (not JSON, beyond a limit), as a reader's own. */
  readonly linesRejected: readonly Rejection[];
}

function openInput(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(path, code === 'ENOENT' ? 'file not found.' : `cannot be read (${code}).`);
  }
}

/** Calls `piece` with the file's bytes a few megabytes at a time (one buffer, reused), until it returns false. */
function eachPiece(
  path: string,
  piece: (bytes: Uint8Array, totalBytes: number) => boolean | undefined,
): void {
  const fd = openInput(path);
  try {
    const totalBytes = fstatSync(fd).size;
    const buffer = new Uint8Array(PIECE_BYTES);
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0 || piece(buffer.subarray(0, read), totalBytes) === false) break;
    }
  } finally {
    closeSync(fd);
  }
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
): StreamedDemand | null {
  const reader = new DemandLinesReader(path, limits);
  let bytes = 0;
  try {
    eachPiece(path, (piece, totalBytes) => {
      bytes += piece.length;
      // The reader keeps nothing of a piece beyond its unfinished last line, so one buffer serves.
      reader.pushBytes(piece);
      progress({ bytes, totalBytes, points: reader.points });
      return true;
    });
    const columns = reader.end();
    const linesRejected = [...reader.linesRejected];
    // The lines go with the reading's rejections, the features' with validation's, as readInput's.
    return { columns: { ...columns, rejected: columns.rejected.slice(linesRejected.length) }, linesRejected };
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
}

/**
 * Reads a FlatGeobuf demand file a few megabytes at a time into typed columns, feature by feature,
 * calling `progress` after each piece; what it rejects and warns about is what reading the whole file
 * and validating it give.
 */
export function readDemandFlatGeobufFile(
  path: string,
  limits: ReadLimits = DEFAULT_LIMITS,
  progress: (state: StreamProgress) => void = () => {},
): StreamedDemand {
  let reader: FlatGeobufDemandReader | undefined;
  let bytes = 0;
  eachPiece(path, (piece, totalBytes) => {
    reader ??= new FlatGeobufDemandReader(path, limits, totalBytes);
    bytes += piece.length;
    // The reader keeps a copy of the unfinished feature only, so one buffer serves.
    reader.pushBytes(piece);
    progress({ bytes, totalBytes, points: reader.points });
    return true;
  });
  reader ??= new FlatGeobufDemandReader(path, limits, 0);
  return { columns: reader.end(), linesRejected: [] };
}

/**
 * The first features of a FlatGeobuf file (up to `maxFeatures`, after its header), as reading the
 * whole file gives them, to see what the usual reading makes of its columns and coordinate system.
 */
export function readFlatGeobufStart(path: string, maxFeatures: number, limits: ReadLimits): FeatureRead {
  const features: Feature[] = [];
  let stream: FlatGeobufFeatureStream | undefined;
  eachPiece(path, (piece, totalBytes) => {
    stream ??= new FlatGeobufFeatureStream(path, limits, totalBytes);
    stream.push(piece, (feature) => {
      if (features.length < maxFeatures) features.push(feature);
    });
    return features.length < maxFeatures;
  });
  // A file that ended before its sample was full is checked to its end, as reading it whole checks it.
  if (features.length < maxFeatures) (stream ?? new FlatGeobufFeatureStream(path, limits, 0)).end();
  return {
    file: path,
    format: 'flatgeobuf',
    collection: { type: 'FeatureCollection', features } as FeatureCollection,
    crs: stream?.crs ?? null,
    encoding: null,
    rejected: [],
    warnings: [],
    origins: null,
  };
}

/**
 * Ids for problems that name a streamed FlatGeobuf demand file's features by index only (points no
 * community takes, found after reading): the file is read again, once, for those features' ids, as
 * reading it whole names them (its `id` column, else the feature's number).
 */
export function locateFlatGeobufRecords<T extends { readonly index?: number; readonly id?: string | null }>(
  path: string,
  problems: readonly T[],
  limits: ReadLimits = DEFAULT_LIMITS,
): T[] {
  const wanted = new Set(problems.map((p) => p.index).filter((i): i is number => i !== undefined));
  if (wanted.size === 0) return [...problems];
  const ids = new Map<number, string | null>();
  let stream: FlatGeobufFeatureStream | undefined;
  eachPiece(path, (piece, totalBytes) => {
    stream ??= new FlatGeobufFeatureStream(path, limits, totalBytes);
    stream.push(piece, (feature, index) => {
      if (wanted.has(index)) ids.set(index, DemandPointValidator.idOf(feature));
    });
    return ids.size < wanted.size;
  });
  return problems.map((problem) =>
    problem.index !== undefined && ids.has(problem.index)
      ? { ...problem, id: problem.id ?? ids.get(problem.index)! }
      : problem,
  );
}

/**
 * At most `max` of the points' positions (interleaved longitude, latitude), spread evenly over them
 * in file order: the whole file's evidence for the offset test at a bounded cost. The positions
 * themselves (not a copy) when there are no more than `max`.
 */
export function spreadPositions(coords: Float64Array, max: number): Float64Array {
  const count = coords.length / 2;
  if (count <= max) return coords;
  const spread = new Float64Array(2 * max);
  const step = count / max;
  for (let k = 0; k < max; k++) {
    const i = Math.floor(k * step);
    spread[2 * k] = coords[2 * i]!;
    spread[2 * k + 1] = coords[2 * i + 1]!;
  }
  return spread;
}

/** The first complete lines of a file, up to about `size` bytes (at least its first line's start). */
export function readLinesStart(path: string, size: number): Uint8Array {
  let start = new Uint8Array(0);
  eachPiece(path, (piece) => {
    const joined = new Uint8Array(start.length + piece.length);
    joined.set(start);
    joined.set(piece, start.length);
    start = joined;
    return start.length < size;
  });
  const end = start.lastIndexOf(0x0a, size);
  return end < 0 ? start : start.subarray(0, end + 1);
}

/**
 * Whether a demand file's first lines or features, read the usual way, were read as the stream reads
 * every one: GeoJSON lines or FlatGeobuf whose columns are the names core reads (`population`, `id`), in WGS84 as
 * they are. Otherwise (a `人口` column, projected coordinates) the file is read the usual way.
 */
export function readsAsStreamed(sample: InputRead): boolean {
  return (
    (sample.format === 'geojsonseq' || sample.format === 'flatgeobuf') &&
    sample.columns.every((c) => c.column === c.role) &&
    sample.generatedIds === null &&
    sample.crsError === null &&
    sample.crs !== null &&
    !sample.crs.converted &&
    sample.crs.used.id === 'EPSG:4326'
  );
}

/**
 * Rows and ids for problems that name a streamed demand file's records by index only (points no
 * community takes, found after reading): the file is read again, once, for those records. Records
 * are its non-blank lines, as the reader counts them.
 */
export function locateDemandRecords<T extends { readonly index?: number; readonly id?: string | null }>(
  path: string,
  problems: readonly T[],
): T[] {
  const wanted = new Set(problems.map((p) => p.index).filter((i): i is number => i !== undefined));
  const found = new Map<number, { row: number; id: string | null }>();
  if (wanted.size === 0) return [...problems];
  const decoder = new TextDecoder('utf-8');
  let pending = new Uint8Array(0);
  let row = 0;
  let record = 0;
  const line = (bytes: Uint8Array) => {
    row++;
    const decoded = decoder.decode(bytes);
    const text = decoded.slice(recordStart(decoded)).trim();
    if (text === '' || (row === 1 && text === '\ufeff')) return;
    if (wanted.has(record)) {
      let id: string | null = null;
      try {
        id = DemandPointValidator.idOf(JSON.parse(text.replace(/^\ufeff/, '')));
      } catch {
        // A line that is not JSON was rejected when read, with its id.
      }
      found.set(record, { row, id });
    }
    record++;
  };
  eachPiece(path, (piece) => {
    let from = 0;
    for (;;) {
      const end = piece.indexOf(0x0a, from);
      if (end < 0) break;
      if (pending.length > 0) {
        const joined = new Uint8Array(pending.length + end - from);
        joined.set(pending);
        joined.set(piece.subarray(from, end), pending.length);
        pending = new Uint8Array(0);
        line(joined);
      } else line(piece.subarray(from, end));
      from = end + 1;
    }
    const rest = new Uint8Array(pending.length + piece.length - from);
    rest.set(pending);
    rest.set(piece.subarray(from), pending.length);
    pending = rest;
    return found.size < wanted.size;
  });
  if (pending.length > 0 && found.size < wanted.size) line(pending);
  return problems.map((problem) => {
    const at = problem.index === undefined ? undefined : found.get(problem.index);
    return at ? { ...problem, id: problem.id ?? at.id, row: at.row } : problem;
  });
}
