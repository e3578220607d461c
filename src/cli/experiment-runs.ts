/**
 * What `hvsim run --replications` and `hvsim sweep` share: running a list
 * of runs on the pool with a progress bar on a terminal, and naming on
 * stderr every run that hit its limits or left requests unfinished (by
 * its point and seed), so no loss in a replication or a point is silent.
 */
import type { StopReason } from '../engine/index.js';
import { actionsUnfinishedMessage, hitLimits, hostsDownAtEnd, toWorldConfig, unfinishedLines, type ActionsRun, type Scenario } from '../scenario/index.js';
import { runJobs, workersFor, type JobList, type JobOutcome, type StartedWorkers } from './experiment-pool.js';
import type { CliIo } from './io.js';
import { progressBar } from './progress.js';
import type { RunSummary } from './report.js';
import { lowerWorkloads, STUCK_LINES } from './run-command.js';

/** How `runWithProgress` runs and names its jobs. */
export interface ProgressRun {
  workers: number | undefined;
  /** A job as an error names it: `seed 3`, `point workloads[0].queueDepth=4 seed 1` (in a sweep every point usually has the same seed). */
  nameOf: (index: number) => string;
  /** What the bar counts: `points`, `runs`. */
  what: string;
  /** Given each run's summary as it ends, in the order they end; the summaries are then not kept (a sweep of thousands of points). */
  onSummary?: (index: number, summary: RunSummary) => void;
  /** Worker threads the command started as it began (`StartedWorkers`; it closes them). */
  started?: StartedWorkers;
}

/**
 * Runs `jobs` with a progress bar on a terminal's stderr; summaries in the
 * jobs' order (none when `onSummary` takes them), or the message of the
 * first job that failed, named by `nameOf`.
 */
export async function runWithProgress(io: CliIo, jobs: JobList, { workers, nameOf, what, onSummary, started }: ProgressRun): Promise<{ ok: true; summaries: RunSummary[] } | { ok: false; message: string }> {
  const env = typeof process === 'undefined' ? {} : process.env;
  // More threads than cores only share the cores (`workersFor`): the extra ones are not started, and the user is told.
  const at = workersFor(workers);
  if (workers !== undefined && workers > at && jobs.length > at) {
    io.err.write(`hvsim: --workers ${workers}: this machine has ${at} core${at === 1 ? '' : 's'}; running ${at} at once\n`);
    workers = at;
  }
  const bar = progressBar(io.err, env, what);
  let failed: { index: number; message: string } | undefined;
  const onOutcome = (index: number, outcome: JobOutcome): void => {
    if (!outcome.ok) {
      if (failed === undefined || index < failed.index) failed = { index, message: outcome.message };
    } else if (failed === undefined) onSummary!(index, outcome.summary);
  };
  let outcomes: JobOutcome[];
  try {
    bar.update(0, jobs.length);
    outcomes = await runJobs(jobs, { workers, started, onProgress: (done, total) => bar.update(done, total), ...(onSummary === undefined ? {} : { onOutcome }) });
  } finally {
    bar.done();
  }
  if (failed !== undefined) return { ok: false, message: `the run of ${nameOf(failed.index)} failed: ${failed.message}` };
  const summaries: RunSummary[] = [];
  for (let i = 0; i < outcomes.length; i++) {
    const outcome = outcomes[i]!;
    if (!outcome.ok) return { ok: false, message: `the run of ${nameOf(i)} failed: ${outcome.message}` };
    summaries.push(outcome.summary);
  }
  return { ok: true, summaries };
}

/**
 * Writes what `summary`'s run left undone to stderr, headed by `where`
 * (`queue-depth.json seed 7`, `point workloads[3].queueDepth=64 seed 1`);
 * returns whether there was anything (then the command exits 1).
 */
export function reportUnfinished(io: CliIo, where: string, summary: RunSummary, scenario: Scenario): boolean {
  const limited = hitLimits({ output: { stop: summary.stop as StopReason, completed: summary.completed } as never, requested: summary.requested });
  if (limited) io.err.write(`hvsim: warning: ${where}: the run stopped (${summary.stop}) with ${summary.completed.toLocaleString('en-US')} of ${summary.requested.toLocaleString('en-US')} requests completed; raise limits.maxEvents or limits.until, or ${lowerWorkloads(scenario.workloads.some((w) => w.duration !== undefined))}\n`);
  const lines = unfinishedLines(summary, { requested: summary.requested, stop: summary.stop as StopReason, endNs: summary.endNs, maxEvents: scenario.limits.maxEvents, outages: hostsDownAtEnd(summary.figures) }, STUCK_LINES, !limited);
  if (lines.length > 0) {
    const [headline, ...rest] = lines;
    io.err.write(`hvsim: ${where}: ${headline}\n${rest.map((line) => `  ${line}\n`).join('')}`);
  }
  // A migration, a backup or a change of state the run cut short, as `hvsim run` says it.
  const run: ActionsRun = { figures: summary.figures, config: toWorldConfig(scenario, { seed: summary.seed }), output: { stop: summary.stop as StopReason, endNs: summary.endNs } };
  const [undone, ...undoneLines] = actionsUnfinishedMessage(run);
  if (undone !== undefined) io.err.write(`hvsim: ${where}: ${undone}\n${undoneLines.map((line) => `  ${line}\n`).join('')}`);
  return limited || lines.length > 0 || undone !== undefined;
}
