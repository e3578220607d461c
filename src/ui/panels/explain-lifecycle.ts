/**
 * Plain-English words for the VM life cycle's and the scheduler's record
 * kinds (`src/model/trace/lifecycle-kinds.ts`, `scheduler-kinds.ts`),
 * folded into `explain.ts`'s table at their place in the catalog: typed over
 * those kinds, so a new one does not compile until it is explained here.
 */
import { formatNs } from '../../engine/sim-time.js';
import type { LifecycleKindFields } from '../../model/trace/lifecycle-kinds.js';
import type { SchedulerKindFields } from '../../model/trace/scheduler-kinds.js';
import type { RecordOf } from '../../model/trace-events.js';
import { formatBytes } from './dom.js';

type LifecycleKindText = { [K in keyof LifecycleKindFields | keyof SchedulerKindFields]: { short(r: RecordOf<K>): string; explain(r: RecordOf<K>): string } };

/** A VP as people say it: `VM mail's VP 0`, `the root's VP 3`. */
function vpName(r: { vm: string; vp: number }): string {
  return r.vm === 'root' ? `the root's VP ${r.vp}` : `VM ${r.vm}'s VP ${r.vp}`;
}

export const LIFECYCLE_KIND_TEXT: LifecycleKindText = {
  // --- The VM life cycle and its control plane ---
  'vm.action.requested': {
    short: (r) => `${r.action} requested for ${r.vm}`,
    explain: (r) =>
      `A management request to ${r.action} VM ${r.vm} (actions[${r.index}] of the scenario) reached the WMI provider, which passes it to the Virtual Machine Management Service (VMMS), the single point of interaction for management requests. The VM is ${r.state}.`,
  },
  'vm.action.refused': {
    short: (r) => `${r.action} refused (${r.vm} is ${r.state})`,
    explain: (r) => `VMMS refused to ${r.action} VM ${r.vm} with WMI code ${r.code} (Invalid State Transition): ${r.why}. Nothing changes; the VM stays ${r.state}.`,
  },
  'vmms.job.started': {
    short: (r) => `VMMS job: ${r.action} ${r.vm}`,
    explain: (r) => `VMMS accepted the request to ${r.action} ${r.vm} (WMI code 4096, job started) and hands the work to the VM's worker process and the hypervisor.`,
  },
  'vm.state.changed': {
    short: (r) => (r.from === r.to ? `${r.vm} is ${r.to}` : `${r.vm}: ${r.from} → ${r.to}`),
    explain: (r) =>
      r.from === r.to
        ? `VM ${r.vm} begins the run ${r.to} (WMI EnabledState ${r.code}).`
        : `VM ${r.vm} went from ${r.from} to ${r.to}, WMI EnabledState ${r.code}: the state Hyper-V Manager and PowerShell show.`,
  },
  'vm.action.completed': {
    short: (r) => `${r.action} of ${r.vm} done in ${formatNs(r.durationNs)}`,
    explain: (r) => `The ${r.action} of VM ${r.vm} finished ${formatNs(r.durationNs)} after it was requested; the VM is now ${r.state}.`,
  },
  'vmwp.process.created': {
    short: (r) => `vmwp.exe started for ${r.vm}`,
    explain: (r) => `VMMS created the worker process (vmwp.exe) of VM ${r.vm}: every running VM has its own, in the root's user mode, holding its emulated devices and its state.`,
  },
  'vmwp.process.exited': {
    short: (r) => `vmwp.exe of ${r.vm} exited`,
    explain: (r) => `The worker process of VM ${r.vm} exited: a VM that is off or saved has none.`,
  },
  'hv.partition.created': {
    short: (r) => `Partition created for ${r.vm}`,
    explain: (r) => `The hypervisor created the child partition of ${r.vm} with ${formatBytes(r.memoryBytes)} of memory and ${r.vcpus} virtual processor${r.vcpus === 1 ? '' : 's'}: creating and tearing down partitions is one of its few tasks.`,
  },
  'hv.partition.destroyed': {
    short: (r) => `Partition of ${r.vm} destroyed`,
    explain: (r) => `The hypervisor tore down the partition of ${r.vm} and freed its memory.`,
  },
  'vm.processors.stopped': {
    short: (r) => `${r.vm}'s processors stopped`,
    explain: (r) =>
      `The virtual processors of ${r.vm} stopped running the guest${r.inFlight > 0 ? `; its ${r.inFlight} request${r.inFlight === 1 ? '' : 's'} in flight finish their disk I/O before the next step` : ''}. Requests it issues now wait, held, until it runs again.`,
  },
  'vm.processors.started': {
    short: (r) => `${r.vm}'s processors run`,
    explain: (r) => `The virtual processors of ${r.vm} run the guest again; requests held while it was stopped go on.`,
  },
  'vm.guest.booted': {
    short: (r) => `${r.vm} booted`,
    explain: (r) => `The guest in ${r.vm} has booted (BIOS, boot loader, kernel, drivers): its applications run and their requests go on.`,
  },
  'vm.guest.shut-down': {
    short: (r) => `${r.vm} shut down`,
    explain: (r) => `The guest in ${r.vm} shut down cleanly through the shutdown integration service, which a guest without integration services does not have.`,
  },
  'vm.memory.saved': {
    short: (r) => `Memory of ${r.vm} saved (${formatBytes(r.offsetBytes + r.bytes)})`,
    explain: (r) => `The worker wrote ${formatBytes(r.bytes)} of ${r.vm}'s memory, at offset ${formatBytes(r.offsetBytes)}, to ${r.file} through the root's file system and disk: saving state takes as long as the disk needs.`,
  },
  'vm.memory.restored': {
    short: (r) => `Memory of ${r.vm} restored (${formatBytes(r.offsetBytes + r.bytes)})`,
    explain: (r) => `The worker read ${formatBytes(r.bytes)} of ${r.vm}'s memory back from ${r.file}, at offset ${formatBytes(r.offsetBytes)}.`,
  },
  'vm.config.copied': {
    short: (r) => `Configuration of ${r.vm} copied`,
    explain: (r) => `A snapshot copies the VM's configuration file: ${formatBytes(r.bytes)} written to ${r.file}.`,
  },
  'vm.snapshot.taken': {
    short: (r) => `Snapshot ${r.snapshot} of ${r.vm} taken`,
    explain: (r) =>
      `Snapshot ${r.snapshot} of ${r.vm} is complete: a differencing disk for ${r.disks.length === 0 ? 'no VHD' : r.disks.join(', ')}, the configuration${r.memoryBytes > 0 ? `, and ${formatBytes(r.memoryBytes)} of memory` : ''}. The guest was paused for ${formatNs(r.pausedNs)}; from now on its writes go to the differencing disks.`,
  },
  'vm.snapshot.reverted': {
    short: (r) => `${r.vm} reverted: ${formatBytes(r.bytesDiscarded)} discarded`,
    explain: (r) =>
      `VM ${r.vm} went back to snapshot ${r.snapshot}: the differencing disks ${r.images.join(', ')} were thrown away with every write since the snapshot, ${formatBytes(r.bytesDiscarded)}. For a server that keeps state (Exchange's databases and logs) that is lost data: why Exchange does not support snapshots.`,
  },
  'vm.snapshot.deleted': {
    short: (r) => `Snapshot ${r.snapshot} of ${r.vm} deleted`,
    explain: (r) =>
      r.mergePending
        ? `Snapshot ${r.snapshot} of ${r.vm} is deleted, but its differencing disks merge into their parents only when the VM is off (Windows Server 2008 and R2): until then they stay.`
        : `Snapshot ${r.snapshot} of ${r.vm} is deleted; the VM is off, so its differencing disks merge into their parents now.`,
  },
  'vhd.merge.started': {
    short: (r) => `Merging ${r.image} into ${r.into}`,
    explain: (r) => `The differencing disk ${r.image} of ${r.vm} (disk ${r.disk}) is merging into ${r.into}: every block it holds is read and written into the parent, real disk I/O.`,
  },
  'vhd.merge.completed': {
    short: (r) => `Merge of ${r.image} done (${formatBytes(r.bytes)})`,
    explain: (r) => `${r.image} is merged into ${r.into}: ${formatBytes(r.bytes)} read and written again in ${formatNs(r.durationNs)}.`,
  },
  'vhd.merge.cancelled': {
    short: (r) => `Merge of ${r.image} cancelled`,
    explain: (r) => `Starting ${r.vm} cancelled the merge of ${r.image} after ${formatBytes(r.bytes)}; its progress is thrown away and it starts again the next time the VM is off.`,
  },
  'vm.io.held': {
    short: (r) => (r.writersFrozen === true ? `Write ${r.flow} held (${r.vm}'s writers frozen)` : `Request ${r.flow} held (${r.vm} is ${r.state})`),
    explain: (r) =>
      r.writersFrozen === true
        ? `VM ${r.vm} runs, but a backup has frozen its writers (VSS: the Exchange writer flushed, and NTFS holds writes while the host snapshots the volume), so this write waits before it goes down the stack: held, not lost. It goes on when the writers thaw.`
        : `VM ${r.vm} is ${r.state}, so this request waits ${r.at === 'issue' ? 'before it goes down the stack' : 'before its completion reaches the guest'}: held, not lost. It goes on when the VM runs again.`,
  },
  'vm.io.released': {
    short: (r) => `Request ${r.flow} released after ${formatNs(r.heldNs)}`,
    explain: (r) => `VM ${r.vm} runs again, so this request goes on after ${formatNs(r.heldNs)} held.`,
  },
  'vp.placed': {
    short: (r) => `${vpName(r)} runs on LP ${r.lp}`,
    explain: (r) =>
      `${vpName(r)} is scheduled on logical processor ${r.lp}. The root has one VP on every LP; a VM's VPs take the LPs its affinity names, or the next ones in turn.` +
      (r.weight === undefined
        ? ''
        : ` Its VM's processor controls: a reserve of ${r.reservePct ?? 0} % of the LP (guaranteed when it wants it), a limit of ${r.limitPct ?? 100} % (the most it may run, even on an idle LP), and a relative weight of ${r.weight} (its part of what the reserves leave, against the other VPs' weights).`),
  },
  'vp.withdrawn': {
    short: (r) => `${vpName(r)} left LP ${r.lp}'s queue`,
    explain: (r) =>
      `${vpName(r)} had been runnable and waiting for logical processor ${r.lp} for ${formatNs(r.readyNs)} (its ready time) when its CPU load stopped, or the run ended, before the scheduler gave it the LP.`,
  },
  'vp.dispatched': {
    short: (r) => `${vpName(r)} dispatched on LP ${r.lp}`,
    explain: (r) =>
      `The hypervisor's scheduler gave logical processor ${r.lp} to ${vpName(r)}, which had been runnable and waiting for ${formatNs(r.readyNs)} (its ready time). Switching the LP from one VP to another costs a save and a load of VP state.`,
  },
  'vp.descheduled': {
    short: (r) => `${vpName(r)} ${r.why === 'preempted' ? 'preempted' : r.why === 'capped' ? 'capped by its limit' : 'stopped'} on LP ${r.lp}`,
    explain: (r) =>
      r.why === 'preempted'
        ? `${vpName(r)} used up its time slice after ${formatNs(r.ranNs)} while other VPs waited for LP ${r.lp}: it goes to the back of the run queue, still runnable (round robin by credit, as Xen's credit scheduler does: a VP that has used more than its share waits behind those that have not).`
        : r.why === 'capped'
          ? `${vpName(r)} has run its VM's limit for this 30 ms accounting period (after ${formatNs(r.ranNs)}): it leaves LP ${r.lp} with work left and may not run again until ${r.untilNs === undefined ? 'the next period' : formatNs(r.untilNs)}, even if the LP is idle. Interrupts for it wait too: the price of a limit.`
          : `${vpName(r)}'s CPU load stopped after ${formatNs(r.ranNs)} on LP ${r.lp}.`,
  },
  'vp.halted': {
    short: (r) => `${vpName(r)} halted (HLT exit)`,
    explain: (r) =>
      `${vpName(r)} had nothing left to run, so its idle loop executed HLT: a VM exit to the hypervisor, which takes the VP off LP ${r.lp} until an interrupt wakes it${r.ranNs === undefined ? '' : ` (its CPU burst ran ${formatNs(r.ranNs)})`}. HLT exits are counted apart from the I/O's own exits.`,
  },
  'vp.woken': {
    short: (r) => `${vpName(r)} woken (${r.via})`,
    explain: (r) =>
      `${vpName(r)} had been halted for ${formatNs(r.haltedNs)}; ${r.via === 'timer' ? 'its own timer' : r.via === 'synic' ? 'a SynIC interrupt (a VMBus signal)' : r.via === 'ioapic' ? "an emulated device's interrupt through the virtual IOAPIC" : "a physical device's interrupt"} woke it. The hypervisor makes it runnable and enters it on LP ${r.lp}: the wake latency a halted VP adds to an I/O.`,
  },
  'vp.waited': {
    short: (r) => `Waited for ${vpName(r)}`,
    explain: (r) =>
      r.why === 'turn'
        ? `${vpName(r)} was runnable but another VP held LP ${r.lp}: the work waited ${formatNs(r.waitNs ?? 0)} for its turn in the run queue. This is "waiting for a VP", and it grows with the number of runnable VPs per LP.`
        : r.why === 'capped'
          ? `${vpName(r)} had already run its VM's limit for this accounting period, so the work waited ${formatNs(r.waitNs ?? 0)} for the next period, though LP ${r.lp} may have been idle: "waiting for a VP", caused by the limit, not by other VMs.`
          : `${vpName(r)} was woken without a boost, so it joined the back of LP ${r.lp}'s run queue and waited ${formatNs(r.waitNs ?? 0)} for the VPs ahead of it: "waiting for a VP".`,
  },
};
