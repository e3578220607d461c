/**
 * A guest's storage stack above the disk driver (reference §4.1–4.2): the
 * application's system call, the file system, volume and partition
 * managers and the disk class driver, down and back up (on Linux: ext4,
 * the block layer and sd, charged the same per-layer costs, E). Costs are the
 * per-I/O layer costs of the cost table; the way up is shown as zero-cost
 * records so a packet can be followed back to the application.
 */
import type { ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';

/** The names a guest's layers go by in records: Windows (NTFS, volume, disk) or Linux (ext4, block layer, sd). */
export interface GuestLayerNames {
  fs: string;
  volume: string;
  disk: string;
}

export const WINDOWS_LAYERS: GuestLayerNames = { fs: 'ntfs', volume: 'volume', disk: 'disk' };
export const LINUX_LAYERS: GuestLayerNames = { fs: 'ext4', volume: 'block', disk: 'sd' };

/** The places of one guest's stack. */
export interface GuestStackPlaces {
  app: Place;
  fs: Place;
  volume: Place;
  diskClass: Place;
}

export class GuestStack {
  constructor(
    readonly vmId: string,
    readonly places: GuestStackPlaces,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
    private readonly layers: GuestLayerNames = WINDOWS_LAYERS,
  ) {}

  /** The application's call into the kernel and the layers down to the disk class driver. */
  *down(s: Strand): ProcessBody<void> {
    const { tracer, costs, places: p } = this;
    yield tracer.emit(s, 'cpu.mode.switched', p.app, costs.mode_switch, 'guest', { partition: this.vmId, to: 'kernel' });
    const l = this.layers;
    yield tracer.emit(s, 'stack.layer.passed', p.fs, costs.stack_fs, 'guest', { layer: l.fs, direction: 'down' });
    yield tracer.emit(s, 'stack.layer.passed', p.volume, costs.stack_volume, 'guest', { layer: l.volume, direction: 'down' });
    yield tracer.emit(s, 'stack.layer.passed', p.diskClass, costs.stack_disk_class, 'guest', { layer: l.disk, direction: 'down' });
  }

  /** The completion back up to the application. */
  *up(s: Strand): ProcessBody<void> {
    const { tracer, costs, places: p } = this;
    const l = this.layers;
    yield tracer.emit(s, 'stack.layer.passed', p.diskClass, 0, 'guest', { layer: l.disk, direction: 'up' });
    yield tracer.emit(s, 'stack.layer.passed', p.volume, 0, 'guest', { layer: l.volume, direction: 'up' });
    yield tracer.emit(s, 'stack.layer.passed', p.fs, 0, 'guest', { layer: l.fs, direction: 'up' });
    yield tracer.emit(s, 'cpu.mode.switched', p.app, costs.mode_switch, 'guest', { partition: this.vmId, to: 'user' });
  }
}
