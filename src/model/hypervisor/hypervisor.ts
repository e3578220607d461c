/**
 * The hypervisor's part in each path: VM exits and entries (intercepts),
 * intercept messages to the root, hypercalls (HvSignalEvent 0x5D,
 * HvPostMessage 0x5C; reference §1.2, §2.4), virtual interrupt injection
 * through the virtual IOAPIC or the SynIC (§1.5), and trapped versus
 * auto-EOI. Each is a generator of records the caller's strand follows.
 */
import type { ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { ExitReason } from '../trace-events.js';
import type { Strand, Tracer } from '../tracer.js';

/** Hypercall codes (Hyper-V TLFS; reference §1.2, R). */
export const HV_CALL_POST_MESSAGE = 0x5c;
export const HV_CALL_SIGNAL_EVENT = 0x5d;
/** HvCallAssertVirtualInterrupt (Hyper-V TLFS, call code 0x0094): the root asks the hypervisor to deliver a virtual interrupt to a child. */
export const HV_CALL_ASSERT_VIRTUAL_INTERRUPT = 0x94;

/** IRQ 14's vector as a Windows guest programs the IOAPIC (illustrative), and the VMBus SINT vector. */
export const VECTOR_IDE = 0x3e;
export const VECTOR_VMBUS = 0x90;

export class Hypervisor {
  constructor(
    readonly place: Place,
    readonly synic: Place,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {}

  /** A VM exit; the round trip's cost is charged here, the entry is `resume`. */
  exit(s: Strand, reason: ExitReason, port?: number): number {
    return this.tracer.emit(s, 'hv.intercept.exited', this.place, this.costs.vmexit_roundtrip, 'hypervisor', port === undefined ? { reason } : { reason, port });
  }

  /** The VM entry that ends an intercept (its cost is in the exit round trip). */
  resume(s: Strand, reason: ExitReason): number {
    return this.tracer.emit(s, 'hv.intercept.resumed', this.place, 0, 'hypervisor', { reason });
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

  /** A SynIC interrupt into the root's VMBus driver (ISR + DPC). */
  deliverToRoot(s: Strand, rootVmbus: Place, sint: number): number {
    return this.tracer.emit(s, 'synic.interrupt.delivered', rootVmbus, this.costs.synic_interrupt_to_root, 'root', { target: 'root', sint });
  }

  /** The guest's EOI: an exit unless the interrupt source is auto-EOI. */
  *eoi(s: Strand, guestPlace: Place, autoEoi: boolean): ProcessBody<void> {
    yield this.tracer.emit(s, 'guest.eoi.written', guestPlace, 0, 'guest', { trapped: !autoEoi });
    if (!autoEoi) {
      yield this.exit(s, 'eoi');
      yield this.resume(s, 'eoi');
    }
  }
}
