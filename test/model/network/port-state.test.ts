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
        // Every packet ends: delivered before the stop, dropped after; none delivered to b once it is down.
        expect(r.output.completed).toBe(100); // completed counts the dropped too
        expect(r.output.dropped).toBe(drops.length);
        const received = r.records.filter((x) => x.kind === (kind === 'synthetic' ? 'netvsc.frame.received' : 'nic.frame.received'));
        expect(received.length).toBe(100 - drops.length);
        expect(r.stuck).toEqual([]);
      });

      it(`${kind}: from the wire, the destination ${state}: frames arrive and are dropped, not held at the wire`, () => {
        const r = run(scenario(kind, { vm: 'b', nic: 'net', direction: 'receive' }, [{ at: '5ms', do: action, vm: 'b' }]));
        const drops = dropsAtSwitch(r.records);
        expect(drops.length).toBeGreaterThan(50);
        expect(r.output.completed).toBe(100); // completed counts the dropped too
        expect(r.stuck).toEqual([]);
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
