/**
 * `hvsim lesson <name|file> [--json]`: a trainer's sheet for a lesson. It
 * runs the lesson's scenario, lands each step's anchor on a record of the
 * run and computes each question's answer from the run's figures, then
 * prints every step (n/m, where it lands, caption, question and answer).
 * A step that lands nowhere or an answer that cannot be computed is named
 * on stderr and exits 1, as a stuck run does; bad lesson input exits 2
 * with the field path. Also here: lessons in `hvsim list`, lesson files in
 * `hvsim validate`, and `hvsim schema --lesson`.
 */
import { statSync } from 'node:fs';
import { formatNs } from '../engine/index.js';
import {
  BUNDLED_LESSONS,
  bundledLesson,
  bundledScenario,
  formatErrors,
  leftUnfinished,
  lessonJsonSchemaText,
  looksLikeLesson,
  parseDataText,
  runScenario,
  TraceLimitError,
  unfinishedMessage,
  validateLesson,
  validateScenario,
  resolveLesson,
  type LessonBlock,
  type LessonResolution,
  type ResolvedQuestion,
  type ResolvedStep,
  type Scenario,
  type ScenarioError,
  type ScenarioRun,
} from '../scenario/index.js';
import { validateCommand } from './commands.js';
import { complain, EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED, type CliIo } from './io.js';
import type { LessonCommand } from './lesson-args.js';
import { readScenarioSource } from './source.js';

/** A lesson ready to resolve: its steps, its scenario, and where its errors point. */
interface LoadedLesson {
  name: string;
  title: string;
  description?: string;
  steps: LessonBlock['steps'];
  scenario: Scenario;
  fileName: string;
  /** Prefix of the steps' paths in problems: '' for a lesson file, 'lesson' for a scenario's block. */
  at: string;
}

type Loaded = { ok: true; lesson: LoadedLesson } | { ok: false; errors: ScenarioError[] } | { ok: false; message: string };

