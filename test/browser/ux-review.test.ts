/**
 * The UX review's fixes in the built app, in Chromium: the timeline's keys
 * after a choice in the compare select and the scenario picker (a clicker's
 * → and Space), Load highlighted for a chosen but unloaded scenario, the
 * projector view by default at 1920×1080, crowded columns (vhd-types at
 * 1366×768: no bare number, every VM named in its title), the lesson picker
 * showing whole names, and one landmark per name (axe's best practice).
 * Screenshots go to test-results/screenshots.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appInChromium, openPage, screenshotDir } from './harness.js';

const app = appInChromium();
const shots = screenshotDir();

type State = { cursor: number; picker: string; view: { projector: boolean }; canvasFontPx: number; compare: { scenario: string } | null };
const state = (page: Page): Promise<State> => page.evaluate(() => window.hvsim.state() as unknown as State);

describe('at 1366×768', () => {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ page, errors } = await openPage(app.browser, app.url, 1366, 768));
  });

  afterAll(async () => {
    await page?.close();
  });

  it('→ and Space step the timeline after a choice in the compare select, not the select', async () => {
    await page.evaluate(() => window.hvsim.seek(10));
    const compare = page.locator('#compare');
    await compare.focus();
    await compare.selectOption('queue-depth');
    await page.waitForFunction(() => window.hvsim.state().compare?.scenario === 'queue-depth');
    await page.keyboard.press('ArrowRight');
    let s = await state(page);
    expect(s.cursor).toBe(11);
    expect(s.compare?.scenario).toBe('queue-depth');
    expect(await compare.inputValue()).toBe('queue-depth');
    await page.keyboard.press('ArrowLeft');
    expect((await state(page)).cursor).toBe(10);
    await page.keyboard.press('Space');
    s = await state(page);
    expect(await page.evaluate(() => window.hvsim.state().playing)).toBe(true);
    await page.evaluate(() => window.hvsim.pause());
    expect((await state(page)).compare?.scenario).toBe('queue-depth');
    await page.screenshot({ path: join(shots, 'ux-compare-arrow-1366.png') });
    await page.evaluate(() => window.hvsim.compare(null));
  });

  it('a scenario chosen in the picker but not loaded highlights Load, and → still steps the run shown', async () => {
    await page.evaluate(() => window.hvsim.seek(20));
    const picker = page.locator('.hv-picker-row select');
    await picker.focus();
    await picker.selectOption('queue-depth');
    const load = page.getByRole('button', { name: 'Load', exact: true });
    expect(await load.evaluate((b) => b.classList.contains('hv-pending'))).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect((await state(page)).cursor).toBe(21);
    expect(await picker.inputValue()).toBe('queue-depth');
    await page.screenshot({ path: join(shots, 'ux-picker-pending-1366.png') });
    await load.click();
    await page.waitForFunction(() => window.hvsim.state().scenario === 'queue-depth');
    expect(await load.evaluate((b) => b.classList.contains('hv-pending'))).toBe(false);
    await page.evaluate(() => window.hvsim.load('emulated-vs-synthetic'));
  });

  it('vhd-types: no box shows a bare number, and every VM is named in its column title', async () => {
    await page.evaluate(() => window.hvsim.load('vhd-types'));
    await page.evaluate(() => window.hvsim.seek(window.hvsim.state().total));
    const text = await page.evaluate(() => window.hvsim.canvasText());
    for (const [id, label] of Object.entries(text.labels)) expect(label, id).not.toMatch(/^\s*\d*\s*$/);
    const titles = text.titles.map((t) => t.split(' | ')[0]!.replace(/\n/g, ' ').replace(/- /g, '-'));
    for (const vm of ['pass', 'fixed', 'dynamic', 'differencing', 'rewrite-dynamic', 'rewrite-fixed']) expect(titles.some((t) => t.endsWith(` ${vm}`)), vm).toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, 'ux-vhd-types-1366.png') });
    await page.evaluate(() => window.hvsim.load('emulated-vs-synthetic'));
  });

  it('the lesson picker shows a whole lesson name', async () => {
    const select = page.locator('select[id^="hv-lesson-pick"]');
    await select.selectOption('why-synthetic-is-cheaper');
    await page.waitForFunction(() => document.querySelector('.hv-lesson') !== null);
    const fits = await select.evaluate((s) => {
      const el = s as HTMLSelectElement;
      const probe = document.createElement('span');
      probe.textContent = el.selectedOptions[0]!.textContent;
      probe.style.font = getComputedStyle(el).font;
      document.body.append(probe);
      const need = probe.getBoundingClientRect().width;
      probe.remove();
      return need <= el.clientWidth - 20;
    });
    expect(fits).toBe(true);
    await page.evaluate(() => window.hvsim.lesson.close());
  });

  it('names each landmark once (axe landmark-unique)', async () => {
    const { readFileSync } = await import('node:fs');
    await page.addScriptTag({ content: readFileSync('node_modules/axe-core/axe.min.js', 'utf8') });
    const ids = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string }[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'rule', values: ['landmark-unique'] } });
      return result.violations.map((v) => v.id);
    });
    expect(ids).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('at 1920×1080', () => {
  it('the projector view is on by default, with canvas text of at least 16 px', async () => {
    const { page, errors } = await openPage(app.browser, app.url, 1920, 1080);
    const s = await state(page);
    expect(s.view.projector).toBe(true);
    expect(s.canvasFontPx).toBeGreaterThanOrEqual(16);
    await page.screenshot({ path: join(shots, 'ux-default-1920.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
