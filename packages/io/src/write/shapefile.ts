import type { Warning } from '@lifecircle/core';
import { strToU8, zipSync } from 'fflate';
import { type CrsNamed, cellText, layersByKind, noDefinitionNote } from './common.js';

/**
 * Writes ESRI shapefiles (.shp, .shx, .dbf, .prj, .cpg), zipped. Written here rather than with
 * `@mapbox/shp-write` (checked at 0.4.3): its DBF writer stores each character's low byte, so Chinese
 * names come out garbled, it writes no .cpg, and it keeps GeoJSON's counter-clockwise outer rings,
 * which shapefile readers take for holes.
 */

/** Options of {@link shapefileZip}. */
export interface ShapefileOptions {
  /** Base name of the files in the zip: `communities` gives communities.shp, .shx, .dbf … */
  readonly name: string;
  /** WKT for the .prj file; null writes none (GCJ-02 and BD-09 have no standard one). */
  readonly prj: string | null;
  /** The system the coordinates are in, named in the warning when there is no `prj`. */
  readonly crs?: CrsNamed;
  /** The output file, named in warnings. */
  readonly file?: string;
  /**
   * Date stamped in the .dbf header and on the zip's entries (default: today); fixed in tests for
   * byte-identical output. Any date will do: the zip's entries, whose time holds 1980 to 2099 only,
   * take the nearest of those years.
   */
  readonly date?: Date;
}

/** A written shapefile. */
export interface ShapefileWritten {
  /** The zip's bytes. */
  readonly bytes: Uint8Array;
  /** Names of the files in the zip. */
  readonly entries: string[];
  readonly warnings: Warning[];
}

type ShapeKind = 'point' | 'multipoint' | 'line' | 'polygon';
const SHAPE_TYPE: Record<ShapeKind, number> = { point: 1, line: 3, polygon: 5, multipoint: 8 };
const KIND_OF: Record<string, ShapeKind> = {
  Point: 'point',
  MultiPoint: 'multipoint',
  LineString: 'line',
  MultiLineString: 'line',
  Polygon: 'polygon',
  MultiPolygon: 'polygon',
};
/** dBase limits: 10-byte field names, 254-byte text. */
const FIELD_NAME_BYTES = 10;
const TEXT_BYTES = 254;
const NUMBER_WIDTH = 24;
const MAX_DECIMALS = 15;

type Point2 = [number, number];
interface Shape {
  readonly parts: Point2[][];
}

function points(coordinates: unknown): Point2[] {
  if (!Array.isArray(coordinates)) return [];
  return coordinates
    .filter((p): p is number[] => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]))
    .map((p) => [p[0]!, p[1]!]);
}

/** Twice the signed area; positive for counter-clockwise rings (x east, y north). */
function signedArea2(ring: readonly Point2[]): number {
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    area += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return area;
}

/** Shapefile polygons: outer rings clockwise, holes counter-clockwise (the reverse of RFC 7946). */
function orientedRings(polygon: unknown): Point2[][] {
  if (!Array.isArray(polygon)) return [];
  return polygon.map((ring, r) => {
    const p = points(ring);
    const clockwise = signedArea2(p) < 0;
    return (r === 0) === clockwise ? p : [...p].reverse();
  });
}

function shapeOf(geometry: Record<string, unknown>): Shape {
  const c = geometry.coordinates;
  switch (geometry.type) {
    case 'Point': {
      const p = points([c]);
      return { parts: p.length > 0 ? [p] : [] };
    }
    case 'MultiPoint':
    case 'LineString':
      return { parts: [points(c)].filter((p) => p.length > 0) };
    case 'MultiLineString':
      return { parts: Array.isArray(c) ? c.map(points).filter((p) => p.length > 0) : [] };
    case 'Polygon':
      return { parts: orientedRings(c).filter((p) => p.length > 0) };
    case 'MultiPolygon':
      return { parts: Array.isArray(c) ? c.flatMap(orientedRings).filter((p) => p.length > 0) : [] };
    default:
      return { parts: [] };
  }
}

/** Content bytes of one record (without its 8-byte header). */
function contentBytes(kind: ShapeKind, shape: Shape): number {
  const n = shape.parts.reduce((sum, part) => sum + part.length, 0);
  if (n === 0) return 4; // null shape
  if (kind === 'point') return 20;
  if (kind === 'multipoint') return 40 + 16 * n;
  return 44 + 4 * shape.parts.length + 16 * n;
}

