/** The VHD parser's plans: fixed, dynamic first-write allocation, differencing chains, layout and a reference-model property test. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundUpToPage, VHD_LAYOUT, type VhdIoStep, type VhdPlan, type VhdStep } from '../../src/model/storage/vhd-format.js';
import { VhdImage } from '../../src/model/storage/vhd.js';

const FC_OPTIONS = { seed: 7, numRuns: 300 };
const MIB2 = 2 * 1024 * 1024;

const ios = (plan: VhdPlan): VhdIoStep[] => plan.filter((s): s is VhdIoStep => s.kind === 'io');
const writes = (plan: VhdPlan): VhdIoStep[] => ios(plan).filter((s) => s.op === 'write');
const lookups = (plan: VhdPlan): Array<[string, number]> =>
  plan.flatMap((s) => (s.kind === 'lookup' ? [[s.image, s.level] as [string, number]] : []));
const write = (img: VhdImage, lba: number, sectors: number, zeroFillNewBlocks = false): VhdPlan =>
  img.plan({ op: 'write', lba, bytes: sectors * 512 }, { zeroFillNewBlocks });
const read = (img: VhdImage, lba: number, sectors: number): VhdPlan => img.plan({ op: 'read', lba, bytes: sectors * 512 });

/** Per sector of a plan's data, in order: which image and physical LBA serves it, or null for zeros. */
function dataSectors(plan: VhdPlan): Array<{ image: string; lba: number } | null> {
  const out: Array<{ image: string; lba: number } | null> = [];
  for (const s of plan) {
    if (s.kind === 'zeros') for (let i = 0; i < s.sectors; i++) out.push(null);
    if (s.kind === 'io' && s.purpose === 'data') for (let i = 0; i < s.bytes / 512; i++) out.push({ image: s.image, lba: s.lba + i });
  }
  return out;
}

/** A compact view of a read plan's runs: image (or 'zeros') and sector count. */
function runs(plan: VhdPlan): Array<[string, number]> {
  return plan.flatMap((s: VhdStep): Array<[string, number]> => {
    if (s.kind === 'zeros') return [['zeros', s.sectors]];
    if (s.kind === 'io' && s.purpose === 'data') return [[s.image, s.bytes / 512]];
    return [];
  });
}

/** Records the physical LBAs `s` touches as `s.image`'s; returns those another image already claimed. */
function claim(owners: Map<number, string>, s: VhdIoStep): number[] {
  const clashes: number[] = [];
  for (let lba = s.lba; lba < s.lba + s.bytes / 512; lba++) {
    const owner = owners.get(lba);
    if (owner !== undefined && owner !== s.image) clashes.push(lba);
    owners.set(lba, s.image);
  }
  return clashes;
}

describe('fixed VHD', () => {
  it('is one data I/O at fileStartLba + lba, with no lookup', () => {
    const img = new VhdImage({ name: 'fixed', kind: 'fixed', virtualSectors: 1000, fileStartLba: 5000 });
    for (const op of ['read', 'write'] as const) {
      const plan = img.plan({ op, lba: 100, bytes: 10 * 1024 });
      expect(plan).toEqual([{ kind: 'io', purpose: 'data', op, lba: 5100, bytes: 10240, sync: false, image: 'fixed', fileOffset: 100 * 512 }]);
    }
    expect(img.footerLba).toBe(6000);
  });
});

