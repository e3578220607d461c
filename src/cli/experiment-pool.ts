/**
 * Runs many scenario runs (the replications of `hvsim run --replications`,
 * the points of `hvsim sweep`) on worker threads, one run per message, as
 * many at once as there are workers. Each run is `runScenario` without
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
import { runScenario, type Scenario } from '../scenario/index.js';
import { summarize, type RunSummary } from './report.js';

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

/** A message to a worker: run job `index`. */
export interface JobMessage {
  index: number;
  job: RunJob;
}

/** A worker's answer to `JobMessage`. */
export interface OutcomeMessage {
  index: number;
  outcome: JobOutcome;
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

async function runHere(jobs: readonly RunJob[], onProgress?: (done: number, total: number) => void): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  for (const job of jobs) {
    outcomes.push(runJob(job));
    onProgress?.(outcomes.length, jobs.length);
    // Let stream writes (the progress bar, a closed pipe's error) through between runs.
    if (jobs.length > 1) await new Promise((resolve) => setImmediate(resolve));
  }
  return outcomes;
}

function runOnWorkers(jobs: readonly RunJob[], count: number, entry: URL, onProgress?: (done: number, total: number) => void): Promise<JobOutcome[]> {
  const outcomes = new Array<JobOutcome | undefined>(jobs.length);
  const threads: Worker[] = [];
  let next = 0;
  let done = 0;
  return new Promise<JobOutcome[]>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      for (const thread of threads) void thread.terminate();
      if (error !== undefined) reject(error);
      else resolve(outcomes as JobOutcome[]);
    };
    const feed = (thread: Worker): void => {
      if (next >= jobs.length) return;
      const index = next++;
      thread.postMessage({ index, job: jobs[index]! } satisfies JobMessage);
    };
    for (let i = 0; i < count; i++) {
      const thread = new Worker(entry);
      threads.push(thread);
      thread.on('message', (message: OutcomeMessage) => {
        outcomes[message.index] = message.outcome;
        done++;
        onProgress?.(done, jobs.length);
        if (done === jobs.length) finish();
        else feed(thread);
      });
      thread.on('error', (error) => finish(new Error(`a worker thread failed: ${error.message}`)));
      thread.on('exit', (code) => {
        if (!settled) finish(new Error(`a worker thread exited (code ${code}) before its runs were done`));
      });
      feed(thread);
    }
  });
}
