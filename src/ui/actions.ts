/**
 * The app's commands, one entry each with its key binding (excalidraw's
 * actions shape): the buttons, the keyboard and `window.hvsim` all go
 * through `perform`, so they cannot drift apart. The help overlay lists
 * `keys` from here.
 */
import { isJustChangedSelect } from './select-keys.js';

/** What an action may do to the app. */
export interface ActionTarget {
  togglePlay(): void;
  stepForward(n: number): void;
  stepBack(n: number): void;
  seek(index: number): void;
  end(): void;
  toggleHelp(): void;
  nextOfSelectedKind(): void;
  /** The lesson's next and previous step (when a lesson is open). */
  lessonNext(): void;
  lessonBack(): void;
  readonly lessonOpen: boolean;
  /** Brings the Lesson list into view and puts the keyboard on it. */
  focusLesson(): void;
}

export interface Action {
  id: string;
  label: string;
  /** Human-readable keys, for the help overlay. */
  keys: string;
  /** Does this keyboard event trigger it? */
  matches(e: KeyboardEvent): boolean;
  perform(app: ActionTarget): void;
  /** Whether the action applies now (else the key does what the browser does with it). */
  when?(app: ActionTarget): boolean;
}

const key = (k: string, shift = false) => (e: KeyboardEvent) => e.key === k && e.shiftKey === shift && !e.ctrlKey && !e.metaKey && !e.altKey;

export const ACTIONS: readonly Action[] = [
  { id: 'play', label: 'Play / pause (in a lesson: on to the next step, stopping where it pauses)', keys: 'Space', matches: key(' '), perform: (a) => a.togglePlay() },
  { id: 'step', label: 'Step one record forward', keys: '→', matches: key('ArrowRight'), perform: (a) => a.stepForward(1) },
  { id: 'back', label: 'Step one record back', keys: '←', matches: key('ArrowLeft'), perform: (a) => a.stepBack(1) },
  { id: 'step10', label: 'Step 10 records forward', keys: 'Shift + →', matches: key('ArrowRight', true), perform: (a) => a.stepForward(10) },
  { id: 'back10', label: 'Step 10 records back', keys: 'Shift + ←', matches: key('ArrowLeft', true), perform: (a) => a.stepBack(10) },
  { id: 'start', label: 'Jump to the start', keys: 'Home', matches: key('Home'), perform: (a) => a.seek(0) },
  { id: 'end', label: 'Jump to the end', keys: 'End', matches: key('End'), perform: (a) => a.end() },
  { id: 'next-kind', label: 'Run until the next record of the chosen kind', keys: 'N', matches: (e) => e.key === 'n' || e.key === 'N', perform: (a) => a.nextOfSelectedKind() },
  { id: 'lesson-next', label: 'Lesson: the next step', keys: 'PageDown or ]', matches: (e) => (e.key === 'PageDown' || e.key === ']') && !e.ctrlKey && !e.metaKey, perform: (a) => a.lessonNext(), when: (a) => a.lessonOpen },
  { id: 'lesson-back', label: 'Lesson: the step before', keys: 'PageUp or [', matches: (e) => (e.key === 'PageUp' || e.key === '[') && !e.ctrlKey && !e.metaKey, perform: (a) => a.lessonBack(), when: (a) => a.lessonOpen },
  { id: 'lesson-pick', label: 'Choose a lesson (the Lesson list, in the side column)', keys: 'L', matches: (e) => (e.key === 'l' || e.key === 'L') && !e.ctrlKey && !e.metaKey && !e.altKey, perform: (a) => a.focusLesson() },
  { id: 'help', label: 'Show or hide this help', keys: '?', matches: (e) => e.key === '?', perform: (a) => a.toggleHelp() },
];

/** Inputs in which PageDown and PageUp do nothing: a one-line field, a choice, a switch (a slider's and a select's page keys are theirs). */
const PAGE_KEY_FREE_INPUTS: ReadonlySet<string> = new Set(['radio', 'checkbox', 'text', 'number', 'search']);

/**
 * Whether a PageDown or PageUp in `target` is the lesson's, not the field's:
 * a presentation clicker sends them, and a trainer who has just picked the
 * class's choice (a radio) or typed its number presses the clicker next.
 * Before, the key did nothing there, and the lesson seemed stuck.
 */
function pageKeyFree(e: KeyboardEvent, target: HTMLElement): boolean {
  return (e.key === 'PageDown' || e.key === 'PageUp') && target.tagName === 'INPUT' && PAGE_KEY_FREE_INPUTS.has((target as HTMLInputElement).type);
}

/**
 * The action a key press asks of `app`, or undefined: none while typing in
 * a field (a select whose choice was just made is no longer one: the
 * timeline's keys win, `select-keys.ts`; a clicker's PageDown and PageUp
 * in a one-line field, a choice or a switch turn the lesson's page); Space and Enter on a focused button press that button (the
 * browser's default), not the shortcut; only `?` and Escape while the help
 * overlay is open.
 */
export function actionForKey(e: KeyboardEvent, app: ActionTarget, helpOpen: boolean): Action | undefined {
  const target = e.target as HTMLElement | null;
  if (target !== null && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA') && !isJustChangedSelect(target) && !pageKeyFree(e, target)) return undefined;
  if (target !== null && (e.key === ' ' || e.key === 'Enter') && (target.tagName === 'BUTTON' || target.tagName === 'A' || target.getAttribute('role') === 'button')) return undefined;
  if (helpOpen && e.key !== '?' && e.key !== 'Escape') return undefined;
  return ACTIONS.find((a) => a.matches(e) && (a.when?.(app) ?? true));
}
