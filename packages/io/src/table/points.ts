import { InputError, OptionError, type Rejection, type Warning } from '@lifecircle/core';
import { wktToGeoJSON } from '@terraformer/wkt';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { POPULATION_COLUMNS } from '../join/population.js';
import { type OptionWording, ReadOptionError, type ReadWarning, wordingOf } from '../read/hints.js';
import type { Cell, FeatureRead, ReadOptions, TableRead } from '../read/types.js';
import { decimalValue, setOwnProperty } from './table.js';

// Header names of coordinate columns, most specific first: with both `lng` and `x`, `lng` wins.
const LON_NAMES = ['longitude', 'lon', 'lng', 'long', '经度', '东经', 'x'];
const LAT_NAMES = ['latitude', 'lat', '纬度', '北纬', 'y'];
// One column holding both: `lng,lat` text (AMap's `location`, 坐标) or well-known text (`POINT (…)`).
const PAIR_NAMES = ['location', 'lnglat', 'lonlat', '坐标', '经纬度'];
const WKT_NAMES = ['wkt', 'geometry', 'geom', 'the_geom', 'shape'];

function normalized(name: string): string {
  return name.trim().toLowerCase();
}

function findColumn(
  columns: readonly string[],
  names: readonly string[],
): { column: string | undefined; others: string[] } {
  const found = names.flatMap((n) => columns.filter((c) => normalized(c) === n));
  return { column: found[0], others: found.slice(1) };
}

function namedColumn(
  columns: readonly string[],
  name: string,
  option: 'lonColumn' | 'latColumn' | 'positionColumn',
  wording: OptionWording,
): string {
  const exact = columns.find((c) => c === name) ?? columns.find((c) => normalized(c) === normalized(name));
  if (exact === undefined) {
    throw new OptionError(
      option,
      `no column named '${name}' (${wording({ option })}); the table has ${columns.map((c) => `'${c}'`).join(', ')}.`,
    );
  }
  return exact;
}

/** Where a table's positions are: two columns, one `lng,lat` column, or one column of WKT. */
export type CoordinateColumns =
  | { readonly kind: 'lonlat'; readonly lon: string; readonly lat: string }
  | { readonly kind: 'pair' | 'wkt'; readonly column: string };

/**
 * Which column or columns a table's positions were read from: summary.json's `inputs.ROLE.columns`
 * and `lifecircle inspect` list them beside the attributes' columns.
 */
export interface PositionColumnUse {
  /**
   * `longitude` and `latitude` (two columns), `position` (one column of `lng,lat` text, AMap's
   * `location`) or `geometry` (one column of well-known text).
   */
  readonly role: 'longitude' | 'latitude' | 'position' | 'geometry';
  readonly column: string;
  /** `named` by an option (`lonColumn`, `latColumn`, `positionColumn`), or `detected` from its header. */
  readonly source: 'named' | 'detected';
}

/** The {@link PositionColumnUse}s of a table's positions, named by the options or detected. */
export function positionColumnUses(
  where: CoordinateColumns,
  options: Pick<ReadOptions, 'lonColumn' | 'latColumn' | 'positionColumn'>,
): PositionColumnUse[] {
  const source = (option: string | undefined) => (option ? 'named' : 'detected');
  if (where.kind !== 'lonlat') {
    const role = where.kind === 'wkt' ? 'geometry' : 'position';
    return [{ role, column: where.column, source: source(options.positionColumn) }];
  }
  return [
    { role: 'longitude', column: where.lon, source: source(options.lonColumn) },
    { role: 'latitude', column: where.lat, source: source(options.latColumn) },
  ];
}

/** Whether a column named by `positionColumn` holds WKT or `lng,lat`: its name, else its first value. */
function positionKind(column: string, records: readonly Record<string, Cell>[] | undefined): 'pair' | 'wkt' {
  if (WKT_NAMES.includes(normalized(column))) return 'wkt';
  if (PAIR_NAMES.includes(normalized(column))) return 'pair';
  const first = records?.map((r) => r[column]).find((v) => v !== null && v !== undefined && v !== '');
  // Well-known text starts with its geometry's name (or an EWKT `SRID=…;`); `lng,lat` with a number.
  return typeof first === 'string' && /^\s*[a-z]/i.test(first) ? 'wkt' : 'pair';
}

