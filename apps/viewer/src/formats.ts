// Reading a dropped or picked file into the value the rest of the viewer works on: a GeoJSON
// FeatureCollection in WGS84 (or a scenario file), with the GeoJSON bytes the worker gets.
//
// GeoJSON and JSON are parsed here (a scenario file is JSON too). Every other format goes through
// @lifecircle/io, as in the CLI: `readFeatures` (CSV/TSV and XLSX points, shapefiles with their
// .dbf/.prj/.cpg dropped beside them or zipped, FlatGeobuf, GeoPackage, GeoJSON lines; GBK text) and
// `inputToWgs84` (the coordinate system the file declares or its coordinates reveal: CGCS2000
// Gauss-Krüger, GCJ-02, BD-09 …). The rows a reader rejects are listed like core's rejections, and
// `locateProblems` points core's later rejections (by feature index) back at the file's rows.
import type { Rejection, Warning } from '@lifecircle/core';
import { type FeatureRead, inputToWgs84, locateProblems, readFeatures } from '@lifecircle/io';
import { parseJsonBytes } from './json.js';

const JSON_NAME = /\.(geo)?json$/i;
/** Files only read beside their shapefile: attributes, projection, code page, indexes. */
const SHAPEFILE_PART = /\.(dbf|prj|cpg|shx|qix|sbn|sbx)$/i;

/** What a file was read into. */
export interface ReadFile {
  readonly name: string;
  /** The parsed value: a FeatureCollection, a scenario, or anything else JSON (judged by the caller). */
  readonly value: unknown;
  /** UTF-8 GeoJSON bytes for the worker. */
  readonly bytes: ArrayBuffer;
  /** Rows or features the reader could not turn into features (other formats than GeoJSON). */
  readonly rejected: readonly Rejection[];
  readonly warnings: readonly Warning[];
  /** The coordinate system the file was converted from to WGS84, or null when it was in WGS84. */
  readonly convertedFrom: string | null;
  /** How the reader's features map back to the file's records and rows (tables, GeoJSON lines). */
  readonly origins: FeatureRead['origins'];
}

/**
 * Whether a file is a part of a shapefile read through its `.shp` in the same batch (its `.dbf`,
 * `.prj`, `.cpg`, indexes), so it is not read as a file of its own.
 */
export function isShapefilePart(name: string, batch: readonly string[]): boolean {
  if (!SHAPEFILE_PART.test(name)) return false;
  const stem = name.replace(/\.[^.]+$/, '').toLowerCase();
  return batch.some((other) => other.toLowerCase() === `${stem}.shp`);
}

/**
 * Reads a file: GeoJSON and JSON here (a syntax error names the line and column), every other format
 * through @lifecircle/io, converted to WGS84. `siblings` are the other files of the batch by name (a
 * shapefile's parts). A file that cannot be read throws core's InputError (or a JSON error) naming it.
 */
export async function readLoadedFile(
  name: string,
  bytes: ArrayBuffer,
  siblings: ReadonlyMap<string, ArrayBuffer> = new Map(),
): Promise<ReadFile> {
  if (JSON_NAME.test(name)) {
    return {
      name,
      value: parseJsonBytes(bytes, name),
      bytes,
      rejected: [],
      warnings: [],
      convertedFrom: null,
      origins: null,
    };
  }
  const lower = new Map([...siblings].map(([n, b]) => [n.toLowerCase(), b]));
  const read = await readFeatures(bytes, name, {
    readSibling: (sibling) => siblings.get(sibling) ?? lower.get(sibling.toLowerCase()),
  });
  const wgs84 = inputToWgs84(read.collection, { file: name, fileCrs: read.crs });
  return {
    name,
    value: wgs84.collection,
    bytes: new TextEncoder().encode(JSON.stringify(wgs84.collection)).buffer as ArrayBuffer,
    rejected: read.rejected,
    warnings: [...read.warnings, ...wgs84.warnings],
    convertedFrom: wgs84.record.converted ? (wgs84.record.read ?? wgs84.record.used.name) : null,
    origins: read.origins,
  };
}

/** Core's problems by feature index, pointed at the rows of the files read through io. */
export function locateInFiles<T extends { readonly file: string; readonly index?: number }>(
  problems: readonly T[],
  files: readonly ReadFile[],
): T[] {
  return locateProblems(
    problems,
    files.map((f) => ({ file: f.name, origins: f.origins })),
  );
}
