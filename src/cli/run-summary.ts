/**
 * A run's summary: the `--json` object of `hvsim run`, and what a worker
 * thread of `hvsim sweep` and `--replications` sends back for each run.
 * Apart from the report's formatting (`report.ts`), so the worker's bundle
 * does not load the formatting, the bundled scenarios and the schema
 * behind them.
 */
import { ratiosToNative, type NativeBaseline, type PathMetrics } from '../metrics/index.js';
import type { RunFigures } from '../metrics/run-figures.js';
import type { ClaimResult, IndependentStreams, NotIssued, ScenarioRun, SharedStream, StuckRequest } from '../scenario/index.js';
import type { PolicyVerdicts } from '../scenario/policy/check.js';

/** What the report says about the run besides the paths. */
export interface RunSummary {
  scenario: string;
  seed: number;
  profile: string;
  fingerprint: string;
  events: number;
  endNs: number;
  stop: string;
  issued: number;
  /** Requests completed: delivered, not counting `dropped`. */
  completed: number;
  /** Packets a card dropped (ended, not delivered; per path in `paths[n].dropped`). */
  dropped: number;
  requested: number;
  paths: PathMetrics[];
  /** Figures beyond the paths (VM life, scheduling, the cluster), by part; always present, empty when the run has none. */
  figures: RunFigures;
  /** The scenario's claims, checked against `paths` and `figures` (empty when it states none). */
  claims: ClaimResult[];
  /** Workloads (and traffic) that drew the same random numbers, so their paths saw the same request stream; always present, empty when each drew its own. */
  commonRandomNumbers: SharedStream[];
  /** Claims that compare two workloads (or flows) drawing independent random numbers, each with why; always present, empty when none. */
  independentStreams: IndependentStreams[];
  /** When a path runs on a native host: every other path's latency and CPU per I/O as a ratio to it. */
  nativeBaseline?: NativeBaseline;
  /** Requests issued and never completed, each with where it was last seen; always present, empty when none. */
  stuck: StuckRequest[];
  /** Workloads that issued fewer requests than their count; always present, empty when none. */
  notIssued: NotIssued[];
  /** The support policy's verdicts on the scenario (as `hvsim check --json` prints them). */
  policy: PolicyVerdicts;
}

/** The summary of a run (the `--json` object). */
export function summarize(run: ScenarioRun): RunSummary {
  return {
    scenario: run.config.name,
    seed: run.config.seed,
    profile: run.config.profile,
    fingerprint: run.fingerprint,
    events: run.output.events,
    endNs: run.output.endNs,
    stop: run.output.stop,
    issued: run.output.issued,
    completed: run.output.completed - run.output.dropped,
    dropped: run.output.dropped,
    requested: run.requested,
    paths: run.paths,
    figures: run.figures,
    ...nativeOf(run.paths),
    claims: run.claims.map((claim) => ({
      text: claim.text,
      holds: claim.holds,
      op: claim.op,
      ...(claim.factor === undefined ? {} : { factor: claim.factor }),
      ...(claim.percent === undefined ? {} : { percent: claim.percent }),
      left: { label: claim.left.label, value: claim.left.value },
      right: { label: claim.right.label, value: claim.right.value },
      detail: claim.detail,
    })),
    commonRandomNumbers: run.commonRandomNumbers,
    independentStreams: run.independentStreams,
    stuck: run.stuck,
    notIssued: run.notIssued,
    policy: run.policy,
  };
}

function nativeOf(paths: ScenarioRun['paths']): { nativeBaseline?: NativeBaseline } {
  const baseline = ratiosToNative(paths);
  return baseline === null ? {} : { nativeBaseline: baseline };
}

