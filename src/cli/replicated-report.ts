/**
 * `hvsim run --replications N`: the N runs' summaries folded into one (each
 * figure the mean over the runs with its 95 % interval beside it in
 * `ci95`, claims checked across the runs) and printed as a table, JSON or
 * CSV. The JSON is the single run's object with fields added, never
 * changed in meaning for a path: `replications`, `seeds`, `ci95` in each
 * path, `figuresCi95` and `figuresTrueIn` beside the run figures, and
 * `runs` (each replication's own figures). The folding itself is
 * `scenario/experiment` (shared with the app); this module only arranges
 * and formats.
 */
import { Fingerprint, formatNs } from '../engine/index.js';
import { ratiosToNative, type PathMetrics } from '../metrics/index.js';
import { BANDS } from '../model/topology.js';
import {
  evaluateClaimsAcross,
  figureIntervalOf,
  figureTrueInOf,
  formatFigure,
  formatNumber,
  formatTrueIn,
  intervalOf,
  replicateFigures,
  replicatePaths,
  independentStreamsLine,
  sharedStreamLine,
  type Ci95,
  type Ci95Tree,
  type NotIssued,
  type ReplicatedClaimResult,
  type ReplicatedPath,
  type ScenarioClaim,
  type StuckRequest,
  type TrueInTree,
} from '../scenario/index.js';
import { figureNameOf, formatClaims, formatCsv, formatFigures, formatNative, type RunSummary } from './report.js';
import { formatCount, formatInteger, formatTable, type Column } from './table.js';

/** One replication as `runs[]` lists it. */
export interface ReplicationRun extends Pick<RunSummary, 'seed' | 'fingerprint' | 'events' | 'endNs' | 'stop' | 'issued' | 'completed' | 'figures'> {
  /** This run's own figures (as `hvsim run --seed <seed> --json` gives them), with `figures` its run figures. */
  paths: PathMetrics[];
  /** Whether each claim held in this run, with its two figures. */
  claims: { text: string; holds: boolean; left: number | null; right: number | null }[];
}

/** The summary of N replications (the `--json` object). */
export interface ReplicatedSummary extends Omit<RunSummary, 'paths' | 'claims' | 'stuck' | 'notIssued'> {
  /** How many replications ran (seeds `seed` … `seed + replications − 1`). */
  replications: number;
  seeds: number[];
  /** Each path's figures as means over the runs, each with its 95 % interval under the same name in `ci95`. */
  paths: ReplicatedPath[];
  /** The 95 % interval of every numeric run figure (`figures`, here the means over the runs), in the figures' own shape. */
  figuresCi95: Ci95Tree;
  /**
   * How many runs each yes/no run figure was true in, `{ runs, of }`, in
   * the figures' own shape (`migrations[0].converged`); only yes/no
   * figures are here. The figure itself in `figures` is the first run's.
   */
  figuresTrueIn: TrueInTree;
  /** Claims checked across the runs (`CLAIMS_ACROSS_RULE`): `basis` says how, `paired` holds the per-replication quantity and its interval. */
  claims: ReplicatedClaimResult[];
  /** Every run's unfinished requests, each with its run's seed. */
  stuck: (StuckRequest & { seed: number })[];
  notIssued: (NotIssued & { seed: number })[];
  runs: ReplicationRun[];
}

/**
 * Folds the runs' summaries (in seed order). `seed` is the first run's;
 * `fingerprint` a hash of the runs' fingerprints in order; `events`,
 * `issued`, `completed`, `dropped` and `requested` are totals over the runs; `endNs`
 * the latest end; `stop` the first run's unless another stopped otherwise.
 */
