/**
 * A physical disk, as the back ends, the native path and iSCSI targets see
 * it: one I/O in, completed when `submit` returns. Behind it, by `kind`:
 * a 15K RPM hard disk with rotational position, read-ahead, a write-back
 * cache and SPTF reordering (hdd.ts, on hdd-geometry.ts), or an NVMe SSD
 * with parallel units and a shared data path (nvme.ts). Every front end
 * ends here, so differences between paths are real (reference §6).
 */
import type { ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';
import { HardDisk } from './hdd.js';
import { NvmeDisk } from './nvme.js';

/** Disk configuration. */
export interface DiskConfig {
  id: string;
  kind: 'hdd' | 'ssd';
  /** Capacity in 512-byte sectors. */
  sectors: number;
  /** HDD: acknowledge writes from the drive's buffer and destage them later. */
  writeCache: boolean;
}

/** One I/O at the disk. */
export interface DiskIo {
  op: 'read' | 'write';
  lba: number;
  bytes: number;
}

export class Disk {
  private readonly device: HardDisk | NvmeDisk;

  constructor(
    readonly config: DiskConfig,
    readonly place: Place,
    costs: CostTable,
    tracer: Tracer,
  ) {
    this.device = config.kind === 'hdd' ? new HardDisk(config, place, costs, tracer) : new NvmeDisk(config, place, costs, tracer);
  }

  /** Queues, services and completes one I/O; the caller's strand carries the records (`yield*` it). */
  submit(s: Strand, io: DiskIo): ProcessBody<void> {
    return this.device.submit(s, io);
  }
}
