// Reading a cost-matrix CSV in pieces (issue #17): a routing engine's matrix for a city runs to
// tens of millions of pairs and hundreds of megabytes, more than one JavaScript string can hold and
// far more than one object per row can fit in memory. The reader takes the text a chunk at a time and
// keeps each row as three numbers in growable typed arrays (origin and destination as indices into
// their distinct ids, and the cost), about 20 bytes a row.
import { InputError, type Rejection } from '../validate/problems.js';

/**
 * A cost matrix as columns: row `r` goes from `originIds[origin[r]]` to `destinationIds[destination[r]]`
 * at `cost[r]`. What {@link CostMatrixCsvReader.end} returns; `CostMatrixSource` takes it as it takes
 * rows.
 */
export interface CostMatrixColumns {
  /** The distinct origin ids, in the order first met. */
  readonly originIds: readonly string[];
  /** The distinct destination ids, in the order first met. */
  readonly destinationIds: readonly string[];
  /** Origin of each row, an index into `originIds`. */
  readonly origin: Uint32Array;
  /** Destination of each row, an index into `destinationIds`. */
  readonly destination: Uint32Array;
  /** Cost of each row, in the matrix's unit (metres or minutes); >= 0. */
  readonly cost: Float64Array;
}

/** What {@link CostMatrixCsvReader.end} returns: the usable rows as columns and what was left out. */
export interface CostMatrixColumnsRead {
  readonly columns: CostMatrixColumns;
  /** Rows that could not be used, by line (the header is line 1), as `parseCostMatrixCsv` reports them. */
  readonly rejected: Rejection[];
  /** Rows whose cost was empty, `null`, `inf` or `Infinity`: unreachable pairs, which are left out. */
  readonly unreachable: number;
}

/** Options of {@link CostMatrixCsvReader}. */
export interface CostMatrixCsvOptions {
  /** Name of the file in rejections and errors. Default `cost-matrix`. */
  file?: string;
  /**
   * Longest record, in characters: a file without line breaks (or with an unclosed quote) is an error
   * naming the line, not a string that grows until memory runs out. Default 1,000,000, as io's
   * `maxLineLength`.
   */
  maxLineLength?: number;
}

const COLUMNS = ['origin_id', 'destination_id', 'cost'] as const;
const DECIMAL_COST = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const UNREACHABLE = new Set(['', 'null', 'none', 'inf', '+inf', 'infinity', '+infinity']);
/** Rows stored for an unreachable pair: kept until duplicates are found, then left out. */
const UNREACHABLE_COST = -1;
const DEFAULT_MAX_LINE_LENGTH = 1_000_000;

