/**
 * Claims over the run's figures beyond its paths (`metrics/run-figures.ts`):
 * looking a figure up by its dotted name, its unit from its name, and
 * claims that compare figures with figures, paths and constants; a name the
 * run does not produce makes the claim "cannot be checked", saying what the
 * run has.
 */
import { describe, expect, it } from 'vitest';
import { figureKeys, figureUnit, flattenFigures, lookupFigure, type RunFigures } from '../../src/metrics/run-figures.js';
import { evaluateClaim, formatFigure, type ClaimPathFigures, type ScenarioClaim } from '../../src/scenario/index.js';

const figures: RunFigures = {
  vms: { mail: { saveNs: 2_500_000_000, savedBytes: 1_073_741_824, state: 'Saved' } },
  migrations: { list: [{ blackoutNs: 120_000_000, passes: 4 }] },
};

const claim = (left: ScenarioClaim['expect']['left'], op: 'less-than' | 'greater-than', right: ScenarioClaim['expect']['right'], factor?: number): ScenarioClaim =>
  ({ text: 't', expect: { left, op, right, ...(factor === undefined ? {} : { factor }) } }) as ScenarioClaim;

describe('run figures', () => {
  it('splits a name into keys, list items as numbers', () => {
    expect(figureKeys('migrations.list[0].blackoutNs')).toEqual(['migrations', 'list', 0, 'blackoutNs']);
    expect(figureKeys('vms.legacy-pio.saveNs')).toEqual(['vms', 'legacy-pio', 'saveNs']);
    expect(figureKeys('a..b')).toBeUndefined();
    expect(figureKeys('[0]')).toBeUndefined();
  });

  it('finds numbers and says why a name has none', () => {
    expect(lookupFigure(figures, 'vms.mail.saveNs')).toEqual({ ok: true, value: 2_500_000_000 });
    expect(lookupFigure(figures, 'migrations.list[0].passes')).toEqual({ ok: true, value: 4 });
    expect(lookupFigure(figures, 'vms.db.saveNs')).toEqual({ ok: false, why: "'vms' has no 'db' (it has: mail)" });
    expect(lookupFigure(figures, 'migrations.list[3].passes')).toEqual({ ok: false, why: "'migrations.list' has no '3' (it has: item 0)" });
    expect(lookupFigure(figures, 'vms.mail.state')).toEqual({ ok: false, why: "'vms.mail.state' is not a number (string)" });
    expect(lookupFigure(figures, 'cluster.x')).toEqual({ ok: false, why: "the run has no 'cluster' (it has: vms, migrations)" });
  });

  it('takes its unit from its name', () => {
    expect(['aNs', 'bBytes', 'cBytesPerS', 'dPercent', 'passes'].map(figureUnit)).toEqual(['ns', 'bytes', 'bytes-per-s', 'percent', 'count']);
    // A code is a name, printed as written: a WMI return code, a VM's EnabledState.
    expect(['vms.mail.stateCode', 'vms.mail.refusals[0].code', 'code'].map(figureUnit)).toEqual(['code', 'code', 'code']);
    expect(formatFigure('vms.mail.refusals[0].code', 4097)).toBe('4097');
    expect(formatFigure('vms.mail.refusedActions', 4097)).toBe('4,097');
    expect(formatFigure('vms.mail.saveNs', 2_500_000_000)).toBe('2.5 s');
    expect(formatFigure('vms.mail.savedBytes', 1_073_741_824)).toBe('1,024 MiB');
    expect(formatFigure('x.passes', 4)).toBe('4');
  });

  it('flattens to names and values in order', () => {
    expect(flattenFigures(figures)).toEqual([
      ['vms.mail.saveNs', 2_500_000_000],
      ['vms.mail.savedBytes', 1_073_741_824],
      ['vms.mail.state', 'Saved'],
      ['migrations.list[0].blackoutNs', 120_000_000],
      ['migrations.list[0].passes', 4],
    ]);
  });
});

describe('claims over run figures', () => {
  const paths: ClaimPathFigures[] = [];
  it('compares a figure with a constant in its own unit', () => {
    const held = evaluateClaim(claim({ figure: 'vms.mail.saveNs' }, 'less-than', { value: 5_000_000_000 }), paths, figures);
    expect(held.holds).toBe(true);
    expect(held.left).toEqual({ label: 'vms.mail.saveNs', value: 2_500_000_000 });
    expect(held.detail).toBe('2.5 s vms.mail.saveNs < 5 s');
    const not = evaluateClaim(claim({ figure: 'vms.mail.saveNs' }, 'less-than', { value: 1_000_000_000 }), paths, figures);
    expect(not.holds).toBe(false);
  });

  it('compares two figures with a factor', () => {
    const result = evaluateClaim(claim({ figure: 'vms.mail.saveNs' }, 'greater-than', { figure: 'migrations.list[0].blackoutNs' }, 10), paths, figures);
    expect(result.holds).toBe(true);
    expect(result.detail).toBe('2.5 s vms.mail.saveNs > 10 × 120 ms migrations.list[0].blackoutNs');
  });

  it('cannot check a figure the run did not produce, and says what it has', () => {
    const result = evaluateClaim(claim({ figure: 'vms.db.saveNs' }, 'less-than', { value: 1 }), paths, figures);
    expect(result.holds).toBe(false);
    expect(result.left.value).toBeNull();
    expect(result.detail).toBe("cannot be checked: 'vms' has no 'db' (it has: mail)");
  });
});
