/**
 * Builds a running Hyper-V host from a `WorldConfig` and runs it: the
 * composition root, a wiring file. It makes the partitions, the hypervisor
 * and the VP scheduler here, and hands the rest to `world/`: the root's
 * shared parts and the hardware (`world/host-parts.ts`), each child
 * partition with its disks' front ends and its NICs (`world/vm-builder.ts`,
 * `world/front-ends.ts`), and the workloads (`world/workloads.ts`); then the
 * VMs' life cycles, the timed actions and the cluster. It emits the
 * topology and the trace; it computes no figures (that is `metrics/`).
 */
import { intern, internStrings, RandomStreams, Simulation, startProcess, type StopReason, type TraceSink } from '../engine/index.js';
import { LogicalProcessors } from './hardware/logical-processors.js';
import { VpScheduler } from './scheduler/vp-scheduler.js';
import { Hypervisor } from './hypervisor/hypervisor.js';
import { TopologyBuilder, type Topology } from './topology.js';
import type { HvRecord } from './trace-events.js';
import { strand, Tracer } from './tracer.js';
import { ClusterModel } from './cluster/cluster.js';
import { requestsOf, type WorldConfig } from './world-config.js';
import { Backend } from './storage/backend.js';
import { HostFile } from './lifecycle/host-file.js';
import { VmLifecycle } from './lifecycle/vm-lifecycle.js';
import { isLifecycleAction, tracksLifecycle } from './lifecycle/world-actions.js';
import { HostParts } from './world/host-parts.js';
import { buildVm, type VmRuntime } from './world/vm-builder.js';
import { startWorkloads, type WorkloadWorld } from './world/workloads.js';
import type { HostNetwork } from './network/network-paths.js';

/** What a run did. */
export interface RunOutput {
  topology: Topology;
  stop: StopReason;
  events: number;
  endNs: number;
  /** Trace records emitted. */
  records: number;
  issued: number;
  /** Requests that ended: delivered, or dropped (a packet a card had no room for). */
  completed: number;
  /** Of `completed`, the packets dropped on their way (counted apart, never as delivered). */
  dropped: number;
}

/**
 * A built world, ready to run. It is its workloads' `WorkloadWorld` itself,
 * for V8: the issuers call its methods, the same functions in every run on a
 * thread, where closures made per run were other call targets in each run
 * and deoptimized the issuer optimized in the first ('wrong call target').
 */
export class World implements WorkloadWorld {
  readonly sim = new Simulation();
  readonly tracer: Tracer;
  readonly topology: Topology;
  readonly vms = new Map<string, VmRuntime>();
  private readonly top = new TopologyBuilder();
  private readonly hv: Hypervisor;
  /** The root's shared parts and the host's hardware. */
  private readonly host: HostParts;
  /** Flow ids handed out so far (`nextFlow`). */
  private flows = 0;
  /** The credit scheduler of VPs on LPs, or null (dedicated: every VP always runs). */
  private readonly scheduler: VpScheduler | null = null;
  /**
   * Requests the workloads and traffic will issue in all; when all have completed, the CPU loads stop.
   * Their counts at first; a duration workload's count is only a cap, so once its window has closed
   * what it did not issue leaves the plan (`issuingEnded`).
   */
  private planned: number;
  issued = 0;
  completed = 0;
  dropped = 0;
  /** Bytes each VM's workloads have written (the cluster takes a migrating guest's dirty rate from them). */
  private readonly written = new Map<string, number>();
  /** The cluster around this host, if the scenario has one (its shared storage may redirect a request). */
  private cluster: ClusterModel | null = null;
  /** Where a request reaches the cluster's shared storage (`WorkloadWorld`), or null without a cluster. */
  readonly sharedStorage: WorkloadWorld['sharedStorage'];

  /** The world's configuration, its strings interned (`engine/intern.ts`): the names the model puts in millions of records compare by pointer. */
  readonly config: WorldConfig;

