import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { WorkPool } from '@lifecircle/core';
import { type KernelInput, type KernelRange, runKernel } from '@lifecircle/core/internal';
import { POOL_STATE, type PoolJob, type PoolReply, type SupervisorData } from './protocol.js';

// While waiting for a job, the main thread looks whether a pool thread stopped at least this often
// (the supervisor also wakes it; the slice only covers a wake-up that came just before the wait).
const STOPPED_CHECK_MS = 200;
// A supervisor that has not started the pool threads by then never will (its script failed to load):
// nothing else would tell the sleeping main thread.
const SUPERVISOR_START_MS = 10_000;

/**
 * The core's {@link WorkPool} on Node worker threads. Synchronous, as the core's searches are: the
 * calling thread posts a job to every pool thread, claims ranges itself from a shared counter, then
 * sleeps on a shared word until every pool thread has finished (`Atomics.wait`, allowed on Node's main
 * thread) and reads their replies with `receiveMessageOnPort`. Inputs on SharedArrayBuffer are
 * shared, the rest copied once per thread and job.
 *
 * The pool threads are started, and watched, by a supervisor thread: a pool thread that stops (out
 * of memory, killed, a crash outside a kernel) makes the job fail at once with
 * {@link WorkerThreadStoppedError}, naming the thread, instead of leaving the calling thread asleep
 * for ever; the pool is then unusable. The CLI reports it as an internal error (exit code 70): the
 * ranges that thread held may have written part of their outputs, so the run is not retried. Threads
 * are started once and do not keep the process alive.
 */
export class NodeWorkPool implements WorkPool {
  readonly threads: number;
  private supervisor: Worker | undefined;
  private ports: MessagePort[] = [];
  private state: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private stopped: WorkerThreadStoppedError | undefined;
  private startedAt = 0;

  /**
   * A pool of `threads` threads: the calling one and `threads - 1` pool threads, started when the
   * first job comes (a run whose searches are all small never starts one) or by {@link warm}.
   */
  constructor(
    threads: number,
    /** The worker's compiled script; default the one beside this module (bench/ bundles its own copy of the pool). */
    private readonly script?: URL,
  ) {
    this.threads = Math.max(1, Math.floor(threads));
  }

  private start(): void {
    const script = this.script ?? workerScript();
    this.state = new Int32Array(new SharedArrayBuffer(POOL_STATE.words * Int32Array.BYTES_PER_ELEMENT));
    const theirs: MessagePort[] = [];
    for (let k = 1; k < this.threads; k++) {
      const { port1, port2 } = new MessageChannel();
      theirs.push(port1);
      this.ports.push(port2);
    }
    const data: SupervisorData = {
      role: 'supervisor',
      script: script.href,
      ports: theirs,
      state: this.state,
    };
    this.startedAt = Date.now();
    this.supervisor = new Worker(script, { workerData: data, transferList: theirs });
    this.supervisor.unref();
  }

  /**
   * Starts the pool threads now rather than at the first job, so that their start (a thread loading
   * the core, about 0.3 s of CPU) overlaps the caller's own work, such as reading a large input,
   * instead of holding up the first job. Nothing when the pool has one thread or has started.
   */
  warm(): void {
    if (this.threads >= 2 && this.supervisor === undefined && this.stopped === undefined) this.start();
  }

  /** Whether the pool threads were started (by {@link warm} or a first job of two ranges or more). */
  get started(): boolean {
    return this.supervisor !== undefined;
  }

