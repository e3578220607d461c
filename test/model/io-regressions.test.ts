/**
 * Requests that used to be lost or misdirected (issue 9), each checked on
 * the trace: multi-sector PIO reads, a writer blocked on a full VMBus ring,
 * several writers waiting at once, and 48-bit ATA addressing. Each test
 * failed before its fix.
 */
import { describe, expect, it } from 'vitest';
import { ArraySink, Simulation, startProcess, type ProcessBody } from '../../src/engine/index.js';
import { InterruptLine } from '../../src/model/partition/interrupt-line.js';
import { IdeEmulator } from '../../src/model/storage/ide-emulator.js';
import {
  ATA_DATA,
  ATA_DEVICE,
  ATA_LBAH,
  ATA_LBAL,
  ATA_LBAM,
  ATA_NSECT,
  ATA_STATUS_COMMAND,
  CMD_READ_SECTORS,
  CMD_WRITE_DMA_EXT,
  ST_DRQ,
  WORDS_PER_SECTOR,
  lba28Ok,
} from '../../src/model/storage/ide-protocol.js';
import { RingBuffer } from '../../src/model/vmbus/ring-buffer.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { runWorld } from '../../src/model/world.js';
import type { WorldConfig } from '../../src/model/world-config.js';
import { NetRig } from './network/harness.js';
import { worldDefaults } from './worlds.js';

const GIB_SECTORS = 2_097_152;

/** One VM, one disk, one workload. */
function oneDisk(opts: {
  controller: 'ide' | 'scsi';
  ideMode?: 'pio' | 'pio-multiple' | 'dma';
  stringIo?: 'per-instruction' | 'per-element';
  op: 'read' | 'write';
  bytes: number;
  count: number;
  queueDepth?: number;
  lba?: number;
  backend?: 'fixed-vhd' | 'passthrough';
  diskKind?: 'hdd' | 'ssd';
  ringBytes?: number;
}): WorldConfig {
  const scsi = opts.controller === 'scsi';
  return {
    ...worldDefaults('regression', opts.diskKind === 'ssd' ? 'modern' : '2008', opts.stringIo ?? 'per-instruction'),
    ...(opts.ringBytes === undefined ? {} : { ringBytes: opts.ringBytes }),
    host: { logicalProcessors: 4, disks: [{ id: 'd0', kind: opts.diskKind ?? 'hdd', sectors: 450 * GIB_SECTORS, writeCache: false }] },
    vms: [
      {
        id: 'v',
        os: 'windows',
        integrationServices: scsi,
        autoEoi: scsi,
        disks: [{ id: 'd', controller: opts.controller, ideMode: opts.ideMode ?? 'dma', backend: { kind: opts.backend ?? 'fixed-vhd', disk: 'd0' } }],
      },
    ],
    workloads: [
      {
        vm: 'v',
        disk: 'd',
        op: opts.op,
        bytes: opts.bytes,
        queueDepth: opts.queueDepth ?? 1,
        count: opts.count,
        pattern: opts.lba === undefined ? 'sequential' : 'fixed',
        lba: opts.lba ?? 0,
        startNs: 0,
      },
    ],
    actions: [],
    limits: { maxEvents: 50_000_000, untilNs: 3_600e9 },
  };
}

function run(config: WorldConfig): { records: HvRecord[]; issued: number; completed: number; stop: string } {
  const sink = new ArraySink<HvRecord>();
  const out = runWorld(config, sink);
  return { records: sink.records, issued: out.issued, completed: out.completed, stop: out.stop };
}

const ofKind = <K extends HvRecord['kind']>(records: HvRecord[], kind: K) => records.filter((r): r is Extract<HvRecord, { kind: K }> => r.kind === kind);

