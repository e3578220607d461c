/**
 * The lesson format as zod 4 schemas: ordered steps, each anchored to a
 * record (or a time) of the run, with a caption, an optional pause, the
 * VM or request to follow, and an optional predict-then-reveal question
 * whose answer is an expression over the run's figures (never a number
 * written in the file). A lesson is either a `lesson` block inside a
 * scenario or a lesson file naming a bundled scenario. Structure only:
 * `references.ts` checks VMs, places and figures against the scenario.
 *
 * This module must not import `../schema.ts` (that one imports this one).
 */
import * as z from 'zod';
import { RECORD_KINDS, type RecordKind } from '../../model/trace-events.js';
import { closest } from '../errors.js';
import { grouped } from '../../engine/index.js';
import { DURATION_ALLOWED, DURATION_MAX_NS, DURATION_PATTERN, durationNs } from '../units.js';
import { COMPARISON_ALLOWED, EXPRESSION_ALLOWED, EXPRESSION_MAX, parseComparison, parseExpression } from './expression.js';

/** The only lesson file format version so far. */
export const LESSON_VERSION = 1;
/** The longest caption, prompt or reveal text, in characters. */
export const CAPTION_MAX = 1000;
/** The most steps a lesson may have. */
export const STEPS_MAX = 200;

const allows = (text: string) => ({ error: () => text });
const ID_TEXT = "a lowercase letter, then up to 31 lowercase letters, digits or '-'";
const id = (what: string) => z.string(allows(`an id: ${ID_TEXT} (${what})`)).regex(/^[a-z][a-z0-9-]{0,31}$/);
const text = (max: number, what: string) => z.string(allows(`plain text of 1 to ${grouped(max)} characters (${what})`)).min(1).max(max);

/** A record kind of the trace catalog; a misspelt one gets the nearest kind suggested. */
const recordKind = () =>
  z.enum(RECORD_KINDS as unknown as [RecordKind, ...RecordKind[]], {
    error: (issue: { input?: unknown }) => {
      const guess = typeof issue.input === 'string' ? closest(issue.input, RECORD_KINDS) : undefined;
      return `a record kind of the trace catalog${guess === undefined ? '' : ` (did you mean '${guess}'?)`}, e.g. 'hv.intercept.exited', 'vmbus.signal.sent', 'io.request.completed'`;
    },
  });

/** An expression string checked by the parser; its problem (with the column) becomes the error's "found". */
const expression = (comparison: boolean) => {
  const allowed = comparison ? COMPARISON_ALLOWED : EXPRESSION_ALLOWED;
  return z
    .string(allows(allowed))
    .min(1)
    .max(EXPRESSION_MAX)
    .superRefine((value, ctx) => {
      const parsed = comparison ? parseComparison(value) : parseExpression(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: allowed, params: { why: `at column ${parsed.column}: ${parsed.message}` } });
    });
};

const AT_ALLOWED = `"start", "end", or ${DURATION_ALLOWED}`;

const atSchema = z
  .union([z.enum(['start', 'end'], allows(AT_ALLOWED)), z.int(allows(AT_ALLOWED)).min(0).max(DURATION_MAX_NS), z.string(allows(AT_ALLOWED)).regex(new RegExp(DURATION_PATTERN))], allows(AT_ALLOWED))
  .superRefine((value, ctx) => {
    if (typeof value !== 'string' || value === 'start' || value === 'end') return;
    const converted = durationNs(value);
    if (!converted.ok) ctx.addIssue({ code: 'custom', message: AT_ALLOWED, params: { why: converted.why } });
  });

const ANCHOR_FORMS = 'either at (a time, "start" or "end") or a record selector (kind, place, vm, request, nth), not both';

