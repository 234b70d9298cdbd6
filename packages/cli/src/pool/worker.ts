// A thread of the CLI's work pool: takes jobs from the main thread, runs the ranges it claims with
// the core's kernels, and hands back what they found. See node-pool.ts for the protocol.
import { type MessagePort, parentPort } from 'node:worker_threads';
import { runKernel } from '@lifecircle/core';
import type { PoolJob, PoolReply } from './node-pool.js';

if (parentPort === null) throw new Error('pool/worker.js runs only as a worker thread.');
parentPort.once('message', (port: MessagePort) => {
  port.on('message', (job: PoolJob) => {
    const parts: [number, unknown][] = [];
    let reply: PoolReply;
    try {
      for (let k = Atomics.add(job.next, 0, 1); k < job.ranges.length; k = Atomics.add(job.next, 0, 1)) {
        const [from, to] = job.ranges[k]!;
        parts.push([k, runKernel(job.kernel, job.input, from, to)]);
      }
      reply = { parts };
    } catch (error) {
      reply = { parts, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    // The reply is queued on the port before the main thread is woken, so it can read it at once.
    port.postMessage(reply);
    Atomics.add(job.done, 0, 1);
    Atomics.notify(job.done, 0);
  });
});
