/**
 * Runs a validated scenario headless: builds its `WorldConfig`, runs the
 * model into an in-memory trace (tee'd to any extra sink), and folds the
 * trace into per-path figures with the same `metrics/` code the app uses,
 * then checks the scenario's claims against those figures. A request that
 * did not complete is never lost in silence: a `RequestLedger` folds the
 * records as they are emitted and the run names every stuck request.
 * It does no printing and no file I/O; the CLI and the UI present the result.
 */
import { ArraySink, fingerprintOf, TeeSink, type TraceSink } from '../engine/index.js';
import { computePathMetrics, type PathMetrics } from '../metrics/index.js';
import type { HvRecord } from '../model/trace-events.js';
import { runWorld, type RunOutput } from '../model/world.js';
import type { WorldConfig } from '../model/world-config.js';
import { toWorldConfig, type ScenarioOverrides } from './build.js';
import { evaluateClaims, type ClaimResult } from './claims.js';
import type { Scenario } from './schema.js';
import { isUnfinished, RequestLedger, unfinishedLines, type NotIssued, type StuckRequest } from './unfinished.js';

/** Options of one run. */
export interface RunScenarioOptions extends ScenarioOverrides {
  /** Also receives every record as it is emitted. */
  traceSink?: TraceSink<HvRecord>;
  /** The most records kept in memory (default 10,000,000); a run that would exceed it fails with `TraceLimitError`. */
  recordLimit?: number;
}

/** What a run produced. */
export interface ScenarioRun {
  config: WorldConfig;
  output: RunOutput;
  records: HvRecord[];
  /** The engine's fingerprint over every record: equal fingerprints, equal runs. */
  fingerprint: string;
  paths: PathMetrics[];
  /** The scenario's claims checked against `paths`, in the file's order. */
  claims: ClaimResult[];
  /** Requests the workloads ask for in total (the sum of their counts). */
  requested: number;
  /**
   * Requests issued and never completed, in flow order, each with where it
   * was last seen (empty when every issued request completed). Folded from
   * the records as they were emitted (`RequestLedger`), not from `records`.
   */
  stuck: StuckRequest[];
  /** Workloads and traffic that issued fewer requests than their count, with how many are missing and why (empty when none). */
  notIssued: NotIssued[];
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
export function unfinishedMessage(run: Pick<ScenarioRun, 'stuck' | 'notIssued' | 'requested' | 'output' | 'config'>, maxStuckLines = 20, withReason = true): string[] {
  return unfinishedLines(run, { requested: run.requested, stop: run.output.stop, endNs: run.output.endNs, maxEvents: run.config.limits.maxEvents }, maxStuckLines, withReason);
}

/** Runs `scenario` (with the seed or profile replaced by `options`) and measures it. */
export function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): ScenarioRun {
  const config = toWorldConfig(scenario, options);
  const limit = options.recordLimit ?? 10_000_000;
  const memory = new ArraySink<HvRecord>(limit);
  const ledger = new RequestLedger(config.workloads, config.traffic ?? []);
  const sink = new TeeSink<HvRecord>(memory, ledger, ...(options.traceSink === undefined ? [] : [options.traceSink]));
  let output: RunOutput;
  try {
    output = runWorld(config, sink);
  } catch (error) {
    if (memory.records.length >= limit && error instanceof RangeError) throw new TraceLimitError(limit);
    throw error;
  }
  const records = memory.records;
  const requested = config.workloads.reduce((sum, w) => sum + w.count, 0) + (config.traffic ?? []).reduce((sum, t) => sum + t.count, 0);
  const paths = computePathMetrics(records);
  const { stuck, notIssued } = ledger.result(output);
  return { config, output, records, fingerprint: fingerprintOf(records), paths, claims: evaluateClaims(scenario.claims, paths), requested, stuck, notIssued };
}
