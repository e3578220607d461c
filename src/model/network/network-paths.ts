/**
 * The network paths as the world builds them (DESIGN §3 path 6): one
 * host network per world (the root's virtual switch, the physical NIC and
 * its miniport) and, per VM NIC, a front end of kind `legacy` (the DEC
 * 21140 emulated in the VM's worker process, the guest's tulip driver) or
 * `synthetic` (netvsc <-> netvsp over a VMBus channel with its send and
 * receive buffers). Both front ends end in the same switch and NIC, so a
 * difference between them is a front-end difference. This module creates
 * places, links and objects and returns what a workload calls; it runs
 * nothing by itself (the interrupt handler and channel readers wait for
 * work).
 */
import { intern, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Hypervisor } from '../hypervisor/hypervisor.js';
import type { Place, TopologyBuilder } from '../topology.js';
import type { PathKind } from '../trace-events.js';
import type { Strand, Tracer } from '../tracer.js';
import { Channel } from '../vmbus/channel.js';
import { EXTERNAL_PORT, newFrame, type NicFrame } from './frame.js';
import { IoApicPin } from './ioapic-pin.js';
import { WorkerProcess } from '../partition/worker-process.js';
import { DescriptorRings, TulipEmulator } from './tulip-emulator.js';
import { TulipWorker } from './tulip-worker.js';
import { Netvsc, type NetChannel } from './netvsc.js';
import { Netvsp } from './netvsp.js';
import { PhysicalNic } from './physical-nic.js';
import { TulipDriver } from './tulip-driver.js';
import { CSR7_VALID_INTRS_21140, TULIP_IO_BASE, TULIP_IO_BYTES, VECTOR_TULIP } from './tulip-protocol.js';
import { VirtualSwitch } from './vswitch.js';

/** The two NIC front ends. */
export type NicKind = 'legacy' | 'synthetic';

/** The path kind of each front end (PATH_KINDS). */
export const NIC_PATH: { readonly [K in NicKind]: Extract<PathKind, 'nic-legacy' | 'nic-synthetic'> } = { legacy: 'nic-legacy', synthetic: 'nic-synthetic' };

/** Largest frame the 21140 path takes: 1,514 + a VLAN tag (the Linux driver's 1,518 limit). */
export const LEGACY_MAX_FRAME_BYTES = 1518;

/** What the world already has and the network paths share. */
export interface NetworkDeps {
  tracer: Tracer;
  hv: Hypervisor;
  top: TopologyBuilder;
  costs: CostTable;
  /** VID.sys (root kernel): legacy NIC intercepts pass it. */
  vid: Place;
  /** The root's VMBus driver: synthetic NIC channels end there. */
  rootVmbus: Place;
}

/** The host side every VM NIC plugs into. */
export interface HostNetwork {
  readonly deps: NetworkDeps;
  readonly vswitch: VirtualSwitch;
  readonly nic: PhysicalNic;
  readonly places: { vswitch: Place; netvsp: Place; miniport: Place; nic: Place };
  /** Legacy NICs built so far per VM: the next one's I/O BAR follows theirs. */
  readonly legacyCount: Map<string, number>;
}

/** Builds the root's virtual switch and the physical NIC `nicId` (one per world). */
export function buildHostNetwork(deps: NetworkDeps, nicId = 'nic0'): HostNetwork {
  const t = deps.top;
  const places = {
    vswitch: t.place('root.vmswitch', 'Virtual switch (vmswitch)', 'root', 'root-kernel', 'vsp'),
    netvsp: t.place('root.netvsp', 'netvsp', 'root', 'root-kernel', 'vsp'),
    miniport: t.place('root.nic-miniport', 'NIC miniport (NDIS)', 'root', 'root-kernel', 'driver'),
    // No 'nic' role yet in topology.ts: the NIC is drawn as a host adapter.
    nic: t.place(`hw.${nicId}`, `Physical NIC ${nicId}`, 'hardware', 'hardware', 'nic'),
  };
  t.chain(places.netvsp, places.vswitch, places.miniport, places.nic);
  const nic = new PhysicalNic(nicId, { miniport: places.miniport, device: places.nic }, deps.costs, deps.tracer, deps.hv);
  return { deps, vswitch: new VirtualSwitch(places.vswitch, nic, deps.costs, deps.tracer), nic, places, legacyCount: new Map() };
}

