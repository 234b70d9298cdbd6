// A stand-in for the work pool's worker script (packages/cli/dist/pool/worker.js) whose first pool
// thread stops on its first job, as one that runs out of memory or is killed would: with
// process.exit (STOP_HOW 'exit'), or by an error thrown outside any kernel ('throw'). The
// supervisor and every other pool thread run the real script. See threads.test.ts.
import { workerData } from 'node:worker_threads';

if (workerData.role === 'pool' && workerData.index === 0) {
  workerData.port.once('message', () => {
    if (process.env.STOP_HOW === 'throw')
      setTimeout(() => {
        throw new Error('a crash outside any kernel');
      });
    else process.exit(9);
  });
} else {
  await import(new URL('../../dist/pool/worker.js', import.meta.url).href);
}
