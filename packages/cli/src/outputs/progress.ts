import type { ProgressEvent } from '@lifecircle/core';
import type { Console } from '../command.js';

/**
 * A progress event of any command: analysis stages, siting stages, and the CLI's own (`read` while a
 * large file streams in, `write` while outputs stream out). `done` of `total` is in `unit`: steps
 * (types measured) by default, bytes or communities for the streamed stages.
 */
export type StageEvent = Pick<ProgressEvent, 'message' | 'done' | 'total'> & {
  readonly stage: string;
  readonly unit?: 'steps' | 'bytes' | 'communities';
};

/** Redraws of a terminal line and lines of a log at most this often (a stage's first is always shown). */
const TERMINAL_EVERY_MS = 200;
const LOG_EVERY_MS = 2000;

/**
 * Whether a command shows progress: on stderr when stderr is a terminal or with `--progress`, never
 * with `--quiet` (stdout, where `--json` writes, never carries progress).
 */
export function progressWanted(values: Record<string, unknown>, console: Console): boolean {
  return values.quiet !== true && (values.progress === true || console.interactive);
}

/** `12 s`, `3 min 20 s`, `1 h 05 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * Progress on stderr: one line redrawn in a terminal, plain lines in a log (throttled), each with the
 * time since the start and, in a stage that counts (`done` of `total`), the share done and an estimate
 * of the time the stage still needs, from its pace so far. `enabled` false (see {@link progressWanted})
 * prints nothing.
 *
 * @example
 * const progress = progressReporter(console, progressWanted(values, console));
 * progress({ stage: 'read', message: 'Reading demand.geojsonl', done: 40e6, total: 2.6e9, unit: 'bytes' });
 * // "  3.1s read 1.5% Reading demand.geojsonl, about 3 min 21 s left in this stage"
 */
export function progressReporter(console: Console, enabled: boolean): (event: StageEvent) => void {
  if (!enabled) return () => {};
  const started = performance.now();
  let stage = '';
  let stageStarted = started;
  let stageDoneAtStart = 0;
  let shownAt = Number.NEGATIVE_INFINITY;
  return (event) => {
    const now = performance.now();
    const newStage = event.stage !== stage;
    if (newStage) {
      stage = event.stage;
      stageStarted = now;
      stageDoneAtStart = event.done ?? 0;
    }
    const finished = event.total !== undefined && event.done === event.total;
    if (!newStage && !finished && now - shownAt < (console.interactive ? TERMINAL_EVERY_MS : LOG_EVERY_MS)) {
      return;
    }
    shownAt = now;
    const elapsed = ((now - started) / 1000).toFixed(1).padStart(5);
    let step = '';
    let left = '';
    if (event.total !== undefined && event.total > 0) {
      const done = event.done ?? 0;
      step =
        (event.unit ?? 'steps') === 'steps'
          ? ` [${done + (finished ? 0 : 1)}/${event.total}]`
          : ` ${((100 * done) / event.total).toFixed(1)}%`;
      const pace = (now - stageStarted) / 1000 / Math.max(1e-9, done - stageDoneAtStart);
      if (!finished && done > stageDoneAtStart && now - stageStarted > 500) {
        left = `, about ${formatDuration(pace * (event.total - done))} left in this stage`;
      }
    }
    const line = `${elapsed}s ${event.stage}${step} ${event.message}${left}`;
    if (console.interactive) console.err(`\r\x1b[2K${line}${event.stage === 'summarize' ? '\n' : ''}`);
    else console.err(`${line}\n`);
  };
}
