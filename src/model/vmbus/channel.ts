/**
 * A VMBus channel between a child's VSC and the root's VSP: an outbound
 * ring (guest -> host) and an inbound ring (host -> guest), each with its
 * reader's interrupt mask (reference §2.1–2.3). `send` is the writer side
 * (write, then signal only on empty -> non-empty with the reader unmasked);
 * `serve` is the reader side (on an interrupt: mask, drain every packet,
 * unmask, re-check). Batching at queue depth emerges from these two rules;
 * nothing here counts requests.
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
  private readonly toHost = new InterruptLine();
  private readonly toGuest = new InterruptLine();
  /** Writers blocked on a full ring, one queue per ring; the ring's reader wakes them. */
  private readonly outboundSpace = new SpaceWaiters();
  private readonly inboundSpace = new SpaceWaiters();

  constructor(
    readonly id: string,
    readonly vmId: string,
    /** Stream the channel's shared work (interrupts, masks) is attributed to. */
    readonly stream: string,
    readonly places: ChannelPlaces,
    ringBytes: number,
    private readonly signalVia: 'hypercall' | 'monitor',
    private readonly autoEoi: boolean,
    private readonly hv: Hypervisor,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
    openAtStart: boolean,
  ) {
    this.outbound = new RingBuffer(ringBytes);
    this.inbound = new RingBuffer(ringBytes);
    this.state = openAtStart ? 'open' : 'offered';
    if (openAtStart) this.opened.trigger(-1);
  }

  markOpen(cause: number): void {
    this.state = 'open';
    if (!this.opened.triggered) this.opened.trigger(cause);
  }

  /** Guest side: send a request packet to the host (once the channel is open). */
  *sendToHost(s: Strand, bytes: number, packet: ChannelPacket<Req>): ProcessBody<void> {
    if (this.state !== 'open') yield this.opened;
    yield* this.send(s, 'to-host', this.outbound, bytes, packet, this.outboundSpace);
  }

  /** Host side: send a completion packet to the guest. */
  *sendToGuest(s: Strand, bytes: number, packet: ChannelPacket<Cmp>): ProcessBody<void> {
    yield* this.send(s, 'to-guest', this.inbound, bytes, packet, this.inboundSpace);
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
    const { tracer, costs, places: p } = this;
    const fromGuest = direction === 'to-host';
    if (!ring.fits(bytes)) {
      throw new RangeError(`channel ${this.id}: a ${bytes}-byte packet can never fit the ${ring.dataBytes}-byte ${fromGuest ? 'outbound' : 'inbound'} ring`);
    }
    // Flow control (WS2012+, reference §2.3): a writer that finds too little space, or other
    // writers already waiting, joins the line; the one at its head posts the size it needs
    // (pendingSendSize) and the reader signals on the transition to enough space.
    if (space.waiting > 0 || !ring.canWrite(bytes)) {
      let front = false;
      for (;;) {
        const turn = new SimEvent<number>();
        if (space.join(bytes, turn, front)) ring.pendingSendSize = bytes;
        yield tracer.emit(s, 'vmbus.ring.blocked', p.ring, 0, 'none', {
          channel: this.id,
          ring: fromGuest ? 'outbound' : 'inbound',
          packetBytes: bytes,
          freeBytes: ring.freeBytes,
          pendingSendSize: ring.pendingSendSize,
        });
        s.cause = yield turn;
        if (ring.canWrite(bytes)) break;
        front = true; // another writer took the space first: back to the head of the line
      }
    }
    const wasEmpty = ring.isEmpty;
    const decision = ring.write(bytes, packet);
    // Hand on to the next writer in line: wake it if its packet fits now, or post its size.
    const next = space.headBytes;
    if (next === 0) ring.pendingSendSize = 0;
    else if (ring.canWrite(next)) space.wakeHead(s.cause);
    else ring.pendingSendSize = next;
    // The write and the signalling decision are recorded now, as the ring changes; then the write's time is spent.
    const spend = tracer.emit(s, 'vmbus.ring.written', p.ring, costs.vmbus_ring_write, fromGuest ? 'guest' : 'root', {
      channel: this.id,
      ring: fromGuest ? 'outbound' : 'inbound',
      packetBytes: bytes,
      packetType: packet.type,
      writeIndex: ring.writeIndex,
      readIndex: ring.readIndex,
      wasEmpty,
    });
    if (decision !== 'signal') {
      tracer.emit(s, 'vmbus.signal.suppressed', p.ring, 0, 'none', { channel: this.id, direction, reason: decision });
      yield spend;
      return;
    }
    yield spend;
    yield* this.signal(s, direction);
  }

  private *signal(s: Strand, direction: Direction): ProcessBody<void> {
    const fromGuest = direction === 'to-host';
    const line = fromGuest ? this.toHost : this.toGuest;
    if (fromGuest && this.signalVia === 'monitor') {
      // Set the monitor-page bit: no hypercall; the hypervisor notices on its next poll.
      this.tracer.emit(s, 'vmbus.signal.sent', this.places.ring, 0, 'none', { channel: this.id, direction, via: 'monitor' });
      const latency = this.costs.vmbus_monitor_latency;
      const cause = s.cause;
      this.tracer.sim.schedule(latency, () => line.raise(cause));
      return;
    }
    yield* this.hv.signalEvent(s, fromGuest ? this.places.vsc : this.places.vsp, fromGuest);
    yield this.tracer.emit(s, 'vmbus.signal.sent', this.places.ring, 0, 'none', { channel: this.id, direction, via: 'hypercall' });
    line.raise(s.cause);
  }

  /** The reader: wait for a signal, take the interrupt, mask, drain, unmask, re-check (§2.3). */
  private *serve<T>(
    direction: Direction,
    ring: RingBuffer<ChannelPacket<T>>,
    line: InterruptLine,
    writerSpace: SpaceWaiters,
    onPacket: (s: Strand, packet: ChannelPacket<T>) => ProcessBody<void>,
  ): ProcessBody<void> {
    const { tracer, costs, places: p } = this;
    const toHost = direction === 'to-host';
    const ringName = toHost ? 'outbound' : 'inbound';
    for (;;) {
      const cause: number = yield line;
      const s = strand(this.stream, -1, cause);
      if (toHost) {
        yield this.hv.deliverToRoot(s, p.rootVmbus, VMBUS_SINT);
      } else {
        yield this.hv.inject(s, this.vmId, VECTOR_VMBUS, 'synic');
        yield tracer.emit(s, 'guest.interrupt.handled', p.guestVmbus, 0, 'guest', { vector: VECTOR_VMBUS });
        yield* this.hv.eoi(s, p.guestVmbus, this.autoEoi);
      }
      const reader = toHost ? p.rootVmbus : p.guestVmbus;
      const charge = toHost ? 'root' : 'guest';
      ring.interruptMask = true;
      yield tracer.emit(s, 'vmbus.mask.set', reader, 0, charge, { channel: this.id, ring: ringName });
      for (;;) {
        for (let freeBefore = ring.freeBytes, packet = ring.read(); packet !== undefined; freeBefore = ring.freeBytes, packet = ring.read()) {
          const ps = strand(packet.item.stream, packet.item.flow, s.cause);
          yield tracer.emit(ps, 'vmbus.ring.read', p.ring, costs.vmbus_ring_read_per_packet, charge, {
            channel: this.id,
            ring: ringName,
            packetBytes: packet.bytes,
            readIndex: ring.readIndex,
            writeIndex: ring.writeIndex,
          });
          if (ring.writerNeedsSignal(freeBefore)) {
            // The blocked writer is on the other side: one HvSignalEvent wakes it.
            yield tracer.emit(ps, 'vmbus.space.signalled', p.ring, 0, 'none', {
              channel: this.id,
              ring: ringName,
              freeBytes: ring.freeBytes,
              pendingSendSize: ring.pendingSendSize,
            });
            yield* this.hv.signalEvent(ps, toHost ? p.vsp : p.vsc, !toHost);
            writerSpace.wakeHead(ps.cause);
          }
          yield* onPacket(ps, packet.item);
          s.cause = ps.cause;
        }
        ring.interruptMask = false;
        yield tracer.emit(s, 'vmbus.mask.cleared', reader, 0, charge, { channel: this.id, ring: ringName, pending: ring.packets });
        if (ring.isEmpty) break;
        ring.interruptMask = true; // a packet slipped in: drain again without a new interrupt
        yield tracer.emit(s, 'vmbus.mask.set', reader, 0, charge, { channel: this.id, ring: ringName });
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
