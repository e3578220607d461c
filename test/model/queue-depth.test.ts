/** Batching at queue depth emerges from the ring rules (reference §2.2–2.3, §9.4): signals per I/O fall as QD rises. */
import { describe, expect, it } from 'vitest';
import { ArraySink } from '../../src/engine/index.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { runWorld } from '../../src/model/world.js';
import { tally } from './tally.js';
import { queueDepths } from './worlds.js';

describe('synthetic writes at QD 1, 4, 16, 32', () => {
  const sink = new ArraySink<HvRecord>();
  const output = runWorld(queueDepths([1, 4, 16, 32], 1000), sink);
  const perIo = (qd: number) => {
    const t = tally(sink.records, `qd${qd}/d/vmbus-scsi`);
    return { requests: t.requests, toHost: t.signalsToHost / t.requests, packets: t.ringPackets / t.requests };
  };

  it('completes all requests', () => {
    expect(output.stop).toBe('empty');
    for (const qd of [1, 4, 16, 32]) expect(perIo(qd).requests).toBe(1000);
  });

  it('guest-to-host signals per I/O fall from about 1 at QD 1 to under 0.25 at QD 32', () => {
    expect(perIo(1).toHost).toBeGreaterThan(0.95);
    expect(perIo(4).toHost).toBeLessThan(perIo(1).toHost);
    expect(perIo(32).toHost).toBeLessThan(0.25);
  });

  it('every request is still one packet each way', () => {
    for (const qd of [1, 4, 16, 32]) expect(perIo(qd).packets).toBe(2);
  });

  it('suppressed signals say why: the reader was masked or the ring was not empty', () => {
    const reasons = new Set(sink.records.filter((r) => r.kind === 'vmbus.signal.suppressed').map((r) => (r.kind === 'vmbus.signal.suppressed' ? r.reason : '')));
    expect([...reasons].sort()).toEqual(['reader-masked', 'ring-not-empty']);
  });
});

describe('one VM past the queue depth its CPU can serve', () => {
  // The VM's VP and its channel's root work share one LP (logical-processors.ts), so IOPS is
  // CPU-bound at about 1 / (CPU time per I/O) from QD 16 on: deeper queues add latency, not
  // throughput, and must not lose any. storvsp writes each wake's completions as one batch; a
  // batch's writes once held its worker for the sum of their waits (quadratic in the batch), with
  // its LP idle meanwhile, and IOPS fell from 60K at QD 16 to 48K at QD 64.
  const iops = (qd: number): { iops: number; cpuBusy: number } => {
    const sink = new ArraySink<HvRecord>();
    const output = runWorld(queueDepths([qd], 2000), sink);
    expect(output.stop).toBe('empty');
    let end = 0;
    let busy = 0;
    for (const r of sink.records) {
      if (r.kind === 'io.request.completed') end = r.t;
      if (r.lp >= 0) busy += r.costNs;
    }
    return { iops: 2000 / (end / 1e9), cpuBusy: busy / end };
  };
  const at16 = iops(16);
  const at64 = iops(64);

  it('keeps its IOPS and its one LP busy at QD 64', () => {
    expect(at16.cpuBusy).toBeGreaterThan(0.9);
    expect(at64.cpuBusy).toBeGreaterThan(0.95);
    expect(at64.iops).toBeGreaterThan(0.98 * at16.iops);
  });
});

describe("storvsp's poll-mode depth (OpenVMM poll_mode_queue_depth)", () => {
  // A spinning disk at QD 4: milliseconds between completions. With the default depth 1 storvsp keeps
  // its interrupt masked while any I/O is in flight, so the guest never signals and a new request waits
  // for the next completion to be seen; at 256 (reference §9.4's rule: unmask and re-check when the ring
  // is drained) it waits for the guest's signal or a completion, whichever comes first.
  const onHdd = (pollDepth?: number) => {
    const base = queueDepths([4], 300);
    const config = {
      ...base,
      host: { ...base.host, disks: base.host.disks.map((d) => ({ ...d, kind: 'hdd' as const })) },
      costs: pollDepth === undefined ? base.costs : { ...base.costs, storvsp_poll_mode_queue_depth: pollDepth },
    };
    const sink = new ArraySink<HvRecord>();
    const out = runWorld(config, sink);
    const t = tally(sink.records, 'qd4/d/vmbus-scsi');
    const end = sink.records.filter((r) => r.kind === 'io.request.completed').at(-1)!.t;
    return { out, toHost: t.signalsToHost / t.requests, iops: t.requests / (end / 1e9) };
  };
  const masked = onHdd();
  const armed = onHdd(256);

  it('changes who wakes whom, and loses nothing', () => {
    expect(masked.out.completed).toBe(300);
    expect(armed.out.completed).toBe(300);
    expect(masked.toHost).toBeLessThan(0.05);
    expect(armed.toHost).toBeGreaterThan(0.9);
  });

  it('lets a request reach the disk sooner when interrupts stay armed', () => {
    expect(armed.iops).toBeGreaterThan(masked.iops);
  });
});
