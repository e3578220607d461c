/**
 * Figures over replications: the same scenario run with seeds s, s+1, …,
 * s+N−1, each figure reported as the mean of the N runs' figures with a
 * 95 % confidence interval (Student t, N − 1 degrees of freedom, from the
 * runs' sample standard deviation), and each yes/no figure with the
 * number of runs it was true in (the first run's flag alone would hide a
 * run that went the other way); claims across them are
 * `claims-across.ts`. Pure: it folds finished runs' figures, runs nothing
 * and prints nothing, so the CLI and the app share it.
 */
import type { PathMetrics } from '../../metrics/index.js';
import { figureKeys, type RunFigures } from '../../metrics/run-figures.js';
import { formatMetricValue } from '../claims.js';
import { studentTQuantile } from './student-t.js';

/** A 95 % confidence interval of a mean. */
export interface Ci95 {
  low: number;
  high: number;
  /** (high − low) / 2: the "±" of the figure. */
  halfWidth: number;
}

/** Intervals in the shape of the figures they belong to: a `Ci95` beside every numeric figure, null where fewer than two runs gave one. */
export interface Ci95Tree {
  [field: string]: Ci95 | Ci95Tree | (Ci95 | Ci95Tree | null)[] | null;
}

/** In how many runs a yes/no figure was true, of the runs that have it (`of` is below the replications when some run lacks the figure). */
export interface TrueIn {
  runs: number;
  of: number;
}

/** Counts in the shape of the figures they belong to: a `TrueIn` under every yes/no figure, nothing else (a list's item without one: null). */
export interface TrueInTree {
  [field: string]: TrueIn | TrueInTree | (TrueIn | TrueInTree | null)[];
}

/** One path's figures over replications: each figure is the mean of the runs', and `ci95` holds its interval under the same name. */
export type ReplicatedPath = PathMetrics & {
  /** How many replications ran this path (usually all of them). */
  replications: number;
  /**
   * How many of them completed a request on it: the number of runs behind
   * the latency, per-I/O and CPU-per-I/O figures and their intervals. A run
   * that completed nothing has zeros there that are not measurements, so it
   * is left out of them; its IOPS and bytes (a real 0) stay in.
   */
  completedIn: number;
  /** The 95 % interval of every numeric figure, in the figures' own shape (`ci95.latencyNs.mean`). */
  ci95: Ci95Tree;
};

/** The mean of `values` and its 95 % interval (null for fewer than two values). */
export function meanWithInterval(values: readonly number[]): { mean: number; ci95: Ci95 | null } {
  const n = values.length;
  if (n === 0) return { mean: 0, ci95: null };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n < 2) return { mean, ci95: null };
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const halfWidth = (studentTQuantile(0.975, n - 1) * Math.sqrt(squares / (n - 1))) / Math.sqrt(n);
  return { mean, ci95: { low: mean - halfWidth, high: mean + halfWidth, halfWidth } };
}

type Figures = Record<string, unknown>;

/**
 * Folds the same object in several runs: numbers to means (intervals into
 * `ci95`), yes/no figures to the first run's value with how many runs it
 * was true in (`trueIn`), strings and nulls from the first run that has
 * the field.
 */
function fold(objects: readonly Figures[]): { value: Figures; ci95: Ci95Tree; trueIn: TrueInTree } {
  const value: Figures = {};
  const ci95: Ci95Tree = {};
  const trueIn: TrueInTree = {};
  const keys: string[] = [];
  for (const object of objects) for (const key of Object.keys(object)) if (!keys.includes(key)) keys.push(key);
  for (const key of keys) {
    const present = objects.map((o) => o[key]).filter((v) => v !== undefined);
    const numbers = present.filter((v): v is number => typeof v === 'number');
    const nested = present.filter((v): v is Figures => v !== null && typeof v === 'object' && !Array.isArray(v));
    const lists = present.filter((v): v is unknown[] => Array.isArray(v));
    if (lists.length > 0 && lists.length === present.length) {
      // A list (a migration's passes): item by item, as objects keyed by index.
      const inner = fold(lists.map((list) => ({ ...list }) as Figures));
      const length = Math.max(...lists.map((list) => list.length));
      value[key] = Array.from({ length }, (_, i) => inner.value[i]);
      ci95[key] = Array.from({ length }, (_, i) => inner.ci95[i] ?? null) as (Ci95 | Ci95Tree | null)[];
      if (Object.keys(inner.trueIn).length > 0) trueIn[key] = Array.from({ length }, (_, i) => inner.trueIn[i] ?? null) as (TrueIn | TrueInTree | null)[];
    } else if (numbers.length > 0 && numbers.length === present.length) {
      const { mean, ci95: interval } = meanWithInterval(numbers);
      value[key] = mean;
      ci95[key] = interval;
    } else if (nested.length > 0 && nested.length === present.length) {
      const inner = fold(nested);
      value[key] = inner.value;
      ci95[key] = inner.ci95;
      if (Object.keys(inner.trueIn).length > 0) trueIn[key] = inner.trueIn;
    } else {
      // Text (names), a yes/no figure, or a figure some run did not have (null): the first run's stands, with no interval.
      value[key] = present[0] ?? null;
      if (numbers.length > 0) ci95[key] = null;
      const flags = present.filter((v): v is boolean => typeof v === 'boolean');
      if (flags.length > 0) trueIn[key] = { runs: flags.filter((flag) => flag).length, of: flags.length };
    }
  }
  return { value, ci95, trueIn };
}

