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
import { NullSink } from '../engine/index.js';
import type { HvRecord } from '../model/trace-events.js';
import { requestsOf, type TrafficConfig, type WorkloadConfig, type WorldConfig } from '../model/world-config.js';
import { runWorld, type RunOutput } from '../model/world.js';
import { assembleRun, toWorldConfig, type RunScenarioOptions, type Scenario, type ScenarioOverrides, type ScenarioRun } from '../scenario/index.js';
import { createRecordStream, type RecordStreamBuffers } from '../scenario/record-stream.js';
import { RecordStreamWriter } from '../scenario/record-stream-writer.js';
import type { FoldResults } from '../scenario/run-sinks.js';

/**
 * Records from which `hvsim run` folds on a second thread by default, by
 * its pilot's estimate (`estimatedRecords`): below it, the thread's start
 * and its cold code cost more than they save. Measured here (2 cores):
 * snapshot-revert (407,000 records) 0.76 s in one thread against 0.88 s
 * with the thread; queue-depth (323,000) 0.63 against 0.71; the headline
 * at 420 writes per VM (1.0 M) 1.12 s either way; at 1,250 (3.0 M) 2.5
 * against 2.1–2.3 s. An emulated request takes hundreds of records where a
 * synthetic one takes a few dozen, so requests alone do not tell.
 */
export const FOLD_THREAD_MIN_RECORDS = 1_000_000;

/** Requests from which a run folds on the second thread when its pilot says nothing (its world's own work fills the pilot). */
export const FOLD_THREAD_MIN_REQUESTS = 20_000;

/** The pilot's requests per workload and traffic source, and the most events it may take. */
const PILOT_REQUESTS = 2;
const PILOT_MAX_EVENTS = 20_000;

/**
 * About how many records the run of `scenario` will write, from a pilot:
 * the same world with at most `PILOT_REQUESTS` requests per workload and
 * traffic source (and at most `PILOT_MAX_EVENTS` events), its records
 * scaled by the requests. When the pilot fills up, a second one without
 * requests tells the world's own work from theirs: if that one fills up
 * too, the pilot says nothing (null), else the records the requests took
 * before it filled, scaled, are a lower bound (a PIO write of 64 KiB takes
 * tens of thousands). Null as well when the world cannot be built (the run
 * itself will say why). A few milliseconds (the headline at 3 M events
 * took 2.21-2.27 s with it, 2.21-2.24 s without); the run is not touched.
 * Records per request have no useful bound (about 2,000 for an emulated
 * 10 KiB write, growing with the bytes PIO moves), so any run bigger than
 * its pilot gets one.
 */
export function estimatedRecords(scenario: Scenario, overrides: ScenarioOverrides = {}): number | null {
  try {
    const config = toWorldConfig(scenario, overrides);
    /** The world with at most `requests` requests per source, stopped at `PILOT_MAX_EVENTS`. */
    const capped = (requests: number): WorldConfig => {
      const cap = <T extends { count: number }>(source: T): T => ({ ...source, count: Math.min(source.count, requests) });
      const traffic = config.traffic === undefined ? {} : { traffic: config.traffic.map(cap) };
      return { ...config, workloads: config.workloads.map(cap), ...traffic, limits: { ...config.limits, maxEvents: PILOT_MAX_EVENTS } };
    };
    const pilot = capped(PILOT_REQUESTS);
    const pilotRequests = requestsOf(pilot);
    if (pilotRequests === 0) return null;
    const out = runWorld(pilot, new NullSink<HvRecord>());
    let records = out.records;
    if (out.stop === 'maxEvents') {
      const idle = runWorld(capped(0), new NullSink<HvRecord>());
      if (idle.stop === 'maxEvents') return null;
      records -= idle.records;
    }
    return Math.round((records * expectedRequests(config, out.endNs)) / pilotRequests);
  } catch {
    return null;
  }
}

/**
 * The requests `config`'s run will issue, as its pilot (which ended at
 * `pilotEndNs`) tells them: each source's count, but a duration workload's
 * count is only a cap (1,000,000 by default), so its requests are what its
 * queue depth keeps going through its window at the pilot's pace: its
 * `min(queueDepth, PILOT_REQUESTS)` issuers took `pilotEndNs - startNs` for
 * the pilot's `PILOT_REQUESTS`. Crude (queueing at depth slows a request,
 * so it errs high), but of the right size, where the cap was 10^4-10^5 too
 * many and sent every duration run to the second thread.
 */
function expectedRequests(config: WorldConfig, pilotEndNs: number): number {
  let n = requestsOf({ workloads: config.workloads.filter((w) => w.durationNs === undefined), traffic: config.traffic ?? [] });
  for (const w of config.workloads) {
    if (w.durationNs === undefined) continue;
    const rounds = Math.ceil(Math.min(w.count, PILOT_REQUESTS) / Math.min(w.queueDepth, PILOT_REQUESTS));
    const perRequestNs = Math.max(1, pilotEndNs - w.startNs) / rounds;
    n += Math.min(w.count, Math.ceil((w.queueDepth * w.durationNs) / perRequestNs));
  }
  return n;
}

/**
 * The fold worker's young generation, in MB: small, as the experiment
 * workers' (`WORKER_YOUNG_MB`, which has the measurements), so that its
 * collections stay in the cache it shares with the model's thread. Its
 * garbage is little since the reader refills one object per layout.
 */
const FOLD_WORKER_YOUNG_MB = 4;

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
 * there, the machine has a second core, and the run is big: by its pilot
 * a million records or more, or when the pilot says nothing, many
 * requests (or the environment says: `HVSIM_FOLD_THREAD=1` always, `0`
 * never).
 */
export function shouldFoldOnThread(scenario: Scenario, entry: URL | null, env: Record<string, string | undefined> = process.env, overrides: ScenarioOverrides = {}): boolean {
  if (entry === null) return false;
  const asked = env['HVSIM_FOLD_THREAD'];
  if (asked === '1') return true;
  if (asked === '0') return false;
  if (availableParallelism() < 2) return false;
  // A duration workload's count is a cap, not its requests: when the pilot says nothing, it is not counted.
  const requests = requestsOf({ workloads: scenario.workloads.filter((w) => w.duration === undefined), traffic: scenario.traffic ?? [] });
  // A run no bigger than its pilot would be run twice: it folds here, as one of few requests does.
  const sources = [...scenario.workloads, ...(scenario.traffic ?? [])];
  if (sources.every((source) => source.count <= PILOT_REQUESTS)) return false;
  const estimate = estimatedRecords(scenario, overrides);
  return estimate === null ? requests >= FOLD_THREAD_MIN_REQUESTS : estimate >= FOLD_THREAD_MIN_RECORDS;
}

/** Runs `scenario` here, folding its records on the worker at `entry`: the same `ScenarioRun` as `runScenario` without kept records. */
export async function runScenarioFolded(scenario: Scenario, options: Omit<RunScenarioOptions, 'keepRecords' | 'traceSink' | 'recordLimit'>, entry: URL): Promise<ScenarioRun> {
  const config = toWorldConfig(scenario, options);
  const buffers = createRecordStream();
  const workerData: FoldWorkerData = { buffers, workloads: config.workloads, traffic: config.traffic ?? [] };
  const worker = new Worker(entry, { workerData, resourceLimits: { maxYoungGenerationSizeMb: FOLD_WORKER_YOUNG_MB } });
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
