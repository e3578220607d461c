/**
 * The VHD parser's block logic for fixed, dynamic and differencing images
 * (reference §5.1: Microsoft VHD spec; QEMU `block/vpc.c` `alloc_block`,
 * `get_sector_offset`), in either file format: VHD, or VHDX (Windows
 * Server 2012 on; Microsoft's MS-VHDX spec, QEMU `block/vhdx.c`; its
 * layout, chunk bitmaps and log are `vhdx-metadata.ts`). Given one guest
 * I/O, `VhdImage.plan` returns the
 * ordered steps the parser performs (BAT/bitmap lookups, metadata and data
 * I/O at physical LBAs, file extensions, zero runs) and updates the image
 * state as the parser would. It is pure and sans-I/O: it charges no time
 * and emits no records; the caller turns steps into charges and disk I/O.
 * Parent-locator data and checksums are not modelled (no data-path I/O).
 */
import { intern } from '../../engine/index.js';
import { VHDX_DEFAULT_BLOCK_SECTORS, VHDX_MIB_SECTORS, VHDX_SECTORS_PER_BITMAP_BLOCK, VhdxMetadata, vhdxGeometry, type VhdxPage } from './vhdx-metadata.js';
import { BAT_ENTRIES_PER_SECTOR, BIT_COUNT, BITS_PER_BITMAP_SECTOR, checkBlockSectors, checkKind, vhdGeometry, PAGE_SECTORS, requireCount, roundUpToPage, setBit, testBit, VHD_DEFAULT_BLOCK_SECTORS, VHD_LAYOUT, VHD_SECTOR_BYTES, VHD_UNALLOCATED, type LbaExtent, type VhdFormat, type VhdImageConfig, type VhdIoPurpose, type VhdIoStep, type VhdKind, type VhdPlan, type VhdPlanOptions, type VhdRequest } from './vhd-format.js';


/** Reused per-sector source levels for reads (-1 = not found yet); grown on demand. */
let scratchLevels = new Int32Array(VHD_DEFAULT_BLOCK_SECTORS);

/**
 * A VHD file on a physical disk, with the parser's in-memory state: the BAT
 * (file sector of each block's bitmap), each allocated block's sector bitmap
 * and the end of data, where the footer sits.
 *
 * @example
 * const base = new VhdImage({ name: 'base', kind: 'dynamic', virtualSectors: 1 << 20 });
 * base.plan({ op: 'write', lba: 0, bytes: 4096 }, { zeroFillNewBlocks: false });
 * const child = base.snapshot('child'); // base is read-only from now on
 * child.plan({ op: 'read', lba: 0, bytes: 8192 });
 */
export class VhdImage {
  // --- identity and geometry ---
  readonly name: string;
  readonly kind: VhdKind;
  readonly format: VhdFormat;
  readonly virtualSectors: number;
  readonly blockSectors: number;
  /** Sectors of bitmap before each block's data: (blockSectors / 8 bytes) rounded up to a sector. */
  readonly bitmapSectors: number;
  readonly batEntries: number;
  readonly batSectors: number;
  /** First file sector available to data blocks (just past the BAT; on a 4 KiB boundary when `aligned4k`). */
  readonly dataStartSector: number;
  /** VHD structures on 4 KiB boundaries (`VhdImageConfig.aligned4k`); false for VHDX, aligned by its own layout. */
  readonly aligned4k: boolean;
  /** Sectors of the footer's write at the end of a sparse VHD: its own sector, or the 4 KiB page it ends (`aligned4k`). */
  private readonly footerSectors: number;
  // --- placement and chain ---
  readonly fileStartLba: number;
  readonly parent: VhdImage | null;
  /** This image, then its parent, down to the base. */
  readonly chain: readonly VhdImage[];
  // --- parser state ---
  /** File sector of each block's bitmap (VHDX: of its data), or VHD_UNALLOCATED. Empty for a fixed image. */
  readonly bat: Uint32Array;
  /** VHDX: payload blocks per chunk, each chunk's sector bitmap block after them in the BAT (MS-VHDX §2.5); 0 for VHD. */
  readonly chunkRatio: number;
  /** A sparse VHDX's chunk bitmap blocks and log (vhdx-metadata.ts); null for VHD and a fixed VHDX. */
  private readonly vhdx: VhdxMetadata | null;
  /** Sector bitmaps of allocated blocks, by block index, MSB first (libvhd, MiniVHD). */
  readonly bitmaps = new Map<number, Uint8Array>();
  private endOfDataSector: number;
  private childCount = 0;

