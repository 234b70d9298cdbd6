import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { type KernelInput, type KernelRange, runKernel, type WorkPool } from '@lifecircle/core';

/** One job as a worker receives it: the kernel, its input and the ranges, claimed one by one. */
export interface PoolJob {
  readonly kernel: string;
  readonly input: KernelInput;
  readonly ranges: readonly KernelRange[];
  /** Index of the next unclaimed range, shared by every thread of the job. */
  readonly next: Int32Array;
  /** Threads (other than the main one) that have finished the job. */
  readonly done: Int32Array;
}

/** What a worker sends back: its ranges' results by range index, and the error that stopped it. */
export interface PoolReply {
  readonly parts: readonly [number, unknown][];
  readonly error?: string;
}

/**
 * The core's {@link WorkPool} on Node worker threads. Synchronous, as the core's searches are: the
 * calling thread posts a job to every worker, claims ranges itself from a shared counter, then
 * sleeps on a shared word until every worker has finished (`Atomics.wait`, allowed on Node's main
 * thread) and reads their replies with `receiveMessageOnPort`. Inputs on SharedArrayBuffer are
 * shared, the rest copied once per worker and job. Workers are started once and do not keep the
 * process alive.
 */
export class NodeWorkPool implements WorkPool {
  readonly threads: number;
  private readonly workers: { readonly worker: Worker; readonly port: MessagePort }[] = [];

  /**
   * A pool of `threads` threads: the calling one and `threads - 1` workers, started when the first
   * job comes (a run whose searches are all small never starts one).
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
    for (let k = this.workers.length + 1; k < this.threads; k++) {
      const worker = new Worker(script);
      const { port1, port2 } = new MessageChannel();
      worker.postMessage(port1, [port1]);
      worker.unref();
      this.workers.push({ worker, port: port2 });
    }
  }

  run<Part>(kernel: string, input: KernelInput, ranges: readonly KernelRange[]): Part[] {
    const parts = new Array<Part>(ranges.length);
    if (this.threads < 2 || ranges.length < 2) {
      for (let k = 0; k < ranges.length; k++) parts[k] = runKernel(kernel, input, ...ranges[k]!) as Part;
      return parts;
    }
    if (this.workers.length === 0) this.start();
    const job: PoolJob = {
      kernel,
      input,
      ranges,
      next: new Int32Array(new SharedArrayBuffer(4)),
      done: new Int32Array(new SharedArrayBuffer(4)),
    };
    for (const { port } of this.workers) port.postMessage(job);
    let failure: unknown = null;
    try {
      for (let k = Atomics.add(job.next, 0, 1); k < ranges.length; k = Atomics.add(job.next, 0, 1)) {
        parts[k] = runKernel(kernel, input, ...ranges[k]!) as Part;
      }
    } catch (error) {
      failure = error;
      // Leave no range for the workers to start; they finish the ones they hold.
      Atomics.store(job.next, 0, ranges.length);
    }
    for (let finished = Atomics.load(job.done, 0); finished < this.workers.length; ) {
      Atomics.wait(job.done, 0, finished);
      finished = Atomics.load(job.done, 0);
    }
    for (const { port } of this.workers) {
      const reply = receiveMessageOnPort(port)?.message as PoolReply | undefined;
      if (reply === undefined) throw new Error('A worker thread finished without a reply.');
      if (reply.error !== undefined && failure === null)
        failure = new Error(`In a worker thread: ${reply.error}`);
      for (const [k, part] of reply.parts) parts[k] = part as Part;
    }
    if (failure !== null) throw failure;
    return parts;
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
    this.workers.length = 0;
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
