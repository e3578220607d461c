/** The scheduling fields of a scenario: vms[].affinity, cpu loads, host.scheduler; what they build and the errors they give. */
import { describe, expect, it } from 'vitest';
import { toWorldConfig } from '../../src/scenario/index.js';
import { edited, errorsOf, scenarioOf } from './helpers.js';

const burner = (s: any, vcpus = 2): void => {
  s.vms.push({ id: 'burn', vcpus, affinity: Array(vcpus).fill(1) });
};

describe('scheduling fields', () => {
  it('build nothing new for a scenario without them (the dedicated scheduler, as before)', () => {
    const config = toWorldConfig(scenarioOf(edited(() => undefined)));
    expect(config.scheduler).toBeUndefined();
    expect(config.cpu).toBeUndefined();
    expect(config.vms[0]!.vcpus ?? 1).toBe(1);
  });

  it('pick the credit scheduler with a 30 ms slice and the wake boost once there are CPU loads, one load per VP', () => {
    const config = toWorldConfig(
      scenarioOf(
        edited((s) => {
          burner(s);
          s.cpu = [{ vm: 'burn', dutyPercent: 50, burst: '5ms' }];
        }),
      ),
    );
    expect(config.scheduler).toEqual({ kind: 'credit', sliceNs: 30_000_000, wakeBoost: true });
    expect(config.cpu).toEqual([
      { vm: 'burn', vp: 0, dutyPercent: 50, burstNs: 5_000_000, startNs: 0 },
      { vm: 'burn', vp: 1, dutyPercent: 50, burstNs: 5_000_000, startNs: 0 },
    ]);
    expect(config.vms[1]).toMatchObject({ vcpus: 2, affinity: [1, 1] });
  });

  it('take a slice and the boost from host.scheduler', () => {
    const config = toWorldConfig(scenarioOf(edited((s) => (s.host.scheduler = { kind: 'credit', slice: '10ms', wakeBoost: false }))));
    expect(config.scheduler).toEqual({ kind: 'credit', sliceNs: 10_000_000, wakeBoost: false });
  });

  it("refuse a slice below Xen's 100 µs rate limit or above its 1,000 ms (an audit's 1 ns slice ran for hours), and take the bounds", () => {
    for (const slice of ['1ns', '99us', '1001ms']) {
      expect(errorsOf(edited((s) => (s.host.scheduler = { slice })))[0]).toMatchObject({ path: 'host.scheduler.slice', found: JSON.stringify(slice) });
    }
    expect(toWorldConfig(scenarioOf(edited((s) => (s.host.scheduler = { slice: '100us' })))).scheduler?.sliceNs).toBe(100_000);
    expect(toWorldConfig(scenarioOf(edited((s) => (s.host.scheduler = { slice: '1000ms' })))).scheduler?.sliceNs).toBe(1_000_000_000);
  });

  it('refuse a time slice of 0', () => {
    expect(errorsOf(edited((s) => (s.host.scheduler = { slice: 0 })))[0]).toMatchObject({ path: 'host.scheduler.slice', found: '0' });
  });

  it('refuse more than four virtual processors (seed 004)', () => {
    expect(errorsOf(edited((s) => (s.vms[0].vcpus = 5)))[0]).toMatchObject({ path: 'vms.0.vcpus', found: '5' });
  });

  it('refuse an affinity that does not name one LP of the host per VP', () => {
    const short = errorsOf(
      edited((s) => {
        burner(s, 2);
        s.vms[1].affinity = [1];
      }),
    );
    expect(short[0]).toMatchObject({ path: 'vms.1.affinity', found: '1 LP number for 2 VPs', allowed: 'one LP number per virtual processor: 2' });
    const far = errorsOf(edited((s) => (s.vms[0].affinity = [4])));
    expect(far[0]).toMatchObject({ path: 'vms.0.affinity.0', found: 'LP 4', allowed: 'an LP of the host: 0..3 (host.logicalProcessors is 4)' });
  });

  it('refuse a CPU load on a VM or VP that does not exist, or twice on one VP', () => {
    expect(errorsOf(edited((s) => (s.cpu = [{ vm: 'nope' }])))[0]).toMatchObject({ path: 'cpu.0.vm', found: '"nope" (no VM has this id)' });
    expect(errorsOf(edited((s) => (s.cpu = [{ vm: 'vm1', vp: 1 }])))[0]).toMatchObject({ path: 'cpu.0.vp', found: 'VP 1', allowed: "a VP of VM 'vm1': 0..0 (its vcpus is 1)" });
    expect(errorsOf(edited((s) => (s.cpu = [{ vm: 'vm1' }, { vm: 'vm1', vp: 0 }])))[0]).toMatchObject({ path: 'cpu.1' });
  });

  it('put a root load on the root\'s VP of every LP, or of the one it names', () => {
    const config = toWorldConfig(scenarioOf(edited((s) => (s.cpu = [{ vm: 'root', dutyPercent: 25 }]))));
    expect(config.cpu!.map((c) => `${c.vm}/${c.vp}`)).toEqual(['root/0', 'root/1', 'root/2', 'root/3']);
    expect(errorsOf(edited((s) => (s.cpu = [{ vm: 'root', vp: 4 }])))[0]).toMatchObject({ path: 'cpu.0.vp', found: 'VP 4', allowed: 'a VP of the root: 0..3 (one per logical processor)' });
  });

  it('refuse a load with no end in a scenario with no I/O to wait for', () => {
    const errors = errorsOf(
      edited((s) => {
        s.workloads = [];
        s.cpu = [{ vm: 'vm1' }];
      }),
    );
    expect(errors[0]).toMatchObject({ path: 'cpu.0.duration' });
    expect(() =>
      scenarioOf(
        edited((s) => {
          s.workloads = [];
          s.cpu = [{ vm: 'vm1', duration: '100ms' }];
        }),
      ),
    ).not.toThrow();
  });

  it('refuse CPU loads under the dedicated scheduler', () => {
    const errors = errorsOf(
      edited((s) => {
        s.host.scheduler = { kind: 'dedicated' };
        s.cpu = [{ vm: 'vm1' }];
      }),
    );
    expect(errors[0]).toMatchObject({ path: 'host.scheduler.kind', found: '"dedicated" with 1 CPU load' });
  });
});
