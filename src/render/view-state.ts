/**
 * The view state: what the screen shows at one point of the trace, as a
 * pure fold of the records before the cursor (`applyRecord`). Small and
 * cheap to copy: only packets in flight, counters per place, the last
 * record's flash, ring and IDE register state. The renderer and the panels
 * read it; nothing here touches pixi or the DOM, and the model is imported
 * for its types only.
 */
import type { HvRecord } from '../model/trace-events.js';

/** A request in flight: where its last record happened. */
export interface PacketView {
  flow: number;
  stream: string;
  /** Place of its latest record, and the one before (the packet moves from → to). */
  place: string;
  from: string;
  /** seq and kind of its latest record. */
  seq: number;
  kind: string;
}

/** The state of one VMBus channel's rings, as the records reveal it. */
export interface RingView {
  outbound: { writeIndex: number; readIndex: number; masked: boolean; packets: number };
  inbound: { writeIndex: number; readIndex: number; masked: boolean; packets: number };
}

/** The IDE registers as the worker's emulator last reported them, per VM. */
export interface IdeView {
  registers: Record<string, number>;
  lastCommand: string;
}

/**
 * One logical processor as the `vp.*` records of the credit scheduler
 * reveal it: the VP its CPU-load calendar gave it (`holder`), a VP an
 * interrupt woke to run I/O work over it (`visitor`, shown in preference),
 * and the VPs runnable but waiting for it.
 */
export interface LpView {
  holder: { vm: string; vp: number } | null;
  visitor: { vm: string; vp: number } | null;
  /** Runnable VPs waiting for this LP, as `vm/vp`. */
  waiting: string[];
}

/** Everything the canvas and panels draw at one cursor position. */
export interface ViewState {
  /** Records applied (0 = nothing yet). */
  cursor: number;
  /** Simulated time of the last applied record. */
  timeNs: number;
  /** In-flight requests by flow id. */
  packets: Record<number, PacketView>;
  /** Records seen per place. */
  placeCounts: Record<string, number>;
  /** VM exits, interrupts injected and context switches so far, per partition. */
  exits: Record<string, number>;
  interrupts: Record<string, number>;
  switches: number;
  /** The last record, for the flash and the narrator. */
  last: { seq: number; kind: string; place: string; flow: number } | null;
  rings: Record<string, RingView>;
  ide: Record<string, IdeView>;
  issued: number;
  /** Requests delivered, and packets dropped on their way (`io.request.completed` with `dropped`). */
  completed: number;
  dropped: number;
  /** Each managed VM's state as Hyper-V reports it (its name and WMI code), from `vm.state.changed`; absent for a VM no action manages. */
  vmStates: Record<string, { state: string; code: number }>;
  /** Logical processors by number, once the credit scheduler placed VPs on them (empty under the dedicated scheduler). */
  lps: Record<number, LpView>;
}

/** The state before any record. */
export function initialViewState(): ViewState {
  return { cursor: 0, timeNs: 0, packets: {}, placeCounts: {}, exits: {}, interrupts: {}, switches: 0, last: null, rings: {}, ide: {}, issued: 0, completed: 0, dropped: 0, vmStates: {}, lps: {} };
}

/**
 * A copy of `s` that shares nothing with it (the timeline's checkpoints:
 * folding on from one never changes it). Written out field by field: it
 * runs thousands of times when a big run loads.
 */
export function cloneViewState(s: ViewState): ViewState {
  const packets: Record<number, PacketView> = {};
  for (const k in s.packets) {
    const p = s.packets[k]!;
    packets[k] = { flow: p.flow, stream: p.stream, place: p.place, from: p.from, seq: p.seq, kind: p.kind };
  }
  const rings: Record<string, RingView> = {};
  for (const k in s.rings) {
    const r = s.rings[k]!;
    rings[k] = { outbound: { ...r.outbound }, inbound: { ...r.inbound } };
  }
  const ide: Record<string, IdeView> = {};
  for (const k in s.ide) ide[k] = { registers: { ...s.ide[k]!.registers }, lastCommand: s.ide[k]!.lastCommand };
  const vmStates: Record<string, { state: string; code: number }> = {};
  for (const k in s.vmStates) vmStates[k] = { ...s.vmStates[k]! };
  const lps: Record<number, LpView> = {};
  for (const k in s.lps) {
    const lp = s.lps[k]!;
    lps[k] = { holder: lp.holder === null ? null : { ...lp.holder }, visitor: lp.visitor === null ? null : { ...lp.visitor }, waiting: [...lp.waiting] };
  }
  return {
    cursor: s.cursor,
    timeNs: s.timeNs,
    packets,
    placeCounts: { ...s.placeCounts },
    exits: { ...s.exits },
    interrupts: { ...s.interrupts },
    switches: s.switches,
    last: s.last === null ? null : { ...s.last },
    rings,
    ide,
    issued: s.issued,
    completed: s.completed,
    dropped: s.dropped,
    vmStates,
    lps,
  };
}

const emptyRing = (): RingView => ({
  outbound: { writeIndex: 0, readIndex: 0, masked: false, packets: 0 },
  inbound: { writeIndex: 0, readIndex: 0, masked: false, packets: 0 },
});

/** The partition a place belongs to, from its id (`vm.x`, `root.x`, `hv`, `hw.x`). */
export function partitionOfPlace(place: string): string {
  if (place.startsWith('root.')) return 'root';
  if (place === 'hv' || place.startsWith('hv.')) return 'hypervisor';
  if (place.startsWith('hw.')) return 'hardware';
  return place.split('.')[0]!;
}

