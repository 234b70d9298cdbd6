import { InputError } from '@lifecircle/core';

/**
 * The bounds every reader keeps to, so that a file of a few kilobytes cannot make the process unpack
 * gigabytes, expand a sheet of a million rows or recurse until the stack overflows. Each is a
 * reading option (`ReadOptions.limits`); a file beyond one is a {@link LimitError} that names the
 * file, what was found, the limit and the option that raises it. The defaults are far above what
 * real bureau data needs (see docs/formats.md, "Limits").
 */
export interface ReadLimits {
  /** Largest size one archive entry (a zipped shapefile's part, an XLSX part) may unpack to, in bytes. */
  readonly maxEntryBytes: number;
  /** Largest size all the entries read from one archive may unpack to together, in bytes. */
  readonly maxArchiveBytes: number;
  /**
   * Largest ratio of an entry's unpacked size to its packed size. Real data compresses 2–20 times;
   * a zip bomb compresses a thousand times or more.
   */
  readonly maxCompressionRatio: number;
  /** Largest number of rows a worksheet may reach (the row of its last cell). */
  readonly maxSheetRows: number;
  /** Largest number of columns a worksheet may reach (the column of its last cell). */
  readonly maxSheetColumns: number;
  /** Largest number of cells (rows × columns) a worksheet may span, as the XLSX reader fills them all. */
  readonly maxSheetCells: number;
  /** Deepest nesting of JSON arrays and objects, of properties and of WKT brackets. */
  readonly maxDepth: number;
  /** Most columns a table's header may name. */
  readonly maxColumns: number;
  /** Longest line (one CSV row, one GeoJSON-lines line), in characters. */
  readonly maxLineLength: number;
  /** Longest single property value (a text cell, a GeoJSON string, a FlatGeobuf property), in characters or bytes. */
  readonly maxPropertyLength: number;
  /** Largest coordinate-system text (a `.prj`, a GeoPackage or FlatGeobuf WKT), in bytes. */
  readonly maxPrjBytes: number;
}

const MiB = 1024 * 1024;

/** The limits used when {@link ReadLimits} are not given. */
export const DEFAULT_LIMITS: ReadLimits = Object.freeze({
  maxEntryBytes: 2048 * MiB,
  maxArchiveBytes: 4096 * MiB,
  maxCompressionRatio: 200,
  // Excel's own sheet size: no workbook saved by Excel or WPS goes beyond it.
  maxSheetRows: 1_048_576,
  maxSheetColumns: 16_384,
  maxSheetCells: 20_000_000,
  maxDepth: 64,
  maxColumns: 16_384,
  maxLineLength: 1_000_000,
  maxPropertyLength: 1_000_000,
  maxPrjBytes: 65_536,
});

/** The limits in force: the defaults with any given in the options. */
export function resolveLimits(limits: Partial<ReadLimits> | undefined): ReadLimits {
  if (!limits) return DEFAULT_LIMITS;
  return { ...DEFAULT_LIMITS, ...limits };
}

/**
 * A file beyond one of the {@link ReadLimits}: an {@link InputError} (so shown without a stack trace,
 * exit 1) that also says which limit and how to raise it.
 */
export class LimitError extends InputError {
  /** The limit exceeded, as named in `ReadOptions.limits`. */
  readonly limit: keyof ReadLimits;
  /** The limit's value. */
  readonly allowed: number;
  /** What was found, as in the message (`worksheet Sheet1 reaches row 1048577`). */
  readonly found: string;
  constructor(file: string, found: string, limit: keyof ReadLimits, allowed: number) {
    super(
      file,
      limitText(found, limit, allowed, `reading option limits.${limit}; raise it if the file is genuine`),
    );
    this.name = 'LimitError';
    this.limit = limit;
    this.allowed = allowed;
    this.found = found;
  }

  /**
   * The message with the way to raise the limit worded by a program (the CLI names its flag):
   * `file: found, beyond the limit of N (how)`.
   */
  worded(how: string): string {
    return `${this.file}: ${limitText(this.found, this.limit, this.allowed, how)}`;
  }
}

