/**
 * `hvsim sweep`'s output: one summary per point, exactly the object `hvsim
 * run --json` gives for that point (with `--replications`, the replicated
 * one) plus the point's `values`; printed as a table (a row per point and
 * path), `--json` (`points[]`) or `--csv` (a row per point and path, the
 * varied fields first).
 */
import type { PathMetrics } from '../metrics/index.js';
import { flattenFigures, type FigureLeaf } from '../metrics/run-figures.js';
import { formatFigure, intervalOf, pointLabel, type Ci95, type PointValues, type ReplicatedPath, type VaryAxis } from '../scenario/index.js';
import { cellWithInterval, replicatedFigureRow, replicatedFigureText, type ReplicatedSummary } from './replicated-report.js';
import { blankLatencies, csvTable, flatten, runFigureRows, type RunSummary } from './report.js';
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

/**
 * The `--json` text of a sweep written point by point, byte for byte what
 * `formatJson` gives for the whole `SweepSummary`, so a sweep of thousands
 * of points need not hold every point's summary, nor the whole text, at
 * once: `head` before the first point, `point` for each in order, `end`.
 */
export const sweepJsonParts = {
  head: (sweep: Omit<SweepSummary, 'points'>): string => `${JSON.stringify({ ...sweep, points: [] }, null, 2).slice(0, -'[]\n}'.length)}[`,
  point: (point: SweepPointSummary, first: boolean): string => `${first ? '' : ','}\n    ${JSON.stringify(point, null, 2).replaceAll('\n', '\n    ')}`,
  end: (points: number): string => (points === 0 ? ']\n}\n' : '\n  ]\n}\n'),
  /**
   * The end of a sweep a run cut short (it threw): the points written so
   * far (in point order; with several workers, how many is not fixed),
   * then `incomplete`, why, so the document stays JSON.
   */
  cut: (points: number, why: string): string => `${points === 0 ? '],' : '\n  ],'}\n  "incomplete": ${JSON.stringify(why)}\n}\n`,
};

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
  const paths = rows.length === 0 ? [] : ['', ...formatTable(columns, rows)];
  return `${[header, ...paths, ...formatChangingFigures(sweep)].join('\n')}\n`;
}

/** Run figures listed at most, of those that change across the points. */
const CHANGING_FIGURES_MAX = 40;

/**
 * The run's own figures (migrations, failovers, backups, VM life…) that
 * differ between the points, a row per figure and a column per point:
 * what the sweep moved, for a scenario whose story is not in its paths (a
 * cluster's migrations have none). Nothing when every point gives the same.
 * With replications a yes/no figure shows the runs it was true in, and
 * differs where those counts do (`true (all 5)` against `true in 3 of 5`).
 */
function formatChangingFigures(sweep: SweepSummary): string[] {
  const byPoint = sweep.points.map((point) => new Map(flattenFigures(point.figures).map(([name, value]) => [name, pointFigure(point, name, value)])));
  const names: string[] = [];
  const seen = new Set<string>();
  for (const figures of byPoint) for (const name of figures.keys()) if (!seen.has(name)) (seen.add(name), names.push(name));
  const changing = names.filter((name) => new Set(byPoint.map((figures) => figures.get(name)?.key)).size > 1);
  if (changing.length === 0) return [];
  const columns = [left('figure'), ...sweep.points.map((point) => right(pointLabel(point.values)))];
  const rows = changing.slice(0, CHANGING_FIGURES_MAX).map((name) => [name, ...byPoint.map((figures) => figures.get(name)?.text ?? '')]);
  const more = changing.length - rows.length;
  return ['', 'Run figures that change across the points:', ...formatTable(columns, rows), ...(more > 0 ? [`and ${more} more (all of them: --json or --csv)`] : [])];
}

/**
 * A point's run figure as the table shows it (`text`: over replications,
 * a number with its interval and a yes/no figure with its count of runs,
 * `replicatedFigureText`) and as the points are compared (`key`: the value,
 * or a yes/no figure's count of runs).
 */
function pointFigure(point: SweepPointSummary, name: string, value: FigureLeaf): { key: string; text: string } {
  if ((typeof value === 'number' || typeof value === 'boolean') && 'figuresTrueIn' in point) {
    const text = replicatedFigureText(point, name, value);
    return { key: typeof value === 'boolean' ? text : String(value), text };
  }
  return { key: String(value), text: typeof value === 'number' ? formatFigure(name, value) : String(value) };
}

/** The `--csv` text: a row per point and path; the varied fields, then `hvsim run --csv`'s columns (and `ci95.…` when replicated), then the points' run figures (with `ci95.…` and `trueIn.…` when replicated). */
export function formatSweepCsv(sweep: SweepSummary): string {
  // The points' own figures (migrations, failovers, VM life…) as `hvsim run --csv` gives them; with
  // any, a `table` column after the varied fields tells the rows apart (`path` for the paths).
  // Replicated points add to those rows as `hvsim run --replications --csv` does (`ci95.…`, `trueIn.…`).
  const more = sweep.points.flatMap((point) => {
    const added = 'figuresTrueIn' in point ? replicatedFigureRow(point) : (row: Record<string, unknown>) => row;
    return runFigureRows(point.figures).map((row) => ({ ...point.values, table: row['table'], scenario: point.scenario, seed: point.seed, profile: point.profile, fingerprint: point.fingerprint, ...added(row) }));
  });
  const table = more.length === 0 ? {} : { table: 'path' };
  const rows = sweep.points.flatMap((point) =>
    point.paths.map((p: PathMetrics | ReplicatedPath) => {
      const { timeByPlaceNs: _places, ...figures } = p;
      if ('ci95' in figures) {
        const { timeByPlaceNs: _placeCi, ...ci95 } = figures.ci95;
        figures.ci95 = ci95;
      }
      const row = { ...point.values, ...table, ...flatten({ scenario: point.scenario, seed: point.seed, profile: point.profile, fingerprint: point.fingerprint, ...figures }) };
      return 'ci95' in p ? row : blankLatencies(row, p.latencyNs.count);
    }),
  );
  return csvTable([...rows, ...more]);
}
