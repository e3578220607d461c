/**
 * A sweep as the app plots it: the varied fields and, per point, each
 * path's figures (means with `ci95` when the points were replicated). It
 * comes from `hvsim sweep --json` output opened as a file (checked here
 * field by field: it is untrusted data) or from running a scenario's
 * `sweep` block in the page (`sweep-runner.ts`). `plotSeries` turns it
 * into lines of one figure against one varied field (points per category
 * when the field's values are not numbers). Pure: no DOM.
 */
import type { PathMetrics } from '../../metrics/index.js';
import { CLAIM_METRICS, intervalOf, metricValue, type Ci95, type Ci95Tree, type PointValues, type VaryAxis, type VaryValue } from '../../scenario/index.js';

/** One path of one point: its names, its figures, and their intervals when replicated. */
export type SweepPath = Pick<PathMetrics, 'stream' | 'vm' | 'disk' | 'path'> & Record<string, unknown> & { ci95?: Ci95Tree };

/** A sweep's points, whatever ran them. */
export interface SweepData {
  scenario: string;
  vary: VaryAxis[];
  /** Runs per point, when replicated. */
  replications?: number;
  points: { values: PointValues; paths: SweepPath[] }[];
}

/** The figures a sweep may plot: the claims' metric names (dotted names into a path's figures). */
export const SWEEP_FIGURES: readonly string[] = CLAIM_METRICS;

/** The largest sweep file the app reads, in characters. */
export const SWEEP_TEXT_MAX = 50_000_000;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isValue = (v: unknown): v is VaryValue => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';

/** A replicated run's output (`hvsim run --replications N --json`): its paths, `replications` and `seeds`. */
const isReplicatedRun = (data: Record<string, unknown>): boolean => data['points'] === undefined && typeof data['replications'] === 'number' && Array.isArray(data['paths']) && Array.isArray(data['seeds']);

/**
 * Whether `text` is meant as `hvsim sweep --json` output (an object with
 * `points` or `vary`), `hvsim run --replications N --json` output (a
 * replicated run: one point, nothing varied) or a run's output (`paths`
 * and `fingerprint`), without checking it all: such a file goes to
 * `parseSweepText`, whose errors name the field that is wrong. A lesson
 * (`steps`) or a scenario (`vms`) is never one. Before, a sweep missing its
 * `vary` (or a run's output) was read as a lesson, and the errors were a
 * lesson's (`version: missing`, `name: missing`, …).
 */
export function isSweepText(text: string): boolean {
  if (!/"(points|replications|vary|paths)"\s*:/.test(text.slice(0, 100_000)) || text.length > SWEEP_TEXT_MAX) return false;
  try {
    const data: unknown = JSON.parse(text);
    if (!isObject(data) || 'steps' in data || 'vms' in data) return false;
    return 'points' in data || 'vary' in data || 'replications' in data || ('paths' in data && 'fingerprint' in data);
  } catch {
    return false;
  }
}