  constructor(config: WorldConfig, sink: TraceSink<HvRecord>) {
    config = internStrings(config);
    this.config = config;
    const lps = new LogicalProcessors(
      config.host.logicalProcessors,
      config.vms.map((v) => v.id),
      config.vms.map((v) => ({ id: v.id, vcpus: v.vcpus ?? 1, ...(v.affinity === undefined ? {} : { affinity: v.affinity }) })),
    );
    this.tracer = new Tracer(this.sim, sink, lps);
    this.planned = requestsOf(config);
    const t = this.top;
    t.partition({ id: 'root', label: 'Root partition', kind: 'root' });
    for (const vm of config.vms) t.partition({ id: vm.id, label: vm.native === true ? `${vm.id} (native host)` : vm.id, kind: 'child' });
    t.partition({ id: 'hypervisor', label: 'Hypervisor', kind: 'hypervisor' });
    t.partition({ id: 'hardware', label: 'Hardware', kind: 'hardware' });
    this.hv = new Hypervisor(
      t.place('hv', 'Hypervisor', 'hypervisor', 'hypervisor', 'hypervisor'),
      t.place('hv.synic', 'SynIC', 'hypervisor', 'hypervisor', 'synic'),
      config.costs,
      this.tracer,
      new RandomStreams(config.seed).stream('hypervisor.monitor-scan'),
    );
    if (config.scheduler?.kind === 'credit') this.scheduler = this.buildScheduler(lps);
    this.host = new HostParts(config, t, this.tracer, this.hv);
    for (const vm of config.vms) this.vms.set(vm.id, buildVm(this.host, vm));
    this.buildLifecycles();
    this.topology = t.build();
    for (const vm of this.vms.values()) if (vm.life !== null && vm.life.state !== 'Running') vm.life.announce();
    this.sharedStorage = config.cluster === undefined ? null : (vm, op, bytes, s) => this.cluster!.storageAccess(vm, op, bytes, s, this.host.rootStack.fs);
    startWorkloads(this);
    config.actions.forEach((action, index) => {
      if (action.do === 'snapshot' && action.disk !== undefined) this.sim.scheduleAt(action.atNs, () => this.snapshot(action.vm, action.disk ?? ''));
      else if (isLifecycleAction(action.do)) {
        const life = this.vms.get(action.vm)?.life;
        if (life === null || life === undefined) throw new RangeError(`action ${index} names VM '${action.vm}', which has no life cycle here`);
        const what = action.do;
        this.sim.scheduleAt(action.atNs, () => life.request(what, index));
      } else this.sim.scheduleAt(action.atNs, () => this.loadIntegrationServices(action.vm));
    });
    if (config.cluster !== undefined) this.cluster = new ClusterModel(this.sim, this.tracer, config.cluster, {
        writtenBytes: (vm) => this.written.get(vm) ?? 0,
        lifecycle: (vm) => this.lifecycle(vm),
        place: (id, label, band, role) => this.top.offCanvas(id, label, 'cluster', band, role),
      });
  }

