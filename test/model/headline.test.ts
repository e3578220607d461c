/**
 * The headline, asserted from the simulation: what one 10 KiB write costs on
 * the PIO, DMA and synthetic paths (reference §3, §9; issue bar).
 */
import { describe, expect, it } from 'vitest';
import { ArraySink, fingerprintOf } from '../../src/engine/index.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { runWorld } from '../../src/model/world.js';
import { tally } from './tally.js';
import { headline } from './worlds.js';

function run(config = headline()) {
  const sink = new ArraySink<HvRecord>();
  const output = runWorld(config, sink);
  return { output, records: sink.records };
}

describe('emulated vs synthetic, profile 2008', () => {
  const { output, records } = run();
  const pio = tally(records, 'legacy-pio/d/ide-pio');
  const dma = tally(records, 'legacy-dma/d/ide-dma');
  const syn = tally(records, 'enlightened/d/vmbus-scsi');

  it('completes every request and stops because the work is done', () => {
    expect(output.stop).toBe('empty');
    expect([pio.requests, dma.requests, syn.requests]).toEqual([1, 1, 1]);
  });

  it('PIO: 20 interrupts and 130-220 exits when string I/O traps once per instruction', () => {
    expect(pio.interrupts).toBe(20);
    const exits = Object.values(pio.exits).reduce((a, b) => a + b, 0);
    expect(exits).toBeGreaterThanOrEqual(130);
    expect(exits).toBeLessThanOrEqual(220);
    expect(pio.exits['eoi']).toBe(20);
    expect(pio.rootUserTransitions).toBeGreaterThan(100);
  });

  it('DMA: about 25-30 register accesses and one interrupt', () => {
    expect(dma.registerAccesses).toBeGreaterThanOrEqual(25);
    expect(dma.registerAccesses).toBeLessThanOrEqual(30);
    expect(dma.interrupts).toBe(1);
  });

  it('synthetic: at most 3 guest exits, no root user-mode transition, 2 ring packets', () => {
    expect(syn.guestExits).toBeLessThanOrEqual(3);
    expect(syn.rootUserTransitions).toBe(0);
    expect(syn.ringPackets).toBe(2);
    expect(syn.registerAccesses).toBe(0);
  });

  it('latency falls PIO > DMA > synthetic', () => {
    expect(pio.latencyNs[0]!).toBeGreaterThan(dma.latencyNs[0]!);
    expect(dma.latencyNs[0]!).toBeGreaterThan(syn.latencyNs[0]!);
  });

  // Parts may overlap (the root finishes an intercept while the disk already works), so the
  // breakdown covers the latency and exceeds it by at most the overlapping root work.
  it('each request is one flow whose records cover its whole latency (time by place adds up)', () => {
    for (const stream of ['legacy-dma/d/ide-dma', 'enlightened/d/vmbus-scsi']) {
      const mine = records.filter((r) => r.stream === stream);
      const issued = mine.find((r) => r.kind === 'io.request.issued')!;
      const done = mine.find((r) => r.kind === 'io.request.completed')!;
      const busy = mine.reduce((sum, r) => sum + r.costNs + (r.waitNs ?? 0), 0);
      expect(busy).toBeGreaterThan(0.9 * (done.t - issued.t));
      expect(busy).toBeLessThanOrEqual(1.05 * (done.t - issued.t));
    }
  });
});

describe('string I/O trapping once per element', () => {
  it('costs more than 5,000 register accesses for one 10 KiB PIO write', () => {
    const { records } = run(headline('2008', 'per-element'));
    const pio = tally(records, 'legacy-pio/d/ide-pio');
    expect(pio.registerAccesses).toBeGreaterThan(5000);
    expect(pio.interrupts).toBe(20);
  });
});

describe('profile modern (NVMe)', () => {
  it('keeps the order and shrinks every latency', () => {
    const old = run();
    const modern = run(headline('modern'));
    for (const stream of ['legacy-pio/d/ide-pio', 'legacy-dma/d/ide-dma', 'enlightened/d/vmbus-scsi']) {
      expect(tally(modern.records, stream).latencyNs[0]!).toBeLessThan(tally(old.records, stream).latencyNs[0]!);
    }
    const [p, d, s] = ['legacy-pio/d/ide-pio', 'legacy-dma/d/ide-dma', 'enlightened/d/vmbus-scsi'].map((x) => tally(modern.records, x).latencyNs[0]!);
    expect(p!).toBeGreaterThan(d!);
    expect(d!).toBeGreaterThan(s!);
  });
});

describe('determinism', () => {
  it('the same world twice gives the same trace fingerprint', () => {
    const a = fingerprintOf(run(headline('2008', 'per-instruction', 5)).records);
    const b = fingerprintOf(run(headline('2008', 'per-instruction', 5)).records);
    expect(a).toBe(b);
  });
  it('another seed with random LBAs gives another fingerprint', () => {
    const withSeed = (seed: number) => {
      const c = headline('2008', 'per-instruction', 3);
      return fingerprintOf(run({ ...c, seed, workloads: c.workloads.map((w) => ({ ...w, pattern: 'random' as const })) }).records);
    };
    expect(withSeed(1)).not.toBe(withSeed(2));
    expect(withSeed(1)).toBe(withSeed(1));
  });
});
