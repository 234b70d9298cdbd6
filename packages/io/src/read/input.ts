import { InputError, type Rejection } from '@lifecircle/core';
import type { FeatureCollection } from 'geojson';
import type { Crs } from '../crs/definitions.js';
import { type CrsDeclaration, type InputCrsRecord, inputToWgs84 } from '../crs/input.js';
import { type CoordinateColumns, type PositionColumnUse, positionColumnUses } from '../table/points.js';
import {
  applyColumnRoles,
  type ColumnOptions,
  type ColumnUse,
  type GeneratedIds,
  type InputKind,
} from './columns.js';
import { ReadOptionError, type ReadWarning } from './hints.js';
import { readFeatures } from './read.js';
import type { Bytes, DeclaredCrs, FeatureOrigins, FeatureRead, InputFormat, ReadOptions } from './types.js';

/** Options of {@link readInput}: how to read the file, which columns hold what, and its coordinate system. */
export interface InputOptions extends ReadOptions, ColumnOptions {
  /**
   * Which input the file is. Communities and facilities without an id column get made-up ids
   * (facilities their row or feature number, `幼儿园.csv#12`; communities their unique names, else
   * their rows); other inputs (demand points, roads, candidate sites …) are left as they are.
   */
  readonly kind?: InputKind;
  /** The coordinate system the user gives for this file: wins over the file's own declaration. */
  readonly crs?: CrsDeclaration | null;
  /** The coordinate system the user gives for every input: used when the file declares none. */
  readonly defaultCrs?: CrsDeclaration | null;
  /**
   * What to do when the coordinates contradict the system they are read in (metres read as degrees,
   * the wrong Gauss-Krüger zone): `throw` (the default) a {@link ReadOptionError}, or `keep` the
   * features as read and say why in `crsError`, for a program that lets the user declare the system
   * and convert again with {@link convertInput}.
   */
  readonly crsMismatch?: 'throw' | 'keep';
}

/** The features of a file as its reader gave them, before columns and coordinate systems: what {@link convertInput} starts from. */
export interface InputAsRead {
  readonly file: string;
  /** The features with the file's own columns and coordinates. */
  readonly collection: unknown;
  /** The coordinate system the file declares, or null. */
  readonly crs: DeclaredCrs | null;
  readonly origins: FeatureOrigins | null;
  /** What the reader rejected and warned about (none for GeoJSON a program parsed itself). */
  readonly rejected?: readonly Rejection[];
  readonly warnings?: readonly ReadWarning[];
  /** For a table: the column or columns its positions were read from. */
  readonly positions?: CoordinateColumns;
}

/** What {@link readInput} made of one file. */
export interface InputRead {
  readonly file: string;
  readonly format: InputFormat;
  /** The text encoding of a text format or of shapefile attributes; null for binary formats. */
  readonly encoding: string | null;
  /**
   * The features in WGS84 longitude/latitude, each role's value under its own property name (`id`,
   * `name`, `population` …) besides the file's columns. With `crsMismatch: 'keep'` and a `crsError`,
   * the features as read, unconverted.
   */
  readonly features: FeatureCollection;
  /** Rows or features the reader could not turn into features, naming file, row or feature, field and reason. */
  readonly rejected: Rejection[];
  /** What reading, column detection and conversion warned about, in that order. */
  readonly warnings: ReadWarning[];
  /** The coordinate system as read, declared, detected and used; null when `crsError` is set. */
  readonly crs: InputCrsRecord | null;
  /** The system the coordinates were converted from (null when `crsError` is set). */
  readonly system: Crs | null;
  /** With `crsMismatch: 'keep'`, why the coordinates could not be taken in the system read; else null. */
  readonly crsError: ReadOptionError | null;
  /** Which column each role was read from, named or detected. */
  readonly columns: ColumnUse[];
  /**
   * For a table (CSV, TSV, XLSX): the column or columns its positions were read from (`longitude` and
   * `latitude`, or one `position` or `geometry` column); empty for formats with geometry.
   */
  readonly positionColumns: PositionColumnUse[];
  /** How ids were made up for a file without an id column, or null. */
  readonly generatedIds: GeneratedIds | null;
  /** How features map back to the file's records and rows (see `locateProblems`). */
  readonly origins: FeatureOrigins | null;
  /** The features as the reader gave them, to convert again from another declared system. */
  readonly asRead: InputAsRead;
}

