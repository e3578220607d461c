/**
 * The IDE controller's half of the VM worker process (vmwp.exe, root user
 * mode): it claims one channel's ports when the VM starts (command block,
 * control block and its bus-master bytes; partition/worker-process.ts
 * installs them in the hypervisor's intercept table), and for each access
 * the worker's route hands it, it drives the register state machine
 * (ide-emulator.ts), charges the emulation, decodes commands and starts the
 * back-end I/O they ask for. When the emulator needs the back end, the
 * worker issues the I/O as a Win32 file write (into the root kernel) and
 * raises IRQ 14 on completion (reference §1.6, §4.2).
 */
import { startProcess, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import { VECTOR_IDE } from '../hypervisor/hypervisor.js';
import type { IoAccess } from '../hypervisor/intercepts.js';
import type { InterruptLine } from '../partition/interrupt-line.js';
import type { PortIoDevice, WorkerProcess } from '../partition/worker-process.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import type { StorageBackend } from './backend.js';
import type { IdeAction, IdeEmulator, IdeHostIo } from './ide-emulator.js';
import { ATA_DATA, commandName, primaryPort, registerName, type IdeChannelPorts } from './ide-protocol.js';

export class IdeWorker implements PortIoDevice {
  constructor(
    /** The IDE emulator inside the worker, root user mode. */
    readonly place: Place,
    private readonly worker: WorkerProcess,
    readonly channel: IdeChannelPorts,
    private readonly ide: IdeEmulator,
    private readonly backend: StorageBackend,
    /** IRQ 14 (15 on the secondary channel), raised by the worker when the device interrupts. */
    private readonly irq: InterruptLine,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {
    const c = channel;
    worker.registerPortIo(`ide ${c.name} channel`, c.command, c.command + 7, this);
    worker.registerPortIo(`ide ${c.name} channel control`, c.control, c.control, this);
    worker.registerPortIo(`ide ${c.name} bus master`, c.busMaster, c.busMaster + 7, this);
  }

  /** One register access, inside the worker (between the switch into vmwp and the return through VID). */
  *portIo(s: Strand, a: IoAccess): ProcessBody<number> {
    const { tracer, costs } = this;
    const port = primaryPort(this.channel, a.address);
    const words = port === ATA_DATA ? (a.count * a.size) / 2 : 1;
    let result = 0;
    let action: IdeAction;
    if (a.access === 'read') {
      result = this.ide.read(port, words);
      action = this.ide.takeReadAction(); // a data read that empties the buffer fetches the next sector
    } else {
      action = this.ide.write(port, a.value, words);
    }
    const emulateNs = costs.ide_register_emulate + (port === ATA_DATA ? costs.string_pio_per_element * words : 0);
    const fields = { register: registerName(port, a.access), access: a.access, value: a.access === 'read' ? result : a.value };
    yield tracer.emit(s, 'ide.register.emulated', this.place, emulateNs, 'root', port === ATA_DATA ? { ...fields, words } : fields);
    let io: IdeHostIo | undefined;
    if (action.kind === 'command') {
      yield tracer.emit(s, 'ide.command.decoded', this.place, costs.vmwp_ide_emulate_command, 'root', {
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
        yield tracer.emit(s, 'ide.dma.transferred', this.place, costs.ide_dma_prd_walk, 'root', { bytes: io.bytes, prdEntries: io.prdEntries });
      } else if (io.op === 'write') {
        yield tracer.emit(s, 'ide.pio.transferred', this.place, 0, 'root', { words: io.bytes / 2, sector: io.sector });
      }
      // The back-end I/O runs on its own while the guest resumes (BSY is set).
      startProcess(tracer.sim, this.hostIo(strand(s.stream, s.flow, s.cause), io), 'vmwp host I/O');
    }
    return result;
  }

  /** The worker's file I/O on the back end, then the channel's IRQ into the guest. */
  private *hostIo(s: Strand, action: IdeHostIo): ProcessBody<void> {
    const { tracer, worker } = this;
    yield worker.enterKernel(s);
    yield* this.backend.submit(s, { op: action.op, lba: action.lba, bytes: action.bytes });
    // The I/O completion wakes the worker's thread, back in user mode.
    yield* worker.wake(s);
    if (action.dma) {
      yield tracer.emit(s, 'ide.dma.transferred', this.place, 0, 'root', { bytes: action.bytes, prdEntries: action.prdEntries });
    } else if (action.op === 'read') {
      yield tracer.emit(s, 'ide.pio.transferred', this.place, 0, 'root', { words: action.bytes / 2, sector: action.sector });
    }
    this.ide.hostIoDone();
    yield tracer.emit(s, 'ide.interrupt.raised', this.place, 0, 'root', { irq: this.channel.name === 'primary' ? 14 : 15, sector: action.sector });
    yield* worker.hv.assertFromRoot(s, worker.vid, worker.vmId, VECTOR_IDE);
    this.irq.raise(s.cause);
  }
}
