/**
 * The VM worker process (vmwp.exe, one per VM, root user mode) and the one
 * path every intercepted port access takes through it (reference §1.6,
 * §4.2): the hypervisor forwards the intercept to the root, VID.sys wakes
 * the worker, the CPU switches into vmwp and to user mode, the device
 * emulator that claimed the port handles the access, and the result goes
 * back through VID before the guest resumes. Every emulated device of the
 * VM (the IDE controller, the DEC 21140) takes this same sequence: each
 * registers its ports here when the VM starts, and the worker installs them
 * in the hypervisor's intercept table (hypervisor/intercepts.ts), as
 * OpenVMM's devices claim theirs through `RegisterPortIoIntercept`
 * (vm/chipset_device/src/pio.rs) and its chipset dispatches `io_read` /
 * `io_write` to the claiming device (vmm_core/vmotherboard/src/chipset/mod.rs).
 */
import type { ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Hypervisor } from '../hypervisor/hypervisor.js';
import type { IoAccess } from '../hypervisor/intercepts.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';

/**
 * A device emulator's half in the worker, as the route calls it: it runs in
 * vmwp's user mode between the switch in and the return through VID,
 * emits the device's own records (and starts any host I/O the access
 * asks for), and returns the value a read returns.
 */
export interface PortIoDevice {
  portIo(s: Strand, access: IoAccess): ProcessBody<number>;
}

export class WorkerProcess {
  constructor(
    readonly vmId: string,
    /** vmwp.exe, root user mode. */
    readonly place: Place,
    /** VID.sys, root kernel. */
    readonly vid: Place,
    readonly hv: Hypervisor,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {}

  /** Claims ports `first`..`last` (inclusive) for `device`: accesses to them reach it through `dispatch`. */
  registerPortIo(name: string, first: number, last: number, device: PortIoDevice): void {
    this.hv.intercepts.registerPortIo(this.vmId, name, first, last, (s, access) => this.dispatch(s, device, access));
  }

  /** The VID → vmwp → emulator sequence of one intercepted access (after the exit and the message to the root, before the resume). */
  *dispatch(s: Strand, device: PortIoDevice, access: IoAccess): ProcessBody<number> {
    const { tracer, costs } = this;
    yield tracer.emit(s, 'vid.intercept.dispatched', this.vid, costs.vid_intercept_dispatch, 'root', { worker: this.place.id });
    yield tracer.emit(s, 'cpu.context.switched', this.place, costs.process_context_switch, 'root', { partition: 'root', switchKind: 'process', to: 'vmwp.exe' });
    yield tracer.emit(s, 'cpu.mode.switched', this.place, costs.mode_switch, 'root', { partition: 'root', to: 'user' });
    const result: number = yield* device.portIo(s, access);
    yield tracer.emit(s, 'cpu.mode.switched', this.vid, costs.mode_switch, 'root', { partition: 'root', to: 'kernel' });
    yield tracer.emit(s, 'vid.intercept.completed', this.vid, costs.vid_intercept_complete, 'root', { worker: this.place.id });
    yield tracer.emit(s, 'cpu.context.switched', this.vid, costs.process_context_switch, 'root', { partition: 'root', switchKind: 'process', to: 'system' });
    return result;
  }

  /** A completed host I/O wakes the worker's thread, back in user mode (charged as a thread switch within vmwp: conservative, from a DPC it may be a full process switch). */
  *wake(s: Strand): ProcessBody<void> {
    const { tracer, costs } = this;
    yield tracer.emit(s, 'cpu.context.switched', this.place, costs.thread_switch_same_process, 'root', { partition: 'root', switchKind: 'thread', to: 'vmwp.exe' });
    yield tracer.emit(s, 'cpu.mode.switched', this.place, costs.mode_switch, 'root', { partition: 'root', to: 'user' });
  }

  /** The worker enters the root kernel for a system call (a file or switch-port write), from user mode. */
  enterKernel(s: Strand): number {
    return this.tracer.emit(s, 'cpu.mode.switched', this.place, this.costs.mode_switch, 'root', { partition: 'root', to: 'kernel' });
  }
}