/**
 * io's front door: reads a file of any supported format (see `readFeatures`), takes each attribute
 * from the column the options name or a common header (`ADMINCODE`, `名称`, `常住人口` …) and copies
 * it to the attribute's own property (`id`, `name`, `population` …) for core's validation, and converts the coordinates to WGS84 from the system the user declares,
 * the file declares, or the coordinates reveal (see `inputToWgs84`). Everything the CLI and the
 * viewer do with a file before core validates it.
 *
 * @throws {InputError} when the file cannot be read at all; {@link ReadOptionError} (an InputError with
 *   the option that would settle it) when a layer must be chosen, a named column is missing, or the
 *   coordinates contradict their system; `OptionError` when a declared system or encoding is unknown.
 * @example
 * const read = await readInput(await file.arrayBuffer(), 'communities.csv', {
 *   kind: 'communities',
 *   crs: { text: 'gcj02', option: 'crs' },
 * });
 * read.features; // GeoJSON in WGS84, with `id`, `name`, `population` …
 * read.columns;  // [{ role: 'id', column: 'id', source: 'detected' }, …]
 * read.positionColumns; // [{ role: 'longitude', column: 'lng', source: 'detected' }, { role: 'latitude', … }]
 * read.crs;      // { read: null, declared: 'gcj02', used: { id: 'GCJ-02', … }, … }
 */
export async function readInput(bytes: Bytes, name: string, options: InputOptions = {}): Promise<InputRead> {
  const read = await readFeatures(bytes, name, options);
  return convertInput(read, options);
}

/**
 * The second half of {@link readInput}, from features already read: columns and coordinate system.
 * Used to convert a file again from another declared system without reading it again (the read's
 * `asRead`), or for GeoJSON a program parsed itself.
 *
 * @example
 * const first = await readInput(bytes, 'communities.csv', { kind: 'communities' });
 * const again = convertInput(first.asRead, { kind: 'communities', crs: { text: 'gcj02', option: 'crs' } });
 */
export function convertInput(read: InputAsRead | FeatureRead, options: InputOptions = {}): InputRead {
  const rejected = [...(read.rejected ?? [])];
  const readWarnings: ReadWarning[] = [...(read.warnings ?? [])];
  const asRead: InputAsRead = {
    file: read.file,
    collection: read.collection,
    crs: read.crs,
    origins: read.origins,
    rejected,
    warnings: readWarnings,
    ...(read.positions ? { positions: read.positions } : {}),
  };
  const format: InputFormat = 'format' in read ? read.format : 'geojson';
  const encoding = 'encoding' in read ? read.encoding : null;
  const columns = isFeatureCollection(asRead.collection)
    ? applyColumnRoles(asRead.collection, read.file, read.origins, options.kind ?? 'other', options)
    : null;
  const collection = columns?.collection ?? asRead.collection;
  const base = {
    file: read.file,
    format,
    encoding,
    rejected,
    columns: columns?.columns ?? [],
    positionColumns: asRead.positions ? positionColumnUses(asRead.positions, options) : [],
    generatedIds: columns?.generatedIds ?? null,
    origins: read.origins,
    asRead,
  };
  try {
    const wgs84 = inputToWgs84(collection, {
      file: read.file,
      fileCrs: read.crs,
      declared: options.crs ?? null,
      fallback: options.defaultCrs ?? null,
      ...(options.optionWording ? { optionWording: options.optionWording } : {}),
    });
    return {
      ...base,
      features: wgs84.collection as FeatureCollection,
      warnings: [...readWarnings, ...(columns?.warnings ?? []), ...wgs84.warnings],
      crs: wgs84.record,
      system: wgs84.crs,
      crsError: null,
    };
  } catch (error) {
    if (!(error instanceof InputError) || error instanceof ReadOptionError) throw error;
    // The coordinates contradict their system: declaring the right one settles it.
    const prefix = `${read.file}: `;
    const reason = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    const crsError = new ReadOptionError(read.file, reason, { option: 'crs' });
    if (options.crsMismatch !== 'keep') throw crsError;
    return {
      ...base,
      features: collection as FeatureCollection,
      warnings: [...readWarnings, ...(columns?.warnings ?? [])],
      crs: null,
      system: null,
      crsError,
    };
  }
}

function isFeatureCollection(value: unknown): value is FeatureCollection {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'FeatureCollection' &&
    Array.isArray((value as { features?: unknown }).features)
  );
}
