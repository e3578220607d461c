/**
 * Issue 12, "projector-ready", at 1366×768 and 1920×1080: the projector
 * view (canvas text, VM labels never cut, the packet legend, the first
 * screen holding the description, canvas, controls, narrator and strip),
 * the comparison strip following the cursor, charts that compare, compare
 * mode side by side, the control defects, reduced motion, and an axe-core
 * WCAG 2 A/AA check. Screenshots of the headline, queue-depth and compare
 * mode go to test-results/screenshots.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledScenario } from '../../src/scenario/bundled.js';
import { appInChromium, openPage, runAxe, screenshotDir } from './harness.js';

const app = appInChromium();
const shots = screenshotDir();

beforeAll(async () => {
  console.log(`screenshots: ${shots}`);
});

type State = {
  scenario: string;
  cursor: number;
  total: number;
  timeNs: number;
  playing: boolean;
  errors: string[];
  narration: string;
  notice: string;
  picker: string;
  view: { projector: boolean; reducedMotion: boolean };
  canvasFontPx: number;
  compare: { scenario: string; cursor: number; timeNs: number } | null;
};
const state = (page: Page): Promise<State> => page.evaluate(() => window.hvsim.state() as unknown as State);

/** The bottom of `selector`'s box, and whether it lies within the window. */
async function inFirstScreen(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (el === null) return false;
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight + 0.5 && r.right <= window.innerWidth + 0.5;
  }, selector);
}

const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

