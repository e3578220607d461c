/**
 * Overhead as a ratio to the native baseline: when a run includes a path on
 * a native host (no hypervisor), every other path's mean latency and CPU
 * time per I/O divided by the baseline's. Pure; null when there is no
 * native path (or it completed nothing).
 */
import type { PathMetrics } from './path-metrics.js';

/** One path's figures relative to the native baseline. */
export interface NativeRatio {
  vm: string;
  disk: string;
  path: string;
  /** Mean latency / the baseline's mean latency. */
  latencyMean: number;
  /** CPU ns per I/O / the baseline's. */
  cpuNsPerIo: number;
}

/** The baseline path and the other paths' ratios to it. */
export interface NativeBaseline {
  vm: string;
  disk: string;
  ratios: NativeRatio[];
}

export function ratiosToNative(paths: readonly PathMetrics[]): NativeBaseline | null {
  const native = paths.find((p) => p.path === 'native' && p.requests > 0);
  if (native === undefined) return null;
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
  return {
    vm: native.vm,
    disk: native.disk,
    ratios: paths
      .filter((p) => p !== native && p.requests > 0)
      .map((p) => ({
        vm: p.vm,
        disk: p.disk,
        path: p.path,
        latencyMean: ratio(p.latencyNs.mean, native.latencyNs.mean),
        cpuNsPerIo: ratio(p.cpuNsPerIo.total, native.cpuNsPerIo.total),
      })),
  };
}
