/**
 * Plain-English words for every record kind: a short label (the event
 * list, the narrator) and a one-sentence explanation (the inspector, the
 * narrator). `KIND_TEXT` is typed as a record over `RecordKind`, so a new
 * kind in the trace catalog does not compile until it is explained here.
 */
import { formatNs } from '../../engine/sim-time.js';
import type { HvRecord, RecordKind, RecordOf } from '../../model/trace-events.js';
import { formatBytes, hex } from './dom.js';
import { CLUSTER_KIND_TEXT } from './explain-cluster.js';
import { LIFECYCLE_KIND_TEXT } from './explain-lifecycle.js';

type KindText = { [K in RecordKind]: { short(r: RecordOf<K>): string; explain(r: RecordOf<K>): string } };

const EXIT_WHY: Record<string, string> = {
  'io-port': 'the guest touched an I/O port it cannot touch directly',
  eoi: 'the guest wrote end-of-interrupt to its virtual interrupt controller, which the hypervisor must emulate',
  hypercall: 'the guest made a hypercall, a deliberate call into the hypervisor',
  'external-interrupt': 'a hardware interrupt arrived that the hypervisor must handle first',
};

const EXIT_SHORT: Record<string, string> = {
  'io-port': 'I/O port',
  eoi: 'EOI',
  hypercall: 'hypercall',
  'external-interrupt': 'external interrupt',
};

const exitShort = (reason: string, port?: number): string =>
  reason === 'io-port' && port !== undefined ? `I/O port ${hex(port)}` : (EXIT_SHORT[reason] ?? reason);

/** A 512e disk's read-modify-write, when the write paid one. */
const rmwText = (rmwNs: number | undefined): string =>
  rmwNs === undefined
    ? ''
    : ` The write covered only part of a 4 KiB physical sector, so the disk first read the physical sectors it touches, merged the new data and wrote them when they came round again: ${formatNs(rmwNs)} more (a read-modify-write; the LBA and transfer are the whole physical sectors).`;

