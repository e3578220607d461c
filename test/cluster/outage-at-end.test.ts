/**
 * A service that never comes back is counted and said, not left out because
 * no answer closed its gap: the cluster says each client still waiting when
 * the run ends (`cluster.client.unanswered`), the figures count that gap
 * (`openGapNs`, among `gaps` and `longestGapNs`), and `outageAtEnd` words
 * it, with each failed host whose VMs were not all restarted, for the CLI's
 * report and the app's message bar.
 */
import { describe, expect, it } from 'vitest';
import type { HvRecord } from '../../src/model/trace-events.js';
import { outageAtEnd, runScenario, unfinishedMessage, validateScenario } from '../../src/scenario/index.js';
import { BOTH_HOSTS_FAIL, hostFailures } from './outage-fixtures.js';

function run(scenario: Record<string, unknown>) {
  const result = validateScenario(scenario);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const r = runScenario(result.scenario);
  const of = <K extends HvRecord['kind']>(kind: K) => r.records.filter((x): x is Extract<HvRecord, { kind: K }> => x.kind === kind);
  return { r, of, client: (r.figures as any).clients.u as { gaps: number; longestGapNs: number; drops: number; openGapNs: number | null } };
}

describe('a service still down when the run ends', () => {
  it('both hosts of two fail: the VM is never restarted, and its client\'s open gap is counted to the run\'s end', () => {
    const { r, of, client } = run({ ...BOTH_HOSTS_FAIL, limits: { until: '600s' } });
    expect(of('cluster.vm.restarted')).toHaveLength(0);
    expect(of('cluster.client.resumed')).toHaveLength(0);
    const open = of('cluster.client.unanswered');
    expect(open).toHaveLength(1);
    const lost = of('cluster.client.lost')[0]!;
    // From the last answered poll (one interval before the loss was seen) to the run's end.
    expect(open[0]!.t).toBe(r.output.endNs);
    expect(open[0]!.gapNs).toBeGreaterThan(r.output.endNs - lost.t);
    expect(open[0]!.gapNs).toBeLessThanOrEqual(r.output.endNs - 10e9 + 1e9);
    expect(client).toEqual({ gaps: 1, longestGapNs: open[0]!.gapNs, drops: 0, openGapNs: open[0]!.gapNs });
    expect(r.output.stop).toBe('empty'); // nothing left to happen: the cluster lost quorum
    expect(outageAtEnd(r.figures)).toEqual([
      'host h1 failed and its VM had not been restarted when the run ended: the cluster lost quorum',
      expect.stringMatching(/^client u had gone [\d.]+ s without an answer when the run ended$/),
    ]);
  });

  it('a failover that restarts the VM closes the gap: nothing open, nothing said', () => {
    const { of, client, r } = run(hostFailures(['h1', 'h2', 'h3'], [{ at: '10s', host: 'h1' }], { limits: { until: '600s' } }));
    expect(of('cluster.vm.restarted')).toHaveLength(1);
    expect(of('cluster.client.unanswered')).toHaveLength(0);
    expect(client.openGapNs).toBeNull();
    expect(client.gaps).toBe(1);
    expect(outageAtEnd(r.figures)).toEqual([]);
  });

  it('a run stopped by its time limit while the VM restarts says the gap still open, and that it is not a lost request', () => {
    // Declared down at ~14 s, the VM boots on h2 for tens of seconds: at 20 s it still serves nobody.
    const { r, of } = run(hostFailures(['h1', 'h2', 'h3'], [{ at: '10s', host: 'h1' }], { limits: { until: '20s' } }));
    const open = of('cluster.client.unanswered');
    expect(open).toHaveLength(1);
    expect(r.output.endNs).toBe(20e9);
    const c = (r.figures as any).clients.u;
    expect(c.openGapNs).toBeGreaterThan(10e9 - 1e9);
    expect(c.openGapNs).toBeLessThanOrEqual(10e9 + 1e9);
    expect(outageAtEnd(r.figures)).toEqual([
      'host h1 failed and its VM had not been restarted when the run ended',
      expect.stringMatching(/^client u had gone [\d.]+ s without an answer when the run ended$/),
    ]);
  });

  it('requests held by a VM whose host failed for good: the run fails and says the failed host is why, not an action to add', () => {
    const result = validateScenario({
      version: 1,
      name: 'io-lost',
      seed: 1,
      host: { disks: [{ id: 'd0', kind: 'hdd' }] },
      vms: [{ id: 'a', memoryMiB: 2048, disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd0' } }] }],
      workloads: [{ vm: 'a', disk: 'data', op: 'write', size: '8KiB', count: 600, queueDepth: 4 }],
      cluster: {
        platform: 'hyperv-2008-r2',
        hosts: [{ id: 'h1' }, { id: 'h2' }],
        vms: [{ vm: 'a', host: 'h1' }],
        storage: { kind: 'lun-per-vm' },
        migrationNetwork: { gbps: 1 },
        ioHost: 'h1',
      },
      actions: [
        { at: '2s', do: 'fail-host', host: 'h1' },
        { at: '3s', do: 'fail-host', host: 'h2' },
      ],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const r = runScenario(result.scenario);
    expect(r.stuck.length).toBeGreaterThan(0);
    const [headline] = unfinishedMessage(r);
    expect(headline).toMatch(/held by VMs that never ran again: host h1 failed and its VM had not been restarted when the run ended: the cluster lost quorum$/);
  });
});

describe('a client of a VM its own life cycle leaves down', () => {
  /** `a` saved at 0 for good, its client polling it; `b` quick-migrated meanwhile, which keeps the cluster busy past the client's first poll. */
  const savedForGood = (until: string) => ({
    version: 1,
    name: 'saved-client',
    host: { disks: [{ id: 'd', kind: 'hdd', sizeGiB: 100 }] },
    vms: [
      { id: 'a', memoryMiB: 64 },
      { id: 'b', memoryMiB: 64 },
    ],
    cluster: {
      platform: 'hyperv-2008',
      hosts: [{ id: 'h1' }, { id: 'h2' }],
      vms: [
        { vm: 'a', host: 'h2' },
        { vm: 'b', host: 'h2' },
      ],
      clients: [{ id: 'u', vm: 'a' }],
    },
    actions: [
      { at: 0, do: 'save', vm: 'a' },
      { at: 0, do: 'quick-migrate', vm: 'b', to: 'h1' },
    ],
    limits: { until },
  });

  it('does not keep the run going to limits.until: it ends with the migration, the gap said open', () => {
    // Before: the lost client kept the heartbeats and polls going to limits.until (900 s), in a run with nothing left to do.
    const { r, of, client } = run(savedForGood('900s'));
    const migrated = of('cluster.migration.completed')[0]!;
    expect(r.output.stop).toBe('empty');
    expect(r.output.endNs).toBeLessThan(migrated.t + 2e9);
    expect(of('cluster.client.unanswered')).toHaveLength(1);
    expect(client.openGapNs).toBeGreaterThan(0);
    expect(outageAtEnd(r.figures)).toEqual([expect.stringMatching(/^client u had gone [\d.]+ s without an answer when the run ended$/)]);
  });

  it('a restore later brings the client back: its gap closes, counted', () => {
    const scenario = savedForGood('900s');
    const { r, of, client } = run({ ...scenario, actions: [...scenario.actions, { at: '30s', do: 'restore', vm: 'a' }] });
    expect(r.output.stop).toBe('empty');
    expect(of('cluster.client.resumed')).toHaveLength(1);
    expect(client).toMatchObject({ gaps: 1, openGapNs: null });
    expect(client.longestGapNs).toBeGreaterThan(30e9);
  });
});

describe('a client of Exchange databases that no copy will serve again', () => {
  const dag = (members: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
    version: 1,
    name: 'dag-down',
    host: { disks: [{ id: 'd', kind: 'hdd', sizeGiB: 100 }] },
    vms: members.map((m) => ({ memoryMiB: 64, ...m })),
    cluster: {
      platform: 'hyperv-2008',
      hosts: [{ id: 'h1' }, { id: 'h2' }],
      vms: members.map((m) => ({ vm: m.id, host: 'h2' })),
      exchange: { kind: 'dag', version: '2010', members: members.map((m) => m.id) },
      clients: [{ id: 'u', exchange: true }],
      ...extra,
    },
    actions: [{ at: 0, do: 'quick-migrate', vm: members[0]!.id, to: 'h1' }],
    limits: { until: '900s' },
  });

  it('its one member Off for good: the run ends with the move, the gap said open', () => {
    // Before: the lost client kept the heartbeats and polls going to limits.until (900 s).
    const { r, of, client } = run(dag([{ id: 'a', initialState: 'off' }]));
    expect(r.output.stop).toBe('empty');
    expect(r.output.endNs).toBeLessThan(60e9);
    expect(of('cluster.client.unanswered')).toHaveLength(1);
    expect(client.openGapNs).toBeGreaterThan(0);
  });

  it('another member serving: the databases move to it and the client is answered again', () => {
    const { r, of, client } = run(dag([{ id: 'a', initialState: 'off' }, { id: 'b' }]));
    expect(r.output.stop).toBe('empty');
    expect(of('cluster.exchange.failedover')).toHaveLength(1);
    expect(client).toMatchObject({ gaps: 1, openGapNs: null });
  });
});
