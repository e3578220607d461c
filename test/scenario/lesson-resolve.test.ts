/**
 * Lessons against runs: every bundled lesson is embedded byte for byte,
 * validates, and resolves on its scenario's run (every anchor lands on a
 * record, every answer computes from the run's figures); answers are
 * checked with their tolerance; an anchor that lands nowhere is reported,
 * never skipped; resolution is deterministic.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupFigure } from '../../src/metrics/run-figures.js';
import {
  BUNDLED_LESSONS,
  bundledLesson,
  checkAnswer,
  formatAnswer,
  LESSON_SCHEMA_FILE,
  lessonJsonSchemaText,
  parseLessonText,
  resolveLesson,
  runScenario,
  type LessonFile,
  type Scenario,
  type ScenarioRun,
} from '../../src/scenario/index.js';

const LESSONS_DIR = join(import.meta.dirname, '..', '..', 'lessons');

/** A count shown as 1 with a unit in the plural (`1 interrupts/IO`, `1 VHD metadata I/Os/IO`, `1 bytes`); `1 ms`, `1 IOPS`, `1 MiB/s throughput` are not. */
const PLURAL_AFTER_ONE = /^1 [^\d]*?(?:[a-z]{3,}(?<!s)s|[A-Z]s)(?:\/|$| )/;

