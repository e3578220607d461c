/**
 * The app says which requests a run left unfinished, with the same lines
 * as `hvsim run` prints on stderr, as text (a file name holding HTML stays
 * text), and keeps that run on screen to step through.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { outageAtEnd, parseScenarioText, runScenario, unfinishedMessage } from '../../src/scenario/index.js';
import { appInChromium, openPage, screenshotDir } from './harness.js';
import { BOTH_HOSTS_FAIL } from '../cluster/outage-fixtures.js';

const app = appInChromium();
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ page, errors } = await openPage(app.browser, app.url));
});

const SCENARIO = {
  version: 1,
  name: 'stops-early',
  host: { disks: [{ id: 'd1', kind: 'hdd' }] },
  vms: [{ id: 'vm1', disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }] }],
  workloads: [{ vm: 'vm1', disk: 'data', size: '64KiB', count: 40, queueDepth: 4, pattern: 'sequential' }],
  limits: { until: '20ms' },
};

type State = { scenario: string; cursor: number; total: number; fingerprint: string; errors: string[] };
const state = (): Promise<State> => page.evaluate(() => window.hvsim.state() as unknown as State);

describe('a run with requests left unfinished, in the app', () => {
  it('names every open request (the CLI’s lines) as text, and keeps the run to step through', async () => {
    const fileName = '<b>early</b>.json';
    const text = JSON.stringify(SCENARIO);
    expect(await page.evaluate(([t, f]) => window.hvsim.loadText(t!, f!), [text, fileName])).toBe(true);
    const s = await state();
    expect(s.scenario).toBe('stops-early');
    expect(s.total).toBeGreaterThan(100);

    // The same lines as the CLI, from the same run in Node.
    const parsed = parseScenarioText(text, fileName);
    if (!parsed.ok) throw new Error('the test scenario is invalid');
    const run = runScenario(parsed.scenario);
    expect(s.fingerprint).toBe(run.fingerprint);
    const [headline, ...lines] = unfinishedMessage(run);
    expect(lines.filter((l) => l.startsWith('VM vm1 disk data: request '))).toHaveLength(4);
    expect(s.errors).toEqual([`${fileName}: ${headline}`, ...lines]);

    const alert = page.locator('[role=alert]').first();
    expect(await alert.isVisible()).toBe(true);
    const shown = await alert.locator('li').allTextContents();
    expect(shown).toEqual(s.errors);
    expect(await alert.locator('b').count()).toBe(0); // the file name's markup is text
    expect(await alert.textContent()).toContain('The run did not finish every request');

    // The run stays: stepping works and the message stays up.
    await page.evaluate(() => window.hvsim.step(50));
    const stepped = await state();
    expect(stepped.cursor).toBe(50);
    expect(stepped.errors).toEqual(s.errors);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(screenshotDir(), 'unfinished-requests.png') });
    expect(errors).toEqual([]);
  });

  it('clears the message when a run completes every request', async () => {
    const done = { ...SCENARIO, name: 'completes', workloads: [{ vm: 'vm1', disk: 'data', size: '4KiB', count: 2 }], limits: {} };
    expect(await page.evaluate((sc) => window.hvsim.load(sc), done)).toBe(true);
    expect((await state()).errors).toEqual([]);
    expect(await page.locator('[role=alert]').first().isHidden()).toBe(true);
  });
});

describe('a workload bounded by a duration, in the app', () => {
  const timed = (limits: object) => ({
    ...SCENARIO,
    name: 'timed',
    host: { disks: [{ id: 'd1', kind: 'ssd' }] },
    workloads: [{ vm: 'vm1', disk: 'data', size: '4KiB', queueDepth: 2, pattern: 'random', duration: '3ms' }],
    limits,
  });

  it('completes what its window issued with no message, and the run is the CLI\'s', async () => {
    const text = JSON.stringify(timed({}));
    expect(await page.evaluate(([t]) => window.hvsim.loadText(t!, 'timed.json'), [text])).toBe(true);
    const parsed = parseScenarioText(text, 'timed.json');
    if (!parsed.ok) throw new Error('the test scenario is invalid');
    const s = await state();
    expect(s.fingerprint).toBe(runScenario(parsed.scenario).fingerprint);
    expect(s.errors).toEqual([]);
    expect(await page.locator('[role=alert]').first().isHidden()).toBe(true);
  });

  it('cut short by limits.until: the CLI\'s lines, the window named as cut short, never its 1,000,000 cap', async () => {
    const text = JSON.stringify(timed({ until: '1ms' }));
    expect(await page.evaluate(([t]) => window.hvsim.loadText(t!, 'cut.json'), [text])).toBe(true);
    const parsed = parseScenarioText(text, 'cut.json');
    if (!parsed.ok) throw new Error('the test scenario is invalid');
    const [headline, ...lines] = unfinishedMessage(runScenario(parsed.scenario));
    const s = await state();
    expect(s.errors).toEqual([`cut.json: ${headline}`, ...lines]);
    expect(s.errors.at(-1)).toMatch(/^workloads\[0\] \(VM vm1 disk data\): cut short: /);
    expect(s.errors.join('\n')).not.toMatch(/1,000,000/);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(screenshotDir(), 'duration-cut-short.png') });
    expect(errors).toEqual([]);
  });
});

describe('a run that ends with a service still down, in the app', () => {
  it('says what was still down (the lines of hvsim run), and keeps the run', async () => {
    const text = JSON.stringify(BOTH_HOSTS_FAIL);
    expect(await page.evaluate(([t, f]) => window.hvsim.loadText(t!, f!), [text, 'both-fail.json'])).toBe(true);
    const parsed = parseScenarioText(text, 'both-fail.json');
    if (!parsed.ok) throw new Error('the test scenario is invalid');
    const lines = outageAtEnd(runScenario(parsed.scenario).figures);
    expect(lines).toHaveLength(2);
    const s = await state();
    expect(s.scenario).toBe('both-fail');
    expect(s.errors).toEqual(lines.map((l) => `both-fail.json: ${l}`));
    const alert = page.locator('[role=alert]').first();
    expect(await alert.textContent()).toContain('Still down when the run ended');
    expect(await alert.locator('li').allTextContents()).toEqual(s.errors);
    expect(errors).toEqual([]);
  });
});
