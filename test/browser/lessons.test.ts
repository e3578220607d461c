/**
 * Lessons in the app (issue 11): each bundled lesson walked step by step,
 * opened with `?lesson=<name>`: every step puts the timeline at the record
 * its anchor lands on (the cursor just after it; `at: start` at 0), the
 * same record `hvsim lesson <name> --json` names; every question marks a
 * nonsense prediction wrong and the CLI's expected answer right, and the
 * answer the app computes equals the CLI's. A caption holding HTML stays
 * text; follow mode steps only through the followed VM's records; links
 * carry the lesson and step; an unknown lesson says so; answers stay in
 * localStorage; the one-file build opens a lesson from file://.
 * Screenshots at 1366×768 and 1920×1080 go to test-results/screenshots.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appInChromium, screenshotDir } from './harness.js';

interface CliStep {
  step: number;
  caption: string;
  pause: boolean;
  anchor: { at?: string | number; text: string; record?: { index: number; kind: string; place: string; stream: string } };
  follow: { vm: string; request?: number; flow?: number } | null;
  view: 'cluster' | 'io' | null;
  question: { kind: 'number' | 'choice'; choices?: { text: string }[] } | null;
  answer: { value?: number; correct?: number[]; text: string } | null;
}
interface CliLesson {
  lesson: string;
  scenario: string;
  fingerprint: string;
  ok: boolean;
  steps: CliStep[];
}
interface LessonState {
  name: string;
  step: number;
  steps: number;
  summary: boolean;
  caption: string;
  question: { kind: string; prompt: string; choices?: string[] } | null;
  answered: boolean;
  correct: boolean | null;
  score: { questions: number; answered: number; right: number };
  anchor: number;
  follow: string;
  view: 'cluster' | 'io' | '';
}
interface Trace {
  kind: string;
  place: string;
  stream: string;
  flow: number;
}

/** Per test: the walks run a few hundred thousand records' steps on a shared two-core machine. */
const SLOW_MS = 400_000;

const LESSONS = ['why-synthetic-is-cheaper', 'queue-depth', 'vhd-types', 'vhdx-vs-vhd', 'vhd-on-512e', 'fastpath-boot', 'passthrough-vs-native', 'nic-legacy-vs-synthetic', 'saved-state', 'snapshot-revert', 'oversubscription', 'cpu-controls', 'boost-and-credit', 'live-vs-quick-migration', 'migration-dirty-rate', 'host-failure-ha-vs-dag', 'vss-backup'];
const shots = screenshotDir();
const scratch = mkdtempSync(join(tmpdir(), 'hvsim-lessons-'));

