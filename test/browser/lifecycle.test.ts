/**
 * The VM life cycle on the canvas (issue 14 item 6, VM-state part): each
 * managed VM's state in its title, following the records, and a management
 * action's steps (WMI provider → VMMS → vmwp.exe → hypervisor) as a packet
 * and flashes. Screenshots at 1366×768.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledScenario, parseScenarioText, runScenario, type ScenarioRun } from '../../src/scenario/index.js';
import { appInChromium, openPage, screenshotDir } from './harness.js';

const app = appInChromium();
let page: Page;
let errors: string[];
let run: ScenarioRun;

beforeAll(async () => {
  ({ page, errors } = await openPage(app.browser, app.url, 1366, 768));
  const parsed = parseScenarioText(bundledScenario('snapshot-revert')!.text);
  if (!parsed.ok) throw new Error('snapshot-revert is invalid');
  run = runScenario(parsed.scenario);
});

type State = { scenario: string; cursor: number; total: number; fingerprint: string };
const mailTitle = async (): Promise<string> => {
  const text = await page.evaluate(() => window.hvsim.canvasText());
  return text.titles.find((t) => t.includes('mail')) ?? '';
};

describe('the VM life cycle in the app', () => {
  it("shows the VM's state in its title as the records change it, and the control plane's steps", async () => {
    expect(await page.evaluate(() => window.hvsim.load('snapshot-revert'))).toBe(true);
    const s = (await page.evaluate(() => window.hvsim.state())) as unknown as State;
    expect(s.fingerprint).toBe(run.fingerprint);
    // Just after the revert: the VM is saved, as the snapshot was.
    const reverted = run.records.findIndex((r) => r.kind === 'vm.action.completed' && r.action === 'revert');
    await page.evaluate((i) => window.hvsim.seek(i), reverted + 1);
    await page.evaluate(() => window.hvsim.frame(2000));
    expect(await mailTitle()).toContain('● Saved');
    // During the snapshot's VMMS job: Snapshotting, the action a packet at VMMS.
    const job = run.records.findIndex((r) => r.kind === 'vmms.job.started' && r.action === 'snapshot');
    await page.evaluate((i) => window.hvsim.seek(i), job + 1);
    await page.evaluate(() => window.hvsim.frame(2000));
    expect(await mailTitle()).toContain('● Snapshotting');
    await page.screenshot({ path: join(screenshotDir(), 'lifecycle-snapshot-vmms.png') });
    // The places of the control plane are on the canvas.
    const labels = (await page.evaluate(() => window.hvsim.canvasText())).labels;
    expect(labels['root.vmms']).toMatch(/VMMS/);
    expect(labels['root.wmi']).toMatch(/WMI/);
    // At the start nothing is known yet of the VM's state: no badge until a record says it.
    await page.evaluate(() => window.hvsim.seek(0));
    await page.evaluate(() => window.hvsim.frame(500));
    expect(await mailTitle()).not.toContain('●');
    // Late in the run, after the start: Running.
    await page.evaluate((n) => window.hvsim.seek(n), run.records.length);
    await page.evaluate(() => window.hvsim.frame(500));
    expect(await mailTitle()).toContain('● Running');
    expect(errors).toEqual([]);
  });

  it('shows a VM that starts off as Off from the first record, and Saved in saved-state after its save', async () => {
    expect(await page.evaluate(() => window.hvsim.load('saved-state'))).toBe(true);
    const parsed = parseScenarioText(bundledScenario('saved-state')!.text);
    if (!parsed.ok) throw new Error('saved-state is invalid');
    const saved = runScenario(parsed.scenario);
    const done = saved.records.findIndex((r) => r.kind === 'vm.action.completed' && r.vm === 'big' && r.action === 'save');
    await page.evaluate((i) => window.hvsim.seek(i), done + 1);
    await page.evaluate(() => window.hvsim.frame(2000));
    const titles = (await page.evaluate(() => window.hvsim.canvasText())).titles;
    expect(titles.filter((t) => t.includes('● Saved'))).toHaveLength(3);
    await page.screenshot({ path: join(screenshotDir(), 'lifecycle-saved.png') });
    expect(errors).toEqual([]);
  });
});
