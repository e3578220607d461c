/**
 * storvsp, the synthetic storage VSP in the root kernel (reference §2.5,
 * §4.2), with the worker loop of OpenVMM's storvsp
 * (vm/devices/storage/storvsp/src/lib.rs, `poll_process_ready`), one worker
 * per channel:
 * - with fewer I/Os outstanding than `storvsp_poll_mode_queue_depth`
 *   (OpenVMM's `poll_mode_queue_depth`, default 1: none) the worker arms
 *   interrupts (clears its mask on the outbound ring, re-checks it) and
 *   waits for the guest's signal or a completion;
 * - from that many on it keeps the ring masked ("out of incoming
 *   packets, keeping interrupts masked") and lets I/O completions wake it:
 *   the guest then writes without signalling (its writer sees the mask),
 *   which is why host signals per I/O fall as queue depth rises, even when
 *   the root's CPUs are idle;
 * - on each wake it first writes every completion ready as one batch (one
 *   published write index, one signalling decision: OpenVMM `writer.batched()`),
 *   then reads every request waiting in the ring (`try_read_batch`), up to its
 *   queue depth (`DEFAULT_IO_QUEUE_DEPTH` = 256, resolver.rs).
 * Each request goes down the same back end the IDE emulator uses.
 */
import { objectArray, startProcess, type Process, type ProcessBody, type Waitable } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import { Channel, type ChannelSignal } from '../vmbus/channel.js';
import type { StorageBackend } from './backend.js';
import { COMPLETION_PACKET_BYTES, type SrbRequest, type StorChannel } from './vstor-protocol.js';

/** I/Os one channel's worker keeps in flight at most (OpenVMM storvsp resolver.rs `DEFAULT_IO_QUEUE_DEPTH`), V. */
export const STORVSP_IO_QUEUE_DEPTH = 256;

export class Storvsp {
  /** Requests taken from the ring and not yet completed to the guest. */
  private outstanding = 0;
  /** Back-end I/Os done, waiting for the worker to write their completions. */
  private completed = objectArray<{ s: Strand; req: SrbRequest }>(); // V8: engine/object-array.ts
  private readonly wake = new Doorbell();

  constructor(
    readonly place: Place,
    private readonly channel: StorChannel,
    private readonly backend: StorageBackend,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {
    // OpenVMM's poll_mode_queue_depth (default 1: masked whenever any I/O is in flight).
    const pollDepth = Math.max(1, Math.floor(costs.storvsp_poll_mode_queue_depth));
    startProcess(tracer.sim, this.worker(channel, channel.outbound, strand(channel.stream, -1), pollDepth), `${channel.id} storvsp worker`);
  }

  /**
   * The worker loop. Its setup is the constructor's, for V8: a generator's
   * prologue runs once per generator, before V8 has allocated the
   * function's feedback, so the optimized worker would meet its property
   * reads and calls without feedback when the next run on the thread starts
   * a new worker, and deoptimize there (then be optimized again).
   */
  private *worker(ch: StorChannel, ring: StorChannel['outbound'], s: Strand, pollDepth: number): ProcessBody<void> {
    for (;;) {
      if (this.completed.length === 0 && (ring.isEmpty || this.outstanding >= STORVSP_IO_QUEUE_DEPTH)) {
        if (this.outstanding < pollDepth) {
          // Fewer in flight than the poll-mode depth: arm interrupts, re-check, and wait for the guest to
          // signal, or (with I/O in flight) for a completion, whichever comes first.
          if (ring.interruptMask) yield ch.setHostMask(s, false);
          if (ring.isEmpty) {
            const line = ch.hostInterrupts;
            if (this.outstanding > 0 && line.pendingCount === 0) {
              line.onPending = (signal) => this.wake.ring(signal.cause);
              s.cause = yield this.wake;
              line.onPending = null;
            }
            if (this.outstanding === 0 || line.pendingCount > 0) {
              // The interrupt belongs to the request whose packet raised it (channel.ts ChannelSignal).
              const signal: ChannelSignal = yield line;
              const is = Channel.interruptStrand(signal);
              yield ch.takeHostInterrupt(is);
              s.cause = is.cause;
            }
          }
          yield ch.setHostMask(s, true);
        } else {
          // I/O in flight (and nothing to read, or no room for more): interrupts stay masked; a completion wakes the worker.
          s.cause = yield this.wake;
        }
      }
      if (this.completed.length > 0) {
        const done = this.completed;
        this.completed = [];
        yield* ch.sendBatchToGuest(done.map(({ s: ds, req }) => ({ s: ds, bytes: COMPLETION_PACKET_BYTES, packet: { stream: ds.stream, flow: ds.flow, type: 'COMP', body: { done: req.done } } })));
        this.outstanding -= done.length;
        s.cause = done[done.length - 1]!.s.cause;
      }
      while (this.outstanding < STORVSP_IO_QUEUE_DEPTH) {
        if (ring.isEmpty) break; // nothing to read (and no generator made to find that out)
        const packet = (yield* ch.readFromGuest(s))!;
        const ps = strand(packet.stream, packet.flow, s.cause);
        yield this.tracer.emit(ps, 'storvsp.request.processed', this.place, this.costs.storvsp_process_request, 'root', { channel: ch.id });
        this.outstanding++;
        startProcess(this.tracer.sim, this.io(ps, packet.body), 'storvsp I/O');
      }
    }
  }

  /** One request down the root's stack; its completion goes back through the worker. */
  private *io(s: Strand, req: SrbRequest): ProcessBody<void> {
    yield* this.backend.submit(s, { op: req.op, lba: req.lba, bytes: req.bytes });
    this.completed.push({ s, req });
    this.wake.ring(s.cause);
  }
}

/**
 * Wakes the worker: a completion rings it; rings while the worker is busy
 * fold into one (the worker takes every completion ready when it runs).
 */
class Doorbell implements Waitable {
  private waiter: Process | null = null;
  private pending = false;
  private cause = -1;

  ring(cause: number): void {
    const waiter = this.waiter;
    if (waiter !== null) {
      this.waiter = null;
      waiter.wake(cause);
    } else {
      this.pending = true;
      this.cause = cause;
    }
  }

  waitBy(process: Process): boolean {
    if (this.pending) {
      this.pending = false;
      process.resumeValue = this.cause;
      return true;
    }
    this.waiter = process;
    return false;
  }
}
