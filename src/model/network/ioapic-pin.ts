/**
 * One pin of the guest's virtual IOAPIC with a level-triggered device on it
 * (the legacy NIC's INTA#), as the hypervisor emulates it: the pin follows
 * the device's line; an interrupt is injected when the line is high and
 * none is in service (Remote IRR clear); the guest's EOI clears Remote IRR
 * and, if the line is still high, the interrupt is injected again (Intel
 * 82093AA IOAPIC level-trigger semantics, R). Events that arrive while the
 * handler runs therefore cause no extra injection: the handler's own CSR5
 * re-read finds them. There is no auto-EOI here: only SynIC sources have it
 * (reference §1.5), so every EOI of this pin is a trapped exit.
 */
import type { ProcessBody } from '../../engine/index.js';
import type { Hypervisor } from '../hypervisor/hypervisor.js';
import { InterruptLine } from '../partition/interrupt-line.js';
import type { Strand } from '../tracer.js';
import type { Place } from '../topology.js';

export class IoApicPin {
  /** What the interrupt handler waits on; carries the cause seq. */
  readonly line = new InterruptLine();
  private level = false;
  private remoteIrr = false;

  constructor(
    readonly vmId: string,
    readonly vector: number,
    private readonly hv: Hypervisor,
    /** VID.sys: the worker asserts the interrupt through it (a hypercall). */
    private readonly vid: Place,
  ) {}

  /** The device's line level. */
  get asserted(): boolean {
    return this.level;
  }

  /** The device raised its line: inject unless an interrupt of this pin is in service. */
  *assert(s: Strand): ProcessBody<void> {
    this.level = true;
    if (!this.remoteIrr) yield* this.deliver(s);
  }

  /** The device lowered its line (the guest acknowledged the status bits). */
  deassert(): void {
    this.level = false;
  }

  /** The guest's EOI reached the pin (after its trap): deliver again if the line is still high. */
  *eoi(s: Strand): ProcessBody<void> {
    this.remoteIrr = false;
    if (this.level) yield* this.deliver(s);
  }

  private *deliver(s: Strand): ProcessBody<void> {
    this.remoteIrr = true;
    yield* this.hv.assertFromRoot(s, this.vid, this.vmId, this.vector);
    this.line.raise(s.cause);
  }
}
