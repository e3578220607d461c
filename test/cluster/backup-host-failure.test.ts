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
