/**
 * Quick migration, host failure and restart, the Exchange copy group, clients
 * and backups at the cluster level: figures against the reference's numbers
 * (rows c.2, d.2, e.2) and the mechanism's own arithmetic.
 */
import { describe, expect, it } from 'vitest';
import { clusterDefault } from '../../src/model/cluster/cluster-costs.js';
import { bundledScenario, runScenario, validateScenario } from '../../src/scenario/index.js';

function run(s: Record<string, unknown>) {
  const result = validateScenario({ version: 1, name: 't', limits: { until: '1200s' }, ...s });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return runScenario(result.scenario);
}
const fig = (r: ReturnType<typeof run>, part: string): any => r.figures[part];

function quick(memoryMiB: number, storage: 'lun-per-vm' | 'csv' = 'lun-per-vm') {
  const r = run({
    vms: [{ id: 'vm', memoryMiB }],
    cluster: { hosts: [{ id: 'a' }, { id: 'b' }], vms: [{ vm: 'vm', host: 'a' }], storage: { kind: storage }, clients: [{ id: 'c', vm: 'vm' }] },
    actions: [{ at: '1s', do: 'quick-migrate', vm: 'vm', to: 'b' }],
  });
  return { m: fig(r, 'migrations')[0], clients: fig(r, 'clients'), r };
}

describe('quick migration', () => {
  it('keeps a 2 GiB VM offline for tens of seconds: save + LUN move + provision + restore (facts §7.2: about 30 s)', () => {
    const { m, clients } = quick(2048);
    expect(m.blackoutNs).toBe(m.totalNs);
    expect(m.totalNs).toBeGreaterThan(20e9);
    expect(m.totalNs).toBeLessThan(40e9);
    expect(m.saveNs).toBe(m.restoreNs);
    expect(m.saveNs).toBeCloseTo((2048 * 2 ** 20 * 1e9) / 150e6, -4);
    expect(m.moveNs).toBe(clusterDefault('lun_move') + clusterDefault('vm_provision'));
    expect(Math.abs(m.totalNs - m.formulaTotalNs) / m.formulaTotalNs).toBeLessThan(0.001);
    expect(clients.c.drops).toBe(1); // 30 s passes the 20 s TCP timeout
  });

  it('grows with memory, in proportion once the fixed moves are set aside', () => {
    const times = [512, 1024, 2048, 4096].map((mib) => quick(mib).m.totalNs);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
    const fixed = clusterDefault('lun_move') + clusterDefault('vm_provision');
    expect((times[3]! - fixed) / (times[1]! - fixed)).toBeCloseTo(4, 3);
  });

  it('on a Cluster Shared Volume only the owner moves, not the LUN', () => {
    expect(quick(2048).m.totalNs - quick(2048, 'csv').m.totalNs).toBe(clusterDefault('lun_move') - clusterDefault('csv_owner_move'));
  });

  it('records one chunk of saved memory per 256 MiB, never one per page', () => {
    const { r } = quick(2048);
    expect(r.records.filter((x) => x.kind === 'cluster.state.chunk')).toHaveLength(16);
  });
});

describe('quick migration under a host failure (no life cycle): the VM is never left saved or moving', () => {
  /** A 2 GiB VM quick-migrated a → b at 1 s (its save ends at 15.3 s, the LUN move at 18.3 s), and `host` failing at `at`; three hosts. */
  const underFailure = (host: string, at: string) => {
    const r = run({
      vms: [{ id: 'vm', memoryMiB: 2048 }],
      cluster: { hosts: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], vms: [{ vm: 'vm', host: 'a' }], storage: { kind: 'lun-per-vm' }, clients: [{ id: 'u', vm: 'vm' }] },
      actions: [
        { at: '1s', do: 'quick-migrate', vm: 'vm', to: 'b' },
        { at, do: 'fail-host', host },
      ],
    });
    const states = r.records.filter((x) => x.kind === 'cluster.vm.changed') as unknown as { state: string; host: string }[];
    return { m: fig(r, 'migrations')[0], clients: fig(r, 'clients'), failovers: fig(r, 'failovers'), last: states.at(-1)!, r };
  };
  const save = (2048 * 2 ** 20 * 1e9) / 150e6;

  it('the target fails during the save: the VM is restored on the source from its saved state, and the client counts the whole outage', () => {
    const { m, clients, failovers, last } = underFailure('b', '5s');
    expect(m.outcome).toBe('aborted');
    expect(last).toMatchObject({ state: 'running', host: 'a' });
    expect(failovers[0].vmsLost).toBe(0);
    // Offline from the save's start to the restore's end: save + restore, no move.
    expect(clients.u.gaps).toBe(1);
    expect(clients.u.longestGapNs).toBeGreaterThan(2 * save);
    expect(clients.u.longestGapNs).toBeLessThan(2 * save + 1e9);
  });

  it('the target fails during the LUN move: the disk comes back, then the restore on the source', () => {
    const { last, clients } = underFailure('b', '16s');
    expect(last).toMatchObject({ state: 'running', host: 'a' });
    expect(clients.u.longestGapNs).toBeGreaterThan(2 * save + 2 * clusterDefault('lun_move'));
  });

  it('the source fails during the save, or the target during the restore there: the failover restarts the VM', () => {
    for (const [host, at] of [['a', '5s'], ['b', '25s']] as const) {
      const { failovers, last } = underFailure(host, at);
      expect(failovers[0].vmsLost).toBe(1);
      expect(failovers[0].vmsRestarted).toBe(1);
      expect(last.state).toBe('running');
    }
  });
});