/**
 * The kinds whose own fields `applyRecord` reads (beyond the envelope's
 * seq, t, kind, place, flow and stream). A fold over a column store
 * builds only these records whole and hands the rest as their envelope;
 * a new `case` below that reads a kind's field must list its kind here
 * (the timeline's tests compare both folds).
 */
export const KINDS_READ_WHOLE: ReadonlySet<string> = new Set([
  'hv.interrupt.injected',
  'vm.state.changed',
  'vmbus.ring.written',
  'vmbus.ring.read',
  'vmbus.mask.set',
  'vmbus.mask.cleared',
  'ide.register.emulated',
  'ide.command.decoded',
  'vp.placed',
  'vp.dispatched',
  'vp.descheduled',
  'vp.halted',
  'vp.woken',
  'vp.waited',
]);

/**
 * Applies one record to `s` in place. Deterministic: the same records give the same state.
 */
export function applyRecord(s: ViewState, r: HvRecord): void {
  s.cursor = r.seq + 1;
  s.timeNs = r.t;
  s.placeCounts[r.place] = (s.placeCounts[r.place] ?? 0) + 1;
  s.last = { seq: r.seq, kind: r.kind, place: r.place, flow: r.flow };
  if (r.flow >= 0) {
    const p = s.packets[r.flow];
    if (r.kind === 'io.request.completed') {
      delete s.packets[r.flow];
      if (r.dropped === true) s.dropped++;
      else s.completed++;
    } else if (r.kind === 'vm.action.completed' || r.kind === 'vm.action.refused' || r.kind === 'vhd.merge.completed' || r.kind === 'vhd.merge.cancelled') {
      // A management action's flow (WMI → VMMS → vmwp → hypervisor, and its disk I/O) ends here.
      delete s.packets[r.flow];
    } else if (p === undefined) {
      s.packets[r.flow] = { flow: r.flow, stream: r.stream, place: r.place, from: r.place, seq: r.seq, kind: r.kind };
      if (r.kind === 'io.request.issued') s.issued++;
    } else {
      if (p.place !== r.place) {
        p.from = p.place;
        p.place = r.place;
      }
      p.seq = r.seq;
      p.kind = r.kind;
    }
  }
  switch (r.kind) {
    case 'hv.intercept.exited': {
      const vm = r.stream.split('/')[0] || 'root';
      s.exits[vm] = (s.exits[vm] ?? 0) + 1;
      break;
    }
    case 'hv.interrupt.injected':
      s.interrupts[r.target] = (s.interrupts[r.target] ?? 0) + 1;
      break;
    case 'cpu.context.switched':
      s.switches++;
      break;
    case 'vm.state.changed':
      s.vmStates[r.vm] = { state: r.to, code: r.code };
      break;
    case 'vmbus.ring.written':
    case 'vmbus.ring.read': {
      const ring = (s.rings[r.channel] ??= emptyRing())[r.ring];
      ring.writeIndex = r.writeIndex;
      ring.readIndex = r.readIndex;
      ring.packets += r.kind === 'vmbus.ring.written' ? 1 : -1;
      break;
    }
    case 'vmbus.mask.set':
    case 'vmbus.mask.cleared':
      (s.rings[r.channel] ??= emptyRing())[r.ring].masked = r.kind === 'vmbus.mask.set';
      break;
    case 'ide.register.emulated': {
      const vm = r.stream.split('/')[0]!;
      const ide = (s.ide[vm] ??= { registers: {}, lastCommand: '' });
      ide.registers[r.register] = r.value;
      break;
    }
    case 'vp.placed':
      s.lps[r.lp] ??= { holder: null, visitor: null, waiting: [] };
      break;
    case 'vp.dispatched':
    case 'vp.descheduled':
    case 'vp.halted':
    case 'vp.woken':
    case 'vp.waited':
      applyVpRecord(s, r);
      break;
    case 'ide.command.decoded': {
      const vm = r.stream.split('/')[0]!;
      (s.ide[vm] ??= { registers: {}, lastCommand: '' }).lastCommand = r.name;
      break;
    }
    default:
      break;
  }
}

/** Who runs on, and who waits for, the LP of a `vp.*` record. */
function applyVpRecord(s: ViewState, r: Extract<HvRecord, { vm: string; vp: number }>): void {
  const lp = (s.lps[r.lp] ??= { holder: null, visitor: null, waiting: [] });
  const key = `${r.vm}/${r.vp}`;
  const me = (x: { vm: string; vp: number } | null): boolean => x !== null && x.vm === r.vm && x.vp === r.vp;
  const stopWaiting = (): void => {
    const i = lp.waiting.indexOf(key);
    if (i >= 0) lp.waiting.splice(i, 1);
  };
  switch (r.kind) {
    case 'vp.dispatched':
      stopWaiting();
      lp.holder = { vm: r.vm, vp: r.vp };
      break;
    case 'vp.descheduled':
      if (me(lp.holder)) lp.holder = null;
      if (r.why === 'preempted' && !lp.waiting.includes(key)) lp.waiting.push(key);
      break;
    case 'vp.halted':
      if (me(lp.holder)) lp.holder = null;
      if (me(lp.visitor)) lp.visitor = null;
      stopWaiting();
      break;
    case 'vp.woken':
      // Its timer makes a CPU load's VP runnable (it waits for its turn); an interrupt wakes a VP to run at once (boost).
      if (r.via === 'timer' && !lp.waiting.includes(key)) lp.waiting.push(key);
      else if (r.via !== 'timer' && !me(lp.holder)) lp.visitor = { vm: r.vm, vp: r.vp };
      break;
    case 'vp.waited':
      if (me(lp.visitor)) lp.visitor = null;
      break;
    default:
      break;
  }
}