function limitText(found: string, limit: keyof ReadLimits, allowed: number, how: string): string {
  return `${found}, beyond the limit of ${formatAmount(limit, allowed)} (${how}).`;
}

/** A limit's value as a person reads it: bytes in MB, counts with separators. */
export function formatAmount(limit: keyof ReadLimits, value: number): string {
  if (limit === 'maxEntryBytes' || limit === 'maxArchiveBytes' || limit === 'maxPrjBytes') {
    return formatBytes(value);
  }
  if (limit === 'maxCompressionRatio') return `${value} times`;
  return value.toLocaleString('en-US');
}

/** Bytes as `512 bytes`, `64 KB`, `2.5 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < MiB) return `${trimmed(bytes / 1024)} KB`;
  if (bytes < 1024 * MiB) return `${trimmed(bytes / MiB)} MB`;
  return `${trimmed(bytes / (1024 * MiB))} GB`;
}

function trimmed(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * The deepest nesting of brackets (`[` `{`, or WKT's `[` `(`) in a text, outside JSON strings,
 * stopping as soon as it passes `stopAbove`. Linear and without recursion, so it is safe on any text.
 */
export function bracketDepth(text: string, stopAbove: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      // A raw line break cannot be inside a JSON string: parsers end the string there, and so must
      // this count, or brackets after it would go uncounted.
      else if (c === 0x22 || c === 0x0a || c === 0x0d) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b || c === 0x28) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d || c === 0x29) depth = Math.max(0, depth - 1);
  }
  return deepest;
}

/**
 * Walks a parsed JSON value without recursion and throws a {@link LimitError} when it nests deeper
 * than `limits.maxDepth` or holds a string longer than `limits.maxPropertyLength`. `what` names the
 * value in the message (`feature 3`, `line 12`).
 */
export function checkJsonValue(value: unknown, file: string, limits: ReadLimits, what = 'the file'): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const v = item.value;
    if (typeof v === 'string') {
      if (v.length > limits.maxPropertyLength) {
        throw new LimitError(
          file,
          `${what} holds a text value of ${v.length.toLocaleString('en-US')} characters`,
          'maxPropertyLength',
          limits.maxPropertyLength,
        );
      }
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    const depth = item.depth + 1;
    if (depth > limits.maxDepth) {
      throw new LimitError(
        file,
        `${what} nests arrays or objects more than ${limits.maxDepth} deep`,
        'maxDepth',
        limits.maxDepth,
      );
    }
    if (Array.isArray(v)) {
      // Arrays of numbers (coordinates) are the bulk of a GeoJSON file and cannot nest further.
      for (let i = 0; i < v.length; i++) {
        const e = v[i];
        if (typeof e === 'object' || typeof e === 'string') stack.push({ value: e, depth });
      }
    } else {
      for (const key in v) {
        const e = (v as Record<string, unknown>)[key];
        if (typeof e === 'object' || typeof e === 'string') stack.push({ value: e, depth });
      }
    }
  }
}

/**
 * Refuses a coordinate system's text (WKT or proj string) that is larger than `limits.maxPrjBytes`
 * or nests its brackets deeper than `limits.maxDepth`, before any parser sees it. `where` names the
 * text (`roads.prj`, `the FlatGeobuf header`).
 */
export function checkCrsText(text: string, where: string, file: string, limits: ReadLimits): void {
  if (text.length > limits.maxPrjBytes) {
    throw new LimitError(
      file,
      `${where} holds a coordinate system of ${formatBytes(text.length)} (its WKT is a few kilobytes)`,
      'maxPrjBytes',
      limits.maxPrjBytes,
    );
  }
  const depth = bracketDepth(text, limits.maxDepth);
  if (depth > limits.maxDepth) {
    throw new LimitError(
      file,
      `${where} holds a coordinate system whose brackets nest more than ${limits.maxDepth} deep`,
      'maxDepth',
      limits.maxDepth,
    );
  }
}
