/**
 * Compare mode's second pane: a scenario (bundled, or opened from a file)
 * run and drawn beside the first, following its simulated time: the
 * second cursor stands after the last record at or before the first's
 * time. Each pane is titled with its scenario and its time. The app
 * reaches it through `open`, `close`, `follow`, `draw` and `state` only.
 */
import { formatNs } from '../engine/sim-time.js';
import type { LayoutOptions } from '../render/layout.js';
import { Scene } from '../render/scene.js';
import { formatErrors, parseScenarioText, runScenario, type ScenarioRun } from '../scenario/index.js';
import { buildCheckpointsLater, Timeline } from './timeline.js';
import { streamsInOrder } from './run-records.js';
import { el } from './panels/dom.js';
import { PacketLegend, showPaths } from './panels/packet-legend.js';

export interface ComparedState {
  scenario: string;
  cursor: number;
  total: number;
  timeNs: number;
  fingerprint: string;
}

interface Compared {
  name: string;
  text: string;
  run: ScenarioRun;
  timeline: Timeline;
  scene: Scene;
}

/** A pane title: the scenario, its record and its simulated time. */
export function paneTitle(name: string, cursor: number, total: number, timeNs: number): string {
  return `${name} · record ${cursor} / ${total} · t = ${formatNs(timeNs)}`;
}

export class ComparePane {
  private compared: Compared | null = null;
  /** The compared run's own packet legend, under its canvas: its colours name its VMs, not the first pane's. */
  private readonly legend: PacketLegend;

  constructor(
    /** The pane (title and canvas host), hidden while compare mode is off. */
    private readonly pane: HTMLElement,
    private readonly title: HTMLElement,
    private readonly canvas: HTMLElement,
    private readonly renderer: 'webgl' | 'canvas',
    private readonly recordLimit: number,
  ) {
    const host = el('div', { class: 'legend compare-legend' });
    canvas.after(host);
    this.legend = new PacketLegend(host);
  }

  get open(): boolean {
    return this.compared !== null;
  }

  get scene(): Scene | null {
    return this.compared?.scene ?? null;
  }

  /** The compared scenario's text and name (for links), or null. */
  get source(): { name: string; text: string } | null {
    return this.compared === null ? null : { name: this.compared.name, text: this.compared.text };
  }

  get run(): ScenarioRun | null {
    return this.compared?.run ?? null;
  }

  /** Shows the pane (so it has a size) before a scene is made in it. */
  reveal(shown: boolean): void {
    this.pane.hidden = !shown;
  }

  /**
   * Validates, runs and draws `text` in the pane. Returns error lines
   * (the pane stays as it was) or the run.
   */
  async load(text: string, fileName: string, name: string, options: { reducedMotion: boolean; layout: LayoutOptions }): Promise<{ errors: string[] } | { run: ScenarioRun }> {
    const parsed = parseScenarioText(text, fileName);
    if (!parsed.ok) return { errors: formatErrors(parsed.errors, fileName).map((l) => `compare: ${l}`) };
    let run: ScenarioRun;
    try {
      run = runScenario(parsed.scenario, { recordLimit: this.recordLimit, keepRecords: 'columns' });
    } catch (e) {
      return { errors: [`compare ${fileName}: the run could not finish: ${(e as Error).message}`] };
    }
    this.close();
    this.reveal(true);
    const box = this.canvas.getBoundingClientRect();
    const scene = await Scene.create(this.canvas, run.output.topology, {
      renderer: this.renderer,
      width: Math.max(320, Math.round(box.width)),
      height: Math.max(240, Math.round(box.height)),
      reducedMotion: options.reducedMotion,
      layout: options.layout,
    });
    scene.streamColours(streamsInOrder(run.store!));
    showPaths(this.legend, run.paths, scene.streamColours(run.paths.map((p) => p.stream)), scene.vmTags);
    const timeline = new Timeline(run.store!);
    this.compared = { name, text, run, timeline, scene };
    buildCheckpointsLater(timeline, () => this.compared?.timeline === timeline);
    return { run };
  }

  close(): void {
    this.compared?.scene.destroy();
    this.compared = null;
    this.reveal(false);
  }

  /**
   * Moves the compared cursor to the first pane's simulated time (before
   * any record when `cursor` is 0) and retitles the pane: `cursor` records
   * shown there, the last at `timeNs`, `atSameTime` of them at that time.
   */
  follow(cursor: number, timeNs: number, atSameTime = Infinity): void {
    const c = this.compared;
    if (c === null) return;
    // The records before `timeNs`, then as many of those at `timeNs` as the first pane shows (`atSameTime`), so that
    // two runs alike stand on the same record, not on the last of a time's records against one in its middle.
    const before = c.timeline.cursorAtTime(timeNs - 1);
    c.timeline.seek(cursor === 0 ? 0 : Math.min(c.timeline.cursorAtTime(timeNs), before + atSameTime));
    const v = c.timeline.view;
    const text = paneTitle(c.name, v.cursor, c.timeline.total, v.timeNs);
    if (this.title.textContent !== text) this.title.textContent = text;
  }

  draw(progress: number): void {
    const c = this.compared;
    if (c !== null) c.scene.draw(c.timeline.view, progress);
  }

  state(): ComparedState | null {
    const c = this.compared;
    if (c === null) return null;
    return { scenario: c.name, cursor: c.timeline.cursor, total: c.timeline.total, timeNs: c.timeline.view.timeNs, fingerprint: c.run.fingerprint };
  }
}
