/**
 * Every valid scenario completes every request under the credit scheduler
 * too: fast-check generates VALID scenarios with 1 to 4 logical
 * processors, slices of 1 to 30 ms with and without the wake boost, VMs of
 * one or two virtual processors pinned anywhere (oversubscribed or not),
 * CPU loads of any duty cycle and burst on VMs and on the root, and
 * Hyper-V's processor controls (reserve, limit down to 5 %, weight 1 to
 * 10,000) beside synthetic SCSI and emulated IDE disks on spinning and
 * flash disks, their workloads bounded by a count or by a duration. Each goes through the real parser, then runs; every request
 * must complete, the ledger must agree, the run must end because its work
 * did (not at a limit), and its trace must keep each request's records
 * within the request and each VP's halts and wakes in turn. Fixed seed (HVSIM_SCHED_SEED and
 * HVSIM_SCHED_RUNS override it); a failure carries the scenario's JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vpPlacement } from '../../src/model/hardware/logical-processors.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { leftUnfinished, parseScenarioText, runScenario, unfinishedMessage } from '../../src/scenario/index.js';

const vmSpec = fc.record({
  vcpus: fc.integer({ min: 1, max: 2 }),
  pins: fc.array(fc.nat(), { minLength: 2, maxLength: 2 }),
  pinned: fc.boolean(),
  controller: fc.constantFrom('scsi', 'ide'),
  hostKind: fc.constantFrom('hdd', 'ssd'),
  op: fc.constantFrom('read', 'write', 'mixed'),
  sizeKiB: fc.constantFrom(4, 8, 64),
  count: fc.integer({ min: 1, max: 25 }),
  /** A workload bounded by time instead (ms; its count then a cap when \`capped\`): a CPU load must still stop once its window has closed. */
  durationMs: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
  capped: fc.boolean(),
  queueDepth: fc.integer({ min: 1, max: 8 }),
  controls: fc.option(fc.record({ reservePct: fc.integer({ min: 0, max: 40 }), limitPct: fc.integer({ min: 5, max: 100 }), weight: fc.integer({ min: 1, max: 10_000 }) }), { nil: undefined }),
  load: fc.option(fc.record({ dutyPercent: fc.integer({ min: 1, max: 100 }), burstMs: fc.integer({ min: 1, max: 20 }), vp: fc.option(fc.nat(1), { nil: undefined }) }), { nil: undefined }),
});

const spec = fc.record({
  seed: fc.nat(1000),
  logicalProcessors: fc.integer({ min: 1, max: 4 }),
  sliceMs: fc.constantFrom(1, 5, 30),
  wakeBoost: fc.boolean(),
  rootLoad: fc.option(fc.record({ dutyPercent: fc.integer({ min: 1, max: 100 }), lp: fc.nat(3) }), { nil: undefined }),
  vms: fc.array(vmSpec, { minLength: 1, maxLength: 3 }),
});

type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

/** The scenario a spec describes: valid by construction (reserves trimmed to fit each LP), checked by the parser. */
function scenarioOf(s: Spec): object {
  const lps = s.logicalProcessors;
  const vms = s.vms.map((v, i) => ({
    id: `vm${i}`,
    vcpus: v.vcpus,
    ...(v.pinned ? { affinity: v.pins.slice(0, v.vcpus).map((p) => p % lps) } : {}),
    ...(v.controls === undefined ? {} : { cpu: { ...v.controls, reservePct: Math.min(v.controls.reservePct, v.controls.limitPct) } }),
    disks: [{ id: 'a', controller: v.controller, ...(v.controller === 'ide' ? { ideMode: 'dma' } : {}), backend: { kind: 'fixed-vhd', disk: `h${i}`, sizeGiB: 4 } }],
  }));
  // A later VM's reserve gives way where an LP's reserves would pass 100 %.
  const placement = vpPlacement(lps, vms);
  const reserved = new Map<number, number>();
  for (const vm of vms) {
    if (vm.cpu === undefined) continue;
    const on = placement.get(vm.id)!;
    const after = new Map(reserved);
    for (const lp of on) after.set(lp, (after.get(lp) ?? 0) + vm.cpu.reservePct);
    if ([...after.values()].some((pct) => pct > 100)) vm.cpu.reservePct = 0;
    else for (const [lp, pct] of after) reserved.set(lp, pct);
  }
  const cpu = s.vms.flatMap((v, i) =>
    v.load === undefined ? [] : [{ vm: `vm${i}`, dutyPercent: v.load.dutyPercent, burst: `${v.load.burstMs}ms`, ...(v.load.vp === undefined ? {} : { vp: v.load.vp % v.vcpus }) }],
  );
  if (s.rootLoad !== undefined) cpu.push({ vm: 'root', dutyPercent: s.rootLoad.dutyPercent, burst: '10ms', vp: s.rootLoad.lp % lps });
  return {
    version: 1,
    name: 'generated-scheduling',
    seed: s.seed,
    host: { logicalProcessors: lps, scheduler: { kind: 'credit', slice: `${s.sliceMs}ms`, wakeBoost: s.wakeBoost }, disks: s.vms.map((v, i) => ({ id: `h${i}`, kind: v.hostKind, sizeGiB: 16 })) },
    vms,
    cpu,
    workloads: s.vms.map((v, i) => ({
      vm: `vm${i}`,
      disk: 'a',
      op: v.op,
      size: `${v.sizeKiB}KiB`,
      ...(v.durationMs === undefined ? { count: v.count } : { duration: `${v.durationMs}ms`, ...(v.capped ? { count: v.count } : {}) }),
      queueDepth: v.controller === 'ide' ? 1 : v.queueDepth,
      pattern: 'random',
    })),
    limits: { until: '600s', maxEvents: 2_000_000 },
  };
}

