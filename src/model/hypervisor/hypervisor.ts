/**
 * The hypervisor's part in each path: VM exits and entries (intercepts),
 * intercept messages to the root, hypercalls (HvSignalEvent 0x5D,
 * HvPostMessage 0x5C; reference §1.2, §2.4), virtual interrupt injection
 * through the virtual IOAPIC or the SynIC (§1.5), and trapped versus
 * auto-EOI. Each is a generator of records the caller's strand follows.
 */
import type { ProcessBody, RandomStream } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { ExitReason } from '../trace-events.js';
import type { Strand, Tracer } from '../tracer.js';
import { allOnes, InterceptTable, type IoAccess } from './intercepts.js';

/** Hypercall codes (Hyper-V TLFS; reference §1.2, R). */
export const HV_CALL_POST_MESSAGE = 0x5c;
export const HV_CALL_SIGNAL_EVENT = 0x5d;
/** HvCallAssertVirtualInterrupt (Hyper-V TLFS, call code 0x0094): the root asks the hypervisor to deliver a virtual interrupt to a child. */
export const HV_CALL_ASSERT_VIRTUAL_INTERRUPT = 0x94;

/** IRQ 14's vector as a Windows guest programs the IOAPIC (illustrative), and the VMBus SINT vector. */
export const VECTOR_IDE = 0x3e;
export const VECTOR_VMBUS = 0x90;
/** The vector the root maps for a physical device's interrupt (illustrative). */
export const VECTOR_ROOT_DEVICE = 0xb1;

/** How an interrupt reaches a guest's local APIC, which decides whether its EOI can be virtualized: IOAPIC pins and SynIC SINTs. */
export type InterruptTrigger = 'edge' | 'level';

/**
 * How far the spacing of the hypervisor's monitor-page scans strays from
 * its period, either way: a timer-driven scan does not tick on an exact
 * grid (interrupt latency, the work of the tick before), and an exact grid
 * would lock a closed loop at queue depth 1 to one phase, so that every
 * request waited the same time instead of the "uniform 0-100 µs" of the
 * reference (§8). E: the reference gives no jitter; ±20 % is enough to
 * break the lock.
 */
export const MONITOR_SCAN_JITTER = 0.2;

/**
 * How long a monitor-page signal set at `nowNs` waits on an exact grid of
 * scans every 2 × `meanNs` (the page's latency window, ~100 µs: reference
 * §2.2, the `hv_monitor_page` comment in Linux's hyperv.h): 0-100 µs, 50 µs
 * on average over the phase (§8's "uniform 0-100 µs"); signals set within
 * one window are noticed together at its end. `Hypervisor.monitorDelay`
 * strays from this grid as a timer does.
 */
export function monitorDelay(nowNs: number, meanNs: number): number {
  const period = 2 * meanNs;
  if (!(period > 0)) return 0;
  return period - (nowNs % period);
}

export class Hypervisor {
  /** The port-I/O and MMIO ranges each partition's worker process claimed (intercepts.ts). */
  readonly intercepts = new InterceptTable();
  /** The next scan of the monitor pages (-1: none drawn yet). */
  private monitorScanNs = -1;

  constructor(
    readonly place: Place,
    readonly synic: Place,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
    /** The draws of the monitor-page scan's timing (`monitorDelay`); absent: an exact grid. */
    private readonly monitorRandom?: RandomStream,
  ) {}

  /**
   * How long a monitor-page bit set now waits for the hypervisor's next
   * scan of the monitor pages (reference §2.2, the hv_monitor_page comment
   * in Linux's hyperv.h: a latency window of about 100 µs; §8: uniform
   * 0-100 µs, mean `vmbus_monitor_latency`). Scans are spaced by the
   * period times 1 ± `MONITOR_SCAN_JITTER` (uniform), from a random first
   * one, with the period set so that a bit set at a random time waits the
   * mean on average (a spacing X waits E[X²] / 2E[X] on average). Bits set
   * between two scans are noticed together at the second. Without a
   * random stream, scans come on an exact grid of twice the mean.
   */
  monitorDelay(nowNs: number): number {
    const mean = this.costs.vmbus_monitor_latency;
    if (!(mean > 0)) return 0;
    const random = this.monitorRandom;
    if (random === undefined) return monitorDelay(nowNs, mean);
    const j = MONITOR_SCAN_JITTER;
    const period = (2 * mean) / (1 + (j * j) / 3);
    if (this.monitorScanNs < 0) this.monitorScanNs = Math.round(random.uniform() * period);
    while (this.monitorScanNs <= nowNs) this.monitorScanNs += Math.max(1, Math.round(period * (1 - j + 2 * j * random.uniform())));
    return this.monitorScanNs - nowNs;
  }

