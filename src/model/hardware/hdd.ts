/**
 * A hard disk that behaves like one (reference §6; Ruemmler & Wilkes, "An
 * introduction to disk drive modeling", IEEE Computer 1994; DiskSim, Bucy
 * et al., CMU-PDL-08-101, 2008). One mechanism (actuator and spindle) runs
 * as a loop; the controller in front of it serves what it can from its
 * buffer:
 *
 *   - a media access costs the command overhead (overlapping the wait of a
 *     queued command), a seek (hdd-geometry.ts), the rotational wait until
 *     the target sector comes under the head — the head's angle is a
 *     function of simulated time, so a sequential request that is queued in
 *     time pays nothing and one that just misses pays most of a turn — and
 *     the media transfer;
 *   - read-ahead and a segmented read cache (hdd-read-cache.ts): after a
 *     media read the drive reads on into that read's segment until other
 *     work needs the mechanism, and then first reads what it promised; a
 *     read found there, or that the read-ahead will reach, is served from
 *     the buffer (command overhead and interface transfer, no seek, no
 *     rotation), whether it finds it on arrival or while queued: a
 *     sequential stream at queue depth 2 reads on instead of each request
 *     missing its sectors by its command overhead and waiting a turn.
 *     Writes invalidate overlapping segments;
 *   - write-back cache (`writeCache`): a write that finds room in the
 *     `hdd_write_buffer_bytes` buffer is acknowledged after
 *     `hdd_write_cache_ack` and the interface transfer (a rewrite of a dirty
 *     block still in the buffer replaces its data there); dirty blocks are
 *     destaged by the same mechanism when no host request waits, or
 *     alongside them once a write is waiting for room, so sustained writes
 *     run at the destage rate. Destages are background work: stream '',
 *     flow −1, `disk.cache.destaged` records;
 *   - 4 KiB physical sectors behind 512-byte logical ones (512e,
 *     `physicalSectorBytes` 4,096): a media write that starts or ends
 *     inside a physical sector is a read-modify-write: the drive reads the
 *     physical sectors it touches as they pass under the head, merges the
 *     new data in its buffer and writes them when they come round again,
 *     `hdd_rmw_revolutions` turns later (Microsoft, Hyper-V Support for
 *     Large Sector Disks Overview; `rmwNs` on the record). Reads, and
 *     writes of whole aligned 4 KiB sectors, pay nothing. With the write
 *     cache on, the host's write is acknowledged from the buffer as before
 *     and the destage pays it; the buffer does not merge neighbouring
 *     dirty blocks into whole physical sectors;
 *   - reordering: the mechanism takes the queued command with the shortest
 *     effective positioning time among the oldest `hdd_reorder_window`: its
 *     seek + rotational wait from the head's cylinder and angle, less
 *     W x the time it has waited in the drive (W =
 *     `hdd_queue_age_weight_permille` / 1000; ties to the oldest): aged SPTF,
 *     ASPTF(W) of Worthington, Ganger & Patt (SIGMETRICS 1994). A command in
 *     the drive longer than `hdd_queue_age_limit` goes next whatever it
 *     costs (the last resort). The window is the drive's command queue
 *     (NCQ/TCQ tags), so a request beyond it waits in the host's queue and
 *     its age counts from when it gets a tag. With one request at a time
 *     this is FCFS.
 */
import { startProcess, type Process, type ProcessBody, type Waitable } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';
import type { DiskConfig, DiskIo } from './disk.js';
import { HddGeometry } from './hdd-geometry.js';
import { ReadCache } from './hdd-read-cache.js';

/** A request of the host, or a wait for room in the write buffer: the requester sleeps until `finish`. */
class Pending implements Waitable {
  private waiter: Process | null = null;
  private done = false;
  /** When its data began to move (set by the mechanism). */
  dataStart = 0;
  /** A read the mechanism handed to the controller: when its data is in the buffer (else −1). */
  bufferReady = -1;
  /** When it entered the drive's command queue (the oldest `hdd_reorder_window`: its NCQ tag); before that it waits in the host's queue. The age limit counts from here. */
  taggedAt = -1;

