/**
 * Claims as data: a scenario may state what it shows ("a synthetic write
 * costs far fewer VM exits than an emulated one") together with an
 * expectation over the run's per-path figures, and every run checks it.
 * This module names the figures a claim may compare, reads them out of
 * `PathMetrics`, and evaluates the claims of a finished run. It is pure:
 * it never throws on a path that did not run (that claim simply does not
 * hold, and its detail says why), and it never prints.
 */
import { formatNs, grouped } from '../engine/index.js';
import type { PathMetrics } from '../metrics/index.js';
import { figureUnit, lookupFigure, type RunFigures } from '../metrics/run-figures.js';
import { BANDS } from '../model/topology.js';
import type { PathKind } from '../model/trace-events.js';
import type { ScenarioClaim } from './schema.js';

/** The per-I/O transition counts a claim may compare, with how a report names them. */
const PER_IO = {
  registerAccesses: 'register accesses/IO',
  dataWords: 'data words/IO',
  vmExits: 'VM exits/IO',
  hypercalls: 'hypercalls/IO',
  interrupts: 'interrupts/IO',
  eois: 'EOIs/IO',
  eoiTraps: 'EOI traps/IO',
  contextSwitches: 'context switches/IO',
  rootUserTransitions: 'root user-mode transitions/IO',
  ringPackets: 'ring packets/IO',
  ringSignalsToHost: 'signals to the host/IO',
  ringSignalsToGuest: 'signals to the guest/IO',
  hltExits: 'HLT exits/IO',
  metadataIos: 'VHD metadata I/Os/IO',
} as const satisfies Record<keyof PathMetrics['perIo'], string>;

type Unit = 'ns' | 'count' | 'iops' | 'bytes-per-s';

/** Every metric a claim may name (a dotted name into `PathMetrics`), with its unit and its name in a report. */
const METRICS = {
  'latencyNs.mean': { unit: 'ns', words: 'mean latency' },
  'latencyNs.p50': { unit: 'ns', words: 'p50 latency' },
  'latencyNs.p95': { unit: 'ns', words: 'p95 latency' },
  'latencyNs.p99': { unit: 'ns', words: 'p99 latency' },
  ...(Object.fromEntries(Object.entries(PER_IO).map(([key, words]) => [`perIo.${key}`, { unit: 'count', words }])) as {
    [K in keyof typeof PER_IO as `perIo.${K}`]: { unit: Unit; words: string };
  }),
  'cpuNsPerIo.guest': { unit: 'ns', words: 'guest CPU/IO' },
  'cpuNsPerIo.root': { unit: 'ns', words: 'root CPU/IO' },
  'cpuNsPerIo.hypervisor': { unit: 'ns', words: 'hypervisor CPU/IO' },
  'cpuNsPerIo.total': { unit: 'ns', words: 'CPU/IO' },
  deviceNsPerIo: { unit: 'ns', words: 'device time/IO' },
  iops: { unit: 'iops', words: 'IOPS' },
  throughputBytesPerS: { unit: 'bytes-per-s', words: 'throughput' },
  ...(Object.fromEntries(BANDS.map((band) => [`timeByBandNs.${band}`, { unit: 'ns', words: `${band} time/IO` }])) as {
    [B in (typeof BANDS)[number] as `timeByBandNs.${B}`]: { unit: Unit; words: string };
  }),
} satisfies Record<string, { unit: Unit; words: string }>;

/** A metric a claim may compare: a dotted name into `PathMetrics`. */
export type ClaimMetric = keyof typeof METRICS;
/** The metric names, in the order the schema lists them. */
export const CLAIM_METRICS = Object.keys(METRICS) as [ClaimMetric, ...ClaimMetric[]];

/** The comparisons a claim may make. */
export const CLAIM_OPS = ['less-than', 'greater-than', 'within'] as const;
export type ClaimOp = (typeof CLAIM_OPS)[number];

