/**
 * The VHD file format's constants, geometry and types (reference §5.1:
 * Microsoft's VHD specification; QEMU `block/vpc.c`), shared by the parser
 * (`vhd.ts`, `VhdImage`) and what it plans for (`backend.ts`): sector and
 * block sizes, where a sparse file keeps its metadata, the steps a plan is
 * made of, and the sector bitmaps' bit order. VHDX's own layout is
 * `vhdx-metadata.ts`.
 */
import type { VhdImage } from './vhd.js';
import { VHDX_MAX_BLOCK_SECTORS, VHDX_MIB_SECTORS, VHDX_MIN_BLOCK_SECTORS } from './vhdx-metadata.js';

/** One sector, in bytes. */
export const VHD_SECTOR_BYTES = 512;
/** A BAT entry with this value marks a block that is not allocated (§5.1). */
export const VHD_UNALLOCATED = 0xffffffff;
/** Default block: 2 MiB = 4,096 sectors, with a 1-sector bitmap (§5.1, spec). */
export const VHD_DEFAULT_BLOCK_SECTORS = 4096;

/**
 * Where a dynamic or differencing file keeps its metadata, in sectors from
 * the file's start: a copy of the footer at 0, the 1,024-byte dynamic
 * header at 512 B, the BAT at 1,536 B (QEMU `create_dynamic_disk`). Data
 * blocks follow the BAT rounded up to a sector; the footer sits at EOF.
 */
export const VHD_LAYOUT = { footerCopySector: 0, dynamicHeaderSector: 1, batSector: 3 } as const;

/**
 * The file format. VHDX (MS-VHDX §2) differs where a write pays: its
 * payload blocks are 32 MiB by default and start on 1 MiB boundaries; a
 * dynamic image has no sector bitmap at all (a block is fully present or
 * not: the bitmaps only tell a differencing image's sectors from its
 * parent's); there is no footer to move as the file grows; and the BAT
 * and bitmaps change through the log: the change written to the log and
 * flushed, then written in place (QEMU `vhdx_log_write_and_flush`). A
 * ProcMon trace of a 4 KiB write into a new block shows VHD's 512-byte
 * bitmap write and none on VHDX (winntfs.com, "Notes on Windows 8 VHDX
 * file format", 2011); Microsoft measured nearly 25 % more write
 * throughput for dynamic and differencing VHDX than VHD (reference §5.1).
 */
export type VhdFormat = 'vhd' | 'vhdx';

export const BITS_PER_BITMAP_SECTOR = VHD_SECTOR_BYTES * 8;
export const BAT_ENTRIES_PER_SECTOR = VHD_SECTOR_BYTES / 4;
/** Block size floor: a power of two of at least 512 B × 8, so the bitmap has a whole byte. */
export const MIN_BLOCK_SECTORS = 8;

/** Fixed: raw data + footer. Dynamic: sparse blocks behind a BAT. Differencing: dynamic, over a parent. */
export type VhdKind = 'fixed' | 'dynamic' | 'differencing';
/** What an I/O step is for: guest data or one of the parser's metadata structures. */
export type VhdIoPurpose = 'data' | 'bitmap' | 'footer' | 'bat' | 'zero-fill' | 'log' | 'header';

/** One guest I/O as the parser receives it (same shape as `DiskIo`). */
export interface VhdRequest {
  op: 'read' | 'write';
  /** Virtual LBA inside the image. */
  lba: number;
  /** A positive multiple of 512. */
  bytes: number;
}

/** Parser policies that are gaps in the reference (§5.1, §10). */
export interface VhdPlanOptions {
  /** Write zeros over the whole new block before the guest data lands. */
  zeroFillNewBlocks: boolean;
  /** The 4-byte BAT update reaches the device as a 512-byte read then write (default true). */
  batReadModifyWrite?: boolean;
}

/** One thing the parser does, in order. */
export type VhdStep =
  /** A BAT + sector-bitmap lookup in one image of the chain; level 0 is the image planned on. The caller charges `vhd_parse_dynamic_lookup` each. */
  | { kind: 'lookup'; image: string; level: number }
  /** A device I/O at a physical LBA of the disk holding `image`'s file; `fileOffset` is its byte offset within that file. */
  | { kind: 'io'; purpose: VhdIoPurpose; op: 'read' | 'write'; lba: number; bytes: number; sync: boolean; image: string; fileOffset: number }
  /** The image file grows by `bytes` (host file-system allocation). */
  | { kind: 'extend'; image: string; bytes: number }
  /** Sectors present nowhere in the chain: the parser returns zeros with no device I/O. `lba` is virtual. */
  | { kind: 'zeros'; lba: number; sectors: number };

/** The ordered steps for one request. */
export type VhdPlan = VhdStep[];
/** The device-I/O variant of `VhdStep`. */
export type VhdIoStep = Extract<VhdStep, { kind: 'io' }>;

/** How to make an image. A differencing image needs `parent`; the others need `virtualSectors`. */
export interface VhdImageConfig {
  name: string;
  kind: VhdKind;
  /** VHD (default) or VHDX; a differencing image inherits its parent's. */
  format?: VhdFormat;
  /** Virtual disk size in sectors (a differencing image inherits its parent's). */
  virtualSectors?: number;
  /** Block size in sectors: a power of two ≥ 8 (default 4,096 = 2 MiB; VHDX: 2,048..524,288, default 65,536 = 32 MiB; a child inherits its parent's). */
  blockSectors?: number;
  /** Where the image file starts on the physical disk (default 0; a child defaults to just past its ancestors, on a 4 KiB cluster). */
  fileStartLba?: number;
  parent?: VhdImage | null;
  /**
   * VHD: keep the structures on 4 KiB boundaries, as Windows Server 2012's
   * parser does (cost `vhd_structures_4k_aligned`): each block's bitmap
   * padded to 4 KiB so its data starts on a 4 KiB boundary, the first block
   * on one, and the bitmap, the BAT entry and the footer written as whole
   * 4 KiB pages (the footer in the last sector of the file's last page).
   * Default false: the specification's minimal layout (a 512-byte bitmap
   * before each block, 512-byte metadata writes), as 2008 and 2008 R2 write
   * it. A child inherits its parent's; VHDX is aligned by design either way.
   */
  aligned4k?: boolean;
}