const exists = (path: string): boolean => {
  try {
    return statSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
};

/** Reads `target`: a bundled lesson, a lesson file, or a scenario file with a lesson block. */
function readLesson(target: string, needLesson: boolean): Loaded | { ok: true; scenarioOnly: true } {
  const bundled = exists(target) ? undefined : bundledLesson(target);
  let text: string;
  let fileName: string;
  if (bundled !== undefined) {
    text = bundled.text;
    fileName = `${bundled.name}.json`;
  } else {
    if (!exists(target)) {
      return { ok: false, message: `no lesson file '${target}', and no bundled lesson of that name (bundled: ${BUNDLED_LESSONS.map((l) => l.name).join(', ')})` };
    }
    const source = readScenarioSource(target);
    if (!source.ok) return { ok: false, message: source.message };
    text = source.text;
    fileName = source.fileName;
  }
  const parsed = parseDataText<LoadedLesson | null>(text, 'lesson', (data) => {
    if (looksLikeLesson(data)) {
      const result = validateLesson(data);
      if (!result.ok) return result;
      const { lesson, scenario } = result;
      return { ok: true, value: { name: lesson.name, title: lesson.title, ...(lesson.description === undefined ? {} : { description: lesson.description }), steps: lesson.steps, scenario, fileName, at: '' } };
    }
    if (!needLesson) return { ok: true, value: null };
    const result = validateScenario(data);
    if (!result.ok) return result;
    const block = result.scenario.lesson;
    if (block === undefined) {
      return { ok: false, errors: [{ path: 'lesson', message: `missing, allowed a lesson block (title, steps) in the scenario, or a lesson file (version, name, title, scenario, steps)`, found: 'nothing (the field is missing)' }] };
    }
    return {
      ok: true,
      value: { name: result.scenario.name, title: block.title, ...(block.description === undefined ? {} : { description: block.description }), steps: block.steps, scenario: result.scenario, fileName, at: 'lesson' },
    };
  });
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  if (parsed.value === null) return { ok: true, scenarioOnly: true };
  return { ok: true, lesson: parsed.value };
}

function reportErrors(io: CliIo, fileName: string, errors: readonly ScenarioError[]): number {
  const count = errors.length;
  io.err.write(`hvsim: ${fileName} is not a valid lesson (${count} error${count === 1 ? '' : 's'}):\n`);
  for (const line of formatErrors(errors, fileName)) io.err.write(`  ${line}\n`);
  return EXIT_BAD_INPUT;
}

function fileNameOf(target: string): string {
  const bundled = exists(target) ? undefined : bundledLesson(target);
  return bundled === undefined ? target : `${bundled.name}.json`;
}

/** `hvsim lesson <name|file> [--json]`. */
export function lessonCommand(io: CliIo, command: LessonCommand): number {
  const read = readLesson(command.target, true);
  if (!read.ok) return 'message' in read ? complain(io, read.message) : reportErrors(io, fileNameOf(command.target), read.errors);
  if ('scenarioOnly' in read) return complain(io, `${command.target} has no lesson`); // not reached: needLesson
  const lesson = read.lesson;
  let run: ScenarioRun;
  try {
    run = runScenario(lesson.scenario);
  } catch (error) {
    if (error instanceof TraceLimitError) return complain(io, error.message, EXIT_RUN_FAILED);
    return complain(io, `the run failed: ${error instanceof Error ? error.message : String(error)}`, EXIT_RUN_FAILED);
  }
  const resolution = resolveLesson(lesson, run, lesson.at);
  io.out.write(command.format === 'json' ? `${JSON.stringify(sheetJson(lesson, run, resolution), null, 2)}\n` : sheetText(lesson, run, resolution));
  let code = EXIT_OK;
  if (leftUnfinished(run)) {
    for (const line of unfinishedMessage(run)) io.err.write(`hvsim: ${line}\n`);
    code = EXIT_RUN_FAILED;
  }
  if (!resolution.ok) {
    const count = resolution.problems.length;
    io.err.write(`hvsim: ${count} step${count === 1 ? '' : 's'} of ${lesson.fileName} could not be resolved against the run of '${lesson.scenario.name}':\n`);
    for (const problem of resolution.problems) io.err.write(`  ${lesson.fileName} ${problem.path}: ${problem.message}\n`);
    code = EXIT_RUN_FAILED;
  }
  return code;
}

/** The question's computed answer in words, with the figures it used. */
function answerLines(question: ResolvedQuestion): string[] {
  if (!question.answer.ok) return [`Answer: cannot be computed from this run: ${question.answer.why}`];
  const lines: string[] = [];
  if (question.kind === 'number') {
    const { tolerance } = question.spec;
    const within = tolerance.percent !== undefined ? `within ${tolerance.percent}%` : tolerance.absolute === 0 ? 'only when exact' : `within ±${tolerance.absolute}`;
    lines.push(`Answer: ${question.answer.text} (a prediction is right ${within})`);
  } else {
    question.choices.forEach((choice, c) => {
      const mark = question.answer.ok && question.answer.correct.includes(c) ? '*' : ' ';
      lines.push(`${mark} ${c + 1}. ${choice.text}`);
    });
    lines.push(`Answer: ${question.answer.text}${question.spec.pick === undefined ? '' : ` (the ${question.spec.pick})`}`);
  }
  for (const figure of question.figures) lines.push(`  from ${figure.label}: ${figure.formatted}`);
  return lines;
}

function landingText(step: ResolvedStep): string {
  const landed = step.anchor.landed;
  if (!landed.ok) return `no record: ${landed.why}`;
  const r = landed.record;
  // Counted from 1, as the app's position and narrator count it ("Record 22"), with the trace's seq (0-based) beside it.
  return `record ${(r.index + 1).toLocaleString('en-US')} (seq ${r.index.toLocaleString('en-US')}) at ${formatNs(r.t)}: ${r.kind} at ${r.place}`;
}

function followText(step: ResolvedStep): string {
  if (step.follow === undefined) return '';
  return step.follow.request === undefined ? `; following VM ${step.follow.vm}` : `; following VM ${step.follow.vm}'s request ${step.follow.request}`;
}

/** The sheet as text: a header, then each step with its landing, caption, question and answer. */
export function sheetText(lesson: LoadedLesson, run: ScenarioRun, resolution: LessonResolution): string {
  const questions = resolution.steps.filter((step) => step.question !== undefined).length;
  const total = resolution.steps.length;
  const out: string[] = [
    `Lesson ${lesson.name}: ${lesson.title}`,
    `Scenario ${lesson.scenario.name} (seed ${run.config.seed}, profile ${run.config.profile}), fingerprint ${run.fingerprint}; ${total} step${total === 1 ? '' : 's'}, ${questions} question${questions === 1 ? '' : 's'}`,
  ];
  for (const step of resolution.steps) {
    out.push('', `Step ${step.index + 1}/${total}: ${step.anchor.text}${followText(step)}${step.view === undefined ? '' : ` [${step.view === 'cluster' ? 'cluster view' : 'I/O view'}]`}${step.pause ? ' [pause]' : ''}`);
    out.push(`  lands on ${landingText(step)}`);
    out.push(`  ${step.caption}`);
    const question = step.question;
    if (question === undefined) continue;
    out.push(`  Question (${question.kind}): ${question.spec.prompt}`);
    for (const line of answerLines(question)) out.push(`  ${line}`);
    out.push(`  Reveal: ${question.spec.reveal}`);
  }
  return `${out.join('\n')}\n`;
}

/** The sheet as one JSON object: `{ lesson, title, scenario, fingerprint, ok, problems, steps: [{ caption, anchor, question, answer }] }`. */
export function sheetJson(lesson: LoadedLesson, run: ScenarioRun, resolution: LessonResolution): Record<string, unknown> {
  return {
    lesson: lesson.name,
    title: lesson.title,
    scenario: lesson.scenario.name,
    seed: run.config.seed,
    profile: run.config.profile,
    fingerprint: run.fingerprint,
    ok: resolution.ok,
    problems: resolution.problems,
    steps: resolution.steps.map((step) => ({
      step: step.index + 1,
      caption: step.caption,
      pause: step.pause,
      anchor: {
        ...step.anchor.spec,
        text: step.anchor.text,
        record: step.anchor.landed.ok ? step.anchor.landed.record : null,
        ...(step.anchor.landed.ok ? {} : { error: step.anchor.landed.why }),
      },
      follow: step.follow ?? null,
      view: step.view ?? null,
      question: step.question?.spec ?? null,
      answer: step.question === undefined ? null : answerJson(step.question),
    })),
  };
}

function answerJson(question: ResolvedQuestion): Record<string, unknown> {
  const figures = question.figures.map(({ text, label, value, formatted }) => ({ text, label, value, formatted }));
  if (!question.answer.ok) return { error: question.answer.why, figures };
  if (question.kind === 'number') return { value: question.answer.value, text: question.answer.text, tolerance: question.spec.tolerance, figures };
  return { correct: question.answer.correct, text: question.answer.text, choices: question.choices, figures };
}

/**
 * `hvsim validate <file|name>`, for lessons as well as scenarios: a lesson
 * file is recognised by its fields; a bundled name is a scenario's first.
 */
export function validateWithLessons(io: CliIo, target: string): number {
  // A name that is both a bundled scenario and a bundled lesson (queue-depth) stays the scenario here.
  const isBundledLesson = !exists(target) && bundledScenario(target) === undefined && bundledLesson(target) !== undefined;
  if (!isBundledLesson && !exists(target)) return validateCommand(io, target); // a bundled scenario, or its message
  const read = readLesson(target, false);
  if (read.ok && 'scenarioOnly' in read) return validateCommand(io, target);
  if (!read.ok) {
    // Syntax errors and scenario errors are the scenario validator's to report, in its words.
    if ('message' in read) return complain(io, read.message);
    if (!isBundledLesson && !isLessonText(target)) return validateCommand(io, target);
    return reportErrors(io, fileNameOf(target), read.errors);
  }
  const { lesson } = read;
  const questions = lesson.steps.filter((step) => step.question !== undefined).length;
  io.out.write(`${lesson.fileName}: valid lesson '${lesson.name}' over scenario '${lesson.scenario.name}': ${lesson.steps.length} step${lesson.steps.length === 1 ? '' : 's'}, ${questions} question${questions === 1 ? '' : 's'}\n`);
  return EXIT_OK;
}

/** Whether the file at `target` parses as data that looks like a lesson file. */
function isLessonText(target: string): boolean {
  const source = readScenarioSource(target);
  if (!source.ok) return false;
  const parsed = parseDataText<boolean>(source.text, 'lesson', (data) => ({ ok: true, value: looksLikeLesson(data) }));
  return parsed.ok && parsed.value;
}

/** The lessons part of `hvsim list`: a heading, then one line per bundled lesson. */
export function listLessons(io: CliIo): number {
  const width = Math.max(...BUNDLED_LESSONS.map((l) => l.name.length));
  io.out.write('\nLessons (hvsim lesson <name>):\n');
  for (const bundled of BUNDLED_LESSONS) {
    const result = validateLesson(JSON.parse(bundled.text) as unknown);
    const summary = result.ok ? `${result.lesson.title} (scenario ${result.lesson.scenario})` : '(invalid: run hvsim validate on it)';
    io.out.write(`${bundled.name.padEnd(width)}  ${summary}\n`);
  }
  return EXIT_OK;
}

/** `hvsim schema --lesson`. */
export function lessonSchemaCommand(io: CliIo): number {
  io.out.write(lessonJsonSchemaText());
  return EXIT_OK;
}
