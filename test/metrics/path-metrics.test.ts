import { describe, expect, it } from 'vitest';
import { computePathMetrics, latenciesByStream, type PathMetrics } from '../../src/metrics/index.js';
import { BANDS } from '../../src/model/topology.js';
import { TraceBuilder } from './trace-builder.js';

const A = 'vm1/d1/ide-pio';
const B = 'vm2/d2/vmbus-scsi';

/** Two synthetic-SCSI requests with one of every countable record, written out by hand. */
function synthetic(): TraceBuilder {
  const b = new TraceBuilder({ stream: B });
  const g = { place: 'vm2.storvsc', band: 'guest-kernel', charge: 'guest' } as const;
  const ring = { place: 'vm2.ring', band: 'vmbus' } as const;
  const hv = { place: 'hv', band: 'hypervisor', charge: 'hypervisor' } as const;
  const disk = { place: 'hw.disk', band: 'hardware' } as const;
  const ch = 'vm2.scsi0';
  b.add('io.request.issued', { vm: 'vm2', disk: 'd2', path: 'vmbus-scsi', op: 'write', bytes: 4096, lba: 0 }, { t: 0, flow: 10, place: 'vm2.app', band: 'guest-user' })
    .add('storvsc.srb.built', { operation: 'WRITE', cdb: '2a', blocks: 8, pfns: 1 }, { ...g, t: 100, flow: 10, costNs: 400 })
    .add('vmbus.ring.written', { channel: ch, ring: 'outbound', packetBytes: 96, packetType: 'EXECUTE_SRB', writeIndex: 96, readIndex: 0, wasEmpty: true }, { ...ring, t: 500, flow: 10, costNs: 200, charge: 'guest' })
    .add('vmbus.signal.sent', { channel: ch, direction: 'to-host', via: 'hypercall' }, { ...ring, flow: 10 })
    .add('hv.hypercall.called', { call: 'HvSignalEvent', code: 0x5d }, { ...hv, t: 700, costNs: 300 })
    .add('hv.intercept.exited', { reason: 'hypercall' }, { ...hv, t: 1000, costNs: 700 })
    .add('storvsp.request.processed', { channel: ch }, { place: 'root.storvsp', band: 'root-kernel', t: 2000, costNs: 1000, charge: 'root', flow: 10 })
    .add('disk.request.waited', { disk: 'd2', queued: 1 }, { ...disk, t: 8000, waitNs: 5000, flow: 10 })
    .add('io.request.issued', { vm: 'vm2', disk: 'd2', path: 'vmbus-scsi', op: 'read', bytes: 8192, lba: 8 }, { t: 10_000, flow: 11, place: 'vm2.app', band: 'guest-user' })
    .add('vmbus.ring.written', { channel: ch, ring: 'outbound', packetBytes: 96, packetType: 'EXECUTE_SRB', writeIndex: 192, readIndex: 96, wasEmpty: false }, { ...ring, t: 10_100, flow: 11, costNs: 200, charge: 'guest' })
    .add('vmbus.signal.suppressed', { channel: ch, direction: 'to-host', reason: 'ring-not-empty' }, { ...ring, flow: 11 })
    .add('disk.request.serviced', { disk: 'd2', op: 'write', bytes: 4096, lba: 0, overheadNs: 0, seekNs: 0, rotationNs: 0, transferNs: 20_000, cached: false, source: 'media' }, { ...disk, t: 8000, costNs: 20_000, charge: 'device', flow: 10 })
    .add('vmbus.ring.written', { channel: ch, ring: 'inbound', packetBytes: 48, packetType: 'COMPLETE_IO', writeIndex: 48, readIndex: 0, wasEmpty: true }, { ...ring, t: 30_000, costNs: 200, charge: 'root' })
    .add('vmbus.signal.sent', { channel: ch, direction: 'to-guest', via: 'hypercall' }, ring)
    .add('hv.interrupt.injected', { target: 'vm2', vector: 0x90, via: 'synic' }, { ...hv, costNs: 100 })
    .add('guest.eoi.written', { trapped: false }, { ...g, t: 31_000, costNs: 50 })
    .add('cpu.context.switched', { partition: 'vm2', switchKind: 'thread', to: 'dpc' }, g)
    .add('io.request.completed', { path: 'vmbus-scsi', latencyNs: 38_000 }, { t: 38_000, flow: 10, place: 'vm2.app', band: 'guest-user' })
    .add('io.request.completed', { path: 'vmbus-scsi', latencyNs: 30_000 }, { t: 40_000, flow: 11, place: 'vm2.app', band: 'guest-user' });
  return b;
}

