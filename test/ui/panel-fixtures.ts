/**
 * Fixtures for the DOM panel tests: one sample of every record kind
 * (typed over the whole catalog, so a new kind fails to compile until it
 * has a sample), a small topology, and a record maker.
 */
import type { Topology } from '../../src/model/topology.js';
import { CLUSTER_SAMPLE_FIELDS } from './cluster-fixtures.js';
import type { Envelope, HvRecord, KindFields, RecordKind } from '../../src/model/trace-events.js';

/** Fields of one record of every kind (values taken from a real trace). */
export const SAMPLE_FIELDS: { [K in RecordKind]: KindFields[K] } = {
  ...CLUSTER_SAMPLE_FIELDS,
  'io.request.issued': { vm: 'legacy-pio', disk: 'data', path: 'ide-pio', op: 'write', bytes: 10240, lba: 1000000 },
  'io.request.completed': { path: 'vmbus-scsi', latencyNs: 2525297 },
  'cpu.mode.switched': { partition: 'legacy-pio', to: 'kernel' },
  'cpu.context.switched': { partition: 'root', switchKind: 'process', to: 'vmwp.exe' },
  'stack.layer.passed': { layer: 'ntfs', direction: 'down' },
  'ide.register.accessed': { port: 503, register: 'status', access: 'read' },
  'hv.intercept.exited': { reason: 'io-port', port: 503 },
  'hv.intercept.forwarded': { reason: 'io-port' },
  'hv.intercept.resumed': { reason: 'hypercall' },
  'hv.intercept.unclaimed': { partition: 'legacy-pio', port: 0x1e8, access: 'read', value: 0xff },
  'vid.intercept.dispatched': { worker: 'root.vmwp.legacy-pio' },
  'vid.intercept.completed': { worker: 'root.vmwp.legacy-pio' },
  'ide.register.emulated': { register: 'status', access: 'read', value: 0x58 },
  'ide.command.decoded': { command: 48, name: 'WRITE SECTORS', sectors: 20, lba: 1000000 },
  'ide.pio.transferred': { words: 256, sector: 0 },
  'ide.dma.transferred': { bytes: 10240, prdEntries: 1 },
  'ide.interrupt.raised': { irq: 14, sector: 0 },
  'hv.interrupt.injected': { target: 'enlightened', vector: 144, via: 'synic' },
  'guest.interrupt.handled': { vector: 144 },
  'guest.eoi.written': { trapped: true },
  'cpu.dpc.ran': { partition: 'enlightened', routine: 'VMBus channel callback' },
  'hv.hypercall.called': { call: 'HvSignalEvent', code: 93 },
  'synic.interrupt.delivered': { target: 'root', sint: 2 },
  'vmbus.ring.written': { channel: 'enlightened/data', ring: 'outbound', packetBytes: 128, packetType: 'DATA_USING_GPA_DIRECT', writeIndex: 128, readIndex: 0, wasEmpty: true },
  'vmbus.ring.read': { channel: 'enlightened/data', ring: 'outbound', packetBytes: 128, readIndex: 128, writeIndex: 128 },
  'vmbus.ring.blocked': { channel: 'enlightened/data', ring: 'outbound', packetBytes: 616, freeBytes: 600, pendingSendSize: 616 },
  'vmbus.space.signalled': { channel: 'enlightened/data', ring: 'outbound', freeBytes: 1216, pendingSendSize: 616 },
  'vmbus.signal.sent': { channel: 'enlightened/data', direction: 'to-host', via: 'hypercall' },
  'vmbus.signal.suppressed': { channel: 'enlightened/data', direction: 'to-host', reason: 'ring-not-empty' },
  'vmbus.mask.set': { channel: 'enlightened/data', ring: 'outbound' },
  'vmbus.mask.cleared': { channel: 'enlightened/data', ring: 'outbound', pending: 0 },
  'storvsc.srb.built': { operation: 'EXECUTE_SRB', cdb: 'WRITE(10)', blocks: 20, pfns: 3 },
  'storvsc.srb.completed': { status: 0 },
  'storvsp.request.processed': { channel: 'enlightened/data' },
  'vhd.offset.translated': { backend: 'fixed-vhd', lba: 1000000, fileOffset: 512000000 },
  'guest.integration.loaded': { vm: 'legacy-pio' },
  'vmbus.message.posted': { message: 'OPENCHANNEL', code: 5, direction: 'to-host', channel: 'legacy-pio/data' },
  'nic.csr.accessed': { nic: 'leg/net', port: 0xec08, register: 'CSR1', access: 'write', value: 0 },
  'nic.csr.emulated': { nic: 'leg/net', register: 'CSR5', access: 'read', value: 0x670004 },
  'nic.descriptor.written': { nic: 'leg/net', ring: 'tx', index: 0, own: true, bytes: 1514, interruptOnCompletion: false },
  'nic.descriptor.reclaimed': { nic: 'leg/net', ring: 'tx', index: 0, bytes: 1514 },
  'nic.frame.fetched': { nic: 'leg/net', index: 0, bytes: 1514 },
  'nic.frame.transmitted': { nic: 'leg/net', index: 0, bytes: 1514, interruptOnCompletion: false },
  'nic.frame.received': { nic: 'leg/net', index: 0, bytes: 1514 },
  'nic.frame.dropped': { nic: 'leg/net', reason: 'no-rx-descriptor' },
  'nic.interrupt.raised': { nic: 'leg/net', irq: 11, csr5: 0x670004 },
  'vswitch.frame.forwarded': { from: 'syn/net', to: 'external', bytes: 1514 },
  'vswitch.frame.copied': { port: 'leg/net', bytes: 1514 },
  'vswitch.frame.dropped': { port: 'leg/net', reason: 'port-disconnected', state: 'Saved' },
  'vswitch.frame.kept': { port: 'leg/net', state: 'Paused', frames: 3 },
  'vswitch.frame.released': { port: 'leg/net', state: 'Running' },
  'netvsc.packet.built': { channel: 'syn/net', message: 'RNDIS_MSG_PACKET', bytes: 1574, mode: 'send-buffer' },
  'netvsc.send-buffer.copied': { channel: 'syn/net', section: 0, bytes: 1574 },
  'netvsc.send.completed': { channel: 'syn/net', section: 0 },
  'netvsc.frame.received': { channel: 'syn/net', range: 0, bytes: 1514 },
  'netvsp.packet.processed': { channel: 'syn/net', message: 'SEND_RNDIS_PKT', section: 0 },
  'netvsp.receive-buffer.written': { channel: 'syn/net', range: 0, bytes: 1574 },
  'netvsp.range.freed': { channel: 'syn/net', range: 0 },
  'wire.queue.waited': { nic: 'nic0', direction: 'tx', queued: 1 },
  'wire.frame.sent': { nic: 'nic0', bytes: 1514, wireBytes: 1538, dmaNs: 1000, wireNs: 12304 },
  'wire.frame.arrived': { nic: 'nic0', bytes: 1514, wireBytes: 1538, dmaNs: 1000, wireNs: 12304 },
  'hw.interrupt.handled': { device: 'nic0' },
  'nic.interrupt.held': { nic: 'nic0', itrNs: 50_000, frames: 3 },
  'iscsi.pdu.sent': { by: 'initiator', target: 'tgt-a', opcode: 'SCSI Command', bytes: 8240, dataBytes: 8192 },
  'iscsi.pdu.received': { by: 'target', target: 'tgt-a', opcode: 'SCSI Command', bytes: 8240, dataBytes: 8192 },
  'tcp.segment.sent': { stack: 'guest', index: 0, segments: 6, payloadBytes: 1460, frameBytes: 1514 },
  'tcp.segment.received': { stack: 'root', index: 0, segments: 1, payloadBytes: 48, frameBytes: 102 },
  'vm.action.requested': { vm: 'mail', action: 'save', index: 0, state: 'Running' },
  'vm.action.refused': { vm: 'mail', action: 'pause', index: 1, state: 'Saving', code: 4097, why: 'the VM is Saving: another state change is under way' },
  'vmms.job.started': { vm: 'mail', action: 'save', index: 0 },
  'vm.state.changed': { vm: 'mail', from: 'Running', to: 'Saving', code: 32773 },
  'vm.action.completed': { vm: 'mail', action: 'save', index: 0, durationNs: 9_000_000_000, state: 'Saved' },
  'vmwp.process.created': { vm: 'mail' },
  'vmwp.process.exited': { vm: 'mail' },
  'hv.partition.created': { vm: 'mail', memoryBytes: 1073741824, vcpus: 2 },
  'hv.partition.destroyed': { vm: 'mail' },
  'vm.processors.stopped': { vm: 'mail', inFlight: 2 },
  'vm.processors.started': { vm: 'mail' },
  'vm.guest.booted': { vm: 'mail' },
  'vm.guest.shut-down': { vm: 'mail' },
  'vm.memory.saved': { vm: 'mail', file: 'mail.bin', offsetBytes: 0, bytes: 1048576 },
  'vm.memory.restored': { vm: 'mail', file: 'mail.bin', offsetBytes: 0, bytes: 1048576 },
  'vm.config.copied': { vm: 'mail', file: 'mail.snap1.xml', bytes: 16384 },
  'vm.snapshot.taken': { vm: 'mail', snapshot: 1, disks: ['db'], memoryBytes: 1073741824, pausedNs: 300_000_000 },
  'vm.snapshot.reverted': { vm: 'mail', snapshot: 1, disks: ['db'], bytesDiscarded: 6291456, images: ['mail/db#1'] },
  'vm.snapshot.deleted': { vm: 'mail', snapshot: 1, mergePending: true },
  'vhd.merge.started': { vm: 'mail', disk: 'db', image: 'mail/db#1', into: 'mail/db' },
  'vhd.merge.completed': { vm: 'mail', disk: 'db', image: 'mail/db#1', into: 'mail/db', bytes: 6291456, durationNs: 120_000_000 },
  'vhd.merge.cancelled': { vm: 'mail', disk: 'db', image: 'mail/db#1', bytes: 1048576 },
  'vm.io.held': { vm: 'mail', state: 'Saved', at: 'issue' },
  'vm.io.released': { vm: 'mail', heldNs: 2_000_000_000 },
  'vp.placed': { vm: 'mail', vp: 0 },
  'vp.dispatched': { vm: 'burn', vp: 0, readyNs: 30_000_000 },
  'vp.withdrawn': { vm: 'burn', vp: 0, readyNs: 2_970_000_000 },
  'vp.descheduled': { vm: 'burn', vp: 0, why: 'preempted', ranNs: 30_000_000 },
  'vp.halted': { vm: 'root', vp: 1 },
  'vp.woken': { vm: 'mail', vp: 0, via: 'synic', haltedNs: 2_000_000 },
  'vp.waited': { vm: 'mail', vp: 0, why: 'turn' },
  'hba.link.waited': { hba: 'hba0', queued: 2 },
  'hba.data.transferred': { hba: 'hba0', bytes: 262144 },
  'native.interrupt.handled': { disk: 'd0' },
  'vhd.block.looked-up': { image: 'legacy-pio/data#1', level: 1 },
  'vhd.file.extended': { image: 'legacy-pio/data', bytes: 2_097_664 },
  'vhd.zeros.returned': { sectors: 8 },
  'vhd.snapshot.taken': { disk: 'data', image: 'legacy-pio/data#1', depth: 1 },
  'vmbus.channel.changed': { channel: 'legacy-pio/data', state: 'open' },
  'hba.command.started': { disk: 'd-syn' },
  'disk.request.waited': { disk: 'd-syn', queued: 2 },
  'disk.request.serviced': { disk: 'd-syn', op: 'write', bytes: 10240, lba: 1000000, overheadNs: 0, seekNs: 419727, rotationNs: 2000000, transferNs: 68270, cached: false, source: 'media' },
  'disk.cache.destaged': { disk: 'd-syn', lba: 1000000, bytes: 4096, seekNs: 419727, rotationNs: 1200000, transferNs: 27306, dirtyBytes: 8192, waitingWrites: 1 },
  'disk.readahead.started': { disk: 'd-syn', lba: 1000128, sectors: 2048 },
};

