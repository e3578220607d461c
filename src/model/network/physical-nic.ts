/**
 * The host's physical NIC and its NDIS miniport in the root. The hardware
 * is a FIFO queue per direction (full duplex) in front of a service model,
 * like hardware/disk.ts: a frame costs its DMA plus its wire time,
 * (bytes + 24 bytes of FCS, preamble and gap) · 8 / link rate (the cost
 * table's `nic_link_ns_per_kib`: 1 Gb/s in the 2008 profile, 10 Gb/s
 * modern), and the next frame's DMA overlaps this one's wire time
 * (`pipelined`). The miniport's per-frame CPU (post, completion, receive
 * indication, the device interrupt) is root-kernel time; received frames
 * share moderated interrupts (`moderatedInterrupt`). Both NIC front ends
 * end here, so a difference between them is a front-end difference.
 */
import { Resource, SimEvent, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Hypervisor } from '../hypervisor/hypervisor.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';
import { ETHERNET_WIRE_OVERHEAD_BYTES, copyNs } from './frame.js';

/** The physical NIC's places: the miniport (root kernel) and the device (hardware). */
export interface PhysicalNicPlaces {
  miniport: Place;
  device: Place;
}

/**
 * Receive descriptors in the NIC's ring: Linux e1000e's default
 * (`E1000_DEFAULT_RXD 256`, drivers/net/ethernet/intel/e1000e/e1000.h, V;
 * Intel's Windows driver also defaults to 256 receive buffers, R). A frame
 * holds one from its arrival until the root has copied it out (without
 * VMQ every frame is copied, vswitch.ts); a frame that finds none free is
 * dropped, as a real NIC counts in its missed-packets register. Frames
 * that arrive faster than the wire takes them wait in the same ring (the
 * upstream switch's port buffer folded in, E), so a backlog is bounded.
 */
export const RX_DESCRIPTORS = 256;

/**
 * The interrupt throttle intervals of adaptive moderation (cost
 * `nic_interrupt_moderation`), after Linux e1000's "dynamic conservative"
 * mode, its default: `low_latency` 20,000 interrupts a second and
 * `bulk_latency` 4,000 (drivers/net/ethernet/intel/e1000/e1000_main.c,
 * `e1000_set_itr`; V). Conservative mode never uses `lowest_latency`.
 */
export const ITR_LOW_LATENCY_NS = 50_000;
export const ITR_BULK_NS = 250_000;

/**
 * The next interval from the frames and bytes one interrupt handled
 * (e1000 `e1000_update_itr`; V): full frames, or few of them, move a low
 * latency NIC to bulk; a bulk NIC goes back when little comes in (under
 * 6,000 bytes), or many small frames do.
 */
export function nextItrNs(itrNs: number, packets: number, bytes: number): number {
  if (packets === 0) return itrNs;
  if (itrNs === ITR_LOW_LATENCY_NS) {
    // e1000 also tests bytes per packet > 8,000 first (for TSO); > 1,200 covers it.
    if (bytes > 10_000) return packets < 10 || bytes / packets > 1200 ? ITR_BULK_NS : ITR_LOW_LATENCY_NS;
    return bytes / packets > 2000 ? ITR_BULK_NS : ITR_LOW_LATENCY_NS;
  }
  if (bytes > 25_000) return packets > 35 ? ITR_LOW_LATENCY_NS : ITR_BULK_NS;
  return bytes < 6000 ? ITR_LOW_LATENCY_NS : ITR_BULK_NS;
}

/** A moderated interrupt held or in service (until its DPC polls the ring), and the frames it handles. */
interface HeldInterrupt {
  fired: SimEvent<number>;
  frames: number;
  bytes: number;
}

