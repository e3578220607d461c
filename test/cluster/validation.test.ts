/** The cluster block and its actions: clear errors naming the field, what was found and what is allowed. */
import { describe, expect, it } from 'vitest';
import { validateScenario, type ScenarioError } from '../../src/scenario/index.js';
import { storageKindOf } from '../../src/scenario/cluster-build.js';

function cluster(edit: (s: any) => void = () => {}): Record<string, unknown> {
  const s: any = {
    version: 1,
    name: 'c',
    vms: [{ id: 'mail', memoryMiB: 2048 }],
    cluster: { hosts: [{ id: 'h1' }, { id: 'h2' }], vms: [{ vm: 'mail', host: 'h1' }] },
    actions: [{ at: '1s', do: 'live-migrate', vm: 'mail', to: 'h2' }],
  };
  edit(s);
  return s;
}

function errors(s: Record<string, unknown>): ScenarioError[] {
  const result = validateScenario(s);
  if (result.ok) expect.fail('expected errors');
  return result.errors;
}

const one = (s: Record<string, unknown>): ScenarioError => {
  const e = errors(s);
  expect(e).toHaveLength(1);
  return e[0]!;
};

describe('cluster validation', () => {
  it('accepts a two-host cluster with a live migration', () => {
    const result = validateScenario(cluster());
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('names an unknown target host and lists the hosts', () => {
    const e = one(cluster((s) => (s.actions[0].to = 'h9')));
    expect(e.path).toBe('actions.0.to');
    expect(e.message).toBe("found 'h9' (no cluster host has this id), allowed one of the cluster hosts: 'h1', 'h2'");
  });

  it('refuses a migration to the host the VM already runs on', () => {
    const e = one(cluster((s) => (s.actions[0].to = 'h1')));
    expect(e.path).toBe('actions.0.to');
    expect(e.message).toContain("'h1', the host mail already runs on");
    expect(e.message).toContain("another host: 'h2'");
  });

  it('refuses live migration on Windows Server 2008 RTM and vMotion on Hyper-V', () => {
    expect(one(cluster((s) => (s.cluster.platform = 'hyperv-2008'))).message).toContain('live migration came with Windows Server 2008 R2');
    expect(one(cluster((s) => (s.actions[0].do = 'vmotion'))).message).toContain('platform vsphere-4 or vsphere-5');
    expect(one(cluster((s) => ((s.cluster.platform = 'vsphere-5'), (s.actions[0].do = 'quick-migrate')))).message).toContain('on vSphere use vmotion');
  });

  it('refuses Cluster Shared Volumes on Windows Server 2008 RTM, whose storage is a LUN per VM by default', () => {
    const rtm = (kind?: string) =>
      cluster((s) => {
        s.cluster.platform = 'hyperv-2008';
        s.actions[0].do = 'quick-migrate';
        if (kind !== undefined) s.cluster.storage = { kind };
      });
    const e = one(rtm('csv'));
    expect(e.path).toBe('cluster.storage.kind');
    expect(e.message).toContain('Cluster Shared Volumes came with Windows Server 2008 R2');
    for (const ok of [rtm(), rtm('lun-per-vm')]) {
      const result = validateScenario(ok);
      expect(result.ok ? [] : result.errors).toEqual([]);
    }
    const built = validateScenario(rtm());
    if (!built.ok) expect.fail('valid');
    expect(storageKindOf(built.scenario.cluster!)).toBe('lun-per-vm');
    const r2 = validateScenario(cluster());
    if (!r2.ok) expect.fail('valid');
    expect(storageKindOf(r2.scenario.cluster!)).toBe('csv');
  });

  it("refuses a restart priority on a Windows Server 2008 or 2008 R2 cluster (VM priority came with 2012), and takes it on 2012 R2 and vSphere", () => {
    const withPriority = (platform: string) =>
      cluster((s) => {
        s.cluster.platform = platform;
        s.cluster.vms[0].restartPriority = 'high';
        s.actions = [{ at: '1s', do: 'fail-host', host: 'h1' }];
      });
    for (const platform of ['hyperv-2008', 'hyperv-2008-r2']) {
      const e = one(withPriority(platform));
      expect(e.path).toBe('cluster.vms.0.restartPriority');
      expect(e.message).toContain('came with Windows Server 2012');
    }
    for (const platform of ['hyperv-2012-r2', 'vsphere-4']) {
      const result = validateScenario(withPriority(platform));
      expect(result.ok ? [] : result.errors).toEqual([]);
    }
  });

  it('refuses a VHDX on a Windows Server 2008 or 2008 R2 cluster, and takes it on 2012 R2', () => {
    const withVhdx = (platform: string) =>
      cluster((s) => {
        s.cluster.platform = platform;
        s.host = { disks: [{ id: 'd1', kind: 'hdd', sizeGiB: 200 }] };
        s.vms[0].disks = [{ id: 'data', controller: 'scsi', backend: { kind: 'dynamic-vhdx', disk: 'd1' } }];
      });
    const e = one(withVhdx('hyperv-2008-r2'));
    expect(e.path).toBe('vms.0.disks.0.backend.kind');
    expect(e.message).toBe("found 'dynamic-vhdx' on platform hyperv-2008-r2, allowed a VHD kind (dynamic-vhd): VHDX came with Windows Server 2012, so platform hyperv-2012-r2 for a VHDX");
    const result = validateScenario(withVhdx('hyperv-2012-r2'));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('names an unknown VM in an action and in the placement', () => {
    expect(one(cluster((s) => (s.actions[0].vm = 'web'))).path).toBe('actions.0.vm');
    const e = errors(cluster((s) => s.cluster.vms.push({ vm: 'web', host: 'h3' })));
    expect(e.map((x) => x.path)).toEqual(['cluster.vms.1.vm', 'cluster.vms.1.host']);
  });

  it('refuses cluster actions without a cluster block', () => {
    const e = one(cluster((s) => delete s.cluster));
    expect(e.path).toBe('actions.0.do');
    expect(e.message).toContain('a cluster block');
  });

  it('refuses an unknown action with every action listed', () => {
    const e = one(cluster((s) => (s.actions[0].do = 'teleport')));
    expect(e.path).toBe('actions.0.do');
    expect(e.message).toContain("'live-migrate'");
    expect(e.message).toContain("'snapshot'");
  });

  it('refuses a fail-host of an unknown host, a working set larger than memory, and a DAG on Exchange 2007', () => {
    expect(one(cluster((s) => (s.actions = [{ at: '1s', do: 'fail-host', host: 'h3' }]))).path).toBe('actions.0.host');
    expect(one(cluster((s) => (s.cluster.vms[0].workingSetMiB = 4096))).message).toBe("found 4096 MiB, more than the VM's memoryMiB 2048, allowed at most 2048");
    expect(one(cluster((s) => (s.cluster.exchange = { kind: 'dag', version: '2007-sp1', members: ['mail'] }))).path).toBe('cluster.exchange.kind');
  });

  it('refuses a heartbeat interval no cluster sends, saying a bare number is nanoseconds', () => {
    const e = one(cluster((s) => (s.cluster.heartbeat = { interval: 1000 })));
    expect(e.path).toBe('cluster.heartbeat.interval');
    expect(e.message).toContain('a bare number is nanoseconds');
    expect(e.message).toContain('from 10ms to 60s');
    expect(one(cluster((s) => (s.cluster.heartbeat = { interval: '5ms' }))).path).toBe('cluster.heartbeat.interval');
    expect(validateScenario(cluster((s) => (s.cluster.heartbeat = { interval: '250ms' }))).ok).toBe(true);
  });

  it('needs workloads on the host whose I/O is modelled', () => {
    const e = one(
      cluster((s) => {
        s.host = { disks: [{ id: 'd1', kind: 'hdd' }] };
        s.vms[0].disks = [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }];
        s.workloads = [{ vm: 'mail', disk: 'data', size: '4KiB' }];
        s.cluster.ioHost = 'h2';
      }),
    );
    expect(e.path).toBe('workloads.0.vm');
    expect(e.message).toContain('the host whose I/O is modelled');
  });

  it('refuses VCB on Hyper-V and a client with neither a VM nor the databases', () => {
    expect(one(cluster((s) => (s.actions = [{ at: '1s', do: 'backup', vm: 'mail', method: 'vcb' }]))).path).toBe('actions.0.method');
    expect(one(cluster((s) => (s.cluster.clients = [{ id: 'c' }]))).path).toBe('cluster.clients.0');
  });

  it('refuses a cluster of one host and a misspelt field', () => {
    expect(one(cluster((s) => (s.cluster.hosts = [{ id: 'h1' }]))).path).toBe('cluster.hosts');
    expect(one(cluster((s) => (s.cluster.migrationNetwork = { gpbs: 10 }))).message).toContain("unknown field 'gpbs'");
  });
});
