/**
 * Metrics: pure functions folding a trace into the figures the CLI and the
 * app show (DESIGN §4). Depends on the model's trace types only.
 */
export { fixedWidthHistogram, log2Histogram, MAX_HISTOGRAM_BINS, nearestRank, summarize } from './stats.js';
export type { HistogramBin, LatencySummary } from './stats.js';
export { computePathMetrics, EXIT_REASONS, latenciesByStream, PathMetricsFolder } from './path-metrics.js';
export type { CpuNs, IoCounts, PathMetrics, SwitchKind } from './path-metrics.js';
export * from './native-ratio.js';
