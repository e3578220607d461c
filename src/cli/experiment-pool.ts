/**
 * Runs many scenario runs (the replications of `hvsim run --replications`,
 * the points of `hvsim sweep`) on worker threads and this one, as many at
 * once as there are workers, each thread given the next run as it asks
 * (a job is made when handed out, `JobList.at`, so a sweep of thousands
 * of points holds only the few in flight). Each run is `runScenario` without
 * keeping records, summarized exactly as `hvsim run` summarizes one, so a
 * run's figures and fingerprint are the same in a worker as in this
 * thread. The worker entry (`experiment-worker.mjs`) sits beside the
 * bundled CLI (`dist/cli`); when it is not there (the TypeScript source
 * run by the tests) or one worker is asked for, the runs go one after
 * another in this thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ProfileName } from '../model/costs.js';
import { runScenario } from '../scenario/run.js';
import type { Scenario } from '../scenario/schema.js';
import { summarize, type RunSummary } from './run-summary.js';

/** One run to make: a validated scenario with its seed (and profile) replaced. */
export interface RunJob {
  scenario: Scenario;
  seed?: number;
  profile?: ProfileName;
}

/** The runs to make, made one at a time as they are handed out (an array of jobs is one). */
export interface JobList {
  readonly length: number;
  at(index: number): RunJob | undefined;
}

/** What one run gave: its summary, or why it failed. */
export type JobOutcome = { ok: true; summary: RunSummary } | { ok: false; message: string };

/** Options of `runJobs`. */
export interface PoolOptions {
  /** Runs at once (default: the machine's cores). */
  workers?: number;
  /** The worker entry; default `experiment-worker.mjs` beside this module when it exists, else null (run in this thread). */
  entry?: URL | null;
  /** Called after each run ends with how many have ended. */
  onProgress?: (done: number, total: number) => void;
  /** Called with each run's outcome as it ends (in the order they end); the outcomes are then not kept (`runJobs` returns none). */
  onOutcome?: (index: number, outcome: JobOutcome) => void;
}

/** The default number of workers: the cores this process may use. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** The bundled worker entry beside this module, or null when this is the TypeScript source. */
export function workerEntry(): URL | null {
  const url = new URL('./experiment-worker.mjs', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : null;
}

/** One run in this thread (a worker calls the same). */
export function runJob(job: RunJob): JobOutcome {
  try {
    const run = runScenario(job.scenario, { seed: job.seed, profile: job.profile, keepRecords: false });
    return { ok: true, summary: summarize(run) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** A job handed to a worker: one run, by its index in the list. */
export interface JobMessage {
  index: number;
  job: RunJob;
}

/** A worker's answer for each job it was handed. */
export interface OutcomeMessage {
  index: number;
  outcome: JobOutcome;
}

/**
 * Jobs a worker holds at once, the one it runs and the next ones: this
 * thread hands out work only between its own runs, so a worker that held
 * just one would wait idle while this thread runs one of its own. Two runs
 * ahead cover that; the rest stay unmade (`JobList.at`).
 */
const WORKER_QUEUE = 3;

/**
 * Runs every job and returns their outcomes in the jobs' order (whatever
 * order they finished in), or hands each to `onOutcome` as it ends.
 * @example await runJobs(seeds.map((seed) => ({ scenario, seed })), { workers: 2 })
 */
export async function runJobs(jobs: JobList, options: PoolOptions = {}): Promise<JobOutcome[]> {
  const workers = Math.min(options.workers ?? defaultWorkers(), jobs.length);
  const entry = options.entry === undefined ? workerEntry() : options.entry;
  if (entry === null || workers <= 1) return runHere(jobs, options);
  return runOnWorkers(jobs, workers, entry, options);
}

/**
 * Each worker thread's young generation, in MB (V8's default is 48 on
 * x64). A run's garbage is short-lived (generator steps, record fields);
 * with a small nursery it is collected while still in the cache, where two
 * threads each cycling 16 MB semispaces evict each other's. Measured here
 * (2 cores), `hvsim sweep queue-depth`, 7 points, two threads: 1.89-2.07 s
 * at 3-6 MB against 2.02-2.20 s at 48; one `hvsim run` of 3.2 M events
 * with the same nursery (`--max-semi-space-size=2`): the same speed and
 * 45 MB less memory. (This thread's own heap is set when Node starts.)
 */
const WORKER_YOUNG_MB = 6;

/** Lets stream writes (the progress bar, a closed pipe's error) and the workers' messages through. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function runHere(jobs: JobList, { onProgress, onOutcome }: PoolOptions): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  for (let index = 0; index < jobs.length; index++) {
    const outcome = runJob(jobs.at(index)!);
    if (onOutcome === undefined) outcomes.push(outcome);
    else onOutcome(index, outcome);
    onProgress?.(index + 1, jobs.length);
    if (jobs.length > 1) await turn();
  }
  return outcomes;
}

/**
 * `count` runs at once: this thread and `count - 1` worker threads, each
 * given the next job as it asks (a worker holds `WORKER_QUEUE`). This
 * thread has loaded everything already, so `--workers 2` starts one thread,
 * not two, and the worker's start-up (loading its bundle) overlaps this
 * thread's first run instead of delaying every run.
 */
async function runOnWorkers(jobs: JobList, count: number, entry: URL, { onProgress, onOutcome }: PoolOptions): Promise<JobOutcome[]> {
  const outcomes = new Array<JobOutcome | undefined>(onOutcome === undefined ? jobs.length : 0);
  const threads: Worker[] = [];
  let next = 0;
  let done = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const ended = (index: number, outcome: JobOutcome): void => {
    if (onOutcome === undefined) outcomes[index] = outcome;
    else onOutcome(index, outcome);
    done++;
    onProgress?.(done, jobs.length);
  };
  const handOut = (thread: Worker): void => {
    if (next < jobs.length) thread.postMessage({ index: next, job: jobs.at(next++)! } satisfies JobMessage);
  };
  const fail = (error: Error): void => {
    failure ??= error;
    wake?.();
  };
  try {
    for (let i = 0; i < count - 1; i++) {
      const thread = new Worker(entry, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
      threads.push(thread);
      thread.on('message', (message: OutcomeMessage) => {
        ended(message.index, message.outcome);
        handOut(thread);
        wake?.();
      });
      thread.on('error', (error) => fail(new Error(`a worker thread failed: ${error.message}`)));
      thread.on('exit', (code) => {
        if (done < jobs.length) fail(new Error(`a worker thread exited (code ${code}) before its runs were done`));
      });
      for (let k = 0; k < WORKER_QUEUE; k++) handOut(thread);
    }
    while (next < jobs.length && failure === undefined) {
      const index = next++;
      ended(index, runJob(jobs.at(index)!));
      await turn();
    }
    while (done < jobs.length && failure === undefined) {
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    if (failure !== undefined) throw failure;
    return outcomes as JobOutcome[];
  } finally {
    for (const thread of threads) void thread.terminate();
  }
}
