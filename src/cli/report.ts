/**
 * A run's figures in the three forms `hvsim run` prints: an aligned text
 * report for people, one JSON object for programs, and CSV for
 * spreadsheets (the scenario's claims are in the first two). All three come from the same `PathMetrics` (the `metrics/`
 * code the app uses); nothing here computes a figure of its own beyond
 * unit conversion and sums for display.
 */
import { formatNs } from '../engine/index.js';
import type { NativeBaseline } from '../metrics/index.js';
import { flattenFigures, type RunFigures } from '../metrics/run-figures.js';
import { BANDS } from '../model/topology.js';
import { formatFigure, independentStreamsLine, outageAtEnd, sharedStreamLine, type ClaimResult } from '../scenario/index.js';
import type { RunSummary } from './run-summary.js';
import { formatCount, formatInteger, formatTable, type Column } from './table.js';
import { formatPolicySummary } from './check-command.js';
import { formatClusterSummary } from './cluster-report.js';

export { summarize, type RunSummary } from './run-summary.js';

/** The "relative to native" section: each path's mean latency and CPU per I/O as multiples of the baseline's. */
export function formatNative(baseline: NativeBaseline | undefined): string[] {
  if (baseline === undefined || baseline.ratios.length === 0) return [];
  const rows = baseline.ratios.map((r) => [r.vm, r.disk, r.path, `${formatCount(r.latencyMean, 3)}×`, `${formatCount(r.cpuNsPerIo, 2)}×`]);
  return ['', `Relative to native (${baseline.vm}/${baseline.disk}, no hypervisor):`, ...formatTable([left('vm'), left('disk'), left('path'), right('latency'), right('CPU/IO')], rows)];
}

/** Marks of a held and a not-held claim, padded to the same width. */
const HELD = '✓ held    ';
const NOT_HELD = '✗ not held';

/**
 * The claims section of the report: how many held, then each claim's mark
 * and text with its figures on the next line; no lines when there are none.
 */
export function formatClaims(claims: readonly ClaimResult[]): string[] {
  if (claims.length === 0) return [];
  const held = claims.filter((claim) => claim.holds).length;
  const indent = ' '.repeat(HELD.length + 2);
  return [
    `Claims (${held} of ${claims.length} held):`,
    ...claims.flatMap((claim) => [`${claim.holds ? HELD : NOT_HELD}  ${claim.text}`, `${indent}${claim.detail}`]),
  ];
}

const left = (heading: string): Column => ({ heading, align: 'left' });
const right = (heading: string): Column => ({ heading, align: 'right' });