  constructor(config: VhdImageConfig) {
    const parent = config.parent ?? null;
    if (typeof config.name !== 'string' || config.name === '') throw new RangeError('VHD name must be a non-empty string');
    this.name = intern(config.name); // records carry it on every look-up (engine/intern.ts)
    this.kind = config.kind;
    this.parent = parent;
    this.format = parent?.format ?? config.format ?? 'vhd';
    if (this.format !== 'vhd' && this.format !== 'vhdx') throw new RangeError(`VHD "${config.name}": unknown format ${String(this.format)}`);
    if (parent !== null && config.format !== undefined && config.format !== parent.format) {
      throw new RangeError(`VHD "${config.name}": a ${config.format} image cannot sit on a ${parent.format} parent`);
    }
    const x = this.format === 'vhdx';
    this.aligned4k = !x && (parent?.aligned4k ?? config.aligned4k ?? false);
    checkKind(config, parent);
    this.virtualSectors = config.virtualSectors ?? parent?.virtualSectors ?? NaN;
    requireCount(this.virtualSectors, `VHD "${this.name}": virtualSectors`, 1);
    const inherited = parent !== null && parent.kind !== 'fixed' ? parent.blockSectors : x ? VHDX_DEFAULT_BLOCK_SECTORS : VHD_DEFAULT_BLOCK_SECTORS;
    this.blockSectors = config.blockSectors ?? inherited;
    checkBlockSectors(this.name, this.blockSectors, x, parent);
    const sparse = this.kind !== 'fixed';
    if (x) {
      const geometry = vhdxGeometry(this.virtualSectors, this.blockSectors, sparse);
      this.chunkRatio = geometry.chunkRatio;
      this.bitmapSectors = 0;
      this.batEntries = geometry.batEntries;
      this.batSectors = geometry.batSectors;
      this.dataStartSector = geometry.dataStartSector;
      this.vhdx = sparse ? new VhdxMetadata(this.blockSectors, geometry.chunkRatio, this.virtualSectors, this.kind === 'differencing', VHD_UNALLOCATED) : null;
    } else {
      const geometry = vhdGeometry(this.virtualSectors, this.blockSectors, sparse, this.aligned4k);
      this.chunkRatio = 0;
      this.bitmapSectors = geometry.bitmapSectors;
      this.batEntries = geometry.batEntries;
      this.batSectors = geometry.batSectors;
      this.dataStartSector = geometry.dataStartSector;
      this.vhdx = null;
    }
    this.footerSectors = this.aligned4k && sparse ? PAGE_SECTORS : 1;
    // The BAT stores 32-bit sector offsets, and 0xFFFFFFFF means "none".
    if (sparse && this.maxFileSectors > VHD_UNALLOCATED) throw new RangeError(`VHD "${this.name}": too large for 32-bit BAT sector offsets`);
    this.bat = new Uint32Array(this.batEntries).fill(VHD_UNALLOCATED);
    this.endOfDataSector = sparse ? this.dataStartSector : this.dataStartSector + this.virtualSectors;
    this.chain = parent === null ? [this] : [this, ...parent.chain];
    // Past its ancestors, on a 4 KiB boundary: NTFS places a file in whole clusters (4 KiB by default).
    this.fileStartLba = config.fileStartLba ?? (parent === null ? 0 : roundUpToPage(Math.max(...parent.chain.map((p) => p.extent.endLba))));
    requireCount(this.fileStartLba, `VHD "${this.name}": fileStartLba`, 0);
    if (parent !== null) this.attachTo(parent);
  }

  /**
   * The largest a differencing child of this image could grow to, in
   * sectors (its blocks `blockSectors`, or those it would inherit): the
   * room to give its file before making it.
   */
  childMaxFileSectors(blockSectors?: number): number {
    const blocks = blockSectors ?? (this.kind === 'fixed' ? undefined : this.blockSectors);
    const twin = new VhdImage({ name: `${this.name} (room)`, kind: 'dynamic', format: this.format, virtualSectors: this.virtualSectors, aligned4k: this.aligned4k, ...(blocks === undefined ? {} : { blockSectors: blocks }) });
    const bitmapBlocks = this.format === 'vhdx' ? Math.ceil(this.virtualSectors / VHDX_SECTORS_PER_BITMAP_BLOCK) * VHDX_MIB_SECTORS : 0;
    return twin.maxFileSectors + bitmapBlocks;
  }

