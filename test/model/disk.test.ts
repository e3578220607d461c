/**
 * The disks on their own (reference §6; Ruemmler & Wilkes 1994; DiskSim;
 * Worthington, Ganger & Patt 1994): a 15K RPM HDD with rotational position,
 * read-ahead, a write-back cache and SPTF reordering, and an NVMe SSD with
 * parallel units and a shared data path. Each test drives one Disk with
 * closed-loop workers (each issues its next request a fixed host time after
 * the previous one completes); the figures are simulated time.
 */
import { describe, expect, it } from 'vitest';
import { ArraySink, RandomStreams, Simulation, fingerprintOf, startProcess, type ProcessBody } from '../../src/engine/index.js';
import { computePathMetrics } from '../../src/metrics/path-metrics.js';
import { resolveCosts, type CostTable } from '../../src/model/costs.js';
import { Disk, type DiskIo } from '../../src/model/hardware/disk.js';
import { FC_FRAME_KIB, Hba } from '../../src/model/hardware/hba.js';
import { HddGeometry } from '../../src/model/hardware/hdd-geometry.js';
import { ReadCache } from '../../src/model/hardware/hdd-read-cache.js';
import { LogicalProcessors } from '../../src/model/hardware/logical-processors.js';
import { TopologyBuilder } from '../../src/model/topology.js';
import type { HvRecord, RecordOf } from '../../src/model/trace-events.js';
import { Tracer, strand } from '../../src/model/tracer.js';

const GIB = 2_097_152;
const KIB = 1024;

interface RunOptions {
  kind: 'hdd' | 'ssd';
  writeCache?: boolean;
  queueDepth: number;
  count: number;
  /** The n-th request (0-based). */
  next: (n: number, rnd: () => number) => DiskIo;
  /** Host time between a completion and that worker's next request (default 50 µs). */
  gapNs?: number;
  costs?: CostTable;
  /** The media's sector (512e: 4,096). */
  physicalSectorBytes?: 512 | 4096;
}

interface RunResult {
  records: HvRecord[];
  /** Per request, in issue order: issue time and latency. */
  issuedAt: number[];
  latency: number[];
  /** Time of the last completion. */
  endNs: number;
  iops: number;
  bytesPerS: number;
}

/** Runs `count` requests at `queueDepth` on one 450 GiB disk. */
function run(o: RunOptions): RunResult {
  const sim = new Simulation();
  const sink = new ArraySink<HvRecord>();
  const tracer = new Tracer(sim, sink, new LogicalProcessors(1, []));
  const place = new TopologyBuilder().place('hw.disk.d0', 'Disk d0', 'hardware', 'hardware', 'disk');
  const disk = new Disk({ id: 'd0', kind: o.kind, sectors: 450 * GIB, writeCache: o.writeCache ?? false, physicalSectorBytes: o.physicalSectorBytes ?? 512 }, place, o.costs ?? resolveCosts(o.kind === 'hdd' ? '2008' : 'modern'), tracer);
  const rng = new RandomStreams(1).stream('lba');
  const rnd = () => rng.uniform();
  const issuedAt: number[] = [];
  const latency: number[] = [];
  let issued = 0;
  let bytes = 0;
  let endNs = 0;
  const gap = o.gapNs ?? 50_000;
  function* worker(): ProcessBody<void> {
    while (issued < o.count) {
      const n = issued++;
      const io = o.next(n, rnd);
      const t0 = sim.now;
      issuedAt[n] = t0;
      yield* disk.submit(strand('vm/d/test', n), io);
      latency[n] = sim.now - t0;
      bytes += io.bytes;
      endNs = sim.now;
      yield gap;
    }
  }
  for (let i = 0; i < o.queueDepth; i++) startProcess(sim, worker());
  sim.run({ maxEvents: 50_000_000 });
  expect(latency.filter((x) => x !== undefined).length).toBe(o.count);
  return { records: sink.records, issuedAt, latency, endNs, iops: (o.count * 1e9) / endNs, bytesPerS: (bytes * 1e9) / endNs };
}

const serviced = (rs: HvRecord[]) => rs.filter((r): r is RecordOf<'disk.request.serviced'> => r.kind === 'disk.request.serviced');
const ofKind = <K extends HvRecord['kind']>(rs: HvRecord[], kind: K): RecordOf<K>[] => rs.flatMap((r) => (r.kind === kind ? [r as unknown as RecordOf<K>] : []));

