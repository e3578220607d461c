/**
 * The lesson feature (issue 11): a lesson resolved against the run on
 * screen, the step the class is on, its answers, and what the panel, the
 * keys, links and `window.hvsim.lesson` may do with it. It talks to the app
 * only through `LessonHost` (load a scenario, seek, pause, follow), so the
 * app shell knows nothing of steps or questions.
 *
 * Where a lesson comes from: a bundled lesson by name (`?lesson=<name>`,
 * the panel's picker, `open`), a lesson file (Open file…, a link carrying
 * its text), or a scenario's own `lesson` block (opened whenever such a
 * scenario is loaded). Moving to a step seeks the timeline to the record
 * its anchor lands on (the cursor stands just after it; `at: start` is the
 * cursor 0) and pauses there if the step says `pause`; the step's
 * `follow` becomes what stepping follows.
 */
import {
  BUNDLED_LESSONS,
  bundledLesson,
  bundledScenario,
  checkAnswer,
  formatErrors,
  looksLikeLesson,
  parseDataText,
  parseLessonText,
  resolveLesson,
  type LessonBlock,
  type LessonProblem,
  type LessonView,
  type ResolvedStep,
  type Scenario,
  type ScenarioRun,
} from '../../scenario/index.js';
import { describeFollow, type FollowTarget } from './follow.js';
import { loadAnswers, saveAnswers, type StoredAnswer } from './lesson-store.js';

/** What the lesson feature may ask of the app. */
export interface LessonHost {
  /** Loads scenario text as the run shown (`name`: a bundled scenario's); false on error (the app shows it). */
  loadText(text: string, fileName: string, name?: string): Promise<boolean>;
  /** The run shown, or null before the first load. */
  readonly shown: { name: string; text: string; scenario: Scenario; run: ScenarioRun } | null;
  /** The timeline's cursor (records applied). */
  readonly cursor: number;
  seek(index: number): void;
  pause(): void;
  /** What stepping follows (null: every record). */
  setFollow(target: FollowTarget | null): void;
  readonly follow: FollowTarget | null;
  /** Shows the cluster view, or the I/O view (a step's `view`). */
  showView(view: LessonView): void;
  /** A short notice that fades. */
  say(text: string): void;
  /** Messages in the scenario bar (errors). */
  showMessage(lines: string[], title?: string): void;
}

/** Where the open lesson came from (what a link must carry to open it again). */
export type LessonSource = { kind: 'bundled'; name: string } | { kind: 'file'; text: string } | { kind: 'scenario' };

/** A lesson open over the run on screen. */
export interface OpenLesson {
  /** The lesson's name (a bundled or file lesson's `name`; a scenario block's scenario name). */
  name: string;
  title: string;
  description: string;
  source: LessonSource;
  steps: ResolvedStep[];
  problems: LessonProblem[];
  fingerprint: string;
  /** The step shown, 0-based. */
  at: number;
  /** Whether the summary (after the last step) is shown. */
  summary: boolean;
  answers: Map<number, StoredAnswer>;
  /** Steps whose answer was revealed without a prediction. */
  revealed: Set<number>;
}

/** What `window.hvsim.lesson.state()` reports. */
export interface LessonState {
  /** The lesson's name, or '' when none is open. */
  name: string;
  title: string;
  /** The step shown, 1-based (0 when none is open). */
  step: number;
  steps: number;
  summary: boolean;
  caption: string;
  /** The question's prompt, or null. */
  question: { kind: 'number' | 'choice'; prompt: string; choices?: string[]; unit?: string } | null;
  answered: boolean;
  /** Whether the prediction was right (null: not answered). */
  correct: boolean | null;
  /** Questions answered and answered right, over the lesson. */
  score: { questions: number; answered: number; right: number };
  /** Where the step's anchor lands (the record index), or -1. */
  anchor: number;
  /** What stepping follows now, in words ('' for everything). */
  follow: string;
  /** The view the lesson set at this step (its own or an earlier step's `view`), or '' when none did. */
  view: LessonView | '';
  problems: string[];
}

/** The cursor a step puts the timeline at: just after its anchor's record (0 for `at: start`), or -1 if it lands nowhere. */
export function stepCursor(step: ResolvedStep): number {
  if (!step.anchor.landed.ok) return -1;
  if (step.anchor.spec.at === 'start') return 0;
  return step.anchor.landed.record.index + 1;
}

/** The flow of VM `vm`'s request number `request` (0-based, in issue order), if it issued one. */
export function requestFlow(run: ScenarioRun, vm: string, request: number): number | undefined {
  let n = 0;
  if (run.store !== null) {
    // The store's index by kind: only the issue records are read.
    for (const i of run.store.ofKind('io.request.issued')) if (run.store.field(i, 'vm') === vm && n++ === request) return run.store.flowAt(i);
    return undefined;
  }
  for (const r of run.records) if (r.kind === 'io.request.issued' && r.vm === vm && n++ === request) return r.flow;
  return undefined;
}

