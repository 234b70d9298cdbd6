import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, OptionError, type Rejection, type Warning } from '@lifecircle/core';
import { UsageError } from '../command.js';
import { inputErrorMessage } from '../options/limits.js';
import { writeTextFile } from './files.js';

/** What a run with `--out` has done so far, for the summary.json of a run that stops. */
export class RunRecord {
  /** The stage under way: `reading inputs`, `analysing` or `writing outputs`. */
  stage = 'reading inputs';
  /** The files written to the output folder so far. */
  readonly written: string[] = [];
  /** Counts of what was read and measured, as they become known. */
  readonly done: Record<string, number> = {};
}

/**
 * The summary.json of a run that stopped before its end (issue #17): which stage it was in, why it
 * stopped, what it had done and written, and the rejections an input error carried, so that a large
 * run that fails never leaves the output folder without a word. The message is the one printed on
 * stderr, without a stack trace.
 */
export function stoppedSummary(record: RunRecord, error: unknown): Record<string, unknown> {
  const internal = !(
    error instanceof InputError ||
    error instanceof OptionError ||
    error instanceof UsageError
  );
  const message =
    error instanceof RangeError && /Invalid string length|Array buffer allocation/i.test(error.message)
      ? `out of memory (${error.message})`
      : error instanceof Error
        ? inputErrorMessage(error)
        : String(error);
  const rejected: readonly Rejection[] = error instanceof InputError ? error.rejected : [];
  const warnings: readonly Warning[] = [];
  return {
    status: 'stopped',
    stopped: {
      stage: record.stage,
      reason: internal ? `internal error: ${message}` : message,
      exit_code: internal ? 70 : error instanceof InputError ? 1 : 2,
    },
    done: record.done,
    written: record.written,
    rejected,
    warnings,
  };
}

/**
 * Writes {@link stoppedSummary} as `summary.json` in `outDir`. A folder that cannot be written (often
 * why the run stopped) is left as it is: the error on stderr already says so.
 */
export function writeStoppedSummary(outDir: string, record: RunRecord, error: unknown): void {
  try {
    writeTextFile(
      join(outDir, 'summary.json'),
      `${JSON.stringify(stoppedSummary(record, error), null, 2)}\n`,
    );
  } catch {
    // The original error is what the user must see; it is rethrown by the caller.
  }
}

/**
 * Runs a command's work with a fresh {@link RunRecord} and, when it stops on an error with `--out`
 * given, writes {@link stoppedSummary} before the error goes on to the user: every command's large
 * run that fails leaves summary.json saying how far it got and why (issue #17). An option mistake
 * stops before anything ran and writes nothing.
 */
export async function withStoppedSummary<T>(
  outDir: string | undefined,
  work: (record: RunRecord) => Promise<T>,
): Promise<T> {
  const record = new RunRecord();
  try {
    return await work(record);
  } catch (error) {
    if (outDir && !(error instanceof UsageError || error instanceof OptionError)) {
      writeStoppedSummary(outDir, record, error);
    }
    throw error;
  }
}

/**
 * Removes the summary.json a stopped run left in `outDir`, for the commands whose finished run
 * writes none of its own (check, monitor): the folder must not say a run stopped when the last one
 * finished. A summary.json that is not a stopped run's is left alone.
 */
export function clearStoppedSummary(outDir: string): void {
  const path = join(outDir, 'summary.json');
  let status: unknown;
  try {
    status = (JSON.parse(readFileSync(path, 'utf8')) as { status?: unknown }).status;
  } catch {
    return; // none, or not ours
  }
  if (status === 'stopped') rmSync(path, { force: true });
}
