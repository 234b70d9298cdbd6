// Reading a dropped or picked file into the value the rest of the viewer works on: a GeoJSON
// FeatureCollection in WGS84 (or a scenario file), with the GeoJSON bytes the worker gets.
//
// GeoJSON and JSON are parsed here (a scenario file is JSON too). Every other format goes through
// @lifecircle/io's front door, as in the CLI: `readInput` reads it (CSV/TSV and XLSX points,
// shapefiles with their .dbf/.prj/.cpg dropped beside them or zipped, FlatGeobuf, GeoPackage, GeoJSON
// lines; GBK text), takes each attribute from its column (named or detected: ADMINCODE, 名称 …) and
// converts it to WGS84 (the coordinate system the file declares or its coordinates reveal: CGCS2000
// Gauss-Krüger, GCJ-02, BD-09 …). The rows a reader rejects are listed like core's rejections, and
// `locateProblems` points core's later rejections (by feature index) back at the file's rows.
// GeoJSON goes through the second half of the door, `convertInput`, too (its `crs` member), and the
// user may declare a file's coordinate system when it declares none or a wrong one: the file is then
// converted again from the features as read (`source`), which is also what a scenario embeds with the
// declaration.
import type { Rejection, Warning } from '@lifecircle/core';
import {
  convertInput,
  type DeclaredCrs,
  type FeatureRead,
  geoJsonCrs,
  type InputAsRead,
  type InputCrsRecord,
  type InputOptions,
  type InputRead,
  locateProblems,
  type OptionWording,
  readInput,
  type SqlJsLike,
} from '@lifecircle/io';
// sql.js's WebAssembly, served from the viewer's own build (the viewer works offline), loaded only
// when a GeoPackage is read. The browser build of sql.js looks for this file.
import sqlWasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
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
  /** The features as the file has them, before conversion to WGS84 (what a scenario embeds). */
  readonly source: unknown;
  /** The coordinate system the file declares itself (.prj, GeoJSON `crs`, GeoPackage, FlatGeobuf). */
  readonly fileCrs: DeclaredCrs | null;
  /** The coordinate system the user declared for the file, as typed, or null. */
  readonly declaredCrs: string | null;
  /** What `inputToWgs84` did (null for JSON that is not a FeatureCollection, e.g. a scenario). */
  readonly crs: InputCrsRecord | null;
  /**
   * Why the coordinates could not be taken in the system they were read in (metres read as degrees,
   * the wrong Gauss-Krüger zone …; io's message with what to declare), or null. Such a file is not
   * loaded until the user declares its system; `value` then holds the features as read.
   */
  readonly crsError: string | null;
  /** The reader's own warnings, before columns and conversion: what converting again starts from. */
  readonly readWarnings: readonly Warning[];
}

let sqlJs: Promise<SqlJsLike> | undefined;

