/**
 * Held, never lost (issue 14 item 1): fast-check generates VALID scenarios
 * whose VMs go through random sequences of life-cycle actions (start, save,
 * restore, pause, resume, shutdown, turn-off, snapshot, revert,
 * delete-snapshot), each chosen among those the VM's state accepts (the
 * same `transition` the run and validation use), over SCSI and IDE disks on
 * fixed, dynamic and differencing VHDs on HDDs and flash, VMs that start
 * off, and I/O issued across every pause and save, by workloads bounded by
 * a count or by a duration (whose window may close while the VM is held). The sequence ends with
 * the action that runs the VM again. Each scenario goes through the real
 * parser, then runs; the run must complete every request, its ledger must
 * agree with a pass over the trace, and the bytes a revert discards must
 * equal the bytes written after the snapshot whenever no two writes after it
 * overlap (sequential writes). A variant leaves the VM saved or paused at the
 * end: every request it holds is named as held by that state, none lost.
 * Fixed seed (HVSIM_LIFE_SEED and HVSIM_LIFE_RUNS override it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCEPTED_FROM, type SettledState, type VmAction } from '../../src/model/lifecycle/vm-states.js';
import { parseScenarioText, runScenario, type ScenarioRun } from '../../src/scenario/index.js';
import { walkLifecycle } from './lifecycle-walk.js';

interface VmShape {
  controller: 'scsi' | 'ide';
  integrationServices: boolean;
  backend: 'fixed-vhd' | 'dynamic-vhd' | 'differencing-vhd';
  hostDisk: 'hdd' | 'ssd';
  memoryMiB: number;
  startsOff: boolean;
  op: 'write' | 'read' | 'mixed';
  sizeKiB: number;
  count: number;
  queueDepth: number;
  pattern: 'sequential' | 'random';
  startMs: number;
  /** Bounded by time too (its count then a cap): the window may close while the VM is paused, saved or off. */
  durationMs: number | undefined;
  /** Picks among the accepted actions, one per step. */
  picks: number[];
  gapsMs: number[];
  /** Leave the VM as the sequence leaves it (no final action that runs it). */
  leaveStopped: boolean;
}

const vmShape: fc.Arbitrary<VmShape> = fc.record({
  controller: fc.constantFrom('scsi' as const, 'ide' as const),
  integrationServices: fc.boolean(),
  backend: fc.constantFrom('fixed-vhd' as const, 'dynamic-vhd' as const, 'differencing-vhd' as const),
  hostDisk: fc.constantFrom('hdd' as const, 'ssd' as const),
  memoryMiB: fc.constantFrom(16, 24, 48),
  startsOff: fc.boolean(),
  op: fc.constantFrom('write' as const, 'read' as const, 'mixed' as const),
  sizeKiB: fc.constantFrom(4, 8, 64),
  count: fc.integer({ min: 1, max: 30 }),
  queueDepth: fc.integer({ min: 1, max: 4 }),
  pattern: fc.constantFrom('sequential' as const, 'random' as const),
  startMs: fc.integer({ min: 0, max: 3000 }),
  durationMs: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
  picks: fc.array(fc.nat(20), { minLength: 0, maxLength: 6 }),
  gapsMs: fc.array(fc.integer({ min: 1, max: 25_000 }), { minLength: 6, maxLength: 6 }),
  leaveStopped: fc.boolean(),
});

/** Actions for one VM: a walk through the states, each step an action its state accepts. */
function walk(id: string, v: VmShape, withEnding: boolean): { actions: object[]; endMs: number; final: SettledState } {
  // Room for the slowest step before the next (a boot is 10 s, a shutdown 5 s).
  const walked = walkLifecycle(id, { ...v, firstMs: 1000, gapMs: (i) => 16_000 + v.gapsMs[i % v.gapsMs.length]! });
  const actions = walked.actions;
  let state = walked.final;
  let at = walked.endMs;
  if (withEnding && state !== 'Running') {
    const run: VmAction = state === 'Paused' ? 'resume' : state === 'Saved' ? 'restore' : 'start';
    expect(ACCEPTED_FROM[run]).toContain(state);
    actions.push({ at: `${at}ms`, do: run, vm: id });
    state = 'Running';
    at += 16_000;
  }
  return { actions, endMs: at, final: state };
}