/** The figures a claim reads: the parts of `PathMetrics` that name a path and hold its metrics. */
export type ClaimPathFigures = Pick<PathMetrics, 'vm' | 'disk' | 'path' | 'requests' | 'latencyNs' | 'perIo' | 'cpuNsPerIo' | 'deviceNsPerIo' | 'iops' | 'throughputBytesPerS' | 'timeByBandNs'>;

/** One side of an evaluated claim. */
export interface ClaimSideResult {
  /** What was measured: `vm/disk/path metric` (e.g. `legacy-pio/data/ide-pio perIo.vmExits`), or `constant`. */
  label: string;
  /** The figure, or null when its path did not run (or is ambiguous). */
  value: number | null;
}

/** A claim after a run: whether it holds, the two figures, and a sentence with both. */
export interface ClaimResult {
  text: string;
  holds: boolean;
  op: ClaimOp;
  /** For less-than and greater-than: the factor (1 when the claim gives none). */
  factor?: number;
  /** For within: the allowed difference in percent of the right side. */
  percent?: number;
  left: ClaimSideResult;
  right: ClaimSideResult;
  /** The comparison in words with both figures and their units, e.g. `legacy-pio/data/ide-pio: 154 VM exits/IO > 10 × 1 VM exit/IO on enlightened/data/vmbus-scsi`. */
  detail: string;
}

/** The value of `metric` in `figures`, or undefined if it has no such field. */
export function metricValue(figures: ClaimPathFigures, metric: string): number | undefined {
  const dot = metric.indexOf('.');
  const record = figures as unknown as Record<string, unknown>;
  const value = dot < 0 ? record[metric] : (record[metric.slice(0, dot)] as Record<string, unknown> | undefined)?.[metric.slice(dot + 1)];
  return typeof value === 'number' ? value : undefined;
}

/** `value` in the unit of `metric`, with the metric's words: `2.89 ms mean latency`, `154 VM exits/IO`, `1 VM exit/IO`. */
export function formatMetric(metric: string, value: number): string {
  return withUnit(formatMetricValue(metric, value), metricWords(metric));
}

/**
 * A number as shown (`formatNumber`'s text) and its unit written in the
 * plural, in the singular when the number reads 1: `1 interrupt`, `1 VM
 * exit/IO`, `20 interrupts`. The text decides, not the value, so 0.9996
 * shown as 1 takes the singular too; a number with a unit of its own
 * (`1 ns`) leaves the words alone.
 * @example withUnit(formatNumber(value), 'VHD metadata I/Os/IO')
 */
export function withUnit(shown: string, unit: string): string {
  return `${shown} ${shown === '1' ? singularUnit(unit) : unit}`;
}

/**
 * A unit written in the plural, for a count of one: each lower-case word
 * of four letters or more loses its plural ending (`interrupts`,
 * `context switches`, `register accesses`, `bytes`), and so does an
 * abbreviation with a lower-case s (`I/Os`, `EOIs`, `VMs`); symbols and
 * abbreviations without one stay as they are (µs, ms, KiB, IOPS).
 */
function singularUnit(unit: string): string {
  return unit
    .replace(/\b[a-z]{4,}\b/g, (word) => (/(ch|sh|x|ss)es$/.test(word) ? word.slice(0, -2) : /[^s]s$/.test(word) ? word.slice(0, -1) : word))
    .replace(/\b([A-Z][A-Z/]*[A-Z])s\b/g, '$1');
}

/** How a report names `metric`: `mean latency`, `VM exits/IO` (an unknown metric: its own name). */
export function metricWords(metric: string): string {
  return (METRICS as Record<string, { unit: Unit; words: string } | undefined>)[metric]?.words ?? metric;
}

/** `value` in the unit of `metric`, without the metric's words: `2.89 ms`, `154`, `12.5 MiB/s`. */
export function formatMetricValue(metric: string, value: number): string {
  const known = (METRICS as Record<string, { unit: Unit; words: string } | undefined>)[metric];
  switch (known?.unit) {
    case 'ns':
      return formatNs(Math.abs(value) < 1000 ? Math.round(value * 100) / 100 : value);
    case 'bytes-per-s':
      return `${formatNumber(value / 1_048_576)} MiB/s`;
    default:
      return formatNumber(value);
  }
}

