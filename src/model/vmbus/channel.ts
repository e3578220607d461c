/**
 * A VMBus channel between a child's VSC and the root's VSP: an outbound
 * ring (guest -> host) and an inbound ring (host -> guest), each with its
 * reader's interrupt mask (reference §2.1–2.3). `send` is the writer side
 * (write, then signal only on empty -> non-empty with the reader unmasked);
 * `serve` is the reader side (on an interrupt: mask, drain every packet,
 * unmask, re-check). Batching at queue depth emerges from these two rules;
 * nothing here counts requests.
 *
 * A VSP that runs its own worker loop (storvsp, as OpenVMM's does) uses the
 * host reader's primitives instead of `serveHost`: `hostInterrupts` to wait
 * for a signal, `takeHostInterrupt`, `setHostMask`, `readFromGuest`, and
 * `sendBatchToGuest`, which publishes several packets with one signalling
 * decision (OpenVMM's `WriteBatch`).
 */
import { startProcess, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Hypervisor } from '../hypervisor/hypervisor.js';
import { VECTOR_VMBUS } from '../hypervisor/hypervisor.js';
import { InterruptLine } from '../partition/interrupt-line.js';
import { SimEvent } from '../../engine/index.js';
import type { OpenableChannel } from './control-plane.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import { RingBuffer } from './ring-buffer.js';

/** What travels in a packet: the request's stream and flow, and a body for the receiver. */
export interface ChannelPacket<B> {
  stream: string;
  flow: number;
  type: string;
  body: B;
}

/** Which side reads a ring. */
type Direction = 'to-host' | 'to-guest';

/**
 * Who raised a reader's interrupt: the writer's strand when it signalled.
 * The interrupt, the reader's mask and its ISR and DPC are work that packet
 * caused, so they carry its stream: a channel several streams use (a
 * synthetic NIC carrying an in-guest iSCSI initiator's frames) books each
 * interrupt to the workload whose packet raised it, not to the channel's
 * own stream. The flow stays -1 (the envelope's "work shared by several
 * requests"): one interrupt drains every packet waiting, and the drain can
 * outlive the signalling request (its completion may be read in the same
 * pass), so no one request owns it; `cause` still points at the signal.
 */
export interface ChannelSignal {
  cause: number;
  stream: string;
}

/** The places a channel's traffic passes. */
export interface ChannelPlaces {
  /** The guest's VMBus driver (vmbus.sys), guest kernel. */
  guestVmbus: Place;
  /** The channel's rings (shared memory), VMBus band. */
  ring: Place;
  /** The root's VMBus driver, root kernel. */
  rootVmbus: Place;
  /** The VSC and VSP endpoints (signal callers). */
  vsc: Place;
  vsp: Place;
}

/** What a channel is: its names, its places, its rings' size and how it signals. */
export interface ChannelSpec {
  id: string;
  vmId: string;
  /** Stream the channel's shared work (interrupts, masks) is attributed to. */
  stream: string;
  places: ChannelPlaces;
  /** Each ring's data bytes. */
  ringBytes: number;
  /** How the guest signals the host: an HvSignalEvent hypercall, or the monitor page (no exit; the hypervisor notices on its next poll). */
  signalVia: 'hypercall' | 'monitor';
  /** Whether the guest's SINT ends its interrupt without an EOI write (auto-EOI). */
  autoEoi: boolean;
  /** Open from the start (a VM booted with integration services), else offered until the VSC opens it. */
  openAtStart: boolean;
}

/** What a channel works through: the hypervisor's signals and interrupts, the costs, and the tracer. */
export interface ChannelDeps {
  hv: Hypervisor;
  costs: CostTable;
  tracer: Tracer;
}

/** The monitor pages' scan grid, kept here for the channel's readers (`Hypervisor.monitorDelay` is the one the model uses). */
export { monitorDelay } from '../hypervisor/hypervisor.js';

/** The SINT VMBus uses (illustrative; Linux uses VMBUS_MESSAGE_SINT 2). */
const VMBUS_SINT = 2;

export class Channel<Req, Cmp> implements OpenableChannel {
  /** Lifecycle (control-plane.ts): a VM booted with integration services finds its channels open. */
  state: 'offered' | 'opening' | 'open';
  /** Triggered when the channel opens. */
  readonly opened = new SimEvent<number>();
  readonly outbound: RingBuffer<ChannelPacket<Req>>;
  readonly inbound: RingBuffer<ChannelPacket<Cmp>>;
  /** The reader's interrupt, one per ring: the host reads `outbound`, the guest `inbound`. */
  private readonly toHost = new InterruptLine<ChannelSignal>();
  private readonly toGuest = new InterruptLine<ChannelSignal>();
  /** Writers blocked on a full ring, one queue per ring; the ring's reader wakes them. */
  private readonly outboundSpace = new SpaceWaiters();
  private readonly inboundSpace = new SpaceWaiters();