/**
 * Each path's figures over the runs: paths are matched by their stream
 * (`vm/disk/path`), in the order they first appear.
 * @example replicatePaths(runs.map((run) => run.paths))[0].ci95.latencyNs.mean
 */
export function replicatePaths(runs: readonly (readonly PathMetrics[])[]): ReplicatedPath[] {
  const streams: string[] = [];
  for (const paths of runs) for (const p of paths) if (!streams.includes(p.stream)) streams.push(p.stream);
  return streams.map((stream) => {
    const copies = runs.flatMap((paths) => paths.filter((p) => p.stream === stream));
    const { value, ci95 } = fold(copies as unknown as Figures[]);
    const completed = copies.filter((p) => p.requests > 0);
    if (completed.length > 0 && completed.length < copies.length) {
      const measured = fold(completed.map((p) => Object.fromEntries(PER_COMPLETED_IO.map((key) => [key, p[key]]))));
      Object.assign(value, measured.value);
      Object.assign(ci95, measured.ci95);
    }
    return { ...(value as unknown as PathMetrics), replications: copies.length, completedIn: completed.length, ci95 };
  });
}

/**
 * The figures divided by (or summarising) the completed requests: 0 in a run
 * that completed none, where they measure nothing (as the single run's CSV
 * leaves them blank). Rates and totals are not among them: 0 IOPS is a real 0.
 */
const PER_COMPLETED_IO = ['latencyNs', 'perIo', 'vmExitsByReason', 'contextSwitchesByKind', 'timeByBandNs', 'timeByPlaceNs', 'cpuNsPerIo', 'deviceNsPerIo'] as const satisfies readonly (keyof PathMetrics)[];

/**
 * The run figures beyond the paths over replications: means in the
 * figures' own shape, their intervals in the same shape, and how many runs
 * each yes/no figure was true in (the figure itself stays the first
 * run's, as a single run gives it).
 */
export function replicateFigures(runs: readonly RunFigures[]): { figures: RunFigures; ci95: Ci95Tree; trueIn: TrueInTree } {
  const { value, ci95, trueIn } = fold(runs as unknown as Figures[]);
  return { figures: value as RunFigures, ci95, trueIn };
}

/** What a tree in the figures' shape holds at a run figure's name, walking no further than a leaf (`isLeaf`); undefined when nothing is there. */
function figureNodeAt(tree: object, name: string, isLeaf: (node: object) => boolean): unknown {
  let node: unknown = tree;
  for (const key of figureKeys(name) ?? []) {
    if (node === null || typeof node !== 'object' || isLeaf(node)) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

const isInterval = (node: object): node is Ci95 => typeof (node as Ci95).halfWidth === 'number';
const isTrueIn = (node: object): node is TrueIn => typeof (node as TrueIn).runs === 'number' && typeof (node as TrueIn).of === 'number';

/** The interval of a run figure (`vms.mail.saveNs`, `migrations.list[0].blackoutNs`) in `replicateFigures`' intervals. */
export function figureIntervalOf(ci95: Ci95Tree, name: string): Ci95 | null {
  const node = figureNodeAt(ci95, name, isInterval);
  return node !== null && typeof node === 'object' && isInterval(node) ? node : null;
}

/** How many runs a yes/no run figure (`migrations[0].converged`) was true in, from `replicateFigures`' counts; null for any other figure. */
export function figureTrueInOf(trueIn: TrueInTree, name: string): TrueIn | null {
  const node = figureNodeAt(trueIn, name, isTrueIn);
  return node !== null && typeof node === 'object' && isTrueIn(node) ? node : null;
}

/** The interval of `metric` (a dotted name) in a path's `ci95`. */
export function intervalOf(ci95: Ci95Tree, metric: string): Ci95 | null {
  let node: Ci95 | Ci95Tree | null | undefined = ci95;
  for (const step of metric.split('.')) {
    if (node === null || node === undefined || 'halfWidth' in node) return null;
    node = (node as Ci95Tree)[step] as Ci95 | Ci95Tree | null | undefined;
  }
  return node !== null && node !== undefined && typeof node.halfWidth === 'number' ? (node as Ci95) : null;
}

/** A figure with its interval for people: `5.96 ms ± 12.3 µs`. */
export function formatWithInterval(metric: string, mean: number, ci95: Ci95 | null): string {
  return ci95 === null ? formatMetricValue(metric, mean) : `${formatMetricValue(metric, mean)} ± ${formatMetricValue(metric, ci95.halfWidth)}`;
}

/**
 * A yes/no figure over `replications` runs for people: `true (all 5)`,
 * `false (all 5)`, `true in 4 of 5`; when some runs lack the figure,
 * `true in 2 of 5 (1 without it)`.
 */
export function formatTrueIn(trueIn: TrueIn, replications: number): string {
  const without = replications - trueIn.of;
  if (without === 0 && trueIn.runs === replications) return `true (all ${replications})`;
  if (without === 0 && trueIn.runs === 0) return `false (all ${replications})`;
  return `true in ${trueIn.runs} of ${replications}${without === 0 ? '' : ` (${without} without it)`}`;
}
