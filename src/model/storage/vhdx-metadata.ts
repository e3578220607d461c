/**
 * What a VHDX file keeps beside its payload blocks (MS-VHDX §2; QEMU
 * `block/vhdx.c`), for `VhdImage` (vhd.ts) to plan a write's metadata
 * I/O: the file's layout, the BAT with its payload and sector bitmap
 * entries interleaved by chunk, each differencing chunk's 1 MiB sector
 * bitmap block, and the log that every metadata change goes through.
 * Sectors here are the parser's 512-byte sectors; the log and in-place
 * metadata go in 4 KiB pages.
 */
import type { VhdIoPurpose } from './vhd-format.js';

/** One MiB in sectors: VHDX regions and payload blocks sit on 1 MiB boundaries (MS-VHDX §2). */
export const VHDX_MIB_SECTORS = 2048;
/** VHDX default block: 32 MiB (Hyper-V's New-VHD; the WS2012 performance tuning guide's "larger block sizes"). */
export const VHDX_DEFAULT_BLOCK_SECTORS = 32 * VHDX_MIB_SECTORS;
/** VHDX block sizes MS-VHDX allows: 1 MiB to 256 MiB, a power of two. */
export const VHDX_MIN_BLOCK_SECTORS = VHDX_MIB_SECTORS;
export const VHDX_MAX_BLOCK_SECTORS = 256 * VHDX_MIB_SECTORS;
/**
 * VHDX layout as QEMU's `vhdx_create` writes it: the header section in
 * the first MiB (file identifier, two headers, two region tables of
 * 64 KiB each), the log at 1 MiB (1 MiB), the BAT at 2 MiB (whole MiB),
 * the metadata region (1 MiB) after it; payload blocks follow.
 */
export const VHDX_LAYOUT = { headerBytes: 4 * 65536, logSector: VHDX_MIB_SECTORS, logSectors: VHDX_MIB_SECTORS, batSector: 2 * VHDX_MIB_SECTORS, metadataBytes: 65536 } as const;
/** The log and in-place metadata updates go in 4 KiB pages (MS-VHDX §2.3). */
const PAGE_BYTES = 4096;
/** A 4 KiB page in the parser's 512-byte sectors. */
export const VHDX_LOG_SECTOR_SECTORS = PAGE_BYTES / 512;
/** Virtual sectors one 1 MiB sector bitmap block describes: 2^23 (MS-VHDX §2.4, 512-byte logical sectors). */
export const VHDX_SECTORS_PER_BITMAP_BLOCK = 2 ** 23;
/** Bits of a sector bitmap in one page. */
const BITS_PER_PAGE = PAGE_BYTES * 8;
/** A BAT entry's bytes (MS-VHDX §2.5). */
const BAT_ENTRY_BYTES = 8;
const MIB_BYTES = 1 << 20;

/** A metadata page a write changes: what it holds, and its file sector. */
export interface VhdxPage {
  purpose: VhdIoPurpose;
  fileSector: number;
}

/** Where a VHDX of `virtualSectors` in blocks of `blockSectors` keeps its BAT and data. */
export interface VhdxGeometry {
  /** Payload blocks per chunk; each chunk's sector bitmap entry follows them in the BAT (MS-VHDX §2.5). */
  chunkRatio: number;
  /** Payload BAT entries the parser tracks: one per block of a sparse image, none for a fixed one. */
  batEntries: number;
  /** The BAT's size in sectors, in whole MiB. */
  batSectors: number;
  /** First file sector of payload: past the BAT and the 1 MiB metadata region. */
  dataStartSector: number;
}

/**
 * Every VHDX has a BAT (a fixed one's entries all present), of payload and
 * sector bitmap entries interleaved by chunk, 8 bytes each, in whole MiB;
 * the metadata region follows it.
 */
export function vhdxGeometry(virtualSectors: number, blockSectors: number, sparse: boolean): VhdxGeometry {
  const chunkRatio = VHDX_SECTORS_PER_BITMAP_BLOCK / blockSectors;
  const payload = Math.ceil(virtualSectors / blockSectors);
  const entries = payload + Math.ceil(payload / chunkRatio);
  const batSectors = Math.ceil((entries * BAT_ENTRY_BYTES) / MIB_BYTES) * VHDX_MIB_SECTORS;
  return { chunkRatio, batEntries: sparse ? payload : 0, batSectors, dataStartSector: VHDX_LAYOUT.batSector + batSectors + VHDX_MIB_SECTORS };
}

