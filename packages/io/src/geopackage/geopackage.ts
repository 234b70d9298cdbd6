import { InputError, OptionError, type Rejection } from '@lifecircle/core';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { parseCrs } from '../crs/parse.js';
import { checkCrsText, LimitError, type ReadLimits, resolveLimits } from '../limits.js';
import { ReadOptionError, wordingOf } from '../read/hints.js';
import type { DeclaredCrs, FeatureRead, ReadOptions, SqlJsLike } from '../read/types.js';
import { readGeoPackageGeometry } from './wkb.js';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** True when the bytes start like an SQLite database, which a GeoPackage is. */
export function isSqlite(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 16) return false;
  for (let i = 0; i < 16; i++) if (bytes[i] !== SQLITE_MAGIC.charCodeAt(i)) return false;
  return true;
}

let defaultSqlJs: Promise<SqlJsLike> | undefined;

/**
 * sql.js with its bundled WebAssembly, loaded once, only when a GeoPackage is read or written: the
 * WebAssembly is large, and most inputs are not GeoPackages.
 */
export function loadDefaultSqlJs(): Promise<SqlJsLike> {
  defaultSqlJs ??= import('sql.js').then((module) => {
    const init = (module as unknown as { default?: typeof module.default }).default ?? module;
    return (init as unknown as () => Promise<SqlJsLike>)();
  });
  return defaultSqlJs;
}

type Database = InstanceType<SqlJsLike['Database']>;

function rows(db: Database, sql: string, params: unknown[] = []): Record<string, unknown>[] {
  const [result] = db.exec(sql, params);
  if (!result) return [];
  return result.values.map((values) => Object.fromEntries(result.columns.map((c, i) => [c, values[i]])));
}

function quoted(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

const GPKG_TABLES = ['gpkg_contents', 'gpkg_geometry_columns', 'gpkg_spatial_ref_sys'] as const;

/**
 * Checks the schema before any query touches the data: the GeoPackage tables and the feature table
 * must be tables. A view runs a query each time it is read, and a recursive one never ends or fills
 * memory; reading only tables keeps the work proportional to the file.
 */
function checkSchema(db: Database, file: string): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const row of rows(db, "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')")) {
    kinds.set(String(row.name), String(row.type));
  }
  for (const name of GPKG_TABLES) {
    const kind = kinds.get(name);
    if (kind === undefined) {
      throw new InputError(
        file,
        name === 'gpkg_spatial_ref_sys'
          ? 'is not a valid GeoPackage: it has no gpkg_spatial_ref_sys table, so the coordinate system of its features cannot be known.'
          : `is an SQLite database but not a GeoPackage feature store: it has no ${name} table.`,
      );
    }
    if (kind !== 'table') {
      throw new InputError(
        file,
        `is not a valid GeoPackage: ${name} is a ${kind}, not a table (views are not read, as a view can be made to run without end).`,
      );
    }
  }
  return kinds;
}

/** sql.js errors (a malformed page, a missing column) as a message naming the file. */
function query(db: Database, file: string, sql: string, params: unknown[] = []): Record<string, unknown>[] {
  try {
    return rows(db, sql, params);
  } catch (error) {
    throw new InputError(file, `cannot be read as a GeoPackage (${(error as Error).message}).`);
  }
}

/** Opens a GeoPackage's SQLite database with sql.js (the caller closes it). */
async function openGeoPackage(
  bytes: Uint8Array,
  file: string,
  options: Pick<ReadOptions, 'loadSqlJs'>,
): Promise<Database> {
  if (!isSqlite(bytes)) {
    throw new InputError(file, 'is not a GeoPackage: it does not start like an SQLite database.');
  }
  let SQL: SqlJsLike;
  try {
    SQL = await (options.loadSqlJs ?? loadDefaultSqlJs)();
  } catch (error) {
    throw new Error(`sql.js, which reads GeoPackage files, could not be loaded: ${(error as Error).message}`);
  }
  try {
    return new SQL.Database(bytes);
  } catch (error) {
    throw new InputError(file, `is not a readable SQLite database (${(error as Error).message}).`);
  }
}

