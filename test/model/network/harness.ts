/**
 * Just enough world for the network paths: a simulation, an array sink, a
 * tracer on logical processors, the hypervisor, VID and the root's VMBus
 * places, the host network, and one NIC per VM; plus a per-stream tally of
 * what the tests assert on (kept independent of src/metrics on purpose).
 */
import { ArraySink, RandomStreams, Simulation, fingerprintOf, startProcess } from '../../../src/engine/index.js';
import { resolveCosts, type CostTable, type ProfileName } from '../../../src/model/costs.js';
import { LogicalProcessors } from '../../../src/model/hardware/logical-processors.js';
import { Hypervisor } from '../../../src/model/hypervisor/hypervisor.js';
import { buildHostNetwork, buildVmNic, type HostNetwork, type NicKind, type VmNic } from '../../../src/model/network/network-paths.js';
import { networkIssuer, type NetworkWorkloadConfig } from '../../../src/model/network/network-workload.js';
import { TopologyBuilder, type Place } from '../../../src/model/topology.js';
import type { HvRecord } from '../../../src/model/trace-events.js';
import { Tracer } from '../../../src/model/tracer.js';

/** A VM with one NIC called `net`. */
export interface RigVm {
  id: string;
  kind: NicKind;
  autoEoi?: boolean;
}

export interface RigOptions {
  profile?: ProfileName;
  vms: RigVm[];
  logicalProcessors?: number;
  signalVia?: 'hypercall' | 'monitor';
  costs?: CostTable;
  seed?: number;
  /** Data area of each VMBus ring (default 131,072). */
  ringBytes?: number;
}

export class NetRig {
  readonly sim = new Simulation();
  readonly sink = new ArraySink<HvRecord>();
  readonly tracer: Tracer;
  readonly hv: Hypervisor;
  readonly top = new TopologyBuilder();
  readonly host: HostNetwork;
  readonly nics = new Map<string, VmNic>();
  readonly apps = new Map<string, Place>();
  private readonly rng: RandomStreams;
  private flow = 0;
  issued = 0;
  completed = 0;

  constructor(readonly options: RigOptions) {
    const costs = options.costs ?? resolveCosts(options.profile ?? '2008');
    this.rng = new RandomStreams(options.seed ?? 1);
    this.tracer = new Tracer(this.sim, this.sink, new LogicalProcessors(options.logicalProcessors ?? 4, options.vms.map((v) => v.id)));
    const t = this.top;
    this.hv = new Hypervisor(t.place('hv', 'Hypervisor', 'hypervisor', 'hypervisor', 'hypervisor'), t.place('hv.synic', 'SynIC', 'hypervisor', 'hypervisor', 'synic'), costs, this.tracer);
    const deps = {
      tracer: this.tracer,
      hv: this.hv,
      top: t,
      costs,
      vid: t.place('root.vid', 'VID.sys', 'root', 'root-kernel', 'vid'),
      rootVmbus: t.place('root.vmbus', 'VMBus (root)', 'root', 'root-kernel', 'driver'),
    };
    this.host = buildHostNetwork(deps);
    for (const vm of options.vms) {
      this.apps.set(vm.id, t.place(`${vm.id}.app`, 'Application', vm.id, 'guest-user', 'app'));
      const nic = buildVmNic(this.host, {
        vmId: vm.id,
        nicId: 'net',
        kind: vm.kind,
        guestVmbus: t.place(`${vm.id}.vmbus`, 'VMBus (guest)', vm.id, 'guest-kernel', 'driver'),
        ringBytes: options.ringBytes ?? 131072,
        signalVia: options.signalVia ?? 'hypercall',
        autoEoi: vm.autoEoi ?? true,
        channelOpen: true,
      });
      this.nics.set(vm.id, nic);
    }
  }

  nic(vm: string): VmNic {
    const nic = this.nics.get(vm);
    if (nic === undefined) throw new RangeError(`no VM '${vm}'`);
    return nic;
  }

  /** Starts a workload on `vm`'s NIC. */
  start(vm: string, w: Partial<NetworkWorkloadConfig> & Pick<NetworkWorkloadConfig, 'direction'>, index = 0): void {
    const cfg: NetworkWorkloadConfig = { bytes: 1514, count: 20, packetsPerSecond: 1000, startNs: 0, ...w };
    startProcess(
      this.sim,
      networkIssuer(this.nic(vm), cfg, {
        sim: this.sim,
        tracer: this.tracer,
        app: this.apps.get(vm)!,
        wire: this.host.places.nic,
        nextFlow: () => this.flow++,
        rng: this.rng.stream(`network.${index}.arrivals`),
        onIssued: () => this.issued++,
        onCompleted: () => this.completed++,
      }),
      `workload ${vm}`,
    );
  }

