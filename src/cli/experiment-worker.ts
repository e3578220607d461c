/**
 * The worker-thread entry of `experiment-pool.ts` (bundled as
 * `dist/cli/experiment-worker.mjs`): given every job and the shared claim
 * counter (`StartMessage`), it takes the next job until none are left and
 * posts each outcome back as it ends. It holds no state between jobs.
 */
import { parentPort } from 'node:worker_threads';
import { claimJob, runJob, type OutcomeMessage, type StartMessage } from './experiment-pool.js';

if (parentPort === null) throw new Error('experiment-worker runs as a worker thread of hvsim');
const port = parentPort;
port.on('message', ({ jobs, claim }: StartMessage) => {
  for (let index = claimJob(claim, jobs.length); index >= 0; index = claimJob(claim, jobs.length)) {
    port.postMessage({ index, outcome: runJob(jobs[index]!) } satisfies OutcomeMessage);
  }
});