  /** Makes a differencing child of this image; this image becomes read-only. `blockSectors` only over a fixed image (else the child takes this one's). */
  snapshot(childName: string, fileStartLba?: number, blockSectors?: number): VhdImage {
    return new VhdImage({ name: childName, kind: 'differencing', parent: this, fileStartLba, ...(blockSectors === undefined ? {} : { blockSectors }) });
  }

  /** File sector where the footer sits (the end of data; a VHD file is one sector longer, a VHDX has no footer). */
  get endOfData(): number {
    return this.endOfDataSector;
  }

  /** Physical LBA of the footer at EOF (VHD only): the file's last sector. */
  get footerLba(): number {
    if (this.format === 'vhdx') throw new Error(`VHDX "${this.name}" has no footer`);
    return this.fileStartLba + this.endOfDataSector + this.footerSectors - 1;
  }

  /** The device write that puts the footer at EOF (VHD only): its sector, or the 4 KiB page it ends (`aligned4k`). */
  footerWrite(): VhdIoStep {
    if (this.format === 'vhdx') throw new Error(`VHDX "${this.name}" has no footer`);
    return this.fileIoStep('write', 'footer', this.endOfDataSector, this.footerSectors, true);
  }

  /** Current file size in sectors, footer included. */
  get fileSectors(): number {
    return this.endOfDataSector + (this.format === 'vhd' ? this.footerSectors : 0);
  }

  /** The largest the file can grow to, in sectors: every block allocated. */
  get maxFileSectors(): number {
    if (this.format === 'vhdx') {
      if (this.kind === 'fixed') return this.dataStartSector + this.virtualSectors;
      return this.dataStartSector + this.batEntries * this.blockSectors + this.vhdx!.bitmapBlockSectors;
    }
    return this.kind === 'fixed' ? this.virtualSectors + 1 : this.dataStartSector + this.batEntries * (this.bitmapSectors + this.blockSectors) + this.footerSectors;
  }

  /** Physical LBAs the file occupies now. */
  get extent(): LbaExtent {
    return { startLba: this.fileStartLba, endLba: this.fileStartLba + this.fileSectors };
  }

  /** True once a differencing child depends on this image: it must not be written any more. */
  get readOnly(): boolean {
    return this.childCount > 0;
  }

  /**
   * The child that made this image read-only is gone (discarded by a revert,
   * or merged into this image): once no child depends on it, it may be
   * written again. `attachChildAgain` undoes it (a merge cancelled).
   */
  detachChild(): void {
    if (this.childCount === 0) throw new Error(`VHD "${this.name}" has no differencing child to detach`);
    this.childCount--;
  }

  /** A merge into this image was cancelled: the child depends on it again. */
  attachChildAgain(): void {
    this.childCount++;
  }

  /** Sectors this image itself holds (every bitmap bit set; all of them for a fixed image). */
  get sectorsHeld(): number {
    if (this.kind === 'fixed') return this.virtualSectors;
    let n = 0;
    for (const bitmap of this.bitmaps.values()) for (const byte of bitmap) n += BIT_COUNT[byte]!;
    return n;
  }

  /** The runs of sectors this sparse image holds, in LBA order, each inside one block: what a merge copies into the parent. */
  heldRuns(): { lba: number; sectors: number }[] {
    if (this.kind === 'fixed') throw new Error(`VHD "${this.name}": a fixed image has no sparse runs`);
    const runs: { lba: number; sectors: number }[] = [];
    for (const block of [...this.bitmaps.keys()].sort((a, b) => a - b)) {
      const bitmap = this.bitmaps.get(block)!;
      let start = -1;
      for (let i = 0; i <= this.blockSectors; i++) {
        const set = i < this.blockSectors && testBit(bitmap, i);
        if (set && start < 0) start = i;
        if (!set && start >= 0) {
          runs.push({ lba: block * this.blockSectors + start, sectors: i - start });
          start = -1;
        }
      }
    }
    return runs;
  }

