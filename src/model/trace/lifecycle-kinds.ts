/** Trace record kinds: the VM life cycle and its control plane. Part of the catalog, `../trace-events.ts`. */
import type { VmStateName, VmActionName } from './record-basics.js';

export interface LifecycleKindFields {
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
  /** The action finished: `durationNs` from its request to now; the VM is in `state`. `cutShort`: why it ended before it settled (its host failed under it). */
  'vm.action.completed': { vm: string; action: VmActionName; index: number; durationNs: number; state: VmStateName; cutShort?: string };
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
  'vm.io.held': { vm: string; state: VmStateName; at: 'issue' | 'completion'; writersFrozen?: true };
  /** A held request goes on: the VM runs again. */
  'vm.io.released': { vm: string; heldNs: number };
}

/** These kinds at run time, in catalog order. */
export const LIFECYCLE_KINDS = {
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
} as const satisfies Record<keyof LifecycleKindFields, true>;
