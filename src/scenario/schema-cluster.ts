/**
 * The scenario's `cluster` block and its timed actions (issue 15): several
 * hosts, where each VM runs, shared storage, the migration network,
 * heartbeats and the high-availability kind, an optional Exchange copy
 * group and clients; actions `quick-migrate`, `live-migrate`, `vmotion`,
 * `fail-host` and `backup`. Also the checks across fields (`checkCluster`)
 * and the conversion to the model's `ClusterConfig` (`toClusterConfig`).
 *
 * The scenario's `host` block stays the one host whose I/O is modelled in
 * detail: it is `cluster.ioHost` (default the first host). VMs with
 * workloads or traffic must start there; the cluster level moves VMs
 * between hosts in coarse steps and leaves the I/O model unchanged.
 */
import * as z from 'zod';
import { CLUSTER_PLATFORMS, HA_KINDS, type ClusterPlatform } from '../model/cluster/cluster-config.js';
import { closest, quoted } from './errors.js';
import { grouped } from '../engine/index.js';
import { allows, duration, enumOf, id, intIn as int, listOf, oneOf } from './schema-parts.js';
import type { ReferenceIssue } from './references.js';
import { durationNs } from './units.js';

const num = (min: number, max: number, what: string) => z.number(allows(`a number ${grouped(min)}..${grouped(max)} (${what})`)).min(min).max(max);

const hostSchema = z.strictObject({
  id: id('a cluster host').meta({ description: 'Name of the host (a cluster node).' }),
});

const clusterVmSchema = z.strictObject({
  vm: id('a VM').meta({ description: 'The VM (an id in vms).' }),
  host: id('a cluster host').meta({ description: 'The host it runs on when the run starts.' }),
  dirtyRateMBps: z
    .union([num(0, 100_000, 'MB/s'), z.literal('workloads')], allows("a number of MB/s 0..100,000, or 'workloads'"))
    .default(0)
    .meta({
      description:
        "How fast the guest dirties memory, in MB/s (10^6 bytes), while it runs: what each pre-copy pass must send again (row c.2). 'workloads': what its write workloads on the detailed host write per second, measured pass by pass.",
    }),
  workingSetMiB: int(1, 65_536)
    .optional()
    .meta({ description: 'Writable working set in MiB: at most this much memory is dirty at once (default 90 % of memoryMiB, as SimGrid: row c.2).' }),
  boot: duration().optional().meta({ description: 'Cold boot of the guest after a host failure (default 40s: facts §7.3, E).' }),
  serviceStart: duration().optional().meta({ description: "Services started after the boot before clients are served (default 0, or 120s for an Exchange member: row d.3, E)." }),
  restartPriority: enumOf(['low', 'medium', 'high'])
    .optional()
    .meta({ description: "HA restart order after a host failure (default medium, VMware HA's; a failover cluster's VM priority came with Windows Server 2012, so not on hyperv-2008 or hyperv-2008-r2, whose VMs restart in the order they are listed)." }),
  dataGiB: num(0.001, 65_536, 'GiB').default(4).meta({ description: 'Data on its disks that a backup copies, in GiB.' }),
  logGiB: num(0, 65_536, 'GiB')
    .optional()
    .meta({
      description:
        "What the guest wrote since its last backup, in GiB (for Exchange, its transaction logs; for a differential, since the last full backup): what an in-guest incremental or differential backup copies (row e.2: they back up the logs). Default 5 % of dataGiB (E). A host-side backup copies the VHD files whole whatever its type.",
    }),
  rdm: enumOf(['none', 'physical', 'virtual'])
    .default('none')
    .meta({ description: 'vSphere: part of its data sits on a raw device mapping in physical or virtual compatibility mode (seed 003: physical mode cannot be snapshotted by VMFS).' }),
  rdmGiB: num(0, 65_536, 'GiB').default(0).meta({ description: 'How much of dataGiB is on the RDM.' }),
});