/** A run figure (`vms.mail.saveNs`) in the unit its name gives it: `1.2 s`, `512 MiB`, `3`. */
export function formatFigure(name: string, value: number): string {
  switch (figureUnit(name)) {
    case 'ns':
      return formatNs(Math.abs(value) < 1000 ? Math.round(value * 100) / 100 : Math.round(value));
    case 'bytes':
      return Math.abs(value) >= 1_048_576 ? `${formatNumber(value / 1_048_576)} MiB` : withUnit(formatNumber(value), 'bytes');
    case 'bytes-per-s':
      return `${formatNumber(value / 1_048_576)} MiB/s`;
    case 'percent':
      return `${formatNumber(value)}%`;
    case 'code':
      return String(value);
    case 'count':
      return formatNumber(value);
  }
}

/** A figure for people: integers with separators, others to three significant digits (`0.0005`, `1.09`, `2,292.5`). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return grouped(value);
  const rounded = Math.abs(value) >= 100 ? Math.round(value * 10) / 10 : Number(value.toPrecision(3));
  return grouped(rounded);
}

/** Either side of a claim as the schema gives it: a path's metric, a run figure by name, or (on the right) a constant. */
export interface ClaimSideSpec {
  vm?: string;
  disk?: string;
  path?: PathKind;
  metric?: ClaimMetric;
  /** A figure of the run beyond its paths, by its dotted name (`vms.mail.saveNs`): see `metrics/run-figures.ts`. */
  figure?: string;
  value?: number;
}

/** A side's figure in words with its unit: a path metric's words, or a run figure's unit. */
export function formatSide(side: ClaimSideSpec, value: number): string {
  if (side.figure !== undefined) return `${formatFigure(side.figure, value)} ${side.figure}`;
  return formatMetric(side.metric ?? '', value);
}

/** A side that was found: its name (`vm/disk/path`) and value. */
export type ResolvedSide = { ok: true; name: string; value: number } | { ok: false; why: string };

function sideLabel(side: ClaimSideSpec, figures?: ClaimPathFigures): string {
  if (side.figure !== undefined) return side.figure;
  if (side.value !== undefined || side.metric === undefined || side.vm === undefined) return 'constant';
  const name = figures !== undefined ? `${figures.vm}/${figures.disk}/${figures.path}` : [side.vm, side.disk, side.path].filter((part) => part !== undefined).join('/');
  return `${name} ${side.metric}`;
}

/**
 * The path entry a side names: exactly one entry with completed requests, or
 * why there is none. Claims and lesson answers both read figures through it.
 */
export function resolveClaimSide(side: ClaimSideSpec, paths: readonly ClaimPathFigures[], runFigures: RunFigures = {}): { resolved: ResolvedSide; figures?: ClaimPathFigures } {
  if (side.value !== undefined) return { resolved: { ok: true, name: 'constant', value: side.value } };
  if (side.figure !== undefined) {
    const found = lookupFigure(runFigures, side.figure);
    return { resolved: found.ok ? { ok: true, name: 'the run', value: found.value } : { ok: false, why: found.why } };
  }
  const { vm, disk, path, metric } = side;
  const wanted = `VM '${vm}'${disk === undefined ? '' : ` disk '${disk}'`}${path === undefined ? '' : ` path '${path}'`}`;
  const matches = paths.filter((p) => p.vm === vm && (disk === undefined || p.disk === disk) && (path === undefined || p.path === path));
  if (matches.length === 0) return { resolved: { ok: false, why: `no request ran on ${wanted}` } };
  if (matches.length > 1) {
    const names = matches.map((p) => `${p.vm}/${p.disk}/${p.path}`).join(', ');
    return { resolved: { ok: false, why: `${wanted} ran on several paths (${names}); name one with disk and path` } };
  }
  const figures = matches[0]!;
  const name = `${figures.vm}/${figures.disk}/${figures.path}`;
  if (figures.requests <= 0) return { resolved: { ok: false, why: `${name} completed no requests` }, figures };
  const value = metric === undefined ? undefined : metricValue(figures, metric);
  if (value === undefined || Number.isNaN(value)) return { resolved: { ok: false, why: `${name} has no figure '${metric ?? ''}'` }, figures };
  return { resolved: { ok: true, name, value }, figures };
}