describe('PIO reads of more than one sector', () => {
  for (const sectors of [1, 8, 128, 256]) {
    it(`a ${sectors}-sector READ SECTORS fetches every sector in turn and raises one interrupt per sector`, () => {
      const r = run(oneDisk({ controller: 'ide', ideMode: 'pio', op: 'read', bytes: sectors * 512, count: 2 }));
      expect(r.stop).toBe('empty');
      expect(r.completed).toBe(2);
      const fetched = ofKind(r.records, 'disk.request.serviced');
      expect(fetched).toHaveLength(2 * sectors);
      // Each sector is its own back-end read, at the next LBA of the command.
      const firstVhdLba = ofKind(r.records, 'vhd.offset.translated')[0]!.lba;
      expect(ofKind(r.records, 'vhd.offset.translated').slice(0, sectors).map((v) => v.lba - firstVhdLba)).toEqual(Array.from({ length: sectors }, (_, i) => i));
      expect(ofKind(r.records, 'ide.interrupt.raised')).toHaveLength(2 * sectors);
      expect(ofKind(r.records, 'ide.pio.transferred')).toHaveLength(2 * sectors);
    });
  }

  it('the emulator asks for the next sector when the guest empties the buffer, and for none after the last', () => {
    const ide = new IdeEmulator();
    ide.write(ATA_NSECT, 2);
    ide.write(ATA_LBAL, 5);
    const first = ide.write(ATA_STATUS_COMMAND, CMD_READ_SECTORS);
    expect(first).toMatchObject({ kind: 'command', sectors: 2, lba: 5, io: { kind: 'host-io', op: 'read', lba: 5, sector: 0 } });
    ide.hostIoDone();
    expect(ide.read(ATA_STATUS_COMMAND) & ST_DRQ).toBe(ST_DRQ);
    ide.read(ATA_DATA, WORDS_PER_SECTOR);
    expect(ide.takeReadAction()).toMatchObject({ kind: 'host-io', op: 'read', lba: 6, sector: 1 });
    expect(ide.takeReadAction()).toEqual({ kind: 'none' }); // taken once
    ide.hostIoDone();
    ide.read(ATA_DATA, WORDS_PER_SECTOR);
    expect(ide.takeReadAction()).toEqual({ kind: 'none' });
    expect(ide.read(ATA_STATUS_COMMAND) & ST_DRQ).toBe(0);
  });
});

describe('READ/WRITE MULTIPLE (ideMode pio-multiple)', () => {
  it('a 10 KiB write is 2 DRQ blocks (16 + 4 sectors): 2 interrupts and 2,584 register accesses with 32-bit string I/O trapped per element, as a real trace shows', () => {
    const r = run(oneDisk({ controller: 'ide', ideMode: 'pio-multiple', op: 'write', bytes: 10240, count: 1, lba: 1_000_000, stringIo: 'per-element' }));
    expect(r.completed).toBe(1);
    expect(ofKind(r.records, 'ide.command.decoded').map((d) => d.name)).toEqual(['WRITE MULTIPLE']);
    expect(ofKind(r.records, 'ide.interrupt.raised')).toHaveLength(2);
    expect(ofKind(r.records, 'ide.register.accessed')).toHaveLength(2584);
    // QEMU writes a whole DRQ block per host I/O.
    expect(ofKind(r.records, 'disk.request.serviced').map((d) => d.bytes)).toEqual([8192, 2048]);
  });

  it('with string I/O batched, a 10 KiB write still traps once per sector of data: 20 data intercepts, 24 register accesses, 2 EOIs (libata calls ata_pio_sector per sector of a block, §3.2)', () => {
    const r = run(oneDisk({ controller: 'ide', ideMode: 'pio-multiple', op: 'write', bytes: 10240, count: 1, lba: 1_000_000, stringIo: 'per-instruction' }));
    expect(r.completed).toBe(1);
    const accesses = ofKind(r.records, 'ide.register.accessed');
    expect(accesses.filter((a) => a.register === 'data')).toHaveLength(20);
    expect(accesses.filter((a) => a.register !== 'data')).toHaveLength(24);
    expect(ofKind(r.records, 'ide.interrupt.raised')).toHaveLength(2);
  });

  it('reads block by block too, and uses READ MULTIPLE EXT past 2^28', () => {
    const r = run(oneDisk({ controller: 'ide', ideMode: 'pio-multiple', op: 'read', bytes: 40 * 512, count: 1, lba: 2 ** 28, backend: 'passthrough' }));
    expect(r.completed).toBe(1);
    expect(ofKind(r.records, 'ide.command.decoded').map((d) => [d.name, d.lba])).toEqual([['READ MULTIPLE EXT', 2 ** 28]]);
    expect(ofKind(r.records, 'ide.interrupt.raised')).toHaveLength(3);
    expect(ofKind(r.records, 'disk.request.serviced').map((d) => d.lba - 2 ** 28)).toEqual([0, 16, 32]);
  });
});

