/**
 * The classroom app: loads a scenario, runs it (the same `runScenario` the
 * CLI uses), and lets students step, scrub and play through its trace on
 * the canvas with the panels in step. It owns the timeline store and the
 * playback clock; the scene and the panels only read what it hands them.
 * A bad scenario shows its errors and leaves the last good run in place.
 */
import { formatNs } from '../engine/sim-time.js';
import type { Topology } from '../model/topology.js';
import type { HvRecord } from '../model/trace-events.js';
import { holdMs } from '../render/clock.js';
import { Scene } from '../render/scene.js';
import { BUNDLED_SCENARIOS, bundledScenario, formatErrors, hitLimits, leftUnfinished, parseScenarioText, runScenario, unfinishedMessage, type Scenario, type ScenarioRun } from '../scenario/index.js';
import { latenciesByStream } from '../metrics/index.js';
import { ACTIONS, type ActionTarget } from './actions.js';
import { Controls, type UntilKind } from './controls.js';
import { ClaimsPanel } from './panels/claims.js';
import { EventList } from './panels/event-list.js';
import { HelpOverlay } from './panels/help-overlay.js';
import { Inspector } from './panels/inspector.js';
import { Narrator } from './panels/narrator.js';
import { PathCharts } from './panels/path-charts.js';
import { ScenarioPicker } from './panels/scenario-picker.js';
import { Playback } from './playback.js';
import { encodeScenarioLink } from './scenario-link.js';
import { Timeline } from './timeline.js';

/** The most records the app keeps for one run (a run past it is refused with a message). */
export const APP_RECORD_LIMIT = 3_000_000;

/** Where the app mounts its parts. */
export interface AppHosts {
  picker: HTMLElement;
  canvas: HTMLElement;
  /** The second canvas of compare mode (hidden until used). */
  compare: HTMLElement;
  controls: HTMLElement;
  inspector: HTMLElement;
  narrator: HTMLElement;
  events: HTMLElement;
  charts: HTMLElement;
  help: HTMLElement;
}

/** What `window.hvsim.state()` reports. */
export interface AppState {
  scenario: string;
  seed: number;
  profile: string;
  cursor: number;
  total: number;
  timeNs: number;
  inFlight: number;
  completed: number;
  fingerprint: string;
  renderer: string;
  playing: boolean;
  errors: string[];
  /** The scenario's claims: held or not, on this run's figures. */
  claims: { text: string; holds: boolean }[];
  /** The scenario in compare mode, following the same simulated time, or null. */
  compare: { scenario: string; cursor: number; total: number; timeNs: number; fingerprint: string } | null;
}

/** A second run shown beside the first, in lockstep on simulated time. */
interface Compared {
  name: string;
  run: ScenarioRun;
  timeline: Timeline;
  scene: Scene;
}

interface Loaded {
  name: string;
  text: string;
  scenario: Scenario;
  run: ScenarioRun;
  timeline: Timeline;
  topology: Topology;
}

/**
 * What to tell the trainer about a finished run, under a heading: every
 * request it left unfinished (the same lines `hvsim run` prints on
 * stderr), or that it stopped at a limit; no lines when it ran to the end.
 */
function runWarnings(run: ScenarioRun, fileName: string): { title: string; lines: string[] } {
  if (leftUnfinished(run)) {
    const [headline, ...lines] = unfinishedMessage(run);
    return { title: 'The run did not finish every request (the run stays on screen):', lines: [`${fileName}: ${headline}`, ...lines] };
  }
  const lines = hitLimits(run) ? [`${fileName}: the run stopped at its limit (${run.output.stop}) with ${run.output.completed} of ${run.requested} requests done`] : [];
  return { title: 'The run stopped at its limit:', lines };
}

export class App implements ActionTarget {
  private loaded: Loaded | null = null;
  private scene: Scene | null = null;
  private compared: Compared | null = null;
  private readonly playback = new Playback();
  private readonly controls: Controls;
  private readonly picker: ScenarioPicker;
  private readonly events: EventList;
  private readonly inspector: Inspector;
  private readonly narrator: Narrator;
  private readonly charts: PathCharts;
  private readonly claims: ClaimsPanel;
  private readonly help: HelpOverlay;
  private errors: string[] = [];
  private lastFrameMs = -1;
  private readonly reducedMotion: boolean;

