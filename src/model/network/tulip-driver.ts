/**
 * The guest's driver for the legacy NIC (Linux tulip; a Windows guest's
 * dc21x4 does the same protocol, E). Register sequences are Linux's (V):
 * `tulip_start_xmit` fills the next tx descriptor in guest memory (no
 * trap), sets DescOwned and writes CSR1 once (one port write, so one full
 * user-mode intercept per frame: the driver only executes the `outl`, and
 * the hypervisor routes it through its intercept table to the 21140 the
 * worker process registered, tulip-worker.ts); interrupt on completion (TDES1 IC) only
 * at half ring and at the ring's last entry. `tulip_interrupt` (non-NAPI)
 * reads CSR5, and while NIS/AIS is set: acks with `csr5 & 0x0001ffff`,
 * takes received frames and reclaims sent descriptors from memory, clears
 * error sources (0x0800f7ba) on AIS, re-reads CSR5; then refills the rx
 * ring and reads CSR8 (missed frames). On the common path that is 4 CSR
 * accesses per interrupt plus the EOI, which traps: the NIC's interrupt
 * comes through the virtual IOAPIC, which has no auto-EOI. Driver code runs
 * under `tp->lock` with interrupts off, on the VM's one vCPU: the handler
 * waits while a transmit is inside its CSR1 intercept.
 */
import { Resource, startProcess, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Hypervisor } from '../hypervisor/hypervisor.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import type { NicFrame } from './frame.js';
import type { IoApicPin } from './ioapic-pin.js';
import type { DescriptorRings } from './tulip-emulator.js';
import {
  CSR1,
  CSR5,
  CSR5_ACK_MASK,
  CSR5_AIS,
  CSR5_CLEAR_ERRORS,
  CSR5_GTE,
  CSR5_NIS,
  CSR5_RI,
  CSR5_RU,
  CSR5_TI,
  CSR5_TPS,
  CSR5_TU,
  CSR8,
  DESC_OWN,
  DESC_RING_WRAP,
  PKT_BUF_SZ,
  TDES1_FLAGS_INTR,
  TDES1_FLAGS_NO_INTR,
  TDES1_IC,
  TULIP_IO_BASE,
  csrName,
  csrPort,
} from './tulip-protocol.js';

/** `tulip_max_interrupt_work` (module parameter max_interrupt_work, default 25). */
const MAX_INTERRUPT_WORK = 25;

export class TulipDriver {
  /** `tp->lock` taken with interrupts off: xmit and the handler never interleave on the vCPU. */
  private readonly lock = new Resource(1, 'tulip lock');
  /** Free tx descriptors: the queue stops with TX_RING_SIZE - 1 in flight. */
  private readonly slots: Resource;
  private curTx = 0;
  private dirtyTx = 0;
  private curRx = 0;

