/**
 * What a scenario says about moving or restarting VMs: snapshot and
 * migration actions (matched by their `do` name, so actions added later,
 * such as `revert` or `live-migrate`, count without a change here) and
 * high-availability or cluster settings. The cluster fields are not in the
 * schema of this branch yet, so they are read defensively by name from the
 * scenario as data (`CLUSTER_FIELDS`); the merge wires the real ones.
 */
import type { Scenario } from '../schema.js';
import type { Finding, PolicyVm } from './rule.js';

/** Action names that take, apply, revert or delete a VM snapshot (Hyper-V's later name: checkpoint). */
export const SNAPSHOT_ACTION = /snapshot|checkpoint|revert/i;
/** Action names that move a VM to another host: quick or live migration, vMotion. */
export const MIGRATION_ACTION = /migrat|vmotion/i;
/** Migrations that save the VM's state to disk and restore it: quick migration (seed 004). */
export const QUICK_MIGRATION_ACTION = /quick/i;
/** Actions that save a VM's state to disk (save, saved state). */
export const SAVE_STATE_ACTION = /(^|-)save/i;

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
 * Fields that make hosts clustered or VMs highly available, by where they
 * may appear: scenario level, host level and VM level. Anything there other
 * than false, null, 0, an empty list or `{ enabled: false }` counts.
 */
export const CLUSTER_FIELDS = {
  scenario: ['cluster', 'ha', 'highAvailability', 'failoverCluster'],
  host: ['cluster', 'clustered', 'ha', 'failoverCluster'],
  vm: ['ha', 'highAvailability', 'cluster'],
} as const;

function isOn(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '' || value === 'none') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return (value as { enabled?: unknown }).enabled !== false;
  return true;
}

/** The high-availability or cluster settings that cover `vm`, each as a finding naming its field. */
export function highAvailabilityOf(scenario: Scenario, vm: PolicyVm): Finding[] {
  const findings: Finding[] = [];
  const data = scenario as unknown as Record<string, unknown>;
  const host = (scenario.host ?? {}) as unknown as Record<string, unknown>;
  const vmData = vm.vm as unknown as Record<string, unknown>;
  for (const field of CLUSTER_FIELDS.scenario) if (isOn(data[field])) findings.push({ path: field, found: `the scenario clusters its hosts or makes VMs highly available (${field})` });
  for (const field of CLUSTER_FIELDS.host) if (isOn(host[field])) findings.push({ path: `host.${field}`, found: `the host is clustered (host.${field})` });
  for (const field of CLUSTER_FIELDS.vm) if (isOn(vmData[field])) findings.push({ path: `vms[${vm.index}].${field}`, found: `VM '${vm.vm.id}' is highly available (${field})` });
  return findings;
}
