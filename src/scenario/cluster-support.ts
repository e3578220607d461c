/**
 * The support rule on Exchange clustering with hypervisor HA and migration
 * (seed 001; its change in Exchange 2010 SP1, seed 002 and the Microsoft
 * whitepaper quoted in row d.2), as a pure predicate over a scenario's
 * cluster block and actions. `hvsim check` (branch policy, rules as data in
 * `src/scenario/policy/`) is meant to hold it as one rule whose predicate
 * calls `exchangeClusteringVerdict`; until then the function and its test
 * stand alone.
 */
import { isClusterAction, type ClusterAction, type ClusterScenario } from './schema-cluster.js';

export const EXCHANGE_CLUSTERING_RULE = {
  id: 'exchange-clustering-with-hypervisor-ha',
  source: 'seed 001; seed 002; Exchange 2010 SP1 virtualization whitepaper (row d.2, V)',
  quote2007:
    'Microsoft does not support combining Exchange clustering solutions (namely, cluster continuous replication (CCR) and single copy clusters (SCC)) with hypervisor-based availability or migration solutions (for example, Hyper-V\'s quick migration). Both CCR and SCC are supported in hardware virtualization environments provided that the virtualization environment does not employ clustered virtualization servers.',
  quote2010sp1:
    'Exchange server virtual machines, including Exchange Mailbox virtual machines that are part of a Database Availability Group (DAG), can be combined with host-based failover clustering and migration technology as long as the virtual machines are configured such that they will not save and restore state on disk when moved or taken offline. All failover activity must result in a cold start when the virtual machine is activated on the target node. All planned migration must either result in shut down and a cold start or an online migration that utilizes a technology such as Hyper-V live migration.',
} as const;

export interface ExchangeClusteringVerdict {
  verdict: 'supported' | 'unsupported' | 'not-applicable';
  /** Why, in words, naming what in the scenario decided it. */
  evidence: string;
  quote: string;
}

/** The rule's verdict on `scenario` (its cluster block and actions). */
export function exchangeClusteringVerdict(scenario: { cluster?: ClusterScenario | undefined; actions: readonly { do: string }[] }): ExchangeClusteringVerdict {
  const c = scenario.cluster;
  const ex = c?.exchange;
  if (c === undefined || ex === undefined) return { verdict: 'not-applicable', evidence: 'no Exchange copy group on clustered hosts', quote: '' };
  const moves = scenario.actions.filter((a) => isClusterAction(a)).map((a) => a as ClusterAction);
  const memberMoves = moves.filter((a) => a.do !== 'fail-host' && a.do !== 'backup' && ex.members.includes(a.vm));
  if (ex.version !== '2010-sp1') {
    return {
      verdict: 'unsupported',
      evidence: `Exchange ${ex.version} ${ex.kind.toUpperCase()} on ${c.hosts.length} clustered virtualization hosts (${c.platform}, ${c.ha ?? (c.platform.startsWith('vsphere') ? 'vmware-ha' : 'windows-failover-cluster')}): Exchange clustering is supported only when the hosts are not clustered${ex.version === '2010' ? ' (allowed from Exchange 2010 SP1)' : ''}`,
      quote: EXCHANGE_CLUSTERING_RULE.quote2007,
    };
  }
  const saving = memberMoves.filter((a) => a.do === 'quick-migrate');
  if (saving.length > 0) {
    return {
      verdict: 'unsupported',
      evidence: `quick migration of DAG member${saving.length > 1 ? 's' : ''} ${[...new Set(saving.map((a) => (a as { vm: string }).vm))].join(', ')} saves and restores state on disk; Exchange 2010 SP1 allows only cold starts and online (live) migration`,
      quote: EXCHANGE_CLUSTERING_RULE.quote2010sp1,
    };
  }
  return {
    verdict: 'supported',
    evidence: `Exchange 2010 SP1 DAG on clustered hosts, moved only online (${memberMoves.map((a) => a.do).join(', ') || 'no moves'}) and restarted cold after failures`,
    quote: EXCHANGE_CLUSTERING_RULE.quote2010sp1,
  };
}