function failure(at: string, ha?: 'windows-failover-cluster' | 'vmware-ha', extra: Record<string, unknown> = {}) {
  const r = run({
    vms: [{ id: 'vm', memoryMiB: 1024 }, { id: 'other', memoryMiB: 1024 }],
    cluster: { hosts: [{ id: 'a' }, { id: 'b' }], vms: [{ vm: 'vm', host: 'a' }, { vm: 'other', host: 'b' }], ...(ha === undefined ? {} : { ha }), ...extra },
    actions: [{ at, do: 'fail-host', host: 'a' }],
  });
  return { f: fig(r, 'failovers')[0], r };
}

describe('host failure', () => {
  it.each(['10s', '10.001s', '10.5s', '10.999s'])('failing at %s, WSFC declares the host down at its 5th missed heartbeat of 1 s: within [4 s, 5 s)', (at) => {
    const { f } = failure(at);
    expect(f.detectionNs).toBeGreaterThanOrEqual(4e9);
    expect(f.detectionNs).toBeLessThan(5e9);
  });

  it("shows in the VM's own state: Off with its host, Starting while HA boots it elsewhere, then Running", () => {
    const { r } = failure('10.5s');
    const states = r.records.flatMap((x) => (x.kind === 'vm.state.changed' && x.vm === 'vm' ? [[x.from, x.to]] : []));
    expect(states).toEqual([
      ['Running', 'Off'],
      ['Off', 'Starting'],
      ['Starting', 'Running'],
    ]);
    // The VM on the surviving host is untouched.
    expect(r.records.some((x) => x.kind === 'vm.state.changed' && x.vm === 'other')).toBe(false);
  });

  it('restarts the VM on the other host after detection, placement and a cold boot', () => {
    const { f } = failure('10.5s');
    expect(f.vms.vm.host).toBe('b');
    expect(f.restartNs).toBe(clusterDefault('ha_placement') + clusterDefault('guest_boot'));
    expect(f.downtimeNs).toBe(f.detectionNs + f.restartNs);
  });

  it('with one LUN per VM, the LUN is brought online on the new host first', () => {
    const { f } = failure('10.5s', undefined, { storage: { kind: 'lun-per-vm' } });
    expect(f.restartNs).toBe(clusterDefault('ha_placement') + clusterDefault('lun_move') + clusterDefault('guest_boot'));
  });

  it('VMware HA takes its own 15 s (das.failuredetectiontime)', () => {
    const { f } = failure('10.5s', 'vmware-ha');
    expect(f.detectionNs).toBeGreaterThan(14e9);
    expect(f.detectionNs).toBeLessThanOrEqual(15e9);
  });

  it('heartbeats are coarse: one record per round, and they stop when the cluster has nothing left to do', () => {
    const { r } = failure('10.5s');
    const rounds = r.records.filter((x) => x.kind === 'cluster.heartbeat.round');
    expect(rounds.length).toBeGreaterThan(50);
    expect(rounds.length).toBeLessThan(70);
    expect(r.output.stop).toBe('empty');
  });

  it('aborts a live migration whose target fails under it, and says so', () => {
    const r = run({
      vms: [{ id: 'vm', memoryMiB: 4096 }],
      cluster: { hosts: [{ id: 'a' }, { id: 'b' }], vms: [{ vm: 'vm', host: 'a' }] },
      actions: [
        { at: '1s', do: 'live-migrate', vm: 'vm', to: 'b' },
        { at: '10s', do: 'fail-host', host: 'b' },
        { at: '100s', do: 'live-migrate', vm: 'vm', to: 'b' },
      ],
    });
    const m = fig(r, 'migrations');
    expect(m[0].outcome).toBe('aborted');
    // It ends when the cluster declares b down (within 5 s of 10 s), not when its 36 s first pass would have.
    const ended = r.records.find((x) => x.kind === 'cluster.migration.completed')!.t;
    const declared = r.records.find((x) => x.kind === 'cluster.host.declared-down')!.t;
    expect(ended).toBe(declared);
    expect(ended).toBeLessThan(15e9);
    expect(r.records.find((x) => x.kind === 'cluster.vm.changed' && x.state !== 'running')).toBeUndefined();
    const refused = fig(r, 'cluster').refused;
    expect(refused).toEqual([{ action: 'live-migrate', vm: 'vm', host: 'b', why: 'the target host b is down' }]);
  });
});

