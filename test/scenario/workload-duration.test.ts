/**
 * A workload bounded by a duration, end to end: what reads a workload's
 * `count` as the requests it will issue must read what it issued in its
 * window instead (the count is only a cap). Each case failed before its fix.
 */
import { describe, expect, it } from 'vitest';
import type { Topology } from '../../src/model/topology.js';
import { RequestLedger, unfinishedLines } from '../../src/scenario/index.js';
import { checkLesson } from '../../src/scenario/lesson/references.js';
import { leftUnfinished, runScenario, unfinishedMessage } from '../../src/scenario/run.js';
import { edited, errorsOf, scenarioOf } from './helpers.js';

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

describe('a duration workload the run cut short before its window closed', () => {
  const cut = () => runScenario(timed('10ms', (s) => (s.limits = { until: '1ms' })));

  it('asks for what it issued, not its cap, and says the window was cut short, never "of 1,000,000"', () => {
    const run = cut();
    expect(run.requested).toBe(run.output.completed + run.stuck.length);
    expect(run.requested).toBeLessThan(100);
    expect(run.notIssued).toMatchObject([{ index: 0, issued: run.requested, requested: run.requested, missing: 0, closesNs: 10_000_000 }]);
    const lines = unfinishedMessage(run);
    expect(leftUnfinished(run)).toBe(true);
    expect(lines[0]).toMatch(/^\d+ of \d+ requests did not complete \(\d+ issued and still open\), and a duration workload cut short before its window closed: the run stopped at limits\.until \(1 ms\); raise limits\.until or lower the workloads' count or duration$/);
    expect(lines.at(-1)).toMatch(/^workloads\[0\] \(VM vm1 disk data\): cut short: the run stopped at limits\.until \(1 ms\) with 2 of its requests open \(listed above\), 9 ms before its window \(10 ms from 0 ns\) closed; it had issued \d+$/);
    expect(lines[1]).toMatch(/^VM vm1 disk data: request \d+ of workloads\[0\] \(a workload for 10 ms: \d+ issued\), flow/);
    expect(lines.join('\n')).not.toMatch(/1,000,000/);
  });

  it('is reported even with no request of it left open (nothing lost in silence)', () => {
    const topology: Topology = { partitions: [], links: [], places: [] };
    const ledger = new RequestLedger([{ vm: 'vm1', disk: 'a', op: 'read', bytes: 4096, queueDepth: 1, count: 1_000_000, pattern: 'fixed', lba: 0, startNs: 0, durationNs: 5_000 }]);
    const u = ledger.result({ topology, stop: 'maxEvents', endNs: 2_000 });
    expect(u.requested).toBe(0);
    expect(u.notIssued).toMatchObject([{ index: 0, requested: 0, issued: 0, missing: 0, closesNs: 5_000 }]);
    expect(unfinishedLines(u, { requested: 0, stop: 'maxEvents', endNs: 2_000, maxEvents: 10 })[0]).toBe(
      "a duration workload cut short before its window closed: the run stopped after limits.maxEvents (10 events) at 2 µs; raise limits.maxEvents or lower the workloads' count or duration",
    );
    // Once the window has closed, what it issued is all it asked for.
    expect(ledger.result({ topology, stop: 'empty', endNs: 5_000 })).toEqual({ stuck: [], notIssued: [], requested: 0 });
  });
});

describe('a duration workload whose count (a cap) is reached before its window closes', () => {
  it('is complete: the run ends with its count, not cut short', () => {
    const run = runScenario(timed('50ms', (s) => (s.workloads[0].count = 12)));
    expect(run.output.stop).toBe('empty');
    expect(run.output.endNs).toBeLessThan(50_000_000);
    expect([run.requested, run.output.completed]).toEqual([12, 12]);
    expect([run.stuck, run.notIssued]).toEqual([[], []]);
  });
});

describe('a duration workload whose window closes while its VM is paused or saved', () => {
  for (const [hold, release] of [
    ['pause', 'resume'],
    ['save', 'restore'],
  ] as const) {
    it(`holds what is in flight across a ${hold}, issues nothing after the window, and completes it after the ${release}`, () => {
      const s = timed('100ms', (s) => {
        s.vms[0].memoryMiB = 16;
        s.actions = [
          { at: '50ms', do: hold, vm: 'vm1' },
          { at: '20s', do: release, vm: 'vm1' },
        ];
      });
      const run = runScenario(s, { keepRecords: true });
      const issued = run.records.filter((r) => r.kind === 'io.request.issued');
      expect(issued.every((r) => r.t < 100_000_000)).toBe(true);
      expect(run.records.some((r) => r.kind === 'vm.io.held')).toBe(true);
      expect(run.records.filter((r) => r.kind === 'io.request.completed').at(-1)!.t).toBeGreaterThan(20_000_000_000);
      expect([run.stuck, run.notIssued]).toEqual([[], []]);
      expect(run.output.completed).toBe(issued.length);
      expect(run.requested).toBe(issued.length);
    });
  }

  it('left saved past its window: names every request it holds, as held by the saved VM, and nothing as never issued', () => {
    const s = timed('100ms', (s) => {
      s.vms[0].memoryMiB = 16;
      s.actions = [{ at: '50ms', do: 'save', vm: 'vm1' }];
      s.limits = { until: '30s' };
    });
    const run = runScenario(s);
    expect(run.stuck.length).toBeGreaterThan(0);
    expect(run.stuck.every((r) => r.heldBy?.state === 'Saved')).toBe(true);
    expect(run.notIssued).toEqual([]);
    expect(leftUnfinished(run)).toBe(true);
    expect(unfinishedMessage(run)[0]).toMatch(/held by their VMs' states/);
  });
});

describe('a duration on a traffic flow, which is bounded by its packets', () => {
  it('is refused with the count that rate makes of it, not only the list of fields', () => {
    const [error, ...rest] = errorsOf(
      edited((s) => {
        s.vms[0].nics = [{ id: 'net', kind: 'synthetic' }];
        s.traffic = [{ vm: 'vm1', nic: 'net', packetsPerSecond: 20_000, duration: '50ms' }];
      }),
    );
    expect(rest).toEqual([]);
    expect(error).toMatchObject({
      path: 'traffic.0.duration',
      found: "an unknown field 'duration' (a traffic flow runs for its count of packets at packetsPerSecond; duration bounds a disk workload)",
      allowed: 'count instead: the packets in all, packetsPerSecond × the time ("50ms" at 20,000 packets/s: count 1,000)',
    });
  });
});

describe('a lesson step that follows a request of a duration workload', () => {
  it('is checked against its cap, said as "at most" (what the window holds is known only from a run)', () => {
    const s = timed('3ms', (s) => (s.workloads[0].count = 50));
    const issues = checkLesson(s, { steps: [{ caption: 'the 51st read', anchor: { vm: 'vm1', request: 50 } }] } as never, ['lesson']);
    expect(issues).toMatchObject([{ path: ['lesson', 'steps', 0, 'anchor', 'request'], found: "50 (VM 'vm1' issues at most 50 requests, a workload of it running for a duration)" }]);
    expect(checkLesson(s, { steps: [{ caption: 'the 50th read', anchor: { vm: 'vm1', request: 49 } }] } as never, ['lesson'])).toEqual([]);
  });
});
