/**
 * Where a sector is on a hard disk and how long the mechanism takes to get
 * there (Ruemmler & Wilkes, "An introduction to disk drive modeling", IEEE
 * Computer 1994). Everything is derived from the cost table (reference §6):
 *
 *   - the rotation period T (`hdd_rotation_period`); the head's angle at
 *     time t is (t mod T) / T, the same for every run (deterministic);
 *   - sectors per track = T / (time of one 512-byte sector at the media
 *     rate `hdd_media_ns_per_kib`): 1,172 on the 15K450 at 150 MB/s. One
 *     zone: real drives have ~20, with more sectors on outer tracks;
 *   - `hdd_heads` tracks per cylinder, cylinders = capacity / (sectors per
 *     track × heads), so a seek's distance is counted in cylinders;
 *   - a cylinder skew of ceil(track-to-track / sector time) sectors, so a
 *     sequential transfer crossing into the next cylinder loses only the
 *     track-to-track seek, not a turn (head switches inside a cylinder are
 *     taken as free);
 *   - seek(d) = 0 for d = 0, else t2t + (full − t2t)·√(d / cylinders), the
 *     full stroke chosen so that random seeks average the datasheet figure
 *     (E[√|U1 − U2|] = 8/15 for independent uniforms).
 */
import type { CostTable } from '../costs.js';

/** E[sqrt(|U1 - U2|)] for independent uniforms: the mean of sqrt(distance) over random seeks. */
const MEAN_SQRT_RANDOM_DISTANCE = 8 / 15;

/** A rotational wait this close below zero (in sectors) is rounding: the sector is under the head now. */
const ON_TIME_SECTORS = 0.002;

export class HddGeometry {
  /** One revolution, ns. */
  readonly rotationNs: number;
  readonly sectorsPerTrack: number;
  /** Time for one sector to pass under the head, ns (not an integer). */
  readonly sectorNs: number;
  readonly sectorsPerCylinder: number;
  readonly cylinders: number;
  /** Angular offset of each cylinder's first sector from the previous cylinder's, in sectors. */
  readonly skew: number;
  private readonly t2t: number;
  private readonly fullRead: number;
  private readonly fullWrite: number;

  constructor(
    costs: CostTable,
    /** Capacity in 512-byte sectors. */
    readonly sectors: number,
  ) {
    this.rotationNs = Math.max(1, costs.hdd_rotation_period);
    this.sectorsPerTrack = Math.max(1, Math.round(this.rotationNs / Math.max(1e-9, costs.hdd_media_ns_per_kib / 2)));
    this.sectorNs = this.rotationNs / this.sectorsPerTrack;
    this.sectorsPerCylinder = this.sectorsPerTrack * Math.max(1, costs.hdd_heads);
    this.cylinders = Math.max(1, Math.ceil(sectors / this.sectorsPerCylinder));
    this.t2t = costs.hdd_track_to_track;
    this.skew = Math.min(this.sectorsPerTrack - 1, Math.ceil(this.t2t / this.sectorNs));
    const full = (avg: number) => this.t2t + Math.max(0, avg - this.t2t) / MEAN_SQRT_RANDOM_DISTANCE;
    this.fullRead = full(costs.hdd_seek_read_avg);
    this.fullWrite = full(costs.hdd_seek_write_avg);
  }

  cylinderOf(lba: number): number {
    const c = Math.floor(lba / this.sectorsPerCylinder);
    return c < this.cylinders ? c : this.cylinders - 1;
  }

  /** The angular slot (0 .. sectorsPerTrack − 1) at which sector `lba` starts to pass under the head. */
  slotOf(lba: number): number {
    return ((lba % this.sectorsPerTrack) + this.cylinderOf(lba) * this.skew) % this.sectorsPerTrack;
  }

  /** The head's angle at time `t`, in sectors (0 ≤ angle < sectorsPerTrack). */
  angleAt(t: number): number {
    return (t % this.rotationNs) / this.sectorNs;
  }

  /** Time from `t` until sector `lba` starts to pass under the head (0 if it starts now; nearly a turn if it just went by). */
  rotationalWaitNs(lba: number, t: number): number {
    let d = this.slotOf(lba) - this.angleAt(t);
    if (d < -ON_TIME_SECTORS) d += this.sectorsPerTrack;
    else if (d < 0) d = 0;
    return d * this.sectorNs;
  }

  /** Seek time between two cylinders (reads settle sooner than writes). */
  seekNs(fromCylinder: number, toCylinder: number, op: 'read' | 'write'): number {
    const d = Math.abs(toCylinder - fromCylinder);
    if (d === 0) return 0;
    const full = op === 'write' ? this.fullWrite : this.fullRead;
    return this.t2t + (full - this.t2t) * Math.sqrt(d / this.cylinders);
  }

  /** Media time of `count` sectors from `lba`: the sectors, plus the skew at each cylinder crossed. */
  transferNs(lba: number, count: number): number {
    const crossings = this.cylinderOf(lba + count - 1) - this.cylinderOf(lba);
    return (count + crossings * this.skew) * this.sectorNs;
  }
}