export class PhysicalNic {
  private readonly tx = new Resource(1, 'nic tx');
  private readonly rx = new Resource(1, 'nic rx');
  private txQueued = 0;
  private rxQueued = 0;
  /** Moderation: the NIC's current interval, the earliest the next interrupt may fire, and the interrupt held or in service (frames join it). */
  private itrNs = ITR_LOW_LATENCY_NS;
  private nextInterruptNs = 0;
  private held: HeldInterrupt | null = null;
  /** The miniport's receive DPC, the step the NIC's interrupt ends in (one function per NIC, not a generator per frame). */
  private readonly receiveDpc = (ds: Strand): number =>
    this.tracer.emit(ds, 'stack.layer.passed', this.places.miniport, this.costs.nic_miniport_receive, 'root', { layer: 'ndis-miniport', direction: 'up' });
  /**
   * The moderated interrupt's DPC: it takes the frames on the ring until its
   * first frame's indication is done (e1000's clean_rx loops while a
   * descriptor is written back), so a frame arriving after that waits for
   * the next interrupt.
   */
  private readonly pollingDpc = (ds: Strand): number => {
    const took = this.receiveDpc(ds);
    this.pollEndNs = this.tracer.sim.now + took;
    return took;
  };
  /** When the DPC of the interrupt in service stops taking frames (Infinity: it has not polled yet). */
  private pollEndNs = Infinity;

  constructor(
    readonly id: string,
    readonly places: PhysicalNicPlaces,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
    /** Takes the NIC's receive interrupt to the root (through the hypervisor). */
    private readonly hv: Hypervisor,
  ) {}

  /** Wire time and DMA time of a frame of `bytes`. */
  serviceParts(bytes: number): { wireBytes: number; wireNs: number; dmaNs: number } {
    const wireBytes = bytes + ETHERNET_WIRE_OVERHEAD_BYTES;
    return { wireBytes, wireNs: copyNs(wireBytes, this.costs.nic_link_ns_per_kib), dmaNs: this.costs.nic_dma };
  }

  /**
   * Spends a frame's `took` (its DMA and wire time), handing `queue` to the
   * next frame once the slower of the two is done: a NIC fetches the next
   * frame by DMA while this one is on the wire (and, receiving, puts the
   * next on its FIFO from the wire while it DMAs this one), so back-to-back
   * frames go at the line rate, not at wire + DMA each.
   */
  private *pipelined(queue: Resource, took: number, parts: { wireNs: number; dmaNs: number }): ProcessBody<void> {
    const stage = Math.min(took, Math.max(parts.wireNs, parts.dmaNs));
    yield stage;
    queue.release();
    if (took > stage) yield took - stage;
  }

  /** The miniport posts the frame, the NIC sends it, the miniport completes it. */
  *transmit(s: Strand, bytes: number): ProcessBody<void> {
    const { tracer, costs, places: p } = this;
    yield tracer.emit(s, 'stack.layer.passed', p.miniport, costs.nic_miniport_send, 'root', { layer: 'ndis-miniport', direction: 'down' });
    const arrived = tracer.sim.now;
    const queued = this.txQueued++;
    yield this.tx;
    tracer.waited(s, 'wire.queue.waited', p.device, tracer.sim.now - arrived, { nic: this.id, direction: 'tx', queued });
    const parts = this.serviceParts(bytes);
    const took = tracer.emit(s, 'wire.frame.sent', p.device, parts.dmaNs + parts.wireNs, 'device', { nic: this.id, bytes, ...parts });
    yield* this.pipelined(this.tx, took, parts);
    this.txQueued--;
    yield tracer.emit(s, 'stack.layer.passed', p.miniport, costs.nic_miniport_complete, 'root', { layer: 'ndis-miniport', direction: 'up' });
  }

