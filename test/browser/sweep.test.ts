/**
 * Sweeps in the app: a scenario's sweep block run in the page and plotted
 * with interval bars, `hvsim sweep --json` output opened as a file (its
 * text shown as text), a block asking for replications shows ± in the
 * comparison strip, and the panel passes the WCAG checks.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledScenario } from '../../src/scenario/index.js';
import type { SweepViewState } from '../../src/ui/sweep/index.js';
import { hvsim, tempDir } from '../cli/helpers.js';
import { appInChromium, openPage, runAxe } from './harness.js';

const app = appInChromium();
let page: Page;
let errors: string[];
const dir = tempDir('sweep-browser');

beforeAll(async () => {
  ({ page, errors } = await openPage(app.browser, app.url));
});

function small(name: string, extra: Record<string, unknown>, count = 60, hdd = false): string {
  const data = JSON.parse(bundledScenario(name)!.text) as { workloads: { count: number }[]; host: { disks: { kind: string }[] } };
  for (const w of data.workloads) w.count = count;
  // NVMe service times do not depend on the LBA, so replications differ only on spinning disks.
  if (hdd) for (const d of data.host.disks) d.kind = 'hdd';
  return JSON.stringify({ ...data, ...extra }, null, 2);
}

const sweepState = (): Promise<SweepViewState> => page.evaluate(() => window.hvsim.sweep.state());

describe('the sweep panel', () => {
  it('runs a scenario\'s sweep block and plots a figure with interval bars', async () => {
    const text = small('queue-depth', { sweep: { vary: [{ field: 'workloads[3].queueDepth', values: [1, 8, 32] }], replications: 2 } }, 30, true);
    expect(await page.evaluate((t) => window.hvsim.loadText(t, 'qd-sweep.json'), text)).toBe(true);
    // The panel is below the run: a notice over the run says so.
    expect(await page.evaluate(() => window.hvsim.state().notice)).toMatch(/^queue-depth has a sweep of 3 points: run and plot it in the Sweep panel below the run\.$/);
    await page.evaluate(() => window.hvsim.sweep.replicationsDone());
    let state = await sweepState();
    expect(state.shown).toBe(true);
    expect(state.points).toBe(0);
    state = await page.evaluate(() => window.hvsim.sweep.run());
    expect(state.points).toBe(3);
    expect(state.replications).toBe(2);
    expect(state.xLabels).toEqual(['1', '8', '32']);
    expect(state.series.map((s) => s.label)).toEqual(['qd1/data/vmbus-scsi', 'qd4/data/vmbus-scsi', 'qd16/data/vmbus-scsi', 'qd32/data/vmbus-scsi']);
    expect(state.series[3]!.y.every((v) => v !== null && v > 0)).toBe(true);
    expect(state.series[3]!.halfWidth.every((v) => v !== null && v > 0)).toBe(true);
    // Latency of qd32 rises with its queue depth.
    expect(state.series[3]!.y[2]!).toBeGreaterThan(state.series[3]!.y[0]!);
    expect(await page.locator('.hv-sweep-svg polyline').count()).toBe(4);
    // Each path's line has its packets' colour on the canvas (the packet legend's dots, in the same order).
    const toHex = (rgb: string): string => `#${(rgb.match(/\d+/g) ?? []).slice(0, 3).map((n) => Number(n).toString(16).padStart(2, '0')).join('')}`;
    const dots = (await page.locator('#legend .hv-packet-legend-list .hv-packet-dot').evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor))).map(toHex);
    const strokes = await page.locator('.hv-sweep-svg polyline').evaluateAll((els) => els.map((e) => e.getAttribute('stroke')));
    expect(strokes).toEqual(dots);
    expect(await page.locator('.hv-sweep-svg .hv-sweep-ci').count()).toBeGreaterThan(0);
    expect(await page.locator('.hv-sweep-table tbody tr').count()).toBe(3);
    const signals = await page.evaluate(() => window.hvsim.sweep.choose('perIo.ringSignalsToHost'));
    expect(signals.figure).toBe('perIo.ringSignalsToHost');
    expect(signals.series[3]!.y[0]!).toBeGreaterThan(signals.series[3]!.y[2]!);
    expect(await runAxe(page)).toEqual([]);
  });

  it('opens hvsim sweep --json output as a file, its names as text, keeping the run on screen', async () => {
    const file = join(dir, 'qd.json');
    writeFileSync(file, small('queue-depth', { name: '<b>qd</b>' }));
    const { out, code } = await hvsim('sweep', file, '--vary', 'profile=2008,modern', '--vary', 'workloads[0].queueDepth=1,4', '--json');
    expect(code).toBe(0);
    const before = await page.evaluate(() => window.hvsim.state().fingerprint);
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await page.evaluate((t) => window.hvsim.loadText(t, 'sweep-out.json'), out)).toBe(true);
    // The opened sweep is brought on screen (its panel is below the run).
    const top = await page.evaluate(() => document.querySelector('.hv-sweep')!.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(await page.evaluate(() => window.innerHeight / 2));
    const state = await sweepState();
    expect(state.scenario).toBe('<b>qd</b>');
    expect(state.points).toBe(4);
    expect(state.status).toContain('the sweep of <b>qd</b>, 4 points');
    expect(await page.locator('.hv-sweep b').count()).toBe(0);
    expect(state.series).toHaveLength(8);
    const byProfile = await page.evaluate(() => window.hvsim.sweep.choose(undefined, 'profile'));
    expect(byProfile.xLabels).toEqual(['2008', 'modern']);
    expect(await page.evaluate(() => window.hvsim.state().fingerprint)).toBe(before);
    // A replicated run's output opens as one point with its intervals.
    const replicated = await hvsim('run', 'passthrough-vs-native', '--replications', '3', '--json');
    expect(await page.evaluate((t) => window.hvsim.loadText(t, 'replicated.json'), replicated.out)).toBe(true);
    const one = await page.evaluate(() => window.hvsim.sweep.choose('latencyNs.mean'));
    expect(one.xLabels).toEqual(['3 runs']);
    expect(one.status).toMatch(/passthrough-vs-native over 3 replications/);
    expect(one.series.map((s) => s.halfWidth[0]! > 0)).toEqual([true, true]);
    // A broken sweep file says which field is wrong.
    expect(await page.evaluate(() => window.hvsim.loadText('{"scenario": "x", "vary": [{"field": "a", "values": [1]}], "points": [{"values": {}, "paths": []}]}', 'bad.json'))).toBe(false);
    expect((await page.evaluate(() => window.hvsim.state().errors)).join('\n')).toMatch(/bad\.json: points\.0: values: found no value for 'a'/);
  });

  it('shows ± in the comparison strip when the scenario asks for replications', async () => {
    const text = small('passthrough-vs-native', { sweep: { replications: 3 } }, 40);
    expect(await page.evaluate((t) => window.hvsim.loadText(t, 'pvn.json'), text)).toBe(true);
    await page.evaluate(() => window.hvsim.sweep.replicationsDone());
    const lines = await page.locator('.hv-strip-ci').allTextContents();
    const shown = lines.filter((l) => l !== '');
    // Latency varies with the random LBAs; exits and CPU time per I/O do not, and get no line.
    expect(shown.length).toBeGreaterThanOrEqual(2);
    expect(shown.every((l) => /^3 runs: .+ ± .+$/.test(l))).toBe(true);
    expect(await page.locator('.hv-strip .hv-note').textContent()).toMatch(/its mean ± half the 95 % interval over 3 runs/);
    expect((await sweepState()).status).toMatch(/mean ± half its 95 % interval over 3 runs \(seeds 1\.\.3\)/);
    // A scenario without a sweep block clears them and hides the panel.
    await page.evaluate(() => window.hvsim.load('passthrough-vs-native'));
    expect((await page.locator('.hv-strip-ci').allTextContents()).every((l) => l === '')).toBe(true);
    expect((await sweepState()).shown).toBe(false);
    expect(errors).toEqual([]);
  });
});
