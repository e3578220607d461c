/**
 * The sweep chart's x axis in the built app, at 1366×768 and 1920×1080:
 * a varied field named in words from the scenario the sweep ran (its path
 * on a second line and in the tooltip), categories (`profile=2008,modern`,
 * a text field) drawn as points side by side in evenly spaced bands with
 * no line between them, numbers still as lines, and every text inside the
 * chart without overlapping. Screenshots go to test-results/screenshots.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledScenario } from '../../src/scenario/index.js';
import type { SweepViewState } from '../../src/ui/sweep/index.js';
import { hvsim, tempDir } from '../cli/helpers.js';
import { appInChromium, openPage, runAxe, screenshotDir } from './harness.js';

const app = appInChromium();
const shots = screenshotDir();
const dir = tempDir('sweep-axis');
/** `hvsim sweep --json` over profile × workloads[3].queueDepth, on queue-depth as bundled but for fewer requests. */
let profileByDepth = '';
/** The same grid on a scenario of another name, which the page does not know. */
let unknownScenario = '';

/** queue-depth with `count` requests per workload and `extra` fields on top. */
function small(extra: Record<string, unknown> = {}, count = 30): string {
  const data = JSON.parse(bundledScenario('queue-depth')!.text) as { workloads: { count: number }[] };
  for (const w of data.workloads) w.count = count;
  return JSON.stringify({ ...data, ...extra }, null, 2);
}

async function sweepOf(text: string, name: string): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, text);
  const { out, code } = await hvsim('sweep', file, '--vary', 'profile=2008,modern', '--vary', 'workloads[3].queueDepth=1,8,32', '--json');
  expect(code).toBe(0);
  return out;
}

beforeAll(async () => {
  profileByDepth = await sweepOf(small(), 'qd.json');
  unknownScenario = await sweepOf(small({ name: 'my own queues' }), 'mine.json');
});

/** The chart's marks: their centre x, and the x label their tooltip names. */
function marks(page: Page): Promise<{ x: number; title: string }[]> {
  return page.locator('.hv-sweep-svg .hv-sweep-mark').evaluateAll((els) =>
    els.map((e) => ({ x: e.tagName === 'circle' ? Number(e.getAttribute('cx')) : Number(e.getAttribute('x')) + 4, title: e.querySelector('title')?.textContent ?? '' })),
  );
}

/** Every text of the chart: its content and its box in the chart's own units. */
function texts(page: Page): Promise<{ text: string; x: number; y: number; width: number; height: number }[]> {
  return page.locator('.hv-sweep-svg > text').evaluateAll((els) =>
    els.map((e) => {
      const b = (e as SVGTextElement).getBBox();
      return { text: e.firstChild?.textContent ?? '', x: b.x, y: b.y, width: b.width, height: b.height };
    }),
  );
}

/** Every text lies inside the viewBox, and no two overlap. */
async function expectTextFits(page: Page): Promise<void> {
  const [, , w, h] = (await page.locator('.hv-sweep-svg').getAttribute('viewBox'))!.split(' ').map(Number);
  const all = await texts(page);
  for (const t of all) {
    expect(t.x, t.text).toBeGreaterThanOrEqual(0);
    expect(t.y, t.text).toBeGreaterThanOrEqual(0);
    expect(t.x + t.width, t.text).toBeLessThanOrEqual(w!);
    expect(t.y + t.height, t.text).toBeLessThanOrEqual(h!);
  }
  for (let i = 0; i < all.length; i++)
    for (let j = i + 1; j < all.length; j++) {
      const [a, b] = [all[i]!, all[j]!];
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      expect(apart, `'${a.text}' and '${b.text}' overlap`).toBe(true);
    }
  // The pickers' row holds the longest field label without spilling out of the panel.
  const row = await page.locator('.hv-sweep-controls').evaluate((r) => ({ scroll: r.scrollWidth, client: r.clientWidth }));
  expect(row.scroll).toBeLessThanOrEqual(row.client);
}