const EXPECTED_B: PathMetrics = {
  stream: B,
  vm: 'vm2',
  disk: 'd2',
  path: 'vmbus-scsi',
  requests: 2,
  issued: 2,
  dropped: 0,
  latencyNs: { count: 2, mean: 34_000, p50: 30_000, p95: 38_000, p99: 38_000, min: 30_000, max: 38_000 },
  perIo: {
    registerAccesses: 0,
    dataWords: 0,
    vmExits: 0.5,
    hypercalls: 0.5,
    interrupts: 0.5,
    eois: 0.5,
    eoiTraps: 0,
    contextSwitches: 0.5,
    rootUserTransitions: 0,
    ringPackets: 1.5,
    ringSignalsToHost: 0.5,
    ringSignalsToGuest: 0.5,
    hltExits: 0,
    metadataIos: 0,
  },
  totals: {
    registerAccesses: 0,
    dataWords: 0,
    vmExits: 1,
    hypercalls: 1,
    interrupts: 1,
    eois: 1,
    eoiTraps: 0,
    contextSwitches: 1,
    rootUserTransitions: 0,
    ringPackets: 3,
    ringSignalsToHost: 1,
    ringSignalsToGuest: 1,
    hltExits: 0,
    metadataIos: 0,
  },
  vmExitsByReason: { 'io-port': 0, eoi: 0, hypercall: 0.5, 'external-interrupt': 0 },
  contextSwitchesByKind: { process: 0, thread: 0.5 },
  // guest-kernel 400 + 50; vmbus 3 x 200; hypervisor 300 + 700 + 100; root-kernel 1000; hardware 5000 wait + 20000 service.
  timeByBandNs: {
    'guest-user': 0,
    'guest-kernel': 225,
    vmbus: 300,
    'root-user': 0,
    'root-kernel': 500,
    hypervisor: 550,
    hardware: 12_500,
  },
  timeByPlaceNs: { 'vm2.app': 0, 'vm2.storvsc': 225, 'vm2.ring': 300, hv: 550, 'root.storvsp': 500, 'hw.disk': 12_500 },
  // guest 400 + 200 + 200 + 50; root 1000 + 200; hypervisor 300 + 700 + 100; the disk's wait is charged to nobody.
  cpuNsPerIo: { guest: 425, root: 600, hypervisor: 550, total: 1575 },
  deviceNsPerIo: 10_000,
  bytes: 12_288,
  iops: 50_000, // 2 requests in 40 us
  throughputBytesPerS: 307_200_000, // 12288 bytes in 40 us
  firstIssueNs: 0,
  lastCompleteNs: 40_000,
};

