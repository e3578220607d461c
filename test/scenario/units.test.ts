/** Durations and sizes convert exactly, or are refused with a reason. */
import { describe, expect, it } from 'vitest';
import { canonicalInteger, durationNs, sizeBytes, sizeTextProblem } from '../../src/scenario/index.js';

describe('durationNs', () => {
  it('converts integers and unit strings exactly', () => {
    const cases: [number | string, number][] = [
      [0, 0],
      [1500, 1500],
      ['500ns', 500],
      ['1.5us', 1500],
      ['1.5µs', 1500],
      ['5ms', 5_000_000],
      ['0.000001ms', 1],
      ['2s', 2_000_000_000],
      ['60 s', 60_000_000_000],
      ['86400s', 86_400_000_000_000],
    ];
    for (const [input, ns] of cases) expect(durationNs(input), String(input)).toEqual({ ok: true, value: ns });
  });

  it('refuses fractions of a nanosecond, negative values and more than a day', () => {
    expect(durationNs('1.5ns')).toEqual({ ok: false, why: 'not a whole number of nanoseconds' });
    expect(durationNs(-1)).toEqual({ ok: false, why: 'not a non-negative integer' });
    expect(durationNs(0.5)).toEqual({ ok: false, why: 'not a non-negative integer' });
    expect(durationNs('86401s')).toEqual({ ok: false, why: 'longer than 1 day' });
    expect(durationNs('5 minutes')).toEqual({ ok: false, why: 'not a number followed by ns, us, ms or s' });
  });
});

describe('sizeBytes', () => {
  it('converts bytes, KiB and MiB exactly', () => {
    expect(sizeBytes(512)).toEqual({ ok: true, value: 512 });
    expect(sizeBytes('10KiB')).toEqual({ ok: true, value: 10_240 });
    expect(sizeBytes('0.5KiB')).toEqual({ ok: true, value: 512 });
    expect(sizeBytes('1MiB')).toEqual({ ok: true, value: 1_048_576 });
    expect(sizeBytes('32MiB')).toEqual({ ok: true, value: 33_554_432 });
    expect(sizeBytes('4096B')).toEqual({ ok: true, value: 4096 });
  });

  it('refuses sizes that are not whole sectors, not positive or too large', () => {
    expect(sizeBytes(0)).toEqual({ ok: false, why: 'not positive' });
    expect(sizeBytes(-512)).toEqual({ ok: false, why: 'not positive' });
    expect(sizeBytes(1000)).toEqual({ ok: false, why: 'not a multiple of 512 bytes (one sector)' });
    expect(sizeBytes('0.3KiB')).toEqual({ ok: false, why: 'not a whole number of bytes' });
    expect(sizeBytes('33MiB')).toEqual({ ok: false, why: 'larger than 32 MiB' });
  });

  it('explains decimal and miscased units', () => {
    expect(sizeTextProblem('4KB')).toBe("'KB' is ambiguous (1000 or 1024 bytes?): write KiB (1 KiB = 1024 bytes)");
    expect(sizeTextProblem('1 MB')).toBe("'MB' is ambiguous (1000000 or 1048576 bytes?): write MiB (1 MiB = 1048576 bytes)");
    expect(sizeTextProblem('4kib')).toBe("write the unit as B, KiB or MiB exactly, not 'kib'");
    expect(sizeTextProblem('1GiB')).toBe('a request is at most 32 MiB: write it in MiB');
    expect(sizeTextProblem('lots')).toBe('not a number followed by B, KiB or MiB');
  });
});

describe('canonicalInteger', () => {
  it('keeps every value (an int32 as one; -0 as 0), so a configuration reads the same', () => {
    for (const v of [0, 1, 4096, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 86_400_000_000_000, 1.5, Number.MAX_SAFE_INTEGER]) {
      expect(canonicalInteger(v)).toBe(v);
    }
    expect(Object.is(canonicalInteger(-0), 0)).toBe(true);
  });
});
