/**
 * The worker-thread entry of `experiment-pool.ts` (bundled as
 * `dist/cli/experiment-worker.mjs`): it runs each job it is handed
 * (`JobMessage`, in the order handed) and posts its outcome back as it
 * ends, which asks for the next. It holds no state between jobs.
 */
import { parentPort } from 'node:worker_threads';
import { runJob, type JobMessage, type OutcomeMessage } from './experiment-pool.js';

if (parentPort === null) throw new Error('experiment-worker runs as a worker thread of hvsim');
const port = parentPort;
port.on('message', ({ index, job }: JobMessage) => {
  port.postMessage({ index, outcome: runJob(job) } satisfies OutcomeMessage);
});
