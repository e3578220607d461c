/**
 * The legacy NIC's half of the VM worker process (vmwp.exe, root user
 * mode): it claims the 21140's I/O BAR when the VM starts
 * (partition/worker-process.ts installs it in the hypervisor's intercept
 * table), and a CSR access reaches it by the worker's one intercept route
 * (reference §1.6, §4.2: exit, message to the root, VID.sys, vmwp in user
 * mode, here, back through VID). On a transmit poll demand the emulator
 * walks the tx ring in guest memory (no traps) and the worker writes each
 * frame to the virtual switch as an overlapped write (a system call into
 * the root kernel, then vmswitch and the physical NIC); when that write
 * completes the worker's thread wakes, the descriptor goes back to the
 * guest and TU/TI raise the interrupt. On receive the switch completes the
 * worker's pending read (copying the frame into the worker's buffer); the
 * worker copies it into the guest's rx buffer, sets RI, raises the
 * interrupt and re-posts its read. Completion wake-ups are charged as a
 * thread switch within vmwp, as the IDE worker's are (conservative: from a
 * DPC it may be a full process switch).
 */
import { startProcess, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import { copyNs, type NicFrame } from './frame.js';
import type { IoApicPin } from './ioapic-pin.js';
import type { IoAccess } from '../hypervisor/intercepts.js';
import type { PortIoDevice, WorkerProcess } from '../partition/worker-process.js';
import type { TulipEmulator, TxFetch } from './tulip-emulator.js';
import { CSR5, RS_STOPPED, RX_RING_SIZE, TULIP_IO_BASE, TULIP_IO_BYTES, TULIP_IRQ, csrName, csrPort } from './tulip-protocol.js';
import type { PortVm, SwitchPort, VirtualSwitch } from './vswitch.js';

export class TulipWorker implements SwitchPort, PortIoDevice {
  readonly buffered = true;
  vm: PortVm | null = null;
  /** Frames kept for a guest that is not running: its receive descriptors, every one the driver gave the card (vswitch.ts `keep`). */
  readonly keepFrames = RX_RING_SIZE;

  constructor(
    /** Switch port and NIC id, `vm/nic`. */
    readonly id: string,
    /** The 21140 emulator inside the worker, root user mode. */
    readonly place: Place,
    private readonly worker: WorkerProcess,
    /** The card's I/O BAR: its CSRs sit at `ioBase` + 8 × n. */
    readonly ioBase: number,
    readonly nic: TulipEmulator,
    private readonly pin: IoApicPin,
    private readonly vswitch: VirtualSwitch,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {
    worker.registerPortIo(`21140 ${id} csr`, ioBase, ioBase + TULIP_IO_BYTES - 1, this);
  }

  /** One CSR access, inside the worker (between the switch into vmwp and the return through VID); returns the value a read returns. */
  *portIo(s: Strand, a: IoAccess): ProcessBody<number> {
    const { tracer, costs } = this;
    const port = a.address - this.ioBase + TULIP_IO_BASE;
    const { access, value } = a;
    const result = access === 'read' ? this.nic.read(port) : 0;
    const action = access === 'write' ? this.nic.write(port, value) : { kind: 'none' as const };
    yield tracer.emit(s, 'nic.csr.emulated', this.place, costs.legacy_nic_register_emulate, 'root', {
      nic: this.id,
      register: csrName(port),
      access,
      value: access === 'read' ? result : value >>> 0,
    });
    if (action.kind === 'transmit') {
      // As QEMU's tulip_xmit_list_update does inside the CSR1 write: take the first frame now.
      const first = this.nic.fetchTx();
      if (first !== null) {
        const fs = yield* this.fetched(s, first);
        startProcess(tracer.sim, this.transmitRun(fs, first), `${this.id} tx`);
      }
    }
    yield* this.followLine(s);
    return result;
  }

  /** The switch completed the worker's pending read with `frame` (already copied into the worker's buffer). */
  *deliver(s: Strand, frame: NicFrame): ProcessBody<void> {
    const { tracer, costs } = this;
    // The worker process's thread runs on its VM's LP, not the one the NIC's DPC ran on (the switch restores it after).
    s.rootLp = undefined;
    yield* this.worker.wake(s);
    const index = this.nic.receive(frame);
    if (index === null) {
      yield tracer.emit(s, 'nic.frame.dropped', this.place, 0, 'root', { nic: this.id, reason: this.nic.rxState === RS_STOPPED ? 'receiver-stopped' : 'no-rx-descriptor' });
      frame.dropped = true;
    } else {
      yield tracer.emit(s, 'nic.frame.received', this.place, costs.legacy_nic_descriptor_walk + copyNs(frame.bytes, costs.memcpy_ns_per_kib), 'root', {
        nic: this.id,
        index,
        bytes: frame.bytes,
      });
    }
    yield* this.followLine(s);
    // Re-post the read on the switch port: one system call in and out.
    yield this.worker.enterKernel(s);
    yield tracer.emit(s, 'cpu.mode.switched', this.worker.place, costs.mode_switch, 'root', { partition: 'root', to: 'user' });
    if (frame.dropped) {
      frame.done.trigger(s.cause);
      return;
    }
    s.cause = yield frame.done;
  }

  /** Records the fetch of `tx` (descriptor read + frame copy out of guest memory) on the frame's strand. */
  private *fetched(s: Strand, tx: TxFetch): ProcessBody<Strand> {
    const fs = strand(tx.frame.stream, tx.frame.flow, s.cause);
    yield this.tracer.emit(fs, 'nic.frame.fetched', this.place, this.costs.legacy_nic_descriptor_walk + copyNs(tx.bytes, this.costs.memcpy_ns_per_kib), 'root', {
      nic: this.id,
      index: tx.index,
      bytes: tx.bytes,
    });
    s.cause = fs.cause;
    return fs;
  }

  /** The transmit process: send the frame, hand its descriptor back, take the next, until the ring is drained (TU). */
  private *transmitRun(fs: Strand, first: TxFetch): ProcessBody<void> {
    let tx: TxFetch | null = first;
    while (tx !== null) {
      yield* this.hostSend(fs, tx.frame);
      this.nic.completeTx(tx.index);
      yield this.tracer.emit(fs, 'nic.frame.transmitted', this.place, 0, 'root', {
        nic: this.id,
        index: tx.index,
        bytes: tx.bytes,
        interruptOnCompletion: tx.interruptOnCompletion,
      });
      const done = fs;
      tx = this.nic.fetchTx();
      if (tx !== null) fs = yield* this.fetched(done, tx);
      // TI for a frame that asked, TU once the ring is drained: raise the line on the finished frame's strand.
      yield* this.followLine(done);
    }
  }

  /** The worker's overlapped write to the virtual switch, and the wake-up when it completes. */
  private *hostSend(s: Strand, frame: NicFrame): ProcessBody<void> {
    yield this.worker.enterKernel(s);
    yield* this.vswitch.forward(s, frame, this.id);
    yield* this.worker.wake(s);
  }

  /** Makes the IOAPIC pin follow the emulator's INTA#: a rising line is asserted through VID (and injected if none is in service). */
  private *followLine(s: Strand): ProcessBody<void> {
    const high = this.nic.interruptAsserted;
    if (high === this.pin.asserted) return;
    if (!high) {
      this.pin.deassert();
      return;
    }
    yield this.tracer.emit(s, 'nic.interrupt.raised', this.place, 0, 'root', { nic: this.id, irq: TULIP_IRQ, csr5: this.nic.read(csrPort(CSR5)) });
    yield* this.pin.assert(s);
  }
}
