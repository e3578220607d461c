/**
 * One VMBus ring buffer (one direction of a channel), with the state the
 * Linux drivers keep in its header page (reference §2.1): write and read
 * indices (byte offsets into the data area), the reader's interrupt mask
 * and the writer's pending-send size. Packets are 8-byte aligned and carry
 * a 16-byte descriptor and an 8-byte trailer; the writer never fills the
 * ring completely, so read == write always means empty. The signalling
 * rules live here because they depend only on ring state:
 * - writer to reader (§2.2, §9.4): signal iff the ring was empty before the
 *   write and the reader's mask is clear;
 * - reader to a blocked writer (flow control, WS2012+): the writer that
 *   finds too little space posts `pendingSendSize` and waits; the reader
 *   signals once, when a read takes the free space from "not enough"
 *   (free <= pending) to "enough" (free > pending). Linux
 *   `hv_pkt_iter_close` (drivers/hv/ring_buffer.c) and OpenVMM
 *   `IncomingRing::commit_read` (vm/devices/vmbus/vmbus_ring) do the same.
 *
 * The size given is the data area; the 4 KiB header page comes on top, as
 * Linux's `VMBUS_RING_SIZE(payload)` adds it (storvsc_drv.c sizes its
 * rings with `VMBUS_RING_SIZE(storvsc_ringbuffer_size)`).
 */
import { objectArray } from '../../engine/index.js';

/** Bytes of the header page that precedes the data area. */
export const RING_HEADER_BYTES = 4096;
export const PACKET_DESCRIPTOR_BYTES = 16;
export const PACKET_TRAILER_BYTES = 8;

/** What the writer must do after a write. */
export type SignalDecision = 'signal' | 'ring-not-empty' | 'reader-masked';

/** Total on-ring size of a packet with `payloadBytes` of body: descriptor + body, 8-aligned, + trailer. */
export function packetBytes(payloadBytes: number): number {
  // Integer arithmetic (a packet is far below 2^31 bytes): a small integer in optimized code too, not a boxed double.
  return (((PACKET_DESCRIPTOR_BYTES + payloadBytes + 7) >> 3) << 3) + PACKET_TRAILER_BYTES;
}

export class RingBuffer<T> {
  readonly dataBytes: number;
  writeIndex = 0;
  readIndex = 0;
  /** Set by the reader while it drains; writers then do not signal. */
  interruptMask = false;
  /** Set by a blocked writer: the space it needs before the reader should signal it. */
  pendingSendSize = 0;
  private readonly queue = objectArray<{ bytes: number; item: T }>(); // V8: engine/object-array.ts
  private head = 0;

  /** `dataBytes`: the ring's data area (a positive multiple of 8), without its header page. */
  constructor(dataBytes: number) {
    if (!Number.isInteger(dataBytes) || dataBytes <= 0 || dataBytes % 8 !== 0) throw new RangeError(`a ring's data area must be a positive multiple of 8 bytes, not ${dataBytes}`);
    this.dataBytes = dataBytes;
  }

  /** Bytes of packets written and not yet read. */
  get bytesUsed(): number {
    return (this.writeIndex - this.readIndex + this.dataBytes) % this.dataBytes;
  }

  get isEmpty(): boolean {
    return this.writeIndex === this.readIndex;
  }

  /** Packets waiting to be read. */
  get packets(): number {
    return this.queue.length - this.head;
  }

  /** Bytes free in the data area. */
  get freeBytes(): number {
    return this.dataBytes - this.bytesUsed;
  }

  /** True if a packet of `bytes` fits without filling the ring completely (free space must exceed it: §2.1). */
  canWrite(bytes: number): boolean {
    return this.freeBytes > bytes;
  }

  /** True if a packet of `bytes` could ever be written, into an empty ring. */
  fits(bytes: number): boolean {
    return this.dataBytes > bytes;
  }

  /** Writes a packet (caller checked `canWrite`) and returns whether to signal the reader. */
  write(bytes: number, item: T): SignalDecision {
    if (!this.canWrite(bytes)) throw new RangeError('ring full: check canWrite first');
    const wasEmpty = this.isEmpty;
    this.queue.push({ bytes, item });
    this.writeIndex = (this.writeIndex + bytes) % this.dataBytes;
    if (this.interruptMask) return 'reader-masked';
    return wasEmpty ? 'signal' : 'ring-not-empty';
  }

  /** Reads the oldest packet, or returns undefined when empty. */
  read(): { bytes: number; item: T } | undefined {
    if (this.head === this.queue.length) return undefined;
    const packet = this.queue[this.head++]!;
    if (this.head === this.queue.length) this.queue.length = this.head = 0;
    else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.readIndex = (this.readIndex + packet.bytes) % this.dataBytes;
    return packet;
  }

  /**
   * After a read that found `freeBefore` bytes free: should the reader
   * signal a writer blocked on space (§2.3 step 3)? Only on the transition
   * from not enough space to enough, so a second read that frees more
   * space before the writer has run does not signal again (Linux
   * `hv_pkt_iter_close`; OpenVMM `commit_read`). The writer clears
   * `pendingSendSize` once it has written.
   */
  writerNeedsSignal(freeBefore: number): boolean {
    const pending = this.pendingSendSize;
    return pending !== 0 && freeBefore <= pending && this.freeBytes > pending;
  }
}
