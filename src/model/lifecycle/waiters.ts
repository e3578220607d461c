/**
 * Processes waiting for one condition to end, woken together: one
 * `SimEvent` made on the first wait and dropped when it fires, so a
 * condition nobody waits for allocates nothing. The I/O gates' conditions
 * (`io-gates.ts`) and a VM's next change of state (`vm-lifecycle.ts`).
 */
import { SimEvent } from '../../engine/index.js';

export class Waiters {
  private event: SimEvent<void> | null = null;

  /** What a waiting process yields (one event for all of them). */
  get next(): SimEvent<void> {
    return (this.event ??= new SimEvent<void>());
  }

  wake(): void {
    const event = this.event;
    this.event = null;
    event?.trigger();
  }
}
