/**
 * The VMBus storage protocol between storvsc and storvsp (reference §2.5;
 * Linux drivers/scsi/storvsc_drv.c, OpenVMM vm/devices/storage/storvsp):
 * operation codes, packet sizes from the structs, the packet bodies, and
 * the maximum transfer the host reports. Constants and types only; the
 * guest side is storvsc.ts, the host side storvsp.ts.
 */
import type { SimEvent } from '../../engine/index.js';
import type { Channel } from '../vmbus/channel.js';
import { packetBytes } from '../vmbus/ring-buffer.js';

/** vstor_packet operation codes (§2.5). */
export const VSTOR_OPERATION_COMPLETE_IO = 1;
export const VSTOR_OPERATION_EXECUTE_SRB = 3;

/** Sizes from the structs (§2.5): vstor_packet with the Win8 extension, the GPA range header, a PFN. */
const VSTOR_PACKET_BYTES = 64;
const GPA_RANGE_HEADER_BYTES = 16; // reserved/count (8) + {len, offset} (8)
const PFN_BYTES = 8;
export const PAGE_BYTES = 4096;

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
 * driver splits). The model takes the profile's `storvsc_max_transfer_bytes` (128 KiB for
 * the 2008 driver, reference §2.5; modern: this). 256 KiB is OpenVMM storvsp's value
 * (vm/devices/storage/storvsp/src/lib.rs, `max_transfer_bytes: 0x40000`), V;
 * Windows Server's storvsp may report another, E. It also keeps the largest
 * SRB packet (64 PFNs, 616 bytes) well inside the smallest ring.
 */
export const STORVSP_MAX_TRANSFER_BYTES = 0x40000;

/** Bytes on the ring of an EXECUTE_SRB for a buffer of `bytes` (page-aligned): ≈ 128–136 for 10 KiB. */
export function srbPacketBytes(bytes: number): number {
  const pfns = Math.max(1, Math.ceil(bytes / PAGE_BYTES) | 0);
  return packetBytes(GPA_RANGE_HEADER_BYTES + pfns * PFN_BYTES + VSTOR_PACKET_BYTES);
}

/** Bytes on the ring of a COMPLETE_IO: ≈ 88. */
export const COMPLETION_PACKET_BYTES = packetBytes(VSTOR_PACKET_BYTES);

