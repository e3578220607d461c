/**
 * Sweeps and replications in the app, as one feature beside the shell.
 * It opens `hvsim sweep --json` output (Open file…, or
 * `window.hvsim.sweep.openText`) and plots it (and `hvsim run
 * --replications N --json` output, as one point with its intervals); for a loaded scenario with a
 * `sweep` block it offers to run the grid in the page and plots that; and
 * when the block asks for replications it runs the scenario's own
 * replications in the background and hands their intervals to the app
 * (`onReplicated`), which shows ± in the comparison strip. Compare mode's
 * scenario gets the same: when its block asks for replications they run in
 * the background too, by the same code, and their intervals go to the app
 * for the compared run's rows (`onComparedReplicated`). The app tells it
 * when a scenario is loaded or compared; nothing else of it reaches into
 * the app.
 */
import { bundledScenario, type ReplicatedPath, type Scenario } from '../../scenario/index.js';
import { isSweepText, parseSweepText, type SweepData } from './sweep-data.js';
import { runReplications, runSweepBlock, type RunControl } from './sweep-runner.js';
import { SweepView, type SweepViewState } from './sweep-view.js';

export { isSweepText } from './sweep-data.js';
export type { SweepViewState } from './sweep-view.js';

/** What the feature needs of the app. */
export interface SweepHost {
  /** The loaded scenario's replications are done (`paths` with `ci95`), or there are none (null). */
  onReplicated(replications: number, paths: ReplicatedPath[] | null): void;
  /** Compare mode's scenario's replications are done (`paths` with `ci95`), or it has none or compare mode closed (null). */
  onComparedReplicated?(replications: number, paths: ReplicatedPath[] | null): void;
  /** A short notice over the run (it fades). */
  say(text: string): void;
  /** The canvas's colour of each stream as CSS, or null (no run on screen): the sweep's lines take their packets' colours. */
  streamColours?(streams: readonly string[]): string[] | null;
  /** Shows errors in the app's message box. */
  showErrors(lines: string[], title: string): void;
}

/** `window.hvsim.sweep`. */
export interface SweepApi {
  state(): SweepViewState;
  /** Opens `hvsim sweep --json` (or `hvsim run --replications N --json`) output; false (and the errors shown) if it is not one. */
  openText(text: string, fileName?: string): boolean;
  /** Runs the loaded scenario's sweep block; resolves when it is plotted (or failed). */
  run(): Promise<SweepViewState>;
  /** Picks the plotted figure (a metric name such as `perIo.ringSignalsToHost`) and the field on the x axis. */
  choose(figure?: string, axis?: string): SweepViewState;
  /** Resolves when the background replications (the loaded scenario's, and compare mode's) have ended (at once if there are none). */
  replicationsDone(): Promise<void>;
}

export class SweepFeature {
  private readonly view: SweepView;
  private scenario: { text: string; scenario: Scenario } | null = null;
  /** The scenario on screen, whatever it carries: a sweep file of the same name may have run it. */
  private shown: Scenario | null = null;
  private sweepJob: RunControl | null = null;
  private replicationJob: RunControl | null = null;
  private replicating: Promise<void> = Promise.resolve();
  /** Compare mode's scenario's replications, apart from the loaded one's: either may be replaced without the other. */
  private comparedJob: RunControl | null = null;
  private comparedReplicating: Promise<void> = Promise.resolve();

  constructor(host: HTMLElement, private readonly app: SweepHost) {
    this.view = new SweepView(host, () => void this.run(), (streams) => this.app.streamColours?.(streams) ?? null);
  }

  /** Whether `text` is sweep output rather than a scenario or lesson. */
  static isSweepText(text: string): boolean {
    return isSweepText(text);
  }

