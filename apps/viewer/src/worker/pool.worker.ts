// A worker of the viewer's work pool (pool.ts): runs the ranges of core's kernels it claims and writes
// what they found into its mailbox on shared memory, then counts itself finished and wakes the
// analysis worker, which sleeps in Atomics.wait meanwhile. A failure outside the kernels (results
// the mailbox cannot carry, an uncaught error or rejection) is written there too, with this worker
// named in the pool's state, so that the sleeping analysis worker fails the job at once instead of
// waiting for a reply that will not come.
import { runKernel } from '@lifecircle/core/internal';
import {
  type JobResults,
  POOL_STATE,
  type PoolAnswer,
  type PoolMessage,
  writeResults,
} from './pool-protocol.js';

interface PoolScope {
  postMessage(message: PoolAnswer): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PoolMessage>) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string; error?: unknown }) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: { reason?: unknown }) => void): void;
}

const scope = self as unknown as PoolScope;
let index = -1;
let state: Int32Array | null = null;
let mailbox: SharedArrayBuffer | null = null;
/** Results that did not fit the mailbox, written once a bigger one comes. */
let unsent: JobResults | null = null;

scope.addEventListener('message', (event) => {
  const message = event.data;
  try {
    if (message.type === 'start') {
      index = message.index;
      state = message.state;
      mailbox = message.mailbox;
      scope.postMessage({ type: 'ready' });
    } else if (message.type === 'job') {
      const parts: [number, unknown][] = [];
      let results: JobResults;
      try {
        for (
          let k = Atomics.add(message.next, 0, 1);
          k < message.ranges.length;
          k = Atomics.add(message.next, 0, 1)
        ) {
          const [from, to] = message.ranges[k]!;
          parts.push([k, runKernel(message.kernel, message.input, from, to)]);
        }
        results = { parts };
      } catch (error) {
        results = { parts, error: error instanceof Error ? error.message : String(error) };
      }
      deliver(results);
    } else if (message.type === 'mailbox') {
      mailbox = message.mailbox;
      if (unsent) deliver(unsent);
    }
  } catch (error) {
    if (message.type === 'start') {
      scope.postMessage({ type: 'failed', message: textOf(error) });
    } else fail(textOf(error));
  }
});
scope.addEventListener('error', (event) =>
  fail(event.error ? textOf(event.error) : (event.message ?? 'error')),
);
scope.addEventListener('unhandledrejection', (event) => fail(textOf(event.reason)));

function textOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Names this worker as failed, with `why` in its mailbox, and wakes the analysis worker. */
function fail(why: string): void {
  if (!state || !mailbox) return;
  writeResults({ parts: [], error: why }, mailbox);
  Atomics.compareExchange(state, POOL_STATE.failedWorker, 0, index + 1);
  Atomics.notify(state, POOL_STATE.finished);
}

function deliver(results: JobResults): void {
  if (!state || !mailbox) throw new Error('A pool worker was given a job before it was started.');
  // Too big: the mailbox now says how big a one it needs, and the analysis worker sends one.
  unsent = writeResults(results, mailbox) > 0 ? results : null;
  if (unsent === null) Atomics.add(state, POOL_STATE.finished, 1);
  Atomics.notify(state, POOL_STATE.finished);
}