/** A 4 KiB-aligned random LBA on the whole disk. */
const randomLba = (rnd: () => number) => Math.floor(rnd() * (450 * GIB - 8)) & ~7;

describe('HDD geometry (15K450 from the cost table)', () => {
  const costs = resolveCosts('2008');
  const g = new HddGeometry(costs, 450 * GIB);

  it('derives one zone from the rotation period and the media rate, and cylinders from the heads', () => {
    expect(g.sectorsPerTrack).toBe(1172); // 4 ms / (6,827 ns per KiB / 2)
    expect(g.sectorsPerCylinder).toBe(1172 * 8);
    expect(g.cylinders).toBe(Math.ceil((450 * GIB) / (1172 * 8)));
    expect(g.skew * g.sectorNs).toBeGreaterThanOrEqual(costs.hdd_track_to_track);
  });

  it('random seeks average the datasheet figure (sqrt of the distance, track-to-track minimum)', () => {
    const rng = new RandomStreams(3).stream('seek');
    let read = 0;
    let write = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const a = g.cylinderOf(Math.floor(rng.uniform() * g.sectors));
      const b = g.cylinderOf(Math.floor(rng.uniform() * g.sectors));
      read += g.seekNs(a, b, 'read');
      write += g.seekNs(a, b, 'write');
    }
    expect(Math.abs(read / n - costs.hdd_seek_read_avg) / costs.hdd_seek_read_avg).toBeLessThan(0.01);
    expect(Math.abs(write / n - costs.hdd_seek_write_avg) / costs.hdd_seek_write_avg).toBeLessThan(0.01);
    expect(g.seekNs(10, 11, 'read')).toBeGreaterThan(costs.hdd_track_to_track);
    expect(g.seekNs(10, 11, 'read')).toBeLessThan(1.1 * costs.hdd_track_to_track);
    expect(g.seekNs(10, 10, 'read')).toBe(0);
  });

  it('the rotational wait is the time until the sector comes under the head', () => {
    expect(g.rotationalWaitNs(0, 0)).toBe(0);
    expect(g.rotationalWaitNs(0, 100)).toBeCloseTo(g.rotationNs - 100, 0); // just missed: most of a turn
    expect(g.rotationalWaitNs(586, 0)).toBeCloseTo(g.rotationNs / 2, -1); // half a track away
  });
});

describe('HDD: rotational position', () => {
  const lba = 1_000_000;
  const rotationOf = (r: RunResult, n: number) => serviced(r.records).find((x) => x.flow === n)!;

  it('a sequential write queued in time pays no rotation; one arriving just after pays most of a turn', () => {
    // Two workers: the second request is queued while the first is on the media.
    const queued = run({ kind: 'hdd', queueDepth: 2, count: 2, gapNs: 0, next: (n) => ({ op: 'write', lba: lba + n * 8, bytes: 4 * KIB }) });
    const second = rotationOf(queued, 1);
    expect(second.seekNs).toBe(0);
    expect(second.rotationNs).toBeLessThan(10_000);
    expect(second.overheadNs).toBe(0); // its command overhead ran while it waited
    // One worker: the next request arrives 10 µs after the previous completed, and needs its command overhead first.
    const late = run({ kind: 'hdd', queueDepth: 1, count: 2, gapNs: 10_000, next: (n) => ({ op: 'write', lba: lba + n * 8, bytes: 4 * KIB }) });
    expect(rotationOf(late, 1).rotationNs).toBeGreaterThan(0.9 * 4_000_000);
  });

  it('random 4 KiB reads at QD 1 run at about 1 / (average seek + half a turn): 170-190 IOPS', () => {
    const r = run({ kind: 'hdd', queueDepth: 1, count: 2000, next: (_n, rnd) => ({ op: 'read', lba: randomLba(rnd), bytes: 4 * KIB }) });
    const media = serviced(r.records);
    const meanRotation = media.reduce((s, x) => s + x.rotationNs, 0) / media.length;
    expect(meanRotation).toBeGreaterThan(1_800_000);
    expect(meanRotation).toBeLessThan(2_200_000);
    expect(r.iops).toBeGreaterThan(170);
    expect(r.iops).toBeLessThan(190);
    expect(media.every((x) => x.source === 'media')).toBe(true);
  });
});

