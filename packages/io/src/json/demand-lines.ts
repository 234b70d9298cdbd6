import type { DemandColumns, Rejection } from '@lifecircle/core';
import { DemandColumnsBuilder, DemandPointValidator } from '@lifecircle/core/internal';
import { DEFAULT_LIMITS, type ReadLimits } from '../limits.js';
import { DemandLineScanner } from './demand-line-scan.js';
import { idInText, parseLine } from './geojson.js';
import { recordStart } from './text-sequence.js';

/**
 * Reads demand points from GeoJSON lines (`.geojsonl`, `.ndjson`, RFC 8142 `.geojsonseq`) pushed as
 * text in pieces of any size, straight into typed columns ({@link DemandColumns}): each line is
 * parsed, checked as a demand point (core's `DemandPointValidator`) and dropped, so a province's
 * twenty million points cost 24 bytes each instead of a feature object each. A line that is not JSON
 * or is beyond the {@link ReadLimits} is rejected with its line number, as `readInput` rejects it, and
 * every rejection and warning is the one `readInput` and core's `validateDemandPoints` give on the
 * same file. Text is pushed as strings ({@link push}) or, faster, as UTF-8 bytes
 * ({@link pushBytes}): the common line shape is then read from the bytes without building a string
 * or an object.
 *
 * @example
 * const reader = new DemandLinesReader('demand.geojsonl');
 * reader.push('{"type":"Feature","properties":{"population":12,"community_id":"C1"},');
 * reader.push('"geometry":{"type":"Point","coordinates":[106.66,35.54]}}\n');
 * const columns = reader.end(); // analyzeCoverage({ communities, facilities, demand: columns })
 * columns.count; // 1
 */
export class DemandLinesReader {
  private readonly validator: DemandPointValidator;
  private readonly builder = new DemandColumnsBuilder();
  private readonly rejected: Rejection[] = [];
  private readonly scanner: DemandLineScanner;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** The unfinished last line of the pieces so far (a short string of its own, see {@link push}). */
  private pending = '';
  /** The unfinished last line of the byte pieces so far ({@link pushBytes}). */
  private pendingBytes: Uint8Array = new Uint8Array(0);
  private started = false;
  private line = 0;
  private record = 0;
  /** Whether the text pushed next continues a line rejected as too long. */
  private skipping = false;

  constructor(
    readonly file: string,
    private readonly limits: ReadLimits = DEFAULT_LIMITS,
  ) {
    this.validator = new DemandPointValidator(file);
    this.scanner = new DemandLineScanner(limits.maxDepth >= 3 ? limits.maxPropertyLength : -1);
  }

  /**
   * The lines rejected before they were features (not JSON, beyond a limit): the first of
   * {@link end}'s rejections, which `readInput` would report as the reading's own.
   */
  get linesRejected(): readonly Rejection[] {
    return this.rejected;
  }

  /** Points read so far. */
  get points(): number {
    return this.builder.size;
  }

  /** Reads the complete lines of `text` (the pieces joined are the file's text). */
  push(text: string): void {
    let from = 0;
    if (this.skipping) {
      // The rest of a line already rejected as too long is dropped up to its end.
      const end = text.indexOf('\n');
      if (end < 0) return;
      this.skipping = false;
      from = end + 1;
    }
    // The open line is completed as a string of its own and the rest read where it stands: slicing
    // lines out of `pending + text` makes V8 flatten the joined string again and again.
    if (this.pending !== '') {
      const end = text.indexOf('\n', from);
      if (end < 0) {
        this.pending += text.slice(from);
        this.checkPendingLength(this.pending);
        return;
      }
      this.readLine(this.pending + text.slice(from, end));
      this.pending = '';
      from = end + 1;
    }
    for (;;) {
      const end = text.indexOf('\n', from);
      if (end < 0) break;
      this.readLine(text.slice(from, end));
      from = end + 1;
    }
    this.pending = text.slice(from);
    this.checkPendingLength(this.pending);
  }

