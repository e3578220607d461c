/**
 * A scenario's life-cycle action on a VM the cluster holds: Hyper-V takes no
 * state change of a VM while it live-migrates (or is backed up), nor of one
 * whose host is down; the action is refused (4097, row h.2) and the VM's
 * life cycle and its cluster state never disagree.
 */
import { describe, expect, it } from 'vitest';
import type { HvRecord } from '../../src/model/trace-events.js';
import { runScenario, validateScenario } from '../../src/scenario/index.js';

function run(actions: Record<string, unknown>[]) {
  const result = validateScenario({
    version: 1,
    name: 'busy',
    host: { disks: [{ id: 'd1', kind: 'hdd', sizeGiB: 200 }] },
    vms: [{ id: 'a', memoryMiB: 1024, disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1', sizeGiB: 40 } }] }],
    cluster: { platform: 'hyperv-2008-r2', hosts: [{ id: 'h1' }, { id: 'h2' }, { id: 'h3' }], vms: [{ vm: 'a', host: 'h1' }], storage: { kind: 'csv' }, migrationNetwork: { gbps: 1 } },
    actions,
    limits: { until: '200s' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const r = runScenario(result.scenario);
  const of = <K extends HvRecord['kind']>(kind: K) => r.records.filter((x): x is Extract<HvRecord, { kind: K }> => x.kind === kind);
  return { r, of, f: r.figures as any };
}

describe('life-cycle actions on a VM the cluster holds', () => {
  it('a save during a live migration is refused; the migration moves a running VM and it runs on the target', () => {
    const { of, f } = run([
      { at: '1s', do: 'live-migrate', vm: 'a', to: 'h2' },
      { at: '2s', do: 'save', vm: 'a' },
    ]);
    const refused = of('vm.action.refused');
    expect(refused.map((x) => [x.action, x.code])).toEqual([['save', 4097]]);
    expect(refused[0]!.why).toMatch(/migration or backup of the VM is under way/);
    expect(f.migrations[0].outcome).toBe('completed');
    expect(f.vms.a.saves).toBe(0);
    expect(f.vms.a.state).toBe('Running');
    const last = of('cluster.vm.changed').filter((c) => c.vm === 'a').at(-1)!;
    expect([last.host, last.state]).toEqual(['h2', 'running']);
  });

  it('an action on a VM whose host has failed is refused until the cluster restarts it elsewhere', () => {
    const { of, f } = run([
      { at: '1s', do: 'fail-host', host: 'h1' },
      { at: '2s', do: 'snapshot', vm: 'a' },
    ]);
    // Off with its failed host, not yet declared down: an Off VM takes a snapshot, but not on a dead host.
    const refused = of('vm.action.refused');
    expect(refused.map((x) => x.action)).toEqual(['snapshot']);
    expect(refused[0]!.why).toMatch(/host h1 is down/);
    expect(f.vms.a.snapshots).toEqual([]);
    expect(f.failovers[0].vmsRestarted).toBe(1);
  });
});

describe('a save under way when its host fails', () => {
  it('goes no further: no Saved state in the middle of the restart elsewhere, no save counted, every request completes', () => {
    const result = validateScenario({
      version: 1,
      name: 'mid-save',
      host: { disks: [{ id: 'd1', kind: 'hdd', sizeGiB: 200 }] },
      vms: [{ id: 'a', memoryMiB: 2048, disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1', sizeGiB: 40 } }] }],
      workloads: [{ vm: 'a', disk: 'data', op: 'read', size: '4KiB', count: 100, queueDepth: 2, pattern: 'random' }],
      cluster: { platform: 'hyperv-2008-r2', hosts: [{ id: 'h1' }, { id: 'h2' }, { id: 'h3' }], vms: [{ vm: 'a', host: 'h1' }], storage: { kind: 'csv' } },
      // 2 GiB take ~14 s to save on a 15K RPM disk: h1 fails 2 s in.
      actions: [{ at: '1s', do: 'save', vm: 'a' }, { at: '3s', do: 'fail-host', host: 'h1' }],
      limits: { until: '300s' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const r = runScenario(result.scenario);
    const states = r.records.filter((x) => x.kind === 'vm.state.changed').map((x) => (x as { to: string }).to);
    expect(states).toEqual(['Saving', 'Off', 'Starting', 'Running']);
    const done = r.records.filter((x) => x.kind === 'vm.action.completed') as { t: number; cutShort?: string; state: string }[];
    expect(done).toHaveLength(1);
    expect(done[0]!.cutShort).toMatch(/host failed while it was Saving/);
    // no chunk of memory is written on the dead host after its failure (one per lane may be in hand)
    const afterFailure = r.records.filter((x) => x.kind === 'vm.memory.saved' && x.t > done[0]!.t);
    expect(afterFailure).toEqual([]);
    const f = r.figures as any;
    expect(f.vms.a.saves).toBe(0);
    expect(f.vms.a.state).toBe('Running');
    expect(r.output.completed).toBe(r.output.issued);
  });
});

describe('life-cycle actions once the cluster has lost quorum', () => {
  it('a start of an Off VM is refused: the cluster service stopped, its VMs stay offline, life cycle and cluster agree', () => {
    // h2 and h3 of three fail at 1 s: declaring the first down leaves h1 with 1 vote of 3, and the cluster loses quorum (~5 s).
    // Before: the start at 10 s was taken; b ran for its life cycle while the cluster had it failed, offline, for good.
    const result = validateScenario({
      version: 1,
      name: 'no-quorum',
      host: { disks: [{ id: 'd1', kind: 'hdd', sizeGiB: 200 }] },
      vms: [{ id: 'b', memoryMiB: 256, initialState: 'off', disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1', sizeGiB: 8 } }] }],
      cluster: { platform: 'hyperv-2008-r2', hosts: [{ id: 'h1' }, { id: 'h2' }, { id: 'h3' }], vms: [{ vm: 'b', host: 'h1' }] },
      actions: [
        { at: '1s', do: 'fail-host', host: 'h2' },
        { at: '1s', do: 'fail-host', host: 'h3' },
        { at: '10s', do: 'start', vm: 'b' },
      ],
      limits: { until: '200s' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const r = runScenario(result.scenario);
    const of = <K extends HvRecord['kind']>(kind: K) => r.records.filter((x): x is Extract<HvRecord, { kind: K }> => x.kind === kind);
    expect(of('cluster.quorum.lost')).toHaveLength(1);
    const refused = of('vm.action.refused');
    expect(refused.map((x) => [x.action, x.code])).toEqual([['start', 4097]]);
    expect(refused[0]!.why).toMatch(/quorum/);
    expect((r.figures as any).vms.b.state).toBe('Off');
    expect(of('cluster.vm.changed').filter((c) => c.vm === 'b').at(-1)!.state).toBe('failed');
  });
});
