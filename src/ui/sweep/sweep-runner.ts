/**
 * Runs a scenario's `sweep` block in the page: every point of the grid
 * (made and validated by the same `makePoint` as `hvsim sweep`), each
 * point's replications with seeds seed … seed+N−1, without keeping
 * records, one run at a time with a yield to the page between runs so it
 * stays responsive and can be cancelled. A point's figures are the ones
 * `hvsim sweep --json` gives for it, and a run that hit its limits or left
 * requests or actions unfinished is named by its point and seed, as
 * `hvsim sweep` names it on stderr. No DOM.
 */
import type { PathMetrics } from '../../metrics/index.js';
import {
  actionsUnfinishedMessage,
  axesAsHeld,
  gridPoints,
  hitLimits,
  leftUnfinished,
  makePoint,
  parseDataText,
  pointErrorLines,
  pointLabel,
  replicatePaths,
  runScenario,
  unfinishedMessage,
  type PointValues,
  type ReplicatedPath,
  type Scenario,
  type ScenarioRun,
  type SweepPoint,
} from '../../scenario/index.js';
import type { SweepData, SweepPath } from './sweep-data.js';

/** Lets a long run of runs be stopped between two runs. */
export interface RunControl {
  cancelled: boolean;
  onProgress?(done: number, total: number): void;
}

/** The outcome: the data with a line for each run that lost something (`runLoss`), the points' errors (nothing ran), or cancelled. */
export type SweepOutcome = { ok: true; data: SweepData; losses: string[] } | { ok: false; errors: string[] } | { ok: false; cancelled: true };

/** What a run did not finish, in the words `hvsim sweep` uses on stderr (its headline), or null when it finished everything. */
function runLoss(run: ScenarioRun): string | null {
  if (leftUnfinished(run)) return unfinishedMessage(run, 0)[0] ?? null;
  if (hitLimits(run)) return `the run stopped (${run.output.stop}) with ${run.output.completed.toLocaleString('en-US')} of ${run.requested.toLocaleString('en-US')} requests completed`;
  return actionsUnfinishedMessage(run)[0] ?? null;
}

const yieldToPage = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Each point's runs, in order: its paths (replicated when `replications` is set), and a line per run that lost something. */
async function runPoints(points: readonly { values: PointValues; scenario: Scenario }[], replications: number | undefined, control: RunControl): Promise<{ points: SweepData['points']; losses: string[] } | null> {
  const perPoint = replications ?? 1;
  const total = points.length * perPoint;
  let done = 0;
  const out: SweepData['points'] = [];
  const losses: string[] = [];
  for (const point of points) {
    const runs: PathMetrics[][] = [];
    for (let r = 0; r < perPoint; r++) {
      await yieldToPage();
      if (control.cancelled) return null;
      const seed = replications === undefined ? undefined : point.scenario.seed + r;
      const run = runScenario(point.scenario, { seed, keepRecords: false });
      const loss = runLoss(run);
      const where = Object.keys(point.values).length === 0 ? '' : `point ${pointLabel(point.values)} `;
      if (loss !== null) losses.push(`${where}seed ${seed ?? point.scenario.seed}: ${loss}`);
      runs.push(run.paths);
      control.onProgress?.(++done, total);
    }
    const paths: (PathMetrics | ReplicatedPath)[] = replications === undefined ? runs[0]! : replicatePaths(runs);
    out.push({ values: point.values, paths: paths as unknown as SweepPath[] });
  }
  return { points: out, losses };
}

/**
 * The sweep of `scenario`'s `sweep` block over the file `text` it was read
 * from (the points are made from the file's data as written).
 */
export async function runSweepBlock(text: string, scenario: Scenario, control: RunControl): Promise<SweepOutcome> {
  const axes = scenario.sweep?.vary ?? [];
  const data = parseDataText(text, 'scenario', (value) => ({ ok: true, value }));
  if (!data.ok || axes.length === 0) return { ok: false, errors: ['the scenario has no varied fields (sweep.vary)'] };
  const points: SweepPoint[] = gridPoints(axes).map((values) => makePoint(data.value, values));
  const errors = pointErrorLines(points);
  if (errors.length > 0) return { ok: false, errors };
  const ran = await runPoints(points as Extract<SweepPoint, { ok: true }>[], scenario.sweep?.replications, control);
  if (ran === null) return { ok: false, cancelled: true };
  return { ok: true, data: { scenario: scenario.name, vary: axesAsHeld(axes, points), ...(scenario.sweep?.replications === undefined ? {} : { replications: scenario.sweep.replications }), points: ran.points }, losses: ran.losses };
}

/** The scenario itself run `replications` times (seeds seed …): its paths with `ci95` and a line per run that lost something, or null when cancelled. */
export async function runReplications(scenario: Scenario, replications: number, control: RunControl): Promise<{ paths: ReplicatedPath[]; losses: string[] } | null> {
  const ran = await runPoints([{ values: {}, scenario }], replications, control);
  return ran === null ? null : { paths: ran.points[0]!.paths as unknown as ReplicatedPath[], losses: ran.losses };
}
