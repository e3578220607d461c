/**
 * The oversubscription and cpu-controls scenarios in the app at 1366x768:
 * the same run as the CLI's (fingerprint), the LP lanes drawn, no console
 * error, a screenshot to look at
 * (`test-results/screenshots/oversubscription-lanes.png`,
 * `cpu-controls.png`); a capped VP's record is told as capped.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_SCENARIOS, parseScenarioText, runScenario } from '../../src/scenario/index.js';
import { appInChromium, openPage, screenshotDir } from './harness.js';

const app = appInChromium();
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ page, errors } = await openPage(app.browser, app.url, 1366, 768));
});

describe('oversubscription in the app', () => {
  it('runs the CLI\'s run and draws the LP lanes at 1366x768', async () => {
    const parsed = parseScenarioText(BUNDLED_SCENARIOS.find((s) => s.name === 'oversubscription')!.text);
    if (!parsed.ok) throw new Error('invalid');
    const { fingerprint } = runScenario(parsed.scenario, { keepRecords: false });
    expect(await page.evaluate(() => window.hvsim.load('oversubscription'))).toBe(true);
    await page.evaluate(() => window.hvsim.seek(20_500));
    const s = await page.evaluate(() => window.hvsim.state());
    expect(s.fingerprint).toBe(fingerprint);
    expect(s.cursor).toBe(20_500);
    await page.evaluate(() => window.hvsim.frame(16));
    await page.screenshot({ path: join(screenshotDir(), 'oversubscription-lanes.png') });
    expect(errors).toEqual([]);
  });
});

describe('cpu-controls in the app', () => {
  it("runs the CLI's run, and tells a VP parked by its limit as capped", async () => {
    const parsed = parseScenarioText(BUNDLED_SCENARIOS.find((s) => s.name === 'cpu-controls')!.text);
    if (!parsed.ok) throw new Error('invalid');
    const run = runScenario(parsed.scenario);
    const capped = run.records.findIndex((r) => r.kind === 'vp.descheduled' && r.why === 'capped');
    expect(capped).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.hvsim.load('cpu-controls'))).toBe(true);
    await page.evaluate((at) => window.hvsim.seek(at), capped + 1);
    const s = await page.evaluate(() => window.hvsim.state());
    expect(s.fingerprint).toBe(run.fingerprint);
    await page.evaluate(() => window.hvsim.frame(16));
    await expect.poll(() => page.locator('body').innerText()).toContain('capped by its limit');
    await page.screenshot({ path: join(screenshotDir(), 'cpu-controls.png') });
    expect(errors).toEqual([]);
  });
});
