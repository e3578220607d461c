/**
 * A VM's states as Hyper-V reports them, and which management actions each
 * state accepts: a pure `transition(state, action)` (in the manner of
 * xstate's `transition`), shared by the run (`vm-lifecycle.ts`) and by
 * validation of a scenario's action list (`src/scenario/lifecycle-references.ts`).
 *
 * The numbers are WMI `Msvm_ComputerSystem.EnabledState` values
 * (vm-lifecycle-and-availability.md row h.2, V: RequestStateChange v1 and
 * GetVirtualDesktopState docs): Running 2, Off 3, Paused 32768, Saved 32769,
 * Starting 32770, Snapshotting 32771 (R), Saving 32773, Stopping 32774,
 * Pausing 32776, Resuming 32777. Hyper-V Manager shows a restore as
 * "Restoring"; WMI v1 has no value of its own for it, so it reports
 * Starting's 32770 here (E). An action the state does not accept is refused
 * as RequestStateChange refuses it: return code 4097, "Invalid State
 * Transition" (row h.2, V: the CIM return codes).
 */

/** Snapshots one VM may have (row b.2: "50 snapshots per VM", V). */
export const MAX_SNAPSHOTS = 50;

/** Hyper-V's VM states. Settled states (Off, Running, Paused, Saved) last; the others are on the way between two. */
export const VM_STATES = ['Off', 'Starting', 'Running', 'Pausing', 'Paused', 'Resuming', 'Saving', 'Saved', 'Restoring', 'Stopping', 'Snapshotting'] as const;
export type VmState = (typeof VM_STATES)[number];

/** The states a VM rests in between actions. */
export type SettledState = 'Off' | 'Running' | 'Paused' | 'Saved';

/** WMI EnabledState of each state (row h.2). */
export const WMI_ENABLED_STATE: Readonly<Record<VmState, number>> = {
  Running: 2,
  Off: 3,
  Paused: 32768,
  Saved: 32769,
  Starting: 32770,
  Restoring: 32770,
  Snapshotting: 32771,
  Saving: 32773,
  Stopping: 32774,
  Pausing: 32776,
  Resuming: 32777,
};

/** RequestStateChange's return code for a transition the state refuses (row h.2, V). */
export const WMI_INVALID_STATE_TRANSITION = 4097;

/** The management actions a scenario can time (issue 14 item 1). */
export const VM_ACTIONS = ['start', 'save', 'restore', 'pause', 'resume', 'shutdown', 'turn-off', 'snapshot', 'revert', 'delete-snapshot'] as const;
export type VmAction = (typeof VM_ACTIONS)[number];

/** What the VM knows besides its state that decides whether an action is accepted. */
export interface LifecycleFacts {
  /** Snapshots the VM has (taken and not deleted). */
  snapshots: number;
  /** The state each of those snapshots was taken in, oldest first (revert applies the last one). */
  snapshotStates: readonly SettledState[];
  /** The guest runs the shutdown integration service (integration services loaded). */
  shutdownService: boolean;
  /** A pass-through disk, if the VM has one: Hyper-V cannot snapshot it (seed 004). */
  passthroughDisk: string | null;
}

/** The way an accepted action goes: the state while it runs, and where it settles. */
export interface Accepted {
  ok: true;
  /** The transitional state while the action runs (or the same settled state, for delete-snapshot). */
  during: VmState;
  /** The state once it is done. */
  settles: SettledState;
}

/** A refused action: WMI's code and why, in words. */
export interface Refused {
  ok: false;
  code: number;
  why: string;
}

/** Which settled states accept each action (for messages). */
export const ACCEPTED_FROM: Readonly<Record<VmAction, readonly SettledState[]>> = {
  start: ['Off', 'Saved'],
  save: ['Running', 'Paused'],
  restore: ['Saved'],
  pause: ['Running'],
  resume: ['Paused'],
  shutdown: ['Running'],
  'turn-off': ['Running', 'Paused'],
  snapshot: ['Off', 'Running', 'Saved'],
  revert: ['Off', 'Running', 'Paused', 'Saved'],
  'delete-snapshot': ['Off', 'Running', 'Paused', 'Saved'],
};

