/**
 * The VMBus control plane (reference §2.4): how a guest whose integration
 * services have just loaded connects to the root's VMBus server and opens
 * its channels, one HvPostMessage at a time. Guest -> host messages exit
 * to the hypervisor and reach the root as SynIC messages; the root answers
 * with its own HvPostMessage and a SynIC interrupt into the guest. A
 * channel is `offered`, then `opening` once the guest has described its
 * ring pages (GPADL) and asked to open it, then `open`. Channels of a VM
 * booted with integration services are open from the start (the handshake
 * happened at boot, before any workload).
 */
import type { ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import { HV_CALL_POST_MESSAGE, VECTOR_VMBUS, type Hypervisor } from '../hypervisor/hypervisor.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import { RING_HEADER_BYTES } from './ring-buffer.js';

/** vmbus_channel_message_type codes (include/linux/hyperv.h; reference §2.4). */
export const MESSAGE = {
  OFFERCHANNEL: 1,
  REQUESTOFFERS: 3,
  ALLOFFERS_DELIVERED: 4,
  OPENCHANNEL: 5,
  OPENCHANNEL_RESULT: 6,
  GPADL_HEADER: 8,
  GPADL_BODY: 9,
  GPADL_CREATED: 10,
  INITIATE_CONTACT: 14,
  VERSION_RESPONSE: 15,
} as const;
type MessageName = keyof typeof MESSAGE;

/**
 * PFNs per message: a message carries at most 240 bytes (§2.4); the GPADL
 * header's fixed fields leave room for 26 eight-byte PFNs, a body message's
 * for 29 (E, from the structs' sizes).
 */
const PFNS_IN_GPADL_HEADER = 26;
const PFNS_IN_GPADL_BODY = 29;
const PAGE_BYTES = 4096;
const VMBUS_SINT = 2;

/** What the control plane needs of a channel. */
export interface OpenableChannel {
  readonly id: string;
  state: 'offered' | 'opening' | 'open';
  /** Wakes whatever waits for the channel to open. */
  markOpen(cause: number): void;
}

/** Messages of one ring-page GPADL for two rings, each a header page and `ringBytes` of data: the header and the bodies. */
export function gpadlMessages(ringBytes: number): number {
  const pages = (2 * (RING_HEADER_BYTES + ringBytes)) / PAGE_BYTES;
  return 1 + Math.max(0, Math.ceil((pages - PFNS_IN_GPADL_HEADER) / PFNS_IN_GPADL_BODY));
}

export class ControlPlane {
  constructor(
    readonly vmId: string,
    private readonly guestVmbus: Place,
    private readonly rootVmbus: Place,
    private readonly ringBytes: number,
    private readonly hv: Hypervisor,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {
    if (!(ringBytes > 0)) throw new RangeError(`a ring's data area must be positive, not ${ringBytes}`);
  }

  /** The whole handshake: contact, offers, then a GPADL and an open per channel. */
  *connect(channels: readonly OpenableChannel[], cause: number): ProcessBody<void> {
    const s = strand('', -1, cause);
    s.cpuKey = `${this.vmId}//control`;
    yield* this.toHost(s, 'INITIATE_CONTACT');
    yield* this.toGuest(s, 'VERSION_RESPONSE');
    yield* this.toHost(s, 'REQUESTOFFERS');
    for (const ch of channels) {
      yield* this.toGuest(s, 'OFFERCHANNEL', ch.id);
      ch.state = 'offered';
      yield this.tracer.emit(s, 'vmbus.channel.changed', this.guestVmbus, 0, 'guest', { channel: ch.id, state: 'offered' });
    }
    yield* this.toGuest(s, 'ALLOFFERS_DELIVERED');
    for (const ch of channels) {
      const messages = gpadlMessages(this.ringBytes);
      yield* this.toHost(s, 'GPADL_HEADER', ch.id);
      for (let i = 1; i < messages; i++) yield* this.toHost(s, 'GPADL_BODY', ch.id);
      yield* this.toGuest(s, 'GPADL_CREATED', ch.id);
      yield* this.toHost(s, 'OPENCHANNEL', ch.id);
      ch.state = 'opening';
      yield this.tracer.emit(s, 'vmbus.channel.changed', this.guestVmbus, 0, 'guest', { channel: ch.id, state: 'opening' });
      yield* this.toGuest(s, 'OPENCHANNEL_RESULT', ch.id);
      ch.state = 'open';
      yield this.tracer.emit(s, 'vmbus.channel.changed', this.guestVmbus, 0, 'guest', { channel: ch.id, state: 'open' });
      ch.markOpen(s.cause);
    }
  }

  /** Guest -> host: HvPostMessage (an exit), then the root's VMBus driver takes the SynIC message. */
  private *toHost(s: Strand, message: MessageName, channel?: string): ProcessBody<void> {
    const fields = { message, code: MESSAGE[message], direction: 'to-host' as const };
    yield this.tracer.emit(s, 'hv.intercept.exited', this.hv.place, 0, 'hypervisor', { reason: 'hypercall' });
    yield this.tracer.emit(s, 'hv.hypercall.called', this.guestVmbus, this.costs.hypercall_post_message, 'guest', { call: 'HvPostMessage', code: HV_CALL_POST_MESSAGE });
    yield this.tracer.emit(s, 'vmbus.message.posted', this.guestVmbus, 0, 'guest', channel === undefined ? fields : { ...fields, channel });
    yield this.tracer.emit(s, 'hv.intercept.resumed', this.hv.place, 0, 'hypervisor', { reason: 'hypercall' });
    yield this.hv.deliverToRoot(s, this.rootVmbus, VMBUS_SINT);
  }

  /** Host -> guest: the root's HvPostMessage, then a SynIC interrupt into the guest. */
  private *toGuest(s: Strand, message: MessageName, channel?: string): ProcessBody<void> {
    const fields = { message, code: MESSAGE[message], direction: 'to-guest' as const };
    yield this.tracer.emit(s, 'hv.hypercall.called', this.rootVmbus, this.costs.hypercall_post_message, 'root', { call: 'HvPostMessage', code: HV_CALL_POST_MESSAGE });
    yield this.tracer.emit(s, 'vmbus.message.posted', this.rootVmbus, 0, 'root', channel === undefined ? fields : { ...fields, channel });
    yield this.hv.inject(s, this.vmId, VECTOR_VMBUS, 'synic');
  }
}
