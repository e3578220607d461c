/**
 * Builds the back end of each VM disk backed by a host disk: places VHD
 * files one after another on their physical disk (a differencing chain's
 * images, and later snapshots, each get room of their own, so no two files
 * overlap) and hands the back end its disk and HBA. Pass-through disks use
 * the whole physical disk.
 */
import type { CostTable } from '../costs.js';
import type { Disk } from '../hardware/disk.js';
import type { Hypervisor } from '../hypervisor/hypervisor.js';
import type { Tracer } from '../tracer.js';
import type { VmDiskConfig } from '../world-config.js';
import { Backend, type RootStackPlaces } from './backend.js';
import { VhdImage } from './vhd.js';
import { roundUpToPage } from './vhd-format.js';
import { VHDX_MIB_SECTORS } from './vhdx-metadata.js';

/** Hyper-V's default size for a new VHD: 127 GB (here 127 GiB), in sectors. */
export const DEFAULT_VHD_SECTORS = 127 * 2097152;

export class BackendFactory {
  /** Next free sector on each physical disk. */
  private readonly cursor = new Map<string, number>();

  constructor(
    private readonly hostDisks: ReadonlyMap<string, Disk>,
    private readonly rootStack: RootStackPlaces,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
    private readonly hv: Hypervisor,
  ) {}

  /** Reserves `sectors` on host disk `diskId` and returns the first LBA: on a 4 KiB boundary, as NTFS places a file in whole clusters (4 KiB by default). */
  allocate(diskId: string, sectors: number): number {
    const start = roundUpToPage(this.cursor.get(diskId) ?? 0);
    const disk = this.hostDisks.get(diskId)!;
    if (start + sectors > disk.config.sectors) {
      throw new RangeError(`host disk '${diskId}' is too small: its VHD files need ${start + sectors} sectors, it has ${disk.config.sectors}`);
    }
    this.cursor.set(diskId, start + sectors);
    return start;
  }

  /** The back end of VM `vmId`'s disk `d`: its VHD chain placed on the host disk, or the disk itself. */
  build(vmId: string, d: VmDiskConfig): Backend {
    const b = d.backend;
    if (b.kind === 'iscsi') throw new RangeError(`VM ${vmId} disk ${d.id}: an iSCSI LUN has no host-disk back end`);
    const hostDisk = this.hostDisks.get(b.disk);
    if (hostDisk === undefined) throw new RangeError(`VM ${vmId} disk ${d.id}: no host disk '${b.disk}'`);
    const allocate = (sectors: number): number => this.allocate(b.disk, sectors);
    if (b.kind === 'passthrough') return new Backend('passthrough', hostDisk, this.rootStack, this.costs, this.tracer, null, false, allocate, this.hv);
    const name = `${vmId}/${d.id}`;
    const virtualSectors = b.virtualSectors ?? DEFAULT_VHD_SECTORS;
    const format = b.kind.endsWith('-vhdx') ? 'vhdx' : 'vhd';
    // A VHDX's blocks (32 MiB unless the scenario says) are its base's too: a differencing chain keeps one block size.
    const blockSectors = format === 'vhdx' && b.blockSizeMiB !== undefined ? b.blockSizeMiB * VHDX_MIB_SECTORS : undefined;
    const place = (kind: 'fixed' | 'dynamic', suffix: string): VhdImage => {
      const aligned4k = this.costs.vhd_structures_4k_aligned === 1;
      const config = { name: `${name}${suffix}`, kind, format, virtualSectors, aligned4k, ...(blockSectors === undefined || kind === 'fixed' ? {} : { blockSectors }) } as const;
      const probe = new VhdImage(config);
      return new VhdImage({ ...config, fileStartLba: allocate(probe.maxFileSectors) });
    };
    let image: VhdImage;
    if (b.kind === 'fixed-vhd' || b.kind === 'fixed-vhdx') image = place('fixed', '');
    else if (b.kind === 'dynamic-vhd' || b.kind === 'dynamic-vhdx') image = place('dynamic', '');
    else {
      image = place(b.base ?? 'dynamic', '#0');
      for (let level = 1; level <= (b.depth ?? 1); level++) {
        const blocks = image.kind === 'fixed' ? blockSectors : undefined;
        image = image.snapshot(`${name}#${level}`, allocate(image.childMaxFileSectors(blocks)), blocks);
      }
    }
    return new Backend(b.kind, hostDisk, this.rootStack, this.costs, this.tracer, image, b.zeroFillNewBlocks ?? false, allocate, this.hv);
  }
}
