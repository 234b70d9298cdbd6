// The threads of the CLI's work pool, two roles of one script (see node-pool.ts for the protocol):
//
// - a pool thread takes jobs from the main thread, runs the ranges it claims with the core's kernels
//   and hands back what they found;
// - the supervisor starts the pool threads and watches them. The main thread sleeps in Atomics.wait
//   while a job runs, so it cannot see a thread's 'exit' event; the supervisor's event loop is free,
//   and when a pool thread stops it writes which one into shared memory and wakes the main thread,
//   which then fails instead of waiting for ever.
import { type MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';
import type { runKernel as RunKernel } from '@lifecircle/core/internal';
import {
  POOL_STATE,
  type PoolJob,
  type PoolReply,
  type PoolThreadData,
  type SupervisorData,
} from './protocol.js';

if (parentPort === null) throw new Error('pool/worker.js runs only as a worker thread.');
const data = workerData as SupervisorData | PoolThreadData;
if (data.role === 'supervisor') {
  try {
    supervise(data);
  } catch (error) {
    // Said to the main thread at once (it fails the job); the error itself is printed by Node.
    Atomics.store(data.state, POOL_STATE.supervising, -1);
    Atomics.notify(data.state, POOL_STATE.finished);
    throw error;
  }
} else {
  // Only pool threads load the core: the supervisor starts sooner without it.
  const { runKernel } = await import('@lifecircle/core/internal');
  serve(data.port, data.state, runKernel);
}

function supervise({ script, ports, state }: SupervisorData): void {
  ports.forEach((port, index) => {
    const thread: PoolThreadData = { role: 'pool', index, port, state };
    const worker = new Worker(new URL(script), { workerData: thread, transferList: [port] });
    // An error outside every kernel (the kernels' own are sent back with the job) stops the thread:
    // said here, as the main thread is asleep; its exit below then fails the job.
    worker.on('error', (error) => {
      process.stderr.write(`lifecircle: worker thread ${index + 1}: ${error.stack ?? error.message}\n`);
    });
    worker.on('exit', (code) => {
      if (Atomics.compareExchange(state, POOL_STATE.stoppedThread, 0, index + 1) === 0) {
        Atomics.store(state, POOL_STATE.exitCode, code);
      }
      Atomics.notify(state, POOL_STATE.finished);
    });
  });
  Atomics.store(state, POOL_STATE.supervising, 1);
}

function serve(port: MessagePort, state: Int32Array, runKernel: typeof RunKernel): void {
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
    Atomics.add(state, POOL_STATE.finished, 1);
    Atomics.notify(state, POOL_STATE.finished);
  });
}
