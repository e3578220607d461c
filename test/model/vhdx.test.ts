/**
 * The VHDX parser's plans (vhd.ts, format 'vhdx'; MS-VHDX, QEMU
 * `block/vhdx.c`): the layout, a dynamic disk's first write into a block
 * (data, then the BAT entry through the log: no bitmap, no footer), later
 * writes in place, a differencing disk's sector bitmap pages through the
 * log, the pages written in place once each when the log fills, and what a
 * 1 MiB sequential stream costs in metadata against a dynamic VHD.
 */
import { describe, expect, it } from 'vitest';
import type { VhdIoStep, VhdPlan } from '../../src/model/storage/vhd-format.js';
import { VhdImage } from '../../src/model/storage/vhd.js';
import { VHDX_LAYOUT, VHDX_MIB_SECTORS } from '../../src/model/storage/vhdx-metadata.js';

const ios = (plan: VhdPlan): VhdIoStep[] => plan.filter((s): s is VhdIoStep => s.kind === 'io');
const write = (img: VhdImage, lba: number, sectors: number, zeroFillNewBlocks = false): VhdPlan => img.plan({ op: 'write', lba, bytes: sectors * 512 }, { zeroFillNewBlocks });
const read = (img: VhdImage, lba: number, sectors: number): VhdPlan => img.plan({ op: 'read', lba, bytes: sectors * 512 });
/** An I/O step as [purpose, file sector, sectors, sync]. */
const brief = (plan: VhdPlan, start: number): Array<[string, number, number, boolean]> => ios(plan).map((s) => [s.purpose, s.lba - start, s.bytes / 512, s.sync]);

const GIB127 = 127 * 2097152;