  /**
   * A frame arrives from the wire: with a receive descriptor free, the NIC
   * receives and DMAs it, interrupts (through the hypervisor to the root's
   * VP), and the miniport's DPC indicates it up. Returns the function that
   * frees its descriptor once the frame is copied out of it, or null when
   * every descriptor is taken and the NIC dropped the frame
   * (`nic.frame.dropped`, reason `rx-ring-full`). A `flowControlled` frame
   * (TCP's: its sender keeps within the receiver's window) waits instead.
   */
  *receive(s: Strand, bytes: number, flowControlled = false): ProcessBody<(() => void) | null> {
    const { tracer, places: p } = this;
    const arrived = tracer.sim.now;
    if (flowControlled) {
      // TCP's window holds the sender back (not modelled segment by segment, iscsi.ts): the frame waits, counted with the wire's queue.
      yield this.descriptors;
    } else if (!this.descriptors.tryAcquire()) {
      yield tracer.emit(s, 'nic.frame.dropped', p.device, 0, 'device', { nic: this.id, reason: 'rx-ring-full' });
      return null;
    }
    const queued = this.rxQueued++;
    yield this.rx;
    tracer.waited(s, 'wire.queue.waited', p.device, tracer.sim.now - arrived, { nic: this.id, direction: 'rx', queued });
    const parts = this.serviceParts(bytes);
    const took = tracer.emit(s, 'wire.frame.arrived', p.device, parts.dmaNs + parts.wireNs, 'device', { nic: this.id, bytes, ...parts });
    yield* this.pipelined(this.rx, took, parts);
    this.rxQueued--;
    if (this.costs.nic_interrupt_moderation > 0) yield* this.moderatedInterrupt(s, bytes);
    else yield* this.hv.rootDeviceInterrupt(s, p.miniport, this.id, this.receiveDpc);
    return this.freeDescriptor;
  }

  /**
   * The received frame's interrupt under adaptive moderation: when the
   * interval since the last interrupt has passed, it fires at once (a
   * frame after a quiet spell waits for nothing); else the NIC holds it
   * until then, and every frame received meanwhile shares it. The first
   * such frame's strand takes the interrupt and ISR and its own DPC step;
   * the others wait for it (`nic.interrupt.held`), then the DPC indicates
   * each in turn on the same processor. The interval adapts per interrupt
   * (`nextItrNs`). A frame that arrives after the interrupt fired but
   * before its DPC has polled the ring is that interrupt's too: the DPC
   * takes every descriptor the NIC has written back by then (e1000's
   * `e1000_clean_rx_irq` loops while a descriptor's DD bit is set), so it
   * does not wait for the next interval (an audit found such a frame held
   * 50 µs for an interrupt it had already missed, 66 µs against 16).
   */
  private *moderatedInterrupt(s: Strand, bytes: number): ProcessBody<void> {
    const { tracer, places: p } = this;
    const arrived = tracer.sim.now;
    const pending = this.held;
    if (pending !== null && arrived <= this.pollEndNs) {
      pending.frames++;
      pending.bytes += bytes;
      s.cause = yield pending.fired;
      this.heldSince(s, arrived, pending.frames);
      yield this.receiveDpc(s);
      return;
    }
    const interrupt: HeldInterrupt = { fired: new SimEvent<number>(), frames: 1, bytes };
    // Held until the interval has passed, then in service until its DPC has polled the ring: frames arriving meanwhile join it.
    this.held = interrupt;
    this.pollEndNs = Infinity;
    if (arrived < this.nextInterruptNs) {
      yield this.nextInterruptNs - arrived;
      this.heldSince(s, arrived, interrupt.frames);
    }
    const firedAt = tracer.sim.now;
    const interval = this.itrNs;
    this.nextInterruptNs = firedAt + interval; // until the DPC has counted its frames
    yield* this.hv.rootDeviceInterrupt(s, p.miniport, this.id, this.pollingDpc);
    // The interval adapts to every frame the DPC took, those that joined in service too (e1000_update_itr
    // counts what clean_rx cleaned), and runs from the interrupt.
    this.itrNs = nextItrNs(interval, interrupt.frames, interrupt.bytes);
    if (this.held === interrupt) {
      this.held = null;
      this.nextInterruptNs = firedAt + this.itrNs;
    } // else a frame after the poll holds the next interrupt already, until the interval it found
    interrupt.fired.trigger(s.cause);
  }

  /** Records that `s`'s frame waited since `arrived` for the moderated interrupt that handled `frames` frames. */
  private heldSince(s: Strand, arrived: number, frames: number): void {
    this.tracer.waited(s, 'nic.interrupt.held', this.places.device, this.tracer.sim.now - arrived, { nic: this.id, itrNs: this.itrNs, frames });
  }

  /** The receive ring: a descriptor per frame waiting for the wire or received and not yet copied out; and the function that frees one. */
  private readonly descriptors = new Resource(RX_DESCRIPTORS, 'nic rx descriptors');
  private readonly freeDescriptor = (): void => this.descriptors.release();
}
