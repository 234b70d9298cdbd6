/**
 * A feature that could not be used, and why. Every input feature of an analysis is either in its
 * output, in the list of rejections, or (a facility whose category maps to no catalog type) counted
 * in the unmapped-categories table of `summary.categories`.
 */
export interface Rejection {
  /** The file (or input name) the feature came from. */
  readonly file: string;
  /**
   * Position of the feature in its FeatureCollection, from 0; for a table or a line-delimited file,
   * the position of its record among the file's records.
   */
  readonly index: number;
  /**
   * For a table (CSV, TSV, XLSX) or a line-delimited file: the row or line it was on, from 1, as a
   * spreadsheet or editor shows it.
   */
  readonly row?: number;
  /** The feature's id, when it has one. */
  readonly id: string | null;
  /** The field at fault: `geometry`, `population`, `type`, … */
  readonly field: string;
  /** What was wrong and what was expected. */
  readonly reason: string;
}

/** Kinds of warning, for programs that act on them. */
export type WarningCode =
  | 'coordinates-swapped'
  | 'coordinates-projected'
  | 'coordinates-gcj02'
  | 'coordinates-offset'
  | 'numeric-text'
  | 'invalid-optional-field'
  | 'implausible-value'
  | 'polygon-facility'
  | 'no-demand-points'
  | 'demand-grid-coarsened'
  | 'buildings-no-floors'
  | 'population-from-raster'
  | 'demand-population-differs'
  | 'type-not-analysed'
  | 'duplicate-location'
  | 'network-near-miss'
  | 'network-disconnected'
  | 'network-drive-only'
  | 'off-network'
  | 'beyond-network-extent'
  | 'unreachable-target'
  | 'terrain-no-data'
  | 'encoding-guessed'
  | 'column-renamed'
  | 'column-ambiguous'
  | 'ids-generated'
  | 'layer-chosen'
  | 'rows-skipped'
  | 'osm-ways-excluded'
  | 'osm-incomplete'
  | 'crs-overridden'
  | 'crs-outside-zone'
  | 'crs-outside-china'
  | 'crs-datum-approximate'
  | 'population-unmatched-row'
  | 'population-unmatched-community'
  | 'population-invalid'
  | 'population-replaced'
  | 'output-field-renamed'
  | 'output-text-truncated'
  | 'output-no-prj'
  | 'output-no-wkt';

/** Something suspicious but usable, reported rather than hidden. */
export interface Warning {
  readonly code: WarningCode;
  readonly file: string;
  /** The feature concerned, or absent when the warning is about the whole file. */
  readonly index?: number;
  /** The row or line of a table or line-delimited file the feature was on, from 1. */
  readonly row?: number;
  readonly id?: string | null;
  readonly field?: string;
  readonly message: string;
}

/**
 * Input that nothing sensible can be computed from (unreadable, not a FeatureCollection, nothing
 * usable left). Its message names the file and says what was expected; callers show it without a
 * stack trace.
 */
export class InputError extends Error {
  readonly file: string;
  /** The features rejected on the way, when rejections left nothing to compute from. */
  readonly rejected: readonly Rejection[];
  constructor(file: string, message: string, rejected: readonly Rejection[] = []) {
    super(`${file}: ${message}`);
    this.name = 'InputError';
    this.file = file;
    this.rejected = rejected;
  }
}

/**
 * An option value that cannot be used (an unknown type in `types`, a gap threshold outside 0–1): a
 * mistake in how the analysis was called rather than in the data. The CLI reports it as a usage error.
 */
export class OptionError extends Error {
  readonly option: string;
  constructor(option: string, message: string) {
    super(`${option}: ${message}`);
    this.name = 'OptionError';
    this.option = option;
  }
}

/**
 * A share option (a fraction from 0 to 1, such as `gapThreshold`), or an {@link OptionError} naming it:
 * the one check of every entry point that takes one.
 */
export function shareOption(option: string, value: number): number {
  if (!(value >= 0 && value <= 1))
    throw new OptionError(option, `expected a share between 0 and 1, got ${value}.`);
  return value;
}

/** True for a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
