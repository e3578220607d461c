/**
 * The root's virtual switch (vmswitch.sys, root kernel): one port per VM
 * NIC and an external port to the physical NIC. Every frame costs a
 * forwarding step (port lookup by destination MAC, policy, routing; the
 * lookup VMQ later avoids, reference §2.6 note in costs.ts). A frame for
 * the external port goes to the physical NIC; a frame for a VM's port goes
 * to that port's owner: netvsp, which copies it into the guest's receive
 * buffer itself, or the VM's worker process, whose pending read the switch
 * completes by copying the frame into the worker's buffer. Without VMQ
 * (WS2008) no frame reaches a VM without a copy (Microsoft: VMQ "prevents
 * network data copy by using DMA to transfer data directly to VM memory", V),
 * and without it every frame from the wire is taken on one processor, LP 0
 * (`RECEIVE_LP`, cost `nic_receive_one_lp`).
 */
import { SimEvent, startProcess, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { RecordOf, VmStateName } from '../trace-events.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import { EXTERNAL_PORT, copyNs, releaseFrame, type NicFrame } from './frame.js';
import type { PhysicalNic } from './physical-nic.js';

/**
 * The VM behind a switch port, as its life cycle has it (model/lifecycle/):
 * set by the world for a VM whose life the scenario manages (none: the VM
 * runs throughout).
 */
export interface PortVm {
  /** Hyper-V's state of the VM now. */
  readonly state: VmStateName;
  /** The guest's virtual processors run (a paused VM's do not, nor those of one saving or frozen by the cluster). */
  readonly guestRunning: boolean;
  /** An event fired at the VM's next change of state, of whether its guest runs, or of its memory. */
  nextChange(): SimEvent<void>;
  /** Counts the times the guest's memory was replaced (a revert to a snapshot): frames kept in it before are gone. */
  readonly memoryEpoch: number;
}

/**
 * States in which a VM has no port on the switch: its worker process and
 * partition are not there (Off, Saved), or not yet (Starting, Restoring:
 * the NIC connects as the VM comes up), and a host failure leaves it Off.
 * A frame for its port is dropped at the switch (`vswitch.frame.dropped`,
 * `port-disconnected`) and its sender sees no delivery: a VM that is not
 * running receives nothing (E: Hyper-V connects a VM's network adapter to
 * its switch port when the VM starts and disconnects it when it stops; the
 * guest's receive buffer and ring are in its memory, which is not there;
 * OpenVMM's netvsp likewise only delivers through a running worker and its
 * guest's posted buffers, microsoft/openvmm vm/devices/net/netvsp/src/lib.rs
 * at 1488a37, V). A paused VM keeps its partition and its port.
 */
const NO_PORT: ReadonlySet<VmStateName> = new Set<VmStateName>(['Off', 'Saved', 'Starting', 'Restoring']);

/** True while the VM behind a port (null: one the scenario does not manage) has its port on the switch. */
export function portConnected(vm: PortVm | null): boolean {
  return vm === null || !NO_PORT.has(vm.state);
}

/** True while the guest's memory, and the frames kept in its buffers, are there or saved to come back (not once it is Off, or starting afresh). */
function memoryKept(vm: PortVm): boolean {
  return portConnected(vm) || vm.state === 'Saved' || vm.state === 'Restoring';
}

/** Why a frame for a port was dropped (`vswitch.frame.dropped`). */
export type FrameDropReason = RecordOf<'vswitch.frame.dropped'>['reason'];

/**
 * Drops `frame` for `port` at `place` (the switch, or netvsp), its VM's
 * state saying why: its packet ends dropped; a frame from the wire frees
 * its descriptor.
 */
export function* dropAtPort(tracer: Tracer, s: Strand, place: Place, frame: NicFrame, port: Pick<SwitchPort, 'id' | 'vm'>, reason: FrameDropReason): ProcessBody<void> {
  yield tracer.emit(s, 'vswitch.frame.dropped', place, 0, 'root', { port: port.id, reason, state: port.vm?.state ?? 'Running' });
  frame.dropped = true;
  releaseFrame(frame);
}

/** One switch port and what it does with a frame forwarded to it. */
export interface SwitchPort {
  /** `vm/nic`. */
  readonly id: string;
  /** The VM behind the port, when its life cycle is managed (`VirtualSwitch.attachVm`), else null. */
  vm: PortVm | null;
  /** Frames the port's buffers keep for a guest that is not running (`VirtualSwitch.keep`). */
  readonly keepFrames: number;
  /** True if the switch copies the frame into the owner's buffer first (a user-mode reader: the worker process). */
  readonly buffered: boolean;
  /** Takes the frame; returns when the guest behind the port has taken it, or dropped it (setting `frame.dropped`). */
  deliver(s: Strand, frame: NicFrame): ProcessBody<void>;
}

/**
 * The LP that takes every frame from the wire without VMQ or RSS: CPU 0
 * (Microsoft's Exchange 2013 virtualization guide: "the majority of network
 * processing burdens CPU 0"; cost `nic_receive_one_lp`).
 */
export const RECEIVE_LP = 0;

export class VirtualSwitch {
  private readonly ports = new Map<string, SwitchPort>();
  /** Frames kept per port for a guest that is not running. */
  private readonly kept = new Map<string, number>();

  constructor(
    readonly place: Place,
    readonly uplink: PhysicalNic,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {}

  /** Connects a VM NIC's port. */
  connect(port: SwitchPort): void {
    if (port.id === EXTERNAL_PORT || this.ports.has(port.id)) throw new RangeError(`switch port '${port.id}' already exists`);
    this.ports.set(port.id, port);
  }

  /** Tells the switch the life cycle of the VM behind port `id` (the world, for a VM the scenario manages). */
  attachVm(id: string, vm: PortVm): void {
    const port = this.ports.get(id);
    if (port === undefined) throw new RangeError(`no switch port '${id}' (ports: ${this.portIds.join(', ') || 'none'})`);
    port.vm = vm;
  }

  /** Port ids connected, in connection order. */
  get portIds(): string[] {
    return [...this.ports.keys()];
  }

  /**
   * Forwards `frame` from port `from` to its destination and returns when
   * it is out on the wire or taken by the destination guest. An unknown
   * destination MAC leaves by the uplink, as a learning switch floods. A
   * frame the destination drops (a legacy card with no free receive
   * descriptor) marks `frame` dropped too, so its request ends as dropped,
   * as does a frame for a VM that is not running (`portConnected`).
   */
  *forward(s: Strand, frame: NicFrame, from: string): ProcessBody<void> {
    const port = this.ports.get(frame.to);
    const to = port === undefined ? EXTERNAL_PORT : port.id;
    if (to === from) throw new RangeError(`frame from '${from}' addressed to its own port`);
    yield this.tracer.emit(s, 'vswitch.frame.forwarded', this.place, this.costs.vswitch_forward, 'root', { from, to, bytes: frame.bytes });
    if (port === undefined) {
      yield* this.uplink.transmit(s, frame.bytes);
      return;
    }
    if (port.vm !== null && !portConnected(port.vm)) {
      yield* this.drop(s, frame, port, 'port-disconnected');
      return;
    }
    if (port.vm !== null && !port.vm.guestRunning && !frame.flowControlled) {
      yield* this.keep(s, frame, port);
      return;
    }
    yield* this.toPort(s, frame, port);
  }

  /** Hands `frame` to `port` (copied into its owner's buffer first if `buffered`); returns when the guest has taken it or dropped it. */
  private *toPort(s: Strand, frame: NicFrame, port: SwitchPort): ProcessBody<void> {
    if (port.buffered) {
      yield this.tracer.emit(s, 'vswitch.frame.copied', this.place, copyNs(frame.bytes, this.costs.memcpy_ns_per_kib), 'root', { port: port.id, bytes: frame.bytes });
      releaseFrame(frame);
    }
    // The destination gets its own copy: the sender's `done` fires when its own driver has the frame back.
    const copy: NicFrame = { ...frame, done: new SimEvent<number>(), dropped: false };
    if (!port.buffered) frame.copiedOut = undefined; // netvsp copies the copy out (and frees the descriptor)
    yield* port.deliver(s, copy);
    if (copy.dropped) frame.dropped = true;
    releaseFrame(copy);
  }

  /**
   * A frame for a port whose guest is not running (paused, saving, or
   * frozen for a migration's switchover): the port keeps it in its buffers
   * (the guest's receive buffer and ring, or the legacy card's receive
   * descriptors, are in the guest's memory, there while it is paused), up to
   * `keepFrames`; then it is dropped (`port-buffers-full`: OpenVMM's netvsp
   * drops a received packet when the guest's ring is full,
   * `rx_dropped_ring_full`, vm/devices/net/netvsp/src/lib.rs at 1488a37, V;
   * the 21140 counts a frame missed with no receive descriptor, QEMU
   * hw/net/tulip.c, V). A kept frame is in the port's buffers: the physical
   * NIC's receive descriptor is free again and the sender is done with it
   * (its send completes, as a write the switch has copied does), and
   * `frame.delivery` fires once the guest, running again, has taken it (after
   * a restore, if the VM is saved meanwhile: `untilGuestRuns`); if the VM is
   * turned off instead, or its host fails, it is dropped then
   * (`port-disconnected`). The guest's side of the delivery (the copy into
   * its buffer, the ring packet, its interrupt) is counted when it runs
   * again (E: the same work, later). TCP's frames (`flowControlled`, iSCSI)
   * are not kept: the request they answer is held at its completion gate
   * instead, as a storage completion is.
   */
  private *keep(s: Strand, frame: NicFrame, port: SwitchPort): ProcessBody<void> {
    const waiting = this.kept.get(port.id) ?? 0;
    if (waiting >= port.keepFrames) {
      yield* this.drop(s, frame, port, 'port-buffers-full');
      return;
    }
    this.kept.set(port.id, waiting + 1);
    yield this.tracer.emit(s, 'vswitch.frame.kept', this.place, 0, 'none', { port: port.id, state: port.vm!.state, frames: waiting + 1 });
    releaseFrame(frame);
    frame.delivery = new SimEvent<number>();
    startProcess(this.tracer.sim, this.untilGuestRuns(strand(s.stream, s.flow, s.cause), frame, port), `${port.id} kept frame`);
  }

  /**
   * A kept frame waits for its guest to run (then goes to the port) or its
   * memory to go (then is dropped); `frame.delivery` fires after. A save
   * keeps it: the guest's buffers are saved with its memory and restored
   * with it, so the guest takes the frame after its restore (a quick
   * migration's too); a turn-off, a host failure or a revert to a snapshot
   * (the guest's memory replaced) loses it.
   */
  private *untilGuestRuns(s: Strand, frame: NicFrame, port: SwitchPort): ProcessBody<void> {
    const vm = port.vm!;
    const since = this.tracer.sim.now;
    const epoch = vm.memoryEpoch;
    while (!vm.guestRunning && memoryKept(vm) && vm.memoryEpoch === epoch) yield vm.nextChange();
    this.kept.set(port.id, this.kept.get(port.id)! - 1);
    this.tracer.waited(s, 'vswitch.frame.released', this.place, this.tracer.sim.now - since, { port: port.id, state: vm.state });
    if (vm.memoryEpoch !== epoch) yield* this.drop(s, frame, port, 'memory-reverted');
    else if (portConnected(vm)) yield* this.toPort(s, frame, port);
    else yield* this.drop(s, frame, port, 'port-disconnected');
    frame.delivery!.trigger(s.cause);
  }

  /** Drops `frame` at `port` (`dropAtPort`, at the switch). */
  private *drop(s: Strand, frame: NicFrame, port: SwitchPort, reason: FrameDropReason): ProcessBody<void> {
    yield* dropAtPort(this.tracer, s, this.place, frame, port, reason);
  }

  /**
   * A frame arrives from the wire for VM port `frame.to`. It takes one of
   * the physical NIC's receive descriptors until it is copied out (`copiedOut`):
   * with none free, the NIC drops it (`frame.dropped`), or a `flowControlled`
   * frame (TCP's) waits for one.
   */
  *receiveFromWire(s: Strand, frame: NicFrame, flowControlled = false): ProcessBody<void> {
    if (!this.ports.has(frame.to)) throw new RangeError(`no switch port '${frame.to}' (ports: ${this.portIds.join(', ') || 'none'})`);
    // The interrupt, its DPC and what the DPC calls (forwarding, the copy to the VM) run on the LP that took it (`nic_receive_one_lp`).
    const before = s.rootLp;
    if (this.costs.nic_receive_one_lp === 1) s.rootLp = RECEIVE_LP;
    try {
      const release = yield* this.uplink.receive(s, frame.bytes, flowControlled);
      if (release === null) {
        frame.dropped = true;
        return;
      }
      frame.copiedOut = release;
      frame.flowControlled = flowControlled;
      yield* this.forward(s, frame, EXTERNAL_PORT);
      releaseFrame(frame); // a frame the destination dropped without a copy
    } finally {
      s.rootLp = before;
    }
  }
}