  /** Physical LBA of the BAT sector that holds block `block`'s entry. */
  batSectorLba(block: number): number {
    return this.fileStartLba + VHD_LAYOUT.batSector + Math.floor(block / BAT_ENTRIES_PER_SECTOR);
  }

  /** Whether this image itself holds virtual sector `lba` (BAT entry present and bitmap bit set; always for fixed). */
  holds(lba: number): boolean {
    if (this.kind === 'fixed') return true;
    const block = Math.floor(lba / this.blockSectors);
    const bitmap = this.bitmaps.get(block);
    return bitmap !== undefined && testBit(bitmap, lba - block * this.blockSectors);
  }

  /** Which image of the chain supplies virtual sector `lba` on a read, or null when it reads as zeros. */
  locate(lba: number): { image: VhdImage; level: number } | null {
    this.checkRange(lba, 1);
    const level = this.chain.findIndex((img) => img.holds(lba));
    return level < 0 ? null : { image: this.chain[level]!, level };
  }

  /**
   * The parser's steps for one request, in order, and the state change they
   * make (allocation, bitmap bits, end of data). A request is split per block.
   */
  plan(io: VhdRequest, options: VhdPlanOptions = { zeroFillNewBlocks: false }): VhdPlan {
    if (io.op !== 'read' && io.op !== 'write') throw new RangeError(`VHD "${this.name}": op must be 'read' or 'write', got ${String(io.op)}`);
    if (!Number.isSafeInteger(io.bytes) || io.bytes <= 0 || io.bytes % VHD_SECTOR_BYTES !== 0) {
      throw new RangeError(`VHD "${this.name}": bytes must be a positive multiple of 512, got ${io.bytes}`);
    }
    const sectors = io.bytes / VHD_SECTOR_BYTES;
    this.checkRange(io.lba, sectors);
    if (io.op === 'write' && this.readOnly) throw new Error(`VHD "${this.name}" has a differencing child; writing it would corrupt the child`);
    if (this.kind === 'fixed') return [this.ioStep(io.op, 'data', io.lba, sectors, false)];
    const steps: VhdPlan = [];
    const end = io.lba + sectors;
    for (let lba = io.lba; lba < end; ) {
      const block = Math.floor(lba / this.blockSectors);
      const first = lba - block * this.blockSectors;
      const count = Math.min(end - lba, this.blockSectors - first);
      // Reads go alike in both formats (the bitmaps are in memory); writes differ in their metadata.
      if (io.op === 'read') this.planRead(steps, block, first, count);
      else if (this.vhdx !== null) this.planWriteX(steps, this.vhdx, block, first, count, options);
      else this.planWrite(steps, block, first, count, options);
      lba += count;
    }
    return steps;
  }

  /** Reads sectors [first, first+count) of `block`: resolve each down the chain, then one step per contiguous source. */
  private planRead(steps: VhdPlan, block: number, first: number, count: number): void {
    if (scratchLevels.length < count) scratchLevels = new Int32Array(count);
    const levels = scratchLevels;
    levels.fill(-1, 0, count);
    let pending = count;
    for (let level = 0; level < this.chain.length && pending > 0; level++) {
      const img = this.chain[level]!;
      if (img.kind === 'fixed') {
        // A fixed base holds every sector and needs no BAT lookup.
        for (let i = 0; i < count; i++) if (levels[i]! < 0) levels[i] = level;
        pending = 0;
        break;
      }
      steps.push({ kind: 'lookup', image: img.name, level });
      const bitmap = img.bitmaps.get(block);
      if (bitmap === undefined) continue;
      for (let i = 0; i < count; i++) {
        if (levels[i]! < 0 && testBit(bitmap, first + i)) {
          levels[i] = level;
          pending--;
        }
      }
    }
    const base = block * this.blockSectors + first;
    for (let i = 0; i < count; ) {
      const level = levels[i]!;
      let j = i + 1;
      while (j < count && levels[j] === level) j++;
      if (level < 0) steps.push({ kind: 'zeros', lba: base + i, sectors: j - i });
      else steps.push(this.chain[level]!.ioStep('read', 'data', base + i, j - i, false));
      i = j;
    }
  }

