/**
 * NVSP/RNDIS constants and on-ring packet sizes of the synthetic NIC
 * (reference §2.6). Sources (V unless marked): Linux
 * drivers/net/hyperv/hyperv_net.h (NVSP_VERSION_MSG_START 100, so
 * NVSP_MSG1_TYPE_SEND_RNDIS_PKT = 107 and _COMPLETE = 108;
 * NETVSC_SEND_SECTION_SIZE 6144, NETVSC_RECV_SECTION_SIZE 1728, send
 * buffer default 1 MiB, receive buffer default 16 MiB); netvsc.c
 * (`netvsc_send`: a packet is copied into a section when
 * `pktlen + pkt_align < send_section_size`, otherwise sent as a GPA page
 * list; `netvsc_send_pkt` sends an inband NVSP message with
 * COMPLETION_REQUESTED; `netvsc_receive`: one VM_PKT_DATA_USING_XFER_PAGES
 * packet whose ranges are RNDIS packets; `send_recv_completions`: one
 * VM_PKT_COMP of {hdr, status} per transfer-page packet); include/linux/
 * rndis.h (RNDIS_MSG_PACKET 1; `rndis_packet` is 9 u32s). Sizes of the
 * NVSP message on the wire (40 bytes) and of the hash per-packet info are R.
 */
import { packetBytes } from '../vmbus/ring-buffer.js';

export const NVSP_MSG1_TYPE_SEND_RNDIS_PKT = 107;
export const NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE = 108;
export const RNDIS_MSG_PACKET = 1;

/** Send-buffer sections and receive-buffer ranges (Linux defaults). */
export const NETVSC_SEND_SECTION_SIZE = 6144;
export const NETVSC_RECV_SECTION_SIZE = 1728;
export const NETVSC_SEND_BUFFER_BYTES = 1024 * 1024;
export const NETVSC_RECEIVE_BUFFER_BYTES = 16 * 1024 * 1024;
/** `pkt_align` the host negotiates (RNDIS_PKT_ALIGN_DEFAULT 8). */
export const NETVSC_PKT_ALIGN = 8;

/** An NVSP message as it travels in a packet (R: 40 bytes). */
export const NVSP_MESSAGE_BYTES = 40;
/** RNDIS_MESSAGE_SIZE(rndis_packet) = 8-byte message header + 36-byte rndis_packet, plus the hash per-packet info netvsc_xmit always adds (R: 16). */
export const RNDIS_PACKET_HEADER_BYTES = 44 + 16;
/** The guest's receive completion: nvsp_message_header + status. */
const RECV_COMPLETION_BODY_BYTES = 8;
/** vmtransfer_page_packet_header after the descriptor: xfer_pageset_id, sender_owns_set, reserved, range_cnt. */
const XFER_PAGE_HEADER_BYTES = 8;
const XFER_PAGE_RANGE_BYTES = 8;
const GPA_RANGE_HEADER_BYTES = 16;
const PFN_BYTES = 8;
const PAGE_BYTES = 4096;

/** Bytes on the ring of the inband SEND_RNDIS_PKT that names a send-buffer section: 64. */
export const SEND_RNDIS_INBAND_PACKET_BYTES = packetBytes(NVSP_MESSAGE_BYTES);

/** Bytes on the ring of a SEND_RNDIS_PKT whose frame goes as a GPA page list. */
export function sendRndisGpaPacketBytes(rndisBytes: number): number {
  const pfns = Math.ceil(rndisBytes / PAGE_BYTES) + 1; // the buffer may straddle a page boundary
  return packetBytes(GPA_RANGE_HEADER_BYTES + pfns * PFN_BYTES + NVSP_MESSAGE_BYTES);
}

/** Bytes on the ring of the host's SEND_RNDIS_PKT_COMPLETE: 64. */
export const SEND_COMPLETION_PACKET_BYTES = packetBytes(NVSP_MESSAGE_BYTES);

/** Bytes on the ring of a transfer-page packet with one range (one RNDIS packet): 80. */
export const XFER_PAGE_PACKET_BYTES = packetBytes(XFER_PAGE_HEADER_BYTES + XFER_PAGE_RANGE_BYTES + NVSP_MESSAGE_BYTES);

/** Bytes on the ring of the guest's receive completion: 32. */
export const RECV_COMPLETION_PACKET_BYTES = packetBytes(RECV_COMPLETION_BODY_BYTES);

/** True if a frame's RNDIS packet fits a send-buffer section (netvsc copies it there). */
export function fitsSendSection(rndisBytes: number): boolean {
  return rndisBytes + NETVSC_PKT_ALIGN < NETVSC_SEND_SECTION_SIZE;
}

/** Ranges a received frame's RNDIS packet occupies in the receive buffer. */
export function receiveSectionsOf(rndisBytes: number): number {
  return Math.ceil(rndisBytes / NETVSC_RECV_SECTION_SIZE);
}