export class LessonController {
  private open: OpenLesson | null = null;
  /** While this controller loads a lesson's scenario, the app's "run changed" is its own doing. */
  private loading = false;
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly host: LessonHost) {}

  /** The lesson open, or null. */
  get lesson(): Readonly<OpenLesson> | null {
    return this.open;
  }

  /** Calls `fn` whenever the lesson, its step or an answer changes. */
  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  /** Opens bundled lesson `name` (loading its scenario) at `step` (0-based). An unknown name says so and changes nothing. */
  async openBundled(name: string, step = 0): Promise<boolean> {
    const bundled = bundledLesson(name);
    if (bundled === undefined) {
      const line = `there is no bundled lesson '${name}'; the lessons are: ${BUNDLED_LESSONS.map((l) => l.name).join(', ')}`;
      this.host.showMessage([line], 'No such lesson:');
      this.host.say(`No lesson called '${name}'.`);
      return false;
    }
    return this.openText(bundled.text, `${bundled.name}.json`, step, { kind: 'bundled', name: bundled.name });
  }

  /** Opens a lesson file's text (loading the bundled scenario it names) at `step`; errors name the field and line. */
  async openText(text: string, fileName: string, step = 0, source: LessonSource = { kind: 'file', text }): Promise<boolean> {
    const parsed = parseLessonText(text);
    if (!parsed.ok) {
      this.host.showMessage(formatErrors(parsed.errors, fileName), 'The lesson file has errors:');
      return false;
    }
    const scenario = bundledScenario(parsed.lesson.scenario)!;
    this.loading = true;
    let ok: boolean;
    try {
      ok = await this.host.loadText(scenario.text, `${scenario.name}.json`, scenario.name);
    } finally {
      this.loading = false;
    }
    const shown = this.host.shown;
    if (!ok || shown === null) return false;
    this.start(parsed.lesson.name, parsed.lesson, shown.run, source, step, fileName);
    return true;
  }

  /** Whether `text` is a lesson file rather than a scenario (Open file… and links hand lessons here). */
  static isLessonText(text: string): boolean {
    const read = parseDataText(text, 'lesson', (data) => ({ ok: true, value: looksLikeLesson(data) }));
    return read.ok && read.value;
  }

  /** The app loaded a run: open the scenario's own lesson, or close a lesson that was over another run. */
  runChanged(): void {
    if (this.loading) return;
    const shown = this.host.shown;
    if (shown !== null && shown.scenario.lesson !== undefined) {
      this.start(shown.scenario.name, shown.scenario.lesson, shown.run, { kind: 'scenario' }, 0);
      return;
    }
    if (this.open !== null) {
      this.open = null;
      this.host.setFollow(null);
      this.changed();
    }
  }

  /** Closes the lesson (the run stays). */
  close(): void {
    if (this.open === null) return;
    this.open = null;
    this.host.setFollow(null);
    this.changed();
  }

  /** `fileName`: the lesson file's, named before each problem as `hvsim lesson` does (a scenario's block has its path, `lesson.steps…`). */
  private start(name: string, lesson: Pick<LessonBlock, 'title' | 'description' | 'steps'>, run: ScenarioRun, source: LessonSource, step: number, fileName?: string): void {
    const resolved = resolveLesson(lesson, run, source.kind === 'scenario' ? 'lesson' : '');
    const kept = loadAnswers(name, run.fingerprint);
    this.open = {
      name,
      title: lesson.title,
      description: lesson.description ?? '',
      source,
      steps: resolved.steps,
      problems: resolved.problems,
      fingerprint: run.fingerprint,
      at: 0,
      summary: false,
      answers: kept.answers,
      revealed: kept.revealed,
    };
    if (resolved.problems.length > 0) {
      this.host.showMessage(
        resolved.problems.map((p) => `${fileName === undefined ? '' : `${fileName} `}${p.path}: ${p.message}`),
        'Some steps of the lesson do not fit this run:',
      );
    }
    this.goTo(Math.max(0, Math.min(resolved.steps.length - 1, Math.floor(step))));
  }

  /** Shows step `index` (0-based): seeks to its anchor, pauses if it says so, follows what it follows. */
  goTo(index: number): void {
    const l = this.open;
    if (l === null || index < 0 || index >= l.steps.length) return;
    l.at = index;
    l.summary = false;
    const step = l.steps[index]!;
    const follow = step.follow;
    this.host.setFollow(follow === undefined ? null : { vm: follow.vm, ...(follow.request !== undefined ? { request: follow.request } : {}), ...(follow.flow !== undefined ? { flow: follow.flow } : {}) });
    const view = viewAt(l.steps, index);
    if (view !== undefined) this.host.showView(view);
    if (step.pause) this.host.pause();
    const cursor = stepCursor(step);
    if (cursor >= 0) this.host.seek(cursor);
    else this.host.say(`Step ${index + 1}: ${step.anchor.text} lands on no record of this run.`);
    this.changed();
  }

  /**
   * Playback moved the cursor from `from` to `to`: where it crosses the next
   * step's anchor (a step later in the run than the one shown), the lesson
   * shows that step, and playback stops there if the step says `pause`. So
   * Play in a lesson runs the animation to the next point the lesson talks
   * about, its caption and question with it. Before, playback ran on past
   * every pause point to the end of the run while the panel still showed
   * the step it started from.
   */
  playedTo(from: number, to: number): void {
    const l = this.open;
    if (l === null || l.summary || l.at + 1 >= l.steps.length) return;
    const next = stepCursor(l.steps[l.at + 1]!);
    if (next > stepCursor(l.steps[l.at]!) && from < next && to >= next) this.goTo(l.at + 1);
  }

  /** The next step, or the summary after the last. */
  next(): void {
    const l = this.open;
    if (l === null) return;
    if (l.summary) return;
    if (l.at + 1 < l.steps.length) this.goTo(l.at + 1);
    else {
      l.summary = true;
      this.host.pause();
      this.changed();
    }
  }

  /** The step before (from the summary: the last step). */
  back(): void {
    const l = this.open;
    if (l === null) return;
    if (l.summary) this.goTo(l.at);
    else if (l.at > 0) this.goTo(l.at - 1);
  }

  /**
   * Checks a prediction for the step shown (a number, or a choice's 0-based
   * index), keeps it in this browser and reveals the answer. The first
   * prediction counts: once the step is answered or its answer shown, a
   * new one is checked but not kept (`counted` false), so the score says
   * what the class predicted, not what it typed after seeing the answer
   * ("Forget my answers" starts over). Null when the step asks nothing or
   * the prediction is not one it can take.
   */
  answer(value: number): { correct: boolean; expected: number | number[]; detail: string; counted: boolean } | null {
    const l = this.open;
    if (l === null || l.summary) return null;
    const step = l.steps[l.at]!;
    const check = checkAnswer(step, value);
    if (!check.ok) {
      this.host.say(check.why);
      return null;
    }
    if (l.answers.has(l.at) || l.revealed.has(l.at)) {
      this.host.say(`${check.right ? 'Right' : 'Not quite'}, but your first prediction stands${l.answers.has(l.at) ? '' : ' (the answer was shown)'}: Forget my answers to start over.`);
      return { correct: check.right, expected: check.expected, detail: check.detail, counted: false };
    }
    l.answers.set(l.at, { value, right: check.right });
    saveAnswers(l.name, l.fingerprint, l.answers, l.revealed);
    this.changed();
    return { correct: check.right, expected: check.expected, detail: check.detail, counted: true };
  }

  /** Shows the step's answer without a prediction. */
  reveal(): void {
    const l = this.open;
    if (l === null || l.summary) return;
    l.revealed.add(l.at);
    saveAnswers(l.name, l.fingerprint, l.answers, l.revealed);
    this.changed();
  }

  /** Forgets this lesson's answers (in this browser too). */
  clearAnswers(): void {
    const l = this.open;
    if (l === null) return;
    l.answers.clear();
    l.revealed.clear();
    saveAnswers(l.name, l.fingerprint, l.answers, l.revealed);
    this.changed();
  }

  /** What a link must carry to open the lesson again at this step (null: no lesson open). */
  linkPart(): { lesson?: { name: string; text?: string }; step: number } | null {
    const l = this.open;
    if (l === null) return null;
    if (l.source.kind === 'bundled') return { lesson: { name: l.source.name }, step: l.at };
    if (l.source.kind === 'file') return { lesson: { name: l.name, text: l.source.text }, step: l.at };
    return { step: l.at };
  }

  state(): LessonState {
    const l = this.open;
    const followed = this.host.follow;
    const follow = followed === null ? '' : describeFollow(followed);
    if (l === null) {
      return { name: '', title: '', step: 0, steps: 0, summary: false, caption: '', question: null, answered: false, correct: null, score: { questions: 0, answered: 0, right: 0 }, anchor: -1, follow, view: '', problems: [] };
    }
    const step = l.steps[l.at]!;
    const q = step.question;
    const a = l.answers.get(l.at);
    const questions = l.steps.filter((s) => s.question !== undefined).length;
    const right = [...l.answers.values()].filter((x) => x.right).length;
    return {
      name: l.name,
      title: l.title,
      step: l.at + 1,
      steps: l.steps.length,
      summary: l.summary,
      caption: step.caption,
      question:
        q === undefined
          ? null
          : q.kind === 'number'
            ? { kind: 'number', prompt: q.spec.prompt, ...(q.spec.unit !== undefined ? { unit: q.spec.unit } : {}) }
            : { kind: 'choice', prompt: q.spec.prompt, choices: q.choices.map((c) => c.text) },
      answered: a !== undefined,
      correct: a === undefined ? null : a.right,
      score: { questions, answered: l.answers.size, right },
      anchor: step.anchor.landed.ok ? step.anchor.landed.record.index : -1,
      follow,
      view: viewAt(l.steps, l.at) ?? '',
      problems: l.problems.map((p) => `${p.path}: ${p.message}`),
    };
  }
}

/** The view in effect at step `index`: the last one a step up to it names (a step keeps the view until another names one), if any. */
export function viewAt(steps: readonly Pick<ResolvedStep, 'view'>[], index: number): LessonView | undefined {
  for (let i = Math.min(index, steps.length - 1); i >= 0; i--) {
    const view = steps[i]!.view;
    if (view !== undefined) return view;
  }
  return undefined;
}
