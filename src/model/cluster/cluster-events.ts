/**
 * Record kinds of the cluster level (DESIGN §8: two time scales, one
 * engine). They are coarse: one record per heartbeat round, per pre-copy
 * pass, per chunk of saved memory, per backup step, never one per page.
 * Each sits at a cluster place (`cluster.host.<id>`, `cluster.link`,
 * `cluster.storage`, `cluster.vm.<id>`), on stream '' and flow -1; a
 * record's `costNs` is the time the step takes from `t` (a pass, a chunk,
 * a phase), charged to 'device' (the link, the LUN) or 'none' (waiting).
 * `trace-events.ts` folds these into the one catalog.
 */

/** Where a VM is in the cluster's eyes. `stopped`: its own life cycle has it not running (a scenario's save, pause or shutdown on the detailed host): it serves nobody and answers no heartbeat. */
export type ClusterVmState = 'running' | 'blackout' | 'saving' | 'moving' | 'restoring' | 'failed' | 'booting' | 'starting-services' | 'frozen' | 'saved-for-backup' | 'stopped';

/** `save` and `restore`: a quick migration hands the VM to its life cycle's save (on the source) or restore (on the target); a mark, costNs 0. */
export type MigrationPhase = 'queued' | 'setup' | 'guest-trace' | 'precopy' | 'sdps' | 'switchover' | 'lun-move' | 'owner-move' | 'provision' | 'save' | 'restore';

export type BackupStep =
  | 'gather'
  | 'freeze'
  | 'flush-and-hold'
  | 'host-snapshot'
  | 'thaw'
  | 'save-state'
  | 'restore-state'
  | 'target-wait'
  | 'copy'
  | 'truncate-logs'
  | 'quiesce'
  | 'vmfs-snapshot'
  | 'commit-snapshot'
  | 'csv-redirected';

