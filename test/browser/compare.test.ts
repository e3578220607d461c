/**
 * Compare mode after an outside audit at 1366×768 and 1920×1080: a
 * compared cluster scenario opens on its cluster view; the controls go on
 * past the first run's end to the end of a longer compared run (the
 * shorter holding at its end and saying so); a lesson open in compare mode
 * leaves both canvases usable; the comparison strip shows in compare mode
 * where the window has the height, with the compared run's paths under the
 * first's (each under its scenario's name, its so far at its own pane's
 * cursor); the event list titles the names it cuts. Screenshots go to test-results/screenshots.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledScenario, parseScenarioText, runScenario } from '../../src/scenario/index.js';
import { Follow } from '../../src/ui/lesson/follow.js';
import { appInChromium, openPage, pageInApp, screenshotDir } from './harness.js';

const app = appInChromium();
const shots = screenshotDir();

type Compared = { scenario: string; cursor: number; total: number; timeNs: number; fingerprint: string; view: 'cluster' | 'io'; ended: boolean };
type State = { scenario: string; notice: string; cursor: number; total: number; position: number; positions: number; timeNs: number; playing: boolean; canvasFontPx: number; compare: Compared | null; strip: { runs: { scenario: string; paths: { stream: string; values: string[] }[] }[] } };
const state = (page: Page): Promise<State> => page.evaluate(() => window.hvsim.state() as unknown as State);

/** `selector`'s box, rounded. */
const box = (page: Page, selector: string): Promise<{ x: number; y: number; width: number; height: number; bottom: number }> =>
  page.evaluate((sel) => {
    const r = document.querySelector(sel)!.getBoundingClientRect();
    return { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height), bottom: Math.round(r.bottom) };
  }, selector);

/** Whether `selector` is drawn whole within the window. */
const inFirstScreen = (page: Page, selector: string): Promise<boolean> =>
  page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (el === null) return false;
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight + 0.5 && r.right <= window.innerWidth + 0.5;
  }, selector);

/** The CLI's fingerprint of a bundled scenario. */
const cliFingerprint = (name: string): string => (JSON.parse(execFileSync(process.execPath, ['bin/hvsim.mjs', 'run', name, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 })) as { fingerprint: string }).fingerprint;