  constructor(
    /** NIC id, `vm/nic`. */
    readonly id: string,
    /** The partition whose vCPU runs the driver: its port accesses exit there. */
    readonly vmId: string,
    readonly place: Place,
    /** Stream the handler's shared work is attributed to. */
    readonly stream: string,
    private readonly rings: DescriptorRings,
    /** The card's I/O BAR, as the PCI BIOS assigned it. */
    private readonly ioBase: number,
    private readonly pin: IoApicPin,
    private readonly hv: Hypervisor,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {
    this.slots = new Resource(rings.tx.length - 1, `${id} tx slots`);
    // tulip_init_ring: every rx descriptor owned by the chip with a PKT_BUF_SZ buffer.
    for (const d of rings.rx) {
      d.status = DESC_OWN;
      d.control = PKT_BUF_SZ;
      d.frame = null;
    }
    rings.rx[rings.rx.length - 1]!.control |= DESC_RING_WRAP;
    startProcess(tracer.sim, this.interruptHandler(), `${id} interrupt handler`);
  }

  /** `tulip_start_xmit`, then waits until the handler has reclaimed the frame's descriptor. */
  *transmit(s: Strand, frame: NicFrame): ProcessBody<void> {
    yield this.slots;
    yield this.lock;
    const size = this.rings.tx.length;
    const entry = this.curTx % size;
    const inFlight = this.curTx - this.dirtyTx;
    let flags = inFlight === size / 2 || inFlight >= size - 2 ? TDES1_FLAGS_INTR : TDES1_FLAGS_NO_INTR;
    if (entry === size - 1) flags = TDES1_FLAGS_INTR | DESC_RING_WRAP;
    const d = this.rings.tx[entry]!;
    d.frame = frame;
    d.control = (frame.bytes | flags) >>> 0;
    d.status = DESC_OWN;
    yield this.tracer.emit(s, 'nic.descriptor.written', this.place, this.costs.tulip_descriptor_update, 'guest', {
      nic: this.id,
      ring: 'tx',
      index: entry,
      own: true,
      bytes: frame.bytes,
      interruptOnCompletion: (flags & TDES1_IC) !== 0,
    });
    this.curTx++;
    // "Trigger an immediate transmit demand."
    yield* this.io(s, CSR1, 'write', 0);
    this.lock.release();
    s.cause = yield frame.done;
  }

  /** One CSR access (`inl`/`outl`); the hypervisor takes the exit and routes it. */
  private *io(s: Strand, csr: number, access: 'read' | 'write', value = 0): ProcessBody<number> {
    const port = this.ioBase + csrPort(csr) - TULIP_IO_BASE;
    const register = csrName(csrPort(csr));
    yield this.tracer.emit(s, 'nic.csr.accessed', this.place, 0, 'guest', access === 'write' ? { nic: this.id, port, register, access, value: value >>> 0 } : { nic: this.id, port, register, access });
    return yield* this.hv.portIo(s, this.vmId, { address: port, access, value, size: 4, count: 1 });
  }

  /** `tulip_interrupt`, once per injected interrupt, then the trapped EOI. */
  private *interruptHandler(): ProcessBody<void> {
    for (;;) {
      const cause: number = yield this.pin.line;
      yield this.lock;
      const s = strand(this.stream, -1, cause);
      yield this.tracer.emit(s, 'guest.interrupt.handled', this.place, 0, 'guest', { vector: this.pin.vector });
      let csr5 = yield* this.io(s, CSR5, 'read');
      if ((csr5 & (CSR5_NIS | CSR5_AIS)) !== 0) {
        for (let work = MAX_INTERRUPT_WORK; ; ) {
          yield* this.io(s, CSR5, 'write', csr5 & CSR5_ACK_MASK);
          if ((csr5 & (CSR5_RI | CSR5_RU)) !== 0) yield* this.receiveFrames(s);
          if ((csr5 & (CSR5_TU | CSR5_TPS | CSR5_TI | CSR5_GTE)) !== 0) yield* this.reclaimTx(s);
          if ((csr5 & CSR5_AIS) !== 0) yield* this.io(s, CSR5, 'write', CSR5_CLEAR_ERRORS);
          if (--work === 0) break;
          csr5 = yield* this.io(s, CSR5, 'read');
          if ((csr5 & (CSR5_NIS | CSR5_AIS)) === 0) break;
        }
        yield* this.io(s, CSR8, 'read');
      }
      yield* this.hv.eoi(s, this.place, 'level'); // PCI INTA#: level-triggered
      yield* this.pin.eoi(s);
      this.lock.release();
    }
  }

  /** `tulip_rx` + `tulip_refill_rx`: take each frame the chip filled, then give the descriptors back. */
  private *receiveFrames(s: Strand): ProcessBody<void> {
    const { rings, tracer, costs } = this;
    const size = rings.rx.length;
    const taken: number[] = [];
    for (let n = 0; n < size; n++) {
      const entry = this.curRx % size;
      const d = rings.rx[entry]!;
      if ((d.status & DESC_OWN) !== 0 || d.frame === null) break;
      const frame = d.frame;
      const fs = strand(frame.stream, frame.flow, s.cause);
      // rx_copybreak is 100 on x86: a full frame goes up in the ring's own skb, with no copy.
      yield tracer.emit(fs, 'nic.descriptor.reclaimed', this.place, costs.tulip_descriptor_update, 'guest', { nic: this.id, ring: 'rx', index: entry, bytes: frame.bytes });
      s.cause = fs.cause;
      d.frame = null;
      taken.push(entry);
      this.curRx++;
      frame.done.trigger(fs.cause);
    }
    for (const entry of taken) {
      rings.rx[entry]!.status = DESC_OWN;
      yield tracer.emit(s, 'nic.descriptor.written', this.place, costs.tulip_descriptor_update, 'guest', { nic: this.id, ring: 'rx', index: entry, own: true, bytes: PKT_BUF_SZ });
    }
  }

  /** The handler's tx clean-up: free every descriptor the chip handed back, oldest first. */
  private *reclaimTx(s: Strand): ProcessBody<void> {
    const size = this.rings.tx.length;
    while (this.curTx - this.dirtyTx > 0) {
      const entry = this.dirtyTx % size;
      const d = this.rings.tx[entry]!;
      if ((d.status & DESC_OWN) !== 0 || d.frame === null) break; // not sent yet
      const frame = d.frame;
      const fs = strand(frame.stream, frame.flow, s.cause);
      yield this.tracer.emit(fs, 'nic.descriptor.reclaimed', this.place, this.costs.tulip_descriptor_update, 'guest', { nic: this.id, ring: 'tx', index: entry, bytes: frame.bytes });
      s.cause = fs.cause;
      d.frame = null;
      this.dirtyTx++;
      this.slots.release();
      frame.done.trigger(fs.cause);
    }
  }
}