/** sql.js with the WebAssembly the viewer's build serves, loaded once. */
export function loadSqlJs(): Promise<SqlJsLike> {
  sqlJs ??= import('sql.js').then((module) => {
    const init = (module as unknown as { default?: typeof module.default }).default ?? module;
    return (init as unknown as (config: object) => Promise<SqlJsLike>)({ locateFile: () => sqlWasmUrl });
  });
  // A failed load (e.g. the file was not served) is tried again with the next GeoPackage.
  sqlJs.catch(() => {
    sqlJs = undefined;
  });
  return sqlJs;
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
 * through @lifecircle/io; FeatureCollections are converted to WGS84 from the system `declaredCrs`
 * names, else the one the file declares, else WGS84. `siblings` are the other files of the batch by
 * name (a shapefile's parts). A file that cannot be read throws core's InputError (or a JSON error)
 * naming it; a declaration io cannot read throws core's OptionError.
 */
export async function readLoadedFile(
  name: string,
  bytes: ArrayBuffer,
  siblings: ReadonlyMap<string, ArrayBuffer> = new Map(),
  declaredCrs: string | null = null,
): Promise<ReadFile> {
  if (JSON_NAME.test(name)) {
    const value = parseJsonBytes(bytes, name);
    if (!isFeatureCollectionLike(value)) {
      return {
        name,
        value,
        bytes,
        rejected: [],
        warnings: [],
        convertedFrom: null,
        origins: null,
        source: value,
        fileCrs: null,
        declaredCrs: null,
        crs: null,
        crsError: null,
        readWarnings: [],
      };
    }
    return convertFeatures(
      { file: name, collection: value, crs: geoJsonCrs(value), origins: null },
      declaredCrs,
      bytes,
    );
  }
  const lower = new Map([...siblings].map(([n, b]) => [n.toLowerCase(), b]));
  const input = await readInput(bytes, name, {
    readSibling: (sibling) => siblings.get(sibling) ?? lower.get(sibling.toLowerCase()),
    loadSqlJs,
    ...crsOptions(declaredCrs),
  });
  return fromInput(input, declaredCrs, null);
}

/**
 * The same file converted to WGS84 from another declared system (null: the file's own), from the
 * features as read: nothing is read again.
 */
export function redeclareCrs(read: ReadFile, declaredCrs: string | null): ReadFile {
  return convertFeatures(
    {
      file: read.name,
      collection: read.source,
      crs: read.fileCrs,
      origins: read.origins,
      rejected: read.rejected,
      warnings: read.readWarnings,
    },
    declaredCrs,
    null,
  );
}

/**
 * A file embedded in a scenario: its features as read, the system the file declared and the one the
 * user declared, converted as when it was loaded.
 */
export function embeddedFile(
  name: string,
  source: unknown,
  fileCrs: DeclaredCrs | null,
  declaredCrs: string | null,
): ReadFile {
  return convertFeatures({ file: name, collection: source, crs: fileCrs, origins: null }, declaredCrs, null);
}

/**
 * io's option hints worded as the viewer's controls, not the CLI's flags: the coordinate-system
 * menu of each loaded file; the other reading options have no control yet, so the file itself is
 * what to change.
 */
export const VIEWER_OPTION_WORDING: OptionWording = (hint) => {
  switch (hint.option) {
    case 'crs':
      return "the file's coordinate-system menu";
    case 'layer':
      return 'a file holding only that one, as the viewer has no layer choice yet';
    case 'encoding':
      return 'a copy saved as UTF-8';
    case 'lonColumn':
    case 'latColumn':
      return 'lon/lat or 经度/纬度 headers';
    default:
      return `a header '${hint.option.replace(/Column$/, '')}' in the file`;
  }
};

/** The coordinate-system options of a file the user declared `declaredCrs` for (null: none). */
function crsOptions(declaredCrs: string | null): InputOptions {
  const declared = declaredCrs?.trim() ? declaredCrs.trim() : null;
  return {
    optionWording: VIEWER_OPTION_WORDING,
    crs: declared === null ? null : { text: declared, option: CRS_OPTION },
    // A file whose coordinates contradict their system stays loaded, unconverted, until the user
    // declares the right one.
    crsMismatch: 'keep',
  };
}

/** Features as read, converted through the second half of io's front door. */
function convertFeatures(
  asRead: InputAsRead,
  declaredCrs: string | null,
  originalBytes: ArrayBuffer | null,
): ReadFile {
  // A declaration io cannot read (OptionError) is the user's typing: it is thrown to be shown.
  return fromInput(convertInput(asRead, crsOptions(declaredCrs)), declaredCrs, originalBytes);
}

function fromInput(
  input: InputRead,
  declaredCrs: string | null,
  originalBytes: ArrayBuffer | null,
): ReadFile {
  const { asRead } = input;
  const common = {
    name: input.file,
    rejected: input.rejected,
    warnings: input.warnings,
    origins: input.origins,
    source: asRead.collection,
    fileCrs: asRead.crs,
    declaredCrs: declaredCrs?.trim() ? declaredCrs.trim() : null,
    readWarnings: asRead.warnings ?? [],
  };
  if (input.crsError !== null) {
    return {
      ...common,
      value: asRead.collection,
      bytes: new ArrayBuffer(0),
      convertedFrom: null,
      crs: null,
      crsError: input.crsError.message,
    };
  }
  // Unchanged GeoJSON keeps its own bytes, whose line numbers the worker's messages can name.
  const bytes =
    originalBytes !== null && input.features === asRead.collection
      ? originalBytes
      : (new TextEncoder().encode(JSON.stringify(input.features)).buffer as ArrayBuffer);
  const record = input.crs!;
  return {
    ...common,
    value: input.features,
    bytes,
    convertedFrom: record.converted ? (record.read ?? record.used.name) : null,
    crs: record,
    crsError: null,
  };
}

/** How messages name the viewer's per-file declaration (io's messages name an option). */
export const CRS_OPTION = 'the coordinate system declared for the file';

function isFeatureCollectionLike(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'FeatureCollection' &&
    Array.isArray((value as { features?: unknown }).features)
  );
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
