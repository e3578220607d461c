/**
 * A scenario's cluster block to the model's `ClusterConfig`, without zod:
 * building a validated scenario (on a worker thread of `hvsim sweep`, say)
 * needs none of the schema. The schema and the checks across fields are in
 * `schema-cluster.ts`, which re-exports these.
 */
import { clusterDefault } from '../model/cluster/cluster-costs.js';
import type { ClusterActionConfig, ClusterConfig } from '../model/cluster/cluster-config.js';
import { linkBytesPerS } from '../model/cluster/cluster.js';
import type { ClusterAction, ScenarioForCluster } from './schema-cluster.js';
import { canonicalInteger, durationNs } from './units.js';

export const CLUSTER_ACTIONS = ['quick-migrate', 'live-migrate', 'vmotion', 'fail-host', 'backup'] as const;

/** Whether a scenario action belongs to the cluster (the I/O model ignores it). */
export function isClusterAction(action: { do: string }): action is ClusterAction {
  return (CLUSTER_ACTIONS as readonly string[]).includes(action.do);
}

const nsOf = (value: string | number): number => {
  const converted = durationNs(value);
  return converted.ok ? canonicalInteger(converted.value) : 0;
};

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** The model's cluster configuration, or undefined for a single host. */
export function toClusterConfig(scenario: ScenarioForCluster): ClusterConfig | undefined {
  const c = scenario.cluster;
  if (c === undefined) return undefined;
  const vsphere = c.platform.startsWith('vsphere');
  const hosts = c.hosts.map((h) => h.id);
  const ioHost = c.ioHost ?? hosts[0]!;
  const ha = c.ha ?? (vsphere ? 'vmware-ha' : 'windows-failover-cluster');
  const gbps = c.migrationNetwork.gbps;
  const efficiency = c.migrationNetwork.efficiency ?? (gbps <= 1 ? clusterDefault('lm_efficiency_1g') : clusterDefault('lm_efficiency_10g'));
  const opt = (value: string | number | undefined, fallback: number): number => (value === undefined ? fallback : nsOf(value));
  const exchangeMembers = c.exchange?.members ?? [];
  const priority = { low: 0, medium: 1, high: 2 } as const;
  return {
    platform: c.platform,
    hosts,
    ioHost,
    vms: scenario.vms.map((vm) => {
      const placed = c.vms.find((v) => v.vm === vm.id);
      const memoryBytes = vm.memoryMiB * MIB;
      const exchange = exchangeMembers.includes(vm.id);
      return {
        id: vm.id,
        host: placed?.host ?? ioHost,
        memoryBytes,
        dirtyBytesPerS: typeof placed?.dirtyRateMBps === 'number' ? Math.round(placed.dirtyRateMBps * 1e6) : 0,
        dirtyFromWorkloads: placed?.dirtyRateMBps === 'workloads',
        workingSetBytes: placed?.workingSetMiB !== undefined ? placed.workingSetMiB * MIB : Math.floor(memoryBytes * clusterDefault('working_set_share')),
        bootNs: opt(placed?.boot, clusterDefault('guest_boot')),
        serviceStartNs: opt(placed?.serviceStart, exchange ? clusterDefault('exchange_services') : 0),
        backupIntegration: vm.integrationServices,
        restartPriority: priority[placed?.restartPriority ?? 'medium'],
        diskKinds: vm.disks.map((d) => d.backend.kind),
        dataBytes: Math.round((placed?.dataGiB ?? 4) * GIB),
        // E: logs since the last backup, 5 % of the data unless the scenario says (row e.2 gives no size).
        logBytes: Math.round((placed?.logGiB ?? (placed?.dataGiB ?? 4) * 0.05) * GIB),
        rdm: placed?.rdm ?? 'none',
        rdmBytes: Math.round((placed?.rdmGiB ?? 0) * GIB),
      };
    }),
    storage: {
      kind: storageKindOf(c),
      coordinator: c.storage.coordinator ?? hosts[0]!,
      writeBytesPerS: (c.storage.writeMBps ?? clusterDefault('qm_write_rate') / 1e6) * 1e6,
      readBytesPerS: (c.storage.readMBps ?? clusterDefault('qm_read_rate') / 1e6) * 1e6,
      lunMoveNs: opt(c.storage.lunMove, clusterDefault('lun_move')),
    },
    network: {
      gbps,
      efficiency,
      bytesPerS: linkBytesPerS(gbps, efficiency),
      linkBytesPerS: linkBytesPerS(gbps, clusterDefault('lm_link_share_max')),
      simultaneous: c.migrationNetwork.simultaneous ?? (c.platform === 'hyperv-2012-r2' ? clusterDefault('lm_simultaneous_2012r2') : 1),
      setupNs: opt(c.migrationNetwork.setup, clusterDefault('lm_setup')),
      switchoverNs: opt(c.migrationNetwork.switchover, clusterDefault('lm_switchover')),
      stopWindowNs: clusterDefault('lm_stop_window'),
    },
    heartbeat: {
      intervalNs: opt(c.heartbeat.interval, ha === 'vmware-ha' ? clusterDefault('vmha_heartbeat') : clusterDefault('wsfc_heartbeat')),
      threshold: c.heartbeat.threshold ?? (ha === 'vmware-ha' ? clusterDefault('vmha_threshold') : clusterDefault('wsfc_threshold')),
    },
    ha: { kind: ha, placementNs: clusterDefault('ha_placement') },
    tcpTimeoutNs: nsOf(c.tcpTimeout),
    exchange:
      c.exchange === undefined
        ? null
        : {
            kind: c.exchange.kind,
            version: c.exchange.version,
            members: c.exchange.members,
            threshold: c.exchange.threshold ?? (ha !== 'vmware-ha' ? c.heartbeat.threshold : undefined) ?? clusterDefault('wsfc_threshold'),
            failoverNs: opt(c.exchange.failover, clusterDefault('dag_failover')),
          },
    clients: c.clients.map((client) => ({ id: client.id, vm: client.vm ?? null, intervalNs: nsOf(client.interval) })),
    actions: scenario.actions.filter((a) => isClusterAction(a as { do: string })).map((raw): ClusterActionConfig => {
      const a = raw as unknown as ClusterAction;
      const atNs = nsOf(a.at);
      if (a.do === 'fail-host') return { do: 'fail-host', atNs, host: a.host };
      if (a.do === 'backup') return { do: 'backup', atNs, vm: a.vm, method: a.method ?? (vsphere ? 'vcb' : 'host-vss'), type: a.type };
      return { do: a.do, atNs, vm: a.vm, to: a.to, maxPasses: 'maxPasses' in a ? (a.maxPasses ?? null) : null, gbps: 'gbps' in a ? (a.gbps ?? null) : null };
    }),
  };
}

/** The cluster's shared storage: as the scenario says, else by platform (Windows Server 2008 has no Cluster Shared Volumes: one LUN per VM). */
export function storageKindOf(c: { platform: string; storage: { kind?: 'csv' | 'lun-per-vm' } }): 'csv' | 'lun-per-vm' {
  return c.storage.kind ?? (c.platform === 'hyperv-2008' ? 'lun-per-vm' : 'csv');
}
