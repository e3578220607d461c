/**
 * The worker-thread side of `experiment-pool.ts`: `serveJobs` is sent the
 * pool's claims, then runs each job it is handed (`JobMessage`, in the
 * order handed) unless the pool's own thread claimed it first (`Claims`),
 * and posts its outcome back as it ends, which asks for the next. It holds
 * no state between jobs. Bundled on its own as `dist/cli/experiment-worker.cjs`
 * (no zod, no report formatting), which the worker entry beside it
 * (`experiment-worker.mjs`, written by esbuild.config.mjs) loads with its
 * code cache (bin/load-cli.mjs) and starts.
 */
import { parentPort } from 'node:worker_threads';
import { answer, Claims, type OutcomeMessage, type ToWorker } from './experiment-pool.js';

/** One run in this thread: what the build runs to write the bundle's code cache. */
export { runJob } from './experiment-pool.js';

/** Answers the pool's jobs on this worker thread until the pool ends it. */
export function serveJobs(): void {
  if (parentPort === null) throw new Error('experiment-worker runs as a worker thread of hvsim');
  const port = parentPort;
  let claims: Claims | undefined;
  port.on('message', (message: ToWorker) => {
    if ('claims' in message) claims = new Claims(message.claims);
    else if (claims === undefined) throw new Error("experiment-worker was handed a job before the pool's claims");
    else port.postMessage(answer(claims, message) satisfies OutcomeMessage);
  });
}
