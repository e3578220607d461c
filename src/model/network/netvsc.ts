/**
 * netvsc, the synthetic NIC's VSC in the guest kernel (reference §2.6;
 * Linux drivers/net/hyperv/netvsc.c, rndis_filter.c, netvsc_drv.c, V).
 * Send: build an RNDIS_MSG_PACKET, copy it into a free section of the send
 * buffer (a GPADL the root mapped once, at channel set-up) and send one
 * inband NVSP SEND_RNDIS_PKT naming the section, completion requested; a
 * frame too big for a section goes as a GPA page list instead, with no
 * copy. The section is free again when SEND_RNDIS_PKT_COMPLETE comes back.
 * Receive: a transfer-page packet (type 7) names a range of the receive
 * buffer holding one RNDIS packet; netvsc copies the frame into an skb,
 * indicates it up and sends a completion that frees the range. One VMBus
 * packet each way per frame; signals and interrupts follow the ring rules
 * in channel.ts, so batching at high rates emerges there. Linux batches
 * receive completions at the end of its NAPI poll; here each is sent as
 * its frame is taken (E: the same packets, possibly more signals).
 * The channel callback never waits for ring space: a receive completion
 * that finds the outbound ring full is kept and sent when space frees
 * (Linux keeps them in `nvchan->mrc` and `send_recv_completions` retries
 * on the next poll), so the guest's reader goes on draining the inbound
 * ring, and netvsp's completions into it cannot deadlock against it.
 */
import { startProcess, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import type { Channel, ChannelPacket } from '../vmbus/channel.js';
import { copyNs, type NicFrame } from './frame.js';
import {
  NETVSC_SEND_BUFFER_BYTES,
  NETVSC_SEND_SECTION_SIZE,
  RECV_COMPLETION_PACKET_BYTES,
  RNDIS_PACKET_HEADER_BYTES,
  SEND_RNDIS_INBAND_PACKET_BYTES,
  fitsSendSection,
  sendRndisGpaPacketBytes,
} from './netvsc-protocol.js';
import { SectionPool } from './section-pool.js';

/** A packet to the host: an RNDIS data packet (SEND_RNDIS_PKT), or a receive completion freeing ranges. */
export type NetHostBound = { kind: 'rndis'; frame: NicFrame; section: number } | { kind: 'recv-comp'; ranges: number[] };

/** A packet to the guest: a send completion, or a transfer-page packet naming received data. */
export type NetGuestBound = { kind: 'send-comp'; frame: NicFrame; section: number } | { kind: 'xfer'; frame: NicFrame; ranges: number[] };

/** The synthetic NIC's VMBus channel. */
export type NetChannel = Channel<NetHostBound, NetGuestBound>;

export class Netvsc {
  /** Send-buffer sections (1 MiB / 6,144 B = 170). */
  readonly sendSections = new SectionPool(Math.floor(NETVSC_SEND_BUFFER_BYTES / NETVSC_SEND_SECTION_SIZE), 'netvsc send buffer');
  /** Receive completions not yet on the ring, oldest first, and whether a process is sending them. */
  private readonly completions: { stream: string; cause: number; ranges: number[] }[] = [];
  private completionHead = 0;
  private flushing = false;

  constructor(
    readonly place: Place,
    private readonly channel: NetChannel,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {
    channel.serveGuest((s, packet) => this.onPacket(s, packet));
  }

  /** `netvsc_send`, then waits for the send completion. */
  *send(s: Strand, frame: NicFrame): ProcessBody<void> {
    const { tracer, costs, channel } = this;
    const rndisBytes = frame.bytes + RNDIS_PACKET_HEADER_BYTES;
    const copy = fitsSendSection(rndisBytes);
    yield tracer.emit(s, 'netvsc.packet.built', this.place, costs.netvsc_send_packet, 'guest', {
      channel: channel.id,
      message: 'RNDIS_MSG_PACKET',
      bytes: rndisBytes,
      mode: copy ? 'send-buffer' : 'gpa-direct',
    });
    let section = -1;
    if (copy) {
      section = yield* this.sendSections.take();
      yield tracer.emit(s, 'netvsc.send-buffer.copied', this.place, copyNs(rndisBytes, costs.memcpy_ns_per_kib), 'guest', { channel: channel.id, section, bytes: rndisBytes });
    }
    yield* channel.sendToHost(s, copy ? SEND_RNDIS_INBAND_PACKET_BYTES : sendRndisGpaPacketBytes(rndisBytes), {
      stream: s.stream,
      flow: s.flow,
      type: copy ? 'DATA_INBAND' : 'DATA_USING_GPA_DIRECT',
      body: { kind: 'rndis', frame, section },
    });
    s.cause = yield frame.done;
  }

  /** The channel callback: a send completion or a transfer-page packet. */
  private *onPacket(s: Strand, packet: ChannelPacket<NetGuestBound>): ProcessBody<void> {
    const { tracer, costs, channel } = this;
    const body = packet.body;
    if (body.kind === 'send-comp') {
      yield tracer.emit(s, 'netvsc.send.completed', this.place, costs.netvsc_send_complete, 'guest', { channel: channel.id, section: body.section });
      if (body.section >= 0) this.sendSections.release(body.section);
      body.frame.done.trigger(s.cause);
      return;
    }
    // netvsc_receive -> rndis_filter_receive -> netvsc_recv_callback: the frame is copied into an skb and goes up.
    yield tracer.emit(s, 'netvsc.frame.received', this.place, costs.netvsc_receive_packet + copyNs(body.frame.bytes, costs.memcpy_ns_per_kib), 'guest', {
      channel: channel.id,
      range: body.ranges[0]!,
      bytes: body.frame.bytes,
    });
    // The completion frees the ranges; the host's handling of it belongs to no one packet (flow -1).
    this.completions.push({ stream: s.stream, cause: s.cause, ranges: body.ranges });
    if (!this.flushing) {
      this.flushing = true;
      startProcess(tracer.sim, this.flushCompletions(), `${channel.id} receive completions`);
    }
    body.frame.done.trigger(s.cause);
  }

  /** Sends the receive completions in order, waiting for ring space as a writer does, apart from the reader. */
  private *flushCompletions(): ProcessBody<void> {
    while (this.completionHead < this.completions.length) {
      const c = this.completions[this.completionHead++]!;
      const s = strand(c.stream, -1, c.cause);
      yield* this.channel.sendToHost(s, RECV_COMPLETION_PACKET_BYTES, { stream: c.stream, flow: -1, type: 'COMP', body: { kind: 'recv-comp', ranges: c.ranges } });
    }
    this.completions.length = this.completionHead = 0;
    this.flushing = false;
  }
}
