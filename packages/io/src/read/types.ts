import type { Rejection, Warning } from '@lifecircle/core';
import type { FeatureCollection } from 'geojson';
import type { ReadLimits } from '../limits.js';
import type { OsmReadOptions, OsmReadSummary } from '../osm/types.js';
import type { CoordinateColumns } from '../table/points.js';
import type { OptionWording } from './hints.js';

/** The file formats the readers understand. */
export type InputFormat =
  | 'geojson'
  | 'geojsonseq'
  | 'csv'
  | 'xlsx'
  | 'shapefile'
  | 'dbf'
  | 'flatgeobuf'
  | 'geopackage'
  | 'osm-xml'
  | 'osm-pbf';

/**
 * The coordinate system a file declares, as found: read by the coordinate-system stage, never
 * interpreted here. `null` in a result means the file declares none (CSV, XLSX, and GeoJSON without a
 * `crs` member, which RFC 7946 makes WGS84 longitude/latitude).
 */
export interface DeclaredCrs {
  /** Where the declaration was found. */
  readonly source: 'geojson' | 'prj' | 'flatgeobuf' | 'geopackage';
  /** A name such as `urn:ogc:def:crs:EPSG::4549`, `EPSG:4490` or the WKT's first name. */
  readonly name?: string;
  /** Well-known text, from a `.prj` file, a FlatGeobuf header or a GeoPackage's spatial reference table. */
  readonly wkt?: string;
}

/** Bytes of a file, as `fs.readFileSync` or `File.arrayBuffer()` give them. */
export type Bytes = Uint8Array | ArrayBuffer;

/** Options of {@link readFeatures} and {@link readTable}. */
export interface ReadOptions {
  /**
   * Text encoding of CSV and TSV files and shapefile attributes (`utf-8`, `gbk`, `gb18030`, `big5` …).
   * By default a byte-order mark or a shapefile's `.cpg` decides, then UTF-8 when the bytes are valid
   * UTF-8, else GB18030 (a superset of GBK and GB2312) with a warning. GeoJSON is UTF-8 by definition
   * and is always detected that way.
   */
  readonly encoding?: string;
  /** The table column holding longitudes (default: detected from lon, lng, longitude, x, 经度 …). */
  readonly lonColumn?: string;
  /** The table column holding latitudes (default: detected from lat, latitude, y, 纬度 …). */
  readonly latColumn?: string;
  /**
   * The one table column holding each row's position, as `lng,lat` text (AMap's `location`, `坐标`) or
   * well-known text (`POINT (116.397 39.909)`), told apart by its first value (default: detected from
   * location, 坐标, wkt, geometry … when the table has no longitude and latitude columns). Not given
   * with {@link lonColumn} or {@link latColumn}.
   */
  readonly positionColumn?: string;
  /**
   * Which layer of a file that holds several: a GeoPackage table, an XLSX sheet, or a shapefile in a
   * zip (by name, without `.shp`). By default the only one, or for XLSX the first sheet.
   */
  readonly layer?: string;
  /**
   * The bytes of a file beside the one being read, by name (`roads.dbf` beside `roads.shp`), or
   * undefined when there is none. A shapefile needs it for its `.dbf`, `.prj` and `.cpg`.
   */
  readonly readSibling?: (name: string) => Bytes | undefined | Promise<Bytes | undefined>;
  /**
   * Loads sql.js for GeoPackage files. By default `import('sql.js')` with its bundled WebAssembly,
   * which works in Node; a browser passes one that says where `sql-wasm.wasm` is served.
   */
  readonly loadSqlJs?: () => Promise<SqlJsLike>;
  /**
   * Bounds on the work a file may cause (unpacked size, sheet size, nesting depth, line length …),
   * each raising or lowering the default in `DEFAULT_LIMITS`. A file beyond one is a
   * `LimitError` naming the limit to raise.
   */
  readonly limits?: Partial<ReadLimits>;
  /**
   * How to read an OpenStreetMap file (`.osm`, `.osm.pbf`): as the walking network or as facilities,
   * and the bbox or study area to keep (see `readOsm`). Without it an OSM file is refused with a
   * message saying so, since the same file holds both and nothing says which is meant.
   */
  readonly osm?: OsmReadOptions;
  /**
   * How messages name the option that would settle a problem (`choose one with …`): the CLI gives
   * its flag (`--layer`), the viewer its control. By default the option's name (`the layer option`).
   * The problem carries the option itself as a structured `hint` too.
   */
  readonly optionWording?: OptionWording;
}

/** The part of sql.js the GeoPackage reader and writer use. */
export interface SqlJsLike {
  readonly Database: new (
    data?: Uint8Array,
  ) => {
    exec(sql: string, params?: unknown[]): { columns: string[]; values: unknown[][] }[];
    /** A statement run many times (the writer's inserts). */
    prepare(sql: string): { run(params?: unknown[]): void; free(): boolean };
    /** The database file's bytes. */
    export(): Uint8Array;
    close(): void;
  };
}

/**
 * Where the features of a result came from: feature `i` is record `index[i]` of the file (from 0) on
 * row or line `row[i]` (from 1, as a spreadsheet or editor shows it). `row` is null for formats
 * without rows.
 */
export interface FeatureOrigins {
  readonly index: Uint32Array;
  readonly row: Uint32Array | null;
}

/** What a reader made of one file. */
export interface FeatureRead {
  /** The file name given to the reader; every problem names it. */
  readonly file: string;
  readonly format: InputFormat;
  /**
   * The features read, as GeoJSON. For a GeoJSON file it is the parsed object itself, checked only to
   * be a FeatureCollection (its features are validated later, by `@lifecircle/core`).
   */
  readonly collection: FeatureCollection;
  /** The coordinate system the file declares, or null when it declares none. */
  readonly crs: DeclaredCrs | null;
  /** The text encoding used for a text format or shapefile attributes; null for binary formats. */
  readonly encoding: string | null;
  /** Rows or features the reader could not turn into features, with the row or line they were on. */
  readonly rejected: Rejection[];
  readonly warnings: Warning[];
  /** Null when feature `i` is record `i` of the file and the format has no rows. */
  readonly origins: FeatureOrigins | null;
  /** For an OpenStreetMap file: what was read, kept, clipped and left out (by reason). */
  readonly osm?: OsmReadSummary;
  /** For a table (CSV, TSV, XLSX): the column or columns its positions were read from. */
  readonly positions?: CoordinateColumns;
}

/** A table cell after reading: text, a number, a boolean or empty. */
export type Cell = string | number | boolean | null;

/** What {@link readTable} made of a CSV, TSV, XLSX or DBF file. */
export interface TableRead {
  readonly file: string;
  readonly format: 'csv' | 'xlsx' | 'dbf';
  /** Column names, trimmed; blank and repeated names are made unique (`column_3`, `name_2`). */
  readonly columns: string[];
  /** One object per data row, keyed by column; numeric columns hold numbers. */
  readonly records: Record<string, Cell>[];
  /** The spreadsheet row (from 1, the header being row 1) of each record. */
  readonly rows: number[];
  /** The position of each record among the file's data rows, from 0 (rejected rows leave gaps). */
  readonly index: number[];
  readonly encoding: string | null;
  readonly rejected: Rejection[];
  readonly warnings: Warning[];
}