  /** Opens sweep output (`hvsim sweep --json`) and plots it; the run on screen stays. */
  openText(text: string, fileName: string): boolean {
    const parsed = parseSweepText(text);
    if (!parsed.ok) {
      this.app.showErrors(parsed.errors.map((e) => `${fileName}: ${e}`), `${fileName} is not a sweep hvsim can read:`);
      return false;
    }
    const { data } = parsed;
    const runs = data.replications === undefined ? 'one run per point' : `${data.replications} runs per point, bars the 95 % interval`;
    this.view.show('', false);
    if (data.vary.length === 0) this.view.setData(data, `${fileName}: ${data.scenario} over ${data.replications ?? 1} replications: each path's figure is the mean of the runs, its bar the 95 % interval.`);
    else this.view.setData(data, `${fileName}: the sweep of ${data.scenario}, ${data.points.length} point${data.points.length === 1 ? '' : 's'} (${runs}).`, this.scenarioOf(data));
    this.view.reveal();
    return true;
  }

  /**
   * The scenario a sweep file ran, as far as the page can tell, to name the
   * list items its fields are in: the run on screen, else the bundled
   * scenario, of the file's scenario name, when its workloads and traffic
   * are the sweep's paths (a file may give its own VMs a bundled name).
   * Null when neither is: the fields are then named by index only.
   */
  private scenarioOf(data: SweepData): unknown {
    const bundled = bundledScenario(data.scenario);
    // A bundled scenario's text is its file's JSON as shipped (`bundled.ts`).
    const candidates: unknown[] = [this.shown?.name === data.scenario ? this.shown : null, bundled === undefined ? null : JSON.parse(bundled.text)];
    return candidates.find((s) => s !== null && pathsAreStreams(s, data)) ?? null;
  }

  /** A scenario was loaded: offer its sweep block, start its replications, or hide the panel. */
  scenarioLoaded(text: string, scenario: Scenario): void {
    this.shown = scenario;
    if (this.sweepJob !== null) this.sweepJob.cancelled = true;
    if (this.replicationJob !== null) this.replicationJob.cancelled = true;
    this.sweepJob = null;
    this.app.onReplicated(0, null);
    const block = scenario.sweep;
    if (block === undefined) {
      this.scenario = null;
      this.view.hide();
      return;
    }
    this.scenario = { text, scenario };
    this.view.hide();
    const fields = (block.vary ?? []).map((axis) => `${axis.field} (${axis.values.length} values)`);
    const points = (block.vary ?? []).reduce((n, axis) => n * axis.values.length, 1);
    const runs = block.replications === undefined ? '' : `, ${block.replications} runs each`;
    this.view.show(fields.length === 0 ? `${scenario.name} asks for ${block.replications} replications.` : `${scenario.name} sweeps ${fields.join(' × ')}: ${points} points${runs}. Run the sweep to plot them (one run at a time; the page answers between runs).`, fields.length > 0);
    if (block.replications !== undefined) this.startReplications(scenario, block.replications);
    // The panel is below the run (off screen at 1366×768): say where it is.
    this.app.say(fields.length === 0 ? `${scenario.name} runs ${block.replications} replications in the background: the Sweep panel below the run says when Paths compared has its ± figures.` : `${scenario.name} has a sweep of ${points} points: run and plot it in the Sweep panel below the run.`);
  }

  /**
   * Compare mode shows `scenario` beside the loaded one (null: compare mode
   * closed): its replications, when its sweep block asks for them, run in
   * the background (seeds seed … seed+N−1, as the loaded scenario's) and
   * their intervals go to `onComparedReplicated`.
   */
  comparedLoaded(scenario: Scenario | null): void {
    if (this.comparedJob !== null) this.comparedJob.cancelled = true;
    this.comparedJob = null;
    this.app.onComparedReplicated?.(0, null);
    const replications = scenario?.sweep?.replications;
    if (scenario === null || replications === undefined) {
      this.comparedReplicating = Promise.resolve();
      return;
    }
    const control: RunControl = { cancelled: false };
    this.comparedJob = control;
    this.app.say(`The compared ${scenario.name} runs ${replications} replications in the background: Paths compared adds its ± figures when they are done.`);
    this.comparedReplicating = runReplications(scenario, replications, control).then((ran) => {
      if (control.cancelled || ran === null) return;
      this.app.onComparedReplicated?.(replications, ran.paths);
      if (ran.losses.length > 0) this.app.showErrors(ran.losses, `Replications of the compared ${scenario.name} that hit their limits or did not finish (their figures are in the means all the same):`);
    });
  }

