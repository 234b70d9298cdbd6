import {
  type DemandColumns,
  DemandColumnsBuilder,
  DemandPointValidator,
  type Rejection,
} from '@lifecircle/core';
import { checkJsonValue, DEFAULT_LIMITS, LimitError, type ReadLimits } from '../limits.js';
import { idInText } from './geojson.js';

/**
 * Reads demand points from GeoJSON lines (`.geojsonl`, `.ndjson`, RFC 8142 `.geojsonseq`) pushed as
 * text in pieces of any size, straight into typed columns ({@link DemandColumns}): each line is
 * parsed, checked as a demand point (core's `DemandPointValidator`) and dropped, so a province's
 * twenty million points cost 24 bytes each instead of a feature object each. A line that is not JSON
 * or is beyond the {@link ReadLimits} is rejected with its line number, as `readInput` rejects it.
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
  /** The unfinished last line of the pieces so far (a short string of its own, see {@link push}). */
  private pending = '';
  private line = 0;
  private record = 0;

  constructor(
    readonly file: string,
    private readonly limits: ReadLimits = DEFAULT_LIMITS,
  ) {
    this.validator = new DemandPointValidator(file);
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
        this.checkPendingLength();
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
    this.checkPendingLength();
  }

  /** The columns of every point read, with the lines and features rejected and the warnings. */
  end(): DemandColumns {
    if (this.pending !== '') this.readLine(this.pending);
    this.pending = '';
    return this.builder.finish(
      [...this.rejected, ...this.validator.rejected].sort((a, b) => a.index - b.index),
      this.validator.warnings(),
    );
  }

  /** A line with no end in sight is rejected once it passes the limit, not kept growing. */
  private checkPendingLength(): void {
    if (this.pending.length <= this.limits.maxLineLength) return;
    this.line++;
    this.rejectLine(this.pending, this.tooLong(this.pending.length));
    this.pending = '';
    this.skipping = true;
  }

  /** Whether the text pushed next continues a line rejected as too long. */
  private skipping = false;

  private readLine(raw: string): void {
    this.line++;
    let line = raw.charCodeAt(0) === 0x1e ? raw.slice(1) : raw;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (line.trim() === '') return;
    if (line.length > this.limits.maxLineLength) {
      this.rejectLine(line, this.tooLong(line.length));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
      checkJsonValue(value, this.file, this.limits, `line ${this.line}`);
    } catch (error) {
      this.rejectLine(
        line,
        error instanceof LimitError
          ? error.message.slice(this.file.length + 2)
          : `line ${this.line} is not valid JSON`,
      );
      return;
    }
    const index = this.record++;
    const point = this.validator.check(value, index);
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
