/**
 * A run of about a million records in the served app (issue 13 item 5):
 * it is kept in columns, so the JS heap stays small after a full garbage
 * collection; its fingerprint equals the one Node computes for the same
 * scenario; stepping, stepping back and seeking land on the same state
 * the fold gives; the event list shows the record the cursor stands on.
 * Figures (ready, step, scrub times) are `npm run bench:render`'s, not
 * asserted here.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseScenarioText, runScenario } from '../../src/scenario/index.js';
import { appInChromium } from './harness.js';

const app = appInChromium();

/** queue-depth with each workload raised to 7,050 requests: about 1.13 M records. */
function bigScenario(): string {
  const data = JSON.parse(readFileSync('scenarios/queue-depth.json', 'utf8')) as { workloads: { count: number }[]; $schema?: string };
  delete data.$schema;
  for (const w of data.workloads) w.count = 7_050;
  return JSON.stringify(data);
}

describe('a million-record run in the app', () => {
  it('loads in columns with a small heap and the fingerprint Node computes, and steps through it', async () => {
    const text = bigScenario();
    const parsed = parseScenarioText(text, 'big.json');
    if (!parsed.ok) throw new Error('the big scenario does not validate');
    const node = runScenario(parsed.scenario, { keepRecords: false });
    const page: Page = await app.browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${app.url}?renderer=canvas`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    const loaded = await page.evaluate((t) => window.hvsim.loadText(t, 'queue-depth-big.json'), text);
    expect(loaded).toBe(true);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const s = await page.evaluate(() => window.hvsim.state());
    expect(s.total).toBeGreaterThan(1_000_000);
    expect(s.fingerprint).toBe(node.fingerprint);
    expect(heap.usedSize / 1_048_576).toBeLessThan(100);
    expect(s.recordBytes / s.total).toBeLessThan(100);
    // Seek, step, back: the cursor and the event list follow.
    const moves = await page.evaluate(() => {
      const h = window.hvsim;
      h.seek(700_000);
      h.step(3);
      const after = h.state().cursor;
      h.back(5);
      const back = h.state().cursor;
      h.seek(h.state().total);
      return { after, back, end: h.state().cursor, inFlight: h.state().inFlight, completed: h.state().completed };
    });
    expect(moves).toEqual({ after: 700_003, back: 699_998, end: s.total, inFlight: 0, completed: node.output.completed });
    // The event list shows the record the cursor stands after, here and at the very end (past the capped scroll height).
    const currentRow = async (at: number): Promise<string | null> => {
      await page.evaluate((n) => window.hvsim.seek(n), at);
      await page.waitForTimeout(100);
      return page.evaluate(() => document.querySelector('.hv-list-row.hv-current')?.firstElementChild?.textContent ?? null);
    };
    expect(await currentRow(999_999)).toBe('999998');
    expect(await currentRow(s.total)).toBe(String(s.total - 1));
    // Moves faster than frames: the list ends where the cursor does.
    await page.evaluate(() => {
      window.hvsim.seek(10);
      window.hvsim.seek(500_000);
    });
    await page.waitForTimeout(100);
    expect(await page.evaluate(() => document.querySelector('.hv-list-row.hv-current')?.firstElementChild?.textContent ?? null)).toBe('499999');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
