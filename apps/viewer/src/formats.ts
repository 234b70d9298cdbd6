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
  type ColumnOptions,
  type ColumnUse,
  type CoordinateColumns,
  convertInput,
  type DeclaredCrs,
  type FeatureRead,
  type GeneratedIds,
  geoJsonCrs,
  type InputAsRead,
  type InputCrsRecord,
  type InputKind,
  type InputOptions,
  type InputRead,
  listLayers,
  locateProblems,
  type OptionWording,
  type OsmLayer,
  type OsmReadOptions,
  type OsmReadSummary,
  type ReadOptions,
  readFeatures,
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
  /** The layers the file holds (GeoPackage tables, workbook sheets, a zip's shapefiles); [] for one. */
  readonly layers: readonly string[];
  /** The layer read, when the file holds several. */
  readonly layer: string | null;
  /** The file's own columns (property names), for the column picker. */
  readonly headers: readonly string[];
  /** Which column each role was read from, named in the column picker or detected by io. */
  readonly columns: readonly ColumnUse[];
  /** How ids were made up for a file without an id column (communities, facilities), or null. */
  readonly generatedIds: GeneratedIds | null;
  /**
   * For a table (CSV, TSV, XLSX): the column or columns its positions were read from (named in the
   * column picker or detected by io), and every column of the table, position columns included.
   */
  readonly positions: { readonly used: CoordinateColumns; readonly columns: readonly string[] } | null;
  /** For an OpenStreetMap file: what io's reader read, kept and clipped (the clip is in `choices`). */
  readonly osm: OsmReadSummary | null;
  /** How the user asked the file to be read (layer, columns, coordinate system, kind). */
  readonly choices: ReadChoices;
  /** The file's bytes and its batch's, to read another layer; null for a file embedded in a scenario. */
  readonly original: {
    readonly bytes: ArrayBuffer;
    readonly siblings: ReadonlyMap<string, ArrayBuffer>;
  } | null;
}

/** How the user asks a file to be read: the viewer's side of io's reading options. */
export interface ReadChoices {
  /** The layer of a file holding several (by default the first). */
  readonly layer?: string | null;
  /** The column of each role the user named in the column picker (the others are detected). */
  readonly columns?: ColumnOptions;
  /** The coordinate system declared for the file, as typed, or null for the file's own. */
  readonly declaredCrs?: string | null;
  /**
   * Which input the file is: communities and facilities without an id column get made-up ids
   * (io's `kind`); anything else is read as it is.
   */
  readonly kind?: InputKind;
  /**
   * How an OpenStreetMap file (`.osm`, `.osm.pbf`) is read: its walkable ways as a road network, or
   * its facility-tagged elements as facilities (io's OSM reader, as the CLI reads `--network` and
   * `--facilities`). Ignored for other formats.
   */
  readonly osm?: OsmLayer;
  /**
   * The table columns of the positions (io's `lonColumn` and `latColumn`, or `positionColumn`: one
   * column of `lng,lat` or WKT), as the CLI's `--lon-column`, `--lat-column` and `--position-column`;
   * the ones not named are detected.
   */
  readonly coordinates?: Pick<ReadOptions, 'lonColumn' | 'latColumn' | 'positionColumn'>;
  /**
   * The part of an OpenStreetMap file kept while it is read (io's `bbox` and `area`, as the CLI's
   * `--bbox` and `--study-area`), and what it is, for the files panel; absent: the whole file.
   */
  readonly osmClip?: OsmClip | null;
}