/** The right side's figure in words: `1 VM exit/IO on enlightened/data/vmbus-scsi`, or a constant in the left side's unit. */
function rightText(claim: ScenarioClaim, name: string, value: number): string {
  const { left, right } = claim.expect;
  if (right.value !== undefined) return left.figure !== undefined ? formatFigure(left.figure, value) : formatMetric(left.metric ?? '', value);
  if (right.figure !== undefined) return formatSide(right, value);
  return `${formatMetric(right.metric ?? '', value)} on ${name}`;
}

function percentText(value: number): string {
  return `${formatNumber(Number(value.toPrecision(3)))}%`;
}

/** Whether `left op right` holds for two figures (less-than: l < r / factor; greater-than: l > r × factor; within: |l − r| ≤ percent % of |r|). */
export function claimHolds(expect: ScenarioClaim['expect'], l: number, r: number): boolean {
  if (expect.op === 'within') return Math.abs(l - r) <= (expect.percent / 100) * Math.abs(r);
  const factor = expect.factor ?? 1;
  return expect.op === 'less-than' ? l < r / factor : l > r * factor;
}

/** Evaluates one claim against a run's paths. */
export function evaluateClaim(claim: ScenarioClaim, paths: readonly ClaimPathFigures[], runFigures: RunFigures = {}): ClaimResult {
  const { expect } = claim;
  const left = resolveClaimSide(expect.left, paths, runFigures);
  const right = resolveClaimSide(expect.right, paths, runFigures);
  const base = {
    text: claim.text,
    op: expect.op,
    ...(expect.op === 'within' ? { percent: expect.percent } : { factor: expect.factor ?? 1 }),
    left: { label: sideLabel(expect.left, left.figures), value: left.resolved.ok ? left.resolved.value : null },
    right: { label: sideLabel(expect.right, right.figures), value: right.resolved.ok ? right.resolved.value : null },
  };
  if (!left.resolved.ok || !right.resolved.ok) {
    const why = [left.resolved, right.resolved].flatMap((side) => (side.ok ? [] : [side.why]));
    return { ...base, holds: false, detail: `cannot be checked: ${why.join('; ')}` };
  }
  const l = left.resolved.value;
  const r = right.resolved.value;
  const leftText = expect.left.figure !== undefined ? formatSide(expect.left, l) : `${left.resolved.name}: ${formatMetric(expect.left.metric ?? '', l)}`;
  const otherText = rightText(claim, right.resolved.name, r);
  if (expect.op === 'within') {
    const holds = claimHolds(expect, l, r);
    const apart = r === 0 ? (l === 0 ? 'equal' : 'the right side is 0, so only 0 is within') : `${percentText((Math.abs(l - r) / Math.abs(r)) * 100)} apart`;
    return { ...base, holds, detail: `${leftText} is ${holds ? '' : 'not '}within ${formatNumber(expect.percent)}% of ${otherText} (${apart})` };
  }
  const factor = expect.factor ?? 1;
  const holds = claimHolds(expect, l, r);
  const symbol = expect.op === 'less-than' ? (holds ? '<' : '≥') : holds ? '>' : '≤';
  const scale = factor === 1 ? '' : expect.op === 'less-than' ? `1/${formatNumber(factor)} × ` : `${formatNumber(factor)} × `;
  return { ...base, holds, detail: `${leftText} ${symbol} ${scale}${otherText}` };
}

/**
 * Evaluates a scenario's claims against the paths of its run, in order.
 * Pure and total: a side whose path did not run makes its claim not hold.
 * @example evaluateClaims(scenario.claims, run.paths).every((c) => c.holds)
 */
export function evaluateClaims(claims: readonly ScenarioClaim[], paths: readonly ClaimPathFigures[], runFigures: RunFigures = {}): ClaimResult[] {
  return claims.map((claim) => evaluateClaim(claim, paths, runFigures));
}
