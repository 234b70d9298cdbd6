/**
 * The record separator (U+001E) that starts each text of a GeoJSON text sequence (RFC 8142). GeoJSON
 * lines (`.geojsonl`, `.ndjson`) have none, so every reader of lines accepts both by skipping it.
 */
const RECORD_SEPARATOR_CODE = 0x1e;

/**
 * Where a line's record begins: `from` + 1 when the line starts at `from` with a GeoJSON text
 * sequence's record separator (RFC 8142), else `from`. Takes the line as text or as UTF-8 bytes
 * (the separator is one byte in UTF-8), so the readers of text and of bytes share one rule.
 *
 * @example
 * ```ts
 * import { recordStart } from '@lifecircle/io';
 *
 * const line = '\u001e{"type":"Feature"}';
 * line.slice(recordStart(line)); // '{"type":"Feature"}'
 * recordStart(new TextEncoder().encode(line)); // 1
 * recordStart('{"type":"Feature"}'); // 0
 * ```
 */
export function recordStart(line: string | Uint8Array, from = 0): number {
  const first = typeof line === 'string' ? line.charCodeAt(from) : line[from];
  return first === RECORD_SEPARATOR_CODE ? from + 1 : from;
}