  run(untilNs = 60e9): { reason: string; records: HvRecord[] } {
    const result = this.sim.run({ until: untilNs, maxEvents: 50_000_000 });
    return { reason: result.reason, records: this.sink.records };
  }

  fingerprint(): string {
    return fingerprintOf(this.sink.records);
  }
}

/** Per-stream totals. */
export interface NetTally {
  packets: number;
  latencyNs: number[];
  exits: number;
  exitsByReason: Record<string, number>;
  rootUserTransitions: number;
  interrupts: number;
  eoiTraps: number;
  vmbusPackets: number;
  signalsToHost: number;
  signalsToGuest: number;
  csrAccesses: number;
  cpuNs: { guest: number; root: number; hypervisor: number; total: number };
  wireFrames: number;
}

export function tallyStream(records: readonly HvRecord[], stream: string): NetTally {
  const t: NetTally = {
    packets: 0,
    latencyNs: [],
    exits: 0,
    exitsByReason: {},
    rootUserTransitions: 0,
    interrupts: 0,
    eoiTraps: 0,
    vmbusPackets: 0,
    signalsToHost: 0,
    signalsToGuest: 0,
    csrAccesses: 0,
    cpuNs: { guest: 0, root: 0, hypervisor: 0, total: 0 },
    wireFrames: 0,
  };
  for (const r of records) {
    if (r.stream !== stream) continue;
    if (r.charge === 'guest' || r.charge === 'root' || r.charge === 'hypervisor') {
      t.cpuNs[r.charge] += r.costNs;
      t.cpuNs.total += r.costNs;
    }
    switch (r.kind) {
      case 'io.request.completed':
        t.packets++;
        t.latencyNs.push(r.latencyNs);
        break;
      case 'hv.intercept.exited':
        t.exits++;
        t.exitsByReason[r.reason] = (t.exitsByReason[r.reason] ?? 0) + 1;
        break;
      case 'cpu.mode.switched':
        if (r.partition === 'root' && r.to === 'user') t.rootUserTransitions++;
        break;
      case 'hv.interrupt.injected':
        if (r.target !== 'root') t.interrupts++;
        break;
      case 'guest.eoi.written':
        if (r.trapped) t.eoiTraps++;
        break;
      case 'vmbus.ring.written':
        t.vmbusPackets++;
        break;
      case 'vmbus.signal.sent':
        if (r.direction === 'to-host') t.signalsToHost++;
        else t.signalsToGuest++;
        break;
      case 'nic.csr.accessed':
        t.csrAccesses++;
        break;
      case 'wire.frame.sent':
      case 'wire.frame.arrived':
        t.wireFrames++;
        break;
    }
  }
  return t;
}

/** The tally divided by its packets. */
export function perPacket(t: NetTally): Omit<NetTally, 'latencyNs' | 'exitsByReason' | 'cpuNs' | 'packets'> & { exitsByReason: Record<string, number>; cpuNs: NetTally['cpuNs'] } {
  const n = t.packets || 1;
  const by: Record<string, number> = {};
  for (const [k, v] of Object.entries(t.exitsByReason)) by[k] = v / n;
  return {
    exits: t.exits / n,
    exitsByReason: by,
    rootUserTransitions: t.rootUserTransitions / n,
    interrupts: t.interrupts / n,
    eoiTraps: t.eoiTraps / n,
    vmbusPackets: t.vmbusPackets / n,
    signalsToHost: t.signalsToHost / n,
    signalsToGuest: t.signalsToGuest / n,
    csrAccesses: t.csrAccesses / n,
    wireFrames: t.wireFrames / n,
    cpuNs: { guest: t.cpuNs.guest / n, root: t.cpuNs.root / n, hypervisor: t.cpuNs.hypervisor / n, total: t.cpuNs.total / n },
  };
}

/** Every problem with request flows: a record before its issue or after its completion, or an issue never completed. */
export function flowViolations(records: readonly HvRecord[]): string[] {
  const issued = new Set<number>();
  const completed = new Set<number>();
  const bad: string[] = [];
  for (const r of records) {
    if (r.flow < 0) continue;
    if (completed.has(r.flow)) bad.push(`${r.kind} of packet ${r.flow} after its completion`);
    if (r.kind === 'io.request.issued') issued.add(r.flow);
    else if (!issued.has(r.flow)) bad.push(`${r.kind} of packet ${r.flow} before its issue`);
    if (r.kind === 'io.request.completed') completed.add(r.flow);
  }
  for (const f of issued) if (!completed.has(f)) bad.push(`packet ${f} never completed`);
  return bad;
}
