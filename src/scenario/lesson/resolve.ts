/**
 * A lesson against a finished run: where each step's anchor lands (the
 * record's index in the trace), what it follows, and for each question the
 * expected answer computed from the run's figures, with the figures it
 * used. Answers are never read from the file: they are evaluated here, by
 * the same path resolution and metric reading as claims. Pure and
 * deterministic; an anchor that matches no record, or an answer that
 * cannot be computed, is reported as a problem (never skipped silently).
 */
import { formatNs } from '../../engine/index.js';
import type { HvRecord, RecordKind } from '../../model/trace-events.js';
import { formatFigure, formatMetric, formatNumber, resolveClaimSide, withUnit, type ClaimMetric, type ClaimPathFigures } from '../claims.js';
import type { RunFigures } from '../../metrics/run-figures.js';
import { durationNs } from '../units.js';
import type { RecordList } from '../run.js';
import {
  evaluateComparison,
  evaluateExpression,
  isRunFigure,
  parseComparison,
  parseExpression,
  type Comparison,
  type Expr,
  type FigureRef,
  type FigureValue,
  type Parsed,
} from './expression.js';
import type { LessonAnchor, LessonBlock, LessonQuestion, LessonStep, LessonView } from './schema.js';

/** What a lesson is resolved against: the parts of a `ScenarioRun` it reads. */
export interface LessonRunInput {
  /** The run's records as objects (`ScenarioRun.records`), read when it kept none in columns. */
  records: RecordList;
  /** The run's records in columns (`ScenarioRun.store`, as the app keeps them), read first. */
  store?: RecordList | null;
  paths: readonly ClaimPathFigures[];
  /** The figures beyond the paths (VM life, the cluster, scheduling: `ScenarioRun.figures`), for answers that name one. */
  figures?: RunFigures;
  /** The topology's places, to tell which VM a record with no request belongs to. */
  output: { topology: { places: readonly { id: string; partition: string }[] } };
}

/** The record an anchor landed on. */
export interface LandedRecord {
  /** Index of the record in the run's records (the timeline position). */
  index: number;
  seq: number;
  t: number;
  kind: RecordKind;
  place: string;
  stream: string;
  flow: number;
}

/** A step's anchor: the selector in words, and the record it lands on or why none. */
export interface ResolvedAnchor {
  /** The anchor as written in the file. */
  spec: LessonAnchor;
  /** The anchor in words, e.g. `the 1st hv.intercept.exited of VM legacy-pio`. */
  text: string;
  landed: { ok: true; record: LandedRecord } | { ok: false; why: string };
}

/** What a step's stepping follows. */
export interface ResolvedFollow {
  vm: string;
  /** The request number within the VM (0-based, in issue order), when one is followed. */
  request?: number;
  /** The run's flow id of that request (the records' `flow`), when found. */
  flow?: number;
}

/** One figure an answer read. */
export interface FigureUse {
  /** As written in the expression, e.g. `legacy-pio perIo.vmExits`. */
  text: string;
  /** The path and metric it resolved to, e.g. `legacy-pio/data/ide-pio perIo.vmExits`, or the run figure's name. */
  label: string;
  /** The path's metric (absent for a run figure). */
  metric?: ClaimMetric;
  value: number;
  /** The value in its unit with its words, e.g. `154 VM exits/IO`. */
  formatted: string;
}

/** A number question with its computed answer. */
export interface ResolvedNumberQuestion {
  kind: 'number';
  spec: Extract<LessonQuestion, { kind: 'number' }>;
  answer: { ok: true; value: number; text: string } | { ok: false; why: string };
  figures: FigureUse[];
}

/** A choice question with the right choice(s) computed. */
export interface ResolvedChoiceQuestion {
  kind: 'choice';
  spec: Extract<LessonQuestion, { kind: 'choice' }>;
  /** Per choice: its figure's value (with pick), or whether its comparison holds (without). */
  choices: { text: string; value?: number; holds?: boolean }[];
  /** Indices (0-based) of the right choices: one, or several when they tie or several comparisons hold. */
  answer: { ok: true; correct: number[]; text: string } | { ok: false; why: string };
  figures: FigureUse[];
}

export type ResolvedQuestion = ResolvedNumberQuestion | ResolvedChoiceQuestion;

/** One step resolved against a run. */
export interface ResolvedStep {
  /** 0-based position in the lesson. */
  index: number;
  caption: string;
  pause: boolean;
  anchor: ResolvedAnchor;
  follow?: ResolvedFollow;
  /** The view the step switches to, when it names one. */
  view?: LessonView;
  question?: ResolvedQuestion;
}