  readonly id: string;
  readonly vmId: string;
  /** Stream the channel's shared work (interrupts, masks) is attributed to. */
  readonly stream: string;
  readonly places: ChannelPlaces;
  private readonly signalVia: 'hypercall' | 'monitor';
  private readonly autoEoi: boolean;
  private readonly hv: Hypervisor;
  private readonly costs: CostTable;
  private readonly tracer: Tracer;

  constructor(spec: ChannelSpec, deps: ChannelDeps) {
    this.id = spec.id;
    this.vmId = spec.vmId;
    this.stream = spec.stream;
    this.places = spec.places;
    this.signalVia = spec.signalVia;
    this.autoEoi = spec.autoEoi;
    this.hv = deps.hv;
    this.costs = deps.costs;
    this.tracer = deps.tracer;
    this.outbound = new RingBuffer(spec.ringBytes);
    this.inbound = new RingBuffer(spec.ringBytes);
    this.state = spec.openAtStart ? 'open' : 'offered';
    if (spec.openAtStart) this.opened.trigger(-1);
  }

  markOpen(cause: number): void {
    this.state = 'open';
    if (!this.opened.triggered) this.opened.trigger(cause);
  }

  /*
   * sendToHost, sendToGuest and readFromGuest hand back the generator that
   * does the work (a caller runs it with `yield*` at once), rather than
   * being generators around it: one generator per packet, not two.
   */

  /** Guest side: send a request packet to the host (once the channel is open). */
  sendToHost(s: Strand, bytes: number, packet: ChannelPacket<Req>): ProcessBody<void> {
    if (this.state === 'open') return this.send(s, 'to-host', this.outbound, bytes, packet, this.outboundSpace);
    return this.sendWhenOpen(s, bytes, packet);
  }

  private *sendWhenOpen(s: Strand, bytes: number, packet: ChannelPacket<Req>): ProcessBody<void> {
    yield this.opened;
    yield* this.send(s, 'to-host', this.outbound, bytes, packet, this.outboundSpace);
  }

  /** Host side: send a completion packet to the guest. */
  sendToGuest(s: Strand, bytes: number, packet: ChannelPacket<Cmp>): ProcessBody<void> {
    return this.send(s, 'to-guest', this.inbound, bytes, packet, this.inboundSpace);
  }

  /** Starts the host's reader loop (the VSP's channel callback). */
  serveHost(onPacket: (s: Strand, packet: ChannelPacket<Req>) => ProcessBody<void>): void {
    startProcess(this.tracer.sim, this.serve('to-host', this.outbound, this.toHost, this.outboundSpace, onPacket), `${this.id} host reader`);
  }

  /** Starts the guest's reader loop (the VSC's channel callback). */
  serveGuest(onPacket: (s: Strand, packet: ChannelPacket<Cmp>) => ProcessBody<void>): void {
    startProcess(this.tracer.sim, this.serve('to-guest', this.inbound, this.toGuest, this.inboundSpace, onPacket), `${this.id} guest reader`);
  }

  private *send<T>(s: Strand, direction: Direction, ring: RingBuffer<ChannelPacket<T>>, bytes: number, packet: ChannelPacket<T>, space: SpaceWaiters): ProcessBody<void> {
    // Room and no one in line (the common case): no generator for the wait.
    if (space.waiting !== 0 || !ring.canWrite(bytes)) yield* this.awaitSpace(s, direction, ring, bytes, space);
    const wasEmpty = ring.isEmpty;
    const decision = ring.write(bytes, packet);
    this.handOn(ring, space, s.cause);
    // The write and the signalling decision are recorded now, as the ring changes; then the write's time is spent.
    const spend = this.recordWrite(s, direction, ring, bytes, packet.type, wasEmpty);
    if (decision !== 'signal') {
      this.tracer.emit(s, 'vmbus.signal.suppressed', this.places.ring, 0, 'none', { channel: this.id, direction, reason: decision });
      yield spend;
      return;
    }
    yield spend;
    yield* this.signal(s, direction);
  }