describe('HDD: read-ahead', () => {
  it('sequential 64 KiB reads at QD 1 stream from the read-ahead segment at well over 60 MB/s', () => {
    const r = run({ kind: 'hdd', queueDepth: 1, count: 2000, gapNs: 200_000, next: (n) => ({ op: 'read', lba: 2_000_000 + n * 128, bytes: 64 * KIB }) });
    expect(r.bytesPerS).toBeGreaterThan(60e6);
    const sources = serviced(r.records).map((x) => x.source);
    expect(sources[0]).toBe('media');
    expect(sources.filter((x) => x === 'read-cache').length).toBeGreaterThan(1990);
    expect(ofKind(r.records, 'disk.readahead.started').length).toBeGreaterThan(0);
    for (const x of serviced(r.records).slice(1)) {
      expect(x.seekNs + x.rotationNs).toBe(0);
      expect(x.cached).toBe(true);
    }
  });

  it('at queue depth 2 to 16, sequential reads still stream from the read-ahead: a queued read it reaches leaves the queue for the buffer', () => {
    const costs = resolveCosts('2008');
    const seq = (qd: number, kib: number) => run({ kind: 'hdd', queueDepth: qd, count: 1000, next: (n) => ({ op: 'read', lba: 3_000_000 + n * kib * 2, bytes: kib * KIB }) });
    const mediaBytesPerS = (1024 * 1e9) / costs.hdd_media_ns_per_kib;
    const qd1 = seq(1, 4);
    for (const qd of [2, 4, 8, 16]) {
      // Small reads: more at once, no slower (before, each one behind a media read missed its sectors and waited a turn: 2 MB/s at QD 2).
      expect(seq(qd, 4).bytesPerS).toBeGreaterThan(qd1.bytesPerS);
    }
    // 64 KiB: the media rate, each request waiting for the ones before it and no more (deeper, the first
    // requests, all queued at once, are taken out of order and the ones passed wait for the age limit: README).
    for (const qd of [2, 4]) {
      const big = seq(qd, 64);
      expect(big.bytesPerS / mediaBytesPerS).toBeGreaterThan(0.9);
      const perRequest = (64 * 1e9) / (mediaBytesPerS / 1024);
      expect(Math.max(...big.latency.slice(qd))).toBeLessThan(qd * perRequest + costs.hdd_rotation_period);
      expect(serviced(big.records).filter((x) => x.source === 'media').length).toBeLessThan(5);
    }
  });

  it('a read the read-ahead promised is read before the head leaves, and nothing is promised past that once it must', () => {
    const costs = resolveCosts('2008');
    const geo = new HddGeometry(costs, 450 * GIB);
    const cache = new ReadCache(geo, costs);
    cache.filled(10_000, 8, 0);
    expect(cache.startReadAhead(0)).toBe(10_008);
    const ready = cache.lookup(10_072, 8, 0); // ahead of the front: a promise
    expect(ready).toBe(Math.ceil((10_080 - 10_008) * geo.sectorNs));
    expect(cache.closeReadAhead(0)).toBe(ready);
    expect(cache.lookup(10_400, 8, 0)).toBe(-1); // closed: nothing further is promised
    expect(cache.stopReadAhead(ready)).toBe(10_079);
    expect(cache.lookup(10_072, 8, ready)).toBe(ready); // the promised sectors are in the buffer
  });

  it('a write invalidates cached sectors: reading them again goes to the media', () => {
    const pattern: DiskIo[] = [
      { op: 'read', lba: 5_000_000, bytes: 64 * KIB },
      { op: 'read', lba: 5_000_000, bytes: 64 * KIB },
      { op: 'write', lba: 5_000_000, bytes: 4 * KIB },
      { op: 'read', lba: 5_000_000, bytes: 64 * KIB },
    ];
    const r = run({ kind: 'hdd', queueDepth: 1, count: 4, next: (n) => pattern[n]! });
    expect(serviced(r.records).map((x) => x.source)).toEqual(['media', 'read-cache', 'media', 'media']);
  });
});