  private startReplications(scenario: Scenario, replications: number): void {
    const control: RunControl = { cancelled: false, onProgress: (done, total) => this.view.setStatus(`Replications of ${scenario.name}: ${done} of ${total} runs…`) };
    this.replicationJob = control;
    const base = this.view.state().status;
    this.replicating = runReplications(scenario, replications, control).then((ran) => {
      if (control.cancelled || ran === null) return;
      this.app.onReplicated(replications, ran.paths);
      if (ran.losses.length > 0) this.app.showErrors(ran.losses, `Replications of ${scenario.name} that hit their limits or did not finish (their figures are in the means all the same):`);
      this.view.setStatus(`${base} Paths compared shows each figure's mean ± half its 95 % interval over ${replications} runs (seeds ${scenario.seed}..${scenario.seed + replications - 1}).`);
    });
  }

  /** Runs the loaded scenario's sweep block and plots it. */
  async run(): Promise<void> {
    const loaded = this.scenario;
    if (loaded === null || loaded.scenario.sweep?.vary === undefined) return;
    if (this.sweepJob !== null) this.sweepJob.cancelled = true;
    const control: RunControl = { cancelled: false, onProgress: (done, total) => this.view.setStatus(`Running the sweep: ${done} of ${total} runs…`) };
    this.sweepJob = control;
    const outcome = await runSweepBlock(loaded.text, loaded.scenario, control);
    if (control.cancelled || this.sweepJob !== control) return;
    this.sweepJob = null;
    if (outcome.ok) {
      const { data } = outcome;
      const lost = outcome.losses.length === 0 ? '' : ` ${outcome.losses.length} run${outcome.losses.length === 1 ? '' : 's'} hit their limits or did not finish: see the message.`;
      this.view.setData(data, `The sweep of ${data.scenario}: ${data.points.length} points${data.replications === undefined ? '' : `, ${data.replications} runs each (bars: the 95 % interval)`}.${lost}`, loaded.scenario);
      if (outcome.losses.length > 0) this.app.showErrors(outcome.losses, 'Points of the sweep that hit their limits or did not finish (plotted all the same):');
    } else if ('errors' in outcome) {
      this.view.setStatus('The sweep cannot run: a point is not a valid scenario.');
      this.app.showErrors(outcome.errors, 'The sweep cannot run:');
    }
  }

  api(): SweepApi {
    return {
      state: () => this.view.state(),
      openText: (text, fileName = 'sweep.json') => this.openText(text, fileName),
      run: async () => {
        await this.run();
        return this.view.state();
      },
      choose: (figure, axis) => {
        this.view.choose(figure, axis);
        return this.view.state();
      },
      replicationsDone: () => Promise.all([this.replicating, this.comparedReplicating]).then(() => undefined),
    };
  }
}

/** Whether every path of `data`'s points is a workload (`vm/disk`) or traffic (`vm/nic`) of `scenario`, as a run names its streams. */
function pathsAreStreams(scenario: unknown, data: SweepData): boolean {
  const list = (key: string): Record<string, unknown>[] => {
    const items = (scenario as Record<string, unknown>)[key];
    return Array.isArray(items) ? items.filter((i): i is Record<string, unknown> => i !== null && typeof i === 'object') : [];
  };
  const streams = new Set([...list('workloads').map((w) => `${String(w['vm'])}/${String(w['disk'])}`), ...list('traffic').map((t) => `${String(t['vm'])}/${String(t['nic'])}`)]);
  return data.points.every((point) => point.paths.every((path) => streams.has(`${path.vm}/${path.disk}`)));
}