  /**
   * Flow control (WS2012+, reference §2.3): a writer that finds too little
   * space, or other writers already waiting, joins the line; the one at its
   * head posts the size it needs (pendingSendSize) and the reader signals on
   * the transition to enough space. Returns when `bytes` fit.
   */
  private *awaitSpace<T>(s: Strand, direction: Direction, ring: RingBuffer<ChannelPacket<T>>, bytes: number, space: SpaceWaiters): ProcessBody<void> {
    const fromGuest = direction === 'to-host';
    if (!ring.fits(bytes)) {
      throw new RangeError(`channel ${this.id}: a ${bytes}-byte packet can never fit the ${ring.dataBytes}-byte ${fromGuest ? 'outbound' : 'inbound'} ring`);
    }
    if (space.waiting === 0 && ring.canWrite(bytes)) return;
    let front = false;
    for (;;) {
      const turn = new SimEvent<number>();
      if (space.join(bytes, turn, front)) ring.pendingSendSize = bytes;
      yield this.tracer.emit(s, 'vmbus.ring.blocked', this.places.ring, 0, 'none', {
        channel: this.id,
        ring: fromGuest ? 'outbound' : 'inbound',
        packetBytes: bytes,
        freeBytes: ring.freeBytes,
        pendingSendSize: ring.pendingSendSize,
      });
      s.cause = yield turn;
      if (ring.canWrite(bytes)) return;
      front = true; // another writer took the space first: back to the head of the line
    }
  }

  /** After a write, hands on to the next writer in line: wakes it if its packet fits now, or posts its size. */
  private handOn<T>(ring: RingBuffer<ChannelPacket<T>>, space: SpaceWaiters, cause: number): void {
    const next = space.headBytes;
    if (next === 0) ring.pendingSendSize = 0;
    else if (ring.canWrite(next)) space.wakeHead(cause);
    else ring.pendingSendSize = next;
  }

  /** The record of one packet written (as the ring changes); returns the time the write takes. */
  private recordWrite<T>(s: Strand, direction: Direction, ring: RingBuffer<ChannelPacket<T>>, bytes: number, packetType: string, wasEmpty: boolean): number {
    const fromGuest = direction === 'to-host';
    return this.tracer.emit(s, 'vmbus.ring.written', this.places.ring, this.costs.vmbus_ring_write, fromGuest ? 'guest' : 'root', {
      channel: this.id,
      ring: fromGuest ? 'outbound' : 'inbound',
      packetBytes: bytes,
      packetType,
      writeIndex: ring.writeIndex,
      readIndex: ring.readIndex,
      wasEmpty,
    });
  }

  private *signal(s: Strand, direction: Direction): ProcessBody<void> {
    const fromGuest = direction === 'to-host';
    const line = fromGuest ? this.toHost : this.toGuest;
    if (fromGuest && this.signalVia === 'monitor') {
      // Set the monitor-page bit: no hypercall; the hypervisor notices on its next scan of the page.
      this.tracer.emit(s, 'vmbus.signal.sent', this.places.ring, 0, 'none', { channel: this.id, direction, via: 'monitor' });
      const signal = this.signalOf(s);
      this.tracer.sim.schedule(this.hv.monitorDelay(this.tracer.sim.now), () => line.raise(signal));
      return;
    }
    yield* this.hv.signalEvent(s, fromGuest ? this.places.vsc : this.places.vsp, fromGuest);
    yield this.tracer.emit(s, 'vmbus.signal.sent', this.places.ring, 0, 'none', { channel: this.id, direction, via: 'hypercall' });
    line.raise(this.signalOf(s));
  }

  /** The signaller's identity; work of no stream keeps the channel's own. */
  private signalOf(s: Strand): ChannelSignal {
    return { cause: s.cause, stream: s.stream === '' ? this.stream : s.stream };
  }

  /** The strand the reader takes an interrupt on: the signalling packet's stream (see `ChannelSignal`). */
  static interruptStrand(signal: ChannelSignal): Strand {
    return strand(signal.stream, -1, signal.cause);
  }

  /** The host's interrupt line: raised when the guest signals the outbound ring. */
  get hostInterrupts(): InterruptLine<ChannelSignal> {
    return this.toHost;
  }

  /** The root takes the guest's signal: a SynIC interrupt into its VMBus driver. */
  takeHostInterrupt(s: Strand): number {
    return this.hv.deliverToRoot(s, this.places.rootVmbus, VMBUS_SINT);
  }

  /** The host reader sets or clears its interrupt mask on the outbound ring (recorded at the root's VMBus driver). */
  setHostMask(s: Strand, masked: boolean): number {
    return this.setMask(s, 'to-host', masked);
  }

  /** The host reader takes the next packet from the outbound ring, or undefined when it is empty. */
  readFromGuest(s: Strand): ProcessBody<ChannelPacket<Req> | undefined> {
    return this.readOne(s, 'to-host', this.outbound, this.outboundSpace);
  }