function writeHeader(view: DataView, shapeType: number, bytes: number, box: readonly number[]): void {
  view.setInt32(0, 9994, false);
  view.setInt32(24, bytes / 2, false);
  view.setInt32(28, 1000, true);
  view.setInt32(32, shapeType, true);
  for (let i = 0; i < 4; i++) view.setFloat64(36 + 8 * i, box[i]!, true);
}

function boxOf(parts: readonly Point2[][]): [number, number, number, number] {
  let [xmin, ymin, xmax, ymax] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const part of parts) {
    for (const [x, y] of part) {
      if (x < xmin) xmin = x;
      if (y < ymin) ymin = y;
      if (x > xmax) xmax = x;
      if (y > ymax) ymax = y;
    }
  }
  return [xmin, ymin, xmax, ymax];
}

/** The .shp and .shx of one layer. */
function shpAndShx(kind: ShapeKind, shapes: readonly Shape[]): { shp: Uint8Array; shx: Uint8Array } {
  const shapeType = SHAPE_TYPE[kind];
  const contents = shapes.map((s) => contentBytes(kind, s));
  const shpBytes = 100 + contents.reduce((sum, c) => sum + 8 + c, 0);
  const shxBytes = 100 + 8 * shapes.length;
  const shp = new Uint8Array(shpBytes);
  const shx = new Uint8Array(shxBytes);
  const sv = new DataView(shp.buffer);
  const xv = new DataView(shx.buffer);
  const all = boxOf(shapes.flatMap((s) => s.parts));
  const box = Number.isFinite(all[0]) ? all : [0, 0, 0, 0];
  writeHeader(sv, shapeType, shpBytes, box);
  writeHeader(xv, shapeType, shxBytes, box);
  let offset = 100;
  shapes.forEach((shape, i) => {
    const content = contents[i]!;
    xv.setInt32(100 + 8 * i, offset / 2, false);
    xv.setInt32(104 + 8 * i, content / 2, false);
    sv.setInt32(offset, i + 1, false);
    sv.setInt32(offset + 4, content / 2, false);
    let o = offset + 8;
    const n = shape.parts.reduce((sum, part) => sum + part.length, 0);
    if (n === 0) {
      sv.setInt32(o, 0, true);
    } else if (kind === 'point') {
      const [x, y] = shape.parts[0]![0]!;
      sv.setInt32(o, shapeType, true);
      sv.setFloat64(o + 4, x, true);
      sv.setFloat64(o + 12, y, true);
    } else {
      sv.setInt32(o, shapeType, true);
      const box = boxOf(shape.parts);
      for (let k = 0; k < 4; k++) sv.setFloat64(o + 4 + 8 * k, box[k]!, true);
      o += 36;
      if (kind === 'multipoint') {
        sv.setInt32(o, n, true);
        o += 4;
      } else {
        sv.setInt32(o, shape.parts.length, true);
        sv.setInt32(o + 4, n, true);
        o += 8;
        let start = 0;
        for (const part of shape.parts) {
          sv.setInt32(o, start, true);
          o += 4;
          start += part.length;
        }
      }
      for (const part of shape.parts) {
        for (const [x, y] of part) {
          sv.setFloat64(o, x, true);
          sv.setFloat64(o + 8, y, true);
          o += 16;
        }
      }
    }
    offset += 8 + content;
  });
  return { shp, shx };
}

interface Field {
  readonly key: string;
  readonly name: string;
  readonly type: 'C' | 'N' | 'L' | 'D';
  readonly length: number;
  readonly decimals: number;
}