function cli(name: string): CliLesson {
  return JSON.parse(execFileSync(process.execPath, ['bin/hvsim.mjs', 'lesson', name, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as CliLesson;
}

/** The cursor a step puts the timeline at: just after its anchor's record, 0 for `at: start`. */
const expectedCursor = (s: CliStep): number => (s.anchor.at === 'start' ? 0 : s.anchor.record!.index + 1);

vi.setConfig({ testTimeout: SLOW_MS, hookTimeout: SLOW_MS });

const app = appInChromium();

/** A page that records errors, ready once the app is (a long wait: several people share two cores). */
async function openPage(b: Browser, url: string, width: number, height: number): Promise<{ page: Page; errors: string[] }> {
  const page = await b.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 180_000 });
  return { page, errors };
}

/** Where each element lies: in the window, in the side column's visible box, and on top at its middle (not covered). */
async function placement(page: Page, selectors: readonly string[]): Promise<Record<string, string>> {
  return page.evaluate((sels) => {
    const side = document.querySelector('.side')!.getBoundingClientRect();
    const out: Record<string, string> = {};
    for (const sel of sels) {
      const e = document.querySelector(sel);
      if (e === null) {
        out[sel] = 'missing';
        continue;
      }
      const r = e.getBoundingClientRect();
      const inWindow = r.top >= 0 && r.bottom <= innerHeight + 0.5 && r.right <= innerWidth + 0.5;
      const inSide = r.top >= side.top - 0.5 && r.bottom <= side.bottom + 0.5;
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const onTop = top !== null && (top === e || e.contains(top));
      out[sel] = `${inWindow ? 'in window' : `out of window (${Math.round(r.top)}..${Math.round(r.bottom)} of ${innerHeight})`}, ${inSide ? 'in side' : 'out of side'}, ${onTop ? 'on top' : 'covered'}`;
    }
    return out;
  }, selectors);
}

const lessonState = (page: Page): Promise<LessonState> => page.evaluate(() => window.hvsim.lesson.state() as unknown as LessonState);
const cursor = (page: Page): Promise<number> => page.evaluate(() => window.hvsim.state().cursor);

beforeAll(async () => {
  console.log(`screenshots: ${shots}`);
});

afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('each bundled lesson, walked in the app', () => {
  for (const name of LESSONS) {
    it(`${name}: steps land on the CLI's records; answers are the CLI's`, async () => {
      const sheet = cli(name);
      expect(sheet.ok).toBe(true);
      const { page, errors } = await openPage(app.browser, `${app.url}?lesson=${name}`, 1366, 768);
      await page.evaluate(() => localStorage.clear());
      let s = await lessonState(page);
      expect(s.name).toBe(name);
      expect(s.steps).toBe(sheet.steps.length);
      expect(s.step).toBe(1);
      let landed = 0;
      let view: CliStep['view'] = null;
      for (const [i, step] of sheet.steps.entries()) {
        // Every other step by the key, the rest through window.hvsim.lesson.
        if (i > 0) {
          if (i % 2 === 1) await page.keyboard.press('PageDown');
          else await page.evaluate(() => window.hvsim.lesson.next());
        }
        s = await lessonState(page);
        expect(s.step, `step ${i + 1}`).toBe(i + 1);
        expect(s.caption).toBe(step.caption);
        expect(s.anchor).toBe(step.anchor.record?.index ?? -1);
        if ((await cursor(page)) === expectedCursor(step)) landed++;
        expect(s.follow).toBe(step.follow === null ? '' : step.follow.flow === undefined ? `VM ${step.follow.vm}` : `request ${step.follow.request} of VM ${step.follow.vm}`);
        // A step's view holds until another step names one; the app shows it.
        view = step.view ?? view;
        expect(s.view, `step ${i + 1}'s view`).toBe(view ?? '');
        if (view !== null) expect(await page.evaluate(() => window.hvsim.cluster().on)).toBe(view === 'cluster');
        if (step.question === null) {
          expect(s.question).toBeNull();
          continue;
        }
        expect(s.question?.kind).toBe(step.question.kind);
        // At 1366×768 the class sees the question's input (or its last choice), Check and Next without scrolling.
        const answerBox = step.question.kind === 'number' ? '.hv-lesson-input' : '.hv-lesson-choice:last-of-type';
        for (const [sel, where] of Object.entries(await placement(page, [answerBox, '.hv-lesson-check', '.hv-lesson-next']))) {
          expect(where, `${sel} at step ${i + 1}`).toBe('in window, in side, on top');
        }
        const a = step.answer!;
        // The first prediction counts: a later one is checked but not kept, so the score cannot be mended after the answer is out.
        if (step.question.kind === 'number') {
          const right = await page.evaluate((v) => window.hvsim.lesson.answer(v), a.value!);
          expect(right).toEqual({ correct: true, expected: a.value, counted: true });
          const wrong = await page.evaluate(() => window.hvsim.lesson.answer(-987654321));
          expect(wrong).toEqual({ correct: false, expected: a.value, counted: false });
        } else {
          const right = await page.evaluate((v) => window.hvsim.lesson.answer(v), a.correct![0]!);
          expect(right).toEqual({ correct: true, expected: a.correct, counted: true });
          const n = step.question.choices!.length;
          const wrongChoice = [...Array(n).keys()].find((c) => !a.correct!.includes(c));
          if (wrongChoice !== undefined) {
            const wrong = await page.evaluate((v) => window.hvsim.lesson.answer(v), wrongChoice);
            expect(wrong).toEqual({ correct: false, expected: a.correct, counted: false });
          }
        }
        expect(await page.locator('.hv-lesson-check').isDisabled()).toBe(true);
        // …and looks it: a Check that looks live after the answer is out draws clicks that do nothing.
        expect(Number(await page.locator('.hv-lesson-check').evaluate((e) => getComputedStyle(e).opacity))).toBeLessThan(0.75);
        // A glossary term in a choice still opens the glossary (vhd-types step 8's 'fixed VHD' was disabled with the choices).
        expect(await page.locator('.hv-lesson-form .hv-term:disabled').count(), `step ${i + 1}`).toBe(0);
        s = await lessonState(page);
        expect(s.answered).toBe(true);
        expect(s.correct).toBe(true);
        // The panel shows the verdict and the run's answer as text.
        const shown = await page.locator('.hv-lesson-expected').textContent();
        expect(shown).toBe(`The run says: ${a.text}`);
      }
      // All steps land where the CLI says (the brief allows "most"; every one does).
      expect(landed).toBe(sheet.steps.length);
      await page.keyboard.press('PageDown');
      s = await lessonState(page);
      expect(s.summary).toBe(true);
      const questions = sheet.steps.filter((x) => x.question !== null).length;
      expect(s.score).toEqual({ questions, answered: questions, right: questions });
      await expect.poll(() => page.locator('.hv-lesson-score').textContent()).toContain(`${questions} of ${questions} questions right`);
      await page.keyboard.press('PageUp');
      expect((await lessonState(page)).summary).toBe(false);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});

describe('the lesson panel at projector sizes', () => {
  for (const [w, h] of [
    [1366, 768],
    [1920, 1080],
  ] as const) {
    it(`shows caption, question and canvas together without scrolling at ${w}×${h}`, async () => {
      const { page, errors } = await openPage(app.browser, `${app.url}?lesson=why-synthetic-is-cheaper`, w, h);
      await page.evaluate(() => localStorage.clear());
      for (const step of [2, 6]) {
        await page.evaluate((n) => window.hvsim.lesson.go(n), step);
        await page.evaluate(() => window.hvsim.frame(16));
        const boxes = await page.evaluate(() => {
          const r = (sel: string) => {
            const b = document.querySelector(sel)!.getBoundingClientRect();
            return { top: b.top, bottom: b.bottom, left: b.left, right: b.right, height: b.height };
          };
          return { caption: r('.hv-lesson-caption'), question: r('.hv-lesson-question'), check: r('.hv-lesson-check'), next: r('.hv-lesson-next'), canvas: r('#canvas'), vh: innerHeight, vw: innerWidth, scrollY };
        });
        expect(boxes.scrollY).toBe(0);
        for (const key of ['caption', 'question', 'check', 'next', 'canvas'] as const) {
          expect(boxes[key].height, key).toBeGreaterThan(0);
          expect(boxes[key].bottom, `${key} bottom at ${w}×${h}`).toBeLessThanOrEqual(boxes.vh);
          expect(boxes[key].right, `${key} right at ${w}×${h}`).toBeLessThanOrEqual(boxes.vw);
        }
        await page.screenshot({ path: join(shots, `lesson-step${step}-${w}x${h}.png`) });
      }
      // After an answer, the verdict and reveal (the panel may scroll within the side column, the page does not).
      await page.fill('.hv-lesson-input', '150');
      await page.click('.hv-lesson-check');
      await expect.poll(() => page.locator('.hv-lesson-verdict').textContent()).toMatch(/Right|Not quite/);
      await page.screenshot({ path: join(shots, `lesson-answered-${w}x${h}.png`) });
      expect(await page.evaluate(() => scrollY)).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});

describe("a lesson's navigation stays on screen once a question is answered", () => {
  for (const [w, h] of [
    [1366, 768],
    [1920, 1080],
  ] as const) {
    it(`Back, Next and the answer are in view after Check at ${w}×${h} (steps 6 and 14)`, async () => {
      const { page, errors } = await openPage(app.browser, `${app.url}?lesson=why-synthetic-is-cheaper`, w, h);
      await page.evaluate(() => localStorage.clear());
      for (const step of [6, 14]) {
        await page.evaluate((n) => window.hvsim.lesson.go(n), step);
        if (await page.locator('.hv-lesson-input').count()) await page.fill('.hv-lesson-input', '3');
        else await page.locator('.hv-lesson-choice input').first().check();
        await page.click('.hv-lesson-check');
        await expect.poll(() => page.locator('.hv-lesson-verdict').textContent()).toMatch(/Right|Not quite/);
        // Each must lie inside the window and inside the side column's visible box (it scrolls in the projector view),
        // and be the element on top at its middle (not under the pinned nav, not clipped away).
        const seen = await placement(page, ['.hv-lesson-next', '.hv-lesson-nav .hv-button:first-child', '.hv-lesson-verdict', '.hv-lesson-expected']);
        for (const [sel, where] of Object.entries(seen)) expect(where, `${sel} at step ${step}`).toBe('in window, in side, on top');
        await page.screenshot({ path: join(shots, `lesson-nav-step${step}-${w}x${h}.png`) });
      }
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});

describe('lessons: text, links, storage, follow, glossary', () => {
  it('a caption holding HTML stays text (a lesson file through Open file…)', async () => {
    const lesson = {
      version: 1,
      name: 'html-caption',
      title: 'A <i>title</i>',
      scenario: 'emulated-vs-synthetic',
      steps: [
        { anchor: { at: 'start' }, caption: 'Plain <b>bold</b> and <img src=x onerror="window.__pwned = 1"> and a VM exit.' },
        { anchor: { kind: 'hv.intercept.exited', vm: 'enlightened' }, caption: 'Second <script>window.__pwned = 2</script>', follow: { vm: 'enlightened' } },
      ],
    };
    const file = join(scratch, 'html-caption.json');
    writeFileSync(file, JSON.stringify(lesson, null, 2));
    const { page, errors } = await openPage(app.browser, app.url, 1366, 768);
    await page.setInputFiles('input[type=file]', file);
    await expect.poll(async () => (await lessonState(page)).name).toBe('html-caption');
    const caption = page.locator('.hv-lesson-caption');
    expect(await caption.textContent()).toBe(lesson.steps[0]!.caption);
    expect(await caption.locator('b, img, script').count()).toBe(0);
    // The glossary term in it is a button that opens the glossary there.
    await caption.locator('button.hv-term', { hasText: 'VM exit' }).click();
    await expect.poll(() => page.locator('.hv-glossary-current').textContent()).toBe('VM exit');
    await page.keyboard.press('Escape');
    await page.keyboard.press(']');
    expect((await lessonState(page)).step).toBe(2);
    expect(await page.locator('.hv-lesson-caption').textContent()).toBe(lesson.steps[1]!.caption);
    expect(await page.locator('.hv-lesson-title').textContent()).toBe('A <i>title</i>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // A link carries the lesson file's text and the step.
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => page.url()).toContain('&st=2');
    const url = page.url();
    expect(url).toContain('&l=1.');
    const again = await openPage(app.browser, url, 1366, 768);
    const s = await lessonState(again.page);
    expect([s.name, s.step, s.follow]).toEqual(['html-caption', 2, 'VM enlightened']);
    expect(again.errors).toEqual([]);
    await again.page.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a lesson file with a step that lands on no record opens, and says which file, field and step, as hvsim lesson does", async () => {
    const lesson = {
      version: 1,
      name: 'no-record',
      title: 'A step with nothing to land on',
      scenario: 'emulated-vs-synthetic',
      steps: [
        { anchor: { at: 'start' }, caption: 'The start.' },
        { anchor: { kind: 'cluster.migration.started' }, caption: 'A migration this run does not have.' },
      ],
    };
    const file = join(scratch, 'no-record.json');
    writeFileSync(file, JSON.stringify(lesson, null, 2));
    const { page, errors } = await openPage(app.browser, app.url, 1366, 768);
    await page.setInputFiles('input[type=file]', file);
    await expect.poll(async () => (await lessonState(page)).name).toBe('no-record');
    // The CLI's line, file name first (before, the app's line had no file name: 'steps.1.anchor: …').
    let cliErr = '';
    try {
      execFileSync(process.execPath, ['bin/hvsim.mjs', 'lesson', file], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      cliErr = String((e as { stderr: string }).stderr);
    }
    const line = `no-record.json steps.1.anchor: the 1st cluster.migration.started lands on no record: no record of the run matches it`;
    expect(cliErr).toContain(line.replace('no-record.json', file));
    expect(await page.evaluate(() => window.hvsim.state().errors)).toEqual([line]);
    expect(await page.locator('.hv-errors').textContent()).toContain(line);
    // The lesson stays usable: its other step shows.
    expect((await lessonState(page)).caption).toBe('The start.');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("Play in a lesson runs to the next step's anchor and shows that step, stopping at a pause point (audit: it ran to the run's end on step 1)", async () => {
    const sheet = cli('why-synthetic-is-cheaper');
    // Steps 2 and 6 pause; 3, 4 and 5 lie between them in the run and do not.
    expect(sheet.steps.slice(1, 6).map((x) => x.pause)).toEqual([true, false, false, false, true]);
    const { page, errors } = await openPage(app.browser, `${app.url}?lesson=why-synthetic-is-cheaper`, 1366, 768);
    await page.evaluate(() => {
      const speed = document.querySelector<HTMLInputElement>('#speed')!;
      speed.value = speed.max;
      speed.dispatchEvent(new Event('input'));
    });
    const playToStop = async (): Promise<{ step: number; cursor: number }> => {
      await page.keyboard.press('Space');
      await expect.poll(() => page.evaluate(() => window.hvsim.state().playing), { timeout: 60_000 }).toBe(false);
      return { step: (await lessonState(page)).step, cursor: await cursor(page) };
    };
    expect(await playToStop()).toEqual({ step: 2, cursor: expectedCursor(sheet.steps[1]!) });
    // Through steps 3 to 5 (each shown as it is reached) to step 6, which pauses.
    expect(await playToStop()).toEqual({ step: 6, cursor: expectedCursor(sheet.steps[5]!) });
    expect((await lessonState(page)).caption).toBe(sheet.steps[5]!.caption);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the next step starts at its head, not where the last step's answer scrolled the side column (1366×768, vhd-on-512e)", async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?lesson=vhd-on-512e`, 1366, 768);
    await page.evaluate(() => localStorage.clear());
    await page.evaluate(() => window.hvsim.lesson.go(3));
    // The class reveals the answer (a click in the page, not Playwright's, which would scroll the window first).
    await page.evaluate(() => document.querySelector<HTMLButtonElement>('.hv-lesson-show')!.click());
    expect(await page.evaluate(() => document.querySelector('.side')!.scrollTop)).toBeGreaterThan(0);
    await page.keyboard.press('PageDown');
    expect((await lessonState(page)).step).toBe(4);
    // Before, the column stayed scrolled and step 4's title and caption lay above its top.
    for (const [sel, where] of Object.entries(await placement(page, ['.hv-lesson-title', '.hv-lesson-caption']))) expect(where, sel).toBe('in window, in side, on top');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('links carry a bundled lesson and its step; old links still open; an unknown lesson says so', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?lesson=vhd-types`, 1366, 768);
    await page.evaluate(() => window.hvsim.lesson.go(4));
    const at = await cursor(page);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => page.url()).toContain('&ls=vhd-types');
    const url = page.url();
    expect(url).toContain('&st=4');
    await page.close();
    const again = await openPage(app.browser, url.replace(/\?lesson=[^#]*/, ''), 1366, 768);
    const s = await lessonState(again.page);
    expect([s.name, s.step]).toEqual(['vhd-types', 4]);
    expect(await cursor(again.page)).toBe(at);
    await again.page.close();
    // A link without lesson fields opens the scenario and no lesson, as before.
    const old = await openPage(app.browser, url.replace(/\?lesson=[^#]*/, '').replace(/&ls=[^&]*/, '').replace(/&st=\d+/, ''), 1366, 768);
    expect((await lessonState(old.page)).name).toBe('');
    expect(await cursor(old.page)).toBe(at);
    await old.page.close();
    const unknown = await openPage(app.browser, `${app.url}?lesson=no-such-lesson`, 1366, 768);
    const state = await unknown.page.evaluate(() => window.hvsim.state());
    expect(state.scenario).toBe('emulated-vs-synthetic');
    expect(state.notice).toContain('no-such-lesson');
    expect(state.errors.join(' ')).toContain("no bundled lesson 'no-such-lesson'");
    await unknown.page.close();
    expect(errors).toEqual([]);
  });

  it('answers stay in this browser: reopening the lesson shows them answered', async () => {
    const { page } = await openPage(app.browser, `${app.url}?lesson=why-synthetic-is-cheaper`, 1366, 768);
    await page.evaluate(() => localStorage.clear());
    await page.evaluate(() => window.hvsim.lesson.go(2));
    await page.fill('.hv-lesson-input', '1');
    await page.click('.hv-lesson-check');
    expect((await lessonState(page)).correct).toBe(false);
    const keys = await page.evaluate(() => Object.keys(localStorage));
    expect(keys.some((k) => k.startsWith('hvsim.lesson.v1:why-synthetic-is-cheaper:'))).toBe(true);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 180_000 });
    await page.evaluate(() => window.hvsim.lesson.go(2));
    const s = await lessonState(page);
    expect([s.answered, s.correct]).toEqual([true, false]);
    expect(await page.locator('.hv-lesson-input').inputValue()).toBe('1');
    // The first prediction counts, a reload included: a shown answer keeps the question closed.
    await page.evaluate(() => window.hvsim.lesson.go(6)); // step 6 asks for the PIO write's interrupts
    expect(await page.locator('.hv-lesson-check').isDisabled()).toBe(false);
    await page.click('.hv-lesson-show');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 180_000 });
    await page.evaluate(() => window.hvsim.lesson.go(6));
    expect(await page.locator('.hv-lesson-check').isDisabled()).toBe(true);
    expect(await page.evaluate(() => window.hvsim.lesson.answer(20))).toMatchObject({ counted: false });
    await page.close();
  });

  it('L brings the Lesson list into view with the keyboard on it (it is below the first screen at 1366x768)', async () => {
    const { page, errors } = await openPage(app.browser, app.url, 1366, 768);
    expect(await page.evaluate(() => window.hvsim.state().narration)).toContain('L picks a lesson');
    await page.keyboard.press('l');
    expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.closest('.hv-lesson-bar') !== null && document.activeElement?.tagName === 'SELECT')).toBe(true);
    const box = await page.evaluate(() => document.activeElement!.getBoundingClientRect().toJSON() as DOMRect);
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(768);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("follow mode: stepping visits only the followed VM's records, and all of them", async () => {
    const trace = join(scratch, 'trace.jsonl');
    execFileSync(process.execPath, ['bin/hvsim.mjs', 'run', 'emulated-vs-synthetic', '--trace', trace], { encoding: 'utf8' });
    const records = (await import('node:fs')).readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Trace & { seq: number }).filter((r) => r.seq >= 0);
    const ofVm = (r: Trace, vm: string): boolean => (r.stream !== '' ? r.stream.split('/')[0] === vm : r.place.startsWith(`${vm}.`));
    const expected = records.flatMap((r, i) => (ofVm(r, 'enlightened') ? [i + 1] : []));
    const { page, errors } = await openPage(app.browser, app.url, 1366, 768);
    await page.selectOption('.hv-lesson-bar select[id^="hv-follow"]', 'enlightened');
    expect((await lessonState(page)).follow).toBe('VM enlightened');
    const visited: number[] = [];
    for (let i = 0; i < expected.length + 2; i++) {
      if (i % 3 === 0) await page.keyboard.press('ArrowRight');
      else await page.evaluate(() => window.hvsim.step(1));
      const c = await cursor(page);
      if (visited[visited.length - 1] !== c) visited.push(c);
    }
    expect(visited).toEqual(expected);
    for (const c of visited) expect(ofVm(records[c - 1]!, 'enlightened')).toBe(true);
    // Back visits them in reverse; N (next of a kind) stays on them too.
    await page.evaluate(() => window.hvsim.back(1));
    expect(await cursor(page)).toBe(expected[expected.length - 2]);
    await page.screenshot({ path: join(shots, 'follow-enlightened-1366x768.png') });
    // Playing while following stops on its last record.
    await page.evaluate(() => window.hvsim.seek(0));
    await page.evaluate(() => window.hvsim.play());
    for (let i = 0; i < 400 && (await page.evaluate(() => window.hvsim.frame(500).playing)); i++);
    expect(await cursor(page)).toBe(expected[expected.length - 1]);
    // Clearing the follow steps through every record again.
    await page.selectOption('.hv-lesson-bar select[id^="hv-follow"]', '');
    await page.evaluate(() => window.hvsim.seek(10));
    expect(await page.evaluate(() => window.hvsim.step(1))).toBe(11);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the glossary lists every term, and the narrator and inspector link to it', async () => {
    const { page, errors } = await openPage(app.browser, app.url, 1366, 768);
    await page.evaluate(() => window.hvsim.seek(22));
    await page.evaluate(() => window.hvsim.lesson.glossary());
    const terms = await page.locator('.hv-glossary-list dt').count();
    expect(terms).toBeGreaterThan(20);
    expect(await page.locator('.hv-glossary-source').count()).toBe(terms);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#narrator button.hv-term, #inspector button.hv-term').count()).toBeGreaterThan(0);
    const before = await page.evaluate(() => window.hvsim.state().narration);
    await page.locator('#narrator button.hv-term, #inspector button.hv-term').first().click();
    await expect.poll(() => page.evaluate(() => document.querySelector('.hv-glossary-current')?.textContent ?? '')).not.toBe('');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => window.hvsim.state().narration)).toBe(before);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the one-file build from file://', () => {
  it('opens a bundled lesson with ?lesson=', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1366, height: 768 }, offline: true });
    const page = await context.newPage();
    await page.goto(`${pathToFileURL(resolve('dist/hvsim.html')).href}?lesson=queue-depth`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 180_000 });
    const s = await lessonState(page);
    expect([s.name, s.step, s.steps]).toEqual(['queue-depth', 1, 9]);
    await page.keyboard.press('PageDown');
    expect((await lessonState(page)).step).toBe(2);
    expect(await cursor(page)).toBe(cli('queue-depth').steps[1]!.anchor.record!.index + 1);
    await context.close();
  });
});