export function summarizeReplications(summaries: readonly RunSummary[], claims: readonly ScenarioClaim[]): ReplicatedSummary {
  const first = summaries[0]!;
  const fingerprint = new Fingerprint();
  for (const s of summaries) fingerprint.addText(s.fingerprint);
  const sum = (pick: (s: RunSummary) => number): number => summaries.reduce((total, s) => total + pick(s), 0);
  const paths = replicatePaths(summaries.map((s) => s.paths));
  const runFigures = replicateFigures(summaries.map((s) => s.figures));
  const baseline = ratiosToNative(paths);
  return {
    scenario: first.scenario,
    seed: first.seed,
    profile: first.profile,
    fingerprint: fingerprint.digest(),
    events: sum((s) => s.events),
    endNs: Math.max(...summaries.map((s) => s.endNs)),
    stop: summaries.find((s) => s.stop !== first.stop)?.stop ?? first.stop,
    issued: sum((s) => s.issued),
    completed: sum((s) => s.completed),
    dropped: sum((s) => s.dropped),
    requested: sum((s) => s.requested),
    paths,
    figures: runFigures.figures,
    figuresCi95: runFigures.ci95,
    figuresTrueIn: runFigures.trueIn,
    // The policy judges the scenario, not a run: every seed gets the same verdicts.
    policy: first.policy,
    claims: evaluateClaimsAcross(claims, paths, summaries.map((s) => s.claims), runFigures),
    commonRandomNumbers: first.commonRandomNumbers,
    independentStreams: first.independentStreams,
    ...(baseline === null ? {} : { nativeBaseline: baseline }),
    stuck: summaries.flatMap((s) => s.stuck.map((r) => ({ ...r, seed: s.seed }))),
    notIssued: summaries.flatMap((s) => s.notIssued.map((n) => ({ ...n, seed: s.seed }))),
    replications: summaries.length,
    seeds: summaries.map((s) => s.seed),
    runs: summaries.map((s) => ({
      seed: s.seed,
      fingerprint: s.fingerprint,
      events: s.events,
      endNs: s.endNs,
      stop: s.stop,
      issued: s.issued,
      completed: s.completed,
      paths: s.paths,
      figures: s.figures,
      claims: s.claims.map((c) => ({ text: c.text, holds: c.holds, left: c.left.value, right: c.right.value })),
    })),
  };
}

/** A figure for a table: `5.96 ms ± 12 µs` (ns) or `1.5 ± 0.02` (counts); the plain figure without an interval. */
export function cellWithInterval(value: number, ci95: Ci95 | null | undefined, unit: 'ns' | 'count' | 'cpu-us'): string {
  const text = (v: number): string => (unit === 'ns' ? formatNs(Math.round(v)) : unit === 'cpu-us' ? formatCount(v / 1000, 1) : formatCount(v));
  return ci95 === null || ci95 === undefined ? text(value) : `${text(value)} ± ${text(ci95.halfWidth)}`;
}

const left = (heading: string): Column => ({ heading, align: 'left' });
const right = (heading: string): Column => ({ heading, align: 'right' });

/** The rule by which claims are checked across replications, as the report states it. */
export const CLAIMS_ACROSS_RULE =
  'A claim comparing two figures holds across the replications only if it holds at both ends of the 95 % interval of what it tests in each replication, paired by seed (less-than, greater-than: left − right; a factor: left / right; within: (left − right) / right); against a constant, at both ends of its figure\'s interval; on a yes/no figure or one some replication lacks, only if it held in every replication.';

/** The note under the table for a path that completed nothing in some replications: what its latency and per-I/O figures are over. */
function fewerRuns(p: ReplicatedPath): string {
  const over = p.completedIn === 0 ? 'it has no latency or per-I/O figures' : `its latency, per-I/O and CPU figures are over the other ${p.completedIn}`;
  return `${p.vm}/${p.disk}/${p.path} completed no request in ${p.replications - p.completedIn} of ${p.replications} replications: ${over} (IOPS over all ${p.replications}).`;
}

/**
 * A run figure (a migration's, a backup's, VM life's) over replications as
 * a table shows it: a number as the mean ± half its 95 % interval, a
 * yes/no figure with the runs it was true in, not the first run's value
 * alone (`true in 2 of 5`).
 */
export function replicatedFigureText(summary: Pick<ReplicatedSummary, 'figuresCi95' | 'figuresTrueIn' | 'replications'>, name: string, value: number | boolean): string {
  if (typeof value === 'boolean') {
    const trueIn = figureTrueInOf(summary.figuresTrueIn, name);
    return trueIn === null ? String(value) : formatTrueIn(trueIn, summary.replications);
  }
  const ci95 = figureIntervalOf(summary.figuresCi95, name);
  return ci95 === null ? formatFigure(name, value) : `${formatFigure(name, value)} ± ${formatFigure(name, ci95.halfWidth)}`;
}