describe('dynamic VHDX', () => {
  const make = () => new VhdImage({ name: 'x', kind: 'dynamic', format: 'vhdx', virtualSectors: GIB127, fileStartLba: 1000 });

  it('lays out the header, log, BAT and metadata on 1 MiB boundaries, with 32 MiB blocks by default and no footer', () => {
    const img = make();
    expect(img.blockSectors).toBe(32 * VHDX_MIB_SECTORS);
    // 127 GiB of 32 MiB blocks: 4,064 payload entries and 32 sector bitmap entries (chunk ratio 128), 8 bytes each: one MiB of BAT.
    expect(img.chunkRatio).toBe(128);
    expect(img.batSectors).toBe(VHDX_MIB_SECTORS);
    expect(img.dataStartSector).toBe(4 * VHDX_MIB_SECTORS);
    expect(img.fileSectors).toBe(img.dataStartSector);
    expect(() => img.footerLba).toThrow(/no footer/);
  });

  it('first write into a new block: the file grows a whole block, the data goes in, then the BAT entry through the log', () => {
    const img = make();
    const plan = write(img, 8, 8);
    expect(plan.map((s) => s.kind)).toEqual(['lookup', 'extend', 'io', 'io']);
    expect(plan[1]).toEqual({ kind: 'extend', image: 'x', bytes: 32 * 1024 * 1024 });
    expect(brief(plan, 1000)).toEqual([
      ['data', img.dataStartSector + 8, 8, false],
      // One log entry: a 4 KiB descriptor and the 4 KiB BAT page, written and flushed; the page reaches its place later.
      ['log', VHDX_LAYOUT.logSector, 16, true],
    ]);
    expect(ios(plan).some((s) => s.purpose === 'bitmap' || s.purpose === 'footer')).toBe(false);
  });

  it('a later write into a present block is its data alone, and the next block starts 32 MiB on', () => {
    const img = make();
    write(img, 0, 8);
    expect(brief(write(img, 4096, 128), 1000)).toEqual([['data', img.dataStartSector + 4096, 128, false]]);
    const next = write(img, 65536, 8);
    expect(brief(next, 1000)[0]).toEqual(['data', img.dataStartSector + 65536, 8, false]);
    expect(img.fileSectors).toBe(img.dataStartSector + 2 * 65536);
  });

  it('the zero-fill option writes the whole new block before the data', () => {
    const plan = write(make(), 0, 8, true);
    expect(brief(plan, 1000)[0]).toEqual(['zero-fill', 4 * VHDX_MIB_SECTORS, 65536, true]);
  });

  it('reads the unwritten part of a present block from the file (fully present), and unallocated blocks as zeros', () => {
    const img = make();
    write(img, 0, 8);
    expect(brief(read(img, 100, 8), 1000)).toEqual([['data', img.dataStartSector + 100, 8, false]]);
    expect(read(img, 70000, 8).filter((s) => s.kind === 'zeros')).toEqual([{ kind: 'zeros', lba: 70000, sectors: 8 }]);
  });

  it('a 1 MiB sequential stream pays metadata once per 32 MiB block, where a dynamic VHD pays four I/Os per 2 MiB block', () => {
    const vhdx = make();
    const vhd = new VhdImage({ name: 'v', kind: 'dynamic', virtualSectors: GIB127, fileStartLba: 1000 });
    const metadata = (img: VhdImage): number => {
      let n = 0;
      for (let lba = 0; lba < 64 * 2048; lba += 2048) n += ios(write(img, lba, 2048)).filter((s) => s.purpose !== 'data').length;
      return n;
    };
    // 64 MiB: 2 VHDX blocks (a log entry each) against 32 VHD blocks (bitmap, footer, BAT read and write each).
    expect(metadata(vhdx)).toBe(2);
    expect(metadata(vhd)).toBe(128);
  });

  it('keeps every log entry inside the 1 MiB log, starting again at its beginning', () => {
    const img = new VhdImage({ name: 'small', kind: 'dynamic', format: 'vhdx', virtualSectors: 200 * VHDX_MIB_SECTORS, blockSectors: VHDX_MIB_SECTORS, fileStartLba: 0 });
    const logs: number[] = [];
    for (let block = 0; block < 200; block++) logs.push(...ios(write(img, block * VHDX_MIB_SECTORS, 8)).filter((s) => s.purpose === 'log').map((s) => s.lba));
    expect(logs).toHaveLength(200);
    expect(Math.min(...logs)).toBe(VHDX_LAYOUT.logSector);
    expect(Math.max(...logs) + 16).toBeLessThanOrEqual(VHDX_LAYOUT.logSector + VHDX_LAYOUT.logSectors);
    // 128 entries of 16 sectors fill the log; the 129th starts again at its beginning.
    expect(logs[128]).toBe(VHDX_LAYOUT.logSector);
  });

  it('when the log is full, writes each page logged since the last time in place once, in file order, then logs again from its start', () => {
    // 1 MiB blocks: 512 BAT entries a 4 KiB page, so 128 new blocks spread over pages 0 and 1 when they start at block 448.
    const img = new VhdImage({ name: 'ck', kind: 'dynamic', format: 'vhdx', virtualSectors: 1024 * VHDX_MIB_SECTORS, blockSectors: VHDX_MIB_SECTORS, fileStartLba: 0 });
    for (let block = 448; block < 448 + 128; block++) {
      expect(brief(write(img, block * VHDX_MIB_SECTORS, 8), 0).map(([purpose]) => purpose)).toEqual(['data', 'log']);
    }
    const full = brief(write(img, 600 * VHDX_MIB_SECTORS, 8), 0);
    expect(full).toEqual([
      ['data', expect.any(Number), 8, false],
      ['bat', VHDX_LAYOUT.batSector, 8, true],
      ['bat', VHDX_LAYOUT.batSector + 8, 8, true],
      ['log', VHDX_LAYOUT.logSector, 16, true],
    ]);
  });

  it('refuses block sizes outside 1..256 MiB and a VHD child of a VHDX', () => {
    expect(() => new VhdImage({ name: 'a', kind: 'dynamic', format: 'vhdx', virtualSectors: 1 << 20, blockSectors: 1024 })).toThrow(/1 MiB to 256 MiB/);
    expect(() => new VhdImage({ name: 'b', kind: 'dynamic', format: 'vhdx', virtualSectors: 1 << 22, blockSectors: 1 << 20 })).toThrow(/1 MiB to 256 MiB/);
    const parent = make();
    expect(() => new VhdImage({ name: 'c', kind: 'differencing', format: 'vhd', parent })).toThrow(/cannot sit on a vhdx parent/);
    expect(parent.snapshot('child').format).toBe('vhdx');
  });
});