/** Cuts UTF-8 bytes at a character boundary. */
function utf8Prefix(text: string, maxBytes: number): Uint8Array {
  const bytes = strToU8(text);
  if (bytes.length <= maxBytes) return bytes;
  let end = maxBytes;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

function decimalsOf(value: number): number {
  if (Number.isInteger(value)) return 0;
  const text = String(value);
  if (text.includes('e')) return MAX_DECIMALS;
  return Math.min(MAX_DECIMALS, text.length - text.indexOf('.') - 1);
}

/** The longest prefix of whole characters that fits in `maxBytes` of UTF-8. */
function fitBytes(text: string, maxBytes: number): string {
  let out = '';
  for (const ch of text) {
    if (strToU8(out + ch).length > maxBytes) break;
    out += ch;
  }
  return out;
}

/** Field names within 10 bytes, unique (case-insensitively, as dBase compares them); with the renamings. */
function fieldNames(keys: readonly string[]): { names: string[]; renamed: [string, string][] } {
  const used = new Set<string>();
  const renamed: [string, string][] = [];
  const names = keys.map((key) => {
    let name = fitBytes(key, FIELD_NAME_BYTES) || 'field';
    for (let k = 1; used.has(name.toLowerCase()); k++) {
      const suffix = `_${k}`;
      name = fitBytes(key, FIELD_NAME_BYTES - suffix.length) + suffix;
    }
    used.add(name.toLowerCase());
    if (name !== key) renamed.push([key, name]);
    return name;
  });
  return { names, renamed };
}

/**
 * A date field's value, `YYYYMMDD`, of the date's UTC calendar day (a date read from ISO text such
 * as `2025-01-01` is that day's UTC midnight); null, left blank, for an invalid date or a year beyond
 * four digits.
 */
function dbfDate(date: Date): string | null {
  const year = date.getUTCFullYear();
  if (!Number.isFinite(year) || year < 0 || year > 9999) return null;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}`;
}

/**
 * A zip entry's modification time: zip's DOS time holds 1980 to 2099 only, so a date before or after
 * (the epoch, `new Date(0)`, as a build fixes it for reproducible output) is its nearest end.
 */
function zipTime(date: Date): Date {
  const year = date.getFullYear();
  if (year < 1980 || Number.isNaN(year)) return new Date(1980, 0, 1);
  if (year > 2099) return new Date(2099, 11, 31);
  return date;
}

/** The .dbf of one layer: UTF-8 text, with the field types read from the values. */
function dbfOf(
  rows: readonly Record<string, unknown>[],
  date: Date,
): { dbf: Uint8Array; renamed: [string, string][]; truncated: string[] } {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  const { names, renamed } = fieldNames(keys);
  const truncated = new Set<string>();
  const fields: Field[] = keys.map((key, k) => {
    const values = rows.map((r) => r[key]).filter((v) => v !== null && v !== undefined);
    if (values.length > 0 && values.every((v) => typeof v === 'boolean')) {
      return { key, name: names[k]!, type: 'L', length: 1, decimals: 0 };
    }
    if (values.length > 0 && values.every((v) => v instanceof Date)) {
      return { key, name: names[k]!, type: 'D', length: 8, decimals: 0 };
    }
    const numbers = values.filter((v): v is number => typeof v === 'number');
    // Numbers beyond 15 digits do not survive a decimal field; they are written as text instead.
    const fitsNumber = numbers.every((v) => !Number.isFinite(v) || Math.abs(v) < 1e15);
    if (values.length > 0 && numbers.length === values.length && fitsNumber) {
      const finite = numbers.filter(Number.isFinite);
      const decimals = Math.max(0, ...finite.map(decimalsOf));
      const integerDigits = Math.max(
        1,
        ...finite.map((v) => String(Math.trunc(Math.abs(v))).length + (v < 0 ? 1 : 0)),
      );
      const length = Math.min(NUMBER_WIDTH, integerDigits + (decimals > 0 ? decimals + 1 : 0));
      return {
        key,
        name: names[k]!,
        type: 'N',
        length,
        decimals: Math.min(decimals, Math.max(0, length - integerDigits - 1)),
      };
    }
    const longest = Math.max(1, ...values.map((v) => strToU8(cellText(v) ?? '').length));
    if (longest > TEXT_BYTES) truncated.add(key);
    return { key, name: names[k]!, type: 'C', length: Math.min(TEXT_BYTES, longest), decimals: 0 };
  });
  const headerBytes = 32 + 32 * fields.length + 1;
  const recordBytes = 1 + fields.reduce((sum, f) => sum + f.length, 0);
  const dbf = new Uint8Array(headerBytes + recordBytes * rows.length + 1);
  const view = new DataView(dbf.buffer);
  view.setUint8(0, 0x03);
  // The header's year is one byte counted from 1900.
  view.setUint8(1, Math.min(255, Math.max(0, date.getFullYear() - 1900)));
  view.setUint8(2, date.getMonth() + 1);
  view.setUint8(3, date.getDate());
  view.setUint32(4, rows.length, true);
  view.setUint16(8, headerBytes, true);
  view.setUint16(10, recordBytes, true);
  fields.forEach((f, k) => {
    const at = 32 + 32 * k;
    dbf.set(strToU8(f.name), at);
    view.setUint8(at + 11, f.type.charCodeAt(0));
    view.setUint8(at + 16, f.length);
    view.setUint8(at + 17, f.decimals);
  });
  view.setUint8(headerBytes - 1, 0x0d);
  const space = 0x20;
  rows.forEach((row, r) => {
    let o = headerBytes + r * recordBytes;
    dbf[o++] = space; // not deleted
    for (const f of fields) {
      dbf.fill(space, o, o + f.length);
      const value = row[f.key];
      if (f.type === 'L') {
        dbf[o] = value === true ? 0x54 : value === false ? 0x46 : 0x3f;
      } else if (f.type === 'D') {
        const text = dbfDate(value as Date);
        if (text !== null) dbf.set(strToU8(text), o);
      } else if (f.type === 'N') {
        if (typeof value === 'number' && Number.isFinite(value)) {
          const text = value.toFixed(f.decimals);
          const bytes = strToU8(text.length > f.length ? text.slice(0, f.length) : text);
          dbf.set(bytes, o + f.length - bytes.length);
        }
      } else {
        const text = cellText(value);
        if (text !== null) dbf.set(utf8Prefix(text, f.length), o);
      }
      o += f.length;
    }
  });
  dbf[dbf.length - 1] = 0x1a;
  return { dbf, renamed, truncated: [...truncated] };
}

/**
 * Writes a FeatureCollection as a zipped shapefile: `.shp`, `.shx`, `.dbf` (attributes in UTF-8), `.cpg`
 * (saying UTF-8, so QGIS and ArcGIS read Chinese names right) and `.prj`. A shapefile holds one kind of
 * geometry, so mixed collections become one shapefile per kind (`name_point`, `name_polygon` …);
 * features without a geometry are written as null shapes. Field names longer than dBase's 10 bytes
 * are shortened and made unique, and `name.fields.csv` in the zip maps them back; a field whose values
 * are all `Date`s is a dBase date field (`YYYYMMDD`, the UTC day); arrays become
 * `a;b` text as in the CSV outputs, objects JSON, and text longer than 254 bytes is cut, with a warning.
 *
 * @example
 * const { bytes } = shapefileZip(communities, { name: 'communities', prj: WGS84.wkt });
 * writeFileSync('communities.shp.zip', bytes);
 */
export function shapefileZip(collection: unknown, options: ShapefileOptions): ShapefileWritten {
  const file = options.file ?? `${options.name}.shp.zip`;
  // Features without geometry ride along, as null shapes, with the largest layer.
  const groups = new Map<ShapeKind, { shapes: Shape[]; rows: Record<string, unknown>[] }>();
  for (const [kind, layer] of layersByKind(collection, KIND_OF, 'point' as ShapeKind)) {
    groups.set(kind, {
      shapes: layer.geometries.map((geometry) => (geometry === null ? { parts: [] } : shapeOf(geometry))),
      rows: layer.rows,
    });
  }
  const date = options.date ?? new Date();
  const files: Record<string, Uint8Array> = {};
  const warnings: Warning[] = [];
  const renamedAll = new Map<string, string>();
  const truncatedAll = new Set<string>();
  for (const [kind, group] of groups) {
    const base = groups.size === 1 ? options.name : `${options.name}_${kind}`;
    const { shp, shx } = shpAndShx(kind, group.shapes);
    const { dbf, renamed, truncated } = dbfOf(group.rows, date);
    files[`${base}.shp`] = shp;
    files[`${base}.shx`] = shx;
    files[`${base}.dbf`] = dbf;
    files[`${base}.cpg`] = strToU8('UTF-8');
    if (options.prj !== null) files[`${base}.prj`] = strToU8(options.prj);
    for (const [from, to] of renamed) renamedAll.set(from, to);
    for (const key of truncated) truncatedAll.add(key);
  }
  if (renamedAll.size > 0) {
    const csv = ['field,shapefile_field', ...[...renamedAll].map(([from, to]) => `${from},${to}`)].join(
      '\r\n',
    );
    files[`${options.name}.fields.csv`] = strToU8(`\ufeff${csv}\r\n`);
    warnings.push({
      code: 'output-field-renamed',
      file,
      message: `${renamedAll.size} field names are longer than a shapefile allows (10 bytes) and were shortened, e.g. ${[
        ...renamedAll,
      ]
        .slice(0, 3)
        .map(([from, to]) => `${from} → ${to}`)
        .join(', ')}; ${options.name}.fields.csv in the zip lists them all`,
    });
  }
  if (truncatedAll.size > 0) {
    warnings.push({
      code: 'output-text-truncated',
      file,
      message: `text longer than a shapefile allows (254 bytes) was cut in fields ${[...truncatedAll].join(', ')}; the GeoJSON output has it whole`,
    });
  }
  if (options.prj === null) {
    warnings.push({
      code: 'output-no-prj',
      file,
      message: `no .prj was written: ${noDefinitionNote(options.crs)}`,
    });
  }
  return { bytes: zipSync(files, { level: 6, mtime: zipTime(date) }), entries: Object.keys(files), warnings };
}
