/**
 * A feature that could not be used, and why. Every input feature of an analysis is either in its
 * output or in the list of rejections.
 */
export interface Rejection {
  /** The file (or input name) the feature came from. */
  readonly file: string;
  /** Position of the feature in its FeatureCollection, from 0. */
  readonly index: number;
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
  | 'numeric-text'
  | 'invalid-optional-field'
  | 'polygon-facility'
  | 'no-demand-points'
  | 'type-not-analysed'
  | 'duplicate-location';

/** Something suspicious but usable, reported rather than hidden. */
export interface Warning {
  readonly code: WarningCode;
  readonly file: string;
  /** The feature concerned, or absent when the warning is about the whole file. */
  readonly index?: number;
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
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'InputError';
    this.file = file;
  }
}

/** True for a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