  /** A VM exit; the round trip's cost is charged here, the entry is `resume`. */
  exit(s: Strand, reason: ExitReason, port?: number): number {
    return this.tracer.emit(s, 'hv.intercept.exited', this.place, this.costs.vmexit_roundtrip, 'hypervisor', port === undefined ? { reason } : { reason, port });
  }

  /** The VM entry that ends an intercept (its cost is in the exit round trip). */
  resume(s: Strand, reason: ExitReason): number {
    return this.tracer.emit(s, 'hv.intercept.resumed', this.place, 0, 'hypervisor', { reason });
  }

  /**
   * The guest executed `in`/`out` (or a string form) on `a.address` in
   * partition `partition`: the exit, then the intercept table. A claimed
   * port goes to the root as an intercept message and on to the handler its
   * worker process installed (VID, vmwp, the device emulator); an unclaimed
   * one is answered here like an empty bus (all ones, writes dropped) and
   * counted, with no trip to the root (E: no intercept is installed for it,
   * so there is no one to forward it to; its cost is the exit round trip).
   * Returns the value a read returns.
   */
  *portIo(s: Strand, partition: string, a: IoAccess): ProcessBody<number> {
    yield this.exit(s, 'io-port', a.address);
    const range = this.intercepts.lookup(partition, 'io-port', a.address);
    let result: number;
    if (range === undefined) {
      this.intercepts.countUnclaimed(partition);
      result = a.access === 'read' ? allOnes(a.size) : 0;
      yield this.tracer.emit(s, 'hv.intercept.unclaimed', this.place, 0, 'hypervisor', { partition, port: a.address, access: a.access, value: a.access === 'read' ? result : a.value >>> 0 });
    } else {
      yield this.forward(s, 'io-port');
      result = yield* range.handler(s, a);
    }
    yield this.resume(s, 'io-port');
    return result;
  }

  /** Forwards an intercept to the root as a SynIC message. */
  forward(s: Strand, reason: ExitReason): number {
    return this.tracer.emit(s, 'hv.intercept.forwarded', this.place, this.costs.intercept_message_to_root, 'hypervisor', { reason });
  }

  /**
   * HvSignalEvent from `caller` (a fast hypercall: one exit). For a child
   * the exit record is counted as a guest exit.
   */
  *signalEvent(s: Strand, caller: Place, fromChild: boolean): ProcessBody<void> {
    if (fromChild) {
      yield this.tracer.emit(s, 'hv.intercept.exited', this.place, 0, 'hypervisor', { reason: 'hypercall' });
    }
    yield this.tracer.emit(s, 'hv.hypercall.called', caller, this.costs.hypercall_signal_event, fromChild ? 'guest' : 'root', {
      call: 'HvSignalEvent',
      code: HV_CALL_SIGNAL_EVENT,
    });
    if (fromChild) yield this.tracer.emit(s, 'hv.intercept.resumed', this.place, 0, 'hypervisor', { reason: 'hypercall' });
  }

  /** Injects a virtual interrupt into partition `target` (the guest runs its ISR next). */
  inject(s: Strand, target: string, vector: number, via: 'ioapic' | 'synic'): number {
    return this.tracer.emit(s, 'hv.interrupt.injected', via === 'synic' ? this.synic : this.place, this.costs.virq_inject, 'hypervisor', { target, vector, via });
  }

