import type { VmStateName } from './record-basics.js';

/** Trace record kinds: the network paths (the 21140, the virtual switch, netvsc and netvsp, the wire, the root's device interrupts), iSCSI and TCP. Part of the catalog, `../trace-events.ts`. */
export interface NetworkKindFields {
  // --- Network paths (model/network/; reference §2.6). A network packet is a request whose
  //     `io.request.issued` names the NIC in `disk`, with op 'write' (send) or 'read' (receive). ---
  /** The guest's tulip driver read or wrote a CSR of the emulated DEC 21140 (an I/O port instruction, so a VM exit). */
  'nic.csr.accessed': { nic: string; port: number; register: string; access: 'read' | 'write'; value?: number };
  /** The worker's 21140 emulator handled one CSR access (the value is what the guest reads or wrote). */
  'nic.csr.emulated': { nic: string; register: string; access: 'read' | 'write'; value: number };
  /** The guest driver wrote a descriptor in its own memory (no trap): `own` true hands it to the device. */
  'nic.descriptor.written': { nic: string; ring: 'tx' | 'rx'; index: number; own: boolean; bytes: number; interruptOnCompletion?: boolean };
  /** The guest driver took back a descriptor the device had finished with (a sent frame freed, a received frame taken). */
  'nic.descriptor.reclaimed': { nic: string; ring: 'tx' | 'rx'; index: number; bytes: number };
  /** The emulator read a transmit descriptor and copied its frame out of guest memory (DMA in the device model). */
  'nic.frame.fetched': { nic: string; index: number; bytes: number };
  /** The emulator finished a frame: the host send completed and the descriptor went back to the guest (OWN clear). */
  'nic.frame.transmitted': { nic: string; index: number; bytes: number; interruptOnCompletion: boolean };
  /** The emulator wrote a received frame into guest memory through a receive descriptor. */
  'nic.frame.received': { nic: string; index: number; bytes: number };
  /** The emulator dropped a received frame: no receive descriptor was free (RU) or the receiver was stopped. */
  'nic.frame.dropped': { nic: string; reason: 'no-rx-descriptor' | 'receiver-stopped' | 'rx-ring-full' };
  /** The emulator's interrupt line rose (CSR5 & CSR7 has a summary bit); the worker asks VID to assert it. */
  'nic.interrupt.raised': { nic: string; irq: number; csr5: number };
  /** The root's virtual switch forwarded a frame from one port to another (`external` is the physical NIC). */
  'vswitch.frame.forwarded': { from: string; to: string; bytes: number };
  /** The virtual switch copied a frame into a port owner's buffer (the worker process's pending read). */
  'vswitch.frame.copied': { port: string; bytes: number };
  /**
   * The virtual switch dropped a frame for a VM's port: `port-disconnected`, the VM is not running (Off, Saved,
   * starting or restoring, or its host failed: no partition, no port); `port-buffers-full`, the VM is paused or
   * stopped and the frames already waiting in its buffers fill them; `no-receive-buffer` (netvsp), the guest's
   * netvsc has not opened its channel and given a receive buffer (integration services not loaded); `memory-reverted`, the
   * frame was kept in the guest's buffers and a revert replaced its memory with a snapshot's. `state` is the VM's then.
   */
  'vswitch.frame.dropped': { port: string; reason: 'port-disconnected' | 'port-buffers-full' | 'no-receive-buffer' | 'memory-reverted'; state: VmStateName };
  /** The switch kept a frame for a VM whose guest is not running (`state`), in its port's buffers (the guest's memory), one of `frames` kept now, until the guest runs again. */
  'vswitch.frame.kept': { port: string; state: VmStateName; frames: number };
  /** A kept frame goes on (waitNs: how long it was kept): its guest runs again (`state` now), or its VM was turned off or failed and it is dropped. */
  'vswitch.frame.released': { port: string; state: VmStateName };
  /** netvsc built an RNDIS packet message; `mode` says whether the frame is copied into a send-buffer section or sent as a GPA page list. */
  'netvsc.packet.built': { channel: string; message: 'RNDIS_MSG_PACKET'; bytes: number; mode: 'send-buffer' | 'gpa-direct' };
  /** netvsc copied an outgoing frame (with its RNDIS header) into a section of the send buffer (a GPADL shared with the root). */
  'netvsc.send-buffer.copied': { channel: string; section: number; bytes: number };
  /** netvsc handled SEND_RNDIS_PKT_COMPLETE: the send is done and its section is free again. */
  'netvsc.send.completed': { channel: string; section: number };
  /** netvsc took one received frame from a receive-buffer range named by a transfer-page packet. */
  'netvsc.frame.received': { channel: string; range: number; bytes: number };
  /** netvsp (root kernel) decoded an NVSP message from the guest. */
  'netvsp.packet.processed': { channel: string; message: 'SEND_RNDIS_PKT'; section: number };
  /** netvsp copied a received frame into a range of the guest's receive buffer. */
  'netvsp.receive-buffer.written': { channel: string; range: number; bytes: number };
  /** netvsp got a receive completion back and freed the range. */
  'netvsp.range.freed': { channel: string; range: number };
  /** A frame waited in the physical NIC's transmit or receive queue (waitNs says how long). */
  'wire.queue.waited': { nic: string; direction: 'tx' | 'rx'; queued: number };
  /** The physical NIC sent a frame: DMA from host memory, then the wire (frame + preamble, FCS and gap); the parts add up to costNs. */
  'wire.frame.sent': { nic: string; bytes: number; wireBytes: number; dmaNs: number; wireNs: number };
  /** A frame arrived from the wire and the physical NIC DMA'd it into host memory; the parts add up to costNs. */
  'wire.frame.arrived': { nic: string; bytes: number; wireBytes: number; dmaNs: number; wireNs: number };
  /** The root handled a physical device's interrupt (ISR + DPC). */
  'hw.interrupt.handled': { device: string };
  /**
   * A received frame waited for the physical NIC's moderated interrupt (waitNs says how long): the
   * interrupt was held until its interval since the last one had passed (`itrNs`, the NIC's current
   * ITR), and `frames` frames, this one among them, were then handled by that one interrupt so far.
   */
  'nic.interrupt.held': { nic: string; itrNs: number; frames: number };
  // --- iSCSI (model/storage/iscsi.ts; reference §5.2). An initiator runs in the guest (path iscsi-guest, its
  //     frames through the synthetic NIC) or in the root (a LUN passed through to the VM's SCSI disk). ---
  /** An iSCSI initiator or target built and sent one PDU (a 48-byte basic header segment plus `dataBytes` of data). */
  'iscsi.pdu.sent': { by: 'initiator' | 'target'; target: string; opcode: 'SCSI Command' | 'SCSI Data-Out' | 'SCSI Data-In' | 'SCSI Response'; bytes: number; dataBytes: number };
  /** An iSCSI initiator or target took one PDU off its TCP connection and processed it. */
  'iscsi.pdu.received': { by: 'initiator' | 'target'; target: string; opcode: 'SCSI Command' | 'SCSI Data-Out' | 'SCSI Data-In' | 'SCSI Response'; bytes: number; dataBytes: number };
  /** A TCP/IP stack (a guest's or the root's) sent one segment of an iSCSI connection as one Ethernet frame. */
  'tcp.segment.sent': { stack: string; index: number; segments: number; payloadBytes: number; frameBytes: number };
  /** A TCP/IP stack took one received segment of an iSCSI connection. */
  'tcp.segment.received': { stack: string; index: number; segments: number; payloadBytes: number; frameBytes: number };
}

