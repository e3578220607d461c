/**
 * An HDD's read cache (Ruemmler & Wilkes 1994, "caching"; DiskSim's
 * segmented cache): `hdd_read_segments` segments of `hdd_segment_bytes`,
 * least recently used replaced. After a media read, while the mechanism
 * has nothing else to do, it reads on into that read's segment at the
 * media rate, up to a segment's size beyond the host's last read there.
 * The read-ahead is computed from when and where it started (no events):
 * its front at time t is start + (t − startT) / sector time, and a request
 * for the mechanism stops it there, once it has read what it promised. A
 * read in a segment, or that the read-ahead in progress will reach, is a
 * hit (a promise); a write drops the segments it overlaps.
 */
import type { CostTable } from '../costs.js';
import type { HddGeometry } from './hdd-geometry.js';

/** One segment: sectors [lo, hi) are in the buffer (at most `segmentSectors` of them). */
interface Segment {
  lo: number;
  hi: number;
  /** End of the host's last read in the segment: read-ahead runs up to `segmentSectors` beyond it. */
  consumed: number;
  /** LRU stamp. */
  used: number;
}

export class ReadCache {
  private readonly segments: Segment[] = [];
  private readonly segmentSectors: number;
  private stamp = 0;
  /** The segment being read ahead into (the mechanism is idle), or -1. */
  private active = -1;
  /** Read-ahead: sector `raStart` passes under the head at `raStartT`; it reads on to `raLimit`. */
  private raStart = 0;
  private raStartT = 0;
  private raLimit = 0;
  /** The furthest sector the read-ahead in progress has promised to a hit that it has not read yet. */
  private raPromised = 0;
  /** Whether the read-ahead has been told to stop at what it promised (`closeReadAhead`): no hit beyond it. */
  private raClosed = false;
  /** The segment a media read just filled and when, so an idle mechanism can read on seamlessly. */
  private lastRead = -1;
  private lastReadEnd = -1;

  constructor(
    private readonly geo: HddGeometry,
    costs: CostTable,
  ) {
    this.segmentSectors = Math.max(1, Math.floor(costs.hdd_segment_bytes / 512));
    for (let i = 0; i < Math.max(1, costs.hdd_read_segments); i++) this.segments.push({ lo: 0, hi: 0, consumed: 0, used: 0 });
  }

  /** Whether a read-ahead is in progress. */
  get readingAhead(): boolean {
    return this.active >= 0;
  }

  /** Where the read-ahead in progress will stop (meaningful while one runs). */
  get readAheadLimit(): number {
    return this.raLimit;
  }

  /**
   * When a read of [lba, lba + sectors) can leave the buffer: now if a
   * segment holds it, later if the read-ahead in progress will reach it,
   * −1 on a miss. A hit moves the segment's read-ahead limit on.
   */
  lookup(lba: number, sectors: number, now: number): number {
    const end = lba + sectors;
    for (let k = 0; k < this.segments.length; k++) {
      const seg = this.segments[k]!;
      if (k === this.active) {
        const front = this.front(now);
        if (lba < Math.max(seg.lo, front - this.segmentSectors) || lba > this.raLimit || end > this.geo.sectors) continue;
        if (this.raClosed && end > this.raLimit) continue;
        seg.used = ++this.stamp;
        if (end > seg.consumed) seg.consumed = end;
        if (!this.raClosed) this.raiseLimit(Math.min(this.geo.sectors, seg.consumed + this.segmentSectors), now);
        if (end <= front) return now;
        if (end > this.raPromised) this.raPromised = end;
        return this.reachedAt(end);
      }
      if (lba >= Math.max(seg.lo, seg.hi - this.segmentSectors) && end <= seg.hi) {
        seg.used = ++this.stamp;
        if (end > seg.consumed) seg.consumed = end;
        return now;
      }
    }
    return -1;
  }

