/**
 * `hvsim sweep <scenario> --vary <field>=<v1,v2,…>…`: every point of the
 * grid (or of the scenario's own `sweep` block) is made and validated
 * first, so a bad field or value stops the sweep before anything runs,
 * with every point's errors; then the points' runs (each point's
 * replications, with `--replications`) go on worker threads and are
 * printed as one table, CSV or JSON. A point's figures are those of
 * `hvsim run` on that point: the same scenario, the same summary.
 */
import { gridPoints, gridProblem, makePoint, parseDataText, parseScenarioText, pointErrorLines, pointLabel, type SweepPoint, type VaryAxis } from '../scenario/index.js';
import { SEED_MAX } from './args.js';
import { reportUnfinished, runWithProgress } from './experiment-runs.js';
import type { RunJob } from './experiment-pool.js';
import { complain, EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED, type CliIo } from './io.js';
import { loadScenario } from './commands.js';
import { formatJson } from './report.js';
import { summarizeReplications } from './replicated-report.js';
import { readScenarioSource } from './source.js';
import type { SweepCommand } from './sweep-args.js';
import { formatSweepCsv, formatSweepReport, type SweepPointSummary, type SweepSummary } from './sweep-report.js';

/** Errors of invalid points listed before "and N more". */
const POINT_ERROR_LINES = 20;

/** `hvsim sweep`. */
export async function sweepCommand(io: CliIo, command: SweepCommand): Promise<number> {
  const loaded = loadScenario(io, command.target);
  if (typeof loaded === 'number') return loaded;
  const { scenario, fileName } = loaded;
  const axes: VaryAxis[] = command.vary.length > 0 ? command.vary : (scenario.sweep?.vary ?? []);
  if (axes.length === 0) return complain(io, `${fileName} ${scenario.sweep === undefined ? 'has no sweep block' : 'varies no field in its sweep block (sweep.vary)'}; say what to vary, e.g. --vary 'workloads[0].queueDepth=1,2,4'`);
  const problem = gridProblem(axes);
  if (problem !== null) return complain(io, problem);
  const points = makePoints(command.target, axes);
  const bad = points.filter((point) => !point.ok).length;
  if (bad > 0) {
    io.err.write(`hvsim: ${bad} of ${points.length} point${points.length === 1 ? '' : 's'} of the sweep over ${fileName} ${bad === 1 ? 'is' : 'are'} not a valid scenario:\n`);
    writePointErrors(io, points);
    return EXIT_BAD_INPUT;
  }
  const valid = points as Extract<SweepPoint, { ok: true }>[];
  // --vary replaces the file's sweep block as a whole: its replications go with its grid (--replications still applies).
  const replications = command.replications ?? (command.vary.length > 0 ? undefined : scenario.sweep?.replications);
  const perPoint = replications ?? 1;
  const jobs: RunJob[] = [];
  for (const point of valid) {
    const first = command.seed ?? point.scenario.seed;
    if (first + perPoint - 1 > SEED_MAX) return complain(io, `point ${pointLabel(point.values)}: ${perPoint} replications from seed ${first} would pass the largest seed (${SEED_MAX})`);
    for (let r = 0; r < perPoint; r++) jobs.push({ scenario: point.scenario, seed: replications === undefined ? command.seed : first + r, profile: command.profile });
  }
  const ran = await runWithProgress(io, jobs, command.workers, (i) => `point ${pointLabel(valid[Math.floor(i / perPoint)]!.values)} seed ${jobs[i]!.seed ?? valid[Math.floor(i / perPoint)]!.scenario.seed}`, perPoint === 1 ? 'points' : 'runs');
  if (!ran.ok) return complain(io, ran.message, EXIT_RUN_FAILED);
  const summaries: SweepPointSummary[] = valid.map((point, i) => {
    const runs = ran.summaries.slice(i * perPoint, (i + 1) * perPoint);
    return { values: point.values, ...(replications === undefined ? runs[0]! : summarizeReplications(runs, point.scenario.claims)) };
  });
  // Each axis's values as its points hold them (`profile` 2008 is the text "2008").
  const vary = axes.map((axis) => ({ field: axis.field, values: axis.values.map((v) => valid.find((point) => String(point.values[axis.field]) === String(v))?.values[axis.field] ?? v) }));
  const sweep: SweepSummary = { scenario: scenario.name, vary, ...(replications === undefined ? {} : { replications }), points: summaries };
  io.out.write(command.format === 'json' ? formatJson(sweep) : command.format === 'csv' ? formatSweepCsv(sweep) : formatSweepReport(sweep));
  let code = EXIT_OK;
  valid.forEach((point, i) => {
    for (const run of ran.summaries.slice(i * perPoint, (i + 1) * perPoint)) {
      if (reportUnfinished(io, `${fileName} point ${pointLabel(point.values)} seed ${run.seed}`, run, point.scenario)) code = EXIT_RUN_FAILED;
    }
  });
  return code;
}

/** The invalid points' errors (`pointErrorLines`: each problem once), at most `POINT_ERROR_LINES` of them. */
export function writePointErrors(io: CliIo, points: readonly SweepPoint[]): void {
  const lines = pointErrorLines(points);
  for (const line of lines.slice(0, POINT_ERROR_LINES)) io.err.write(`  ${line}\n`);
  if (lines.length > POINT_ERROR_LINES) io.err.write(`  and ${lines.length - POINT_ERROR_LINES} more\n`);
}

/** Every point of the grid over the file's data as read (its own text, not the validated scenario, so defaults are filled per point). */
export function makePoints(target: string, axes: readonly VaryAxis[]): SweepPoint[] {
  const source = readScenarioSource(target);
  if (!source.ok) throw new Error(source.message); // loadScenario has just read it
  const data = parseDataText(source.text, 'scenario', (value) => ({ ok: true, value }));
  if (!data.ok || !parseScenarioText(source.text).ok) throw new Error('the scenario changed while it was read');
  return gridPoints(axes).map((values) => makePoint(data.value, values));
}
