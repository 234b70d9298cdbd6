// The analysis worker: receives typed requests, runs core through the Engine and answers with
// progress, result or error messages. Typed-array buffers of a result are transferred, not copied.
// Requests run one after another in arrival order (a siting run awaits HiGHS when it loads it).
// Core's searches split over a pool of Web Workers (pool.ts) when the page is cross-origin isolated.
import { Engine } from './engine.js';
import { BrowserWorkPool, poolThreads } from './pool.js';
import type { Request, Response } from './protocol.js';
import { serveRequest } from './serve.js';

interface WorkerScope {
  postMessage(message: Response, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Request>) => void): void;
}

const scope = self as unknown as WorkerScope;
const threads = poolThreads(self);
const pool =
  threads > 1
    ? new BrowserWorkPool(
        threads,
        (k) =>
          new Worker(new URL('./pool.worker.ts', import.meta.url), {
            type: 'module',
            name: `lifecircle-pool-${k}`,
          }),
      )
    : undefined;
const engine = new Engine(pool);
/** Requests cancelled before they started. */
const cancelled = new Set<number>();
// No request runs before the pool's workers have started: a job would otherwise wait for them for ever.
let queue: Promise<void> = pool?.ready ?? Promise.resolve();

scope.addEventListener('message', (event) => {
  const request = event.data;
  if (request.type === 'cancel') {
    cancelled.add(request.target);
    return;
  }
  queue = queue.then(async () => {
    if (cancelled.delete(request.id)) {
      scope.postMessage({
        type: 'error',
        id: request.id,
        error: { kind: 'cancelled', message: 'cancelled' },
      });
      return;
    }
    await serveRequest(engine, request, (message, transfer) => scope.postMessage(message, transfer));
  });
});