  /** A media read filled [lba, lba + sectors) at `now`: it extends the segment it continues, or takes the least recently used. */
  filled(lba: number, sectors: number, now: number): void {
    let k = -1;
    for (let i = 0; i < this.segments.length && k < 0; i++) if (this.segments[i]!.hi === lba && lba > this.segments[i]!.lo) k = i;
    if (k < 0) {
      k = 0;
      for (let i = 1; i < this.segments.length; i++) if (this.segments[i]!.used < this.segments[k]!.used) k = i;
      this.segments[k]!.lo = lba;
    }
    const seg = this.segments[k]!;
    seg.hi = lba + sectors;
    seg.consumed = seg.hi;
    seg.used = ++this.stamp;
    this.lastRead = k;
    this.lastReadEnd = now;
  }

  /** The mechanism took other work: no read-ahead follows the last read. */
  forgetLastRead(): void {
    this.lastRead = -1;
  }

  /** The mechanism is idle; if a media read has just ended, it reads on from there. Returns the first sector it reads, or -1. */
  startReadAhead(now: number): number {
    const k = this.lastRead;
    this.lastRead = -1;
    if (k < 0 || this.lastReadEnd !== now) return -1;
    const seg = this.segments[k]!;
    const limit = Math.min(this.geo.sectors, seg.consumed + this.segmentSectors);
    if (limit <= seg.hi) return -1;
    this.active = k;
    this.raStart = seg.hi;
    this.raStartT = now;
    this.raLimit = limit;
    this.raPromised = 0;
    this.raClosed = false;
    return seg.hi;
  }

  /**
   * The mechanism is wanted elsewhere: the read-ahead in progress reads on
   * only as far as it has promised to hits, and takes no new ones beyond
   * that. Returns when it gets there (now if it has nothing left to read,
   * or none runs); `stopReadAhead` at that time leaves every promise kept.
   */
  closeReadAhead(now: number): number {
    if (this.active < 0) return now;
    this.raClosed = true;
    const front = this.front(now);
    this.raLimit = Math.max(front, this.raPromised);
    return this.raPromised > front ? this.reachedAt(this.raPromised) : now;
  }

  /** Stops the read-ahead where it has got to. Returns the sector under the head (the last one read), or -1 if none was running. */
  stopReadAhead(now: number): number {
    const k = this.active;
    if (k < 0) return -1;
    this.active = -1;
    const seg = this.segments[k]!;
    seg.hi = this.front(now);
    return seg.hi > seg.lo ? seg.hi - 1 : -1;
  }

  /** A write makes cached copies of its sectors stale: drops the segments it overlaps. Returns what `stopReadAhead` does if it stopped one. */
  invalidate(lba: number, sectors: number, now: number): number {
    const end = lba + sectors;
    let at = -1;
    for (let k = 0; k < this.segments.length; k++) {
      const seg = this.segments[k]!;
      const hi = k === this.active ? this.raLimit : seg.hi;
      if (lba >= hi || end <= seg.lo) continue;
      if (k === this.active) at = this.stopReadAhead(now);
      if (k === this.lastRead) this.lastRead = -1;
      seg.lo = seg.hi = seg.consumed = 0;
      seg.used = 0;
    }
    return at;
  }

  /** When the read-ahead in progress has read up to sector `end` (exclusive). */
  private reachedAt(end: number): number {
    return Math.ceil(this.raStartT + (end - this.raStart) * this.geo.sectorNs);
  }

  /** Sectors read ahead by `t`: from `raStart` at the media rate, up to `raLimit`. */
  private front(t: number): number {
    if (t <= this.raStartT) return this.raStart;
    const front = this.raStart + Math.floor((t - this.raStartT) / this.geo.sectorNs);
    return front < this.raLimit ? front : this.raLimit;
  }

  /** Lets the read-ahead go further; if it had stopped at its old limit, it goes on when that sector next comes round. */
  private raiseLimit(limit: number, now: number): void {
    if (limit <= this.raLimit) return;
    const reachedAt = this.raStartT + (this.raLimit - this.raStart) * this.geo.sectorNs;
    if (reachedAt < now) {
      this.raStart = this.raLimit;
      this.raStartT = now + Math.round(this.geo.rotationalWaitNs(this.raStart, now));
    }
    this.raLimit = limit;
  }
}
