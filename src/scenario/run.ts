/**
 * Runs a validated scenario headless: builds its `WorldConfig`, runs the
 * model, and folds the records as they are emitted into the per-path
 * figures (`PathMetricsFolder`, the same `metrics/` code the app uses),
 * the fingerprint (`FingerprintSink`) and the request ledger, then checks
 * the scenario's claims against those figures. Keeping the trace in
 * memory is an option (`keepRecords`, on by default for the app, which
 * steps through it); without it a run's memory grows with its requests,
 * not its records. A request that did not complete is never lost in
 * silence: a `RequestLedger` folds the records as they are emitted and the
 * run names every stuck request. It does no printing and no file I/O; the
 * CLI and the UI present the result.
 */
import { ArraySink, TeeSink, type TraceSink } from '../engine/index.js';
import type { PathMetrics } from '../metrics/index.js';
import type { RunFigures } from '../metrics/run-figures.js';
import type { HvRecord } from '../model/trace-events.js';
import { RecordStore } from '../model/trace/record-store.js';
import { runWorld, type RunOutput } from '../model/world.js';
import { requestsOf, type WorldConfig } from '../model/world-config.js';
import { toWorldConfig, type ScenarioOverrides } from './build.js';
import { evaluateClaims, type ClaimResult } from './claims.js';
import { hostsDownAtEnd } from './outage.js';
import { commonRandomNumbers, independentStreams, type IndependentStreams, type SharedStream } from './common-random.js';
import { checkPolicy, type PolicyVerdicts } from './policy/check.js';
import type { Scenario } from './schema.js';
import { RunFolds, type FoldResults } from './run-sinks.js';
import { isUnfinished, unfinishedLines, type NotIssued, type StuckRequest } from './unfinished.js';

/** Options of one run. */
export interface RunScenarioOptions extends ScenarioOverrides {
  /** Also receives every record as it is emitted. */
  traceSink?: TraceSink<HvRecord>;
  /** The most records kept in memory (default 10,000,000); a run that would exceed it fails with `TraceLimitError`. Only with `keepRecords`. */
  recordLimit?: number;
  /**
   * Keep every record: `true` (the default) as objects in
   * `ScenarioRun.records`; `'columns'` in `ScenarioRun.store`, a column
   * store (the app, which steps through millions of them: a few dozen bytes
   * a record, outside the JS heap); false keeps none. The figures, the
   * fingerprint and the ledger are folded as records are emitted either
   * way, and come out the same.
   */
  keepRecords?: boolean | 'columns';
}

/** What a run produced. */
export interface ScenarioRun {
  config: WorldConfig;
  output: RunOutput;
  /** Every record in trace order; empty unless the run was asked to keep them as objects (`keepRecords: true`, the default). */
  records: HvRecord[];
  /** Every record in trace order, in columns, when the run was asked for them so (`keepRecords: 'columns'`), else null. */
  store: RecordStore | null;
  /** The engine's fingerprint over every record (folded as they were emitted): equal fingerprints, equal runs. */
  fingerprint: string;
  paths: PathMetrics[];
  /** Figures beyond the paths (VM life, scheduling, the cluster), by part: `metrics/run-figures.ts`. */
  figures: RunFigures;
  /** The scenario's claims checked against `paths` and `figures`, in the file's order. */
  claims: ClaimResult[];
  /** Workloads (and traffic) that draw the same random numbers, by stream group (empty when every one draws its own). */
  commonRandomNumbers: SharedStream[];
  /** Claims comparing two workloads (or flows) that draw independent numbers, each with why (empty when none). */
  independentStreams: IndependentStreams[];
  /** Requests the workloads ask for in total (the sum of their counts; a duration workload's, what it issued in its window). */
  requested: number;
  /**
   * Requests issued and never completed, in flow order, each with where it
   * was last seen (empty when every issued request completed). Folded from
   * the records as they were emitted (`RequestLedger`), not from `records`.
   */
  stuck: StuckRequest[];
  /** Workloads and traffic that issued fewer requests than their count, with how many are missing and why (empty when none). */
  notIssued: NotIssued[];
  /** The support policy's verdicts on the scenario (`policy/`): judged from the scenario, not the trace. */
  policy: PolicyVerdicts;
}