/** Where a step puts the timeline: a time, or the nth record matching a selector. */
export const anchorSchema = z
  .strictObject({
    at: atSchema.optional().meta({ description: 'A time: "start" (the first record), "end" (the last), or a duration ("12us", or integer ns): the last record at or before it.' }),
    kind: recordKind().optional().meta({ description: 'A record kind of the trace catalog (src/model/trace-events.ts), e.g. hv.intercept.exited.' }),
    place: z.string(allows('a place id of the topology, e.g. "root.vmwp.legacy-pio.ide"')).min(1).max(200).optional().meta({ description: 'A place id of the topology, e.g. root.vid or hw.disk.d-pio.' }),
    vm: id('a VM').optional().meta({ description: "A VM id: records of that VM's requests (a record with no request counts for the VM of the place it happens in)." }),
    request: z
      .int(allows('an integer 0..1,000,000'))
      .min(0)
      .max(1_000_000)
      .optional()
      .meta({ description: "With vm: only the records of that VM's n-th request, counted from 0 in the order the VM issued them (its first request is 0)." }),
    nth: z.int(allows('an integer 1..100,000,000')).min(1).max(100_000_000).optional().meta({ description: 'Which match: 1 (the default) is the first record that matches, 2 the second, and so on.' }),
  })
  .superRefine((anchor, ctx) => {
    if (anchor.at !== undefined) {
      for (const field of ['kind', 'place', 'vm', 'request', 'nth'] as const) {
        if (anchor[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `no ${field} next to at (${ANCHOR_FORMS})` });
      }
      return;
    }
    if (anchor.kind === undefined && anchor.place === undefined && anchor.vm === undefined) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: `a record kind, place or vm to match, or at for a time (${ANCHOR_FORMS})` });
    }
    if (anchor.request !== undefined && anchor.vm === undefined) {
      ctx.addIssue({ code: 'custom', path: ['vm'], message: 'the VM whose request this is: request counts the requests of one VM' });
    }
  })
  .meta({
    description:
      'Where the timeline goes for this step: { "at": "start" | "end" | duration }, or a record selector { kind?, place?, vm?, request?, nth? } that lands on the nth record matching all the fields given.',
    oneOf: [{ required: ['at'] }, { anyOf: [{ required: ['kind'] }, { required: ['place'] }, { required: ['vm'] }] }],
  });

const followSchema = z
  .strictObject({
    vm: id('a VM').meta({ description: 'The VM whose records stepping follows.' }),
    request: z
      .int(allows('an integer 0..1,000,000'))
      .min(0)
      .max(1_000_000)
      .optional()
      .meta({ description: "The VM's n-th request, counted from 0 in issue order: stepping follows that request only." }),
  })
  .meta({ description: 'What stepping follows during this step: a VM, or one request of it.' });

const toleranceSchema = z
  .strictObject({
    percent: z.number(allows('a number 0..100')).min(0).max(100).optional().meta({ description: 'A prediction within this percentage of the computed answer counts as right.' }),
    absolute: z.number(allows('a number 0 or more')).min(0).max(1e15).optional().meta({ description: 'A prediction within this distance of the computed answer counts as right (in its unit).' }),
  })
  .superRefine((tolerance, ctx) => {
    const given = [tolerance.percent, tolerance.absolute].filter((v) => v !== undefined).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', path: [given === 0 ? 'percent' : 'absolute'], message: 'exactly one of percent and absolute' });
  })
  .meta({ description: 'How close a prediction must be: { "percent": p } of the answer, or { "absolute": d }.', oneOf: [{ required: ['percent'] }, { required: ['absolute'] }] });

const promptSchema = () => text(CAPTION_MAX, 'the question').meta({ description: 'The question, in plain text (shown as text, never as HTML).' });
const revealSchema = () => text(CAPTION_MAX, 'what the reveal says').meta({ description: 'Shown with the computed answer once the class has predicted, in plain text.' });

const numberQuestionSchema = z.strictObject({
  kind: z.literal('number').meta({ description: 'number: the class predicts a number.' }),
  prompt: promptSchema(),
  answer: expression(false).meta({
    description: "The answer as an expression over the run's figures (a path's figure as vm[/disk[/path]] metric, or a figure beyond the paths by its dotted name such as migrations[0].blackoutNs; numbers, + - * / and parentheses), computed from the run; never a number written here.",
  }),
  tolerance: toleranceSchema,
  unit: z.string(allows('a unit of 1 to 30 characters')).min(1).max(30).optional().meta({ description: 'The unit shown with the answer, e.g. "VM exits" or "µs" (the expression must compute in it).' }),
  reveal: revealSchema(),
});

const choiceSchema = z.strictObject({
  text: text(300, 'the choice').meta({ description: 'The choice as the class reads it.' }),
  correctIf: expression(true)
    .optional()
    .meta({ description: 'Without pick: a comparison over the run\'s figures (e.g. "legacy-pio cpuNsPerIo.total > legacy-dma cpuNsPerIo.total"); the choice is right when it holds.' }),
  figure: expression(false).optional().meta({ description: 'With pick: the expression this choice stands for; the largest (or smallest) is right.' }),
});

