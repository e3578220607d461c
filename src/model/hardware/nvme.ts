/**
 * An NVMe SSD (reference §6): `ssd_parallel_units` commands in service at
 * once (the channels × dies the controller keeps busy; Little's law on the
 * Intel DC P3700's datasheet, 460K random 4 KiB reads per second at ~80 µs,
 * gives ~37), each for its media latency (`ssd_read_4k`, `ssd_write_4k`:
 * the DRAM buffer acknowledges writes), and one shared data path (the PCIe
 * link and the controller, `ssd_ns_per_kib`, ~3 GB/s) that moves every
 * command's data, one transfer at a time: a read's after its media time, a
 * write's before. So 4 KiB reads run at 1 / latency at QD 1 and approach
 * units / latency at high QD, while large transfers are bound by the path.
 * The path is reserved in the order commands start (a read reserves its
 * slot for when its media time ends). Writes also share one program stream
 * behind the buffer (`ssd_program_ns_per_kib` per KiB plus
 * `ssd_program_per_write` each, the datasheet's sustained rates): a write
 * enters the buffer only once the stream has room for it, so sustained
 * writes run at the drive's sustained rate (P3700: 1.9 GB/s sequential,
 * 175K random 4 KiB IOPS) while a lone write still takes `ssd_write_4k`.
 * A read's media time depends on the flash page its block sits on
 * (`readNs`): an MLC upper page takes `ssd_read_page_spread` longer than
 * `ssd_read_4k`, a lower page as much less, so random reads at QD 1 spread
 * over two values around their mean. The buffer's own size, the write
 * cliff of a full drive, and a read waiting for its die to finish a
 * program or an erase (the long tail of reads among writes) are not
 * modelled.
 */
import { Resource, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';
import type { DiskConfig, DiskIo } from './disk.js';

/** 4 KiB blocks: the flash page a block is read from (512-byte sectors, 8 to a block). */
const SECTORS_PER_BLOCK = 8;

/**
 * Whether the 4 KiB block `block` sits on an MLC upper page: the flash
 * translation layer's placement, fixed per block and, to the host,
 * arbitrary (a hash of the block number: half the blocks, spread evenly).
 */
export function onUpperPage(block: number): boolean {
  let h = Math.imul(block ^ (block >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return ((h ^ (h >>> 16)) & 1) === 1;
}

/**
 * A read's media time: `ssd_read_4k` plus `ssd_read_page_spread` on an
 * upper page, less it on a lower one (the spread at most `ssd_read_4k`). A
 * read of several blocks is sensed in parallel across dies and waits for
 * its slowest page: an upper page if it holds one, so a read of 64 KiB
 * (16 blocks) nearly always takes the upper page's time, and an unaligned
 * 4 KiB read (two blocks) three times in four.
 */
export function readNs(lba: number, bytes: number, costs: Pick<CostTable, 'ssd_read_4k' | 'ssd_read_page_spread'>): number {
  const first = Math.floor(lba / SECTORS_PER_BLOCK);
  const last = Math.floor((lba + Math.max(1, Math.ceil(bytes / 512)) - 1) / SECTORS_PER_BLOCK);
  let upper = false;
  for (let b = first; b <= last && !upper; b++) upper = onUpperPage(b);
  // A spread overridden past the read's own time is cut to it: a lower page never reads in less than no time.
  const spread = Math.min(costs.ssd_read_page_spread, costs.ssd_read_4k);
  return upper ? costs.ssd_read_4k + spread : costs.ssd_read_4k - spread;
}

export class NvmeDisk {
  private readonly units: Resource;
  /**
   * The shared data path's reserved transfers, as [start, end) pairs in time
   * order (`reservePath`): a read reserves its transfer for when its media
   * time ends, and reads of different pages end out of their start order.
   */
  private readonly path: number[] = [];
  /** Until when the program stream behind the write buffer is taken by the writes it holds. */
  private programmedUntil = 0;
  private inDrive = 0;

  constructor(
    readonly config: DiskConfig,
    readonly place: Place,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {
    this.units = new Resource(Math.max(1, costs.ssd_parallel_units), `disk ${config.id} units`);
  }

  /** Queues, services and completes one I/O; the caller's strand carries the records. Returns when its data began to move. */
  *submit(s: Strand, io: DiskIo): ProcessBody<number> {
    const { tracer, costs } = this;
    const arrived = tracer.sim.now;
    const queued = this.inDrive++;
    yield this.units;
    const now = tracer.sim.now;
    const write = io.op === 'write';
    const mediaNs = write ? costs.ssd_write_4k : readNs(io.lba, io.bytes, costs);
    const transferNs = Math.round((io.bytes / 1024) * costs.ssd_ns_per_kib);
    // A read's data moves after its media time; a write's as soon as the program stream has room for it.
    const wanted = write ? this.admitWrite(now, io.bytes) : now + mediaNs;
    const start = this.reservePath(now, wanted, transferNs);
    // The data path busy with other commands' data; a write also waits for room in the program stream.
    const holdNs = start - (write ? now : wanted);
    if (holdNs > 0) yield holdNs;
    tracer.waited(s, 'disk.request.waited', this.place, tracer.sim.now - arrived, { disk: this.config.id, queued });
    yield tracer.emit(s, 'disk.request.serviced', this.place, mediaNs + transferNs, 'device', {
      disk: this.config.id,
      op: io.op,
      bytes: io.bytes,
      lba: io.lba,
      overheadNs: mediaNs,
      seekNs: 0,
      rotationNs: 0,
      transferNs,
      cached: write,
      source: write ? 'write-cache' : 'media',
    });
    this.inDrive--;
    this.units.release();
    return start;
  }

  /**
   * Reserves the data path for `ns` from the first free gap at or after
   * `wanted` (transfers already reserved keep their places) and returns its
   * start. Transfers that ended before `now` are dropped.
   */
  private reservePath(now: number, wanted: number, ns: number): number {
    const path = this.path;
    let drop = 0;
    while (drop < path.length && path[drop + 1]! <= now) drop += 2;
    if (drop > 0) path.splice(0, drop);
    let start = wanted;
    let i = 0;
    for (; i < path.length; i += 2) {
      if (start + ns <= path[i]!) break; // fits before this one
      if (path[i + 1]! > start) start = path[i + 1]!;
    }
    path.splice(i, 0, start, start + ns);
    return start;
  }

  /**
   * Takes a write's turn in the program stream and returns when its data may
   * enter the buffer: once the stream's backlog, this write included, is at
   * most this write's own program time.
   */
  private admitWrite(now: number, bytes: number): number {
    const { costs } = this;
    const programNs = Math.round(costs.ssd_program_per_write + (bytes / 1024) * costs.ssd_program_ns_per_kib);
    const admitted = Math.max(now, this.programmedUntil - programNs);
    this.programmedUntil = Math.max(this.programmedUntil, now) + programNs;
    return admitted;
  }
}