describe('48-bit addressing (LBA48)', () => {
  it('an IDE write at LBA 300,000,000 of a 450 GiB pass-through disk is a WRITE DMA EXT and lands at that LBA', () => {
    const r = run(oneDisk({ controller: 'ide', ideMode: 'dma', op: 'write', bytes: 4096, count: 1, lba: 300_000_000, backend: 'passthrough' }));
    expect(r.completed).toBe(1);
    const decoded = ofKind(r.records, 'ide.command.decoded');
    expect(decoded.map((d) => [d.name, d.lba, d.sectors])).toEqual([['WRITE DMA EXT', 300_000_000, 8]]);
    expect(ofKind(r.records, 'disk.request.serviced').map((d) => d.lba)).toEqual([300_000_000]);
    // The task file takes five more writes, the high-order bytes first (§3.1): 26 + 5 accesses.
    expect(ofKind(r.records, 'ide.register.accessed')).toHaveLength(31);
  });

  it('a PIO read that crosses 2^28 uses READ SECTORS EXT (libata checks the end, not the start)', () => {
    const lba = 2 ** 28 - 4;
    expect(lba28Ok(lba, 8)).toBe(false);
    const r = run(oneDisk({ controller: 'ide', ideMode: 'pio', op: 'read', bytes: 4096, count: 1, lba, backend: 'passthrough' }));
    expect(r.completed).toBe(1);
    expect(ofKind(r.records, 'ide.command.decoded').map((d) => [d.name, d.lba])).toEqual([['READ SECTORS EXT', lba]]);
    expect(ofKind(r.records, 'disk.request.serviced').map((d) => d.lba)).toEqual(Array.from({ length: 8 }, (_, i) => lba + i));
  });

  it('256 sectors still fit a 28-bit command (a count of 0); 257 and more take an EXT command', () => {
    const at256 = run(oneDisk({ controller: 'ide', ideMode: 'dma', op: 'read', bytes: 256 * 512, count: 1 }));
    expect(ofKind(at256.records, 'ide.command.decoded').map((d) => [d.name, d.sectors])).toEqual([['READ DMA', 256]]);
    const big = run(oneDisk({ controller: 'ide', ideMode: 'dma', op: 'write', bytes: 8 * 1024 * 1024, count: 1 }));
    expect(big.completed).toBe(1);
    expect(ofKind(big.records, 'ide.command.decoded').map((d) => [d.name, d.sectors])).toEqual([['WRITE DMA EXT', 16_384]]);
    expect(ofKind(big.records, 'disk.request.serviced').reduce((sum, d) => sum + d.bytes, 0)).toBe(8 * 1024 * 1024);
  });

  it('the emulator reads the high-order bytes from each register written twice', () => {
    const ide = new IdeEmulator();
    const lba = 0x12_3456_789a; // needs 37 bits
    const count = 0x0102;
    const high = Math.floor(lba / 2 ** 24);
    for (const [port, hi, lo] of [
      [ATA_NSECT, count >> 8, count & 0xff],
      [ATA_LBAL, high & 0xff, lba & 0xff],
      [ATA_LBAM, (high >> 8) & 0xff, (lba >> 8) & 0xff],
      [ATA_LBAH, (high >> 16) & 0xff, (lba >> 16) & 0xff],
    ] as const) {
      ide.write(port, hi);
      ide.write(port, lo);
    }
    ide.write(ATA_DEVICE, 0xe0);
    expect(ide.write(ATA_STATUS_COMMAND, CMD_WRITE_DMA_EXT)).toEqual({ kind: 'command', command: CMD_WRITE_DMA_EXT, sectors: count, lba });
  });
});