describe('clients and the Exchange copy group', () => {
  it("a live migration's blackout shorter than the heartbeat evicts nobody; a quick migration evicts the DAG member and moves its databases", () => {
    const base = {
      vms: [{ id: 'm1', memoryMiB: 2048 }, { id: 'm2', memoryMiB: 2048 }],
      cluster: {
        hosts: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
        vms: [{ vm: 'm1', host: 'a' }, { vm: 'm2', host: 'b' }],
        exchange: { kind: 'dag', version: '2010-sp1', members: ['m1', 'm2'] },
        clients: [{ id: 'outlook', exchange: true }],
      },
    };
    const live = run({ ...base, actions: [{ at: '1s', do: 'live-migrate', vm: 'm1', to: 'c' }] });
    expect(fig(live, 'databases')).toBeUndefined();
    expect(fig(live, 'clients').outlook.drops).toBe(0);
    expect(fig(live, 'clients').outlook.longestGapNs).toBeLessThanOrEqual(1e9); // one unanswered poll of 500 ms
    const q = run({ ...base, actions: [{ at: '1s', do: 'quick-migrate', vm: 'm1', to: 'c' }] });
    const db = fig(q, 'databases')[0];
    expect(db.to).toBe('m2');
    expect(db.detectionNs).toBeGreaterThanOrEqual(4e9);
    expect(db.detectionNs).toBeLessThan(5e9);
    expect(db.failoverNs).toBe(clusterDefault('dag_failover'));
  });
});

describe('backup', () => {
  const backup = (vm: Record<string, unknown>, method: string, platform = 'hyperv-2008-r2', place: Record<string, unknown> = {}) => {
    const r = run({
      ...(vm['disks'] === undefined ? {} : { host: { disks: [{ id: 'd1', kind: 'hdd' }] } }),
      vms: [{ id: 'vm', memoryMiB: 2048, ...vm }],
      cluster: { platform, hosts: [{ id: 'a' }, { id: 'b' }], vms: [{ vm: 'vm', host: 'a', ...place }], exchange: platform.startsWith('vsphere') ? undefined : { kind: 'dag', version: '2010-sp1', members: ['vm'] } },
      actions: [{ at: '1s', do: 'backup', vm: 'vm', method }],
    });
    return { b: fig(r, 'backups')?.[0], c: fig(r, 'cluster') };
  };

  it('host VSS with the backup integration service: online, writers frozen seconds, Exchange logs truncated', () => {
    const { b } = backup({}, 'host-vss');
    expect(b.method).toBe('host-vss');
    expect(b.downtimeNs).toBe(0);
    expect(b.freezeNs).toBe(clusterDefault('vss_freeze_writers') + clusterDefault('vss_commit'));
    expect(b.freezeNs).toBeLessThan(clusterDefault('vss_flush_hold_limit'));
    expect(b.logsTruncated).toBe(true);
  });

  it('without integration services: saved state, offline while memory is saved and restored, no truncation', () => {
    const { b } = backup({ integrationServices: false }, 'host-vss');
    expect(b.method).toBe('saved-state');
    expect(b.downtimeNs).toBe(Math.ceil((2048 * 2 ** 20 * 1e9) / 150e6) * 2 + clusterDefault('vss_commit'));
    expect(b.logsTruncated).toBe(false);
  });

  it('refuses host-side backup of a pass-through disk', () => {
    const { b, c } = backup({ disks: [{ id: 'x', controller: 'scsi', backend: { kind: 'passthrough', disk: 'd1' } }] }, 'host-vss');
    expect(b).toBeUndefined();
    expect(c.refused[0].why).toContain('pass-through');
  });

  it('VCB: a virtual-mode RDM is in the VMFS snapshot, a physical-mode one is not', () => {
    const place = (rdm: string) => ({ dataGiB: 10, rdm, rdmGiB: 8 });
    expect(backup({}, 'vcb', 'vsphere-5', place('virtual')).b.protectedBytes).toBe(10 * 2 ** 30);
    expect(backup({}, 'vcb', 'vsphere-5', place('physical')).b.protectedBytes).toBe(2 * 2 ** 30);
  });
});

