/**
 * Checks a scenario's VM life-cycle actions before it runs (issue 14 item
 * 1): for each VM, its actions in time order walk Hyper-V's state machine
 * (`model/lifecycle/vm-states.ts`, the same `transition` the run uses) from
 * its initial state, each landing where it settles; an action its state
 * refuses, as Hyper-V refuses it, is an error naming the action's index,
 * the state and what the state accepts. A snapshot of a VM with a
 * pass-through disk names the disk (seed 004: "snapshots can't be used with
 * pass-through disks"). An action that arrives while an earlier one is
 * still under way (a save that takes longer than the gap) cannot be known
 * here: the run refuses it and records `vm.action.refused`.
 */
import { isClusterAction } from './cluster-build.js';
import type { ClusterAction } from './schema-cluster.js';
import { isLifecycleAction } from '../model/lifecycle/world-actions.js';
import { ACCEPTED_FROM, factsAfter, transition, VM_ACTIONS, type LifecycleFacts, type SettledState } from '../model/lifecycle/vm-states.js';
import type { ReferenceIssue } from './references.js';
import type { Scenario } from './schema.js';
import { durationNs } from './units.js';

/** The first disk of `vm` Hyper-V cannot snapshot: pass-through, or an iSCSI LUN the root passes through. */
export function passthroughDiskOf(vm: Scenario['vms'][number]): string | null {
  const disk = vm.disks.find((d) => d.backend.kind === 'passthrough' || (d.backend.kind === 'iscsi' && d.backend.attach === 'root'));
  return disk?.id ?? null;
}

/** The scenario's actions on this host's VMs (the cluster's migrations, failures and backups are checked in `schema-cluster.ts`). */
function hostActions(scenario: Scenario): Exclude<Scenario['actions'][number], ClusterAction>[] {
  return scenario.actions.filter((a): a is Exclude<Scenario['actions'][number], ClusterAction> => !isClusterAction(a));
}

/** Adds the problems of the scenario's life-cycle actions to `issues`. */
export function checkLifecycleActions(scenario: Scenario, issues: ReferenceIssue[]): void {
  const at = (value: number | string): number => {
    const converted = durationNs(value);
    return converted.ok ? converted.value : 0;
  };
  const order = hostActions(scenario).map((action, index) => ({ action, index, atNs: at(action.at) })).sort((a, b) => a.atNs - b.atNs || a.index - b.index);
  for (const vm of scenario.vms) {
    let state: SettledState = vm.initialState === 'off' ? 'Off' : 'Running';
    let facts: LifecycleFacts = { snapshots: 0, snapshotStates: [], shutdownService: vm.integrationServices, passthroughDisk: passthroughDiskOf(vm) };
    let pendingMerge = false;
    let previous = '';
    for (const { action, index } of order) {
      if (action.vm !== vm.id) continue;
      if (action.do === 'load-integration-services') {
        if (vm.os !== 'legacy') facts = { ...facts, shutdownService: true };
        continue;
      }
      if (!isLifecycleAction(action.do) || (action.do === 'snapshot' && action.disk !== undefined)) continue;
      if (action.disk !== undefined) {
        issues.push({ path: ['actions', index, 'disk'], found: JSON.stringify(action.disk), allowed: `no disk: ${action.do} applies to the whole VM (only snapshot takes a disk, for a differencing link on that one VHD)` });
      }
      if (vm.native) {
        issues.push({ path: ['actions', index, 'do'], found: `"${action.do}" on VM '${vm.id}', a native host`, allowed: 'a VM under Hyper-V: a native host (no hypervisor) has no VM states' });
        break;
      }
      const then = previous === '' ? `${state} when the run begins` : `${state} then (after ${previous})`;
      // A save or a snapshot writes the VM's state files beside its VHDs, else on a host disk (world.ts).
      if ((action.do === 'save' || action.do === 'snapshot') && !vm.disks.some((d) => d.backend.kind !== 'iscsi') && (scenario.host?.disks ?? []).length === 0) {
        issues.push({
          path: ['actions', index, 'do'],
          found: `"${action.do}" on VM '${vm.id}', which has no disk on this host and the host has none`,
          allowed: `a host disk to keep its state files on: give the host a disk (host.disks) or the VM a disk backed by one`,
        });
        continue;
      }
      if (action.do === 'snapshot' && facts.passthroughDisk !== null) {
        issues.push({
          path: ['actions', index, 'do'],
          found: `"snapshot" of VM '${vm.id}', whose disk '${facts.passthroughDisk}' is a pass-through disk`,
          allowed: `a VM whose disks are all VHDs: snapshots can't be used with pass-through disks (seed 004); give disk '${facts.passthroughDisk}' a VHD or take the snapshot out`,
        });
        continue;
      }
      if ((action.do === 'snapshot' || action.do === 'revert') && pendingMerge) {
        issues.push({ path: ['actions', index, 'do'], found: `"${action.do}" on VM '${vm.id}' while a deleted snapshot waits to merge (the VM has not been off since)`, allowed: 'turn the VM off (shutdown or turn-off) first: the merge runs while it is off' });
        continue;
      }
      const verdict = transition(state, action.do, facts);
      if (!verdict.ok) {
        // What this VM would accept here, facts included (no shutdown without its integration service, no revert or delete without a snapshot).
        const here = VM_ACTIONS.filter((a) => transition(state, a, facts).ok);
        const reason = verdict.why.startsWith(action.do) ? `${action.do} is accepted from ${ACCEPTED_FROM[action.do].join(', ')}` : verdict.why;
        issues.push({
          path: ['actions', index, 'do'],
          found: `"${action.do}" on VM '${vm.id}', which is ${then}`,
          allowed: `an action ${state === 'Off' ? 'an' : 'a'} ${state} VM accepts: ${here.join(', ')} (Hyper-V refuses this one with 4097, Invalid State Transition: ${reason})`,
        });
        continue;
      }
      if (action.do === 'delete-snapshot' && state !== 'Off') pendingMerge = true;
      facts = factsAfter(facts, action.do, state);
      state = verdict.settles;
      if (state === 'Off') pendingMerge = false;
      previous = `actions[${index}], ${action.do}`;
    }
  }
}

/** GiB the VM's saved state and snapshot files need on its host disk (memory per save file and per snapshot, plus configuration copies). */
export function lifecycleFilesGiB(scenario: Scenario, vm: Scenario['vms'][number]): number {
  const mine = hostActions(scenario).filter((a) => a.vm === vm.id && (a.do === 'save' || (a.do === 'snapshot' && a.disk === undefined)));
  if (mine.length === 0) return 0;
  const memoryGiB = vm.memoryMiB / 1024;
  const saves = mine.some((a) => a.do === 'save') ? 1 : 0;
  const snapshots = mine.filter((a) => a.do === 'snapshot').length;
  return memoryGiB * (saves + snapshots) + (snapshots + 1) * (64 / 1_048_576);
}