describe('VHD layout and 4 KiB physical sectors (Hyper-V Support for Large Sector Disks Overview)', () => {
  const offPage = (s: VhdIoStep) => s.lba % 8 !== 0 || (s.bytes / 512) % 8 !== 0;
  /** One 4 KiB write at the start of each of `blocks` blocks, in order: every block allocated. */
  const fill = (img: VhdImage, blocks: number): VhdPlan[] => Array.from({ length: blocks }, (_, b) => write(img, b * 4096, 8));

  it('the specification\'s layout (2008, 2008 R2): a 512-byte bitmap before each 2 MiB block puts 7 of 8 blocks\' data off the 4 KiB boundaries, and every metadata write is 512 bytes', () => {
    const img = new VhdImage({ name: 'v', kind: 'dynamic', virtualSectors: 64 * 4096 });
    const plans = fill(img, 64);
    const data = plans.map((p) => ios(p).find((s) => s.purpose === 'data')!);
    expect(data.filter(offPage).length).toBe(56);
    const metadata = plans.flatMap(writes).filter((s) => s.purpose !== 'data');
    expect(metadata.length).toBeGreaterThan(0);
    expect(metadata.every((s) => s.bytes === 512)).toBe(true);
  });

  it('aligned (2012 on): bitmaps padded to 4 KiB, so every block\'s data, and every bitmap, BAT and footer write, is whole aligned 4 KiB pages', () => {
    for (const kind of ['dynamic', 'differencing'] as const) {
      const base = new VhdImage({ name: 'b', kind: 'dynamic', virtualSectors: 64 * 4096, aligned4k: true, fileStartLba: 2048 });
      const img = kind === 'dynamic' ? base : base.snapshot('c');
      expect(img.aligned4k).toBe(true);
      expect(img.bitmapSectors).toBe(8);
      expect(img.dataStartSector % 8).toBe(0);
      const plans = [...fill(img, 64), ...Array.from({ length: 64 }, (_, b) => write(img, b * 4096 + 104, 8))];
      const all = plans.flatMap(ios);
      expect(all.filter(offPage)).toEqual([]);
      expect(img.fileSectors % 8).toBe(0);
      expect(img.footerLba).toBe(img.fileStartLba + img.fileSectors - 1);
      expect(img.fileStartLba % 8).toBe(0);
    }
  });

  it('aligned or not, the parser finds the same data: reads return what was written, through the same lookups', () => {
    const plain = new VhdImage({ name: 'p', kind: 'dynamic', virtualSectors: 16 * 4096 });
    const aligned = new VhdImage({ name: 'a', kind: 'dynamic', virtualSectors: 16 * 4096, aligned4k: true });
    for (const img of [plain, aligned]) for (const lba of [0, 9000, 4095, 30000]) write(img, lba, 16);
    for (const lba of [0, 8990, 4090, 30010, 50000]) {
      const a = runs(read(plain, lba, 24));
      expect(runs(read(aligned, lba, 24)).map(([image, n]) => [image === 'a' ? 'p' : image, n])).toEqual(a);
    }
  });

  it('a VHDX takes no option: its layout is aligned by design', () => {
    expect(new VhdImage({ name: 'x', kind: 'dynamic', format: 'vhdx', virtualSectors: 1 << 20, aligned4k: true }).aligned4k).toBe(false);
  });
});