/**
 * The columns of a table's positions: the longitude and latitude columns named by option, else the
 * first header among lon, lng, long, longitude, x, 经度, 东经 and lat, latitude, y, 纬度, 北纬 (any
 * case, trimmed); without those, one column of `lng,lat` text (location, lnglat, 坐标, 经纬度, as AMap
 * exports) or of well-known text (wkt, geometry, geom). `positionColumn` names that one column
 * instead (WKT or `lng,lat` by its name, else its first value). A table with none is an
 * {@link InputError} listing the headers it has.
 */
export function coordinateColumns(
  table: Pick<TableRead, 'file' | 'columns'> & { readonly records?: TableRead['records'] },
  options: Pick<ReadOptions, 'lonColumn' | 'latColumn' | 'positionColumn' | 'optionWording'> = {},
): { columns: CoordinateColumns; warnings: Warning[] } {
  const { file, columns } = table;
  const wording = wordingOf(options);
  if (options.positionColumn) {
    if (options.lonColumn || options.latColumn) {
      throw new OptionError(
        'positionColumn',
        `give either one position column (${wording({ option: 'positionColumn' })}) or the longitude and latitude columns, not both.`,
      );
    }
    const column = namedColumn(columns, options.positionColumn, 'positionColumn', wording);
    return { columns: { kind: positionKind(column, table.records), column }, warnings: [] };
  }
  const both = `${wording({ option: 'lonColumn' })}, ${wording({ option: 'latColumn' })}`;
  const lon = options.lonColumn
    ? { column: namedColumn(columns, options.lonColumn, 'lonColumn', wording), others: [] }
    : findColumn(columns, LON_NAMES);
  const lat = options.latColumn
    ? { column: namedColumn(columns, options.latColumn, 'latColumn', wording), others: [] }
    : findColumn(columns, LAT_NAMES);
  if (lon.column === undefined || lat.column === undefined) {
    if (!options.lonColumn && !options.latColumn) {
      const pair = findColumn(columns, PAIR_NAMES).column;
      if (pair !== undefined) return { columns: { kind: 'pair', column: pair }, warnings: [] };
      const wkt = findColumn(columns, WKT_NAMES).column;
      if (wkt !== undefined) return { columns: { kind: 'wkt', column: wkt }, warnings: [] };
    }
    const missing = [lon.column === undefined ? 'longitude' : '', lat.column === undefined ? 'latitude' : '']
      .filter(Boolean)
      .join(' and ');
    throw new ReadOptionError(
      file,
      `found no ${missing} column. Its headers are ${columns.map((c) => `'${c}'`).join(', ') || '(none)'}; ` +
        'expected lon/lng/longitude/x/经度 and lat/latitude/y/纬度, one location/坐标 column of lng,lat, ' +
        `or one wkt/geometry column of well-known text, or name them (${both}).` +
        populationTableHint(columns, lon.column === undefined && lat.column === undefined),
      { option: lon.column === undefined ? 'lonColumn' : 'latColumn' },
    );
  }
  const warnings: Warning[] = [];
  if (lon.others.length > 0 || lat.others.length > 0) {
    warnings.push({
      code: 'column-renamed',
      file,
      message: `coordinates read from columns '${lon.column}' and '${lat.column}'; ${[...lon.others, ...lat.others].map((c) => `'${c}'`).join(', ')} also look like coordinates (name the ones to use with ${both})`,
      hint: { option: lon.others.length > 0 ? 'lonColumn' : 'latColumn' },
    } as ReadWarning);
  }
  return { columns: { kind: 'lonlat', lon: lon.column, lat: lat.column }, warnings };
}

/**
 * A census table (population by community, no positions) given where features are expected: the
 * sentence saying how it is used instead, or '' when the table has positions or no population column.
 */
function populationTableHint(columns: readonly string[], noPositions: boolean): string {
  if (!noPositions) return '';
  const population = columns.find((c) => POPULATION_COLUMNS.includes(c.trim().toLowerCase()));
  if (population === undefined) return '';
  return ` With its column '${population}' and no positions it looks like a table of population by community: join it to the community boundaries instead (CLI: --population-table FILE, with --join-by name when it has names, not codes; library: joinPopulation).`;
}

