/** Trace record kinds: the HBA, the native baseline's interrupt and the disks. Part of the catalog, `../trace-events.ts`. */
import type { DiskSource } from './record-basics.js';

export interface HardwareKindFields {
  /** The HBA took a command. */
  'hba.command.started': { disk: string };
  /** A command waited for the HBA's link, busy with other disks' data (waitNs says how long). */
  'hba.link.waited': { hba: string; queued: number };
  /** The command's data crossed the HBA's link. */
  'hba.data.transferred': { hba: string; bytes: number };
  /** A native host's disk interrupt was handled (no hypervisor: IRQ, ISR, DPC on bare metal). */
  'native.interrupt.handled': { disk: string };
  /** A request waited in the disk's queue (waitNs says how long). */
  'disk.request.waited': { disk: string; queued: number };
  /**
   * The disk serviced a request; the parts add up to costNs. `source`: the media (an HDD's seek, rotation and
   * media transfer; an NVMe read), the read cache (a segment or the read-ahead held the sectors: overhead and
   * interface transfer) or the write cache (acknowledged from the buffer, destaged later). `cached`: not 'media'.
   * `rmwNs`: only on a 512e hard disk's media write that covers part of a physical sector, the revolution(s) its
   * read-modify-write waited (its lba and transferNs are then the whole physical sectors it wrote).
   */
  'disk.request.serviced': {
    disk: string;
    op: 'read' | 'write';
    bytes: number;
    lba: number;
    overheadNs: number;
    seekNs: number;
    rotationNs: number;
    transferNs: number;
    cached: boolean;
    source: DiskSource;
    rmwNs?: number;
  };
  /** An HDD wrote dirty data from its write cache to the media (background work: stream '', flow -1; cause = the write's acknowledgement); the parts add up to costNs (`rmwNs`: a 512e disk's read-modify-write, as on `disk.request.serviced`). */
  'disk.cache.destaged': { disk: string; lba: number; bytes: number; seekNs: number; rotationNs: number; transferNs: number; dirtyBytes: number; waitingWrites: number; rmwNs?: number };
  /** An HDD's mechanism, idle after a media read, went on reading the following sectors into the read's cache segment (background; cause = that read). */
  'disk.readahead.started': { disk: string; lba: number; sectors: number };
}

/** These kinds at run time, in catalog order. */
export const HARDWARE_KINDS = {
  'hba.command.started': true,
  'hba.link.waited': true,
  'hba.data.transferred': true,
  'native.interrupt.handled': true,
  'disk.request.waited': true,
  'disk.request.serviced': true,
  'disk.cache.destaged': true,
  'disk.readahead.started': true,
} as const satisfies Record<keyof HardwareKindFields, true>;
