import { InputError, OptionError, type Warning } from '@lifecircle/core';
import { type OptionWording, wordingOf } from '../read/hints.js';
import { isOutsideChina } from './chinese-web.js';
import {
  CHINESE_DATUMS,
  type Crs,
  DATUMS,
  type GaussKrugerFamily,
  gaussKrugerCrs,
  isChineseZone,
  WEB_MERCATOR,
  WGS84,
} from './definitions.js';
import { ACCEPTED_CRS_FORMS, CrsError, completeCrs, parseCrs } from './parse.js';
import { reprojectFeatureCollection, toWgs84Transform } from './reproject.js';

/** A coordinate system given by the user, and the option it came from (named in messages). */
export interface CrsDeclaration {
  readonly text: string;
  /** The option, e.g. `--facilities-crs`, or a description such as `the crs setting`. */
  readonly option: string;
}

/** Where an input's coordinate system came from and what was done with it: one entry of summary.json's `crs`. */
export interface InputCrsRecord {
  readonly file: string;
  /** What the file itself declares (the name or WKT of its `.prj` or GeoJSON `crs` member), or null. */
  readonly read: string | null;
  /** What the user declared for it (`--facilities-crs gcj02`), or null. */
  readonly declared: string | null;
  /** What was read from the data: the zone from the eastings' zone number, or null. */
  readonly detected: string | null;
  /** The system the coordinates were taken to be in. */
  readonly used: { readonly id: string; readonly name: string };
  /** Where `used` came from. */
  readonly source: 'option' | 'file' | 'default-option' | 'default';
  /** Whether positions were converted to WGS84. */
  readonly converted: boolean;
}

/** Options of {@link inputToWgs84}. */
export interface InputCrsOptions {
  /** The file name, named in every message. */
  readonly file: string;
  /** The system the file declares itself, as a reader reports it (`.prj` WKT, GeoJSON `crs` name). */
  readonly fileCrs?: { readonly name?: string; readonly wkt?: string } | null;
  /** The system the user gave for this file: wins over the file's own. */
  readonly declared?: CrsDeclaration | null;
  /** The system the user gave for all inputs: used when the file declares none. */
  readonly fallback?: CrsDeclaration | null;
  /**
   * How messages name the option that declares this file's system (`… with --communities-crs, e.g.
   * EPSG:4524`); by default `the crs option`.
   */
  readonly optionWording?: OptionWording;
}

/** The result of {@link inputToWgs84}. */
export interface InputInWgs84<T> {
  /** The FeatureCollection in WGS84 (a new object when anything changed; the input is not modified). */
  readonly collection: T;
  readonly crs: Crs;
  readonly record: InputCrsRecord;
  readonly warnings: Warning[];
}

/** How many positions are looked at to judge a file's coordinates. */
const SAMPLE_SIZE = 5000;
/** Degrees beyond a zone's edges that still count as inside it (data often spills a little). */
const ZONE_MARGIN_DEG = 0.5;
const FEATURES_LISTED = 5;

