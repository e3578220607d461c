/**
 * `window.hvsim`: the handle tests and trainers drive the app with. Every
 * call goes through the same commands as the buttons and keys.
 * @example hvsim.load('queue-depth').then(() => hvsim.step(100)); hvsim.state().cursor
 */
import type { App, AppState } from './app.js';
import type { LessonApi } from './lesson/index.js';
import type { FiguresPanelState } from './panels/figures-panel.js';
import type { SweepApi } from './sweep/index.js';

export interface HvsimApi {
  /** Loads a bundled scenario by name, or a scenario object; false (and errors in state()) if it is invalid. */
  load(nameOrScenario: string | object): Promise<boolean>;
  /** Loads scenario text (JSON or YAML), as the file picker does. */
  loadText(text: string, fileName?: string): Promise<boolean>;
  step(n?: number): number;
  back(n?: number): number;
  seek(index: number): number;
  play(): void;
  pause(): void;
  /** Shows a bundled scenario beside the current one in lockstep on simulated time; null closes it. */
  compare(name: string | null): Promise<boolean>;
  /** Shows scenario text (as from a file) beside the current one. */
  compareText(text: string, fileName?: string): Promise<boolean>;
  /** Sets the view switches: `{ projector, reducedMotion }`. */
  view(options: { projector?: boolean; reducedMotion?: boolean }): AppState;
  /** Advances the playback clock by `ms` and draws, without waiting for real time. */
  frame(ms?: number): AppState;
  state(): AppState;
  /** The lesson: `state()`, `next()`, `back()`, `go(n)`, `answer(value)`, `open(name)`, `openText(text)`, `close()`, `glossary(term)`. */
  lesson: LessonApi;
  /** Sweeps: `state()`, `openText(text)` (hvsim sweep --json output), `run()` (the scenario's sweep block), `choose(figure, axis)`, `replicationsDone()`. */
  sweep: SweepApi;
  /** What the canvas writes: place labels by id, column titles, the reduced-motion trail's length, the VMs whose columns are shaded. */
  canvasText(): { labels: Record<string, string>; titles: string[]; trail: number; shaded: string[] };
  /** The run's figures beyond its paths (the "Figures of the run" panel): `figures('blackout')` filters its rows as its Filter box does; it returns what the panel shows. */
  figures(filter?: string): FiguresPanelState;
  /** The cluster view: `cluster(true|false)` switches it; it returns whether it is on and what it shows at the cursor. */
  cluster(on?: boolean): ReturnType<App['cluster']['state']>;
  /** Compare mode's cluster view (a compared run with a cluster opens on it): `compareCluster(true|false)` switches it; it returns what it shows, as `cluster()` does. */
  compareCluster(on?: boolean): ReturnType<App['cluster']['state']>;
  /** The I/O view's host in a cluster: `clusterHost('h2')` opens the I/O view on h2 (as a click on it in the cluster view); it returns the cluster state with `ioViewHost` and the VMs on it. */
  clusterHost(host?: string): ReturnType<App['cluster']['state']>;
}

export function makeApi(app: App): HvsimApi {
  return {
    load: (s) => app.load(s),
    loadText: (text, fileName = 'scenario.json') => app.loadText(text, fileName),
    step: (n = 1) => {
      app.stepForward(n);
      return app.state().cursor;
    },
    back: (n = 1) => {
      app.stepBack(n);
      return app.state().cursor;
    },
    seek: (index) => {
      app.seek(index);
      return app.state().cursor;
    },
    compare: (name) => app.compare(name),
    compareText: (text, fileName = 'compared.json') => app.compareText(text, fileName),
    view: (options) => {
      app.setView(options);
      return app.state();
    },
    play: () => app.play(),
    pause: () => app.pause(),
    frame: (ms = 16) => {
      app.frame(ms, true);
      return app.state();
    },
    state: () => app.state(),
    cluster: (on) => {
      if (on !== undefined) app.cluster.toggle(on);
      return app.cluster.state();
    },
    compareCluster: (on) => app.compareCluster(on),
    clusterHost: (host) => {
      if (host !== undefined) app.cluster.selectHost(host);
      return app.cluster.state();
    },
    lesson: app.lessons.api(),
    sweep: app.sweeps.api(),
    canvasText: () => app.canvasText(),
    figures: (filter) => app.figures(filter),
  };
}
