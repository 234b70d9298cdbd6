import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { freemem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { InputError } from '@lifecircle/core';
import { UsageError } from '../command.js';
import { isDemandFlatGeobufFile, isDemandLinesFile } from '../inputs/demand-stream.js';
import { decimal } from './decimal.js';

/**
 * The memory model of an analysing run, calibrated on measured runs (docs/benchmarks.md, "A whole
 * province"): peak resident memory ≈ BASE + OBJECT_FACTOR × bytes of the files read as objects (the
 * communities, the facilities, a demand file in a format other than GeoJSON lines or FlatGeobuf) + demand points
 * × (PER_POINT + PER_POINT_TYPE × types). A streamed GeoJSON-lines or FlatGeobuf demand file costs only
 * its points.
 */
export const MEMORY_MODEL = {
  /**
   * Node, the libraries, the worker threads and what the run's other stages keep beside the points
   * (recalibrated on 7 December 2026 on the province runs of 1M, 5M and 20M points).
   */
  baseBytes: 270 * 2 ** 20,
  /** Parsed GeoJSON, its validated records and the result objects, per byte of file. */
  objectFactor: 11,
  /**
   * A demand point's columns, demand arrays, distance index (nearest groups and demand cells) and
   * sums, whatever the types.
   */
  perPointBytes: 140,
  /** Each analysed type's per-point nearest, target and count. */
  perPointTypeBytes: 20,
} as const;

/** Types assumed when `--types` does not say (the most a typical facility file has). */
const TYPES_ASSUMED = 6;
/** Bytes sampled at the start of a GeoJSON-lines file to count its lines. */
const SAMPLE_BYTES = 256 << 10;
/** Bytes per demand point of a file read as objects (a GeoJSON feature of a point). */
const BYTES_PER_OBJECT_POINT = 150;
/**
 * Bytes per point of a FlatGeobuf demand file (the package's writer: 96 with a population column, 104
 * with a community id too); fewer assumed, so the estimate errs on the side of more points.
 */
const BYTES_PER_FLATGEOBUF_POINT = 90;

/** What a run's inputs will cost, before any is read. */
export interface MemoryEstimate {
  readonly peakBytes: number;
  /** Demand points expected (estimated from the demand file's size and its first lines). */
  readonly demandPoints: number;
  readonly types: number;
  /** Of the peak: what lives as JavaScript objects on the heap (bounded by the heap limit). */
  readonly heapBytes: number;
  /** The bytes of the input files together (communities, facilities and demand, as found on disk). */
  readonly inputBytes: number;
  /** The most demand points that fit `budget` with the same other inputs (0 when none fit). */
  pointsThatFit(budget: number): number;
}

function sizeOf(path: string | undefined): number {
  if (!path) return 0;
  try {
    return statSync(path).size;
  } catch {
    return 0; // A missing file is reported, naming it, when it is read.
  }
}

/** Demand points in a GeoJSON-lines file: its size over the mean length of its first lines. */
function linesIn(path: string, size: number): number {
  const fd = openSync(path, 'r');
  try {
    const sample = new Uint8Array(Math.min(size, SAMPLE_BYTES));
    const read = readSync(fd, sample, 0, sample.length, 0);
    let lines = 0;
    for (let i = 0; i < read; i++) if (sample[i] === 10) lines++;
    return lines === 0 ? 1 : Math.ceil((size * lines) / read);
  } finally {
    closeSync(fd);
  }
}

/** The estimate of {@link MEMORY_MODEL} for a run's input files, by their sizes. */
export function estimateMemory(values: Record<string, unknown>): MemoryEstimate {
  const demandPath = values.demand as string | undefined;
  const demandSize = sizeOf(demandPath);
  const lines = demandPath !== undefined && isDemandLinesFile(demandPath);
  const flatGeobuf = demandPath !== undefined && isDemandFlatGeobufFile(demandPath);
  const streamed = demandSize > 0 && (lines || flatGeobuf);
  const otherBytes =
    sizeOf(values.communities as string | undefined) + sizeOf(values.facilities as string | undefined);
  const objectBytes = otherBytes + (streamed ? 0 : demandSize);
  const demandPoints = !streamed
    ? Math.ceil(demandSize / BYTES_PER_OBJECT_POINT)
    : lines
      ? linesIn(demandPath!, demandSize)
      : Math.ceil(demandSize / BYTES_PER_FLATGEOBUF_POINT);
  const typesGiven = typeof values.types === 'string' ? values.types.split(',').filter(Boolean).length : 0;
  const types = typesGiven > 0 ? typesGiven : TYPES_ASSUMED;
  const m = MEMORY_MODEL;
  const perPoint = m.perPointBytes + m.perPointTypeBytes * types;
  const heapBytes = m.objectFactor * objectBytes;
  const fixed = m.baseBytes + heapBytes;
  return {
    peakBytes: fixed + perPoint * demandPoints,
    demandPoints,
    types,
    heapBytes,
    inputBytes: otherBytes + demandSize,
    pointsThatFit: (budget) => Math.max(0, Math.floor((budget - fixed) / perPoint)),
  };
}

/** `8G`, `512M`, `1.5GiB`, `2000000000` (bytes) as bytes; null when not a size. */
export function parseSize(text: string): number | null {
  const match = /^\s*([\d.]+)\s*([kmgt]?)(i?b)?\s*$/i.exec(text);
  if (!match) return null;
  const n = decimal(match[1]!);
  if (!(n > 0)) return null;
  return n * 1024 ** ' kmgt'.indexOf((match[2] || ' ').toLowerCase());
}

/** `3.2 GiB`, `480 MiB`. */
export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}