  /**
   * The control plane (WMI provider and VMMS in the root's user mode) and a
   * life cycle for each VM the scenario manages (an action of its life
   * cycle, or a VM that starts off). Built only then, so a scenario that
   * manages none has the same places and records as before.
   */
  private buildLifecycles(): void {
    const managed = this.config.vms.filter((vm) => tracksLifecycle(vm, this.config.actions, this.config.cluster !== undefined));
    if (managed.length === 0) return;
    const t = this.top;
    const wmi = t.place('root.wmi', 'WMI provider', 'root', 'root-user', 'service');
    const vmms = t.place('root.vmms', 'VMMS (vmms.exe)', 'root', 'root-user', 'service');
    t.link(wmi, vmms);
    for (const vmConfig of managed) {
      const vm = this.vms.get(vmConfig.id)!;
      const worker = t.place(`root.vmwp.${vmConfig.id}`, `vmwp.exe (${vmConfig.id})`, 'root', 'root-user', 'worker');
      t.chain(vmms, worker, this.hv.place);
      const vhds = new Map<string, Backend>();
      let passthroughDisk: string | null = null;
      for (const [diskId, d] of vm.disks) {
        if (d.backend instanceof Backend && d.backend.kind !== 'passthrough') vhds.set(diskId, d.backend);
        else if (d.backend !== null && passthroughDisk === null) passthroughDisk = diskId; // pass-through, or a LUN the root passes through
      }
      // The VM's files sit beside its first VHD (Hyper-V's default places them together), else on the first host disk.
      const first = [...vhds.values()][0];
      const createFile = (name: string, bytes: number): HostFile => {
        const hostDiskId = first?.disk.config.id ?? vmConfig.disks.find((d) => d.backend.kind !== 'iscsi')?.backend.disk ?? this.config.host.disks[0]?.id;
        if (hostDiskId === undefined) throw new RangeError(`VM ${vmConfig.id}: no host disk to keep its state files on`);
        const sectors = Math.ceil(bytes / 512);
        const start = this.host.backends.allocate(hostDiskId, sectors);
        return new HostFile(intern(name), start, sectors * 512, this.host.hostDisks.get(hostDiskId)!, this.host.rootStack, worker, this.config.costs, this.tracer);
      };
      vm.life = new VmLifecycle(
        {
          id: vmConfig.id,
          memoryBytes: (vmConfig.memoryMiB ?? 1024) * 1_048_576,
          vcpus: vmConfig.vcpus ?? 1,
          initialState: vmConfig.initialState === 'off' ? 'Off' : 'Running',
          shutdownService: () => vm.integrationLoaded,
        },
        { sim: this.sim, tracer: this.tracer, costs: this.config.costs, places: { wmi, vmms, worker, hv: this.hv.place, app: vm.stack.places.app }, vhds, passthroughDisk, createFile, nextFlow: () => this.nextFlow() },
      );
      // The switch follows the VM's life: no port while it is not running (network/vswitch.ts).
      for (const nic of vm.nics.values()) this.host.builtNetwork!.vswitch.attachVm(nic.port, vm.life);
    }
  }

  /** The life cycle of VM `vmId` (null when the scenario manages none of it): for parts that save, restore or move it. */
  lifecycle(vmId: string): VmLifecycle | null {
    return this.vms.get(vmId)?.life ?? null;
  }

  /** Runs to completion or to the configured limits. */
  run(): RunOutput {
    const { maxEvents, untilNs } = this.config.limits;
    const result = this.sim.run({ until: untilNs, maxEvents });
    this.scheduler?.finish();
    this.cluster?.finish();
    return {
      topology: this.topology,
      stop: result.reason,
      events: this.sim.eventsProcessed,
      endNs: this.sim.now,
      records: this.tracer.emitted,
      issued: this.issued,
      completed: this.completed,
      dropped: this.dropped,
    };
  }

  /** The credit scheduler, its place in the hypervisor and the LPs it schedules on (drawn as lanes). */
  private buildScheduler(lps: LogicalProcessors): VpScheduler {
    const config = this.config;
    const spec = config.scheduler!;
    const place = this.top.place('hv.scheduler', 'VP scheduler', 'hypervisor', 'hypervisor', 'hypervisor');
    const waitPlace = this.top.place('hv.vp-wait', 'Waiting for a VP', 'hypervisor', 'hypervisor', 'hypervisor');
    for (let lp = 0; lp < config.host.logicalProcessors; lp++) this.top.place(`hw.lp.${lp}`, `LP${lp}`, 'hardware', 'hardware', 'cpu');
    const native = new Set(config.vms.filter((v) => v.native === true).map((v) => v.id));
    const vpLps = new Map([...lps.vpLps].filter(([vm]) => !native.has(vm)));
    const loads = (config.cpu ?? []).map((c) => ({
      vm: c.vm,
      vp: c.vp,
      dutyPercent: c.dutyPercent,
      burstNs: c.burstNs,
      startNs: c.startNs,
      stopNs: c.durationNs === undefined ? Infinity : c.startNs + c.durationNs,
    }));
    const controls = new Map(config.vms.flatMap((v) => (v.cpu === undefined || native.has(v.id) ? [] : [[v.id, v.cpu] as const])));
    const scheduler = new VpScheduler(this.sim, this.tracer, place, waitPlace, config.costs, { sliceNs: spec.sliceNs, wakeBoost: spec.wakeBoost }, config.host.logicalProcessors, vpLps, loads, controls);
    this.tracer.attachScheduler(scheduler);
    return scheduler;
  }

