/**
 * An LP's time is handed out once: the CPU loads' runs and the trace's
 * steps on it (an I/O VM's, the root's for it, the hypervisor's wakes,
 * halts and switches) never add up to more than the run. Held-out case of
 * an audit: two CPU-bound guests and a VM reading from an SSD at QD 1 on
 * one LP; before, a step still running when its VP left the LP was taken
 * from that VP's run, not from the next holder's, and LP 1 was busy
 * 851.96 ms in a run of 830.95 ms (102.5 %, shown as 100 %). And a run
 * ends with its last I/O, not at a slice end a stale scheduler event
 * kept armed (30 ms later, before).
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/scenario/index.js';
import { scenarioOf } from '../../scenario/helpers.js';

const scenario = (count: number) => ({
  version: 1,
  name: 'two-hogs-and-io',
  profile: '2008',
  host: { logicalProcessors: 2, disks: [{ id: 'ssd', kind: 'ssd', sizeGiB: 400 }], scheduler: { kind: 'credit', slice: '30ms', wakeBoost: true } },
  vms: [
    { id: 'io', vcpus: 1, affinity: [1], disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'ssd', sizeGiB: 40 } }] },
    { id: 'g', vcpus: 1, affinity: [1] },
    { id: 'g2', vcpus: 1, affinity: [1] },
  ],
  cpu: [
    { vm: 'g', dutyPercent: 100, burst: '30ms' },
    { vm: 'g2', dutyPercent: 100, burst: '30ms' },
  ],
  workloads: [{ vm: 'io', disk: 'data', op: 'read', size: '4KiB', queueDepth: 1, count, pattern: 'random' }],
});

describe("an LP's time is handed out once", () => {
  const run = runScenario(scenarioOf(JSON.stringify(scenario(600))));
  const s = (run.figures as any).scheduler;
  const records = run.records;
  const lastEnd = Math.max(...records.map((r) => r.t + (r.waitNs ?? 0) + r.costNs));

  it('runs and steps on LP 1 (dispatch switches among them) add up to no more than the run, and to all of it while the CPU-bound VPs want it', () => {
    // busyNs is the VPs' runs plus the steps' costs on the LP (scheduler-figures.ts): at most the run, so none overlap.
    expect(s.lps.lp1.busyNs).toBeLessThanOrEqual(lastEnd);
    // Two VPs always want LP 1: it is never idle (the last halt may end after the run's clock stops).
    expect(s.lps.lp1.busyNs).toBeGreaterThanOrEqual(run.output.endNs);
    expect(s.lps.lp1.busyPercent).toBeLessThanOrEqual(100);
  });

  it('the two CPU-bound VPs share what the steps leave of LP 1 equally', () => {
    const g = s.vms.g.vp0.runNs;
    const g2 = s.vms.g2.vp0.runNs;
    expect(Math.abs(g - g2) / (g + g2)).toBeLessThan(0.02);
  });

  it('the run ends with its last step, not when a stale scheduler event comes', () => {
    expect(run.output.endNs).toBeLessThanOrEqual(lastEnd);
    expect(lastEnd - run.output.endNs).toBeLessThan(10_000);
  });
});
