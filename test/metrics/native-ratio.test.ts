/** Overheads as ratios to the native baseline. */
import { describe, expect, it } from 'vitest';
import { ratiosToNative, type PathMetrics } from '../../src/metrics/index.js';

const path = (vm: string, kind: string, meanNs: number, cpuNs: number, requests = 10): PathMetrics =>
  ({ vm, disk: 'd', path: kind, requests, latencyNs: { mean: meanNs }, cpuNsPerIo: { total: cpuNs } }) as unknown as PathMetrics;

describe('ratiosToNative', () => {
  it('divides every other path by the native one', () => {
    const r = ratiosToNative([path('vm', 'vmbus-scsi', 1200, 30), path('bare', 'native', 1000, 10), path('old', 'ide-dma', 1500, 400)])!;
    expect(r.vm).toBe('bare');
    expect(r.ratios).toEqual([
      { vm: 'vm', disk: 'd', path: 'vmbus-scsi', latencyMean: 1.2, cpuNsPerIo: 3 },
      { vm: 'old', disk: 'd', path: 'ide-dma', latencyMean: 1.5, cpuNsPerIo: 40 },
    ]);
  });

  it('is null without a native path, or when it completed nothing', () => {
    expect(ratiosToNative([path('vm', 'vmbus-scsi', 1, 1)])).toBeNull();
    expect(ratiosToNative([path('bare', 'native', 1, 1, 0), path('vm', 'vmbus-scsi', 1, 1)])).toBeNull();
  });
});