interface Sampled {
  /** x, y of up to SAMPLE_SIZE positions, interleaved. */
  readonly xy: number[];
  /** The feature of each sampled position. */
  readonly feature: number[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Positions spread over the whole file (every k-th), with the feature each belongs to. */
function samplePositions(value: unknown): Sampled {
  const all: number[] = [];
  const owners: number[] = [];
  const visit = (coordinates: unknown, owner: number): void => {
    if (!Array.isArray(coordinates)) return;
    if (typeof coordinates[0] === 'number') {
      const [x, y] = coordinates as unknown[];
      if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) {
        all.push(x, y);
        owners.push(owner);
      }
      return;
    }
    for (const c of coordinates) visit(c, owner);
  };
  const geometry = (g: unknown, owner: number): void => {
    if (!isRecord(g)) return;
    if (Array.isArray(g.geometries)) for (const part of g.geometries) geometry(part, owner);
    else visit(g.coordinates, owner);
  };
  const features = isRecord(value) && Array.isArray(value.features) ? value.features : [];
  features.forEach((feature: unknown, index: number) => {
    if (isRecord(feature)) geometry(feature.geometry, index);
  });
  const count = owners.length;
  if (count <= SAMPLE_SIZE) return { xy: all, feature: owners };
  const xy: number[] = [];
  const feature: number[] = [];
  const step = count / SAMPLE_SIZE;
  for (let k = 0; k < SAMPLE_SIZE; k++) {
    const i = Math.floor(k * step);
    xy.push(all[2 * i]!, all[2 * i + 1]!);
    feature.push(owners[i]!);
  }
  return { xy, feature };
}

function looksLikeDegrees(x: number, y: number): boolean {
  return Math.abs(x) <= 180 && Math.abs(y) <= 90;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function epsgList(width: 3 | 6, zone: number, prefixed: boolean): string {
  return CHINESE_DATUMS.map((datum) => {
    const crs = gaussKrugerCrs(datum, width, zone, prefixed);
    return `${DATUMS[datum].label} ${crs.id}`;
  }).join(', ');
}

/**
 * What projected coordinates probably are, from their typical easting and northing: a Gauss-Krüger
 * zone when the easting carries a zone number (36 512 345 m → 3° zone 36), Web Mercator when they fall
 * in China as such, or a zone without its number. Returns one sentence per candidate; empty when the
 * coordinates fit none.
 *
 * @example
 * suggestProjected([36378479, 3935329]); // ['3-degree Gauss-Krüger zone 36 (central meridian 108°E) …']
 */
export function suggestProjected(xy: readonly number[]): string[] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i + 1 < xy.length; i += 2) {
    if (!looksLikeDegrees(xy[i]!, xy[i + 1]!)) {
      xs.push(xy[i]!);
      ys.push(xy[i + 1]!);
    }
  }
  if (xs.length === 0) return [];
  const x = median(xs);
  const y = median(ys);
  const suggestions: string[] = [];
  const northingInChina = y > 1_000_000 && y < 6_500_000;
  const prefix = Math.floor(x / 1_000_000);
  for (const width of [3, 6] as const) {
    if (northingInChina && isChineseZone(width, prefix)) {
      const cm = width === 3 ? 3 * prefix : 6 * prefix - 3;
      suggestions.push(
        `${width}-degree Gauss-Krüger zone ${prefix} (central meridian ${cm}°E) with the zone number in front of the easting: ${epsgList(width, prefix, true)}; most data since 2018 is CGCS2000, so try cgcs2000-gk${width}-${prefix}`,
      );
    }
  }
  if (northingInChina && x > 0 && x < 1_000_000) {
    suggestions.push(
      'Gauss-Krüger (or UTM) eastings without a zone number: the central meridian cannot be read from them, so give it, e.g. cgcs2000-gk3-cm108 (EPSG:4534–4554 for CM 75°E–135°E) or EPSG:32648 for UTM zone 48N',
    );
  }
  const [lng, lat] = toWgs84Transform(WEB_MERCATOR)(x, y);
  if (Math.abs(x) <= 20_037_508.35 && !isOutsideChina(lng, lat)) {
    suggestions.push(
      `Web Mercator metres (EPSG:3857), around ${lng.toFixed(3)}°E ${lat.toFixed(3)}°N: give web-mercator`,
    );
  }
  return suggestions;
}

function listFeatures(indices: readonly number[]): string {
  const unique = [...new Set(indices)].sort((a, b) => a - b);
  const shown = unique
    .slice(0, FEATURES_LISTED)
    .map((i) => `#${i}`)
    .join(', ');
  return `${shown}${unique.length > FEATURES_LISTED ? ` and ${unique.length - FEATURES_LISTED} more` : ''}`;
}

function acceptedForms(): string {
  return `Accepted forms:\n${ACCEPTED_CRS_FORMS.map((f) => `  ${f}`).join('\n')}`;
}

function parseDeclared(declaration: CrsDeclaration, file: string): Crs | GaussKrugerFamily {
  try {
    return parseCrs(declaration.text);
  } catch (error) {
    if (!(error instanceof CrsError)) throw error;
    throw new OptionError(
      declaration.option,
      `'${declaration.text}' (for ${file}) ${error.message}\n${acceptedForms()}`,
    );
  }
}

// The WKT decides what the system is; its name is what the summary shows.
function fileCrsText(fileCrs: InputCrsOptions['fileCrs']): { definition: string; shown: string } | null {
  if (!fileCrs) return null;
  const definition = fileCrs.wkt?.trim() || fileCrs.name?.trim();
  if (!definition) return null;
  return { definition, shown: fileCrs.name?.trim() || definition };
}

/**
 * Checks the coordinates of one input against the coordinate system it is in and converts them to
 * WGS84 longitude/latitude, the system lifecircle computes in. The system is, in this order: the one
 * the user declared for the file, the one the file declares itself (a shapefile's `.prj`, a GeoJSON
 * `crs` member), the one the user declared for all inputs, or WGS84.
 *
 * Contradictions stop with an error naming the file and what to give instead: projected metres in a
 * file read as longitude/latitude (with the Gauss-Krüger zone the eastings' zone number points to),
 * degrees in a file declared projected, eastings whose zone number differs from the declared zone. Warned
 * (and converted): positions outside the declared zone, GCJ-02/BD-09 positions outside China, a datum
 * converted approximately (Beijing 1954) or not at all (Xian 1980), and a declaration overriding the
 * file's own.
 *
 * @throws {OptionError} when the declared system is unknown; {@link InputError} when the file's own is
 *   unknown or the coordinates contradict the system.
 * @example
 * const { collection, record, warnings } = inputToWgs84(geojson, {
 *   file: 'facilities.geojson',
 *   declared: { text: 'gcj02', option: '--facilities-crs' },
 * });
 */