describe('determinism', () => {
  it('the same cluster scenario gives the same fingerprint', () => {
    const s = {
      vms: [{ id: 'vm', memoryMiB: 2048 }],
      cluster: { hosts: [{ id: 'a' }, { id: 'b' }], vms: [{ vm: 'vm', host: 'a', dirtyRateMBps: 30 }], clients: [{ id: 'c', vm: 'vm' }] },
      actions: [{ at: '1s', do: 'live-migrate', vm: 'vm', to: 'b' }, { at: '60s', do: 'fail-host', host: 'b' }],
    };
    expect(run(s).fingerprint).toBe(run(s).fingerprint);
  });
});

describe('defaults', () => {
  it('every cluster default has a source and a range that holds it', async () => {
    const { CLUSTER_DEFAULTS } = await import('../../src/model/cluster/cluster-costs.js');
    for (const [id, d] of Object.entries(CLUSTER_DEFAULTS)) {
      expect(d.source.length, id).toBeGreaterThan(10);
      expect(d.value, id).toBeGreaterThanOrEqual(d.range[0]);
      expect(d.value, id).toBeLessThanOrEqual(d.range[1]);
    }
  });
});

describe('a dirty rate taken from the workloads', () => {
  it("follows what the VM's write workload writes on the detailed host, pass by pass, and converges once it stops", () => {
    const r = run({
      host: { disks: [{ id: 'd1', kind: 'hdd', writeCache: true }] },
      vms: [{ id: 'db', memoryMiB: 256, disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }] }],
      workloads: [{ vm: 'db', disk: 'data', op: 'write', size: '1MiB', pattern: 'sequential', queueDepth: 2, count: 700 }],
      cluster: { hosts: [{ id: 'a' }, { id: 'b' }], vms: [{ vm: 'db', host: 'a', dirtyRateMBps: 'workloads' }] },
      actions: [{ at: '100ms', do: 'live-migrate', vm: 'db', to: 'b' }],
    });
    const m = fig(r, 'migrations')[0];
    const path = r.paths[0]!;
    // while the workload runs, the guest dirties what it writes (its measured throughput)
    expect(Math.abs(m.passes[0].dirtyBytesPerS - path.throughputBytesPerS) / path.throughputBytesPerS).toBeLessThan(0.2);
    expect(m.passes[0].dirtiedBytes).toBeGreaterThan(0);
    expect(m.passes[m.passes.length - 1].dirtyBytesPerS).toBe(0);
    expect(m.converged).toBe(true);
  });

  it('resends what the guest wrote during a pass in the next one, even when it stopped writing before that pass ended', () => {
    // 1,200 writes of 1 MiB (about 8 s) end long before the first pass (2 GiB at 1 Gb/s, about 18 s after
    // 2.5 s of setup) does; what they wrote before the pass began is sent by it.
    const r = run({
      host: { disks: [{ id: 'd1', kind: 'hdd', writeCache: true }] },
      vms: [{ id: 'db', memoryMiB: 2048, disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }] }],
      workloads: [{ vm: 'db', disk: 'data', op: 'write', size: '1MiB', pattern: 'sequential', queueDepth: 2, count: 1200 }],
      cluster: { hosts: [{ id: 'a' }, { id: 'b' }], vms: [{ vm: 'db', host: 'a', dirtyRateMBps: 'workloads' }] },
      actions: [{ at: '1ms', do: 'live-migrate', vm: 'db', to: 'b' }],
    });
    const m = fig(r, 'migrations')[0];
    expect(r.paths[0]!.requests).toBe(1200);
    expect(m.passes[0].durationNs).toBeGreaterThan(10e9);
    expect(m.passes[0].dirtiedBytes).toBeGreaterThan(300 * 2 ** 20);
    expect(m.passes.length).toBe(2);
    expect(m.passes[1].sentBytes).toBe(m.passes[0].dirtiedBytes);
    expect(m.passes[1].dirtiedBytes).toBe(0);
    expect(m.converged).toBe(true);
  });

  it("refuses 'workloads' for a VM without a write workload", () => {
    const result = validateScenario({ version: 1, name: 't', vms: [{ id: 'vm' }], cluster: { hosts: [{ id: 'a' }, { id: 'b' }], vms: [{ vm: 'vm', host: 'a', dirtyRateMBps: 'workloads' }] } });
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['cluster.vms.0.dirtyRateMBps']);
  });
});

