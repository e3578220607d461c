import { describe, expect, it } from 'vitest';
import { SIM_TIME_MAX, assertSimTime, formatNs, ms, ns, sec, us } from '../../src/engine/sim-time.js';

describe('unit constructors', () => {
  it('convert to integer nanoseconds', () => {
    expect(ns(500)).toBe(500);
    expect(us(1.5)).toBe(1_500);
    expect(ms(5)).toBe(5_000_000);
    expect(sec(2)).toBe(2_000_000_000);
    expect(sec(0.1)).toBe(100_000_000);
    expect(ms(0.0015)).toBe(1_500);
  });

  it('round to the nearest nanosecond, halves up', () => {
    expect(ns(0.4)).toBe(0);
    expect(ns(0.5)).toBe(1);
    expect(ns(1.5)).toBe(2);
    expect(ns(2.5)).toBe(3);
    expect(us(0.0004)).toBe(0);
    expect(us(0.0005)).toBe(1);
    expect(us(1.0005)).toBe(1_001);
    // 1.005 * 1e6 is 1004999.9999999999 in binary floating point; rounding absorbs it.
    expect(ms(1.005)).toBe(1_005_000);
    expect(sec(2.5e-7)).toBe(250);
  });

  it('always return safe integers', () => {
    for (const v of [0, 0.1, 0.3, 1 / 3, 2 / 3, 1.23456789, 7.77]) {
      for (const f of [ns, us, ms, sec]) {
        expect(Number.isSafeInteger(f(v))).toBe(true);
      }
    }
  });

  it('reject negatives', () => {
    expect(() => ns(-1)).toThrow(RangeError);
    expect(() => us(-0.001)).toThrow(RangeError);
    expect(() => ms(-1)).toThrow(RangeError);
    expect(() => sec(-1)).toThrow(RangeError);
  });

  it('reject NaN and infinities', () => {
    for (const f of [ns, us, ms, sec]) {
      expect(() => f(Number.NaN)).toThrow(/must be finite/);
      expect(() => f(Infinity)).toThrow(RangeError);
      expect(() => f(-Infinity)).toThrow(RangeError);
    }
  });

  it('reject results beyond the safe-integer range', () => {
    expect(() => sec(1e7)).toThrow(RangeError); // 1e16 ns > 2^53
    expect(() => ns(2 ** 53)).toThrow(RangeError);
    expect(ns(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('assertSimTime', () => {
  it('returns a valid time unchanged', () => {
    expect(assertSimTime(0)).toBe(0);
    expect(assertSimTime(123_456)).toBe(123_456);
    expect(assertSimTime(SIM_TIME_MAX)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('rejects negatives', () => {
    expect(() => assertSimTime(-1)).toThrow(RangeError);
    expect(() => assertSimTime(-Number.MAX_SAFE_INTEGER)).toThrow(RangeError);
  });

  it('rejects non-integers', () => {
    expect(() => assertSimTime(1.5)).toThrow(RangeError);
    expect(() => assertSimTime(Number.NaN)).toThrow(RangeError);
    expect(() => assertSimTime(Infinity)).toThrow(RangeError);
  });

  it('rejects unsafe integers', () => {
    expect(() => assertSimTime(SIM_TIME_MAX + 1)).toThrow(RangeError);
    expect(() => assertSimTime(2 ** 60)).toThrow(RangeError);
  });

  it('names what was checked in the message', () => {
    expect(() => assertSimTime(-5, 'deadline')).toThrow('deadline must be a non-negative integer number of nanoseconds, got -5');
    expect(() => assertSimTime(0.5)).toThrow(/^time must be/);
  });
});

describe('formatNs', () => {
  it('picks the largest unit that keeps the value >= 1', () => {
    expect(formatNs(0)).toBe('0 ns');
    expect(formatNs(999)).toBe('999 ns');
    expect(formatNs(1_000)).toBe('1 µs');
    expect(formatNs(1_500)).toBe('1.5 µs');
    expect(formatNs(5_000_000)).toBe('5 ms');
    expect(formatNs(1_000_000_000)).toBe('1 s');
    expect(formatNs(90_000_000_000)).toBe('90 s');
  });

  it('rounds to two decimals', () => {
    expect(formatNs(1_234_567)).toBe('1.23 ms');
    expect(formatNs(2_345)).toBe('2.35 µs');
    expect(formatNs(1_666_666_666)).toBe('1.67 s');
  });

  it('keeps the sign of negative durations', () => {
    expect(formatNs(-1_500)).toBe('-1.5 µs');
    expect(formatNs(-20)).toBe('-20 ns');
  });
});
