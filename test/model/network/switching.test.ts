/**
 * The virtual switch and the shared buffers: VM-to-VM frames stay off the
 * wire, frames to an unknown port leave by the uplink, large frames take
 * netvsc's GPA page-list path (no copy), every section and range comes
 * back, and runs are deterministic.
 */
import { describe, expect, it } from 'vitest';
import { NetRig, flowViolations, perPacket, tallyStream } from './harness.js';

describe('virtual switch', () => {
  it('forwards a synthetic VM’s frames to another VM’s port without touching the physical NIC', () => {
    const rig = new NetRig({ vms: [{ id: 'a', kind: 'synthetic' }, { id: 'b', kind: 'legacy' }] });
    rig.start('a', { direction: 'send', count: 10, to: rig.nic('b').port });
    const { reason, records } = rig.run();
    expect(reason).toBe('empty');
    expect(flowViolations(records)).toEqual([]);
    expect(records.some((r) => r.kind === 'wire.frame.sent' || r.kind === 'wire.frame.arrived')).toBe(false);
    const forwarded = records.filter((r) => r.kind === 'vswitch.frame.forwarded');
    expect(forwarded.every((r) => r.from === 'a/net' && r.to === 'b/net')).toBe(true);
    // The receiving legacy VM took each frame through its emulator and handler.
    expect(records.filter((r) => r.kind === 'nic.frame.received')).toHaveLength(10);
    expect(records.filter((r) => r.kind === 'vswitch.frame.copied' && r.port === 'b/net')).toHaveLength(10);
  });

  it('sends a frame for an unknown port out of the physical NIC', () => {
    const rig = new NetRig({ vms: [{ id: 'a', kind: 'legacy' }] });
    rig.start('a', { direction: 'send', count: 3, to: 'elsewhere/net' });
    const { records } = rig.run();
    expect(records.filter((r) => r.kind === 'wire.frame.sent')).toHaveLength(3);
    expect(records.filter((r) => r.kind === 'vswitch.frame.forwarded').every((r) => r.to === 'external')).toBe(true);
  });
});

describe('netvsc buffers', () => {
  it('copies a full frame into a send-buffer section, but sends a 9,000-byte frame as a GPA page list', () => {
    for (const [bytes, mode] of [
      [1514, 'send-buffer'],
      [9000, 'gpa-direct'],
    ] as const) {
      const rig = new NetRig({ vms: [{ id: 'vm', kind: 'synthetic' }] });
      rig.start('vm', { direction: 'send', count: 2, bytes });
      const { records } = rig.run();
      expect(records.filter((r) => r.kind === 'netvsc.packet.built').every((r) => r.mode === mode)).toBe(true);
      expect(records.some((r) => r.kind === 'netvsc.send-buffer.copied')).toBe(mode === 'send-buffer');
      const written = records.find((r) => r.kind === 'vmbus.ring.written' && r.ring === 'outbound')!;
      expect(written.kind === 'vmbus.ring.written' && written.packetType).toBe(mode === 'send-buffer' ? 'DATA_INBAND' : 'DATA_USING_GPA_DIRECT');
    }
  });

  it('gets every send section and receive range back', () => {
    const rig = new NetRig({ vms: [{ id: 'vm', kind: 'synthetic' }] });
    rig.start('vm', { direction: 'send', count: 50, packetsPerSecond: 500_000 }, 0);
    rig.start('vm', { direction: 'receive', count: 50, packetsPerSecond: 500_000 }, 1);
    const { records } = rig.run();
    expect(flowViolations(records)).toEqual([]);
    const t = tallyStream(records, rig.nic('vm').stream);
    expect(t.packets).toBe(100);
    // Transfer-page packets name receive-buffer ranges; completions free them.
    expect(records.filter((r) => r.kind === 'netvsp.range.freed')).toHaveLength(50);
    expect(records.filter((r) => r.kind === 'netvsc.send.completed')).toHaveLength(50);
  });

  it('the legacy NIC refuses frames longer than 1,518 bytes', () => {
    const rig = new NetRig({ vms: [{ id: 'vm', kind: 'legacy' }] });
    rig.start('vm', { direction: 'send', count: 1, bytes: 9000 });
    expect(() => rig.run()).toThrow(/at most 1518 bytes/);
  });
});

describe('determinism', () => {
  const build = (seed: number) => {
    const rig = new NetRig({ seed, vms: [{ id: 'leg', kind: 'legacy' }, { id: 'syn', kind: 'synthetic' }] });
    rig.start('leg', { direction: 'send', count: 60, packetsPerSecond: 30_000, arrival: 'poisson' }, 0);
    rig.start('syn', { direction: 'receive', count: 60, packetsPerSecond: 30_000, arrival: 'poisson' }, 1);
    rig.run();
    return rig;
  };

  it('the same seed gives the same trace fingerprint; another seed another one', () => {
    const a = build(7);
    const b = build(7);
    expect(a.sink.records.length).toBeGreaterThan(1000);
    expect(a.fingerprint()).toBe(b.fingerprint());
    expect(build(8).fingerprint()).not.toBe(a.fingerprint());
  });

  it('two NICs sharing the host still keep every packet inside its flow', () => {
    const rig = build(3);
    expect(flowViolations(rig.sink.records)).toEqual([]);
    expect(perPacket(tallyStream(rig.sink.records, rig.nic('syn').stream)).rootUserTransitions).toBe(0);
  });
});