/** The human-readable report: a header, one row per path, time per I/O by band, then the claims. */
export function formatReport(summary: RunSummary): string {
  const header = [
    `scenario ${summary.scenario}  seed ${summary.seed}  profile ${summary.profile}  fingerprint ${summary.fingerprint}`,
    `events ${formatInteger(summary.events)}  simulated time ${formatNs(summary.endNs)}  requests completed ${formatInteger(summary.completed)} of ${formatInteger(summary.requested)}${summary.dropped > 0 ? ` (${formatInteger(summary.dropped)} dropped)` : ''}  stop ${summary.stop}`,
    ...outageAtEnd(summary.figures).map((line) => `still down: ${line}`),
  ];
  const claims = [...formatClusterSummary(summary.figures), ...formatFigures(summary.figures), ...(summary.claims.length === 0 ? [] : ['', ...formatClaims(summary.claims)]), ...formatPolicySummary(summary.policy)];
  const shared = [...summary.commonRandomNumbers.map((s) => `common random numbers: ${sharedStreamLine(s)}`), ...summary.independentStreams.map((s) => `common random numbers: ${independentStreamsLine(s)}`)];
  if (summary.paths.length === 0) return `${[...header, '', 'no requests were issued', ...claims].join('\n')}\n`;
  // A run whose cards dropped packets shows, per path, how many (ended there, not delivered).
  const drops = summary.dropped > 0;
  const pathColumns = [
    left('vm'),
    left('disk'),
    left('path'),
    right('requests'),
    ...(drops ? [right('dropped')] : []),
    right('mean'),
    right('p50'),
    right('p99'),
    right('exits/IO'),
    right('interrupts/IO'),
    right('ring packets/IO'),
    right('signals/IO'),
    right('root user/IO'),
    right('CPU µs/IO'),
  ];
  const pathRows = summary.paths.map((p) => [
    p.vm,
    p.disk,
    p.path,
    formatInteger(p.requests),
    ...(drops ? [formatInteger(p.dropped)] : []),
    // No request completed: no latency to show (the summary's zeros would read as instant I/O).
    p.latencyNs.count === 0 ? '—' : formatNs(p.latencyNs.mean),
    p.latencyNs.count === 0 ? '—' : formatNs(p.latencyNs.p50),
    p.latencyNs.count === 0 ? '—' : formatNs(p.latencyNs.p99),
    formatCount(p.perIo.vmExits),
    formatCount(p.perIo.interrupts),
    formatCount(p.perIo.ringPackets),
    formatCount(p.perIo.ringSignalsToHost + p.perIo.ringSignalsToGuest),
    formatCount(p.perIo.rootUserTransitions),
    formatCount(p.cpuNsPerIo.total / 1000, 1),
  ]);
  const bandColumns = [left('vm'), left('disk'), left('path'), ...BANDS.map(right)];
  const bandRows = summary.paths.map((p) => [p.vm, p.disk, p.path, ...BANDS.map((band) => formatNs(Math.round(p.timeByBandNs[band] ?? 0)))]);
  const lines = [
    ...header,
    '',
    ...formatTable(pathColumns, pathRows),
    ...shared,
    '',
    'Time per I/O by band (busy and waiting):',
    ...formatTable(bandColumns, bandRows),
    ...overlapNote(summary.paths),
    ...formatNative(summary.nativeBaseline),
    ...claims,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * A line under the bands when a path's add up to more than its mean
 * latency: parts of a request overlapped in time (a transfer larger than
 * the driver's maximum split into pieces in flight at once, the disk
 * reading ahead while the processor moves earlier sectors), and each part's
 * busy and waiting time is counted in full (an audit read 80 ms of hardware
 * per I/O beside a 14 ms latency as a fault).
 */
function overlapNote(paths: RunSummary['paths']): string[] {
  const over = paths.filter((p) => p.latencyNs.count > 0 && BANDS.reduce((sum, band) => sum + (p.timeByBandNs[band] ?? 0), 0) > p.latencyNs.mean * 1.01);
  if (over.length === 0) return [];
  return [`(${over.map((p) => `${p.vm}/${p.disk}`).join(', ')}: the bands add up to more than the latency: parts of a request overlapped in time, each counted in full)`];
}

/**
 * The figures beyond the paths, one line each (`vms.mail.saveNs  1.2 s`),
 * after a blank line; nothing when there are none. `cell` writes a number
 * or a yes/no figure (a replicated run adds the number's interval and the
 * runs the flag was true in).
 */
export function formatFigures(figures: RunFigures, cell: (name: string, value: number | boolean) => string = singleRunCell): string[] {
  const rows = flattenFigures(figures).map(([name, value]) => [name, typeof value === 'number' || typeof value === 'boolean' ? cell(name, value) : String(value)]);
  return rows.length === 0 ? [] : ['', 'Figures of the run:', ...formatTable([left('figure'), right('value')], rows)];
}

/** A single run's figure: a number in its unit, a yes/no figure as `true` or `false`. */
function singleRunCell(name: string, value: number | boolean): string {
  return typeof value === 'number' ? formatFigure(name, value) : String(value);
}

/** The `--json` text: one object, pretty-printed. */
export function formatJson(summary: object): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

/** Nested objects flattened to dotted keys (`latencyNs.p50`); arrays and nulls kept as leaves. */
export function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, field] of Object.entries(value)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (field !== null && typeof field === 'object' && !Array.isArray(field)) flatten(field as Record<string, unknown>, name, out);
    else out[name] = field;
  }
  return out;
}

