/**
 * One child partition as the world builds it: the guest's storage stack
 * (application, file system, volume, disk class), its VMBus control plane
 * when it can run integration services, each disk's back end and front
 * ends (front-ends.ts), and each NIC (network/network-paths.ts). The VM's
 * worker process is made on first use, by the first emulated device; each
 * device registers its ports with it.
 */
import type { VmLifecycle } from '../lifecycle/vm-lifecycle.js';
import { buildVmNic, type VmNic } from '../network/network-paths.js';
import { GuestStack, LINUX_LAYERS, WINDOWS_LAYERS } from '../partition/guest-stack.js';
import { WorkerProcess } from '../partition/worker-process.js';
import type { StorageBackend } from '../storage/backend.js';
import type { Place } from '../topology.js';
import { ControlPlane } from '../vmbus/control-plane.js';
import type { VmConfig, VmDiskConfig } from '../world-config.js';
import { FRONT_END_BUILDERS, guestIscsiDisk, type FrontEndContext, type VmDisk } from './front-ends.js';
import type { HostParts } from './host-parts.js';

/** One child partition at run time. */
export interface VmRuntime {
  config: VmConfig;
  integrationLoaded: boolean;
  stack: GuestStack;
  disks: Map<string, VmDisk>;
  nics: Map<string, VmNic>;
  control: ControlPlane | null;
  /** The VM's life cycle (states, actions, the gates its requests pass); null when the scenario manages none of it. */
  life: VmLifecycle | null;
}

export function buildVm(host: HostParts, vm: VmConfig): VmRuntime {
  const { top: t, config, tracer, hv } = host;
  const costs = config.costs;
  const p = (name: string, label: string, band: Place['band'], role: Place['role']): Place => t.place(`${vm.id}.${name}`, label, vm.id, band, role);
  const linux = vm.os === 'linux';
  // A VM that only runs CPU loads (no disks, NICs or actions) does no I/O: it is drawn as its load alone.
  const cpuOnly = vm.disks.length === 0 && (vm.nics ?? []).length === 0 && (config.cpu ?? []).some((c) => c.vm === vm.id) && !config.actions.some((a) => a.vm === vm.id);
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
    stack: new GuestStack(vm.id, stackPlaces, costs, tracer, linux ? LINUX_LAYERS : WINDOWS_LAYERS),
    disks: new Map(),
    nics: new Map(),
    control: null, // set below for a VM that can run integration services
    life: null, // set by the world for a VM the scenario manages
  };
  // The worker process and the guest's VMBus driver appear only when something uses them
  // (a native host has neither).
  let workerInstance: WorkerProcess | null = null;
  const worker = (): WorkerProcess =>
    (workerInstance ??= new WorkerProcess(vm.id, t.place(`root.vmwp.${vm.id}`, `vmwp.exe (${vm.id})`, 'root', 'root-user', 'worker'), host.vid, hv, costs, tracer));
  const guestVmbus = (): Place => p('vmbus', 'VMBus (guest)', 'guest-kernel', 'driver');
  // VMBus exists in a guest only if its integration services run now or are loaded later: a guest
  // without them (or an OS that has none) has no VMBus driver, no storflt and no rings to draw.
  const loadsLater = config.actions.some((a) => a.do === 'load-integration-services' && a.vm === vm.id);
  const vmbus = vm.native !== true && vm.os !== 'legacy' && (vm.integrationServices || loadsLater) && !cpuOnly;
  if (vmbus) runtime.control = new ControlPlane(vm.id, guestVmbus(), host.rootVmbus, config.ringBytes, hv, costs, tracer);
  // A guest-attached iSCSI disk needs the VM's NIC: built after the NICs below.
  const guestIscsi: VmDiskConfig[] = [];
  let ideDisks = 0;
  for (const d of vm.disks) {
    if (d.backend.kind === 'iscsi' && vm.native === true) throw new RangeError(`VM ${vm.id} disk ${d.id}: a native host has no iSCSI disks here`);
    if (d.backend.kind === 'iscsi' && d.backend.attach === 'guest') {
      guestIscsi.push(d);
      continue;
    }
    const backend: StorageBackend = d.backend.kind === 'iscsi' ? host.rootIscsiLun(vm, d) : host.backends.build(vm.id, d);
    const attachment = vm.native === true ? 'native' : d.controller;
    const context: FrontEndContext = {
      host,
      vm,
      disk: d,
      backend,
      place: p,
      diskClass: stackPlaces.diskClass,
      guestVmbus,
      vmbus,
      worker,
      ideDisks,
      integrationLoaded: () => runtime.integrationLoaded,
    };
    const frontEnds = FRONT_END_BUILDERS[attachment](context);
    if (attachment === 'ide') ideDisks++;
    runtime.disks.set(d.id, {
      config: d,
      backend,
      get sectors() {
        return backend.virtualSectors;
      },
      frontEnds: new Map(frontEnds.map((f) => [f.path, f])),
    });
  }
  for (const n of vm.nics ?? []) {
    const nic = buildVmNic(host.hostNetwork(), {
      vmId: vm.id,
      nicId: n.id,
      kind: n.kind,
      ...(n.kind === 'synthetic' ? { guestVmbus: guestVmbus() } : { worker }),
      ringBytes: config.ringBytes,
      signalVia: config.vmbusSignal,
      autoEoi: vm.autoEoi,
      channelOpen: vm.integrationServices,
    });
    runtime.nics.set(n.id, nic);
  }
  for (const d of guestIscsi) runtime.disks.set(d.id, guestIscsiDisk(host, vm, d, runtime.nics, stackPlaces.diskClass));
  return runtime;
}
