/**
 * `hvsim sweep`'s output: one summary per point, exactly the object `hvsim
 * run --json` gives for that point (with `--replications`, the replicated
 * one) plus the point's `values`; printed as a table (a row per point and
 * path), `--json` (`points[]`) or `--csv` (a row per point and path, the
 * varied fields first).
 */
import type { PathMetrics } from '../metrics/index.js';
import { intervalOf, type Ci95, type PointValues, type ReplicatedPath, type VaryAxis } from '../scenario/index.js';
import { cellWithInterval, type ReplicatedSummary } from './replicated-report.js';
import { csvCell, flatten, type RunSummary } from './report.js';
import { formatInteger, formatTable, type Column } from './table.js';

/** One point of a sweep: its values and its run's (or replications') summary. */
export type SweepPointSummary = { values: PointValues } & (RunSummary | ReplicatedSummary);

/** The `--json` object of a sweep. */
export interface SweepSummary {
  scenario: string;
  /** The varied fields and their values (the grid's axes, first slowest). */
  vary: VaryAxis[];
  /** Runs per point, when the points were replicated (their figures then carry `ci95`). */
  replications?: number;
  points: SweepPointSummary[];
}

const left = (heading: string): Column => ({ heading, align: 'left' });
const right = (heading: string): Column => ({ heading, align: 'right' });

function interval(path: PathMetrics | ReplicatedPath, metric: string): Ci95 | null {
  return 'ci95' in path ? intervalOf(path.ci95, metric) : null;
}

/** The table: a row per point and path, the varied values first, then the main figures (mean ± half the 95 % interval when replicated). */
export function formatSweepReport(sweep: SweepSummary): string {
  const fields = sweep.vary.map((axis) => axis.field);
  const runs = sweep.replications === undefined ? 'one run per point' : `${sweep.replications} replications per point, figures mean ± half the 95 % confidence interval`;
  const header = `sweep ${sweep.scenario}: ${sweep.points.length} point${sweep.points.length === 1 ? '' : 's'} (${sweep.vary.map((axis) => axis.field).join(' × ')}), ${runs}`;
  const columns = [...fields.map(left), left('vm'), left('disk'), left('path'), right('requests'), right('mean'), right('p99'), right('IOPS'), right('exits/IO'), right('signals/IO'), right('CPU µs/IO'), right('claims held')];
  const rows = sweep.points.flatMap((point) => {
    const held = point.claims.length === 0 ? '' : `${point.claims.filter((c) => c.holds).length}/${point.claims.length}`;
    return point.paths.map((p: PathMetrics | ReplicatedPath, i) => [
      ...fields.map((field) => (i === 0 ? String(point.values[field]) : '')),
      p.vm,
      p.disk,
      p.path,
      formatInteger(p.requests),
      cellWithInterval(p.latencyNs.mean, interval(p, 'latencyNs.mean'), 'ns'),
      cellWithInterval(p.latencyNs.p99, interval(p, 'latencyNs.p99'), 'ns'),
      cellWithInterval(p.iops, interval(p, 'iops'), 'count'),
      cellWithInterval(p.perIo.vmExits, interval(p, 'perIo.vmExits'), 'count'),
      cellWithInterval(p.perIo.ringSignalsToHost + p.perIo.ringSignalsToGuest, null, 'count'),
      cellWithInterval(p.cpuNsPerIo.total, interval(p, 'cpuNsPerIo.total'), 'cpu-us'),
      i === 0 ? held : '',
    ]);
  });
  return `${[header, '', ...formatTable(columns, rows)].join('\n')}\n`;
}

/** The `--csv` text: a row per point and path; the varied fields, then `hvsim run --csv`'s columns (and `ci95.…` when replicated). */
export function formatSweepCsv(sweep: SweepSummary): string {
  const rows = sweep.points.flatMap((point) =>
    point.paths.map((p: PathMetrics | ReplicatedPath) => {
      const { timeByPlaceNs: _places, ...figures } = p;
      if ('ci95' in figures) {
        const { timeByPlaceNs: _placeCi, ...ci95 } = figures.ci95;
        figures.ci95 = ci95;
      }
      return { ...point.values, ...flatten({ scenario: point.scenario, seed: point.seed, profile: point.profile, fingerprint: point.fingerprint, ...figures }) };
    }),
  );
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return `${[columns.map(csvCell).join(','), ...rows.map((row) => columns.map((c) => csvCell((row as Record<string, unknown>)[c])).join(','))].join('\n')}\n`;
}