describe.each(SIZES)('at $width×$height', ({ width, height }) => {
  let page: Page;
  let errors: string[];
  const tag = `${width}x${height}`;

  beforeAll(async () => {
    ({ page, errors } = await openPage(app.browser, app.url, width, height));
    // The projector view is the default up to a 1920×1080 projector's window.
    expect((await state(page)).view.projector).toBe(true);
    await page.evaluate(() => window.hvsim.seek(400));
  });

  afterAll(async () => {
    await page?.close();
  });

  it('projector view: canvas text at least 16 px, no VM label or title cut, packets in a legend', async () => {
    const s = await state(page);
    expect(s.view.projector).toBe(true);
    expect(s.canvasFontPx).toBeGreaterThanOrEqual(16);
    const text = await page.evaluate(() => window.hvsim.canvasText());
    const vms = ['legacy-pio', 'legacy-dma', 'enlightened'];
    for (const [id, label] of Object.entries(text.labels)) {
      // A place that serves one VM keeps its name or its tag; no label naming a VM is cut.
      if (vms.some((vm) => id.includes(vm))) expect(label, id).not.toContain('…');
    }
    expect(text.labels['root.vmwp.legacy-pio']).not.toBe(text.labels['root.vmwp.legacy-dma']);
    for (const title of text.titles.slice(0, 3)) {
      expect(title).not.toContain('…');
      expect(title).toMatch(/exits \d+/);
    }
    const legend = await page.locator('#legend .hv-packet-legend li').allTextContents();
    expect(legend).toHaveLength(3);
    expect(legend.join(' ')).toContain('① legacy-pio');
  });

  it('the first screen holds the description, the canvas, the controls, the narrator and the strip, with no sideways scroll', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    for (const sel of ['.hv-scenario-description', '#canvas', '#play', '#scrubber', '.hv-narrator', '.hv-strip', '#legend .hv-packet-legend']) {
      expect(await inFirstScreen(page, sel), sel).toBe(true);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // The description shows its first lines, and More shows the rest.
    const clamp = await page.locator('.hv-scenario-description').evaluate((el) => el.scrollHeight > el.clientHeight);
    if (clamp) {
      await page.getByRole('button', { name: 'More' }).click();
      expect(await page.getByRole('button', { name: 'Less' }).getAttribute('aria-expanded')).toBe('true');
      await page.getByRole('button', { name: 'Less' }).click();
    }
    await page.screenshot({ path: join(shots, `projector-headline-${tag}.png`) });
  });

  it('the comparison strip follows the cursor, so far and at the end', async () => {
    const at = async (cursor: number): Promise<string[]> => {
      await page.evaluate((c) => window.hvsim.seek(c), cursor);
      return page.locator('.hv-strip-value').allTextContents();
    };
    const start = await at(0);
    const middle = await at(600);
    const end = await at(1e9);
    expect(start).not.toEqual(middle);
    expect(middle).not.toEqual(end);
    expect(end.every((t) => !t.includes(' of '))).toBe(true);
    const captions = await page.locator('.hv-strip figcaption').allTextContents();
    expect(captions.join(' | ')).toMatch(/VM exits.*Root user-mode.*VMBus signals.*CPU time.*Latency.*Records/);
    // The headline's lesson at the end: PIO's exits bar is the longest.
    const exits = await page.locator('.hv-strip-figure').first().locator('.hv-strip-now').evaluateAll((els) => els.map((e) => parseFloat((e as HTMLElement).style.width)));
    expect(exits[0]).toBe(100);
    expect(exits[2]).toBeLessThan(5);
  });

  it('charts: CPU and device time told apart and reconciled with latency; values, not a histogram, for one request', async () => {
    const card = page.locator('.hv-path-card').first();
    expect(await card.locator('.hv-key-figures').textContent()).toMatch(/VM exits.*CPU time.*Device time.*Latency/);
    expect(await card.locator('.hv-reconcile').textContent()).toMatch(/latency/);
    expect(await page.locator('svg.hv-hist').count()).toBe(0);
    expect(await page.locator('.hv-values').count()).toBe(3);
  });

  it('queue-depth: one plot of signals and latency against queue depth, and histograms on shared axes', async () => {
    await page.evaluate(() => window.hvsim.load('queue-depth'));
    expect(await page.locator('.hv-across').count()).toBe(1);
    expect(await page.locator('.hv-across-wrap figcaption').textContent()).toMatch(/against queue depth/);
    expect(await page.locator('.hv-across-table tbody tr').count()).toBe(4);
    const axes = await page.locator('.hv-path-card .hv-axis').allTextContents();
    expect(axes.length).toBe(4);
    expect(new Set(axes).size).toBe(1);
    await page.evaluate(() => window.hvsim.seek(Math.floor(window.hvsim.state().total / 2)));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, `projector-queue-depth-${tag}.png`) });
    await page.locator('.hv-path-charts').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, `charts-queue-depth-${tag}.png`) });
    await page.evaluate(() => window.hvsim.load('emulated-vs-synthetic'));
  });

  it('compare mode: side by side, each pane titled with its scenario and time; a file can be compared', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await page.evaluate(() => window.hvsim.compare('fastpath-boot'))).toBe(true);
    await page.evaluate(() => window.hvsim.seek(900));
    const [a, b] = await Promise.all(['#canvas', '#canvas-compare'].map((sel) => page.locator(sel).boundingBox()));
    expect(a!.x + a!.width).toBeLessThanOrEqual(b!.x);
    expect(Math.abs(a!.y - b!.y)).toBeLessThan(2);
    const s = await state(page);
    expect(await page.locator('#canvas-title').textContent()).toMatch(/^emulated-vs-synthetic · record 900 \/ \d+ · t = /);
    expect(await page.locator('#compare-title').textContent()).toMatch(new RegExp(`^fastpath-boot · record ${s.compare!.cursor} / \\d+ · t = `));
    expect(await inFirstScreen(page, '#play')).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: join(shots, `compare-${tag}.png`) });
    // A scenario from a file, through the compare menu's file choice.
    const text = bundledScenario('vhd-types')!.text;
    const chooser = page.waitForEvent('filechooser');
    await page.locator('#compare').selectOption({ label: 'compare with a file…' });
    await (await chooser).setFiles({ name: 'my-vhds.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.waitForFunction(() => window.hvsim.state().compare?.scenario === 'my-vhds.json');
    expect(await page.locator('#compare-title').textContent()).toMatch(/^my-vhds\.json · record/);
    await page.evaluate(() => window.hvsim.compare(null));
    expect((await state(page)).compare).toBeNull();
  });

  it('Run until refreshes every view when it stops', async () => {
    await page.evaluate(() => window.hvsim.seek(0));
    await page.locator('.until-box').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.getByLabel('Run until', { exact: true }).selectOption('kind');
    await page.getByLabel('Run-until value').fill('hv.interrupt.injected');
    // First find where it stops, then run the last few records in 5 ms frames: the last step is alone in its frame.
    await page.getByRole('button', { name: 'Run until the condition holds' }).click();
    const target = await page.evaluate(() => {
      for (let i = 0; i < 5000 && window.hvsim.state().playing; i++) window.hvsim.frame(1000);
      return window.hvsim.state().cursor;
    });
    await page.evaluate((t) => window.hvsim.seek(t - 3), target);
    await page.getByRole('button', { name: 'Run until the condition holds' }).click();
    const s = await page.evaluate(() => {
      for (let i = 0; i < 2000 && window.hvsim.state().playing; i++) window.hvsim.frame(5);
      return window.hvsim.state();
    });
    expect(s.cursor).toBe(target);
    expect(s.playing).toBe(false);
    expect(await page.locator('#play').textContent()).toBe('▶');
    expect(await page.locator('.controls .position').textContent()).toContain(`${s.cursor} / ${s.total}`);
    expect(s.narration).toContain(`Record ${s.cursor} `);
    expect(await page.locator('#inspector').textContent()).toContain('hv.interrupt.injected');
    expect(await page.locator('#scrubber').inputValue()).toBe(String(s.cursor));
  });

  it('Run until jumps to a target too far to play to, and says so', async () => {
    await page.evaluate(() => window.hvsim.seek(0));
    await page.locator('.until-box').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.getByLabel('Run until', { exact: true }).selectOption('time');
    expect(await page.getByLabel('Run-until value').getAttribute('placeholder')).toBe('e.g. 500');
    await page.getByLabel('Run-until value').fill('500');
    await page.getByRole('button', { name: 'Run until the condition holds' }).click();
    const s = await state(page);
    expect(s.playing).toBe(false);
    expect(s.timeNs).toBeGreaterThanOrEqual(480_000);
    expect(s.timeNs).toBeLessThanOrEqual(500_000);
    expect(await page.evaluate(() => window.hvsim.state().notice)).toMatch(/^Run until: jumped to record \d+ \(playing there would take more than 8 s at this speed\)\.$/);
    // Leave the page as the next tests expect it: box closed, nothing focused, the notice gone, the narrator settled.
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      (document.querySelector('.until-box') as HTMLDetailsElement).open = false;
      window.hvsim.seek(0);
    });
    await page.waitForFunction(() => window.hvsim.state().notice === '', null, { timeout: 10_000 });
  });

  it('the narrator follows playback, at most every 1.5 s', async () => {
    await page.evaluate(() => window.hvsim.seek(0));
    const before = (await state(page)).narration;
    await page.evaluate(() => window.hvsim.play());
    await page.evaluate(() => window.hvsim.frame(200));
    await page.waitForTimeout(1600);
    const s = await page.evaluate(() => {
      for (let i = 0; i < 5; i++) window.hvsim.frame(200);
      return window.hvsim.state();
    });
    expect(s.playing).toBe(true);
    expect(s.narration).not.toBe(before);
    expect(s.narration).toMatch(/^Record \d+ at /);
    // Within 1.5 s it does not change on every step.
    const again = await page.evaluate(() => {
      for (let i = 0; i < 5; i++) window.hvsim.frame(200);
      return window.hvsim.state();
    });
    expect(again.cursor).toBeGreaterThan(s.cursor);
    expect(again.narration).toBe(s.narration);
    await page.evaluate(() => window.hvsim.pause());
  });

  it('Space and Enter on a focused button press that button', async () => {
    await page.evaluate(() => window.hvsim.seek(10));
    await page.getByRole('button', { name: 'Step forward (→)' }).focus();
    await page.keyboard.press('Space');
    let s = await state(page);
    expect(s.cursor).toBe(11);
    expect(s.playing).toBe(false);
    await page.keyboard.press('Enter');
    expect((await state(page)).cursor).toBe(12);
    await page.getByRole('button', { name: 'Jump to start (Home)' }).focus();
    await page.keyboard.press('Space');
    s = await state(page);
    expect(s.cursor).toBe(0);
    expect(s.playing).toBe(false);
  });

  it('every control shows a visible focus ring', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('#scenario-select, .hv-picker-row select').first().focus();
    const seen: string[] = [];
    for (let i = 0; i < 24; i++) {
      await page.keyboard.press('Tab');
      const ring = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (el === null || el === document.body) return null;
        const cs = getComputedStyle(el);
        return { name: el.getAttribute('aria-label') ?? el.textContent ?? el.tagName, style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) };
      });
      if (ring === null) continue;
      seen.push(ring.name);
      expect(ring.style, ring.name).not.toBe('none');
      expect(ring.width, ring.name).toBeGreaterThanOrEqual(2);
    }
    expect(seen.join(' ')).toMatch(/Copy link/);
    expect(seen.join(' ')).toMatch(/Reduced motion|Projector view|Load/);
    expect(seen.join(' ')).toMatch(/Play/);
    expect(seen.join(' ')).toMatch(/Run until/);
  });

  it('N with no later record of that kind is a short notice, not an error, and moves nothing', async () => {
    await page.evaluate(() => window.hvsim.seek(window.hvsim.state().total - 1));
    const top = (): Promise<number> => page.locator('#canvas').evaluate((c) => c.getBoundingClientRect().top + window.scrollY);
    const canvasTop = await top();
    await page.locator('.until-box').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.getByLabel('Run until', { exact: true }).selectOption('kind');
    await page.getByLabel('Run-until value').fill('io.request.issued');
    await page.locator('#play').focus();
    await page.keyboard.press('n');
    const s = await state(page);
    expect(s.notice).toMatch(/No later record of kind io\.request\.issued/);
    expect(s.errors).toEqual([]);
    expect(await page.locator('.hv-errors').isVisible()).toBe(false);
    expect(await top()).toBe(canvasTop);
    await page.locator('.until-box').evaluate((d) => ((d as HTMLDetailsElement).open = false));
  });

  it('the picker names the open file', async () => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Open file…' }).click();
    await (await chooser).setFiles({ name: 'my-lesson.json', mimeType: 'application/json', buffer: Buffer.from(bundledScenario('fastpath-boot')!.text) });
    await page.waitForFunction(() => window.hvsim.state().picker.includes('my-lesson.json'));
    expect(await page.locator('.hv-picker-row select').evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]!.textContent)).toBe('file: my-lesson.json');
    await page.evaluate(() => window.hvsim.load('emulated-vs-synthetic'));
    expect((await state(page)).picker).toBe('emulated-vs-synthetic');
  });

  it('Copy link carries the cursor and compare mode', async () => {
    await page.evaluate(() => window.hvsim.load('fastpath-boot'));
    await page.evaluate(() => window.hvsim.compare('emulated-vs-synthetic'));
    await page.evaluate(() => window.hvsim.seek(321));
    await page.getByRole('button', { name: /Copy link/ }).click();
    await page.waitForFunction(() => location.hash.includes('&at=321'));
    const url = await page.evaluate(() => location.href);
    const other = await openPage(app.browser, url, width, height);
    const s = await state(other.page);
    expect(s.scenario).toBe('fastpath-boot');
    expect(s.cursor).toBe(321);
    expect(s.compare?.scenario).toBe('emulated-vs-synthetic');
    expect(other.errors).toEqual([]);
    await other.page.close();
    await page.evaluate(() => window.hvsim.compare(null));
    await page.evaluate(() => window.hvsim.load('emulated-vs-synthetic'));
    await page.evaluate(() => history.replaceState(null, '', location.pathname));
  });

  it('reduced motion: packets jump, and the current request’s path is drawn', async () => {
    await page.getByLabel('Reduced motion').check();
    await page.evaluate(() => window.hvsim.seek(300));
    const text = await page.evaluate(() => {
      window.hvsim.frame(16);
      return window.hvsim.canvasText();
    });
    expect(text.trail).toBeGreaterThan(1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, `reduced-motion-${tag}.png`) });
    await page.getByLabel('Reduced motion').uncheck();
    expect((await page.evaluate(() => window.hvsim.canvasText())).trail).toBe(0);
  });

  it('axe-core finds no serious or critical WCAG 2 A/AA violation', async () => {
    const violations = await runAxe(page);
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad, JSON.stringify(bad, null, 1)).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('an unknown ?scenario=', () => {
  it('says so, and shows the headline', async () => {
    const { page, errors } = await openPage(app.browser, `${app.url}?scenario=nope`, 1366, 768);
    const s = await state(page);
    expect(s.scenario).toBe('emulated-vs-synthetic');
    expect(s.errors.join(' ')).toMatch(/no bundled scenario 'nope'/);
    expect(await page.locator('.hv-errors').textContent()).toMatch(/nope/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