describe('HDD: write-back cache', () => {
  it('a rewrite of a block still dirty in the buffer replaces it there: rewrites run at the acknowledge rate, one destage at a time', () => {
    const r = run({ kind: 'hdd', writeCache: true, queueDepth: 1, count: 5000, next: () => ({ op: 'write', lba: 1000, bytes: 4 * KIB }) });
    const costs = resolveCosts('2008');
    // Before, each rewrite took room of its own; with the buffer full of copies, one destage per turn (314 IOPS).
    expect(r.iops).toBeGreaterThan(1e9 / (2 * (costs.hdd_write_cache_ack + costs.hdd_command_overhead + 60_000)));
    expect(serviced(r.records).every((x) => x.source === 'write-cache')).toBe(true);
    expect(ofKind(r.records, 'disk.cache.destaged').length).toBeLessThan(r.endNs / costs.hdd_rotation_period + 2);
  });

  it('20,000 random 4 KiB writes at QD 1: acknowledged at once until the cache fills, then at the destage rate (under 1,000 IOPS)', () => {
    const r = run({ kind: 'hdd', writeCache: true, queueDepth: 1, count: 20_000, next: (_n, rnd) => ({ op: 'write', lba: randomLba(rnd), bytes: 4 * KIB }) });
    expect(r.iops).toBeLessThan(1000);
    expect(Math.max(...r.latency.slice(0, 300))).toBeLessThan(300_000);
    expect(serviced(r.records).every((x) => x.source === 'write-cache' && x.cached)).toBe(true);
    const destaged = ofKind(r.records, 'disk.cache.destaged');
    expect(destaged.length).toBe(20_000);
    for (const d of destaged.slice(0, 50)) {
      expect(d.flow).toBe(-1);
      expect(d.stream).toBe('');
      expect(d.charge).toBe('device');
      expect(d.costNs).toBe(d.seekNs + d.rotationNs + d.transferNs);
    }
    // Later writes wait for room: the steady state is the destage rate.
    const tail = r.latency.slice(-5000);
    expect(tail.reduce((s, x) => s + x, 0) / tail.length).toBeGreaterThan(1_000_000);
    // Destaging is no request's device time; the stream's device time is the acknowledgements only.
    const [m] = computePathMetrics(r.records);
    expect(m!.deviceNsPerIo).toBeLessThan(300_000);
  });

  it('without the write cache a random write goes to the media before it completes', () => {
    const r = run({ kind: 'hdd', writeCache: false, queueDepth: 1, count: 200, next: (_n, rnd) => ({ op: 'write', lba: randomLba(rnd), bytes: 4 * KIB }) });
    expect(serviced(r.records).every((x) => x.source === 'media')).toBe(true);
    expect(ofKind(r.records, 'disk.cache.destaged')).toEqual([]);
    expect(r.iops).toBeLessThan(190);
  });
});

describe('HDD with 4 KiB physical sectors (512e): read-modify-write', () => {
  const costs = resolveCosts('2008');
  const random4k = (shift: number) => (_n: number, rnd: () => number): DiskIo => ({ op: 'write', lba: randomLba(rnd) + shift, bytes: 4 * KIB });
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

  it('a 4 KiB write one logical sector off the physical boundary pays one more revolution, and writes the two physical sectors it touches', () => {
    const aligned = run({ kind: 'hdd', physicalSectorBytes: 4096, queueDepth: 1, count: 400, next: random4k(0) });
    const off = run({ kind: 'hdd', physicalSectorBytes: 4096, queueDepth: 1, count: 400, next: random4k(1) });
    expect(serviced(aligned.records).every((x) => x.rmwNs === undefined)).toBe(true);
    const rmw = serviced(off.records);
    for (const x of rmw) {
      expect(x.rmwNs).toBe(costs.hdd_rotation_period);
      expect(x.lba % 8).toBe(0);
      expect(x.costNs).toBe(x.overheadNs + x.seekNs + x.rotationNs + x.rmwNs! + x.transferNs);
    }
    // The same draws, one sector off: the mean service time grows by one turn (4 ms at 15K), plus the second sector's transfer.
    const delta = mean(rmw.map((x) => x.costNs)) - mean(serviced(aligned.records).map((x) => x.costNs));
    expect(delta).toBeGreaterThan(0.9 * costs.hdd_rotation_period);
    expect(delta).toBeLessThan(1.2 * costs.hdd_rotation_period);
    // About 40 % fewer IOPS (Dell's 4K Sector HDD FAQ: about 50 % on random misaligned writes).
    expect(off.iops / aligned.iops).toBeGreaterThan(0.5);
    expect(off.iops / aligned.iops).toBeLessThan(0.7);
  });

  it('reads, and writes of whole aligned physical sectors, pay nothing; a 512n disk never does', () => {
    const reads = run({ kind: 'hdd', physicalSectorBytes: 4096, queueDepth: 1, count: 100, next: (_n, rnd) => ({ op: 'read', lba: randomLba(rnd) + 3, bytes: 4 * KIB }) });
    expect(serviced(reads.records).every((x) => x.rmwNs === undefined && x.source === 'media')).toBe(true);
    const native = run({ kind: 'hdd', physicalSectorBytes: 512, queueDepth: 1, count: 100, next: random4k(1) });
    expect(serviced(native.records).every((x) => x.rmwNs === undefined)).toBe(true);
    const small = run({ kind: 'hdd', physicalSectorBytes: 4096, queueDepth: 1, count: 50, next: (_n, rnd) => ({ op: 'write', lba: randomLba(rnd), bytes: 512 }) });
    expect(serviced(small.records).every((x) => x.rmwNs === costs.hdd_rotation_period)).toBe(true);
  });

  it('with the write cache on, the write is acknowledged as before and its destage pays the read-modify-write', () => {
    const r = run({ kind: 'hdd', writeCache: true, physicalSectorBytes: 4096, queueDepth: 1, count: 200, next: random4k(1) });
    expect(serviced(r.records).every((x) => x.source === 'write-cache' && x.rmwNs === undefined)).toBe(true);
    const destaged = ofKind(r.records, 'disk.cache.destaged');
    expect(destaged.length).toBe(200);
    for (const d of destaged) expect(d.costNs).toBe(d.seekNs + d.rotationNs + d.rmwNs! + d.transferNs);
  });

  it('hdd_rmw_revolutions sets the penalty: 2 turns, or 0 for none', () => {
    for (const turns of [0, 2]) {
      const r = run({ kind: 'hdd', physicalSectorBytes: 4096, queueDepth: 1, count: 20, next: random4k(1), costs: { ...costs, hdd_rmw_revolutions: turns } });
      expect(serviced(r.records).every((x) => (x.rmwNs ?? 0) === turns * costs.hdd_rotation_period)).toBe(true);
    }
  });
});