/**
 * The memory this process may use: the machine's available memory, or the container's limit when
 * smaller (`process.constrainedMemory`), or `--memory-budget` when given.
 */
export function memoryBudget(values: Record<string, unknown>): { bytes: number; given: boolean } {
  const text = values['memory-budget'];
  if (text !== undefined) {
    const bytes = parseSize(String(text));
    if (bytes === null) {
      throw new UsageError(`--memory-budget expects a size such as 8G or 500M, got '${String(text)}'.`);
    }
    return { bytes, given: true };
  }
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const free = freemem();
  return { bytes: constrained && constrained > 0 ? Math.min(free, constrained) : free, given: false };
}

/**
 * Before anything is read (issue #16): estimates the run's peak memory from its input sizes and, where
 * it would not fit the memory available (or `--memory-budget`) or the JavaScript heap limit, stops
 * with a message giving the estimate, the demand size that fits and how to raise the limit (exit 1).
 */
export function checkMemory(values: Record<string, unknown>): MemoryEstimate {
  const estimate = estimateMemory(values);
  const budget = memoryBudget(values);
  const heapLimit = getHeapStatistics().heap_size_limit;
  const file = (values.demand ?? values.communities ?? 'input') as string;
  const what = `${estimate.demandPoints.toLocaleString('en-US')} demand points × ${estimate.types} types`;
  if (estimate.peakBytes > budget.bytes) {
    const fit = estimate.pointsThatFit(budget.bytes);
    throw new InputError(
      file,
      `this run needs about ${formatBytes(estimate.peakBytes)} of memory (${what}; docs/benchmarks.md) and ${
        budget.given
          ? `--memory-budget allows ${formatBytes(budget.bytes)}`
          : `${formatBytes(budget.bytes)} is available`
      }. About ${fit.toLocaleString('en-US')} demand points fit: split the run by district, give fewer --types, or free memory${
        budget.given ? ' or give a larger --memory-budget' : ''
      }; to start anyway, give --memory-budget ${Math.ceil(estimate.peakBytes / 2 ** 30)}G.`,
    );
  }
  if (estimate.heapBytes > heapLimit) {
    throw new InputError(
      file,
      `the communities, facilities and demand read as objects need about ${formatBytes(estimate.heapBytes)} of JavaScript heap and the heap limit is ${formatBytes(heapLimit)}: raise it with NODE_OPTIONS=--max-old-space-size=${Math.ceil((estimate.heapBytes * 1.25) / 2 ** 20)}, or give the demand as GeoJSON lines (.geojsonl), which is read as a stream.`,
    );
  }
  return estimate;
}
