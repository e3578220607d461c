/**
 * A physical disk, as the back ends, the native path and iSCSI targets see
 * it: one I/O in, completed when `submit` returns. Behind it, by `kind`:
 * a 15K RPM hard disk with rotational position, read-ahead, a write-back
 * cache and SPTF reordering (hdd.ts, on hdd-geometry.ts), or an NVMe SSD
 * with parallel units and a shared data path (nvme.ts). A disk on an HBA
 * (every hard disk; a flash disk only when its scenario names one) is
 * reached through it: the adapter's command, then the drive, with the
 * link carrying the data alongside the drive's data phase (hba.ts); an
 * NVMe disk on no HBA is a PCIe device of the root's own, its data path
 * the drive's. Every front end ends here, so differences between paths
 * are real (reference §6).
 */
import type { ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';
import type { Hba } from './hba.js';
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
  /**
   * HDD: the media's sector, behind 512-byte logical sectors: 512 (512n,
   * the default) or 4,096 (512e, Advanced Format), where a write that
   * covers part of a physical sector costs a read-modify-write (hdd.ts).
   */
  physicalSectorBytes?: 512 | 4096;
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
    private readonly costs: CostTable,
    tracer: Tracer,
    /** The adapter the root reaches it through, or null (NVMe on PCIe, or a target's own disk). */
    readonly hba: Hba | null = null,
  ) {
    this.device = config.kind === 'hdd' ? new HardDisk(config, place, costs, tracer) : new NvmeDisk(config, place, costs, tracer);
  }

  /**
   * Its rated sequential rate in bytes per second, from the cost table (no
   * run): the media rate of an HDD or the data path of an NVMe disk, at most
   * the HBA link's rate when it sits behind one. A closed form's number, for
   * figures to set a measured save or restore beside.
   */
  get ratedBytesPerS(): number {
    const c = this.costs;
    const device = (1024 * 1e9) / (this.config.kind === 'hdd' ? c.hdd_media_ns_per_kib : c.ssd_ns_per_kib);
    return this.hba === null ? device : Math.min(device, (1024 * 1e9) / c.hba_link_ns_per_kib);
  }

  /** What raises the completion interrupt: the HBA, or the NVMe disk itself. */
  get interruptSource(): string {
    return this.hba?.id ?? this.config.id;
  }

  /** Where the root's port driver sends the command: the HBA, or the disk itself. */
  get entry(): Place {
    return this.hba?.place ?? this.place;
  }

  /** Queues, services and completes one I/O through the HBA, if any; the caller's strand carries the records (`yield*` it). */
  *submit(s: Strand, io: DiskIo): ProcessBody<void> {
    const hba = this.hba;
    if (hba === null) {
      yield* this.device.submit(s, io);
      return;
    }
    yield hba.command(s, this.config.id);
    const dataStart = yield* this.device.submit(s, io);
    yield* hba.carry(s, dataStart, io.bytes);
  }
}
