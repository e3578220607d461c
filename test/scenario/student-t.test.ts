import { describe, expect, it } from 'vitest';
import { incompleteBeta, logGamma, studentTQuantile, studentTUpperTail } from '../../src/scenario/experiment/student-t.js';

describe('Student t quantiles', () => {
  it('match the published two-sided 95 % table', () => {
    // Student's t table, 0.975 column (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
    const table: [number, number][] = [
      [1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [5, 2.571], [9, 2.262], [10, 2.228], [19, 2.093], [29, 2.045], [30, 2.042], [60, 2.0], [100, 1.984], [120, 1.98],
    ];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df), `df ${df}`).toBeCloseTo(t, 3);
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(1.959964, 6);
    expect(studentTQuantile(0.975, 1_000_000)).toBeCloseTo(1.959966, 5);
  });

  it('match more digits and other probabilities', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062047362, 8);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.2621571628, 8);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0422724563, 8);
    expect(studentTQuantile(0.995, 10)).toBeCloseTo(3.169, 3);
    expect(studentTQuantile(0.95, 5)).toBeCloseTo(2.015, 3);
    expect(studentTQuantile(0.9, 3)).toBeCloseTo(1.638, 3);
    expect(studentTQuantile(0.995, Infinity)).toBeCloseTo(2.5758293, 6);
    expect(studentTQuantile(0.025, 9)).toBeCloseTo(-2.2621571628, 8);
    expect(studentTQuantile(0.5, 7)).toBe(0);
  });

  it('agree between the table and the inversion', () => {
    for (const df of [3, 7, 50, 200, 201]) {
      const t = studentTQuantile(0.975, df);
      expect(studentTUpperTail(t, df)).toBeCloseTo(0.025, 12);
    }
  });

  it('rest on a correct log-gamma and incomplete beta', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(incompleteBeta(1, 1, 0.3)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(2, 3, 0.4)).toBeCloseTo(0.5248, 12); // 1 − (1−x)^4 − 4x(1−x)^3... = 0.5248
  });

  it('refuses what has no quantile', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.975, 0)).toThrow(RangeError);
    expect(() => studentTQuantile(0.975, 2.5)).toThrow(RangeError);
  });
});
