/**
 * Issue 15's bar, checked on held-out cases (values no default was tuned
 * on): migrations across memory sizes (512 MiB to 8 GiB), dirty rates and
 * link speeds (1 and 10 GbE), for each real stop rule (Hyper-V R2 10
 * passes, WS2012 R2 5, vMotion on vSphere 4 and 5 with SDPS): total time
 * and blackout within 10 % of the pre-copy closed form for the same rule;
 * the published anchors (512 MB on 1 GbE in about 7 s at 119.5 MB/s;
 * 10 GbE up to 82 % shorter); quick migration (through the life cycle)
 * tens of seconds for 2 GiB, growing with memory, within 10 % of
 * M / B_write + T_lun + M / B_read; a host failure detected near 5 s
 * (Windows failover cluster 1 s x 5; VMware HA 4.x 15 s), then the restart.
 */
import { describe, expect, it } from 'vitest';
import { clusterDefault } from '../../src/model/cluster/cluster-costs.js';
import { closedFormPrecopy, precopyRule } from '../../src/model/cluster/precopy.js';
import { runScenario, validateScenario } from '../../src/scenario/index.js';

type Platform = 'hyperv-2008-r2' | 'hyperv-2012-r2' | 'vsphere-4' | 'vsphere-5';

function move(memoryMiB: number, dirtyRateMBps: number, gbps: number, platform: Platform) {
  const method = platform.startsWith('vsphere') ? 'vmotion' : 'live-migrate';
  const result = validateScenario({
    version: 1,
    name: 'bar',
    vms: [{ id: 'vm', memoryMiB }],
    cluster: { platform, hosts: [{ id: 'a' }, { id: 'b' }], vms: [{ vm: 'vm', host: 'a', dirtyRateMBps }], migrationNetwork: { gbps } },
    actions: [{ at: '1s', do: method, vm: 'vm', to: 'b' }],
    limits: { until: '7200s' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const run = runScenario(result.scenario, { keepRecords: false });
  const m = (run.figures['migrations'] as Record<string, any>[])[0]!;
  const cluster = run.config.cluster!;
  const vm = cluster.vms[0]!;
  const rule = precopyRule(method === 'vmotion' ? 'vmotion' : 'live', platform, cluster.network, null);
  return { m, formula: closedFormPrecopy(vm.memoryBytes, vm.dirtyBytesPerS, vm.workingSetBytes, cluster.network.bytesPerS, rule), bytesPerS: cluster.network.bytesPerS };
}

const within = (actual: number, expected: number, percent: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual((Math.abs(expected) * percent) / 100 + 1);
};

describe('held-out migrations against the closed form of the same stop rule', () => {
  const cases: [number, number, number, Platform][] = [];
  for (const memoryMiB of [512, 1024, 3072, 8192])
    for (const dirty of [0, 25, 80, 130, 260])
      for (const gbps of [1, 10]) for (const platform of ['hyperv-2008-r2', 'hyperv-2012-r2', 'vsphere-4', 'vsphere-5'] as const) cases.push([memoryMiB, dirty, gbps, platform]);

  it.each(cases)('%i MiB, %i MB/s dirty, %i GbE, %s: total and blackout within 10 %%', (memoryMiB, dirty, gbps, platform) => {
    const { m, formula } = move(memoryMiB, dirty, gbps, platform);
    // vSphere 4 gives up a vMotion whose pre-copy makes no forward progress (the VM stays where it was, never paused).
    expect(m.outcome).toBe(formula.failed ? 'failed' : 'completed');
    if (formula.failed) expect(m.blackoutNs).toBe(0);
    within(m.totalNs, formula.totalNs, 10);
    within(m.blackoutNs, formula.blackoutNs, 10);
    expect(m.capped).toBe(formula.capped);
  });
});

describe('a guest dirtying memory faster than the link sends it', () => {
  it('vSphere 4 fails the vMotion after pass 2 (no forward progress) and the VM runs on, never paused; vSphere 5 converges it with SDPS; Hyper-V R2 suspends it after 10 passes', () => {
    const v4 = move(4096, 260, 1, 'vsphere-4');
    expect(v4.formula.failed).toBe(true);
    expect(v4.m).toMatchObject({ outcome: 'failed', passCount: 2, blackoutNs: 0 });
    const v5 = move(4096, 260, 1, 'vsphere-5');
    expect(v5.m).toMatchObject({ outcome: 'completed', converged: true });
    const r2 = move(4096, 260, 1, 'hyperv-2008-r2');
    expect(r2.m).toMatchObject({ outcome: 'completed', capped: true, passCount: 10 });
  });
});

describe('published anchors', () => {
  it('512 MB on 1 GbE: about 7 s at about 119.5 MB/s (Finn)', () => {
    const { m, bytesPerS } = move(512, 0, 1, 'hyperv-2008-r2');
    within(bytesPerS, 119.5e6, 1);
    within(m.totalNs, 7e9, 10);
  });

  it('10 GbE cuts the time of 4-32 GiB VMs by up to 82 % (IBM/NetApp/Intel), never much more', () => {
    const cuts = [4096, 8192, 16384, 32768].map((mib) => 1 - move(mib, 10, 10, 'hyperv-2008-r2').m.totalNs / move(mib, 10, 1, 'hyperv-2008-r2').m.totalNs);
    expect(Math.max(...cuts)).toBeGreaterThan(0.78);
    expect(Math.max(...cuts)).toBeLessThanOrEqual(0.85);
  });
});

describe('quick migration and host failure', () => {
  const quick = (memoryMiB: number) => {
    const result = validateScenario({
      version: 1,
      name: 'q',
      host: { disks: [{ id: 'lun', kind: 'hdd', sizeGiB: 100 }] },
      vms: [{ id: 'vm', memoryMiB, disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'lun', sizeGiB: 20 } }] }],
      cluster: { hosts: [{ id: 'a' }, { id: 'b' }], vms: [{ vm: 'vm', host: 'a' }], storage: { kind: 'lun-per-vm' } },
      actions: [{ at: '1s', do: 'quick-migrate', vm: 'vm', to: 'b' }],
      limits: { until: '600s' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return (runScenario(result.scenario, { keepRecords: false }).figures['migrations'] as Record<string, any>[])[0]!;
  };

  it('quick migration through the life cycle: 2 GiB tens of seconds, growing with memory, within 10 % of the closed form', () => {
    const ms: Record<string, any>[] = [1024, 2048, 4096].map(quick);
    for (const m of ms) {
      expect(m.throughLifecycle).toBe(true);
      within(m.totalNs, m.formulaTotalNs, 10);
      expect(m.blackoutNs).toBe(m.totalNs);
    }
    expect(ms[1]!.blackoutNs).toBeGreaterThan(20e9);
    expect(ms[1]!.blackoutNs).toBeLessThan(60e9);
    expect(ms[0]!.blackoutNs).toBeLessThan(ms[1]!.blackoutNs);
    expect(ms[1]!.blackoutNs).toBeLessThan(ms[2]!.blackoutNs);
  });

  it.each([
    ['hyperv-2008-r2', 5e9],
    ['vsphere-4', 15e9],
  ] as const)('%s: a failed host is detected after its heartbeats (%d ns), then its VM restarts', (platform, detect) => {
    const result = validateScenario({
      version: 1,
      name: 'f',
      vms: [{ id: 'vm', memoryMiB: 2048 }],
      cluster: { platform, hosts: [{ id: 'a' }, { id: 'b' }], vms: [{ vm: 'vm', host: 'a' }] },
      actions: [{ at: '2300ms', do: 'fail-host', host: 'a' }],
      limits: { until: '600s' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const f = (runScenario(result.scenario, { keepRecords: false }).figures['failovers'] as Record<string, any>[])[0]!;
    // heartbeats every second: declared down between threshold - 1 and threshold seconds after the failure
    expect(f.detectionNs).toBeGreaterThan(detect - 1e9);
    expect(f.detectionNs).toBeLessThanOrEqual(detect);
    expect(f.vmsRestarted).toBe(1);
    // the restart: placement, the LUN online, the guest's cold boot
    expect(f.restartNs).toBeGreaterThanOrEqual(clusterDefault('ha_placement') + clusterDefault('guest_boot'));
    expect(f.downtimeNs).toBe(f.detectionNs + f.restartNs);
  });
});
