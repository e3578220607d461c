/**
 * A host bus adapter (Fibre Channel: 4 Gb/s in the 2008 profile, 16 Gb/s
 * in the modern one). Each command costs the adapter's firmware time
 * (`hba_command`) before the drive sees it. Its data crosses the adapter's
 * link while the drive moves it, not after (cut-through): Fibre Channel
 * carries a transfer as frames of at most 2,112 bytes of payload (FC-FS),
 * so the link and the drive's own data phase overlap, the slower of the
 * two sets the pace, and one frame's time is left over at the end, where a
 * frame still crosses after the drive is done (a read's last frame on its
 * way up, a write's last frame reaching the drive).
 *
 * The link carries one transfer at a time. It is a calendar: a transfer
 * takes it from the start of its drive's data phase or, if it is busy then,
 * from when it is next free, so disks behind one HBA that move data at the
 * same time slow each other down (the shared-hba claim) while disks on
 * separate HBAs do not. What the drive did not hide (the link's queue, and
 * a link slower than the drive) is the request's time at the HBA.
 */
import type { ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';

/** Payload of one Fibre Channel frame, in KiB (FC-FS: at most 2,112 bytes; 2 KiB is what transfers use). */
export const FC_FRAME_KIB = 2;

export class Hba {
  /** When the link is next free. */
  private linkFreeAt = 0;
  /** End times of the transfers reserved on the link, oldest first (they end in the order they were reserved). */
  private ends: number[] = [];
  private endsHead = 0;

  constructor(
    readonly id: string,
    readonly place: Place,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {}

  /** The command for `disk`: the adapter's firmware, before the drive sees it. */
  command(s: Strand, disk: string): number {
    return this.tracer.emit(s, 'hba.command.started', this.place, this.costs.hba_command, 'device', { disk });
  }

  /**
   * The link's part of a transfer whose drive moved its `bytes` from
   * `dataStart` until now: the link carries them from `dataStart` (or when
   * it is next free) at its rate; the request goes on once the link is done
   * and one frame after the drive, whichever is later.
   */
  *carry(s: Strand, dataStart: number, bytes: number): ProcessBody<void> {
    const { tracer } = this;
    const now = tracer.sim.now;
    const nsPerKib = this.costs.hba_link_ns_per_kib;
    const linkNs = Math.round((bytes / 1024) * nsPerKib);
    const queued = this.transfersAt(dataStart);
    const start = Math.max(dataStart, this.linkFreeAt);
    const end = start + linkNs;
    this.linkFreeAt = end;
    this.ends.push(end);
    const done = Math.max(end, now + Math.min(linkNs, Math.round(FC_FRAME_KIB * nsPerKib)));
    // Waiting for the link counts only where the drive did not hide it: the drive is done and the link has not started.
    const exposedWait = start - now;
    if (exposedWait > 0) {
      yield exposedWait;
      tracer.waited(s, 'hba.link.waited', this.place, exposedWait, { hba: this.id, queued });
    }
    yield tracer.emit(s, 'hba.data.transferred', this.place, done - tracer.sim.now, 'device', { hba: this.id, bytes });
  }

  /** Transfers on the link (in progress or reserved) at time `at`. */
  private transfersAt(at: number): number {
    const ends = this.ends;
    while (this.endsHead < ends.length && ends[this.endsHead]! <= at) this.endsHead++;
    if (this.endsHead === ends.length) {
      ends.length = 0;
      this.endsHead = 0;
      return 0;
    }
    if (this.endsHead >= 1024) {
      this.ends = ends.slice(this.endsHead);
      this.endsHead = 0;
    }
    return this.ends.length - this.endsHead;
  }
}
