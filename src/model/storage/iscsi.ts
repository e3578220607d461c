/**
 * iSCSI (RFC 3720) as the two Hyper-V deployments use it (reference §5.2):
 * a target on the network with its own disk, and an initiator that runs
 * either inside the guest (its frames go through the guest's TCP/IP, the
 * synthetic NIC, VMBus, netvsp, the root's virtual switch and the physical
 * NIC: the storage VSP is bypassed, but every I/O costs several network
 * packets on VMBus) or in the root (the root's initiator logs in to the LUN
 * and Hyper-V passes that disk through to the VM's synthetic SCSI
 * controller: one storvsc request and one completion on VMBus, the network
 * work in the root).
 *
 * One I/O: the initiator builds its PDUs (a write: SCSI Command with the
 * first 8 KiB as immediate data, then unsolicited Data-Out PDUs of at most
 * 8 KiB; a read: SCSI Command), TCP cuts the byte stream into segments of
 * at most 1,460 bytes (MSS for a 1,500-byte MTU), each one Ethernet frame
 * (+54 bytes of Ethernet, IP and TCP headers). The target processes the
 * PDUs, does the I/O on its disk and answers (a write: SCSI Response; a
 * read: Data-In PDUs of at most 8 KiB, the last carrying the status), and
 * the answer comes back segment by segment. Simplifications: negotiated
 * parameters are fixed (ImmediateData=Yes, InitialR2T=No, so no R2T round
 * trip; MaxRecvDataSegmentLength 8,192, the RFC 3720 default; no digests);
 * no TCP acknowledgements, windows or retransmission; no segmentation or
 * checksum offload; the target's own NIC and the cable are folded into the
 * host NIC's wire time and the target's per-PDU cost.
 */
import { startProcess, type Process, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Disk, DiskIo } from '../hardware/disk.js';
import type { Place } from '../topology.js';
import { strand, type Strand, type Tracer } from '../tracer.js';
import type { RootStackPlaces, StorageBackend } from './backend.js';

/** iSCSI basic header segment (RFC 3720 §10.2.1). */
export const ISCSI_BHS_BYTES = 48;
/** MaxRecvDataSegmentLength, RFC 3720 default (§12.12): data bytes per PDU. */
export const ISCSI_MAX_DATA_SEGMENT_BYTES = 8192;
/** TCP maximum segment size on Ethernet: MTU 1,500 − 20 (IPv4) − 20 (TCP). */
export const TCP_MSS_BYTES = 1460;
/** Ethernet (14) + IPv4 (20) + TCP (20) headers in front of a segment's payload. */
export const FRAME_HEADER_BYTES = 54;
/** The shortest Ethernet frame without its FCS. */
export const MIN_FRAME_BYTES = 60;

export type PduOpcode = 'SCSI Command' | 'SCSI Data-Out' | 'SCSI Data-In' | 'SCSI Response';

/** One PDU: its opcode and data bytes (the BHS comes on top). */
export interface Pdu {
  opcode: PduOpcode;
  dataBytes: number;
}

const pduBytes = (p: Pdu): number => ISCSI_BHS_BYTES + Math.ceil(p.dataBytes / 4) * 4;

/** The data of `bytes` in PDUs of at most 8 KiB each. */
function dataPdus(opcode: PduOpcode, bytes: number): Pdu[] {
  const out: Pdu[] = [];
  for (let left = bytes; left > 0; left -= ISCSI_MAX_DATA_SEGMENT_BYTES) out.push({ opcode, dataBytes: Math.min(left, ISCSI_MAX_DATA_SEGMENT_BYTES) });
  return out;
}

/** What the initiator sends for one I/O. */
export function requestPdus(op: 'read' | 'write', bytes: number): Pdu[] {
  if (op === 'read') return [{ opcode: 'SCSI Command', dataBytes: 0 }];
  const immediate = Math.min(bytes, ISCSI_MAX_DATA_SEGMENT_BYTES);
  return [{ opcode: 'SCSI Command', dataBytes: immediate }, ...dataPdus('SCSI Data-Out', bytes - immediate)];
}

/** What the target answers: a write's SCSI Response; a read's Data-In PDUs, the last with the status (phase collapse, RFC 3720 §10.7.3). */
export function responsePdus(op: 'read' | 'write', bytes: number): Pdu[] {
  return op === 'write' ? [{ opcode: 'SCSI Response', dataBytes: 0 }] : dataPdus('SCSI Data-In', bytes);
}

