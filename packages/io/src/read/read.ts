import { InputError, type Warning } from '@lifecircle/core';
import { isFlatGeobuf, readFlatGeobuf } from '../flatgeobuf/flatgeobuf.js';
import { isSqlite, listGeoPackageTables, readGeoPackage } from '../geopackage/geopackage.js';
import { readGeoJson, readGeoJsonSeq } from '../json/geojson.js';
import { recordStart } from '../json/text-sequence.js';
import { resolveLimits } from '../limits.js';
import { describeContent, osmFormatOf, readOsm } from '../osm/read.js';
import { xmlRootElement } from '../osm/xml.js';
import {
  listZipShapefiles,
  readDbfRecords,
  readShapefileParts,
  readShapefileZip,
} from '../shapefile/shapefile.js';
import { parseDelimited } from '../table/delimited.js';
import { tableToFeatures } from '../table/points.js';
import { tableFromCells } from '../table/table.js';
import { listWorksheets, readWorksheet } from '../table/xlsx.js';
import { decodeText } from '../text/encoding.js';
import { isZip, unzipEntries } from '../zip/zip.js';
import { wordingOf } from './hints.js';
import type { Bytes, Cell, FeatureRead, InputFormat, ReadOptions, TableRead } from './types.js';

const EXTENSION_FORMATS: Readonly<Record<string, InputFormat>> = {
  geojson: 'geojson',
  json: 'geojson',
  geojsonl: 'geojsonseq',
  geojsons: 'geojsonseq',
  geojsonseq: 'geojsonseq',
  ndjson: 'geojsonseq',
  jsonl: 'geojsonseq',
  csv: 'csv',
  tsv: 'csv',
  tab: 'csv',
  txt: 'csv',
  xlsx: 'xlsx',
  xlsm: 'xlsx',
  shp: 'shapefile',
  dbf: 'dbf',
  zip: 'shapefile',
  fgb: 'flatgeobuf',
  gpkg: 'geopackage',
  osm: 'osm-xml',
  pbf: 'osm-pbf',
};

const FORMAT_NAMES: Readonly<Partial<Record<InputFormat, string>>> = {
  'osm-xml': 'OSM XML',
  'osm-pbf': 'OSM PBF',
};

/** The message for an OpenStreetMap file given where no OSM reading was asked for. */
function osmGivenAsOther(fileName: string, format: InputFormat, asWhat: string): InputError {
  return new InputError(
    fileName,
    `this looks like ${FORMAT_NAMES[format]} (OpenStreetMap data)${asWhat}: give it as the road network or the facilities.`,
  );
}

/**
 * What a file's first bytes say it is when they carry a signature (zip, SQLite, FlatGeobuf, shapefile,
 * TIFF, HTML), as the format it would be read as (or null for one not read here) and its name in
 * messages; null when the bytes carry no signature (text tables, JSON).
 */
function signatureOf(data: Uint8Array): { format: InputFormat | null; name: string; hint: string } | null {
  if (isZip(data)) {
    return {
      format: 'shapefile',
      name: 'a zip archive (a zipped shapefile or an XLSX workbook)',
      hint: 'name it .zip or .xlsx',
    };
  }
  if (isSqlite(data))
    return { format: 'geopackage', name: 'a GeoPackage (SQLite database)', hint: 'name it .gpkg' };
  if (isFlatGeobuf(data)) return { format: 'flatgeobuf', name: 'FlatGeobuf', hint: 'name it .fgb' };
  if (isDbase(data)) {
    return {
      format: 'dbf',
      name: "a dBASE table (a shapefile's .dbf, its attributes without the shapes)",
      hint: 'give the .shp beside it (with its .dbf, .shx and .prj), or a .zip of all the parts',
    };
  }
  if (data.byteLength >= 4 && data[0] === 0 && data[1] === 0 && data[2] === 0x27 && data[3] === 0x0a) {
    return {
      format: 'shapefile',
      name: 'a shapefile .shp',
      hint: 'name it .shp, with its .dbf and .prj beside it',
    };
  }
  const tiff =
    (data[0] === 0x49 && data[1] === 0x49 && (data[2] === 42 || data[2] === 43) && data[3] === 0) ||
    (data[0] === 0x4d && data[1] === 0x4d && data[2] === 0 && (data[3] === 42 || data[3] === 43));
  if (tiff) {
    return {
      format: null,
      name: 'a GeoTIFF raster',
      hint: 'a raster is read as a population raster or an elevation model (DEM), not as features',
    };
  }
  const head = new TextDecoder('utf-8')
    .decode(data.subarray(0, 512))
    .replace(/^\ufeff/, '')
    .trimStart();
  if (/^(<!doctype html|<html|<head|<body)/i.test(head)) {
    return {
      format: null,
      name: 'an HTML web page',
      hint: 'a download that returned an error or login page instead of the data; download the file again',
    };
  }
  return null;
}