/** One VM NIC to build. */
export interface VmNicOptions {
  vmId: string;
  /** NIC id within the VM, e.g. `net`. */
  nicId: string;
  kind: NicKind;
  /** Legacy only: the VM's worker process, which registers the 21140's ports (built on first use; without it, one of the NIC's own). */
  worker?: () => WorkerProcess;
  /** Synthetic only: the guest's VMBus driver place (`vm.vmbus`), ring size, signalling, auto-EOI, and whether the channel is open at start. */
  guestVmbus?: Place;
  ringBytes?: number;
  signalVia?: 'hypercall' | 'monitor';
  autoEoi?: boolean;
  channelOpen?: boolean;
}

/** A VM's NIC front end, as a workload uses it. */
export interface VmNic {
  readonly kind: NicKind;
  readonly path: 'nic-legacy' | 'nic-synthetic';
  readonly vmId: string;
  readonly nicId: string;
  /** Switch port id, `vm/nic`: the `to` of frames addressed to this NIC. */
  readonly port: string;
  /** Workload stream of this NIC's packets, `vm/nic/path`; its shared work (interrupts, ring draining) carries it too. */
  readonly stream: string;
  /** The synthetic NIC's channel (for the control plane's connect), or null. */
  readonly channel: NetChannel | null;
  /** The guest-kernel place where a packet's path starts (the driver or VSC). */
  readonly driverPlace: Place;
  /** Sends a frame of `bytes` to port `to` (default: out of the physical NIC); returns when the guest driver has it back: true, or false when the destination dropped it. */
  send(s: Strand, bytes: number, to?: string): ProcessBody<boolean>;
  /** A frame of `bytes` arrives from the wire for this NIC; returns when the guest driver has taken it (true) or a card dropped it (false). A `flowControlled` frame (TCP's) waits for a free descriptor instead of being dropped. */
  receive(s: Strand, bytes: number, flowControlled?: boolean): ProcessBody<boolean>;
}

/** Builds one VM NIC on `host` and connects it to the virtual switch. */
export function buildVmNic(host: HostNetwork, o: VmNicOptions): VmNic {
  return NIC_BUILDERS[o.kind](host, o);
}

/** The front-end builders, keyed by kind: each returns the same `VmNic` interface. */
const NIC_BUILDERS: { readonly [K in NicKind]: (host: HostNetwork, o: VmNicOptions) => VmNic } = { legacy: buildLegacy, synthetic: buildSynthetic };

