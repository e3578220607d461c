/**
 * The worker-thread entry of `experiment-pool.ts` (bundled as
 * `dist/cli/experiment-worker.mjs`): it is sent the pool's claims, then
 * runs each job it is handed (`JobMessage`, in the order handed) unless
 * the pool's own thread claimed it first (`Claims`), and posts its outcome
 * back as it ends, which asks for the next. It holds no state between jobs.
 */
import { parentPort } from 'node:worker_threads';
import { answer, Claims, type OutcomeMessage, type ToWorker } from './experiment-pool.js';

if (parentPort === null) throw new Error('experiment-worker runs as a worker thread of hvsim');
const port = parentPort;
let claims: Claims | undefined;
port.on('message', (message: ToWorker) => {
  if ('claims' in message) claims = new Claims(message.claims);
  else if (claims === undefined) throw new Error('experiment-worker was handed a job before the pool\'s claims');
  else port.postMessage(answer(claims, message) satisfies OutcomeMessage);
});
