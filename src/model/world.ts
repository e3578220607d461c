/**
 * Builds a running Hyper-V host from a `WorldConfig` and runs it: the
 * hypervisor, the root partition (VID, one worker process per VM, VMBus,
 * storvsp, the VHD parser and the root storage stack), the child
 * partitions (guest stacks, ATA drivers, storvsc/storflt), a VMBus channel
 * per synthetic disk, the HBA and disks, and the workloads. It emits the
 * topology and the trace; it computes no figures (that is `metrics/`).
 */
import { RandomStreams, Simulation, startProcess, type ProcessBody, type StopReason, type TraceSink } from '../engine/index.js';
import { Disk } from './hardware/disk.js';
import { Hba } from './hardware/hba.js';
import { NativeDisk } from './storage/native-disk.js';
import { LogicalProcessors } from './hardware/logical-processors.js';
import { VpScheduler } from './scheduler/vp-scheduler.js';
import { Hypervisor } from './hypervisor/hypervisor.js';
import { GuestStack, LINUX_LAYERS, WINDOWS_LAYERS } from './partition/guest-stack.js';
import { InterruptLine } from './partition/interrupt-line.js';
import { WorkerProcess, type EmulatedDisk } from './partition/worker-process.js';
import { AtaDriver, sectorsOf } from './storage/ata-driver.js';
import type { RootStackPlaces, StorageBackend } from './storage/backend.js';
import { BackendFactory } from './storage/backend-factory.js';
import { IdeEmulator } from './storage/ide-emulator.js';
import { Storvsc, type StorChannel } from './storage/storvsc.js';
import { Storvsp } from './storage/storvsp.js';
import { TopologyBuilder, type Place, type Topology } from './topology.js';
import type { HvRecord, PathKind } from './trace-events.js';
import { strand, Tracer } from './tracer.js';
import { Channel } from './vmbus/channel.js';
import { ControlPlane } from './vmbus/control-plane.js';
import { buildHostNetwork, buildVmNic, type HostNetwork, type VmNic } from './network/network-paths.js';
import { networkIssuer } from './network/network-workload.js';
import { PhysicalNic } from './network/physical-nic.js';
import { IscsiGuestDisk, IscsiInitiator, IscsiLunBackend, IscsiTarget } from './storage/iscsi.js';
import { ClusterModel } from './cluster/cluster.js';
import type { VmConfig, VmDiskConfig, WorkloadConfig, WorldConfig } from './world-config.js';
import { Backend } from './storage/backend.js';
import { HostFile } from './lifecycle/host-file.js';
import { VmLifecycle } from './lifecycle/vm-lifecycle.js';
import { isLifecycleAction, tracksLifecycle } from './lifecycle/world-actions.js';


/** What a run did. */
export interface RunOutput {
  topology: Topology;
  stop: StopReason;
  events: number;
  endNs: number;
  /** Trace records emitted. */
  records: number;
  issued: number;
  completed: number;
}

/** One VM disk's front ends. */
interface VmDiskRuntime {
  config: VmDiskConfig;
  /** The root's back end; null for an iSCSI LUN the guest's own initiator reaches. */
  backend: StorageBackend | null;
  /** A guest-attached iSCSI disk (path iscsi-guest), or null. */
  iscsi: IscsiGuestDisk | null;
  ata: AtaDriver | null;
  /** storvsc for a SCSI disk; storflt for an IDE disk once integration services load. */
  synthetic: Storvsc | null;
  channel: StorChannel | null;
  /** The native baseline's front end (a partition marked native). */
  native: NativeDisk | null;
}

/** One child partition at run time. */
interface VmRuntime {
  config: VmConfig;
  integrationLoaded: boolean;
  stack: GuestStack;
  disks: Map<string, VmDiskRuntime>;
  nics: Map<string, VmNic>;
  control: ControlPlane | null;
  /** The VM's life cycle (states, actions, the gates its requests pass); null when the scenario manages none of it. */
  life: VmLifecycle | null;
}