describe('dynamic VHD', () => {
  const make = () => new VhdImage({ name: 'dyn', kind: 'dynamic', virtualSectors: 1 << 20, fileStartLba: 1000 });

  it('lays out footer copy, dynamic header, BAT and data blocks at their VHD offsets', () => {
    const img = make();
    expect(img.blockSectors).toBe(4096);
    expect(img.bitmapSectors).toBe(1);
    expect(img.batEntries).toBe(256);
    expect(img.batSectors).toBe(2); // 256 entries × 4 B = 1,024 B
    expect(VHD_LAYOUT).toEqual({ footerCopySector: 0, dynamicHeaderSector: 1, batSector: 3 });
    expect(img.dataStartSector).toBe(5); // 1,536 B + 1,024 B = 2,560 B
    expect(img.footerLba).toBe(1005);
    expect(img.batSectorLba(0)).toBe(1003);
    expect(img.batSectorLba(128)).toBe(1004);
  });

  it("first write into a new block: bitmap, footer and BAT written synchronously in QEMU's order, then the data", () => {
    const img = make();
    const plan = write(img, 8, 20);
    expect(plan.map((s) => (s.kind === 'io' ? `${s.op} ${s.purpose}` : s.kind))).toEqual([
      'lookup',
      'write bitmap',
      'extend',
      'write footer',
      'read bat',
      'write bat',
      'write data',
    ]);
    const w = writes(plan);
    expect(w.map((s) => [s.purpose, s.lba, s.bytes, s.sync])).toEqual([
      ['bitmap', 1005, 512, true], // at the old end of data, where the footer was
      ['footer', 1005 + 1 + 4096, 512, true], // at the new EOF
      ['bat', 1003, 512, true], // the BAT sector holding entry 0
      ['data', 1005 + 1 + 8, 20 * 512, false],
    ]);
    expect(plan.find((s) => s.kind === 'extend')).toEqual({ kind: 'extend', image: 'dyn', bytes: 512 + MIB2 });
    expect(img.bat[0]).toBe(5);
    expect(img.footerLba).toBe(1005 + 4097);
  });

  it('the zero-fill option writes the whole 2 MiB block before the data', () => {
    const img = make();
    const w = writes(write(img, 0, 8, true));
    expect(w.map((s) => s.purpose)).toEqual(['bitmap', 'footer', 'bat', 'zero-fill', 'data']);
    expect(w[3]).toMatchObject({ lba: 1006, bytes: MIB2, sync: true });
  });

  it('the BAT read-modify-write can be turned off (parser builds the sector from its cached BAT)', () => {
    const plan = make().plan({ op: 'write', lba: 0, bytes: 512 }, { zeroFillNewBlocks: false, batReadModifyWrite: false });
    expect(ios(plan).filter((s) => s.op === 'read')).toEqual([]);
  });

  it('a later write into an allocated block is data only: its bitmap is all ones (QEMU), so a sequential stream never goes back to it', () => {
    const img = make();
    write(img, 0, 16);
    const again = write(img, 4, 8);
    expect(again.map((s) => s.kind)).toEqual(['lookup', 'io']);
    expect(writes(again).map((s) => s.purpose)).toEqual(['data']);
    expect(writes(write(img, 12, 64)).map((s) => [s.purpose, s.lba, s.bytes, s.sync])).toEqual([['data', 1006 + 12, 64 * 512, false]]);
  });

  it('reads of unallocated blocks return zeros with no I/O; an allocated block is read from the file, written or not', () => {
    const img = make();
    expect(read(img, 0, 64)).toEqual([
      { kind: 'lookup', image: 'dyn', level: 0 },
      { kind: 'zeros', lba: 0, sectors: 64 },
    ]);
    write(img, 16, 16);
    expect(runs(read(img, 0, 64))).toEqual([['dyn', 64]]);
    expect(runs(read(img, 4096, 8))).toEqual([['zeros', 8]]);
  });

  it('a write crossing a block boundary allocates two blocks, one after the other', () => {
    const img = make();
    const plan = write(img, 4090, 12);
    expect(lookups(plan)).toEqual([
      ['dyn', 0],
      ['dyn', 0],
    ]);
    expect(writes(plan).map((s) => s.purpose)).toEqual(['bitmap', 'footer', 'bat', 'data', 'bitmap', 'footer', 'bat', 'data']);
    expect([img.bat[0], img.bat[1]]).toEqual([5, 5 + 4097]);
    expect(dataSectors(plan).map((s) => s?.lba)).toEqual([
      ...Array.from({ length: 6 }, (_, i) => 1006 + 4090 + i),
      ...Array.from({ length: 6 }, (_, i) => 1005 + 4097 + 1 + i),
    ]);
    expect(img.footerLba).toBe(1005 + 2 * 4097);
  });

  it('rejects bad requests and geometry with RangeErrors', () => {
    const img = make();
    expect(() => img.plan({ op: 'read', lba: -1, bytes: 512 })).toThrow(RangeError);
    expect(() => img.plan({ op: 'read', lba: 1.5, bytes: 512 })).toThrow(RangeError);
    expect(() => img.plan({ op: 'read', lba: 0, bytes: 0 })).toThrow(RangeError);
    expect(() => img.plan({ op: 'read', lba: 0, bytes: 100 })).toThrow(/multiple of 512/);
    expect(() => img.plan({ op: 'write', lba: (1 << 20) - 1, bytes: 1024 })).toThrow(/runs past the virtual size/);
    expect(() => img.plan({ op: 'trim' as 'read', lba: 0, bytes: 512 })).toThrow(RangeError);
    expect(() => new VhdImage({ name: 'x', kind: 'dynamic', virtualSectors: 100, blockSectors: 12 })).toThrow(/power of two/);
    expect(() => new VhdImage({ name: 'x', kind: 'dynamic', virtualSectors: 100, blockSectors: 4 })).toThrow(/power of two/);
    expect(() => new VhdImage({ name: 'x', kind: 'dynamic', virtualSectors: 0 })).toThrow(RangeError);
    expect(() => new VhdImage({ name: 'x', kind: 'dynamic', virtualSectors: 100, fileStartLba: -1 })).toThrow(RangeError);
    expect(() => new VhdImage({ name: 'x', kind: 'differencing' })).toThrow(/needs a parent/);
    expect(() => new VhdImage({ name: 'x', kind: 'dynamic', virtualSectors: 2 ** 40 })).toThrow(/32-bit/);
    expect(() => new VhdImage({ name: '', kind: 'fixed', virtualSectors: 8 })).toThrow(RangeError);
  });
});

