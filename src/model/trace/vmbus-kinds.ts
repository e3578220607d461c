/** Trace record kinds: VMBus rings and signals, storvsc and storvsp, the VHD parser, the VMBus control plane and integration services. Part of the catalog, `../trace-events.ts`. */
import type { BackendKind } from './record-basics.js';

export interface VmbusKindFields {
  /** A packet was written into a ring. `wasEmpty`: the ring held nothing before it. */
  'vmbus.ring.written': { channel: string; ring: 'outbound' | 'inbound'; packetBytes: number; packetType: string; writeIndex: number; readIndex: number; wasEmpty: boolean };
  /** A packet was read from a ring. */
  'vmbus.ring.read': { channel: string; ring: 'outbound' | 'inbound'; packetBytes: number; readIndex: number; writeIndex: number };
  /** A writer found too little free space for its packet, posted `pendingSendSize` in the ring's header and waits for the reader's signal (flow control). */
  'vmbus.ring.blocked': { channel: string; ring: 'outbound' | 'inbound'; packetBytes: number; freeBytes: number; pendingSendSize: number };
  /** The reader's read took the free space past a blocked writer's `pendingSendSize`: it signals the writer once. */
  'vmbus.space.signalled': { channel: string; ring: 'outbound' | 'inbound'; freeBytes: number; pendingSendSize: number };
  /** The writer signalled the reader (empty -> non-empty with the reader's mask clear). */
  'vmbus.signal.sent': { channel: string; direction: 'to-host' | 'to-guest'; via: 'hypercall' | 'monitor' };
  /** The writer did not signal: the ring was not empty, or the reader was masked (draining). */
  'vmbus.signal.suppressed': { channel: string; direction: 'to-host' | 'to-guest'; reason: 'ring-not-empty' | 'reader-masked' };
  /** The reader set its interrupt mask before draining. */
  'vmbus.mask.set': { channel: string; ring: 'outbound' | 'inbound' };
  /** The reader cleared its mask after draining (and re-checked the ring). */
  'vmbus.mask.cleared': { channel: string; ring: 'outbound' | 'inbound'; pending: number };
  /** storvsc built an EXECUTE_SRB for a SCSI command. */
  'storvsc.srb.built': { operation: string; cdb: string; blocks: number; pfns: number };
  /** storvsc completed a SCSI command from a COMPLETE_IO packet. */
  'storvsc.srb.completed': { status: number };
  /** storvsp processed a request and sent it down the root's stack. */
  'storvsp.request.processed': { channel: string };
  /** The back end turned a request into a device I/O: guest data, or the VHD parser's own metadata (`purpose`). */
  'vhd.offset.translated': { backend: BackendKind; lba: number; fileOffset: number; purpose?: 'data' | 'bitmap' | 'footer' | 'bat' | 'zero-fill' | 'log' | 'header'; image?: string };
  /** The VHD parser looked up a block's BAT entry and sector bitmap in one image of the chain (level 0 = the leaf). */
  'vhd.block.looked-up': { image: string; level: number };
  /** A dynamic or differencing VHD file grew by a block (first write into it). */
  'vhd.file.extended': { image: string; bytes: number };
  /** Sectors present in no image of the chain read as zeros, with no device I/O. */
  'vhd.zeros.returned': { sectors: number };
  /** A snapshot was taken: a new differencing image now takes the disk's writes. */
  'vhd.snapshot.taken': { disk: string; image: string; depth: number };
  /** A VMBus control message went by HvPostMessage (reference §2.4): the connection and channel handshake. */
  'vmbus.message.posted': { message: string; code: number; direction: 'to-host' | 'to-guest'; channel?: string };
  /** A channel changed state in its lifecycle (offered, opening, open). */
  'vmbus.channel.changed': { channel: string; state: 'offered' | 'opening' | 'open' };
  /** Integration services (VSCs and storflt) finished loading in a guest; its IDE disks move to the fast path. */
  'guest.integration.loaded': { vm: string };
}

/** These kinds at run time, in catalog order. */
export const VMBUS_KINDS = {
  'vmbus.ring.written': true,
  'vmbus.ring.read': true,
  'vmbus.ring.blocked': true,
  'vmbus.space.signalled': true,
  'vmbus.signal.sent': true,
  'vmbus.signal.suppressed': true,
  'vmbus.mask.set': true,
  'vmbus.mask.cleared': true,
  'storvsc.srb.built': true,
  'storvsc.srb.completed': true,
  'storvsp.request.processed': true,
  'vhd.offset.translated': true,
  'vhd.block.looked-up': true,
  'vhd.file.extended': true,
  'vhd.zeros.returned': true,
  'vhd.snapshot.taken': true,
  'vmbus.message.posted': true,
  'vmbus.channel.changed': true,
  'guest.integration.loaded': true,
} as const satisfies Record<keyof VmbusKindFields, true>;