/** A step that could not be resolved: the field and why. */
export interface LessonProblem {
  /** Dotted path of the field, e.g. `steps.3.anchor`. */
  path: string;
  message: string;
}

/** A lesson resolved against a run. `ok` is false when an anchor landed nowhere or an answer could not be computed. */
export interface LessonResolution {
  ok: boolean;
  steps: ResolvedStep[];
  problems: LessonProblem[];
}

const ordinal = (n: number): string => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n.toLocaleString('en-US')}${suffix}`;
};

/** An anchor in words: `start`, `12 µs`, `the 2nd hv.intercept.exited at hv of VM legacy-pio, request 0`. */
export function describeAnchor(anchor: LessonAnchor): string {
  if (anchor.at !== undefined) {
    if (anchor.at === 'start' || anchor.at === 'end') return `the ${anchor.at} of the run`;
    const ns = durationNs(anchor.at);
    return `the last record at or before ${ns.ok ? formatNs(ns.value) : String(anchor.at)}`;
  }
  const parts = [`the ${ordinal(anchor.nth ?? 1)} ${anchor.kind ?? 'record'}`];
  if (anchor.place !== undefined) parts.push(`at ${anchor.place}`);
  if (anchor.vm !== undefined) parts.push(anchor.request === undefined ? `of VM ${anchor.vm}` : `of VM ${anchor.vm}'s request ${anchor.request}`);
  return parts.join(' ');
}

/** The flow ids of each VM's requests, in issue order. */
function flowsByVm(records: RecordList): Map<string, number[]> {
  const flows = new Map<string, number[]>();
  for (let i = 0; i < records.length; i++) {
    const record = records.at(i)!;
    if (record.kind !== 'io.request.issued') continue;
    const list = flows.get(record.vm) ?? [];
    list.push(record.flow);
    flows.set(record.vm, list);
  }
  return flows;
}

/**
 * The VM a record belongs to: its stream's VM; for work of no stream, the VM
 * the record names (a life-cycle or cluster record's own `vm`: the
 * hypervisor stopping a VM's processors, a migration pass), else the
 * partition of its place.
 */
function vmOf(record: HvRecord, partitions: ReadonlyMap<string, string>): string {
  if (record.stream !== '') {
    const slash = record.stream.indexOf('/');
    return slash < 0 ? record.stream : record.stream.slice(0, slash);
  }
  const named = (record as { vm?: unknown }).vm;
  if (typeof named === 'string' && named !== '') return named;
  return partitions.get(record.place) ?? '';
}

function landed(record: HvRecord, index: number): LandedRecord {
  return { index, seq: record.seq, t: record.t, kind: record.kind, place: record.place, stream: record.stream, flow: record.flow };
}

function resolveAnchor(anchor: LessonAnchor, run: LessonRunInput, flows: Map<string, number[]>, partitions: ReadonlyMap<string, string>): ResolvedAnchor {
  const text = describeAnchor(anchor);
  const records = run.store ?? run.records;
  const fail = (why: string): ResolvedAnchor => ({ spec: anchor, text, landed: { ok: false, why } });
  if (records.length === 0) return fail('the run has no records');
  const last = records.length - 1;
  if (anchor.at !== undefined) {
    if (anchor.at === 'start') return { spec: anchor, text, landed: { ok: true, record: landed(records.at(0)!, 0) } };
    if (anchor.at === 'end') return { spec: anchor, text, landed: { ok: true, record: landed(records.at(last)!, last) } };
    const ns = durationNs(anchor.at);
    if (!ns.ok) return fail(`not a duration: ${ns.why}`);
    const endNs = records.at(last)!.t;
    if (ns.value > endNs) return fail(`the run's last record is at ${formatNs(endNs)}, before ${formatNs(ns.value)}`);
    let found = -1;
    for (let i = 0; i < records.length; i++) if (records.at(i)!.t <= ns.value) found = i;
    return found < 0 ? fail(`no record at or before ${formatNs(ns.value)}`) : { spec: anchor, text, landed: { ok: true, record: landed(records.at(found)!, found) } };
  }
  let flow: number | undefined;
  if (anchor.vm !== undefined && anchor.request !== undefined) {
    const vmFlows = flows.get(anchor.vm) ?? [];
    flow = vmFlows[anchor.request];
    if (flow === undefined) return fail(`VM ${anchor.vm} issued ${vmFlows.length.toLocaleString('en-US')} request${vmFlows.length === 1 ? '' : 's'} in this run, so it has no request ${anchor.request}`);
  }
  const nth = anchor.nth ?? 1;
  let matches = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records.at(i)!;
    if (anchor.kind !== undefined && record.kind !== anchor.kind) continue;
    if (anchor.place !== undefined && record.place !== anchor.place) continue;
    if (flow !== undefined ? record.flow !== flow : anchor.vm !== undefined && vmOf(record, partitions) !== anchor.vm) continue;
    if (++matches === nth) return { spec: anchor, text, landed: { ok: true, record: landed(record, i) } };
  }
  return fail(matches === 0 ? 'no record of the run matches it' : `only ${matches.toLocaleString('en-US')} record${matches === 1 ? '' : 's'} of the run match${matches === 1 ? 'es' : ''} it`);
}

