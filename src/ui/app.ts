/**
 * The classroom app: loads a scenario, runs it (the same `runScenario` the
 * CLI uses), and lets students step, scrub and play through its trace on
 * the canvas with the panels in step. It owns the timeline store and the
 * playback clock; the scene and the panels only read what it hands them.
 * A bad scenario shows its errors and leaves the last good run in place.
 * Features live in their own modules with narrow interfaces: compare mode
 * (`compare-pane.ts`), links (`app-links.ts`), the view switches
 * (`view-options.ts`), the comparison strip, the packet legend and the
 * notices (`panels/`).
 */
import { formatNs } from '../engine/sim-time.js';
import type { Topology } from '../model/topology.js';
import { holdMs } from '../render/clock.js';
import { runWarnings, type AppHosts, type AppState } from './app-types.js';
import { Scene } from '../render/scene.js';
import { BUNDLED_SCENARIOS, bundledScenario, formatErrors, parseScenarioText, runScenario, type LessonView, type RecordStore, type Scenario, type ScenarioRun } from '../scenario/index.js';
import { kindsOfRun, streamOfFlow, trailOf } from './run-records.js';
import { ACTIONS, actionForKey, type ActionTarget } from './actions.js';
import { ClusterMode } from './cluster-mode.js';
import { ComparePane, endedTooltip, paneTitle } from './compare-pane.js';
import { JointTimeline } from './joint-timeline.js';
import type { ClusterModeState } from './cluster-mode.js';
import { Controls, type UntilKind } from './controls.js';
import type { FiguresPanelState } from './panels/figures-panel.js';
import { Notice } from './panels/notice.js';
import { cssColour } from './panels/packet-legend.js';
import { HelpOverlay } from './panels/help-overlay.js';
import { ScenarioPicker } from './panels/scenario-picker.js';
import { Playback } from './playback.js';
import { RunPanels } from './run-panels.js';
import { onSettledResize } from './settled-resize.js';
import { playsTooLong, RUN_UNTIL_PLAY_MS, untilTarget } from './run-until.js';
import { copyLink, linkOf, openLink, type LinkedApp } from './app-links.js';
import type { AppLink } from './scenario-link.js';
import { buildCheckpointsLater, Timeline } from './timeline.js';
import { Follow, LessonController, LessonFeature, describeFollow, type FollowTarget, type LessonHost } from './lesson/index.js';
import { PROJECTOR_FONT_PX, ViewToggles, type ViewOptions } from './view-options.js';
import { SweepFeature } from './sweep/index.js';
import type { LayoutOptions } from '../render/layout.js';

export type { AppHosts, AppState } from './app-types.js';

/** The most records the app keeps for one run (a run past it is refused with a message). */
export const APP_RECORD_LIMIT = 3_000_000;

interface Loaded {
  name: string;
  /** Whether `name` is a bundled scenario's (else a file's or a link's). */
  bundled: boolean;
  text: string;
  scenario: Scenario;
  run: ScenarioRun;
  timeline: Timeline;
  topology: Topology;
  /** The run's records, in columns (the app never keeps them as objects). */
  store: RecordStore;
}

export class App implements ActionTarget, LessonHost, LinkedApp {
  private loaded: Loaded | null = null;
  private scene: Scene | null = null;
  private readonly compared: ComparePane;
  /** Compare mode's joint timeline: this run, then the compared run's records past its end. */
  private readonly joint: JointTimeline;
  private readonly playback = new Playback();
  private readonly notice: Notice;
  private readonly view: ViewToggles;
  /** The cluster view over the canvas, for a run with several hosts (`cluster-mode.ts`). */
  readonly cluster: ClusterMode;
  private readonly controls: Controls;
  private readonly picker: ScenarioPicker;
  /** The panels beside the canvas that show the run (`run-panels.ts`). */
  private readonly panels: RunPanels;
  private readonly help: HelpOverlay;
  private errors: string[] = [];
  private lastFrameMs = -1;
  /** Lessons: the panel in the lesson slot, the glossary, their keys and links (`lesson/`). */
  readonly lessons: LessonFeature;
  /** Sweeps and replications: the sweep panel, the scenario's replications for ± (`sweep/`). */
  readonly sweeps: SweepFeature;
  /** What stepping follows (null: every record). */
  private followed: Follow | null = null;