/** Where an OpenStreetMap file is clipped while it is read, and why there (see osm-clip.ts). */
export interface OsmClip extends Pick<OsmReadOptions, 'bbox' | 'area'> {
  /** The study area loaded, the communities' extent widened, or a box the user typed. */
  readonly source: 'study-area' | 'communities' | 'box';
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
 * through @lifecircle/io; FeatureCollections are converted to WGS84 from the system declared in
 * `choices`, else the one the file declares, else WGS84. `siblings` are the other files of the batch
 * by name (a shapefile's parts). A file of several layers is read in the one chosen, else its first
 * (the files panel offers the others). A file that cannot be read throws core's InputError (or a JSON
 * error) naming it; a declaration io cannot read throws core's OptionError.
 */
export async function readLoadedFile(
  name: string,
  bytes: ArrayBuffer,
  siblings: ReadonlyMap<string, ArrayBuffer> = new Map(),
  choices: ReadChoices = {},
): Promise<ReadFile> {
  const original = { bytes, siblings };
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
        layers: [],
        layer: null,
        headers: [],
        columns: [],
        generatedIds: null,
        positions: null,
        osm: null,
        choices,
        original,
      };
    }
    const asRead = { file: name, collection: value, crs: geoJsonCrs(value), origins: null };
    return convertFeatures(asRead, choices, { layers: [], bytes: original });
  }
  const lower = new Map([...siblings].map(([n, b]) => [n.toLowerCase(), b]));
  const layers = await listLayers(bytes, name, { loadSqlJs });
  // With several layers and none chosen, the first is read (a GeoPackage would otherwise refuse),
  // and the files panel offers the others.
  const layer = choices.layer ?? (layers.length > 1 ? layers[0]! : null);
  const { osmClip } = choices;
  const options = {
    readSibling: (sibling: string) => siblings.get(sibling) ?? lower.get(sibling.toLowerCase()),
    loadSqlJs,
    ...(layer !== null ? { layer } : {}),
    ...(choices.osm
      ? {
          osm: {
            layer: choices.osm,
            ...(osmClip?.bbox ? { bbox: osmClip.bbox } : {}),
            ...(osmClip?.area ? { area: osmClip.area } : {}),
          },
        }
      : {}),
    ...choices.coordinates,
    ...inputOptions(choices),
  };
  // io's front door in its two halves (what readInput runs), keeping what the reader saw: a table's
  // position columns and an OpenStreetMap file's counts.
  const features = await readFeatures(bytes, name, options);
  const input = convertInput(features, options);
  return fromInput(
    input,
    { ...choices, layer },
    {
      layers,
      bytes: original,
      sameBytes: false,
      positions: features.positions
        ? { used: features.positions, columns: tableColumns(features.positions, input.asRead.collection) }
        : null,
      osm: features.osm ?? null,
    },
  );
}

/** Every column of a table read into features: its properties and the position columns. */
function tableColumns(used: CoordinateColumns, collection: unknown): string[] {
  const positions = used.kind === 'lonlat' ? [used.lon, used.lat] : [used.column];
  return [...positions, ...propertyNames(collection).filter((name) => !positions.includes(name))];
}

/**
 * The same file read as the user chose anew: another layer, other position columns or another clip of
 * an OpenStreetMap file is read again from the file's bytes; other columns, kind or coordinate system
 * are applied to the features as read, reading nothing again. Whatever is not chosen anew (the kind
 * the file was dropped as above all) stays as it was.
 */
export async function rereadFile(read: ReadFile, choices: ReadChoices): Promise<ReadFile> {
  const next: ReadChoices = { ...read.choices, ...choices };
  const readAgain =
    (next.layer ?? null) !== read.layer ||
    ('coordinates' in choices && choices.coordinates !== read.choices.coordinates) ||
    ('osmClip' in choices && choices.osmClip !== read.choices.osmClip);
  if (readAgain && read.original !== null) {
    return readLoadedFile(read.name, read.original.bytes, read.original.siblings, next);
  }
  return reconvert(read, next);
}

/**
 * The same file converted to WGS84 from another declared system (null: the file's own), from the
 * features as read: nothing is read again.
 */
export function redeclareCrs(read: ReadFile, declaredCrs: string | null): ReadFile {
  return reconvert(read, { ...read.choices, declaredCrs });
}

/** A read file's features as read, through the second half of io's door again with other choices. */
function reconvert(read: ReadFile, choices: ReadChoices): ReadFile {
  const asRead: InputAsRead = {
    file: read.name,
    collection: read.source,
    crs: read.fileCrs,
    origins: read.origins,
    rejected: read.rejected,
    warnings: read.readWarnings,
  };
  return convertFeatures(asRead, choices, {
    layers: read.layers,
    bytes: read.original,
    sameBytes: false,
    positions: read.positions,
    osm: read.osm,
  });
}

/**
 * A file embedded in a scenario: its features as read, the system the file declared and the one the
 * user declared, converted as when it was loaded; read as the input it was (`kind`: made-up ids) with
 * the columns the user had named.
 */
