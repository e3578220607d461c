/**
 * The lesson feature as the app mounts it: the controller (steps, answers,
 * links), the panel in the side column, the glossary dialog and the term
 * links in the narrator and inspector, and `window.hvsim.lesson`. The app
 * implements `LessonHost` and tells the feature when the run or the follow
 * changes; nothing else of it reaches into the app.
 */
import { bundledLesson, BUNDLED_LESSONS } from '../../scenario/index.js';
import { GlossaryLinker, GlossaryView } from './glossary-view.js';
import { LessonController, type LessonHost, type LessonState } from './lesson-controller.js';
import { LessonPanel } from './lesson-panel.js';

export { LessonController, stepCursor, type LessonHost, type LessonState } from './lesson-controller.js';
export { Follow, describeFollow, type FollowTarget } from './follow.js';
export { LESSON_KEYS } from './lesson-panel.js';

/** `window.hvsim.lesson`. */
export interface LessonApi {
  /** The open lesson: name, step (1-based), steps, caption, question, answered, correct, score, anchor, follow. */
  state(): LessonState;
  next(): LessonState;
  back(): LessonState;
  /** Shows step `n` (1-based). */
  go(n: number): LessonState;
  /** Checks a prediction for the step shown (a number, or a choice's 0-based index); null if it asks nothing. */
  /** `counted`: false once the step was answered or its answer shown (the first prediction counts). */
  answer(value: number): { correct: boolean; expected: number | number[]; counted: boolean } | null;
  /** Opens a bundled lesson by name (loading its scenario). */
  open(name: string): Promise<boolean>;
  /** Opens lesson file text, as Open file… does. */
  openText(text: string, fileName?: string): Promise<boolean>;
  close(): void;
  /** Opens the glossary (at `term` if given); returns the term shown, or ''. */
  glossary(term?: string): string;
}

export class LessonFeature {
  readonly controller: LessonController;
  readonly glossary: GlossaryView;
  readonly linker: GlossaryLinker;
  private readonly panel: LessonPanel;

  /** Mounts the panel in `slot` and links glossary terms in `linked` (the narrator, the inspector). */
  constructor(slot: HTMLElement, linked: readonly Element[], host: LessonHost) {
    this.controller = new LessonController(host);
    const dialogHost = document.createElement('div');
    document.body.append(dialogHost);
    this.glossary = new GlossaryView(dialogHost);
    this.panel = new LessonPanel(slot, this.controller, host, () => this.glossary.open());
    this.linker = new GlossaryLinker(linked);
  }

  /** The Lesson list in view, with the keyboard on it (the L key). */
  focusPicker(): void {
    this.panel.focusPicker();
  }

  /** The app loaded a run. */
  runChanged(): void {
    this.controller.runChanged();
    this.panel.updateFollow();
  }

  /** The app's follow changed. */
  followChanged(): void {
    this.panel.updateFollow();
  }

  /** `?lesson=<name>`: opens a bundled lesson at step `step` (0-based); false, saying nothing, if there is none by that name. */
  async openFromQuery(name: string, step = 0): Promise<boolean> {
    return bundledLesson(name) === undefined ? false : this.controller.openBundled(name, step);
  }

  /** Says that a link named a lesson that does not exist (after the fallback run is on screen). */
  sayUnknown(name: string, host: Pick<LessonHost, 'say' | 'showMessage'>): void {
    host.showMessage([`there is no bundled lesson '${name}' (the link names it); the lessons are: ${BUNDLED_LESSONS.map((l) => l.name).join(', ')}`], 'The link names no bundled lesson:');
    host.say(`There is no lesson called '${name}'.`);
  }

  /** Opens what a link carries: a bundled lesson by name, or a lesson file's text, at `step`. */
  async openLinked(lesson: { name: string; text?: string }, step: number): Promise<boolean> {
    if (lesson.text !== undefined) return this.controller.openText(lesson.text, `${lesson.name}.json`, step);
    return this.controller.openBundled(lesson.name, step);
  }

  api(): LessonApi {
    const c = this.controller;
    return {
      state: () => c.state(),
      next: () => (c.next(), c.state()),
      back: () => (c.back(), c.state()),
      go: (n) => (c.goTo(Math.floor(n) - 1), c.state()),
      answer: (value) => {
        const r = c.answer(value);
        return r === null ? null : { correct: r.correct, expected: r.expected, counted: r.counted };
      },
      open: (name) => c.openBundled(name),
      openText: (text, fileName = 'lesson.json') => c.openText(text, fileName),
      close: () => c.close(),
      glossary: (term = '') => {
        this.glossary.open(term);
        return this.glossary.shownTerm;
      },
    };
  }
}