function buildLegacy(host: HostNetwork, o: VmNicOptions): VmNic {
  const { top: t, tracer, hv, costs, vid } = host.deps;
  const port = intern(`${o.vmId}/${o.nicId}`);
  const stream = intern(`${port}/${NIC_PATH.legacy}`);
  const driverPlace = t.place(`${o.vmId}.tulip.${o.nicId}`, `tulip driver (${o.nicId})`, o.vmId, 'guest-kernel', 'driver');
  const worker = o.worker?.() ?? new WorkerProcess(o.vmId, t.place(`root.vmwp.${o.vmId}`, `vmwp.exe (${o.vmId})`, 'root', 'root-user', 'worker'), vid, hv, costs, tracer);
  const emulator = t.place(`root.vmwp.${o.vmId}.${o.nicId}`, `21140 emulator (${o.vmId})`, 'root', 'root-user', 'emulator');
  t.chain(driverPlace, hv.place, vid, worker.place, emulator, host.places.vswitch);
  // Each card gets its own I/O BAR, one after the other (the first at TULIP_IO_BASE).
  const index = host.legacyCount.get(o.vmId) ?? 0;
  host.legacyCount.set(o.vmId, index + 1);
  const ioBase = TULIP_IO_BASE + index * TULIP_IO_BYTES;
  const rings = new DescriptorRings();
  const device = new TulipEmulator(rings);
  device.bringUp(CSR7_VALID_INTRS_21140);
  const pin = new IoApicPin(o.vmId, VECTOR_TULIP, hv, vid);
  const nicWorker = new TulipWorker(port, emulator, worker, ioBase, device, pin, host.vswitch, costs, tracer);
  host.vswitch.connect(nicWorker);
  const driver = new TulipDriver(port, o.vmId, driverPlace, stream, rings, ioBase, pin, hv, costs, tracer);
  return {
    kind: 'legacy',
    path: NIC_PATH.legacy,
    vmId: o.vmId,
    nicId: o.nicId,
    port,
    stream,
    channel: null,
    driverPlace,
    *send(s, bytes, to = EXTERNAL_PORT) {
      if (bytes > LEGACY_MAX_FRAME_BYTES) throw new RangeError(`${port}: the 21140 sends frames of at most ${LEGACY_MAX_FRAME_BYTES} bytes, got ${bytes}`);
      const frame = newFrame(s, bytes, to);
      yield* driver.transmit(s, frame);
      return yield* settled(s, frame);
    },
    *receive(s, bytes, flowControlled = false) {
      const frame = newFrame(s, bytes, port);
      yield* host.vswitch.receiveFromWire(s, frame, flowControlled);
      return yield* settled(s, frame);
    },
  };
}

function buildSynthetic(host: HostNetwork, o: VmNicOptions): VmNic {
  const { top: t, tracer, hv, costs, rootVmbus } = host.deps;
  if (o.guestVmbus === undefined) throw new RangeError(`${o.vmId}/${o.nicId}: a synthetic NIC needs the guest's VMBus place`);
  const port = intern(`${o.vmId}/${o.nicId}`);
  const stream = intern(`${port}/${NIC_PATH.synthetic}`);
  const vsc = t.place(`${o.vmId}.netvsc.${o.nicId}`, `netvsc (${o.nicId})`, o.vmId, 'guest-kernel', 'vsc');
  const ring = t.place(`${o.vmId}.ring.${o.nicId}`, `Ring ${o.nicId}`, o.vmId, 'vmbus', 'ring');
  t.chain(vsc, ring, rootVmbus, host.places.netvsp);
  t.link(ring, o.guestVmbus);
  const channel: NetChannel = new Channel(
    {
      id: port,
      vmId: o.vmId,
      stream,
      places: { guestVmbus: o.guestVmbus, ring, rootVmbus, vsc, vsp: host.places.netvsp },
      ringBytes: o.ringBytes ?? 131072,
      signalVia: o.signalVia ?? 'hypercall',
      autoEoi: o.autoEoi ?? true,
      openAtStart: o.channelOpen ?? true,
    },
    { hv, costs, tracer },
  );
  const netvsp = new Netvsp(port, host.places.netvsp, channel, host.vswitch, costs, tracer);
  host.vswitch.connect(netvsp);
  const netvsc = new Netvsc(vsc, channel, costs, tracer);
  return {
    kind: 'synthetic',
    path: NIC_PATH.synthetic,
    vmId: o.vmId,
    nicId: o.nicId,
    port,
    stream,
    channel,
    driverPlace: vsc,
    *send(s, bytes, to = EXTERNAL_PORT) {
      const frame = newFrame(s, bytes, to);
      yield* netvsc.send(s, frame);
      return yield* settled(s, frame);
    },
    *receive(s, bytes, flowControlled = false) {
      const frame = newFrame(s, bytes, port);
      yield* host.vswitch.receiveFromWire(s, frame, flowControlled);
      return yield* settled(s, frame);
    },
  };
}

/** Once its path is done with `frame`: waits for a delivery the switch deferred (a guest not running, vswitch.ts `keep`); true if delivered, false if dropped. */
function* settled(s: Strand, frame: NicFrame): ProcessBody<boolean> {
  if (frame.delivery !== undefined) s.cause = yield frame.delivery;
  return !frame.dropped;
}
