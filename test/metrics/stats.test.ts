import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_HISTOGRAM_BINS,
  fixedWidthHistogram,
  log2Histogram,
  nearestRank,
  summarize,
} from '../../src/metrics/stats.js';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('nearestRank', () => {
  it('picks the value at rank ceil(p/100 * n) of 1..10', () => {
    const xs = range(1, 10);
    expect(nearestRank(xs, 0)).toBe(1);
    expect(nearestRank(xs, 10)).toBe(1);
    expect(nearestRank(xs, 11)).toBe(2);
    expect(nearestRank(xs, 50)).toBe(5);
    expect(nearestRank(xs, 51)).toBe(6);
    expect(nearestRank(xs, 95)).toBe(10);
    expect(nearestRank(xs, 99)).toBe(10);
    expect(nearestRank(xs, 100)).toBe(10);
  });

  it('lands exactly on whole ranks of 1..100 and 1..1000 (no floating-point overshoot)', () => {
    const hundred = range(1, 100);
    expect(nearestRank(hundred, 50)).toBe(50);
    expect(nearestRank(hundred, 95)).toBe(95);
    expect(nearestRank(hundred, 99)).toBe(99);
    const thousand = range(1, 1000);
    expect(nearestRank(thousand, 50)).toBe(500);
    expect(nearestRank(thousand, 95)).toBe(950);
    expect(nearestRank(thousand, 99)).toBe(990);
    const twenty = range(1, 20);
    expect(nearestRank(twenty, 95)).toBe(19);
    expect(nearestRank(twenty, 99)).toBe(20);
    expect(nearestRank(twenty, 50)).toBe(10);
  });

  it('agrees with integer rank arithmetic for any n and integer p', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100 }), (n, p) => {
        const sorted = { length: n } as ArrayLike<number> & Record<number, number>;
        // The value at index i is i, so the result is the 0-based index picked.
        const indexed = new Proxy(sorted, { get: (o, k) => (k === 'length' ? n : Number(k)) });
        const rank = Math.floor((p * n + 99) / 100); // ceil(p * n / 100) in integers
        expect(nearestRank(indexed, p)).toBe(rank - 1);
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it('gives 0 for no values and rejects p outside [0, 100]', () => {
    expect(nearestRank([], 50)).toBe(0);
    expect(() => nearestRank([1], 101)).toThrow(RangeError);
    expect(() => nearestRank([1], -1)).toThrow(RangeError);
    expect(() => nearestRank([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('summarizes an unsorted array without modifying it', () => {
    const xs = [30, 10, 40, 20];
    expect(summarize(xs)).toEqual({ count: 4, mean: 25, p50: 20, p95: 40, p99: 40, min: 10, max: 40 });
    expect(xs).toEqual([30, 10, 40, 20]);
  });

  it('uses nearest-rank percentiles on 1..100 shuffled', () => {
    const xs = range(1, 100).map((x) => (x * 37) % 101); // a permutation of 1..100
    expect(new Set(xs).size).toBe(100);
    expect(summarize(xs)).toEqual({ count: 100, mean: 51, p50: 50, p95: 95, p99: 99, min: 1, max: 100 });
  });

  it('rounds the mean and the picked values to integers', () => {
    expect(summarize([1, 2]).mean).toBe(2); // 1.5 rounds up
    expect(summarize([1, 1, 2]).mean).toBe(1); // 1.33
    expect(summarize([1.4, 2.6])).toEqual({ count: 2, mean: 2, p50: 1, p95: 3, p99: 3, min: 1, max: 3 });
  });

  it('sorts numerically, not as strings', () => {
    expect(summarize([100, 9, 1000, 20])).toEqual({ count: 4, mean: 282, p50: 20, p95: 1000, p99: 1000, min: 9, max: 1000 });
  });

  it('handles one value and a long tail', () => {
    expect(summarize([7])).toEqual({ count: 1, mean: 7, p50: 7, p95: 7, p99: 7, min: 7, max: 7 });
    const tail = [...new Array<number>(98).fill(100), 5000, 1_000_000];
    expect(summarize(tail)).toEqual({ count: 100, mean: 10148, p50: 100, p95: 100, p99: 5000, min: 100, max: 1_000_000 });
  });

  it('gives all zeros for no values', () => {
    expect(summarize([])).toEqual({ count: 0, mean: 0, p50: 0, p95: 0, p99: 0, min: 0, max: 0 });
  });

  it('accepts typed arrays', () => {
    expect(summarize(new Float64Array([3, 1, 2]))).toEqual({ count: 3, mean: 2, p50: 2, p95: 3, p99: 3, min: 1, max: 3 });
  });
});

describe('log2Histogram', () => {
  it('bins [0,1) then [2^k, 2^(k+1)), contiguous, keeping empty bins between', () => {
    expect(log2Histogram([0, 0.5, 1, 3, 4, 7, 8, 1000])).toEqual([
      { lo: 0, hi: 1, count: 2 },
      { lo: 1, hi: 2, count: 1 },
      { lo: 2, hi: 4, count: 1 },
      { lo: 4, hi: 8, count: 2 },
      { lo: 8, hi: 16, count: 1 },
      { lo: 16, hi: 32, count: 0 },
      { lo: 32, hi: 64, count: 0 },
      { lo: 64, hi: 128, count: 0 },
      { lo: 128, hi: 256, count: 0 },
      { lo: 256, hi: 512, count: 0 },
      { lo: 512, hi: 1024, count: 1 },
    ]);
  });

  it('starts at the lowest non-empty bin', () => {
    expect(log2Histogram([1500, 2048, 4095])).toEqual([
      { lo: 1024, hi: 2048, count: 1 },
      { lo: 2048, hi: 4096, count: 2 },
    ]);
  });

  it('puts exact powers of two in their own bin, also near 2^53', () => {
    for (const k of [0, 1, 10, 29, 30, 31, 47, 48, 52]) {
      const [bin] = log2Histogram([2 ** k]);
      expect(bin).toEqual({ lo: 2 ** k, hi: 2 ** (k + 1), count: 1 });
      if (k > 0) expect(log2Histogram([2 ** k - 1])[0]!.hi).toBe(2 ** k);
    }
  });

  it('gives [] for no values and rejects negative or non-finite ones', () => {
    expect(log2Histogram([])).toEqual([]);
    expect(() => log2Histogram([-1])).toThrow(RangeError);
    expect(() => log2Histogram([Number.NaN])).toThrow(RangeError);
    expect(() => log2Histogram([Infinity])).toThrow(RangeError);
  });
});

describe('fixedWidthHistogram', () => {
  it('aligns bins to multiples of the width, from the lowest to the highest sample', () => {
    expect(fixedWidthHistogram([25, 12, 59, 20], 10)).toEqual([
      { lo: 10, hi: 20, count: 1 },
      { lo: 20, hi: 30, count: 2 },
      { lo: 30, hi: 40, count: 0 },
      { lo: 40, hi: 50, count: 0 },
      { lo: 50, hi: 60, count: 1 },
    ]);
    expect(fixedWidthHistogram([0, 9.99], 10)).toEqual([{ lo: 0, hi: 10, count: 2 }]);
  });

  it('gives [] for no values and rejects bad widths, bad samples and too many bins', () => {
    expect(fixedWidthHistogram([], 10)).toEqual([]);
    expect(() => fixedWidthHistogram([1], 0)).toThrow(RangeError);
    expect(() => fixedWidthHistogram([1], -5)).toThrow(RangeError);
    expect(() => fixedWidthHistogram([-1], 5)).toThrow(RangeError);
    expect(() => fixedWidthHistogram([0, MAX_HISTOGRAM_BINS], 1)).toThrow(RangeError);
    expect(fixedWidthHistogram([0, MAX_HISTOGRAM_BINS - 1], 1)).toHaveLength(MAX_HISTOGRAM_BINS);
  });
});