describe('a host failure under an operation of its VM', () => {
  /** The bundled `name` with its actions replaced (and claims dropped: they are about its own actions). */
  function withActions(name: string, actions: Record<string, unknown>[]) {
    const s = JSON.parse(bundledScenario(name)!.text) as Record<string, unknown>;
    delete s['claims'];
    return run({ ...s, actions, limits: { until: '400s' } });
  }

  it('the source failing under a quick migration aborts it: the VM is cold-booted once by the failover, never also restored from its lost save', () => {
    const r = withActions('live-vs-quick-migration', [
      { at: '1s', do: 'quick-migrate', vm: 'web', to: 'h2' },
      { at: '5s', do: 'fail-host', host: 'h1' },
    ]);
    expect(fig(r, 'migrations')[0].outcome).toBe('aborted');
    const restores = r.records.filter((x) => x.kind === 'vm.action.requested' && (x as { action?: string }).action === 'restore');
    expect(restores).toEqual([]);
    const restarted = r.records.filter((x) => x.kind === 'cluster.vm.restarted' && (x as { vm?: string }).vm === 'web');
    expect(restarted).toHaveLength(1);
    expect(fig(r, 'vms').web.state).toBe('Running');
    expect(r.output.completed).toBe(r.output.issued);
  });

  it('a backup whose host fails under it ends there, aborted: nothing protected, no logs truncated', () => {
    const r = withActions('vss-backup', [
      { at: '1s', do: 'backup', vm: 'legacy' },
      { at: '5s', do: 'fail-host', host: 'h1' },
    ]);
    const b = fig(r, 'backups')[0];
    expect(b).toMatchObject({ vm: 'legacy', outcome: 'aborted', protectedBytes: 0, logsTruncated: false });
    expect(fig(r, 'vms').legacy.state).toBe('Running');
  });
});

describe("a VM's own life cycle at the cluster level", () => {
  function vssBackupWith(actions: Record<string, unknown>[]) {
    const s = JSON.parse(bundledScenario('vss-backup')!.text) as Record<string, unknown>;
    delete s['claims'];
    return run({ ...s, actions });
  }

  it('a DAG member its scenario saves stops serving: the group evicts it and mounts the databases on the other copy', () => {
    const r = vssBackupWith([
      { at: '1s', do: 'save', vm: 'mbx' },
      { at: '80s', do: 'restore', vm: 'mbx' },
    ]);
    const db = fig(r, 'databases');
    expect(db).toHaveLength(1);
    expect(db[0]).toMatchObject({ from: 'mbx', to: 'mbx2' });
    expect(fig(r, 'clients')['mail-user'].gaps).toBe(1);
    expect(r.output.completed).toBe(r.output.issued);
  });

  it('a backup of a VM its scenario saved is refused, saying why, instead of running as an online snapshot', () => {
    const r = vssBackupWith([
      { at: '500ms', do: 'save', vm: 'mbx' },
      { at: '1s', do: 'backup', vm: 'mbx', method: 'host-vss' },
      { at: '100s', do: 'restore', vm: 'mbx' },
    ]);
    expect(fig(r, 'backups')).toBeUndefined();
    const refused = r.records.filter((x) => x.kind === 'cluster.action.refused') as unknown as { action: string; why: string }[];
    expect(refused.map((x) => x.action)).toEqual(['backup']);
    expect(refused[0]!.why).toMatch(/the VM is Sav(ing|ed), not running/);
  });
});

