/**
 * Descriptive statistics over nanosecond samples: a latency summary using
 * nearest-rank percentiles, and log2 or fixed-width histograms for the UI.
 * It knows nothing of trace records; `path-metrics.ts` feeds it.
 */

/** Count, mean, nearest-rank percentiles and extremes of a set of ns samples; every figure is an integer (rounded). */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
}

/** One histogram bin: the samples `v` with `lo <= v < hi`. */
export interface HistogramBin {
  /** Inclusive lower edge. */
  lo: number;
  /** Exclusive upper edge. */
  hi: number;
  count: number;
}

const EMPTY_SUMMARY: LatencySummary = { count: 0, mean: 0, p50: 0, p95: 0, p99: 0, min: 0, max: 0 };

/** Largest number of bins `fixedWidthHistogram` will build (guards against a tiny width over a wide range). */
export const MAX_HISTOGRAM_BINS = 10_000;

/**
 * Nearest-rank percentile of an ascending-sorted array: for `n` values and
 * `p` in (0, 100], the value at 1-based rank `ceil(p / 100 * n)` (rank at
 * least 1), so the result is always one of the samples, never an
 * interpolation. `p = 0` gives the minimum. Returns 0 for an empty array.
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  // p * n first: for integer p it is exact, so (p * n) / 100 is an integer exactly when it should be
  // ((p / 100) * n can land a hair above, and ceil would then step one rank too far).
  const rank = Math.max(1, Math.ceil((p * n) / 100));
  return sorted[Math.min(rank, n) - 1]!;
}

/**
 * Summarizes ns samples: count, mean, p50/p95/p99 (nearest rank, see
 * `nearestRank`), min and max, each rounded to an integer. An empty input
 * gives all zeros. The input is not modified.
 */
export function summarize(values: ArrayLike<number>): LatencySummary {
  const n = values.length;
  if (n === 0) return { ...EMPTY_SUMMARY };
  const sorted = Float64Array.from(values as ArrayLike<number>);
  sorted.sort(); // typed arrays sort numerically
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  return {
    count: n,
    mean: Math.round(sum / n),
    p50: Math.round(nearestRank(sorted, 50)),
    p95: Math.round(nearestRank(sorted, 95)),
    p99: Math.round(nearestRank(sorted, 99)),
    min: Math.round(sorted[0]!),
    max: Math.round(sorted[n - 1]!),
  };
}

function checkSample(v: number): void {
  if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`histogram samples must be finite and >= 0, got ${v}`);
}

/** floor(log2(v)) for v >= 1, corrected for floating-point error near powers of two. */
function floorLog2(v: number): number {
  let k = Math.floor(Math.log2(v));
  if (2 ** k > v) k--;
  else if (2 ** (k + 1) <= v) k++;
  return k;
}

/**
 * Log2 histogram: a sample `v < 1` falls in the bin `[0, 1)`; otherwise in
 * `[2^k, 2^(k+1))` with `k = floor(log2 v)`. Returns contiguous bins from
 * the lowest non-empty one to the highest (empty bins between them are
 * kept, with count 0), ascending; `[]` for no samples. Samples must be
 * finite and non-negative.
 */
export function log2Histogram(values: ArrayLike<number>): HistogramBin[] {
  const n = values.length;
  if (n === 0) return [];
  // Bin index: -1 for [0, 1), k for [2^k, 2^(k+1)).
  const counts = new Map<number, number>();
  let lowest = Infinity;
  let highest = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    checkSample(v);
    const k = v < 1 ? -1 : floorLog2(v);
    counts.set(k, (counts.get(k) ?? 0) + 1);
    if (k < lowest) lowest = k;
    if (k > highest) highest = k;
  }
  const bins: HistogramBin[] = [];
  for (let k = lowest; k <= highest; k++) {
    bins.push({ lo: k < 0 ? 0 : 2 ** k, hi: 2 ** (k + 1), count: counts.get(k) ?? 0 });
  }
  return bins;
}

/**
 * Fixed-width histogram: bins `[i * width, (i + 1) * width)` aligned to
 * multiples of `width` (so bin edges do not depend on the data), contiguous
 * from the bin holding the smallest sample to the one holding the largest,
 * ascending; `[]` for no samples. Throws a RangeError if `width` is not
 * positive, a sample is negative or not finite, or more than
 * `MAX_HISTOGRAM_BINS` bins would be needed.
 */
export function fixedWidthHistogram(values: ArrayLike<number>, width: number): HistogramBin[] {
  if (!(width > 0) || !Number.isFinite(width)) throw new RangeError(`bin width must be finite and > 0, got ${width}`);
  const n = values.length;
  if (n === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    checkSample(v);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const first = Math.floor(min / width);
  const last = Math.floor(max / width);
  const binCount = last - first + 1;
  if (binCount > MAX_HISTOGRAM_BINS) {
    throw new RangeError(`${binCount} bins of width ${width} needed; at most ${MAX_HISTOGRAM_BINS} allowed`);
  }
  const counts = new Array<number>(binCount).fill(0);
  for (let i = 0; i < n; i++) counts[Math.floor(values[i]! / width) - first]!++;
  return counts.map((count, i) => ({ lo: (first + i) * width, hi: (first + i + 1) * width, count }));
}