/** The frames (Ethernet frame bytes, no FCS) that carry `pdus` as one TCP byte stream. */
export function framesOf(pdus: readonly Pdu[]): { payloadBytes: number; frameBytes: number }[] {
  const stream = pdus.reduce((sum, p) => sum + pduBytes(p), 0);
  const frames: { payloadBytes: number; frameBytes: number }[] = [];
  for (let left = stream; left > 0; left -= TCP_MSS_BYTES) {
    const payloadBytes = Math.min(left, TCP_MSS_BYTES);
    frames.push({ payloadBytes, frameBytes: Math.max(MIN_FRAME_BYTES, payloadBytes + FRAME_HEADER_BYTES) });
  }
  return frames;
}

/** How an initiator's frames reach the target and come back. */
export interface IscsiTransport {
  /** Sends one frame of `bytes` toward the target; returns when the sending driver has it back. */
  send(s: Strand, bytes: number): ProcessBody<void>;
  /** One frame of `bytes` arrives from the target; returns when the receiving stack's driver has taken it. */
  receive(s: Strand, bytes: number): ProcessBody<void>;
}

/** An iSCSI target: a storage host on the network with one LUN on its own disk. */
export class IscsiTarget {
  constructor(
    readonly id: string,
    readonly place: Place,
    readonly disk: Disk,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {}

  /** Capacity of the LUN in sectors. */
  get sectors(): number {
    return this.disk.config.sectors;
  }

  /** Takes the request PDUs, does the I/O on its disk and builds the answer (device time: the target is another machine). */
  *serve(s: Strand, io: DiskIo, request: readonly Pdu[], response: readonly Pdu[]): ProcessBody<void> {
    const { tracer, costs } = this;
    for (const p of request) {
      yield tracer.emit(s, 'iscsi.pdu.received', this.place, costs.iscsi_target_pdu, 'device', { by: 'target', target: this.id, opcode: p.opcode, bytes: pduBytes(p), dataBytes: p.dataBytes });
    }
    yield* this.disk.submit(s, io);
    for (const p of response) {
      yield tracer.emit(s, 'iscsi.pdu.sent', this.place, costs.iscsi_target_pdu, 'device', { by: 'target', target: this.id, opcode: p.opcode, bytes: pduBytes(p), dataBytes: p.dataBytes });
    }
  }
}

/** The places an initiator's work happens at. */
export interface InitiatorPlaces {
  /** The iSCSI initiator (msiscsi.sys, a StorPort miniport). */
  initiator: Place;
  /** The TCP/IP stack (tcpip.sys). */
  tcpip: Place;
}

/** An iSCSI initiator and its TCP/IP stack, in a guest or in the root (the same costs; `charge` says whose CPU). */
export class IscsiInitiator {
  constructor(
    /** The stack's name in records: the VM id or `root`. */
    readonly stack: string,
    readonly places: InitiatorPlaces,
    private readonly charge: 'guest' | 'root',
    readonly target: IscsiTarget,
    private readonly transport: IscsiTransport,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {}

  /** One SCSI command through iSCSI: PDUs out, segments on the wire, the target, segments back, PDUs in. */
  *request(s: Strand, op: 'read' | 'write', lba: number, bytes: number): ProcessBody<void> {
    const { tracer, costs, places: p, charge } = this;
    const request = requestPdus(op, bytes);
    const response = responsePdus(op, bytes);
    for (const pdu of request) {
      yield tracer.emit(s, 'iscsi.pdu.sent', p.initiator, costs.iscsi_initiator_pdu, charge, { by: 'initiator', target: this.target.id, opcode: pdu.opcode, bytes: pduBytes(pdu), dataBytes: pdu.dataBytes });
    }
    // TCP cuts the stream into segments one after another; each frame then goes its own way, so the
    // NIC path pipelines them (its queues serialise the wire). The target starts once all have gone.
    const out = framesOf(request);
    const sends: Process<number>[] = [];
    for (const [index, f] of out.entries()) {
      yield tracer.emit(s, 'tcp.segment.sent', p.tcpip, costs.tcp_segment_send, charge, { stack: this.stack, index, segments: out.length, ...f });
      const sub = strand(s.stream, s.flow, s.cause);
      sends.push(startProcess(tracer.sim, this.sendOne(sub, f.frameBytes), `${s.stream} iscsi frame out`));
    }
    s.cause = yield* joinAll(sends, s.cause);
    yield* this.target.serve(s, { op, lba, bytes }, request, response);
    // The answer's frames leave the target back to back and arrive one after another.
    const back = framesOf(response);
    const receives: Process<number>[] = back.map((f, index) =>
      startProcess(tracer.sim, this.receiveOne(strand(s.stream, s.flow, s.cause), index, back.length, f), `${s.stream} iscsi frame in`),
    );
    s.cause = yield* joinAll(receives, s.cause);
    for (const pdu of response) {
      yield tracer.emit(s, 'iscsi.pdu.received', p.initiator, costs.iscsi_initiator_receive, charge, { by: 'initiator', target: this.target.id, opcode: pdu.opcode, bytes: pduBytes(pdu), dataBytes: pdu.dataBytes });
    }
  }

  private *sendOne(s: Strand, frameBytes: number): ProcessBody<number> {
    yield* this.transport.send(s, frameBytes);
    return s.cause;
  }

  private *receiveOne(s: Strand, index: number, segments: number, f: { payloadBytes: number; frameBytes: number }): ProcessBody<number> {
    yield* this.transport.receive(s, f.frameBytes);
    yield this.tracer.emit(s, 'tcp.segment.received', this.places.tcpip, this.costs.tcp_segment_receive, this.charge, { stack: this.stack, index, segments, ...f });
    return s.cause;
  }
}

/** Waits for every process and returns the latest cause seq among them (or `cause`). */
function* joinAll(processes: readonly Process<number>[], cause: number): ProcessBody<number> {
  let latest = cause;
  for (const p of processes) {
    const c: number = yield p;
    if (c > latest) latest = c;
  }
  return latest;
}

/**
 * The root-attached LUN as a back end for storvsp (or the IDE emulator):
 * the root's disk class and StorPort with the iSCSI miniport, then the
 * root's initiator, TCP/IP and its NIC to the target. It is a pass-through
 * disk as far as Hyper-V is concerned (no VHD, no root file system); only
 * what sits under the root's port driver differs. Storvsp and the IDE
 * emulator take it as any other `StorageBackend`.
 */
export class IscsiLunBackend implements StorageBackend {
  readonly kind = 'iscsi-lun' as const;