describe('quorum (Windows failover cluster: Node Majority, a disk witness with an even number of nodes)', () => {
  function fail(hosts: number, failing: string[], ha?: 'vmware-ha') {
    const ids = Array.from({ length: hosts }, (_, i) => `h${i + 1}`);
    return run({
      vms: ids.map((h) => ({ id: `vm-${h}`, memoryMiB: 512 })),
      cluster: { ...(ha === undefined ? {} : { platform: 'vsphere-4' }), hosts: ids.map((id) => ({ id })), vms: ids.map((h) => ({ vm: `vm-${h}`, host: h })) },
      actions: failing.map((host, i) => ({ at: `${10 + i}s`, do: 'fail-host', host })),
    });
  }

  it('three nodes survive one failure (2 of 3 votes) but not two: the last node takes its VMs offline and restarts nothing', () => {
    const one = fail(3, ['h1']);
    expect(fig(one, 'failovers')[0]).toMatchObject({ quorumLost: false, vmsRestarted: 1 });
    expect(fig(one, 'cluster').quorumLostNs).toBeNull();
    const two = fail(3, ['h1', 'h2']);
    expect(fig(two, 'cluster').quorumLostNs).not.toBeNull();
    expect(fig(two, 'failovers').some((f: { quorumLost: boolean }) => f.quorumLost)).toBe(true);
    expect(fig(two, 'failovers').every((f: { vmsRestarted: number }) => f.vmsRestarted === 0)).toBe(true);
    const lost = two.records.find((r) => r.kind === 'cluster.quorum.lost') as unknown as { votes: number; of: number; vms: string[] };
    expect(lost).toMatchObject({ votes: 1, of: 3, vms: ['vm-h3'] });
    // Nothing changes after it: the heartbeats stop and the run ends (it ran to its time limit before).
    expect(two.output.endNs).toBeLessThan(30e9);
  });

  it('two nodes keep quorum through one failure: the disk witness is the second vote', () => {
    const r = fail(2, ['h1']);
    expect(fig(r, 'cluster').quorumLostNs).toBeNull();
    expect(fig(r, 'failovers')[0].vmsRestarted).toBe(1);
  });

  it('VMware HA has no quorum: the last host restarts what it can', () => {
    const r = fail(3, ['h1', 'h2'], 'vmware-ha');
    expect(fig(r, 'cluster').quorumLostNs).toBeNull();
    expect(fig(r, 'failovers').reduce((n: number, f: { vmsRestarted: number }) => n + f.vmsRestarted, 0)).toBe(2);
  });
});

describe('VCB commit', () => {
  it("the redo log grows over the copy of what the snapshot covers (a physical-mode RDM's share is not copied)", async () => {
    const { backupPlan } = await import('../../src/model/cluster/backup-plan.js');
    const GIB = 1024 ** 3;
    const vm = { id: 'vm', host: 'a', memoryBytes: 4 * GIB, dirtyBytesPerS: 20e6, dirtyFromWorkloads: false, workingSetBytes: 4 * GIB, bootNs: 0, serviceStartNs: 0, backupIntegration: true, restartPriority: 0, diskKinds: ['vmdk'], dataBytes: 8 * GIB, logBytes: 0, rdm: 'physical' as const, rdmBytes: 6 * GIB };
    const plan = backupPlan(vm, 'vcb', { platform: 'vsphere-4', storage: { kind: 'lun-per-vm', coordinator: 'a', writeBytesPerS: 150e6, readBytesPerS: 150e6, lunMoveNs: 0 } });
    const step = (name: string) => plan.steps.find((s) => s.step === name)!.ns;
    const copyS = step('copy') / 1e9;
    expect(copyS).toBeCloseTo((2 * GIB) / clusterDefault('backup_copy_rate'), 1);
    expect(step('commit-snapshot') / 1e9).toBeCloseTo((20e6 * copyS) / clusterDefault('snapshot_commit_rate'), 1);
  });

  it('a saved-state backup copies what it protects: the VHDs and the saved state (row e.2)', async () => {
    const { backupPlan } = await import('../../src/model/cluster/backup-plan.js');
    const GIB = 1024 ** 3;
    const vm = { id: 'vm', host: 'a', memoryBytes: 2 * GIB, dirtyBytesPerS: 0, dirtyFromWorkloads: false, workingSetBytes: 2 * GIB, bootNs: 0, serviceStartNs: 0, backupIntegration: false, restartPriority: 0, diskKinds: ['dynamic-vhd'], dataBytes: 2 * GIB, logBytes: 0, rdm: 'none' as const, rdmBytes: 0 };
    const plan = backupPlan(vm, 'host-vss', { platform: 'hyperv-2008-r2', storage: { kind: 'lun-per-vm', coordinator: 'a', writeBytesPerS: 150e6, readBytesPerS: 150e6, lunMoveNs: 0 } });
    expect(plan.method).toBe('saved-state');
    expect(plan.protectedBytes).toBe(4 * GIB);
    expect(plan.steps.find((s) => s.step === 'copy')!.ns / 1e9).toBeCloseTo(plan.protectedBytes / clusterDefault('backup_copy_rate'), 1);
  });
});

