import type { ParseArgsConfig } from 'node:util';
import type { PoolFor } from './options/analysis.js';
import type { Formatted } from './outputs/named.js';
import type { RunRecord } from './outputs/stopped.js';

/** Where a command writes: the real streams in the binary, buffers in tests. */
export interface Console {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress redraws a line there, prints lines elsewhere). */
  readonly interactive: boolean;
}

/** A mistake in how the command was called: shown with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A command: its options, its help text and what it does with them. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Whether the command takes arguments besides its options (`lifecircle inspect FILE…`). */
  readonly positionals?: boolean;
  run(
    values: Record<string, unknown>,
    console: Console,
    positionals: readonly string[],
  ): number | Promise<number>;
}

/**
 * The options every command's parse step gives its run and format steps, besides its own: where to
 * write, whether stdout gets JSON, and the input flags as given.
 */
export interface StepOptions {
  /** `--out DIR`: the folder the outputs are written to; nothing is written without it. */
  readonly out?: string;
  /** `--json`: stdout gets the summary as JSON instead of the tables. */
  readonly json: boolean;
  /**
   * Every flag as given. Those of the inputs, distance, coordinate systems and formats, which every
   * analysing command shares, are checked as the inputs are read (`options/analysis.ts`), in the
   * order they always were: a file that cannot be read is reported before a flag read after it.
   */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** What a command's run step is given besides its options: the terminal and the run's record. */
export interface StepIo {
  /** Progress and the line ending a progress bar go to its `err`. */
  readonly console: Console;
  /**
   * The stage the run is in and what it has done, for the summary.json of a run that stops
   * (`outputs/stopped.ts`): run sets `analysing` once its inputs are read, and counts what it did.
   */
  readonly record: RunRecord;
  /** The worker threads the run's searches split over, for `--threads N`. */
  readonly pool: PoolFor;
}

/**
 * A command as three steps, each testable alone: `parse` turns the flags into typed options (a
 * {@link UsageError} for a caller's mistake, no I/O); `run` reads the inputs and returns the
 * library's result; `format` turns that result into named outputs and the text for stdout, without
 * writing. `stepCommand` (`steps.ts`) wires them and writes the outputs to `--out`.
 */
export interface CommandSteps<O extends StepOptions, R> {
  parse(values: Record<string, unknown>, positionals: readonly string[]): O;
  run(options: O, io: StepIo): Promise<R>;
  format(result: R, options: O): Formatted;
}
