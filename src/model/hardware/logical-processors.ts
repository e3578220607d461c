/**
 * Logical processors: where CPU-charged steps run, and the queueing when
 * two want the same one. Each LP keeps the intervals it is reserved for;
 * a step starts at the first time from its own on which its LP is free for
 * its whole cost (first come, first served, no preemption: an E
 * simplification). A step the VP scheduler has put off (its VP waits for
 * its turn or, limited, for the next accounting period) reserves its LP
 * from that later time only: the LP is free until then for the VP holding
 * it and the root's work, as Xen's scheduler runs another VCPU while one is
 * parked (`CSCHED_FLAG_VCPU_PARKED`). Before, an LP kept only the time it
 * was reserved until, so a step put off 24 ms by its VM's 5 % limit held
 * its LP for those 24 ms against an unlimited VM beside it, whose reads
 * then had the limited VM's p99 (an audit measured both at 24 ms, where the
 * same pair without the limit read at 0.39 ms). Placement:
 *  - a child's virtual processor runs on its own LP: VM i on LP (1 + i)
 *    mod the LP count, so LP 0 is the last to take a guest;
 *  - hypervisor work runs where the trapping VP ran, so on that VM's LP;
 *  - root work for an emulated intercept (VID, the worker, its file or
 *    network I/O) runs on the root VP of the LP the guest trapped on, since
 *    the guest VP is blocked meanwhile (reference §1.6);
 *  - root work of a VMBus channel (the root's VMBus interrupt, storvsp,
 *    netvsp and the I/O they start) runs on the channel's target VP: OpenVMM
 *    runs each channel's worker there (storvsp `new_worker`:
 *    `target_vp(target_vp).run_on_target(true)`), and a guest with one
 *    virtual processor targets VP 0, so it shares that VM's LP. Before
 *    Windows 8 every channel targeted VP 0 (§2.3), which with one VP per
 *    guest is the same LP. Channels of different VMs therefore spread over
 *    the LPs their VMs run on, instead of all queueing on LP 0.
 * A VM with several virtual processors takes the next LPs in turn (VP j of
 * a VM whose VP 0 is on LP k runs on LP k + j, modulo the count), or the
 * LPs its `affinity` names (`vpPlacement`); its I/O runs on VP 0. With one
 * VP per VM this is the placement above. Whether a VP is running when its
 * step comes is the VP scheduler's question (`../scheduler/vp-scheduler.ts`),
 * asked only when the scenario uses one.
 */
import type { Charge } from '../trace-events.js';

/** LP indices of one workload stream. */
interface StreamLps {
  guest: number;
  root: number;
}

export class LogicalProcessors {
  /**
   * Per LP, the end of its reservations while they are one block from the
   * present on: every step placed first come first served, after the one
   * before it or at once. That is every step of a run without the VP
   * scheduler, and the hot path: an O(1) update, as before steps could be
   * put off (`npm run bench -- model`: intervals kept for every step made
   * the model 25 % slower, 2.1-2.4 M events/s against 2.9-3.2 M).
   */
  private readonly busyUntil: Float64Array;
  /** Per LP, 1 while a step put off past the block's end has left the LP free between (its intervals are then in `spread`). */
  private readonly gapped: Uint8Array;
  /** Per LP, its reservations as intervals while it is `gapped`. */
  private readonly spread: Reservations[];
  private readonly vmLp = new Map<string, number>();
  private readonly streams = new Map<string, StreamLps>();

  /** The LP of each VM's VPs, by VM id (VP 0 first). */
  readonly vpLps: ReadonlyMap<string, readonly number[]>;

  constructor(
    readonly count: number,
    vmIds: readonly string[],
    vms: readonly { id: string; vcpus?: number; affinity?: readonly number[] }[] = vmIds.map((id) => ({ id })),
  ) {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`logical processors must be an integer >= 1, got ${count}`);
    this.busyUntil = new Float64Array(count);
    this.gapped = new Uint8Array(count);
    this.spread = Array.from({ length: count }, () => new Reservations());
    this.vpLps = vpPlacement(count, vms);
    for (const [vm, lps] of this.vpLps) this.vmLp.set(vm, lps[0]!);
  }

  /** The LP a step of `stream` charged to `charge` runs on, or -1 if it uses no CPU. */
  lpOf(stream: string, charge: Charge): number {
    if (charge === 'device' || charge === 'none') return -1;
    let lps = this.streams.get(stream);
    if (lps === undefined) {
      const slash = stream.indexOf('/');
      const vm = slash < 0 ? stream : stream.slice(0, slash); // streams are `vm/disk/path` or `vm//control`
      const guest = this.vmLp.get(vm) ?? 0;
      // Emulated intercepts and channel workers alike run root work on the VM's LP (see above).
      lps = { guest, root: guest };
      this.streams.set(stream, lps);
    }
    return charge === 'root' ? lps.root : lps.guest;
  }

  /**
   * Reserves `lp` for `costNs` at the first time from `atNs` on when it is
   * free that long; returns how long the step waits first. `nowNs` (the
   * simulation's clock, `atNs` unless the scheduler put the step off) is
   * the time before which nothing can be placed any more.
   */
  reserve(lp: number, atNs: number, costNs: number, nowNs = atNs): number {
    if (this.gapped[lp] === 0) {
      const until = this.busyUntil[lp]!;
      if (atNs <= until || atNs === nowNs) {
        // One block from the present to `until`: the step goes after it, or at once if the LP is free.
        const start = until > atNs ? until : atNs;
        this.busyUntil[lp] = start + costNs;
        return start - atNs;
      }
      if (costNs === 0) return 0; // put off past the block, a step of no cost holds nothing
      // Put off past the block's end: the LP is free between, for the steps that come before it.
      this.gapped[lp] = 1;
      this.spread[lp]!.startWith(nowNs, until);
    }
    const spread = this.spread[lp]!;
    const wait = spread.reserve(atNs, costNs, nowNs);
    const end = spread.blockEnd(nowNs);
    if (end >= 0) {
      // One block from the present on again (or nothing reserved): back to first come first served.
      this.gapped[lp] = 0;
      this.busyUntil[lp] = end;
    }
    return wait;
  }
}

