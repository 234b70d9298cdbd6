import { InputError, OptionError, type Warning } from '@lifecircle/core';
import type { Feature, FeatureCollection } from 'geojson';
import { checkCrsText, formatBytes, LimitError, type ReadLimits, resolveLimits } from '../limits.js';
import { type OptionWording, ReadOptionError, type ReadWarning, wordingOf } from '../read/hints.js';
import type { DeclaredCrs, FeatureRead, ReadOptions } from '../read/types.js';
import { isUtf8, textDecoder } from '../text/encoding.js';
import { unzipEntries } from '../zip/zip.js';

/** The files of one shapefile, each with the name to show in messages. */
export interface ShapefileParts {
  readonly shp?: { readonly name: string; readonly bytes: Uint8Array };
  readonly dbf?: { readonly name: string; readonly bytes: Uint8Array };
  readonly prj?: { readonly name: string; readonly bytes: Uint8Array };
  readonly cpg?: { readonly name: string; readonly bytes: Uint8Array };
}

// Shape types the `shapefile` package reads: null, (multi)point, polyline, polygon, each also Z and M.
const SHAPE_TYPES = new Set([0, 1, 3, 5, 8, 11, 13, 15, 18, 21, 23, 25, 28]);
const SHP_FILE_CODE = 9994;
const HEADER_BYTES = 100;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * Checks a `.shp` file's header and walks its record headers, so that a truncated or foreign file is
 * a clear error rather than a failure deep in the parser. Returns the number of shapes.
 */
export function checkShp(bytes: Uint8Array, name: string, file: string): number {
  const where = name === file ? '' : `${name}: `;
  if (bytes.byteLength < HEADER_BYTES) {
    throw new InputError(
      file,
      `${where}is too short to be a shapefile (${bytes.byteLength} bytes; its header alone is ${HEADER_BYTES}).`,
    );
  }
  const v = view(bytes);
  if (v.getInt32(0, false) !== SHP_FILE_CODE || v.getInt32(28, true) !== 1000) {
    throw new InputError(
      file,
      `${where}is not a shapefile .shp: it does not start with the shapefile file code ${SHP_FILE_CODE} and version 1000.`,
    );
  }
  const type = v.getInt32(32, true);
  if (!SHAPE_TYPES.has(type)) {
    throw new InputError(
      file,
      type === 31
        ? `${where}holds MultiPatch (3-D) shapes, which cannot be read; export it as polygons.`
        : `${where}has shape type ${type}, which is not a shapefile shape type.`,
    );
  }
  const declared = v.getInt32(24, false) * 2;
  if (declared > bytes.byteLength) {
    throw new InputError(
      file,
      `${where}is truncated: its header says ${declared} bytes but the file has ${bytes.byteLength}.`,
    );
  }
  let count = 0;
  for (let offset = HEADER_BYTES; offset < declared; ) {
    const length = offset + 8 <= declared ? v.getInt32(offset + 4, false) * 2 : -1;
    if (length < 4 || offset + 8 + length > declared) {
      throw new InputError(
        file,
        `${where}is corrupt or truncated at shape ${count + 1} (byte ${offset}): its record does not fit in the file.`,
      );
    }
    count++;
    offset += 8 + length;
  }
  return count;
}

interface DbfHeader {
  readonly records: number;
  readonly headerLength: number;
  readonly recordLength: number;
  readonly languageDriver: number;
}

function checkDbf(bytes: Uint8Array, name: string, file: string): DbfHeader {
  const where = name === file ? '' : `${name}: `;
  const v = bytes.byteLength >= 32 ? view(bytes) : null;
  const records = v?.getUint32(4, true) ?? 0;
  const headerLength = v?.getUint16(8, true) ?? 0;
  const recordLength = v?.getUint16(10, true) ?? 0;
  if (!v || headerLength < 33 || headerLength > bytes.byteLength || recordLength < 1) {
    throw new InputError(file, `${where}is not a dBASE (.dbf) attribute table: its header is not valid.`);
  }
  if (headerLength + records * recordLength > bytes.byteLength) {
    throw new InputError(
      file,
      `${where}is truncated: its header says ${records} records but only ${Math.floor((bytes.byteLength - headerLength) / recordLength)} fit in the file.`,
    );
  }
  return { records, headerLength, recordLength, languageDriver: bytes[29]! };
}

// dBASE language driver ids that name a Chinese code page (ArcGIS writes 0x4D for GBK).
const LANGUAGE_DRIVERS: Readonly<Record<number, string>> = { 77: 'gbk', 122: 'gbk', 120: 'big5' };

/**
 * The encoding of a `.dbf`'s text: the option, else its `.cpg`, else its language driver id, else
 * UTF-8 when its bytes are valid UTF-8 and GB18030 (GBK) otherwise, with a warning.
 */
