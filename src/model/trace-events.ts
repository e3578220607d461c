/**
 * The trace catalog: every record kind the model emits, as one
 * discriminated union (the contract between model, metrics, CLI and UI;
 * qemu's trace-events, OMNeT++'s eventlog entries). Kinds are dotted and in
 * the past tense because they state facts. A new animation starts with a
 * new entry here.
 *
 * Envelope: `seq`, `t` and `kind` (engine), plus where it happened
 * (`place`, `band`), which workload stream and request it belongs to
 * (`stream`, `flow`), what caused it (`cause`), and its cost: `costNs` of
 * busy time charged to `charge` on logical processor `lp`, after `waitNs`
 * of queueing for that processor when it was busy; a queue elsewhere (the
 * disk) appears as `waitNs` on a `*.waited` record emitted when it ends.
 */
import type { TraceRecord } from '../engine/index.js';
import type { Band } from './topology.js';
import { CLUSTER_KIND_TABLE, type ClusterKindFields } from './cluster/cluster-events.js';

/** Where a record's time is spent: a guest virtual processor, the root's, the hypervisor, a device, or nowhere (waiting). */
export type Charge = 'guest' | 'root' | 'hypervisor' | 'device' | 'none';

/** The request paths a workload can take. */
export const PATH_KINDS = ['ide-pio', 'ide-dma', 'vmbus-scsi', 'ide-fastpath', 'nic-legacy', 'nic-synthetic', 'native', 'iscsi-guest'] as const;
export type PathKind = (typeof PATH_KINDS)[number];

/** Storage back ends. */
export type BackendKind = 'fixed-vhd' | 'dynamic-vhd' | 'differencing-vhd' | 'passthrough' | 'iscsi-lun';

/** Where a disk found a request's data: the media, its read cache, or its write cache. */
export type DiskSource = 'media' | 'read-cache' | 'write-cache';

/** Why a virtual processor left the guest. */
export type ExitReason = 'io-port' | 'eoi' | 'hypercall' | 'external-interrupt';

/** Fields every hvsim record carries. */
export interface Envelope extends TraceRecord {
  place: string;
  band: Band;
  /** Workload stream `vm/disk/path` (e.g. `legacy-pio/d/ide-pio`), or '' for work that belongs to none. */
  stream: string;
  /** Request id, or -1 for work shared by several requests (a batch, an interrupt); a VM management action's records (stream '') carry a flow id of their own. */
  flow: number;
  /** `seq` of the record that caused this one, or -1. */
  cause: number;
  costNs: number;
  charge: Charge;
  /** Logical processor the step ran on, or -1 (device time, waiting). */
  lp: number;
  /**
   * Queueing time in this record: on a `*.waited` record, the wait that
   * ended at `t`; on a step, the time it waited for its logical processor
   * after `t` before running for `costNs`.
   */
  waitNs?: number;
}

