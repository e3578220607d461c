/**
 * The synthetic storage pair (reference §2.5, §4.2): storvsc in the guest
 * (a StorPort miniport; or storflt, the filter that carries an IDE disk
 * over VMBus once integration services load, §4.3) and storvsp in the root
 * kernel. One SCSI command = one EXECUTE_SRB packet out (GPA-direct page
 * list, no data copied through the ring) + one COMPLETE_IO packet back.
 * storvsp sends each request down the same back end the IDE emulator uses.
 */
import { SimEvent, startProcess, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import type { Channel, ChannelPacket } from '../vmbus/channel.js';
import { packetBytes } from '../vmbus/ring-buffer.js';
import type { StorageBackend } from './backend.js';

/** vstor_packet operation codes (§2.5). */
export const VSTOR_OPERATION_COMPLETE_IO = 1;
export const VSTOR_OPERATION_EXECUTE_SRB = 3;

/** Sizes from the structs (§2.5): vstor_packet with the Win8 extension, the GPA range header, a PFN. */
const VSTOR_PACKET_BYTES = 64;
const GPA_RANGE_HEADER_BYTES = 16; // reserved/count (8) + {len, offset} (8)
const PFN_BYTES = 8;
const PAGE_BYTES = 4096;

/** The request packet body. */
export interface SrbRequest {
  op: 'read' | 'write';
  lba: number;
  bytes: number;
  done: SimEvent<number>;
}

/** The completion packet body. */
export interface SrbCompletion {
  done: SimEvent<number>;
}

export type StorChannel = Channel<SrbRequest, SrbCompletion>;

/**
 * The most one SRB moves: storvsp reports it in QUERY_PROPERTIES
 * (`max_transfer_bytes`) and the guest splits larger requests to fit (Linux
 * storvsc_probe: `host->max_sectors = max_xfer_bytes >> 9`, so the block
 * layer splits; Windows StorPort's MaximumTransferLength, so the class
 * driver splits). 256 KiB is OpenVMM storvsp's value
 * (vm/devices/storage/storvsp/src/lib.rs, `max_transfer_bytes: 0x40000`), V;
 * Windows Server's storvsp may report another, E. It also keeps the largest
 * SRB packet (64 PFNs, 616 bytes) well inside the smallest ring.
 */
export const STORVSP_MAX_TRANSFER_BYTES = 0x40000;

/** Bytes on the ring of an EXECUTE_SRB for a buffer of `bytes` (page-aligned): ≈ 128–136 for 10 KiB. */
export function srbPacketBytes(bytes: number): number {
  const pfns = Math.max(1, Math.ceil(bytes / PAGE_BYTES));
  return packetBytes(GPA_RANGE_HEADER_BYTES + pfns * PFN_BYTES + VSTOR_PACKET_BYTES);
}

/** Bytes on the ring of a COMPLETE_IO: ≈ 88. */
export const COMPLETION_PACKET_BYTES = packetBytes(VSTOR_PACKET_BYTES);

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
    if (bytes <= STORVSP_MAX_TRANSFER_BYTES) {
      const done: SimEvent<number> = yield* this.send(s, op, lba, bytes);
      s.cause = yield done;
      return;
    }
    const parts: SimEvent<number>[] = [];
    for (let offset = 0; offset < bytes; offset += STORVSP_MAX_TRANSFER_BYTES) {
      const partBytes = Math.min(STORVSP_MAX_TRANSFER_BYTES, bytes - offset);
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

/** The root side: storvsp. */
export class Storvsp {
  constructor(
    readonly place: Place,
    private readonly channel: StorChannel,
    private readonly backend: StorageBackend,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {
    channel.serveHost((s, packet) => this.process(s, packet));
  }

  /** Decodes one request and starts its I/O; the drain loop goes on to the next packet. */
  private *process(s: Strand, packet: ChannelPacket<SrbRequest>): ProcessBody<void> {
    yield this.tracer.emit(s, 'storvsp.request.processed', this.place, this.costs.storvsp_process_request, 'root', { channel: this.channel.id });
    startProcess(this.tracer.sim, this.io(strand(s.stream, s.flow, s.cause), packet.body), 'storvsp I/O');
  }

  private *io(s: Strand, req: SrbRequest): ProcessBody<void> {
    yield* this.backend.submit(s, { op: req.op, lba: req.lba, bytes: req.bytes });
    yield* this.channel.sendToGuest(s, COMPLETION_PACKET_BYTES, { stream: s.stream, flow: s.flow, type: 'COMP', body: { done: req.done } });
  }
}