const KIND_TEXT: KindText = {
  ...CLUSTER_KIND_TEXT,
  'io.request.issued': {
    short: (r) => `Request ${r.flow} issued (${r.op} ${formatBytes(r.bytes)})`,
    explain: (r) =>
      `The application in ${r.vm} asked to ${r.op} ${formatBytes(r.bytes)} at sector ${r.lba} of disk ${r.disk}; this request takes the ${r.path} path.`,
  },
  'io.request.completed': {
    short: (r) => (r.dropped === true ? `Packet ${r.flow} dropped after ${formatNs(r.latencyNs)}` : `Request ${r.flow} completed in ${formatNs(r.latencyNs)}`),
    explain: (r) =>
      r.dropped === true
        ? `A card on its way had no free receive descriptor for this frame (the host's NIC, or the emulated 21140), so it was dropped, ${formatNs(r.latencyNs)} after it was issued: the packet ends here, counted as dropped, with no latency in the figures.`
        : `The request is finished and back in the application, ${formatNs(r.latencyNs)} after it was issued: its end-to-end latency.`,
  },
  'cpu.mode.switched': {
    short: (r) => `Switch to ${r.to} mode (${r.partition})`,
    explain: (r) =>
      `The processor in ${r.partition} changed privilege level to ${r.to} mode, a crossing that costs time every time it happens.`,
  },
  'cpu.context.switched': {
    short: (r) => `Context switch to ${r.to}`,
    explain: (r) =>
      `The processor in ${r.partition} put aside what it was running and switched to the ${r.switchKind} ${r.to}, saving and loading register state on the way.`,
  },
  'stack.layer.passed': {
    short: (r) => `${layerName(r.layer)} layer (${r.direction})`,
    explain: (r) => `The request passed through the ${layerName(r.layer)} layer of the storage stack on its way ${r.direction}; each layer adds a little processing time.`,
  },
  'ide.register.accessed': {
    short: (r) => `ATA ${r.register} ${r.access} (port ${hex(r.port)})`,
    explain: (r) =>
      `The guest's ATA driver ${r.access === 'read' ? 'read' : 'wrote'} the IDE ${r.register} register at I/O port ${hex(r.port)}; the port belongs to an emulated controller, so the instruction traps to the hypervisor.`,
  },
  'hv.intercept.exited': {
    short: (r) => `VM exit (${exitShort(r.reason, r.port)})`,
    explain: (r) =>
      `The virtual processor left the guest: the hypervisor took control because ${EXIT_WHY[r.reason] ?? r.reason}${r.port !== undefined ? ` (port ${hex(r.port)})` : ''}.`,
  },
  'hv.intercept.forwarded': {
    short: (r) => `Intercept forwarded to the root (${exitShort(r.reason)})`,
    explain: () => 'The hypervisor emulates no devices itself, so it passed the intercept to the root partition as a SynIC message and left the guest waiting.',
  },
  'hv.intercept.resumed': {
    short: (r) => `VM entry after ${exitShort(r.reason)}`,
    explain: () => 'The hypervisor resumed the virtual processor (a VM entry): the guest continues after the instruction that exited, unaware it was stopped.',
  },
  'hv.intercept.unclaimed': {
    short: (r) => `Unclaimed port ${hex(r.port)} ${r.access}`,
    explain: (r) =>
      `No device of ${r.partition} claimed I/O port ${hex(r.port)}, so no intercept was installed for it: like an empty bus, the hypervisor ${r.access === 'read' ? `returned all ones (${hex(r.value)})` : 'dropped the write'} without waking the root.`,
  },
  'vid.intercept.dispatched': {
    short: () => 'VID hands the intercept to the worker',
    explain: (r) => `VID.sys, the root's virtualization driver, woke the VM's worker process (${r.worker}) in root user mode to emulate the device access.`,
  },
  'vid.intercept.completed': {
    short: () => 'VID completes the intercept',
    explain: (r) => `The worker process ${r.worker} finished emulating the access, and VID.sys asked the hypervisor to resume the guest.`,
  },
  'ide.register.emulated': {
    short: (r) => `Emulated ${r.register} ${r.access} = ${hex(r.value)}`,
    explain: (r) =>
      `The IDE emulator in the worker process played the disk controller's part: the guest ${r.access === 'read' ? 'reads' : 'wrote'} ${hex(r.value)} ${r.access === 'read' ? 'from' : 'to'} the ${r.register} register.`,
  },
  'ide.command.decoded': {
    short: (r) => `ATA command ${r.name}`,
    explain: (r) => `The IDE emulator decoded command ${hex(r.command)} (${r.name}) for ${r.sectors} sectors starting at LBA ${r.lba}.`,
  },
  'ide.pio.transferred': {
    short: (r) => `PIO block, sector ${r.sector}`,
    explain: (r) =>
      `The IDE emulator took one block of programmed-I/O data (${r.words} 16-bit words, sector ${r.sector}) that the guest pushed through the data port.`,
  },
  'ide.dma.transferred': {
    short: (r) => `Bus-master DMA of ${formatBytes(r.bytes)}`,
    explain: (r) =>
      `The IDE emulator walked the guest's PRD table (${r.prdEntries} ${r.prdEntries === 1 ? 'entry' : 'entries'}) and moved ${formatBytes(r.bytes)} by bus-master DMA, with no trap per word.`,
  },
  'ide.interrupt.raised': {
    short: (r) => `IRQ ${r.irq} raised`,
    explain: (r) => `The emulated IDE controller raised IRQ ${r.irq} to tell the guest it needs attention (sector ${r.sector}).`,
  },
  'hv.interrupt.injected': {
    short: (r) => (r.via === 'remapped' ? `Device interrupt ${hex(r.vector)} handed to the root` : `Interrupt ${hex(r.vector)} injected into ${r.target}`),
    explain: (r) =>
      r.via === 'remapped'
        ? `A physical device interrupted. On a Hyper-V host the hypervisor, not the root, owns the interrupt controller: it took the interrupt, acknowledged it and injected vector ${hex(r.vector)}, which the root mapped for this device, into the root's virtual processor.`
        : `The hypervisor injected interrupt vector ${hex(r.vector)} into ${r.target} through the ${r.via === 'synic' ? 'synthetic interrupt controller (SynIC)' : 'virtual I/O APIC'}, so its handler runs when the guest next runs.`,
  },
  'guest.interrupt.handled': {
    short: (r) => `Guest interrupt handler (vector ${hex(r.vector)})`,
    explain: (r) => `The guest's interrupt handler for vector ${hex(r.vector)} ran to find out what the device wants.`,
  },
  'guest.eoi.written': {
    short: (r) => (r.trapped ? 'End of interrupt (trapped)' : r.untrapped === 'apic-virtualization' ? 'End of interrupt (virtualized, no exit)' : 'End of interrupt (auto-EOI, no exit)'),
    explain: (r) =>
      r.trapped
        ? 'The guest told its interrupt controller the interrupt is done (end of interrupt); the write traps to the hypervisor, which costs another VM exit.'
        : r.untrapped === 'apic-virtualization'
          ? "The guest wrote its end of interrupt and the processor's APIC virtualization completed it in the guest's virtual APIC page, with no VM exit (an edge-triggered interrupt on hardware with APICv)."
          : 'The guest finished the interrupt without a trap, because the enlightened SynIC acknowledges it automatically (auto-EOI).',
  },
  'cpu.dpc.ran': {
    short: (r) => `DPC: ${r.routine}`,
    explain: (r) =>
      `The interrupt handler in ${r.partition} did the least it could and queued a deferred procedure call (a tasklet in Linux); now it runs, a little later and with interrupts enabled, and does the real work: ${r.routine}.`,
  },
  'hv.hypercall.called': {
    short: (r) => `Hypercall ${r.call}`,
    explain: (r) =>
      r.call === 'HvAssertVirtualInterrupt'
        ? `VID.sys, on behalf of the emulated device in the worker process, called the hypervisor with ${r.call} (code ${hex(r.code)}) to raise the device's interrupt in the guest; the hypervisor injects it.`
        : `The partition called the hypervisor directly with ${r.call} (code ${hex(r.code)}) to ${r.call === 'HvSignalEvent' ? 'signal an event to another partition' : 'post a message to another partition'}, with no hardware to emulate.`,
  },
  'synic.interrupt.delivered': {
    short: (r) => `SynIC interrupt to ${r.target} (SINT ${r.sint})`,
    explain: (r) => `The synthetic interrupt controller delivered SINT ${r.sint} to ${r.target}'s VMBus driver: a channel has work waiting.`,
  },
  'vmbus.ring.written': {
    short: (r) => `Ring write (${r.ring}, ${formatBytes(r.packetBytes)})`,
    explain: (r) =>
      `A ${r.packetType} packet of ${formatBytes(r.packetBytes)} went into the ${r.ring} ring of channel ${r.channel} in shared memory; the ring ${r.wasEmpty ? 'was empty before' : 'already held packets'}.`,
  },
  'vmbus.ring.read': {
    short: (r) => `Ring read (${r.ring}, ${formatBytes(r.packetBytes)})`,
    explain: (r) => `The reader took a ${formatBytes(r.packetBytes)} packet from the ${r.ring} ring of channel ${r.channel}, straight from shared memory with no trap.`,
  },
  'vmbus.ring.blocked': {
    short: (r) => `Ring full (${r.ring}): writer waits`,
    explain: (r) =>
      `The ${r.ring} ring of channel ${r.channel} has only ${formatBytes(r.freeBytes)} free, not enough for a ${formatBytes(r.packetBytes)} packet (a writer never fills the ring completely). The writer posts the size it needs (pending send size) in the ring's header and waits until the reader frees enough space and signals it.`,
  },
  'vmbus.space.signalled': {
    short: (r) => `Ring has room again (${r.ring}): wake the writer`,
    explain: (r) =>
      `The reader's last read left ${formatBytes(r.freeBytes)} free in the ${r.ring} ring, more than the ${formatBytes(r.pendingSendSize)} a blocked writer asked for, so the reader signals the writer once (only on this change from too little space to enough).`,
  },
  'vmbus.signal.sent': {
    short: (r) => `Signal ${r.direction} (${r.via})`,
    explain: (r) =>
      `The writer signalled the other side (${r.direction}) through ${r.via === 'hypercall' ? 'a hypercall' : 'the monitor page'}, because the ring went from empty to non-empty and the reader was not masked.`,
  },
  'vmbus.signal.suppressed': {
    short: (r) => `Signal ${r.direction} skipped (${r.reason})`,
    explain: (r) =>
      r.reason === 'ring-not-empty'
        ? 'No signal was needed: the ring already held packets, so the reader has been told and will drain this one too; this is how VMBus batches.'
        : 'No signal was needed: the reader has masked its interrupt while it drains the ring, and re-checks the ring before it unmasks.',
  },
  'vmbus.mask.set': {
    short: (r) => `Reader masks the ${r.ring} ring`,
    explain: (r) => `The reader set its interrupt mask on the ${r.ring} ring of ${r.channel} before draining it, so writers need not signal while it works.`,
  },
  'vmbus.mask.cleared': {
    short: (r) => `Reader unmasks the ${r.ring} ring`,
    explain: (r) =>
      `The reader finished draining the ${r.ring} ring of ${r.channel}, cleared its interrupt mask and re-checked the ring (${r.pending} ${r.pending === 1 ? 'packet' : 'packets'} pending).`,
  },
  'storvsc.srb.built': {
    short: (r) => `SRB built (${r.cdb})`,
    explain: (r) =>
      `The guest's storvsc driver wrapped the SCSI ${r.cdb} command (${r.blocks} blocks in ${r.pfns} pages) in an ${r.operation} request for the host.`,
  },
  'storvsc.srb.completed': {
    short: (r) => `SRB completed (status ${r.status})`,
    explain: (r) => `storvsc read the COMPLETE_IO packet and finished the SCSI command with status ${r.status}${r.status === 0 ? ' (success)' : ' (an error)'}.`,
  },
  'storvsp.request.processed': {
    short: () => 'storvsp serves the request',
    explain: (r) => `The root's storage VSP took the request from channel ${r.channel} and sent it down the root's own storage stack, with no emulation.`,
  },
  'vhd.offset.translated': {
    short: (r) => `${r.backend === 'passthrough' ? 'Pass-through' : r.backend.endsWith('-vhdx') ? 'VHDX' : 'VHD'} ${r.purpose === undefined || r.purpose === 'data' ? 'offset of' : `${r.purpose} write at`} LBA ${r.lba}`,
    explain: (r) => {
      if (r.backend === 'passthrough') return `A pass-through disk needs no translation: virtual sector ${r.lba} is the same sector on the physical disk.`;
      const file = `the ${r.backend} file${r.image === undefined ? '' : ` ${r.image}`}`;
      const at = `byte ${r.fileOffset.toLocaleString('en-US')} of ${file}`;
      switch (r.purpose) {
        case 'bitmap':
          return `The parser wrote the sector bitmap at ${at}: which sectors of the block this image holds (a VHD's before its block; a differencing VHDX's in a 1 MiB bitmap block, when the log is full).`;
        case 'footer':
          return `The parser wrote the VHD footer again at ${at}, the file's new end, after growing the file by a block.`;
        case 'bat':
          return `The parser wrote the block allocation table at ${at}: where the new block sits in the file.`;
        case 'zero-fill':
          return `The parser wrote zeros over the whole new block at ${at}, before the guest's data.`;
        case 'log':
          return `The VHDX parser appended an entry to the file's log at ${at} and flushed it: the changed BAT or bitmap page goes there first, and reaches its place when the log fills (a crash replays the log).`;
        case 'header':
          return `The parser wrote a new image's headers and metadata at ${at}.`;
        default:
          return `The parser mapped virtual sector ${r.lba} to ${at} on the host's disk.`;
      }
    },
  },
  'guest.integration.loaded': {
    short: (r) => `Integration services loaded in ${r.vm}`,
    explain: (r) => `Integration services finished loading in ${r.vm}: its VMBus driver now connects to the root and opens its channels; once storflt's channel is open, the IDE disk takes the VMBus fast path.`,
  },
  'nic.csr.accessed': {
    short: (r) => `${r.access === 'read' ? 'Read' : 'Write'} ${r.register} of the legacy NIC`,
    explain: (r) => `The guest's tulip driver ${r.access === 'read' ? 'read' : 'wrote'} the emulated network card's ${r.register} register at port 0x${r.port.toString(16)}: an I/O port instruction the guest cannot run itself, so it becomes a VM exit handled in the worker process.`,
  },
  'nic.csr.emulated': {
    short: (r) => `Emulator handled ${r.register}`,
    explain: (r) => `The DEC 21140 emulator in the worker process handled a ${r.access} of ${r.register} (value 0x${r.value.toString(16)}).`,
  },
  'nic.descriptor.written': {
    short: (r) => `Driver wrote ${r.ring} descriptor ${r.index}`,
    explain: (r) => `The guest driver filled ${r.ring === 'tx' ? 'transmit' : 'receive'} descriptor ${r.index} in its own memory${r.own ? ' and handed it to the card' : ''}. Writing memory needs no exit; only touching the card's registers does.`,
  },
  'nic.descriptor.reclaimed': {
    short: (r) => `Driver took back ${r.ring} descriptor ${r.index}`,
    explain: (r) => `The guest driver took back ${r.ring === 'tx' ? 'transmit' : 'receive'} descriptor ${r.index} (${r.bytes} bytes) that the card had finished with.`,
  },
  'nic.frame.fetched': {
    short: (r) => `Emulator fetched a ${r.bytes}-byte frame`,
    explain: (r) => `The emulator read transmit descriptor ${r.index} and copied the ${r.bytes}-byte frame out of guest memory, as the real card would by DMA.`,
  },
  'nic.frame.transmitted': {
    short: (r) => `Legacy NIC sent a ${r.bytes}-byte frame`,
    explain: (r) => `The host finished sending the frame, and the emulator gave descriptor ${r.index} back to the guest${r.interruptOnCompletion ? ' and will interrupt it' : ''}.`,
  },
  'nic.frame.received': {
    short: (r) => `Legacy NIC received a ${r.bytes}-byte frame`,
    explain: (r) => `The emulator wrote a received ${r.bytes}-byte frame into guest memory through receive descriptor ${r.index}.`,
  },
  'nic.frame.dropped': {
    short: (r) => (r.reason === 'rx-ring-full' ? 'Physical NIC dropped a frame' : 'Legacy NIC dropped a frame'),
    explain: (r) =>
      r.reason === 'rx-ring-full'
        ? 'A frame arrived but all of the physical NIC\'s receive descriptors held frames the root had not yet copied out: the NIC dropped it, as a real one counts in its missed-packets register.'
        : r.reason === 'no-rx-descriptor'
          ? 'A frame arrived but the guest had no free receive descriptor: the emulated card dropped it.'
          : 'A frame arrived while the receiver was stopped: the emulated card dropped it.',
  },
  'nic.interrupt.raised': {
    short: (r) => `Legacy NIC raised IRQ ${r.irq}`,
    explain: (r) => `The emulated card's status (CSR5 0x${r.csr5.toString(16)}) asks for an interrupt: the worker asks VID to raise IRQ ${r.irq} in the guest.`,
  },
  'vswitch.frame.forwarded': {
    short: (r) => `Virtual switch: ${r.from} → ${r.to}`,
    explain: (r) => `The root's virtual switch looked up where the ${r.bytes}-byte frame goes and forwarded it from ${r.from} to ${r.to === 'external' ? 'the physical network card' : r.to}.`,
  },
  'vswitch.frame.copied': {
    short: (r) => `Virtual switch copied a frame to ${r.port}`,
    explain: (r) => `The virtual switch copied the ${r.bytes}-byte frame into a buffer of the port's owner, ${r.port}.`,
  },
  'vswitch.frame.dropped': {
    short: (r) => `Virtual switch dropped a frame for ${r.port}`,
    explain: (r) =>
      r.reason === 'port-disconnected'
        ? `The frame was for ${r.port}, whose VM is ${r.state}: a VM that is not running has no partition behind its port, so the switch drops the frame and its sender sees no delivery.`
        : r.reason === 'memory-reverted'
          ? `The frame for ${r.port} was kept in its guest's buffers while the guest did not run; a revert then replaced the VM's memory with its snapshot's, and the frame went with the memory it was in.`
          : r.reason === 'no-receive-buffer'
          ? `The frame was for ${r.port}, a synthetic NIC whose guest has not loaded netvsc yet (no integration services): the guest has given netvsp no receive buffer, so there is nowhere to put the frame and it is dropped.`
          : `The frame was for ${r.port}, whose VM is ${r.state}: its guest is not running, and the frames already waiting in its buffers fill them, so the switch drops this one.`,
  },
  'vswitch.frame.kept': {
    short: (r) => `Frame kept for ${r.port} (VM ${r.state})`,
    explain: (r) =>
      `The frame is for ${r.port}, whose VM is ${r.state}: its guest is not running, so the frame waits in the port's buffers, in the guest's memory (${r.frames} kept now), until the guest runs again. A paused VM keeps its port; a save keeps the frames with the memory; buffers that fill drop what comes next.`,
  },
  'vswitch.frame.released': {
    short: (r) => `Kept frame for ${r.port} goes on (VM ${r.state})`,
    explain: (r) =>
      r.state === 'Off'
        ? `The VM behind ${r.port} is off now: the frames kept in its memory are gone with it.`
        : `The guest behind ${r.port} runs again: the frame kept in its buffers goes on to it.`,
  },
  'netvsc.packet.built': {
    short: (r) => `netvsc built an RNDIS packet (${r.mode})`,
    explain: (r) =>
      r.mode === 'send-buffer'
        ? `netvsc, the synthetic network driver, wrapped the frame in an RNDIS message (${r.bytes} bytes) to copy it into the shared send buffer.`
        : `netvsc wrapped the frame in an RNDIS message and described its pages to the root (a GPA page list) instead of copying it.`,
  },
  'netvsc.send-buffer.copied': {
    short: (r) => `netvsc copied ${r.bytes} bytes into the send buffer`,
    explain: (r) => `netvsc copied the frame into section ${r.section} of the send buffer, memory the guest shares with the root, so only a short message needs to go through the ring.`,
  },
  'netvsc.send.completed': {
    short: () => 'netvsc: send completed',
    explain: (r) => `The root said the send is done: section ${r.section} of the send buffer is free again.`,
  },
  'netvsc.frame.received': {
    short: (r) => `netvsc received a ${r.bytes}-byte frame`,
    explain: (r) => `netvsc took a received ${r.bytes}-byte frame from range ${r.range} of the receive buffer, as a transfer-page packet on the ring told it to.`,
  },
  'netvsp.packet.processed': {
    short: () => 'netvsp processed a send',
    explain: (r) => `netvsp, the network service provider in the root kernel, decoded the guest's ${r.message} message and passed the frame (from send-buffer section ${r.section}) to the virtual switch.`,
  },
  'netvsp.receive-buffer.written': {
    short: (r) => `netvsp wrote ${r.bytes} bytes into the receive buffer`,
    explain: (r) => `netvsp copied a received frame into range ${r.range} of the guest's receive buffer, to announce it with one transfer-page packet on the ring.`,
  },
  'netvsp.range.freed': {
    short: (r) => `netvsp freed receive range ${r.range}`,
    explain: (r) => `The guest said it is done with range ${r.range} of the receive buffer: netvsp can fill it again.`,
  },
  'wire.queue.waited': {
    short: (r) => `Frame waited at ${r.nic}`,
    explain: (r) => `The frame waited behind ${r.queued} other${r.queued === 1 ? '' : 's'} in the physical network card's ${r.direction === 'tx' ? 'transmit' : 'receive'} queue.`,
  },
  'nic.interrupt.held': {
    short: (r) => `${r.nic}'s interrupt held`,
    explain: (r) =>
      `The network card moderates its interrupts: after one, it waits at least ${(r.itrNs / 1000).toLocaleString('en-US')} µs before the next (${Math.round(1e9 / r.itrNs).toLocaleString('en-US')} interrupts per second at most). This frame waited for that interrupt, which handled ${r.frames} frame${r.frames === 1 ? '' : 's'} at once: one interrupt and one ISR for them all, the DPC indicating each.`,
  },
  'wire.frame.sent': {
    short: (r) => `${r.nic} sent ${r.bytes} bytes on the wire`,
    explain: (r) => `The physical network card fetched the frame by DMA and sent ${r.wireBytes} bytes on the wire (the frame plus preamble, checksum and the gap between frames).`,
  },
  'wire.frame.arrived': {
    short: (r) => `${r.bytes} bytes arrived at ${r.nic}`,
    explain: (r) => `A frame arrived from the wire (${r.wireBytes} bytes with preamble, checksum and gap) and the physical card put it in host memory by DMA.`,
  },
  'hw.interrupt.handled': {
    short: (r) => `Root handled ${r.device}'s interrupt`,
    explain: (r) => `The root partition's driver for ${r.device} ran its interrupt handler for the physical interrupt the hypervisor handed it; its deferred procedure call follows.`,
  },
  'iscsi.pdu.sent': {
    short: (r) => `iSCSI ${r.opcode} sent by the ${r.by}`,
    explain: (r) =>
      r.by === 'initiator'
        ? `The iSCSI initiator wrapped the SCSI command in a ${r.opcode} PDU for target ${r.target}: a 48-byte header${r.dataBytes > 0 ? ` and ${formatBytes(r.dataBytes)} of data` : ''}, ${r.bytes} bytes for TCP to carry over the network.`
        : `Target ${r.target} answered with a ${r.opcode} PDU (${r.bytes} bytes${r.dataBytes > 0 ? `, ${formatBytes(r.dataBytes)} of data` : ''}); the storage host is another machine, so its time is device time.`,
  },
  'iscsi.pdu.received': {
    short: (r) => `iSCSI ${r.opcode} received by the ${r.by}`,
    explain: (r) =>
      r.by === 'initiator'
        ? `The iSCSI initiator took a ${r.opcode} PDU from target ${r.target} off its TCP connection and matched it to the waiting SCSI command.`
        : `Target ${r.target} took a ${r.opcode} PDU (${r.bytes} bytes) off the network and processed it with its own TCP/IP, iSCSI and SCSI layers.`,
  },
  'tcp.segment.sent': {
    short: (r) => `TCP segment ${r.index + 1}/${r.segments} sent (${r.stack})`,
    explain: (r) =>
      `The TCP/IP stack of ${r.stack} cut ${r.payloadBytes} bytes of the iSCSI stream into segment ${r.index + 1} of ${r.segments} and put it in a ${r.frameBytes}-byte Ethernet frame: every frame is its own trip down the network path.`,
  },
  'tcp.segment.received': {
    short: (r) => `TCP segment ${r.index + 1}/${r.segments} received (${r.stack})`,
    explain: (r) => `The TCP/IP stack of ${r.stack} took segment ${r.index + 1} of ${r.segments} (${r.payloadBytes} bytes of the iSCSI stream) from a ${r.frameBytes}-byte frame and checked it.`,
  },
  ...LIFECYCLE_KIND_TEXT,
  'hba.link.waited': {
    short: (r) => `Waited for ${r.hba}'s link`,
    explain: (r) => `The disk was done with its data but the host bus adapter's link was still busy moving other disks' data (${r.queued} transfer${r.queued === 1 ? '' : 's'} ahead of it): disks on one HBA share it.`,
  },
  'hba.data.transferred': {
    short: (r) => `${r.bytes.toLocaleString('en-US')} bytes across ${r.hba}`,
    explain: (r) => `The command's ${r.bytes.toLocaleString('en-US')} bytes crossed the host bus adapter's link (Fibre Channel) as frames, alongside the disk moving them: this is what the disk could not hide, the last frame and any part of the transfer the link was slower for.`,
  },
  'native.interrupt.handled': {
    short: () => 'Native disk interrupt',
    explain: (r) => `On the bare host the disk ${r.disk} interrupted the CPU directly and its driver's handler ran (its DPC follows), with no hypervisor, no VM exit and no end-of-interrupt trap.`,
  },
  'vhd.block.looked-up': {
    short: (r) => `VHD lookup in ${r.image}`,
    explain: (r) =>
      `The VHD parser looked up the block's entry in the block allocation table and its sector bitmap in ${r.image}${r.level > 0 ? `, ${r.level} level${r.level === 1 ? '' : 's'} down the differencing chain` : ''}, to find where the sectors live.`,
  },
  'vhd.file.extended': {
    short: (r) => `VHD file ${r.image} grew`,
    explain: (r) =>
      `The first write into a new block of ${r.image}: the root's NTFS extended the file by ${r.bytes.toLocaleString('en-US')} bytes. A VHD then writes the block's bitmap, the footer and the BAT entry before the data; a VHDX writes the data, then logs the BAT entry.`,
  },
  'vhd.zeros.returned': {
    short: (r) => `Zeros for ${r.sectors} sectors`,
    explain: (r) => `No image of the chain has ever written these ${r.sectors} sectors, so the parser returned zeros without touching the disk.`,
  },
  'vhd.snapshot.taken': {
    short: (r) => `Snapshot of ${r.disk}`,
    explain: (r) => `A snapshot of ${r.disk}: a new differencing image, ${r.image}, now takes every write; reads walk ${r.depth + 1} images of the chain, newest first.`,
  },
  'vmbus.message.posted': {
    short: (r) => `VMBus ${r.message} ${r.direction === 'to-host' ? 'to the root' : 'to the guest'}`,
    explain: (r) =>
      `A VMBus control message, ${r.message} (type ${r.code}), went ${r.direction === 'to-host' ? 'from the guest to the root' : 'from the root to the guest'} by the HvPostMessage hypercall: the connection and channel handshake, one message at a time${r.channel === undefined ? '' : `, for channel ${r.channel}`}.`,
  },
  'vmbus.channel.changed': {
    short: (r) => `Channel ${r.channel} ${r.state}`,
    explain: (r) =>
      r.state === 'offered'
        ? `The root offered channel ${r.channel} to the guest (a device the guest's VSC can bind to).`
        : r.state === 'opening'
          ? `The guest described the channel's ring pages to the root (a GPADL) and asked to open channel ${r.channel}.`
          : `Channel ${r.channel} is open: its two rings carry requests and completions from now on.`,
  },
  'hba.command.started': {
    short: (r) => `HBA command to disk ${r.disk}`,
    explain: (r) => `The host bus adapter accepted the command for physical disk ${r.disk}.`,
  },
  'disk.request.waited': {
    short: (r) => `Disk ${r.disk} queue wait`,
    explain: (r) =>
      `The request waited ${formatNs(r.waitNs ?? 0)} in disk ${r.disk}'s queue behind ${r.queued} ${r.queued === 1 ? 'other request' : 'other requests'}.`,
  },
  'disk.request.serviced': {
    short: (r) => `Disk ${r.disk} ${r.op} ${r.source === 'read-cache' ? 'from its cache' : r.source === 'write-cache' ? 'into its cache' : 'serviced'}`,
    explain: (r) =>
      r.source === 'read-cache'
        ? `The disk found the ${formatBytes(r.bytes)} already in its buffer (read ahead, or read before) and sent them without moving the head: overhead ${formatNs(r.overheadNs)}, interface transfer ${formatNs(r.transferNs)}.`
        : r.source === 'write-cache'
          ? `The disk took the ${formatBytes(r.bytes)} into its write cache and acknowledged at once (overhead ${formatNs(r.overheadNs)}, transfer ${formatNs(r.transferNs)}); it writes them to the media later.`
          : `The disk ${r.op === 'read' ? 'read' : 'wrote'} ${formatBytes(r.bytes)} on the media: seek ${formatNs(r.seekNs)}, rotation ${formatNs(r.rotationNs)} (until the sector came under the head), transfer ${formatNs(r.transferNs)} and overhead ${formatNs(r.overheadNs)}.${rmwText(r.rmwNs)}`,
  },
  'disk.cache.destaged': {
    short: (r) => `Disk ${r.disk} destaged ${formatBytes(r.bytes)}`,
    explain: (r) =>
      `In the background the disk wrote ${formatBytes(r.bytes)} of cached writes to the media (seek ${formatNs(r.seekNs)}, rotation ${formatNs(r.rotationNs)}, transfer ${formatNs(r.transferNs)}); ${formatBytes(r.dirtyBytes)} stay dirty${r.waitingWrites > 0 ? ` and ${r.waitingWrites} ${r.waitingWrites === 1 ? 'write waits' : 'writes wait'} for room in the cache` : ''}.${rmwText(r.rmwNs)}`,
  },
  'disk.readahead.started': {
    short: (r) => `Disk ${r.disk} reads ahead`,
    explain: (r) =>
      `After a media read the disk keeps reading the next ${r.sectors} sectors from LBA ${r.lba} into its cache, so a sequential read that follows (or is already queued) is served from the buffer; a request that needs the head elsewhere stops it, once the sectors already promised are read.`,
  },
};

