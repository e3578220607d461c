/**
 * A host failing under a quick migration (row c.2: save, LUN move, restore)
 * loses no VM in silence: the target failing before the VM reached it
 * leaves the VM restored from its saved state on the source (the LUN moved
 * back first if it had left); a host failing while it holds the VM hands
 * the VM to the failover (row d), which boots it elsewhere; the source
 * failing once the VM left it changes nothing. Every phase, both hosts, and
 * every failure time (a property), on the chunked path (no disk for a state
 * file) and through the life cycle.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HvRecord } from '../../src/model/trace-events.js';
import { runScenario, validateScenario } from '../../src/scenario/index.js';

function run(failAt: number, failHost: 'h1' | 'h2', vm: Record<string, unknown> = { id: 'a', memoryMiB: 2048 }, host: Record<string, unknown> = {}, more: Record<string, unknown>[] = []) {
  const result = validateScenario({
    version: 1,
    name: 'qm-fail',
    seed: 1,
    ...host,
    vms: [vm],
    cluster: {
      platform: 'hyperv-2008-r2',
      hosts: [{ id: 'h1' }, { id: 'h2' }, { id: 'h3' }],
      vms: [{ vm: 'a', host: 'h1', dirtyRateMBps: 5 }],
      storage: { kind: 'lun-per-vm' },
      migrationNetwork: { gbps: 1 },
      clients: [{ id: 'u', vm: 'a' }],
    },
    actions: [
      { at: '1s', do: 'quick-migrate', vm: 'a', to: 'h2' },
      { at: `${failAt}ms`, do: 'fail-host', host: failHost },
      ...more,
    ],
    limits: { until: '600s' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const r = runScenario(result.scenario);
  const of = <K extends HvRecord['kind']>(kind: K) => r.records.filter((x): x is Extract<HvRecord, { kind: K }> => x.kind === kind);
  const changes = of('cluster.vm.changed');
  const last = changes[changes.length - 1]!;
  return {
    r,
    m: (r.figures as any).migrations[0],
    client: (r.figures as any).clients.u as { gaps: number; longestGapNs: number; drops: number },
    last,
    lost: of('cluster.client.lost').length,
    resumed: of('cluster.client.resumed'),
    restarted: of('cluster.vm.restarted'),
    lunMoves: of('cluster.migration.phase').filter((x) => x.phase === 'lun-move').length,
    endNs: r.records[r.records.length - 1]!.t,
  };
}

// 2 GiB at the LUN's 150 MB/s: saved 1 s to 15.3 s, LUN moved to 18.3 s, provisioned to 19.3 s, restored to 33.6 s.
const SAVE = 5_000;
const MOVE = 16_500;
const PROVISION = 18_800;
const RESTORE = 25_000;

/** A VM whose quick migration goes through its life cycle: its state file and disk on a LUN of its own (moved between hosts). */
const LIFE_VM = { id: 'a', memoryMiB: 2048, disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'lun', sizeGiB: 20 } }] };
const LIFE_HOST = { host: { disks: [{ id: 'lun', kind: 'hdd', sizeGiB: 100 }] } };

