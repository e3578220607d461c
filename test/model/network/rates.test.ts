/**
 * At high packet rates nothing is counted by formula: the legacy NIC's
 * handler picks up several frames per interrupt (its CSR5 re-read loop and
 * the IOAPIC's Remote IRR), and the synthetic channel signals only on
 * empty -> non-empty with the reader unmasked, so exits and interrupts per
 * packet fall. The wire caps both (1 Gb/s: 81,274 full frames/s).
 */
import { describe, expect, it } from 'vitest';
import { computePathMetrics } from '../../../src/metrics/path-metrics.js';
import { resolveCosts, type CostTable } from '../../../src/model/costs.js';
import type { NicKind } from '../../../src/model/network/network-paths.js';
import { RX_DESCRIPTORS } from '../../../src/model/network/physical-nic.js';
import { NetRig, flowViolations, perPacket, tallyStream } from './harness.js';

function run(kind: NicKind, direction: 'send' | 'receive', packetsPerSecond: number, profile: '2008' | 'modern' = '2008', count = 300, costs?: Partial<CostTable>) {
  const rig = new NetRig({ profile, vms: [{ id: 'vm', kind }], ...(costs === undefined ? {} : { costs: { ...resolveCosts(profile), ...costs } }) });
  rig.start('vm', { direction, count, packetsPerSecond });
  const { records } = rig.run();
  const tally = tallyStream(records, rig.nic('vm').stream);
  const first = records.find((r) => r.kind === 'io.request.issued')!.t;
  const last = records.filter((r) => r.kind === 'io.request.completed').at(-1)!.t;
  return { records, tally, per: perPacket(tally), achievedPps: tally.packets / ((last - first) / 1e9) };
}

describe('batching emerges at high rates (profile 2008, 200,000 packets/s offered)', () => {
  it('legacy send: fewer interrupts and exits per packet than at 1,000/s', () => {
    const slow = run('legacy', 'send', 1000);
    const fast = run('legacy', 'send', 200_000);
    expect(fast.tally.packets).toBe(300);
    expect(flowViolations(fast.records)).toEqual([]);
    expect(fast.per.interrupts).toBeLessThan(0.5);
    expect(fast.per.exits).toBeLessThan(slow.per.exits / 2);
    // Still at least the CSR1 write per frame: the poll demand is not batched by the driver.
    expect(fast.per.exitsByReason['io-port']).toBeGreaterThanOrEqual(1);
  });

  it('synthetic send: most packets find the ring non-empty or the host draining, so send no signal', () => {
    const fast = run('synthetic', 'send', 200_000);
    expect(fast.tally.packets).toBe(300);
    expect(flowViolations(fast.records)).toEqual([]);
    expect(fast.per.signalsToHost).toBeLessThan(0.5);
    expect(fast.per.exits).toBeLessThan(0.5);
  });

  it('the synthetic NIC reaches the wire rate; the legacy NIC, bound by its intercepts, does not', () => {
    const legacy = run('legacy', 'send', 200_000);
    const synthetic = run('synthetic', 'send', 200_000);
    // 1,538 wire bytes at 1 Gb/s: 12.3 µs, 81,274 frames/s; the next frame's 1 µs DMA overlaps the wire time.
    expect(synthetic.achievedPps).toBeGreaterThan(0.97 * (1e9 / 8 / 1538));
    expect(synthetic.achievedPps).toBeLessThan(1e9 / 8 / 1538);
    expect(legacy.achievedPps).toBeLessThan(synthetic.achievedPps * 0.75);
  });
});

/**
 * The 21140's own receive ring running out: with the NIC's DPC on the VM's LP beside the worker
 * (`nic_receive_one_lp` 0), that LP is the bottleneck and the card's descriptors run out first; with
 * the DPC on LP 0 (the default) the physical NIC's ring overflows first (`receive-lp.test.ts`). Both
 * overloads below take an interrupt per frame (`nic_interrupt_moderation` 0), the heaviest receive
 * path; `moderation.test.ts` has the moderated one.
 */
describe('overload (profile modern, legacy receive at 200,000 frames/s, the receive DPC on the VM\'s LP)', () => {
  it('runs out of receive descriptors (RU), drops frames, and every frame’s flow still completes', () => {
    const r = run('legacy', 'receive', 200_000, 'modern', 400, { nic_receive_one_lp: 0, nic_interrupt_moderation: 0 });
    expect(r.tally.packets).toBe(400);
    expect(flowViolations(r.records)).toEqual([]);
    expect(r.records.some((x) => x.kind === 'nic.frame.dropped' && x.reason === 'no-rx-descriptor')).toBe(true);
    // The handler cleared the abnormal source the way tulip_interrupt does.
    expect(r.records.some((x) => x.kind === 'nic.csr.accessed' && x.register === 'CSR5' && x.value === 0x0800f7ba)).toBe(true);
  });

  it('ends each dropped frame’s request as dropped, and the figures count it apart from the delivered ones', () => {
    const r = run('legacy', 'receive', 200_000, 'modern', 400, { nic_receive_one_lp: 0, nic_interrupt_moderation: 0 });
    const droppedFlows = new Set(r.records.filter((x) => x.kind === 'nic.frame.dropped').map((x) => x.flow));
    const ends = r.records.filter((x) => x.kind === 'io.request.completed');
    expect(droppedFlows.size).toBeGreaterThan(0);
    expect(ends.filter((x) => x.dropped === true).map((x) => x.flow).sort((a, b) => a - b)).toEqual([...droppedFlows].sort((a, b) => a - b));
    const [path] = computePathMetrics(r.records);
    expect(path!.dropped).toBe(droppedFlows.size);
    expect(path!.requests).toBe(400 - droppedFlows.size);
    expect(path!.latencyNs.count).toBe(path!.requests);
    expect(path!.bytes).toBe(path!.requests * 1514);
  });
});

describe('the physical NIC\'s receive ring (synthetic receive of 60-byte frames at 200,000/s, more than the root copies)', () => {
  it('holds at most RX_DESCRIPTORS frames: the rest are dropped and said so, and every request ends', () => {
    const rig = new NetRig({ profile: '2008', vms: [{ id: 'vm', kind: 'synthetic' }], costs: { ...resolveCosts('2008'), nic_interrupt_moderation: 0 } });
    rig.start('vm', { direction: 'receive', count: 3000, packetsPerSecond: 200_000, bytes: 60 });
    const { records } = rig.run();
    const drops = records.filter((r) => r.kind === 'nic.frame.dropped' && r.reason === 'rx-ring-full');
    expect(drops.length).toBeGreaterThan(0);
    expect(flowViolations(records)).toEqual([]);
    const ends = records.filter((r) => r.kind === 'io.request.completed');
    expect(ends.length).toBe(3000);
    expect(ends.filter((r) => r.dropped === true).length).toBe(drops.length);
    // A frame waits for the wire behind at most the ring's other frames: never the whole backlog of an unbounded queue.
    const waits = records.filter((r) => r.kind === 'wire.queue.waited').map((r) => r.waitNs ?? 0);
    const perFrameNs = records.find((r) => r.kind === 'wire.frame.arrived')!.costNs;
    expect(Math.max(...waits)).toBeLessThanOrEqual(RX_DESCRIPTORS * perFrameNs);
  });
});