describe('compare mode at 1366×768', () => {
  const at = pageInApp(app, '', 1366, 768);

  it('a compared cluster scenario opens on its cluster view, with its own switch; its run is the CLI’s', async () => {
    expect(await at.page.evaluate(() => window.hvsim.compare('vmotion'))).toBe(true);
    const s = await state(at.page);
    expect(s.compare!.view).toBe('cluster');
    expect(s.compare!.fingerprint).toBe(cliFingerprint('vmotion'));
    // The pane's cluster canvas is drawn over its I/O canvas; the first pane (no cluster) offers no switch.
    await at.page.waitForFunction(() => document.querySelector('#canvas-compare div[role="img"]:not([hidden]) canvas') !== null);
    expect(await at.page.isVisible('label[for="compare-cluster"]')).toBe(true);
    expect(await at.page.isVisible('label[for="view-cluster"]')).toBe(false);
    await at.page.evaluate(() => window.hvsim.seek(1e9));
    const cluster = await at.page.evaluate(() => window.hvsim.compareCluster());
    expect(cluster.on).toBe(true);
    expect(cluster.view!.hosts.map((h) => h.id)).toEqual(['h1', 'h2', 'h3']);
    expect(cluster.overflowingText).toEqual([]);
    await at.page.screenshot({ path: join(shots, 'compare-cluster-1366x768.png') });
    // Its switch gives the I/O view back, captioned with its host.
    await at.page.click('label[for="compare-cluster"]');
    expect((await state(at.page)).compare!.view).toBe('io');
    expect((await at.page.evaluate(() => window.hvsim.compareCluster())).caption).toMatch(/^I\/O view of host h1/);
    // Another cluster scenario opens on its cluster view again; one without a cluster shows no switch.
    expect(await at.page.evaluate(() => window.hvsim.compare('vss-backup'))).toBe(true);
    expect((await state(at.page)).compare!.view).toBe('cluster');
    expect(await at.page.evaluate(() => window.hvsim.compare('fastpath-boot'))).toBe(true);
    expect((await state(at.page)).compare!.view).toBe('io');
    expect(await at.page.isVisible('label[for="compare-cluster"]')).toBe(false);
    await at.page.evaluate(() => window.hvsim.compare(null));
  });

  it("steps, scrubs and plays past the first run's end to the end of the longer compared run; the first holds there and says so", async () => {
    await at.page.evaluate(() => window.hvsim.load('emulated-vs-synthetic'));
    expect(await at.page.evaluate(() => window.hvsim.compare('vmotion'))).toBe(true);
    await at.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await at.page.keyboard.press('End');
    let s = await state(at.page);
    expect(s.cursor).toBe(s.total);
    expect(s.compare!.cursor).toBe(s.compare!.total);
    expect(s.positions).toBeGreaterThan(s.total);
    expect(s.position).toBe(s.positions);
    expect(s.compare!.timeNs).toBe(269e9);
    expect(await at.page.locator('.controls .position').textContent()).toBe(`${s.positions} / ${s.positions} · 269 s`);
    expect(await at.page.locator('#canvas-title').textContent()).toMatch(/^emulated-vs-synthetic · record 2400 \/ 2400 · t = 6\.38 ms · ended$/);
    expect(await at.page.locator('#canvas-title').getAttribute('title')).toMatch(/holds there/);
    // Back steps the compared run; the first stays at its end.
    await at.page.keyboard.press('ArrowLeft');
    s = await state(at.page);
    expect([s.cursor, s.compare!.cursor]).toEqual([s.total, s.compare!.total - 1]);
    // The scrubber reaches the compared run's later records.
    await at.page.locator('#scrubber').fill(String(s.positions - 10));
    s = await state(at.page);
    expect([s.cursor, s.compare!.cursor]).toEqual([s.total, s.compare!.total - 10]);
    // Playing goes on to the end of the longer run, then stops.
    await at.page.evaluate(() => window.hvsim.play());
    s = await at.page.evaluate(() => {
      for (let i = 0; i < 2000 && window.hvsim.state().playing; i++) window.hvsim.frame(1000);
      return window.hvsim.state() as unknown as State;
    });
    expect(s.playing).toBe(false);
    expect(s.compare!.cursor).toBe(s.compare!.total);
    // A link carries the place past the first run's end.
    await at.page.evaluate((p) => window.hvsim.seek(p), s.positions - 3);
    await at.page.getByRole('button', { name: /Copy link/ }).click();
    await at.page.waitForFunction((p) => location.hash.includes(`&at=${p}`), s.positions - 3);
    const other = await openPage(app.browser, await at.page.evaluate(() => location.href), 1366, 768);
    const linked = await state(other.page);
    expect([linked.position, linked.compare!.cursor]).toEqual([s.positions - 3, s.compare!.total - 3]);
    await other.page.close();
    await at.page.evaluate(() => history.replaceState(null, '', location.pathname));
    // Home goes back to the start of both.
    await at.page.keyboard.press('Home');
    s = await state(at.page);
    expect([s.cursor, s.compare!.cursor, s.position]).toEqual([0, 0, 0]);
    await at.page.evaluate(() => window.hvsim.compare(null));
    s = await state(at.page);
    expect(s.positions).toBe(s.total);
  });

  it('a compared run shorter than the first holds at its end and says so; the controls end with the first', async () => {
    await at.page.evaluate(() => window.hvsim.load('vmotion'));
    expect(await at.page.evaluate(() => window.hvsim.compare('emulated-vs-synthetic'))).toBe(true);
    await at.page.evaluate(() => window.hvsim.seek(200));
    const s = await state(at.page);
    expect(s.compare!.cursor).toBe(s.compare!.total);
    expect(s.compare!.ended).toBe(true);
    expect(s.positions).toBe(s.total);
    expect(await at.page.locator('#compare-title').textContent()).toMatch(/^emulated-vs-synthetic · record 2400 \/ 2400 · t = 6\.38 ms · ended$/);
    expect(await at.page.locator('#canvas-title').textContent()).not.toContain('ended');
    // At the first run's end too: the compared run ended first.
    await at.page.evaluate(() => window.hvsim.seek(1e9));
    expect((await state(at.page)).compare!.ended).toBe(true);
    await at.page.evaluate(() => window.hvsim.compare(null));
    await at.page.evaluate(() => window.hvsim.load('emulated-vs-synthetic'));
  });

  it('the event list gives every name it cuts its whole text as a title', async () => {
    await at.page.evaluate(() => window.hvsim.seek(300));
    await at.page.locator('.hv-event-list').scrollIntoViewIfNeeded();
    await at.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(() => setTimeout(done, 0), 0))));
    const cells = await at.page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.hv-event-list [role="row"][data-pos]')].flatMap((row) =>
        [2, 3, 4].map((c) => {
          const cell = row.children[c] as HTMLElement;
          return { text: cell.textContent ?? '', title: cell.getAttribute('title'), cut: cell.scrollWidth > cell.clientWidth };
        }),
      ),
    );
    const cut = cells.filter((c) => c.cut);
    expect(cut.length).toBeGreaterThan(0);
    for (const c of cut) expect(c.title).toBe(c.text);
    for (const c of cells.filter((x) => !x.cut)) expect(c.title).toBeNull();
    await at.page.evaluate(() => window.scrollTo(0, 0));
  });
});