  constructor(
    private readonly initiator: IscsiInitiator,
    private readonly rootPlaces: RootStackPlaces,
    private readonly lunCosts: CostTable,
    private readonly lunTracer: Tracer,
  ) {}

  get virtualSectors(): number {
    return this.initiator.target.sectors;
  }

  snapshot(): number {
    throw new Error('an iSCSI LUN attached by the root cannot be snapshotted');
  }

  *submit(s: Strand, io: DiskIo): ProcessBody<void> {
    const { lunTracer: tracer, lunCosts: costs, rootPlaces: p } = this;
    yield tracer.emit(s, 'vhd.offset.translated', p.diskClass, 0, 'root', { backend: 'iscsi-lun', lba: io.lba, fileOffset: io.lba * 512 });
    yield tracer.emit(s, 'stack.layer.passed', p.diskClass, costs.stack_disk_class, 'root', { layer: 'disk', direction: 'down' });
    yield tracer.emit(s, 'stack.layer.passed', p.port, costs.stack_port_miniport, 'root', { layer: 'storport', direction: 'down' });
    yield* this.initiator.request(s, io.op, io.lba, io.bytes);
    yield tracer.emit(s, 'stack.layer.passed', p.port, 0, 'root', { layer: 'storport', direction: 'up' });
  }
}

/** A guest-attached iSCSI disk: the guest's StorPort with the iSCSI miniport, then its own initiator. */
export class IscsiGuestDisk {
  constructor(
    private readonly port: Place,
    readonly initiator: IscsiInitiator,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
  ) {}

  /** Sectors the guest sees: the whole LUN. */
  get sectors(): number {
    return this.initiator.target.sectors;
  }

  *request(s: Strand, op: 'read' | 'write', lba: number, bytes: number): ProcessBody<void> {
    yield this.tracer.emit(s, 'stack.layer.passed', this.port, this.costs.stack_port_miniport, 'guest', { layer: 'storport', direction: 'down' });
    yield* this.initiator.request(s, op, lba, bytes);
    yield this.tracer.emit(s, 'stack.layer.passed', this.port, 0, 'guest', { layer: 'storport', direction: 'up' });
  }
}