describe('quick migration without a life cycle, a host failing under it', () => {
  it('the target failing during the save: the VM is restored on the source once saved, and the client counts the whole gap', () => {
    const x = run(SAVE, 'h2');
    expect(x.m.outcome).toBe('aborted');
    expect(x.last).toMatchObject({ vm: 'a', host: 'h1', state: 'running' });
    expect(x.restarted).toEqual([]);
    // Offline from the migration's start to the end of a save and a restore at the LUN's rates.
    expect(x.client.gaps).toBe(1);
    expect(x.client.longestGapNs).toBeGreaterThan(2 * x.m.saveNs);
    expect(x.client.drops).toBe(1); // about 29 s: past the 20 s TCP timeout
    expect(x.endNs).toBeLessThan(60e9); // the run ends once all is back, not at its 600 s limit
  });

  it('the target failing during the LUN move: the LUN moves back, then the VM is restored on the source', () => {
    const x = run(MOVE, 'h2');
    expect(x.m.outcome).toBe('aborted');
    expect(x.lunMoves).toBe(2);
    expect(x.last).toMatchObject({ host: 'h1', state: 'running' });
    expect(x.restarted).toEqual([]);
    expect(x.resumed).toHaveLength(1);
  });

  it.each([PROVISION, RESTORE])('the target failing once the VM is on it (%i ms): the failover boots it on another host', (at) => {
    const x = run(at, 'h2');
    expect(x.m.outcome).toBe('aborted');
    expect(x.restarted).toHaveLength(1);
    expect(x.last).toMatchObject({ host: x.restarted[0]!.host, state: 'running' });
    expect(x.last.host).not.toBe('h2');
    expect(x.resumed).toHaveLength(1);
  });

  it.each([SAVE, MOVE])('the source failing while it holds the VM (%i ms): the save stops there and the failover boots the VM elsewhere', (at) => {
    const x = run(at, 'h1');
    expect(x.m.outcome).toBe('aborted');
    expect(x.m.totalNs).toBeLessThanOrEqual((at - 1_000) * 1e6 + 3e9); // at the next chunk (1.8 s) or the move's end (3 s)
    expect(x.restarted).toHaveLength(1);
    expect(x.last.state).toBe('running');
    expect(x.resumed).toHaveLength(1);
  });

  it.each([PROVISION, RESTORE])('the source failing once the VM left it (%i ms): the migration completes on the target', (at) => {
    const x = run(at, 'h1');
    expect(x.m.outcome).toBe('completed');
    expect(x.restarted).toEqual([]);
    expect(x.last).toMatchObject({ host: 'h2', state: 'running' });
  });

  it('whatever host fails, whenever: the VM ends running on a live host and every client gap closes, counted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 40_000 }), fc.constantFrom<'h1' | 'h2'>('h1', 'h2'), (at, host) => {
        const x = run(at, host);
        expect(x.last.state).toBe('running');
        expect(x.last.host).not.toBe(host);
        expect(x.resumed).toHaveLength(x.lost);
        expect(x.client.gaps).toBe(x.lost);
        expect(x.client.longestGapNs).toBeGreaterThan(0);
        expect(x.endNs).toBeLessThan(120e9);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});

describe('quick migration through the life cycle, the target failing during the LUN move', () => {
  it('moves the LUN back before the VM is restored on the source', () => {
    const x = run(17_000, 'h2', LIFE_VM, LIFE_HOST);
    expect(x.m.throughLifecycle).toBe(true);
    expect(x.m.outcome).toBe('aborted');
    expect(x.lunMoves).toBe(2);
    expect((x.r.figures as any).vms.a.restores).toBe(1);
    expect(x.last).toMatchObject({ host: 'h1', state: 'running' });
    expect(x.resumed).toHaveLength(1);
  });
});

describe('an aborted quick migration restored on its source: its blackout lasts until the VM runs again', () => {
  /** The client's one gap runs from its last answer before the outage to its first after: up to a poll (500 ms) longer at each end. */
  const CLIENT_SLACK_NS = 2 * 500e6;

  it('without a life cycle (the target failing during the save): save and restore, not the save alone', () => {
    const x = run(SAVE, 'h2');
    expect(x.m.outcome).toBe('aborted');
    expect(x.client.gaps).toBe(1);
    // Before: 14.3 s (the save alone) against a gap of ~29.5 s.
    expect(x.m.blackoutNs).toBeGreaterThan(x.client.longestGapNs - CLIENT_SLACK_NS);
    expect(x.m.blackoutNs).toBeLessThanOrEqual(x.client.longestGapNs);
    expect(x.m.restoreNs).toBeGreaterThan(0);
    expect(x.m.blackoutNs).toBeGreaterThanOrEqual(x.m.saveNs + x.m.restoreNs);
    // The record ends when the VM runs on its source again.
    expect(x.r.records.find((r) => r.kind === 'cluster.migration.completed')!.t).toBe(x.last.t);
  });

  it('without a life cycle (the target failing during the LUN move): the move back counts too', () => {
    const x = run(MOVE, 'h2');
    expect(x.m.blackoutNs).toBeGreaterThan(x.client.longestGapNs - CLIENT_SLACK_NS);
    expect(x.m.blackoutNs).toBeGreaterThanOrEqual(x.m.saveNs + x.m.moveNs + x.m.restoreNs);
  });

  it('through the life cycle (the target failing during the LUN move)', () => {
    const x = run(17_000, 'h2', LIFE_VM, LIFE_HOST);
    expect(x.m.throughLifecycle).toBe(true);
    expect(x.m.outcome).toBe('aborted');
    expect(x.m.blackoutNs).toBeGreaterThan(x.client.longestGapNs - CLIENT_SLACK_NS);
    expect(x.m.blackoutNs).toBeLessThanOrEqual(x.client.longestGapNs);
    expect(x.m.restoreNs).toBeGreaterThan(0);
  });
});

describe('quick migration through the life cycle, the source failing during the LUN move', () => {
  it('the failover boots the VM elsewhere, as on the chunked path; the run ends', () => {
    // The VM is Saved (its life cycle) for the move: an online group mid-move, not an offline one the failover leaves alone.
    // Before: the failure took no VM, nothing restarted it, it stayed 'moving' for good and the run went on to its 600 s limit.
    const x = run(17_000, 'h1', LIFE_VM, LIFE_HOST);
    expect(x.m.throughLifecycle).toBe(true);
    expect(x.m.outcome).toBe('aborted');
    expect(x.r.records.find((r) => r.kind === 'cluster.host.failed')).toMatchObject({ host: 'h1', vms: ['a'] });
    expect(x.restarted).toHaveLength(1);
    expect(x.last).toMatchObject({ state: 'running' });
    expect(x.last.host).not.toBe('h1');
    expect((x.r.figures as any).vms.a.state).toBe('Running');
    expect(x.resumed).toHaveLength(1);
    expect(x.r.output.stop).toBe('empty');
    expect(x.endNs).toBeLessThan(120e9);
  });
});

describe('quick migration through the life cycle, a host failing at an edge', () => {
  it('the source failing at the instant the migration starts: the VM never runs on the dead host, and the failover boots it', () => {
    // Before: the VM failed with h1, then was set saving, its save refused (Off with its host), set running on h1 (dead) and
    // moved running to another host by the declaration, never booted (no restart).
    const x = run(1_000, 'h1', LIFE_VM, LIFE_HOST);
    const failedAt = x.r.records.find((r) => r.kind === 'cluster.host.failed')!.t;
    const onDead = x.r.records.filter((r) => r.kind === 'cluster.vm.changed' && r.host === 'h1' && r.t >= failedAt && r.state !== 'failed');
    expect(onDead).toEqual([]);
    expect(x.m.outcome).toBe('aborted');
    expect(x.m).toMatchObject({ totalNs: 0, blackoutNs: 0 }); // it took nothing offline: the failure did
    expect(x.restarted).toHaveLength(1);
    expect(x.last).toMatchObject({ state: 'running' });
    expect(x.last.host).not.toBe('h1');
    expect((x.r.figures as any).vms.a.state).toBe('Running');
  });

  it('the source failing during the restore on the source, the cluster losing quorum: the life cycle shows the VM down, not Running', () => {
    // h2 fails at 17 s (during the LUN move): the LUN moves back and the VM is restored on h1 (21.4 s to 36 s); h1 fails at 30 s,
    // leaving h3 alone (1 vote of 3): nothing restarts the VM. Before: its restore ran on and its life cycle ended Running, the
    // cluster having it failed.
    const x = run(17_000, 'h2', LIFE_VM, LIFE_HOST, [{ at: '30s', do: 'fail-host', host: 'h1' }]);
    expect(x.r.records.filter((r) => r.kind === 'cluster.quorum.lost')).toHaveLength(1);
    expect(x.last).toMatchObject({ host: 'h1', state: 'failed' });
    expect((x.r.figures as any).vms.a.state).toBe('Off');
    expect(x.m.outcome).toBe('aborted');
  });
});