describe('the comparison strip in compare mode at 1920×1080', () => {
  const at = pageInApp(app, '?scenario=emulated-vs-synthetic', 1920, 1080);

  type StripRuns = { scenario: string; paths: { stream: string; values: string[] }[] }[];
  const stripRuns = async (): Promise<StripRuns> => (await at.page.evaluate(() => window.hvsim.state().strip)).runs;
  const runLabels = (): Promise<string[]> => at.page.locator('.hv-strip-figure').first().locator('.hv-strip-run').allTextContents();

  it("puts the compared run's paths under the first's, each under its scenario's name, the compared so far at its own pane's cursor, past the first run's end too", async () => {
    await at.page.evaluate(() => window.hvsim.seek(1e9));
    const alone = await stripRuns();
    expect(alone.map((r) => r.scenario)).toEqual(['emulated-vs-synthetic']);
    expect(await at.page.locator('.hv-strip-run').count()).toBe(0);
    expect(await at.page.evaluate(() => window.hvsim.compare('queue-depth'))).toBe(true);
    expect(await runLabels()).toEqual(['emulated-vs-synthetic', 'queue-depth']);
    expect(await at.page.locator('.hv-strip-run').count()).toBe(12);
    const cli = JSON.parse(execFileSync(process.execPath, ['bin/hvsim.mjs', 'run', 'queue-depth', '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 })) as { paths: { stream: string; perIo: { vmExits: number } }[] };
    // At the end of both: each run's whole-run figures, the compared run's VM exits per I/O the CLI's.
    await at.page.evaluate(() => window.hvsim.seek(1e9));
    let runs = await stripRuns();
    expect(runs[0]).toEqual(alone[0]);
    expect(runs[1]!.paths.map((p) => p.stream)).toEqual(cli.paths.map((p) => p.stream));
    expect(runs[1]!.paths.map((p) => p.values[0])).toEqual(cli.paths.map((p) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(p.perIo.vmExits)));
    // Within the first run, and past its end: the first run's figures where it stands, the compared run's where its pane stands.
    const stands: { position: number; compared: number; values: StripRuns[number]['paths'] }[] = [];
    for (const position of [1200, (await state(at.page)).total + 50_000]) {
      await at.page.evaluate((p) => window.hvsim.seek(p), position);
      const s = await state(at.page);
      runs = await stripRuns();
      expect(s.compare!.cursor).toBeLessThan(s.compare!.total);
      expect(runs[1]!.paths.every((p) => p.values.some((v) => v.includes(' of ')))).toBe(true);
      stands.push({ position, compared: s.compare!.cursor, values: runs[1]!.paths });
    }
    expect(stands[1]!.compared).toBeGreaterThan(stands[0]!.compared);
    // Past the first run's end it holds at its end: its figures are the whole run's.
    expect(runs[0]).toEqual(alone[0]);
    await at.page.screenshot({ path: join(shots, 'compare-strip-two-runs-1920x1080.png') });
    const [a, b] = await Promise.all([box(at.page, '#canvas'), box(at.page, '#canvas-compare')]);
    expect(Math.min(a.height, b.height)).toBeGreaterThanOrEqual(480);
    expect(await inFirstScreen(at.page, '.hv-strip')).toBe(true);
    // Closing compare mode brings back the first run's paths alone; a compared cluster scenario (no I/O paths) adds nothing.
    await at.page.evaluate(() => window.hvsim.compare(null));
    expect(await stripRuns()).toEqual(alone);
    expect(await at.page.locator('.hv-strip-run').count()).toBe(0);
    expect(await at.page.evaluate(() => window.hvsim.compare('vmotion'))).toBe(true);
    expect(await stripRuns()).toEqual(alone);
    expect(await at.page.locator('.hv-strip-run').count()).toBe(0);
    await at.page.evaluate(() => window.hvsim.compare(null));
    // The compared figures were queue-depth's own at the compared pane's cursor: what the strip shows with it loaded there.
    await at.page.evaluate(() => window.hvsim.load('queue-depth'));
    for (const stand of stands) {
      await at.page.evaluate((c) => window.hvsim.seek(c), stand.compared);
      expect((await stripRuns())[0]!.paths, `compared cursor ${stand.compared}`).toEqual(stand.values);
    }
  });
});

// stripCanvasMin: the canvases over the strip, which holds the compared run's paths (fastpath-boot's two) under the first's three.
describe.each([
  { width: 1366, height: 768, canvasMin: 390, stripCanvasMin: 0 },
  { width: 1920, height: 1080, canvasMin: 600, stripCanvasMin: 540 },
])('a lesson open in compare mode at $width×$height', ({ width, height, canvasMin, stripCanvasMin }) => {
  const at = pageInApp(app, '?lesson=why-synthetic-is-cheaper', width, height);
  const tag = `${width}x${height}`;

  beforeAll(async () => {
    expect(await at.page.evaluate(() => window.hvsim.compare('fastpath-boot'))).toBe(true);
  });

  it('leaves both canvases side by side and tall, the narrator readable, and the step with Back and Next on the first screen', async () => {
    for (const step of [0, 3, 5]) {
      await at.page.evaluate((n) => window.hvsim.lesson.go(n), step);
      const [a, b, narrator] = await Promise.all([box(at.page, '#canvas'), box(at.page, '#canvas-compare'), box(at.page, '#narrator')]);
      expect(a.x + a.width, `step ${step}`).toBeLessThanOrEqual(b.x);
      expect(Math.min(a.height, b.height), `step ${step}`).toBeGreaterThanOrEqual(canvasMin);
      expect(Math.min(a.width, b.width)).toBeGreaterThanOrEqual(600);
      expect(narrator.width).toBeGreaterThanOrEqual(14 * 16);
      for (const sel of ['#play', '#scrubber', '.hv-narrator', '.hv-lesson-title', '.hv-lesson-next', '.hv-lesson-bar']) expect(await inFirstScreen(at.page, sel), `${sel} at step ${step}`).toBe(true);
      expect(await at.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect((await state(at.page)).canvasFontPx).toBeGreaterThanOrEqual(16);
      await at.page.screenshot({ path: join(shots, `compare-lesson-step${step}-${tag}.png`) });
    }
  });

  it('shows the comparison strip under the narrator where the window has the height for it, the lesson closed', async () => {
    await at.page.evaluate(() => window.hvsim.lesson.close());
    const strip = at.page.locator('.hv-strip');
    if (height >= 900) {
      expect(await inFirstScreen(at.page, '.hv-strip')).toBe(true);
      expect(await strip.locator('.hv-strip-figure').count()).toBe(6);
      expect(await strip.locator('.hv-strip-figure').first().locator('.hv-strip-run').allTextContents()).toEqual(['emulated-vs-synthetic', 'fastpath-boot']);
      const [a, b] = await Promise.all([box(at.page, '#canvas'), box(at.page, '#canvas-compare')]);
      expect(Math.min(a.height, b.height)).toBeGreaterThanOrEqual(stripCanvasMin);
    } else expect(await strip.isVisible()).toBe(false);
    await at.page.screenshot({ path: join(shots, `compare-strip-${tag}.png`) });
  });
});

describe('the compared run’s replications at 1920×1080', () => {
  const at = pageInApp(app, '?scenario=emulated-vs-synthetic', 1920, 1080);

  type StripRuns = { scenario: string; paths: { stream: string; values: string[]; ci: string[] }[] }[];
  const stripRuns = async (): Promise<StripRuns> => (await at.page.evaluate(() => window.hvsim.state().strip)).runs as StripRuns;
  const done = (): Promise<void> => at.page.evaluate(() => window.hvsim.sweep.replicationsDone());
  /** passthrough-vs-native, 40 requests a workload, asking for 3 replications. */
  const replicated = (): string => {
    const data = JSON.parse(bundledScenario('passthrough-vs-native')!.text) as { workloads: { count: number }[] };
    for (const w of data.workloads) w.count = 40;
    return JSON.stringify({ ...data, sweep: { replications: 3 } });
  };

  it('shows the ± lines under the compared run’s figures, the same as when that scenario is the loaded one', async () => {
    const text = replicated();
    // The scenario loaded first: its own ± lines, by the model's replications.
    expect(await at.page.evaluate((t) => window.hvsim.loadText(t, 'pvn.json'), text)).toBe(true);
    await done();
    const own = (await stripRuns())[0]!.paths.map((p) => ({ stream: p.stream, ci: p.ci }));
    expect(own.flatMap((p) => p.ci).filter((l) => l !== '').length).toBeGreaterThanOrEqual(2);
    // Compared beside another run: the same lines under its rows, none under the first run's.
    await at.page.evaluate(() => window.hvsim.load('emulated-vs-synthetic'));
    expect(await at.page.evaluate((t) => window.hvsim.compareText(t, 'pvn.json'), text)).toBe(true);
    await done();
    let runs = await stripRuns();
    expect(runs.map((r) => r.scenario)).toEqual(['emulated-vs-synthetic', 'pvn.json']);
    expect(runs[1]!.paths.map((p) => ({ stream: p.stream, ci: p.ci }))).toEqual(own);
    expect(runs[0]!.paths.every((p) => p.ci.every((l) => l === ''))).toBe(true);
    expect(await at.page.locator('.hv-strip .hv-note').textContent()).toMatch(/its mean ± half the 95 % interval over 3 runs of pvn\.json\.$/);
    const shown = (await at.page.locator('.hv-strip-ci').allTextContents()).filter((l) => l !== '');
    expect(shown.length).toBe(own.flatMap((p) => p.ci).filter((l) => l !== '').length);
    await at.page.screenshot({ path: join(shots, 'compare-replicated-1920x1080.png') });
    // Both runs replicated: each its own lines; the note names both.
    expect(await at.page.evaluate((t) => window.hvsim.loadText(t, 'pvn.json'), text)).toBe(true);
    await done();
    runs = await stripRuns();
    expect(runs[0]!.paths.map((p) => ({ stream: p.stream, ci: p.ci }))).toEqual(own);
    expect(runs[1]!.paths.map((p) => ({ stream: p.stream, ci: p.ci }))).toEqual(own);
    expect(await at.page.locator('.hv-strip .hv-note').textContent()).toMatch(/over 3 runs of passthrough-vs-native and over 3 runs of pvn\.json\.$/);
    // Another compared scenario, without replications, clears its lines; so does closing compare mode.
    await at.page.evaluate(() => window.hvsim.load('emulated-vs-synthetic'));
    expect(await at.page.evaluate(() => window.hvsim.compare('fastpath-boot'))).toBe(true);
    await done();
    expect((await stripRuns()).every((r) => r.paths.every((p) => p.ci.every((l) => l === '')))).toBe(true);
    expect(await at.page.evaluate((t) => window.hvsim.compareText(t, 'pvn.json'), text)).toBe(true);
    await at.page.evaluate(() => window.hvsim.compare(null));
    await done();
    expect((await at.page.locator('.hv-strip-ci').allTextContents()).every((l) => l === '')).toBe(true);
  });
});

describe('following a VM across the joint timeline at 1366×768', () => {
  const at = pageInApp(app, '?scenario=emulated-vs-synthetic', 1366, 768);

  /** emulated-vs-synthetic with 24 writes from enlightened: it runs on well past the first run's end (the PIO write's). */
  const longer = (): string => {
    const data = JSON.parse(bundledScenario('emulated-vs-synthetic')!.text) as { workloads: { vm: string; count: number }[] };
    for (const w of data.workloads) if (w.vm === 'enlightened') w.count = 24;
    return JSON.stringify(data);
  };

  it("steps through the followed VM's records past the first run's end into the longer compared run's, and back", async () => {
    const text = longer();
    expect(await at.page.evaluate((t) => window.hvsim.compareText(t, 'longer.json'), text)).toBe(true);
    await at.page.selectOption('.hv-lesson-bar select[id^="hv-follow"]', 'enlightened');
    const first = await state(at.page);
    expect(first.positions).toBeGreaterThan(first.total);
    // The compared run's records of enlightened after the first run's end, by the follow rule, in the compared run itself.
    const runOf = (t: string): ReturnType<typeof runScenario> => {
      const parsed = parseScenarioText(t, 'x.json');
      if (!parsed.ok) throw new Error('the scenario does not parse');
      return runScenario(parsed.scenario, { keepRecords: 'columns' });
    };
    const run = runOf(text);
    const followed = new Follow({ vm: 'enlightened' }, run.store!, run.output.topology.places).indices;
    const own = runOf(bundledScenario('emulated-vs-synthetic')!.text);
    const endNs = own.store!.tAt(own.store!.length - 1);
    const after = [...followed].filter((i) => run.store!.tAt(i) > endNs);
    expect(after.length).toBeGreaterThan(20);
    // → step by step to the last followed record: the compared pane stands after each of the compared run's past the first's end.
    const visited = await at.page.evaluate(() => {
      const out: { position: number; cursor: number; compared: number }[] = [];
      for (let i = 0; i < 5000; i++) {
        const before = window.hvsim.state().position;
        window.hvsim.step(1);
        const s = window.hvsim.state();
        if (s.position === before) break;
        out.push({ position: s.position, cursor: s.cursor, compared: s.compare!.cursor });
      }
      return out;
    });
    const past = visited.filter((v) => v.position > first.total);
    expect(past.length).toBe(after.length);
    expect(past.map((v) => v.compared - 1)).toEqual(after);
    expect(past.every((v) => v.cursor === first.total)).toBe(true);
    const last = await state(at.page);
    expect(last.compare!.cursor).toBe(after.at(-1)! + 1);
    expect(last.notice).toBe('No later record of VM enlightened in either run.');
    await at.page.screenshot({ path: join(shots, 'compare-follow-past-end-1366x768.png') });
    // ← goes back through them, and into the first run's.
    await at.page.evaluate((n) => window.hvsim.back(n), past.length);
    const back = await state(at.page);
    expect(back.position).toBeLessThanOrEqual(first.total);
    expect(back.position).toBe(visited.filter((v) => v.position <= first.total).at(-1)!.position);
    // Playing follows the same records to the compared run's last followed one.
    await at.page.evaluate(() => window.hvsim.play());
    const played = await at.page.evaluate(() => {
      for (let i = 0; i < 5000 && window.hvsim.state().playing; i++) window.hvsim.frame(1000);
      return window.hvsim.state();
    });
    expect([played.playing, played.position]).toEqual([false, last.position]);
    // End and the scrubber reach the compared run's end while following.
    await at.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await at.page.keyboard.press('End');
    const end = await state(at.page);
    expect([end.position, end.compare!.cursor]).toEqual([end.positions, end.compare!.total]);
    await at.page.selectOption('.hv-lesson-bar select[id^="hv-follow"]', '');
    await at.page.evaluate(() => window.hvsim.compare(null));
  });
});

describe('the comparison strip swapped in at 1366×768', () => {
  const at = pageInApp(app, '?scenario=emulated-vs-synthetic', 1366, 768);

  /** Both canvases redrawn at their hosts' new size (they refit once the size settles). */
  const refitted = (): Promise<unknown> =>
    at.page.waitForFunction(() =>
      ['#canvas', '#canvas-compare'].every((sel) => {
        const host = document.querySelector(sel)!.getBoundingClientRect();
        const drawn = document.querySelector(`${sel} canvas`)?.getBoundingClientRect();
        return drawn !== undefined && Math.abs(drawn.height - host.height) < 2 && Math.abs(drawn.width - host.width) < 2;
      }),
    );

  /** Every row of the strip drawn within its own width (nothing cut or run into the next figure). */
  const rowsFit = (): Promise<boolean> =>
    at.page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.hv-strip-rows li:not(.hv-strip-run)')].every((li) => li.scrollWidth <= li.clientWidth + 1 && li.getBoundingClientRect().right <= li.closest('figure')!.getBoundingClientRect().right + 1));

  it('Paths compared swaps the strip in for the narrator and the lesson, in one row, the canvases still side by side and tall enough, and back', async () => {
    expect(await at.page.isVisible('.strip-swap')).toBe(false);
    expect(await at.page.evaluate(() => window.hvsim.compare('fastpath-boot'))).toBe(true);
    await at.page.evaluate(() => window.hvsim.seek(1200));
    expect(await at.page.isVisible('.hv-strip')).toBe(false);
    const before = (await at.page.evaluate(() => window.hvsim.state().strip)).runs;
    // The switch shows in the playback bar, on the first screen.
    const swap = at.page.getByRole('button', { name: 'Paths compared' });
    expect(await inFirstScreen(at.page, '.strip-swap')).toBe(true);
    expect(await swap.getAttribute('aria-pressed')).toBe('false');
    await swap.click();
    expect(await swap.getAttribute('aria-pressed')).toBe('true');
    await at.page.waitForFunction(() => document.querySelector('#canvas')!.getBoundingClientRect().bottom < 560);
    await refitted();
    expect(await inFirstScreen(at.page, '.hv-strip')).toBe(true);
    expect(await at.page.isVisible('.narrator')).toBe(false);
    expect(await at.page.locator('.hv-strip-figure').count()).toBe(6);
    const tops = await at.page.locator('.hv-strip-figure').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    expect(await rowsFit()).toBe(true);
    // The figures are the strip's own: the same as beside the narrator, the whole run's in each row's tooltip.
    expect((await at.page.evaluate(() => window.hvsim.state().strip)).runs).toEqual(before);
    expect(await at.page.locator('.hv-strip-value').first().getAttribute('title')).toBe(before[0]!.paths[0]!.values[0]);
    for (const sel of ['#play', '#scrubber', '.strip-swap']) expect(await inFirstScreen(at.page, sel), sel).toBe(true);
    const [a, b] = await Promise.all([box(at.page, '#canvas'), box(at.page, '#canvas-compare')]);
    expect(a.x + a.width).toBeLessThanOrEqual(b.x);
    expect(Math.min(a.height, b.height)).toBeGreaterThanOrEqual(360);
    expect(Math.min(a.width, b.width)).toBeGreaterThanOrEqual(600);
    expect((await state(at.page)).canvasFontPx).toBeGreaterThanOrEqual(16);
    expect(await at.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await at.page.screenshot({ path: join(shots, 'compare-strip-swapped-1366x768.png') });
    // Past the first run's end, the compared figures go on in the compact strip.
    await at.page.evaluate(() => window.hvsim.seek(1e9));
    expect(await rowsFit()).toBe(true);
    // Again: the narrator is back and the strip hidden.
    await swap.click();
    expect(await at.page.isVisible('.narrator')).toBe(true);
    expect(await at.page.isVisible('.hv-strip')).toBe(false);
    // A lesson's step hides the strip too: the switch swaps it in for the step, and back.
    await at.page.evaluate(() => window.hvsim.lesson.open('why-synthetic-is-cheaper'));
    await swap.click();
    expect(await inFirstScreen(at.page, '.hv-strip')).toBe(true);
    expect(await at.page.isVisible('.hv-lesson-next')).toBe(false);
    await refitted();
    await at.page.screenshot({ path: join(shots, 'compare-strip-swapped-lesson-1366x768.png') });
    await swap.click();
    expect(await inFirstScreen(at.page, '.hv-lesson-next')).toBe(true);
    await at.page.evaluate(() => window.hvsim.lesson.close());
    // Outside compare mode there is nothing to swap.
    await at.page.evaluate(() => window.hvsim.compare(null));
    expect(await at.page.isVisible('.strip-swap')).toBe(false);
  });

  it('is not offered where the strip shows (1920×1080)', async () => {
    const tall = await openPage(app.browser, `${app.url}?scenario=emulated-vs-synthetic`, 1920, 1080);
    expect(await tall.page.evaluate(() => window.hvsim.compare('fastpath-boot'))).toBe(true);
    expect(await tall.page.isVisible('.hv-strip')).toBe(true);
    expect(await tall.page.isVisible('.strip-swap')).toBe(false);
    expect(tall.errors).toEqual([]);
    await tall.page.close();
  });
});