describe('HDD: reordering at queue depth', () => {
  const randomReads = (qd: number, count: number) => run({ kind: 'hdd', queueDepth: qd, count, next: (_n, rnd) => ({ op: 'read', lba: randomLba(rnd), bytes: 4 * KIB }) });

  it('random 4 KiB reads at QD 32 run clearly faster than at QD 1 (SPTF), and no request waits past the age limit', () => {
    const qd1 = randomReads(1, 2000);
    const qd32 = randomReads(32, 8000);
    expect(qd32.iops).toBeGreaterThan(1.8 * qd1.iops);
    const waits = ofKind(qd32.records, 'disk.request.waited').map((w) => w.waitNs ?? 0);
    const limit = resolveCosts('2008').hdd_queue_age_limit;
    // A request past the limit goes next: it waits at most the limit plus one service (the one on the media).
    expect(Math.max(...waits)).toBeLessThan(limit + 20_000_000);
  });

  it('deeper than the drive\'s 32 tags, throughput holds: a request waiting in the host\'s queue does not age in the drive', () => {
    const qd32 = randomReads(32, 3000);
    const qd64 = randomReads(64, 3000);
    const qd128 = randomReads(128, 3000);
    // Before, the age limit counted from arrival: from QD 48 the head of the queue was always past it and the drive ran FCFS (194 IOPS).
    expect(qd64.iops).toBeGreaterThan(0.95 * qd32.iops);
    expect(qd128.iops).toBeGreaterThan(0.95 * qd32.iops);
  });

  it('a 7,200 RPM drive gains from its queue too: QD 32 runs at 2x QD 1 or more, as drives measure, instead of falling back to oldest first', () => {
    // 7,200 RPM, 8.5 ms average read seek: serving 32 tagged commands takes ~160 ms, near the old 200 ms bound.
    const slow = { ...resolveCosts('2008'), hdd_rotation_period: 8_333_333, hdd_seek_read_avg: 8_500_000, hdd_seek_write_avg: 9_500_000, hdd_media_ns_per_kib: 10_240 };
    const reads = (qd: number, count: number, costs = slow) => run({ kind: 'hdd', queueDepth: qd, count, costs, next: (_n, rnd) => ({ op: 'read', lba: randomLba(rnd), bytes: 4 * KIB }) });
    const qd1 = reads(1, 1000);
    const qd32 = reads(32, 3000);
    expect(qd32.iops).toBeGreaterThan(2 * qd1.iops);
    expect(reads(128, 3000).iops).toBeGreaterThan(0.95 * qd32.iops);
    // The old rule alone (no aging weight, a 200 ms bound) served it oldest first: no gain at all.
    const old = reads(32, 3000, { ...slow, hdd_queue_age_weight_permille: 0, hdd_queue_age_limit: 200_000_000 });
    expect(old.iops).toBeLessThan(1.1 * qd1.iops);
  });

  it('the aging weight trades a little throughput for a shorter tail: W = 0 is pure SPTF, a heavy W tends to oldest first', () => {
    const costs = resolveCosts('2008');
    const reads = (permille: number) => run({ kind: 'hdd', queueDepth: 32, count: 4000, costs: { ...costs, hdd_queue_age_weight_permille: permille }, next: (_n, rnd) => ({ op: 'read', lba: randomLba(rnd), bytes: 4 * KIB }) });
    const sptf = reads(0);
    const aged = reads(costs.hdd_queue_age_weight_permille);
    const heavy = reads(300);
    expect(aged.iops).toBeGreaterThan(0.93 * sptf.iops);
    expect(Math.max(...aged.latency)).toBeLessThan(0.8 * Math.max(...sptf.latency));
    expect(heavy.iops).toBeLessThan(0.7 * sptf.iops);
  });

  it('with one request at a time, requests are served in arrival order', () => {
    const r = randomReads(1, 100);
    expect(serviced(r.records).map((x) => x.flow)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('NVMe SSD', () => {
  const costs = resolveCosts('modern');
  const randomReads = (qd: number, count: number) => run({ kind: 'ssd', queueDepth: qd, count, gapNs: 0, next: (_n, rnd) => ({ op: 'read', lba: randomLba(rnd), bytes: 4 * KIB }) });

  it('4 KiB random reads at QD 1 run at 1 / read latency', () => {
    const r = randomReads(1, 5000);
    const perIo = costs.ssd_read_4k + Math.round(4 * costs.ssd_ns_per_kib);
    expect(Math.abs(r.iops - 1e9 / perIo) / (1e9 / perIo)).toBeLessThan(0.01);
  });

  it("a read's time is its page's: an MLC upper page's longer, a lower page's shorter, half the blocks each; at QD 1 random reads spread over the two", async () => {
    const { onUpperPage, readNs } = await import('../../src/model/hardware/nvme.js');
    let upper = 0;
    for (let b = 0; b < 100_000; b++) if (onUpperPage(b)) upper++;
    expect(upper / 100_000).toBeGreaterThan(0.49);
    expect(upper / 100_000).toBeLessThan(0.51);
    const spread = costs.ssd_read_page_spread;
    expect(spread).toBeGreaterThan(0);
    const lowerBlock = [0, 1, 2, 3, 4, 5].find((b) => !onUpperPage(b))!;
    const upperBlock = [0, 1, 2, 3, 4, 5].find((b) => onUpperPage(b))!;
    expect(readNs(lowerBlock * 8, 4 * KIB, costs)).toBe(costs.ssd_read_4k - spread);
    expect(readNs(upperBlock * 8, 4 * KIB, costs)).toBe(costs.ssd_read_4k + spread);
    // A spread overridden past the read's own time is cut to it.
    expect(readNs(lowerBlock * 8, 4 * KIB, { ssd_read_4k: 10_000, ssd_read_page_spread: 15_000 })).toBe(0);
    expect(readNs(upperBlock * 8, 4 * KIB, { ssd_read_4k: 10_000, ssd_read_page_spread: 15_000 })).toBe(20_000);
    // A read over several blocks waits for its slowest page.
    expect(readNs(Math.min(lowerBlock, upperBlock) * 8, (Math.abs(upperBlock - lowerBlock) + 1) * 4 * KIB, costs)).toBe(costs.ssd_read_4k + spread);
    const r = randomReads(1, 5000);
    const media = serviced(r.records).map((x) => x.overheadNs);
    expect(new Set(media)).toEqual(new Set([costs.ssd_read_4k - spread, costs.ssd_read_4k + spread]));
    const sorted = [...r.latency].sort((a, b) => a - b);
    const mean = r.latency.reduce((a, b) => a + b, 0) / r.latency.length;
    expect(sorted[Math.floor(0.99 * sorted.length)]!).toBeGreaterThan(mean * 1.1);
  });

  it('at QD 64, close to parallel units / latency', () => {
    const r = randomReads(64, 50_000);
    const ceiling = (costs.ssd_parallel_units * 1e9) / costs.ssd_read_4k;
    expect(r.iops).toBeGreaterThan(0.9 * ceiling);
    expect(r.iops).toBeLessThanOrEqual(ceiling * 1.001);
  });

  it('1 MiB sequential reads are bound by the shared data path', () => {
    const r = run({ kind: 'ssd', queueDepth: 8, count: 2000, gapNs: 0, next: (n) => ({ op: 'read', lba: n * 2048, bytes: 1024 * KIB }) });
    const pathBytesPerS = (1024 * 1e9) / costs.ssd_ns_per_kib;
    expect(r.bytesPerS / pathBytesPerS).toBeGreaterThan(0.95);
    expect(r.bytesPerS / pathBytesPerS).toBeLessThanOrEqual(1.001);
  });

  it('sustained writes run at the drive\'s program rate (P3700: 175K random 4 KiB IOPS, 1.9 GB/s sequential), a lone write at its buffer\'s latency', () => {
    const writes = (qd: number, count: number, bytes: number) =>
      run({ kind: 'ssd', queueDepth: qd, count, gapNs: 0, next: (n, rnd) => ({ op: 'write', lba: bytes === 4 * KIB ? randomLba(rnd) : n * (bytes / 512), bytes }) });
    const random = writes(64, 50_000, 4 * KIB);
    const cap = 1e9 / (costs.ssd_program_per_write + 4 * costs.ssd_program_ns_per_kib);
    expect(random.iops).toBeGreaterThan(0.95 * cap);
    expect(random.iops).toBeLessThanOrEqual(cap * 1.001);
    expect(random.iops).toBeGreaterThan(150_000);
    expect(random.iops).toBeLessThan(200_000);
    const sequential = writes(8, 2000, 1024 * KIB);
    expect(sequential.bytesPerS).toBeGreaterThan(1.7e9);
    expect(sequential.bytesPerS).toBeLessThan(2.1e9);
    // Fewer writes than reads at high QD (reads: about 400K), and at QD 1 a write takes its buffer's latency only.
    const lone = writes(1, 2000, 4 * KIB);
    const perIo = costs.ssd_write_4k + Math.round(4 * costs.ssd_ns_per_kib);
    expect(Math.abs(lone.iops - 1e9 / perIo) / (1e9 / perIo)).toBeLessThan(0.01);
  });
});

describe('HBA: cut-through link, shared by the disks behind it', () => {
  /**
   * `disks` hard disks (or NVMe disks), each read sequentially by `queueDepth` closed-loop workers
   * from its own region, behind no HBA, one HBA each, or one HBA for all.
   */
  function runBehind(o: { kind: 'hdd' | 'ssd'; hba: 'none' | 'each' | 'shared'; disks: number; queueDepth: number; count: number; bytes: number; costs: CostTable }) {
    const sim = new Simulation();
    const sink = new ArraySink<HvRecord>();
    const tracer = new Tracer(sim, sink, new LogicalProcessors(1, []));
    const topo = new TopologyBuilder();
    const hbas = Array.from({ length: o.hba === 'shared' ? 1 : o.disks }, (_, i) => new Hba(`hba${i}`, topo.place(`hw.hba${i}`, `HBA ${i}`, 'hardware', 'hardware', 'hba'), o.costs, tracer));
    const disks = Array.from({ length: o.disks }, (_, i) => {
      const place = topo.place(`hw.disk.d${i}`, `Disk d${i}`, 'hardware', 'hardware', 'disk');
      const hba = o.hba === 'none' ? null : o.hba === 'shared' ? hbas[0]! : hbas[i]!;
      return new Disk({ id: `d${i}`, kind: o.kind, sectors: 450 * GIB, writeCache: false }, place, o.costs, tracer, hba);
    });
    const latency: number[] = [];
    let done = 0;
    let endNs = 0;
    const sectors = o.bytes / 512;
    for (let d = 0; d < o.disks; d++) {
      let next = 0;
      function* worker(): ProcessBody<void> {
        while (next < o.count) {
          const n = next++;
          const t0 = sim.now;
          yield* disks[d]!.submit(strand(`vm${d}/d/test`, n), { op: 'read', lba: 1_000_000 + n * sectors, bytes: o.bytes });
          latency.push(sim.now - t0);
          done++;
          endNs = sim.now;
        }
      }
      for (let q = 0; q < o.queueDepth; q++) startProcess(sim, worker());
    }
    sim.run({ maxEvents: 50_000_000 });
    expect(done).toBe(o.disks * o.count);
    return { records: sink.records, latency, bytesPerS: (o.disks * o.count * o.bytes * 1e9) / endNs };
  }

  const old = resolveCosts('2008');
  const modern = resolveCosts('modern');
  const mediaBytesPerS = (1024 * 1e9) / old.hdd_media_ns_per_kib;
  const linkBytesPerS = (c: CostTable) => (1024 * 1e9) / c.hba_link_ns_per_kib;

  it('a 15K disk streaming 256 KiB reads behind its 4 Gb/s HBA runs at its media rate: the link overlaps the data phase instead of following it', () => {
    const direct = runBehind({ kind: 'hdd', hba: 'none', disks: 1, queueDepth: 2, count: 400, bytes: 256 * KIB, costs: old });
    const behind = runBehind({ kind: 'hdd', hba: 'each', disks: 1, queueDepth: 2, count: 400, bytes: 256 * KIB, costs: old });
    expect(behind.bytesPerS / mediaBytesPerS).toBeGreaterThan(0.9);
    expect(behind.bytesPerS).toBeLessThanOrEqual(mediaBytesPerS * 1.001);
    // Store and forward would add the whole 256 KiB at the link's rate (655 µs) to each request: cut-through adds the command and one frame.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const added = mean(behind.latency) - mean(direct.latency);
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThan(old.hba_command + 2 * FRAME_NS(old) + 1);
    expect(ofKind(behind.records, 'hba.link.waited')).toHaveLength(0);
  });

  it('four disks streaming at once through one 4 Gb/s HBA share its link: together they stop at its rate and wait for it; on an HBA each, they do not', () => {
    const shared = runBehind({ kind: 'hdd', hba: 'shared', disks: 4, queueDepth: 2, count: 200, bytes: 256 * KIB, costs: old });
    const each = runBehind({ kind: 'hdd', hba: 'each', disks: 4, queueDepth: 2, count: 200, bytes: 256 * KIB, costs: old });
    expect(shared.bytesPerS).toBeLessThanOrEqual(linkBytesPerS(old) * 1.001);
    expect(shared.bytesPerS / linkBytesPerS(old)).toBeGreaterThan(0.9);
    expect(ofKind(shared.records, 'hba.link.waited').length).toBeGreaterThan(100);
    expect(each.bytesPerS / (4 * mediaBytesPerS)).toBeGreaterThan(0.9);
    expect(ofKind(each.records, 'hba.link.waited')).toHaveLength(0);
  });

  it('an NVMe disk on PCIe (no HBA) streams at its own data path; behind a 16 Gb/s HBA, at the link rate', () => {
    const pcie = runBehind({ kind: 'ssd', hba: 'none', disks: 1, queueDepth: 8, count: 1000, bytes: 1024 * KIB, costs: modern });
    const fc = runBehind({ kind: 'ssd', hba: 'each', disks: 1, queueDepth: 8, count: 1000, bytes: 1024 * KIB, costs: modern });
    const pathBytesPerS = (1024 * 1e9) / modern.ssd_ns_per_kib;
    expect(pcie.bytesPerS / pathBytesPerS).toBeGreaterThan(0.95);
    expect(pcie.records.some((r) => r.kind.startsWith('hba.'))).toBe(false);
    expect(fc.bytesPerS / linkBytesPerS(modern)).toBeGreaterThan(0.9);
    expect(fc.bytesPerS).toBeLessThanOrEqual(linkBytesPerS(modern) * 1.001);
  });
});

/** One Fibre Channel frame's time on the link. */
const FRAME_NS = (c: CostTable) => Math.round(FC_FRAME_KIB * c.hba_link_ns_per_kib);

describe('determinism', () => {
  const mixed = (): RunResult =>
    run({
      kind: 'hdd',
      writeCache: true,
      queueDepth: 8,
      count: 3000,
      next: (n, rnd) => (n % 3 === 0 ? { op: 'read', lba: 7_000_000 + n * 16, bytes: 8 * KIB } : { op: rnd() < 0.5 ? 'read' : 'write', lba: randomLba(rnd), bytes: 4 * KIB }),
    });

  it('the same run twice gives the same fingerprint', () => {
    expect(fingerprintOf(mixed().records)).toBe(fingerprintOf(mixed().records));
  });
});
