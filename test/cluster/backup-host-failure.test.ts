/**
 * A backup whose host fails (row e.2): its requestor and its shadow copy
 * were that host's, so it ends at the failure, aborted, and gives up the
 * backup target and the CSV's redirected access at once; a backup of a VM
 * on another host that waited for the target copies then.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, validateScenario } from '../../src/scenario/index.js';

describe('a backup whose host fails', () => {
  function run() {
    // a and b on h1, c on h2, each 8 GiB of data: a copies from about 6.5 s for 86 s; b and c wait for the one target.
    const result = validateScenario({
      version: 1,
      name: 'backup-host-fails',
      vms: [
        { id: 'a', memoryMiB: 1024 },
        { id: 'b', memoryMiB: 1024 },
        { id: 'c', memoryMiB: 1024 },
      ],
      cluster: {
        platform: 'hyperv-2008-r2',
        hosts: [{ id: 'h1' }, { id: 'h2' }, { id: 'h3' }],
        vms: [
          { vm: 'a', host: 'h1', dataGiB: 8 },
          { vm: 'b', host: 'h1', dataGiB: 8 },
          { vm: 'c', host: 'h2', dataGiB: 8 },
        ],
      },
      actions: [
        { at: '1s', do: 'backup', vm: 'a' },
        { at: '1s', do: 'backup', vm: 'b' },
        { at: '2s', do: 'backup', vm: 'c' },
        { at: '60s', do: 'fail-host', host: 'h1' },
      ],
      limits: { until: '600s' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return runScenario(result.scenario, { keepRecords: true });
  }

  it('ends at the failure, aborted, not at the end of the step it was in', () => {
    const r = run();
    const done = r.records.filter((x) => x.kind === 'cluster.backup.completed') as any[];
    const of = (vm: string) => done.find((d) => d.vm === vm)!;
    expect(of('a').outcome).toBe('aborted');
    expect(of('a').t).toBe(60e9);
    expect(of('b').outcome).toBe('aborted');
    expect(of('b').t).toBe(60e9);
  });

  it('gives the backup target to the next in line at once: c copies from the failure on', () => {
    const r = run();
    const copyC = r.records.find((x) => x.kind === 'cluster.backup.step' && (x as any).vm === 'c' && (x as any).step === 'copy')!;
    expect(copyC.t).toBe(60e9);
    const c = (r.figures as any).backups.find((b: any) => b.vm === 'c');
    expect(c.outcome).toBe('completed');
  });
});

describe('a saved-state backup whose host fails while the VM is saved for it', () => {
  it('the failover boots the VM elsewhere; the run ends', () => {
    // a has no backup integration service: saved to disk (its own save, 1 s to ~2.8 s), the host's snapshot, then restored.
    // h1 fails at 3 s, during the snapshot. Before: the failure took no VM (it was Saved), nothing restarted it, it stayed
    // 'saved-for-backup' on the dead host and the run went on to its 900 s limit.
    const result = validateScenario({
      version: 1,
      name: 'saved-state-backup-host-fails',
      host: { disks: [{ id: 'hdd', kind: 'hdd', sizeGiB: 200 }] },
      vms: [{ id: 'a', memoryMiB: 256, integrationServices: false, disks: [{ id: 'd', controller: 'ide', backend: { kind: 'fixed-vhd', disk: 'hdd', sizeGiB: 8 } }] }],
      cluster: { platform: 'hyperv-2008-r2', hosts: [{ id: 'h1' }, { id: 'h2' }, { id: 'h3' }], vms: [{ vm: 'a', host: 'h1', dataGiB: 8 }] },
      actions: [
        { at: '1s', do: 'backup', vm: 'a' },
        { at: '3s', do: 'fail-host', host: 'h1' },
      ],
      limits: { until: '900s' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const r = runScenario(result.scenario);
    const failed = r.records.find((x) => x.kind === 'cluster.host.failed')!;
    expect(failed).toMatchObject({ host: 'h1', vms: ['a'] });
    expect((r.figures as any).backups[0]).toMatchObject({ method: 'saved-state', outcome: 'aborted' });
    // Saved for it from 1 s until its host failed at 3 s: the backup's outage until the abort (before: 0).
    expect((r.figures as any).backups[0].downtimeNs).toBe(failed.t - 1e9);
    expect(r.records.filter((x) => x.kind === 'cluster.vm.restarted')).toHaveLength(1);
    expect((r.figures as any).vms.a.state).toBe('Running');
    expect(r.output.stop).toBe('empty');
    expect(r.output.endNs).toBeLessThan(120e9);
  });
});
