/**
 * `hvsim sweep <scenario> --vary <field>=<v1,v2,…>…`: every point of the
 * grid (or of the scenario's own `sweep` block) is made and validated
 * first, so a bad field or value stops the sweep before anything runs,
 * with every point's errors; then the points' runs (each point's
 * replications, with `--replications`) go on worker threads and are
 * printed as one table, CSV or JSON. A point's figures are those of
 * `hvsim run` on that point: the same scenario, the same summary. Memory
 * stays bounded by the points in flight, not the grid: a point's scenario
 * is made when its runs are handed out and dropped when they end, and
 * `--json` is written point by point.
 */
import { axesAsHeld, gridPoints, gridProblem, makePoint, pointErrorLines, pointLabel, type PointValues, type Scenario, type SweepPoint, type VaryAxis } from '../scenario/index.js';
import { SEED_MAX } from './args.js';
import { reportUnfinished, runWithProgress } from './experiment-runs.js';
import { StartedWorkers, workersFor, type JobList } from './experiment-pool.js';
import { complain, EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED, type CliIo } from './io.js';
import { loadScenario } from './commands.js';
import type { RunSummary } from './report.js';
import { summarizeReplications } from './replicated-report.js';
import type { SweepCommand } from './sweep-args.js';
import { formatSweepCsv, formatSweepReport, sweepJsonParts, type SweepPointSummary, type SweepSummary } from './sweep-report.js';

/** Errors of invalid points listed before "and N more". */
const POINT_ERROR_LINES = 20;

/**
 * A point after validation, without its scenario: a sweep of thousands of
 * points keeps only their values and seeds, and makes a point's scenario
 * again when its runs are handed out (`makePoint` is deterministic).
 */
export type CheckedPoint = { values: PointValues; ok: true; seed: number } | Extract<SweepPoint, { ok: false }>;

/** `hvsim sweep`: its worker threads start first, while this thread reads and checks the points (`StartedWorkers`). */
export async function sweepCommand(io: CliIo, command: SweepCommand): Promise<number> {
  const started = StartedWorkers.start(workersFor(command.workers));
  try {
    return await sweep(io, command, started);
  } finally {
    void started.close();
  }
}