// dBASE III/IV and FoxPro version bytes, as shapefile writers (ArcGIS, QGIS, shapelib) put them.
const DBASE_VERSIONS = new Set([0x02, 0x03, 0x04, 0x30, 0x31, 0x32, 0x83, 0x8b, 0xf5]);

/**
 * A dBASE table by its header: a version byte, a valid last-update month and day, and the field
 * descriptors (32 bytes each after a 32-byte header) ended by 0x0D where the header length says.
 * No text table starts so: its version byte is a control character.
 */
function isDbase(data: Uint8Array): boolean {
  if (data.byteLength < 33 || !DBASE_VERSIONS.has(data[0]!)) return false;
  const month = data[2]!;
  const day = data[3]!;
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const headerLength = data[8]! | (data[9]! << 8);
  if (headerLength < 33 || headerLength > data.byteLength) return false;
  // FoxPro (0x30–0x32) puts a 263-byte backlink between the descriptors and the records.
  const end = data[0]! >= 0x30 && data[0]! <= 0x32 ? headerLength - 264 : headerLength - 1;
  return end >= 32 && (end - 32) % 32 === 0 && data[end] === 0x0d;
}

/**
 * What the text of a file says it is when that contradicts its extension: JSON under a table's
 * extension (.csv, .txt …), a delimited table under a JSON one. Null when they agree or it cannot tell.
 */
function textMismatch(head: string, byExtension: InputFormat): { name: string; hint: string } | null {
  const json = head.startsWith('{') || head.startsWith('[');
  if (byExtension === 'csv' && json) {
    return {
      name: 'JSON (GeoJSON?), not a delimited text table',
      hint: 'name it .geojson (or .geojsonl for one feature a line)',
    };
  }
  if ((byExtension === 'geojson' || byExtension === 'geojsonseq') && !json && head.length > 0) {
    const firstLine = head.split(/\r?\n/, 1)[0]!;
    if (!/[,\t;|]/.test(firstLine) || !/^[\P{Cc}\t]*$/u.test(firstLine)) return null;
    return {
      name: `a delimited text table (CSV), not JSON: its first line is '${firstLine.slice(0, 80)}'`,
      hint: 'name it .csv (or .tsv)',
    };
  }
  return null;
}

/** Which formats a signature may stand for under an extension (a zip is a shapefile or a workbook). */
function signatureFits(signature: InputFormat, byExtension: InputFormat): boolean {
  if (signature === byExtension) return true;
  return signature === 'shapefile' && byExtension === 'xlsx';
}

function extensionOf(fileName: string): string {
  return /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
}

function asUint8Array(bytes: Bytes): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}

/**
 * The format of a file: OpenStreetMap XML or PBF by content whatever the extension; else by its
 * extension when it has a known one, else by its first bytes (zip, SQLite, FlatGeobuf and shapefile
 * signatures; JSON text; otherwise delimited text). An `.osm`/`.pbf` file that is not OSM, and XML
 * that is not OSM, are refused with what they look like. A zip holding
 * `xl/workbook.xml` is a workbook, any other zip is read as a zipped shapefile.
 *
 * @example
 * detectFormat(bytes, '社区.csv'); // 'csv'
 */
