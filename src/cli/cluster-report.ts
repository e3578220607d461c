/**
 * The cluster's figures at a glance, in `hvsim run`'s report before the
 * full list of figures: a row per migration, per VM a failure took down,
 * per database failover, per backup and per client. The full list (every
 * pass of every migration, each figure by the name a claim uses) follows
 * under "Figures of the run"; migration-dirty-rate's alone is 131 lines,
 * where a student looks for three blackouts. Every value is a figure of
 * the run, in its unit (`formatFigure`); nothing is computed here.
 */
import type { RunFigures } from '../metrics/run-figures.js';
import { formatFigure } from '../scenario/index.js';
import { formatTable, type Column } from './table.js';

type Fields = Record<string, unknown>;

const left = (heading: string): Column => ({ heading, align: 'left' });
const right = (heading: string): Column => ({ heading, align: 'right' });

/** A figure in its unit by its name (`blackoutNs`: `51.32 ms`), a dash for none. */
function cell(fields: Fields, name: string): string {
  const value = fields[name];
  if (value === null || value === undefined) return '—';
  return typeof value === 'number' ? formatFigure(name, value) : String(value);
}

const items = (figures: RunFigures, part: string): Fields[] => (Array.isArray(figures[part]) ? (figures[part] as Fields[]) : []);

function migrations(figures: RunFigures): string[] {
  const rows = items(figures, 'migrations').map((m) => [
    cell(m, 'vm'),
    cell(m, 'method'),
    `${cell(m, 'from')} → ${cell(m, 'to')}`,
    cell(m, 'passCount'),
    cell(m, 'totalBytes'),
    cell(m, 'totalNs'),
    cell(m, 'blackoutNs'),
    // A pre-copy (live, vMotion) converges or stops at its pass limit; a quick migration copies no passes.
    typeof m['passCount'] === 'number' && m['passCount'] > 0 ? (m['converged'] === true ? 'yes' : m['capped'] === true ? `no: stopped at ${cell(m, 'maxPasses')} passes` : 'no') : '—',
    cell(m, 'outcome'),
  ]);
  return rows.length === 0 ? [] : ['', 'Migrations:', ...formatTable([left('vm'), left('method'), left('from → to'), right('passes'), right('sent'), right('total'), right('blackout'), left('converged'), left('outcome')], rows)];
}

function failovers(figures: RunFigures): string[] {
  const rows = items(figures, 'failovers').flatMap((f) => {
    const vms = Object.entries((f['vms'] ?? {}) as Record<string, Fields>);
    const head = [cell(f, 'host'), cell(f, 'detectionNs')];
    const notRestarted = (typeof f['vmsLost'] === 'number' ? f['vmsLost'] : 0) - vms.length;
    return [
      ...vms.map(([vm, v]) => [...head, vm, cell(v, 'host'), cell(v, 'downtimeNs')]),
      ...(notRestarted > 0 || vms.length === 0 ? [[...head, `${Math.max(0, notRestarted)} ${vms.length === 0 ? '' : 'more '}lost`, 'not restarted', '—']] : []),
    ];
  });
  return rows.length === 0 ? [] : ['', 'Host failures (each VM taken down):', ...formatTable([left('host'), right('declared after'), left('vm'), left('restarted on'), right('downtime')], rows)];
}

function databases(figures: RunFigures): string[] {
  const rows = items(figures, 'databases').map((d) => [cell(d, 'kind'), `${cell(d, 'from')} → ${cell(d, 'to')}`, cell(d, 'detectionNs'), cell(d, 'failoverNs'), cell(d, 'downtimeNs')]);
  return rows.length === 0 ? [] : ['', 'Database failovers:', ...formatTable([left('kind'), left('from → to'), right('detection'), right('failover'), right('downtime')], rows)];
}

function backups(figures: RunFigures): string[] {
  const rows = items(figures, 'backups').map((b) => [cell(b, 'vm'), cell(b, 'method'), cell(b, 'type'), cell(b, 'totalNs'), cell(b, 'downtimeNs'), cell(b, 'freezeNs'), cell(b, 'consistency'), cell(b, 'outcome')]);
  return rows.length === 0 ? [] : ['', 'Backups:', ...formatTable([left('vm'), left('method'), left('type'), right('total'), right('downtime'), right('freeze'), left('consistency'), left('outcome')], rows)];
}

function clients(figures: RunFigures): string[] {
  const part = figures['clients'];
  if (part === undefined || part === null || typeof part !== 'object' || Array.isArray(part)) return [];
  const rows = Object.entries(part as Record<string, Fields>).map(([client, c]) => [client, cell(c, 'gaps'), cell(c, 'longestGapNs'), cell(c, 'drops'), cell(c, 'openGapNs')]);
  return rows.length === 0 ? [] : ['', 'Clients:', ...formatTable([left('client'), right('gaps'), right('longest gap'), right('dropped'), right('gap open at end')], rows)];
}

/** The cluster's summary tables (none for a run without a cluster's figures). */
export function formatClusterSummary(figures: RunFigures): string[] {
  return [...migrations(figures), ...failovers(figures), ...databases(figures), ...backups(figures), ...clients(figures)];
}