const clusterSchema = z
  .strictObject({
    platform: enumOf(CLUSTER_PLATFORMS)
      .default('hyperv-2008-r2')
      .meta({
        description:
          'hyperv-2008: quick migration only; hyperv-2008-r2: live migration at most 10 passes; hyperv-2012-r2: 5 passes; vsphere-4: vMotion, VMware HA; vsphere-5: vMotion with SDPS (row c.2).',
      }),
    hosts: listOf(hostSchema, 2, 16, 'hosts (a Windows Server 2008 R2 failover cluster has at most 16 nodes)').meta({ description: 'The cluster nodes.' }),
    ioHost: id('a cluster host')
      .optional()
      .meta({ description: "The host whose I/O the detailed model runs: the scenario's host block describes it (default: the first host). VMs with workloads or traffic must start on it." }),
    vms: listOf(clusterVmSchema, 0, 64, 'cluster VMs')
      .default([])
      .meta({ description: 'Where each VM runs and how it behaves at the cluster level; a VM not listed runs on ioHost and dirties no memory.' }),
    storage: z
      .strictObject({
        kind: enumOf(['csv', 'lun-per-vm'])
          .optional()
          .meta({
            description:
              'csv: Cluster Shared Volumes (Windows Server 2008 R2 on; on vSphere, a shared VMFS datastore): every node has the LUN mounted, a coordinator owns the metadata; lun-per-vm: one cluster disk per VM, moved between nodes (dismount, mount). Default: lun-per-vm on hyperv-2008 (which has no CSV), else csv.',
          }),
        coordinator: id('a cluster host').optional().meta({ description: 'csv: the coordinator node (default: the first host).' }),
        writeMBps: num(1, 100_000, 'MB/s').optional().meta({ description: "Rate at which saved memory is written to the shared LUN (default 150 MB/s: facts §7.2, E), for a VM saved at the cluster level. A VM of the detailed host with a disk for its state file saves through that disk's model instead (its rated rate is the closed form's)." }),
        readMBps: num(1, 100_000, 'MB/s').optional().meta({ description: 'Rate at which saved memory is read back (default 150 MB/s), likewise.' }),
        lunMove: duration().optional().meta({ description: 'lun-per-vm: moving a cluster disk to another node (default 3s; 2-5 s, row c.2).' }),
      })
      .prefault({})
      .meta({ description: 'The shared storage.' }),
    migrationNetwork: z
      .strictObject({
        gbps: num(0.1, 400, 'Gb/s').default(1).meta({ description: 'Link speed of the live migration network in Gb/s.' }),
        efficiency: num(0.01, 1, 'a share of the link')
          .optional()
          .meta({ description: 'Share of the link one migration achieves (default 0.956 at 1 Gb/s: Finn, 119.5 MB/s; 0.55 above: calibrated to the IBM "up to 82 %"; row c.2).' }),
        setup: duration().optional().meta({ description: 'Setup before the first pass (default 2.5s, row c.2 E from Finn).' }),
        switchover: duration().optional().meta({ description: 'Blackout beyond the last dirty pages: state, storage handles, resume, ARP (default 50ms, E).' }),
        simultaneous: int(1, 64)
          .optional()
          .meta({
            description:
              "Live migrations (or vMotions) a host takes part in at once, as source or target; more wait their turn. Those under way share the host's link, each at most one migration's rate (default 2 on hyperv-2012-r2: Set-VMHost MaximumVirtualMachineMigrations; 1 on hyperv-2008-r2, one per node; 1 on vSphere here).",
          }),
      })
      .prefault({})
      .meta({ description: 'The network live migration and vMotion use.' }),
    ha: enumOf(HA_KINDS).optional().meta({ description: 'Who restarts VMs of a failed host: windows-failover-cluster (default on Hyper-V) or vmware-ha (default on vSphere).' }),
    heartbeat: z
      .strictObject({
        interval: duration().optional().meta({ description: 'Heartbeat interval (default 1s: SameSubnetDelay; VMware HA 1 s).' }),
        threshold: int(1, 120).optional().meta({ description: 'Missed heartbeats before a host is down (default 5: SameSubnetThreshold; VMware HA 15, das.failuredetectiontime 15 s).' }),
      })
      .prefault({})
      .meta({ description: 'Cluster heartbeats between the hosts.' }),
    tcpTimeout: duration().default('20s').meta({ description: 'TCP timeout clients tolerate (default 20s, row c.2).' }),
    exchange: z
      .strictObject({
        kind: enumOf(['ccr', 'scc', 'dag']).meta({ description: 'ccr: Exchange 2007 cluster continuous replication; scc: single copy cluster; dag: Exchange 2010 database availability group.' }),
        version: enumOf(['2007-sp1', '2010', '2010-sp1']).meta({ description: 'Exchange version: decides what the support policy allows (seed 001; 2010 SP1 change, seed 002).' }),
        members: listOf(id('a VM'), 1, 16, 'mailbox VMs').meta({ description: 'Mailbox VMs with a copy; the first holds the active databases at the start.' }),
        failover: duration().optional().meta({ description: 'Moving the databases to another copy after detection (default 20s; 15-30 s, seed 002).' }),
        threshold: int(1, 120)
          .optional()
          .meta({ description: "Missed heartbeats before the group's own cluster evicts a member, on the cluster's heartbeat interval (default: cluster.heartbeat.threshold on a Windows cluster, else 5, SameSubnetThreshold; row d.2: raised to ride out a live migration's pause, to no more than 10 s)." }),
      })
      .optional()
      .meta({ description: 'An Exchange copy group over VMs of the cluster: it fails its databases over itself.' }),
    clients: listOf(
      z.strictObject({
        id: id('a client'),
        vm: id('a VM').optional().meta({ description: 'The VM it talks to.' }),
        exchange: z.literal(true, allows('true')).optional().meta({ description: 'true: it talks to the active Exchange databases wherever they are mounted.' }),
        interval: duration().default('500ms').meta({ description: 'How often it sends a request.' }),
      }),
      0,
      64,
      'clients',
    )
      .default([])
      .meta({ description: 'Clients that poll a VM or the Exchange databases and report each gap (and whether their connection survived).' }),
  })
  .meta({ description: 'Several hosts around the detailed one: migration, failure and failover, backup (issue 15).' });