  /**
   * An emulated device in the root's worker process raises an interrupt in
   * a child, as Hyper-V's root does: the worker calls into VID.sys (a switch
   * to kernel mode) and VID makes the HvCallAssertVirtualInterrupt hypercall;
   * the hypervisor then injects the vector. (Replaces a bare 50 ns mode switch.)
   */
  *assertFromRoot(s: Strand, vid: Place, target: string, vector: number): ProcessBody<void> {
    yield this.tracer.emit(s, 'cpu.mode.switched', vid, this.costs.mode_switch, 'root', { partition: 'root', to: 'kernel' });
    yield this.tracer.emit(s, 'hv.hypercall.called', vid, this.costs.hypercall_signal_event, 'root', { call: 'HvAssertVirtualInterrupt', code: HV_CALL_ASSERT_VIRTUAL_INTERRUPT });
    yield this.inject(s, target, vector, 'ioapic');
  }

  /**
   * A physical device's interrupt (the HBA's completion, the NIC's receive)
   * on a Hyper-V host. The root does not own the interrupt controller: the
   * hypervisor remaps the root's device interrupts (Linux as root,
   * arch/x86/hyperv/irqdomain.c `hv_map_interrupt`: HvCallMapDeviceInterrupt),
   * so it takes the interrupt first. If a guest VP is running on the logical
   * processor the root takes it on, that VP exits (an external-interrupt
   * exit) and re-enters once the root has handled it; on an idle LP the
   * hypervisor takes it in its idle loop. It then injects the root's vector
   * into the root VP, whose driver runs its ISR (`native_interrupt`, as on
   * bare metal) and its DPC (`dpc`, the caller's one step: it emits the
   * DPC's record and returns its time, as `Tracer.emit` does; a function
   * the caller makes once, not a generator per interrupt). The native path
   * has the same ISR and DPC and none of the rest.
   */
  *rootDeviceInterrupt(s: Strand, isr: Place, device: string, dpc: (s: Strand) => number): ProcessBody<void> {
    const exited = this.tracer.guestRunning(s);
    if (exited) yield this.exit(s, 'external-interrupt');
    yield this.tracer.emit(s, 'hv.interrupt.injected', this.place, this.costs.hv_physical_interrupt, 'hypervisor', { target: 'root', vector: VECTOR_ROOT_DEVICE, via: 'remapped' });
    yield this.tracer.emit(s, 'hw.interrupt.handled', isr, this.costs.native_interrupt, 'root', { device });
    yield dpc(s);
    if (exited) yield this.resume(s, 'external-interrupt');
  }

  /** A SynIC interrupt into the root's VMBus driver (ISR + DPC). */
  deliverToRoot(s: Strand, rootVmbus: Place, sint: number): number {
    return this.tracer.emit(s, 'synic.interrupt.delivered', rootVmbus, this.costs.synic_interrupt_to_root, 'root', { target: 'root', sint });
  }

  /**
   * The guest's EOI: an exit unless something spares it. With APIC
   * virtualization (cost `apic_virtualization`) the CPU virtualizes the EOI
   * of an edge-triggered vector (the IDE's IRQ 14, a SynIC SINT); a
   * level-triggered IOAPIC pin (the 21140's INTA#) is in the EOI-exit bitmap
   * and still exits, so the virtual IOAPIC can clear Remote IRR (Intel SDM
   * vol. 3C §29.1.2, §29.1.3). Without it a SynIC SINT set to auto-EOI is
   * acknowledged on delivery; anything else traps. Hyper-V hosts with APIC
   * virtualization recommend guests drop auto-EOI (CPUID 0x40000004 bit 9),
   * which is then moot. Not modelled: Hyper-V's own EOI assist, with which an
   * enlightened guest skips the EOI write when the hypervisor set the
   * apic_assist bit of its VP assist page (Linux arch/x86/hyperv/hv_apic.c
   * `hv_apic_eoi_write`); here such an EOI still traps without APICv.
   */
  *eoi(s: Strand, guestPlace: Place, trigger: InterruptTrigger, autoEoi = false): ProcessBody<void> {
    const untrapped = trigger === 'edge' && this.costs.apic_virtualization > 0 ? 'apic-virtualization' : autoEoi ? 'auto-eoi' : undefined;
    yield this.tracer.emit(s, 'guest.eoi.written', guestPlace, 0, 'guest', untrapped === undefined ? { trapped: true } : { trapped: false, untrapped });
    if (untrapped === undefined) {
      yield this.exit(s, 'eoi');
      yield this.resume(s, 'eoi');
    }
  }
}