export const KINDS = Object.keys(SAMPLE_FIELDS) as RecordKind[];

export const TOPOLOGY: Topology = {
  partitions: [
    { id: 'root', label: 'Root partition', kind: 'root' },
    { id: 'legacy-pio', label: 'legacy-pio', kind: 'child' },
    { id: 'enlightened', label: 'enlightened', kind: 'child' },
    { id: 'hypervisor', label: 'Hypervisor', kind: 'hypervisor' },
    { id: 'hardware', label: 'Hardware', kind: 'hardware' },
  ],
  places: [
    { id: 'hv', label: 'Hypervisor', partition: 'hypervisor', band: 'hypervisor', role: 'hypervisor' },
    { id: 'root.vid', label: 'VID.sys', partition: 'root', band: 'root-kernel', role: 'vid' },
    { id: 'root.vmwp.legacy-pio.ide', label: 'IDE emulator (legacy-pio)', partition: 'root', band: 'root-user', role: 'emulator' },
    { id: 'legacy-pio.ata.data', label: 'ATA driver (data)', partition: 'legacy-pio', band: 'guest-kernel', role: 'driver' },
    { id: 'enlightened.ring.data', label: 'Ring (data)', partition: 'enlightened', band: 'vmbus', role: 'ring' },
    { id: 'hw.disk.d-syn', label: 'Disk d-syn', partition: 'hardware', band: 'hardware', role: 'disk' },
  ],
  links: [],
};