  run<Part>(kernel: string, input: KernelInput, ranges: readonly KernelRange[]): Part[] {
    const parts = new Array<Part>(ranges.length);
    if (this.threads < 2 || ranges.length < 2) {
      for (let k = 0; k < ranges.length; k++) parts[k] = runKernel(kernel, input, ...ranges[k]!) as Part;
      return parts;
    }
    if (this.stopped !== undefined) throw this.stopped;
    if (this.supervisor === undefined) this.start();
    const state = this.state;
    const job: PoolJob = { kernel, input, ranges, next: new Int32Array(new SharedArrayBuffer(4)) };
    Atomics.store(state, POOL_STATE.finished, 0);
    for (const port of this.ports) port.postMessage(job);
    let failure: unknown = null;
    try {
      for (let k = Atomics.add(job.next, 0, 1); k < ranges.length; k = Atomics.add(job.next, 0, 1)) {
        parts[k] = runKernel(kernel, input, ...ranges[k]!) as Part;
      }
    } catch (error) {
      failure = error;
      // Leave no range for the pool threads to start; they finish the ones they hold.
      Atomics.store(job.next, 0, ranges.length);
    }
    for (let finished = Atomics.load(state, POOL_STATE.finished); finished < this.ports.length; ) {
      if (Atomics.load(state, POOL_STATE.stoppedThread) !== 0) throw this.fail(kernel);
      if (
        Atomics.load(state, POOL_STATE.supervising) === 0 &&
        Date.now() - this.startedAt > SUPERVISOR_START_MS
      ) {
        void this.close();
        throw new Error(
          `The work pool's threads did not start within ${SUPERVISOR_START_MS / 1000} s (script ${this.script ?? workerScript()}); rerun with --threads 1, and please report it with the command you ran.`,
        );
      }
      Atomics.wait(state, POOL_STATE.finished, finished, STOPPED_CHECK_MS);
      finished = Atomics.load(state, POOL_STATE.finished);
    }
    for (const port of this.ports) {
      const reply = receiveMessageOnPort(port)?.message as PoolReply | undefined;
      if (reply === undefined) throw new Error('A worker thread finished without a reply.');
      if (reply.error !== undefined && failure === null)
        failure = new Error(`In a worker thread: ${reply.error}`);
      for (const [k, part] of reply.parts) parts[k] = part as Part;
    }
    if (failure !== null) throw failure;
    return parts;
  }

  // The error of a pool thread that stopped during a job of `kernel`; the other threads are stopped
  // too, and every later job fails with the same error.
  private fail(kernel: string): WorkerThreadStoppedError {
    const index = Atomics.load(this.state, POOL_STATE.stoppedThread) - 1;
    this.stopped = new WorkerThreadStoppedError(
      index + 1,
      this.threads,
      Atomics.load(this.state, POOL_STATE.exitCode),
      kernel,
    );
    void this.close();
    return this.stopped;
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    const supervisor = this.supervisor;
    this.supervisor = undefined;
    for (const port of this.ports) port.close();
    this.ports = [];
    // Stopping the supervisor stops the pool threads it started.
    await supervisor?.terminate();
  }
}

/**
 * A thread of a {@link NodeWorkPool} stopped while the calling thread waited for it: the run's
 * answers are incomplete. `thread` counts from 1 (the calling thread is thread 0).
 */
export class WorkerThreadStoppedError extends Error {
  constructor(
    readonly thread: number,
    readonly threads: number,
    readonly exitCode: number,
    readonly kernel: string,
  ) {
    super(
      `Worker thread ${thread} of ${threads - 1} (--threads ${threads}) stopped with exit code ${exitCode} while running the '${kernel}' search, so this run's answers would be incomplete and it stops here. The thread may have run out of memory: rerun with --threads 1, and please report it with the command you ran.`,
    );
    this.name = 'WorkerThreadStoppedError';
  }
}

/** The threads `--threads` uses by default: what the machine offers this process. */
export function defaultThreads(): number {
  return availableParallelism();
}

// The compiled worker beside this module; run from the sources (tests), the built one in dist/. A
// missing script is said now: a worker that never starts would leave the calling thread waiting.
function workerScript(): URL {
  const beside = new URL('./worker.js', import.meta.url);
  if (existsSync(beside)) return beside;
  const built = new URL('../../dist/pool/worker.js', import.meta.url);
  if (existsSync(built)) return built;
  throw new Error(
    'The worker threads of --threads need packages/cli/dist/pool/worker.js: run `npx -y pnpm@12.4.2 build:cli`, or give --threads 1.',
  );
}
