/**
 * netvsp, the synthetic NIC's VSP in the root kernel (inside vmswitch.sys
 * on Windows; reference §2.6). It reads SEND_RNDIS_PKT packets from the
 * channel, builds a send over the send-buffer section it mapped at channel
 * set-up (no per-packet mapping, no copy: the NIC DMAs from the section),
 * hands it to the virtual switch and, when the switch is done with it,
 * sends SEND_RNDIS_PKT_COMPLETE back. As the switch port of its VM it takes
 * a free range of the guest's receive buffer, copies the frame in, and
 * sends one transfer-page packet; the guest's completion frees the range.
 * No user-mode component and no worker process on any of it.
 */
import { startProcess, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import type { ChannelPacket } from '../vmbus/channel.js';
import { copyNs, releaseFrame, type NicFrame } from './frame.js';
import type { NetChannel, NetHostBound } from './netvsc.js';
import {
  NETVSC_RECEIVE_BUFFER_BYTES,
  NETVSC_RECV_SECTION_SIZE,
  RNDIS_PACKET_HEADER_BYTES,
  SEND_COMPLETION_PACKET_BYTES,
  XFER_PAGE_PACKET_BYTES,
  receiveSectionsOf,
} from './netvsc-protocol.js';
import { SectionPool } from './section-pool.js';
import { dropAtPort, type PortVm, type SwitchPort, type VirtualSwitch } from './vswitch.js';

export class Netvsp implements SwitchPort {
  readonly buffered = false;
  vm: PortVm | null = null;
  /**
   * Frames kept for a guest that is not running: as many transfer-page
   * packets as the guest's inbound ring holds (a writer never fills it, §2.1);
   * its receive buffer (9,709 ranges) holds more (vswitch.ts `keep`).
   */
  readonly keepFrames: number;
  /** Receive-buffer ranges (16 MiB / 1,728 B). */
  readonly receiveRanges = new SectionPool(Math.floor(NETVSC_RECEIVE_BUFFER_BYTES / NETVSC_RECV_SECTION_SIZE), 'netvsp receive buffer');

  constructor(
    /** Switch port id, `vm/nic`. */
    readonly id: string,
    readonly place: Place,
    private readonly channel: NetChannel,
    private readonly vswitch: VirtualSwitch,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {
    channel.serveHost((s, packet) => this.onPacket(s, packet));
    this.keepFrames = Math.min(this.receiveRanges.count, Math.floor((channel.inbound.dataBytes - 1) / XFER_PAGE_PACKET_BYTES));
  }

  /** The channel callback (root VMBus DPC): decode, start the send, go on draining. */
  private *onPacket(s: Strand, packet: ChannelPacket<NetHostBound>): ProcessBody<void> {
    const { tracer, costs, channel } = this;
    const body = packet.body;
    if (body.kind === 'recv-comp') {
      yield tracer.emit(s, 'netvsp.range.freed', this.place, costs.netvsp_range_free, 'root', { channel: channel.id, range: body.ranges[0]! });
      for (const range of body.ranges) this.receiveRanges.release(range);
      return;
    }
    yield tracer.emit(s, 'netvsp.packet.processed', this.place, costs.netvsp_process_packet, 'root', { channel: channel.id, message: 'SEND_RNDIS_PKT', section: body.section });
    startProcess(tracer.sim, this.transmit(strand(s.stream, s.flow, s.cause), body.frame, body.section), `${this.id} send`);
  }

  /** Through the switch, then the completion back to the guest. */
  private *transmit(s: Strand, frame: NicFrame, section: number): ProcessBody<void> {
    yield* this.vswitch.forward(s, frame, this.id);
    yield* this.channel.sendToGuest(s, SEND_COMPLETION_PACKET_BYTES, { stream: s.stream, flow: s.flow, type: 'COMP', body: { kind: 'send-comp', frame, section } });
  }

  /**
   * A frame for this VM: into the receive buffer, a transfer-page packet to
   * the guest; returns when the guest has taken it. Until the guest's netvsc
   * has opened the channel (integration services loaded) it has given netvsp
   * no receive buffer, so the frame is dropped (`no-receive-buffer`): no
   * synthetic network before the integration services (row seed 000:
   * "Before the Integration Components are installed there's no network
   * available", V; netvsc sends its receive buffer's GPADL in its NVSP
   * set-up after vmbus_open, Linux netvsc.c netvsc_init_buf, V).
   */
  *deliver(s: Strand, frame: NicFrame): ProcessBody<void> {
    const { tracer, costs, channel } = this;
    if (channel.state !== 'open') {
      yield* dropAtPort(tracer, s, this.place, frame, this, 'no-receive-buffer');
      return;
    }
    const rndisBytes = frame.bytes + RNDIS_PACKET_HEADER_BYTES;
    const ranges: number[] = [];
    for (let n = receiveSectionsOf(rndisBytes); n > 0; n--) ranges.push(yield* this.receiveRanges.take());
    yield tracer.emit(s, 'netvsp.receive-buffer.written', this.place, costs.netvsp_receive_indicate + copyNs(rndisBytes, costs.memcpy_ns_per_kib), 'root', {
      channel: channel.id,
      range: ranges[0]!,
      bytes: rndisBytes,
    });
    releaseFrame(frame);
    yield* channel.sendToGuest(s, XFER_PAGE_PACKET_BYTES, { stream: s.stream, flow: s.flow, type: 'DATA_USING_XFER_PAGES', body: { kind: 'xfer', frame, ranges } });
    s.cause = yield frame.done;
  }
}