  /** Writes sectors [first, first+count) of `block` into this image: allocate if needed, write data, set bitmap bits. */
  private planWrite(steps: VhdPlan, block: number, first: number, count: number, options: VhdPlanOptions): void {
    steps.push({ kind: 'lookup', image: this.name, level: 0 });
    const lba = block * this.blockSectors + first;
    if (this.bat[block] === VHD_UNALLOCATED) {
      this.allocateBlock(steps, block, first, count, options);
      steps.push(this.ioStep('write', 'data', lba, count, false));
      return;
    }
    steps.push(this.ioStep('write', 'data', lba, count, false));
    // Data first, then the bits: the bitmap never marks sectors not yet written.
    const bitmap = this.bitmaps.get(block)!;
    let lo = -1;
    let hi = -1;
    for (let i = first; i < first + count; i++) {
      if (testBit(bitmap, i)) continue;
      setBit(bitmap, i);
      if (lo < 0) lo = i;
      hi = i;
    }
    if (lo < 0) return;
    let s0 = Math.floor(lo / BITS_PER_BITMAP_SECTOR);
    let s1 = Math.floor(hi / BITS_PER_BITMAP_SECTOR) + 1;
    if (this.aligned4k) {
      s0 -= s0 % PAGE_SECTORS;
      s1 = roundUpToPage(s1);
    }
    steps.push(this.fileIoStep('write', 'bitmap', this.bat[block]! + s0, s1 - s0, true));
  }

  /**
   * QEMU `alloc_block` (§5.1): BAT entry in memory → bitmap (sync) → footer at
   * the new EOF (sync; this write grows the file) → BAT entry (sync, a sector
   * on the device) → optional zero-fill. A dynamic image's bitmap is all ones,
   * as QEMU writes it (V): the whole block is the image's, so later writes into
   * it touch no bitmap. A differencing image's carries only the bits of the
   * sectors about to be written (all ones would hide the parent), and each
   * later write that sets new bits rewrites its bitmap sector (§5.1, R).
   */
  private allocateBlock(steps: VhdPlan, block: number, first: number, count: number, options: VhdPlanOptions): void {
    const at = this.endOfDataSector;
    this.bat[block] = at;
    const bitmap = new Uint8Array(this.bitmapSectors * VHD_SECTOR_BYTES);
    if (this.kind === 'differencing') for (let i = first; i < first + count; i++) setBit(bitmap, i);
    else for (let i = 0; i < this.blockSectors; i++) setBit(bitmap, i);
    this.bitmaps.set(block, bitmap);
    steps.push(this.fileIoStep('write', 'bitmap', at, this.bitmapSectors, true));
    const grownSectors = this.bitmapSectors + this.blockSectors;
    this.endOfDataSector = at + grownSectors;
    steps.push({ kind: 'extend', image: this.name, bytes: grownSectors * VHD_SECTOR_BYTES });
    steps.push(this.footerWrite());
    // The entry's sector, or (aligned) the 4 KiB page that holds it.
    const entrySector = VHD_LAYOUT.batSector + Math.floor(block / BAT_ENTRIES_PER_SECTOR);
    const batSector = this.aligned4k ? entrySector - (entrySector % PAGE_SECTORS) : entrySector;
    const batSectors = this.aligned4k ? PAGE_SECTORS : 1;
    if (options.batReadModifyWrite !== false) steps.push(this.fileIoStep('read', 'bat', batSector, batSectors, true));
    steps.push(this.fileIoStep('write', 'bat', batSector, batSectors, true));
    if (options.zeroFillNewBlocks) steps.push(this.fileIoStep('write', 'zero-fill', at + this.bitmapSectors, this.blockSectors, true));
  }