for (const size of [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const) {
  describe(`the sweep chart's x axis at ${size.width}×${size.height}`, () => {
    let page: Page;
    let errors: string[];
    const choose = (figure?: string, axis?: string): Promise<SweepViewState> => page.evaluate(([f, a]) => window.hvsim.sweep.choose(f, a), [figure, axis] as const);

    beforeAll(async () => {
      ({ page, errors } = await openPage(app.browser, app.url, size.width, size.height));
    });

    afterAll(async () => {
      await page?.close();
    });

    it('draws categories as points in evenly spaced bands, with no line between them', async () => {
      expect(await page.evaluate((t) => window.hvsim.loadText(t, 'qd-sweep.json'), profileByDepth)).toBe(true);
      const state = await choose('latencyNs.mean', 'profile');
      expect(await page.locator('.hv-sweep-svg polyline').count()).toBe(0);
      expect(state).toMatchObject({ axis: 'profile', axisLabel: 'cost profile', categorical: true, xLabels: ['2008', 'modern'] });
      expect(state.series).toHaveLength(12);
      const shown = await marks(page);
      expect(shown).toHaveLength(24);
      // Each category's points stand in its own half of the plot, each series at its own place in it, at the same place in both.
      const [left, right] = [78, 640 - 40];
      const middle = (left + right) / 2;
      const of = (label: string): number[] => shown.filter((m) => m.title.includes(`cost profile = ${label}:`)).map((m) => m.x);
      const [old, modern] = [of('2008'), of('modern')];
      expect(old).toHaveLength(12);
      expect(old.every((x) => x > left && x < middle)).toBe(true);
      expect(modern.every((x) => x > middle && x < right)).toBe(true);
      expect(new Set(old).size).toBe(12);
      expect(modern.map((x) => x - middle + left)).toEqual(old.map((x) => expect.closeTo(x, 6)));
      // The bands' centres are evenly spaced: the labels sit at a quarter and three quarters of the plot.
      const ticks = (await texts(page)).filter((t) => t.text === '2008' || t.text === 'modern').map((t) => t.x + t.width / 2);
      expect(ticks).toEqual([expect.closeTo(left + (right - left) / 4, 1), expect.closeTo(left + (3 * (right - left)) / 4, 1)]);
      await expectTextFits(page);
      await page.locator('.hv-sweep').screenshot({ path: join(shots, `sweep-categories-${size.width}.png`) });
    });

    it('keeps a line for numbers, and names the field in words with its path under them', async () => {
      const state = await choose('latencyNs.mean', 'workloads[3].queueDepth');
      const all = (await texts(page)).map((t) => t.text);
      expect(all).toContain('queue depth (workload 3: qd32/data)');
      expect(all).toContain('workloads[3].queueDepth');
      expect(state).toMatchObject({ axis: 'workloads[3].queueDepth', axisLabel: 'queue depth (workload 3: qd32/data)', categorical: false, xLabels: ['1', '8', '32'] });
      expect(await page.locator('.hv-sweep-svg polyline').count()).toBe(8);
      expect(await page.locator('.hv-sweep-svg .hv-sweep-axis title').textContent()).toBe('queue depth (workload 3: qd32/data): workloads[3].queueDepth');
      expect(await page.locator('.hv-sweep-table thead th').first().textContent()).toBe('queue depth (workload 3: qd32/data)workloads[3].queueDepth');
      expect(await page.locator('.hv-sweep-controls select').nth(1).locator('option').allTextContents()).toEqual(['cost profile · profile', 'queue depth (workload 3: qd32/data) · workloads[3].queueDepth']);
      await expectTextFits(page);
      await page.locator('.hv-sweep').screenshot({ path: join(shots, `sweep-line-${size.width}.png`) });
    });

    it('names a list item by its index alone when the sweep ran a scenario the page does not know', async () => {
      expect(await page.evaluate((t) => window.hvsim.loadText(t, 'mine-sweep.json'), unknownScenario)).toBe(true);
      expect(await choose('latencyNs.mean', 'workloads[3].queueDepth')).toMatchObject({ scenario: 'my own queues', axisLabel: 'queue depth (workload 3)' });
      expect((await texts(page)).map((t) => t.text)).toContain('queue depth (workload 3)');
    });

    it('names the fields of a scenario\'s own sweep block from that scenario, a text field as categories', async () => {
      const text = small({ name: 'disks compared', sweep: { vary: [{ field: 'host.disks[3].kind', values: ['ssd', 'hdd'] }] } }, 10);
      expect(await page.evaluate((t) => window.hvsim.loadText(t, 'disks.json'), text)).toBe(true);
      const state = await page.evaluate(() => window.hvsim.sweep.run());
      expect(await page.locator('.hv-sweep-svg polyline').count()).toBe(0);
      expect(state).toMatchObject({ points: 2, axis: 'host.disks[3].kind', axisLabel: 'disk kind (disk 3: ssd-32)', categorical: true, xLabels: ['ssd', 'hdd'] });
      expect(await page.locator('.hv-sweep-svg .hv-sweep-band').count()).toBe(1);
      await expectTextFits(page);
      await page.locator('.hv-sweep').screenshot({ path: join(shots, `sweep-text-field-${size.width}.png`) });
      expect(await runAxe(page)).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
}
