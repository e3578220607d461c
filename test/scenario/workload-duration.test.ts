/**
 * A workload bounded by a duration, end to end: what reads a workload's
 * `count` as the requests it will issue must read what it issued in its
 * window instead (the count is only a cap). Each case failed before its fix.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/run.js';
import { edited, scenarioOf } from './helpers.js';

/** One VM reading 4 KiB at random from NVMe for `duration`, with extra edits. */
const timed = (duration: string, edit: (s: any) => void = () => {}) =>
  scenarioOf(
    edited((s) => {
      s.host.disks[0].kind = 'ssd';
      s.workloads[0] = { vm: 'vm1', disk: 'data', op: 'read', size: '4KiB', queueDepth: 2, pattern: 'random', duration };
      edit(s);
    }),
  );

describe('a duration workload beside a CPU load that runs until the I/O is done', () => {
  it('stops the CPU load once the window has closed and its requests completed, so the run ends there, not at limits.until', () => {
    const s = timed('3ms', (s) => {
      s.host.scheduler = { kind: 'credit', slice: '10ms' };
      s.cpu = [{ vm: 'vm1', dutyPercent: 50, burst: '1ms' }];
      s.limits = { until: '60s' };
    });
    const run = runScenario(s);
    expect(run.output.stop).toBe('empty');
    expect(run.output.endNs).toBeLessThan(20_000_000);
    expect(run.output.completed).toBe(run.requested);
    expect(run.requested).toBeGreaterThan(10);
  });
});
