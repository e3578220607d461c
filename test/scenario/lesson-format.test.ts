/**
 * The lesson format: lesson files and a scenario's lesson block validate
 * like scenarios do (zod, then checks against the scenario), and each
 * error names the field path, the line and column, what was found and
 * what is allowed. Captions are plain text: HTML stays as written.
 */
import { describe, expect, it } from 'vitest';
import { BUNDLED_SCENARIOS, formatErrors, parseLessonText, parseScenarioText, type ScenarioError } from '../../src/scenario/index.js';

const GOOD = {
  version: 1,
  name: 'tiny-lesson',
  title: 'A tiny lesson',
  scenario: 'emulated-vs-synthetic',
  steps: [
    { anchor: { at: 'start' }, caption: 'Three VMs write.' },
    {
      anchor: { kind: 'hv.intercept.exited', vm: 'legacy-pio', nth: 2 },
      caption: 'A VM exit.',
      pause: true,
      follow: { vm: 'legacy-pio', request: 0 },
      question: { kind: 'number', prompt: 'How many?', answer: 'legacy-pio perIo.vmExits', tolerance: { percent: 20 }, unit: 'VM exits', reveal: 'Many.' },
    },
    {
      anchor: { at: '12us' },
      caption: 'Which?',
      question: {
        kind: 'choice',
        prompt: 'Which path spends more CPU?',
        choices: [
          { text: 'PIO', correctIf: 'legacy-pio cpuNsPerIo.total > enlightened cpuNsPerIo.total' },
          { text: 'Synthetic', correctIf: 'legacy-pio cpuNsPerIo.total <= enlightened cpuNsPerIo.total' },
        ],
        reveal: 'PIO.',
      },
    },
    {
      anchor: { place: 'root.vmwp.legacy-pio.ide' },
      caption: 'The emulator.',
      question: { kind: 'choice', prompt: 'Least CPU?', pick: 'smallest', choices: [{ text: 'DMA', figure: 'legacy-dma cpuNsPerIo.total' }, { text: 'Synthetic', figure: 'enlightened/data/vmbus-scsi cpuNsPerIo.total' }], reveal: 'Synthetic.' },
    },
    { anchor: { at: 'end' }, caption: 'Done.' },
  ],
};

const text = (data: unknown): string => `${JSON.stringify(data, null, 2)}\n`;
const clone = (): typeof GOOD => structuredClone(GOOD);

