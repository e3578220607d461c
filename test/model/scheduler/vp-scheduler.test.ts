/**
 * The credit scheduler in whole worlds: HLT exits and wakes on every path
 * without changing the I/O's own exit counts, the wait for a VP that grows
 * with the number of runnable VPs on an LP, the wake boost, placement.
 */
import { describe, expect, it } from 'vitest';
import { ArraySink } from '../../../src/engine/index.js';
import { vpPlacement } from '../../../src/model/hardware/logical-processors.js';
import type { HvRecord, RecordOf } from '../../../src/model/trace-events.js';
import { runWorld } from '../../../src/model/world.js';
import type { WorldConfig } from '../../../src/model/world-config.js';
import { computePathMetrics } from '../../../src/metrics/path-metrics.js';
import { BUNDLED_SCENARIOS, parseScenarioText, runScenario } from '../../../src/scenario/index.js';
import { headline, worldDefaults } from '../worlds.js';

const MS = 1_000_000;
const GIB_SECTORS = 2097152;

function trace(config: WorldConfig): HvRecord[] {
  const sink = new ArraySink<HvRecord>();
  runWorld(config, sink);
  return sink.records;
}

const credit = (config: WorldConfig, wakeBoost = true): WorldConfig => ({ ...config, scheduler: { kind: 'credit', sliceNs: 30 * MS, wakeBoost } });

/** One enlightened VM reading 8 KiB at random on LP 1, beside `burners` CPU-bound VPs there. */
function shared(burners: number, wakeBoost: boolean, ioLoadPercent?: number): WorldConfig {
  return {
    ...worldDefaults('shared-lp'),
    host: { logicalProcessors: 2, disks: [{ id: 'd1', kind: 'hdd', sectors: 146 * GIB_SECTORS, writeCache: false }] },
    vms: [
      { id: 'io', os: 'windows', integrationServices: true, autoEoi: true, affinity: [1], disks: [{ id: 'd', controller: 'scsi', ideMode: 'dma', backend: { kind: 'fixed-vhd', disk: 'd1' } }] },
      ...(burners > 0 ? [{ id: 'burn', os: 'windows' as const, integrationServices: true, autoEoi: true, vcpus: burners, affinity: Array<number>(burners).fill(1), disks: [] }] : []),
    ],
    workloads: [{ vm: 'io', disk: 'd', op: 'read', bytes: 8192, queueDepth: 1, count: 60, pattern: 'random', lba: 0, startNs: 0 }],
    actions: [],
    scheduler: { kind: 'credit', sliceNs: 30 * MS, wakeBoost },
    cpu: [
      ...Array.from({ length: burners }, (_, vp) => ({ vm: 'burn', vp, dutyPercent: 100, burstNs: 30 * MS, startNs: 0 })),
      ...(ioLoadPercent === undefined ? [] : [{ vm: 'io', vp: 0, dutyPercent: ioLoadPercent, burstNs: 10 * MS, startNs: 0 }]),
    ],
    limits: { maxEvents: 10_000_000, untilNs: 600e9 },
  };
}

const waits = (records: HvRecord[], vm: string) => records.filter((r): r is RecordOf<'vp.waited'> => r.kind === 'vp.waited' && r.stream.startsWith(`${vm}/`));

describe('credit scheduler on the headline paths (no CPU loads: nothing oversubscribed)', () => {
  const dedicated = computePathMetrics(trace(headline()));
  const records = trace(credit(headline()));
  const metrics = computePathMetrics(records);

  it('keeps the I/O exits, interrupts and signals of every path: HLT exits are counted apart', () => {
    for (const path of dedicated) {
      const same = metrics.find((m) => m.stream === path.stream)!;
      expect(same.perIo.vmExits, path.stream).toBe(path.perIo.vmExits);
      expect(same.perIo.interrupts, path.stream).toBe(path.perIo.interrupts);
      expect(same.perIo.registerAccesses, path.stream).toBe(path.perIo.registerAccesses);
      expect(same.perIo.ringSignalsToGuest, path.stream).toBe(path.perIo.ringSignalsToGuest);
      expect(path.perIo.hltExits).toBe(0);
      expect(same.perIo.hltExits, path.stream).toBeGreaterThan(0);
    }
  });

  it('never makes a step wait for its VP, but a halted VP costs a wake', () => {
    expect(records.filter((r) => r.kind === 'vp.waited')).toEqual([]);
    for (const path of dedicated) {
      const same = metrics.find((m) => m.stream === path.stream)!;
      expect(same.latencyNs.mean).toBeGreaterThan(path.latencyNs.mean);
      expect(same.latencyNs.mean).toBeLessThan(path.latencyNs.mean * 1.05);
    }
  });

  it('wakes the enlightened guest by a SynIC interrupt and the legacy ones through the IOAPIC', () => {
    const vias = (vm: string) => new Set(records.filter((r): r is RecordOf<'vp.woken'> => r.kind === 'vp.woken' && r.vm === vm).map((r) => r.via));
    expect(vias('enlightened').has('synic')).toBe(true);
    expect(vias('legacy-dma').has('ioapic')).toBe(true);
    expect(vias('root').has('synic')).toBe(true);
    expect(vias('root').has('device')).toBe(true);
  });

  it('halts a VP only after it woke, and wakes it only after it halted', () => {
    const halted = new Map<string, boolean>();
    const bad: string[] = [];
    for (const r of records) {
      if (r.kind !== 'vp.halted' && r.kind !== 'vp.woken') continue;
      const key = `${r.vm}/${r.vp}`;
      const isHalted = halted.get(key) ?? true;
      if (r.kind === 'vp.halted' && isHalted) bad.push(`${key} halted twice at ${r.t}`);
      if (r.kind === 'vp.woken' && !isHalted) bad.push(`${key} woken while running at ${r.t}`);
      halted.set(key, r.kind === 'vp.halted');
    }
    expect(bad.slice(0, 3)).toEqual([]);
  });
});

