/**
 * Compare mode's second pane: a scenario (bundled, or opened from a file)
 * run and drawn beside the first, following its simulated time: the
 * second cursor stands after the last record at or before the first's
 * time. Past the first run's end the joint timeline goes on through this
 * run's later records (`recordsPast`, `follow`'s `beyond`), the first
 * holding at its end. Each pane is titled with its scenario and its time,
 * and a run that has ended while the other goes on says so. A run with a
 * cluster opens on its cluster view (its own switch under its canvas,
 * `cluster-mode.ts`). What stepping follows in the first run (a VM, or
 * its request by number) it follows in its own run (`setFollow`,
 * `followed`), its canvas shading the rest. The app reaches it through
 * `open`, `close`, `follow`, `recordsPast`, `stand`, `setFollow`, `draw`
 * and `state` only.
 */
import { formatNs } from '../engine/sim-time.js';
import type { LayoutOptions } from '../render/layout.js';
import { Scene } from '../render/scene.js';
import { formatErrors, parseScenarioText, runScenario, type Scenario, type ScenarioRun } from '../scenario/index.js';
import { ClusterMode } from './cluster-mode.js';
import { buildCheckpointsLater, Timeline } from './timeline.js';
import { streamsInOrder } from './run-records.js';
import { Follow, type FollowTarget } from './lesson/follow.js';
import { requestFlow } from './lesson/lesson-controller.js';
import { el } from './panels/dom.js';
import { PacketLegend, showPaths } from './panels/packet-legend.js';

/** What `window.hvsim.state().compare` reports. */
export interface ComparedState {
  scenario: string;
  cursor: number;
  total: number;
  timeNs: number;
  fingerprint: string;
  /** The view the pane shows: its cluster's (a run with a cluster opens on it) or its I/O. */
  view: 'cluster' | 'io';
  /** Whether this run stands at its end, which comes before the first run's: it holds there while the first goes on (its title says so). */
  ended: boolean;
}

interface Compared {
  name: string;
  text: string;
  run: ScenarioRun;
  timeline: Timeline;
  scene: Scene;
}

/** Where the first pane stands: `cursor` records shown, the last at `timeNs`, `atSameTime` of them at that time. */
export interface FirstStand {
  cursor: number;
  timeNs: number;
  atSameTime: number;
}

/** What a pane's title adds when its run has ended and holds there while the other goes on. */
export const ENDED_NOTE = ' · ended';

/** A pane title: the scenario, its record and its simulated time, and whether it has ended while the other goes on. */
export function paneTitle(name: string, cursor: number, total: number, timeNs: number, ended = false): string {
  return `${name} · record ${cursor} / ${total} · t = ${formatNs(timeNs)}${ended ? ENDED_NOTE : ''}`;
}

/** The tooltip of a pane whose run has ended: where, and that it waits for the other. */
export function endedTooltip(name: string, timeNs: number): string {
  return `${name} ended at ${formatNs(timeNs)}; it holds there while the other run goes on`;
}

export class ComparePane {
  private compared: Compared | null = null;
  /** Whether the compared run stood at an end before the first run's, at the last `follow`. */
  private ended = false;
  /** The compared run's own packet legend, under its canvas: its colours name its VMs, not the first pane's. */
  private readonly legend: PacketLegend;
  /** The compared run's cluster view over its canvas, switched under it. */
  readonly cluster: ClusterMode;
  /** Where the cluster view's switches go (hidden for a run without a cluster). */
  private readonly switches: HTMLElement;
  /** What stepping follows (null: every record), and its records in this run (null: none here, or nothing followed). */
  private followTarget: FollowTarget | null = null;
  private followedHere: Follow | null = null;