const runs = new Map<string, ScenarioRun>();
function load(name: string): { lesson: LessonFile; scenario: Scenario; run: ScenarioRun } {
  const parsed = parseLessonText(bundledLesson(name)!.text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  let run = runs.get(parsed.scenario.name);
  if (run === undefined) {
    run = runScenario(parsed.scenario);
    runs.set(parsed.scenario.name, run);
  }
  return { ...parsed, run };
}

describe('bundled lessons', { timeout: 120_000 }, () => {
  it('are exactly the lesson files in lessons/', () => {
    const files = readdirSync(LESSONS_DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'));
    expect(BUNDLED_LESSONS.map((l) => `${l.name}.json`).sort()).toEqual(files.sort());
  });

  it("are the README's table of lessons, in teaching order", () => {
    const readme = readFileSync(join(LESSONS_DIR, '..', 'README.md'), 'utf8');
    const start = readme.indexOf('| lesson | what the class predicts');
    const table = readme.slice(start, readme.indexOf('\n\n', start));
    expect([...table.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1])).toEqual(BUNDLED_LESSONS.map((l) => l.name));
  });

  it('lessons/lesson.schema.json is up to date', () => {
    const committed = readFileSync(join(LESSONS_DIR, LESSON_SCHEMA_FILE), 'utf8');
    expect(committed === lessonJsonSchemaText(), 'lessons/lesson.schema.json is stale: run `npm run schema`').toBe(true);
  });

  for (const bundled of BUNDLED_LESSONS) {
    describe(bundled.name, () => {
      it('embeds the file text unchanged, names itself after its file and points at the schema', () => {
        expect(bundled.text).toBe(readFileSync(join(LESSONS_DIR, `${bundled.name}.json`), 'utf8'));
        const { lesson } = load(bundled.name);
        expect(lesson.name).toBe(bundled.name);
        expect(lesson.$schema).toBe('./lesson.schema.json');
      });

      it('has enough steps and predict-then-reveal questions, in plain text', () => {
        const { lesson } = load(bundled.name);
        const questions = lesson.steps.filter((s) => s.question !== undefined).length;
        expect(lesson.steps.length).toBeGreaterThanOrEqual(bundled.name === 'why-synthetic-is-cheaper' ? 8 : 5);
        expect(questions).toBeGreaterThanOrEqual(bundled.name === 'why-synthetic-is-cheaper' ? 4 : 2);
        for (const step of lesson.steps) expect(`${step.caption} ${step.question?.prompt ?? ''} ${step.question?.reveal ?? ''}`).not.toMatch(/[<>*_`#]/);
      });

      it('lands every anchor on a record of its run and computes every answer from the figures', () => {
        const { lesson, run } = load(bundled.name);
        const resolved = resolveLesson(lesson, run);
        expect(resolved.problems).toEqual([]);
        expect(resolved.ok).toBe(true);
        for (const step of resolved.steps) {
          expect(step.anchor.landed.ok).toBe(true);
          if (!step.anchor.landed.ok) continue;
          const record = run.records[step.anchor.landed.record.index]!;
          expect(record.seq).toBe(step.anchor.landed.record.seq);
          const spec = step.anchor.spec;
          if (spec.kind !== undefined) expect(record.kind).toBe(spec.kind);
          if (spec.place !== undefined) expect(record.place).toBe(spec.place);
          // A record of no stream that names a VM (the hypervisor stopping its processors) is that VM's.
          if (spec.vm !== undefined && record.stream === '' && 'vm' in record) expect(record.vm).toBe(spec.vm);
          if (step.question === undefined) continue;
          expect(step.question.answer.ok).toBe(true);
          if (step.question.answer.ok) expect(step.question.answer.text).not.toMatch(PLURAL_AFTER_ONE);
          expect(step.question.figures.length).toBeGreaterThan(0);
          for (const figure of step.question.figures) {
            if (figure.metric === undefined) {
              // A figure beyond the paths, by its dotted name: the run's own value.
              expect(lookupFigure(run.figures, figure.label)).toEqual({ ok: true, value: figure.value });
              expect(figure.formatted.length).toBeGreaterThan(0);
              continue;
            }
            expect(figure.formatted).not.toMatch(PLURAL_AFTER_ONE);
            const [vm] = figure.label.split('/');
            const path = run.paths.find((p) => `${p.vm}/${p.disk}/${p.path} ${figure.metric}` === figure.label);
            expect(path?.vm).toBe(vm);
            expect(figure.formatted.length).toBeGreaterThan(0);
          }
        }
      });

      it('resolves the same way every time', () => {
        const { lesson, run } = load(bundled.name);
        expect(JSON.stringify(resolveLesson(lesson, run))).toBe(JSON.stringify(resolveLesson(lesson, run)));
      });
    });
  }
});

describe('why-synthetic-is-cheaper against its run', { timeout: 60_000 }, () => {
  it('computes answers from the run, not from the file', () => {
    const { lesson, run } = load('why-synthetic-is-cheaper');
    const resolved = resolveLesson(lesson, run);
    const pio = run.paths.find((p) => p.vm === 'legacy-pio')!;
    const syn = run.paths.find((p) => p.vm === 'enlightened')!;
    const exits = resolved.steps[1]!.question!;
    expect(exits.answer).toEqual({ ok: true, value: pio.perIo.vmExits, text: `${pio.perIo.vmExits} VM exits` });
    expect(exits.figures).toEqual([{ text: 'legacy-pio perIo.vmExits', label: 'legacy-pio/data/ide-pio perIo.vmExits', metric: 'perIo.vmExits', value: pio.perIo.vmExits, formatted: `${pio.perIo.vmExits} VM exits/IO` }]);
    const ratio = resolved.steps.find((s) => s.question?.kind === 'number' && s.question.spec.answer.includes('/ enlightened'))!.question!;
    expect(ratio.answer.ok && 'value' in ratio.answer && ratio.answer.value).toBe(pio.perIo.vmExits / syn.perIo.vmExits);
    const most = resolved.steps.find((s) => s.question?.kind === 'choice')!.question!;
    expect(most.answer).toMatchObject({ ok: true, correct: [0] });
  });

  it('checks predictions within the tolerance', () => {
    const { lesson, run } = load('why-synthetic-is-cheaper');
    const resolved = resolveLesson(lesson, run);
    const exits = resolved.steps[1]!; // 25 % of 154
    expect(checkAnswer(exits, 154)).toMatchObject({ ok: true, right: true, expected: 154 });
    expect(checkAnswer(exits, 154 * 1.25)).toMatchObject({ ok: true, right: true });
    expect(checkAnswer(exits, 154 * 0.75)).toMatchObject({ ok: true, right: true });
    expect(checkAnswer(exits, 154 * 1.26)).toMatchObject({ ok: true, right: false });
    expect(checkAnswer(exits, 30)).toMatchObject({ ok: true, right: false, detail: 'not within 25% of 154 VM exits: the prediction was 30 VM exits' });
    const interrupts = resolved.steps.find((s) => s.question?.kind === 'number' && s.question.spec.answer === 'legacy-pio perIo.interrupts')!; // absolute 0
    expect(checkAnswer(interrupts, 20)).toMatchObject({ right: true });
    expect(checkAnswer(interrupts, 19)).toMatchObject({ right: false });
    const choice = resolved.steps.find((s) => s.question?.kind === 'choice')!;
    expect(checkAnswer(choice, 0)).toMatchObject({ ok: true, right: true, expected: [0] });
    expect(checkAnswer(choice, 2)).toMatchObject({ ok: true, right: false });
    expect(checkAnswer(choice, 3)).toEqual({ ok: false, why: 'a choice is a number 0..2' });
    expect(checkAnswer(resolved.steps[0]!, 1)).toEqual({ ok: false, why: 'this step asks no question' });
  });

  it('reports an anchor that lands on no record, and an answer that cannot be computed, by field', () => {
    const { lesson, run } = load('why-synthetic-is-cheaper');
    const steps = [
      { anchor: { kind: 'ide.pio.transferred' as const, vm: 'enlightened' }, caption: 'x' },
      { anchor: { kind: 'ide.interrupt.raised' as const, vm: 'legacy-pio', nth: 21 }, caption: 'x' },
      { anchor: { at: '1s' }, caption: 'x' },
      { anchor: { at: 'end' }, caption: 'x', question: { kind: 'number' as const, prompt: 'p', answer: 'legacy-pio perIo.vmExits / enlightened perIo.eoiTraps', tolerance: { percent: 1 }, reveal: 'r' } },
    ];
    const resolved = resolveLesson({ steps }, run, 'lesson');
    expect(resolved.ok).toBe(false);
    expect(resolved.problems).toEqual([
      { path: 'lesson.steps.0.anchor', message: 'the 1st ide.pio.transferred of VM enlightened lands on no record: no record of the run matches it' },
      { path: 'lesson.steps.1.anchor', message: 'the 21st ide.interrupt.raised of VM legacy-pio lands on no record: only 20 records of the run match it' },
      { path: 'lesson.steps.2.anchor', message: expect.stringMatching(/^the last record at or before 1 s lands on no record: the run's last record is at [\d.]+ ms, before 1 s$/) },
      { path: 'lesson.steps.3.question.answer', message: 'the answer cannot be computed from this run: divides by zero at column 28' },
    ]);
    expect(lesson.steps.length).toBeGreaterThan(0);
  });

  it('lands a time anchor on the last record at or before it, and follows a request by its flow', () => {
    const { run } = load('why-synthetic-is-cheaper');
    const resolved = resolveLesson({ steps: [{ anchor: { at: '12us' }, caption: 'x', follow: { vm: 'legacy-dma', request: 0 } }] }, run);
    const landed = resolved.steps[0]!.anchor.landed;
    expect(landed.ok && landed.record.t).toBeLessThanOrEqual(12_000);
    expect(landed.ok && run.records[landed.record.index + 1]!.t).toBeGreaterThan(12_000);
    const flow = run.records.find((r) => r.kind === 'io.request.issued' && r.vm === 'legacy-dma')!.flow;
    expect(resolved.steps[0]!.follow).toEqual({ vm: 'legacy-dma', request: 0, flow });
  });
});

describe('formatAnswer', () => {
  it('says a count of one in the singular, and leaves symbols alone', () => {
    expect(formatAnswer(1, 'interrupts')).toBe('1 interrupt');
    expect(formatAnswer(1, 'VM exits/IO')).toBe('1 VM exit/IO');
    expect(formatAnswer(1, 'context switches')).toBe('1 context switch');
    expect(formatAnswer(1, 'µs')).toBe('1 µs');
    expect(formatAnswer(1, 'IOPS')).toBe('1 IOPS');
    expect(formatAnswer(20, 'interrupts')).toBe('20 interrupts');
    expect(formatAnswer(1, undefined)).toBe('1');
  });

  it('says the singular for what reads 1, not only for exactly 1, and for a plural abbreviation', () => {
    expect(formatAnswer(0.9996, 'interrupts')).toBe('1 interrupt');
    expect(formatAnswer(1.0004, 'VM exits')).toBe('1 VM exit');
    expect(formatAnswer(1, 'I/Os')).toBe('1 I/O');
    expect(formatAnswer(1, 'EOIs per I/O')).toBe('1 EOI per I/O');
    expect(formatAnswer(1, 'passes')).toBe('1 pass');
    expect(formatAnswer(1.5, 'I/Os')).toBe('1.5 I/Os');
    for (const text of ['1 interrupts/IO', '1 VHD metadata I/Os/IO', '1 bytes', '1 times']) expect(text).toMatch(PLURAL_AFTER_ONE);
    for (const text of ['1 interrupt/IO', '1 ms', '1 IOPS', '1 MiB/s throughput', '1 ns mean latency', '1 signal to the host/IO', '10 interrupts/IO']) expect(text).not.toMatch(PLURAL_AFTER_ONE);
  });
});