/** The heartbeat intervals a scenario may set: wide around the defaults' 250 ms-2 s (row d.2), so that a what-if fits and a unit forgotten does not. */
const HEARTBEAT_MIN_NS = 10_000_000;
const HEARTBEAT_MAX_NS = 60_000_000_000;

export { clusterSchema };

const vmAndTarget = {
  at: duration().meta({ description: 'When the action happens.' }),
  vm: id('a VM').meta({ description: 'The VM to move.' }),
  to: id('a cluster host').meta({ description: 'The host to move it to.' }),
};
const overNetwork = {
  gbps: num(0.1, 400, 'Gb/s')
    .optional()
    .meta({ description: "This move goes over another migration network of this speed (its efficiency from the speed's default), e.g. a 10 GbE network beside the cluster's 1 GbE one." }),
};

/** The cluster's timed actions, beside the I/O model's in the scenario's `actions`. */
export const clusterActionSchemas = [
  z.strictObject({ ...vmAndTarget, do: z.literal('quick-migrate').meta({ description: 'quick-migrate: save state, move the LUN, restore (offline throughout).' }) }),
  z.strictObject({
    ...vmAndTarget,
    ...overNetwork,
    do: z.literal('live-migrate').meta({ description: 'live-migrate: Hyper-V R2 live migration, pre-copy then a short blackout.' }),
    maxPasses: int(1, 100).optional().meta({ description: 'Pass cap (default by platform: 10 on hyperv-2008-r2, 5 on hyperv-2012-r2).' }),
  }),
  z.strictObject({
    ...vmAndTarget,
    ...overNetwork,
    do: z.literal('vmotion').meta({ description: 'vmotion: VMware vMotion (guest trace, pre-copy, switchover; SDPS on vsphere-5).' }),
    maxPasses: int(1, 100).optional().meta({ description: 'Iteration guard (default 30).' }),
  }),
  z.strictObject({
    at: duration().meta({ description: 'When the host fails.' }),
    do: z.literal('fail-host').meta({ description: 'fail-host: the host stops (power); its VMs stop with it.' }),
    host: id('a cluster host').meta({ description: 'The host that fails.' }),
  }),
  z.strictObject({
    at: duration().meta({ description: 'When the backup starts.' }),
    do: z.literal('backup').meta({ description: 'backup: a backup of the VM (row e).' }),
    vm: id('a VM').meta({ description: 'The VM to back up.' }),
    method: enumOf(['host-vss', 'in-guest', 'vcb'])
      .optional()
      .meta({ description: 'host-vss: Hyper-V VSS writer on the host (online through the backup integration service, else saved state); in-guest: an agent in the guest; vcb: VMware Consolidated Backup. Default: host-vss on Hyper-V, vcb on vSphere.' }),
    type: enumOf(['full', 'copy', 'incremental', 'differential']).default('full').meta({ description: 'Exchange backup type: full and incremental truncate the logs, copy and differential do not.' }),
  }),
] as const;