/** Records by index, as objects: an array of them, or a `RecordStore` (which builds each one asked for). */
export interface RecordList {
  readonly length: number;
  at(index: number): HvRecord | undefined;
}

/** The records a run kept, as objects or in columns (empty when it kept none). */
export function recordsOf(run: Pick<ScenarioRun, 'records' | 'store'>): RecordList {
  return run.store ?? run.records;
}

/** A run produced more trace records than it may keep in memory. */
export class TraceLimitError extends Error {
  constructor(readonly limit: number) {
    super(`the run produced more than ${limit.toLocaleString('en-US')} trace records; lower the workloads' count or limits.maxEvents`);
    this.name = 'TraceLimitError';
  }
}

/** Whether the run hit a limit: `maxEvents`, or `until` (or an external stop) with requests not yet completed. */
export function hitLimits(run: Pick<ScenarioRun, 'output' | 'requested'>): boolean {
  const { stop, completed } = run.output;
  return stop === 'maxEvents' || (stop !== 'empty' && completed < run.requested);
}

/** Whether some request the workloads asked for did not complete (issued and stuck, or never issued), however the run ended. */
export function leftUnfinished(run: Pick<ScenarioRun, 'stuck' | 'notIssued'>): boolean {
  return isUnfinished(run);
}

/**
 * What the run left unfinished, as lines of text (the CLI prints them on
 * stderr, the app in its message bar): a headline saying how many requests
 * did not complete and why the run ended, one line per stuck request (at
 * most `maxStuckLines`, then "and N more"), one per workload that did not
 * issue all its requests. Empty when every request completed. Without
 * `withReason` the headline leaves out why the run ended (for a caller
 * that has already said it hit a limit).
 */
export function unfinishedMessage(run: Pick<ScenarioRun, 'stuck' | 'notIssued' | 'requested' | 'output' | 'config' | 'figures'>, maxStuckLines = 20, withReason = true): string[] {
  return unfinishedLines(run, { requested: run.requested, stop: run.output.stop, endNs: run.output.endNs, maxEvents: run.config.limits.maxEvents, outages: hostsDownAtEnd(run.figures) }, maxStuckLines, withReason);
}

/** Runs `scenario` (with the seed or profile replaced by `options`) and measures it. */
export function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): ScenarioRun {
  const config = toWorldConfig(scenario, options);
  const keep = options.keepRecords ?? true;
  const limit = options.recordLimit ?? 10_000_000;
  const memory = keep === true ? new ArraySink<HvRecord>(limit) : null;
  const columns = keep === 'columns' ? new RecordStore(limit) : null;
  const folds = new RunFolds(config.workloads, config.traffic ?? []);
  const others: TraceSink<HvRecord>[] = [];
  if (memory !== null) others.push(memory);
  if (options.traceSink !== undefined) others.push(options.traceSink);
  let output: RunOutput;
  try {
    output = runWorld(config, folds.sink(columns, others.length === 0 ? null : new TeeSink<HvRecord>(...others)));
  } catch (error) {
    if (((memory !== null && memory.records.length >= limit) || (columns !== null && columns.length >= limit)) && error instanceof RangeError) throw new TraceLimitError(limit);
    throw error;
  }
  columns?.trim();
  return assembleRun(scenario, config, output, folds.results(output), memory?.records ?? [], columns);
}

/** A run's `ScenarioRun`, from how it ended and what its folds gave (in this thread or another). */
export function assembleRun(scenario: Scenario, config: WorldConfig, output: RunOutput, folded: FoldResults, records: HvRecord[] = [], store: RecordStore | null = null): ScenarioRun {
  return {
    config,
    output,
    records,
    store,
    fingerprint: folded.fingerprint,
    paths: folded.paths,
    figures: folded.figures,
    claims: evaluateClaims(scenario.claims, folded.paths, folded.figures),
    commonRandomNumbers: commonRandomNumbers(scenario, config),
    independentStreams: independentStreams(scenario, config),
    requested: folded.requested ?? requestsOf(config),
    stuck: folded.stuck,
    notIssued: folded.notIssued,
    policy: checkPolicy(scenario),
  };
}

export { RecordStore } from '../model/trace/record-store.js';
