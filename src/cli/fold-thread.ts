/**
 * `hvsim run` with its records folded on a second thread: the model runs
 * here and writes each record into a shared-memory stream
 * (`scenario/record-stream.ts`); `fold-worker.mjs`, beside the bundled CLI,
 * reads them into the same folds `runScenario` uses (`RunFolds`) and hands
 * back the figures, the fingerprint and the ledger's verdict. The folding
 * costs about as much as the model, so on two cores a big run ends in
 * about the model's own time. The run is the same: the same records, in
 * the same order, into the same code (tests compare every bundled
 * scenario's summary both ways).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { requestsOf, type TrafficConfig, type WorkloadConfig } from '../model/world-config.js';
import { runWorld, type RunOutput } from '../model/world.js';
import { assembleRun, toWorldConfig, type RunScenarioOptions, type Scenario, type ScenarioRun } from '../scenario/index.js';
import { createRecordStream, RecordStreamWriter, type RecordStreamBuffers } from '../scenario/record-stream.js';
import type { FoldResults } from '../scenario/run-sinks.js';

/**
 * Requests (the workloads' and traffic's counts) from which `hvsim run`
 * folds on a second thread by default: below it, the thread's start costs
 * more than it saves. Measured here (2 cores): snapshot-revert (6,000
 * requests) 0.88 s in one thread against 0.98 s with the thread,
 * queue-depth (8,000; 325,000 events) 0.73 against 0.75, queue-depth at
 * 80,000 (3.2 M events) 2.7 against 2.3 s.
 */
export const FOLD_THREAD_MIN_REQUESTS = 20_000;

/** What the fold worker is started with. */
export interface FoldWorkerData {
  buffers: RecordStreamBuffers;
  workloads: WorkloadConfig[];
  traffic: TrafficConfig[];
}

/** The one message the fold worker gets, once the model has written the stream's end. */
export interface FoldEndMessage {
  end: Pick<RunOutput, 'topology' | 'stop' | 'endNs'>;
}

/** The fold worker's answer. */
export type FoldAnswer = { ok: true; results: FoldResults; records: number } | { ok: false; message: string };

/** The bundled fold worker beside this module, or null (the TypeScript source, run by the tests). */
export function foldWorkerEntry(): URL | null {
  const url = new URL('./fold-worker.mjs', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * Whether `hvsim run` should fold on a second thread: the worker entry is
 * there, the machine has a second core, and the run is big (or the
 * environment says: `HVSIM_FOLD_THREAD=1` always, `0` never).
 */
export function shouldFoldOnThread(scenario: Scenario, entry: URL | null, env: Record<string, string | undefined> = process.env): boolean {
  if (entry === null) return false;
  const asked = env['HVSIM_FOLD_THREAD'];
  if (asked === '1') return true;
  if (asked === '0') return false;
  if (availableParallelism() < 2) return false;
  return requestsOf(scenario) >= FOLD_THREAD_MIN_REQUESTS;
}

/** Runs `scenario` here, folding its records on the worker at `entry`: the same `ScenarioRun` as `runScenario` without kept records. */
export async function runScenarioFolded(scenario: Scenario, options: Omit<RunScenarioOptions, 'keepRecords' | 'traceSink' | 'recordLimit'>, entry: URL): Promise<ScenarioRun> {
  const config = toWorldConfig(scenario, options);
  const buffers = createRecordStream();
  const workerData: FoldWorkerData = { buffers, workloads: config.workloads, traffic: config.traffic ?? [] };
  // A small nursery: the reader's garbage (each record's own fields) dies young (see experiment-pool's WORKER_YOUNG_MB).
  const worker = new Worker(entry, { workerData, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  const answer = new Promise<FoldAnswer>((resolve) => {
    worker.once('message', (message: FoldAnswer) => resolve(message));
    worker.once('error', (error) => resolve({ ok: false, message: error.message }));
    worker.once('exit', (code) => resolve({ ok: false, message: `the fold thread exited (code ${code}) before it answered` }));
  });
  try {
    const writer = new RecordStreamWriter(buffers);
    let output: RunOutput;
    try {
      output = runWorld(config, writer);
      writer.close();
    } catch (error) {
      const folded = await Promise.race([answer, new Promise<null>((resolve) => setTimeout(() => resolve(null), 100))]);
      if (folded !== null && !folded.ok) throw new Error(`${error instanceof Error ? error.message : String(error)}: ${folded.message}`);
      throw error;
    }
    worker.postMessage({ end: { topology: output.topology, stop: output.stop, endNs: output.endNs } } satisfies FoldEndMessage);
    const folded = await answer;
    if (!folded.ok) throw new Error(`folding the run's records failed: ${folded.message}`);
    if (folded.records !== output.records) throw new Error(`the fold thread read ${folded.records} records of the ${output.records} the model wrote`);
    return assembleRun(scenario, config, output, folded.results);
  } finally {
    void worker.terminate();
  }
}