  /**
   * The host writes several packets as one batch (OpenVMM `WriteBatch`):
   * each packet's bytes go into the ring as it comes, the write index is
   * published once, and one signalling decision covers the batch (signal if
   * the ring was empty before it and the guest's reader is unmasked). A
   * packet that does not fit closes the batch; the writer waits for space
   * as any writer does and opens a new one.
   */
  *sendBatchToGuest(items: readonly { s: Strand; bytes: number; packet: ChannelPacket<Cmp> }[]): ProcessBody<void> {
    let first = 0;
    while (first < items.length) {
      const head = items[first]!;
      yield* this.awaitSpace(head.s, 'to-guest', this.inbound, head.bytes, this.inboundSpace);
      const wasEmpty = this.inbound.isEmpty;
      let end = first;
      // The writes are asked for at one instant and take the writer's LP one after another: each
      // returns its wait (behind the ones before it) plus its cost, so the batch ends with the
      // latest of them. (Their sum counted every earlier write again in each wait: 56 completions
      // written together held the worker ~290 µs instead of ~8, with its LP idle.)
      let spend = 0;
      while (end < items.length && (end === first || (this.inboundSpace.waiting === 0 && this.inbound.canWrite(items[end]!.bytes)))) {
        const item = items[end]!;
        this.inbound.write(item.bytes, item.packet);
        spend = Math.max(spend, this.recordWrite(item.s, 'to-guest', this.inbound, item.bytes, item.packet.type, end === first && wasEmpty));
        end++;
      }
      this.handOn(this.inbound, this.inboundSpace, head.s.cause);
      // One decision for the batch, as the write index is published; it belongs to the packet that made the ring non-empty.
      const decision = this.inbound.interruptMask ? 'reader-masked' : wasEmpty ? 'signal' : 'ring-not-empty';
      if (decision !== 'signal') this.tracer.emit(head.s, 'vmbus.signal.suppressed', this.places.ring, 0, 'none', { channel: this.id, direction: 'to-guest', reason: decision });
      yield spend;
      if (decision === 'signal') {
        // The signal is the batch's, not one request's (flow -1): the guest may already have drained and
        // completed the packets by the time the writer's CPU gets to signal.
        const bs = strand(head.s.stream, -1, items[end - 1]!.s.cause);
        yield* this.signal(bs, 'to-guest');
      }
      first = end;
    }
  }

  private setMask(s: Strand, direction: Direction, masked: boolean): number {
    const toHost = direction === 'to-host';
    const ring = toHost ? this.outbound : this.inbound;
    const reader = toHost ? this.places.rootVmbus : this.places.guestVmbus;
    const charge = toHost ? 'root' : 'guest';
    const ringName = toHost ? 'outbound' : 'inbound';
    ring.interruptMask = masked;
    return masked
      ? this.tracer.emit(s, 'vmbus.mask.set', reader, 0, charge, { channel: this.id, ring: ringName })
      : this.tracer.emit(s, 'vmbus.mask.cleared', reader, 0, charge, { channel: this.id, ring: ringName, pending: ring.packets });
  }

  /** Reads one packet (its record on the packet's own strand), and signals a blocked writer on the transition to enough space. */
  private *readOne<T>(s: Strand, direction: Direction, ring: RingBuffer<ChannelPacket<T>>, writerSpace: SpaceWaiters): ProcessBody<ChannelPacket<T> | undefined> {
    const { tracer, costs, places: p } = this;
    const toHost = direction === 'to-host';
    const freeBefore = ring.freeBytes;
    const packet = ring.read();
    if (packet === undefined) return undefined;
    const ringName = toHost ? 'outbound' : 'inbound';
    const ps = strand(packet.item.stream, packet.item.flow, s.cause);
    yield tracer.emit(ps, 'vmbus.ring.read', p.ring, costs.vmbus_ring_read_per_packet, toHost ? 'root' : 'guest', {
      channel: this.id,
      ring: ringName,
      packetBytes: packet.bytes,
      readIndex: ring.readIndex,
      writeIndex: ring.writeIndex,
    });
    if (ring.writerNeedsSignal(freeBefore)) {
      // The blocked writer is on the other side: one HvSignalEvent, which reaches it as the channel's
      // interrupt (reference §2.3 step 3, §9.3 step 5: an injected SynIC interrupt and the ISR into a
      // guest, a SynIC interrupt into the root), counted with the ring's other signals.
      yield tracer.emit(ps, 'vmbus.space.signalled', p.ring, 0, 'none', {
        channel: this.id,
        ring: ringName,
        freeBytes: ring.freeBytes,
        pendingSendSize: ring.pendingSendSize,
      });
      yield* this.hv.signalEvent(ps, toHost ? p.vsp : p.vsc, !toHost);
      const towardWriter: Direction = toHost ? 'to-guest' : 'to-host';
      yield tracer.emit(ps, 'vmbus.signal.sent', p.ring, 0, 'none', { channel: this.id, direction: towardWriter, via: 'hypercall' });
      (toHost ? this.toGuest : this.toHost).raise(this.signalOf(ps));
      writerSpace.wakeHead(ps.cause);
    }
    s.cause = ps.cause;
    return packet.item;
  }

