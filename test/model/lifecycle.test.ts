/**
 * The VM life cycle (issue 14 items 1-2): Hyper-V's state machine and its
 * refusals, and runs that save, restore, pause, snapshot, revert and merge,
 * checked against the figures and the trace.
 */
import { describe, expect, it } from 'vitest';
import { ACCEPTED_FROM, transition, VM_ACTIONS, WMI_ENABLED_STATE, type LifecycleFacts, type SettledState } from '../../src/model/lifecycle/vm-states.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { ArraySink, startProcess } from '../../src/engine/index.js';
import { World } from '../../src/model/world.js';
import { parseScenarioText, runScenario, toWorldConfig, unfinishedMessage, type ScenarioRun } from '../../src/scenario/index.js';

const FACTS: LifecycleFacts = { snapshots: 1, snapshotStates: ['Running'], shutdownService: true, passthroughDisk: null };

describe('the state machine', () => {
  it('accepts each action exactly from the settled states Hyper-V accepts it from', () => {
    const settled: SettledState[] = ['Off', 'Running', 'Paused', 'Saved'];
    for (const action of VM_ACTIONS) {
      for (const state of settled) {
        const verdict = transition(state, action, FACTS);
        expect(verdict.ok, `${action} from ${state}`).toBe(ACCEPTED_FROM[action].includes(state));
        if (!verdict.ok) expect(verdict.code).toBe(4097);
      }
    }
  });

  it('refuses everything while a state change is under way', () => {
    for (const state of ['Starting', 'Saving', 'Restoring', 'Pausing', 'Resuming', 'Stopping', 'Snapshotting'] as const) {
      for (const action of VM_ACTIONS) expect(transition(state, action, FACTS)).toMatchObject({ ok: false, code: 4097 });
    }
  });

  it('settles where Hyper-V leaves the VM, passing through its transitional state', () => {
    expect(transition('Running', 'save', FACTS)).toEqual({ ok: true, during: 'Saving', settles: 'Saved' });
    expect(transition('Saved', 'start', FACTS)).toEqual({ ok: true, during: 'Restoring', settles: 'Running' });
    expect(transition('Off', 'start', FACTS)).toEqual({ ok: true, during: 'Starting', settles: 'Running' });
    expect(transition('Running', 'snapshot', FACTS)).toEqual({ ok: true, during: 'Snapshotting', settles: 'Running' });
    // Applying a snapshot of a running VM leaves it saved, as the snapshot was.
    expect(transition('Running', 'revert', FACTS)).toEqual({ ok: true, during: 'Stopping', settles: 'Saved' });
    expect(transition('Running', 'revert', { ...FACTS, snapshotStates: ['Off'] })).toMatchObject({ settles: 'Off' });
  });

  it('refuses a snapshot while paused, of a pass-through disk, a shutdown without integration services, a revert with no snapshot', () => {
    expect(transition('Paused', 'snapshot', FACTS)).toMatchObject({ ok: false, why: expect.stringContaining('cannot be in a paused state') });
    expect(transition('Running', 'snapshot', { ...FACTS, passthroughDisk: 'db' })).toMatchObject({ ok: false, why: expect.stringContaining("disk 'db' is a pass-through disk") });
    expect(transition('Running', 'shutdown', { ...FACTS, shutdownService: false })).toMatchObject({ ok: false, why: expect.stringContaining('shutdown integration service') });
    expect(transition('Running', 'revert', { ...FACTS, snapshots: 0, snapshotStates: [] })).toMatchObject({ ok: false });
    expect(transition('Off', 'delete-snapshot', { ...FACTS, snapshots: 0, snapshotStates: [] })).toMatchObject({ ok: false });
    // At most 50 snapshots per VM (row b.2, V): the 51st is refused until one is deleted.
    const fifty = { ...FACTS, snapshots: 50, snapshotStates: Array.from({ length: 50 }, () => 'Running' as const) };
    expect(transition('Running', 'snapshot', fifty)).toMatchObject({ ok: false, why: expect.stringContaining('50 snapshots') });
    expect(transition('Running', 'snapshot', { ...fifty, snapshots: 49, snapshotStates: fifty.snapshotStates.slice(1) })).toMatchObject({ ok: true });
  });

  it('reports the WMI EnabledState values', () => {
    expect([WMI_ENABLED_STATE.Running, WMI_ENABLED_STATE.Off, WMI_ENABLED_STATE.Paused, WMI_ENABLED_STATE.Saved, WMI_ENABLED_STATE.Saving]).toEqual([2, 3, 32768, 32769, 32773]);
  });
});

