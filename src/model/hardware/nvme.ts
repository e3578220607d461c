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
 * The buffer's own size, and the write cliff of a full drive, are not
 * modelled.
 */
import { Resource, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';
import type { DiskConfig, DiskIo } from './disk.js';

export class NvmeDisk {
  private readonly units: Resource;
  /** When the shared data path is next free. */
  private pathFreeAt = 0;
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
    const mediaNs = write ? costs.ssd_write_4k : costs.ssd_read_4k;
    const transferNs = Math.round((io.bytes / 1024) * costs.ssd_ns_per_kib);
    // A read's data moves after its media time; a write's as soon as the program stream has room for it.
    const wanted = write ? this.admitWrite(now, io.bytes) : now + mediaNs;
    const start = Math.max(wanted, this.pathFreeAt);
    this.pathFreeAt = start + transferNs;
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