describe('backup types', () => {
  it('an in-guest incremental or differential copies the logs written since the last backup; a full copies the data; a host-side backup copies the VHDs whole whatever the type', async () => {
    const { backupPlan } = await import('../../src/model/cluster/backup-plan.js');
    const GIB = 1024 ** 3;
    const vm = { id: 'vm', host: 'a', memoryBytes: 2 * GIB, dirtyBytesPerS: 0, dirtyFromWorkloads: false, workingSetBytes: 2 * GIB, bootNs: 0, serviceStartNs: 0, backupIntegration: true, restartPriority: 0, diskKinds: ['fixed-vhd'], dataBytes: 50 * GIB, logBytes: 2 * GIB, rdm: 'none' as const, rdmBytes: 0 };
    const config = { platform: 'hyperv-2008-r2' as const, storage: { kind: 'lun-per-vm' as const, coordinator: 'a', writeBytesPerS: 150e6, readBytesPerS: 150e6, lunMoveNs: 0 } };
    const copyS = (plan: ReturnType<typeof backupPlan>) => plan.steps.find((s) => s.step === 'copy')!.ns / 1e9;
    const full = backupPlan(vm, 'in-guest', config, 'full');
    expect(full.protectedBytes).toBe(50 * GIB);
    for (const type of ['incremental', 'differential'] as const) {
      const logs = backupPlan(vm, 'in-guest', config, type);
      expect(logs.protectedBytes).toBe(2 * GIB);
      expect(copyS(logs)).toBeCloseTo(copyS(full) / 25, 1);
    }
    for (const type of ['full', 'incremental'] as const) expect(backupPlan(vm, 'host-vss', config, type).protectedBytes).toBe(50 * GIB);
  });

  it('in a run: the in-guest incremental of an Exchange member truncates its logs, the differential does not, and logGiB sets what they copy', () => {
    const backup = (type: string) => {
      const r = run({
        vms: [{ id: 'mbx', memoryMiB: 2048 }],
        cluster: { hosts: [{ id: 'a' }, { id: 'b' }], vms: [{ vm: 'mbx', host: 'a', dataGiB: 50, logGiB: 1 }], exchange: { kind: 'ccr', version: '2007-sp1', members: ['mbx'] } },
        actions: [{ at: '1s', do: 'backup', vm: 'mbx', method: 'in-guest', type }],
      });
      return fig(r, 'backups')[0] as { protectedBytes: number; logsTruncated: boolean; outcome: string };
    };
    const incremental = backup('incremental');
    const differential = backup('differential');
    expect(incremental).toMatchObject({ outcome: 'completed', protectedBytes: 1024 ** 3, logsTruncated: true });
    expect(differential).toMatchObject({ outcome: 'completed', protectedBytes: 1024 ** 3, logsTruncated: false });
  });
});

describe('backups at once share the backup target', () => {
  it("two copies at once take turns: the second backup's copy waits for the first's", () => {
    const backups = (vms: string[]) => {
      const r = run({
        vms: vms.map((id) => ({ id, memoryMiB: 1024 })),
        cluster: { hosts: [{ id: 'a' }, { id: 'b' }], vms: vms.map((vm, i) => ({ vm, host: i === 0 ? 'a' : 'b', dataGiB: 10 })) },
        actions: vms.map((vm) => ({ at: '1s', do: 'backup', vm })),
      });
      return (fig(r, 'backups') as { totalNs: number; outcome: string }[]).map((b) => { expect(b.outcome).toBe('completed'); return b.totalNs; });
    };
    const [alone] = backups(['x']);
    const [first, second] = backups(['x', 'y']);
    const copyNs = (10 * 1024 ** 3 * 1e9) / clusterDefault('backup_copy_rate');
    expect(first).toBe(alone);
    expect(second! - first!).toBeGreaterThan(0.99 * copyNs);
    expect(second! - first!).toBeLessThan(1.01 * copyNs);
  });

  it("the wait is a step of its own (target-wait), not booked to the step before the copy", () => {
    const r = run({
      vms: ['x', 'y'].map((id) => ({ id, memoryMiB: 1024 })),
      cluster: { hosts: [{ id: 'a' }, { id: 'b' }], vms: [{ vm: 'x', host: 'a', dataGiB: 10 }, { vm: 'y', host: 'b', dataGiB: 10 }] },
      actions: ['x', 'y'].map((vm) => ({ at: '1s', do: 'backup', vm })),
    });
    const [x, y] = fig(r, 'backups') as { totalNs: number; steps: Record<string, number> }[];
    const copyNs = (10 * 1024 ** 3 * 1e9) / clusterDefault('backup_copy_rate');
    expect(x!.steps['target-waitNs']).toBeUndefined();
    expect(y!.steps['target-waitNs']).toBeGreaterThan(0.99 * copyNs);
    // Every other step as long as the first backup's: the wait moved nothing else.
    for (const [step, ns] of Object.entries(x!.steps)) expect(y!.steps[step], step).toBeCloseTo(ns, -3);
  });
});