  constructor(
    readonly s: Strand,
    readonly op: 'read' | 'write',
    readonly lba: number,
    readonly sectors: number,
    readonly bytes: number,
    readonly arrived: number,
    /** Requests in the drive when it arrived. */
    readonly queued: number,
  ) {}

  waitBy(process: Process): boolean {
    if (this.done) return true;
    this.waiter = process;
    return false;
  }

  finish(): void {
    this.done = true;
    const w = this.waiter;
    this.waiter = null;
    w?.wake(undefined);
  }
}

/** Wakes the mechanism loop when it sleeps with nothing to do. */
class Bell implements Waitable {
  private waiter: Process | null = null;

  waitBy(process: Process): boolean {
    this.waiter = process;
    return false;
  }

  ring(): void {
    const w = this.waiter;
    if (w === null) return;
    this.waiter = null;
    w.wake(undefined);
  }
}

/** Dirty data in the write buffer, waiting to be destaged. */
interface DirtyBlock {
  lba: number;
  sectors: number;
  bytes: number;
  /** The acknowledging record, the destage's cause. */
  cause: number;
}

export class HardDisk {
  private readonly geo: HddGeometry;
  private readonly bell = new Bell();
  private loop: Process | null = null;
  /** Requests waiting for the mechanism, oldest first. */
  private readonly queue = new ArrivalQueue<Pending>();
  /** Requests in the drive (queued, in service, or served from the buffer). */
  private inDrive = 0;
  private headCylinder = 0;
  /** When the interface to the host is free (cache hits and cached writes use it one at a time). */
  private busFreeAt = 0;

  // --- write-back buffer ---
  private readonly dirty = new ArrivalQueue<DirtyBlock>();
  /** The dirty block that starts at each LBA (the latest): a rewrite of it replaces its data in the buffer. */
  private readonly dirtyAt = new Map<number, DirtyBlock>();
  /** Bytes taken in the write buffer: dirty, being acknowledged, or being destaged. */
  private dirtyBytes = 0;
  private readonly roomWaiters: Pending[] = [];
  /** Background work of the drive (destages, read-ahead): no request's, no workload's. */
  private readonly background: Strand = { stream: '', flow: -1, cause: -1 };
  private readonly readAhead: Strand = { stream: '', flow: -1, cause: -1 };

  // --- read cache and read-ahead ---
  private readonly cache: ReadCache;
  /** Logical (512-byte) sectors per physical sector: 1 (512n) or 8 (512e). */
  private readonly physicalSectors: number;

