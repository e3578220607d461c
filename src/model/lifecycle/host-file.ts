/**
 * A file the root keeps for a VM beside its VHDs (a saved-state .bin, a
 * snapshot's memory, the configuration .xml), placed on a host disk, and
 * I/O on it as the worker process issues it: a Win32 file write or read
 * into the root kernel, then NTFS, the volume, the disk class and port
 * drivers, the HBA and the disk, the same stack a VHD's I/O takes
 * (`storage/backend.ts`). Each I/O is real device time on the disk model,
 * so saving and restoring a VM take as long as its disk needs.
 */
import type { ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Disk } from '../hardware/disk.js';
import type { RootStackPlaces } from '../storage/backend.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';

const SECTOR_BYTES = 512;

export class HostFile {
  constructor(
    /** Its name, for records: `mail.bin`, `mail.snap1.bin`. */
    readonly name: string,
    /** Where it is on its host disk, and how big. */
    readonly startLba: number,
    readonly bytes: number,
    private readonly disk: Disk,
    private readonly places: RootStackPlaces,
    /** The worker process that issues the I/O (user mode). */
    private readonly worker: Place,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {}

  /** The host disk's id. */
  get diskId(): string {
    return this.disk.config.id;
  }

  /** The host disk's rated sequential rate, bytes per second (`Disk.ratedBytesPerS`). */
  get diskRatedBytesPerS(): number {
    return this.disk.ratedBytesPerS;
  }

  /** One read or write of `bytes` at `offsetBytes` of the file, down the root's stack to the disk and back. */
  *io(s: Strand, op: 'read' | 'write', offsetBytes: number, bytes: number): ProcessBody<void> {
    if (offsetBytes < 0 || offsetBytes + bytes > this.bytes || offsetBytes % SECTOR_BYTES !== 0 || bytes % SECTOR_BYTES !== 0 || bytes <= 0) {
      throw new RangeError(`file ${this.name}: ${op} of ${bytes} bytes at ${offsetBytes} is outside its ${this.bytes} bytes or not whole sectors`);
    }
    const { costs, tracer, places: p } = this;
    yield tracer.emit(s, 'cpu.mode.switched', this.worker, costs.mode_switch, 'root', { partition: 'root', to: 'kernel' });
    yield tracer.emit(s, 'stack.layer.passed', p.fs, costs.stack_fs, 'root', { layer: 'ntfs', direction: 'down' });
    yield tracer.emit(s, 'stack.layer.passed', p.volume, costs.stack_volume, 'root', { layer: 'volume', direction: 'down' });
    yield tracer.emit(s, 'stack.layer.passed', p.diskClass, costs.stack_disk_class, 'root', { layer: 'disk', direction: 'down' });
    yield tracer.emit(s, 'stack.layer.passed', p.port, costs.stack_port_miniport, 'root', { layer: 'storport', direction: 'down' });
    yield* this.disk.submit(s, { op, lba: this.startLba + offsetBytes / SECTOR_BYTES, bytes });
    yield tracer.emit(s, 'cpu.mode.switched', this.worker, costs.mode_switch, 'root', { partition: 'root', to: 'user' });
  }
}
