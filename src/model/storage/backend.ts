/**
 * Storage back ends in the root: a fixed VHD (vhdmp parser over a file on
 * the root's NTFS) or a pass-through disk (the physical LUN handed to the
 * VM; no VHD, no root file system). Both go down the root's disk stack to
 * the HBA and end in the same `Disk`, whichever front end (IDE emulator or
 * storvsp) called them (reference §4.2, §5.1; DESIGN §3).
 */
import type { ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Disk, DiskIo } from '../hardware/disk.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';

/** Back-end kinds available now. */
export type BackendKind = 'fixed-vhd' | 'passthrough';

/** The root-side places a back end's I/O passes. */
export interface RootStackPlaces {
  fs: Place;
  volume: Place;
  vhd: Place;
  diskClass: Place;
  port: Place;
  hba: Place;
}

/** Size of a VHD footer; a fixed VHD's data starts at offset 0 (§5.1). */
const VHD_SECTOR = 512;

export class Backend {
  constructor(
    readonly kind: BackendKind,
    readonly disk: Disk,
    private readonly places: RootStackPlaces,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
    /** Where the VHD file starts on the physical disk (in sectors). */
    private readonly fileStartLba = 0,
  ) {}

  /** One I/O from a front end in the root kernel down to the disk and back. */
  *submit(s: Strand, io: DiskIo): ProcessBody<void> {
    const { costs, tracer, places: p } = this;
    let physicalLba = io.lba;
    if (this.kind === 'fixed-vhd') {
      yield tracer.emit(s, 'stack.layer.passed', p.vhd, costs.vhd_parse_fixed, 'root', { layer: 'vhdmp', direction: 'down' });
      yield tracer.emit(s, 'vhd.offset.translated', p.vhd, 0, 'root', { backend: 'fixed-vhd', lba: io.lba, fileOffset: io.lba * VHD_SECTOR });
      yield tracer.emit(s, 'stack.layer.passed', p.fs, costs.stack_fs, 'root', { layer: 'ntfs', direction: 'down' });
      yield tracer.emit(s, 'stack.layer.passed', p.volume, costs.stack_volume, 'root', { layer: 'volume', direction: 'down' });
      physicalLba = this.fileStartLba + io.lba;
    } else {
      yield tracer.emit(s, 'vhd.offset.translated', p.diskClass, 0, 'root', { backend: 'passthrough', lba: io.lba, fileOffset: io.lba * VHD_SECTOR });
    }
    yield tracer.emit(s, 'stack.layer.passed', p.diskClass, costs.stack_disk_class, 'root', { layer: 'disk', direction: 'down' });
    yield tracer.emit(s, 'stack.layer.passed', p.port, costs.stack_port_miniport, 'root', { layer: 'storport', direction: 'down' });
    yield tracer.emit(s, 'hba.command.started', p.hba, costs.hba_command, 'device', { disk: this.disk.config.id });
    yield* this.disk.submit(s, { op: io.op, lba: physicalLba, bytes: io.bytes });
    yield tracer.emit(s, 'stack.layer.passed', p.port, 0, 'root', { layer: 'storport', direction: 'up' });
  }
}