/** The report of a replicated run: a header, each figure as mean ± half the 95 % interval, time by band (means), then the claims across the runs. */
export function formatReplicatedReport(summary: ReplicatedSummary): string {
  const seeds = `${summary.seeds[0]}..${summary.seeds[summary.seeds.length - 1]}`;
  const header = [
    `scenario ${summary.scenario}  ${summary.replications} replications (seeds ${seeds})  profile ${summary.profile}  fingerprint ${summary.fingerprint}`,
    `events ${formatInteger(summary.events)}  requests completed ${formatInteger(summary.completed)} of ${formatInteger(summary.requested)} (all runs)  figures: mean ± half the 95 % confidence interval (Student t, ${summary.replications - 1} degree${summary.replications === 2 ? '' : 's'} of freedom)`,
  ];
  // The run figures (migrations, backups, VM life) as hvsim run lists them, over the runs.
  const claims = [...formatFigures(summary.figures, (name, value) => replicatedFigureText(summary, name, value)), ...(summary.claims.length === 0 ? [] : ['', ...formatClaims(summary.claims), CLAIMS_ACROSS_RULE])];
  if (summary.paths.length === 0) return `${[...header, '', 'no requests were issued', ...claims].join('\n')}\n`;
  const columns = [left('vm'), left('disk'), left('path'), right('requests'), right('mean'), right('p50'), right('p99'), right('IOPS'), right('exits/IO'), right('signals/IO'), right('CPU µs/IO')];
  const rows = summary.paths.map((p) => {
    const ci = (metric: string): Ci95 | null => intervalOf(p.ci95, metric);
    return [
      p.vm,
      p.disk,
      p.path,
      // A mean over the runs: 1.5 requests is not 2.
      formatNumber(p.requests),
      cellWithInterval(p.latencyNs.mean, ci('latencyNs.mean'), 'ns'),
      cellWithInterval(p.latencyNs.p50, ci('latencyNs.p50'), 'ns'),
      cellWithInterval(p.latencyNs.p99, ci('latencyNs.p99'), 'ns'),
      cellWithInterval(p.iops, ci('iops'), 'count'),
      cellWithInterval(p.perIo.vmExits, ci('perIo.vmExits'), 'count'),
      cellWithInterval(p.perIo.ringSignalsToHost + p.perIo.ringSignalsToGuest, null, 'count'),
      cellWithInterval(p.cpuNsPerIo.total, ci('cpuNsPerIo.total'), 'cpu-us'),
    ];
  });
  const bandRows = summary.paths.map((p) => [p.vm, p.disk, p.path, ...BANDS.map((band) => formatNs(Math.round(p.timeByBandNs[band] ?? 0)))]);
  const lines = [
    ...header,
    '',
    ...formatTable(columns, rows),
    ...summary.paths.filter((p) => p.completedIn < p.replications).map(fewerRuns),
    ...summary.commonRandomNumbers.map((s) => `common random numbers: ${sharedStreamLine(s)}`),
    ...summary.independentStreams.map((s) => `common random numbers: ${independentStreamsLine(s)}`),
    '',
    'Time per I/O by band (means over the replications):',
    ...formatTable([left('vm'), left('disk'), left('path'), ...BANDS.map(right)], bandRows),
    ...formatNative(summary.nativeBaseline),
    ...claims,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * What a replicated run adds to a CSV row of its run figures (a row per
 * migration, backup, VM…): `replications`, `ci95.<column>.low/high/halfWidth`
 * beside each number and `trueIn.<column>.runs/of` beside each yes/no
 * figure (whose own cell is the first run's, as in `figures`).
 */
export function replicatedFigureRow(summary: Pick<ReplicatedSummary, 'replications' | 'figuresCi95' | 'figuresTrueIn'>): (row: Record<string, unknown>) => Record<string, unknown> {
  return (row) => {
    const added: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      if (column === 'index') continue;
      const name = figureNameOf(row, column);
      const ci95 = typeof value === 'number' ? figureIntervalOf(summary.figuresCi95, name) : null;
      if (ci95 !== null) Object.assign(added, { [`ci95.${column}.low`]: ci95.low, [`ci95.${column}.high`]: ci95.high, [`ci95.${column}.halfWidth`]: ci95.halfWidth });
      const trueIn = typeof value === 'boolean' ? figureTrueInOf(summary.figuresTrueIn, name) : null;
      if (trueIn !== null) Object.assign(added, { [`trueIn.${column}.runs`]: trueIn.runs, [`trueIn.${column}.of`]: trueIn.of });
    }
    return { ...row, replications: summary.replications, ...added };
  };
}

/** The `--csv` text of a replicated run: `hvsim run --csv`'s columns (the means) plus `replications`, `ci95.<figure>.low/high/halfWidth` and, for a yes/no run figure, `trueIn.<figure>.runs/of`, on the paths' rows and the run figures' rows alike. */
export function formatReplicatedCsv(summary: ReplicatedSummary): string {
  const paths = summary.paths.map(({ ci95: { timeByPlaceNs: _places, ...ci95 }, ...figures }) => ({ ...figures, ci95 }));
  return formatCsv({ ...summary, paths: paths as unknown as PathMetrics[] }, replicatedFigureRow(summary));
}
