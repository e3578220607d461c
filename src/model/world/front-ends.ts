/**
 * A VM disk's front ends, built through one interface. A front end takes a
 * request from the guest's disk class driver down to the back end and
 * returns when it has completed: the ATA driver on the emulated IDE
 * controller, storvsc on synthetic SCSI, storflt (or Linux's storvsc) on
 * the IDE fast path, the native baseline's StorPort, the guest's own iSCSI
 * initiator. Only the front end differs between the paths; all end in the
 * same back end (DESIGN §3, as OpenVMM's storage pipeline). The builders
 * sit in a registry keyed by how the disk is attached; a disk keeps its
 * front ends by path, in order of preference, and each request takes the
 * first that is available now (the IDE disk moves to the fast path once
 * storflt's channel is open).
 */
import { intern, type ProcessBody } from '../../engine/index.js';
import type { VmNic } from '../network/network-paths.js';
import { InterruptLine } from '../partition/interrupt-line.js';
import type { WorkerProcess } from '../partition/worker-process.js';
import { AtaDriver, sectorsOf } from '../storage/ata-driver.js';
import type { StorageBackend } from '../storage/backend.js';
import { IdeEmulator } from '../storage/ide-emulator.js';
import { IDE_CHANNELS } from '../storage/ide-protocol.js';
import { IdeWorker } from '../storage/ide-worker.js';
import { IscsiGuestDisk, IscsiInitiator, type IscsiTransport } from '../storage/iscsi.js';
import { NativeDisk } from '../storage/native-disk.js';
import { Storvsc, type StorChannel } from '../storage/storvsc.js';
import { Storvsp } from '../storage/storvsp.js';
import type { Place } from '../topology.js';
import type { PathKind } from '../trace-events.js';
import type { Strand } from '../tracer.js';
import { Channel } from '../vmbus/channel.js';
import type { VmConfig, VmDiskConfig } from '../world-config.js';
import type { HostParts } from './host-parts.js';

/** One request as the disk class driver hands it down. */
export interface DiskRequest {
  op: 'read' | 'write';
  lba: number;
  bytes: number;
}

/** A disk's front end: the path its requests take from the disk class driver to the back end. */
export interface FrontEnd {
  readonly path: PathKind;
  /** The VMBus channel the guest opens when integration services load, or null. */
  readonly channel: StorChannel | null;
  /** Whether a request issued now can take this front end. */
  available(): boolean;
  /** Issues `req` and returns when it has completed. */
  request(s: Strand, req: DiskRequest): ProcessBody<void>;
}

/** One VM disk at run time. */
export interface VmDisk {
  config: VmDiskConfig;
  /** The root's back end; null for an iSCSI LUN the guest's own initiator reaches. */
  backend: StorageBackend | null;
  /** The disk's size as the guest sees it, in sectors. */
  sectors: number;
  /** Front ends by path, in order of preference. */
  frontEnds: Map<PathKind, FrontEnd>;
}

/** The front end a request issued now takes. */
export function frontEndOf(disk: VmDisk): FrontEnd {
  for (const f of disk.frontEnds.values()) if (f.available()) return f;
  throw new RangeError(`disk ${disk.config.id}: no front end is available`);
}

/** What a front end's builder is given: the host, the VM, the disk and its back end, and the VM's shared parts. */
export interface FrontEndContext {
  host: HostParts;
  vm: VmConfig;
  disk: VmDiskConfig;
  backend: StorageBackend;
  /** A place of this VM (`vm.name`). */
  place(name: string, label: string, band: Place['band'], role: Place['role']): Place;
  /** The guest's disk class driver. */
  diskClass: Place;
  /** The guest's VMBus driver (its place is made on first use). */
  guestVmbus(): Place;
  /** Whether the guest has VMBus at all: integration services run now or load later. */
  vmbus: boolean;
  /** The VM's worker process (built on first use). */
  worker(): WorkerProcess;
  /** IDE disks this VM already has (each takes the next channel). */
  ideDisks: number;
  /** Whether the guest's integration services are loaded now. */
  integrationLoaded(): boolean;
}

/** How a disk is attached, which picks its builder. */
export type Attachment = 'native' | 'ide' | 'scsi';