/**
 * One LP's reserved intervals while a step put off has left a gap:
 * [start, end) pairs in order and disjoint, from `head` to `tail` of a
 * typed array (a step allocates nothing). Those over by the clock are
 * dropped from the head; a step goes at the tail unless it fits in a gap
 * before a later one.
 */
class Reservations {
  private buf = new Float64Array(16);
  private head = 0;
  private tail = 0;

  /** Starts from one block, [from, until), or from nothing when it is over by `from`. */
  startWith(from: number, until: number): void {
    this.head = 0;
    this.tail = 0;
    if (until > from) {
      this.buf[0] = from;
      this.buf[1] = until;
      this.tail = 2;
    }
  }

  /** The end of the reservations when they are one block from `nowNs` on (0 when there are none), else -1. */
  blockEnd(nowNs: number): number {
    const n = this.tail - this.head;
    if (n === 0) return 0;
    return n === 2 && this.buf[this.head]! <= nowNs ? this.buf[this.head + 1]! : -1;
  }

  /** Reserves `costNs` at the first time from `atNs` on when the LP is free that long; returns the wait. Nothing before `nowNs` is kept. */
  reserve(atNs: number, costNs: number, nowNs: number): number {
    const b = this.buf;
    let h = this.head;
    while (h < this.tail && b[h + 1]! <= nowNs) h += 2;
    if (h === this.tail) this.tail = h = 0;
    this.head = h;
    let start = atNs;
    let i = h;
    for (; i < this.tail; i += 2) {
      if (b[i + 1]! <= start) continue; // over before the step starts
      if (b[i]! > start && b[i]! >= start + costNs) break; // the gap before it holds the step (a step of no cost waits behind one starting when it does, as first come first served)
      start = b[i + 1]!; // in the way: after it
    }
    if (costNs > 0) this.insert(i, start, start + costNs);
    return start - atNs;
  }

  /** Puts [start, end) at `i` (every interval before it ends by `start`), joined to a neighbour it touches. */
  private insert(i: number, start: number, end: number): void {
    const b = this.buf;
    const joinsBefore = i > this.head && b[i - 1] === start;
    const joinsAfter = i < this.tail && b[i] === end;
    if (joinsBefore && joinsAfter) {
      b.copyWithin(i - 1, i + 1, this.tail); // the two and the step between them are one interval
      this.tail -= 2;
    } else if (joinsBefore) b[i - 1] = end;
    else if (joinsAfter) b[i] = start;
    else {
      const at = this.room() ? i : i - this.compact();
      const c = this.buf;
      c.copyWithin(at + 2, at, this.tail);
      c[at] = start;
      c[at + 1] = end;
      this.tail += 2;
    }
  }

  /** Whether two more slots fit after the tail. */
  private room(): boolean {
    return this.tail + 2 <= this.buf.length;
  }

  /** Moves the intervals to the array's start (twice as long if they fill it); returns how far they moved. */
  private compact(): number {
    const moved = this.head;
    const used = this.tail - this.head;
    const next = used + 2 <= this.buf.length ? this.buf : new Float64Array(this.buf.length * 2);
    if (next === this.buf) this.buf.copyWithin(0, this.head, this.tail);
    else next.set(this.buf.subarray(this.head, this.tail));
    this.buf = next;
    this.head = 0;
    this.tail = used;
    return moved;
  }
}

/**
 * Where each VM's virtual processors run: the LPs of `affinity` when a VM
 * names them, else the next LPs in turn from LP 1 (LP 0 is the last to
 * take a guest: the root's VMBus work starts there). With one VP per VM,
 * VM i runs on LP (1 + i) mod `count`, as before VMs had several.
 */
export function vpPlacement(count: number, vms: readonly { id: string; vcpus?: number; affinity?: readonly number[] }[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let next = 1;
  for (const vm of vms) {
    const n = vm.vcpus ?? 1;
    const lps: number[] = [];
    for (let j = 0; j < n; j++) {
      const pinned = vm.affinity?.[j];
      if (pinned !== undefined && !(Number.isInteger(pinned) && pinned >= 0 && pinned < count)) throw new RangeError(`VM ${vm.id}: affinity of VP ${j} is LP ${pinned}, the host has LPs 0..${count - 1}`);
      lps.push(pinned ?? (next + j) % count);
    }
    next += n;
    out.set(vm.id, lps);
  }
  return out;
}