  constructor(
    private readonly hosts: AppHosts,
    private readonly renderer: 'webgl' | 'canvas',
    view: ViewOptions,
  ) {
    this.view = new ViewToggles(hosts.view, view, () => this.onViewChange());
    const textFloor = (): number | null => (this.view.options.projector ? PROJECTOR_FONT_PX : null);
    this.cluster = new ClusterMode(hosts.view, hosts.canvas, renderer, (vms) => this.scene?.setElsewhere(vms), textFloor);
    this.compared = new ComparePane(hosts.comparePane, hosts.compareTitle, hosts.compare, renderer, APP_RECORD_LIMIT, textFloor);
    this.joint = new JointTimeline({ first: () => this.loaded, compared: this.compared, followed: () => this.followed });
    this.notice = new Notice(hosts.notice);
    hosts.lesson.hidden = hosts.lesson.childElementCount === 0;
    this.picker = new ScenarioPicker(hosts.picker, {
      bundled: BUNDLED_SCENARIOS.map((s) => ({ name: s.name, text: s.text })),
      onLoadText: (text, fileName) => void this.loadText(text, fileName),
      onLoadBundled: (name) => void this.load(name),
      aboutHost: hosts.about,
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
      copyLink: () => void copyLink(this),
      compare: (name) => void this.compare(name === '' ? null : name),
      compareText: (text, fileName) => void this.compareText(text, fileName),
    }, BUNDLED_SCENARIOS.map((s) => s.name), hosts.extras);
    hosts.footer.append(this.controls.rendererLabel);
    this.panels = new RunPanels(hosts, (i) => this.seek(i));
    this.help = new HelpOverlay(hosts.help, ACTIONS.map((a) => ({ keys: a.keys, action: a.label })));
    this.lessons = new LessonFeature(hosts.lesson, [hosts.narrator, hosts.inspector], this);
    this.sweeps = new SweepFeature(hosts.sweep, { onReplicated: (n, paths) => this.panels.strip.setReplicated(n, paths), onComparedReplicated: (n, paths) => this.panels.strip.setReplicated(n, paths, 'compared'), say: (text) => this.say(text), streamColours: (streams) => this.scene?.streamColours(streams).map(cssColour) ?? null, showErrors: (lines, title) => this.fail(lines, title) });
    document.addEventListener('keydown', (e) => this.onKey(e));
    // The canvases follow their hosts' size (the window, the view switches, compare mode, a message box); the refresh redraws the cluster views at the new size too.
    onSettledResize([hosts.canvas, hosts.compare], () => {
      this.fitScene();
      this.refresh();
    });
  }

  private get reducedMotion(): boolean {
    return this.view.options.reducedMotion;
  }

  /** The layout asked of a scene: the projector view's text floor, in one pane or two side by side. */
  private layoutOptions(): LayoutOptions {
    if (!this.view.options.projector) return {};
    return { minFontSize: PROJECTOR_FONT_PX, twoLineTitles: true };
  }

