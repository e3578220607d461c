/**
 * The cluster level's configuration, in model units (ns, bytes, bytes per
 * second): several hosts, the VMs placed on them, shared storage, the
 * migration network, heartbeats and the high-availability kind, an
 * optional Exchange copy group, clients, and the timed cluster actions.
 * Built from the scenario's `cluster` block by `src/scenario/schema-cluster.ts`.
 */

/** The virtualization platform of the cluster: it decides which migrations exist and their stop rules. */
export const CLUSTER_PLATFORMS = ['hyperv-2008', 'hyperv-2008-r2', 'hyperv-2012-r2', 'vsphere-4', 'vsphere-5'] as const;
export type ClusterPlatform = (typeof CLUSTER_PLATFORMS)[number];

export const HA_KINDS = ['windows-failover-cluster', 'vmware-ha'] as const;
export type HaKind = (typeof HA_KINDS)[number];

export type MigrationMethod = 'quick' | 'live' | 'vmotion';

/** A VM as the cluster sees it. */
export interface ClusterVmConfig {
  id: string;
  /** The host it runs on when the run starts. */
  host: string;
  memoryBytes: number;
  /** Bytes of memory the guest dirties per second while it runs. */
  dirtyBytesPerS: number;
  /** Take the dirty rate from what its workloads on the detailed host write, pass by pass, instead of dirtyBytesPerS. */
  dirtyFromWorkloads: boolean;
  /** The writable working set: at most this many bytes are dirty at once. */
  workingSetBytes: number;
  bootNs: number;
  /** Services (Exchange) started after the boot, before clients are served. */
  serviceStartNs: number;
  /** The backup integration service (Hyper-V Volume Shadow Copy Requestor) runs in the guest. */
  backupIntegration: boolean;
  /** Restart order after a host failure: higher first. */
  restartPriority: number;
  /** Its disks' back-end kinds (host-side backup refuses pass-through disks). */
  diskKinds: string[];
  /** Bytes of data on its disks (what a backup copies). */
  dataBytes: number;
  /** Bytes written since the last backup (for Exchange, its transaction logs): what an in-guest incremental or differential copies. */
  logBytes: number;
  /** vSphere: a raw device mapping holds `rdmBytes` of that data, in physical or virtual compatibility mode (or none). */
  rdm: 'none' | 'physical' | 'virtual';
  rdmBytes: number;
}

export interface ExchangeConfig {
  kind: 'ccr' | 'scc' | 'dag';
  version: '2007-sp1' | '2010' | '2010-sp1';
  /** Mailbox VMs holding a copy; the first holds the active copy at the start. */
  members: string[];
  /** Missed heartbeats before the group evicts a member (its heartbeat runs on the cluster's rounds). */
  threshold: number;
  failoverNs: number;
}

export interface ClientConfig {
  id: string;
  /** The VM it talks to, or null for the active Exchange database wherever it is mounted. */
  vm: string | null;
  intervalNs: number;
}

export type ClusterActionConfig =
  | { do: 'quick-migrate' | 'live-migrate' | 'vmotion'; atNs: number; vm: string; to: string; maxPasses: number | null; /** Another migration network's speed for this move, or null for the cluster's. */ gbps: number | null }
  | { do: 'fail-host'; atNs: number; host: string }
  | { do: 'backup'; atNs: number; vm: string; method: BackupMethod; type: BackupType };

/** Exchange's backup types (row e.2): full and incremental truncate the logs; copy and differential do not; incremental and differential copy only the logs. */
export type BackupType = 'full' | 'copy' | 'incremental' | 'differential';

export type BackupMethod = 'host-vss' | 'in-guest' | 'vcb';

export interface ClusterConfig {
  platform: ClusterPlatform;
  hosts: string[];
  /** The host whose I/O the detailed model runs (the scenario's `host` block). */
  ioHost: string;
  vms: ClusterVmConfig[];
  storage: { kind: 'lun-per-vm' | 'csv'; coordinator: string; writeBytesPerS: number; readBytesPerS: number; lunMoveNs: number };
  /**
   * The migration network: one migration's usable rate (`bytesPerS`), what migrations under way together on a
   * host's link use at most (`linkBytesPerS`), and how many live migrations or vMotions a host takes part in at once.
   */
  network: { gbps: number; efficiency: number; bytesPerS: number; linkBytesPerS: number; simultaneous: number; setupNs: number; switchoverNs: number; stopWindowNs: number };
  heartbeat: { intervalNs: number; threshold: number };
  ha: { kind: HaKind; placementNs: number };
  tcpTimeoutNs: number;
  exchange: ExchangeConfig | null;
  clients: ClientConfig[];
  actions: ClusterActionConfig[];
}
