/**
 * The app's outward types (where it mounts its parts, what
 * `window.hvsim.state()` reports) and what it tells a trainer about a
 * finished run: kept beside `app.ts` so the shell holds behaviour only.
 */
import { actionsUnfinishedMessage, hitLimits, leftUnfinished, outageAtEnd, unfinishedMessage, type ScenarioRun } from '../scenario/index.js';
import type { ComparedState } from './compare-pane.js';
import type { StripState } from './panels/comparison-strip.js';
import type { ViewOptions } from './view-options.js';

/** Where the app mounts its parts. */
export interface AppHosts {
  picker: HTMLElement;
  /** The scenario's title and description. */
  about: HTMLElement;
  canvas: HTMLElement;
  /** The first pane's title (shown in compare mode). */
  canvasTitle: HTMLElement;
  /** Compare mode's pane (hidden until used), its title and its canvas. */
  comparePane: HTMLElement;
  compareTitle: HTMLElement;
  compare: HTMLElement;
  /** The screen that holds the panes (marked while comparing). */
  screen: HTMLElement;
  controls: HTMLElement;
  /** Compare and Copy link (in the header). */
  extras: HTMLElement;
  /** The view switches (projector view, reduced motion). */
  view: HTMLElement;
  inspector: HTMLElement;
  narrator: HTMLElement;
  /**
   * Where a lesson panel goes, beside or instead of the narrator in the side
   * column (hidden while empty); the app leaves it to the lesson feature.
   */
  lesson: HTMLElement;
  strip: HTMLElement;
  legend: HTMLElement;
  notice: HTMLElement;
  events: HTMLElement;
  charts: HTMLElement;
  /** Where the sweep panel goes (hidden until a sweep or a scenario's sweep block is opened). */
  sweep: HTMLElement;
  help: HTMLElement;
  footer: HTMLElement;
}

/** What `window.hvsim.state()` reports. */
export interface AppState {
  scenario: string;
  seed: number;
  profile: string;
  /** This run's records shown, of `total`. */
  cursor: number;
  total: number;
  /**
   * Where the controls stand, of `positions`: the cursor, plus in compare
   * mode the compared run's records shown past this run's end (the
   * controls go on through them when the compared run is the longer).
   */
  position: number;
  positions: number;
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
  compare: ComparedState | null;
  /** What the comparison strip shows: the loaded run's paths and, in compare mode, the compared run's, each figure's text. */
  strip: StripState;
  /** The narrator's sentence, the short notice shown (or ''), and what the picker names. */
  narration: string;
  notice: string;
  picker: string;
  /** The view switches. */
  view: ViewOptions;
  /** The canvas's label size (CSS px) in the first pane. */
  canvasFontPx: number;
  /** Bytes of typed arrays that hold the run's records (its column store, outside the JS heap). */
  recordBytes: number;
}


/**
 * What to tell the trainer about a finished run, under a heading: every
 * request it left unfinished (the same lines `hvsim run` prints on
 * stderr), or that it stopped at a limit, or the actions it cut short
 * (`actionsUnfinished`: a migration, a backup), or what was still down at its
 * end (`outageAtEnd`); no lines when it ran to the end with all served.
 */
export function runWarnings(run: ScenarioRun, fileName: string): { title: string; lines: string[] } {
  if (leftUnfinished(run)) {
    const [headline, ...lines] = unfinishedMessage(run);
    return { title: 'The run did not finish every request (the run stays on screen):', lines: [`${fileName}: ${headline}`, ...lines] };
  }
  if (hitLimits(run)) return { title: 'The run stopped at its limit:', lines: [`${fileName}: the run stopped at its limit (${run.output.stop}) with ${run.output.completed} of ${run.requested} requests done`] };
  // A migration, a backup or a change of state the run cut short was not measured.
  const [undone, ...undoneLines] = actionsUnfinishedMessage(run);
  if (undone !== undefined) return { title: "The run ended before the scenario's actions did (the run stays on screen):", lines: [`${fileName}: ${undone}`, ...undoneLines] };
  // Every request ended; what the run left down (a VM never restarted, a client never answered again) is its outcome, said all the same.
  return { title: 'Still down when the run ended:', lines: outageAtEnd(run.figures).map((line) => `${fileName}: ${line}`) };
}

