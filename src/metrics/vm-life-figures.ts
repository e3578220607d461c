/**
 * Figures of the VM life cycle (part `vms`), folded from the records as
 * they are emitted (model/lifecycle/): per VM, its final state (and WMI
 * code), time in each state, the actions requested and refused, worker
 * processes created, the last save and restore (duration and bytes), each
 * snapshot (how long it took, how long the guest was paused, the memory it
 * wrote), reverts (the bytes the model discarded beside the bytes the
 * guest wrote after the snapshot, counted here from the requests), merges
 * and the requests held while the VM was not running. Names carry their
 * unit: …Ns nanoseconds, …Bytes bytes.
 *
 * `bytesWrittenAfterSnapshot` is counted independently of the model's
 * discard: a write counts once it has passed its VM's issue gate after the
 * snapshot stopped the processors (its issue record, or its release if it
 * was held at issue) and before the revert, on a disk the snapshot covered.
 */
import type { HvRecord, KindFields, RecordEnvelope, VmActionName, VmStateName } from '../model/trace-events.js';
import { RecordHead } from './record-head.js';
import type { FigureFolder, FigureFolderKind, FigureTree } from './run-figures.js';

interface SnapshotFigures {
  number: number;
  takeNs: number;
  pausedNs: number;
  memoryBytes: number;
  disks: number;
}

interface RevertFigures {
  snapshot: number;
  discardedBytes: number;
  writtenAfterSnapshotBytes: number;
}

/** An action VMMS refused (WMI 4097) while the run went on: which, when, in what state, and why. */
interface RefusalFigures {
  action: VmActionName;
  /** Its place in the scenario's actions, or -1 for one another part of the model asked for. */
  index: number;
  atNs: number;
  state: VmStateName;
  code: number;
  why: string;
}

interface VmFigures {
  state: VmStateName;
  stateCode: number;
  since: number;
  timeInStateNs: Partial<Record<VmStateName, number>>;
  actions: number;
  refusedActions: number;
  refusals: RefusalFigures[];
  workerProcessesCreated: number;
  saves: number;
  saveNs: number | null;
  savedBytes: number;
  restores: number;
  restoreNs: number | null;
  restoredBytes: number;
  startNs: number | null;
  snapshots: SnapshotFigures[];
  reverts: RevertFigures[];
  merges: number;
  mergeNs: number;
  mergedBytes: number;
  mergesCancelled: number;
  heldRequests: number;
  heldMaxNs: number;
  /** Bytes written per disk since the boundary of the last snapshot (null: no snapshot yet). */
  afterSnapshot: Map<string, number> | null;
}

/** What an action's flow is doing, while it runs. */
interface ActionFlow {
  vm: string;
  action: VmActionName;
  fromState: VmStateName;
  /** Bytes of memory the action wrote or read. */
  bytes: number;
}

export class VmLifeFolder implements FigureFolder {
  readonly part = 'vms';
  readonly enabled = true;
  private readonly vms = new Map<string, VmFigures>();
  private readonly flows = new Map<number, ActionFlow>();
  /** Writes issued whose next record has not been seen (held at issue, or admitted). */
  private readonly issuedWrites = new Map<number, { vm: string; disk: string; bytes: number }>();
  /** Writes held at their issue gate. */
  private readonly heldWrites = new Map<number, { vm: string; disk: string; bytes: number }>();
  private lastT = 0;

  /** The VM's figures, made at its first record: it has been in `state` (the one that record leaves, or Running) since the run began, not since that record. */
  private vm(id: string, state: VmStateName = 'Running'): VmFigures {
    let v = this.vms.get(id);
    if (v === undefined) {
      v = {
        state,
        stateCode: 2,
        since: 0,
        timeInStateNs: {},
        actions: 0,
        refusedActions: 0,
        refusals: [],
        workerProcessesCreated: 0,
        saves: 0,
        saveNs: null,
        savedBytes: 0,
        restores: 0,
        restoreNs: null,
        restoredBytes: 0,
        startNs: null,
        snapshots: [],
        reverts: [],
        merges: 0,
        mergeNs: 0,
        mergedBytes: 0,
        mergesCancelled: 0,
        heldRequests: 0,
        heldMaxNs: 0,
        afterSnapshot: null,
      };
      this.vms.set(id, v);
    }
    return v;
  }

