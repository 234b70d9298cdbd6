import { featureCollectionOf, InputError, isRecord, type Rejection } from '@lifecircle/core';
import type { FeatureCollection } from 'geojson';
import { type ParseError, parse as parseTolerant, printParseErrorCode } from 'jsonc-parser';
import type { DeclaredCrs, FeatureRead } from '../read/types.js';
import type { DecodedText } from '../text/encoding.js';

/**
 * Parses JSON text, turning a syntax error into an {@link InputError} that names the file and the line
 * and column of the problem.
 *
 * @example
 * try {
 *   parseJson('{"type": "FeatureCollection",}', 'a.geojson');
 * } catch (error) {
 *   error; // InputError: a.geojson: is not valid JSON at line 1, column 30: property name expected (found "}")
 * }
 */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(file, `is not valid JSON${describeJsonError(text)}`);
  }
}

// JSON.parse on Node 20 often names no position ("Unexpected token 'N'"), so the text is parsed
// again with a parser that reports offsets, only to say where the first problem is.
function describeJsonError(text: string): string {
  const errors: ParseError[] = [];
  parseTolerant(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  const first = errors[0];
  if (!first) return '';
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  const found = text.slice(first.offset, first.offset + Math.max(1, Math.min(first.length, 20)));
  const what = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return ` at line ${line}, column ${column}: ${what}${found.trim() ? ` (found ${JSON.stringify(found)})` : ''}`;
}

/**
 * The coordinate system a GeoJSON object declares in the 2008 `crs` member (named, or the older
 * `{"type": "EPSG", "properties": {"code": 4549}}`), or null.
 */
export function geoJsonCrs(value: unknown): DeclaredCrs | null {
  if (!isRecord(value) || !isRecord(value.crs) || !isRecord(value.crs.properties)) return null;
  const { name, code } = value.crs.properties;
  if (typeof name === 'string' && name.trim() !== '') return { source: 'geojson', name: name.trim() };
  if (typeof code === 'number' || (typeof code === 'string' && code.trim() !== '')) {
    return { source: 'geojson', name: `EPSG:${String(code).trim()}` };
  }
  return null;
}

/** Reads a GeoJSON FeatureCollection; its features are left for validation to judge. */
export function readGeoJson(decoded: DecodedText, file: string): FeatureRead {
  const value = parseJson(decoded.text, file);
  // The shape check (and its messages) is core's; the coordinate system is reported here, for the
  // coordinate-system stage, rather than judged.
  featureCollectionOf(isRecord(value) ? { ...value, crs: undefined } : value, file);
  return {
    file,
    format: 'geojson',
    collection: value as FeatureCollection,
    crs: geoJsonCrs(value),
    encoding: decoded.encoding,
    rejected: [],
    warnings: decoded.warning ? [decoded.warning] : [],
    origins: null,
  };
}

/**
 * Reads newline-delimited GeoJSON (`.geojsonl`, `.ndjson`, RFC 8142 `.geojsonseq`): one Feature per
 * line. A line that is not JSON is rejected with its line number; other lines become features as they
 * are, for validation to judge.
 */
export function readGeoJsonSeq(decoded: DecodedText, file: string): FeatureRead {
  const features: unknown[] = [];
  const rejected: Rejection[] = [];
  const index: number[] = [];
  const row: number[] = [];
  const lines = decoded.text.split(/\r\n|\n|\r/);
  let record = 0;
  for (let l = 0; l < lines.length; l++) {
    // RFC 8142 starts each text with a record separator (U+001E).
    const raw = lines[l]!;
    const line = (raw.charCodeAt(0) === 0x1e ? raw.slice(1) : raw).trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      rejected.push({
        file,
        index: record++,
        row: l + 1,
        id: idInText(line),
        field: 'json',
        reason: `line ${l + 1} is not valid JSON${describeJsonError(line).replace(/ at line 1,/, ' at')}`,
      });
      continue;
    }
    features.push(value);
    index.push(record++);
    row.push(l + 1);
  }
  return {
    file,
    format: 'geojsonseq',
    collection: { type: 'FeatureCollection', features } as FeatureCollection,
    crs: null,
    encoding: decoded.encoding,
    rejected,
    warnings: decoded.warning ? [decoded.warning] : [],
    origins: { index: Uint32Array.from(index), row: Uint32Array.from(row) },
  };
}

// A broken line may still show its id, which helps the user find it.
function idInText(line: string): string | null {
  const match = /"id"\s*:\s*("((?:[^"\\]|\\.)*)"|-?\d+(?:\.\d+)?)/.exec(line);
  if (!match) return null;
  return match[2] ?? match[1] ?? null;
}