/** Every record kind of the catalog, in catalog order. */
export const RECORD_KINDS: readonly RecordKind[] = Object.keys(KIND_TEXT) as RecordKind[];

type AnyText = { short(r: HvRecord): string; explain(r: HvRecord): string };

function textOf(r: HvRecord): AnyText | undefined {
  return (KIND_TEXT as unknown as Record<string, AnyText | undefined>)[r.kind];
}

/** A short label for a record, e.g. "VM exit (I/O port 0x1F7)"; the kind itself for a kind this build does not know. */
export function shortLabel(r: HvRecord): string {
  return textOf(r)?.short(r) ?? String(r.kind);
}

/** One plain-English sentence saying what a record means. */
export function explainRecord(r: HvRecord): string {
  return textOf(r)?.explain(r) ?? `A ${String(r.kind)} record, a kind this version of hvsim does not describe.`;
}

/** A storage or network stack layer as the canvas names its place (a record carries its id: `ntfs`, `storport`). */
const LAYER_NAMES: Record<string, string> = { ntfs: 'NTFS', volume: 'volume', disk: 'disk class', storport: 'StorPort', ataport: 'ATAport', vhdmp: 'VHD miniport (vhdmp)', 'ndis-miniport': 'NDIS miniport' };

function layerName(layer: string): string {
  return LAYER_NAMES[layer] ?? layer;
}