describe('computePathMetrics', () => {
  it('gives [] for no records', () => {
    expect(computePathMetrics([])).toEqual([]);
  });

  it('computes every field of a synthetic stream', () => {
    const metrics = computePathMetrics(synthetic().records);
    expect(metrics).toEqual([EXPECTED_B]);
  });

  it('lists bands in BANDS order and places in first-appearance order, deterministically', () => {
    const records = synthetic().records;
    const [m] = computePathMetrics(records);
    expect(Object.keys(m!.timeByBandNs)).toEqual([...BANDS]);
    expect(Object.keys(m!.timeByPlaceNs)).toEqual(['vm2.app', 'vm2.storvsc', 'vm2.ring', 'hv', 'root.storvsp', 'hw.disk']);
    expect(Object.keys(m!.vmExitsByReason)).toEqual(['io-port', 'eoi', 'hypercall', 'external-interrupt']);
    expect(JSON.stringify(computePathMetrics(records))).toBe(JSON.stringify(computePathMetrics(records)));
  });

  it('leaves out host-wide records (stream \'\') and never reports a \'\' stream', () => {
    const b = synthetic();
    const host = { stream: '', place: 'hv', band: 'hypervisor', costNs: 1_000_000, charge: 'hypervisor' } as const;
    b.add('hv.intercept.exited', { reason: 'external-interrupt' }, host)
      .add('hv.hypercall.called', { call: 'HvPostMessage', code: 0x5c }, host)
      .add('io.request.completed', { path: 'vmbus-scsi', latencyNs: 1 }, { ...host, t: 99_000_000 })
      .add('cpu.context.switched', { partition: 'root', switchKind: 'process', to: 'system' }, host);
    expect(computePathMetrics(b.records)).toEqual([EXPECTED_B]);

    const onlyHost = new TraceBuilder({ stream: '' });
    onlyHost.add('hv.intercept.exited', { reason: 'eoi' }).add('vmbus.ring.written', { channel: 'c', ring: 'inbound', packetBytes: 1, packetType: 'x', writeIndex: 1, readIndex: 0, wasEmpty: true });
    expect(computePathMetrics(onlyHost.records)).toEqual([]);
  });

  it('counts IDE register accesses, data words, exits by reason, EOI traps, interrupts and root user transitions', () => {
    const b = new TraceBuilder({ stream: A, place: 'vm1.ata', band: 'guest-kernel' });
    const ioExit = { reason: 'io-port' } as const;
    b.add('io.request.issued', { vm: 'vm1', disk: 'd1', path: 'ide-pio', op: 'write', bytes: 512, lba: 0 }, { t: 1000, flow: 1 })
      .add('ide.register.accessed', { port: 0x1f7, register: 'command', access: 'write', value: 0x30 })
      .add('hv.intercept.exited', ioExit)
      // One batched rep outsw: one access of 256 words.
      .add('ide.register.accessed', { port: 0x1f0, register: 'data', access: 'write', words: 256 })
      .add('hv.intercept.exited', ioExit)
      .add('ide.register.accessed', { port: 0x1f7, register: 'status', access: 'read', value: 0x50 })
      .add('hv.intercept.exited', ioExit)
      .add('hv.interrupt.injected', { target: 'vm1', vector: 0x2e, via: 'ioapic' })
      .add('hv.interrupt.injected', { target: 'root', vector: 0x2e, via: 'synic' })
      .add('guest.eoi.written', { trapped: true })
      .add('hv.intercept.exited', { reason: 'eoi' })
      .add('cpu.mode.switched', { partition: 'root', to: 'user' })
      .add('cpu.mode.switched', { partition: 'root', to: 'kernel' })
      .add('cpu.mode.switched', { partition: 'vm1', to: 'user' })
      .add('cpu.context.switched', { partition: 'root', switchKind: 'process', to: 'vmwp' })
      .add('cpu.context.switched', { partition: 'root', switchKind: 'thread', to: 'vid' })
      .add('cpu.context.switched', { partition: 'root', switchKind: 'thread', to: 'vid' })
      .add('io.request.completed', { path: 'ide-pio', latencyNs: 50_000 }, { t: 51_000, flow: 1 })
      // A second request: per-element string I/O, one access per word and no `words` field.
      .add('io.request.issued', { vm: 'vm1', disk: 'd1', path: 'ide-pio', op: 'write', bytes: 512, lba: 1 }, { t: 60_000, flow: 2 });
    for (let i = 0; i < 256; i++) {
      b.add('ide.register.accessed', { port: 0x1f0, register: 'data', access: 'write', value: i }).add('hv.intercept.exited', ioExit);
    }
    b.add('guest.eoi.written', { trapped: false })
      .add('hv.interrupt.injected', { target: 'vm1', vector: 0x2e, via: 'ioapic' })
      .add('io.request.completed', { path: 'ide-pio', latencyNs: 90_000 }, { t: 150_000, flow: 2 });

    const [m] = computePathMetrics(b.records);
    expect(m!.requests).toBe(2);
    expect(m!.totals).toEqual({
      registerAccesses: 3 + 256,
      dataWords: 256 + 256,
      vmExits: 4 + 256,
      hypercalls: 0,
      interrupts: 2,
      eois: 2,
      eoiTraps: 1,
      contextSwitches: 3,
      rootUserTransitions: 1,
      ringPackets: 0,
      ringSignalsToHost: 0,
      ringSignalsToGuest: 0,
      hltExits: 0,
      metadataIos: 0,
    });
    expect(m!.perIo).toEqual({
      registerAccesses: 129.5,
      dataWords: 256,
      vmExits: 130,
      hypercalls: 0,
      interrupts: 1,
      eois: 1,
      eoiTraps: 0.5,
      contextSwitches: 1.5,
      rootUserTransitions: 0.5,
      ringPackets: 0,
      ringSignalsToHost: 0,
      ringSignalsToGuest: 0,
      hltExits: 0,
      metadataIos: 0,
    });
    expect(m!.vmExitsByReason).toEqual({ 'io-port': 129.5, eoi: 0.5, hypercall: 0, 'external-interrupt': 0 });
    expect(m!.contextSwitchesByKind).toEqual({ process: 0.5, thread: 1 });
    expect(m!.latencyNs).toEqual({ count: 2, mean: 70_000, p50: 50_000, p95: 90_000, p99: 90_000, min: 50_000, max: 90_000 });
    expect(m!.firstIssueNs).toBe(1000);
    expect(m!.lastCompleteNs).toBe(150_000);
    expect(m!.bytes).toBe(1024);
    expect(m!.iops).toBe((2 * 1e9) / 149_000);
    expect(m!.throughputBytesPerS).toBe((1024 * 1e9) / 149_000);
  });

  it('separates two interleaved streams and keeps first-appearance order', () => {
    const records = synthetic().records;
    const pio = new TraceBuilder({ stream: A, place: 'vm1.ata', band: 'guest-kernel', charge: 'guest' });
    pio.add('io.request.issued', { vm: 'vm1', disk: 'd1', path: 'ide-pio', op: 'read', bytes: 512, lba: 0 }, { t: 5, flow: 100 })
      .add('hv.intercept.exited', { reason: 'io-port' }, { place: 'hv', band: 'hypervisor', costNs: 1000, charge: 'hypervisor' })
      .add('ide.register.accessed', { port: 0x1f7, register: 'status', access: 'read' }, { costNs: 10 })
      .add('io.request.completed', { path: 'ide-pio', latencyNs: 995 }, { t: 1000, flow: 100 });
    // A's records first appear after B's first record, interleaved one by one.
    const merged = [records[0]!];
    for (let i = 0; i < Math.max(pio.records.length, records.length - 1); i++) {
      if (i < pio.records.length) merged.push(pio.records[i]!);
      if (i + 1 < records.length) merged.push(records[i + 1]!);
    }
    const metrics = computePathMetrics(merged);
    expect(metrics.map((m) => m.stream)).toEqual([B, A]);
    expect(metrics[0]).toEqual(EXPECTED_B);
    const a = metrics[1]!;
    expect(a.vm).toBe('vm1');
    expect(a.disk).toBe('d1');
    expect(a.path).toBe('ide-pio');
    expect(a.requests).toBe(1);
    expect(a.totals.vmExits).toBe(1);
    expect(a.totals.registerAccesses).toBe(1);
    expect(a.totals.ringPackets).toBe(0);
    expect(a.timeByBandNs).toEqual({ 'guest-user': 0, 'guest-kernel': 10, vmbus: 0, 'root-user': 0, 'root-kernel': 0, hypervisor: 1000, hardware: 0 });
    expect(a.timeByPlaceNs).toEqual({ 'vm1.ata': 10, hv: 1000 });
    expect(a.cpuNsPerIo).toEqual({ guest: 10, root: 0, hypervisor: 1000, total: 1010 });
    expect(a.iops).toBe(1e9 / 995);
    expect(a.throughputBytesPerS).toBe((512 * 1e9) / 995);
  });

  it('divides by completed requests, not issued ones', () => {
    const b = new TraceBuilder({ stream: A, band: 'root-user', place: 'vmwp', charge: 'root' });
    b.add('io.request.issued', { vm: 'vm1', disk: 'd1', path: 'ide-pio', op: 'write', bytes: 512, lba: 0 }, { t: 0, flow: 1 })
      .add('io.request.issued', { vm: 'vm1', disk: 'd1', path: 'ide-pio', op: 'write', bytes: 512, lba: 1 }, { t: 0, flow: 2 })
      .add('io.request.issued', { vm: 'vm1', disk: 'd1', path: 'ide-pio', op: 'write', bytes: 512, lba: 2 }, { t: 0, flow: 3 })
      .add('hv.hypercall.called', { call: 'HvPostMessage', code: 0x5c }, { costNs: 300 })
      .add('hv.hypercall.called', { call: 'HvPostMessage', code: 0x5c }, { costNs: 300 })
      .add('hv.hypercall.called', { call: 'HvPostMessage', code: 0x5c }, { costNs: 300 })
      .add('io.request.completed', { path: 'ide-pio', latencyNs: 2000 }, { t: 2000, flow: 2 });
    const [m] = computePathMetrics(b.records);
    expect(m!.issued).toBe(3);
    expect(m!.requests).toBe(1);
    expect(m!.perIo.hypercalls).toBe(3);
    expect(m!.timeByBandNs['root-user']).toBe(900);
    expect(m!.cpuNsPerIo).toEqual({ guest: 0, root: 900, hypervisor: 0, total: 900 });
    expect(m!.bytes).toBe(512);
    expect(m!.iops).toBe(500_000);
    expect(m!.throughputBytesPerS).toBe(256_000_000);
  });

  it('reports zeros, not NaN, for a stream with no completed request', () => {
    const b = new TraceBuilder({ stream: A });
    b.add('io.request.issued', { vm: 'vm1', disk: 'd1', path: 'ide-dma', op: 'read', bytes: 4096, lba: 0 }, { t: 700, flow: 1 })
      .add('hv.intercept.exited', { reason: 'io-port' }, { costNs: 500, charge: 'hypervisor', band: 'hypervisor' });
    const [m] = computePathMetrics(b.records);
    expect(m!.requests).toBe(0);
    expect(m!.issued).toBe(1);
    expect(m!.path).toBe('ide-dma');
    expect(m!.latencyNs).toEqual({ count: 0, mean: 0, p50: 0, p95: 0, p99: 0, min: 0, max: 0 });
    expect(m!.perIo.vmExits).toBe(0);
    expect(m!.totals.vmExits).toBe(1);
    expect(m!.vmExitsByReason['io-port']).toBe(0);
    expect(m!.timeByBandNs.hypervisor).toBe(0);
    expect(m!.timeByPlaceNs).toEqual({ p: 0 });
    expect(m!.cpuNsPerIo.total).toBe(0);
    expect(m!.iops).toBe(0);
    expect(m!.throughputBytesPerS).toBe(0);
    expect(m!.firstIssueNs).toBe(700);
    expect(m!.lastCompleteNs).toBeNull();
    expect(JSON.stringify(m)).not.toMatch(/NaN|Infinity/);
  });

  it('names a stream from its completions or its id when it has no issue record', () => {
    const b = new TraceBuilder({ stream: 'vm9/disk-a/vmbus-scsi' });
    b.add('io.request.completed', { path: 'vmbus-scsi', latencyNs: 10 }, { t: 10, flow: 4 });
    const c = new TraceBuilder({ stream: 'vm8/disk-b' });
    c.add('vmbus.ring.written', { channel: 'c', ring: 'outbound', packetBytes: 1, packetType: 'x', writeIndex: 1, readIndex: 0, wasEmpty: true });
    const [m, n] = computePathMetrics([...b.records, ...c.records]);
    expect(m).toMatchObject({ vm: 'vm9', disk: 'disk-a', path: 'vmbus-scsi', requests: 1, issued: 0, bytes: 0, firstIssueNs: null, lastCompleteNs: 10, iops: 0 });
    expect(n).toMatchObject({ stream: 'vm8/disk-b', vm: 'vm8', disk: 'disk-b', path: '', requests: 0 });
  });

  it('sums cost and wait by band, and charges only cost to CPUs or devices', () => {
    const b = new TraceBuilder({ stream: A });
    b.add('io.request.issued', { vm: 'vm1', disk: 'd1', path: 'ide-dma', op: 'read', bytes: 65_536, lba: 0 }, { t: 0, flow: 1 })
      .add('disk.request.waited', { disk: 'd1', queued: 3 }, { place: 'hw.d1', band: 'hardware', waitNs: 7000, costNs: 0 })
      .add('disk.request.serviced', { disk: 'd1', op: 'read', bytes: 65_536, lba: 0, overheadNs: 100, seekNs: 3000, rotationNs: 2000, transferNs: 900, cached: false, source: 'media' }, { place: 'hw.d1', band: 'hardware', costNs: 6000, charge: 'device' })
      .add('hba.command.started', { disk: 'd1' }, { place: 'hw.hba', band: 'hardware', costNs: 250, charge: 'device' })
      .add('vid.intercept.dispatched', { worker: 'vmwp' }, { place: 'root.vid', band: 'root-kernel', costNs: 800, charge: 'root', waitNs: 50 })
      .add('vid.intercept.completed', { worker: 'vmwp' }, { place: 'root.vmwp', band: 'root-user', costNs: 1200, charge: 'root' })
      .add('hv.intercept.resumed', { reason: 'io-port' }, { place: 'hv', band: 'hypervisor', costNs: 400, charge: 'hypervisor' })
      .add('stack.layer.passed', { layer: 'ntfs', direction: 'down' }, { place: 'vm1.ntfs', band: 'guest-kernel', costNs: 333, charge: 'guest' })
      .add('io.request.completed', { path: 'ide-dma', latencyNs: 20_000 }, { t: 20_000, flow: 1 });
    const [m] = computePathMetrics(b.records);
    expect(m!.timeByBandNs).toEqual({
      'guest-user': 0,
      'guest-kernel': 333,
      vmbus: 0,
      'root-user': 1200,
      'root-kernel': 850,
      hypervisor: 400,
      hardware: 13_250,
    });
    expect(m!.timeByPlaceNs).toEqual({ p: 0, 'hw.d1': 13_000, 'hw.hba': 250, 'root.vid': 850, 'root.vmwp': 1200, hv: 400, 'vm1.ntfs': 333 });
    expect(m!.cpuNsPerIo).toEqual({ guest: 333, root: 2000, hypervisor: 400, total: 2733 });
    expect(m!.deviceNsPerIo).toBe(6250);
    expect(m!.throughputBytesPerS).toBe(3_276_800_000);
  });

  it('folds a large trace exactly', () => {
    const records = synthetic().records;
    const big = [];
    // 2000 copies of the two-request trace, each copy with its own flows and shifted in time.
    for (let k = 0; k < 2000; k++) {
      for (const r of records) big.push({ ...r, seq: big.length, t: r.t + k * 40_000, flow: r.flow === -1 ? -1 : r.flow + 100 * k });
    }
    const [m] = computePathMetrics(big);
    expect(m!.requests).toBe(4000);
    expect(m!.totals.ringPackets).toBe(6000);
    expect(m!.perIo).toEqual(EXPECTED_B.perIo);
    expect(m!.timeByBandNs).toEqual(EXPECTED_B.timeByBandNs);
    expect(m!.cpuNsPerIo).toEqual(EXPECTED_B.cpuNsPerIo);
    expect(m!.bytes).toBe(2000 * 12_288);
    expect(m!.lastCompleteNs).toBe(1999 * 40_000 + 40_000);
    expect(m!.iops).toBe(50_000);
    expect(m!.latencyNs).toEqual({ count: 4000, mean: 34_000, p50: 30_000, p95: 38_000, p99: 38_000, min: 30_000, max: 38_000 });
  });
});

describe('latenciesByStream', () => {
  it('returns the completed latencies per stream, in trace order, without host-wide ones', () => {
    const b = synthetic();
    b.add('io.request.completed', { path: 'vmbus-scsi', latencyNs: 5 }, { stream: '' });
    b.add('io.request.issued', { vm: 'vm1', disk: 'd1', path: 'ide-pio', op: 'read', bytes: 1, lba: 0 }, { stream: A });
    expect([...latenciesByStream(b.records)]).toEqual([
      [B, [38_000, 30_000]],
      [A, []],
    ]);
  });
});