export { CLUSTER_ACTIONS, isClusterAction } from './cluster-build.js';
import { CLUSTER_ACTIONS, isClusterAction, storageKindOf } from './cluster-build.js';
export type ClusterAction = z.output<(typeof clusterActionSchemas)[number]>;
export type ClusterScenario = z.output<typeof clusterSchema>;

/** The scenario's `actions` item: the I/O model's actions or the cluster's, told apart by `do`. */
export function withClusterActions<T extends z.ZodObject>(base: T) {
  const actions = [...((base.shape as { do?: { options?: string[] } }).do?.options ?? []), ...CLUSTER_ACTIONS];
  return z.discriminatedUnion('do', [base, ...clusterActionSchemas], {
    error: (issue: { code?: string; input?: unknown }) => {
      if (issue.code === 'invalid_type') return 'an object with at and do';
      const written = (issue.input as { do?: unknown } | null | undefined)?.do;
      const near = typeof written === 'string' ? closest(written, actions) : undefined;
      return `do: ${oneOf(actions)}${near === undefined ? '' : `; did you mean '${near}'?`}`;
    },
  });
}

// ------------------------------------------------------------------ checks across fields

/** What the checks need of a scenario. */
export interface ScenarioForCluster {
  cluster?: ClusterScenario | undefined;
  vms: readonly { id: string; memoryMiB: number; integrationServices: boolean; disks: readonly { backend: { kind: string } }[] }[];
  workloads: readonly { vm: string }[];
  traffic: readonly { vm: string }[];
  actions: readonly ({ do: string; at: string | number } & Record<string, unknown>)[];
  limits: { until: string | number };
}

const nsOf = (value: string | number): number => {
  const converted = durationNs(value);
  return converted.ok ? converted.value : 0;
};

