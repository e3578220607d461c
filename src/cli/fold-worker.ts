/**
 * The worker-thread entry of `fold-thread.ts` (bundled as
 * `dist/cli/fold-worker.mjs`): reads a run's record stream into the run's
 * folds as the model writes it, then, told how the run ended, answers with
 * the folds' results (or why it failed, marking the stream failed so the
 * model's thread does not wait for it).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RecordStreamReader } from '../scenario/record-stream-reader.js';
import { RunFolds } from '../scenario/run-sinks.js';
import type { FoldAnswer, FoldEndMessage, FoldWorkerData } from './fold-thread.js';

if (parentPort === null) throw new Error('fold-worker runs as a worker thread of hvsim');
const port = parentPort;
const data = workerData as FoldWorkerData;
const reader = new RecordStreamReader(data.buffers);
const failed = (error: unknown): FoldAnswer => ({ ok: false, message: error instanceof Error ? error.message : String(error) });
try {
  const folds = new RunFolds(data.workloads, data.traffic);
  const records = reader.drain(folds.sink());
  port.once('message', ({ end }: FoldEndMessage) => {
    try {
      port.postMessage({ ok: true, results: folds.results(end), records } satisfies FoldAnswer);
    } catch (error) {
      port.postMessage(failed(error));
    }
  });
} catch (error) {
  reader.fail();
  port.postMessage(failed(error));
}