  private onViewChange(): void {
    const options = { layout: this.layoutOptions(), reducedMotion: this.reducedMotion };
    this.fitScene();
    this.scene?.configure(options);
    this.compared.scene?.configure(options);
    this.refresh();
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

  /** Loads a bundled scenario, or says (a short notice, and in state().errors) that there is none by that name and keeps the run shown. */
  async loadNamedOrSay(name: string, fallback: string): Promise<void> {
    if (bundledScenario(name) !== undefined) {
      await this.load(name);
      return;
    }
    await this.load(fallback);
    this.fail([`there is no bundled scenario '${name}' (the link names it); showing ${fallback}. Bundled: ${BUNDLED_SCENARIOS.map((s) => s.name).join(', ')}`], 'The link names no bundled scenario:');
  }

  /** Validates, runs and shows scenario text. */
  async loadText(text: string, fileName: string, name?: string): Promise<boolean> {
    // A lesson file (Open file…, a link) opens as a lesson over the scenario it names.
    // `hvsim sweep --json` or `run --replications --json` output (checked first: it names its scenario, as a lesson does) opens in the sweep panel; the run on screen stays.
    if (SweepFeature.isSweepText(text)) return this.sweeps.openText(text, fileName);
    if (LessonController.isLessonText(text)) return this.lessons.controller.openText(text, fileName);
    const parsed = parseScenarioText(text, fileName);
    if (!parsed.ok) {
      this.fail(formatErrors(parsed.errors, fileName));
      return false;
    }
    let run: ScenarioRun;
    try {
      run = runScenario(parsed.scenario, { recordLimit: APP_RECORD_LIMIT, keepRecords: 'columns' });
    } catch (e) {
      this.fail([`${fileName}: the run could not finish: ${(e as Error).message}`]);
      return false;
    }
    const { title, lines: warnings } = runWarnings(run, fileName);
    const store = run.store!;
    const timeline = new Timeline(store);
    const topology = run.output.topology;
    const previous = this.scene;
    let scene: Scene;
    try {
      const box = this.hosts.canvas.getBoundingClientRect();
      scene = await Scene.create(this.hosts.canvas, topology, {
        renderer: this.renderer,
        width: Math.max(320, Math.round(box.width)),
        height: Math.max(300, Math.round(box.height)),
        reducedMotion: this.reducedMotion,
        layout: this.layoutOptions(),
      });
    } catch (e) {
      this.fail([`the canvas could not start: ${(e as Error).message}`]);
      return false;
    }
    previous?.destroy();
    this.scene = scene;
    this.loaded = { name: name ?? parsed.scenario.name, bundled: name !== undefined, text, scenario: parsed.scenario, run, timeline, topology, store };
    buildCheckpointsLater(timeline, () => this.loaded?.timeline === timeline);
    this.errors = warnings;
    this.notice.clear();
    if (warnings.length > 0) this.picker.showErrors(warnings, title);
    else this.picker.clearErrors();
    this.picker.setDescription(parsed.scenario.name, parsed.scenario.description ?? '');
    if (name !== undefined) this.picker.setSelected(name);
    else this.picker.setFile(fileName);
    this.panels.setRun(run, store, topology, parsed.scenario, scene, this.loaded.name);
    this.controls.setKinds(kindsOfRun(store));
    this.cluster.setRun(store);
    // A cluster run with no I/O of its own (its failovers, migrations or backups are the story) opens on its
    // cluster view, as compare mode's pane does, not on an I/O view with nothing to show; one with I/O opens on that.
    if (this.cluster.present && parsed.scenario.workloads.length === 0 && parsed.scenario.traffic.length === 0) this.cluster.toggle(true);
    this.controls.rendererLabel.textContent = `renderer: ${scene.rendererName} · fingerprint ${run.fingerprint}`;
    this.playback.playing = false;
    this.playback.begin(0);
    this.setFollow(null);
    this.joint.reset();
    this.lessons.runChanged();
    this.sweeps.scenarioLoaded(text, parsed.scenario);
    this.refresh();
    return true;
  }

  /** Shows messages (errors or notices) in the scenario bar without changing the run. */
  showMessage(lines: string[], title?: string): void {
    this.fail(lines, title);
  }

  /** A short notice (not an error): it fades and moves nothing. */
  say(text: string): void {
    this.notice.show(text);
  }

  private fail(lines: string[], title?: string): void {
    this.errors = lines;
    this.picker.showErrors(lines, title);
  }

  // --- Commands (ActionTarget) ---

  togglePlay(): void {
    if (this.loaded === null) return;
    if (!this.playback.playing && this.joint.position >= this.joint.positions) this.seek(0);
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
    // Following a VM or request, stepping visits its records, past this run's end the compared run's (`joint-follow.ts`).
    if (!this.joint.forward(n)) return this.say(`No later record of ${describeFollow(this.followed!.target)}${this.compared.open ? ' in either run' : ''}.`);
    this.playback.begin(this.reducedMotion ? 0 : Math.min(250, this.holdOfCurrent()));
    this.refresh();
  }

  stepBack(n: number): void {
    if (this.loaded === null) return;
    this.joint.backward(n);
    this.playback.begin(0);
    this.refresh();
  }

  /** Moves to `index` on the joint timeline: this run's record `index`, or in compare mode past this run's end, the compared run's later records. */
  seek(index: number): void {
    if (this.loaded === null) return;
    this.joint.moveTo(index);
    this.playback.begin(0);
    this.refresh();
  }

  /** The end of the longer run, in compare mode; of this run otherwise. */
  end(): void {
    if (this.loaded !== null) this.seek(this.joint.positions);
  }

  toggleHelp(): void {
    this.help.toggle();
  }

  // --- Lessons (LessonHost, and the lesson keys) ---

  lessonNext(): void {
    this.lessons.controller.next();
  }

  lessonBack(): void {
    this.lessons.controller.back();
  }

  focusLesson(): void {
    this.lessons.focusPicker();
  }

  get lessonOpen(): boolean {
    return this.lessons.controller.lesson !== null;
  }

  /** The run on screen. */
  get shown(): LessonHost['shown'] {
    const l = this.loaded;
    return l === null ? null : { name: l.name, text: l.text, scenario: l.scenario, run: l.run };
  }

  get cursor(): number {
    return this.loaded?.timeline.cursor ?? 0;
  }

  get follow(): FollowTarget | null {
    return this.followed?.target ?? null;
  }

  /** Makes stepping (→, ←, N, play) visit only `target`'s records, and the canvas dim the rest; null: every record. */
  setFollow(target: FollowTarget | null): void {
    const l = this.loaded;
    this.followed = l === null || target === null ? null : new Follow(target, l.store, l.topology.places);
    this.compared.setFollow(this.followed?.target ?? null);
    this.scene?.setFollowed(this.followed);
    this.lessons.followChanged();
  }

  /** A lesson step's view: the cluster view (when the run has a cluster), or the I/O view. */
  showView(view: LessonView): void {
    const on = view === 'cluster' && this.loaded?.scenario.cluster !== undefined;
    if (on !== this.cluster.state().on) this.cluster.toggle(on);
  }

  nextOfSelectedKind(): void {
    const sel = this.controls.untilSelection;
    if (sel.kind === 'kind' && sel.value !== '') this.runUntil('kind', sel.value);
    else if (this.loaded !== null) {
      const last = this.loaded.timeline.view.last;
      if (last !== null) this.runUntil('kind', last.kind);
    }
  }

  /** Plays until a condition holds; the cursor then stands just after the matching record (`untilTarget`). */
  runUntil(kind: UntilKind, value: string): void {
    const l = this.loaded;
    if (l === null) return;
    const tl = l.timeline;
    const found = untilTarget(l.store, tl.cursor, this.followed, kind, value, l.topology.places);
    if (!found.ok) return this.say(found.message);
    const target = found.cursor;
    if (target <= tl.cursor) {
      this.seek(target);
      return;
    }
    // Far ahead, playing there would look stuck: jump, and say so.
    if (playsTooLong(l.store, tl.cursor, target, this.playback.speed)) return void (this.seek(target), this.say(`Run until: jumped to record ${target} (playing there would take more than ${RUN_UNTIL_PLAY_MS / 1000} s at this speed).`));
    this.playback.untilCursor = target;
    this.play();
  }

  /**
   * Shows bundled scenario `name` beside the current one, side by side,
   * following its simulated time (the second cursor stands after the last
   * record at or before the first's time), or closes compare mode with null.
   */
  async compare(name: string | null): Promise<boolean> {
    if (name === null) {
      this.compared.close();
      this.panels.setCompared(null);
      this.sweeps.comparedLoaded(null);
      this.joint.reset();
      this.setComparing(false);
      this.controls.setCompared('', true);
      this.refresh();
      return true;
    }
    const bundled = bundledScenario(name);
    if (bundled === undefined) {
      this.fail([`compare: there is no bundled scenario '${name}'`]);
      return false;
    }
    return this.compareText(bundled.text, `${name}.json`, name);
  }

  /** Shows any scenario text (e.g. a file) beside the current one, as `compare` does; `name` marks a bundled one. */
  async compareText(text: string, fileName: string, name?: string): Promise<boolean> {
    this.setComparing(true);
    const result = await this.compared.load(text, fileName, name ?? fileName, { reducedMotion: this.reducedMotion, layout: this.layoutOptions() });
    if ('errors' in result) {
      if (!this.compared.open) this.setComparing(false);
      this.fail(result.errors);
      return false;
    }
    this.joint.reset();
    this.panels.setCompared({ name: name ?? fileName, run: result.run, scene: this.compared.scene! });
    this.sweeps.comparedLoaded(result.scenario);
    this.scene?.configure({ layout: this.layoutOptions() });
    this.fitScene();
    this.controls.setCompared(name ?? fileName, name !== undefined);
    const warnings = runWarnings(result.run, `compare ${name ?? fileName}`);
    if (warnings.lines.length > 0) this.fail(warnings.lines, warnings.title);
    this.refresh();
    return true;
  }

  private setComparing(on: boolean): void {
    this.hosts.screen.classList.toggle('comparing', on);
    this.hosts.canvasTitle.hidden = !on;
    this.compared.reveal(on);
    if (!on) this.scene?.configure({ layout: this.layoutOptions() });
    this.fitScene();
  }

  /** Resizes the scenes to their hosts (a resize rebuilds the backdrop: ~0.5 s on software WebGL, so callers debounce). */
  fitScene(): void {
    for (const [scene, el] of [[this.scene, this.hosts.canvas], [this.compared.scene, this.hosts.compare]] as const) {
      if (scene === null || el.offsetParent === null) continue;
      const box = el.getBoundingClientRect();
      const w = Math.max(320, Math.round(box.width));
      const h = Math.max(240, Math.round(box.height));
      if (w !== scene.currentLayout.width || h !== scene.currentLayout.height) scene.resize(w, h);
    }
  }

  /**
   * The loaded scenario's text and where the controls stand (null before
   * any run): what a link carries. In compare mode past this run's end the
   * position counts the compared run's records there too, and a link
   * opens compare mode before it seeks, so it comes back to the same place.
   */
  current(): { text: string; cursor: number } | null {
    return this.loaded === null ? null : { text: this.loaded.text, cursor: this.joint.position };
  }

  /** The scenario shown beside this one in compare mode, or null. */
  comparedSource(): { name: string; text: string } | null {
    return this.compared.source;
  }

  /** What a link to the present view carries (`app-links.ts`). */
  linkState(): AppLink | null {
    return linkOf(this);
  }

  /** Opens what a link carries: the scenario, then compare mode, then the cursor (`app-links.ts`). */
  openLink(link: AppLink): Promise<boolean> {
    return openLink(this, link);
  }

  private onKey(e: KeyboardEvent): void {
    const action = actionForKey(e, this, this.help.isOpen);
    if (action === undefined) return;
    e.preventDefault();
    action.perform(this);
  }

  // --- Frame loop ---

  /** The hold (ms) of the record the cursor stands on. */
  private holdOfCurrent(): number {
    const l = this.loaded;
    // Past this run's end, the record just shown is the compared run's.
    const end = this.joint.endStand();
    if (this.joint.beyond > 0 && end !== null) return holdMs(this.compared.recordNsPast(end, this.joint.beyond), this.playback.speed);
    if (l === null || l.timeline.cursor === 0) return 0;
    const i = l.timeline.cursor - 1;
    return holdMs(l.store.costNsAt(i) + l.store.waitNsAt(i), this.playback.speed);
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
    const positions = this.joint.positions;
    const stepped = this.playback.tick(dtMs, () => {
      // Following a VM or request, playback goes from one of its records to the next.
      const from = tl.cursor;
      if (!this.joint.forward(1)) this.playback.playing = false;
      // In a lesson, playback reaching the next step's anchor shows that step (and stops there if it pauses).
      else this.lessons.controller.playedTo(from, tl.cursor);
      if (this.joint.position >= positions || (this.playback.untilCursor >= 0 && tl.cursor >= this.playback.untilCursor)) {
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
    this.compared.draw(progress);
  }

  /** The current request's places so far (the flow of the record the cursor stands after), for the reduced-motion trail. */
  private updateTrail(): void {
    const l = this.loaded;
    const flow = l?.timeline.view.last?.flow ?? -1;
    if (l !== null) this.scene?.setTrail(trailOf(l.store, flow, l.timeline.cursor), streamOfFlow(l.store, flow));
  }

  /** Brings every panel up to the cursor and draws. */
  private refresh(): void {
    const l = this.loaded;
    if (l === null) return;
    const view = l.timeline.view;
    const total = l.timeline.total;
    const record = view.cursor > 0 ? (l.store.at(view.cursor - 1) ?? null) : null;
    this.panels.show(view, record, total, l.topology, this.playback.playing);
    let timeNs = view.timeNs;
    let readout = '';
    if (this.compared.open) {
      const past = this.joint.pastEnd();
      this.compared.follow(view.cursor, view.timeNs, view.cursor - l.store.cursorAtTime(view.timeNs - 1), this.joint.beyond, this.joint.endStand()!.timeNs);
      // This run at its end while the compared one goes on past it: its pane says it holds there.
      const ended = view.cursor === total && past > 0;
      this.hosts.canvasTitle.textContent = paneTitle(l.name, view.cursor, total, view.timeNs, ended);
      this.hosts.canvasTitle.title = ended ? endedTooltip(l.name, view.timeNs) : this.hosts.canvasTitle.textContent;
      // The strip's compared figures stand where the compared pane does, past this run's end too.
      const stand = this.compared.stand;
      this.panels.strip.updateCompared(stand.cursor, stand.total);
      if (this.joint.beyond > 0) timeNs = this.compared.timeNs;
      if (past > 0) readout = `: ${l.name}'s ${total} records, then the compared run's ${past} after its end`;
    }
    this.controls.update(this.joint.position, this.joint.positions, timeNs, this.playback.playing, readout);
    if (this.reducedMotion) this.updateTrail();
    this.cluster.show(view.cursor);
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
      position: this.joint.position,
      positions: this.joint.positions,
      timeNs: view?.timeNs ?? 0,
      inFlight: view === undefined ? 0 : Object.keys(view.packets).length,
      completed: view?.completed ?? 0,
      fingerprint: l?.run.fingerprint ?? '',
      renderer: this.scene?.rendererName ?? '',
      playing: this.playback.playing,
      errors: [...this.errors],
      claims: (l?.run.claims ?? []).map((c) => ({ text: c.text, holds: c.holds })),
      compare: this.compared.state(),
      strip: this.panels.strip.shown,
      narration: this.panels.narrator.text,
      notice: this.notice.text,
      picker: this.picker.shown,
      view: { ...this.view.options },
      canvasFontPx: this.scene?.currentLayout.metrics.fontSize ?? 0,
      recordBytes: l?.store.bytes ?? 0,
    };
  }

  /** The "Figures of the run" panel: what it shows, after filtering its rows by `filter` when given (as its Filter box does). */
  figures(filter?: string): FiguresPanelState {
    return filter === undefined ? this.panels.figures.state() : this.panels.figures.filter(filter);
  }

  /** What the first canvas writes: place labels by id, column titles with their counters, and the trail's length (0: none drawn). */
  canvasText(): { labels: Record<string, string>; titles: string[]; trail: number; shaded: string[] } {
    return this.scene?.drawnText ?? { labels: {}, titles: [], trail: 0, shaded: [] };
  }

  /** Compare mode's cluster view: switches it (`on`), and reports what it shows. */
  compareCluster(on?: boolean): ClusterModeState {
    if (on !== undefined) this.compared.cluster.toggle(on);
    return this.compared.cluster.state();
  }

  /** Sets the view switches (as a click on them does). */
  setView(options: Partial<ViewOptions>): void {
    this.view.set({ ...this.view.options, ...options });
  }

  /** A one-line summary for the page title and tests. */
  summary(): string {
    const s = this.state();
    return `${s.scenario}: record ${s.cursor}/${s.total} at ${formatNs(s.timeNs)}`;
  }
}