/** A Uint32Array or Float64Array that doubles as rows are added. */
class Growable<T extends Uint32Array | Float64Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
  finish(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

/**
 * Reads a cost matrix in CSV (`origin_id,destination_id,cost` in any order, further columns ignored,
 * quoted fields and CRLF allowed) given a chunk of text at a time, into typed columns, with the checks
 * of `parseCostMatrixCsv`: a row too short, an empty id, a duplicate pair or a cost that is not a plain
 * decimal number >= 0 (`0x10`, `1e999`, `-3`, text) is rejected with its line; an unreachable cost is
 * counted and left out. Memory is about 20 bytes a row plus the distinct ids, whatever the file's size.
 *
 * @example
 * const reader = new CostMatrixCsvReader({ file: 'od.csv' });
 * reader.push('origin_id,destination_id,cost\nC1,K1,4');
 * reader.push('20\nC1,K2,inf\n');
 * const { columns, unreachable } = reader.end();
 * columns.cost; // Float64Array [420]
 * unreachable; // 1
 */
export class CostMatrixCsvReader {
  private readonly file: string;
  private readonly maxLineLength: number;
  /** Text not yet read: the tail of the last chunk, which may end inside a record. */
  private pending = '';
  /** Line number of the start of `pending`. */
  private line = 1;
  private first = true;
  private header: string[] | null = null;
  private originColumn = 0;
  private destinationColumn = 0;
  private costColumn = 0;
  private readonly originIndex = new Map<string, number>();
  private readonly destinationIndex = new Map<string, number>();
  private readonly originIds: string[] = [];
  private readonly destinationIds: string[] = [];
  private readonly origin = new Growable(new Uint32Array(1024), (n) => new Uint32Array(n));
  private readonly destination = new Growable(new Uint32Array(1024), (n) => new Uint32Array(n));
  private readonly cost = new Growable(new Float64Array(1024), (n) => new Float64Array(n));
  private readonly rowLine = new Growable(new Uint32Array(1024), (n) => new Uint32Array(n));
  private readonly rejected: Rejection[] = [];
  /**
   * The line that ran past `maxLineLength`, once {@link CostMatrixCsvReader.push} has thrown for it:
   * a caller with its own limit policy (the CLI's `--limit maxLineLength`) words the error from it.
   */
  overlongLine: number | null = null;

  constructor(options: CostMatrixCsvOptions = {}) {
    this.file = options.file ?? 'cost-matrix';
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  }

  /** Reads the next piece of the file's text; a piece may end anywhere, even inside a quoted field. */
  push(chunk: string): void {
    let start = 0;
    // Nothing is pending before the first non-empty piece, so a byte-order mark starts that piece.
    if (this.first && chunk.length > 0) {
      if (chunk.charCodeAt(0) === 0xfeff) start = 1;
      this.first = false;
    }
    if (this.pending.length > 0) {
      // The line the last piece left open is completed as a short string of its own, and the piece
      // is then read where it stands: reading lines out of `pending + chunk` instead (a string built
      // by concatenation) made V8 take about 25 µs a line, a 10M-pair matrix hours instead of seconds.
      const newline = chunk.indexOf('\n', start);
      if (newline < 0) {
        this.keepTail(this.pending + chunk.slice(start));
        return;
      }
      const head = this.pending + chunk.slice(start, newline + 1);
      const headEnd = this.readRecords(head, 0, false);
      if (headEnd < head.length) {
        // A quoted field runs on past that line break: read on from the joined text.
        const text = head.slice(headEnd) + chunk.slice(newline + 1);
        this.keepTail(text.slice(this.readRecords(text, 0, false)));
        return;
      }
      start = newline + 1;
    }
    this.keepTail(chunk.slice(this.readRecords(chunk, start, false)));
  }

  // The unread end of a piece, kept for the next; a line that long without a break is an error.
  private keepTail(tail: string): void {
    this.pending = tail;
    if (tail.length > this.maxLineLength) this.tooLong();
  }

  /** Reads what is left and returns the columns, the rejections and the unreachable count. */
  end(): CostMatrixColumnsRead {
    const text = this.pending;
    this.pending = '';
    this.readRecords(text, 0, true);
    if (this.header === null) {
      throw new InputError(
        this.file,
        'the cost matrix is empty; expected a header origin_id,destination_id,cost',
      );
    }
    const unreachable = this.dropDuplicatesAndUnreachable();
    this.rejected.sort((a, b) => a.index - b.index);
    return {
      columns: {
        originIds: this.originIds,
        destinationIds: this.destinationIds,
        origin: this.origin.finish(),
        destination: this.destination.finish(),
        cost: this.cost.finish(),
      },
      rejected: this.rejected,
      unreachable,
    };
  }

  private tooLong(): never {
    this.overlongLine = this.line;
    throw new InputError(
      this.file,
      `line ${this.line} is longer than ${this.maxLineLength.toLocaleString('en-US')} characters without ending (no line break, or a quote never closed); a cost matrix has one short row per line`,
    );
  }

  /** Reads the complete records of `text` (all of it when `last`); returns where the unread tail starts. */
  private readRecords(text: string, from: number, last: boolean): number {
    let at = from;
    // The next quote at or after `at`, -1 when the text has none left. Searched again only once
    // passed: searching from every line would scan to the end of a quote-free piece each time,
    // which made a 4 MB piece of 100,000 lines cost 100,000 scans (10M pairs ran for hours).
    let quote = text.indexOf('"', at);
    while (at < text.length) {
      const newline = text.indexOf('\n', at);
      if (newline < 0 && !last) return at;
      const lineEnd = newline < 0 ? text.length : newline;
      if (quote !== -1 && quote < at) quote = text.indexOf('"', at);
      if (quote < 0 || quote >= lineEnd) {
        // The common case: no quote on the line, so its fields are split on commas.
        const end = lineEnd > at && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
        if (end - at > this.maxLineLength) this.tooLong();
        this.record(text.slice(at, end).split(','), this.line);
        this.line++;
        at = lineEnd + 1;
        continue;
      }
      const quoted = this.quotedRecord(text, at, last);
      if (quoted === null) return at;
      this.record(quoted.fields, this.line);
      this.line += quoted.lines;
      at = quoted.next;
    }
    return text.length;
  }

  /**
   * One record with quoted fields from `start`, which may hold commas, doubled quotes and line breaks;
   * null when the text ends inside it and more may come.
   */
  private quotedRecord(
    text: string,
    start: number,
    last: boolean,
  ): { fields: string[]; lines: number; next: number } | null {
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let lines = 1;
    for (let i = start; i < text.length; i++) {
      if (i - start > this.maxLineLength) this.tooLong();
      const ch = text[i]!;
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else if (i + 1 === text.length && !last) {
            return null; // the next piece may start with the second quote of a pair
          } else quoted = false;
        } else {
          if (ch === '\n') lines++;
          field += ch;
        }
      } else if (ch === '"' && field.trim() === '') {
        quoted = true;
        field = '';
      } else if (ch === ',') {
        fields.push(field);
        field = '';
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && i + 1 === text.length && !last) return null;
        const next = ch === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
        fields.push(field);
        return { fields, lines, next };
      } else field += ch;
    }
    if (!last) return null;
    fields.push(field);
    return { fields, lines, next: text.length };
  }

  private record(fields: string[], line: number): void {
    if (this.header === null) {
      if (fields.every((f) => f.trim() === '')) return;
      this.setHeader(fields);
      return;
    }
    if (fields.every((f) => f.trim() === '')) return;
    const file = this.file;
    const reject = (field: string, reason: string) =>
      this.rejected.push({ file, index: line, id: null, field, reason: `line ${line}: ${reason}` });
    if (fields.length < this.header.length) {
      reject('row', `${fields.length} fields, the header has ${this.header.length}`);
      return;
    }
    const origin = fields[this.originColumn]!.trim();
    const destination = fields[this.destinationColumn]!.trim();
    const costText = fields[this.costColumn]!.trim();
    if (origin === '') {
      reject('origin_id', 'empty origin_id');
      return;
    }
    if (destination === '') {
      reject('destination_id', 'empty destination_id');
      return;
    }
    let cost: number;
    if (UNREACHABLE.has(costText.toLowerCase())) cost = UNREACHABLE_COST;
    else {
      // Plain decimal only: Number() would take '0x10' as 16 and '' as 0.
      cost = DECIMAL_COST.test(costText) ? Number(costText) : Number.NaN;
      if (!Number.isFinite(cost) || cost < 0) {
        reject('cost', `cost must be a plain decimal number >= 0, got ${JSON.stringify(costText)}`);
        return;
      }
    }
    this.origin.push(intern(origin, this.originIndex, this.originIds));
    this.destination.push(intern(destination, this.destinationIndex, this.destinationIds));
    this.cost.push(cost);
    this.rowLine.push(line);
  }

  private setHeader(fields: string[]): void {
    const header = fields.map((f) => f.trim().toLowerCase());
    const column = COLUMNS.map((name) => header.indexOf(name));
    if (column.some((c) => c < 0)) {
      throw new InputError(
        this.file,
        `the cost matrix header must name the columns ${COLUMNS.join(', ')}; got ${header.join(', ')}`,
      );
    }
    [this.originColumn, this.destinationColumn, this.costColumn] = column as [number, number, number];
    this.header = header;
  }

  /**
   * Rejects every repeat of a pair after its first line and leaves out unreachable rows, compacting
   * the columns in place; returns the number of unreachable rows. Rows are visited by origin (a
   * counting sort), and a stamp per destination finds repeats: no key per pair is ever built.
   */
  private dropDuplicatesAndUnreachable(): number {
    const n = this.origin.length;
    const origin = this.origin.data;
    const destination = this.destination.data;
    const cost = this.cost.data;
    const line = this.rowLine.data;
    const start = new Uint32Array(this.originIds.length + 1);
    for (let r = 0; r < n; r++) start[origin[r]! + 1]!++;
    for (let o = 0; o < this.originIds.length; o++) start[o + 1]! += start[o]!;
    const order = new Uint32Array(n);
    const fill = start.slice(0, -1);
    for (let r = 0; r < n; r++) order[fill[origin[r]!]!++] = r;
    const stamp = new Int32Array(this.destinationIds.length).fill(-1);
    const firstRow = new Uint32Array(this.destinationIds.length);
    const keep = new Uint8Array(n).fill(1);
    for (let o = 0; o < this.originIds.length; o++) {
      for (let k = start[o]!; k < start[o + 1]!; k++) {
        const r = order[k]!;
        const d = destination[r]!;
        if (stamp[d] === o) {
          keep[r] = 0;
          this.rejected.push({
            file: this.file,
            index: line[r]!,
            id: null,
            field: 'destination_id',
            reason: `line ${line[r]}: duplicate pair ${this.originIds[o]} → ${this.destinationIds[d]} (first on line ${line[firstRow[d]!]})`,
          });
        } else {
          stamp[d] = o;
          firstRow[d] = r;
        }
      }
    }
    let unreachable = 0;
    let kept = 0;
    for (let r = 0; r < n; r++) {
      if (!keep[r]) continue;
      if (cost[r] === UNREACHABLE_COST) {
        unreachable++;
        continue;
      }
      origin[kept] = origin[r]!;
      destination[kept] = destination[r]!;
      cost[kept] = cost[r]!;
      kept++;
    }
    this.origin.length = kept;
    this.destination.length = kept;
    this.cost.length = kept;
    return unreachable;
  }
}

/** The index of `id` among `ids` (looked up in `index`), adding it when new. */
export function intern(id: string, index: Map<string, number>, ids: string[]): number {
  let i = index.get(id);
  if (i === undefined) {
    i = ids.length;
    index.set(id, i);
    ids.push(id);
  }
  return i;
}