export function detectFormat(bytes: Bytes, fileName: string): InputFormat {
  const ext = extensionOf(fileName);
  if (ext === 'xls' || ext === 'et') {
    throw new InputError(
      fileName,
      'is an old binary Excel (.xls) or WPS workbook, which cannot be read; save it as .xlsx or export the sheet as CSV.',
    );
  }
  const data = asUint8Array(bytes);
  if (data.byteLength === 0) {
    throw new InputError(fileName, 'is empty: it has 0 bytes (an interrupted download or copy?).');
  }
  const byExtension = EXTENSION_FORMATS[ext];
  // OSM by content first: an extract saved as .xml, .txt or .csv is still read, or refused by name.
  const osm = osmFormatOf(data);
  if (osm) return osm;
  if (byExtension === 'osm-xml' || byExtension === 'osm-pbf') {
    throw new InputError(
      fileName,
      `has the extension .${ext} but is not ${FORMAT_NAMES[byExtension]}: ${describeContent(data)}.`,
    );
  }
  // A file whose bytes say it is something else than its extension: named for what it looks like,
  // never parsed as a table whose header is binary noise.
  const signature = signatureOf(data);
  if (
    signature &&
    (signature.format === null || (byExtension && !signatureFits(signature.format, byExtension)))
  ) {
    throw new InputError(
      fileName,
      `${ext ? `has the extension .${ext} but ` : ''}this looks like ${signature.name}: ${signature.hint}.`,
    );
  }
  // Other XML (KML, GML) would otherwise be parsed as a table with '<?xml …' as its header.
  const xmlRoot = xmlRootElement(new TextDecoder('utf-8').decode(data.subarray(0, 4096)));
  if (xmlRoot !== null) {
    throw new InputError(
      fileName,
      `is XML with the root element <${xmlRoot}>, which is not a format read here (GeoJSON, CSV, TSV, XLSX, shapefile, FlatGeobuf, GeoPackage or OpenStreetMap <osm> XML).`,
    );
  }
  if (byExtension === 'shapefile' && ext === 'zip') return zipFormat(data, fileName);
  if (byExtension) {
    const mismatch = textMismatch(
      new TextDecoder('utf-8')
        .decode(data.subarray(0, 4096))
        .replace(/^\ufeff/, '')
        .trimStart(),
      byExtension,
    );
    if (mismatch) {
      throw new InputError(
        fileName,
        `has the extension .${ext} but this looks like ${mismatch.name}: ${mismatch.hint}.`,
      );
    }
    return byExtension;
  }
  if (isZip(data)) return zipFormat(data, fileName);
  if (isSqlite(data)) return 'geopackage';
  if (isFlatGeobuf(data)) return 'flatgeobuf';
  if (data.byteLength >= 4 && data[0] === 0 && data[1] === 0 && data[2] === 0x27 && data[3] === 0x0a) {
    return 'shapefile';
  }
  if (isDbase(data)) return 'dbf';
  const head = new TextDecoder('utf-8')
    .decode(data.subarray(0, 4096))
    .replace(/^\ufeff/, '')
    .trimStart();
  if (recordStart(head) > 0) return 'geojsonseq';
  if (head.startsWith('{')) {
    const firstLine = head.split(/\r?\n/, 1)[0]!;
    try {
      const value = JSON.parse(firstLine) as { type?: unknown };
      if (value.type === 'Feature' && head.length > firstLine.length + 1) return 'geojsonseq';
    } catch {
      // A FeatureCollection spread over lines: its first line is not JSON on its own.
    }
    return 'geojson';
  }
  return 'csv';
}

function zipFormat(data: Uint8Array, fileName: string): InputFormat {
  if (!isZip(data)) {
    throw new InputError(fileName, 'is not a zip archive: it does not start with the zip signature.');
  }
  const { names } = unzipEntries(data, fileName, () => false);
  return names.includes('xl/workbook.xml') ? 'xlsx' : 'shapefile';
}

function replaceExtension(fileName: string, ext: string): string[] {
  const stem = fileName.replace(/\.[^./\\]+$/, '');
  return [`${stem}.${ext}`, `${stem}.${ext.toUpperCase()}`];
}

async function sibling(
  fileName: string,
  ext: string,
  options: ReadOptions,
): Promise<{ name: string; bytes: Uint8Array } | undefined> {
  if (!options.readSibling) return undefined;
  for (const name of replaceExtension(fileName, ext)) {
    const bytes = await options.readSibling(name);
    if (bytes !== undefined) return { name, bytes: asUint8Array(bytes) };
  }
  return undefined;
}

