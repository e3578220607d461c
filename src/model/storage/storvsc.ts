/**
 * storvsc, the synthetic storage VSC in the guest (reference §2.5, §4.2):
 * a StorPort miniport, or storflt, the filter that carries an IDE disk over
 * VMBus once integration services load (§4.3). One SCSI command = one
 * EXECUTE_SRB packet out (GPA-direct page list, no data copied through the
 * ring) + one COMPLETE_IO packet back; a request larger than the host's
 * maximum transfer goes as several commands. The host side is storvsp.ts.
 */
import { SimEvent, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';
import type { ChannelPacket } from '../vmbus/channel.js';
import { PAGE_BYTES, srbPacketBytes, type SrbCompletion, type StorChannel } from './vstor-protocol.js';

export { STORVSP_MAX_TRANSFER_BYTES, srbPacketBytes, type StorChannel } from './vstor-protocol.js';

/** The guest side: storvsc (SCSI controller) or storflt (IDE fast path). */
export class Storvsc {
  constructor(
    readonly place: Place,
    /** StorPort for storvsc; null for storflt, which filters above the IDE port driver. */
    private readonly port: Place | null,
    private readonly channel: StorChannel,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {
    channel.serveGuest((s, packet) => this.complete(s, packet));
  }

  /**
   * Sends the request as one SCSI command, or as several when it is larger
   * than storvsp's maximum transfer (all sent, then all awaited, as the
   * split parts of a request are queued together), and returns when every
   * completion has been processed.
   */
  *request(s: Strand, op: 'read' | 'write', lba: number, bytes: number): ProcessBody<void> {
    const { tracer, costs } = this;
    if (this.port !== null) yield tracer.emit(s, 'stack.layer.passed', this.port, costs.stack_port_miniport, 'guest', { layer: 'storport', direction: 'down' });
    // The profile's largest transfer (128 KiB for the 2008 driver, 256 KiB modern), in whole pages.
    const max = Math.max(PAGE_BYTES, Math.floor(costs.storvsc_max_transfer_bytes / PAGE_BYTES) * PAGE_BYTES);
    if (bytes <= max) {
      const done: SimEvent<number> = yield* this.send(s, op, lba, bytes);
      s.cause = yield done;
      return;
    }
    const parts: SimEvent<number>[] = [];
    for (let offset = 0; offset < bytes; offset += max) {
      const partBytes = Math.min(max, bytes - offset);
      parts.push(yield* this.send(s, op, lba + offset / 512, partBytes));
    }
    for (const done of parts) s.cause = yield done;
  }

  /** Builds one SRB and puts it on the ring; returns the event its completion triggers. */
  private *send(s: Strand, op: 'read' | 'write', lba: number, bytes: number): ProcessBody<SimEvent<number>> {
    const { tracer, costs } = this;
    // READ(10)/WRITE(10) carry a 32-bit LBA; beyond it the guest uses the 16-byte CDB (sd.c: sd_setup_rw16_cmnd).
    const cdb = lba + bytes / 512 > 2 ** 32 ? (op === 'write' ? 'WRITE(16)' : 'READ(16)') : op === 'write' ? 'WRITE(10)' : 'READ(10)';
    yield tracer.emit(s, 'storvsc.srb.built', this.place, costs.storvsc_build_srb, 'guest', {
      operation: 'EXECUTE_SRB',
      cdb,
      blocks: Math.ceil(bytes / 512),
      pfns: Math.max(1, Math.ceil(bytes / PAGE_BYTES)),
    });
    const done = new SimEvent<number>();
    yield* this.channel.sendToHost(s, srbPacketBytes(bytes), { stream: s.stream, flow: s.flow, type: 'DATA_USING_GPA_DIRECT', body: { op, lba, bytes, done } });
    return done;
  }

  private *complete(s: Strand, packet: ChannelPacket<SrbCompletion>): ProcessBody<void> {
    yield this.tracer.emit(s, 'storvsc.srb.completed', this.place, this.costs.storvsc_complete_srb, 'guest', { status: 0 });
    packet.body.done.trigger(s.cause);
  }
}
