// The viewer's work pool when a pool worker fails outside its kernels: the job fails at once with an
// error naming the worker, instead of leaving the analysis worker asleep until the page's Cancel.
// The pool workers run pool.worker.ts itself on Node worker threads (tsx compiles it), with `self`
// stood in for; the stand-in of the failing worker throws on its first job, as an error outside
// every kernel would in a browser (the worker's `error` event, the job never answered).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker as NodeWorker } from 'node:worker_threads';
import { GreatCircleSource, type Reach } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { BrowserWorkPool } from './pool.js';

const POOL_WORKER = new URL('./pool.worker.ts', import.meta.url).href;
// tsx's loader API, its ES module beside the CommonJS one require finds.
const TSX = pathToFileURL(
  createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs'),
).href;

// The worker scope a pool worker expects (`self`), over Node's parentPort. With `fail`, the first
// job is not handed to the pool worker: an error is thrown instead, and reaches the scope's `error`
// listeners as an uncaught error in a browser worker would.
const STAND_IN = `
import { parentPort, workerData } from 'node:worker_threads';
const listeners = { message: [], error: [], unhandledrejection: [] };
globalThis.self = {
  postMessage: (message) => parentPort.postMessage(message),
  addEventListener: (type, listener) => listeners[type].push(listener),
};
let failed = false;
// Messages wait until the pool worker has loaded, as a browser queues them for a module worker.
const early = [];
let loaded = false;
const deliver = (data) => {
  if (workerData.fail && data.type === 'job' && !failed) {
    failed = true;
    const error = new Error('a crash outside any kernel');
    for (const listener of listeners.error) listener({ error, message: error.message });
    return;
  }
  for (const listener of listeners.message) listener({ data });
};
parentPort.on('message', (data) => (loaded ? deliver(data) : early.push(data)));
const { register } = await import(workerData.tsx);
register();
await import(workerData.script);
loaded = true;
for (const data of early) deliver(data);
`;

function spawn(fail: boolean): Worker {
  const worker = new NodeWorker(STAND_IN, {
    eval: true,
    workerData: { script: POOL_WORKER, tsx: TSX, fail },
  });
  worker.unref();
  // The part of a browser Worker the pool uses.
  return {
    postMessage: (message: unknown) => worker.postMessage(message),
    addEventListener: (type: string, listener: (event: unknown) => void) =>
      worker.on(type, (data: unknown) => listener(type === 'message' ? { data } : data)),
    terminate: () => void worker.terminate(),
  } as unknown as Worker;
}

function scatter(n: number, seed: number): Float64Array {
  const coords = new Float64Array(2 * n);
  let s = seed;
  const random = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  for (let i = 0; i < n; i++) {
    coords[2 * i] = 106.66 + (random() - 0.5) * 0.05;
    coords[2 * i + 1] = 35.54 + (random() - 0.5) * 0.05;
  }
  return coords;
}

const origins = {
  coords: scatter(20_000, 7),
  owner: Uint32Array.from({ length: 20_000 }, (_, i) => i % 300),
  ownerCount: 300,
};
const targets = { coords: scatter(300, 11) };
const plain = (reach: Reach) =>
  [reach.nearestCost, reach.nearestIndex, reach.withinCount, reach.ownerWithinCount].map((a) =>
    Array.from(a),
  );
const expected = plain(new GreatCircleSource(origins).reach(targets, 500));

describe('the viewer’s work pool', () => {
  it('gives the one-thread answers on its workers', async () => {
    const pool = new BrowserWorkPool(3, () => spawn(false));
    await pool.ready;
    try {
      expect(pool.threads).toBe(3);
      const source = new GreatCircleSource(origins, { pool, minOriginsToSplit: 0 });
      expect(plain(source.reach(targets, 500))).toEqual(expected);
    } finally {
      pool.close();
    }
  }, 60_000);

  it('fails the job at once, naming the worker, when one fails outside its kernels', async () => {
    const pool = new BrowserWorkPool(3, (k) => spawn(k === 1));
    await pool.ready;
    expect(pool.threads).toBe(3);
    const source = new GreatCircleSource(origins, { pool, minOriginsToSplit: 0 });
    const started = Date.now();
    // Only PoolWorkerFailedError says "Pool worker N of M stopped".
    expect(() => source.reach(targets, 500)).toThrow(
      /^Pool worker 1 of 2 stopped during the 'great-circle-scan' search \(a crash outside any kernel\)/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    // The pool's workers are stopped: the next search runs on this thread, with the same answers.
    expect(pool.threads).toBe(1);
    expect(plain(source.reach(targets, 500))).toEqual(expected);
  }, 60_000);
});