/** A built world, ready to run. */
export class World {
  readonly sim = new Simulation();
  readonly tracer: Tracer;
  readonly topology: Topology;
  private readonly vms = new Map<string, VmRuntime>();
  private readonly top = new TopologyBuilder();
  private readonly hv: Hypervisor;
  private readonly rootStack: RootStackPlaces;
  private readonly rootVmbus: Place;
  private readonly storvspPlace: Place;
  private readonly vid: Place;
  private readonly hostDisks = new Map<string, Disk>();
  private readonly hbas = new Map<string, Hba>();
  private readonly diskHba = new Map<string, Hba>();
  /** Places VHD files on the host disks and builds each VM disk's back end. */
  private readonly backends: BackendFactory;
  private nextFlow = 0;
  /** The root's virtual switch and the physical NIC, built when the first VM has a NIC. */
  private hostNetwork: HostNetwork | null = null;
  /** iSCSI targets by id, and the root's own NIC for its iSCSI traffic (built when a LUN is root-attached). */
  private readonly iscsiTargets = new Map<string, IscsiTarget>();
  private rootIscsiNic: PhysicalNic | null = null;
  /** The credit scheduler of VPs on LPs, or null (dedicated: every VP always runs). */
  private readonly scheduler: VpScheduler | null = null;
  /** Requests the workloads and traffic will issue in all; when all have completed, the CPU loads stop. */
  private readonly planned: number;
  issued = 0;
  completed = 0;
  /** Bytes each VM's workloads have written (the cluster takes a migrating guest's dirty rate from them). */
  private readonly written = new Map<string, number>();
  /** The cluster around this host, if the scenario has one (its shared storage may redirect a request). */
  private cluster: ClusterModel | null = null;

