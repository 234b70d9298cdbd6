import { InputError, type Rejection } from '@lifecircle/core';
import { featureCollectionOf, isRecord } from '@lifecircle/core/internal';
import type { FeatureCollection } from 'geojson';
import { type ParseError, parse as parseTolerant, printParseErrorCode } from 'jsonc-parser';
import { bracketDepth, checkJsonValue, DEFAULT_LIMITS, LimitError, type ReadLimits } from '../limits.js';
import type { DeclaredCrs, FeatureRead } from '../read/types.js';
import type { DecodedText } from '../text/encoding.js';
import { recordStart } from './text-sequence.js';

/**
 * Parses JSON text, turning a syntax error into an {@link InputError} that names the file and the line
 * and column of the problem. Text or values nested deeper than `limits.maxDepth`, or holding a string
 * longer than `limits.maxPropertyLength`, are a {@link LimitError}: nothing later (validation, the
 * syntax-error finder) then has to recurse deeper than that.
 *
 * @example
 * try {
 *   parseJson('{"type": "FeatureCollection",}', 'a.geojson');
 * } catch (error) {
 *   error; // InputError: a.geojson: is not valid JSON at line 1, column 30: property name expected (found "}")
 * }
 */
export function parseJson(text: string, file: string, limits: ReadLimits = DEFAULT_LIMITS): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    checkTextDepth(text, file, limits, 'the file');
    throw new InputError(file, `is not valid JSON${describeJsonError(text)}`);
  }
  checkJsonValue(value, file, limits);
  return value;
}

function checkTextDepth(text: string, file: string, limits: ReadLimits, what: string): void {
  if (bracketDepth(text, limits.maxDepth) > limits.maxDepth) {
    throw new LimitError(
      file,
      `${what} nests arrays or objects more than ${limits.maxDepth} deep`,
      'maxDepth',
      limits.maxDepth,
    );
  }
}

// The text's nesting has been checked (the parser below recurses). JSON.parse on Node 20 often names no position ("Unexpected token 'N'"), so the text is parsed
// again with a parser that reports offsets, only to say where the first problem is.
function describeJsonError(text: string): string {
  const errors: ParseError[] = [];
  try {
    parseTolerant(text, errors, {
      disallowComments: true,
      allowTrailingComma: false,
      allowEmptyContent: false,
    });
  } catch (error) {
    // The finder recurses; should a nesting the depth check missed still overflow its stack, the
    // message goes without a position rather than as a stack trace.
    if (error instanceof RangeError) return ' (nested too deeply to locate the first error)';
    throw error;
  }
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
export function readGeoJson(
  decoded: DecodedText,
  file: string,
  limits: ReadLimits = DEFAULT_LIMITS,
): FeatureRead {
  const value = parseJson(decoded.text, file, limits);
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
 * line. A line that is not JSON, or is beyond the {@link ReadLimits} (longer than `maxLineLength`,
 * nested deeper than `maxDepth`), is rejected with its line number; other lines become features as
 * they are, for validation to judge.
 */
export function readGeoJsonSeq(
  decoded: DecodedText,
  file: string,
  limits: ReadLimits = DEFAULT_LIMITS,
): FeatureRead {
  const features: unknown[] = [];
  const rejected: Rejection[] = [];
  const index: number[] = [];
  const row: number[] = [];
  const lines = decoded.text.split(/\r\n|\n|\r/);
  let record = 0;
  for (let l = 0; l < lines.length; l++) {
    const raw = lines[l]!;
    const line = raw.slice(recordStart(raw)).trim();
    if (line === '') continue;
    const parsed = parseLine(line, l + 1, file, limits);
    if ('reason' in parsed) {
      rejected.push({
        file,
        index: record++,
        row: l + 1,
        id: idInText(line),
        field: 'json',
        reason: parsed.reason,
      });
      continue;
    }
    const value = parsed.value;
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

/**
 * One line of GeoJSON lines (`number` from 1) parsed and checked against the limits, or why it is
 * rejected: longer than `maxLineLength`, not JSON (where, and what was found), nested too deep.
 */
export function parseLine(
  line: string,
  number: number,
  file: string,
  limits: ReadLimits,
): { readonly value: unknown } | { readonly reason: string } {
  if (line.length > limits.maxLineLength) {
    return {
      reason: `line ${number} is ${line.length.toLocaleString('en-US')} characters long, beyond the limit of ${limits.maxLineLength.toLocaleString('en-US')} (reading option limits.maxLineLength)`,
    };
  }
  try {
    const value: unknown = JSON.parse(line);
    checkJsonValue(value, file, limits, `line ${number}`);
    return { value };
  } catch (error) {
    if (error instanceof LimitError) return { reason: error.message.slice(file.length + 2) };
    const deep = bracketDepth(line, limits.maxDepth) > limits.maxDepth;
    return {
      reason: deep
        ? `line ${number} is not valid JSON and nests arrays or objects more than ${limits.maxDepth} deep (reading option limits.maxDepth)`
        : `line ${number} is not valid JSON${describeJsonError(line).replace(/ at line 1,/, ' at')}`,
    };
  }
}

// A broken line may still show its id, which helps the user find it. Only the line's start is
// searched, with a pattern that cannot backtrack far (an unterminated string of a million characters
// made the former one overflow the regular-expression stack).
const ID_SEARCHED_CHARS = 10_000;
/** The id a broken GeoJSON line still shows near its start, or null. */
export function idInText(line: string): string | null {
  const match = /"id"\s*:\s*(?:"([^"\\]{0,200})"|(-?\d{1,30}(?:\.\d{1,30})?))/.exec(
    line.slice(0, ID_SEARCHED_CHARS),
  );
  if (!match) return null;
  return match[1] ?? match[2] ?? null;
}