  /**
   * Writes sectors [first, first+count) of `block` into a sparse VHDX, as
   * QEMU's `vhdx_co_writev`: a block not present is allocated at the end of
   * the file (1 MiB aligned, as every block is a whole number of MiB), the
   * data is written, then the BAT entry (and, differencing, the sector
   * bitmap's bits) changes through the log. A fully present block is
   * written in place with no metadata at all; a differencing block's later
   * writes change only the bitmap pages whose bits they set.
   */
  private planWriteX(steps: VhdPlan, vhdx: VhdxMetadata, block: number, first: number, count: number, options: VhdPlanOptions): void {
    steps.push({ kind: 'lookup', image: this.name, level: 0 });
    const lba = block * this.blockSectors + first;
    const pages: VhdxPage[] = [];
    const differencing = this.kind === 'differencing';
    let bitmap = this.bitmaps.get(block);
    if (this.bat[block] === VHD_UNALLOCATED) {
      const at = this.endOfDataSector;
      this.bat[block] = at;
      this.endOfDataSector = at + this.blockSectors;
      steps.push({ kind: 'extend', image: this.name, bytes: this.blockSectors * VHD_SECTOR_BYTES });
      if (options.zeroFillNewBlocks) steps.push(this.fileIoStep('write', 'zero-fill', at, this.blockSectors, true));
      bitmap = new Uint8Array(Math.ceil(this.blockSectors / 8));
      // Dynamic: the block is the image's whole (FULLY_PRESENT); differencing: only what is written (PARTIALLY_PRESENT).
      if (!differencing) bitmap.fill(0xff);
      this.bitmaps.set(block, bitmap);
      pages.push(vhdx.payloadBatPage(block));
    }
    steps.push(this.ioStep('write', 'data', lba, count, false));
    if (differencing) {
      let lo = -1;
      let hi = -1;
      for (let i = first; i < first + count; i++) {
        if (testBit(bitmap!, i)) continue;
        setBit(bitmap!, i);
        if (lo < 0) lo = i;
        hi = i;
      }
      if (lo >= 0) this.endOfDataSector += vhdx.bitmapPages(pages, block, lo, hi, this.endOfDataSector);
    }
    if (pages.length > 0) vhdx.logUpdate(pages, (purpose, fileSector, sectors) => steps.push(this.fileIoStep('write', purpose, fileSector, sectors, true)));
  }

  /** An I/O on this image's data for virtual sectors [lba, lba+sectors), which lie in one allocated block (or a fixed file). */
  private ioStep(op: 'read' | 'write', purpose: VhdIoPurpose, lba: number, sectors: number, sync: boolean): VhdIoStep {
    if (this.kind === 'fixed') return this.fileIoStep(op, purpose, this.dataStartSector + lba, sectors, sync);
    const block = Math.floor(lba / this.blockSectors);
    const entry = this.bat[block]!;
    if (entry === VHD_UNALLOCATED) throw new Error(`VHD "${this.name}": block ${block} is not allocated`);
    return this.fileIoStep(op, purpose, entry + this.bitmapSectors + (lba - block * this.blockSectors), sectors, sync);
  }

  /** An I/O at file sector `fileSector` of this image. */
  private fileIoStep(op: 'read' | 'write', purpose: VhdIoPurpose, fileSector: number, sectors: number, sync: boolean): VhdIoStep {
    return {
      kind: 'io',
      purpose,
      op,
      lba: this.fileStartLba + fileSector,
      bytes: sectors * VHD_SECTOR_BYTES,
      sync,
      image: this.name,
      fileOffset: fileSector * VHD_SECTOR_BYTES,
    };
  }

  private checkRange(lba: number, sectors: number): void {
    if (!Number.isSafeInteger(lba) || lba < 0) throw new RangeError(`VHD "${this.name}": lba must be a non-negative integer, got ${lba}`);
    if (lba + sectors > this.virtualSectors) {
      throw new RangeError(`VHD "${this.name}": lba ${lba} + ${sectors} sectors runs past the virtual size of ${this.virtualSectors} sectors`);
    }
  }

  /** Registers this image as `parent`'s child, after checking its file cannot grow into an ancestor's. */
  private attachTo(parent: VhdImage): void {
    const mine: LbaExtent = { startLba: this.fileStartLba, endLba: this.fileStartLba + this.maxFileSectors };
    for (const ancestor of parent.chain) {
      const theirs = ancestor.extent;
      if (mine.startLba < theirs.endLba && theirs.startLba < mine.endLba) {
        throw new RangeError(
          `VHD "${this.name}": file at LBAs [${mine.startLba}, ${mine.endLba}) (fully grown) overlaps "${ancestor.name}" at [${theirs.startLba}, ${theirs.endLba})`,
        );
      }
    }
    parent.childCount++;
  }
}
