/**
 * A physical disk: a FIFO queue in front of a service-time model (reference
 * §6). HDD: T = overhead + seek(distance) + rotation + transfer, the seek
 * growing with the square root of the distance between the head's LBA and
 * the target (calibrated so a random seek averages the datasheet figure),
 * rotation the average half turn, and with NCQ at queue depth q the seek
 * shrinks by 1/sqrt(q) (§6 rule, E). A write-back cache acknowledges writes
 * after the controller time plus the transfer. SSD/NVMe: a per-command
 * latency plus transfer, with `parallelism` commands in service at once.
 * Every front end ends here, so differences between paths are real.
 */
import { Resource, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';

/** Disk configuration. */
export interface DiskConfig {
  id: string;
  kind: 'hdd' | 'ssd';
  /** Capacity in 512-byte sectors. */
  sectors: number;
  writeCache: boolean;
}

/** One I/O at the disk. */
export interface DiskIo {
  op: 'read' | 'write';
  lba: number;
  bytes: number;
}

/** E[sqrt(|U1 - U2|)] for independent uniforms: the mean of sqrt(distance) over random seeks. */
const MEAN_SQRT_RANDOM_DISTANCE = 8 / 15;

export class Disk {
  private headLba = 0;
  private readonly servers: Resource;
  private queued = 0;

  constructor(
    readonly config: DiskConfig,
    readonly place: Place,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {
    // An HDD has one actuator; an NVMe device serves many commands at once.
    this.servers = new Resource(config.kind === 'hdd' ? 1 : 32, `disk ${config.id}`);
  }

  /** Queues, services and completes one I/O; the caller's strand carries the records. */
  *submit(s: Strand, io: DiskIo): ProcessBody<void> {
    const arrived = this.tracer.sim.now;
    this.queued++;
    const depth = this.queued;
    yield this.servers;
    this.tracer.waited(s, 'disk.request.waited', this.place, this.tracer.sim.now - arrived, { disk: this.config.id, queued: depth - 1 });
    const parts = this.serviceParts(io, depth);
    const total = parts.overheadNs + parts.seekNs + parts.rotationNs + parts.transferNs;
    yield this.tracer.emit(s, 'disk.request.serviced', this.place, total, 'device', {
      disk: this.config.id,
      op: io.op,
      bytes: io.bytes,
      lba: io.lba,
      ...parts,
    });
    this.headLba = io.lba + Math.ceil(io.bytes / 512);
    this.queued--;
    this.servers.release();
  }

  /** The service time of `io`, split into its parts (pure but for the head position). */
  serviceParts(io: DiskIo, queueDepth: number): { overheadNs: number; seekNs: number; rotationNs: number; transferNs: number; cached: boolean } {
    const c = this.costs;
    const kib = io.bytes / 1024;
    if (this.config.kind === 'ssd') {
      const base = io.op === 'write' ? c.ssd_write_4k : c.ssd_read_4k;
      return { overheadNs: base, seekNs: 0, rotationNs: 0, transferNs: Math.round(Math.max(0, kib - 4) * c.ssd_ns_per_kib), cached: io.op === 'write' };
    }
    const transferNs = Math.round(kib * c.hdd_media_ns_per_kib);
    if (io.op === 'write' && this.config.writeCache) {
      return { overheadNs: c.hdd_write_cache_ack, seekNs: 0, rotationNs: 0, transferNs, cached: true };
    }
    const distance = Math.abs(io.lba - this.headLba) / this.config.sectors;
    const avg = io.op === 'write' ? c.hdd_seek_write_avg : c.hdd_seek_read_avg;
    const t2t = c.hdd_track_to_track;
    const fullStroke = t2t + (avg - t2t) / MEAN_SQRT_RANDOM_DISTANCE;
    let seekNs = distance === 0 ? 0 : t2t + (fullStroke - t2t) * Math.sqrt(distance);
    if (queueDepth > 1) seekNs /= Math.sqrt(Math.min(queueDepth, 32)); // NCQ reordering (§6, E)
    return { overheadNs: 0, seekNs: Math.round(seekNs), rotationNs: Math.round(c.hdd_rotation_period / 2), transferNs, cached: false };
  }
}
