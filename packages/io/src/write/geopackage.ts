import type { Warning } from '@lifecircle/core';
import type { Geometry } from 'geojson';
import { type Crs, WGS84 } from '../crs/definitions.js';
import { loadDefaultSqlJs } from '../geopackage/geopackage.js';
import { extentOf, hasZ, writeGeoPackageGeometry } from '../geopackage/wkb.js';
import type { SqlJsLike } from '../read/types.js';
import { cellText, type FeatureLayer, layersByKind, noDefinitionNote } from './common.js';

/**
 * Writes OGC GeoPackage 1.3 files with sql.js: the three required tables (`gpkg_spatial_ref_sys`,
 * `gpkg_contents`, `gpkg_geometry_columns`), one feature table per kind of geometry, and GeoPackage
 * geometry blobs (little-endian WKB behind a header with the envelope). No spatial index (the
 * `gpkg_rtree_index` extension needs SQL functions that sql.js does not have); QGIS and GDAL build
 * one when they need it.
 */

/** Options of {@link writeGeoPackage}. */
export interface GeoPackageOptions {
  /** Name of the feature table: `communities`; `communities_point` … when geometry kinds are mixed. */
  readonly name: string;
  /**
   * The system the coordinates are in (default WGS84). Its EPSG code is the tables' `srs_id`, and its
   * WKT the definition in `gpkg_spatial_ref_sys`; a system without a code gets `srs_id` 100000.
   */
  readonly crs?: Crs;
  /** The output file, named in warnings. */
  readonly file?: string;
  /** Time stamped in `gpkg_contents.last_change` (default: now); fixed in tests. */
  readonly date?: Date;
  /**
   * Loads sql.js. By default `import('sql.js')` with its bundled WebAssembly, which works in Node; a
   * browser passes one that says where `sql-wasm.wasm` is served (as {@link ReadOptions.loadSqlJs}).
   */
  readonly loadSqlJs?: () => Promise<SqlJsLike>;
}

/** A written GeoPackage. */
export interface GeoPackageWritten {
  /** The file's bytes. */
  readonly bytes: Uint8Array;
  /** Names of the feature tables: one, or one per kind of geometry. */
  readonly tables: string[];
  /** The `srs_id` of the feature tables' geometry columns. */
  readonly srsId: number;
  readonly warnings: Warning[];
}

/** GeoPackage 1.3.0 (GeoPackage, clause 1.1.1.1.1): `GPKG` as a big-endian integer, and 1.3.0. */
const APPLICATION_ID = 0x47504b47;
const USER_VERSION = 10300;
/** The `srs_id` of an output system without an EPSG code: the first past GDAL's custom range start. */
const CUSTOM_SRS_ID = 100000;
const FID = 'fid';
const GEOMETRY_COLUMN = 'geom';

type Kind = 'point' | 'line' | 'polygon' | 'collection';
const KIND_OF: Readonly<Record<string, Kind>> = {
  Point: 'point',
  MultiPoint: 'point',
  LineString: 'line',
  MultiLineString: 'line',
  Polygon: 'polygon',
  MultiPolygon: 'polygon',
  GeometryCollection: 'collection',
};
const MULTI: Readonly<Record<string, Geometry['type']>> = {
  Point: 'MultiPoint',
  LineString: 'MultiLineString',
  Polygon: 'MultiPolygon',
};

// GeoPackage 1.3, table 1: DATETIME is ISO 8601 text `YYYY-MM-DDTHH:MM:SS.SSSZ` in UTC, what
// `Date.toISOString` writes.
type ColumnType = 'BOOLEAN' | 'INTEGER' | 'DOUBLE' | 'DATETIME' | 'TEXT';

type Layer = FeatureLayer<Geometry>;

interface SrsRow {
  readonly srs_name: string;
  readonly srs_id: number;
  readonly organization: string;
  readonly organization_coordsys_id: number;
  readonly definition: string;
  readonly description: string;
}