  /**
   * Reads the complete lines of a piece of the file's UTF-8 bytes (the pieces joined are the file;
   * a byte-order mark at its start is skipped). Throws a TypeError when the bytes are not UTF-8, as
   * a fatal `TextDecoder` does. Do not mix with {@link push} on one reader.
   */
  pushBytes(bytes: Uint8Array): void {
    let from = 0;
    if (!this.started) {
      this.started = true;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) from = 3;
    }
    if (this.skipping) {
      const end = bytes.indexOf(0x0a, from);
      if (end < 0) return;
      this.skipping = false;
      from = end + 1;
    }
    if (this.pendingBytes.length > 0) {
      const end = bytes.indexOf(0x0a, from);
      const joined = new Uint8Array(this.pendingBytes.length + (end < 0 ? bytes.length : end) - from);
      joined.set(this.pendingBytes);
      joined.set(bytes.subarray(from, end < 0 ? bytes.length : end), this.pendingBytes.length);
      if (end < 0) {
        this.pendingBytes = joined;
        this.checkPendingBytes();
        return;
      }
      this.pendingBytes = new Uint8Array(0);
      this.readLineBytes(joined, 0, joined.length);
      from = end + 1;
    }
    for (;;) {
      const end = bytes.indexOf(0x0a, from);
      if (end < 0) break;
      this.readLineBytes(bytes, from, end);
      from = end + 1;
    }
    this.pendingBytes = bytes.slice(from);
    this.checkPendingBytes();
  }

  /**
   * The columns of every point read, with the lines and features rejected and the warnings. After
   * {@link pushBytes}, throws a TypeError when the last line is not UTF-8.
   */
  end(): DemandColumns {
    if (this.pending !== '') this.readLine(this.pending);
    this.pending = '';
    if (this.pendingBytes.length > 0) this.readLineBytes(this.pendingBytes, 0, this.pendingBytes.length);
    this.pendingBytes = new Uint8Array(0);
    // As readInput and validation order them: the lines that are not features, then the features.
    return this.builder.finish([...this.rejected, ...this.validator.rejected], this.validator.warnings());
  }

  /** A line with no end in sight is rejected once it passes the limit, not kept growing. */
  private checkPendingLength(pending: string): void {
    if (pending.length <= this.limits.maxLineLength) return;
    this.line++;
    this.rejectLine(pending, this.tooLong(pending.length));
    this.pending = '';
    this.skipping = true;
  }

  /**
   * {@link checkPendingLength} for bytes: past three bytes a character no line of the limit's
   * characters is that long.
   */
  private checkPendingBytes(): void {
    if (this.pendingBytes.length <= 3 * this.limits.maxLineLength) return;
    const text = new TextDecoder('utf-8').decode(this.pendingBytes);
    this.pendingBytes = new Uint8Array(0);
    this.checkPendingLength(text);
  }

  private readLineBytes(bytes: Uint8Array, start: number, end: number): void {
    let from = start;
    let to = end;
    from = recordStart(bytes, from);
    if (to > from && bytes[to - 1] === 0x0d) to--;
    if (to - from <= this.limits.maxLineLength) {
      const plain = this.scanner.scan(bytes, from, to);
      if (plain && this.validator.acceptsPlain(plain.lon, plain.lat, plain.population)) {
        this.line++;
        this.builder.add(plain.lon, plain.lat, plain.population, plain.communityId, this.record++);
        return;
      }
    }
    this.readLine(this.decoder.decode(bytes.subarray(start, end)));
  }

  private readLine(raw: string): void {
    this.line++;
    let line = raw.slice(recordStart(raw));
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    line = line.trim();
    if (line === '') return;
    const parsed = parseLine(line, this.line, this.file, this.limits);
    if ('reason' in parsed) {
      this.rejectLine(line, parsed.reason);
      return;
    }
    const index = this.record++;
    const point = this.validator.check(parsed.value, index);
    if (point) this.builder.add(point.lon, point.lat, point.population, point.communityId, index);
    else {
      // The validator names the feature; the line is what a user finds in a text editor.
      const rejected = this.validator.rejected;
      rejected[rejected.length - 1] = { ...rejected[rejected.length - 1]!, row: this.line };
    }
  }

  private tooLong(length: number): string {
    return `line ${this.line} is ${length.toLocaleString('en-US')} characters long, beyond the limit of ${this.limits.maxLineLength.toLocaleString('en-US')} (reading option limits.maxLineLength)`;
  }

  private rejectLine(line: string, reason: string): void {
    this.rejected.push({
      file: this.file,
      index: this.record++,
      row: this.line,
      id: idInText(line),
      field: 'json',
      reason,
    });
  }
}
