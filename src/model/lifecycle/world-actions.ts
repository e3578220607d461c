/**
 * Which of a world's actions belong to the VM life cycle, and which VMs it
 * manages: a VM gets a life cycle (and the control plane its places) only
 * when the scenario times an action of it or starts it off, so a scenario
 * that does neither runs exactly as before.
 */
import type { ActionConfig, VmConfig } from '../world-config.js';
import { VM_ACTIONS, type VmAction } from './vm-states.js';

/** Whether `action` is one of the life cycle's actions. */
export function isLifecycleAction(action: string): action is VmAction {
  return (VM_ACTIONS as readonly string[]).includes(action);
}

/**
 * Whether `vm` has a life cycle: it starts off, or an action of the life cycle names it (a `snapshot` of one
 * disk does not count), or it is in a cluster (`clustered`: the cluster saves and restores it through its life
 * cycle in a quick migration, and holds its I/O at its gates during a blackout or a host failure).
 */
export function tracksLifecycle(vm: Pick<VmConfig, 'id' | 'initialState'>, actions: readonly ActionConfig[], clustered = false): boolean {
  if (vm.initialState === 'off' || clustered) return true;
  return actions.some((a) => a.vm === vm.id && isLifecycleAction(a.do) && !(a.do === 'snapshot' && a.disk !== undefined));
}
