// The viewer's work pool: core's WorkPool on Web Workers, run from the analysis worker. Core's searches
// are synchronous, so a job blocks the analysis worker (which takes ranges itself) until every pool
// worker has finished: it sleeps in Atomics.wait, allowed in a worker but not on the page's main
// thread, which stays free. Inputs on SharedArrayBuffer are shared with every pool worker, the rest
// copied once per worker and job; results come back through each worker's mailbox on shared memory
// (pool-protocol.ts), since the sleeping analysis worker cannot receive messages.
//
// SharedArrayBuffer needs a cross-origin isolated page (COOP and COEP headers, docs/viewer.md); without
// it the pool has one thread and core runs every range in place, as it would without a pool.
import type { WorkPool } from '@lifecircle/core';
import { type KernelInput, type KernelRange, runKernel } from '@lifecircle/core/internal';
import {
  MAILBOX_BYTES,
  mailboxShortBy,
  POOL_STATE,
  type PoolAnswer,
  type PoolMessage,
  readResults,
} from './pool-protocol.js';

// While a job runs, the analysis worker wakes this often to hand a bigger mailbox to a worker whose
// results did not fit (it is also woken by the worker's notify; the slice only covers a notify that
// came just before the wait).
const WAKE_MS = 100;

/** The threads the viewer's analysis may use: the machine's cores, when the page may share memory. */
export function poolThreads(scope: {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
}): number {
  if (!scope.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined') return 1;
  return Math.max(1, Math.min(8, scope.navigator?.hardwareConcurrency ?? 1));
}

interface PoolWorker {
  readonly worker: Worker;
  mailbox: SharedArrayBuffer;
}

/**
 * Core's {@link WorkPool} on `threads - 1` Web Workers and the calling (analysis) worker. Await
 * {@link BrowserWorkPool.ready} before the first job: a worker starts only while its parent's event
 * loop runs, so a job posted before then would wait for ever. A pool whose workers did not start
 * runs with one thread.
 */
export class BrowserWorkPool implements WorkPool {
  private readonly workers: PoolWorker[] = [];
  private readonly state = new Int32Array(new SharedArrayBuffer(POOL_STATE.words * 4));
  private started = false;
  /** Resolves when every pool worker can take jobs (or, failing that, when the pool fell back to one thread). */
  readonly ready: Promise<void>;

  constructor(
    private readonly requested: number,
    spawn: (index: number) => Worker,
  ) {
    const answers: Promise<boolean>[] = [];
    for (let k = 1; k < Math.floor(requested); k++) {
      const worker = spawn(k);
      const mailbox = new SharedArrayBuffer(MAILBOX_BYTES);
      this.workers.push({ worker, mailbox });
      answers.push(
        new Promise<boolean>((resolve) => {
          worker.addEventListener('message', (event: MessageEvent<PoolAnswer>) => {
            if (event.data.type === 'failed') console.error(`Pool worker ${k}: ${event.data.message}`);
            resolve(event.data.type === 'ready');
          });
          worker.addEventListener('error', () => resolve(false));
        }),
      );
      const start: PoolMessage = { type: 'start', index: k - 1, state: this.state, mailbox };
      worker.postMessage(start);
    }
    this.ready = Promise.all(answers).then((ok) => {
      this.started = ok.every(Boolean);
      if (!this.started) this.close();
    });
  }

  /** Threads that run ranges, this one included: 1 until the pool workers have started, or when they could not. */
  get threads(): number {
    return this.started ? this.workers.length + 1 : 1;
  }

  /** The threads asked for: what the page says it uses once {@link ready} has resolved with them all. */
  get requestedThreads(): number {
    return Math.max(1, Math.floor(this.requested));
  }

  run<Part>(kernel: string, input: KernelInput, ranges: readonly KernelRange[]): Part[] {
    const parts = new Array<Part>(ranges.length);
    if (this.threads < 2 || ranges.length < 2) {
      for (let k = 0; k < ranges.length; k++) parts[k] = runKernel(kernel, input, ...ranges[k]!) as Part;
      return parts;
    }
    const state = this.state;
    const next = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(state, POOL_STATE.finished, 0);
    const job: PoolMessage = { type: 'job', kernel, input, ranges, next };
    for (const { worker } of this.workers) worker.postMessage(job);
    let failure: unknown = null;
    try {
      for (let k = Atomics.add(next, 0, 1); k < ranges.length; k = Atomics.add(next, 0, 1))
        parts[k] = runKernel(kernel, input, ...ranges[k]!) as Part;
    } catch (error) {
      failure = error;
      // Leave no range for the pool workers to start; they finish the ones they hold.
      Atomics.store(next, 0, ranges.length);
    }
    for (let finished = Atomics.load(state, POOL_STATE.finished); finished < this.workers.length; ) {
      if (Atomics.load(state, POOL_STATE.failedWorker) !== 0) throw this.fail(kernel);
      Atomics.wait(state, POOL_STATE.finished, finished, WAKE_MS);
      // A worker whose results did not fit its mailbox waits for a bigger one.
      for (const w of this.workers) {
        const needed = mailboxShortBy(w.mailbox);
        if (needed === 0) continue;
        w.mailbox = new SharedArrayBuffer(Math.max(needed, 2 * w.mailbox.byteLength));
        const bigger: PoolMessage = { type: 'mailbox', mailbox: w.mailbox };
        w.worker.postMessage(bigger);
      }
      finished = Atomics.load(state, POOL_STATE.finished);
    }
    if (Atomics.load(state, POOL_STATE.failedWorker) !== 0) throw this.fail(kernel);
    for (const w of this.workers) {
      const results = readResults(w.mailbox);
      if (results.error !== undefined && failure === null)
        failure = new Error(`In a pool worker: ${results.error}`);
      for (const [k, part] of results.parts) parts[k] = part as Part;
    }
    if (failure !== null) throw failure;
    return parts;
  }

  // The error of a pool worker that failed during a job of `kernel`: the job's answers would be
  // incomplete. The pool workers are stopped, and later jobs run on this thread alone.
  private fail(kernel: string): PoolWorkerFailedError {
    const worker = Atomics.load(this.state, POOL_STATE.failedWorker);
    const why = readResults(this.workers[worker - 1]!.mailbox).error ?? 'no message';
    this.close();
    return new PoolWorkerFailedError(worker, this.workers.length + 1, kernel, why);
  }

  /** Stops the pool workers; the pool then runs with one thread. */
  close(): void {
    this.started = false;
    for (const { worker } of this.workers) worker.terminate();
  }
}

/**
 * A pool worker failed outside its kernels while the analysis worker waited for it, so the job's
 * answers would be incomplete. `worker` counts from 1 (the analysis worker is thread 0).
 */
export class PoolWorkerFailedError extends Error {
  constructor(
    readonly worker: number,
    readonly threads: number,
    readonly kernel: string,
    readonly reason: string,
  ) {
    super(
      `Pool worker ${worker} of ${threads - 1} stopped during the '${kernel}' search (${reason}), so this run's answers would be incomplete and it stops here; the next run uses one thread.`,
    );
    this.name = 'PoolWorkerFailedError';
  }
}