describe('a writer blocked on a full VMBus ring', () => {
  it('8 MiB synthetic writes at QD 8 all complete', () => {
    const r = run(oneDisk({ controller: 'scsi', op: 'write', bytes: 8 * 1024 * 1024, count: 64, queueDepth: 8 }));
    expect(r.stop).toBe('empty');
    expect(r.completed).toBe(64);
    // Each 8 MiB request goes as 64 SRBs of at most 128 KiB (the 2008 driver's maximum transfer, §2.5).
    expect(ofKind(r.records, 'storvsc.srb.built')).toHaveLength(64 * 64);
    // The modern profile's storvsp takes 256 KiB (OpenVMM's max_transfer_bytes): half as many SRBs.
    const modern = run(oneDisk({ controller: 'scsi', op: 'write', bytes: 8 * 1024 * 1024, count: 8, queueDepth: 8, diskKind: 'ssd' }));
    expect(ofKind(modern.records, 'storvsc.srb.built')).toHaveLength(8 * 32);
  });

  it('more SRBs in flight than storvsp takes at once (its queue depth, 256) wait in the ring and all complete', () => {
    // 64 requests of 8 MiB at QD 64: 4,096 SRBs of 128 KiB want to be in flight at once.
    const r = run(oneDisk({ controller: 'scsi', op: 'write', bytes: 8 * 1024 * 1024, count: 64, queueDepth: 64, diskKind: 'ssd' }));
    expect(r.stop).toBe('empty');
    expect(r.completed).toBe(64);
  });

  it('an 8 KiB ring at QD 64 blocks writers, wakes them once per transition, and completes every request', () => {
    const r = run(oneDisk({ controller: 'scsi', op: 'write', bytes: 64 * 1024, count: 256, queueDepth: 64, diskKind: 'ssd', ringBytes: 8192 }));
    expect(r.stop).toBe('empty');
    expect(r.completed).toBe(256);
    const blocked = ofKind(r.records, 'vmbus.ring.blocked');
    const woken = ofKind(r.records, 'vmbus.space.signalled');
    expect(blocked.length).toBeGreaterThan(0);
    expect(woken.length).toBeGreaterThan(0);
    // Writers wait in line and are woken one at a time: at most one space signal per writer that blocked,
    // each on a read that took the free space past the size the head of the line posted.
    expect(woken.length).toBeLessThanOrEqual(blocked.length);
    for (const w of woken) expect(w.freeBytes).toBeGreaterThan(w.pendingSendSize);
    const reads = ofKind(r.records, 'vmbus.ring.read').filter((x) => x.ring === 'outbound');
    expect(woken.length).toBeLessThan(reads.length / 4);
    // Each space signal is a signal like any other (counted toward the writer, before the next one) and
    // reaches the guest as the channel's interrupt (it may share one already pending).
    const signalled = new Set(woken.map((w) => w.seq));
    let awaiting = false;
    let counted = 0;
    for (const rec of r.records) {
      if (signalled.has(rec.seq)) {
        expect(awaiting).toBe(false);
        awaiting = true;
      } else if (awaiting && rec.kind === 'vmbus.signal.sent') {
        expect(rec.direction).toBe('to-guest');
        awaiting = false;
        counted++;
      }
    }
    expect(counted).toBe(woken.length);
  });

  it('the reader signals only on the transition from not enough space to enough', () => {
    const ring = new RingBuffer<number>(1024);
    for (let i = 0; i < 7; i++) ring.write(128, i); // 896 used, 128 free
    expect(ring.canWrite(200)).toBe(false);
    ring.pendingSendSize = 200;
    let free = ring.freeBytes;
    ring.read(); // 256 free: past 200
    expect(ring.writerNeedsSignal(free)).toBe(true);
    free = ring.freeBytes;
    ring.read(); // 384 free: was already enough, no second signal
    expect(ring.writerNeedsSignal(free)).toBe(false);
    ring.pendingSendSize = 0;
    free = ring.freeBytes;
    ring.read();
    expect(ring.writerNeedsSignal(free)).toBe(false); // nobody waiting
  });
});

describe('the synthetic NIC with both rings full', () => {
  it('completes every packet: the guest reader never waits for ring space, so netvsp and netvsc cannot block each other', () => {
    // 600 frames at 10 Mpps through 4 KiB rings: VM b sends to VM a through the switch while a sends to the wire.
    const rig = new NetRig({ profile: 'modern', logicalProcessors: 1, ringBytes: 4096, vms: [{ id: 'a', kind: 'synthetic' }, { id: 'b', kind: 'synthetic' }] });
    rig.start('a', { direction: 'send', count: 300, packetsPerSecond: 10_000_000, bytes: 60 }, 0);
    rig.start('b', { direction: 'send', count: 300, packetsPerSecond: 10_000_000, bytes: 60, to: 'a/net' }, 1);
    const out = rig.run();
    expect(out.reason).toBe('empty');
    expect(rig.completed).toBe(600);
    expect(ofKind(out.records, 'vmbus.ring.blocked').length).toBeGreaterThan(0);
  });
});

describe('interrupt lines with several waiters', () => {
  it('wake their waiters one per raise, oldest first, and remember raises nobody waited for', () => {
    const sim = new Simulation();
    const line = new InterruptLine();
    const woke: string[] = [];
    function* waiter(name: string): ProcessBody<void> {
      const cause: number = yield line;
      woke.push(`${name}:${cause}`);
    }
    for (const name of ['a', 'b', 'c']) startProcess(sim, waiter(name));
    sim.run();
    expect(line.waiting).toBe(3);
    line.raise(1);
    line.raise(2);
    sim.run();
    expect(woke).toEqual(['a:1', 'b:2']);
    line.raise(3);
    line.raise(4); // nobody waits: kept
    sim.run();
    expect(woke).toEqual(['a:1', 'b:2', 'c:3']);
    expect(line.pendingCount).toBe(1);
    startProcess(sim, waiter('d'));
    sim.run();
    expect(woke).toEqual(['a:1', 'b:2', 'c:3', 'd:4']);
  });

  it('QD 16 synthetic writes and QD 32 IDE requests run without a single-waiter limit', () => {
    const syn = run(oneDisk({ controller: 'scsi', op: 'write', bytes: 1024 * 1024, count: 64, queueDepth: 16, diskKind: 'ssd', ringBytes: 4096 }));
    expect(syn.completed).toBe(64);
    const ide = run(oneDisk({ controller: 'ide', ideMode: 'dma', op: 'read', bytes: 4096, count: 64, queueDepth: 32 }));
    expect(ide.completed).toBe(64);
  });
});
