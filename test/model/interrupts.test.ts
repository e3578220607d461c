/**
 * Every interrupt transition (issue 10 item 5), asserted from the trace:
 * the root's physical completion interrupt goes through the hypervisor on a
 * virtual path and straight to the OS on the native one; a guest VP exits
 * for it only while it runs; the guest's VMBus ISR queues a DPC; and APIC
 * virtualization (the modern profile) spares the exit of an edge-triggered
 * EOI but not of a level-triggered one.
 */
import { describe, expect, it } from 'vitest';
import { ArraySink } from '../../src/engine/index.js';
import { resolveCosts } from '../../src/model/costs.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { runWorld } from '../../src/model/world.js';
import type { WorldConfig } from '../../src/model/world-config.js';
import { NetRig } from './network/harness.js';
import { headline, queueDepths, worldDefaults } from './worlds.js';

function run(config: WorldConfig): HvRecord[] {
  const sink = new ArraySink<HvRecord>();
  runWorld(config, sink);
  return sink.records;
}

const ofStream = (records: HvRecord[], stream: string) => records.filter((r) => r.stream === stream);
const ofKind = <K extends HvRecord['kind']>(records: HvRecord[], kind: K) => records.filter((r): r is Extract<HvRecord, { kind: K }> => r.kind === kind);

/** A native host and a pass-through VM writing the same 10 KiB to identical disks. */
function nativeVsPassthrough(): WorldConfig {
  const disk = (id: string) => ({ id, kind: 'ssd' as const, sectors: 100 * 2097152, writeCache: false });
  const vm = (id: string, native: boolean, disk: string) => ({
    id,
    os: 'windows' as const,
    integrationServices: true,
    autoEoi: true,
    native,
    disks: [{ id: 'd', controller: 'scsi' as const, ideMode: 'dma' as const, backend: { kind: 'passthrough' as const, disk } }],
  });
  return {
    ...worldDefaults('native-vs-passthrough', '2008'),
    host: { logicalProcessors: 4, disks: [disk('n'), disk('p')] },
    vms: [vm('native', true, 'n'), vm('pt', false, 'p')],
    workloads: ['native', 'pt'].map((v) => ({ vm: v, disk: 'd', op: 'write' as const, bytes: 10240, queueDepth: 1, count: 3, pattern: 'sequential' as const, lba: 0, startNs: 0 })),
    actions: [],
    limits: { maxEvents: 1_000_000, untilNs: 10e9 },
  };
}

describe("the disk's completion interrupt: native vs virtual", () => {
  const records = run(nativeVsPassthrough());
  const native = records.filter((r) => r.stream.startsWith('native/'));
  const pt = records.filter((r) => r.stream.startsWith('pt/'));

  it('native: the OS takes it directly, an ISR and a DPC per I/O, no hypervisor', () => {
    expect(ofKind(native, 'native.interrupt.handled')).toHaveLength(3);
    expect(ofKind(native, 'cpu.dpc.ran')).toHaveLength(3);
    expect(native.filter((r) => r.band === 'hypervisor')).toEqual([]);
  });

  it('virtual: the hypervisor hands the HBA interrupt to the root VP, whose ISR and DPC then run, once per device I/O', () => {
    const devIos = ofKind(pt, 'disk.request.serviced').length;
    expect(devIos).toBe(3);
    const remapped = ofKind(pt, 'hv.interrupt.injected').filter((r) => r.via === 'remapped');
    expect(remapped).toHaveLength(devIos);
    expect(remapped.every((r) => r.target === 'root' && r.charge === 'hypervisor' && r.costNs > 0)).toBe(true);
    const isr = ofKind(pt, 'hw.interrupt.handled');
    expect(isr).toHaveLength(devIos);
    expect(isr.every((r) => r.charge === 'root' && r.place === 'root.storport')).toBe(true);
    const dpc = ofKind(pt, 'cpu.dpc.ran').filter((r) => r.partition === 'root');
    expect(dpc).toHaveLength(devIos);
    // Each in order: injection, ISR, DPC, on the request's own flow (it is that I/O's completion).
    for (let i = 0; i < devIos; i++) {
      expect(isr[i]!.cause).toBe(remapped[i]!.seq);
      expect(dpc[i]!.cause).toBe(isr[i]!.seq);
      expect(remapped[i]!.flow).toBeGreaterThanOrEqual(0);
    }
  });

  it('the root interrupt is not counted as an interrupt into the child', () => {
    expect(ofKind(pt, 'hv.interrupt.injected').filter((r) => r.target !== 'root')).toHaveLength(3); // the completions' SynIC interrupts
  });
});