/** A record of `kind` with the sample fields and an envelope (overridable). */
export function makeRecord<K extends RecordKind>(kind: K, seq: number, over: Partial<Envelope> & Partial<KindFields[K]> = {}): HvRecord {
  const envelope: Envelope = {
    seq,
    t: seq * 100,
    kind,
    place: 'hv',
    band: 'hypervisor',
    stream: 'legacy-pio/data/ide-pio',
    flow: 0,
    cause: seq - 1,
    lp: 0,
    costNs: 800,
    charge: 'hypervisor',
  };
  return { ...envelope, ...SAMPLE_FIELDS[kind], ...over, kind } as unknown as HvRecord;
}

const CYCLE: { kind: RecordKind; place: string; band: Envelope['band'] }[] = [
  { kind: 'ide.register.accessed', place: 'legacy-pio.ata.data', band: 'guest-kernel' },
  { kind: 'hv.intercept.exited', place: 'hv', band: 'hypervisor' },
  { kind: 'vid.intercept.dispatched', place: 'root.vid', band: 'root-kernel' },
  { kind: 'ide.register.emulated', place: 'root.vmwp.legacy-pio.ide', band: 'root-user' },
  { kind: 'vmbus.ring.written', place: 'enlightened.ring.data', band: 'vmbus' },
];

/**
 * `n` synthetic records cycling through five kinds and places; record i
 * belongs to request `i % flows`.
 */
export function syntheticRecords(n: number, flows = 100): HvRecord[] {
  const out: HvRecord[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = CYCLE[i % CYCLE.length]!;
    out[i] = makeRecord(c.kind, i, { place: c.place, band: c.band, flow: i % flows });
  }
  return out;
}
