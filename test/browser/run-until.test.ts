/**
 * Run until's value field in the built app, at 1366×768 and 1920×1080:
 * while the condition is a kind it suggests exactly the loaded run's
 * record kinds (a datalist, with their counts), following the run when
 * another loads; a kind the run does not hold is said in a notice that
 * names what was typed and the nearest kinds, shown whole above the open
 * box, not under it. Screenshots go to test-results/screenshots.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledScenario, parseScenarioText, runScenario } from '../../src/scenario/index.js';
import { kindsOfRun } from '../../src/ui/run-records.js';
import { appInChromium, openPage, runAxe, screenshotDir } from './harness.js';

const app = appInChromium();
const shots = screenshotDir();

/** The kinds a bundled scenario's run holds, with their counts, as the app lists them (computed here, in node). */
function kindsOf(name: string): { kind: string; count: number }[] {
  const parsed = parseScenarioText(bundledScenario(name)!.text);
  if (!parsed.ok) throw new Error(`${name} does not parse`);
  return kindsOfRun(runScenario(parsed.scenario, { keepRecords: 'columns' }).store!);
}

/** What the value field suggests now: its datalist's options, or null when it has none. */
function suggestions(page: Page): Promise<{ value: string; label: string }[] | null> {
  return page.getByLabel('Run-until value').evaluate((input) => {
    const list = (input as HTMLInputElement).list;
    return list === null ? null : [...list.options].map((o) => ({ value: o.value, label: o.label }));
  });
}

/** The rectangles of two elements overlap. */
async function overlap(page: Page, a: string, b: string): Promise<boolean> {
  return page.evaluate(
    ([sa, sb]) => {
      const ra = document.querySelector(sa!)!.getBoundingClientRect();
      const rb = document.querySelector(sb!)!.getBoundingClientRect();
      return ra.left < rb.right && rb.left < ra.right && ra.top < rb.bottom && rb.top < ra.bottom;
    },
    [a, b],
  );
}

for (const size of [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const) {
  describe(`Run until at ${size.width}×${size.height}`, () => {
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      ({ page, errors } = await openPage(app.browser, app.url, size.width, size.height));
    });

    afterAll(async () => {
      await page?.close();
    });

    it('suggests the run\'s record kinds while the condition is a kind, and follows the run', async () => {
      await page.locator('.until-box').evaluate((d) => ((d as HTMLDetailsElement).open = true));
      await page.getByLabel('Run until', { exact: true }).selectOption('kind');
      const headline = kindsOf('emulated-vs-synthetic');
      expect(await suggestions(page)).toEqual(headline.map(({ kind, count }) => ({ value: kind, label: `${count.toLocaleString('en-US')} record${count === 1 ? '' : 's'}` })));
      expect(await page.getByLabel('Run-until value').getAttribute('placeholder')).toBe('e.g. io.request.completed');
      // A time or a request number is no kind: no kinds offered there.
      await page.getByLabel('Run until', { exact: true }).selectOption('time');
      expect(await suggestions(page)).toBeNull();
      await page.getByLabel('Run until', { exact: true }).selectOption('kind');
      // Another run, other kinds: a cluster's.
      await page.evaluate(() => window.hvsim.load('live-vs-quick-migration'));
      const cluster = (await suggestions(page))!.map((o) => o.value);
      expect(cluster).toEqual(kindsOf('live-vs-quick-migration').map((k) => k.kind));
      expect(cluster).toContain('cluster.migration.started');
      await page.evaluate(() => window.hvsim.load('emulated-vs-synthetic'));
      expect((await suggestions(page))!.map((o) => o.value)).toEqual(headline.map((k) => k.kind));
    });

    it('runs to a suggested kind', async () => {
      await page.evaluate(() => window.hvsim.seek(0));
      await page.getByLabel('Run-until value').fill('io.request.completed');
      await page.getByLabel('Run-until value').press('Enter');
      const cursor = await page.evaluate(() => {
        for (let i = 0; i < 20_000 && window.hvsim.state().playing; i++) window.hvsim.frame(1000);
        return window.hvsim.state().cursor;
      });
      expect(cursor).toBeGreaterThan(0);
      expect(await page.locator('#inspector').textContent()).toContain('io.request.completed');
    });

    it('says a kind the run does not hold, above the open box and whole', async () => {
      await page.evaluate(() => window.hvsim.seek(0));
      await page.getByLabel('Run-until value').fill('io.request.complete');
      await page.getByRole('button', { name: 'Run until the condition holds' }).click();
      const notice = await page.evaluate(() => window.hvsim.state().notice);
      expect(notice).toBe(
        `Run until: 'io.request.complete' is not a record kind in this run; the nearest are io.request.completed, io.request.issued and vid.intercept.completed (the value field lists all ${kindsOf('emulated-vs-synthetic').length}).`,
      );
      expect(await page.evaluate(() => window.hvsim.state().cursor)).toBe(0);
      expect(await overlap(page, '.hv-notice', '.until-box > .until')).toBe(false);
      const box = await page.locator('.hv-notice').evaluate((n) => {
        const r = n.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, clipped: n.scrollWidth > n.clientWidth || n.scrollHeight > n.clientHeight };
      });
      expect(box.clipped).toBe(false);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(size.width);
      expect(box.top).toBeGreaterThanOrEqual(0);
      // It sits over the canvas, not over the bar's controls.
      const stage = await page.locator('.panes').evaluate((p) => p.getBoundingClientRect().bottom);
      expect(box.bottom).toBeLessThanOrEqual(stage);
      await page.screenshot({ path: join(shots, `run-until-unknown-kind-${size.width}.png`) });
      expect(await runAxe(page)).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
}