  private admitted(w: { vm: string; disk: string; bytes: number }): void {
    const after = this.vms.get(w.vm)?.afterSnapshot;
    if (after !== null && after !== undefined) after.set(w.disk, (after.get(w.disk) ?? 0) + w.bytes);
  }

  private readonly head = new RecordHead();

  write(r: HvRecord): void {
    this.writeRead(r, this.head.read(r));
  }

  /** `write`, with the record's envelope already read into `h` (`RecordEnvelope`) and `own`, its kind's own fields (the whole record serves as well). */
  writeRead(own: object, h: RecordEnvelope): void {
    this.lastT = h.t;
    if (this.issuedWrites.size !== 0 && h.flow >= 0 && h.kind !== 'io.request.issued') {
      const pending = this.issuedWrites.get(h.flow);
      if (pending !== undefined) {
        this.issuedWrites.delete(h.flow);
        if (h.kind === 'vm.io.held' && (own as KindFields['vm.io.held']).at === 'issue') this.heldWrites.set(h.flow, pending);
        else this.admitted(pending);
      }
    }
    // By the envelope's kind (one layout); each case reads its kind's own fields from `own`, the envelope's from `h`.
    switch (h.kind) {
      case 'io.request.issued': {
        const r = own as KindFields['io.request.issued'];
        if (r.op === 'write' && this.vms.has(r.vm)) this.issuedWrites.set(h.flow, { vm: r.vm, disk: r.disk, bytes: r.bytes });
        break;
      }
      case 'vm.io.held': {
        const r = own as KindFields['vm.io.held'];
        this.vm(r.vm).heldRequests++;
        break;
      }
      case 'vm.io.released': {
        const r = own as KindFields['vm.io.released'];
        const v = this.vm(r.vm);
        v.heldMaxNs = Math.max(v.heldMaxNs, r.heldNs);
        const held = this.heldWrites.get(h.flow);
        if (held !== undefined) {
          this.heldWrites.delete(h.flow);
          this.admitted(held);
        }
        break;
      }
      case 'vm.action.requested': {
        const r = own as KindFields['vm.action.requested'];
        this.vm(r.vm, r.state).actions++;
        this.flows.set(h.flow, { vm: r.vm, action: r.action, fromState: r.state, bytes: 0 });
        break;
      }
      case 'vm.action.refused': {
        const r = own as KindFields['vm.action.refused'];
        const v = this.vm(r.vm);
        v.refusedActions++;
        v.refusals.push({ action: r.action, index: r.index, atNs: h.t, state: r.state, code: r.code, why: r.why });
        this.flows.delete(h.flow);
        break;
      }
      case 'vmms.job.started': {
        const r = own as KindFields['vmms.job.started'];
        const f = this.flows.get(h.flow);
        // A snapshot of a VM that is not running: nothing is admitted meanwhile, so its boundary is now.
        if (f?.action === 'snapshot' && f.fromState !== 'Running') this.vm(r.vm).afterSnapshot = new Map();
        break;
      }
      case 'vm.processors.stopped': {
        const r = own as KindFields['vm.processors.stopped'];
        const f = this.flows.get(h.flow);
        if (f?.action === 'snapshot') this.vm(r.vm).afterSnapshot = new Map();
        break;
      }
      case 'vm.state.changed': {
        const r = own as KindFields['vm.state.changed'];
        const v = this.vm(r.vm, r.from);
        v.timeInStateNs[v.state] = (v.timeInStateNs[v.state] ?? 0) + (h.t - v.since);
        v.state = r.to;
        v.stateCode = r.code;
        v.since = h.t;
        break;
      }
      case 'vmwp.process.created': {
        const r = own as KindFields['vmwp.process.created'];
        this.vm(r.vm).workerProcessesCreated++;
        break;
      }
      case 'vm.memory.saved':
      case 'vm.memory.restored': {
        const r = own as KindFields['vm.memory.saved' | 'vm.memory.restored'];
        const f = this.flows.get(h.flow);
        if (f !== undefined && (f.action === 'save' || f.action === 'restore' || f.action === 'start')) f.bytes += r.bytes;
        break;
      }
      case 'vm.snapshot.taken': {
        const r = own as KindFields['vm.snapshot.taken'];
        this.vm(r.vm).snapshots.push({ number: r.snapshot, takeNs: 0, pausedNs: r.pausedNs, memoryBytes: r.memoryBytes, disks: r.disks.length });
        break;
      }
      case 'vm.snapshot.reverted': {
        const r = own as KindFields['vm.snapshot.reverted'];
        const v = this.vm(r.vm);
        const written = r.disks.reduce((sum, d) => sum + (v.afterSnapshot?.get(d) ?? 0), 0);
        v.reverts.push({ snapshot: r.snapshot, discardedBytes: r.bytesDiscarded, writtenAfterSnapshotBytes: written });
        // Writes from now on go to a new differencing disk over the same snapshot: a next revert discards them.
        v.afterSnapshot = new Map();
        break;
      }
      case 'vhd.merge.completed': {
        const r = own as KindFields['vhd.merge.completed'];
        const v = this.vm(r.vm);
        v.merges++;
        v.mergeNs += r.durationNs;
        v.mergedBytes += r.bytes;
        break;
      }
      case 'vhd.merge.cancelled': {
        const r = own as KindFields['vhd.merge.cancelled'];
        this.vm(r.vm).mergesCancelled++;
        break;
      }
      case 'vm.action.completed': {
        const r = own as KindFields['vm.action.completed'];
        const f = this.flows.get(h.flow);
        this.flows.delete(h.flow);
        const v = this.vm(r.vm);
        // Cut short by its host's failure: no save, restore or start to count (the VM never settled).
        if (f === undefined || r.cutShort !== undefined) break;
        if (f.action === 'save') {
          v.saves++;
          v.saveNs = r.durationNs;
          v.savedBytes = f.bytes;
        } else if (f.action === 'restore' || (f.action === 'start' && f.fromState === 'Saved')) {
          v.restores++;
          v.restoreNs = r.durationNs;
          v.restoredBytes = f.bytes;
        } else if (f.action === 'start') {
          v.startNs = r.durationNs;
        } else if (f.action === 'snapshot') {
          const last = v.snapshots[v.snapshots.length - 1];
          if (last !== undefined) last.takeNs = r.durationNs;
        }
        break;
      }
      default:
        break;
    }
  }