/** Sectors in a 4 KiB page: a 512e disk's physical sector, an NTFS cluster. */
export const PAGE_SECTORS = 8;

/** `sectors` rounded up to a whole 4 KiB page. */
export function roundUpToPage(sectors: number): number {
  return Math.ceil(sectors / PAGE_SECTORS) * PAGE_SECTORS;
}

/** A VHD file's layout: each block's bitmap, the BAT, where data blocks start (in sectors). */
export interface VhdGeometry {
  bitmapSectors: number;
  batEntries: number;
  batSectors: number;
  dataStartSector: number;
}

/**
 * The layout of a VHD (not VHDX: `vhdxGeometry`) of `virtualSectors` in
 * blocks of `blockSectors`: a sparse one has a bitmap of a bit per sector
 * before each block and a BAT entry per block after the dynamic header
 * (`VHD_LAYOUT`), its blocks after the BAT; with `aligned4k` (Windows
 * Server 2012's parser) the bitmaps and the first block are on 4 KiB
 * pages. A fixed one is its data from sector 0.
 */
export function vhdGeometry(virtualSectors: number, blockSectors: number, sparse: boolean, aligned4k: boolean): VhdGeometry {
  if (!sparse) return { bitmapSectors: 0, batEntries: 0, batSectors: 0, dataStartSector: 0 };
  const bitmapSectors = Math.ceil(blockSectors / BITS_PER_BITMAP_SECTOR);
  const batEntries = Math.ceil(virtualSectors / blockSectors);
  const batSectors = Math.ceil(batEntries / BAT_ENTRIES_PER_SECTOR);
  const dataStart = VHD_LAYOUT.batSector + batSectors;
  return { bitmapSectors: aligned4k ? roundUpToPage(bitmapSectors) : bitmapSectors, batEntries, batSectors, dataStartSector: aligned4k ? roundUpToPage(dataStart) : dataStart };
}

/** A physical LBA range [startLba, endLba). */
export interface LbaExtent {
  startLba: number;
  endLba: number;
}

/** Throws unless `config`'s kind fits its `parent`: a differencing image has one, of the same size and not of its name; the others have none. */
export function checkKind(config: VhdImageConfig, parent: VhdImage | null): void {
  if (config.kind === 'differencing') {
    if (parent === null) throw new RangeError(`VHD "${config.name}": a differencing image needs a parent`);
    if (parent.chain.some((p) => p.name === config.name)) throw new RangeError(`VHD "${config.name}": name already used in its chain`);
    if (config.virtualSectors !== undefined && config.virtualSectors !== parent.virtualSectors) {
      throw new RangeError(`VHD "${config.name}": virtual size ${config.virtualSectors} differs from parent's ${parent.virtualSectors}`);
    }
  } else if (config.kind === 'fixed' || config.kind === 'dynamic') {
    if (parent !== null) throw new RangeError(`VHD "${config.name}": only a differencing image has a parent`);
  } else {
    throw new RangeError(`VHD "${String(config.name)}": unknown kind ${String(config.kind)}`);
  }
}

/** Throws unless `blockSectors` is a block size `name` may have: a power of two of 8 sectors or more (VHDX: 1 to 256 MiB), its parent's when it has a sparse parent. */
export function checkBlockSectors(name: string, blockSectors: number, vhdx: boolean, parent: VhdImage | null): void {
  if (!Number.isSafeInteger(blockSectors) || blockSectors < MIN_BLOCK_SECTORS || (blockSectors & (blockSectors - 1)) !== 0) {
    throw new RangeError(`VHD "${name}": block size must be a power of two of at least 4,096 bytes (8 sectors), got ${blockSectors} sectors`);
  }
  if (vhdx && (blockSectors < VHDX_MIN_BLOCK_SECTORS || blockSectors > VHDX_MAX_BLOCK_SECTORS)) {
    throw new RangeError(`VHDX "${name}": block size must be 1 MiB to 256 MiB (MS-VHDX), got ${blockSectors / VHDX_MIB_SECTORS} MiB`);
  }
  if (parent !== null && parent.kind !== 'fixed' && parent.blockSectors !== blockSectors) {
    throw new RangeError(`VHD "${name}": block size ${blockSectors} differs from parent's ${parent.blockSectors}`);
  }
}

/** Throws unless `value` is a safe integer of at least `min`, naming `what`. */
export function requireCount(value: number, what: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${what} must be an integer ≥ ${min}, got ${value}`);
}

/** Set bits per byte value. */
export const BIT_COUNT = Uint8Array.from({ length: 256 }, (_, v) => {
  let n = 0;
  for (let b = v; b !== 0; b >>= 1) n += b & 1;
  return n;
});

/** Whether sector `bit` is set in a sector bitmap (MSB first, as libvhd and MiniVHD). */
export function testBit(bitmap: Uint8Array, bit: number): boolean {
  return ((bitmap[bit >>> 3] ?? 0) & (0x80 >>> (bit & 7))) !== 0;
}

/** Sets sector `bit` in a sector bitmap. */
export function setBit(bitmap: Uint8Array, bit: number): void {
  const byte = bit >>> 3;
  bitmap[byte] = (bitmap[byte] ?? 0) | (0x80 >>> (bit & 7));
}
