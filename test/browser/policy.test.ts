/**
 * The support policy's verdicts in the app at 1366×768: beside the claims,
 * the host and each VM with supported or not, the rules each breaks (the
 * same verdicts as `hvsim check`), their findings and quotes as text; the
 * panel stays hidden for a scenario with nothing to say.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { brokenRuleIds, bundledScenario, checkPolicy, parseScenarioText } from '../../src/scenario/index.js';
import { appInChromium, openPage, runAxe } from './harness.js';

const app = appInChromium();
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ page, errors } = await openPage(app.browser, app.url, 1366, 768));
});

describe('the support policy panel', () => {
  it('shows exchange-policy’s verdicts beside the claims, as hvsim check judges them', async () => {
    expect(await page.evaluate(() => window.hvsim.load('exchange-policy'))).toBe(true);
    const panel = page.locator('section.hv-policy');
    expect(await panel.isVisible()).toBe(true);
    // Beside the claims: the next panel after the Claims section.
    expect(await panel.evaluate((node) => node.previousElementSibling?.getAttribute('aria-label'))).toBe('Claims');

    const parsed = parseScenarioText(bundledScenario('exchange-policy')!.text);
    if (!parsed.ok) throw new Error('exchange-policy is invalid');
    const verdicts = checkPolicy(parsed.scenario);
    const rows = panel.locator('.hv-claims-list > li');
    expect(await rows.count()).toBe(1 + verdicts.vms.length);
    expect(await rows.evaluateAll((items) => items.map((li) => li.getAttribute('data-supported')))).toEqual(['false', 'false', 'false', 'false']);
    const shownRules = await panel.locator('[data-rule]').evaluateAll((items) => items.map((li) => li.getAttribute('data-rule')!));
    expect([...new Set(shownRules)].sort()).toEqual(brokenRuleIds(verdicts).sort());
    expect(shownRules).toHaveLength(verdicts.brokenCount);

    const text = (await panel.textContent()) ?? '';
    expect(text).toContain("vms[0].disks[0].backend.kind: disk 'db' of VM 'mailbox' is a dynamic-vhd");
    expect(text).toContain('Exchange supports a virtual processor-to-logical processor ratio no greater than 2:1');
    expect(await panel.locator('.hv-policy-summary').textContent()).toMatch(/^Not supported: 5 rules broken, 6 times in all; 3 of 3 VMs not supported/);

    // It fits the 1366-pixel screen: nothing wider than the panel.
    expect(await panel.evaluate((node) => node.scrollWidth <= node.clientWidth + 1)).toBe(true);
    expect((await panel.boundingBox())!.width).toBeLessThanOrEqual(1366);
    // No serious WCAG 2 A/AA violation on the page with the panel shown (contrast of the marks, quotes and sources).
    const bad = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad, JSON.stringify(bad, null, 1)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('stays hidden for a scenario with no Exchange VM and no broken rule', async () => {
    expect(await page.evaluate(() => window.hvsim.load('queue-depth'))).toBe(true);
    expect(await page.locator('section.hv-policy').isVisible()).toBe(false);
  });
});
