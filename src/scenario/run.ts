/**
 * Runs a validated scenario headless: builds its `WorldConfig`, runs the
 * model into an in-memory trace (tee'd to any extra sink), and folds the
 * trace into per-path figures with the same `metrics/` code the app uses,
 * then checks the scenario's claims against those figures.
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

/** Runs `scenario` (with the seed or profile replaced by `options`) and measures it. */
export function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): ScenarioRun {
  const config = toWorldConfig(scenario, options);
  const limit = options.recordLimit ?? 10_000_000;
  const memory = new ArraySink<HvRecord>(limit);
  const sink = options.traceSink === undefined ? memory : new TeeSink<HvRecord>(memory, options.traceSink);
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
  return { config, output, records, fingerprint: fingerprintOf(records), paths, claims: evaluateClaims(scenario.claims, paths), requested };
}