describe('an I/O VM sharing its LP with CPU-bound VPs', () => {
  it('with the wake boost, a VP that only does I/O preempts the CPU loads: no wait', () => {
    expect(waits(trace(shared(3, true)), 'io')).toEqual([]);
  });

  it('without it, the woken VP waits its turn in the run queue: up to k slices for k runnable VPs', () => {
    const w = waits(trace(shared(3, false)), 'io');
    expect(w.length).toBeGreaterThan(0);
    // The VM's VP waits in the run queue ('turn': its dispatch counts the wait); the root's VP, outside it, joins the tail ('queued').
    expect(w.filter((r) => r.vm === 'io').length).toBeGreaterThan(0);
    expect(w.every((r) => r.why === (r.vm === 'io' ? 'turn' : 'queued'))).toBe(true);
    expect(Math.max(...w.map((r) => r.waitNs!))).toBeLessThanOrEqual(3 * 30 * MS);
  });

  it('a VP busy with its own work waits for its turn, boost or not, and more with more VPs', () => {
    const p99 = (burners: number) => computePathMetrics(trace(shared(burners, true, 50))).find((m) => m.vm === 'io')!.latencyNs.p99;
    const one = waits(trace(shared(1, true, 50)), 'io');
    expect(one.length).toBeGreaterThan(0);
    expect(one.every((r) => r.why === 'turn' && r.waitNs! <= 30 * MS)).toBe(true);
    expect(p99(1)).toBeGreaterThan(p99(0));
    expect(p99(3)).toBeGreaterThan(p99(1));
  });

  it("makes the root's work wait when the root's own VP is busy on that LP (seed 004: roles in the parent partition)", () => {
    const config = shared(0, true);
    config.cpu = [{ vm: 'root', vp: 1, dutyPercent: 60, burstNs: 10 * MS, startNs: 0 }, { vm: 'io', vp: 0, dutyPercent: 60, burstNs: 10 * MS, startNs: 0 }];
    const records = trace(config);
    const rootWaits = records.filter((r): r is RecordOf<'vp.waited'> => r.kind === 'vp.waited' && r.vm === 'root');
    expect(rootWaits.length).toBeGreaterThan(0);
    expect(rootWaits.every((r) => r.stream.startsWith('io/'))).toBe(true);
  });

  it('is deterministic', () => {
    const a = trace(shared(2, true, 50));
    const b = trace(shared(2, true, 50));
    expect(b.length).toBe(a.length);
    expect(JSON.stringify(b.slice(-50))).toBe(JSON.stringify(a.slice(-50)));
  });
});