/** A one-VM scenario on one host disk, with `actions` and a sequential write workload. */
function scenario(actions: object[], vm: object = {}, workload: object = {}, disk: object = { kind: 'hdd' }): string {
  return JSON.stringify({
    version: 1,
    name: 'life',
    host: { disks: [{ id: 'h', sizeGiB: 100, ...disk }] },
    vms: [{ id: 'mail', memoryMiB: 64, disks: [{ id: 'db', controller: 'scsi', backend: { kind: 'dynamic-vhd', disk: 'h', sizeGiB: 20 } }], ...vm }],
    workloads: [{ vm: 'mail', disk: 'db', op: 'write', size: '64KiB', count: 200, pattern: 'sequential', ...workload }],
    actions,
    limits: { until: '300s' },
  });
}

function run(text: string): ScenarioRun {
  const parsed = parseScenarioText(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors, null, 2));
  return runScenario(parsed.scenario);
}

const ofKind = <K extends HvRecord['kind']>(records: HvRecord[], kind: K) => records.filter((r): r is Extract<HvRecord, { kind: K }> => r.kind === kind);
const vmFigures = (r: ScenarioRun, vm = 'mail') => (r.figures.vms as Record<string, Record<string, any>>)[vm]!;

describe('a run', () => {
  it('saves the memory through the disk (measured, not a constant) and restores it; requests caught by the save are held and complete', () => {
    const hdd = run(scenario([{ at: '100ms', do: 'save', vm: 'mail' }, { at: '10s', do: 'restore', vm: 'mail' }]));
    expect(hdd.stuck).toEqual([]);
    expect(hdd.output.completed).toBe(200);
    const f = vmFigures(hdd);
    expect(f.savedBytes).toBe(64 * 1_048_576);
    expect(f.restoredBytes).toBe(64 * 1_048_576);
    expect(f.state).toBe('Running');
    expect(f.heldRequests).toBeGreaterThan(0);
    // Every chunk is a real I/O on the host disk.
    const chunks = ofKind(hdd.records, 'disk.request.serviced').filter((r) => r.stream === '' && r.bytes === 1_048_576);
    expect(chunks.filter((r) => r.op === 'write')).toHaveLength(64);
    expect(chunks.filter((r) => r.op === 'read')).toHaveLength(64);
    // The same save on a flash disk is faster: the time comes from the disk model.
    const ssd = run(scenario([{ at: '100ms', do: 'save', vm: 'mail' }, { at: '10s', do: 'restore', vm: 'mail' }], {}, {}, { kind: 'ssd' }));
    expect(vmFigures(ssd).saveNs).toBeLessThan(f.saveNs / 1.5);
    // Twice the memory, about twice the save.
    const big = run(scenario([{ at: '100ms', do: 'save', vm: 'mail' }, { at: '10s', do: 'restore', vm: 'mail' }], { memoryMiB: 128 }));
    expect(vmFigures(big).saveNs / f.saveNs).toBeGreaterThan(1.6);
    // Its time in each state covers the whole run, from its start (the 100 ms Running before the save too).
    const times = f.timeInState as Record<string, number>;
    expect(Object.values(times).reduce((a, b) => a + b, 0)).toBe(hdd.output.endNs);
    expect(times['RunningNs']).toBeGreaterThanOrEqual(100_000_000);
  });

  it('creates the worker process at start and ends it at stop; the guest boots before its requests go on', () => {
    const r = run(scenario([{ at: '1s', do: 'start', vm: 'mail' }, { at: '40s', do: 'turn-off', vm: 'mail' }], { initialState: 'off' }, { count: 20 }));
    expect(r.stuck).toEqual([]);
    const created = ofKind(r.records, 'vmwp.process.created');
    const exited = ofKind(r.records, 'vmwp.process.exited');
    expect(created).toHaveLength(1);
    expect(exited).toHaveLength(1);
    const booted = ofKind(r.records, 'vm.guest.booted')[0]!;
    // No request of the guest reaches its stack before it has booted.
    const firstDown = r.records.find((x) => x.kind === 'stack.layer.passed' && x.stream.startsWith('mail/'))!;
    expect(firstDown.seq).toBeGreaterThan(booted.seq);
    expect(vmFigures(r).state).toBe('Off');
    expect(vmFigures(r).workerProcessesCreated).toBe(1);
  });

  it('names the requests a VM saved and never restored holds, and says the VM state holds them', () => {
    const r = run(scenario([{ at: '100ms', do: 'save', vm: 'mail' }]));
    expect(r.stuck.length).toBeGreaterThan(0);
    expect(r.stuck.every((s) => s.heldBy?.state === 'Saved')).toBe(true);
    const lines = unfinishedMessage(r);
    expect(lines[0]).toContain("held by their VMs' states");
    expect(lines[1]).toContain("held: VM 'mail' is Saved");
    // A restore that came too early (while the save was under way) is refused: the message says so where it names what holds them.
    const early = run(scenario([{ at: '100ms', do: 'save', vm: 'mail' }, { at: '110ms', do: 'restore', vm: 'mail' }], { memoryMiB: 1024 }));
    expect(early.stuck.length).toBeGreaterThan(0);
    expect(unfinishedMessage(early)[1]).toMatch(/held: VM 'mail' is Saved \(its restore at 110 ms was refused: .*under way\)/);
  });

  it('refuses at run time an action that arrives while another is under way (4097), and changes nothing', () => {
    // Valid in order (validation walks settled states), but the resume comes while the pause is still under way.
    const r = run(
      scenario([
        { at: '100ms', do: 'pause', vm: 'mail' },
        { at: '101ms', do: 'resume', vm: 'mail' },
        { at: '1s', do: 'pause', vm: 'mail' },
        { at: '2s', do: 'resume', vm: 'mail' },
      ]),
    );
    const refused = ofKind(r.records, 'vm.action.refused');
    expect(refused[0]).toMatchObject({ action: 'resume', state: 'Pausing', code: 4097, index: 1 });
    // The VM stayed paused, so the pause at 1 s is refused too, and the resume at 2 s runs it again.
    expect(refused[1]).toMatchObject({ action: 'pause', state: 'Paused', index: 2 });
    expect(refused).toHaveLength(2);
    expect(r.stuck).toEqual([]);
    expect(vmFigures(r).refusedActions).toBe(2);
  });

  it('goes WMI provider → VMMS → worker → hypervisor for each action', () => {
    const r = run(scenario([{ at: '100ms', do: 'pause', vm: 'mail' }, { at: '1s', do: 'resume', vm: 'mail' }]));
    const flow = ofKind(r.records, 'vm.action.requested')[0]!.flow;
    const places = r.records.filter((x) => x.flow === flow).map((x) => x.place);
    expect(places[0]).toBe('root.wmi');
    expect(places).toContain('root.vmms');
    expect(places).toContain('root.vmwp.mail');
    expect(places).toContain('hv');
    expect(r.output.topology.places.find((p) => p.id === 'root.vmms')).toMatchObject({ band: 'root-user' });
  });

  it('snapshot then revert discards exactly the bytes written after the snapshot; deleting it merges only once the VM is off', () => {
    const r = run(
      scenario(
        [
          { at: '200ms', do: 'snapshot', vm: 'mail' },
          { at: '4s', do: 'revert', vm: 'mail' },
          { at: '5s', do: 'restore', vm: 'mail' },
          { at: '6s', do: 'delete-snapshot', vm: 'mail' },
          { at: '8s', do: 'turn-off', vm: 'mail' },
          { at: '30s', do: 'start', vm: 'mail' },
        ],
        {},
        { count: 3000 },
      ),
    );
    expect(r.stuck).toEqual([]);
    const f = vmFigures(r);
    expect(f.revertDiscardedBytes).toBeGreaterThan(0);
    expect(f.revertDiscardedBytes).toBe(f.writtenAfterSnapshotBytes);
    expect(f.revertBytesDiscarded).toBe(f.revertDiscardedBytes);
    // The merge waited for the turn-off.
    const deleted = ofKind(r.records, 'vm.snapshot.deleted')[0]!;
    expect(deleted.mergePending).toBe(true);
    const merge = ofKind(r.records, 'vhd.merge.started')[0]!;
    const off = ofKind(r.records, 'vm.state.changed').find((x) => x.to === 'Off')!;
    expect(merge.seq).toBeGreaterThan(off.seq);
    expect(f.mergedBytes).toBeGreaterThan(0);
    expect(f.mergeNs).toBeGreaterThan(0);
    // The merge is disk I/O: reads of the child and writes into the parent on the host disk, on the merge's flow.
    const io = r.records.filter((x) => x.flow === merge.flow && x.kind === 'disk.request.serviced');
    expect(io.some((x) => x.kind === 'disk.request.serviced' && x.op === 'read')).toBe(true);
    expect(io.some((x) => x.kind === 'disk.request.serviced' && x.op === 'write')).toBe(true);
  });

  it('starting the VM cancels a merge under way (WS2008/R2), and the merge runs again the next time it is off', () => {
    const r = run(
      scenario(
        [
          { at: '100ms', do: 'snapshot', vm: 'mail' },
          { at: '10s', do: 'delete-snapshot', vm: 'mail' },
          { at: '11s', do: 'turn-off', vm: 'mail' },
          { at: '11.2s', do: 'start', vm: 'mail' },
          { at: '40s', do: 'turn-off', vm: 'mail' },
          { at: '120s', do: 'start', vm: 'mail' },
        ],
        {},
        { count: 1500, size: '256KiB' },
      ),
    );
    expect(r.stuck).toEqual([]);
    expect(vmFigures(r).mergesCancelled).toBe(1);
    expect(vmFigures(r).merges).toBe(1);
  });

  it('is deterministic', () => {
    const text = scenario([{ at: '100ms', do: 'snapshot', vm: 'mail' }, { at: '20s', do: 'save', vm: 'mail' }, { at: '30s', do: 'start', vm: 'mail' }]);
    expect(run(text).fingerprint).toBe(run(text).fingerprint);
  });

  it('offers save and restore to other parts of the model: perform runs one through the control plane and says how long it took', () => {
    const parsed = parseScenarioText(scenario([{ at: '100ms', do: 'pause', vm: 'mail' }, { at: '200ms', do: 'resume', vm: 'mail' }]));
    if (!parsed.ok) throw new Error('invalid');
    const sink = new ArraySink<HvRecord>();
    const world = new World(toWorldConfig(parsed.scenario), sink);
    const life = world.lifecycle('mail')!;
    const changes: string[] = [];
    life.stateListeners.push((from, to) => changes.push(`${from}>${to}`));
    const results: { accepted: boolean; durationNs: number; state: string }[] = [];
    startProcess(world.sim, (function* () {
      yield 1_000_000_000;
      results.push(yield* life.perform('save'));
      results.push(yield* life.perform('pause')); // a saved VM cannot be paused
      results.push(yield* life.perform('restore'));
    })());
    world.run();
    expect(results.map((r) => [r.accepted, r.state])).toEqual([[true, 'Saved'], [false, 'Saved'], [true, 'Running']]);
    expect(results[0]!.durationNs).toBeGreaterThan(100_000_000);
    expect(changes).toEqual(['Running>Pausing', 'Pausing>Paused', 'Paused>Resuming', 'Resuming>Running', 'Running>Saving', 'Saving>Saved', 'Saved>Restoring', 'Restoring>Running']);
    expect(sink.records.filter((r) => r.kind === 'vm.action.requested' && r.index === -1)).toHaveLength(3);
  });
});