function dbfEncoding(
  parts: ShapefileParts,
  header: DbfHeader,
  file: string,
  encoding: string | undefined,
  wording: OptionWording,
): { encoding: string; warning: Warning | null } {
  if (encoding !== undefined) return { encoding: textDecoder(encoding, false).encoding, warning: null };
  const dbf = parts.dbf!;
  if (parts.cpg) {
    const label = new TextDecoder('utf-8').decode(parts.cpg.bytes).trim();
    try {
      return { encoding: textDecoder(label, false).encoding, warning: null };
    } catch {
      // An unknown .cpg is reported below, and the bytes decide instead.
    }
  }
  const driver = LANGUAGE_DRIVERS[header.languageDriver];
  if (driver && !parts.cpg) return { encoding: driver, warning: null };
  const body = dbf.bytes.subarray(32, header.headerLength + header.records * header.recordLength);
  if (isUtf8(body)) return { encoding: 'utf-8', warning: null };
  return {
    encoding: 'gb18030',
    warning: {
      code: 'encoding-guessed',
      file,
      message: `${dbf.name}'s text is not valid UTF-8 and ${parts.cpg ? `${parts.cpg.name} names an unknown encoding` : 'no .cpg file names its encoding'}, so it was read as GBK/GB18030 (the usual encoding of Chinese shapefiles); if names look garbled, give its encoding with ${wording({ option: 'encoding' })}`,
      hint: { option: 'encoding' },
    } as ReadWarning,
  };
}

function prjCrs(prj: ShapefileParts['prj'], file: string, limits: ReadLimits): DeclaredCrs | null {
  if (!prj) return null;
  if (prj.bytes.byteLength > limits.maxPrjBytes) {
    throw new LimitError(
      file,
      `${prj.name} is ${formatBytes(prj.bytes.byteLength)} (a coordinate system's WKT is a few kilobytes)`,
      'maxPrjBytes',
      limits.maxPrjBytes,
    );
  }
  const wkt = new TextDecoder('utf-8').decode(prj.bytes).trim();
  checkCrsText(wkt, prj.name, file, limits);
  if (wkt === '') return null;
  const name = /^\s*[A-Za-z_]+\[\s*"([^"]*)"/.exec(wkt)?.[1];
  return { source: 'prj', wkt, ...(name ? { name } : {}) };
}

/** A `.dbf` date (read by `shapefile` as local midnight) as `YYYY-MM-DD`, like a GeoJSON export. */
function plainValue(value: unknown): unknown {
  if (!(value instanceof Date)) return value;
  if (Number.isNaN(value.getTime())) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

function plainProperties(properties: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties ?? {})) out[key] = plainValue(value);
  return out;
}

/**
 * Reads the features of a shapefile from its parts: geometry from the `.shp`, attributes from the
 * `.dbf` decoded as described by {@link ReadOptions.encoding}, the coordinate system's text from the
 * `.prj`. A shape without geometry (a null shape) becomes a feature with null geometry, which
 * validation rejects by index: nothing is dropped here.
 */
export async function readShapefileParts(
  parts: ShapefileParts,
  file: string,
  options: Pick<ReadOptions, 'encoding' | 'limits' | 'optionWording'> = {},
): Promise<FeatureRead> {
  const { shp, dbf } = parts;
  if (!shp) {
    const name = dbf?.name ?? file;
    throw new InputError(
      file,
      `${name === file ? '' : `${name}: `}a .dbf holds only a shapefile's attributes, and its .shp (the shapes) was not found beside it; give the .shp with its .dbf, or a .zip of all the parts.`,
    );
  }
  if (!dbf) {
    throw new InputError(
      file,
      `${shp.name === file ? '' : `${shp.name}: `}the shapefile's attribute table ${shp.name.replace(/\.shp$/i, '.dbf')} was not found beside it; a shapefile needs its .shp and .dbf (give a .zip of all the parts, or copy the .dbf next to the .shp).`,
    );
  }
  const limits = resolveLimits(options.limits);
  // The coordinate system is checked first: a huge .prj is refused before any parsing.
  const crs = prjCrs(parts.prj, file, limits);
  const shapes = checkShp(shp.bytes, shp.name, file);
  const header = checkDbf(dbf.bytes, dbf.name, file);
  if (header.records !== shapes) {
    throw new InputError(
      file,
      `${shp.name} has ${shapes} shapes but ${dbf.name} has ${header.records} records; the two files do not belong together.`,
    );
  }
  const { encoding, warning } = dbfEncoding(parts, header, file, options.encoding, wordingOf(options));
  const features: Feature[] = [];
  // Loaded on first use: most inputs are not shapefiles, and the CLI starts faster without it.
  const { open } = await import('shapefile');
  try {
    const source = await open(arrayBuffer(shp.bytes), arrayBuffer(dbf.bytes), { encoding });
    for (let result = await source.read(); !result.done; result = await source.read()) {
      const feature = result.value as Feature;
      features.push({
        type: 'Feature',
        properties: plainProperties(feature.properties),
        geometry: feature.geometry,
      });
    }
  } catch (error) {
    throw new InputError(
      file,
      `${shp.name} could not be read: ${(error as Error).message || String(error)}.`,
    );
  }
  return {
    file,
    format: 'shapefile',
    collection: { type: 'FeatureCollection', features } as FeatureCollection,
    crs,
    encoding,
    rejected: [],
    warnings: warning ? [warning] : [],
    origins: null,
  };
}