export interface ClusterKindFields {
  /** The cluster as the run starts: hosts, where each VM runs, storage and the migration link, the clients, and which VM holds the active Exchange databases ('' for none). */
  'cluster.formed': { hosts: string[]; vms: string[]; vmHosts: string[]; vmMemoryBytes: number[]; storage: 'lun-per-vm' | 'csv'; coordinator: string; linkGbps: number; linkBytesPerS: number; ha: string; ioHost: string; clients: string[]; databasesOn: string };
  /** One heartbeat round: the hosts that answered, and those silent with how many beats each has missed. */
  'cluster.heartbeat.round': { round: number; alive: string[]; silent: string[]; missed: number[] };
  /** A host failed (power, hardware): its VMs stopped with it, their memory lost. */
  'cluster.host.failed': { host: string; vms: string[] };
  /** The cluster declared a silent host down after `missed` heartbeats, `detectionNs` after it failed. */
  'cluster.host.declared-down': { host: string; missed: number; detectionNs: number; by: string };
  /**
   * A Windows failover cluster lost quorum: the votes of the hosts still up (and of the disk witness an even
   * number of nodes has) are no longer more than half of `of`; the cluster service stops on every node, its
   * VMs go offline and none is restarted.
   */
  'cluster.quorum.lost': { hosts: string[]; votes: number; of: number; witness: boolean; vms: string[] };
  /** The CSV coordinator failed: another node took over the volume's metadata (its owner moved). */
  'cluster.csv.coordinator-moved': { from: string; to: string };
  /** One request of `vm` on `host` went over SMB2 to the CSV coordinator and back (redirected access); costNs is the detour. */
  'cluster.csv.redirected-io': { vm: string; host: string; coordinator: string; op: 'read' | 'write'; bytes: number };
  /** A VM changed state on a host. */
  'cluster.vm.changed': { vm: string; host: string; state: ClusterVmState };
  /** A migration began. */
  'cluster.migration.started': { migration: number; vm: string; from: string; to: string; method: 'quick' | 'live' | 'vmotion'; memoryBytes: number; linkBytesPerS: number; maxPasses: number };
  /** A migration phase that is not a memory pass; costNs is its length. */
  'cluster.migration.phase': { migration: number; vm: string; phase: MigrationPhase };
  /**
   * One pre-copy pass, written as it ends: `bytes` sent over the link in the `durationNs` before (at `bytesPerS` on average:
   * the migrations sending on its hosts share the link) while the guest dirtied `dirtiedBytes` (at `dirtyBytesPerS`, capped
   * by its working set); `remainingBytes` of memory is still to send after it.
   */
  'cluster.migration.pass': { migration: number; vm: string; pass: number; bytes: number; durationNs: number; bytesPerS: number; dirtiedBytes: number; remainingBytes: number; memoryBytes: number; dirtyBytesPerS: number };
  /** One chunk of a VM's memory saved to, or restored from, the shared LUN (quick migration, saved-state backup); costNs is its transfer. */
  'cluster.state.chunk': { migration: number; vm: string; op: 'save' | 'restore'; offsetBytes: number; bytes: number; memoryBytes: number };
  /** The VM, paused for the final copy (stop-and-copy), sent its last `bytes` of dirty memory in the `sentNs` before; costNs is the switchover after (its state, resume, reverse ARP). */
  'cluster.migration.blackout': { migration: number; vm: string; bytes: number; sentNs: number };
  /** A cluster action could not be carried out (the VM is busy or not running, a host is down): nothing happened. */
  'cluster.action.refused': { action: string; vm: string; host: string; why: string };
  /**
   * A migration finished (`outcome` completed: the VM runs on `to`; aborted: a host failed under it; failed: a
   * vMotion whose pre-copy made no forward progress gave up, the VM running on where it was). `formula…`:
   * the closed form of the same stop rule (facts §7.1) for the same VM and link, beside the simulated figures.
   */
  'cluster.migration.completed': {
    migration: number;
    vm: string;
    method: 'quick' | 'live' | 'vmotion';
    to: string;
    outcome: 'completed' | 'aborted' | 'failed';
    formulaTotalNs: number;
    formulaBlackoutNs: number;
    totalNs: number;
    totalBytes: number;
    blackoutNs: number;
    passes: number;
    converged: boolean;
    capped: boolean;
    /**
     * The blackout is longer than the heartbeat threshold (interval x missed beats: 5 s on a Windows cluster, a
     * copy group's own for its member). Eviction goes by the heartbeats themselves (`heartbeats.ts`): a peer
     * that has heard nothing for the threshold declares the node down, and the silence it hears is the
     * blackout plus up to one interval before it (the last beat answered came before the pause began), so a
     * blackout up to one interval shorter than the threshold may evict too, by the heartbeats' phase.
     */
    exceedsHeartbeat: boolean;
    exceedsTcpTimeout: boolean;
    /** Quick migration: the save, the moves (LUN or owner, provisioning) and the restore, and whether the save and restore went through the VM's life cycle. */
    /** vSphere 5: the closed form's blackout for the same migration without SDPS (what SDPS saves). */
    formulaWithoutSdpsBlackoutNs?: number;
    saveNs?: number;
    moveNs?: number;
    restoreNs?: number;
    throughLifecycle?: boolean;
    /** Quick migration of an Off or Saved VM: only its cluster group moved (no save, no restore); it stays Off or Saved on the target. */
    offline?: boolean;
  };
  /** After a host failure, the cluster started a VM on another host (cold boot). */
  'cluster.vm.restarted': { vm: string; host: string; from: string; downtimeNs: number };
  /** A guest-cluster member (DAG/CCR node) missed its heartbeats for the threshold and was evicted. */
  'cluster.exchange.evicted': { vm: string; missed: number };
  /** Exchange moved its active databases to another copy (no VM reboot). */
  'cluster.exchange.failedover': { from: string; to: string; copyKind: 'ccr' | 'scc' | 'dag'; detectionNs: number; downtimeNs: number };
  /** A client's request went unanswered: the VM or database it uses was not serving. */
  'cluster.client.lost': { client: string; vm: string };
  /** A client got an answer again after `gapNs`; `dropped`: its connection did not survive (state lost or longer than the TCP timeout). */
  'cluster.client.resumed': { client: string; vm: string; gapNs: number; dropped: boolean };
  /**
   * The run ended while a client still got no answer: its VM or database had
   * not served again. `gapNs` runs from its last answer to the run's end (the
   * gap is at least that long); `dropped`: its connection is already gone
   * (longer than the TCP timeout, or the VM rebooted under it).
   */
  'cluster.client.unanswered': { client: string; vm: string; gapNs: number; dropped: boolean };
  /** A backup began with the method actually used, and why that one. */
  'cluster.backup.started': { backup: number; vm: string; method: string; type: string; why: string };
  /** One step of a backup; costNs is its length. */
  'cluster.backup.step': { backup: number; vm: string; step: BackupStep; note: string };
  /** A backup finished. */
  'cluster.backup.completed': {
    backup: number;
    vm: string;
    method: string;
    /** aborted: its host failed under it (the VM's failover takes it; nothing was protected). */
    outcome: 'completed' | 'aborted';
    downtimeNs: number;
    freezeNs: number;
    consistency: string;
    logsTruncated: boolean;
    withinLimits: boolean;
    protectedBytes: number;
  };
}

/** Every cluster kind, for the catalog's run-time list. */
export const CLUSTER_KIND_TABLE = {
  'cluster.formed': true,
  'cluster.heartbeat.round': true,
  'cluster.host.failed': true,
  'cluster.host.declared-down': true,
  'cluster.quorum.lost': true,
  'cluster.csv.coordinator-moved': true,
  'cluster.csv.redirected-io': true,
  'cluster.vm.changed': true,
  'cluster.migration.started': true,
  'cluster.migration.phase': true,
  'cluster.migration.pass': true,
  'cluster.state.chunk': true,
  'cluster.migration.blackout': true,
  'cluster.action.refused': true,
  'cluster.migration.completed': true,
  'cluster.vm.restarted': true,
  'cluster.exchange.evicted': true,
  'cluster.exchange.failedover': true,
  'cluster.client.lost': true,
  'cluster.client.resumed': true,
  'cluster.client.unanswered': true,
  'cluster.backup.started': true,
  'cluster.backup.step': true,
  'cluster.backup.completed': true,
} as const satisfies Record<keyof ClusterKindFields, true>;