/** Reads figures from the run's paths through the claims' resolution, remembering each one used. */
function figureReader(paths: readonly ClaimPathFigures[], runFigures: RunFigures, used: FigureUse[]): (figure: FigureRef) => FigureValue {
  return (figure) => {
    if (isRunFigure(figure)) {
      const { resolved } = resolveClaimSide({ figure: figure.figure }, paths, runFigures);
      if (!resolved.ok) return { ok: false, why: resolved.why };
      if (!used.some((u) => u.text === figure.text)) used.push({ text: figure.text, label: figure.figure, value: resolved.value, formatted: formatFigure(figure.figure, resolved.value) });
      return { ok: true, value: resolved.value };
    }
    const { resolved } = resolveClaimSide({ vm: figure.vm, disk: figure.disk, path: figure.path, metric: figure.metric }, paths);
    if (!resolved.ok) return { ok: false, why: resolved.why };
    if (!used.some((u) => u.text === figure.text)) {
      used.push({ text: figure.text, label: `${resolved.name} ${figure.metric}`, metric: figure.metric, value: resolved.value, formatted: formatMetric(figure.metric, resolved.value) });
    }
    return { ok: true, value: resolved.value };
  };
}

function parsedOrWhy<T>(parsed: Parsed<T>): { ok: true; value: T } | { ok: false; why: string } {
  return parsed.ok ? parsed : { ok: false, why: `at column ${parsed.column}: ${parsed.message}` };
}

/** A number's answer as text: `154 VM exits`, `1 VM exit`, `2.29 ms`. */
export function formatAnswer(value: number, unit: string | undefined): string {
  return unit === undefined ? formatNumber(value) : withUnit(formatNumber(value), unit);
}

function resolveQuestion(question: LessonQuestion, paths: readonly ClaimPathFigures[], runFigures: RunFigures): ResolvedQuestion {
  const figures: FigureUse[] = [];
  const read = figureReader(paths, runFigures, figures);
  if (question.kind === 'number') {
    const parsed = parsedOrWhy<Expr>(parseExpression(question.answer));
    const value = parsed.ok ? evaluateExpression(parsed.value, read) : parsed;
    return {
      kind: 'number',
      spec: question,
      answer: value.ok ? { ok: true, value: value.value, text: formatAnswer(value.value, question.unit) } : { ok: false, why: value.why },
      figures,
    };
  }
  const choices: ResolvedChoiceQuestion['choices'] = [];
  const whys: string[] = [];
  question.choices.forEach((choice, c) => {
    if (question.pick !== undefined) {
      const parsed = parsedOrWhy<Expr>(parseExpression(choice.figure ?? ''));
      const value = parsed.ok ? evaluateExpression(parsed.value, read) : parsed;
      if (value.ok) choices.push({ text: choice.text, value: value.value });
      else {
        choices.push({ text: choice.text });
        whys.push(`choice ${c + 1}: ${value.why}`);
      }
      return;
    }
    const parsed = parsedOrWhy<Comparison>(parseComparison(choice.correctIf ?? ''));
    const value = parsed.ok ? evaluateComparison(parsed.value, read) : parsed;
    if (value.ok) choices.push({ text: choice.text, holds: value.value.holds });
    else {
      choices.push({ text: choice.text });
      whys.push(`choice ${c + 1}: ${value.why}`);
    }
  });
  if (whys.length > 0) return { kind: 'choice', spec: question, choices, answer: { ok: false, why: whys.join('; ') }, figures };
  let correct: number[];
  if (question.pick !== undefined) {
    const values = choices.map((choice) => choice.value!);
    const best = question.pick === 'largest' ? Math.max(...values) : Math.min(...values);
    correct = values.flatMap((value, i) => (value === best ? [i] : []));
  } else {
    correct = choices.flatMap((choice, i) => (choice.holds === true ? [i] : []));
  }
  if (correct.length === 0) return { kind: 'choice', spec: question, choices, answer: { ok: false, why: 'no choice is right in this run: no correctIf holds' }, figures };
  const text = correct.map((i) => `${i + 1}. ${choices[i]!.text}`).join('; ');
  return { kind: 'choice', spec: question, choices, answer: { ok: true, correct, text }, figures };
}