const settled = (state: VmState): state is SettledState => state === 'Off' || state === 'Running' || state === 'Paused' || state === 'Saved';

/**
 * Whether `state` accepts `action`, and if so the state it passes through
 * and the one it settles in. A VM in a transitional state accepts nothing
 * (Hyper-V refuses a state change while one is under way).
 */
export function transition(state: VmState, action: VmAction, facts: LifecycleFacts): Accepted | Refused {
  const refuse = (why: string): Refused => ({ ok: false, code: WMI_INVALID_STATE_TRANSITION, why });
  if (!settled(state)) return refuse(`the VM is ${state}: another state change is under way`);
  if (!ACCEPTED_FROM[action].includes(state)) {
    const extra = action === 'snapshot' && state === 'Paused' ? ' (Hyper-V: "The virtual machine cannot be in a paused state")' : '';
    return refuse(`${action} is not accepted while the VM is ${state}${extra}; it is accepted from ${ACCEPTED_FROM[action].join(', ')}`);
  }
  switch (action) {
    case 'start':
      // Start on a saved VM restores it (Hyper-V Manager's Start does).
      return { ok: true, during: state === 'Saved' ? 'Restoring' : 'Starting', settles: 'Running' };
    case 'save':
      return { ok: true, during: 'Saving', settles: 'Saved' };
    case 'restore':
      return { ok: true, during: 'Restoring', settles: 'Running' };
    case 'pause':
      return { ok: true, during: 'Pausing', settles: 'Paused' };
    case 'resume':
      return { ok: true, during: 'Resuming', settles: 'Running' };
    case 'shutdown':
      if (!facts.shutdownService) return refuse('the guest has no shutdown integration service (integration services are not loaded): use turn-off');
      return { ok: true, during: 'Stopping', settles: 'Off' };
    case 'turn-off':
      return { ok: true, during: 'Stopping', settles: 'Off' };
    case 'snapshot':
      if (facts.passthroughDisk !== null) return refuse(`disk '${facts.passthroughDisk}' is a pass-through disk: snapshots can't be used with pass-through disks (seed 004)`);
      if (facts.snapshots >= MAX_SNAPSHOTS) return refuse(`the VM has ${MAX_SNAPSHOTS} snapshots, the most Hyper-V keeps per VM: delete one first`);
      return { ok: true, during: 'Snapshotting', settles: state };
    case 'revert': {
      const last = facts.snapshotStates[facts.snapshotStates.length - 1];
      if (facts.snapshots === 0 || last === undefined) return refuse('the VM has no snapshot to revert to');
      // Applying a snapshot turns the VM off and leaves it as the snapshot was: saved if it was running (row b.2).
      return { ok: true, during: state === 'Running' || state === 'Paused' ? 'Stopping' : state, settles: last === 'Off' ? 'Off' : 'Saved' };
    }
    case 'delete-snapshot':
      if (facts.snapshots === 0) return refuse('the VM has no snapshot to delete');
      return { ok: true, during: state, settles: state };
  }
}

/** The facts after `action` settles (snapshots taken, reverted to, deleted). */
export function factsAfter(facts: LifecycleFacts, action: VmAction, from: SettledState): LifecycleFacts {
  if (action === 'snapshot') return { ...facts, snapshots: facts.snapshots + 1, snapshotStates: [...facts.snapshotStates, from === 'Paused' ? 'Running' : from] };
  if (action === 'delete-snapshot') return { ...facts, snapshots: facts.snapshots - 1, snapshotStates: facts.snapshotStates.slice(0, -1) };
  return facts;
}

// The trace catalog spells the same names (trace-events.ts); each side must cover the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const STATES_MATCH: Same<VmState, import('../trace-events.js').VmStateName> = true;
const ACTIONS_MATCH: Same<VmAction, import('../trace-events.js').VmActionName> = true;
void STATES_MATCH;
void ACTIONS_MATCH;