/**
 * Reads features from a file of any supported format, chosen by its extension or first bytes: GeoJSON,
 * newline-delimited GeoJSON, CSV/TSV and XLSX points, shapefiles (`.shp` with its siblings through
 * `readSibling`, or a `.zip`), FlatGeobuf and GeoPackage. Returns GeoJSON, the coordinate system the
 * file declares, and the rows or features it could not read, each naming the file, row or index, id
 * and field. A file that cannot be read at all is an {@link InputError} (an option that cannot apply,
 * such as an unknown encoding or layer, an `OptionError`).
 *
 * @example
 * const read = await readFeatures(await file.arrayBuffer(), file.name, { encoding: 'gbk' });
 * read.collection.features; // GeoJSON features
 * read.rejected;            // [{ file, index, row, id, field, reason }, …]
 */
export async function readFeatures(
  bytes: Bytes,
  fileName: string,
  options: ReadOptions = {},
): Promise<FeatureRead> {
  const data = asUint8Array(bytes);
  const format = detectFormat(data, fileName);
  switch (format) {
    // JSON is UTF-8 by definition (RFC 8259), so `encoding`, meant for tables and .dbf files, does not
    // apply; a GBK GeoJSON is still detected, with a warning.
    case 'geojson':
      return readGeoJson(decodeText(data, fileName), fileName, resolveLimits(options.limits));
    case 'geojsonseq':
      return readGeoJsonSeq(decodeText(data, fileName), fileName, resolveLimits(options.limits));
    case 'csv':
    case 'xlsx':
      return tableToFeatures(await readTableFrom(data, fileName, format, options), options);
    case 'dbf': {
      const shp = await sibling(fileName, 'shp', options);
      return readShapefileParts(
        {
          ...(shp ? { shp } : {}),
          dbf: { name: fileName, bytes: data },
          ...optional('prj', await sibling(fileName, 'prj', options)),
          ...optional('cpg', await sibling(fileName, 'cpg', options)),
        },
        fileName,
        options,
      );
    }
    case 'shapefile':
      if (isZip(data) || extensionOf(fileName) === 'zip') return readShapefileZip(data, fileName, options);
      return readShapefileParts(
        {
          shp: { name: fileName, bytes: data },
          ...optional('dbf', await sibling(fileName, 'dbf', options)),
          ...optional('prj', await sibling(fileName, 'prj', options)),
          ...optional('cpg', await sibling(fileName, 'cpg', options)),
        },
        fileName,
        options,
      );
    case 'flatgeobuf':
      return readFlatGeobuf(data, fileName, options);
    case 'geopackage':
      return readGeoPackage(data, fileName, options);
    case 'osm-xml':
    case 'osm-pbf': {
      if (!options.osm) throw osmGivenAsOther(fileName, format, '');
      const read = await readOsm(data, fileName, {
        ...options.osm,
        ...(options.limits ? { limits: options.limits } : {}),
      });
      return {
        file: fileName,
        format: read.format,
        collection: read.collection,
        // OSM coordinates are WGS84 by definition, like GeoJSON without a crs member.
        crs: null,
        encoding: read.format === 'osm-xml' ? 'utf-8' : null,
        rejected: [],
        warnings: read.warnings,
        origins: null,
        osm: read.summary,
      };
    }
  }
}

/**
 * The layers a file holds, as the `layer` reading option names them: a GeoPackage's feature tables, an
 * XLSX workbook's sheets, a zip's shapefiles (without `.shp`). Empty for formats of one layer (GeoJSON,
 * CSV, a lone shapefile, FlatGeobuf, OSM). A program lists them to let the user choose one when there
 * are several, then reads it with `layer`.
 *
 * @example
 * const layers = await listLayers(bytes, 'communities.csv'); // []: a table has one layer
 * // A GeoPackage gives its feature tables (['communities', 'facilities']), a workbook its sheets, a
 * // zip its shapefiles; the one chosen is read with readFeatures(bytes, name, { layer }).
 */