  result(): FigureTree | undefined {
    if (this.vms.size === 0) return undefined;
    const tree: Record<string, FigureTree> = {};
    for (const [id, v] of [...this.vms.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      // Per state, named with the unit last (timeInState.SavedNs) so the name says it is a time.
      const timeInState: Record<string, number> = {};
      for (const [state, ns] of Object.entries(v.timeInStateNs)) timeInState[`${state}Ns`] = ns;
      timeInState[`${v.state}Ns`] = (timeInState[`${v.state}Ns`] ?? 0) + (this.lastT - v.since);
      const lastRevert = v.reverts[v.reverts.length - 1];
      const currentAfter = v.afterSnapshot === null ? null : [...v.afterSnapshot.values()].reduce((a, b) => a + b, 0);
      tree[id] = {
        state: v.state,
        stateCode: v.stateCode,
        timeInState,
        actions: v.actions,
        refusedActions: v.refusedActions,
        refusals: v.refusals.map((r) => ({ ...r })),
        workerProcessesCreated: v.workerProcessesCreated,
        saves: v.saves,
        saveNs: v.saveNs,
        savedBytes: v.savedBytes,
        restores: v.restores,
        restoreNs: v.restoreNs,
        restoredBytes: v.restoredBytes,
        startNs: v.startNs,
        snapshots: v.snapshots.map((s) => ({ ...s })),
        reverts: v.reverts.map((r) => ({ ...r })),
        // The last revert's pair, for claims; before any revert, the writes since the last snapshot so far.
        revertDiscardedBytes: lastRevert?.discardedBytes ?? null,
        writtenAfterSnapshotBytes: lastRevert?.writtenAfterSnapshotBytes ?? currentAfter,
        // The same two under the names issue 14 gives them as examples.
        revertBytesDiscarded: lastRevert?.discardedBytes ?? null,
        bytesWrittenAfterSnapshot: lastRevert?.writtenAfterSnapshotBytes ?? currentAfter,
        merges: v.merges,
        mergeNs: v.mergeNs,
        mergedBytes: v.mergedBytes,
        mergesCancelled: v.mergesCancelled,
        heldRequests: v.heldRequests,
        heldMaxNs: v.heldMaxNs,
      };
    }
    return tree;
  }
}

/** The `vms` part of the run's figures. */
export const VM_LIFE_FIGURES: FigureFolderKind = {
  part: 'vms',
  description: 'the VM life cycle: per VM its state, save and restore times and bytes, snapshots, reverts (bytes discarded, bytes written after the snapshot), merges, held requests',
  create: () => new VmLifeFolder(),
};
