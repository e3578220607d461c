/**
 * Figure names reach only figures: the lookup reads a tree's own fields and
 * a list's items (never `constructor`, `toString`, a list's `length`), and
 * validation refuses what it can know is no figure: an inherited name, or a
 * VM that is not in the scenario (the lesson probe `lf_fig_missing` passed
 * validate and then failed in `hvsim lesson`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lookupFigure, type RunFigures } from '../../src/metrics/run-figures.js';
import { parseLessonText } from '../../src/scenario/index.js';
import { edited, errorsOf, scenarioOf } from './helpers.js';

const figures: RunFigures = { vms: { mail: { saveNs: 5, snapshots: [] as never[] } } };

describe('figure lookup', () => {
  it('finds nothing the tree does not hold itself', () => {
    expect(lookupFigure(figures, 'vms.constructor')).toEqual({ ok: false, why: "'vms' has no 'constructor' (it has: mail)" });
    expect(lookupFigure(figures, 'vms.toString')).toMatchObject({ ok: false });
    expect(lookupFigure(figures, 'vms.__proto__')).toMatchObject({ ok: false });
    expect(lookupFigure(figures, 'vms.mail.snapshots.length')).toEqual({ ok: false, why: "'vms.mail.snapshots' has no 'length' (it has: no items)" });
    expect(lookupFigure(figures, 'vms.mail.saveNs')).toEqual({ ok: true, value: 5 });
  });
});

describe('figure names at validation', () => {
  const claimOn = (figure: string) =>
    edited((s) => (s.claims = [{ text: 'x', expect: { left: { figure }, op: 'less-than', right: { value: 1 } } }]));

  it.each(['vms.constructor', 'vms.__proto__', 'vms.toString', 'vms.vm1.snapshots.length'])('refuses the inherited name in %s', (figure) => {
    const [error] = errorsOf(claimOn(figure));
    expect(error).toMatchObject({ path: 'claims.0.expect.left.figure' });
    expect(error!.message).toMatch(/is not a figure: every object has it/);
  });

  it('refuses a VM that is not in the scenario, in vms and scheduler.vms, and takes one that is', () => {
    expect(errorsOf(claimOn('vms.nosuch.saveNs'))[0]!.message).toBe(
      `found "vms.nosuch.saveNs" (no VM has the id 'nosuch'), allowed 'vms.' and then one of the VM ids: 'vm1'`,
    );
    expect(errorsOf(claimOn('scheduler.vms.nosuch.readyNs'))[0]!.message).toContain(`one of the root or the VM ids: 'root', 'vm1'`);
    scenarioOf(claimOn('vms.vm1.saveNs'));
    scenarioOf(claimOn('scheduler.vms.root.readyNs'));
  });

  it('refuses a lesson answer naming a VM the scenario lacks (the probe lf_fig_missing)', () => {
    const text = readFileSync('lessons/saved-state.json', 'utf8').replace('"vms.mail.saveNs', '"vms.nosuch.saveNs');
    expect(text).toContain('vms.nosuch.saveNs');
    const result = parseLessonText(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.message).toContain("no VM has the id 'nosuch'");
  });
});