async function sweep(io: CliIo, command: SweepCommand, started: StartedWorkers): Promise<number> {
  const loaded = loadScenario(io, command.target);
  if (typeof loaded === 'number') return loaded;
  const { scenario, fileName, data } = loaded;
  const axes: VaryAxis[] = command.vary.length > 0 ? command.vary : (scenario.sweep?.vary ?? []);
  if (axes.length === 0) return complain(io, `${fileName} ${scenario.sweep === undefined ? 'has no sweep block' : 'varies no field in its sweep block (sweep.vary)'}; say what to vary, e.g. --vary 'workloads[0].queueDepth=1,2,4'`);
  const problem = gridProblem(axes);
  if (problem !== null) return complain(io, problem);
  const points = makePoints(data, axes);
  const bad = points.filter((point) => !point.ok).length;
  if (bad > 0) {
    io.err.write(`hvsim: ${bad} of ${points.length} point${points.length === 1 ? '' : 's'} of the sweep over ${fileName} ${bad === 1 ? 'is' : 'are'} not a valid scenario:\n`);
    writePointErrors(io, points);
    return EXIT_BAD_INPUT;
  }
  const valid = points as Extract<CheckedPoint, { ok: true }>[];
  // --vary replaces the file's sweep block as a whole: its replications go with its grid (--replications still applies).
  const replications = command.replications ?? (command.vary.length > 0 ? undefined : scenario.sweep?.replications);
  const perPoint = replications ?? 1;
  const seedOf = (i: number): number | undefined => {
    const first = command.seed ?? valid[Math.floor(i / perPoint)]!.seed;
    return replications === undefined ? command.seed : first + (i % perPoint);
  };
  for (const point of valid) {
    const first = command.seed ?? point.seed;
    if (first + perPoint - 1 > SEED_MAX) return complain(io, `point ${pointLabel(point.values)}: ${perPoint} replications from seed ${first} would pass the largest seed (${SEED_MAX})`);
  }
  // Each axis's values as its points hold them (`profile` 2008 is the text "2008").
  const vary = axesAsHeld(axes, valid);
  const head = { scenario: scenario.name, vary, ...(replications === undefined ? {} : { replications }) };
  // A point's scenario is made when its first run is handed out and dropped when its last run has ended;
  // --json is written point by point in order as the points end, the table and CSV once all have.
  const live = new Map<number, { scenario: Scenario; runs: RunSummary[]; left: number }>();
  const ended = new Map<number, SweepPointSummary>();
  const kept: SweepPointSummary[] = [];
  let written = 0;
  const json = command.format === 'json';
  const jobs: JobList = {
    length: valid.length * perPoint,
    at(i) {
      const p = Math.floor(i / perPoint);
      let entry = live.get(p);
      if (entry === undefined) {
        const made = makePoint(data, valid[p]!.values);
        if (!made.ok) throw new Error(`point ${pointLabel(valid[p]!.values)} was valid and is not now`);
        entry = { scenario: made.scenario, runs: [], left: perPoint };
        live.set(p, entry);
      }
      return { scenario: entry.scenario, seed: seedOf(i), profile: command.profile };
    },
  };
  // What a run left unfinished is checked as it ends, while its point's scenario is at hand, and said after the output in the runs' order.
  const unfinished = new Map<number, string>();
  const onSummary = (i: number, summary: RunSummary): void => {
    const p = Math.floor(i / perPoint);
    const entry = live.get(p)!;
    let text = '';
    const later: CliIo = { out: io.out, err: { write: (part: string) => (text += part) } };
    if (reportUnfinished(later, `${fileName} point ${pointLabel(valid[p]!.values)} seed ${summary.seed}`, summary, entry.scenario)) unfinished.set(i, text);
    entry.runs[i % perPoint] = summary;
    if (--entry.left > 0) return;
    live.delete(p);
    const point: SweepPointSummary = { values: valid[p]!.values, ...(replications === undefined ? entry.runs[0]! : summarizeReplications(entry.runs, entry.scenario.claims)) };
    if (!json) return void (kept[p] = point);
    ended.set(p, point);
    for (let next = ended.get(written); next !== undefined; next = ended.get(written)) {
      io.out.write(`${written === 0 ? sweepJsonParts.head(head) : ''}${sweepJsonParts.point(next, written === 0)}`);
      ended.delete(written++);
    }
  };
  const nameOf = (i: number): string => `point ${pointLabel(valid[Math.floor(i / perPoint)]!.values)} seed ${seedOf(i) ?? valid[Math.floor(i / perPoint)]!.seed}`;
  const ran = await runWithProgress(io, jobs, { workers: command.workers, nameOf, what: perPoint === 1 ? 'points' : 'runs', onSummary, started });
  if (!ran.ok) {
    // Points already written stay a JSON document: closed, with why it stops there.
    if (json && written > 0) io.out.write(sweepJsonParts.cut(written, ran.message));
    return complain(io, ran.message, EXIT_RUN_FAILED);
  }
  if (json) io.out.write(sweepJsonParts.end(written));
  else {
    const sweep: SweepSummary = { ...head, points: kept };
    io.out.write(command.format === 'csv' ? formatSweepCsv(sweep) : formatSweepReport(sweep));
  }
  for (const i of [...unfinished.keys()].sort((x, y) => x - y)) io.err.write(unfinished.get(i)!);
  return unfinished.size > 0 ? EXIT_RUN_FAILED : EXIT_OK;
}

/** The invalid points' errors (`pointErrorLines`: each problem once), at most `POINT_ERROR_LINES` of them. */
export function writePointErrors(io: CliIo, points: readonly CheckedPoint[]): void {
  const lines = pointErrorLines(points);
  for (const line of lines.slice(0, POINT_ERROR_LINES)) io.err.write(`  ${line}\n`);
  if (lines.length > POINT_ERROR_LINES) io.err.write(`  and ${lines.length - POINT_ERROR_LINES} more\n`);
}

/**
 * Every point of the grid over the file's data as read (`loadScenario`'s
 * `data`: its own text, not the validated scenario, so defaults are filled
 * per point), validated and kept without its scenario (`CheckedPoint`).
 * The data is not parsed again: parsing it three times made this thread
 * compile the YAML parser with TurboFan while the runs began.
 */
export function makePoints(data: unknown, axes: readonly VaryAxis[]): CheckedPoint[] {
  return gridPoints(axes).map((values): CheckedPoint => {
    const point = makePoint(data, values);
    return point.ok ? { values: point.values, ok: true, seed: point.scenario.seed } : point;
  });
}