/** The attribute rows of a lone `.dbf`, for joining a table that has no locations. */
export async function readDbfRecords(
  bytes: Uint8Array,
  file: string,
  options: Pick<ReadOptions, 'encoding' | 'optionWording'> = {},
): Promise<{ records: Record<string, unknown>[]; encoding: string; warnings: Warning[] }> {
  const header = checkDbf(bytes, file, file);
  const { encoding, warning } = dbfEncoding(
    { dbf: { name: file, bytes } },
    header,
    file,
    options.encoding,
    wordingOf(options),
  );
  const records: Record<string, unknown>[] = [];
  const { openDbf } = await import('shapefile');
  try {
    const source = await openDbf(arrayBuffer(bytes), { encoding });
    for (let result = await source.read(); !result.done; result = await source.read()) {
      records.push(plainProperties(result.value));
    }
  } catch (error) {
    throw new InputError(
      file,
      `could not be read as a dBASE table: ${(error as Error).message || String(error)}.`,
    );
  }
  return { records, encoding, warnings: warning ? [warning] : [] };
}

const PART = /\.(shp|dbf|prj|cpg)$/i;

const base = (name: string) => name.replace(PART, '');
/** A shapefile of a zip as its layer is named: the `.shp` entry's name without folder or extension. */
const label = (name: string) => base(name).split('/').pop()!;

/** The shapefiles of a zip archive, as `layer` names them (without folder or `.shp`), unpacking nothing. */
export function listZipShapefiles(
  bytes: Uint8Array,
  file: string,
  options: Pick<ReadOptions, 'limits'> = {},
): string[] {
  const { names } = unzipEntries(bytes, file, () => false, resolveLimits(options.limits));
  return names.filter((n) => /\.shp$/i.test(n)).map(label);
}

/**
 * Reads a shapefile from a zip archive. `layer` names the shapefile (without `.shp`) when the archive
 * holds several.
 */
export async function readShapefileZip(
  bytes: Uint8Array,
  file: string,
  options: Pick<ReadOptions, 'encoding' | 'layer' | 'limits' | 'optionWording'> = {},
): Promise<FeatureRead> {
  const limits = resolveLimits(options.limits);
  // The directory first, unpacking nothing; then only the chosen shapefile's parts.
  const { names } = unzipEntries(bytes, file, () => false, limits);
  const shps = names.filter((n) => /\.shp$/i.test(n));
  let chosen: string | undefined;
  if (options.layer !== undefined) {
    chosen = shps.find((n) => label(n) === options.layer || base(n) === options.layer);
    if (!chosen) {
      throw new OptionError(
        'layer',
        `${file} has no shapefile '${options.layer}'; it holds ${shps.map((n) => `'${label(n)}'`).join(', ') || 'none'}.`,
      );
    }
  } else if (shps.length > 1) {
    throw new ReadOptionError(
      file,
      `holds ${shps.length} shapefiles (${listSome(shps.map((n) => `'${label(n)}'`))}); choose one with ${wordingOf(options)({ option: 'layer' })}.`,
      { option: 'layer' },
    );
  } else chosen = shps[0];
  if (!chosen) {
    const dbfs = names.filter((n) => /\.dbf$/i.test(n));
    throw new InputError(
      file,
      dbfs.length > 0
        ? `holds ${listSome(dbfs)} but no .shp: a .dbf holds only a shapefile's attributes, not its shapes.`
        : `holds no shapefile (.shp): it has ${names.slice(0, 10).join(', ') || 'no files'}${names.length > 10 ? ' …' : ''}.`,
    );
  }
  const chosenStem = base(chosen).toLowerCase();
  const { files } = unzipEntries(
    bytes,
    file,
    (name) => PART.test(name) && base(name).toLowerCase() === chosenStem,
    limits,
  );
  const part = (ext: string) => {
    const name = [...files.keys()].find((n) => n.toLowerCase().endsWith(ext));
    return name ? { name, bytes: files.get(name)! } : undefined;
  };
  const shp = files.get(chosen);
  if (!shp) throw new InputError(file, `${chosen} could not be unpacked from the archive.`);
  const parts: ShapefileParts = {
    shp: { name: chosen, bytes: shp },
    ...optionalPart('dbf', part('.dbf')),
    ...optionalPart('prj', part('.prj')),
    ...optionalPart('cpg', part('.cpg')),
  };
  return readShapefileParts(parts, file, options);
}

/** At most ten items of a list, then how many more, so that a message stays readable. */
function listSome(items: readonly string[]): string {
  return items.length <= 10
    ? items.join(', ')
    : `${items.slice(0, 10).join(', ')} and ${items.length - 10} more`;
}

function optionalPart<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