function coordinate(value: Cell): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return decimalValue(value);
  return Number.NaN;
}

function idOf(record: Record<string, Cell>): string | null {
  const raw = record.id ?? record.ID ?? record.Id;
  return raw === null || raw === undefined || raw === '' ? null : String(raw);
}

/** A position's geometry from one row, or why it has none. */
type Located = { readonly geometry: Geometry } | { readonly field: string; readonly reason: string };

function locate(record: Record<string, Cell>, where: CoordinateColumns): Located {
  if (where.kind === 'lonlat') {
    const x = coordinate(record[where.lon] ?? null);
    const y = coordinate(record[where.lat] ?? null);
    const bad = Number.isNaN(x) ? where.lon : Number.isNaN(y) ? where.lat : null;
    if (bad === null) return { geometry: { type: 'Point', coordinates: [x, y] } };
    const raw = record[bad];
    const what = bad === where.lon ? 'longitude' : 'latitude';
    return {
      field: bad,
      reason:
        raw === null || raw === undefined
          ? `missing ${what}`
          : `expected a ${what} in decimal degrees, got ${JSON.stringify(raw)}`,
    };
  }
  const raw = record[where.column];
  const text = typeof raw === 'string' ? raw.trim() : raw === null || raw === undefined ? '' : String(raw);
  if (text === '') return { field: where.column, reason: 'missing position' };
  if (where.kind === 'pair') {
    // AMap writes `116.397,39.909`; a space or full-width comma is accepted too.
    const parts = text.split(/\s*[,，\s]\s*/);
    const [x, y] = parts.map(decimalValue);
    if (parts.length === 2 && !Number.isNaN(x) && !Number.isNaN(y)) {
      return { geometry: { type: 'Point', coordinates: [x!, y!] } };
    }
    return {
      field: where.column,
      reason: `expected longitude,latitude in decimal degrees (such as 116.397,39.909), got ${JSON.stringify(raw)}`,
    };
  }
  try {
    const geometry = wktToGeoJSON(text.replace(/^SRID=\d+;/i, '')) as Geometry;
    if (geometry && typeof geometry.type === 'string') return { geometry };
  } catch {
    // Reported below with what was expected.
  }
  return {
    field: where.column,
    reason: `expected well-known text such as POINT (116.397 39.909), got ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}`,
  };
}

/**
 * Features from a table's positions: its longitude and latitude columns, or one column of `lng,lat`
 * or WKT (see {@link coordinateColumns}); the other columns become properties. A row whose position
 * is missing or not a number is rejected with its row and column; one in range or not is left for
 * validation to judge, which knows swapped and projected coordinates.
 */
export function tableToFeatures(
  table: TableRead,
  options: Pick<ReadOptions, 'lonColumn' | 'latColumn' | 'positionColumn' | 'optionWording'> = {},
): FeatureRead {
  const { file } = table;
  const { columns: where, warnings } = coordinateColumns(table, options);
  const positionColumns = where.kind === 'lonlat' ? [where.lon, where.lat] : [where.column];
  const features: Feature[] = [];
  const rejected: Rejection[] = [...table.rejected];
  const index: number[] = [];
  const row: number[] = [];
  table.records.forEach((record, k) => {
    const located = locate(record, where);
    if (!('geometry' in located)) {
      rejected.push({
        file,
        index: table.index[k]!,
        row: table.rows[k]!,
        id: idOf(record),
        field: located.field,
        reason: located.reason,
      });
      return;
    }
    const properties: Record<string, Cell> = {};
    for (const [key, value] of Object.entries(record))
      if (!positionColumns.includes(key)) setOwnProperty(properties, key, value);
    features.push({ type: 'Feature', properties, geometry: located.geometry });
    index.push(table.index[k]!);
    row.push(table.rows[k]!);
  });
  // Rejections in file order, whichever step found them.
  rejected.sort((a, b) => a.index - b.index);
  return {
    file,
    format: table.format,
    collection: { type: 'FeatureCollection', features } as FeatureCollection,
    crs: null,
    encoding: table.encoding,
    rejected,
    warnings: [...table.warnings, ...warnings],
    origins: { index: Uint32Array.from(index), row: Uint32Array.from(row) },
    positions: where,
  };
}