describe('a backup whose host fails while it waits for the target', () => {
  it('gives up its turn at the failure (aborted then), and the copy queued behind it does not wait for it', () => {
    const r = run({
      vms: ['x', 'y', 'w'].map((id) => ({ id, memoryMiB: 1024 })),
      cluster: { hosts: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], vms: [{ vm: 'x', host: 'a', dataGiB: 10 }, { vm: 'y', host: 'b', dataGiB: 10 }, { vm: 'w', host: 'a', dataGiB: 10 }] },
      actions: [{ at: '1s', do: 'backup', vm: 'x' }, { at: '1s', do: 'backup', vm: 'y' }, { at: '20s', do: 'fail-host', host: 'b' }, { at: '30s', do: 'backup', vm: 'w' }],
    });
    const [x, y, w] = fig(r, 'backups') as { outcome: string; totalNs: number }[];
    expect(x!.outcome).toBe('completed');
    // Aborted when b failed at 20 s (asked at 1 s), not when its turn came at x's end (backup-host-failure.test.ts).
    expect(y).toMatchObject({ outcome: 'aborted', totalNs: 19e9 });
    // w's copy waited only for x's (which ends 1 s + x's time), not for y's that never ran.
    const copyNs = (10 * 1024 ** 3 * 1e9) / clusterDefault('backup_copy_rate');
    expect(w!.outcome).toBe('completed');
    expect(w!.totalNs).toBeLessThan(x!.totalNs + copyNs - 25e9);
  });
});

describe('quick migrations at once share the storage', () => {
  it('three 2 GiB VMs saved and restored at once take about three times as long as one alone', () => {
    const moves = (n: number) => {
      const ids = Array.from({ length: n }, (_, i) => `vm${i}`);
      const r = run({
        vms: ids.map((id) => ({ id, memoryMiB: 2048 })),
        cluster: { platform: 'hyperv-2008', hosts: [{ id: 'a' }, { id: 'b' }], vms: ids.map((vm) => ({ vm, host: 'a' })) },
        actions: ids.map((vm) => ({ at: '1s', do: 'quick-migrate', vm, to: 'b' })),
      });
      return (fig(r, 'migrations') as { totalNs: number }[]).map((m) => m.totalNs);
    };
    const [alone] = moves(1);
    const together = moves(3);
    expect(Math.max(...together)).toBeGreaterThan(2.5 * alone!);
    expect(Math.max(...together)).toBeLessThan(3.2 * alone!);
  });
});

describe("a VSS quiesce's flush", () => {
  it('lasts until the writes in flight reach the disk: more of them (a deeper queue), a longer freeze', () => {
    const freeze = (queueDepth: number) => {
      const s = JSON.parse(bundledScenario('vss-backup')!.text) as { workloads: Record<string, unknown>[]; actions: Record<string, unknown>[]; claims?: unknown };
      delete s.claims;
      s.workloads[0] = { ...s.workloads[0], op: 'write', queueDepth, count: 20_000 };
      s.actions = [s.actions[0]!];
      const b = fig(run(s as unknown as Record<string, unknown>), 'backups')[0];
      return b.freezeNs as number;
    };
    const shallow = freeze(1);
    const deep = freeze(32);
    expect(shallow).toBeGreaterThanOrEqual(clusterDefault('vss_freeze_writers') + clusterDefault('vss_commit'));
    expect(deep).toBeGreaterThan(shallow + 20e6);
  });
});

describe("a VM's own snapshot at the cluster level", () => {
  it('a snapshot of a running DAG member keeps it serving: no stopped state, no eviction, no client gap', () => {
    const s = JSON.parse(bundledScenario('vss-backup')!.text) as Record<string, unknown>;
    delete s['claims'];
    const r = run({ ...s, actions: [{ at: '1s', do: 'snapshot', vm: 'mbx' }] });
    const stopped = r.records.filter((x) => x.kind === 'cluster.vm.changed' && (x as { state?: string }).state === 'stopped');
    expect(stopped).toEqual([]);
    expect(fig(r, 'databases')).toBeUndefined();
    expect(fig(r, 'clients')['mail-user'].gaps).toBe(0);
  });
});