describe('differencing VHDX', () => {
  const chain = () => {
    const base = new VhdImage({ name: 'base', kind: 'dynamic', format: 'vhdx', virtualSectors: GIB127, fileStartLba: 0 });
    write(base, 0, 65536);
    return { base, child: base.snapshot('child') };
  };

  it('first write into a block: the block and its chunk\'s 1 MiB sector bitmap block are added, then one log entry carries the BAT page and the bitmap page', () => {
    const { child } = chain();
    const start = child.fileStartLba;
    const plan = write(child, 16, 8);
    expect(plan.filter((s) => s.kind === 'extend')).toEqual([{ kind: 'extend', image: 'child', bytes: 32 * 1024 * 1024 }]);
    // The payload and bitmap entries share BAT page 0: one log entry holds it and the bitmap page (3 × 4 KiB with its descriptor).
    expect(brief(plan, start)).toEqual([
      ['data', child.dataStartSector + 16, 8, false],
      ['log', VHDX_LAYOUT.logSector, 24, true],
    ]);
    expect(child.fileSectors).toBe(child.dataStartSector + 65536 + VHDX_MIB_SECTORS);
  });

  it('a later write that sets new bits logs only its bitmap page; a rewrite of the same sectors is data alone', () => {
    const { child } = chain();
    write(child, 16, 8);
    const more = write(child, 64, 8);
    expect(brief(more, child.fileStartLba)).toEqual([
      ['data', child.dataStartSector + 64, 8, false],
      ['log', VHDX_LAYOUT.logSector + 24, 16, true],
    ]);
    expect(brief(write(child, 16, 8), child.fileStartLba).map(([purpose]) => purpose)).toEqual(['data']);
    // Bits 32,768 sectors (16 MiB) apart lie in the next 4 KiB page of the bitmap: once the log fills, both pages go in place.
    write(child, 32768, 8);
    let checkpoint: VhdIoStep[] = [];
    for (let lba = 80; checkpoint.length === 0; lba += 16) checkpoint = ios(write(child, lba, 8)).filter((s) => s.purpose === 'bitmap' || s.purpose === 'bat');
    const bitmapBlock = child.fileStartLba + child.dataStartSector + 65536;
    expect(checkpoint.map((s) => [s.purpose, s.lba])).toEqual([
      ['bat', child.fileStartLba + VHDX_LAYOUT.batSector],
      ['bitmap', bitmapBlock],
      ['bitmap', bitmapBlock + 8],
    ]);
  });

  it('reads what the child wrote from the child and the rest from the base, one lookup per level', () => {
    const { base, child } = chain();
    write(child, 16, 8);
    const plan = read(child, 8, 24);
    expect(ios(plan).map((s) => [s.image, s.bytes / 512])).toEqual([
      ['base', 8],
      ['child', 8],
      ['base', 8],
    ]);
    expect(plan.filter((s) => s.kind === 'lookup')).toHaveLength(2);
    expect(base.readOnly).toBe(true);
  });

  it('room for a child covers its bitmap blocks, more than its fixed parent takes', () => {
    const fixed = new VhdImage({ name: 'f', kind: 'fixed', format: 'vhdx', virtualSectors: GIB127 });
    expect(fixed.childMaxFileSectors()).toBeGreaterThan(fixed.maxFileSectors);
    const child = fixed.snapshot('c', fixed.extent.endLba);
    expect(child.maxFileSectors).toBeLessThanOrEqual(fixed.childMaxFileSectors());
  });
});
