/**
 * The virtual switch and the life cycle of the VM behind a port: a frame
 * for a VM that is not running (Off, Saved, or whose host failed) has no
 * port to go to and is dropped at the switch, counted with where and why;
 * the sender sees no delivery. Frames from the wire are not held back for
 * such a VM (the wire does not know its state): they arrive and are
 * dropped. A paused VM's port stays connected and keeps its buffers (the
 * frames wait there for the guest to run again, up to what the buffers
 * hold).
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText, runScenario } from '../../../src/scenario/index.js';

function run(s: Record<string, unknown>) {
  const parsed = parseScenarioText(JSON.stringify(s));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return runScenario(parsed.scenario);
}

function scenario(kind: 'synthetic' | 'legacy', traffic: Record<string, unknown>, actions: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  const vm = (id: string) => ({ id, integrationServices: kind === 'synthetic', memoryMiB: 16, nics: [{ id: 'net', kind }] });
  return {
    version: 1,
    name: 'port-state',
    seed: 1,
    profile: '2008',
    host: { logicalProcessors: 4, disks: [{ id: 'd0', kind: 'ssd' }] },
    vms: [vm('a'), vm('b')],
    traffic: [{ count: 100, packetsPerSecond: 1000, bytes: 1514, ...traffic }],
    actions,
    limits: { until: '5s' },
    ...extra,
  };
}

const dropsAtSwitch = (records: { kind: string }[]) => records.filter((r) => r.kind === 'vswitch.frame.dropped') as unknown as { port: string; reason: string; state: string }[];

describe('a frame for a VM that is not running', () => {
  for (const kind of ['synthetic', 'legacy'] as const) {
    for (const [action, state] of [
      ['turn-off', 'Off'],
      ['save', 'Saved'],
    ] as const) {
      it(`${kind}: VM to VM, the destination ${state}: dropped at the switch, the sender sees no delivery`, () => {
        // b is asked to stop at 5 ms (Off by 45 ms, or Saved by 53 ms: 16 MiB to flash); a sends to b for 100 ms.
        const r = run(scenario(kind, { vm: 'a', nic: 'net', direction: 'send', to: 'b/net' }, [{ at: '5ms', do: action, vm: 'b' }]));
        const drops = dropsAtSwitch(r.records);
        expect(drops.length).toBeGreaterThan(50);
        expect(drops.every((d) => d.port === 'b/net' && d.reason === 'port-disconnected')).toBe(true);
        expect(new Set(drops.map((d) => d.state))).toContain(state);
        // Every packet ends: delivered before the stop, dropped after; none delivered to b once it is down. Those that
        // came while b was Saving stay in its saved memory (next describe), held by its state: named, not lost.
        // (Those kept while b was Stopping are dropped at Off.)
        const held = r.stuck.length;
        expect(held > 0).toBe(state === 'Saved');
        expect(r.stuck.every((x) => x.heldBy?.vm === 'b' && x.heldBy.state === 'Saved')).toBe(true);
        expect(r.output.completed).toBe(100 - held); // completed counts the dropped too
        expect(r.output.dropped).toBe(drops.length);
        const received = r.records.filter((x) => x.kind === (kind === 'synthetic' ? 'netvsc.frame.received' : 'nic.frame.received'));
        expect(received.length).toBe(100 - drops.length - held);
      });

      it(`${kind}: from the wire, the destination ${state}: frames arrive and are dropped, not held at the wire`, () => {
        const r = run(scenario(kind, { vm: 'b', nic: 'net', direction: 'receive' }, [{ at: '5ms', do: action, vm: 'b' }]));
        const drops = dropsAtSwitch(r.records);
        expect(drops.length).toBeGreaterThan(50);
        // Those kept while b was Saving stay held by its saved state (named); none is lost.
        expect(r.output.completed).toBe(100 - r.stuck.length); // completed counts the dropped too
        expect(r.stuck.length > 0).toBe(state === 'Saved');
        expect(r.stuck.every((x) => x.heldBy?.vm === 'b' && x.heldBy.state === 'Saved')).toBe(true);
        // Nothing waits for the VM at the wire: no packet is held.
        expect(r.records.some((x) => x.kind === 'vm.io.held')).toBe(false);
        // The frames reached the wire at their times (the last at 99 ms), not after a restore.
        const arrived = r.records.filter((x) => x.kind === 'wire.frame.arrived');
        expect(arrived).toHaveLength(100);
        expect(Math.max(...arrived.map((x) => x.t))).toBeLessThan(100_000_000);
      });
    }
  }

  it('a VM that starts off: frames sent to it are dropped until it runs', () => {
    const s = scenario('synthetic', { vm: 'a', nic: 'net', direction: 'send', to: 'b/net' }, [{ at: '50ms', do: 'start', vm: 'b' }]);
    (s.vms as { initialState?: string }[])[1]!.initialState = 'off';
    const r = run(s);
    const drops = dropsAtSwitch(r.records);
    // Its boot takes longer than the run's 100 frames: every one finds it Off or Starting.
    expect(drops).toHaveLength(100);
    expect(drops.every((d) => d.state === 'Off' || d.state === 'Starting')).toBe(true);
    expect(r.records.some((x) => x.kind === 'netvsc.frame.received')).toBe(false);
    expect(r.output.completed).toBe(100); // completed counts the dropped too
  });
});

describe('a paused VM keeps its port and its buffers', () => {
  const stateAt = (records: { kind: string; t: number }[], to: string) => records.find((x) => x.kind === 'vm.state.changed' && (x as unknown as { to: string }).to === to)!.t;

  for (const kind of ['synthetic', 'legacy'] as const) {
    for (const direction of ['send', 'receive'] as const) {
      it(`${kind}, ${direction === 'send' ? 'VM to VM' : 'from the wire'}: frames while b is paused wait in its port and reach it after the resume, none lost`, () => {
        const traffic = direction === 'send' ? { vm: 'a', nic: 'net', direction, to: 'b/net' } : { vm: 'b', nic: 'net', direction };
        const r = run(
          scenario(kind, traffic, [
            { at: '20ms', do: 'pause', vm: 'b' },
            { at: '60ms', do: 'resume', vm: 'b' },
          ]),
        );
        const paused = stateAt(r.records, 'Paused');
        const running = r.records.filter((x) => x.kind === 'vm.state.changed' && (x as unknown as { to: string }).to === 'Running').at(-1)!.t;
        expect(r.output.dropped).toBe(0);
        expect(r.output.completed).toBe(100);
        expect(r.stuck).toEqual([]);
        const kept = r.records.filter((x) => x.kind === 'vswitch.frame.kept');
        // About 40 frames came in the 40 ms b was paused; each waited until it ran again.
        expect(kept.length).toBeGreaterThan(30);
        // The guest took nothing while paused: every frame it took, it took before the pause or after the resume.
        const took = r.records.filter((x) => x.kind === (kind === 'synthetic' ? 'netvsc.frame.received' : 'nic.descriptor.reclaimed') && (kind === 'synthetic' || (x as unknown as { ring: string }).ring === 'rx'));
        expect(took).toHaveLength(100);
        expect(took.filter((x) => x.t > paused && x.t < running)).toEqual([]);
      });
    }
  }

  it('legacy: frames beyond its receive descriptors are dropped (port buffers full); a turn-off drops those kept', () => {
    // 10,000 frames/s for 50 ms to a VM paused from 5 ms: 128 kept (the 21140's receive ring), the rest dropped.
    const r = run(
      scenario('legacy', { vm: 'b', nic: 'net', direction: 'receive', count: 500, packetsPerSecond: 10_000 }, [
        { at: '5ms', do: 'pause', vm: 'b' },
        { at: '80ms', do: 'turn-off', vm: 'b' },
      ]),
    );
    const drops = dropsAtSwitch(r.records);
    const full = drops.filter((d) => d.reason === 'port-buffers-full');
    const disconnected = drops.filter((d) => d.reason === 'port-disconnected');
    expect(disconnected).toHaveLength(128);
    expect(full.length).toBeGreaterThan(200);
    expect(r.output.completed).toBe(500);
    expect(r.output.dropped).toBe(drops.length);
    expect(r.stuck).toEqual([]);
  });
});

describe('frames kept by a VM that is saved', () => {
  for (const kind of ['synthetic', 'legacy'] as const) {
    it(`${kind}: are saved with its memory and reach the guest after its restore; those that come while it is saved are dropped`, () => {
      const r = run(
        scenario(kind, { vm: 'a', nic: 'net', direction: 'send', to: 'b/net' }, [
          { at: '10ms', do: 'pause', vm: 'b' },
          { at: '30ms', do: 'save', vm: 'b' },
          { at: '200ms', do: 'restore', vm: 'b' },
        ]),
      );
      const restored = r.records.filter((x) => x.kind === 'vm.state.changed' && (x as unknown as { to: string }).to === 'Running').at(-1)!.t;
      const kept = r.records.filter((x) => x.kind === 'vswitch.frame.kept');
      const released = r.records.filter((x) => x.kind === 'vswitch.frame.released');
      expect(kept.length).toBeGreaterThan(20);
      expect(released).toHaveLength(kept.length);
      expect(released.every((x) => x.t === restored)).toBe(true);
      const drops = dropsAtSwitch(r.records);
      expect(drops.length).toBeGreaterThan(20);
      expect(drops.every((d) => d.reason === 'port-disconnected' && (d.state === 'Saved' || d.state === 'Restoring'))).toBe(true);
      expect(r.output.completed).toBe(100);
      expect(r.output.dropped).toBe(drops.length);
      const took = r.records.filter((x) => x.kind === (kind === 'synthetic' ? 'netvsc.frame.received' : 'nic.descriptor.reclaimed') && (kind === 'synthetic' || (x as unknown as { ring: string }).ring === 'rx'));
      expect(took).toHaveLength(100 - drops.length);
      expect(took.filter((x) => x.t >= restored)).toHaveLength(kept.length);
    });
  }

  it('are lost when a revert replaces the memory they are in, not delivered into the snapshot', () => {
    // b is snapshotted running, paused at 40 ms (frames kept), reverted at 60 ms (the snapshot was running: Saved), restored at 200 ms.
    const r = run(
      scenario('synthetic', { vm: 'a', nic: 'net', direction: 'send', to: 'b/net' }, [
        { at: '1ms', do: 'snapshot', vm: 'b' },
        { at: '40ms', do: 'pause', vm: 'b' },
        { at: '60ms', do: 'revert', vm: 'b' },
        { at: '200ms', do: 'restore', vm: 'b' },
      ]),
    );
    const reverted = r.records.find((x) => x.kind === 'vm.snapshot.reverted')!.t;
    const paused = r.records.find((x) => x.kind === 'vm.action.requested' && (x as unknown as { action: string }).action === 'pause')!.t;
    // (The snapshot's own pause keeps a few too: those reach b when it resumes.)
    const kept = r.records.filter((x) => x.kind === 'vswitch.frame.kept' && x.t >= paused && x.t < reverted);
    expect(kept.length).toBeGreaterThan(10);
    const lost = dropsAtSwitch(r.records).filter((d) => d.reason === 'memory-reverted');
    expect(lost).toHaveLength(kept.length);
    expect(r.stuck).toEqual([]);
    expect(r.output.completed).toBe(100);
    // Nothing reaches b from before the revert once it runs again.
    const took = r.records.filter((x) => x.kind === 'netvsc.frame.received');
    expect(took.filter((x) => x.t >= reverted)).toEqual([]);
  });

  it('a run that ends with the VM saved names the frames it keeps, held by its state', () => {
    const r = run(scenario('synthetic', { vm: 'b', nic: 'net', direction: 'receive' }, [
      { at: '10ms', do: 'pause', vm: 'b' },
      { at: '30ms', do: 'save', vm: 'b' },
    ]));
    const kept = r.records.filter((x) => x.kind === 'vswitch.frame.kept');
    expect(kept.length).toBeGreaterThan(10);
    expect(r.stuck).toHaveLength(kept.length);
    expect(r.stuck.every((x) => x.heldBy?.vm === 'b' && x.heldBy.state === 'Saved')).toBe(true);
  });
});

describe('a synthetic NIC before its guest has netvsc', () => {
  it('drops frames from the wire until integration services load (no receive buffer yet), then takes them', () => {
    const s = {
      version: 1,
      name: 'no-netvsc-yet',
      seed: 1,
      profile: '2008',
      host: { logicalProcessors: 4, disks: [{ id: 'd0', kind: 'ssd' }] },
      vms: [{ id: 'a', integrationServices: false, nics: [{ id: 'net', kind: 'synthetic' }] }],
      traffic: [{ vm: 'a', nic: 'net', direction: 'receive', count: 100, packetsPerSecond: 1000, bytes: 1514 }],
      actions: [{ at: '50ms', do: 'load-integration-services', vm: 'a' }],
    };
    const r = run(s);
    const opened = r.records.find((x) => x.kind === 'vmbus.channel.changed' && (x as unknown as { state: string }).state === 'open')!.t;
    const drops = dropsAtSwitch(r.records);
    // The frames before the channel opened (about 50 of them) found no receive buffer.
    expect(drops.length).toBeGreaterThan(40);
    expect(drops.every((d) => d.reason === 'no-receive-buffer' && d.port === 'a/net')).toBe(true);
    const taken = r.records.filter((x) => x.kind === 'netvsc.frame.received');
    expect(taken.length).toBe(100 - drops.length);
    expect(taken.every((x) => x.t > opened)).toBe(true);
    expect(r.output.completed).toBe(100);
    expect(r.output.dropped).toBe(drops.length);
  });
});
