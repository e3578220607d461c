/**
 * An Ethernet frame as the network paths carry it: its size, the switch
 * port it is addressed to, the request (stream, flow) it belongs to, and
 * the event that fires when its path is done with it (the guest reclaimed
 * the sent frame, or took the received one). Payload bytes are not
 * modelled, only their count; this is not a packet parser.
 */
import { SimEvent } from '../../engine/index.js';
import type { Strand } from '../tracer.js';

/** The virtual switch's port to the physical NIC (the uplink). */
export const EXTERNAL_PORT = 'external';

/** Ethernet framing the wire adds to a frame of `bytes` (header included, FCS not): FCS 4 + preamble/SFD 8 + inter-frame gap 12 (IEEE 802.3). */
export const ETHERNET_WIRE_OVERHEAD_BYTES = 24;

/** One frame in flight. */
export interface NicFrame {
  /** Frame length from the destination MAC to the end of the payload (1,514 for a full untagged frame). */
  readonly bytes: number;
  /** Destination switch port (`vm/nic`) or `EXTERNAL_PORT`. */
  readonly to: string;
  /** The request the frame belongs to. */
  readonly stream: string;
  readonly flow: number;
  /** Triggered with the cause seq when the frame's path is done with it. */
  readonly done: SimEvent<number>;
  /** Set when a receiver dropped the frame (its flow still completes). */
  dropped: boolean;
  /** A frame from the wire that TCP's window holds its sender to (iSCSI): it waits rather than being dropped. */
  flowControlled?: boolean;
  /**
   * Set when the switch kept the frame for a guest that was not running: fires once the guest has taken it, or
   * it was dropped (the sender's part ended when the port's buffers took it). Its packet ends then.
   */
  delivery?: SimEvent<number>;
  /**
   * For a frame from the wire: frees the physical NIC's receive descriptor
   * it sits in, called (once) by whoever copies it out: the switch into a
   * worker process's buffer, or netvsp into the guest's receive buffer.
   */
  copiedOut?: () => void;
}

/** A frame of `bytes` to port `to`, belonging to strand `s`'s request. */
export function newFrame(s: Strand, bytes: number, to: string): NicFrame {
  if (!Number.isInteger(bytes) || bytes < 14) throw new RangeError(`a frame needs at least its 14-byte Ethernet header, got ${bytes} bytes`);
  return { bytes, to, stream: s.stream, flow: s.flow, done: new SimEvent<number>(), dropped: false };
}

/** ns to copy `bytes` at `nsPerKib` (a cost-table rate), rounded to whole ns. */
export function copyNs(bytes: number, nsPerKib: number): number {
  return Math.round((bytes * nsPerKib) / 1024);
}

/** Frees the physical NIC receive descriptor `frame` holds (`copiedOut`), once. */
export function releaseFrame(frame: NicFrame): void {
  const release = frame.copiedOut;
  if (release === undefined) return;
  frame.copiedOut = undefined;
  release();
}
