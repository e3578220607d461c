/**
 * A VM that starts off (`initialState: "off"`) is an offline cluster
 * resource: a backup that needs its guest is refused, and its host's
 * failure neither loses nor restarts it.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, validateScenario } from '../../src/scenario/index.js';

function run(action: object) {
  const vm = (id: string, off: boolean) => ({
    id,
    memoryMiB: 256,
    disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1', sizeGiB: 4 } }],
    ...(off ? { initialState: 'off' } : {}),
  });
  const result = validateScenario({
    version: 1,
    name: 'offline',
    host: { disks: [{ id: 'd1', kind: 'ssd', sizeGiB: 200 }] },
    vms: [vm('a', false), vm('b', true)],
    workloads: [{ vm: 'a', disk: 'data', op: 'read', size: '4KiB', count: 50, pattern: 'random', start: '100ms' }],
    cluster: { platform: 'hyperv-2008-r2', hosts: [{ id: 'h1' }, { id: 'h2' }, { id: 'h3' }], vms: [{ vm: 'a', host: 'h1', dirtyRateMBps: 5 }, { vm: 'b', host: 'h1' }] },
    actions: [{ at: '1s', ...action }],
    limits: { until: '120s' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return runScenario(result.scenario).figures as any;
}

describe('an Off VM at the cluster level', () => {
  it('is not backed up through its guest: the backup is refused and says why', () => {
    const f = run({ do: 'backup', vm: 'b', method: 'in-guest' });
    expect(f.cluster.refusedCount).toBe(1);
    expect(f.cluster.refused[0].why).toMatch(/Off, not running/);
    expect(f.backups ?? []).toEqual([]);
  });

  it('is neither lost nor restarted when its host fails', () => {
    const f = run({ do: 'fail-host', host: 'h1' });
    expect(f.failovers[0].vmsLost).toBe(1);
    expect(f.failovers[0].vmsRestarted).toBe(1);
    expect(Object.keys(f.failovers[0].vms)).toEqual(['a']);
    expect(f.vms.b.state).toBe('Off');
  });
});

describe('an offline VM whose host fails', () => {
  // VM a (detailed host h1) is saved at 1 s; h1 fails at 20 s and is declared down ~24 s; a is restored at 40 s.
  function savedThenFailed() {
    const result = validateScenario({
      version: 1,
      name: 'saved-then-host-fails',
      host: { disks: [{ id: 'd1', kind: 'ssd', sizeGiB: 200 }] },
      vms: [{ id: 'a', memoryMiB: 256, disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1', sizeGiB: 4 } }] }],
      workloads: [{ vm: 'a', disk: 'data', op: 'write', size: '4KiB', count: 50, pattern: 'random', start: '100ms' }],
      cluster: { platform: 'hyperv-2008-r2', hosts: [{ id: 'h1' }, { id: 'h2' }, { id: 'h3' }], vms: [{ vm: 'a', host: 'h1' }], storage: { kind: 'csv' } },
      actions: [
        { at: '1s', do: 'save', vm: 'a' },
        { at: '20s', do: 'fail-host', host: 'h1' },
        { at: '40s', do: 'restore', vm: 'a' },
      ],
      limits: { until: '120s' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return runScenario(result.scenario);
  }

  it('moves to a surviving node and stays offline there; its restore runs there, never on the dead host', () => {
    const r = savedThenFailed();
    const changes = r.records.filter((x) => x.kind === 'cluster.vm.changed') as { t: number; host: string; state: string }[];
    const failedAt = 20e9;
    // Nothing of a runs on h1 once h1 has failed.
    expect(changes.filter((c) => c.t >= failedAt && c.host === 'h1')).toEqual([]);
    expect(changes.map((c) => `${c.host}:${c.state}`)).toEqual(['h1:stopped', 'h2:stopped', 'h2:running']);
    const f = r.figures as any;
    expect(f.failovers[0].vmsLost).toBe(0); // offline: nothing of it ran to be lost, no cold boot
    expect(f.vms.a.state).toBe('Running');
    expect(f.vms.a.restores).toBe(1);
  });
});

describe('quick migration of an Off or Saved VM (a planned move offline)', () => {
  it('moves an Off VM\'s cluster group only: no save, no restore, no outage; it stays Off on the target, where a start runs (Exchange 2010 SP1: "shut down and a cold start")', () => {
    const result = validateScenario({
      version: 1,
      name: 'move-off',
      host: { disks: [{ id: 'd1', kind: 'ssd', sizeGiB: 200 }] },
      vms: [{ id: 'b', memoryMiB: 2048, initialState: 'off', disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1', sizeGiB: 4 } }] }],
      cluster: { platform: 'hyperv-2008', hosts: [{ id: 'h1' }, { id: 'h2' }], vms: [{ vm: 'b', host: 'h1' }] },
      actions: [
        { at: '1s', do: 'quick-migrate', vm: 'b', to: 'h2' },
        { at: '10s', do: 'start', vm: 'b' },
      ],
      limits: { until: '120s' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const run = runScenario(result.scenario, { keepRecords: true });
    const f = run.figures as any;
    expect(f.cluster.refusedCount).toBe(0);
    const m = f.migrations[0];
    expect(m.outcome).toBe('completed');
    expect(m.offline).toBe(true);
    expect(m.saveNs).toBe(0);
    expect(m.restoreNs).toBe(0);
    expect(m.totalBytes).toBe(0);
    expect(m.blackoutNs).toBe(0);
    expect(m.totalNs).toBe(3e9); // the cluster disk moved (lun_move 3 s, lun-per-vm on hyperv-2008)
    expect(m.formulaTotalNs).toBe(m.totalNs);
    expect(f.vms.b.saves).toBe(0);
    expect(f.vms.b.state).toBe('Running');
    const changed = run.records.filter((r) => r.kind === 'cluster.vm.changed' && (r as any).vm === 'b') as any[];
    expect(changed.at(-1).host).toBe('h2');
  });

  it('moves a Saved VM, which stays Saved there; a live migration of it is refused and says to use a quick migration', () => {
    const result = validateScenario({
      version: 1,
      name: 'move-saved',
      host: { disks: [{ id: 'd1', kind: 'ssd', sizeGiB: 200 }] },
      vms: [{ id: 'a', memoryMiB: 256, disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1', sizeGiB: 4 } }] }],
      cluster: { platform: 'hyperv-2008-r2', hosts: [{ id: 'h1' }, { id: 'h2' }], vms: [{ vm: 'a', host: 'h1' }] },
      actions: [
        { at: '1s', do: 'save', vm: 'a' },
        { at: '20s', do: 'live-migrate', vm: 'a', to: 'h2' },
        { at: '21s', do: 'quick-migrate', vm: 'a', to: 'h2' },
      ],
      limits: { until: '60s' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const f = runScenario(result.scenario).figures as any;
    expect(f.cluster.refusedCount).toBe(1);
    expect(f.cluster.refused[0].why).toMatch(/Saved .*quick migration moves an Off or Saved one/);
    expect(f.migrations[0].method).toBe('quick');
    expect(f.migrations[0].outcome).toBe('completed');
    expect(f.migrations[0].totalNs).toBe(200e6); // CSV: the owner moves
    expect(f.vms.a.state).toBe('Saved');
    expect(f.vms.a.saves).toBe(1);
  });
});