// The three rows every GeoPackage holds (GeoPackage 1.3, requirement 11).
const REQUIRED_SRS: readonly SrsRow[] = [
  {
    srs_name: 'WGS 84 geodetic',
    srs_id: 4326,
    organization: 'EPSG',
    organization_coordsys_id: 4326,
    definition: WGS84.wkt!,
    description: 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid',
  },
  {
    srs_name: 'Undefined cartesian SRS',
    srs_id: -1,
    organization: 'NONE',
    organization_coordsys_id: -1,
    definition: 'undefined',
    description: 'undefined cartesian coordinate reference system',
  },
  {
    srs_name: 'Undefined geographic SRS',
    srs_id: 0,
    organization: 'NONE',
    organization_coordsys_id: 0,
    definition: 'undefined',
    description: 'undefined geographic coordinate reference system',
  },
];

/**
 * The row of `gpkg_spatial_ref_sys` for the output system. An EPSG system is filed under its code,
 * with its WKT where lifecircle has one (GDAL looks the code up otherwise). GCJ-02 and BD-09 have
 * neither: they are filed under `NONE` with their id (`gcj02`) as the name, which lifecircle's
 * reader recognises.
 */
function srsRowOf(crs: Crs): SrsRow {
  if (crs.epsg !== null) {
    return {
      srs_name: crs.name,
      srs_id: crs.epsg,
      organization: 'EPSG',
      organization_coordsys_id: crs.epsg,
      definition: crs.wkt ?? 'undefined',
      description: crs.name,
    };
  }
  return {
    srs_name: crs.wkt ? crs.name : (crs.proj4 ?? crs.id),
    srs_id: CUSTOM_SRS_ID,
    organization: 'NONE',
    organization_coordsys_id: CUSTOM_SRS_ID,
    definition: crs.wkt ?? 'undefined',
    description: crs.name,
  };
}

function quoted(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** The GeoPackage geometry type name of a layer's geometries: one type, or the multi type of its kind. */
function geometryTypeName(geometries: readonly (Geometry | null)[], kind: Kind | null): string {
  const types = new Set(geometries.filter((g) => g !== null).map((g) => g.type));
  if (kind === null || types.size === 0) return 'GEOMETRY';
  if (types.size === 1) return [...types][0]!.toUpperCase();
  if (kind === 'collection') return 'GEOMETRYCOLLECTION';
  return MULTI[kind === 'point' ? 'Point' : kind === 'line' ? 'LineString' : 'Polygon']!.toUpperCase();
}

/** A single geometry as the multi geometry of one part, so a table holds one type (as ogr2ogr's PROMOTE_TO_MULTI). */
function promoted(geometry: Geometry, typeName: string): Geometry {
  const multi = MULTI[geometry.type];
  if (multi === undefined || multi.toUpperCase() !== typeName) return geometry;
  return { type: multi, coordinates: [(geometry as { coordinates: unknown }).coordinates] } as Geometry;
}

function columnTypeOf(values: readonly unknown[]): ColumnType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return 'TEXT';
  if (present.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  if (present.every((v) => v instanceof Date)) return 'DATETIME';
  if (present.every((v) => typeof v === 'number')) {
    // NaN and infinities are written as NULL, so they do not make a column of whole numbers DOUBLE.
    const finite = present.filter((v) => Number.isFinite(v));
    return finite.every((v) => Number.isSafeInteger(v)) ? 'INTEGER' : 'DOUBLE';
  }
  return 'TEXT';
}

function cellOf(value: unknown, type: ColumnType): string | number | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'BOOLEAN':
      return value ? 1 : 0;
    case 'INTEGER':
    case 'DOUBLE':
      return Number.isFinite(value) ? (value as number) : null;
    case 'DATETIME':
    case 'TEXT':
      return cellText(value);
  }
}

/**
 * Column names for the property keys: SQLite compares names without case, and `fid` and `geom` are
 * the table's own, so a key equal to one of those (in any case) gets a `_2` suffix; with the renamings.
 */