/** The tables and views of a GeoPackage, and its feature tables (name, geometry column, srs) by name. */
function featureTables(
  db: Database,
  file: string,
): { kinds: Map<string, string>; layers: Record<string, unknown>[] } {
  let kinds: Map<string, string>;
  try {
    kinds = checkSchema(db, file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(file, `is not a readable SQLite database (${(error as Error).message}).`);
  }
  try {
    const layers = rows(
      db,
      `SELECT c.table_name AS name, g.column_name AS geometry, c.srs_id AS srs
         FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
        WHERE c.data_type = 'features' ORDER BY c.table_name`,
    );
    return { kinds, layers };
  } catch (error) {
    throw new InputError(
      file,
      `is an SQLite database but not a GeoPackage feature store (${(error as Error).message}).`,
    );
  }
}

/** The names of a GeoPackage's feature tables, in the order `readGeoPackage` lists them. */
export async function listGeoPackageTables(
  bytes: Uint8Array,
  file: string,
  options: Pick<ReadOptions, 'loadSqlJs'> = {},
): Promise<string[]> {
  const db = await openGeoPackage(bytes, file, options);
  try {
    return featureTables(db, file).layers.map((l) => String(l.name));
  } finally {
    db.close();
  }
}

/**
 * Reads one feature table of a GeoPackage with sql.js: geometry from the GeoPackage blobs (a small WKB
 * reader), the other columns as properties, the primary key as the feature id, and the table's
 * coordinate system from `gpkg_spatial_ref_sys`. `layer` names the table when there are several.
 * A blob that cannot be read is a rejected feature naming its row id.
 */
export async function readGeoPackage(
  bytes: Uint8Array,
  file: string,
  options: Pick<ReadOptions, 'layer' | 'loadSqlJs' | 'limits' | 'optionWording'> = {},
): Promise<FeatureRead> {
  const limits = resolveLimits(options.limits);
  const db = await openGeoPackage(bytes, file, options);
  try {
    const { kinds, layers } = featureTables(db, file);
    const names = layers.map((l) => String(l.name));
    if (layers.length === 0) throw new InputError(file, 'is a GeoPackage with no feature tables.');
    let layer = layers[0]!;
    if (options.layer !== undefined) {
      const named = layers.find((l) => l.name === options.layer);
      if (!named) {
        throw new OptionError(
          'layer',
          `${file} has no feature table '${options.layer}'; its tables are ${names.map((n) => `'${n}'`).join(', ')}.`,
        );
      }
      layer = named;
    } else if (layers.length > 1) {
      throw new ReadOptionError(
        file,
        `holds ${layers.length} feature tables (${names.map((n) => `'${n}'`).join(', ')}); choose one with ${wordingOf(options)({ option: 'layer' })}.`,
        { option: 'layer' },
      );
    }
    const table = String(layer.name);
    const geometryColumn = String(layer.geometry);
    const kind = kinds.get(table);
    if (kind === undefined) {
      throw new InputError(
        file,
        `is not a valid GeoPackage: gpkg_contents lists the feature table '${table}', which is not in the file.`,
      );
    }
    if (kind !== 'table') {
      throw new InputError(
        file,
        `its feature table '${table}' is a ${kind}, not a table; lifecircle reads only tables (a view can be made to run without end). Export the view to a table first (e.g. ogr2ogr).`,
      );
    }
    const info = query(db, file, `PRAGMA table_info(${quoted(table)})`);
    if (!info.some((c) => c.name === geometryColumn)) {
      throw new InputError(
        file,
        `is not a valid GeoPackage: gpkg_geometry_columns names the geometry column '${geometryColumn}' of '${table}', which has no such column.`,
      );
    }
    const key = info.find((c) => Number(c.pk) === 1 && /int/i.test(String(c.type)))?.name as
      | string
      | undefined;
    // SQLite stores BOOLEAN columns as 0 and 1.
    const booleans = new Set(
      info.filter((c) => /^boolean$/i.test(String(c.type))).map((c) => String(c.name)),
    );
    const features: Feature[] = [];
    const rejected: Rejection[] = [];
    const index: number[] = [];
    let result: { columns: string[]; values: unknown[][] } | undefined;
    try {
      [result] = db.exec(`SELECT * FROM ${quoted(table)}${key ? ` ORDER BY ${quoted(key)}` : ''}`);
    } catch (error) {
      throw new InputError(file, `its table '${table}' cannot be read (${(error as Error).message}).`);
    }
    for (const [k, values] of (result?.values ?? []).entries()) {
      const properties: Record<string, unknown> = {};
      let blob: unknown = null;
      let fid: number | null = null;
      result!.columns.forEach((column, c) => {
        const value = values[c];
        if (column === geometryColumn) blob = value;
        else if (column === key) fid = value as number;
        else if (booleans.has(column) && typeof value === 'number') properties[column] = value !== 0;
        else properties[column] = value instanceof Uint8Array ? null : value;
        if (typeof value === 'string' && value.length > limits.maxPropertyLength) {
          throw new LimitError(
            file,
            `row ${k + 1} of '${table}' holds a text of ${value.length.toLocaleString('en-US')} characters in column '${column}'`,
            'maxPropertyLength',
            limits.maxPropertyLength,
          );
        }
      });
      let geometry: Geometry | null = null;
      if (blob instanceof Uint8Array) {
        try {
          geometry = readGeoPackageGeometry(blob);
        } catch (error) {
          const id = properties.id ?? fid;
          rejected.push({
            file,
            index: k,
            id: id === null || id === undefined ? null : String(id),
            field: geometryColumn,
            reason: `the geometry of ${key ? `${key} ${fid}` : `row ${k + 1}`} cannot be read: ${(error as Error).message}`,
          });
          continue;
        }
      }
      features.push({
        type: 'Feature',
        ...(fid === null ? {} : { id: fid }),
        properties,
        geometry: geometry as Geometry,
      });
      index.push(k);
    }
    const srs = query(
      db,
      file,
      'SELECT srs_name, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?',
      [layer.srs],
    )[0];
    return {
      file,
      format: 'geopackage',
      collection: { type: 'FeatureCollection', features } as FeatureCollection,
      crs: srs ? srsCrs(srs, file, limits) : null,
      encoding: null,
      rejected,
      warnings: [],
      origins: rejected.length === 0 ? null : { index: Uint32Array.from(index), row: null },
    };
  } finally {
    db.close();
  }
}

function srsCrs(srs: Record<string, unknown>, file: string, limits: ReadLimits): DeclaredCrs | null {
  if (typeof srs.definition === 'string') {
    checkCrsText(srs.definition, 'gpkg_spatial_ref_sys', file, limits);
  }
  const org = typeof srs.organization === 'string' ? srs.organization.toUpperCase() : '';
  const code = srs.organization_coordsys_id;
  const srsName = typeof srs.srs_name === 'string' ? srs.srs_name.trim() : '';
  const wkt = typeof srs.definition === 'string' && srs.definition !== 'undefined' ? srs.definition : '';
  const coded = org && org !== 'NONE' && code !== null && code !== undefined ? `${org}:${String(code)}` : '';
  // A system of no organisation (GDAL files custom ones under NONE) is known by its WKT.
  if (wkt) return { source: 'geopackage', ...(coded || srsName ? { name: coded || srsName } : {}), wkt };
  // GeoPackage reserves srs_id -1 and 0 for "undefined" Cartesian and geographic systems. Systems
  // without WKT or code (GCJ-02, BD-09, a proj string) are filed under NONE by a name lifecircle
  // reads, as its writer does; any other name under NONE says nothing usable.
  if (org === 'NONE' || (typeof code === 'number' && code <= 0)) {
    return typeof code === 'number' && code > 0 && isCrsName(srsName)
      ? { source: 'geopackage', name: srsName }
      : null;
  }
  return coded ? { source: 'geopackage', name: coded } : null;
}

function isCrsName(name: string): boolean {
  if (name === '') return false;
  try {
    parseCrs(name);
    return true;
  } catch {
    return false;
  }
}
