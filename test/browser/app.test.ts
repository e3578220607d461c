/**
 * The built app in Debian's Chromium: it loads with no console error, draws
 * the canvas, steps, backs, plays, scrubs and filters, shows the same
 * fingerprint as the CLI, keeps the last good run when given a bad
 * scenario, and renders scenario text as text. Screenshots go to
 * test-results/screenshots (printed) for a person to look at.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { bundledScenario } from '../../src/scenario/bundled.js';
import { appInChromium, openPage, screenshotDir } from './harness.js';

const app = appInChromium();
let page: Page;
let errors: string[];
const shots = screenshotDir();

beforeAll(async () => {
  ({ page, errors } = await openPage(app.browser, app.url));
  console.log(`screenshots: ${shots}`);
});

type State = { cursor: number; total: number; timeNs: number; inFlight: number; fingerprint: string; renderer: string; playing: boolean; errors: string[]; scenario: string };
const state = (): Promise<State> => page.evaluate(() => window.hvsim.state());

/** Distinct colours on the scene canvas, read back right after a draw. */
async function canvasColours(): Promise<number> {
  return page.evaluate(() => {
    window.hvsim.frame(16);
    const source = document.querySelector('#canvas canvas') as HTMLCanvasElement;
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(source, 0, 0);
    const data = ctx.getImageData(0, 0, copy.width, copy.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 37) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  });
}