function columnNames(keys: readonly string[]): { names: string[]; renamed: [string, string][] } {
  const used = new Set([FID, GEOMETRY_COLUMN]);
  const renamed: [string, string][] = [];
  const names = keys.map((key) => {
    const base = key === '' ? 'field' : key;
    let name = base;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}_${k}`;
    used.add(name.toLowerCase());
    if (name !== key) renamed.push([key, name]);
    return name;
  });
  return { names, renamed };
}

type Database = InstanceType<SqlJsLike['Database']>;

function createRequiredTables(db: Database, srs: readonly SrsRow[]): void {
  // The table definitions of GeoPackage 1.3, Annex C.
  db.exec(`
    PRAGMA application_id = ${APPLICATION_ID};
    PRAGMA user_version = ${USER_VERSION};
    CREATE TABLE gpkg_spatial_ref_sys (
      srs_name TEXT NOT NULL,
      srs_id INTEGER NOT NULL PRIMARY KEY,
      organization TEXT NOT NULL,
      organization_coordsys_id INTEGER NOT NULL,
      definition TEXT NOT NULL,
      description TEXT
    );
    CREATE TABLE gpkg_contents (
      table_name TEXT NOT NULL PRIMARY KEY,
      data_type TEXT NOT NULL,
      identifier TEXT UNIQUE,
      description TEXT DEFAULT '',
      last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      min_x DOUBLE,
      min_y DOUBLE,
      max_x DOUBLE,
      max_y DOUBLE,
      srs_id INTEGER,
      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
    );
    CREATE TABLE gpkg_geometry_columns (
      table_name TEXT NOT NULL,
      column_name TEXT NOT NULL,
      geometry_type_name TEXT NOT NULL,
      srs_id INTEGER NOT NULL,
      z TINYINT NOT NULL,
      m TINYINT NOT NULL,
      CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
      CONSTRAINT uk_gc_table_name UNIQUE (table_name),
      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
      CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
    );
  `);
  const insert = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
  try {
    for (const row of srs) {
      insert.run([
        row.srs_name,
        row.srs_id,
        row.organization,
        row.organization_coordsys_id,
        row.definition,
        row.description,
      ]);
    }
  } finally {
    insert.free();
  }
}

/** Writes one feature table and its rows in gpkg_contents and gpkg_geometry_columns; returns its renamings. */
function writeTable(
  db: Database,
  table: string,
  kind: Kind | null,
  layer: Layer,
  srsId: number,
  lastChange: string,
): [string, string][] {
  const typeName = geometryTypeName(layer.geometries, kind);
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const row of layer.rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  const { names, renamed } = columnNames(keys);
  const types = keys.map((key) => columnTypeOf(layer.rows.map((row) => row[key])));
  const columns = names.map((name, k) => `${quoted(name)} ${types[k]}`);
  db.exec(
    `CREATE TABLE ${quoted(table)} (${FID} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, ${GEOMETRY_COLUMN} ${typeName}${columns.map((c) => `, ${c}`).join('')})`,
  );
  const insert = db.prepare(
    `INSERT INTO ${quoted(table)} (${[GEOMETRY_COLUMN, ...names].map(quoted).join(', ')}) VALUES (${['?', ...names.map(() => '?')].join(', ')})`,
  );
  // The table's extent, [minX, minY, maxX, maxY], grown by each geometry's.
  const extent = [Infinity, Infinity, -Infinity, -Infinity];
  let withZ = 0;
  let written = 0;
  try {
    for (const [r, row] of layer.rows.entries()) {
      const geometry = layer.geometries[r] ?? null;
      let blob: Uint8Array | null = null;
      if (geometry !== null) {
        const shape = promoted(geometry, typeName);
        const z = hasZ(shape);
        blob = writeGeoPackageGeometry(shape, srsId, z);
        written++;
        if (z) withZ++;
        const e = extentOf(shape);
        if (e !== null) {
          for (const i of [0, 1]) extent[i] = Math.min(extent[i]!, e[i]!);
          for (const i of [2, 3]) extent[i] = Math.max(extent[i]!, e[i]!);
        }
      }
      insert.run([blob, ...keys.map((key, k) => cellOf(row[key], types[k]!))]);
    }
  } finally {
    insert.free();
  }
  const [minX, minY, maxX, maxY] = extent[0] === Infinity ? [null, null, null, null] : extent;
  db.exec(
    'INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [table, 'features', table, '', lastChange, minX, minY, maxX, maxY, srsId],
  );
  // z: 0 none of the geometries has heights, 1 all do, 2 some do (GeoPackage 1.3, requirement 27).
  const z = withZ === 0 ? 0 : withZ === written ? 1 : 2;
  db.exec('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, ?, 0)', [
    table,
    GEOMETRY_COLUMN,
    typeName,
    srsId,
    z,
  ]);
  return renamed;
}

/**
 * Writes a FeatureCollection as a GeoPackage (version 1.3): a feature table named `name` with an
 * integer primary key `fid`, the geometry in `geom`, and one typed column per property (BOOLEAN,
 * INTEGER, DOUBLE, DATETIME or TEXT from the values; text in UTF-8, dates as ISO 8601 UTC text
 * (`2026-12-07T09:30:00.000Z`, the standard's DATETIME; an invalid date is NULL), arrays as `a;b` as
 * in the CSV outputs, objects as JSON). A table holds one geometry type: polygons and multipolygons together become
 * multipolygons, and points, lines and polygons together one table per kind (`name_point` …);
 * features without a geometry get a NULL one. Coordinates are written as given, in `crs`, whose EPSG
 * code is the `srs_id` (`gpkg_spatial_ref_sys` also holds EPSG:4326 and the two undefined systems,
 * as the standard requires).
 *
 * Warns (`output-field-renamed`) when a property is called `fid` or `geom`, or repeats another but
 * for case, which SQLite does not tell apart, and (`output-no-wkt`) when lifecircle has no WKT of
 * the system, as for GCJ-02, BD-09 or a UTM code.
 *
 * @example
 * const { bytes } = await writeGeoPackage(communities, { name: 'communities', crs: crsOfEpsg(4524)! });
 * writeFileSync('communities.gpkg', bytes);
 */
export async function writeGeoPackage(
  collection: unknown,
  options: GeoPackageOptions,
): Promise<GeoPackageWritten> {
  const crs = options.crs ?? WGS84;
  const file = options.file ?? `${options.name}.gpkg`;
  const srs = srsRowOf(crs);
  let SQL: SqlJsLike;
  try {
    SQL = await (options.loadSqlJs ?? loadDefaultSqlJs)();
  } catch (error) {
    throw new Error(
      `sql.js, which writes GeoPackage files, could not be loaded: ${(error as Error).message}`,
    );
  }
  const db = new SQL.Database();
  const warnings: Warning[] = [];
  const tables: string[] = [];
  try {
    createRequiredTables(db, srs.srs_id === 4326 ? REQUIRED_SRS : [...REQUIRED_SRS, srs]);
    const layers = layersByKind<Kind | null, Geometry>(collection, KIND_OF, null);
    const lastChange = (options.date ?? new Date()).toISOString();
    const renamedAll = new Map<string, string>();
    db.exec('BEGIN');
    for (const [kind, layer] of layers) {
      const table = layers.size === 1 ? options.name : `${options.name}_${kind ?? 'geometry'}`;
      for (const [from, to] of writeTable(db, table, kind, layer, srs.srs_id, lastChange)) {
        renamedAll.set(from, to);
      }
      tables.push(table);
    }
    db.exec('COMMIT');
    if (renamedAll.size > 0) {
      warnings.push({
        code: 'output-field-renamed',
        file,
        message: `${renamedAll.size} properties were renamed for the GeoPackage, whose column names ignore case and whose fid and geom columns are its own: ${[
          ...renamedAll,
        ]
          .map(([from, to]) => `${from} → ${to}`)
          .join(', ')}`,
      });
    }
    if (srs.definition === 'undefined') {
      warnings.push({
        code: 'output-no-wkt',
        file,
        message: `the coordinate system is filed as ${srs.organization === 'EPSG' ? `EPSG:${srs.srs_id}` : `'${srs.srs_name}'`} (srs_id ${srs.srs_id}) with the definition 'undefined': ${noDefinitionNote(crs)}`,
      });
    }
    return { bytes: db.export(), tables, srsId: srs.srs_id, warnings };
  } finally {
    db.close();
  }
}
