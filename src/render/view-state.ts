/**
 * The view state: what the screen shows at one point of the trace, as a
 * pure fold of the records before the cursor (`applyRecord`). Small and
 * immer-friendly: only packets in flight, counters per place, the last
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
  completed: number;
  /** Each managed VM's state as Hyper-V reports it (its name and WMI code), from `vm.state.changed`; absent for a VM no action manages. */
  vmStates: Record<string, { state: string; code: number }>;
}

/** The state before any record. */
export function initialViewState(): ViewState {
  return { cursor: 0, timeNs: 0, packets: {}, placeCounts: {}, exits: {}, interrupts: {}, switches: 0, last: null, rings: {}, ide: {}, issued: 0, completed: 0, vmStates: {} };
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
 * Applies one record to `s` in place (call it inside immer's `produce`, or
 * on a plain object). Deterministic: the same records give the same state.
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
      s.completed++;
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
    case 'ide.command.decoded': {
      const vm = r.stream.split('/')[0]!;
      (s.ide[vm] ??= { registers: {}, lastCommand: '' }).lastCommand = r.name;
      break;
    }
    default:
      break;
  }
}