  constructor(
    readonly config: WorldConfig,
    sink: TraceSink<HvRecord>,
  ) {
    const lps = new LogicalProcessors(
      config.host.logicalProcessors,
      config.vms.map((v) => v.id),
      config.vms.map((v) => ({ id: v.id, vcpus: v.vcpus ?? 1, ...(v.affinity === undefined ? {} : { affinity: v.affinity }) })),
    );
    this.tracer = new Tracer(this.sim, sink, lps);
    this.planned = config.workloads.reduce((n, w) => n + w.count, 0) + (config.traffic ?? []).reduce((n, w) => n + w.count, 0);
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
    );
    if (config.scheduler?.kind === 'credit') this.scheduler = this.buildScheduler(lps);
    this.vid = t.place('root.vid', 'VID.sys', 'root', 'root-kernel', 'vid');
    this.rootVmbus = t.place('root.vmbus', 'VMBus (root)', 'root', 'root-kernel', 'driver');
    this.storvspPlace = t.place('root.storvsp', 'storvsp', 'root', 'root-kernel', 'vsp');
    this.rootStack = {
      vhd: t.place('root.vhdmp', 'VHD parser', 'root', 'root-kernel', 'vhd'),
      fs: t.place('root.ntfs', 'NTFS', 'root', 'root-kernel', 'stack-layer'),
      volume: t.place('root.volume', 'Volume', 'root', 'root-kernel', 'stack-layer'),
      diskClass: t.place('root.disk', 'Disk class', 'root', 'root-kernel', 'stack-layer'),
      port: t.place('root.storport', 'StorPort + miniport', 'root', 'root-kernel', 'driver'),
    };
    t.chain(this.storvspPlace, this.rootStack.vhd, this.rootStack.fs, this.rootStack.volume, this.rootStack.diskClass, this.rootStack.port);
    for (const d of config.host.disks) {
      const hbaId = d.hba ?? 'hba0';
      let hba = this.hbas.get(hbaId);
      if (hba === undefined) {
        hba = new Hba(hbaId, t.place(`hw.hba.${hbaId}`, `HBA ${hbaId}`, 'hardware', 'hardware', 'hba'), config.costs, this.tracer);
        this.hbas.set(hbaId, hba);
        t.link(this.rootStack.port, hba.place);
      }
      const place = t.place(`hw.disk.${d.id}`, `Disk ${d.id}`, 'hardware', 'hardware', 'disk');
      t.link(hba.place, place);
      this.hostDisks.set(d.id, new Disk(d, place, config.costs, this.tracer));
      this.diskHba.set(d.id, hba);
    }
    for (const target of config.host.iscsiTargets ?? []) {
      const place = t.place(`hw.iscsi.${target.id}`, `iSCSI target ${target.id}`, 'hardware', 'hardware', 'hba');
      const diskPlace = t.place(`hw.iscsi.${target.id}.disk`, `LUN disk (${target.id})`, 'hardware', 'hardware', 'disk');
      t.link(place, diskPlace);
      const disk = new Disk({ id: `${target.id}-lun0`, ...target.disk }, diskPlace, config.costs, this.tracer);
      this.iscsiTargets.set(target.id, new IscsiTarget(target.id, place, disk, config.costs, this.tracer));
    }
    this.backends = new BackendFactory(this.hostDisks, this.diskHba, this.rootStack, config.costs, this.tracer, this.hv);
    for (const vm of config.vms) this.vms.set(vm.id, this.buildVm(vm));
    this.buildLifecycles();
    this.topology = t.build();
    for (const vm of this.vms.values()) if (vm.life !== null && vm.life.state !== 'Running') vm.life.announce();
    this.startWorkloads();
    config.actions.forEach((action, index) => {
      if (action.do === 'snapshot' && action.disk !== undefined) this.sim.scheduleAt(action.atNs, () => this.snapshot(action.vm, action.disk ?? ''));
      else if (isLifecycleAction(action.do)) {
        const life = this.vms.get(action.vm)?.life;
        if (life === null || life === undefined) throw new RangeError(`action ${index} names VM '${action.vm}', which has no life cycle here`);
        const what = action.do;
        this.sim.scheduleAt(action.atNs, () => life.request(what, index));
      } else this.sim.scheduleAt(action.atNs, () => this.loadIntegrationServices(action.vm));
    });
    if (config.cluster !== undefined) this.cluster = new ClusterModel(this.sim, this.tracer, config.cluster, { writtenBytes: (vm) => this.written.get(vm) ?? 0, lifecycle: (vm) => this.lifecycle(vm) });
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
        const start = this.backends.allocate(hostDiskId, sectors);
        return new HostFile(name, start, sectors * 512, this.hostDisks.get(hostDiskId)!, this.diskHba.get(hostDiskId)!, this.rootStack, worker, this.config.costs, this.tracer);
      };
      vm.life = new VmLifecycle(
        {
          id: vmConfig.id,
          memoryBytes: (vmConfig.memoryMiB ?? 1024) * 1_048_576,
          vcpus: vmConfig.vcpus ?? 1,
          initialState: vmConfig.initialState === 'off' ? 'Off' : 'Running',
          shutdownService: () => vm.integrationLoaded,
        },
        { sim: this.sim, tracer: this.tracer, costs: this.config.costs, places: { wmi, vmms, worker, hv: this.hv.place, app: vm.stack.places.app }, vhds, passthroughDisk, createFile, nextFlow: () => this.nextFlow++ },
      );
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
    return {
      topology: this.topology,
      stop: result.reason,
      events: this.sim.eventsProcessed,
      endNs: this.sim.now,
      records: this.tracer.emitted,
      issued: this.issued,
      completed: this.completed,
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
    const scheduler = new VpScheduler(this.sim, this.tracer, place, waitPlace, config.costs, { sliceNs: spec.sliceNs, wakeBoost: spec.wakeBoost }, config.host.logicalProcessors, vpLps, loads);
    this.tracer.attachScheduler(scheduler);
    return scheduler;
  }

  /** One more request completed; once all have, the CPU loads stop so the run can end. */
  private requestCompleted(): void {
    this.completed++;
    if (this.completed === this.planned) this.scheduler?.stop();
  }

  private buildVm(vm: VmConfig): VmRuntime {
    const t = this.top;
    const costs = this.config.costs;
    const p = (name: string, label: string, band: Place['band'], role: Place['role']): Place => t.place(`${vm.id}.${name}`, label, vm.id, band, role);
    const linux = vm.os === 'linux';
    // A VM that only runs CPU loads (no disks, NICs or actions) does no I/O: it is drawn as its load alone.
    const cpuOnly = vm.disks.length === 0 && (vm.nics ?? []).length === 0 && (this.config.cpu ?? []).some((c) => c.vm === vm.id) && !this.config.actions.some((a) => a.vm === vm.id);
    const q = cpuOnly ? (name: string, label: string, band: Place['band'], role: Place['role']): Place => ({ id: `${vm.id}.${name}`, label, partition: vm.id, band, role }) : p;
    const stackPlaces = {
      app: p('app', cpuOnly ? 'CPU load' : 'Application', 'guest-user', 'app'),
      fs: q('fs', linux ? 'ext4' : 'NTFS', 'guest-kernel', 'stack-layer'),
      volume: q('volume', linux ? 'Block layer' : 'Volume + partition', 'guest-kernel', 'stack-layer'),
      diskClass: q('disk', linux ? 'sd (SCSI disk)' : 'Disk class', 'guest-kernel', 'stack-layer'),
    };
    if (!cpuOnly) t.chain(stackPlaces.app, stackPlaces.fs, stackPlaces.volume, stackPlaces.diskClass);
    const runtime: VmRuntime = {
      config: vm,
      integrationLoaded: vm.integrationServices,
      stack: new GuestStack(vm.id, stackPlaces, costs, this.tracer, linux ? LINUX_LAYERS : WINDOWS_LAYERS),
      disks: new Map(),
      nics: new Map(),
      control: null, // set below for a VM that can run integration services
      life: null, // set by buildLifecycles for a VM the scenario manages
    };
    // The worker process and the guest's VMBus driver appear only when something uses them
    // (a native host has neither).
    let workerInstance: WorkerProcess | null = null;
    const worker = (): WorkerProcess =>
      (workerInstance ??= new WorkerProcess(
        vm.id,
        t.place(`root.vmwp.${vm.id}`, `vmwp.exe (${vm.id})`, 'root', 'root-user', 'worker'),
        t.place(`root.vmwp.${vm.id}.ide`, `IDE emulator (${vm.id})`, 'root', 'root-user', 'emulator'),
        this.vid,
        this.hv,
        costs,
        this.tracer,
      ));
    const guestVmbus = (): Place => p('vmbus', 'VMBus (guest)', 'guest-kernel', 'driver');
    // VMBus exists in a guest only if its integration services run now or are loaded later: a guest
    // without them (or an OS that has none) has no VMBus driver, no storflt and no rings to draw.
    const loadsLater = this.config.actions.some((a) => a.do === 'load-integration-services' && a.vm === vm.id);
    const vmbus = vm.native !== true && vm.os !== 'legacy' && (vm.integrationServices || loadsLater) && !cpuOnly;
    if (vmbus) runtime.control = new ControlPlane(vm.id, guestVmbus(), this.rootVmbus, this.config.ringBytes, this.hv, costs, this.tracer);
    // A guest-attached iSCSI disk needs the VM's NIC: built after the NICs below.
    const guestIscsi: VmDiskConfig[] = [];
    for (const d of vm.disks) {
      if (d.backend.kind === 'iscsi' && vm.native === true) throw new RangeError(`VM ${vm.id} disk ${d.id}: a native host has no iSCSI disks here`);
      if (d.backend.kind === 'iscsi' && d.backend.attach === 'guest') {
        guestIscsi.push(d);
        continue;
      }
      let backend: StorageBackend;
      if (d.backend.kind === 'iscsi') {
        backend = this.rootIscsiLun(vm, d);
      } else {
        backend = this.backends.build(vm.id, d);
      }
      const dr: VmDiskRuntime = { config: d, backend, iscsi: null, ata: null, synthetic: null, channel: null, native: null };
      if (vm.native === true) {
        const hostDisk = this.hostDisks.get(d.backend.disk)!;
        const port = p('storport', 'StorPort + miniport', 'guest-kernel', 'driver');
        t.chain(stackPlaces.diskClass, port, this.diskHba.get(d.backend.disk)!.place);
        dr.native = new NativeDisk(port, hostDisk, this.diskHba.get(d.backend.disk)!, costs, this.tracer);
      } else if (d.controller === 'ide') {
        const ata = p(`ata.${d.id}`, `ATA driver (${d.id})`, 'guest-kernel', 'driver');
        const emulated: EmulatedDisk = { ide: new IdeEmulator(), backend, irq: new InterruptLine() };
        const w = worker();
        dr.ata = new AtaDriver(vm.id, ata, emulated, w, this.hv, costs, this.tracer, this.config.stringIo);
        t.chain(stackPlaces.diskClass, ata, this.hv.place, this.vid, w.place, w.idePlace);
        t.link(w.idePlace, this.rootStack.vhd);
        if (vmbus) {
          // Windows moves the IDE disk onto VMBus with the storflt filter; Linux's storvsc binds the IDE device itself (§2.5, §4.3).
          const storflt = linux ? p(`storvsc-ide.${d.id}`, `storvsc IDE (${d.id})`, 'guest-kernel', 'vsc') : p(`storflt.${d.id}`, `storflt (${d.id})`, 'guest-kernel', 'vsc');
          [dr.synthetic, dr.channel] = this.syntheticPair(vm, d, 'ide-fastpath', storflt, null, guestVmbus(), backend);
        }
      } else {
        const port = p('storport', 'StorPort', 'guest-kernel', 'driver');
        const vsc = p(`storvsc.${d.id}`, `storvsc (${d.id})`, 'guest-kernel', 'vsc');
        t.chain(stackPlaces.diskClass, port);
        [dr.synthetic, dr.channel] = this.syntheticPair(vm, d, 'vmbus-scsi', vsc, port, guestVmbus(), backend);
      }
      runtime.disks.set(d.id, dr);
    }
    for (const n of vm.nics ?? []) {
      this.hostNetwork ??= buildHostNetwork({ tracer: this.tracer, hv: this.hv, top: t, costs, vid: this.vid, rootVmbus: this.rootVmbus }, 'nic0');
      const nic = buildVmNic(this.hostNetwork, {
        vmId: vm.id,
        nicId: n.id,
        kind: n.kind,
        ...(n.kind === 'synthetic' ? { guestVmbus: guestVmbus() } : {}),
        ringBytes: this.config.ringBytes,
        signalVia: this.config.vmbusSignal,
        autoEoi: vm.autoEoi,
        channelOpen: vm.integrationServices,
      });
      runtime.nics.set(n.id, nic);
    }
    for (const d of guestIscsi) runtime.disks.set(d.id, this.guestIscsiDisk(vm, d, runtime, stackPlaces.diskClass));
    return runtime;
  }

  private iscsiTarget(vm: VmConfig, d: VmDiskConfig): IscsiTarget {
    const target = this.iscsiTargets.get(d.backend.target ?? '');
    if (target === undefined) throw new RangeError(`VM ${vm.id} disk ${d.id}: no iSCSI target '${d.backend.target ?? ''}'`);
    return target;
  }

  /** The guest's own initiator and TCP/IP over its synthetic NIC, the root's switch and physical NIC (reference §5.2). */
  private guestIscsiDisk(vm: VmConfig, d: VmDiskConfig, runtime: VmRuntime, diskClass: Place): VmDiskRuntime {
    const t = this.top;
    const target = this.iscsiTarget(vm, d);
    const nic = d.backend.nic !== undefined ? runtime.nics.get(d.backend.nic) : [...runtime.nics.values()].find((n) => n.kind === 'synthetic');
    if (nic === undefined || nic.kind !== 'synthetic') throw new RangeError(`VM ${vm.id} disk ${d.id}: guest-attached iSCSI needs a synthetic NIC${d.backend.nic === undefined ? '' : ` ('${d.backend.nic}' is not one)`}`);
    const port = t.place(`${vm.id}.storport`, 'StorPort', vm.id, 'guest-kernel', 'driver');
    const initiatorPlace = t.place(`${vm.id}.iscsi.${d.id}`, `iSCSI initiator (${d.id})`, vm.id, 'guest-kernel', 'driver');
    const tcpip = t.place(`${vm.id}.tcpip`, 'TCP/IP', vm.id, 'guest-kernel', 'stack-layer');
    t.chain(diskClass, port, initiatorPlace, tcpip, nic.driverPlace);
    t.link(this.hostNetwork!.places.nic, target.place);
    const initiator = new IscsiInitiator(vm.id, { initiator: initiatorPlace, tcpip }, 'guest', target, { send: (s, bytes) => nic.send(s, bytes), receive: (s, bytes) => nic.receive(s, bytes) }, this.config.costs, this.tracer);
    return { config: d, backend: null, iscsi: new IscsiGuestDisk(port, initiator, this.config.costs, this.tracer), ata: null, synthetic: null, channel: null, native: null };
  }

  /** The LUN logged in by the root's initiator (over the root's own NIC, not the virtual switch) and passed through to the VM. */
  private rootIscsiLun(vm: VmConfig, d: VmDiskConfig): StorageBackend {
    const t = this.top;
    const costs = this.config.costs;
    const target = this.iscsiTarget(vm, d);
    if (this.rootIscsiNic === null) {
      const miniport = t.place('root.iscsi-nic-miniport', 'iSCSI NIC miniport (NDIS)', 'root', 'root-kernel', 'driver');
      const device = t.place('hw.nic-iscsi', 'Physical NIC nic-iscsi', 'hardware', 'hardware', 'nic');
      this.rootIscsiNic = new PhysicalNic('nic-iscsi', { miniport, device }, costs, this.tracer, this.hv);
    }
    const nic = this.rootIscsiNic;
    const initiatorPlace = t.place('root.iscsi', 'iSCSI initiator (root)', 'root', 'root-kernel', 'driver');
    const tcpip = t.place('root.tcpip', 'TCP/IP (root)', 'root', 'root-kernel', 'stack-layer');
    t.chain(this.rootStack.port, initiatorPlace, tcpip, nic.places.miniport, nic.places.device, target.place);
    const initiator = new IscsiInitiator('root', { initiator: initiatorPlace, tcpip }, 'root', target, { send: (s, bytes) => nic.transmit(s, bytes), receive: (s, bytes) => nic.receive(s, bytes) }, costs, this.tracer);
    return new IscsiLunBackend(initiator, this.rootStack, costs, this.tracer);
  }

  /** A channel with its storvsc/storflt and storvsp ends. */
  private syntheticPair(vm: VmConfig, d: VmDiskConfig, path: PathKind, vsc: Place, port: Place | null, guestVmbus: Place, backend: StorageBackend): [Storvsc, StorChannel] {
    const t = this.top;
    const ring = t.place(`${vm.id}.ring.${d.id}`, `Ring ${d.id}`, vm.id, 'vmbus', 'ring');
    t.chain(port ?? this.top.place(`${vm.id}.disk`, 'Disk class', vm.id, 'guest-kernel', 'stack-layer'), vsc, ring, this.rootVmbus, this.storvspPlace);
    t.link(ring, guestVmbus);
    const channel: StorChannel = new Channel(
      `${vm.id}/${d.id}`,
      vm.id,
      `${vm.id}/${d.id}/${path}`,
      { guestVmbus, ring, rootVmbus: this.rootVmbus, vsc, vsp: this.storvspPlace },
      this.config.ringBytes,
      this.config.vmbusSignal,
      vm.autoEoi,
      this.hv,
      this.config.costs,
      this.tracer,
      vm.integrationServices,
    );
    new Storvsp(this.storvspPlace, channel, backend, this.config.costs, this.tracer);
    return [new Storvsc(vsc, port, channel, this.config.costs, this.tracer), channel];
  }

  /** The path a new request on this disk takes, decided when it is issued. */
  private pathOf(vm: VmRuntime, d: VmDiskRuntime): PathKind {
    if (d.native !== null) return 'native';
    if (d.iscsi !== null) return 'iscsi-guest';
    if (d.config.controller === 'scsi') return 'vmbus-scsi';
    // The IDE disk moves to the fast path once storflt's channel is open, not before.
    if (vm.integrationLoaded && d.channel?.state === 'open') return 'ide-fastpath';
    return d.config.ideMode === 'dma' ? 'ide-dma' : 'ide-pio';
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
    const closed = [...[...vm.disks.values()].map((d) => d.channel), ...[...vm.nics.values()].map((n) => n.channel)].filter(
      (c): c is NonNullable<typeof c> => c !== null && c !== undefined && c.state !== 'open',
    );
    if (vm.control === null) throw new RangeError(`VM '${vmId}' is a native host: there is no VMBus to connect to`);
    startProcess(this.sim, vm.control.connect(closed, s.cause), `${vmId} VMBus connect`);
  }

  private startWorkloads(): void {
    // Each workload gets streams of its own, seeded by its group's name: workloads of one group
    // draw identical sequences (common random numbers), not one sequence between them.
    const streamOf = (name: string) => new RandomStreams(this.config.seed).stream(name);
    (this.config.traffic ?? []).forEach((w, index) => {
      const vm = this.vms.get(w.vm);
      const nic = vm?.nics.get(w.nic);
      if (vm === undefined || nic === undefined) throw new RangeError(`traffic ${index}: no NIC '${w.nic}' on VM '${w.vm}'`);
      const config = { bytes: w.bytes, count: w.count, packetsPerSecond: w.packetsPerSecond, direction: w.direction, startNs: w.startNs, arrival: w.arrival, ...(w.to === undefined ? {} : { to: w.to }) };
      startProcess(
        this.sim,
        networkIssuer(nic, config, {
          sim: this.sim,
          tracer: this.tracer,
          app: vm.stack.places.app,
          wire: this.hostNetwork!.places.nic,
          nextFlow: () => this.nextFlow++,
          rng: streamOf(`traffic.${w.stream ?? index}.arrivals`),
          onIssued: () => this.issued++,
          onCompleted: () => this.requestCompleted(),
          workload: index,
          gate: vm.life,
        }),
        `traffic ${index}`,
      );
    });
    this.config.workloads.forEach((w, index) => {
      const vm = this.vms.get(w.vm);
      const disk = vm?.disks.get(w.disk);
      if (vm === undefined || disk === undefined) throw new RangeError(`workload ${index}: no disk '${w.disk}' on VM '${w.vm}'`);
      const state = { issued: 0 };
      const group = w.stream ?? String(index);
      const lbaStream = streamOf(`workload.${group}.lba`);
      const opStream = streamOf(`workload.${group}.op`);
      const readFraction = (w.readPercent ?? 50) / 100;
      const opOf = (): 'read' | 'write' => (w.op !== 'mixed' ? w.op : opStream.uniform() < readFraction ? 'read' : 'write');
      const sectors = sectorsOf(w.bytes);
      const lbaOf = (n: number): number => {
        if (w.pattern === 'fixed') return w.lba;
        if (w.pattern === 'sequential') return w.lba + n * sectors;
        const slots = Math.floor(((disk.backend?.virtualSectors ?? disk.iscsi!.sectors) - sectors) / 8);
        return lbaStream.integer(0, Math.max(0, slots)) * 8; // 4 KiB aligned
      };
      for (let q = 0; q < w.queueDepth; q++) {
        startProcess(this.sim, this.issuer(vm, disk, w, index, state, lbaOf, opOf), `workload ${index}.${q}`);
      }
    });
  }

  /** One of a workload's `queueDepth` issuers: issue, wait for completion, repeat until `count` are issued. */
  private *issuer(
    vm: VmRuntime,
    disk: VmDiskRuntime,
    w: WorkloadConfig,
    index: number,
    state: { issued: number },
    lbaOf: (n: number) => number,
    opOf: () => 'read' | 'write',
  ): ProcessBody<void> {
    if (w.startNs > 0) yield w.startNs;
    while (state.issued < w.count) {
      const n = state.issued++;
      const lba = lbaOf(n);
      const op = opOf();
      const path = this.pathOf(vm, disk);
      const flow = this.nextFlow++;
      const s = strand(`${w.vm}/${w.disk}/${path}`, flow);
      const started = this.sim.now;
      this.issued++;
      if (op === 'write') this.written.set(w.vm, (this.written.get(w.vm) ?? 0) + w.bytes);
      yield this.tracer.emit(s, 'io.request.issued', vm.stack.places.app, 0, 'guest', { vm: w.vm, disk: w.disk, path, op, bytes: w.bytes, lba, workload: index, request: n });
      if (vm.life !== null) yield* vm.life.admit(s);
      yield* vm.stack.down(s);
      if (path === 'native') {
        yield* disk.native!.request(s, op, lba, w.bytes);
      } else if (path === 'iscsi-guest') {
        yield* disk.iscsi!.request(s, op, lba, w.bytes);
      } else if (path === 'ide-pio' || path === 'ide-dma') {
        yield* disk.ata!.request(s, { op, lba, sectors: sectorsOf(w.bytes) }, disk.config.ideMode);
      } else {
        yield* disk.synthetic!.request(s, op, lba, w.bytes);
      }
      if (this.cluster !== null && path !== 'native' && path !== 'iscsi-guest') yield* this.cluster.storageAccess(w.vm, op, w.bytes, s, this.rootStack.fs);
      if (vm.life !== null) yield* vm.life.finish(s);
      yield* vm.stack.up(s);
      this.requestCompleted();
      yield this.tracer.emit(s, 'io.request.completed', vm.stack.places.app, 0, 'guest', { path, latencyNs: this.sim.now - started });
    }
  }
}

/** Builds `config` and runs it, writing the trace to `sink`. */
export function runWorld(config: WorldConfig, sink: TraceSink<HvRecord>): RunOutput {
  return new World(config, sink).run();
}
