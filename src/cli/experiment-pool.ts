/**
 * Runs many scenario runs (the replications of `hvsim run --replications`,
 * the points of `hvsim sweep`) on worker threads and this one, as many at
 * once as there are workers, each thread taking the next run when it is
 * free. Each run is `runScenario` without
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

/**
 * The one message a worker gets: every job, and the shared claim counter.
 * Each thread (the workers and this one) takes the next job by adding 1 to
 * `claim[0]` (`Atomics.add`), until none are left: whoever is free takes
 * the next run, so a slow run never holds up the others, and no thread
 * waits for this one to hand it work.
 */
export interface StartMessage {
  jobs: readonly RunJob[];
  claim: Int32Array;
}

/** A worker's answer for each job it took. */
export interface OutcomeMessage {
  index: number;
  outcome: JobOutcome;
}

/** Takes the next job's index off `claim`, or -1 when every job is taken. */
export function claimJob(claim: Int32Array, jobs: number): number {
  const index = Atomics.add(claim, 0, 1);
  return index < jobs ? index : -1;
}

/**
 * Runs every job and returns their outcomes in the jobs' order (whatever
 * order they finished in).
 * @example await runJobs(seeds.map((seed) => ({ scenario, seed })), { workers: 2 })
 */
export async function runJobs(jobs: readonly RunJob[], options: PoolOptions = {}): Promise<JobOutcome[]> {
  const workers = Math.min(options.workers ?? defaultWorkers(), jobs.length);
  const entry = options.entry === undefined ? workerEntry() : options.entry;
  if (entry === null || workers <= 1) return runHere(jobs, options.onProgress);
  return runOnWorkers(jobs, workers, entry, options.onProgress);
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

async function runHere(jobs: readonly RunJob[], onProgress?: (done: number, total: number) => void): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  for (const job of jobs) {
    outcomes.push(runJob(job));
    onProgress?.(outcomes.length, jobs.length);
    if (jobs.length > 1) await turn();
  }
  return outcomes;
}

/**
 * `count` runs at once: this thread and `count - 1` worker threads, each
 * taking the next job off a shared counter (`StartMessage`). This thread
 * has loaded everything already, so `--workers 2` starts one thread, not
 * two, and the worker's start-up (loading its bundle) overlaps this
 * thread's first run instead of delaying every run.
 */
async function runOnWorkers(jobs: readonly RunJob[], count: number, entry: URL, onProgress?: (done: number, total: number) => void): Promise<JobOutcome[]> {
  const outcomes = new Array<JobOutcome | undefined>(jobs.length);
  const claim = new Int32Array(new SharedArrayBuffer(4));
  const threads: Worker[] = [];
  let done = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const ended = (index: number, outcome: JobOutcome): void => {
    outcomes[index] = outcome;
    done++;
    onProgress?.(done, jobs.length);
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
        wake?.();
      });
      thread.on('error', (error) => fail(new Error(`a worker thread failed: ${error.message}`)));
      thread.on('exit', (code) => {
        if (done < jobs.length) fail(new Error(`a worker thread exited (code ${code}) before its runs were done`));
      });
      thread.postMessage({ jobs, claim } satisfies StartMessage);
    }
    for (let index = claimJob(claim, jobs.length); index >= 0 && failure === undefined; index = claimJob(claim, jobs.length)) {
      ended(index, runJob(jobs[index]!));
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