/** The builders, keyed by attachment. */
export const FRONT_END_BUILDERS: { readonly [K in Attachment]: (c: FrontEndContext) => FrontEnd[] } = {
  native: nativeFrontEnd,
  ide: ideFrontEnds,
  scsi: (c) => {
    const port = c.place('storport', 'StorPort', 'guest-kernel', 'driver');
    const vsc = c.place(`storvsc.${c.disk.id}`, `storvsc (${c.disk.id})`, 'guest-kernel', 'vsc');
    c.host.top.chain(c.diskClass, port);
    return [synthetic(c, 'vmbus-scsi', vsc, port, c.guestVmbus(), () => true)];
  },
};

/** The native baseline: StorPort on the bare host, the HBA (if any) and the disk. */
function nativeFrontEnd(c: FrontEndContext): FrontEnd[] {
  const { host, disk } = c;
  const hostDisk = host.hostDisks.get(disk.backend.disk)!;
  const port = c.place('storport', 'StorPort + miniport', 'guest-kernel', 'driver');
  host.top.chain(c.diskClass, port, hostDisk.entry);
  const native = new NativeDisk(port, hostDisk, host.config.costs, host.tracer);
  return [{ path: 'native', channel: null, available: () => true, request: (s, r) => native.request(s, r.op, r.lba, r.bytes) }];
}

/**
 * The emulated IDE disk: the guest's ATA driver, the IDE controller in the
 * VM's worker process (which claims the channel's ports), and, when the
 * guest can run integration services, the fast path over VMBus.
 */
function ideFrontEnds(c: FrontEndContext): FrontEnd[] {
  const { host, vm, disk } = c;
  const t = host.top;
  const costs = host.config.costs;
  const ata = c.place(`ata.${disk.id}`, `ATA driver (${disk.id})`, 'guest-kernel', 'driver');
  const w = c.worker();
  const idePlace = t.place(`root.vmwp.${vm.id}.ide`, `IDE emulator (${vm.id})`, 'root', 'root-user', 'emulator');
  // One disk per IDE channel (a Generation 1 VM has two IDE controllers); each channel claims its own ports.
  const channel = IDE_CHANNELS[c.ideDisks];
  if (channel === undefined) throw new RangeError(`VM ${vm.id} disk ${disk.id}: this model puts one disk on each of the ${IDE_CHANNELS.length} IDE channels; use SCSI for more`);
  const irq = new InterruptLine();
  new IdeWorker(idePlace, w, channel, new IdeEmulator(), c.backend, irq, costs, host.tracer);
  const driver = new AtaDriver(vm.id, ata, channel, irq, host.hv, costs, host.tracer, host.config.stringIo);
  t.chain(c.diskClass, ata, host.hv.place, host.vid, w.place, idePlace);
  t.link(idePlace, host.rootStack.vhd);
  const emulated: FrontEnd = {
    path: disk.ideMode === 'dma' ? 'ide-dma' : 'ide-pio',
    channel: null,
    available: () => true,
    request: (s, r) => driver.request(s, { op: r.op, lba: r.lba, sectors: sectorsOf(r.bytes) }, disk.ideMode),
  };
  if (!c.vmbus) return [emulated];
  // Windows moves the IDE disk onto VMBus with the storflt filter; Linux's storvsc binds the IDE device itself (§2.5, §4.3).
  const storflt =
    vm.os === 'linux' ? c.place(`storvsc-ide.${disk.id}`, `storvsc IDE (${disk.id})`, 'guest-kernel', 'vsc') : c.place(`storflt.${disk.id}`, `storflt (${disk.id})`, 'guest-kernel', 'vsc');
  // The IDE disk moves to the fast path once storflt's channel is open, not before.
  const fast = synthetic(c, 'ide-fastpath', storflt, null, c.guestVmbus(), () => c.integrationLoaded() && fast.channel!.state === 'open');
  return [fast, emulated];
}