export async function listLayers(
  bytes: Bytes,
  fileName: string,
  options: Pick<ReadOptions, 'loadSqlJs' | 'limits'> = {},
): Promise<string[]> {
  const data = asUint8Array(bytes);
  const format = detectFormat(data, fileName);
  switch (format) {
    case 'geopackage':
      return listGeoPackageTables(data, fileName, options);
    case 'xlsx':
      return listWorksheets(data, fileName, resolveLimits(options.limits));
    case 'shapefile':
      return isZip(data) ? listZipShapefiles(data, fileName, options) : [];
    default:
      return [];
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Reads a table without locations (CSV, TSV, XLSX or a lone `.dbf`), such as population by community
 * for a join: its columns, one record per row with numbers where a column is numeric, and each
 * record's spreadsheet row.
 *
 * @example
 * const { records, rows } = await readTable(bytes, '人口.csv');
 * records[0]; // { 社区编码: '0012', 人口: 651 }
 */
export async function readTable(
  bytes: Bytes,
  fileName: string,
  options: ReadOptions = {},
): Promise<TableRead> {
  const data = asUint8Array(bytes);
  const format = detectFormat(data, fileName);
  if (format === 'osm-xml' || format === 'osm-pbf') throw osmGivenAsOther(fileName, format, ', not a table');
  if (format !== 'csv' && format !== 'xlsx' && format !== 'dbf') {
    throw new InputError(fileName, `is a ${format} file, not a table (CSV, TSV, XLSX or DBF).`);
  }
  return readTableFrom(data, fileName, format, options);
}

async function readTableFrom(
  data: Uint8Array,
  fileName: string,
  format: 'csv' | 'xlsx' | 'dbf',
  options: ReadOptions,
): Promise<TableRead> {
  if (format === 'dbf') {
    const { records, encoding, warnings } = await readDbfRecords(data, fileName, options);
    const columns = Object.keys(records[0] ?? {});
    const cells: Cell[][] = [columns, ...records.map((r) => columns.map((c) => cellValue(r[c])))];
    return tableFromCells(
      fileName,
      'dbf',
      cells,
      cells.map((_, i) => i + 1),
      encoding,
      warnings,
    );
  }
  let cells: Cell[][];
  let rows: number[];
  let encoding: string | null = null;
  const warnings: Warning[] = [];
  if (format === 'xlsx') {
    const sheet = await readWorksheet(
      data,
      fileName,
      options.layer,
      resolveLimits(options.limits),
      wordingOf(options),
    );
    warnings.push(...sheet.warnings);
    cells = [];
    rows = [];
    sheet.cells.forEach((row, r) => {
      if (row.some((c) => c !== null && c !== '')) {
        cells.push(row);
        rows.push(r + 1);
      }
    });
  } else {
    const decoded = decodeText(data, fileName, options.encoding, wordingOf(options));
    encoding = decoded.encoding;
    if (decoded.warning) warnings.push(decoded.warning);
    const ext = extensionOf(fileName);
    const parsed = parseDelimited(
      decoded.text,
      fileName,
      ext === 'tsv' || ext === 'tab' ? '\t' : undefined,
      resolveLimits(options.limits),
    );
    cells = parsed.cells;
    rows = parsed.rows;
  }
  const header = headerRow(cells);
  if (header > 0) {
    warnings.push({
      code: 'rows-skipped',
      file: fileName,
      message: `the header was taken from row ${rows[header]}; ${header > 1 ? 'rows' : 'row'} ${rows
        .slice(0, header)
        .join(', ')} above it (${cells
        .slice(0, header)
        .map((row) => JSON.stringify(row.filter((c) => c !== null && c !== '').join(' ')))
        .join(', ')}) looked like a title and ${header > 1 ? 'were' : 'was'} skipped`,
    });
  }
  if (cells.length === 0) throw new InputError(fileName, 'is empty: it has no header row and no data.');
  return tableFromCells(fileName, format, cells.slice(header), rows.slice(header), encoding, warnings);
}

function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

/**
 * The header's position among the non-empty rows: the first with two or more values, so that a title
 * row above the table (常见于导出的统计表) is not taken for it.
 */
function headerRow(cells: readonly (readonly Cell[])[]): number {
  const filled = (row: readonly Cell[]) => row.filter((c) => c !== null && c !== '').length;
  const widest = Math.max(0, ...cells.slice(0, 20).map(filled));
  if (widest < 2) return 0;
  const index = cells.slice(0, 20).findIndex((row) => filled(row) >= 2);
  return Math.max(0, index);
}
