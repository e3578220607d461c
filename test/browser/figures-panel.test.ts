/**
 * The "Figures of the run" panel in the real app: a cluster run's figures
 * (migrations with their passes, the DAG's failovers, clients, the
 * cluster) as `hvsim run --json` gives them, in the CLI's units; the
 * filter; hidden for an I/O run, whose figures are its paths'.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flattenFigures, type RunFigures } from '../../src/metrics/run-figures.js';
import { formatFigure } from '../../src/scenario/claims.js';
import { appInChromium, pageInApp, runAxe, screenshotDir } from './harness.js';

const app = appInChromium();
const shots = screenshotDir();

/** The CLI's figures of a bundled scenario, each as the panel should write it. */
function cliFigures(name: string): Map<string, string> {
  const json = JSON.parse(execFileSync(process.execPath, ['bin/hvsim.mjs', 'run', name, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 })) as { figures: RunFigures };
  return new Map(flattenFigures(json.figures).map(([n, v]) => [n, v === null ? '—' : typeof v === 'number' ? formatFigure(n, v) : String(v)]));
}

describe('the figures of the run at 1366×768', () => {
  const at = pageInApp(app, '?scenario=migration-dirty-rate', 1366, 768);

  it("shows every figure of a cluster run as hvsim run --json gives it, each migration's passes a table of their own", async () => {
    const state = await at.page.evaluate(() => window.hvsim.figures());
    expect(state.shown).toBe(true);
    expect(state.parts.map((p) => p.part)).toEqual(['migrations', 'databases', 'clients', 'cluster']);
    expect(state.parts.every((p) => p.open)).toBe(true);
    // The strip, which has no path to show, says where the run's figures are.
    expect(await at.page.textContent('.hv-strip')).toContain('No workload in this scenario: what it measured is under Figures of the run, below.');
    const shown = new Map(state.parts.flatMap((p) => p.rows.map((r) => [r.name, r.value] as const)));
    expect(shown).toEqual(cliFigures('migration-dirty-rate'));
    // The idle VM's three passes converge; the writer's ten do not: a row per pass.
    expect(await at.page.locator('[data-list="migrations[0].passes"] tbody tr').count()).toBe(3);
    expect(await at.page.locator('[data-list="migrations[1].passes"] tbody tr').count()).toBe(10);
    expect(await at.page.locator('[data-item="migrations[0]"] h3').textContent()).toBe('migrations[0] · idle h1 → h3 (live)');
    expect(await at.page.getAttribute('[data-list="migrations[0].passes"] td[data-figure="migrations[0].passes[2].sentBytes"]', 'title')).toBe('migrations[0].passes[2].sentBytes');
    await at.page.evaluate(() => document.querySelector('.hv-figures')!.scrollIntoView());
    await at.page.screenshot({ path: join(shots, 'figures-migrations-1366x768.png') });
    // Its tables, folds and filter pass axe-core's WCAG 2 A and AA rules, as the rest of the page does.
    expect(await runAxe(at.page)).toEqual([]);
  });

  it("filters by a figure's name or its item's heading, and says when nothing matches", async () => {
    const blackout = await at.page.evaluate(() => window.hvsim.figures('blackout'));
    expect(blackout.parts.flatMap((p) => p.rows.map((r) => r.name))).toEqual(
      [0, 1, 2].flatMap((i) => [`migrations[${i}].blackoutNs`, `migrations[${i}].formulaBlackoutNs`]),
    );
    expect(await at.page.isVisible('[data-part="cluster"]')).toBe(false);
    expect(await at.page.isVisible('[data-list="migrations[0].passes"]')).toBe(false);
    // 'writer-10g' is no figure's name: its migration's heading holds it, and all of that migration shows.
    const one = await at.page.evaluate(() => window.hvsim.figures('writer-10g'));
    expect(new Set(one.parts.flatMap((p) => p.rows.map((r) => r.name.replace(/\].*/, ']'))))).toEqual(new Set(['migrations[2]']));
    expect(await at.page.isVisible('[data-list="migrations[2].passes"]')).toBe(true);
    await at.page.fill('#figures-filter', 'no such figure');
    expect(await at.page.isVisible('text=No figure has that in its name.')).toBe(true);
    expect((await at.page.evaluate(() => window.hvsim.figures())).parts.every((p) => p.rows.length === 0)).toBe(true);
    // A new run shows all of its figures: the filter typed for the last one is cleared.
    expect(await at.page.evaluate(() => window.hvsim.load('host-failure-ha-vs-dag'))).toBe(true);
    const failure = await at.page.evaluate(() => window.hvsim.figures());
    expect(failure.filter).toBe('');
    expect(new Map(failure.parts.flatMap((p) => p.rows.map((r) => [r.name, r.value] as const)))).toEqual(cliFigures('host-failure-ha-vs-dag'));
    expect(await at.page.locator('[data-item="failovers[0]"] h3').textContent()).toBe('failovers[0] · h1');
  });

  it('hides for an I/O run (its figures are its paths’)', async () => {
    expect(await at.page.evaluate(() => window.hvsim.load('queue-depth'))).toBe(true);
    expect((await at.page.evaluate(() => window.hvsim.figures())).shown).toBe(false);
    expect(await at.page.isVisible('.hv-figures')).toBe(false);
    // A run with neither paths nor figures says only that it has no workload.
    expect(await at.page.evaluate(() => window.hvsim.loadText(JSON.stringify({ version: 1, name: 'idle', vms: [{ id: 'a' }] }), 'idle.json'))).toBe(true);
    expect(await at.page.textContent('.hv-strip')).toContain('No workload in this scenario.');
    expect(await at.page.textContent('.hv-strip')).not.toContain('Figures of the run');
  });
});