describe('differencing VHD', () => {
  it('a read spanning child and parent sectors returns runs in order, with one lookup per level visited', () => {
    const base = new VhdImage({ name: 'base', kind: 'dynamic', virtualSectors: 1 << 16 });
    write(base, 0, 32);
    const child = base.snapshot('child');
    write(child, 8, 8);
    const plan = read(child, 0, 32);
    expect(lookups(plan)).toEqual([
      ['child', 0],
      ['base', 1],
    ]);
    expect(runs(plan)).toEqual([
      ['base', 8],
      ['child', 8],
      ['base', 16],
    ]);
    // Sectors held by the child alone need only the child's lookup.
    expect(lookups(read(child, 8, 8))).toEqual([['child', 0]]);
    // The base's blocks sit where the base put them.
    expect(dataSectors(plan)[0]).toEqual({ image: 'base', lba: base.fileStartLba + base.bat[0]! + 1 });
  });

  it('a later write into a child\'s block adds one bitmap write when new bits flip (the parent shows through the rest)', () => {
    const child = new VhdImage({ name: 'base', kind: 'dynamic', virtualSectors: 1 << 16 }).snapshot('child');
    write(child, 0, 16);
    expect(writes(write(child, 4, 8)).map((s) => s.purpose)).toEqual(['data']);
    expect(writes(write(child, 12, 8)).map((s) => [s.purpose, s.bytes, s.sync])).toEqual([
      ['data', 4096, false],
      ['bitmap', 512, true],
    ]);
    expect(writes(write(child, 12, 8)).map((s) => s.purpose)).toEqual(['data']);
  });

  it('walks a chain of three levels down to the base, and to zeros past it', () => {
    const base = new VhdImage({ name: 'base', kind: 'dynamic', virtualSectors: 1 << 16, blockSectors: 64 });
    write(base, 0, 16);
    const mid = base.snapshot('mid');
    write(mid, 16, 16);
    const top = mid.snapshot('top');
    write(top, 4, 4);
    expect(top.chain.map((i) => i.name)).toEqual(['top', 'mid', 'base']);
    expect(top.blockSectors).toBe(64);
    const plan = read(top, 0, 48);
    expect(lookups(plan)).toEqual([
      ['top', 0],
      ['mid', 1],
      ['base', 2],
    ]);
    expect(runs(plan)).toEqual([
      ['base', 4],
      ['top', 4],
      ['base', 8],
      ['mid', 16],
      ['base', 16], // the base's block 0 is all its own (all ones): the rest of it reads there
    ]);
    expect(top.locate(5)?.image.name).toBe('top');
    expect(top.locate(20)?.level).toBe(1);
    expect(top.locate(40)?.image.name).toBe('base');
    expect(top.locate(64)).toBeNull(); // block 1: allocated nowhere
  });

  it('a fixed base needs no lookup and serves every sector the children do not hold', () => {
    const base = new VhdImage({ name: 'gold', kind: 'fixed', virtualSectors: 8192, fileStartLba: 100 });
    const child = base.snapshot('vm1');
    // Past the base's 8,193 sectors, rounded up to a 4 KiB cluster as NTFS places files.
    expect(child.fileStartLba).toBe(8296);
    write(child, 4, 4);
    const plan = read(child, 0, 16);
    expect(lookups(plan)).toEqual([['vm1', 0]]);
    expect(runs(plan)).toEqual([
      ['gold', 4],
      ['vm1', 4],
      ['gold', 8],
    ]);
    expect(dataSectors(plan)[8]).toEqual({ image: 'gold', lba: 108 });
  });

  it('writes land in the child only; the parent becomes read-only', () => {
    const base = new VhdImage({ name: 'base', kind: 'dynamic', virtualSectors: 1 << 16 });
    write(base, 0, 64);
    const child = base.snapshot('child');
    const plan = write(child, 0, 4096 + 64, true);
    expect(plan.every((s) => s.kind === 'zeros' || s.image === 'child')).toBe(true);
    expect(lookups(plan)).toEqual([
      ['child', 0],
      ['child', 0],
    ]);
    expect(base.readOnly).toBe(true);
    expect(() => write(base, 0, 1)).toThrow(/differencing child/);
    expect(() => read(base, 0, 1)).not.toThrow();
  });

  it('images on one disk never overlap: children go past their ancestors, and a placement that could collide is refused', () => {
    const base = new VhdImage({ name: 'base', kind: 'dynamic', virtualSectors: 1 << 14, blockSectors: 64, fileStartLba: 0 });
    write(base, 0, 1 << 14);
    const child = base.snapshot('child');
    expect(child.fileStartLba).toBe(roundUpToPage(base.extent.endLba));
    write(child, 0, 1 << 14);
    const grand = child.snapshot('grand');
    write(grand, 0, 1 << 14);
    const seen = new Map<number, string>();
    for (const img of [base, child, grand]) {
      for (const s of ios(read(img, 0, 1 << 14))) expect(claim(seen, s)).toEqual([]);
      const { startLba, endLba } = img.extent;
      for (const other of [base, child, grand].filter((o) => o !== img)) {
        expect(other.extent.endLba <= startLba || endLba <= other.extent.startLba).toBe(true);
      }
    }
    expect(() => base.snapshot('bad', 10)).toThrow(/overlaps "base"/);
    expect(() => base.snapshot('base')).toThrow(/name already used/);
    // Far enough below an ancestor to grow fully: accepted.
    const lone = new VhdImage({ name: 'lone', kind: 'fixed', virtualSectors: 64, fileStartLba: 1 << 20 });
    expect(lone.snapshot('low', 0).fileStartLba).toBe(0);
  });
});