  /** The host network (`WorkloadWorld`), or null when no VM has a NIC. */
  get network(): HostNetwork | null {
    return this.host.builtNetwork;
  }

  /** The next request's flow id (`WorkloadWorld`). */
  nextFlow(): number {
    return this.flows++;
  }

  /** A workload issued a request (`WorkloadWorld`). */
  onIssued(): void {
    this.issued++;
  }

  /** A VM's workload wrote `bytes` (`WorkloadWorld`; the cluster takes a migrating guest's dirty rate from them). */
  onWritten(vm: string, bytes: number): void {
    this.written.set(vm, (this.written.get(vm) ?? 0) + bytes);
  }

  /** A request ended (`WorkloadWorld`). */
  onCompleted(dropped?: boolean): void {
    this.requestCompleted(dropped === true);
  }

  /** A workload's last issuer stopped (`WorkloadWorld`). */
  onIssuingEnded(unissued: number): void {
    this.issuingEnded(unissued);
  }

  /** One more request ended (completed, or dropped); once all have, the CPU loads stop so the run can end. */
  private requestCompleted(dropped: boolean): void {
    this.completed++;
    if (dropped) this.dropped++;
    if (this.completed === this.planned) this.scheduler?.stop();
  }

  /** A workload stopped issuing with `unissued` of its count left (its duration ran out): the run waits for those no longer. */
  private issuingEnded(unissued: number): void {
    if (unissued === 0) return;
    this.planned -= unissued;
    if (this.completed === this.planned) this.scheduler?.stop();
  }

  private snapshot(vmId: string, diskId: string): void {
    const backend = this.vms.get(vmId)?.disks.get(diskId)?.backend ?? undefined;
    if (backend === undefined) throw new RangeError(`snapshot: no disk '${diskId}' on VM '${vmId}'`);
    backend.snapshot(strand('', -1), diskId);
  }

  private loadIntegrationServices(vmId: string): void {
    const vm = this.vms.get(vmId);
    if (vm === undefined) throw new RangeError(`action names unknown VM '${vmId}'`);
    if (vm.config.os === 'legacy') throw new RangeError(`VM '${vmId}' runs an OS with no synthetic drivers: integration services cannot load`);
    if (vm.integrationLoaded) return;
    vm.integrationLoaded = true;
    const s = strand('', -1);
    this.tracer.emit(s, 'guest.integration.loaded', vm.stack.places.app, 0, 'none', { vm: vmId });
    const closed = [...[...vm.disks.values()].flatMap((d) => [...d.frontEnds.values()].map((f) => f.channel)), ...[...vm.nics.values()].map((n) => n.channel)].filter(
      (c): c is NonNullable<typeof c> => c !== null && c !== undefined && c.state !== 'open',
    );
    if (vm.control === null) throw new RangeError(`VM '${vmId}' is a native host: there is no VMBus to connect to`);
    startProcess(this.sim, vm.control.connect(closed, s.cause), `${vmId} VMBus connect`);
  }
}

/** Builds `config` and runs it, writing the trace to `sink`. */
export function runWorld(config: WorldConfig, sink: TraceSink<HvRecord>): RunOutput {
  return new World(config, sink).run();
}
