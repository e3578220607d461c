/**
 * Default times, rates and limits of the cluster level (migration, failover,
 * backup), each with its range and source, as `costs.ts` does for the I/O
 * model. Sources: `../shared/reference/vm-lifecycle-and-availability.md`
 * (rows c, d, e; "row c.2" etc.) and `hyperv-facts.md` §7; tags V (read in
 * the cited text), R (recalled), E (an estimate built from V/R figures).
 * A scenario overrides the ones it names in its `cluster` block; nothing
 * here is tuned to make a claim come out one way.
 */

/** One default: its value in `unit`, a plausible range, and where it comes from. */
export interface ClusterDefault {
  readonly what: string;
  readonly value: number;
  readonly unit: 'ns' | 'bytes-per-s' | 'ratio' | 'count';
  readonly range: readonly [number, number];
  readonly source: string;
}

const S = 1_000_000_000;
const MS = 1_000_000;
const MB = 1_000_000;

const d = (what: string, value: number, unit: ClusterDefault['unit'], range: [number, number], source: string): ClusterDefault => ({ what, value, unit, range, source });

export const CLUSTER_DEFAULTS = {
  // --- Live migration and vMotion (row c.2) ---
  lm_efficiency_1g: d(
    'share of a 1 Gb/s migration link a single live migration uses (119.5 of 125 MB/s)',
    0.956,
    'ratio',
    [0.8, 0.99],
    'row c.2: Aidan Finn, WS2012 beta, 512 MB VM on 1 GbE at max 119.5 MB/s (V); QEMU/Proxmox 111-121 MiB/s (V)',
  ),
  lm_efficiency_10g: d(
    'share of a 10 Gb/s link one migration uses (the copy is CPU-bound well below line rate)',
    0.55,
    'ratio',
    [0.27, 0.99],
    'row c.2 (E): calibrated so a 32 GiB VM migrates 82 % faster on 10 GbE than on 1 GbE, the IBM/NetApp/Intel "up to 82% shorter" (V); Finn 338 MB/s (0.27) and Holman ~1.2 GB/s aggregate bound the range (V)',
  ),
  lm_setup: d(
    'live migration setup before the first memory pass: the container VM created on the target from the configuration, the connection opened',
    2_500 * MS,
    'ns',
    [1 * S, 3 * S],
    'row c.2 (E): Finn 512 MB in 7 s at 119.5 MB/s, 7 s - 512 MiB / 119.5 MB/s = 2.5 s (V figures); steps from Mastering Hyper-V 2016 (V)',
  ),
  lm_switchover: d(
    'blackout beyond the last dirty pages: the VM paused, processor and device state sent, storage handles moved, resumed on the target, reverse ARP',
    50 * MS,
    'ns',
    [10 * MS, 300 * MS],
    'row c.2 (E): Clark et al. NSDI 2005 60 ms / 210 ms total downtime (V); QEMU downtime limit 300 ms (V)',
  ),
  lm_stop_window: d(
    'pre-copy stops when the dirty pages left could be sent in this long (the remainder is "small")',
    30 * MS,
    'ns',
    [1 * MS, 300 * MS],
    "row c.2: SimGrid VmLiveMigration max_downtime 30 ms (V); Hyper-V's own threshold is not published (gap); QEMU 300 ms (V)",
  ),
  lm_link_share_max: d(
    'share of a migration link that migrations under way together use at most (their aggregate), each still at most its own single-migration rate',
    0.956,
    'ratio',
    [0.8, 0.99],
    'row c.2: Finn, 119.5 of 125 MB/s on 1 GbE (V); Holman, 18 VMs (80 GB) in 65 s on 10 GbE, about 1.2 GB/s together (V); E: the same share of either link',
  ),
  lm_simultaneous_2012r2: d(
    'live migrations a host takes part in at once (WS2012 and later; the setting Simultaneous live migrations)',
    2,
    'count',
    [1, 64],
    'Microsoft Set-VMHost -MaximumVirtualMachineMigrations, default 2 (R); WS2008 R2 ran one per node (row c.2, R); Finn raised it to run 10 and 20 at once (row c.2, V)',
  ),
  lm_max_passes_2008r2: d('memory passes at most, the first full copy included (WS2008 R2)', 10, 'count', [10, 10], 'row c.2: Directions on Microsoft, "until it has made 10 passes" (V)'),
  lm_max_passes_2012r2: d('memory passes at most (WS2012 R2 and later)', 5, 'count', [5, 5], 'row c.2: Mastering Windows Server 2016 Hyper-V p.499, five passes (V)'),
  vmotion_max_passes: d(
    'vMotion pre-copy iterations before it gives up converging (a guard; SDPS makes it converge first)',
    30,
    'count',
    [5, 30],
    'row c.2 (E): vMotion has no published pass cap; Xen libxc DEF_MAX_ITERS 29 (V) used as the guard',
  ),
  vmotion_trace: d('vMotion "Guest Trace" phase: write traces installed on every page before pre-copy', 200 * MS, 'ns', [50 * MS, 1 * S], 'row c.2: phase names from the vSphere 5 vMotion paper (V); duration E'),
  vmotion_switchover_target: d(
    'vMotion switches over once the remainder fits in this window',
    500 * MS,
    'ns',
    [100 * MS, 1 * S],
    'row c.2: Nelson et al. ATC 2005 "downtime ... less than a second" (V); the 0.5 s target is E',
  ),
  vmotion_sdps_share: d(
    'SDPS (vSphere 5+): when pre-copy does not converge, the vCPUs are stunned so the VM dirties memory at most this share of the link rate',
    0.5,
    'ratio',
    [0.1, 0.9],
    'row c.2: "Stun During Page Send" (V, vSphere 5 paper TOC); the share is E',
  ),
  working_set_share: d('writable working set as a share of memory when the scenario does not say', 0.9, 'ratio', [0.05, 1], 'row c.2: SimGrid working set default 90 % of RAM (V)'),
  // --- Quick migration (row c.2, facts §7.2) ---
  qm_write_rate: d('saving a VM: memory written to the shared LUN', 150 * MB, 'bytes-per-s', [50 * MB, 200 * MB], 'facts §7.2 (E): 2 GB at ~150 MB/s matches windowsitpro "about 30 seconds for a couple of gigabytes" (V); hdd_seq_rate 50-200 MB/s (facts §8, R)'),
  qm_read_rate: d('restoring a VM: memory read back from the shared LUN', 150 * MB, 'bytes-per-s', [50 * MB, 200 * MB], 'facts §7.2 (E), as qm_write_rate'),
  lun_move: d(
    'the cluster disk resource moved to another node: dismount on the source, mount on the target',
    3 * S,
    'ns',
    [2 * S, 5 * S],
    'row c.2: itprotoday "a few seconds of downtime" (V); facts §7.2 2-5 s (E)',
  ),
  csv_owner_move: d('with Cluster Shared Volumes the LUN stays mounted on every node: only the VM group changes owner', 200 * MS, 'ns', [50 * MS, 1 * S], 'row c.2: CSV coordinator and direct I/O, Mastering Hyper-V p.490-491 (V); the time is E'),
  csv_redirect_overhead: d(
    'CSV redirected I/O: one request sent over SMB2 from a node to the coordinator and answered (beyond the data on the wire)',
    200_000,
    'ns',
    [50_000, 1 * MS],
    'row c.2: "falls back to Redirected I/O over SMB2 through the coordinator" (V, Mastering Hyper-V p.490-491); the round trip is E (an SMB2 request and response on a LAN, 0.1-1 ms, R)',
  ),
  csv_network_rate: d(
    'CSV redirected I/O: the data on the cluster network between a node and the coordinator (1 GbE)',
    117 * MB,
    'bytes-per-s',
    [60 * MB, 1_150 * MB],
    'row c.2 (E): a 1 Gb/s cluster network at about 94 % of its line rate for SMB2 (R; the live migration anchor is 119.5 MB/s on 1 GbE, V); 10 GbE bounds the range',
  ),
  vm_provision: d('provisioning the VM on the new node before its memory is read back', 1 * S, 'ns', [500 * MS, 3 * S], 'row c.2: windowsitpro lists the step (V); the time is E'),
  // --- Failure detection and restart (row d.2) ---
  wsfc_heartbeat: d('Windows failover cluster heartbeat interval (SameSubnetDelay)', 1 * S, 'ns', [250 * MS, 2 * S], 'row d.2: SameSubnetDelay default 1000 ms (V, learn.microsoft.com)'),
  wsfc_threshold: d('missed heartbeats before a node is down (SameSubnetThreshold)', 5, 'count', [3, 10], 'row d.2: SameSubnetThreshold default 5 (V)'),
  vmha_heartbeat: d('VMware HA 4.x heartbeat interval', 1 * S, 'ns', [1 * S, 1 * S], 'row d.2: HA agents heartbeat every 1 s (V, vSphere 4 docs)'),
  vmha_threshold: d('VMware HA 4.x: heartbeats missed before the host is failed (das.failuredetectiontime 15 s)', 15, 'count', [12, 60], 'row d.2: das.failuredetectiontime 15000 ms (V)'),
  ha_placement: d('the cluster picks a host and brings the VM resource online there', 1 * S, 'ns', [200 * MS, 5 * S], 'row d.2 (E): restart on "the alternate hosts with the most available unreserved capacity" (V)'),
  guest_boot: d('guest cold boot to a running OS', 40 * S, 'ns', [20 * S, 120 * S], 'facts §7.3 (E): "VM cold boot of the guest OS and application (30 s to several min)"'),
  exchange_services: d('Exchange services started after the guest booted', 120 * S, 'ns', [30 * S, 300 * S], 'row d.3 (E): "minutes for a mailbox server"; seed 002 "the time it takes to reboot the operating system and start the Exchange services" (V)'),
  dag_failover: d('DAG database failover to another copy after the failure is detected', 20 * S, 'ns', [15 * S, 30 * S], 'row d.2: seed 002 "within 15-30 seconds of a detected failure" (V)'),
  tcp_timeout: d('TCP connection timeout a client tolerates', 20 * S, 'ns', [10 * S, 120 * S], 'row c.2: "typically around 20 seconds" (V, technet dn440540 quoted)'),
  // --- Backup (row e.2) ---
  vss_freeze_limit: d('VSS: writers frozen at most this long (Freeze to Thaw)', 60 * S, 'ns', [60 * S, 60 * S], 'row e.2: CVssWriter::OnFreeze 60 s (V)'),
  vss_flush_hold_limit: d('VSS: flush-and-hold released within this long or the snapshot is cancelled', 10 * S, 'ns', [10 * S, 10 * S], 'row e.2: 10 s (V)'),
  vss_commit: d('VSS provider CommitSnapshots on the host volume', 500 * MS, 'ns', [100 * MS, 1 * S], 'row e.2: "should take less than one second" (V); 0.5 s E'),
  vss_freeze_writers: d('guest VSS: writers prepare and freeze (Exchange writer flushes its buffers)', 2 * S, 'ns', [500 * MS, 10 * S], 'row e.2 (E): Linux hv_snapshot "a few seconds" frozen (V)'),
  vss_gather: d('requestor gathers writer metadata and prepares the snapshot set', 3 * S, 'ns', [1 * S, 10 * S], 'row e.2 (E)'),
  backup_copy_rate: d('backup copies the snapshot to the backup target', 100 * MB, 'bytes-per-s', [50 * MB, 200 * MB], 'facts §8 hdd_seq_rate 100 MB/s (R)'),
  vcb_quiesce: d('VCB: sync driver quiesces NTFS in the guest', 1 * S, 'ns', [200 * MS, 5 * S], 'row e.2: vmadmin VCB process (V); time E'),
  snapshot_commit_rate: d('VMFS snapshot (redo log) committed back after the backup', 100 * MB, 'bytes-per-s', [50 * MB, 200 * MB], 'row e.2 (E), as backup_copy_rate'),
} as const satisfies Record<string, ClusterDefault>;

export type ClusterDefaultId = keyof typeof CLUSTER_DEFAULTS;

/** The default's value. */
export function clusterDefault(id: ClusterDefaultId): number {
  return CLUSTER_DEFAULTS[id].value;
}