/**
 * The run's own figures (`figures`: migrations, failovers, backups, VM
 * life, clients, the cluster, the scheduler) as CSV rows, one per item:
 * `table` names the part, `index` the item of a list part, `id` the key of
 * a part kept by VM or client; then the item's figures flattened (a list
 * inside, such as a migration's passes, as JSON text in one cell). A run
 * with no path (a cluster's migrations alone) still exports its figures.
 */
export function runFigureRows(figures: Readonly<Record<string, unknown>> | undefined): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const [part, value] of Object.entries(figures ?? {})) {
    if (Array.isArray(value)) value.forEach((item, index) => rows.push({ table: part, index, ...cells(item) }));
    else if (isRecord(value) && Object.keys(value).length > 0 && Object.values(value).every(isRecord)) {
      for (const [id, item] of Object.entries(value)) rows.push({ table: part, id, ...cells(item) });
    } else if (isRecord(value)) rows.push({ table: part, ...cells(value) });
  }
  return rows;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An item's figures flattened, with lists as one cell: primitives joined by ';', objects as JSON. */
function cells(item: unknown): Record<string, unknown> {
  const flat = flatten(isRecord(item) ? item : { value: item });
  for (const [key, value] of Object.entries(flat)) {
    if (Array.isArray(value)) flat[key] = value.every((v) => v === null || typeof v !== 'object') ? value.join(';') : JSON.stringify(value);
  }
  return flat;
}

/** The CSV text of `rows`: a heading row of every column in the order first seen, then the rows. */
export function csvTable(rows: readonly Record<string, unknown>[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) if (!seen.has(key)) (seen.add(key), columns.push(key));
  const lines = [columns.map(csvCell).join(','), ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(','))];
  return `${lines.join('\n')}\n`;
}

/** A path's CSV row with its latency figures left empty when no request completed (their zeros are not latencies). */
export function blankLatencies(row: Record<string, unknown>, completed: number): Record<string, unknown> {
  if (completed > 0) return row;
  for (const key of Object.keys(row)) if (key.startsWith('latencyNs.') && key !== 'latencyNs.count') row[key] = null;
  return row;
}

/**
 * One CSV cell: quoted when it holds a quote, comma or line break. Text
 * (never a number) that a spreadsheet would take for a formula (starting
 * with =, +, -, @, a tab or a carriage return: a scenario's name or a
 * swept text value comes from a file someone shared) is prefixed with an
 * apostrophe, OWASP's advice against CSV injection, so it shows as text.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A run figure's full name from its CSV row and column: `migrations[0].blackoutNs`, `vms.mail.saveNs`, `cluster.x`. */
export function figureNameOf(row: Record<string, unknown>, column: string): string {
  const item = row['index'] !== undefined ? `[${String(row['index'])}]` : row['id'] !== undefined ? `.${String(row['id'])}` : '';
  return `${String(row['table'])}${item}.${column}`;
}

/**
 * The `--csv` text: a heading row, then one row per path with every
 * figure flattened to a dotted column name (`perIo.vmExits`). Time by
 * place is left out, because each path passes different places.
 * `figureRow` adds to each row of the run's own figures (a replicated
 * run: its intervals).
 */
export function formatCsv(summary: RunSummary, figureRow: (row: Record<string, unknown>) => Record<string, unknown> = (row) => row): string {
  const run = { scenario: summary.scenario, seed: summary.seed, profile: summary.profile, fingerprint: summary.fingerprint };
  const rows = summary.paths.map((p) => {
    const { timeByPlaceNs: _places, ...figures } = p;
    return blankLatencies(flatten({ ...run, ...figures }), p.latencyNs.count);
  });
  const more = runFigureRows(summary.figures).map(figureRow);
  if (more.length === 0) return csvTable(rows);
  // The run's own figures too: a `table` column first tells the rows apart (`path` for the paths).
  return csvTable([...rows.map((row) => ({ table: 'path', ...row })), ...more.map((row) => ({ table: row['table'], ...run, ...row }))]);
}