const choiceQuestionSchema = z
  .strictObject({
    kind: z.literal('choice').meta({ description: 'choice: the class picks one of the choices.' }),
    prompt: promptSchema(),
    choices: z.array(choiceSchema, allows('a list of 2 to 8 choices')).min(2).max(8).meta({ description: 'The choices, each with correctIf (a comparison), or each with figure when pick is given.' }),
    pick: z.enum(['largest', 'smallest'], allows("'largest' or 'smallest'")).optional().meta({ description: 'With figure on every choice: the right choice is the one whose figure is largest (or smallest).' }),
    reveal: revealSchema(),
  })
  .superRefine((question, ctx) => {
    question.choices.forEach((choice, c) => {
      if (question.pick === undefined) {
        if (choice.correctIf === undefined) ctx.addIssue({ code: 'custom', path: ['choices', c, 'correctIf'], message: 'a comparison saying when this choice is right (or pick, with figure on every choice)' });
        if (choice.figure !== undefined) ctx.addIssue({ code: 'custom', path: ['choices', c, 'figure'], message: 'no figure without pick (figure says what pick compares)' });
      } else {
        if (choice.figure === undefined) ctx.addIssue({ code: 'custom', path: ['choices', c, 'figure'], message: `the expression pick '${question.pick}' compares` });
        if (choice.correctIf !== undefined) ctx.addIssue({ code: 'custom', path: ['choices', c, 'correctIf'], message: 'no correctIf with pick (the largest or smallest figure is right)' });
      }
    });
  });

const QUESTION_KINDS = ['number', 'choice'] as const;

/** A predict-then-reveal question. */
export const questionSchema = z
  .discriminatedUnion('kind', [numberQuestionSchema, choiceQuestionSchema], {
    error: (issue: { code?: string }) =>
      issue.code === 'invalid_type' ? 'an object with the fields kind, prompt, answer or choices, and reveal' : `one of ${QUESTION_KINDS.map((k) => `'${k}'`).join(', ')} (the kind of question)`,
  })
  .meta({ description: 'A question the class answers before the step reveals the figure: kind number (answer, tolerance) or choice (choices, optional pick).' });

/** The views a step may switch to: the cluster's, or one host's I/O. */
export const LESSON_VIEWS = ['cluster', 'io'] as const;
export type LessonView = (typeof LESSON_VIEWS)[number];

/** One step of a lesson. */
export const stepSchema = z
  .strictObject({
    anchor: anchorSchema,
    caption: text(CAPTION_MAX, 'what the step says').meta({ description: 'What the step says, in plain words; shown as text (never as HTML).' }),
    pause: z.boolean(allows('true or false')).optional().meta({ description: 'Whether playback stops at this step (default false).' }),
    follow: followSchema.optional(),
    view: z
      .enum(LESSON_VIEWS, allows("'cluster' or 'io'"))
      .optional()
      .meta({
        description:
          "The view the step shows, and keeps until a step names another: 'cluster' (every host of a cluster scenario, its VMs, migrations and heartbeats) or 'io' (the I/O view of one host). Default: the view as it is.",
      }),
    question: questionSchema.optional(),
  })
  .meta({ description: 'One step: where the timeline goes, what it says, and optionally a pause, what to follow, which view to show and a question.' });

const stepsSchema = () =>
  z.array(stepSchema, allows(`a list of 1 to ${STEPS_MAX} steps`)).min(1).max(STEPS_MAX).meta({ description: 'The steps, in teaching order.' });

/** A lesson inside a scenario file (its `lesson` field). */
export const lessonBlockSchema = z
  .strictObject({
    title: text(200, 'the title').meta({ description: 'The title of the lesson.' }),
    description: z.string(allows('plain text of at most 4,000 characters')).max(4000).optional().meta({ description: 'What the lesson teaches, in plain text.' }),
    steps: stepsSchema(),
  })
  .meta({ description: "A guided lesson over this scenario's run: steps anchored to its records, with questions whose answers are computed from the run." });

/** A lesson file: a lesson over a bundled scenario. */
export const lessonFileSchema = z
  .strictObject({
    $schema: z.string(allows('a string (the path or URL of the JSON Schema, for editors)')).max(1000).optional().meta({ description: 'The JSON Schema this file follows, for editors.' }),
    version: z.literal(LESSON_VERSION, allows(`${LESSON_VERSION} (the lesson format version)`)).meta({ description: 'Lesson format version.' }),
    name: id('the lesson').meta({ description: 'Short name of the lesson (its file name without .json).' }),
    title: text(200, 'the title').meta({ description: 'The title of the lesson.' }),
    description: z.string(allows('plain text of at most 4,000 characters')).max(4000).optional().meta({ description: 'What the lesson teaches, in plain text.' }),
    scenario: id('a bundled scenario').meta({ description: 'The bundled scenario the lesson runs, by name (hvsim list).' }),
    steps: stepsSchema(),
  })
  .meta({ title: 'hvsim lesson', description: 'A guided lesson over a bundled hvsim scenario: steps anchored to records of its run, and questions whose answers are computed from the run.' });

export type LessonBlock = z.output<typeof lessonBlockSchema>;
export type LessonFile = z.output<typeof lessonFileSchema>;
export type LessonStep = LessonBlock['steps'][number];
export type LessonAnchor = LessonStep['anchor'];
export type LessonQuestion = NonNullable<LessonStep['question']>;
export type LessonFollow = NonNullable<LessonStep['follow']>;
