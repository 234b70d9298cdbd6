import { InputError, OptionError, type Rejection, type Warning } from '@lifecircle/core';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { Cell, FeatureRead, ReadOptions, TableRead } from '../read/types.js';
import { decimalValue } from './table.js';

// Header names of coordinate columns, most specific first: with both `lng` and `x`, `lng` wins.
const LON_NAMES = ['longitude', 'lon', 'lng', 'long', '经度', '东经', 'x'];
const LAT_NAMES = ['latitude', 'lat', '纬度', '北纬', 'y'];

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

function namedColumn(columns: readonly string[], name: string, option: 'lonColumn' | 'latColumn'): string {
  const exact = columns.find((c) => c === name) ?? columns.find((c) => normalized(c) === normalized(name));
  if (exact === undefined) {
    const flag = option === 'lonColumn' ? '--lon-column' : '--lat-column';
    throw new OptionError(
      option,
      `no column named '${name}' (CLI: ${flag}); the table has ${columns.map((c) => `'${c}'`).join(', ')}.`,
    );
  }
  return exact;
}

/**
 * The longitude and latitude columns of a table: the ones named by option, else the first header
 * among lon, lng, long, longitude, x, 经度, 东经 and lat, latitude, y, 纬度, 北纬 (any case, trimmed).
 * A table without them is an {@link InputError} listing the headers it has.
 */
export function coordinateColumns(
  table: Pick<TableRead, 'file' | 'columns'>,
  options: Pick<ReadOptions, 'lonColumn' | 'latColumn'> = {},
): { lon: string; lat: string; warnings: Warning[] } {
  const { file, columns } = table;
  const lon = options.lonColumn
    ? { column: namedColumn(columns, options.lonColumn, 'lonColumn'), others: [] }
    : findColumn(columns, LON_NAMES);
  const lat = options.latColumn
    ? { column: namedColumn(columns, options.latColumn, 'latColumn'), others: [] }
    : findColumn(columns, LAT_NAMES);
  if (lon.column === undefined || lat.column === undefined) {
    const missing = [lon.column === undefined ? 'longitude' : '', lat.column === undefined ? 'latitude' : '']
      .filter(Boolean)
      .join(' and ');
    throw new InputError(
      file,
      `found no ${missing} column. Its headers are ${columns.map((c) => `'${c}'`).join(', ') || '(none)'}; ` +
        'expected lon/lng/longitude/x/经度 and lat/latitude/y/纬度, or name them (CLI: --lon-column, --lat-column).',
    );
  }
  const warnings: Warning[] = [];
  if (lon.others.length > 0 || lat.others.length > 0) {
    warnings.push({
      code: 'column-renamed',
      file,
      message: `coordinates read from columns '${lon.column}' and '${lat.column}'; ${[...lon.others, ...lat.others].map((c) => `'${c}'`).join(', ')} also look like coordinates (name the ones to use with --lon-column, --lat-column)`,
    });
  }
  return { lon: lon.column, lat: lat.column, warnings };
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

/**
 * Point features from a table's longitude and latitude columns; the other columns become properties.
 * A row whose coordinate is missing or not a number is rejected with its row and column; one in range
 * or not is left for validation to judge, which knows swapped and projected coordinates.
 */
export function tableToFeatures(
  table: TableRead,
  options: Pick<ReadOptions, 'lonColumn' | 'latColumn'> = {},
): FeatureRead {
  const { file } = table;
  const { lon, lat, warnings } = coordinateColumns(table, options);
  const features: Feature<Point>[] = [];
  const rejected: Rejection[] = [...table.rejected];
  const index: number[] = [];
  const row: number[] = [];
  table.records.forEach((record, k) => {
    const x = coordinate(record[lon] ?? null);
    const y = coordinate(record[lat] ?? null);
    const bad = Number.isNaN(x) ? lon : Number.isNaN(y) ? lat : null;
    if (bad !== null) {
      const raw = record[bad];
      const what = bad === lon ? 'longitude' : 'latitude';
      rejected.push({
        file,
        index: table.index[k]!,
        row: table.rows[k]!,
        id: idOf(record),
        field: bad,
        reason:
          raw === null || raw === undefined
            ? `missing ${what}`
            : `expected a ${what} in decimal degrees, got ${JSON.stringify(raw)}`,
      });
      return;
    }
    const properties: Record<string, Cell> = {};
    for (const [key, value] of Object.entries(record))
      if (key !== lon && key !== lat) properties[key] = value;
    features.push({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [x, y] } });
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
  };
}
