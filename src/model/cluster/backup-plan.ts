/**
 * What a backup will do for a VM (row e.2): the method Hyper-V's VSS writer
 * or VCB actually uses and why, what the copy is consistent to, what it
 * protects, and its steps with their times. Pure, so a test can read it.
 */
import { clusterDefault } from './cluster-costs.js';
import type { BackupMethod, BackupType, ClusterConfig, ClusterVmConfig } from './cluster-config.js';
import type { BackupStep, ClusterVmState } from './cluster-events.js';
import { sendNs } from './precopy.js';

export interface PlannedStep {
  step: BackupStep;
  ns: number;
  note: string;
  /** The VM's state from this step on. */
  enter?: ClusterVmState;
}

/** What a backup will do for this VM: the method Hyper-V or VCB actually uses, and why (row e.2). */
export interface BackupPlan {
  refused: string | null;
  method: string;
  why: string;
  applicationAware: boolean;
  /** What the copy is consistent to: the application (VSS writers), the file system, a saved state, or nothing (crash). */
  consistency: 'application' | 'file-system' | 'saved-state' | 'crash' | 'none';
  protectedBytes: number;
  steps: PlannedStep[];
}

/** The backup method and its steps for `vm` (row e.2): pure, so a test can read it. */
export function backupPlan(vm: ClusterVmConfig, method: BackupMethod, config: Pick<ClusterConfig, 'platform' | 'storage'>, type: BackupType = 'full'): BackupPlan {
  const vsphere = config.platform.startsWith('vsphere');
  const none = (refused: string): BackupPlan => ({ refused, method, why: '', applicationAware: false, consistency: 'none', protectedBytes: 0, steps: [] });
  const copyNs = sendNs(vm.dataBytes, clusterDefault('backup_copy_rate'));
  const c = clusterDefault;
  if (method === 'vcb') {
    if (!vsphere) return none('VMware Consolidated Backup needs a vSphere cluster (platform vsphere-4 or vsphere-5)');
    const physical = vm.rdm === 'physical';
    const covered = physical ? vm.dataBytes - vm.rdmBytes : vm.dataBytes;
    if (covered <= 0) return none('all its data is on a physical-mode RDM: VMFS cannot snapshot it (seed 003), so VCB has nothing to copy');
    // The redo log holds what the guest writes while the proxy copies what the snapshot covers (a physical-mode
    // RDM is not in it): its dirty rate (E: the memory's stands for its disk's) over that copy, at most its working set.
    const vcbCopyNs = sendNs(covered, c('backup_copy_rate'));
    const commit = commitNs(vm, vcbCopyNs);
    return {
      refused: null,
      method: 'vcb',
      why: physical
        ? 'VCB through a VMFS snapshot; the physical-mode RDM is skipped: "no snapshots can be taken using VMFS" (seed 003)'
        : 'VCB through a VMFS snapshot (VMDKs and virtual-mode RDMs can be snapshotted, seed 003)',
      applicationAware: false,
      consistency: 'file-system', // the sync driver quiesces NTFS; "VCB cannot yet quiesce the exchange database" (seed 003)
      protectedBytes: covered,
      steps: [
        { step: 'quiesce', ns: c('vcb_quiesce'), note: 'sync driver flushes and holds NTFS in the guest', enter: 'frozen' },
        { step: 'vmfs-snapshot', ns: c('vss_commit'), note: 'the VM goes into snapshot mode: writes go to a redo log' },
        { step: 'thaw', ns: 0, note: 'the guest file systems are released', enter: 'running' },
        { step: 'copy', ns: vcbCopyNs, note: physical ? 'the proxy copies the VMDKs over the SAN; the physical RDM is not in the snapshot' : 'the proxy mounts the snapshot and copies it over the SAN' },
        { step: 'commit-snapshot', ns: commit, note: 'the VM leaves snapshot mode: the redo log is committed back' },
      ],
    };
  }
  if (vsphere) return none(`${method} backup through Hyper-V VSS needs a Hyper-V cluster; on vSphere use vcb`);
  if (method === 'in-guest') {
    // Incremental and differential back up the logs, not the database (row e.2, Exchange's backup types): the agent copies what was written since the last backup.
    const logsOnly = type === 'incremental' || type === 'differential';
    const copied = logsOnly ? vm.logBytes : vm.dataBytes;
    return {
      refused: null,
      method: 'in-guest',
      why: 'a backup agent in the guest is its VSS requestor and drives the Exchange writer (seed 000: the recommended way in 2008)',
      applicationAware: true,
      consistency: 'application', // VSS in the guest
      protectedBytes: copied,
      steps: [
        { step: 'gather', ns: c('vss_gather'), note: 'the agent gathers writer metadata' },
        { step: 'freeze', ns: c('vss_freeze_writers'), note: 'writers freeze; the Exchange writer flushes its buffers', enter: 'frozen' },
        { step: 'flush-and-hold', ns: c('vss_commit'), note: "the guest's own shadow copy is committed inside the 10 s flush-and-hold" },
        { step: 'thaw', ns: 0, note: 'writers thaw', enter: 'running' },
        {
          step: 'copy',
          ns: sendNs(copied, c('backup_copy_rate')),
          note: logsOnly ? `the backup is ${type}: the agent copies the logs written since the last ${type === 'differential' ? 'full ' : ''}backup over the LAN` : 'the agent copies the shadow copy over the LAN',
        },
        { step: 'truncate-logs', ns: 0, note: `the backup is ${type}: the Exchange writer truncates the logs` },
      ],
    };
  }
  // host-vss: Hyper-V's VSS writer picks Child VM Snapshot or Saved State (row e.2).
  if (vm.diskKinds.includes('passthrough')) return none('host-side backup is not available with pass-through disks (seed 004); use in-guest');
  const csv = config.storage.kind === 'csv';
  const redirected: PlannedStep[] = csv ? [{ step: 'csv-redirected', ns: 0, note: 'the CSV goes into redirected access through the coordinator until the backup completes (R2): other nodes send their I/O to it over SMB' }] : [];
  if (!vm.backupIntegration) {
    const saveNs = sendNs(vm.memoryBytes, config.storage.writeBytesPerS);
    const restoreNs = sendNs(vm.memoryBytes, config.storage.readBytesPerS);
    return {
      refused: null,
      method: 'saved-state',
      why: 'the guest runs no backup integration service, so the Hyper-V VSS writer uses the Saved State method: the VM goes offline',
      applicationAware: false,
      consistency: 'saved-state', // memory saved with the disks; Exchange is not told, its logs stay
      protectedBytes: vm.dataBytes + vm.memoryBytes,
      steps: [
        ...redirected,
        { step: 'save-state', ns: saveNs, note: 'the VM is saved to disk during PrepareForSnapshot', enter: 'saved-for-backup' },
        { step: 'host-snapshot', ns: c('vss_commit'), note: 'the host volume is snapshotted' },
        { step: 'restore-state', ns: restoreNs, note: 'the VM is restored in PostSnapshot' },
        // The snapshot holds the saved state beside the VHDs (row e.2): the copy takes both, as protectedBytes counts them.
        { step: 'copy', ns: sendNs(vm.dataBytes + vm.memoryBytes, c('backup_copy_rate')), note: 'the requestor copies the snapshot: the VHDs and the saved state', enter: 'running' },
      ],
    };
  }
  return {
    refused: null,
    method: 'host-vss',
    why: 'the backup integration service (Hyper-V Volume Shadow Copy Requestor) runs in the guest: Child VM Snapshot, online',
    applicationAware: true,
    consistency: 'application', // the guest's VSS freezes its writers, Exchange included
    protectedBytes: vm.dataBytes,
    steps: [
      ...redirected,
      { step: 'gather', ns: c('vss_gather'), note: "the host requestor gathers the Hyper-V writer's metadata; the backup IC starts the guest's VSS" },
      { step: 'freeze', ns: c('vss_freeze_writers'), note: "the guest's writers freeze; the Exchange writer flushes its buffers", enter: 'frozen' },
      { step: 'host-snapshot', ns: c('vss_commit'), note: 'the host volume is snapshotted while the guest holds its writes' },
      { step: 'thaw', ns: 0, note: "the guest's writers thaw", enter: 'running' },
      { step: 'copy', ns: copyNs, note: 'the requestor copies the VHD files from the snapshot, whole whatever the backup type (the type tells the guest\'s Exchange writer whether to truncate its logs)' },
      { step: 'truncate-logs', ns: 0, note: `the backup is ${type}: the Exchange writer in the guest truncates its logs (seed 000)` },
    ],
  };
}

/**
 * VCB's commit of the redo log back into the VMDKs: what the guest dirtied while the snapshot stood for
 * `sinceNs` (its dirty rate, E: the memory's stands for its disk's), at most its working set, at the commit rate.
 */
export function commitNs(vm: Pick<ClusterVmConfig, 'workingSetBytes' | 'dirtyBytesPerS'>, sinceNs: number): number {
  return sendNs(Math.min(vm.workingSetBytes, Math.floor((vm.dirtyBytesPerS * sinceNs) / 1e9)), clusterDefault('snapshot_commit_rate'));
}
