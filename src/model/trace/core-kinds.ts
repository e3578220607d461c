/** Trace record kinds: requests, CPU transitions and stack layers, port intercepts and the emulated IDE, the hypervisor's interrupts and hypercalls. Part of the catalog, `../trace-events.ts`. */
import type { PathKind, ExitReason } from './record-basics.js';

export interface CoreKindFields {
  /**
   * A workload issued a request (a flow begins). `workload` is the index of
   * the workload that issued it (in the world's `workloads`, or in `traffic`
   * for a NIC path) and `request` its number there, from 0; the model always
   * sets both (they are optional only for hand-made traces).
   */
  'io.request.issued': { vm: string; disk: string; path: PathKind; op: 'read' | 'write'; bytes: number; lba: number; workload?: number; request?: number };
  /** The request completed back to the application (a flow ends). */
  'io.request.completed': { path: PathKind; latencyNs: number; dropped?: true };
  /** A CPU changed privilege mode. */
  'cpu.mode.switched': { partition: string; to: 'user' | 'kernel' };
  /** A CPU switched to another process or thread. */
  'cpu.context.switched': { partition: string; switchKind: 'process' | 'thread'; to: string };
  /** A storage stack layer processed the request on its way down or up. */
  'stack.layer.passed': { layer: string; direction: 'down' | 'up' };
  /** The guest's ATA driver read or wrote an IDE register (an I/O port instruction). */
  'ide.register.accessed': { port: number; register: string; access: 'read' | 'write'; value?: number; words?: number };
  /** A virtual processor exited to the hypervisor (a VM exit). */
  'hv.intercept.exited': { reason: ExitReason; port?: number };
  /** The hypervisor forwarded an intercept to the root as a SynIC message. */
  'hv.intercept.forwarded': { reason: ExitReason };
  /** The virtual processor re-entered the guest (a VM entry). */
  'hv.intercept.resumed': { reason: ExitReason };
  /** A port access no device claimed (no intercept installed for it): the hypervisor dropped the write, or the read returned all ones. */
  'hv.intercept.unclaimed': { partition: string; port: number; access: 'read' | 'write'; value: number };
  /** VID.sys handed an intercept to the VM's worker process. */
  'vid.intercept.dispatched': { worker: string };
  /** The worker completed an intercept back through VID. */
  'vid.intercept.completed': { worker: string };
  /** The worker's IDE emulator handled one register access (the value is what the guest reads or wrote). */
  'ide.register.emulated': { register: string; access: 'read' | 'write'; value: number; words?: number };
  /** The IDE emulator decoded a command written to the command register. */
  'ide.command.decoded': { command: number; name: string; sectors: number; lba: number };
  /** The emulator took one DRQ block of PIO data. */
  'ide.pio.transferred': { words: number; sector: number };
  /** The emulator walked the PRD table and moved the data by DMA. */
  'ide.dma.transferred': { bytes: number; prdEntries: number };
  /** The emulator raised its interrupt line (IRQ 14). */
  'ide.interrupt.raised': { irq: number; sector: number };
  /**
   * The hypervisor injected an interrupt into a partition: a child's virtual interrupt (its virtual IOAPIC or
   * the SynIC), or (`remapped`, target `root`) a physical device's interrupt, which the hypervisor takes and
   * hands to the root's VP as the vector the root mapped for it.
   */
  'hv.interrupt.injected': { target: string; vector: number; via: 'ioapic' | 'synic' | 'remapped' };
  /** A guest interrupt handler ran. */
  'guest.interrupt.handled': { vector: number };
  /** The guest signalled end of interrupt; trapped unless the SynIC's auto-EOI or APIC virtualization (an edge-triggered vector) spares the exit (`untrapped` says which). */
  'guest.eoi.written': { trapped: boolean; untrapped?: 'auto-eoi' | 'apic-virtualization' };
  /** A deferred procedure call (Windows DPC, Linux tasklet) queued by an interrupt handler ran: `routine` names it. */
  'cpu.dpc.ran': { partition: string; routine: string };
  /** A partition made a hypercall. */
  'hv.hypercall.called': { call: 'HvSignalEvent' | 'HvPostMessage' | 'HvAssertVirtualInterrupt'; code: number };
  /** A SynIC interrupt reached the root's VMBus driver. */
  'synic.interrupt.delivered': { target: string; sint: number };
}

/** These kinds at run time, in catalog order. */
export const CORE_KINDS = {
  'io.request.issued': true,
  'io.request.completed': true,
  'cpu.mode.switched': true,
  'cpu.context.switched': true,
  'stack.layer.passed': true,
  'ide.register.accessed': true,
  'hv.intercept.exited': true,
  'hv.intercept.forwarded': true,
  'hv.intercept.resumed': true,
  'hv.intercept.unclaimed': true,
  'vid.intercept.dispatched': true,
  'vid.intercept.completed': true,
  'ide.register.emulated': true,
  'ide.command.decoded': true,
  'ide.pio.transferred': true,
  'ide.dma.transferred': true,
  'ide.interrupt.raised': true,
  'hv.interrupt.injected': true,
  'guest.interrupt.handled': true,
  'guest.eoi.written': true,
  'cpu.dpc.ran': true,
  'hv.hypercall.called': true,
  'synic.interrupt.delivered': true,
} as const satisfies Record<keyof CoreKindFields, true>;
