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
  /** Worker threads started ahead (`StartedWorkers`), taken before any is started here. */
  started?: StartedWorkers;
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

/** What a worker is sent: the pool's claims (`Claims`, first and once), then jobs. */
export type ToWorker = { claims: SharedArrayBuffer } | JobMessage;

/**
 * A worker's answer for each job it was handed: the run's outcome, or
 * `taken` when this thread claimed the job first (`Claims`) and ran it.
 */
export type OutcomeMessage = { index: number; outcome: JobOutcome } | { index: number; taken: true };

/**
 * Which jobs a thread has begun, one Int32 each in memory every thread of
 * the pool shares: a thread runs a job only if it is the first to claim it
 * (`Atomics.compareExchange` from 0 to 1). A worker is handed jobs ahead
 * (`WORKER_QUEUE`) so it never waits on this thread, which hands out work
 * only between its own runs; when nothing is left to hand out, this thread
 * claims what a worker holds but has not begun, from the back of its queue,
 * and runs it. Without that, this thread sat idle at the end of a sweep
 * while a worker still held three runs: measured here (2 cores), `hvsim
 * sweep queue-depth` over 7 queue depths, this thread ended 1.1-1.3 s
 * before the worker.
 */
export class Claims {
  private readonly slots: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.slots = new Int32Array(buffer);
  }

  /** Room for `count` jobs. */
  static of(count: number): Claims {
    return new Claims(new SharedArrayBuffer(4 * Math.max(1, count)));
  }

  /** True for the one thread that claims job `index` first. */
  claim(index: number): boolean {
    return Atomics.compareExchange(this.slots, index, 0, 1) === 0;
  }
}

/** Runs `message`'s job in a worker unless another thread claimed it first. */
export function answer(claims: Claims, { index, job }: JobMessage): OutcomeMessage {
  return claims.claim(index) ? { index, outcome: runJob(job) } : { index, taken: true };
}

/**
 * Jobs a worker holds at once, the one it runs and the next ones: this
 * thread hands out work only between its own runs, so a worker that held
 * just one would wait idle while this thread runs one of its own. Two runs
 * ahead cover that (and `Claims` takes back what is left at the end); the
 * rest stay unmade (`JobList.at`).
 */
const WORKER_QUEUE = 3;

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

/**
 * Worker threads started before their jobs are known: a command starts
 * them first thing, so a thread's start-up (Node's, then loading and
 * compiling its bundle, about 0.2 s here) runs on the other core while
 * this one reads and validates the scenario and its points, instead of
 * slowing this thread's first run. `runJobs` takes them (`take`); `close`
 * ends any it did not take, so a command that stops on bad input leaves
 * no thread behind.
 * @example const started = StartedWorkers.start(workersFor(command.workers)); try { … runJobs(jobs, { started }) … } finally { void started.close(); }
 */
export class StartedWorkers {
  private readonly threads: Worker[] = [];
  private readonly failures = new Map<Worker, Error>();

  private constructor(readonly entry: URL | null) {}

  /** `workers - 1` threads (this thread is the other), none when there is no bundled entry. */
  static start(workers: number, entry: URL | null = workerEntry()): StartedWorkers {
    const started = new StartedWorkers(entry);
    if (entry !== null) for (let i = 0; i < workers - 1; i++) started.threads.push(started.spawn());
    return started;
  }

  /** A started thread, or a new one; the caller then owns it (and terminates it). */
  take(): Worker {
    return this.threads.shift() ?? this.spawn();
  }

  /** Why `thread` failed before it was taken, if it did. */
  failureOf(thread: Worker): Error | undefined {
    return this.failures.get(thread);
  }

  /** Ends the threads not taken; resolves with their exit codes once they have stopped. */
  close(): Promise<number[]> {
    return Promise.all(this.threads.splice(0).map((thread) => thread.terminate()));
  }