/**
 * Resolves every step of `lesson` against `run` (a finished `ScenarioRun`).
 * `at` prefixes the problems' paths: `lesson` for a scenario's block, ''
 * for a lesson file.
 * @example const resolved = resolveLesson(lesson, runScenario(scenario)); resolved.steps[0].anchor.landed
 */
export function resolveLesson(lesson: Pick<LessonBlock, 'steps'>, run: LessonRunInput, at = ''): LessonResolution {
  const flows = flowsByVm(run.store ?? run.records);
  const partitions = new Map(run.output.topology.places.map((place) => [place.id, place.partition]));
  const problems: LessonProblem[] = [];
  const prefix = at === '' ? '' : `${at}.`;
  const steps = lesson.steps.map((step: LessonStep, index): ResolvedStep => {
    const anchor = resolveAnchor(step.anchor, run, flows, partitions);
    if (!anchor.landed.ok) problems.push({ path: `${prefix}steps.${index}.anchor`, message: `${anchor.text} lands on no record: ${anchor.landed.why}` });
    const resolved: ResolvedStep = { index, caption: step.caption, pause: step.pause ?? false, anchor };
    if (step.follow !== undefined) {
      const follow: ResolvedFollow = { vm: step.follow.vm };
      if (step.follow.request !== undefined) {
        follow.request = step.follow.request;
        const flow = flows.get(step.follow.vm)?.[step.follow.request];
        if (flow === undefined) problems.push({ path: `${prefix}steps.${index}.follow.request`, message: `VM ${step.follow.vm} has no request ${step.follow.request} in this run` });
        else follow.flow = flow;
      }
      resolved.follow = follow;
    }
    if (step.view !== undefined) resolved.view = step.view;
    if (step.question !== undefined) {
      const question = resolveQuestion(step.question, run.paths, run.figures ?? {});
      if (!question.answer.ok) {
        const field = question.kind === 'number' ? 'answer' : 'choices';
        problems.push({ path: `${prefix}steps.${index}.question.${field}`, message: `the answer cannot be computed from this run: ${question.answer.why}` });
      }
      resolved.question = question;
    }
    return resolved;
  });
  return { ok: problems.length === 0, steps, problems };
}

/** Whether a prediction is right: `right`, the expected answer, and a sentence for the reveal. */
export type AnswerCheck = { ok: true; right: boolean; expected: number | number[]; detail: string } | { ok: false; why: string };

/**
 * Checks a prediction against a resolved step's question: for a number
 * question, whether `value` lies within the tolerance of the computed
 * answer; for a choice, whether `value` (a 0-based choice index) is one of
 * the right choices.
 * @example checkAnswer(resolved.steps[2], 150) // { ok: true, right: true, expected: 154, ... }
 */
export function checkAnswer(step: Pick<ResolvedStep, 'question'>, value: number): AnswerCheck {
  const question = step.question;
  if (question === undefined) return { ok: false, why: 'this step asks no question' };
  if (!question.answer.ok) return { ok: false, why: `the answer cannot be computed from this run: ${question.answer.why}` };
  if (!Number.isFinite(value)) return { ok: false, why: 'the prediction is not a finite number' };
  if (question.kind === 'choice') {
    const { correct, text } = question.answer;
    if (!Number.isInteger(value) || value < 0 || value >= question.choices.length) return { ok: false, why: `a choice is a number 0..${question.choices.length - 1}` };
    const right = correct.includes(value);
    return { ok: true, right, expected: correct, detail: right ? `right: ${text}` : `not this one; the run says ${text}` };
  }
  const expected = question.answer.value;
  const { tolerance, unit } = question.spec;
  const allowed = tolerance.percent !== undefined ? (tolerance.percent / 100) * Math.abs(expected) : (tolerance.absolute ?? 0);
  // A hair of slack so that a prediction written with the answer's shown digits is not refused for float rounding.
  const right = Math.abs(value - expected) <= allowed + 1e-9 * Math.max(1, Math.abs(expected));
  const within = tolerance.percent !== undefined ? `${formatNumber(tolerance.percent)}%` : formatAnswer(tolerance.absolute ?? 0, unit);
  return {
    ok: true,
    right,
    expected,
    detail: `${right ? 'right: within' : 'not within'} ${within} of ${question.answer.text}: the prediction was ${formatAnswer(value, unit)}`,
  };
}