/** Extra fields per kind. One entry per record kind; each is documented where it is emitted. */
export interface KindFields extends ClusterKindFields {
  /**
   * A workload issued a request (a flow begins). `workload` is the index of
   * the workload that issued it (in the world's `workloads`, or in `traffic`
   * for a NIC path) and `request` its number there, from 0; the model always
   * sets both (they are optional only for hand-made traces).
   */
  'io.request.issued': { vm: string; disk: string; path: PathKind; op: 'read' | 'write'; bytes: number; lba: number; workload?: number; request?: number };
  /** The request completed back to the application (a flow ends). */
  'io.request.completed': { path: PathKind; latencyNs: number };
  /** A CPU changed privilege mode. */
  'cpu.mode.switched': { partition: string; to: 'user' | 'kernel' };
  /** A CPU switched to another process or thread. */
  'cpu.context.switched': { partition: string; switchKind: 'process' | 'thread'; to: string };
  /** A storage stack layer processed the request on its way down or up. */
  'stack.layer.passed': { layer: string; direction: 'down' | 'up' };
  /** The guest's ATA driver read or wrote an IDE register (an I/O port instruction). */
  'ide.register.accessed': { port: number; register: string; access: 'read' | 'write'; value?: number; words?: number };
  /** A virtual processor exited to the hypervisor (a VM exit). */
  'hv.intercept.exited': { reason: ExitReason; port?: number };
  /** The hypervisor forwarded an intercept to the root as a SynIC message. */
  'hv.intercept.forwarded': { reason: ExitReason };
  /** The virtual processor re-entered the guest (a VM entry). */
  'hv.intercept.resumed': { reason: ExitReason };
  /** A port access no device claimed (no intercept installed for it): the hypervisor dropped the write, or the read returned all ones. */
  'hv.intercept.unclaimed': { partition: string; port: number; access: 'read' | 'write'; value: number };
  /** VID.sys handed an intercept to the VM's worker process. */
  'vid.intercept.dispatched': { worker: string };
  /** The worker completed an intercept back through VID. */
  'vid.intercept.completed': { worker: string };
  /** The worker's IDE emulator handled one register access (the value is what the guest reads or wrote). */
  'ide.register.emulated': { register: string; access: 'read' | 'write'; value: number; words?: number };
  /** The IDE emulator decoded a command written to the command register. */
  'ide.command.decoded': { command: number; name: string; sectors: number; lba: number };
  /** The emulator took one DRQ block of PIO data. */
  'ide.pio.transferred': { words: number; sector: number };
  /** The emulator walked the PRD table and moved the data by DMA. */
  'ide.dma.transferred': { bytes: number; prdEntries: number };
  /** The emulator raised its interrupt line (IRQ 14). */
  'ide.interrupt.raised': { irq: number; sector: number };
  /**
   * The hypervisor injected an interrupt into a partition: a child's virtual interrupt (its virtual IOAPIC or
   * the SynIC), or (`remapped`, target `root`) a physical device's interrupt, which the hypervisor takes and
   * hands to the root's VP as the vector the root mapped for it.
   */
  'hv.interrupt.injected': { target: string; vector: number; via: 'ioapic' | 'synic' | 'remapped' };
  /** A guest interrupt handler ran. */
  'guest.interrupt.handled': { vector: number };
  /** The guest signalled end of interrupt; trapped unless the SynIC's auto-EOI or APIC virtualization (an edge-triggered vector) spares the exit (`untrapped` says which). */
  'guest.eoi.written': { trapped: boolean; untrapped?: 'auto-eoi' | 'apic-virtualization' };
  /** A deferred procedure call (Windows DPC, Linux tasklet) queued by an interrupt handler ran: `routine` names it. */
  'cpu.dpc.ran': { partition: string; routine: string };
  /** A partition made a hypercall. */
  'hv.hypercall.called': { call: 'HvSignalEvent' | 'HvPostMessage' | 'HvAssertVirtualInterrupt'; code: number };
  /** A SynIC interrupt reached the root's VMBus driver. */
  'synic.interrupt.delivered': { target: string; sint: number };
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
  'vhd.offset.translated': { backend: BackendKind; lba: number; fileOffset: number; purpose?: 'data' | 'bitmap' | 'footer' | 'bat' | 'zero-fill'; image?: string };
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
  /** The HBA took a command. */
  'hba.command.started': { disk: string };
  /** A command waited for the HBA's link, busy with other disks' data (waitNs says how long). */
  'hba.link.waited': { hba: string; queued: number };
  /** The command's data crossed the HBA's link. */
  'hba.data.transferred': { hba: string; bytes: number };
  /** A native host's disk interrupt was handled (no hypervisor: IRQ, ISR, DPC on bare metal). */
  'native.interrupt.handled': { disk: string };
  /** A request waited in the disk's queue (waitNs says how long). */
  'disk.request.waited': { disk: string; queued: number };
  /**
   * The disk serviced a request; the parts add up to costNs. `source`: the media (an HDD's seek, rotation and
   * media transfer; an NVMe read), the read cache (a segment or the read-ahead held the sectors: overhead and
   * interface transfer) or the write cache (acknowledged from the buffer, destaged later). `cached`: not 'media'.
   */
  'disk.request.serviced': {
    disk: string;
    op: 'read' | 'write';
    bytes: number;
    lba: number;
    overheadNs: number;
    seekNs: number;
    rotationNs: number;
    transferNs: number;
    cached: boolean;
    source: DiskSource;
  };
  /** An HDD wrote dirty data from its write cache to the media (background work: stream '', flow -1; cause = the write's acknowledgement); the parts add up to costNs. */
  'disk.cache.destaged': { disk: string; lba: number; bytes: number; seekNs: number; rotationNs: number; transferNs: number; dirtyBytes: number; waitingWrites: number };
  /** An HDD's mechanism, idle after a media read, went on reading the following sectors into the read's cache segment (background; cause = that read). */
  'disk.readahead.started': { disk: string; lba: number; sectors: number };
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
  'nic.frame.dropped': { nic: string; reason: 'no-rx-descriptor' | 'receiver-stopped' };
  /** The emulator's interrupt line rose (CSR5 & CSR7 has a summary bit); the worker asks VID to assert it. */
  'nic.interrupt.raised': { nic: string; irq: number; csr5: number };
  /** The root's virtual switch forwarded a frame from one port to another (`external` is the physical NIC). */
  'vswitch.frame.forwarded': { from: string; to: string; bytes: number };
  /** The virtual switch copied a frame into a port owner's buffer (the worker process's pending read). */
  'vswitch.frame.copied': { port: string; bytes: number };
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
  // --- The VM life cycle and its control plane (model/lifecycle/; vm-lifecycle-and-availability.md rows b, h).
  //     An action's records share one flow (its own id, stream ''), so the canvas follows it
  //     WMI provider -> VMMS -> vmwp.exe -> hypervisor; `index` is the action's place in the scenario's list. ---
  /** A management request reached the WMI provider (RequestStateChange, or a snapshot service call). */
  'vm.action.requested': { vm: string; action: VmActionName; index: number; state: VmStateName };
  /** VMMS refused the request: the VM's state does not accept it (WMI return code 4097, Invalid State Transition). */
  'vm.action.refused': { vm: string; action: VmActionName; index: number; state: VmStateName; code: number; why: string };
  /** VMMS accepted the request and started its job (WMI return code 4096, job started). */
  'vmms.job.started': { vm: string; action: VmActionName; index: number };
  /** The VM changed state; `code` is its WMI EnabledState. */
  'vm.state.changed': { vm: string; from: VmStateName; to: VmStateName; code: number };
  /** The action finished: `durationNs` from its request to now; the VM is in `state`. */
  'vm.action.completed': { vm: string; action: VmActionName; index: number; durationNs: number; state: VmStateName };
  /** VMMS created the VM's worker process (vmwp.exe): one per running VM. */
  'vmwp.process.created': { vm: string };
  /** The VM's worker process exited (the VM is off or saved). */
  'vmwp.process.exited': { vm: string };
  /** The hypervisor created the VM's partition with its memory and virtual processors. */
  'hv.partition.created': { vm: string; memoryBytes: number; vcpus: number };
  /** The hypervisor destroyed the VM's partition and freed its memory. */
  'hv.partition.destroyed': { vm: string };
  /** The VM's virtual processors stopped (pause, save, snapshot, stop): nothing more passes its gates; `inFlight` requests drain from now. */
  'vm.processors.stopped': { vm: string; inFlight: number };
  /** The VM's virtual processors run again. */
  'vm.processors.started': { vm: string };
  /** The guest finished booting (its applications' requests go on now). */
  'vm.guest.booted': { vm: string };
  /** The guest shut down through the shutdown integration service. */
  'vm.guest.shut-down': { vm: string };
  /** The worker wrote one chunk of the VM's memory to a state file (.bin) through the root's storage stack. */
  'vm.memory.saved': { vm: string; file: string; offsetBytes: number; bytes: number };
  /** The worker read one chunk of the VM's memory back from a state file. */
  'vm.memory.restored': { vm: string; file: string; offsetBytes: number; bytes: number };
  /** The VM's configuration file was copied for a snapshot. */
  'vm.config.copied': { vm: string; file: string; bytes: number };
  /** A snapshot of the VM is complete: a differencing image per VHD, the configuration, and the memory if it was running. */
  'vm.snapshot.taken': { vm: string; snapshot: number; disks: string[]; memoryBytes: number; pausedNs: number };
  /** The VM went back to a snapshot: every write since it was discarded (`bytesDiscarded`, from the discarded images). */
  'vm.snapshot.reverted': { vm: string; snapshot: number; disks: string[]; bytesDiscarded: number; images: string[] };
  /** A snapshot was deleted; its differencing images merge now if the VM is off, else when it next is (WS2008/R2). */
  'vm.snapshot.deleted': { vm: string; snapshot: number; mergePending: boolean };
  /** A differencing image began merging into its parent (the VM is off). */
  'vhd.merge.started': { vm: string; disk: string; image: string; into: string };
  /** The merge finished: `bytes` read from the child and written into the parent. */
  'vhd.merge.completed': { vm: string; disk: string; image: string; into: string; bytes: number; durationNs: number };
  /** Starting the VM cancelled a merge; its progress is thrown away and it waits for the next time the VM is off. */
  'vhd.merge.cancelled': { vm: string; disk: string; image: string; bytes: number };
  /** A request of a VM that is not running waits (at its issue or at its completion), held, not lost. */
  'vm.io.held': { vm: string; state: VmStateName; at: 'issue' | 'completion' };
  /** A held request goes on: the VM runs again. */
  'vm.io.released': { vm: string; heldNs: number };
  // --- Virtual processors on logical processors (model/scheduler/; issue 14 item 3, issue 10 item 5).
  //     Emitted only when the scenario picks the credit scheduler. `vm` is the partition (a VM id or
  //     `root`), `vp` the VP's number in it; the envelope's `lp` is the LP it runs on. ---
  /** At the start: a VP exists and runs on the envelope's `lp` (every guest VP and the root's VP of every LP). */
  'vp.placed': { vm: string; vp: number };
  /** The scheduler gave the LP to a VP of a CPU load, after `readyNs` runnable in the queue (costNs: the VP switch). */
  'vp.dispatched': { vm: string; vp: number; readyNs: number };
  /** A running VP left its LP with work left: its time slice ended with others waiting (`preempted`), or its CPU load stopped (`stopped`), after running `ranNs`. */
  'vp.descheduled': { vm: string; vp: number; why: 'preempted' | 'stopped'; ranNs: number };
  /** A VP with nothing to run executed HLT: an HLT exit to the hypervisor (costNs), which idles it. `ranNs`: its CPU load's run just ended. */
  'vp.halted': { vm: string; vp: number; ranNs?: number };
  /** A halted VP was woken: by an interrupt for it (a SynIC interrupt, an emulated device's IOAPIC interrupt, a physical device's for the root) or its own timer; `haltedNs` since its HLT. */
  'vp.woken': { vm: string; vp: number; via: 'synic' | 'ioapic' | 'device' | 'timer'; haltedNs: number };
  /**
   * The step that follows on this strand had to wait `waitNs` (after `t`) for its VP to be dispatched:
   * `turn`, the VP was runnable and waited for its turn in the LP's run queue; `queued`, it was woken
   * without a boost and joined the tail. The "waiting for a VP" of the breakdown: its place is `hv.vp-wait`.
   */
  'vp.waited': { vm: string; vp: number; why: 'turn' | 'queued' };
}

