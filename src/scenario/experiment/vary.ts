/**
 * Sweeps: a grid of scenario points, each the scenario with some fields
 * set to other values. A varied field is named by its path in the
 * scenario file (`workloads[0].queueDepth`, `profile`, `costs.vmexit_roundtrip`,
 * `host.disks[1].kind`; `workloads.0.queueDepth` also works). A point is
 * made by setting the values in the file's data as read (before defaults)
 * and validating the whole result with the normal scenario parser, so each
 * point is a valid scenario or a precise error naming the varied field,
 * what was found and what is allowed. Pure: runs nothing.
 */
import { FIELD_PATH_ALLOWED, parseFieldPath, setField, type FieldStep, type VaryValue } from './field-path.js';
import { validateScenario } from '../parse.js';
import type { Scenario } from '../schema.js';

export type { VaryValue } from './field-path.js';


/** One axis of the grid: a field path and its values in order. */
export interface VaryAxis {
  field: string;
  values: VaryValue[];
}

export { SWEEP_POINTS_MAX } from './sweep-schema.js';
import { SWEEP_POINTS_MAX, gridSize } from './sweep-schema.js';

/** A value as the command line writes it: a number, true or false, else text (quotes around it are dropped). */
export function parseVaryValue(text: string): VaryValue {
  const trimmed = text.trim();
  if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(trimmed)) return Number(trimmed);
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  const quoted = /^(['"])(.*)\1$/.exec(trimmed);
  return quoted === null ? trimmed : quoted[2]!;
}

/** `field=v1,v2,…` (the `--vary` option) as an axis, or why not. */
export function parseVaryOption(text: string): { ok: true; axis: VaryAxis } | { ok: false; message: string } {
  const eq = text.indexOf('=');
  if (eq <= 0) return { ok: false, message: `--vary: found '${text}', allowed <field>=<v1,v2,…>, e.g. --vary 'workloads[0].queueDepth=1,2,4'` };
  const field = text.slice(0, eq).trim();
  const path = parseFieldPath(field);
  if (!path.ok) return { ok: false, message: `--vary: ${path.message}` };
  const own = sweepFieldProblem(field, path.steps);
  if (own !== null) return { ok: false, message: `--vary: ${own}` };
  const words = splitValues(text.slice(eq + 1));
  if (words === null) return { ok: false, message: `--vary ${field}: found '${text.slice(eq + 1)}', a quote that is not closed; allowed values separated by commas, a value with a comma in quotes ("x,y")` };
  if (words.some((word) => word.trim() === '')) return { ok: false, message: `--vary ${field}: found '${text.slice(eq + 1)}', allowed a comma-separated list of values with none empty` };
  const values = words.map(parseVaryValue);
  const huge = values.findIndex((value) => typeof value === 'number' && !Number.isFinite(value));
  const repeated = values.findIndex((value, i) => values.indexOf(value) !== i);
  if (repeated >= 0) return { ok: false, message: `--vary ${field}: found '${words[repeated]!.trim()}' twice; allowed each value once (a repeated value would run the same point twice and plot two points at one x)` };
  if (huge >= 0) return { ok: false, message: `--vary ${field}: found '${words[huge]!.trim()}', a number too large to hold (beyond ±1.8e308); allowed finite numbers` };
  return { ok: true, axis: { field, values } };
}

/**
 * `v1,v2,…` split at the commas outside quotes, each value with its quotes
 * (`parseVaryValue` takes them off: `"x,y"` is the text x,y and `"123"`
 * the text 123, not a number); null when a quote is not closed.
 */
function splitValues(text: string): string[] | null {
  const values: string[] = [];
  let start = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ',') {
      values.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quote !== '') return null;
  values.push(text.slice(start));
  return values;
}

/**
 * Why `field` cannot be varied because it is the sweep block itself, or
 * null: a point is made without its file's block (`makePoint`), so a value
 * set there would be silently unused.
 */
function sweepFieldProblem(field: string, steps: readonly FieldStep[]): string | null {
  if (steps[0] !== 'sweep') return null;
  return `found '${field}': the sweep block says how to sweep, it is not a field of the scenario to vary; allowed any other field (${FIELD_PATH_ALLOWED}); give replications with --replications`;
}

/** The values of one point, by field, in the axes' order. */
export type PointValues = Record<string, VaryValue>;

/** Every combination of the axes' values; the first axis changes slowest (a grid in reading order). */
export function gridPoints(axes: readonly VaryAxis[]): PointValues[] {
  let points: PointValues[] = [{}];
  for (const axis of axes) points = points.flatMap((point) => axis.values.map((value) => ({ ...point, [axis.field]: value })));
  return points;
}

/** Why the axes cannot make a grid (a field twice, too many points), or null. */
export function gridProblem(axes: readonly VaryAxis[]): string | null {
  const fields = axes.map((axis) => parseFieldPath(axis.field));
  const canonical = fields.map((path, i) => (path.ok ? path.steps.join('.') : axes[i]!.field));
  const twice = canonical.findIndex((field, i) => canonical.indexOf(field) !== i);
  if (twice >= 0) return `--vary: the field '${axes[twice]!.field}' is varied twice; give all its values in one --vary`;
  const count = gridSize(axes);
  if (count > SWEEP_POINTS_MAX) return `the sweep has ${count.toLocaleString('en-US')} points, at most ${SWEEP_POINTS_MAX.toLocaleString('en-US')} are allowed`;
  return null;
}