describe('the oversubscription scenario', () => {
  const parsed = parseScenarioText(BUNDLED_SCENARIOS.find((s) => s.name === 'oversubscription')!.text);
  if (!parsed.ok) throw new Error('oversubscription does not validate');
  const run = runScenario(parsed.scenario);
  const p99 = (vm: string) => run.paths.find((p) => p.vm === vm)!.latencyNs.p99;

  it('p99 latency rises with the vCPU:LP ratio, and every claim holds', () => {
    expect(p99('io-2')).toBeGreaterThan(p99('io-1'));
    expect(p99('io-4')).toBeGreaterThan(p99('io-2'));
    expect(p99('io-8')).toBeGreaterThan(p99('io-4'));
    expect(run.claims.every((c) => c.holds)).toBe(true);
  });

  it('shows the VP wait in the breakdown (place hv.vp-wait, "Waiting for a VP"), within the (k - 1)·q bound of the E model', () => {
    const place = (vm: string) => run.paths.find((p) => p.vm === vm)!.timeByPlaceNs['hv.vp-wait'] ?? 0;
    expect(place('io-1')).toBe(0);
    expect(run.paths.find((p) => p.vm === 'io-1')!.timeByPlaceNs['hv.scheduler']).toBeLessThan(100_000); // wakes and HLT exits: microseconds
    expect(place('io-8')).toBeGreaterThan(place('io-4'));
    expect(place('io-4')).toBeGreaterThan(place('io-2'));
    expect(p99('io-8')).toBeLessThan(p99('io-1') + 7 * 30 * MS);
  });

  it('gives the ratio per LP and each VP\'s ready time as figures', () => {
    const s = run.figures['scheduler'] as any;
    expect([1, 2, 3, 4].map((lp) => s.lps[`lp${lp}`].vps)).toEqual([1, 2, 4, 8]);
    expect(s.ratio).toBe(15 / 5);
    expect(s.vms['io-8'].vp0.readyNs).toBeGreaterThan(s.vms['io-2'].vp0.readyNs);
    // Alone on its LP, io-1 never waits for another VP: its ready time is only the switches that dispatch it.
    const dispatches = run.records.filter((r) => r.kind === 'vp.dispatched' && (r as RecordOf<'vp.dispatched'>).vm === 'io-1');
    expect(dispatches.length).toBeGreaterThan(0);
    expect(s.vms['io-1'].vp0.readyNs).toBe(dispatches.reduce((sum, r) => sum + r.costNs + (r as RecordOf<'vp.dispatched'>).readyNs, 0));
    expect(dispatches.every((r) => (r as RecordOf<'vp.dispatched'>).readyNs === 0)).toBe(true);
  });
});

describe('VP placement', () => {
  it('puts one VP per VM where VMs always ran, and a VM\'s further VPs on the next LPs', () => {
    expect([...vpPlacement(4, [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }]).values()]).toEqual([[1], [2], [3], [0]]);
    expect([...vpPlacement(4, [{ id: 'a', vcpus: 2 }, { id: 'b', vcpus: 3 }]).values()]).toEqual([[1, 2], [3, 0, 1]]);
    expect(vpPlacement(4, [{ id: 'a', vcpus: 2, affinity: [3, 3] }]).get('a')).toEqual([3, 3]);
    expect(() => vpPlacement(2, [{ id: 'a', affinity: [2] }])).toThrow(/LPs 0..1/);
  });
});

describe('steps take their time from the CPU load holding the LP', () => {
  /** A VM sending 50,000 full frames per second through its synthetic NIC, pinned to LP 1 beside a CPU-bound VP. */
  function busyNic(): WorldConfig {
    return {
      ...worldDefaults('nic-beside-hog'),
      host: { logicalProcessors: 2, disks: [] },
      vms: [
        { id: 'io', os: 'windows', integrationServices: true, autoEoi: true, affinity: [1], disks: [], nics: [{ id: 'net', kind: 'synthetic' }] },
        { id: 'hog', os: 'windows', integrationServices: true, autoEoi: true, affinity: [1], disks: [] },
      ],
      workloads: [],
      traffic: [{ vm: 'io', nic: 'net', direction: 'send', bytes: 1514, count: 2000, packetsPerSecond: 50_000, arrival: 'constant', startNs: 0 }],
      actions: [],
      scheduler: { kind: 'credit', sliceNs: 30 * MS, wakeBoost: true },
      cpu: [{ vm: 'hog', vp: 0, dutyPercent: 100, burstNs: 30 * MS, startNs: 0 }],
      limits: { maxEvents: 10_000_000, untilNs: 60e9 },
    };
  }

  it('never counts an LP busy for more than the run: the hog runs only when the I/O steps leave the LP free', () => {
    const records = trace(busyNic());
    const endNs = Math.max(...records.map((r) => r.t + (r.waitNs ?? 0) + r.costNs));
    // A dispatch's switch is the first instant of the dispatched VP's run (its `ranNs`): not a step of its own.
    const onLp1 = records.filter((r) => r.lp === 1 && r.kind !== 'vp.dispatched' && (r.charge === 'guest' || r.charge === 'root' || r.charge === 'hypervisor'));
    const stepsNs = onLp1.reduce((sum, r) => sum + r.costNs, 0);
    const hogRanNs = records
      .filter((r): r is RecordOf<'vp.descheduled'> | RecordOf<'vp.halted'> => (r.kind === 'vp.descheduled' || r.kind === 'vp.halted') && r.vm === 'hog')
      .reduce((sum, r) => sum + (r.ranNs ?? 0), 0);
    expect(stepsNs).toBeGreaterThan(endNs / 4); // the NIC's work is a large share of the LP
    // Steps and the hog's run share one LP: their sum fits in the run (a few % of steps overlap their own wake records).
    expect(stepsNs + hogRanNs).toBeLessThan(endNs * 1.1);
    expect(hogRanNs).toBeLessThan(endNs - stepsNs * 0.9);
  });
});