  constructor(
    readonly config: DiskConfig,
    readonly place: Place,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {
    this.geo = new HddGeometry(costs, config.sectors);
    this.cache = new ReadCache(this.geo, costs);
    this.physicalSectors = (config.physicalSectorBytes ?? 512) / 512;
  }

  /** Queues, services and completes one I/O; the caller's strand carries the records. Returns when its data began to move (to or from the host). */
  *submit(s: Strand, io: DiskIo): ProcessBody<number> {
    const now = this.tracer.sim.now;
    const sectors = Math.max(1, Math.ceil(io.bytes / 512));
    const queued = this.inDrive++;
    if (io.op === 'read') {
      const ready = this.cache.lookup(io.lba, sectors, now);
      if (ready >= 0) {
        const dataStart = yield* this.fromBuffer(s, io, now, ready, this.costs.hdd_command_overhead, queued, 'read-cache');
        this.inDrive--;
        return dataStart;
      }
    } else {
      this.invalidate(io.lba, sectors, now);
      if (this.config.writeCache) {
        const bytes = sectors * 512;
        const dirtyThere = this.dirtyAt.get(io.lba);
        if (dirtyThere !== undefined && dirtyThere.sectors >= sectors) {
          // A rewrite of sectors still dirty in the buffer replaces them there: no room taken, no second destage.
          const dataStart = yield* this.fromBuffer(s, io, now, now, this.costs.hdd_write_cache_ack, queued, 'write-cache');
          // Destaged while its data crossed the interface: the new data is dirty on its own (at most one write over the buffer, E).
          if (this.dirtyAt.get(io.lba) !== dirtyThere) this.addDirty(io.lba, sectors, bytes, s.cause, true);
          this.inDrive--;
          return dataStart;
        }
        if (this.roomWaiters.length > 0 || (this.dirtyBytes > 0 && this.dirtyBytes + bytes > this.costs.hdd_write_buffer_bytes)) {
          const wait = new Pending(s, 'write', io.lba, sectors, bytes, now, queued);
          this.roomWaiters.push(wait);
          this.wakeMechanism(); // a full buffer lets destages compete with queued reads
          yield wait; // the destage that frees room reserves it for us
        } else this.dirtyBytes += bytes;
        const dataStart = yield* this.fromBuffer(s, io, now, this.tracer.sim.now, this.costs.hdd_write_cache_ack, queued, 'write-cache');
        this.addDirty(io.lba, sectors, bytes, s.cause, false);
        this.inDrive--;
        return dataStart;
      }
    }
    const job = new Pending(s, io.op, io.lba, sectors, io.bytes, now, queued);
    this.queue.push(job);
    if (this.queue.length <= this.window) job.taggedAt = now;
    this.wakeMechanism();
    yield job; // the mechanism emits its records on our strand and wakes us when it is done
    if (job.bufferReady >= 0) {
      // A read the read-ahead reached while it waited: the controller serves it from the buffer.
      const overheadNs = Math.max(0, now + this.costs.hdd_command_overhead - this.tracer.sim.now);
      const dataStart = yield* this.fromBuffer(s, io, now, job.bufferReady, overheadNs, queued, 'read-cache');
      this.inDrive--;
      return dataStart;
    }
    this.inDrive--;
    return job.dataStart;
  }

  /** A request served by the controller from its buffer: overhead, then the interface once the data is there and the interface free. Returns when the interface began to move its data. */
  private *fromBuffer(s: Strand, io: DiskIo, arrived: number, ready: number, overheadNs: number, queued: number, source: 'read-cache' | 'write-cache'): ProcessBody<number> {
    const now = this.tracer.sim.now;
    const transferNs = Math.round((io.bytes / 1024) * this.costs.hdd_interface_ns_per_kib);
    const start = Math.max(now + overheadNs, ready, this.busFreeAt);
    this.busFreeAt = start + transferNs;
    const hold = start - now - overheadNs;
    if (hold > 0) yield hold;
    this.tracer.waited(s, 'disk.request.waited', this.place, this.tracer.sim.now - arrived, { disk: this.config.id, queued });
    yield this.tracer.emit(s, 'disk.request.serviced', this.place, overheadNs + transferNs, 'device', {
      disk: this.config.id,
      op: io.op,
      bytes: io.bytes,
      lba: io.lba,
      overheadNs,
      seekNs: 0,
      rotationNs: 0,
      transferNs,
      cached: true,
      source,
    });
    return start;
  }

  private wakeMechanism(): void {
    if (this.loop === null) this.loop = startProcess(this.tracer.sim, this.mechanism(), `disk ${this.config.id} mechanism`);
    else this.bell.ring();
  }

  /**
   * The actuator and spindle: one media access at a time. Right after a
   * media read the head reads on into that read's segment (read-ahead):
   * queued reads it holds or will reach go to the controller, and the
   * read-ahead runs on while nothing else needs the mechanism; when
   * something does, it first reads what it promised.
   */
  private *mechanism(): ProcessBody<void> {
    const g = this.geo;
    const c = this.costs;
    for (;;) {
      const now = this.tracer.sim.now;
      const from = this.cache.startReadAhead(now);
      const handed = this.cache.readingAhead ? this.handOverHits(now) : 0;
      const pick = this.pick(now);
      if (from >= 0 && (pick === NOTHING || handed > 0)) {
        this.tracer.emit(this.readAhead, 'disk.readahead.started', this.place, 0, 'none', { disk: this.config.id, lba: from, sectors: this.cache.readAheadLimit - from });
      }
      if (pick === NOTHING) {
        yield this.bell;
        continue;
      }
      const promised = this.cache.closeReadAhead(now);
      if (promised > now) {
        yield promised - now;
        continue;
      }
      this.stopReadAhead(now);
      this.cache.forgetLastRead();
      const host = pick >= 0;
      const job = host ? this.untag(pick, now) : null;
      const block = host ? null : this.dirty.removeAt(-pick - 2);
      if (block !== null && this.dirtyAt.get(block.lba) === block) this.dirtyAt.delete(block.lba);
      const op = host ? job!.op : 'write';
      // A write that covers part of a 4 KiB physical sector (512e) goes to media as the whole physical sectors it touches.
      let lba = host ? job!.lba : block!.lba;
      let sectors = host ? job!.sectors : block!.sectors;
      let rmwNs = 0;
      const perPhysical = this.physicalSectors;
      if (op === 'write' && perPhysical > 1 && (lba % perPhysical !== 0 || (lba + sectors) % perPhysical !== 0)) {
        const end = Math.ceil((lba + sectors) / perPhysical) * perPhysical;
        lba -= lba % perPhysical;
        sectors = end - lba;
        rmwNs = Math.round(c.hdd_rmw_revolutions * g.rotationNs);
      }
      const overheadNs = host ? Math.max(0, job!.arrived + c.hdd_command_overhead - now) : 0;
      const cylinder = g.cylinderOf(lba);
      const seekNs = Math.round(g.seekNs(this.headCylinder, cylinder, op));
      const rotationNs = Math.round(g.rotationalWaitNs(lba, now + overheadNs + seekNs));
      const transferNs = Math.round(g.transferNs(lba, sectors));
      const total = overheadNs + seekNs + rotationNs + rmwNs + transferNs;
      if (host) {
        const s = job!.s;
        job!.dataStart = now + total - transferNs;
        this.tracer.waited(s, 'disk.request.waited', this.place, now - job!.arrived, { disk: this.config.id, queued: job!.queued });
        yield this.tracer.emit(s, 'disk.request.serviced', this.place, total, 'device', {
          disk: this.config.id,
          op,
          bytes: job!.bytes,
          lba,
          overheadNs,
          seekNs,
          rotationNs,
          transferNs,
          cached: false,
          source: 'media',
          ...(rmwNs > 0 ? { rmwNs } : {}),
        });
      } else {
        this.invalidate(lba, sectors, now);
        const bg = this.background;
        bg.cause = block!.cause;
        yield this.tracer.emit(bg, 'disk.cache.destaged', this.place, total, 'device', {
          disk: this.config.id,
          lba,
          bytes: block!.bytes,
          seekNs,
          rotationNs,
          transferNs,
          dirtyBytes: this.dirtyBytes - block!.bytes,
          waitingWrites: this.roomWaiters.length,
          ...(rmwNs > 0 ? { rmwNs } : {}),
        });
      }
      this.headCylinder = g.cylinderOf(lba + sectors - 1);
      if (host) {
        if (op === 'read') {
          this.cache.filled(lba, sectors, this.tracer.sim.now);
          this.readAhead.cause = job!.s.cause; // the read it follows
        }
        job!.finish();
      } else {
        this.dirtyBytes -= block!.bytes;
        this.admitWaiters();
      }
    }
  }

  /**
   * The next job: a queued request (its index), a dirty block (−2 − index),
   * or NOTHING. Shortest effective positioning time first (a request's less
   * W x its age) among the oldest `hdd_reorder_window` of each; destages
   * compete only when no request is queued or a write waits for room; a
   * request past the age limit goes first.
   */
  private pick(now: number): number {
    const c = this.costs;
    const q = this.queue;
    if (q.length > 0 && now - q.at(0).taggedAt >= c.hdd_queue_age_limit) return 0;
    const window = this.window;
    let best = Infinity;
    let choice = NOTHING;
    const nq = Math.min(q.length, window);
    const weight = c.hdd_queue_age_weight_permille / 1000;
    for (let i = 0; i < nq; i++) {
      const job = q.at(i);
      const t = this.positioningNs(job.lba, job.op, Math.max(0, job.arrived + c.hdd_command_overhead - now), now) - weight * (now - job.taggedAt);
      if (t < best) {
        best = t;
        choice = i;
      }
    }
    if (q.length === 0 || this.roomWaiters.length > 0) {
      const nd = Math.min(this.dirty.length, window);
      for (let i = 0; i < nd; i++) {
        const t = this.positioningNs(this.dirty.at(i).lba, 'write', 0, now);
        if (t < best) {
          best = t;
          choice = -2 - i;
        }
      }
    }
    return choice;
  }

  /** Overhead still to run, seek, and rotational wait before `lba` can be transferred, starting now. */
  private positioningNs(lba: number, op: 'read' | 'write', overheadNs: number, now: number): number {
    const g = this.geo;
    const seek = g.seekNs(this.headCylinder, g.cylinderOf(lba), op);
    return overheadNs + seek + g.rotationalWaitNs(lba, now + overheadNs + Math.round(seek));
  }

  /** Writes waiting for room take it in arrival order, as far as the freed room goes. */
  private admitWaiters(): void {
    const w = this.roomWaiters;
    while (w.length > 0) {
      const next = w[0]!;
      if (this.dirtyBytes > 0 && this.dirtyBytes + next.bytes > this.costs.hdd_write_buffer_bytes) return;
      this.dirtyBytes += next.bytes;
      w.shift();
      next.finish();
    }
  }

  /** A write acknowledged from the buffer becomes dirty there (`reserve`: its room was not taken before). */
  private addDirty(lba: number, sectors: number, bytes: number, cause: number, reserve: boolean): void {
    if (reserve) this.dirtyBytes += bytes;
    const block: DirtyBlock = { lba, sectors, bytes, cause };
    this.dirty.push(block);
    this.dirtyAt.set(lba, block);
    this.wakeMechanism();
  }

  /** The commands the drive holds and reorders (NCQ/TCQ tags): the rest of the queue waits in the host. */
  private get window(): number {
    return Math.max(1, this.costs.hdd_reorder_window);
  }

  /** Takes queued request `i` out; the first one waiting beyond the window gets its tag (its age counts from now). */
  private untag(i: number, now: number): Pending {
    const job = this.queue.removeAt(i);
    if (this.queue.length >= this.window) {
      const next = this.queue.at(this.window - 1);
      if (next.taggedAt < 0) next.taggedAt = now;
    }
    return job;
  }

  /**
   * Queued reads the buffer holds, or the read-ahead in progress will
   * reach, leave the queue for the controller (`Pending.bufferReady`), the
   * oldest `hdd_reorder_window` looked at as `pick` does. Returns how many.
   */
  private handOverHits(now: number): number {
    const q = this.queue;
    const window = this.window;
    let handed = 0;
    for (let i = 0; i < Math.min(q.length, window); ) {
      const job = q.at(i);
      const ready = job.op === 'read' ? this.cache.lookup(job.lba, job.sectors, now) : -1;
      if (ready < 0) {
        i++;
        continue;
      }
      this.untag(i, now);
      job.bufferReady = ready;
      job.finish();
      handed++;
    }
    return handed;
  }

  /** The mechanism is wanted: the read-ahead stops where it has got to, and the head is there. */
  private stopReadAhead(now: number): void {
    const at = this.cache.stopReadAhead(now);
    if (at >= 0) this.headCylinder = this.geo.cylinderOf(at);
  }

  /** A write makes any cached copy of its sectors stale. */
  private invalidate(lba: number, sectors: number, now: number): void {
    const at = this.cache.invalidate(lba, sectors, now);
    if (at >= 0) this.headCylinder = this.geo.cylinderOf(at);
  }
}

/** `pick`'s answer when there is nothing for the mechanism to do. */
const NOTHING = -1;

/**
 * A queue in arrival order from which the mechanism takes any of the first
 * few: removing item i moves only the i items before it (the window is
 * small, the queue may be long).
 */
class ArrivalQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  at(i: number): T {
    return this.items[this.head + i]!;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Removes and returns item `i`, keeping the order of the rest. */
  removeAt(i: number): T {
    const items = this.items;
    const h = this.head;
    const item = items[h + i]!;
    for (let j = h + i; j > h; j--) items[j] = items[j - 1];
    items[h] = undefined;
    this.head = h + 1;
    if (this.head === items.length) {
      items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
