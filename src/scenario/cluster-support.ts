/**
 * The support rule on Exchange clustering with hypervisor HA and migration
 * (seed 001; its change in Exchange 2010 SP1, seed 002 and the Microsoft
 * whitepaper quoted in row d.2), as ONE pure predicate over a validated
 * scenario: `exchangeClusteringFindings` says, for one VM, what in the
 * scenario breaks the rule. The policy's `exchange-clustering` rule
 * (`policy/exchange-rules.ts`, judged by `hvsim check`, exit 1 when broken)
 * is that predicate; `exchangeClusteringVerdict` sums it over the members of
 * the scenario's Exchange copy group for the cluster's own report.
 *
 * What it reads:
 * - the VM's Exchange clustering: its membership of `cluster.exchange`
 *   (kind and version from there), else its policy fields
 *   (`exchangeClustering`, `exchangeVersion`);
 * - clustered virtualization hosts: the `cluster` block (its HA, Windows
 *   failover cluster or VMware HA, restarts the VM after a host failure);
 * - the moves: `quick-migrate`, `live-migrate`, `vmotion` of the VM, its
 *   life-cycle `save`, and a host-side backup that saves its state (no
 *   backup integration service: Hyper-V's Saved State method, row e.2).
 * Before Exchange 2010 SP1 any of these (or the clustered hosts alone) is
 * unsupported; from 2010 SP1 only what saves and restores state on disk.
 */
import type { Finding } from './policy/rule.js';
import type { Scenario } from './schema.js';
import { isClusterAction } from './cluster-build.js';
import type { ClusterAction } from './schema-cluster.js';

export const EXCHANGE_CLUSTERING_RULE = {
  id: 'exchange-clustering-with-hypervisor-ha',
  source: 'seed 001; seed 002; Exchange 2010 SP1 virtualization whitepaper (row d.2, V)',
  quote2007:
    'Microsoft does not support combining Exchange clustering solutions (namely, cluster continuous replication (CCR) and single copy clusters (SCC)) with hypervisor-based availability or migration solutions (for example, Hyper-V\'s quick migration). Both CCR and SCC are supported in hardware virtualization environments provided that the virtualization environment does not employ clustered virtualization servers.',
  quote2010sp1:
    'Exchange server virtual machines, including Exchange Mailbox virtual machines that are part of a Database Availability Group (DAG), can be combined with host-based failover clustering and migration technology as long as the virtual machines are configured such that they will not save and restore state on disk when moved or taken offline. All failover activity must result in a cold start when the virtual machine is activated on the target node. All planned migration must either result in shut down and a cold start or an online migration that utilizes a technology such as Hyper-V live migration.',
} as const;

/** What the predicate needs of a scenario (a validated one has it all). */
export type ScenarioForSupport = Pick<Scenario, 'cluster' | 'actions'> & { vms: readonly Pick<Scenario['vms'][number], 'id' | 'exchangeClustering' | 'exchangeVersion' | 'integrationServices' | 'role'>[] };

/** Whether the VM runs an Exchange Server role (its `role` field names one). */
function hasExchangeRole(vm: Pick<Scenario['vms'][number], 'role'>): boolean {
  const roles: readonly string[] = vm.role === undefined ? [] : Array.isArray(vm.role) ? vm.role : [vm.role];
  return roles.some((r) => r.startsWith('exchange-'));
}

/** A VM's Exchange clustering: kind, version, and the field it comes from; null when it is in none. */
export function exchangeClusteringOf(scenario: ScenarioForSupport, vmId: string): { kind: 'ccr' | 'scc' | 'dag'; version: string; path: string } | null {
  const ex = scenario.cluster?.exchange;
  const member = ex?.members.indexOf(vmId) ?? -1;
  if (ex !== undefined && member >= 0) return { kind: ex.kind, version: ex.version, path: `cluster.exchange.members[${member}]` };
  const index = scenario.vms.findIndex((v) => v.id === vmId);
  const vm = scenario.vms[index];
  if (vm === undefined || vm.exchangeClustering === 'none') return null;
  return { kind: vm.exchangeClustering, version: vm.exchangeVersion ?? '2007-sp1', path: `vms[${index}].exchangeClustering` };
}

