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
