/**
 * The legacy NIC's half of the VM worker process (vmwp.exe, root user
 * mode), a sibling of partition/worker-process.ts with the same intercept
 * shape (reference §1.6, §4.2): a CSR access exits, the hypervisor
 * forwards it to the root, VID.sys wakes the worker, the CPU switches into
 * vmwp and to user mode, the 21140 emulator handles the access, and the
 * result goes back through VID. On a transmit poll demand the emulator
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
import type { TulipEmulator, TxFetch } from './legacy-nic.js';
import { CSR5, RS_STOPPED, TULIP_IRQ, csrName, csrPort } from './tulip-protocol.js';
import type { SwitchPort, VirtualSwitch } from './vswitch.js';

/** The worker-side places of one VM's legacy NIC. */
export interface LegacyNicWorkerPlaces {
  /** VID.sys, root kernel. */
  vid: Place;
  /** The VM's worker process, root user mode. */
  worker: Place;
  /** The 21140 emulator inside it. */
  emulator: Place;
}

export class LegacyNicWorker implements SwitchPort {
  readonly buffered = true;

  constructor(
    /** Switch port and NIC id, `vm/nic`. */
    readonly id: string,
    readonly places: LegacyNicWorkerPlaces,
    readonly nic: TulipEmulator,
    private readonly pin: IoApicPin,
    private readonly vswitch: VirtualSwitch,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {}

  /**
   * Handles one intercepted CSR access (after the exit and before the
   * resume); returns the value a read returns.
   */
  *portAccess(s: Strand, port: number, access: 'read' | 'write', value: number): ProcessBody<number> {
    const { tracer, costs, places: p } = this;
    yield tracer.emit(s, 'vid.intercept.dispatched', p.vid, costs.vid_intercept_dispatch, 'root', { worker: p.worker.id });
    yield tracer.emit(s, 'cpu.context.switched', p.worker, costs.process_context_switch, 'root', { partition: 'root', switchKind: 'process', to: 'vmwp.exe' });
    yield tracer.emit(s, 'cpu.mode.switched', p.worker, costs.mode_switch, 'root', { partition: 'root', to: 'user' });
    const result = access === 'read' ? this.nic.read(port) : 0;
    const action = access === 'write' ? this.nic.write(port, value) : { kind: 'none' as const };
    yield tracer.emit(s, 'nic.csr.emulated', p.emulator, costs.legacy_nic_register_emulate, 'root', {
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
    yield tracer.emit(s, 'cpu.mode.switched', p.vid, costs.mode_switch, 'root', { partition: 'root', to: 'kernel' });
    yield tracer.emit(s, 'vid.intercept.completed', p.vid, costs.vid_intercept_complete, 'root', { worker: p.worker.id });
    yield tracer.emit(s, 'cpu.context.switched', p.vid, costs.process_context_switch, 'root', { partition: 'root', switchKind: 'process', to: 'system' });
    return result;
  }

  /** The switch completed the worker's pending read with `frame` (already copied into the worker's buffer). */
  *deliver(s: Strand, frame: NicFrame): ProcessBody<void> {
    const { tracer, costs, places: p } = this;
    yield* this.wake(s);
    const index = this.nic.receive(frame);
    if (index === null) {
      yield tracer.emit(s, 'nic.frame.dropped', p.emulator, 0, 'root', { nic: this.id, reason: this.nic.rxState === RS_STOPPED ? 'receiver-stopped' : 'no-rx-descriptor' });
      frame.dropped = true;
    } else {
      yield tracer.emit(s, 'nic.frame.received', p.emulator, costs.legacy_nic_descriptor_walk + copyNs(frame.bytes, costs.memcpy_ns_per_kib), 'root', {
        nic: this.id,
        index,
        bytes: frame.bytes,
      });
    }
    yield* this.followLine(s);
    // Re-post the read on the switch port: one system call in and out.
    yield tracer.emit(s, 'cpu.mode.switched', p.worker, costs.mode_switch, 'root', { partition: 'root', to: 'kernel' });
    yield tracer.emit(s, 'cpu.mode.switched', p.worker, costs.mode_switch, 'root', { partition: 'root', to: 'user' });
    if (frame.dropped) {
      frame.done.trigger(s.cause);
      return;
    }
    s.cause = yield frame.done;
  }

  /** Records the fetch of `tx` (descriptor read + frame copy out of guest memory) on the frame's strand. */
  private *fetched(s: Strand, tx: TxFetch): ProcessBody<Strand> {
    const fs = strand(tx.frame.stream, tx.frame.flow, s.cause);
    yield this.tracer.emit(fs, 'nic.frame.fetched', this.places.emulator, this.costs.legacy_nic_descriptor_walk + copyNs(tx.bytes, this.costs.memcpy_ns_per_kib), 'root', {
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
      yield this.tracer.emit(fs, 'nic.frame.transmitted', this.places.emulator, 0, 'root', {
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
    yield this.tracer.emit(s, 'cpu.mode.switched', this.places.worker, this.costs.mode_switch, 'root', { partition: 'root', to: 'kernel' });
    yield* this.vswitch.forward(s, frame, this.id);
    yield* this.wake(s);
  }

  /** An I/O completion wakes the worker's thread, back in user mode. */
  private *wake(s: Strand): ProcessBody<void> {
    const { tracer, costs, places: p } = this;
    yield tracer.emit(s, 'cpu.context.switched', p.worker, costs.thread_switch_same_process, 'root', { partition: 'root', switchKind: 'thread', to: 'vmwp.exe' });
    yield tracer.emit(s, 'cpu.mode.switched', p.worker, costs.mode_switch, 'root', { partition: 'root', to: 'user' });
  }

  /** Makes the IOAPIC pin follow the emulator's INTA#: a rising line is asserted through VID (and injected if none is in service). */
  private *followLine(s: Strand): ProcessBody<void> {
    const high = this.nic.interruptAsserted;
    if (high === this.pin.asserted) return;
    if (!high) {
      this.pin.deassert();
      return;
    }
    yield this.tracer.emit(s, 'nic.interrupt.raised', this.places.emulator, 0, 'root', { nic: this.id, irq: TULIP_IRQ, csr5: this.nic.read(csrPort(CSR5)) });
    yield* this.pin.assert(s);
  }
}
