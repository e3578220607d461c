/**
 * `hvsim lesson`: the trainer's sheet as text and JSON (through the real
 * binary for --json), bad lesson input exiting 2 with the field path,
 * `hvsim validate` on lesson files, lessons in `hvsim list`, and
 * `hvsim schema --lesson`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_BAD_INPUT, EXIT_OK } from '../../src/cli/main.js';
import { hvsim, tempDir } from './helpers.js';
import { BUNDLED_LESSONS, bundledLesson, runScenario, parseScenarioText, bundledScenario } from '../../src/scenario/index.js';


const dir = tempDir('lesson');

function file(name: string, data: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
  return path;
}

const lessonData = (): Record<string, unknown> & { steps: Record<string, unknown>[] } => JSON.parse(bundledLesson('why-synthetic-is-cheaper')!.text);

describe('hvsim lesson --json (the built binary)', { timeout: 120_000 }, () => {
  beforeAll(() => {
    execFileSync('node', ['esbuild.config.mjs', 'cli'], { stdio: 'pipe' });
  });

  it('prints every step with where it lands and the answer computed from the run', () => {
    const result = spawnSync('node', ['bin/hvsim.mjs', 'lesson', 'why-synthetic-is-cheaper', '--json'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(EXIT_OK);
    const sheet = JSON.parse(result.stdout) as {
      lesson: string;
      scenario: string;
      fingerprint: string;
      ok: boolean;
      steps: { caption: string; anchor: { text: string; record: { index: number; kind: string; place: string; t: number } | null }; question: { kind: string; prompt: string } | null; answer: { value?: number; correct?: number[]; figures: { label: string; value: number; formatted: string }[] } | null }[];
    };
    const scenario = parseScenarioText(bundledScenario('emulated-vs-synthetic')!.text);
    const run = runScenario(scenario.ok ? scenario.scenario : (undefined as never));
    expect(sheet).toMatchObject({ lesson: 'why-synthetic-is-cheaper', scenario: 'emulated-vs-synthetic', fingerprint: run.fingerprint, ok: true });
    expect(sheet.steps.length).toBeGreaterThanOrEqual(8);
    for (const step of sheet.steps) {
      expect(step.anchor.record).not.toBeNull();
      expect(run.records[step.anchor.record!.index]!.kind).toBe(step.anchor.record!.kind);
      expect(step.answer === null).toBe(step.question === null);
    }
    expect(sheet.steps[1]!.anchor.record).toMatchObject({ kind: 'hv.intercept.exited', place: 'hv' });
    const pio = run.paths.find((p) => p.vm === 'legacy-pio')!;
    expect(sheet.steps[1]!.answer).toMatchObject({ value: pio.perIo.vmExits, figures: [{ label: 'legacy-pio/data/ide-pio perIo.vmExits', value: pio.perIo.vmExits, formatted: `${pio.perIo.vmExits} VM exits/IO` }] });
    expect(sheet.steps.filter((s) => s.question !== null).length).toBeGreaterThanOrEqual(4);
  });
});

describe('hvsim lesson', { timeout: 60_000 }, () => {
  it('prints a text sheet: n/m, where each step lands, caption, question and answer', async () => {
    const r = await hvsim('lesson', 'fastpath-boot');
    expect(r.code).toBe(EXIT_OK);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^Lesson fastpath-boot: What loading integration services changes\nScenario fastpath-boot \(seed 1, profile 2008\), fingerprint [0-9a-f]+; \d+ steps, \d+ questions\n/);
    expect(r.out).toContain('\nStep 2/9: the 1st hv.intercept.exited of VM boot; following VM boot\'s request 0 [pause]\n  lands on record ');
    expect(r.out).toMatch(/Answer: 27 VM exits \(a prediction is right within 25%\)\n {4}from boot\/system\/ide-dma perIo\.vmExits: 27 VM exits\/IO/);
    expect(r.out).toMatch(/\* 2\. After: the IDE fast path/);
    // A count that reads 1 takes its unit in the singular (it read "1 VM exits/IO").
    expect(r.out).toContain('from boot/system/ide-fastpath perIo.vmExits: 1 VM exit/IO\n');
  });

  it('exits 2 with the field path, line and column for a bad lesson file', async () => {
    const data = lessonData();
    (data.steps[1]!.question as Record<string, unknown>).answer = 'legacy-pio/data perIo.vmExitz';
    const path = file('bad.json', data);
    const r = await hvsim('lesson', path);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.out).toBe('');
    expect(r.err).toMatch(new RegExp(`^hvsim: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a valid lesson \\(1 error\\):\\n  .*bad\\.json:\\d+:\\d+ steps\\.1\\.question\\.answer: found "legacy-pio/data perIo\\.vmExitz" \\(at column 17: no metric 'perIo\\.vmExitz'`));
  });

  it('exits 2 naming the bundled lessons when the name is unknown', async () => {
    const r = await hvsim('lesson', 'nope');
    expect(r).toMatchObject({ code: EXIT_BAD_INPUT, out: '' });
    expect(r.err).toBe(`hvsim: no lesson file 'nope', and no bundled lesson of that name (bundled: ${BUNDLED_LESSONS.map((l) => l.name).join(', ')})\n`);
    expect((await hvsim('lesson')).code).toBe(EXIT_BAD_INPUT);
    expect((await hvsim('lesson', 'a', 'b')).code).toBe(EXIT_BAD_INPUT);
  });

  it('runs a lesson block inside a scenario file', async () => {
    const scenario = JSON.parse(bundledScenario('emulated-vs-synthetic')!.text) as Record<string, unknown>;
    const path = file('inline.json', { ...scenario, lesson: { title: 'Inline', steps: lessonData().steps.slice(0, 3) } });
    const r = await hvsim('lesson', path, '--json');
    expect(r.code).toBe(EXIT_OK);
    expect(JSON.parse(r.out)).toMatchObject({ lesson: 'emulated-vs-synthetic', title: 'Inline', ok: true });
    const without = await hvsim('lesson', file('plain.json', scenario));
    expect(without.code).toBe(EXIT_BAD_INPUT);
    expect(without.err).toContain('lesson: missing, allowed a lesson block');
  });
});

describe('hvsim validate, list and schema with lessons', { timeout: 60_000 }, () => {
  it('validates a lesson file and a bundled lesson by name', async () => {
    const path = file('ok.json', lessonData());
    expect(await hvsim('validate', path)).toEqual({ code: EXIT_OK, out: `${path}: valid lesson 'why-synthetic-is-cheaper' over scenario 'emulated-vs-synthetic': 15 steps, 7 questions\n`, err: '' });
    expect((await hvsim('validate', 'vhd-types')).out).toMatch(/^vhd-types\.json: valid scenario/); // a scenario name stays a scenario
    expect((await hvsim('validate', 'why-synthetic-is-cheaper')).out).toMatch(/^why-synthetic-is-cheaper\.json: valid lesson/);
  });

  it('refuses a bad lesson file in validate with exit 2 and the field path', async () => {
    const data = lessonData();
    (data.steps[2]!.anchor as Record<string, unknown>).place = 'root.nowhere';
    const r = await hvsim('validate', file('bad-place.json', { ...data, steps: data.steps.map((s, i) => (i === 2 ? { ...s, anchor: { place: 'root.nowhere' } } : s)) }));
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toMatch(/bad-place\.json:\d+:\d+ steps\.2\.anchor\.place: found "root\.nowhere" \(no place of this scenario's topology has this id\), allowed one of the place ids: /);
  });

  it('lists the bundled lessons after the scenarios', async () => {
    const r = await hvsim('list');
    expect(r.code).toBe(EXIT_OK);
    const [, lessons] = r.out.split('\nLessons (hvsim lesson <name>):\n');
    expect(lessons!.trimEnd().split('\n').map((l) => l.split(' ')[0])).toEqual(BUNDLED_LESSONS.map((l) => l.name));
    expect(lessons).toMatch(/^why-synthetic-is-cheaper {2,}Why the synthetic path is cheaper \(scenario emulated-vs-synthetic\)/);
  });

  it('prints the lesson JSON Schema', async () => {
    const schema = JSON.parse((await hvsim('schema', '--lesson')).out) as { title: string; required: string[] };
    expect(schema).toMatchObject({ title: 'hvsim lesson', required: ['version', 'name', 'title', 'scenario', 'steps'] });
    expect((await hvsim('schema', '--lesson', '--draft-07')).code).toBe(EXIT_BAD_INPUT);
  });
});