/** A channel with its storvsc/storflt and storvsp ends. */
function synthetic(c: FrontEndContext, path: 'vmbus-scsi' | 'ide-fastpath', vsc: Place, port: Place | null, guestVmbus: Place, available: () => boolean): FrontEnd {
  const { host, vm, disk } = c;
  const t = host.top;
  const ring = t.place(`${vm.id}.ring.${disk.id}`, `Ring ${disk.id}`, vm.id, 'vmbus', 'ring');
  t.chain(port ?? t.place(`${vm.id}.disk`, 'Disk class', vm.id, 'guest-kernel', 'stack-layer'), vsc, ring, host.rootVmbus, host.storvsp);
  t.link(ring, guestVmbus);
  const channel: StorChannel = new Channel(
    {
      id: intern(`${vm.id}/${disk.id}`),
      vmId: vm.id,
      stream: intern(`${vm.id}/${disk.id}/${path}`),
      places: { guestVmbus, ring, rootVmbus: host.rootVmbus, vsc, vsp: host.storvsp },
      ringBytes: host.config.ringBytes,
      signalVia: host.config.vmbusSignal,
      autoEoi: vm.autoEoi,
      openAtStart: vm.integrationServices,
    },
    { hv: host.hv, costs: host.config.costs, tracer: host.tracer },
  );
  new Storvsp(host.storvsp, channel, c.backend, host.config.costs, host.tracer);
  const storvsc = new Storvsc(vsc, port, channel, host.config.costs, host.tracer);
  return { path, channel, available, request: (s, r) => storvsc.request(s, r.op, r.lba, r.bytes) };
}

/** The guest's own initiator and TCP/IP over its synthetic NIC, the root's switch and physical NIC (reference §5.2). */
export function guestIscsiDisk(host: HostParts, vm: VmConfig, d: VmDiskConfig, nics: Map<string, VmNic>, diskClass: Place): VmDisk {
  const t = host.top;
  const target = host.iscsiTarget(vm, d);
  const nic = d.backend.nic !== undefined ? nics.get(d.backend.nic) : [...nics.values()].find((n) => n.kind === 'synthetic');
  if (nic === undefined || nic.kind !== 'synthetic') throw new RangeError(`VM ${vm.id} disk ${d.id}: guest-attached iSCSI needs a synthetic NIC${d.backend.nic === undefined ? '' : ` ('${d.backend.nic}' is not one)`}`);
  const port = t.place(`${vm.id}.storport`, 'StorPort', vm.id, 'guest-kernel', 'driver');
  const initiatorPlace = t.place(`${vm.id}.iscsi.${d.id}`, `iSCSI initiator (${d.id})`, vm.id, 'guest-kernel', 'driver');
  const tcpip = t.place(`${vm.id}.tcpip`, 'TCP/IP', vm.id, 'guest-kernel', 'stack-layer');
  t.chain(diskClass, port, initiatorPlace, tcpip, nic.driverPlace);
  t.link(host.hostNetwork().places.nic, target.place);
  const costs = host.config.costs;
  const initiator = new IscsiInitiator(vm.id, { initiator: initiatorPlace, tcpip }, 'guest', target, tcpOver(nic), costs, host.tracer);
  const iscsi = new IscsiGuestDisk(port, initiator, costs, host.tracer);
  const front: FrontEnd = { path: 'iscsi-guest', channel: null, available: () => true, request: (s, r) => iscsi.request(s, r.op, r.lba, r.bytes) };
  return {
    config: d,
    backend: null,
    get sectors() {
      return iscsi.sectors;
    },
    frontEnds: new Map([[front.path, front]]),
  };
}

/**
 * The guest initiator's frames over its synthetic NIC, flow controlled as
 * TCP's are (its window keeps the sender within the receiver's buffers):
 * netvsp and the physical NIC's ring make them wait rather than drop them,
 * so a frame never goes missing here; if one did, TCP would retransmit it,
 * which this model does not (iscsi.ts): the run stops saying so rather
 * than completing an I/O whose frame was lost.
 */
function tcpOver(nic: VmNic): IscsiTransport {
  const sure = (delivered: boolean): void => {
    if (!delivered) throw new Error(`${nic.port}: an iSCSI frame was dropped, and TCP retransmission is not modelled`);
  };
  return {
    *send(s, bytes) {
      sure(yield* nic.send(s, bytes));
    },
    *receive(s, bytes) {
      sure(yield* nic.receive(s, bytes, true));
    },
  };
}
