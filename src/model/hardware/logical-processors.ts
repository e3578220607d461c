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
  /** Per LP, the intervals it is reserved for, [start, end) flattened, in order, disjoint; those over by now are dropped. */
  private readonly busy: number[][];
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
    this.busy = Array.from({ length: count }, () => []);
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
    const iv = this.busy[lp]!;
    let drop = 0;
    while (drop < iv.length && iv[drop + 1]! <= nowNs) drop += 2;
    if (drop > 0) iv.splice(0, drop);
    let start = atNs;
    let i = 0;
    for (; i < iv.length; i += 2) {
      if (iv[i + 1]! <= start) continue; // over before the step starts
      if (iv[i]! > start && iv[i]! >= start + costNs) break; // the gap before it holds the step (a step of no cost waits behind one starting when it does, as first come first served)
      start = iv[i + 1]!; // in the way: after it
    }
    if (costNs > 0) {
      const end = start + costNs;
      // Inserted at i (every interval before it ends by `start`), joined to a neighbour it touches.
      const joinsBefore = i > 0 && iv[i - 1] === start;
      const joinsAfter = i < iv.length && iv[i] === end;
      if (joinsBefore && joinsAfter) iv.splice(i - 1, 2);
      else if (joinsBefore) iv[i - 1] = end;
      else if (joinsAfter) iv[i] = start;
      else iv.splice(i, 0, start, end);
    }
    return start - atNs;
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