function errorsOf(data: unknown): ScenarioError[] {
  const result = parseLessonText(text(data));
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('lesson files', () => {
  it('accept a good lesson, with defaults left unset', () => {
    const result = parseLessonText(text(GOOD));
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (!result.ok) return;
    expect(result.lesson.steps).toHaveLength(5);
    expect(result.scenario.name).toBe('emulated-vs-synthetic');
  });

  it('refuse a control character in a caption, naming the step', () => {
    const data = clone();
    data.steps[1]!.caption = 'ring the bell\u0007';
    expect(errorsOf(data)).toMatchObject([{ path: 'steps.1.caption', found: 'the control character U+0007 at character 14' }]);
  });

  it('keep HTML in a caption verbatim: it is text, never markup', () => {
    const data = clone();
    data.steps[0]!.caption = '<b>bold</b> & <script>alert(1)</script>';
    const result = parseLessonText(text(data));
    expect(result.ok && result.lesson.steps[0]!.caption).toBe('<b>bold</b> & <script>alert(1)</script>');
  });

  it('refuse a caption longer than 1,000 characters', () => {
    const data = clone();
    data.steps[0]!.caption = 'x'.repeat(1001);
    expect(errorsOf(data)[0]).toMatchObject({ path: 'steps.0.caption', message: expect.stringContaining('allowed plain text of 1 to 1,000 characters') });
  });

  it('name the field, the line and column of a misspelt metric, with the column inside the expression', () => {
    const data = clone();
    data.steps[1]!.question!.answer = 'legacy-pio/data perIo.vmExitz';
    const [error] = errorsOf(data);
    const line = text(data).split('\n').findIndex((l) => l.includes('"answer"')) + 1;
    expect(error).toMatchObject({ path: 'steps.1.question.answer', line, column: 9 });
    expect(error!.message).toMatch(/^found "legacy-pio\/data perIo.vmExitz" \(at column 17: no metric 'perIo.vmExitz' \(did you mean 'perIo.vmExits'\?\); metrics: .*\), allowed an expression over the run's figures/);
    expect(formatErrors([error!], 'l.json')[0]).toMatch(/^l\.json:\d+:9 steps\.1\.question\.answer: found "legacy-pio\/data perIo\.vmExitz"/);
  });

  it('refuse a figure of a VM that does not exist, or has no work, naming what is allowed', () => {
    const data = clone();
    (data.steps[2]!.question!.choices![1] as { correctIf: string }).correctIf = 'legacy-pio cpuNsPerIo.total <= nobody cpuNsPerIo.total';
    expect(errorsOf(data)).toEqual([
      expect.objectContaining({
        path: 'steps.2.question.choices.1.correctIf',
        found: '"legacy-pio cpuNsPerIo.total <= nobody cpuNsPerIo.total" (at column 32, the figure "nobody cpuNsPerIo.total": vm "nobody" (no VM has this id))',
        allowed: "one of the VMs with a workload: 'legacy-pio', 'legacy-dma', 'enlightened'",
      }),
    ]);
  });

  it('refuse a missing VM, place or request in an anchor or a follow', () => {
    const data = clone();
    data.steps[1]!.anchor.vm = 'legacy-pi';
    data.steps[1]!.follow!.request = 1;
    data.steps[3]!.anchor.place = 'root.vmwp.legacy-pio.idee';
    const errors = errorsOf(data);
    expect(errors.map((e) => e.path)).toEqual(['steps.1.anchor.vm', 'steps.1.follow.request', 'steps.3.anchor.place']);
    expect(errors[0]!.message).toBe("found \"legacy-pi\" (no VM has this id), allowed one of the VM ids: 'legacy-pio', 'legacy-dma', 'enlightened'");
    expect(errors[1]!.message).toBe("found 1 (VM 'legacy-pio' issues 1 request), allowed a request number 0..0 (counted from 0 in issue order)");
    expect(errors[2]!.message).toMatch(/^found "root.vmwp.legacy-pio.idee" \(no place of this scenario's topology has this id; did you mean 'root.vmwp.legacy-pio.ide'\?\), allowed one of the place ids: 'hv', 'hv.synic', /);
  });

  it("refuse the cluster view on a scenario without a cluster, and any view but 'cluster' or 'io'", () => {
    const data = clone() as unknown as { steps: Record<string, unknown>[] };
    data.steps[1]!.view = 'cluster';
    expect(errorsOf(data as never)).toEqual([
      expect.objectContaining({ path: 'steps.1.view', message: "found 'cluster' (the scenario has no cluster block: one host, no cluster view), allowed 'io', or no view" }),
    ]);
    data.steps[1]!.view = 'hosts';
    expect(errorsOf(data as never)[0]).toMatchObject({ path: 'steps.1.view', message: expect.stringContaining("allowed 'cluster' or 'io'") });
    data.steps[1]!.view = 'io';
    expect(parseLessonText(text(data)).ok).toBe(true);
  });

  it('refuse a record kind that is not in the catalog, suggesting the nearest', () => {
    const data = clone();
    (data.steps[1]!.anchor as { kind: string }).kind = 'hv.intercept.exitted';
    expect(errorsOf(data)[0]).toMatchObject({ path: 'steps.1.anchor.kind', message: expect.stringContaining("did you mean 'hv.intercept.exited'?") });
  });

  it('check the forms of anchors, tolerances and choices', () => {
    const data = clone() as unknown as { steps: Record<string, unknown>[] };
    data.steps[0]!.anchor = { at: 'start', vm: 'legacy-pio' };
    data.steps[1]!.anchor = { request: 0 };
    (data.steps[1]!.question as Record<string, unknown>).tolerance = { percent: 5, absolute: 1 };
    (data.steps[3]!.question as { choices: Record<string, unknown>[] }).choices[0] = { text: 'DMA', correctIf: '1 < 2' };
    data.steps[4]!.anchor = { at: '1.5 days' };
    const errors = errorsOf(data);
    expect(errors.map((e) => e.path)).toEqual([
      'steps.0.anchor.vm',
      'steps.1.anchor.kind',
      'steps.1.anchor.vm',
      'steps.1.question.tolerance.absolute',
      'steps.3.question.choices.0.figure',
      'steps.3.question.choices.0.correctIf',
      'steps.4.anchor.at',
    ]);
    expect(errors[0]!.message).toContain('no vm next to at');
    expect(errors[6]!.message).toContain('allowed "start", "end", or a duration');
  });

  it('refuse an unknown field and a scenario that is not bundled', () => {
    expect(errorsOf({ ...clone(), tittle: 'x' })[0]).toMatchObject({ path: 'tittle', message: expect.stringContaining("did you mean 'title'?") });
    expect(errorsOf({ ...clone(), scenario: 'nope' })[0]).toMatchObject({ path: 'scenario', message: expect.stringContaining("allowed the name of a bundled scenario: 'emulated-vs-synthetic'") });
  });

  it('refuse syntax errors with a position, like scenarios', () => {
    const result = parseLessonText('{ "version": 1,, }');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatchObject({ path: '', line: 1, message: expect.stringContaining('not valid JSON: ') });
  });
});

describe('a lesson block inside a scenario', () => {
  const base = JSON.parse(BUNDLED_SCENARIOS.find((s) => s.name === 'emulated-vs-synthetic')!.text) as Record<string, unknown>;

  it('validates with the scenario', () => {
    const result = parseScenarioText(text({ ...base, lesson: { title: 'Inline', steps: GOOD.steps } }));
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(result.ok && result.scenario.lesson?.steps).toHaveLength(5);
  });

  it('names lesson.steps.N fields in its errors', () => {
    const steps = structuredClone(GOOD.steps);
    (steps[3]!.question!.choices![0] as { figure: string }).figure = 'legacy-pio/data perIo.vmExitz';
    const result = parseScenarioText(text({ ...base, lesson: { title: 'Inline', steps } }));
    expect(result.ok).toBe(false);
    const error = !result.ok ? result.errors[0]! : undefined;
    expect(error?.path).toBe('lesson.steps.3.question.choices.0.figure');
    expect(error?.message).toMatch(/^found "legacy-pio\/data perIo.vmExitz" \(at column 17: no metric 'perIo.vmExitz'/);
    expect(error?.line).toBeGreaterThan(100);
  });

  it('checks places against the topology only once the scenario itself is consistent', () => {
    const steps = [{ anchor: { place: 'nowhere' }, caption: 'x' }];
    const result = parseScenarioText(text({ ...base, lesson: { title: 'Inline', steps } }));
    expect(!result.ok && result.errors.map((e) => e.path)).toEqual(['lesson.steps.0.anchor.place']);
  });
});