describe('external-interrupt exits', () => {
  it('at queue depth 1 the guest VP is idle when the completion arrives: no exit', () => {
    const records = run(headline('2008'));
    const exits = ofKind(records, 'hv.intercept.exited');
    expect(exits.filter((r) => r.reason === 'external-interrupt')).toEqual([]);
    expect(ofKind(records, 'hv.interrupt.injected').filter((r) => r.via === 'remapped').length).toBeGreaterThan(0);
  });

  it('at queue depth 32 some completions find the guest VP running: it exits, and re-enters after the root has handled it', () => {
    const records = run(queueDepths([32], 400));
    const exits = ofKind(records, 'hv.intercept.exited').filter((r) => r.reason === 'external-interrupt');
    const remapped = ofKind(records, 'hv.interrupt.injected').filter((r) => r.via === 'remapped');
    expect(exits.length).toBeGreaterThan(0);
    expect(exits.length).toBeLessThan(remapped.length);
    const resumed = ofKind(records, 'hv.intercept.resumed').filter((r) => r.reason === 'external-interrupt');
    expect(resumed).toHaveLength(exits.length);
    // Every exit is followed on its strand by the hand-off to the root, whose cause it is.
    const bySeq = new Map(records.map((r) => [r.seq, r]));
    for (const r of remapped) {
      const cause = bySeq.get(r.cause);
      if (cause?.kind === 'hv.intercept.exited') expect(cause.reason).toBe('external-interrupt');
    }
    expect(remapped.filter((r) => bySeq.get(r.cause)?.kind === 'hv.intercept.exited')).toHaveLength(exits.length);
  });
});

describe("the guest's VMBus ISR and DPC", () => {
  const records = ofStream(run(headline('2008')), 'enlightened/d/vmbus-scsi');

  it('the ISR costs CPU, masks the ring, ends with the EOI (auto-EOI here) and queues the DPC that runs the channel callback', () => {
    const at = (kind: HvRecord['kind']) => records.findIndex((r) => r.kind === kind && r.place === 'enlightened.vmbus');
    const isr = records[at('guest.interrupt.handled')]!;
    expect(isr.costNs).toBe(resolveCosts('2008').vmbus_guest_isr);
    expect(at('vmbus.mask.set')).toBeGreaterThan(at('guest.interrupt.handled'));
    expect(at('guest.eoi.written')).toBeGreaterThan(at('vmbus.mask.set'));
    expect(at('cpu.dpc.ran')).toBeGreaterThan(at('guest.eoi.written'));
    const completed = records.findIndex((r) => r.kind === 'storvsc.srb.completed');
    expect(completed).toBeGreaterThan(at('cpu.dpc.ran'));
    expect(ofKind(records, 'guest.eoi.written')).toEqual([expect.objectContaining({ trapped: false, untrapped: 'auto-eoi' })]);
  });
});

describe('APIC virtualization (profile modern) removes edge-triggered EOI exits', () => {
  const eoiTraps = (records: HvRecord[], stream: string) => ofKind(ofStream(records, stream), 'guest.eoi.written').filter((r) => r.trapped).length;

  it('2008: each of the 20 PIO interrupts ends in a trapped EOI; modern: none does, and the PIO write exits 20 times less', () => {
    const old = run(headline('2008'));
    const modern = run(headline('modern'));
    expect(eoiTraps(old, 'legacy-pio/d/ide-pio')).toBe(20);
    expect(eoiTraps(modern, 'legacy-pio/d/ide-pio')).toBe(0);
    const untrapped = ofKind(ofStream(modern, 'legacy-pio/d/ide-pio'), 'guest.eoi.written');
    expect(untrapped).toHaveLength(20);
    expect(untrapped.every((r) => r.untrapped === 'apic-virtualization')).toBe(true);
    const exits = (records: HvRecord[]) => ofKind(ofStream(records, 'legacy-pio/d/ide-pio'), 'hv.intercept.exited').length;
    expect(exits(old) - exits(modern)).toBe(20);
    // The interrupts themselves are the same (the real-trace count).
    expect(ofKind(ofStream(modern, 'legacy-pio/d/ide-pio'), 'hv.interrupt.injected').filter((r) => r.target !== 'root')).toHaveLength(20);
  });

  it("a level-triggered pin (the 21140's INTA#) still exits on EOI in the modern profile: it is in the EOI-exit bitmap", () => {
    expect(resolveCosts('modern').apic_virtualization).toBe(1);
    const rig = new NetRig({ profile: 'modern', vms: [{ id: 'vm', kind: 'legacy' }] });
    rig.start('vm', { direction: 'receive', count: 5, bytes: 1514, packetsPerSecond: 1000 });
    const eois = ofKind(rig.run().records, 'guest.eoi.written');
    expect(eois).toHaveLength(5);
    expect(eois.every((r) => r.trapped)).toBe(true);
  });

  it('an override turns it off again', () => {
    const config = headline('modern');
    const records = run({ ...config, costs: { ...config.costs, apic_virtualization: 0 } });
    expect(eoiTraps(records, 'legacy-pio/d/ide-pio')).toBe(20);
  });
});