describe.each([
  // VHD: small blocks, so a short run of writes crosses many. VHDX: its smallest (1 MiB) and 2 MiB blocks, over three of them.
  { format: 'vhd' as const, VIRTUAL: 256, blocks: [8, 16, 64], maxSectors: 120 },
  { format: 'vhdx' as const, VIRTUAL: 3 * 2048, blocks: [2048, 4096], maxSectors: 3000 },
])('property ($format): reads resolve every sector to the image and LBA the reference says', ({ format, VIRTUAL, blocks, maxSectors }) => {
  type Op = { kind: 'write'; lba: number; sectors: number } | { kind: 'read'; lba: number; sectors: number } | { kind: 'snapshot' };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), lba: fc.nat(VIRTUAL - 1), sectors: fc.integer({ min: 1, max: Math.round((maxSectors * 2) / 3) }) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('read' as const), lba: fc.nat(VIRTUAL - 1), sectors: fc.integer({ min: 1, max: maxSectors }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'snapshot' as const }) },
  );

  it('against a per-sector map of which image holds each sector', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('fixed' as const, 'dynamic' as const),
        fc.constantFrom(...blocks),
        fc.boolean(),
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        (baseKind, blockSectors, zeroFillNewBlocks, ops) => {
          let leaf = new VhdImage({ name: 'L0', kind: baseKind, format, virtualSectors: VIRTUAL, blockSectors, fileStartLba: 64 });
          // A fixed VHD's data starts at its file's first sector; a fixed VHDX's after its header, log, BAT and metadata.
          const dataStart = leaf.dataStartSector;
          const reference: Array<{ image: string; lba: number } | null> = Array.from({ length: VIRTUAL }, (_, s) =>
            baseKind === 'fixed' ? { image: 'L0', lba: 64 + dataStart + s } : null,
          );
          const physical = new Map<number, string>(); // every physical LBA ever touched → its image
          const touch = (plan: VhdPlan) => {
            for (const s of ios(plan)) {
              const { startLba, endLba } = leaf.chain.find((i) => i.name === s.image)!.extent;
              expect(s.lba).toBeGreaterThanOrEqual(startLba);
              expect(s.lba + s.bytes / 512).toBeLessThanOrEqual(endLba);
              expect(claim(physical, s)).toEqual([]);
            }
          };
          for (const op of ops) {
            if (op.kind === 'snapshot') {
              // A child over a fixed base keeps the block size drawn (it would take the format's default otherwise).
              leaf = leaf.snapshot(`L${leaf.chain.length}`, undefined, leaf.kind === 'fixed' ? blockSectors : undefined);
              continue;
            }
            const sectors = Math.min(op.sectors, VIRTUAL - op.lba);
            if (op.kind === 'write') {
              const plan = leaf.plan({ op: 'write', lba: op.lba, bytes: sectors * 512 }, { zeroFillNewBlocks });
              touch(plan);
              expect(ios(plan).every((s) => s.image === leaf.name && (s.op === 'write' || s.purpose === 'bat'))).toBe(true);
              const written = dataSectors(plan);
              expect(written.length).toBe(sectors);
              written.forEach((w, i) => (reference[op.lba + i] = w));
              // A dynamic image holds the whole of each block it allocates (all ones, QEMU): the rest reads from the file.
              if (leaf.kind === 'dynamic') {
                written.forEach((w, i) => {
                  const v = op.lba + i;
                  const first = v - (v % blockSectors);
                  for (let k = 0; k < blockSectors; k++) reference[first + k] ??= { image: w!.image, lba: w!.lba - (v - first) + k };
                });
              }
            } else {
              const plan = read(leaf, op.lba, sectors);
              touch(plan);
              expect(dataSectors(plan)).toEqual(reference.slice(op.lba, op.lba + sectors));
              expect(ios(plan).every((s) => s.op === 'read' && s.purpose === 'data')).toBe(true);
              // Each block segment visits levels 0..k in order, one lookup each.
              const levels = lookups(plan).map(([, level]) => level);
              levels.forEach((level, i) => expect(level === 0 || level === levels[i - 1]! + 1).toBe(true));
              for (let s = op.lba; s < op.lba + sectors; s++) expect(leaf.locate(s)?.image.name ?? null).toBe(reference[s]?.image ?? null);
            }
          }
        },
      ),
      // A VHDX run walks thousands of sectors per read: fewer runs keep it to a second or two.
      { ...FC_OPTIONS, numRuns: format === 'vhdx' ? 60 : FC_OPTIONS.numRuns },
    );
  });
});