/** A VM state's name (model/lifecycle/vm-states.ts). */
export type VmStateName = 'Off' | 'Starting' | 'Running' | 'Pausing' | 'Paused' | 'Resuming' | 'Saving' | 'Saved' | 'Restoring' | 'Stopping' | 'Snapshotting';
/** A management action's name (model/lifecycle/vm-states.ts). */
export type VmActionName = 'start' | 'save' | 'restore' | 'pause' | 'resume' | 'shutdown' | 'turn-off' | 'snapshot' | 'revert' | 'delete-snapshot';

/** A record kind. */
export type RecordKind = keyof KindFields;

/** One trace record: the envelope plus its kind's fields. */
export type HvRecord = { [K in RecordKind]: Envelope & { kind: K } & KindFields[K] }[RecordKind];

/** The record of one kind. */
export type RecordOf<K extends RecordKind> = Envelope & { kind: K } & KindFields[K];

/**
 * Every record kind at run time, in catalog order (lesson anchors and filters
 * check names against it). `satisfies` makes the compiler refuse a list that
 * misses a kind of `KindFields` or names one it lacks.
 */
const KIND_TABLE = {
  'io.request.issued': true,
  'io.request.completed': true,
  'cpu.mode.switched': true,
  'cpu.context.switched': true,
  'stack.layer.passed': true,
  'ide.register.accessed': true,
  'hv.intercept.exited': true,
  'hv.intercept.forwarded': true,
  'hv.intercept.resumed': true,
  'hv.intercept.unclaimed': true,
  'vid.intercept.dispatched': true,
  'vid.intercept.completed': true,
  'ide.register.emulated': true,
  'ide.command.decoded': true,
  'ide.pio.transferred': true,
  'ide.dma.transferred': true,
  'ide.interrupt.raised': true,
  'hv.interrupt.injected': true,
  'guest.interrupt.handled': true,
  'guest.eoi.written': true,
  'cpu.dpc.ran': true,
  'hv.hypercall.called': true,
  'synic.interrupt.delivered': true,
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
  'hba.command.started': true,
  'hba.link.waited': true,
  'hba.data.transferred': true,
  'native.interrupt.handled': true,
  'disk.request.waited': true,
  'disk.request.serviced': true,
  'disk.cache.destaged': true,
  'disk.readahead.started': true,
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
  'iscsi.pdu.sent': true,
  'iscsi.pdu.received': true,
  'tcp.segment.sent': true,
  'tcp.segment.received': true,
  'vm.action.requested': true,
  'vm.action.refused': true,
  'vmms.job.started': true,
  'vm.state.changed': true,
  'vm.action.completed': true,
  'vmwp.process.created': true,
  'vmwp.process.exited': true,
  'hv.partition.created': true,
  'hv.partition.destroyed': true,
  'vm.processors.stopped': true,
  'vm.processors.started': true,
  'vm.guest.booted': true,
  'vm.guest.shut-down': true,
  'vm.memory.saved': true,
  'vm.memory.restored': true,
  'vm.config.copied': true,
  'vm.snapshot.taken': true,
  'vm.snapshot.reverted': true,
  'vm.snapshot.deleted': true,
  'vhd.merge.started': true,
  'vhd.merge.completed': true,
  'vhd.merge.cancelled': true,
  'vm.io.held': true,
  'vm.io.released': true,
  'vp.placed': true,
  'vp.dispatched': true,
  'vp.descheduled': true,
  'vp.halted': true,
  'vp.woken': true,
  'vp.waited': true,
  ...CLUSTER_KIND_TABLE,
} as const satisfies Record<RecordKind, true>;

/** The record kinds of the catalog, in its order. */
export const RECORD_KINDS = Object.keys(KIND_TABLE) as readonly RecordKind[];