function scenarioOf(vms: VmShape[], withEnding: boolean): { scenario: object; finals: SettledState[] } {
  const actions: object[] = [];
  let endMs = 0;
  const finals: SettledState[] = [];
  vms.forEach((v, i) => {
    const w = walk(`vm${i}`, v, withEnding);
    actions.push(...w.actions);
    endMs = Math.max(endMs, w.endMs);
    finals.push(w.final);
  });
  return {
    finals,
    scenario: {
      version: 1,
      name: 'generated-life',
      host: { disks: [{ id: 'hdd', kind: 'hdd', sizeGiB: 200 }, { id: 'ssd', kind: 'ssd', sizeGiB: 200 }] },
      vms: vms.map((v, i) => ({
        id: `vm${i}`,
        memoryMiB: v.memoryMiB,
        integrationServices: v.controller === 'scsi' ? true : v.integrationServices,
        ...(v.startsOff ? { initialState: 'off' } : {}),
        disks: [{ id: 'a', controller: v.controller, backend: { kind: v.backend, disk: v.hostDisk, sizeGiB: 8 } }],
      })),
      workloads: vms.map((v, i) => ({ vm: `vm${i}`, disk: 'a', op: v.op, size: `${v.sizeKiB}KiB`, count: v.count, ...(v.durationMs === undefined ? {} : { duration: `${v.durationMs}ms` }), queueDepth: v.queueDepth, pattern: v.pattern, start: `${v.startMs}ms` })),
      actions,
      limits: { until: `${endMs + 120_000}ms` },
    },
  };
}

function run(scenario: object): ScenarioRun {
  const parsed = parseScenarioText(JSON.stringify(scenario), 'generated.json');
  if (!parsed.ok) throw new Error(`the generator made an invalid scenario:\n${JSON.stringify(parsed.errors, null, 2)}\n${JSON.stringify(scenario)}`);
  return runScenario(parsed.scenario);
}

function openFlows(r: ScenarioRun): number[] {
  const open = new Set<number>();
  for (const x of r.records) {
    if (x.kind === 'io.request.issued') open.add(x.flow);
    else if (x.kind === 'io.request.completed') open.delete(x.flow);
  }
  return [...open].sort((a, b) => a - b);
}

const SEED = Number(process.env.HVSIM_LIFE_SEED ?? 20_261_214);
const RUNS = Number(process.env.HVSIM_LIFE_RUNS ?? 30);

describe('random life-cycle actions over valid scenarios', () => {
  it('complete every request when the VMs end running, and discard on revert exactly what was written after the snapshot', () => {
    // What the generated runs went through, so the property cannot pass by exercising nothing.
    const seen = { actions: 0, held: 0, reverts: 0, exactReverts: 0, saves: 0, timedHeld: 0 };
    fc.assert(
      fc.property(fc.array(vmShape, { minLength: 1, maxLength: 2 }), (vms) => {
        const { scenario } = scenarioOf(vms, true);
        const r = run(scenario);
        const context = JSON.stringify(scenario);
        expect(r.stuck.map((s) => s.flow), context).toEqual(openFlows(r));
        expect(r.stuck, context).toEqual([]);
        expect(r.notIssued, context).toEqual([]);
        expect(r.output.completed, context).toBe(r.requested);
        vms.forEach((v, i) => {
          const f = (r.figures.vms as Record<string, Record<string, unknown>> | undefined)?.[`vm${i}`];
          if (f === undefined) return;
          expect(f.state, context).toBe('Running');
          seen.actions += f.actions as number;
          seen.held += f.heldRequests as number;
          if (v.durationMs !== undefined && (f.heldRequests as number) > 0) seen.timedHeld++;
          seen.saves += f.saves as number;
          if (f.revertDiscardedBytes !== null) seen.reverts++;
          // Sequential writes never overlap, so the discarded sectors are exactly the bytes written.
          if (v.op === 'write' && v.pattern === 'sequential' && f.revertDiscardedBytes !== null) {
            expect(f.revertDiscardedBytes, context).toBe(f.writtenAfterSnapshotBytes);
            seen.exactReverts++;
          }
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(seen.actions).toBeGreaterThan(RUNS);
    expect(seen.held).toBeGreaterThan(0);
    expect(seen.saves).toBeGreaterThan(0);
    expect(seen.reverts).toBeGreaterThan(0);
    expect(seen.timedHeld).toBeGreaterThan(0);
  });

  it('name every request a VM left saved, paused or off still holds, with that state', () => {
    fc.assert(
      fc.property(vmShape, (v) => {
        const { scenario, finals } = scenarioOf([v], false);
        const r = run(scenario);
        const context = JSON.stringify(scenario);
        expect(r.stuck.map((s) => s.flow), context).toEqual(openFlows(r));
        if (finals[0] === 'Running') expect(r.stuck, context).toEqual([]);
        for (const s of r.stuck) expect(s.heldBy, context).toEqual({ vm: 'vm0', state: finals[0] });
      }),
      { seed: SEED + 1, numRuns: Math.ceil(RUNS / 2) },
    );
  });
});
