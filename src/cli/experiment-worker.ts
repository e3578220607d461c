/**
 * The worker-thread entry of `experiment-pool.ts` (bundled as
 * `dist/cli/experiment-worker.mjs`): runs each job it is sent and posts
 * the outcome back. It holds no state between jobs.
 */
import { parentPort } from 'node:worker_threads';
import { runJob, type JobMessage, type OutcomeMessage } from './experiment-pool.js';

if (parentPort === null) throw new Error('experiment-worker runs as a worker thread of hvsim');
const port = parentPort;
port.on('message', (message: JobMessage) => {
  port.postMessage({ index: message.index, outcome: runJob(message.job) } satisfies OutcomeMessage);
});