/** Cross-field problems of the cluster block and the cluster actions (empty when consistent). */
export function checkCluster(scenario: ScenarioForCluster): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const c = scenario.cluster;
  const vmIds = scenario.vms.map((v) => v.id);
  const clusterActions = scenario.actions.map((a, i) => [a, i] as const).filter(([a]) => isClusterAction(a as { do: string }));
  if (c === undefined) {
    for (const [a, i] of clusterActions) issues.push({ path: ['actions', i, 'do'], found: `'${a.do}' with no cluster block`, allowed: 'a cluster block (cluster.hosts) for quick-migrate, live-migrate, vmotion, fail-host and backup' });
    return issues;
  }
  const hostIds = c.hosts.map((h) => h.id);
  const unknownHost = (path: (string | number)[], value: string): void => {
    if (!hostIds.includes(value)) issues.push({ path, found: `'${value}' (no cluster host has this id)`, allowed: `one of the cluster hosts: ${quoted(hostIds)}` });
  };
  const unknownVm = (path: (string | number)[], value: string): boolean => {
    if (vmIds.includes(value)) return false;
    issues.push({ path, found: `'${value}' (no VM has this id)`, allowed: `one of the VM ids: ${quoted(vmIds)}` });
    return true;
  };
  const seen = new Set<string>();
  c.hosts.forEach((h, i) => {
    if (seen.has(h.id)) issues.push({ path: ['cluster', 'hosts', i, 'id'], found: `'${h.id}' again`, allowed: 'a host id used once' });
    seen.add(h.id);
  });
  if (c.ioHost !== undefined) unknownHost(['cluster', 'ioHost'], c.ioHost);
  if (c.storage.coordinator !== undefined) unknownHost(['cluster', 'storage', 'coordinator'], c.storage.coordinator);
  if (c.storage.kind === 'csv' && c.platform === 'hyperv-2008') {
    issues.push({ path: ['cluster', 'storage', 'kind'], found: "'csv' on platform hyperv-2008", allowed: "'lun-per-vm': Cluster Shared Volumes came with Windows Server 2008 R2 (row c.2), so platform hyperv-2008-r2 or later for csv" });
  }
  if (storageKindOf(c) !== 'csv' && c.storage.coordinator !== undefined) issues.push({ path: ['cluster', 'storage', 'coordinator'], found: 'a coordinator with lun-per-vm storage', allowed: 'a coordinator only for kind csv' });
  const placed = new Set<string>();
  c.vms.forEach((v, i) => {
    if (v.restartPriority !== undefined && (c.platform === 'hyperv-2008' || c.platform === 'hyperv-2008-r2')) {
      issues.push({ path: ['cluster', 'vms', i, 'restartPriority'], found: `'${v.restartPriority}' on platform ${c.platform}`, allowed: 'no restartPriority: VM priority in a failover cluster came with Windows Server 2012, so platform hyperv-2012-r2 or vSphere for a restart order' });
    }
    unknownVm(['cluster', 'vms', i, 'vm'], v.vm);
    unknownHost(['cluster', 'vms', i, 'host'], v.host);
    if (placed.has(v.vm)) issues.push({ path: ['cluster', 'vms', i, 'vm'], found: `'${v.vm}' placed twice`, allowed: 'each VM listed once' });
    placed.add(v.vm);
    const memory = scenario.vms.find((x) => x.id === v.vm)?.memoryMiB;
    if (memory !== undefined && v.workingSetMiB !== undefined && v.workingSetMiB > memory) {
      issues.push({ path: ['cluster', 'vms', i, 'workingSetMiB'], found: `${v.workingSetMiB} MiB, more than the VM's memoryMiB ${memory}`, allowed: `at most ${memory}` });
    }
    if (v.dirtyRateMBps === 'workloads' && !scenario.workloads.some((w) => w.vm === v.vm && (w as { op?: string }).op !== 'read')) {
      issues.push({ path: ['cluster', 'vms', i, 'dirtyRateMBps'], found: `'workloads', but VM '${v.vm}' has no write workload`, allowed: 'a number of MB/s, or a write (or mixed) workload for the VM' });
    }
    if (v.rdmGiB > v.dataGiB) issues.push({ path: ['cluster', 'vms', i, 'rdmGiB'], found: `${v.rdmGiB} GiB, more than dataGiB ${v.dataGiB}`, allowed: `at most ${v.dataGiB}` });
    if (v.rdm !== 'none' && !c.platform.startsWith('vsphere')) issues.push({ path: ['cluster', 'vms', i, 'rdm'], found: `'${v.rdm}' on platform ${c.platform}`, allowed: "'none': raw device mappings are vSphere's (on Hyper-V use a passthrough disk)" });
  });
  // VHDX came with Windows Server 2012 (reference §5.1): a 2008 or 2008 R2 host cannot open one.
  if (c.platform === 'hyperv-2008' || c.platform === 'hyperv-2008-r2') {
    scenario.vms.forEach((vm, v) =>
      vm.disks.forEach((disk, d) => {
        if (disk.backend.kind.endsWith('-vhdx')) {
          issues.push({ path: ['vms', v, 'disks', d, 'backend', 'kind'], found: `'${disk.backend.kind}' on platform ${c.platform}`, allowed: `a VHD kind (${disk.backend.kind.slice(0, -1)}): VHDX came with Windows Server 2012, so platform hyperv-2012-r2 for a VHDX` });
        }
      }),
    );
  }
  const ioHost = c.ioHost ?? hostIds[0]!;
  const startHost = (vm: string): string => c.vms.find((v) => v.vm === vm)?.host ?? ioHost;
  scenario.workloads.forEach((w, i) => {
    if (vmIds.includes(w.vm) && startHost(w.vm) !== ioHost) issues.push({ path: ['workloads', i, 'vm'], found: `'${w.vm}', which starts on host ${startHost(w.vm)}`, allowed: `a VM on ${ioHost}, the host whose I/O is modelled (cluster.ioHost)` });
  });
  scenario.traffic.forEach((t, i) => {
    if (vmIds.includes(t.vm) && startHost(t.vm) !== ioHost) issues.push({ path: ['traffic', i, 'vm'], found: `'${t.vm}', which starts on host ${startHost(t.vm)}`, allowed: `a VM on ${ioHost}, the host whose I/O is modelled (cluster.ioHost)` });
  });
  if (c.exchange !== undefined) {
    const members = new Set<string>();
    c.exchange.members.forEach((m, i) => {
      unknownVm(['cluster', 'exchange', 'members', i], m);
      if (members.has(m)) issues.push({ path: ['cluster', 'exchange', 'members', i], found: `'${m}' twice`, allowed: 'each member once' });
      members.add(m);
    });
    if (c.exchange.kind === 'dag' && c.exchange.version === '2007-sp1') issues.push({ path: ['cluster', 'exchange', 'kind'], found: "'dag' with Exchange 2007 SP1", allowed: "'ccr' or 'scc' (database availability groups came with Exchange 2010)" });
    if (c.exchange.kind !== 'dag' && c.exchange.version !== '2007-sp1') issues.push({ path: ['cluster', 'exchange', 'kind'], found: `'${c.exchange.kind}' with Exchange ${c.exchange.version}`, allowed: "'dag' (Exchange 2010 replaced CCR and SCC with the DAG)" });
  }
  c.clients.forEach((client, i) => {
    if ((client.vm === undefined) === (client.exchange === undefined)) issues.push({ path: ['cluster', 'clients', i], found: client.vm === undefined ? 'neither vm nor exchange' : 'both vm and exchange', allowed: 'exactly one: vm (a VM) or exchange: true (the active databases)' });
    if (client.vm !== undefined) unknownVm(['cluster', 'clients', i, 'vm'], client.vm);
    if (client.exchange === true && c.exchange === undefined) issues.push({ path: ['cluster', 'clients', i, 'exchange'], found: 'true with no cluster.exchange', allowed: 'a cluster.exchange block, or vm' });
    if (nsOf(client.interval) === 0) issues.push({ path: ['cluster', 'clients', i, 'interval'], found: '0', allowed: 'a positive interval' });
  });
  if (c.heartbeat.interval !== undefined) {
    // A bare number is nanoseconds: `interval: 1000` is 1 µs, a heartbeat no cluster sends (and a run of millions of rounds).
    const ns = nsOf(c.heartbeat.interval);
    if (ns < HEARTBEAT_MIN_NS || ns > HEARTBEAT_MAX_NS)
      issues.push({
        path: ['cluster', 'heartbeat', 'interval'],
        found: typeof c.heartbeat.interval === 'number' ? `${c.heartbeat.interval} (a bare number is nanoseconds)` : `'${c.heartbeat.interval}'`,
        allowed: 'an interval from 10ms to 60s, with its unit ("1s", "250ms"); Windows failover clusters default to 1 s (SameSubnetDelay, 250 ms-2 s)',
      });
  }
  const vsphere = c.platform.startsWith('vsphere');
  const untilNs = nsOf(scenario.limits.until);
  for (const [raw, i] of clusterActions) {
    const a = raw as unknown as ClusterAction;
    if (nsOf(a.at) >= untilNs) issues.push({ path: ['actions', i, 'at'], found: `${JSON.stringify(a.at)}, not before limits.until`, allowed: `a time before ${JSON.stringify(scenario.limits.until)}` });
    if (a.do === 'fail-host') {
      unknownHost(['actions', i, 'host'], a.host);
      continue;
    }
    if (unknownVm(['actions', i, 'vm'], a.vm)) continue;
    if (a.do === 'backup') {
      const method = a.method ?? (vsphere ? 'vcb' : 'host-vss');
      if (method === 'vcb' && !vsphere) issues.push({ path: ['actions', i, 'method'], found: `'vcb' on platform ${c.platform}`, allowed: "'host-vss' or 'in-guest' on Hyper-V (VCB is VMware's)" });
      if (method === 'host-vss' && vsphere) issues.push({ path: ['actions', i, 'method'], found: `'host-vss' on platform ${c.platform}`, allowed: "'vcb' or 'in-guest' on vSphere" });
      continue;
    }
    unknownHost(['actions', i, 'to'], a.to);
    const from = startHost(a.vm);
    const earlierMoves = clusterActions.filter(([b, j]) => j < i && (b as unknown as ClusterAction).do !== 'fail-host' && (b as { vm?: string }).vm === a.vm && 'to' in b);
    if (earlierMoves.length === 0 && from === a.to) issues.push({ path: ['actions', i, 'to'], found: `'${a.to}', the host ${a.vm} already runs on`, allowed: `another host: ${quoted(hostIds.filter((h) => h !== from))}` });
    const needs: Record<string, (p: ClusterPlatform) => boolean> = {
      'quick-migrate': (p) => p.startsWith('hyperv'),
      'live-migrate': (p) => p === 'hyperv-2008-r2' || p === 'hyperv-2012-r2',
      vmotion: (p) => p.startsWith('vsphere'),
    };
    if (!needs[a.do]!(c.platform)) {
      const allowed = a.do === 'live-migrate' ? 'platform hyperv-2008-r2 or hyperv-2012-r2 (live migration came with Windows Server 2008 R2, seed 004)' : a.do === 'vmotion' ? 'platform vsphere-4 or vsphere-5' : 'a Hyper-V platform (on vSphere use vmotion)';
      issues.push({ path: ['actions', i, 'do'], found: `'${a.do}' on platform ${c.platform}`, allowed });
    }
  }
  return issues;
}

export { toClusterConfig } from './cluster-build.js';
