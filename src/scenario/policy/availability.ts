/**
 * What a scenario says about moving or restarting VMs: snapshot and
 * migration actions (matched by their `do` name, so actions added later,
 * such as `revert` or `live-migrate`, count without a change here) and
 * high availability from the scenario's `cluster` block.
 */
import type { Scenario } from '../schema.js';
import type { Finding, PolicyVm } from './rule.js';

/** Action names that take, apply, revert or delete a VM snapshot (Hyper-V's later name: checkpoint). */
export const SNAPSHOT_ACTION = /snapshot|checkpoint|revert/i;
/** Action names that move a VM to another host: quick or live migration, vMotion. */
export const MIGRATION_ACTION = /migrat|vmotion/i;

/** A scenario action with its index. */
export interface IndexedAction {
  readonly index: number;
  readonly do: string;
  readonly at: number | string;
}

/** The actions on `vm` whose name matches `pattern`. */
export function actionsOn(scenario: Scenario, vm: PolicyVm, pattern: RegExp): IndexedAction[] {
  return scenario.actions.flatMap((action, index) => ('vm' in action && action.vm === vm.vm.id && pattern.test(String(action.do)) ? [{ index, do: String(action.do), at: action.at }] : []));
}

/** A finding for an action: "action 3 (quick-migrate at 2s) on VM 'mail'". */
export function actionFinding(vm: PolicyVm, action: IndexedAction, what: string): Finding {
  return { path: `actions[${action.index}].do`, found: `action ${action.index} ('${action.do}' at ${String(action.at)}) ${what} VM '${vm.vm.id}'` };
}

/**
 * The high availability that covers `vm`: the scenario's `cluster` block
 * (every VM of the scenario runs on one of its hosts, and its HA, a Windows
 * failover cluster or VMware HA, restarts the VM after a host failure), as
 * a finding naming the field; none without a cluster.
 */
export function highAvailabilityOf(scenario: Scenario, vm: PolicyVm): Finding[] {
  const c = scenario.cluster;
  if (c === undefined) return [];
  const host = c.vms.find((v) => v.vm === vm.vm.id)?.host ?? c.ioHost ?? c.hosts[0]?.id ?? '';
  const ha = c.ha ?? (c.platform.startsWith('vsphere') ? 'vmware-ha' : 'windows-failover-cluster');
  return [{ path: 'cluster', found: `VM '${vm.vm.id}' runs on host ${host} of a ${c.hosts.length}-host ${c.platform} cluster (${ha} restarts it after a host failure)` }];
}