describe('the classroom app', () => {
  it('loads the headline with no console error, on WebGL', async () => {
    const s = await state();
    expect(s.scenario).toBe('emulated-vs-synthetic');
    expect(s.total).toBeGreaterThan(1000);
    expect(s.renderer).toBe('webgl');
    expect(errors).toEqual([]);
  });

  it("shows the scenario's claims, held, from this run's figures", async () => {
    const s = (await state()) as unknown as { claims: { text: string; holds: boolean }[] };
    expect(s.claims.length).toBeGreaterThan(0);
    expect(s.claims.every((c) => c.holds)).toBe(true);
    expect(await page.locator('.hv-claims').textContent()).toContain('✓ held');
  });

  it('draws the canvas: pixels read back hold many colours', async () => {
    expect(await canvasColours()).toBeGreaterThan(8);
  });

  it('shows the same fingerprint as the CLI for the same scenario and seed', async () => {
    let out = '';
    await main(['run', 'emulated-vs-synthetic', '--json'], { out: { write: (t: string) => (out += t) }, err: { write: () => 0 } });
    expect((await state()).fingerprint).toBe(JSON.parse(out).fingerprint);
    await expect(page.locator('body')).toBeDefined();
    expect(await page.textContent('body')).toContain(JSON.parse(out).fingerprint);
  });

  it('steps forward and back by keyboard and API, and back N then forward N restores the view', async () => {
    await page.evaluate(() => window.hvsim.seek(0));
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect((await state()).cursor).toBe(2);
    await page.keyboard.press('ArrowLeft');
    expect((await state()).cursor).toBe(1);
    await page.evaluate(() => window.hvsim.seek(900));
    const before = await state();
    await page.evaluate(() => window.hvsim.back(300));
    expect((await state()).cursor).toBe(600);
    await page.evaluate(() => window.hvsim.step(300));
    expect(await state()).toEqual(before);
    await page.screenshot({ path: join(shots, 'headline-mid-flight.png') });
  });

  it('plays: the playback clock advances the cursor', async () => {
    await page.evaluate(() => window.hvsim.seek(0));
    await page.evaluate(() => window.hvsim.play());
    const after = await page.evaluate(() => {
      for (let i = 0; i < 120; i++) window.hvsim.frame(50);
      return window.hvsim.state();
    });
    expect(after.cursor).toBeGreaterThan(5);
    await page.evaluate(() => window.hvsim.pause());
    expect((await state()).playing).toBe(false);
  });

  it('scrubs with the timeline slider', async () => {
    await page.locator('#scrubber').fill('1500');
    expect((await state()).cursor).toBe(1500);
  });

  it('filters the event list by kind, and a click on an event jumps there', async () => {
    const events = page.locator('#events');
    await events.getByLabel('Kind').selectOption('hv.interrupt.injected');
    const kinds = await events.locator('[role=row]:not(.hv-list-head) [role=gridcell]:nth-child(3)').allTextContents();
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['hv.interrupt.injected']));
    await events.locator('[role=row]:not(.hv-list-head)').nth(1).click();
    const s = await state();
    const seq = await page.evaluate((c) => c - 1, s.cursor);
    // The cursor now stands just after the second interrupt injection.
    const kindAt = await page.evaluate(() => document.querySelector('#inspector')!.textContent);
    expect(kindAt).toContain('hv.interrupt.injected');
    expect(seq).toBeGreaterThan(0);
    await events.getByLabel('Kind').selectOption('');
  });

  it('keeps the last good run when a bad scenario is loaded, and says what is wrong', async () => {
    const before = await state();
    const ok = await page.evaluate(() => window.hvsim.loadText('{"version":1,"name":"bad","vms":[],"workloads":[{"vm":"x","disk":"d","size":0}]}', 'bad.json'));
    expect(ok).toBe(false);
    const after = await state();
    expect(after.fingerprint).toBe(before.fingerprint);
    expect(after.cursor).toBe(before.cursor);
    expect(after.errors.join('\n')).toMatch(/workloads\.0\.size/);
    expect(await page.locator('[role=alert]').first().textContent()).toMatch(/workloads\.0\.size/);
  });

  it('renders a scenario description holding HTML as text', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    const scenario = {
      version: 1,
      name: 'html-test',
      description: evil,
      host: { disks: [{ id: 'd1', kind: 'ssd' }] },
      vms: [{ id: 'vm1', disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }] }],
      workloads: [{ vm: 'vm1', disk: 'data', size: '4KiB', count: 2 }],
    };
    expect(await page.evaluate((s) => window.hvsim.load(s), scenario)).toBe(true);
    expect(await page.textContent('body')).toContain(evil);
    expect(await page.locator('#picker img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('compares two scenarios in lockstep on simulated time', async () => {
    await page.evaluate(() => window.hvsim.load('emulated-vs-synthetic'));
    expect(await page.evaluate(() => window.hvsim.compare('fastpath-boot'))).toBe(true);
    await page.evaluate(() => window.hvsim.seek(1200));
    const s = await state();
    const c = (s as unknown as { compare: { cursor: number; timeNs: number; scenario: string } }).compare;
    expect(c.scenario).toBe('fastpath-boot');
    expect(c.cursor).toBeGreaterThan(0);
    expect(c.timeNs).toBeLessThanOrEqual(s.timeNs);
    // The compared pane has its own packet legend: its colours name its own VMs and paths.
    const legend = await page.locator('#pane-compare .hv-packet-legend-list li').allTextContents();
    expect(legend).toEqual(['① boot · system · ide-dma', '① boot · system · ide-fastpath']);
    expect(await page.locator('#pane-compare .hv-packet-legend-list li').first().isVisible()).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, 'compare.png') });
    await page.evaluate(() => window.hvsim.compare(null));
    expect((await state() as unknown as { compare: unknown }).compare).toBeNull();
  });

  it('compared with itself, a run stands on the same record in both panes, records at one time included', async () => {
    await page.evaluate(() => window.hvsim.load('emulated-vs-synthetic'));
    expect(await page.evaluate(() => window.hvsim.compare('emulated-vs-synthetic'))).toBe(true);
    // An audit found record 300 against 302 at the same 178.05 us (several records share a time).
    for (const at of [2, 6, 300, 301, 1200]) {
      await page.evaluate((i) => window.hvsim.seek(i), at);
      const c = ((await state()) as unknown as { compare: { cursor: number } }).compare;
      expect(c.cursor, `at ${at}`).toBe(at);
    }
    await page.evaluate(() => window.hvsim.compare(null));
  });

  it('opens a link that carries the scenario in its fragment', async () => {
    await page.evaluate(() => window.hvsim.load('fastpath-boot'));
    await page.getByRole('button', { name: /Copy link/ }).click();
    await page.waitForFunction(() => location.hash.startsWith('#s=1.'));
    const url = await page.evaluate(() => location.href);
    const other = await openPage(app.browser, url);
    expect(await other.page.evaluate(() => window.hvsim.state().scenario)).toBe('fastpath-boot');
    expect(other.errors).toEqual([]);
    await other.page.close();
  });

  it('loads the bundled scenarios and the canvas follows', async () => {
    for (const name of ['queue-depth', 'fastpath-boot', 'emulated-vs-synthetic']) {
      expect(await page.evaluate((n) => window.hvsim.load(n), name)).toBe(true);
      expect((await state()).scenario).toBe(name);
    }
    await page.evaluate(() => window.hvsim.seek(Math.floor(window.hvsim.state().total / 3)));
    expect(await canvasColours()).toBeGreaterThan(8);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, 'headline-one-third.png') });
    expect(errors).toEqual([]);
  });
});