  constructor(
    private readonly hosts: AppHosts,
    private readonly renderer: 'webgl' | 'canvas',
  ) {
    this.reducedMotion = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.picker = new ScenarioPicker(hosts.picker, {
      bundled: BUNDLED_SCENARIOS.map((s) => ({ name: s.name, text: s.text })),
      onLoadText: (text, fileName) => void this.loadText(text, fileName),
      onLoadBundled: (name) => void this.load(name),
    });
    this.controls = new Controls(hosts.controls, {
      start: () => this.seek(0),
      back: () => this.stepBack(1),
      togglePlay: () => this.togglePlay(),
      step: () => this.stepForward(1),
      end: () => this.end(),
      seek: (i) => this.seek(i),
      setSpeed: (v) => (this.playback.speed = v),
      runUntil: (kind, value) => this.runUntil(kind, value),
      copyLink: () => void this.copyLink(),
      compare: (name) => void this.compare(name === '' ? null : name),
    }, BUNDLED_SCENARIOS.map((s) => s.name));
    this.inspector = new Inspector(hosts.inspector);
    this.narrator = new Narrator(hosts.narrator);
    this.events = new EventList(hosts.events, { onJump: (i) => this.seek(i) });
    this.claims = new ClaimsPanel(hosts.charts);
    this.charts = new PathCharts(hosts.charts);
    this.help = new HelpOverlay(hosts.help, ACTIONS.map((a) => ({ keys: a.keys, action: a.label })));
    document.addEventListener('keydown', (e) => this.onKey(e));
    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        this.fitScene();
        this.draw();
      }, 250);
    });
  }

  /** Loads a bundled scenario by name, or scenario text. Returns false (keeping the last good run) on error. */
  async load(nameOrScenario: string | object): Promise<boolean> {
    if (typeof nameOrScenario === 'object') return this.loadText(JSON.stringify(nameOrScenario), 'scenario.json');
    const bundled = bundledScenario(nameOrScenario);
    if (bundled === undefined) {
      this.fail([`there is no bundled scenario '${nameOrScenario}'; choose one of: ${BUNDLED_SCENARIOS.map((s) => s.name).join(', ')}`]);
      return false;
    }
    return this.loadText(bundled.text, `${bundled.name}.json`, bundled.name);
  }

  /** Validates, runs and shows scenario text. */
  async loadText(text: string, fileName: string, name?: string): Promise<boolean> {
    const parsed = parseScenarioText(text, fileName);
    if (!parsed.ok) {
      this.fail(formatErrors(parsed.errors, fileName));
      return false;
    }
    let run: ScenarioRun;
    try {
      run = runScenario(parsed.scenario, { recordLimit: APP_RECORD_LIMIT });
    } catch (e) {
      this.fail([`${fileName}: the run could not finish: ${(e as Error).message}`]);
      return false;
    }
    const { title, lines: warnings } = runWarnings(run, fileName);
    const timeline = new Timeline(run.records);
    const topology = run.output.topology;
    const previous = this.scene;
    let scene: Scene;
    try {
      const box = this.hosts.canvas.getBoundingClientRect();
      scene = await Scene.create(this.hosts.canvas, topology, {
        renderer: this.renderer,
        width: Math.max(640, Math.round(box.width)),
        height: Math.max(400, Math.round(box.height)),
        reducedMotion: this.reducedMotion,
      });
    } catch (e) {
      this.fail([`the canvas could not start: ${(e as Error).message}`]);
      return false;
    }
    previous?.destroy();
    this.scene = scene;
    this.loaded = { name: name ?? parsed.scenario.name, text, scenario: parsed.scenario, run, timeline, topology };
    this.errors = warnings;
    if (warnings.length > 0) this.picker.showErrors(warnings, title);
    else this.picker.clearErrors();
    this.picker.setDescription(parsed.scenario.name, parsed.scenario.description ?? '');
    if (name !== undefined) this.picker.setSelected(name);
    this.events.setRecords(run.records, topology);
    this.claims.setClaims(run.claims);
    this.charts.setData(run.paths, latenciesByStream(run.records), topology);
    this.controls.rendererLabel.textContent = `renderer: ${scene.rendererName} · fingerprint ${run.fingerprint}`;
    this.playback.playing = false;
    this.playback.begin(0);
    this.refresh();
    return true;
  }

  /** Shows messages (errors or notices) in the scenario bar without changing the run. */
  showMessage(lines: string[]): void {
    this.fail(lines);
  }

  private fail(lines: string[]): void {
    this.errors = lines;
    this.picker.showErrors(lines);
  }

  // --- Commands (ActionTarget) ---

  togglePlay(): void {
    if (this.loaded === null) return;
    if (!this.playback.playing && this.loaded.timeline.cursor >= this.loaded.timeline.total) this.seek(0);
    this.playback.playing ? this.pause() : this.play();
  }

  play(): void {
    if (this.loaded === null) return;
    this.playback.playing = true;
    this.playback.begin(this.holdOfCurrent());
    this.refresh();
  }

  pause(): void {
    this.playback.playing = false;
    this.playback.untilCursor = -1;
    this.refresh();
  }

  stepForward(n: number): void {
    if (this.loaded === null) return;
    this.loaded.timeline.step(n);
    this.playback.begin(this.reducedMotion ? 0 : Math.min(250, this.holdOfCurrent()));
    this.refresh();
  }

  stepBack(n: number): void {
    if (this.loaded === null) return;
    this.loaded.timeline.back(n);
    this.playback.begin(0);
    this.refresh();
  }

  seek(index: number): void {
    if (this.loaded === null) return;
    this.loaded.timeline.seek(index);
    this.playback.begin(0);
    this.refresh();
  }

  end(): void {
    if (this.loaded !== null) this.seek(this.loaded.timeline.total);
  }

  toggleHelp(): void {
    this.help.toggle();
  }

  nextOfSelectedKind(): void {
    const sel = this.controls.untilSelection;
    if (sel.kind === 'kind' && sel.value !== '') this.runUntil('kind', sel.value);
    else if (this.loaded !== null) {
      const last = this.loaded.timeline.view.last;
      if (last !== null) this.runUntil('kind', last.kind);
    }
  }

  /** Plays until a condition holds; the cursor then stands just after the matching record. */
  runUntil(kind: UntilKind, value: string): void {
    const l = this.loaded;
    if (l === null) return;
    const tl = l.timeline;
    let target = -1;
    if (kind === 'time') {
      const us = Number(value);
      if (!Number.isFinite(us) || us < 0) return this.fail([`run until: '${value}' is not a time in µs`]);
      target = tl.cursorAtTime(Math.round(us * 1000));
    } else if (kind === 'request') {
      const flow = Number(value);
      const i = tl.findNext(0, (r) => r.kind === 'io.request.completed' && r.flow === flow);
      if (i < 0) return this.fail([`run until: request ${value} never completes in this run`]);
      target = i + 1;
    } else {
      const test = kind === 'kind' ? (r: HvRecord) => r.kind === value : (r: HvRecord) => r.place === value;
      const i = tl.findNext(tl.cursor, test);
      if (i < 0) return this.fail([`run until: no ${kind} '${value}' after record ${tl.cursor}`]);
      target = i + 1;
    }
    if (target <= tl.cursor) {
      this.seek(target);
      return;
    }
    this.playback.untilCursor = target;
    this.play();
  }

  /**
   * Shows bundled scenario `name` beside the current one, following its
   * simulated time (the second cursor stands after the last record at or
   * before the first's time), or closes compare mode with null.
   */
  async compare(name: string | null): Promise<boolean> {
    this.compared?.scene.destroy();
    this.compared = null;
    this.hosts.compare.hidden = name === null;
    this.hosts.canvas.classList.toggle('half', name !== null);
    this.fitScene();
    if (name === null) {
      this.refresh();
      return true;
    }
    const bundled = bundledScenario(name);
    const parsed = bundled === undefined ? null : parseScenarioText(bundled.text, `${name}.json`);
    if (parsed === null || !parsed.ok) {
      this.fail([`compare: there is no valid bundled scenario '${name}'`]);
      this.hosts.compare.hidden = true;
      this.hosts.canvas.classList.remove('half');
      this.fitScene();
      return false;
    }
    const run = runScenario(parsed.scenario, { recordLimit: APP_RECORD_LIMIT });
    const box = this.hosts.compare.getBoundingClientRect();
    const scene = await Scene.create(this.hosts.compare, run.output.topology, {
      renderer: this.renderer,
      width: Math.max(640, Math.round(box.width)),
      height: Math.max(300, Math.round(box.height)),
      reducedMotion: this.reducedMotion,
    });
    this.compared = { name, run, timeline: new Timeline(run.records), scene };
    const warnings = runWarnings(run, `compare ${name}`);
    if (warnings.lines.length > 0) {
      this.errors = warnings.lines;
      this.picker.showErrors(warnings.lines, warnings.title);
    }
    this.refresh();
    return true;
  }

  /** Resizes the scenes to their hosts (a resize rebuilds the backdrop: ~0.5 s on software WebGL, so callers debounce). */
  fitScene(): void {
    for (const [scene, el] of [[this.scene, this.hosts.canvas], [this.compared?.scene ?? null, this.hosts.compare]] as const) {
      if (scene === null || el.hidden) continue;
      const box = el.getBoundingClientRect();
      const w = Math.max(640, Math.round(box.width));
      const h = Math.max(300, Math.round(box.height));
      if (w !== scene.currentLayout.width || h !== scene.currentLayout.height) scene.resize(w, h);
    }
  }

  private async copyLink(): Promise<void> {
    if (this.loaded === null) return;
    const hash = await encodeScenarioLink(this.loaded.text);
    const url = `${location.origin}${location.pathname}${hash}`;
    history.replaceState(null, '', hash);
    try {
      await navigator.clipboard.writeText(url);
      this.narrator.sayText('Link copied: it carries the whole scenario.');
    } catch {
      this.narrator.sayText(`Link: ${url}`);
    }
  }

  private onKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement | null;
    if (target !== null && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
    if (this.help.isOpen && e.key !== '?' && e.key !== 'Escape') return;
    const action = ACTIONS.find((a) => a.matches(e));
    if (action === undefined) return;
    e.preventDefault();
    action.perform(this);
  }

  // --- Frame loop ---

  /** The hold (ms) of the record the cursor stands on. */
  private holdOfCurrent(): number {
    const l = this.loaded;
    if (l === null || l.timeline.cursor === 0) return 0;
    const r = l.run.records[l.timeline.cursor - 1]!;
    return holdMs(r.costNs + (r.waitNs ?? 0), this.playback.speed);
  }

  /**
   * Advances the playback clock by `dtMs` and draws if anything moves (or
   * `forceDraw`). Called per animation frame, and by tests through
   * `window.hvsim.frame`, which always draws.
   */
  frame(dtMs: number, forceDraw = false): void {
    const l = this.loaded;
    if (l === null) return;
    const tl = l.timeline;
    // A paused view whose last glide has finished looks the same next frame: skip the draw.
    const settled = !this.playback.playing && this.playback.progress >= 1;
    const stepped = this.playback.tick(dtMs, () => {
      tl.step(1);
      if (tl.cursor >= tl.total || (this.playback.untilCursor >= 0 && tl.cursor >= this.playback.untilCursor)) {
        this.playback.playing = false;
        this.playback.untilCursor = -1;
      }
      return this.holdOfCurrent();
    });
    if (stepped > 0) this.refresh();
    else if (!settled || forceDraw) this.draw();
  }

  /** Starts the requestAnimationFrame loop. */
  startLoop(): void {
    const tick = (now: number): void => {
      const dt = this.lastFrameMs < 0 ? 0 : Math.min(100, now - this.lastFrameMs);
      this.lastFrameMs = now;
      this.frame(dt);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  private draw(): void {
    const progress = this.reducedMotion ? 1 : this.playback.progress;
    if (this.loaded !== null && this.scene !== null) this.scene.draw(this.loaded.timeline.view, progress);
    if (this.compared !== null) this.compared.scene.draw(this.compared.timeline.view, progress);
  }

  /** Brings every panel up to the cursor and draws. */
  private refresh(): void {
    const l = this.loaded;
    if (l === null) return;
    const view = l.timeline.view;
    const record = view.cursor > 0 ? l.run.records[view.cursor - 1]! : null;
    this.controls.update(view.cursor, l.timeline.total, view.timeNs, this.playback.playing);
    this.events.setCursor(view.cursor);
    this.inspector.show(record, view, l.topology);
    if (!this.playback.playing) this.narrator.say(record, l.topology);
    if (this.compared !== null) this.compared.timeline.seek(this.compared.timeline.cursorAtTime(view.cursor === 0 ? -1 : view.timeNs));
    this.draw();
  }

  /** The state `window.hvsim.state()` reports. */
  state(): AppState {
    const l = this.loaded;
    const view = l?.timeline.view;
    return {
      scenario: l?.name ?? '',
      seed: l?.run.config.seed ?? 0,
      profile: l?.run.config.profile ?? '',
      cursor: view?.cursor ?? 0,
      total: l?.timeline.total ?? 0,
      timeNs: view?.timeNs ?? 0,
      inFlight: view === undefined ? 0 : Object.keys(view.packets).length,
      completed: view?.completed ?? 0,
      fingerprint: l?.run.fingerprint ?? '',
      renderer: this.scene?.rendererName ?? '',
      playing: this.playback.playing,
      errors: [...this.errors],
      claims: (l?.run.claims ?? []).map((c) => ({ text: c.text, holds: c.holds })),
      compare:
        this.compared === null
          ? null
          : {
              scenario: this.compared.name,
              cursor: this.compared.timeline.cursor,
              total: this.compared.timeline.total,
              timeNs: this.compared.timeline.view.timeNs,
              fingerprint: this.compared.run.fingerprint,
            },
    };
  }

  /** A one-line summary for the page title and tests. */
  summary(): string {
    const s = this.state();
    return `${s.scenario}: record ${s.cursor}/${s.total} at ${formatNs(s.timeNs)}`;
  }
}