  constructor(
    /** The pane (title and canvas host), hidden while compare mode is off. */
    private readonly pane: HTMLElement,
    private readonly title: HTMLElement,
    private readonly canvas: HTMLElement,
    private readonly renderer: 'webgl' | 'canvas',
    private readonly recordLimit: number,
    /** The smallest text the pane must draw, in px (the projector view's floor), or null. */
    textFloor: () => number | null,
  ) {
    // Under the canvas, one row: the pane's own view switches (a cluster's), then its packet legend. Not beside the
    // title, whose length changes as the cursor moves: a row that wrapped with it would resize the canvas while playing.
    this.switches = el('div', { class: 'pane-switches' });
    const switches = this.switches;
    const host = el('div', { class: 'legend compare-legend' });
    canvas.after(el('div', { class: 'pane-foot' }, switches, host));
    this.legend = new PacketLegend(host);
    // Made after the foot, so that its caption (the I/O view's host and VMs) sits between the canvas and the foot, as the first pane's does.
    this.cluster = new ClusterMode(switches, canvas, renderer, (vms) => this.compared?.scene.setElsewhere(vms), textFloor, 'compare');
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
   * (the pane stays as it was) or the run and its scenario.
   */
  async load(text: string, fileName: string, name: string, options: { reducedMotion: boolean; layout: LayoutOptions }): Promise<{ errors: string[] } | { run: ScenarioRun; scenario: Scenario }> {
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
    // A cluster's run is about its hosts, migrations and failovers (its I/O view may hold no I/O at all): it opens on them.
    this.cluster.setRun(run.store!);
    this.switches.hidden = !this.cluster.present;
    if (this.cluster.present) this.cluster.toggle(true);
    this.setFollow(this.followTarget);
    return { run, scenario: parsed.scenario };
  }

  close(): void {
    this.compared?.scene.destroy();
    this.compared = null;
    this.followedHere = null;
    this.ended = false;
    this.reveal(false);
  }

  /**
   * The compared cursor that stands with the first pane's: the records
   * before `timeNs`, then as many of those at `timeNs` as the first pane
   * shows (`atSameTime`), so that two runs alike stand on the same record,
   * not on the last of a time's records against one in its middle.
   */
  private cursorWith(timeline: Timeline, cursor: number, timeNs: number, atSameTime: number): number {
    if (cursor === 0) return 0;
    return Math.min(timeline.cursorAtTime(timeNs), timeline.cursorAtTime(timeNs - 1) + atSameTime);
  }

  /**
   * The records this run holds past where it stands when the first run is
   * at its end (`end`): how far the joint timeline goes on after the
   * first run's end (0 when this run ends first or with it).
   */
  recordsPast(end: FirstStand): number {
    const c = this.compared;
    if (c === null) return 0;
    return c.timeline.total - this.cursorWith(c.timeline, end.cursor, end.timeNs, end.atSameTime);
  }

  /** What the compared record `beyond` records past the first run's end (`end`) took: its cost and wait, for its hold while playing. */
  recordNsPast(end: FirstStand, beyond: number): number {
    const c = this.compared;
    if (c === null) return 0;
    const i = this.cursorWith(c.timeline, end.cursor, end.timeNs, end.atSameTime) + beyond - 1;
    const store = c.timeline.records;
    return i < 0 || i >= store.length ? 0 : store.costNsAt(i) + store.waitNsAt(i);
  }

  /**
   * Moves the compared cursor to the first pane's simulated time (before
   * any record when `cursor` is 0), then `beyond` records on (past the
   * first run's end), and retitles the pane: `cursor` records shown in the
   * first pane, the last at `timeNs`, `atSameTime` of them at that time;
   * `firstEndNs`: when the first run ends, so that this one, at an end
   * that comes before it, says it holds there.
   */
  follow(cursor: number, timeNs: number, atSameTime = Infinity, beyond = 0, firstEndNs = 0): void {
    const c = this.compared;
    if (c === null) return;
    c.timeline.seek(this.cursorWith(c.timeline, cursor, timeNs, atSameTime) + beyond);
    const v = c.timeline.view;
    this.ended = v.cursor === c.timeline.total && v.timeNs < firstEndNs;
    const text = paneTitle(c.name, v.cursor, c.timeline.total, v.timeNs, this.ended);
    if (this.title.textContent !== text) {
      this.title.textContent = text;
      this.title.title = this.ended ? endedTooltip(c.name, v.timeNs) : text;
    }
    this.cluster.show(v.cursor);
  }

  /**
   * Follows `target` in this run as stepping follows it in the first: the
   * same VM's records, or its request of the same number (a request's
   * flow is its own run's); the canvas shades the rest. A VM or request
   * this run does not hold has no records here, and the canvas shades all.
   */
  setFollow(target: FollowTarget | null): void {
    this.followTarget = target;
    const c = this.compared;
    this.followedHere = null;
    if (c === null) return;
    let flow: number | undefined;
    if (target !== null && target.request !== undefined) flow = requestFlow(c.run, target.vm, target.request);
    const here = target === null || (target.flow !== undefined && flow === undefined) ? null : { vm: target.vm, ...(flow === undefined ? {} : { request: target.request, flow }) };
    this.followedHere = here === null ? null : new Follow(here, c.run.store!, c.run.output.topology.places);
    c.scene.setFollowed(target === null ? null : (this.followedHere ?? { target, followsPacket: () => false }));
  }

  /** This run's records of what stepping follows (null: nothing followed, or none of it here). */
  get followed(): Follow | null {
    return this.followedHere;
  }

  /** The compared run's records shown, of `total` (0 of 0 while closed). */
  get stand(): { cursor: number; total: number } {
    const c = this.compared;
    return c === null ? { cursor: 0, total: 0 } : { cursor: c.timeline.cursor, total: c.timeline.total };
  }

  /** The simulated time (ns) the compared cursor stands at. */
  get timeNs(): number {
    return this.compared?.timeline.view.timeNs ?? 0;
  }

  draw(progress: number): void {
    const c = this.compared;
    if (c !== null) c.scene.draw(c.timeline.view, progress);
  }

  state(): ComparedState | null {
    const c = this.compared;
    if (c === null) return null;
    return {
      scenario: c.name,
      cursor: c.timeline.cursor,
      total: c.timeline.total,
      timeNs: c.timeline.view.timeNs,
      fingerprint: c.run.fingerprint,
      view: this.cluster.state().on ? 'cluster' : 'io',
      ended: this.ended,
    };
  }
}