export function inputToWgs84<T>(value: T, options: InputCrsOptions): InputInWgs84<T> {
  const { file } = options;
  const fileOption = wordingOf(options)({ option: 'crs' });
  const warnings: Warning[] = [];
  const fileText = fileCrsText(options.fileCrs);
  const read = fileText?.shown ?? null;
  let parsed: Crs | GaussKrugerFamily;
  let source: InputCrsRecord['source'];
  let fromFile: Crs | GaussKrugerFamily | null = null;
  if (fileText !== null) {
    try {
      fromFile = parseCrs(fileText.definition);
    } catch (error) {
      if (!(error instanceof CrsError)) throw error;
      // A declaration for the file makes its own unreadable one irrelevant.
      if (!options.declared) {
        const shown = fileText.shown.length > 120 ? `${fileText.shown.slice(0, 120)}…` : fileText.shown;
        throw new InputError(
          file,
          `declares the coordinate system '${shown}', which lifecircle cannot use: ${error.message} Give the system the data is in with ${fileOption}, e.g. EPSG:4524.\n${acceptedForms()}`,
        );
      }
    }
  }
  if (options.declared) {
    parsed = parseDeclared(options.declared, file);
    source = 'option';
    if (fromFile && fromFile.id !== parsed.id) {
      warnings.push({
        code: 'crs-overridden',
        file,
        message: `the file declares ${fromFile.name} (${fromFile.id}), but ${options.declared.option} ${options.declared.text} was used instead`,
      });
    }
  } else if (fromFile) {
    parsed = fromFile;
    source = 'file';
  } else if (options.fallback) {
    parsed = parseDeclared(options.fallback, file);
    source = 'default-option';
  } else {
    parsed = WGS84;
    source = 'default';
  }
  const given =
    source === 'option' || source === 'default-option'
      ? `${(source === 'option' ? options.declared : options.fallback)!.option} ${(source === 'option' ? options.declared : options.fallback)!.text}`
      : source === 'file'
        ? `as the file declares: ${read}`
        : 'no coordinate system given, so WGS84 longitude/latitude';
  const sample = samplePositions(value);
  const { xy } = sample;
  const count = xy.length / 2;
  let degreeLike = 0;
  for (let i = 0; i < xy.length; i += 2) if (looksLikeDegrees(xy[i]!, xy[i + 1]!)) degreeLike++;

  let detected: string | null = null;
  let crs: Crs;
  if (parsed.kind === 'gauss-kruger-family') {
    const eastings: number[] = [];
    for (let i = 0; i < xy.length; i += 2) eastings.push(xy[i]!);
    try {
      crs = completeCrs(parsed, eastings);
    } catch (error) {
      if (!(error instanceof CrsError)) throw error;
      throw new InputError(file, `${given}: ${error.message}`);
    }
    detected = `zone ${crs.gaussKruger!.zone} from the eastings' zone number (${crs.id})`;
  } else {
    crs = parsed;
  }

  if (count > 0 && (crs.kind === 'geographic' || crs.kind === 'web-map') && degreeLike / count < 0.5) {
    const suggestions = suggestProjected(xy);
    const example = xy.slice(0, 2).join(', ');
    throw new InputError(
      file,
      `${count - degreeLike} of ${count} positions (e.g. [${example}]) look like projected metres, but the file is read as ${crs.name} longitude/latitude (${given}).${
        suggestions.length > 0
          ? ` They look like:\n${suggestions.map((s) => `  - ${s}`).join('\n')}\nGive the system with ${fileOption}, e.g. cgcs2000-gk3 (the zone is then read from the eastings).`
          : ` Give the system they are in with ${fileOption}, e.g. EPSG:4524.`
      }`,
    );
  }
  if (count > 0 && crs.kind === 'projected' && degreeLike / count >= 0.5) {
    throw new InputError(
      file,
      `positions such as [${xy.slice(0, 2).join(', ')}] look like longitude/latitude degrees, but the file is read as ${crs.name} (${crs.id}, ${given}), in metres. If they are WGS84 longitude/latitude, drop the declaration or give wgs84 with ${fileOption}; otherwise reproject the file.`,
    );
  }
  const gk = crs.gaussKruger;
  if (gk && count > 0) {
    const zones = new Map<number, number>();
    for (let i = 0; i < xy.length; i += 2) {
      const prefix = Math.floor(xy[i]! / 1_000_000);
      zones.set(prefix, (zones.get(prefix) ?? 0) + 1);
    }
    const [commonPrefix] = [...zones.entries()].sort((a, b) => b[1] - a[1])[0]!;
    if (gk.prefixed && commonPrefix !== gk.zone) {
      const hint =
        commonPrefix === 0
          ? `the eastings carry no zone number; the same zone without it is ${gaussKrugerCrs(gk.datum, gk.width, gk.zone, false).id}`
          : isChineseZone(gk.width, commonPrefix)
            ? `the eastings start with ${commonPrefix}, zone ${commonPrefix}: ${gaussKrugerCrs(gk.datum, gk.width, commonPrefix, true).id}`
            : `the eastings start with ${commonPrefix}, which is not a ${gk.width}-degree zone in China`;
      throw new InputError(
        file,
        `is read as ${crs.name} (${crs.id}, ${given}), whose eastings start with the zone number ${gk.zone}, but ${hint}.`,
      );
    }
    if (!gk.prefixed && commonPrefix !== 0) {
      const hint = isChineseZone(gk.width, commonPrefix)
        ? `; with the zone number in front it is ${gaussKrugerCrs(gk.datum, gk.width, commonPrefix, true).id} (${gk.datum}-gk${gk.width}-${commonPrefix})`
        : isChineseZone(gk.width === 3 ? 6 : 3, commonPrefix)
          ? `; ${commonPrefix} is a ${gk.width === 3 ? 6 : 3}-degree zone: ${gaussKrugerCrs(gk.datum, gk.width === 3 ? 6 : 3, commonPrefix, true).id}`
          : '';
      throw new InputError(
        file,
        `is read as ${crs.name} (${crs.id}, ${given}), whose eastings are below 1 000 000 m, but they are around ${commonPrefix} 000 000 m: the zone number stands in front${hint}.`,
      );
    }
  }

  const hasCrsMember = isRecord(value) && value.crs !== undefined;
  const convert = crs.id !== WGS84.id || hasCrsMember;
  const { collection, failed } = convert
    ? reprojectFeatureCollection(value, crs, WGS84)
    : { collection: value, failed: [] as number[] };

  if (gk && count > 0) {
    const toWgs84 = toWgs84Transform(crs);
    const outside: number[] = [];
    const halfWidth = gk.width / 2 + ZONE_MARGIN_DEG;
    for (let i = 0; i < xy.length; i += 2) {
      const [lng] = toWgs84(xy[i]!, xy[i + 1]!);
      if (!(Math.abs(lng - gk.centralMeridian) <= halfWidth)) outside.push(sample.feature[i / 2]!);
    }
    if (outside.length > 0) {
      warnings.push({
        code: 'crs-outside-zone',
        file,
        field: 'geometry',
        message: `${outside.length} of ${count} positions lie outside ${crs.name} (central meridian ${gk.centralMeridian}°E ± ${gk.width / 2}°), in features ${listFeatures(outside)}; check that the zone is right`,
      });
    }
  }
  if (crs.kind === 'web-map' && count > 0) {
    const outside: number[] = [];
    for (let i = 0; i < xy.length; i += 2) {
      if (isOutsideChina(xy[i]!, xy[i + 1]!)) outside.push(sample.feature[i / 2]!);
    }
    if (outside.length > 0) {
      warnings.push({
        code: 'crs-outside-china',
        file,
        field: 'geometry',
        message: `${outside.length} of ${count} positions lie outside China, where ${crs.name} is not offset, so they were left as they are (features ${listFeatures(outside)})`,
      });
    }
  }
  if (crs.datumShift === 'approximate' || crs.datumShift === 'not-applied') {
    warnings.push({
      code: 'crs-datum-approximate',
      file,
      message:
        crs.datumShift === 'approximate'
          ? `${crs.name} was converted to WGS84 with a published regional datum shift (EPSG 15921 for Beijing 1954), which elsewhere may be off by tens of metres; for exact positions convert the data to CGCS2000 with your survey's parameters first`
          : `${crs.name} was converted to WGS84 without a datum shift (none is published for ${crs.datum === 'xian1980' ? 'Xian 1980' : 'this datum'}), so positions may be off by tens of metres or more; for exact positions convert the data to CGCS2000 with your survey's parameters first`,
    });
  }
  if (failed.length > 0) {
    warnings.push({
      code: 'crs-outside-zone',
      file,
      field: 'geometry',
      message: `${failed.length} features have positions that ${crs.name} cannot convert (outside its domain): ${listFeatures(failed)}; they are rejected`,
    });
  }
  const declaredText =
    options.declared?.text ?? (source === 'default-option' ? options.fallback!.text : null);
  return {
    collection,
    crs,
    record: {
      file,
      read,
      declared: declaredText,
      detected,
      used: { id: crs.id, name: crs.name },
      source,
      converted: convert && crs.id !== WGS84.id,
    },
    warnings,
  };
}
