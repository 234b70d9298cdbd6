// What the CLI's work pool and its threads say to each other (node-pool.ts, worker.ts), in a module
// of its own so that the supervisor thread loads neither the pool nor the core.
import type { MessagePort } from 'node:worker_threads';
import type { KernelInput, KernelRange } from '@lifecircle/core/internal';

/** One job as a pool thread receives it: the kernel, its input and the ranges, claimed one by one. */
export interface PoolJob {
  readonly kernel: string;
  readonly input: KernelInput;
  readonly ranges: readonly KernelRange[];
  /** Index of the next unclaimed range, shared by every thread of the job. */
  readonly next: Int32Array;
}

/** What a pool thread sends back: its ranges' results by range index, and the error that stopped it. */
export interface PoolReply {
  readonly parts: readonly [number, unknown][];
  readonly error?: string;
}

/** Positions in the pool's shared state words (`Int32Array` on a SharedArrayBuffer). */
export const POOL_STATE = {
  /** Pool threads that have finished the current job. */
  finished: 0,
  /** 1 + index of the first pool thread that stopped; 0 while every one runs. */
  stoppedThread: 1,
  /** Exit code of that thread. */
  exitCode: 2,
  /** 1 once the supervisor has started the pool threads, -1 when it could not. */
  supervising: 3,
  words: 4,
} as const;

/** What the supervisor thread is started with (see worker.ts). */
export interface SupervisorData {
  readonly role: 'supervisor';
  /** The pool threads' script (the supervisor's own), as a URL's text: a URL is not cloned to threads. */
  readonly script: string;
  /** One port per pool thread, the other ends kept by the main thread. */
  readonly ports: readonly MessagePort[];
  readonly state: Int32Array;
}

/** What a pool thread is started with. */
export interface PoolThreadData {
  readonly role: 'pool';
  /** 0-based; the main thread is not counted. */
  readonly index: number;
  readonly port: MessagePort;
  readonly state: Int32Array;
}