export function embeddedFile(
  name: string,
  source: unknown,
  fileCrs: DeclaredCrs | null,
  declaredCrs: string | null,
  reading: Pick<ReadChoices, 'kind' | 'columns'> = {},
  origins: FeatureRead['origins'] = null,
): ReadFile {
  return convertFeatures(
    { file: name, collection: source, crs: fileCrs, origins },
    { ...reading, declaredCrs },
    { layers: [], bytes: null },
  );
}

/**
 * io's option hints worded as the viewer's controls, never the CLI's flags: the menus and column
 * picker under each file in the files panel. Encodings have no control, so the file itself is what to
 * change.
 */
export const VIEWER_OPTION_WORDING: OptionWording = (hint) => {
  switch (hint.option) {
    case 'crs':
      return "the file's coordinate-system menu";
    case 'layer':
      return "the file's layer menu in the files panel";
    case 'encoding':
      return 'a copy saved as UTF-8';
    case 'lonColumn':
      return "the longitude menu of the file's column picker";
    case 'latColumn':
      return "the latitude menu of the file's column picker";
    case 'positionColumn':
      return "the one-column position menu of the file's column picker";
    default:
      return `the ${hint.option.replace(/Column$/, '')} menu of the file's column picker`;
  }
};

/** io's reading options for the user's choices (the layer aside): columns, kind, coordinate system. */
function inputOptions(choices: ReadChoices): InputOptions {
  const declared = choices.declaredCrs?.trim() ? choices.declaredCrs.trim() : null;
  return {
    optionWording: VIEWER_OPTION_WORDING,
    kind: choices.kind ?? 'other',
    ...(choices.columns ?? {}),
    crs: declared === null ? null : { text: declared, option: CRS_OPTION },
    // A file whose coordinates contradict their system stays loaded, unconverted, until the user
    // declares the right one.
    crsMismatch: 'keep',
  };
}

/** What a read keeps beside io's answer: the file's layers and bytes (to read another layer). */
interface ReadSource {
  readonly layers: readonly string[];
  readonly bytes: ReadFile['original'];
  /** Whether unchanged GeoJSON may keep the original bytes (false once converted again). */
  readonly sameBytes?: boolean;
  readonly positions?: ReadFile['positions'];
  readonly osm?: ReadFile['osm'];
}

/** Features as read, converted through the second half of io's front door. */
function convertFeatures(asRead: InputAsRead, choices: ReadChoices, source: ReadSource): ReadFile {
  // A declaration io cannot read (OptionError) is the user's typing: it is thrown to be shown.
  return fromInput(convertInput(asRead, inputOptions(choices)), choices, source);
}

function fromInput(input: InputRead, choices: ReadChoices, source: ReadSource): ReadFile {
  const { asRead } = input;
  const declaredCrs = choices.declaredCrs?.trim() ? choices.declaredCrs.trim() : null;
  const common = {
    name: input.file,
    rejected: input.rejected,
    warnings: input.warnings,
    origins: input.origins,
    source: asRead.collection,
    fileCrs: asRead.crs,
    declaredCrs,
    readWarnings: asRead.warnings ?? [],
    layers: source.layers,
    layer: choices.layer ?? null,
    headers: propertyNames(asRead.collection),
    columns: input.columns,
    generatedIds: input.generatedIds,
    positions: source.positions ?? null,
    osm: source.osm ?? null,
    choices,
    original: source.bytes,
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
  const originalBytes = source.sameBytes !== false ? source.bytes?.bytes : undefined;
  const bytes =
    originalBytes !== undefined && input.features === asRead.collection
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

/** The features' property names in first-seen order: a table's columns, GeoJSON's keys. */
function propertyNames(collection: unknown): string[] {
  if (!isFeatureCollectionLike(collection)) return [];
  const names = new Set<string>();
  // Tables give every feature every column: the first features are enough, and big files stay fast.
  for (const feature of (collection as { features: unknown[] }).features.slice(0, 1000)) {
    const properties = (feature as { properties?: unknown } | null)?.properties;
    if (typeof properties === 'object' && properties !== null)
      for (const key of Object.keys(properties)) names.add(key);
  }
  return [...names];
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