  /** The reader: wait for a signal, take the interrupt, mask, drain, unmask, re-check (§2.3). */
  private *serve<T>(
    direction: Direction,
    ring: RingBuffer<ChannelPacket<T>>,
    line: InterruptLine<ChannelSignal>,
    writerSpace: SpaceWaiters,
    onPacket: (s: Strand, packet: ChannelPacket<T>) => ProcessBody<void>,
  ): ProcessBody<void> {
    // No setup before the loop, for V8: a generator's prologue runs once per generator, before V8 has allocated
    // the function's feedback, so the optimized reader would meet it without feedback when the next run on the
    // thread starts a new reader, and deoptimize there (then be optimized again).
    for (;;) {
      const signal: ChannelSignal = yield line;
      const s = Channel.interruptStrand(signal);
      if (direction === 'to-host') {
        yield this.takeHostInterrupt(s);
        yield this.setMask(s, direction, true);
      } else {
        // The guest's VMBus ISR, as Linux's vmbus_isr -> vmbus_chan_sched (drivers/hv/vmbus_drv.c) does it in
        // BATCHED mode: find the channel's bit in the SynIC event flags, mask the inbound ring (hv_begin_read),
        // queue the channel's tasklet; the EOI ends the ISR (written only when the host deprecates auto-EOI).
        // The tasklet (channel_mgmt.c alloc_channel ties each channel's callback_event to connection.c
        // vmbus_on_event; newer kernels make it a BH work item; a DPC in Windows' vmbus.sys) then runs the channel callback.
        yield this.hv.inject(s, this.vmId, VECTOR_VMBUS, 'synic');
        const p = this.places;
        yield this.tracer.emit(s, 'guest.interrupt.handled', p.guestVmbus, this.costs.vmbus_guest_isr, 'guest', { vector: VECTOR_VMBUS });
        yield this.setMask(s, direction, true);
        yield* this.hv.eoi(s, p.guestVmbus, 'edge', this.autoEoi);
        yield this.tracer.emit(s, 'cpu.dpc.ran', p.guestVmbus, this.costs.dpc_dispatch, 'guest', { partition: this.vmId, routine: 'VMBus channel callback' });
      }
      for (;;) {
        // Read while the ring holds a packet (an empty ring's read records nothing: no generator for it).
        while (!ring.isEmpty) {
          const packet = (yield* this.readOne(s, direction, ring, writerSpace))!;
          const ps = strand(packet.stream, packet.flow, s.cause);
          yield* onPacket(ps, packet);
          s.cause = ps.cause;
        }
        yield this.setMask(s, direction, false);
        if (ring.isEmpty) break;
        yield this.setMask(s, direction, true); // a packet slipped in: drain again without a new interrupt
      }
    }
  }
}

/**
 * The line of writers waiting for space in one ring, first come first
 * served. The head is woken by the reader's space signal or by the writer
 * before it; a woken writer that still finds too little space goes back
 * to the head. Waking one writer at a time keeps a crowd of blocked
 * writers from all retrying on every signal.
 */
class SpaceWaiters {
  private readonly line: { bytes: number; turn: SimEvent<number> }[] = [];
  private head = 0;

  get waiting(): number {
    return this.line.length - this.head;
  }

  /** Bytes the head of the line needs, or 0 when no one waits. */
  get headBytes(): number {
    return this.head < this.line.length ? this.line[this.head]!.bytes : 0;
  }

  /** Joins the line (at its head with `front`); returns whether the writer is now at the head. */
  join(bytes: number, turn: SimEvent<number>, front: boolean): boolean {
    if (front) {
      if (this.head > 0) this.line[--this.head] = { bytes, turn };
      else this.line.unshift({ bytes, turn });
      return true;
    }
    this.line.push({ bytes, turn });
    return this.waiting === 1;
  }

  /** Wakes the head of the line, if any. */
  wakeHead(cause: number): void {
    if (this.head === this.line.length) return;
    const { turn } = this.line[this.head]!;
    this.head++;
    if (this.head === this.line.length) this.line.length = this.head = 0;
    turn.trigger(cause);
  }
}
