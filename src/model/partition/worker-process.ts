/**
 * The VM worker process (vmwp.exe, one per VM, root user mode) and the path
 * an intercepted port access takes through it (reference §1.6, §4.2): the
 * hypervisor forwards the intercept to the root, VID.sys wakes the worker,
 * the CPU switches into vmwp and to user mode, the IDE emulator handles the
 * access, and the result goes back through VID before the guest resumes.
 * When the emulator needs the back end, the worker issues the I/O as a
 * Win32 file write (into the root kernel) and raises IRQ 14 on completion.
 */
import { startProcess, type ProcessBody } from '../../engine/index.js';
import type { InterruptLine } from './interrupt-line.js';
import type { CostTable } from '../costs.js';
import type { Hypervisor } from '../hypervisor/hypervisor.js';
import { VECTOR_IDE } from '../hypervisor/hypervisor.js';
import type { StorageBackend } from '../storage/backend.js';
import type { IdeAction, IdeEmulator, IdeHostIo } from '../storage/ide-emulator.js';
import { ATA_DATA, commandName, registerName } from '../storage/ide-protocol.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';

/** An emulated IDE disk as the worker holds it. */
export interface EmulatedDisk {
  ide: IdeEmulator;
  backend: StorageBackend;
  /** IRQ 14, raised by the worker when the device interrupts. */
  irq: InterruptLine;
}

export class WorkerProcess {
  constructor(
    readonly vmId: string,
    readonly place: Place,
    readonly idePlace: Place,
    private readonly vid: Place,
    private readonly hv: Hypervisor,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {}

  /**
   * Handles one intercepted port access from the guest (after the exit and
   * before the resume). Returns the value a read returns.
   */
  *portAccess(s: Strand, disk: EmulatedDisk, port: number, access: 'read' | 'write', value: number, words: number): ProcessBody<number> {
    const { tracer, costs } = this;
    yield tracer.emit(s, 'vid.intercept.dispatched', this.vid, costs.vid_intercept_dispatch, 'root', { worker: this.place.id });
    yield tracer.emit(s, 'cpu.context.switched', this.place, costs.process_context_switch, 'root', { partition: 'root', switchKind: 'process', to: 'vmwp.exe' });
    yield tracer.emit(s, 'cpu.mode.switched', this.place, costs.mode_switch, 'root', { partition: 'root', to: 'user' });
    let result = 0;
    let action: IdeAction;
    if (access === 'read') {
      result = disk.ide.read(port, words);
      action = disk.ide.takeReadAction(); // a data read that empties the buffer fetches the next sector
    } else {
      action = disk.ide.write(port, value, words);
    }
    const emulateNs = costs.ide_register_emulate + (port === ATA_DATA ? costs.string_pio_per_element * words : 0);
    const fields = { register: registerName(port, access), access, value: access === 'read' ? result : value };
    yield tracer.emit(s, 'ide.register.emulated', this.idePlace, emulateNs, 'root', port === ATA_DATA ? { ...fields, words } : fields);
    let io: IdeHostIo | undefined;
    if (action.kind === 'command') {
      yield tracer.emit(s, 'ide.command.decoded', this.idePlace, costs.vmwp_ide_emulate_command, 'root', {
        command: action.command,
        name: commandName(action.command),
        sectors: action.sectors,
        lba: action.lba,
      });
      io = action.io;
    } else if (action.kind === 'host-io') {
      io = action;
    }
    if (io !== undefined) {
      if (io.dma) {
        yield tracer.emit(s, 'ide.dma.transferred', this.idePlace, costs.ide_dma_prd_walk, 'root', { bytes: io.bytes, prdEntries: io.prdEntries });
      } else if (io.op === 'write') {
        yield tracer.emit(s, 'ide.pio.transferred', this.idePlace, 0, 'root', { words: io.bytes / 2, sector: io.sector });
      }
      // The back-end I/O runs on its own while the guest resumes (BSY is set).
      startProcess(this.tracer.sim, this.hostIo(strand(s.stream, s.flow, s.cause), disk, io), 'vmwp host I/O');
    }
    yield tracer.emit(s, 'cpu.mode.switched', this.vid, costs.mode_switch, 'root', { partition: 'root', to: 'kernel' });
    yield tracer.emit(s, 'vid.intercept.completed', this.vid, costs.vid_intercept_complete, 'root', { worker: this.place.id });
    yield tracer.emit(s, 'cpu.context.switched', this.vid, costs.process_context_switch, 'root', { partition: 'root', switchKind: 'process', to: 'system' });
    return result;
  }

  /** The worker's file I/O on the back end, then IRQ 14 into the guest. */
  private *hostIo(s: Strand, disk: EmulatedDisk, action: IdeHostIo): ProcessBody<void> {
    const { tracer, costs } = this;
    yield tracer.emit(s, 'cpu.mode.switched', this.place, costs.mode_switch, 'root', { partition: 'root', to: 'kernel' });
    yield* disk.backend.submit(s, { op: action.op, lba: action.lba, bytes: action.bytes });
    // The I/O completion wakes the worker's thread, back in user mode.
    yield tracer.emit(s, 'cpu.context.switched', this.place, costs.thread_switch_same_process, 'root', { partition: 'root', switchKind: 'thread', to: 'vmwp.exe' });
    yield tracer.emit(s, 'cpu.mode.switched', this.place, costs.mode_switch, 'root', { partition: 'root', to: 'user' });
    if (action.dma) {
      yield tracer.emit(s, 'ide.dma.transferred', this.idePlace, 0, 'root', { bytes: action.bytes, prdEntries: action.prdEntries });
    } else if (action.op === 'read') {
      yield tracer.emit(s, 'ide.pio.transferred', this.idePlace, 0, 'root', { words: action.bytes / 2, sector: action.sector });
    }
    disk.ide.hostIoDone();
    yield tracer.emit(s, 'ide.interrupt.raised', this.idePlace, 0, 'root', { irq: 14, sector: action.sector });
    yield* this.hv.assertFromRoot(s, this.vid, this.vmId, VECTOR_IDE);
    disk.irq.raise(s.cause);
  }
}