/**
 * What the trace must keep whatever the scheduling: each request's records
 * lie between its issue and its completion, and each VP halts only after it
 * woke (or its load was dispatched) and wakes only after it halted. Null
 * when both hold.
 */
function traceBroken(records: readonly HvRecord[]): string | null {
  const issued = new Set<number>();
  const completed = new Set<number>();
  const halted = new Map<string, boolean>();
  for (const r of records) {
    if (r.flow >= 0 && r.stream !== '') {
      if (completed.has(r.flow)) return `${r.kind} of request ${r.flow} (${r.stream}) after its completion, at ${r.t}`;
      if (r.kind === 'io.request.issued') issued.add(r.flow);
      else if (!issued.has(r.flow)) return `${r.kind} of request ${r.flow} (${r.stream}) before its issue, at ${r.t}`;
      if (r.kind === 'io.request.completed') completed.add(r.flow);
    }
    if (r.kind === 'vp.halted' || r.kind === 'vp.woken') {
      const key = `${r.vm}/${r.vp}`;
      const wasHalted = halted.get(key) ?? true;
      if (r.kind === 'vp.halted' && wasHalted) return `VP ${key} halted twice, at ${r.t}`;
      if (r.kind === 'vp.woken' && !wasHalted) return `VP ${key} woken while running, at ${r.t}`;
      halted.set(key, r.kind === 'vp.halted');
    } else if (r.kind === 'vp.dispatched') {
      // A CPU load's first dispatch starts its VP (no wake: it was never halted).
      halted.set(`${r.vm}/${r.vp}`, false);
    }
  }
  return null;
}

describe('property: the credit scheduler, CPU loads and processor controls lose no request', () => {
  it('generated scenarios over LPs, slices, boosts, pinning, loads, reserves, limits and weights', () => {
    let controlled = 0;
    let limited = 0;
    let timed = 0;
    fc.assert(
      fc.property(spec, (s) => {
        const scenario = scenarioOf(s);
        const parsed = parseScenarioText(JSON.stringify(scenario), 'generated.json');
        if (!parsed.ok) throw new Error(`the generator made an invalid scenario:\n${JSON.stringify(parsed.errors, null, 2)}\n${JSON.stringify(scenario)}`);
        const r = runScenario(parsed.scenario, { keepRecords: true });
        if (s.vms.some((v) => v.controls !== undefined)) controlled++;
        if (s.vms.some((v) => v.durationMs !== undefined) && (s.rootLoad !== undefined || s.vms.some((v) => v.load !== undefined))) timed++;
        if (s.vms.some((v) => v.controls !== undefined && v.controls.limitPct < 50 && v.load !== undefined)) limited++;
        const why = leftUnfinished(r)
          ? unfinishedMessage(r, 5).join('\n')
          : r.output.stop !== 'empty' || r.output.completed !== r.requested
            ? `stop ${r.output.stop}, ${r.output.completed} of ${r.requested} completed`
            : null;
        const broken = why ?? traceBroken(r.records);
        if (broken !== null) throw new Error(`${broken}\n--- scenario ---\n${JSON.stringify(scenario)}`);
      }),
      { seed: Number(process.env.HVSIM_SCHED_SEED ?? 20_261_205), numRuns: Number(process.env.HVSIM_SCHED_RUNS ?? 60) },
    );
    // The generator reaches the controls, and limits that bind on a loaded VM.
    expect(controlled).toBeGreaterThan(0);
    expect(limited).toBeGreaterThan(0);
    // And duration workloads beside CPU loads that run until the I/O is done.
    expect(timed).toBeGreaterThan(0);
  }, 300_000);
});
