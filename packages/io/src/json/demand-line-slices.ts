// A demand file's complete lines scanned on a work pool's threads (issue #16: read on the calling
// thread alone, a million lines were a fifth of a run's CPU while the second core idled). Each range
// of the kernel is a slice of whole lines; a thread scans the plain ones (demand-line-scan.ts) into
// typed columns and lists the others by position. Everything that depends on the lines before
// (line and record numbers, the validator's sample of the first features, its warnings, the order
// community ids first appear in) is left to the calling thread, which takes the slices back in file
// order (DemandLinesReader), so the columns, rejections and warnings are those of reading on one thread.
import { DemandPointValidator, type KernelRange, registerKernel } from '@lifecircle/core/internal';
import { DemandLineScanner } from './demand-line-scan.js';

/** The name io's slice scan is registered under as a pool kernel. */
export const DEMAND_LINE_SLICES_KERNEL = 'io.demand-line-slices';

const NEWLINE = 0x0a;

/** What the slice scan is given: the bytes, where the slices start, and the reader's limits. */
export interface DemandLineSlicesInput {
  /** The bytes (on a SharedArrayBuffer when threads share them). */
  readonly bytes: Uint8Array;
  /** Slice `s` is the bytes `[cuts[s], cuts[s + 1])`: whole lines, each ending in a newline. */
  readonly cuts: readonly number[];
  /** The scanner's longest string, as `DemandLinesReader` gives it. */
  readonly maxStringBytes: number;
  /** The longest line scanned (longer ones are left to the full path), `ReadLimits.maxLineLength`. */
  readonly maxLineLength: number;
}

/** One slice's lines, scanned: its plain points in columns and where its other lines are. */
export interface ScannedDemandLines {
  /** Lines in the slice. */
  readonly lines: number;
  /** Plain points (within range), interleaved longitude and latitude, in file order. */
  readonly coords: Float64Array;
  readonly population: Float64Array;
  /** Per plain point, its community id's index in {@link communityIds}, or -1 for none. */
  readonly community: Int32Array;
  /** The slice's own community ids, in the order they first appear in it. */
  readonly communityIds: readonly string[];
  /**
   * The lines that are not plain (blank, another shape, values out of range, not UTF-8), three
   * numbers each: the line's number within the slice (0-based), its first byte and its newline's.
   */
  readonly others: Int32Array;
  /**
   * The first plain lines' first bytes and newlines, two numbers each (at most
   * `DemandPointValidator.builtFirst`): the validator builds the file's first features from the text.
   */
  readonly firstPlain: Int32Array;
}

/** Scans the slices `[from, to)` of `input` as one: the kernel a pool thread runs for each range. */
export function scanDemandLineSlices(
  input: DemandLineSlicesInput,
  from: number,
  to: number,
): ScannedDemandLines {
  const { bytes, cuts, maxLineLength } = input;
  const start = cuts[from]!;
  const end = cuts[to]!;
  let lines = 0;
  for (let at = bytes.indexOf(NEWLINE, start); at >= 0 && at < end; at = bytes.indexOf(NEWLINE, at + 1))
    lines++;
  const scanner = new DemandLineScanner(input.maxStringBytes);
  let coords = new Float64Array(2 * lines);
  let population = new Float64Array(lines);
  let community = new Int32Array(lines);
  const codes = new Map<string, number>();
  const communityIds: string[] = [];
  const others: number[] = [];
  const firstPlain: number[] = [];
  let points = 0;
  let lineStart = start;
  for (let line = 0; line < lines; line++) {
    const newline = bytes.indexOf(NEWLINE, lineStart);
    let plain = null;
    try {
      plain = scanner.scanLine(bytes, lineStart, newline, maxLineLength);
    } catch {
      // Not UTF-8: the calling thread reads the line again and fails as one thread would.
    }
    if (plain && DemandPointValidator.plainInRange(plain.lon, plain.lat, plain.population)) {
      coords[2 * points] = plain.lon;
      coords[2 * points + 1] = plain.lat;
      population[points] = plain.population;
      let code = -1;
      if (plain.communityId !== null) {
        code = codes.get(plain.communityId) ?? -1;
        if (code < 0) {
          code = communityIds.length;
          codes.set(plain.communityId, code);
          communityIds.push(plain.communityId);
        }
      }
      community[points] = code;
      if (points < DemandPointValidator.builtFirst) firstPlain.push(lineStart, newline);
      points++;
    } else others.push(line, lineStart, newline);
    lineStart = newline + 1;
  }
  if (points < lines) {
    // Sent back by copy: only what was filled.
    coords = coords.slice(0, 2 * points);
    population = population.slice(0, points);
    community = community.slice(0, points);
  }
  return {
    lines,
    coords,
    population,
    community,
    communityIds,
    others: Int32Array.from(others),
    firstPlain: Int32Array.from(firstPlain),
  };
}

registerKernel(DEMAND_LINE_SLICES_KERNEL, scanDemandLineSlices);

/**
 * `[from, end)` (whole lines, the last ending in a newline) cut into about `parts` slices of similar
 * size, each ending in a newline and at least `minBytes` long (fewer slices for less): the slice
 * starts and the end, as {@link DemandLineSlicesInput.cuts}, and the kernel's ranges, one a slice.
 */
export function lineSlices(
  bytes: Uint8Array,
  from: number,
  end: number,
  parts: number,
  minBytes: number,
): { cuts: number[]; ranges: KernelRange[] } {
  const count = Math.max(1, Math.min(parts, Math.floor((end - from) / Math.max(1, minBytes))));
  const cuts = [from];
  for (let k = 1; k < count; k++) {
    const due = from + Math.floor(((end - from) * k) / count);
    const previous = cuts[cuts.length - 1]!;
    if (due <= previous) continue;
    const newline = bytes.indexOf(NEWLINE, due - 1);
    if (newline < 0 || newline + 1 >= end) break;
    if (newline + 1 > previous) cuts.push(newline + 1);
  }
  cuts.push(end);
  const ranges: KernelRange[] = [];
  for (let s = 0; s + 1 < cuts.length; s++) ranges.push([s, s + 1]);
  return { cuts, ranges };
}
