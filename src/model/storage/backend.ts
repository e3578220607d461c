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
import type { Hypervisor } from '../hypervisor/hypervisor.js';
import type { Place } from '../topology.js';
import type { BackendKind } from '../trace-events.js';
import type { Strand, Tracer } from '../tracer.js';
import type { VhdImage } from './vhd.js';
import { VHD_SECTOR_BYTES, type VhdIoStep, type VhdStep } from './vhd-format.js';
import { VHDX_LAYOUT } from './vhdx-metadata.js';

export type { BackendKind };

/**
 * The root-side places a back end's I/O passes. A class, not an object
 * literal, for V8: a literal run once per world meets its second run in
 * the second run on a thread, where V8 makes its boilerplate and widens
 * its fields' types, deoptimizing every function optimized in the first
 * run that reads them (a back end's `submit`, `fileIo`, `device`, and the
 * hypervisor's `rootDeviceInterrupt`, which inlines its DPC).
 */
export class RootStackPlaces {
  constructor(
    readonly vhd: Place,
    readonly fs: Place,
    readonly volume: Place,
    readonly diskClass: Place,
    readonly port: Place,
  ) {}
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

  /** Names of the images this back end has created by snapshots (no two alike). */
  private readonly imageNames = new Set<string>();
  /** StorPort's completion DPC, the step the HBA's interrupt ends in (one function per backend, not a generator per I/O). */
  private readonly completionDpc = (ds: Strand): number =>
    this.tracer.emit(ds, 'cpu.dpc.ran', this.places.port, this.costs.dpc_dispatch, 'root', { partition: 'root', routine: 'StorPort completion DPC' });

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
    let name = `${this.image.name.split('#')[0]}#${this.image.chain.length}`;
    // After a revert the new image sits where a discarded one sat: give it a name of its own.
    for (let n = 2; this.imageNames.has(name); n++) name = `${this.image.name.split('#')[0]}#${this.image.chain.length}.${n}`;
    this.imageNames.add(name);
    // A child file can grow to its parent's largest size; reserve that much, away from other files.
    this.image = this.image.snapshot(name, this.allocate(this.image.childMaxFileSectors()));
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
    yield* this.runPlan(s, this.image.plan(io, { zeroFillNewBlocks: this.zeroFillNewBlocks }));
    yield tracer.emit(s, 'stack.layer.passed', p.port, 0, 'root', { layer: 'storport', direction: 'up' });
  }

  /** The VHD parser's steps, in order: lookups and extensions charged, device I/O down the root's stack. */
  private *runPlan(s: Strand, plan: VhdStep[]): ProcessBody<void> {
    const { costs, tracer, places: p } = this;
    for (const step of plan) {
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
  }

  // --- Snapshots as the VM life cycle takes them (src/model/lifecycle/; reference row b) ---

  /** The image the VM writes to now (the leaf of its chain); null for pass-through. */
  get leaf(): VhdImage | null {
    return this.image;
  }

  /**
   * Writes a new differencing image's metadata as the parser creates the
   * file: the footer copy, the dynamic header, the whole BAT (every entry
   * "unallocated") and the footer (QEMU `create_dynamic_disk`; reference
   * §5.1). A VHDX (QEMU `vhdx_co_create`): the header section (file
   * identifier, two headers, two region tables) and the metadata; its BAT
   * of entries "not present" is zeros, which the new file reads as, and it
   * has no footer. Real device I/O on the disk that holds it.
   */
  *writeNewImage(s: Strand): ProcessBody<number> {
    const image = this.image;
    if (image === null || image.kind !== 'differencing') throw new Error('only a new differencing image has a header to write');
    if (image.format === 'vhdx') {
      const { headerBytes, metadataBytes } = VHDX_LAYOUT;
      yield* this.fileIo(s, { kind: 'io', purpose: 'header', op: 'write', lba: image.fileStartLba, bytes: headerBytes, sync: true, image: image.name, fileOffset: 0 });
      const metadataSector = VHDX_LAYOUT.batSector + image.batSectors;
      yield* this.fileIo(s, { kind: 'io', purpose: 'header', op: 'write', lba: image.fileStartLba + metadataSector, bytes: metadataBytes, sync: true, image: image.name, fileOffset: metadataSector * VHD_SECTOR_BYTES });
      return headerBytes + metadataBytes;
    }
    const footer = image.footerWrite();
    yield* this.fileIo(s, { kind: 'io', purpose: 'bat', op: 'write', lba: image.fileStartLba, bytes: image.dataStartSector * VHD_SECTOR_BYTES, sync: true, image: image.name, fileOffset: 0 });
    yield* this.fileIo(s, footer);
    const bytes = image.dataStartSector * VHD_SECTOR_BYTES + footer.bytes;
    return bytes;
  }

  /**
   * Applies a snapshot: every image above `snapshotImage` is discarded and a
   * new differencing image on it takes the writes (reference row b.2: apply
   * "continues from a new child AVHD"). Returns the bytes the discarded
   * images held: the writes since the snapshot, lost.
   */
  revertTo(s: Strand, diskId: string, snapshotImage: VhdImage): { bytesDiscarded: number; images: string[] } {
    const image = this.image;
    if (image === null) throw new Error('a pass-through disk has no snapshot to revert to');
    const level = image.chain.indexOf(snapshotImage);
    if (level <= 0) throw new Error(`VHD "${image.name}": "${snapshotImage.name}" is not below the leaf of its chain`);
    const discarded = image.chain.slice(0, level);
    const bytesDiscarded = discarded.reduce((sum, img) => sum + img.sectorsHeld * VHD_SECTOR_BYTES, 0);
    snapshotImage.detachChild();
    this.image = snapshotImage;
    this.snapshot(s, diskId);
    return { bytesDiscarded, images: discarded.map((img) => img.name) };
  }

  /**
   * Merges the leaf into its parent, as deleting a snapshot does once the VM
   * is off (reference row b.2): each run of sectors the leaf holds is read
   * from it and written into the parent through the parser (which allocates
   * the parent's blocks as a guest write would). `cancelled` is asked
   * between runs: starting the VM cancels the merge and "all progress made
   * on the merge operation will be thrown away" (WS2008/R2, V). Returns the
   * bytes copied and whether the merge finished.
   */
  *mergeLeaf(s: Strand, cancelled: () => boolean): ProcessBody<{ bytes: number; done: boolean; image: string; into: string }> {
    const child = this.image;
    const parent = child?.parent ?? null;
    if (child === null || parent === null) throw new Error('no differencing image to merge');
    parent.detachChild();
    let bytes = 0;
    for (const run of child.heldRuns()) {
      if (cancelled()) {
        parent.attachChildAgain();
        return { bytes, done: false, image: child.name, into: parent.name };
      }
      const io = { lba: run.lba, bytes: run.sectors * VHD_SECTOR_BYTES };
      yield* this.runPlan(s, child.plan({ op: 'read', ...io }));
      yield* this.runPlan(s, parent.plan({ op: 'write', ...io }, { zeroFillNewBlocks: this.zeroFillNewBlocks }));
      bytes += io.bytes;
    }
    this.image = parent;
    return { bytes, done: true, image: child.name, into: parent.name };
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
   * The root's disk class and port drivers, the HBA (if any) and the disk, and
   * the completion interrupt (the HBA's, or the NVMe disk's): through the hypervisor to the root's VP, then
   * StorPort's ISR and completion DPC (native-disk.ts has the same ISR and DPC).
   */
  private *device(s: Strand, op: 'read' | 'write', lba: number, bytes: number): ProcessBody<void> {
    const { costs, tracer, places: p } = this;
    yield tracer.emit(s, 'stack.layer.passed', p.diskClass, costs.stack_disk_class, 'root', { layer: 'disk', direction: 'down' });
    yield tracer.emit(s, 'stack.layer.passed', p.port, costs.stack_port_miniport, 'root', { layer: 'storport', direction: 'down' });
    yield* this.disk.submit(s, { op, lba, bytes });
    yield* this.hv.rootDeviceInterrupt(s, p.port, this.disk.interruptSource, this.completionDpc);
  }
}