describe('load errors at 1366×768 (the projector view)', () => {
  let small: Page;
  let smallErrors: string[];
  const box = (selector: string) =>
    small.evaluate((sel) => {
      const r = document.querySelector(sel)!.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: r.height, vh: innerHeight };
    }, selector);

  beforeAll(async () => {
    ({ page: small, errors: smallErrors } = await openPage(app.browser, app.url, 1366, 768));
  });

  afterAll(async () => {
    await small?.close();
  });

  it('a scenario with many schema errors leaves the last good run in view: the list scrolls in a box of a few lines', async () => {
    const canvasBefore = await box('#canvas');
    const bad = JSON.parse(bundledScenario('emulated-vs-synthetic')!.text);
    Object.assign(bad, { version: 7, seed: 'x', profile: 'nope' });
    bad.host.disks[0].kind = 'tape';
    bad.host.disks[1].writeCache = 'yes';
    bad.host.disks[2].kind = 'floppy';
    bad.vms[0].integrationServices = 3;
    bad.vms[1].disks[0].controller = 'usb';
    bad.vms[2].disks[0].controller = 'sata';
    bad.vms[2].integrationServices = 'on';
    expect(await small.evaluate((t) => window.hvsim.loadText(t, 'bad.json'), JSON.stringify(bad))).toBe(false);
    const s = await small.evaluate(() => window.hvsim.state());
    expect(s.errors.length).toBeGreaterThanOrEqual(10);
    expect(s.scenario).toBe('emulated-vs-synthetic');
    const canvas = await box('#canvas');
    // The canvas keeps most of its height (it went to 0 with the whole list in the header) and stays in the window.
    expect(canvas.height).toBeGreaterThan(Math.max(250, canvasBefore.height * 0.5));
    expect(canvas.bottom).toBeLessThanOrEqual(canvas.vh);
    const list = await small.evaluate(() => {
      const ul = document.querySelector('.hv-errors ul')!;
      return { scrolls: ul.scrollHeight > ul.clientHeight, tabIndex: (ul as HTMLElement).tabIndex };
    });
    expect(list).toEqual({ scrolls: true, tabIndex: 0 });
    const dismiss = await box('.hv-errors-close');
    expect(dismiss.bottom).toBeLessThanOrEqual(dismiss.vh);
    await small.screenshot({ path: join(shots, 'errors-many-1366x768.png') });
    await small.click('.hv-errors-close');
  });

  it("a binary file (Open file…) says in one line that it is not text; long error lines wrap, none runs off the screen", async () => {
    await small.setInputFiles('.hv-scenario-picker input[type=file]', { name: 'binary.json', mimeType: 'application/json', buffer: readFileSync('/usr/bin/ls') });
    await small.waitForFunction(() => window.hvsim.state().errors.length > 0);
    const s = await small.evaluate(() => window.hvsim.state());
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]).toMatch(/^binary\.json(:\d+:\d+)? is not a text file: /);
    expect(s.scenario).toBe('emulated-vs-synthetic');
    // An unknown field's name is quoted whole (here 300 characters with no break): its line must wrap inside the box.
    const long = `{"version": 1, "name": "a", "${'x'.repeat(300)}": 1}`;
    expect(await small.evaluate((t) => window.hvsim.loadText(t, 'long.json'), long)).toBe(false);
    const overflow = await small.evaluate(() => {
      const out: string[] = [];
      if (document.documentElement.scrollWidth > innerWidth) out.push(`page ${document.documentElement.scrollWidth} > ${innerWidth}`);
      for (const e of document.querySelectorAll('.hv-errors, .hv-errors ul, .hv-errors li')) {
        if (e.scrollWidth > e.clientWidth + 1) out.push(`${e.tagName} ${e.scrollWidth} > ${e.clientWidth}`);
        if (e.getBoundingClientRect().right > innerWidth) out.push(`${e.tagName} right ${e.getBoundingClientRect().right}`);
      }
      return out;
    });
    expect(overflow).toEqual([]);
    await small.screenshot({ path: join(shots, 'errors-long-line-1366x768.png') });
    expect(smallErrors).toEqual([]);
  });
});