  private spawn(): Worker {
    if (this.entry === null) throw new Error('no worker entry (this is the TypeScript source)');
    const thread = new Worker(this.entry, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    // Until taken, a failure is kept for whoever takes the thread.
    thread.on('error', (error) => this.failures.set(thread, error));
    return thread;
  }
}

/**
 * The threads to run on for `requested` (`--workers`, default the cores):
 * more threads than cores only share the cores, each with its own heap
 * (256 workers: 49 s and 3 GB where the core count took 7 s and 220 MB).
 */
export function workersFor(requested: number | undefined): number {
  const cores = defaultWorkers();
  return Math.max(1, Math.min(requested ?? cores, cores));
}

/**
 * Runs every job and returns their outcomes in the jobs' order (whatever
 * order they finished in), or hands each to `onOutcome` as it ends.
 * @example await runJobs(seeds.map((seed) => ({ scenario, seed })), { workers: 2 })
 */
export async function runJobs(jobs: JobList, options: PoolOptions = {}): Promise<JobOutcome[]> {
  const workers = Math.min(options.workers ?? defaultWorkers(), jobs.length);
  const started = options.started ?? StartedWorkers.start(0, options.entry === undefined ? workerEntry() : options.entry);
  if (started.entry === null || workers <= 1) return runHere(jobs, options);
  return runOnWorkers(jobs, workers, started, options);
}

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

/** A job handed to a worker, by its index. */
interface HeldJob {
  index: number;
  job: RunJob;
}

/**
 * `count` runs at once: this thread and `count - 1` worker threads (taken
 * from `started`), each given the next job as it asks (a worker holds
 * `WORKER_QUEUE`, and this thread takes back what a worker has not begun
 * once nothing else is left: `Claims`).
 */
async function runOnWorkers(jobs: JobList, count: number, started: StartedWorkers, { onProgress, onOutcome }: PoolOptions): Promise<JobOutcome[]> {
  const outcomes = new Array<JobOutcome | undefined>(onOutcome === undefined ? jobs.length : 0);
  const claims = Claims.of(jobs.length);
  const threads: Worker[] = [];
  /** The jobs each worker was handed and has not answered, in the order handed. */
  const held = new Map<Worker, HeldJob[]>();
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
    if (next >= jobs.length) return;
    const index = next++;
    const job = jobs.at(index)!;
    held.get(thread)!.push({ index, job });
    thread.postMessage({ index, job } satisfies ToWorker);
  };
  /** A job a worker holds and has not begun, claimed for this thread: the last one handed to the worker holding most. */
  const takeBack = (): HeldJob | undefined => {
    for (;;) {
      let most: HeldJob[] | undefined;
      for (const queue of held.values()) if (queue.length > (most?.length ?? 0)) most = queue;
      if (most === undefined) return undefined;
      const last = most.pop()!;
      if (claims.claim(last.index)) return last;
      most.length = 0; // the worker has begun its last job, so every one before it
    }
  };
  const fail = (error: Error): void => {
    failure ??= error;
    wake?.();
  };
  try {
    for (let i = 0; i < count - 1; i++) {
      const thread = started.take();
      threads.push(thread);
      held.set(thread, []);
      const early = started.failureOf(thread);
      if (early !== undefined) fail(new Error(`a worker thread failed: ${early.message}`));
      thread.on('message', (message: OutcomeMessage) => {
        const queue = held.get(thread)!;
        const at = queue.findIndex((h) => h.index === message.index);
        if (at >= 0) queue.splice(at, 1);
        if ('outcome' in message) ended(message.index, message.outcome);
        handOut(thread);
        wake?.();
      });
      thread.on('error', (error) => fail(new Error(`a worker thread failed: ${error.message}`)));
      thread.on('exit', (code) => {
        if (done < jobs.length) fail(new Error(`a worker thread exited (code ${code}) before its runs were done`));
      });
      thread.postMessage({ claims: claims.buffer } satisfies ToWorker);
      for (let k = 0; k < WORKER_QUEUE; k++) handOut(thread);
    }
    while (failure === undefined) {
      let mine: HeldJob | undefined;
      if (next < jobs.length) {
        const index = next++;
        if (claims.claim(index)) mine = { index, job: jobs.at(index)! };
      } else mine = takeBack();
      if (mine === undefined) break;
      ended(mine.index, runJob(mine.job));
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