/**
 * One point of a sweep: its values and the scenario it makes, or why it is
 * not a valid scenario: `problems` as the field and message, `errors` the
 * same each led by the point (`point <label>: …`).
 */
export type SweepPoint = { values: PointValues; ok: true; scenario: Scenario; data: unknown } | { values: PointValues; ok: false; problems: string[]; errors: string[] };

function invalidPoint(values: PointValues, label: string, problems: string[]): SweepPoint {
  return { values, ok: false, problems, errors: problems.map((problem) => `point ${label}: ${problem}`) };
}

/**
 * The invalid points' errors, each problem once with the points that have
 * it: a cost id misspelt in the file breaks every point alike, and is said
 * once (`every point (4): …`), not four times with its list of ids.
 * @example pointErrorLines(points) // ['points profile=2008; profile=modern (2 of 4): costs.x: found …']
 */
export function pointErrorLines(points: readonly ({ values: PointValues; ok: true } | Extract<SweepPoint, { ok: false }>)[]): string[] {
  const byProblem = new Map<string, string[]>();
  for (const point of points) {
    if (point.ok) continue;
    const label = pointLabel(point.values);
    for (const problem of point.problems) {
      const labels = byProblem.get(problem);
      if (labels === undefined) byProblem.set(problem, [label]);
      else labels.push(label);
    }
  }
  return [...byProblem].map(([problem, labels]) => {
    if (labels.length === 1) return `point ${labels[0]}: ${problem}`;
    if (labels.length === points.length) return `every point (${labels.length}): ${problem}`;
    return `points ${cappedLabels(labels)} (${labels.length} of ${points.length}): ${problem}`;
  });
}

/** Point labels listed in one error line before "and N more": a problem shared by thousands of points stays one readable line. */
export const POINT_LABELS_LISTED = 20;

function cappedLabels(labels: readonly string[]): string {
  if (labels.length <= POINT_LABELS_LISTED) return labels.join('; ');
  return `${labels.slice(0, POINT_LABELS_LISTED).join('; ')} and ${(labels.length - POINT_LABELS_LISTED).toLocaleString('en-US')} more`;
}

/** The point's values as the command line writes them: `workloads[3].queueDepth=16 profile=modern`. */
export function pointLabel(values: PointValues): string {
  return Object.entries(values)
    .map(([field, value]) => `${field}=${String(value)}`)
    .join(' ');
}

/**
 * The scenario of one point: `input` (the file's data as read, not
 * changed) with the point's values set and its `sweep` block removed,
 * validated as a whole. Errors name the point and the field.
 * @example makePoint(data, { 'workloads[3].queueDepth': 8 })
 */
export function makePoint(input: unknown, values: PointValues): SweepPoint {
  const data: unknown = structuredClone(input);
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) delete (data as Record<string, unknown>)['sweep'];
  const label = pointLabel(values);
  // Every field is tried and the result validated even when one cannot be set, so a point shows all its errors at once.
  const problems: string[] = [];
  const steps: FieldStep[][] = [];
  for (const [field, value] of Object.entries(values)) {
    const path = parseFieldPath(field);
    if (!path.ok) {
      problems.push(path.message);
      continue;
    }
    steps.push(path.steps);
    const own = sweepFieldProblem(field, path.steps);
    const problem = own ?? setField(data, path.steps, value);
    if (problem !== null) problems.push(own ?? `cannot set ${field}: ${problem}`);
  }
  const validated = validateScenario(data);
  if (validated.ok && problems.length === 0) return { values: asValidated(values, steps, validated.scenario), ok: true, scenario: validated.scenario, data };
  return invalidPoint(values, label, [...problems, ...(validated.ok ? [] : validated.errors.map((error) => `${error.path}: ${error.message}`))]);
}

/**
 * The axes with each value as the points hold it (`asValidated`: the
 * profile "2008", not the number `--vary` or a file's block gave), so that
 * a point's values and its axis's values compare equal (the app's plot
 * finds each point by them).
 */
export function axesAsHeld(axes: readonly VaryAxis[], points: readonly { values: PointValues }[]): VaryAxis[] {
  return axes.map((axis) => ({ field: axis.field, values: axis.values.map((v) => points.find((point) => String(point.values[axis.field]) === String(v))?.values[axis.field] ?? v) }));
}

/**
 * The point's values as the scenario holds them: `--vary profile=2008`
 * reads 2008 as a number, which the scenario keeps as the text "2008"; the
 * point's values (in --json, on the app's axis) say "2008" too.
 */
function asValidated(values: PointValues, steps: readonly FieldStep[][], scenario: Scenario): PointValues {
  const out: PointValues = {};
  Object.entries(values).forEach(([field, value], i) => {
    let node: unknown = scenario;
    for (const step of steps[i]!) node = node !== null && typeof node === 'object' ? (node as Record<FieldStep, unknown>)[step] : undefined;
    out[field] = typeof value === 'number' && typeof node === 'string' && node === String(value) ? node : value;
  });
  return out;
}
