/**
 * Scenarios the model cannot build or would build wrongly are refused at
 * validation, naming the field: a third IDE disk (one disk per IDE
 * channel), traffic sent to its own NIC, two CPU loads on one root VP, a
 * VM id the host's places use, a CPU burst below 1 µs.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/index.js';
import { edited, errorsOf, scenarioOf } from './helpers.js';

const ideDisk = (id: string) => ({ id, controller: 'ide', backend: { kind: 'fixed-vhd', disk: 'd1', sizeGiB: 1 } });

describe('VM places and devices', () => {
  it('refuses a third IDE disk on a VM, at its controller, and takes two', () => {
    const errors = errorsOf(edited((s) => s.vms[0].disks.push(ideDisk('i1'), ideDisk('i2'), ideDisk('i3'))));
    expect(errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      `vms.0.disks.3.controller: found "ide" (disk 'i3' would be IDE disk 3 of VM 'vm1'), allowed 'scsi': the model puts one disk on each of the 2 IDE channels, so a VM has at most 2 IDE disks`,
    ]);
    const two = scenarioOf(edited((s) => s.vms[0].disks.push(ideDisk('i1'), ideDisk('i2'))));
    expect(() => runScenario(two)).not.toThrow();
  });

  it('refuses traffic addressed to the sending NIC itself', () => {
    const errors = errorsOf(
      edited((s) => {
        s.vms[0].nics = [{ id: 'net', kind: 'synthetic' }];
        s.traffic = [{ vm: 'vm1', nic: 'net', count: 2, to: 'vm1/net' }];
      }),
    );
    expect(errors[0]).toMatchObject({ path: 'traffic.0.to', found: '"vm1/net", the sending NIC itself' });
    expect(errors[0]!.message).toContain('the NIC of another VM');
  });

  it('names the NICs traffic can be sent to, not the sending NIC itself, when to names no NIC', () => {
    const one = errorsOf(
      edited((s) => {
        s.vms[0].nics = [{ id: 'net', kind: 'synthetic' }];
        s.traffic = [{ vm: 'vm1', nic: 'net', count: 2, to: 'zz/net' }];
      }),
    );
    expect(one.map((e) => `${e.path}: ${e.message}`)).toEqual(['traffic.0.to: found "zz/net" (no such NIC), allowed the NIC of another VM (add one), or no to: frames go out to the physical network']);
    const two = errorsOf(
      edited((s) => {
        s.vms[0].nics = [{ id: 'net', kind: 'synthetic' }];
        s.vms.push({ id: 'vm2', nics: [{ id: 'net', kind: 'synthetic' }] });
        s.traffic = [{ vm: 'vm1', nic: 'net', count: 2, to: 'zz/net' }];
      }),
    );
    expect(two.map((e) => `${e.path}: ${e.message}`)).toEqual(["traffic.0.to: found \"zz/net\" (no such NIC), allowed one of 'vm2/net', or no to: frames go out to the physical network"]);
  });

  it('refuses a jumbo frame sent to a legacy NIC, which receives at most 1,518 bytes', () => {
    const errors = errorsOf(
      edited((s) => {
        s.vms[0].nics = [{ id: 'net', kind: 'synthetic' }];
        s.vms.push({ id: 'vm2', integrationServices: false, nics: [{ id: 'net', kind: 'legacy' }] });
        s.traffic = [{ vm: 'vm1', nic: 'net', count: 2, bytes: 9014, to: 'vm2/net' }];
      }),
    );
    expect(errors.map((e) => `${e.path}: ${e.message}`)).toEqual(["traffic.0.bytes: found 9014 to legacy NIC 'vm2/net', allowed at most 1518 bytes: the emulated DEC 21140 receives no jumbo frames"]);
  });

  it('refuses two CPU loads on the same root VP, as it does for a VM', () => {
    const errors = errorsOf(edited((s) => (s.cpu = [{ vm: 'root' }, { vm: 'root', vp: 0 }])));
    expect(errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'cpu.1: found a second load on a VP of the root partition (cpu.0 has one there), allowed one CPU load per virtual processor',
    ]);
    scenarioOf(edited((s) => (s.cpu = [{ vm: 'root', vp: 0 }, { vm: 'root', vp: 1 }])));
  });

  it.each(['root', 'hv', 'hw', 'cluster'])('refuses the VM id %s, which the host\'s places use', (id) => {
    const errors = errorsOf(
      edited((s) => {
        s.vms[0].id = id;
        s.workloads[0].vm = id;
      }),
    );
    expect(errors[0]).toMatchObject({ path: 'vms.0.id', found: `"${id}", a name the host's own places use` });
  });

  it('refuses a CPU burst under 1 µs, with the reason, on a VM and on the root', () => {
    for (const vm of ['vm1', 'root']) {
      const [error] = errorsOf(edited((s) => (s.cpu = [{ vm, burst: 1, dutyPercent: 50 }])));
      expect(error).toMatchObject({ path: 'cpu.0.burst', found: '1' });
      expect(error!.message).toContain('a burst of at least 1 µs');
    }
    scenarioOf(edited((s) => (s.cpu = [{ vm: 'vm1', burst: '1us', dutyPercent: 50 }])));
  });
});
