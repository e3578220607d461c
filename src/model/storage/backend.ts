/**
 * Storage back ends in the root: a VHD (fixed, dynamic or differencing,
 * through the vhdmp parser over a file on the root's NTFS) or a
 * pass-through disk (the physical LUN handed to the VM; no VHD, no root
 * file system). The VHD parser's plan (vhd.ts) says which lookups, file
 * extensions and device I/Os one request costs; each device I/O, metadata
 * or data, goes down the root's stack to the HBA and ends in the same
 * `Disk`, whichever front end (IDE emulator or storvsp) called (reference
 * §4.2, §5.1; DESIGN §3).
 */
import type { ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Disk, DiskIo } from '../hardware/disk.js';
import type { Hba } from '../hardware/hba.js';
import type { Hypervisor } from '../hypervisor/hypervisor.js';
import type { Place } from '../topology.js';
import type { BackendKind } from '../trace-events.js';
import type { Strand, Tracer } from '../tracer.js';
import { VHD_SECTOR_BYTES, type VhdImage, type VhdIoStep } from './vhd.js';

export type { BackendKind };

/** The root-side places a back end's I/O passes. */
export interface RootStackPlaces {
  fs: Place;
  volume: Place;
  vhd: Place;
  diskClass: Place;
  port: Place;
}

/**
 * What a front end (storvsp, the IDE emulator in the worker) and the world
 * need of a back end: one I/O down to the device and back, the size the VM
 * sees, and snapshots where the back end has VHDs.
 */
export interface StorageBackend {
  readonly kind: BackendKind;
  /** Sectors the VM sees. */
  readonly virtualSectors: number;
  submit(s: Strand, io: DiskIo): ProcessBody<void>;
  /** Adds a differencing link; throws where there is no VHD to snapshot. */
  snapshot(s: Strand, diskId: string): number;
}

/** The back end of a VM disk on a host disk: a VHD chain or the disk passed through. */
export class Backend implements StorageBackend {
  constructor(
    readonly kind: BackendKind,
    readonly disk: Disk,
    private readonly hba: Hba,
    private readonly places: RootStackPlaces,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
    /** The image the VM writes to (the leaf of a chain); null for pass-through. */
    private image: VhdImage | null,
    private readonly zeroFillNewBlocks: boolean,
    /** Reserves `sectors` on the physical disk for a new image file and returns where it starts. */
    private readonly allocate: (sectors: number) => number,
    /** Takes the HBA's completion interrupt to the root (through the hypervisor). */
    private readonly hv: Hypervisor,
  ) {
    if ((kind === 'passthrough') !== (image === null)) throw new Error(`back end ${kind}: an image is needed exactly for VHDs`);
  }

  /** Sectors the VM sees: the VHD's virtual size, or the whole pass-through disk. */
  get virtualSectors(): number {
    return this.image === null ? this.disk.config.sectors : this.image.virtualSectors;
  }

  /** Chain depth above the base (0 for fixed or dynamic). */
  get depth(): number {
    return this.image === null ? 0 : this.image.chain.length - 1;
  }

  /** Takes a snapshot: a new differencing image on top takes the writes from now on. */
  snapshot(s: Strand, diskId: string): number {
    if (this.image === null) throw new Error('a pass-through disk cannot be snapshotted');
    const name = `${this.image.name.split('#')[0]}#${this.image.chain.length}`;
    // A child file can grow to its parent's largest size; reserve that much, away from other files.
    this.image = this.image.snapshot(name, this.allocate(this.image.maxFileSectors));
    return this.tracer.emit(s, 'vhd.snapshot.taken', this.places.vhd, 0, 'root', { disk: diskId, image: this.image.name, depth: this.depth });
  }

  /** One I/O from a front end in the root kernel down to the disk and back. */
  *submit(s: Strand, io: DiskIo): ProcessBody<void> {
    const { costs, tracer, places: p } = this;
    if (this.image === null) {
      yield tracer.emit(s, 'vhd.offset.translated', p.diskClass, 0, 'root', { backend: 'passthrough', lba: io.lba, fileOffset: io.lba * VHD_SECTOR_BYTES });
      yield* this.device(s, io.op, io.lba, io.bytes);
      return;
    }
    yield tracer.emit(s, 'stack.layer.passed', p.vhd, costs.vhd_parse_fixed, 'root', { layer: 'vhdmp', direction: 'down' });
    for (const step of this.image.plan(io, { zeroFillNewBlocks: this.zeroFillNewBlocks })) {
      switch (step.kind) {
        case 'lookup':
          yield tracer.emit(s, 'vhd.block.looked-up', p.vhd, costs.vhd_parse_dynamic_lookup, 'root', { image: step.image, level: step.level });
          break;
        case 'extend':
          yield tracer.emit(s, 'vhd.file.extended', p.fs, costs.vhd_file_extend, 'root', { image: step.image, bytes: step.bytes });
          break;
        case 'zeros':
          yield tracer.emit(s, 'vhd.zeros.returned', p.vhd, 0, 'root', { sectors: step.sectors });
          break;
        case 'io':
          yield* this.fileIo(s, step);
          break;
      }
    }
    yield tracer.emit(s, 'stack.layer.passed', p.port, 0, 'root', { layer: 'storport', direction: 'up' });
  }

  /** A device I/O on the VHD file: through the root's NTFS and volume, then the disk stack. */
  private *fileIo(s: Strand, step: VhdIoStep): ProcessBody<void> {
    const { costs, tracer, places: p } = this;
    yield tracer.emit(s, 'vhd.offset.translated', p.vhd, 0, 'root', {
      backend: this.kind,
      lba: step.lba,
      fileOffset: step.fileOffset,
      purpose: step.purpose,
      image: step.image,
    });
    yield tracer.emit(s, 'stack.layer.passed', p.fs, costs.stack_fs, 'root', { layer: 'ntfs', direction: 'down' });
    yield tracer.emit(s, 'stack.layer.passed', p.volume, costs.stack_volume, 'root', { layer: 'volume', direction: 'down' });
    // Metadata and data I/O cost the same at the device; the record's `purpose` tells them apart.
    yield* this.device(s, step.op, step.lba, step.bytes);
  }

  /**
   * The root's disk class and port drivers, the HBA, the disk, and the HBA's
   * completion interrupt: through the hypervisor to the root's VP, then
   * StorPort's ISR and completion DPC (native-disk.ts has the same ISR and DPC).
   */
  private *device(s: Strand, op: 'read' | 'write', lba: number, bytes: number): ProcessBody<void> {
    const { costs, tracer, places: p } = this;
    yield tracer.emit(s, 'stack.layer.passed', p.diskClass, costs.stack_disk_class, 'root', { layer: 'disk', direction: 'down' });
    yield tracer.emit(s, 'stack.layer.passed', p.port, costs.stack_port_miniport, 'root', { layer: 'storport', direction: 'down' });
    yield* this.hba.transfer(s, this.disk.config.id, bytes);
    yield* this.disk.submit(s, { op, lba, bytes });
    yield* this.hv.rootDeviceInterrupt(s, p.port, this.hba.id, function* (ds) {
      yield tracer.emit(ds, 'cpu.dpc.ran', p.port, costs.dpc_dispatch, 'root', { partition: 'root', routine: 'StorPort completion DPC' });
    });
  }
}