/** These kinds at run time, in catalog order. */
export const NETWORK_KINDS = {
  'nic.csr.accessed': true,
  'nic.csr.emulated': true,
  'nic.descriptor.written': true,
  'nic.descriptor.reclaimed': true,
  'nic.frame.fetched': true,
  'nic.frame.transmitted': true,
  'nic.frame.received': true,
  'nic.frame.dropped': true,
  'nic.interrupt.raised': true,
  'vswitch.frame.forwarded': true,
  'vswitch.frame.copied': true,
  'vswitch.frame.dropped': true,
  'vswitch.frame.kept': true,
  'vswitch.frame.released': true,
  'netvsc.packet.built': true,
  'netvsc.send-buffer.copied': true,
  'netvsc.send.completed': true,
  'netvsc.frame.received': true,
  'netvsp.packet.processed': true,
  'netvsp.receive-buffer.written': true,
  'netvsp.range.freed': true,
  'wire.queue.waited': true,
  'wire.frame.sent': true,
  'wire.frame.arrived': true,
  'hw.interrupt.handled': true,
  'nic.interrupt.held': true,
  'iscsi.pdu.sent': true,
  'iscsi.pdu.received': true,
  'tcp.segment.sent': true,
  'tcp.segment.received': true,
} as const satisfies Record<keyof NetworkKindFields, true>;