/** The VM's moves that the rule looks at, with their action index and whether each saves state on disk. */
function movesOf(scenario: ScenarioForSupport, vmId: string): { index: number; what: string; savesState: boolean }[] {
  const integration = scenario.vms.find((v) => v.id === vmId)?.integrationServices ?? true;
  const vsphere = scenario.cluster?.platform.startsWith('vsphere') ?? false;
  return scenario.actions.flatMap((raw, index): { index: number; what: string; savesState: boolean }[] => {
    const a = raw as { do: string; vm?: string; at: string | number };
    if (a.vm !== vmId) return [];
    const at = `action ${index} ('${a.do}' at ${String(a.at)})`;
    if (isClusterAction(a)) {
      const c = a as ClusterAction;
      if (c.do === 'quick-migrate') return [{ index, what: `${at} saves its state to disk, moves the LUN and restores it`, savesState: true }];
      if (c.do === 'live-migrate' || c.do === 'vmotion') return [{ index, what: `${at} migrates it online`, savesState: false }];
      if (c.do === 'backup' && (c.method ?? (vsphere ? 'vcb' : 'host-vss')) === 'host-vss' && !integration) {
        return [{ index, what: `${at} takes it offline by saving its state (no backup integration service: the Saved State method)`, savesState: true }];
      }
      return [];
    }
    return a.do === 'save' ? [{ index, what: `${at} saves its state to disk`, savesState: true }] : [];
  });
}

/**
 * The rule's predicate for one VM: what breaks it (empty when supported or
 * when the VM is in no Exchange clustering). Each finding names the field.
 */
export function exchangeClusteringFindings(scenario: ScenarioForSupport, vmId: string): Finding[] {
  const of = exchangeClusteringOf(scenario, vmId);
  if (of === null) {
    // The Exchange 2010 SP1 statement is about every Exchange server VM ("Exchange server virtual machines,
    // including Exchange Mailbox virtual machines that are part of a DAG", row d.2, V), not only copy-group
    // members: a stand-alone 2010 SP1 server that saves and restores its state on disk is unsupported too.
    const vm = scenario.vms.find((v) => v.id === vmId);
    if (vm?.exchangeVersion !== '2010-sp1' || !hasExchangeRole(vm)) return [];
    return movesOf(scenario, vmId)
      .filter((m) => m.savesState)
      .map((m) => ({ path: `actions[${m.index}].do`, found: `${m.what}: VM '${vmId}' is an Exchange 2010 SP1 server (Exchange 2010 SP1 allows only cold starts and online migration)` }));
  }
  const kind = of.kind.toUpperCase();
  const moves = movesOf(scenario, vmId);
  if (of.version === '2010-sp1') {
    // From 2010 SP1: live migration and cold restarts by HA are fine; saving and restoring state on disk is not.
    return moves.filter((m) => m.savesState).map((m) => ({ path: `actions[${m.index}].do`, found: `${m.what}: VM '${vmId}' is a ${kind} member (Exchange 2010 SP1 allows only cold starts and online migration)` }));
  }
  const c = scenario.cluster;
  const findings: Finding[] = moves.map((m) => ({ path: `actions[${m.index}].do`, found: `${m.what}, and VM '${vmId}' is an Exchange ${of.version} ${kind} member` }));
  if (c !== undefined) {
    const ha = c.ha ?? (c.platform.startsWith('vsphere') ? 'vmware-ha' : 'windows-failover-cluster');
    findings.push({
      path: 'cluster',
      found: `VM '${vmId}', an Exchange ${of.version} ${kind} member (${of.path}), runs on ${c.hosts.length} clustered virtualization hosts (${c.platform}, ${ha} restarts it after a host failure)${of.version === '2010' ? '; allowed only from Exchange 2010 SP1' : ''}`,
    });
  }
  return findings;
}

export interface ExchangeClusteringVerdict {
  verdict: 'supported' | 'unsupported' | 'not-applicable';
  /** Why, in words, naming what in the scenario decided it. */
  evidence: string;
  quote: string;
}

/** The rule's verdict on the scenario's Exchange copy group (`cluster.exchange`): the predicate over its members. */
export function exchangeClusteringVerdict(scenario: ScenarioForSupport): ExchangeClusteringVerdict {
  const ex = scenario.cluster?.exchange;
  if (ex === undefined) return { verdict: 'not-applicable', evidence: 'no Exchange copy group on clustered hosts', quote: '' };
  const quote = ex.version === '2010-sp1' ? EXCHANGE_CLUSTERING_RULE.quote2010sp1 : EXCHANGE_CLUSTERING_RULE.quote2007;
  const findings = ex.members.flatMap((m) => exchangeClusteringFindings(scenario, m));
  if (findings.length > 0) return { verdict: 'unsupported', evidence: findings.map((f) => f.found).join('; '), quote };
  const online = ex.members.flatMap((m) => movesOf(scenario, m).map((a) => (scenario.actions[a.index] as { do: string }).do));
  return { verdict: 'supported', evidence: `Exchange 2010 SP1 ${ex.kind.toUpperCase()} on clustered hosts, moved only online (${online.join(', ') || 'no moves'}) and restarted cold after failures`, quote };
}