/** Reads `hvsim sweep --json` output (or a replicated run's, as one point); errors say which field is wrong. */
export function parseSweepText(text: string): { ok: true; data: SweepData } | { ok: false; errors: string[] } {
  if (text.length > SWEEP_TEXT_MAX) return { ok: false, errors: [`the file has ${text.length.toLocaleString('en-US')} characters, at most ${SWEEP_TEXT_MAX.toLocaleString('en-US')} are read`] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`not JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const errors: string[] = [];
  if (!isObject(data)) return { ok: false, errors: ['found no object, allowed the object hvsim sweep --json prints'] };
  if (isReplicatedRun(data)) data = { scenario: data['scenario'], vary: [], replications: data['replications'], points: [{ values: {}, paths: data['paths'] }] };
  else if (isObject(data) && data['points'] === undefined && data['vary'] === undefined) return { ok: false, errors: [runOutputProblem(data)] };
  if (!isObject(data)) return { ok: false, errors: ['found no object'] };
  const scenario = typeof data['scenario'] === 'string' ? data['scenario'] : (errors.push('scenario: found no text, allowed the scenario name'), '');
  const vary: VaryAxis[] = [];
  if (!Array.isArray(data['vary']) || (data['vary'].length === 0 && !Array.isArray(data['points']))) errors.push('vary: found no list, allowed a list of { field, values }');
  else if (data['vary'].length === 0 && (data['points'] as unknown[]).length !== 1) errors.push('vary: found an empty list, allowed a list of { field, values } (only a replicated run has none)');
  else
    data['vary'].forEach((axis, i) => {
      if (isObject(axis) && typeof axis['field'] === 'string' && Array.isArray(axis['values']) && axis['values'].every(isValue)) vary.push({ field: axis['field'], values: axis['values'] as VaryValue[] });
      else errors.push(`vary.${i}: found ${JSON.stringify(axis)?.slice(0, 60)}, allowed { field: text, values: a list of numbers, text or true/false }`);
    });
  const replications = data['replications'];
  if (replications !== undefined && !(typeof replications === 'number' && Number.isInteger(replications) && replications >= 2)) errors.push('replications: allowed an integer of at least 2');
  const points: SweepData['points'] = [];
  if (!Array.isArray(data['points'])) errors.push('points: found no list, allowed a list of points');
  else
    data['points'].forEach((point, i) => {
      const problem = pointProblem(point, vary);
      if (problem !== null) errors.push(`points.${i}: ${problem}`);
      else points.push(point as SweepData['points'][number]);
    });
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, 20) };
  return { ok: true, data: { scenario, vary, ...(typeof replications === 'number' ? { replications } : {}), points } };
}

/** What is wrong with a run's output (no `points`, no `vary`) as a replicated run: its replications or its seeds, or that it is one run. */
function runOutputProblem(data: Record<string, unknown>): string {
  const allowed = 'allowed the output of hvsim sweep --json or hvsim run --replications N --json';
  const r = data['replications'];
  if (r === undefined) return `replications: missing (this is one run's output, hvsim run --json, with nothing to plot across), ${allowed}`;
  if (!(typeof r === 'number' && Number.isInteger(r) && r >= 2)) return `replications: found ${JSON.stringify(r)?.slice(0, 60)}, allowed an integer of at least 2`;
  if (!Array.isArray(data['paths'])) return `paths: found ${describe(data['paths'])}, allowed a list of paths`;
  return `seeds: found ${describe(data['seeds'])}, allowed the list of the replications' seeds`;
}

const describe = (v: unknown): string => (v === undefined ? 'nothing' : Array.isArray(v) ? 'a list' : isObject(v) ? 'an object' : JSON.stringify(v).slice(0, 60));

function pointProblem(point: unknown, vary: readonly VaryAxis[]): string | null {
  if (!isObject(point) || !isObject(point['values'])) return 'allowed an object with values and paths';
  const values = point['values'];
  for (const axis of vary) if (!isValue(values[axis.field])) return `values: found no value for '${axis.field}'`;
  if (!Array.isArray(point['paths'])) return 'paths: allowed a list of paths';
  const bad = point['paths'].findIndex((p) => !isObject(p) || typeof p['stream'] !== 'string' || typeof p['vm'] !== 'string' || typeof p['disk'] !== 'string' || typeof p['path'] !== 'string' || (p['ci95'] !== undefined && !isObject(p['ci95'])));
  return bad < 0 ? null : `paths.${bad}: allowed an object with stream, vm, disk, path and its figures`;
}

/** One plotted line: a path (and the values of the fields not on the x axis), a value per x position. */
export interface PlotSeries {
  label: string;
  stream: string;
  /** Per x position: the figure (null where that point has no such path or figure) and its interval. */
  y: (number | null)[];
  ci95: (Ci95 | null)[];
}

/** What to draw: x labels in the varied field's order, and the lines. */
export interface PlotData {
  axis: string;
  metric: string;
  xLabels: string[];
  /**
   * Whether the x values are categories (`profile=2008,modern`, a text or
   * true/false field, or the one position of a replicated run): then no
   * line joins them, as there is nothing between two categories. Numbers
   * only: a line.
   */
  categorical: boolean;
  series: PlotSeries[];
  /** The smallest and largest value any line or interval reaches (0..0 when there is nothing). */
  yMin: number;
  yMax: number;
}

/**
 * `metric` against the field `axis`: one line per path and per
 * combination of the other fields' values, in the order they first appear;
 * a numeric axis in ascending order, any other in its listed order.
 * @example plotSeries(data, 'workloads[3].queueDepth', 'latencyNs.mean')
 */
export function plotSeries(data: SweepData, axis: string, metric: string): PlotData {
  const along = data.vary.find((a) => a.field === axis) ?? data.vary[0];
  // Nothing varied (a replicated run): one x position holding every path.
  // A numeric axis ascends left to right whatever order the file lists its values in (a block's [1, 0] put 1 left of 0).
  const numeric = along !== undefined && along.values.every((v) => typeof v === 'number');
  const xValues: VaryValue[] = along === undefined ? [data.replications === undefined ? 'the run' : `${data.replications} runs`] : numeric ? [...along.values].sort((a, b) => (a as number) - (b as number)) : along.values;
  const others = data.vary.filter((a) => a !== along);
  const series = new Map<string, PlotSeries>();
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const point of data.points) {
    const x = along === undefined ? 0 : xValues.findIndex((v) => v === point.values[along.field]);
    if (x < 0) continue;
    const rest = others.map((a) => `${a.field}=${String(point.values[a.field])}`).join(' ');
    for (const path of point.paths) {
      const key = `${path.stream}\u0000${rest}`;
      let line = series.get(key);
      if (line === undefined) {
        line = { label: rest === '' ? path.stream : `${path.stream} · ${rest}`, stream: path.stream, y: xValues.map(() => null), ci95: xValues.map(() => null) };
        series.set(key, line);
      }
      const value = metricValue(path as never, metric);
      if (value === undefined || !Number.isFinite(value)) continue;
      const ci = path.ci95 === undefined ? null : intervalOf(path.ci95, metric);
      line.y[x] = value;
      line.ci95[x] = ci;
      yMin = Math.min(yMin, value, ci?.low ?? value);
      yMax = Math.max(yMax, value, ci?.high ?? value);
    }
  }
  const categorical = !numeric;
  return { axis: along?.field ?? '', metric, xLabels: xValues.map(String), categorical, series: [...series.values()], yMin: Number.isFinite(yMin) ? yMin : 0, yMax: Number.isFinite(yMax) ? yMax : 0 };
}
