/**
 * A walk through one VM's life-cycle states for the property tests
 * (lifecycle-no-loss, cluster-no-loss): each pick chooses among the actions
 * its state accepts then, as the parser walks a scenario's actions, so a
 * generated sequence is always valid.
 */
import { factsAfter, transition, VM_ACTIONS, type LifecycleFacts, type SettledState, type VmAction } from '../../src/model/lifecycle/vm-states.js';

/** What a walk starts from and how it steps. */
export interface WalkSpec {
  startsOff: boolean;
  /** The guest's shutdown service needs integration services. */
  integrationServices: boolean;
  /** One pick per step, among the actions accepted then. */
  picks: readonly number[];
  /** When the first action is taken. */
  firstMs: number;
  /** The time from step `i` to the next. */
  gapMs: (i: number) => number;
  /** Actions the scenario cannot take whatever the state (e.g. a save with no host disk for its state file). */
  refuses?: (action: VmAction) => boolean;
}

/** The walk's actions for VM `id`, when the next would be taken, and the state it leaves the VM in. */
export function walkLifecycle(id: string, spec: WalkSpec): { actions: object[]; endMs: number; final: SettledState } {
  let state: SettledState = spec.startsOff ? 'Off' : 'Running';
  let facts: LifecycleFacts = { snapshots: 0, snapshotStates: [], shutdownService: spec.integrationServices, passthroughDisk: null };
  // A snapshot deleted while the VM runs merges at its next stop: no snapshot or revert before then.
  let pendingMerge = false;
  const actions: object[] = [];
  let at = spec.firstMs;
  spec.picks.forEach((pick, i) => {
    const options = VM_ACTIONS.filter((a) => transition(state, a, facts).ok && !(pendingMerge && (a === 'snapshot' || a === 'revert')) && !(spec.refuses?.(a) ?? false));
    if (options.length === 0) return;
    const action: VmAction = options[pick % options.length]!;
    const verdict = transition(state, action, facts);
    if (!verdict.ok) return;
    actions.push({ at: `${at}ms`, do: action, vm: id });
    if (action === 'delete-snapshot' && state !== 'Off') pendingMerge = true;
    facts = factsAfter(facts, action, state);
    state = verdict.settles;
    if (state === 'Off') pendingMerge = false;
    at += spec.gapMs(i);
  });
  return { actions, endMs: at, final: state };
}