/**
 * A sparse VHDX's metadata state: where each chunk's sector bitmap block
 * sits (differencing only), and the log with the pages it holds that are
 * not yet written in place.
 */
export class VhdxMetadata {
  /** File sector of each chunk's 1 MiB sector bitmap block, or `unallocated`. */
  private readonly bitmapBlocks: Uint32Array;
  /** Where the next log entry goes, in sectors from the log's start (the log is circular). */
  private logHead = 0;
  /** Metadata pages logged but not yet written in place (file sector → what it holds), applied when the log fills. */
  private readonly pendingPages = new Map<number, VhdIoPurpose>();

  constructor(
    private readonly blockSectors: number,
    private readonly chunkRatio: number,
    virtualSectors: number,
    differencing: boolean,
    private readonly unallocated: number,
  ) {
    this.bitmapBlocks = new Uint32Array(differencing ? Math.ceil(virtualSectors / VHDX_SECTORS_PER_BITMAP_BLOCK) : 0).fill(unallocated);
  }

  /** Sectors the sector bitmap blocks take once every chunk has one. */
  get bitmapBlockSectors(): number {
    return this.bitmapBlocks.length * VHDX_MIB_SECTORS;
  }

  /** The BAT page holding payload block `block`'s entry (after the bitmap entries of the chunks before it). */
  payloadBatPage(block: number): VhdxPage {
    return { purpose: 'bat', fileSector: batPageSector(block + Math.floor(block / this.chunkRatio)) };
  }

  /**
   * Adds to `pages` the pages of `block`'s chunk bitmap that hold bits
   * [lo, hi] of the block. A chunk without its bitmap block gets one at
   * `endOfData` (its BAT entry's page added too); returns the sectors that
   * took (0 or 1 MiB).
   */
  bitmapPages(pages: VhdxPage[], block: number, lo: number, hi: number, endOfData: number): number {
    const chunk = Math.floor(block / this.chunkRatio);
    let grown = 0;
    if (this.bitmapBlocks[chunk] === this.unallocated) {
      this.bitmapBlocks[chunk] = endOfData;
      grown = VHDX_MIB_SECTORS;
      const page = batPageSector(chunk * (this.chunkRatio + 1) + this.chunkRatio);
      if (!pages.some((p) => p.purpose === 'bat' && p.fileSector === page)) pages.push({ purpose: 'bat', fileSector: page });
    }
    // Bit of virtual sector v within its chunk's bitmap block: v mod 2^23.
    const base = (block % this.chunkRatio) * this.blockSectors;
    for (let page = Math.floor((base + lo) / BITS_PER_PAGE); page <= Math.floor((base + hi) / BITS_PER_PAGE); page++) {
      pages.push({ purpose: 'bitmap', fileSector: this.bitmapBlocks[chunk]! + page * VHDX_LOG_SECTOR_SECTORS });
    }
    return grown;
  }

  /**
   * A metadata change through the log: one log entry (a 4 KiB descriptor
   * sector, then each changed page) appended and flushed before the write
   * completes. MS-VHDX lets the pages reach their places later (a crash
   * replays the log), so they wait here until the log is full: then each
   * page changed since the last time is written in place once, however
   * many entries changed it, and the log starts again at its beginning (a
   * checkpoint, on the path of the write that found the log full). QEMU's
   * `vhdx_log_write_and_flush` writes them in place at once; it writes no
   * differencing VHDX, where a stream of writes changes one bitmap page
   * again and again. Each synchronous write goes to `write`, in order.
   */
  logUpdate(pages: readonly VhdxPage[], write: (purpose: VhdIoPurpose, fileSector: number, sectors: number) => void): void {
    const sectors = (1 + pages.length) * VHDX_LOG_SECTOR_SECTORS;
    if (this.logHead + sectors > VHDX_LAYOUT.logSectors) {
      for (const sector of [...this.pendingPages.keys()].sort((a, b) => a - b)) write(this.pendingPages.get(sector)!, sector, VHDX_LOG_SECTOR_SECTORS);
      this.pendingPages.clear();
      this.logHead = 0;
    }
    write('log', VHDX_LAYOUT.logSector + this.logHead, sectors);
    this.logHead += sectors;
    for (const page of pages) this.pendingPages.set(page.fileSector, page.purpose);
  }
}

/** File sector of the page that holds BAT entry `entry`. */
function batPageSector(entry: number): number {
  return VHDX_LAYOUT.batSector + Math.floor((entry * BAT_ENTRY_BYTES) / PAGE_BYTES) * VHDX_LOG_SECTOR_SECTORS;
}
