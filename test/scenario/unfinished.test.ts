/**
 * No request lost in silence: the `RequestLedger` fold over a stream of
 * records (hand-made records, so a request left open by an empty event
 * queue, the model bug this guards against, is tested without one), and
 * `runScenario`'s `stuck` and `notIssued` on runs that stop at
 * `limits.until` or `limits.maxEvents` with requests in flight. Each run
 * is checked against a second, independent pass over its kept trace.
 */
import { describe, expect, it } from 'vitest';
import type { Topology } from '../../src/model/topology.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import type { TrafficConfig, WorkloadConfig } from '../../src/model/world-config.js';
import { leftUnfinished, RequestLedger, runScenario, unfinishedLines, unfinishedMessage, type ScenarioRun } from '../../src/scenario/index.js';
import { edited, scenarioOf } from './helpers.js';

const TOPOLOGY: Topology = {
  partitions: [],
  links: [],
  places: [
    { id: 'vm1.app', label: 'Application', partition: 'vm1', band: 'guest-user', role: 'app' },
    { id: 'vm1.ring.a', label: 'Ring a', partition: 'vm1', band: 'vmbus', role: 'ring' },
    { id: 'hw.disk.d1', label: 'Disk d1', partition: 'hardware', band: 'hardware', role: 'disk' },
  ],
};

const workload = (fields: Partial<WorkloadConfig>): WorkloadConfig => ({
  vm: 'vm1',
  disk: 'a',
  op: 'write',
  bytes: 4096,
  queueDepth: 1,
  count: 1,
  pattern: 'fixed',
  lba: 0,
  startNs: 0,
  ...fields,
});

/** Hand-made records in trace order, with seq numbered from 0. */
function records(...partial: Partial<HvRecord>[]): HvRecord[] {
  return partial.map(
    (r, seq) => ({ seq, t: 0, kind: 'stack.layer.passed', place: 'vm1.app', band: 'guest-user', stream: '', flow: -1, cause: -1, costNs: 0, charge: 'none', lp: -1, ...r }) as HvRecord,
  );
}

/** An issue record; by default from workloads[0], numbered by its flow. */
const issued = (flow: number, t: number, fields: Partial<{ vm: string; disk: string; path: string; op: string; bytes: number; lba: number; workload: number; request: number }> = {}): Partial<HvRecord> =>
  ({ kind: 'io.request.issued', flow, t, vm: 'vm1', disk: 'a', path: 'vmbus-scsi', op: 'write', bytes: 4096, lba: 0, workload: 0, request: flow, ...fields }) as Partial<HvRecord>;
const completed = (flow: number, t: number): Partial<HvRecord> => ({ kind: 'io.request.completed', flow, t, path: 'vmbus-scsi', latencyNs: 0 }) as Partial<HvRecord>;

function fold(workloads: WorkloadConfig[], trace: HvRecord[], traffic: TrafficConfig[] = []): RequestLedger {
  const ledger = new RequestLedger(workloads, traffic);
  for (const r of trace) ledger.write(r);
  return ledger;
}

describe('RequestLedger (a fold over records as they are emitted)', () => {
  it('names a request the event queue left open, with its last record, place and time', () => {
    const trace = records(
      issued(0, 0),
      issued(1, 10),
      { kind: 'vmbus.ring.written', flow: 1, t: 20, place: 'vm1.ring.a' },
      completed(0, 30),
      { kind: 'hv.interrupt.injected', flow: -1, t: 40, place: 'hw.disk.d1' }, // shared work: not the request's
      { kind: 'vmbus.ring.blocked', flow: 1, t: 50, place: 'vm1.ring.a' },
    );
    const u = fold([workload({ count: 3, queueDepth: 2 })], trace).result({ topology: TOPOLOGY, stop: 'empty', endNs: 60 });
    expect(u.stuck).toEqual([
      {
        source: 'workload',
        index: 0,
        vm: 'vm1',
        device: 'a',
        request: 2,
        of: 3,
        flow: 1,
        path: 'vmbus-scsi',
        op: 'write',
        bytes: 4096,
        lba: 0,
        issuedNs: 10,
        last: { kind: 'vmbus.ring.blocked', seq: 5, t: 50, place: 'vm1.ring.a', label: 'Ring a' },
      },
    ]);
    expect(u.notIssued).toMatchObject([{ source: 'workload', index: 0, requested: 3, issued: 2, missing: 1 }]);
    expect(u.notIssued[0]!.why).toContain('waiting on 1 open request');
    const lines = unfinishedLines(u, { requested: 3, stop: 'empty', endNs: 60 });
    expect(lines[0]).toBe(
      '2 of 3 requests did not complete (1 issued and still open, 1 never issued): the simulation ran out of events at 60 ns with them unfinished, so they were lost (a fault in the model, not in the scenario)',
    );
    expect(lines[1]).toBe(
      'VM vm1 disk a: request 2 of 3 of workloads[0], flow 1: vmbus-scsi write of 4 KiB at LBA 0, issued at 10 ns; last seen in vmbus.ring.blocked at vm1.ring.a (Ring a) at 50 ns',
    );
    expect(lines[2]).toMatch(/^workloads\[0\] \(VM vm1 disk a\): 1 of 3 requests never issued: /);
  });

  it('reports nothing when every request completed', () => {
    const u = fold([workload({ count: 2 })], records(issued(0, 0), completed(0, 5), issued(1, 5), completed(1, 9))).result({ topology: TOPOLOGY, stop: 'empty', endNs: 9 });
    expect(u).toEqual({ stuck: [], notIssued: [], requested: 2 });
    expect(unfinishedLines(u, { requested: 2, stop: 'empty', endNs: 9 })).toEqual([]);
  });

  it('takes the workload and the request number from each issue record', () => {
    const workloads = [
      workload({ op: 'read', bytes: 8192, count: 2, pattern: 'sequential', lba: 100 }),
      workload({ op: 'write', bytes: 8192, count: 2, pattern: 'fixed', lba: 7 }),
      workload({ op: 'mixed', bytes: 4096, count: 2, pattern: 'random', startNs: 1000 }),
    ];
    const trace = records(
      issued(0, 0, { op: 'write', bytes: 8192, lba: 7, workload: 1, request: 0 }),
      issued(1, 0, { op: 'read', bytes: 8192, lba: 100, workload: 0, request: 0 }),
      issued(2, 5, { op: 'read', bytes: 8192, lba: 116, workload: 0, request: 1 }),
      issued(3, 1000, { op: 'read', bytes: 4096, lba: 800, workload: 2, request: 0 }),
      issued(4, 1001, { op: 'write', bytes: 4096, lba: 96, workload: 2, request: 1 }),
    );
    const u = fold(workloads, trace).result({ topology: TOPOLOGY, stop: 'until', endNs: 2000 });
    expect(u.stuck.map((s) => [s.flow, s.index, s.request])).toEqual([
      [0, 1, 1],
      [1, 0, 1],
      [2, 0, 2],
      [3, 2, 1],
      [4, 2, 2],
    ]);
    expect(u.notIssued.map((n) => [n.index, n.missing])).toEqual([[1, 1]]);
  });

  it('attributes network packets to their traffic by NIC and direction', () => {
    const traffic: TrafficConfig[] = [
      { vm: 'vm1', nic: 'a', direction: 'send', bytes: 1514, count: 1, packetsPerSecond: 1000, arrival: 'constant', startNs: 0 },
      { vm: 'vm1', nic: 'a', direction: 'receive', bytes: 1514, count: 1, packetsPerSecond: 1000, arrival: 'constant', startNs: 0 },
    ];
    // A disk with the same id as the NIC: its workload must not take the packets.
    const trace = records(issued(0, 0, { path: 'nic-synthetic', op: 'read', bytes: 1514, workload: 1, request: 0 }), issued(1, 0, { path: 'nic-synthetic', op: 'write', bytes: 1514, workload: 0, request: 0 }));
    const u = fold([workload({ bytes: 1514 as number })], trace, traffic).result({ topology: TOPOLOGY, stop: 'until', endNs: 10 });
    expect(u.stuck.map((s) => [s.flow, s.source, s.index])).toEqual([
      [0, 'traffic', 1],
      [1, 'traffic', 0],
    ]);
    expect(unfinishedLines(u, { requested: 3, stop: 'until', endNs: 10 })[1]).toMatch(/^VM vm1 NIC a: request 1 of 1 of traffic\[1\], flow 0: nic-synthetic read of 1,514 B, issued/);
  });

  it('still lists a request no workload matches (index -1), never drops it', () => {
    const u = fold([workload({})], records(issued(0, 0, { disk: 'other' }))).result({ topology: TOPOLOGY, stop: 'empty', endNs: 1 });
    expect(u.stuck).toMatchObject([{ flow: 0, index: -1, device: 'other' }]);
    expect(u.notIssued).toMatchObject([{ index: 0, missing: 1 }]);
  });

  it('caps the listing at maxStuckLines and says how many more', () => {
    const count = 25;
    const trace = records(...Array.from({ length: count }, (_, i) => issued(i, i)));
    const u = fold([workload({ count, queueDepth: count })], trace).result({ topology: TOPOLOGY, stop: 'maxEvents', endNs: 30 });
    const lines = unfinishedLines(u, { requested: count, stop: 'maxEvents', endNs: 30, maxEvents: 99 });
    expect(lines).toHaveLength(1 + 20 + 1);
    expect(lines[0]).toContain('limits.maxEvents (99 events)');
    expect(lines.at(-1)).toBe('and 5 more open requests');
  });
});

/** The open requests and their last records, by a second pass over the whole kept trace. */
function openByFullPass(run: ScenarioRun): Map<number, HvRecord> {
  const open = new Map<number, HvRecord>();
  for (const r of run.records) {
    if (r.flow < 0) continue;
    if (r.kind === 'io.request.completed') open.delete(r.flow);
    else if (r.kind === 'io.request.issued' || open.has(r.flow)) open.set(r.flow, r);
  }
  return open;
}

/** Every request the workloads asked for is completed, stuck or never issued; the stuck ones agree with a full pass. */
function expectAccounted(run: ScenarioRun): void {
  const missing = run.notIssued.reduce((sum, n) => sum + n.missing, 0);
  expect(run.output.completed + run.stuck.length + missing).toBe(run.requested);
  expect(run.output.issued).toBe(run.output.completed + run.stuck.length);
  const open = openByFullPass(run);
  expect(run.stuck.map((s) => s.flow)).toEqual([...open.keys()].sort((a, b) => a - b));
  for (const s of run.stuck) {
    const last = open.get(s.flow)!;
    expect(s.last).toMatchObject({ kind: last.kind, seq: last.seq, t: last.t, place: last.place });
    expect(s.last.label).toBe(run.output.topology.places.find((p) => p.id === last.place)!.label);
  }
}

describe('runScenario names what it left unfinished', () => {
  it('lists no stuck request when every request completed', () => {
    const run = runScenario(scenarioOf(edited((s) => (s.workloads[0].count = 5))));
    expect(run.stuck).toEqual([]);
    expect(run.notIssued).toEqual([]);
    expect(leftUnfinished(run)).toBe(false);
    expect(unfinishedMessage(run)).toEqual([]);
  });

  it('at limits.until: each open request with its number, flow, path, op and last record; the rest never issued', () => {
    const run = runScenario(
      scenarioOf(
        edited((s) => {
          Object.assign(s.workloads[0], { count: 400, queueDepth: 4, size: '64KiB', pattern: 'sequential', lba: 2048 });
          s.limits = { until: '20ms' };
        }),
      ),
    );
    expect(run.output.stop).toBe('until');
    // At most one open request per issuer (an issuer between two requests has none open).
    expect(run.stuck.length).toBeGreaterThan(0);
    expect(run.stuck.length).toBeLessThanOrEqual(4);
    expectAccounted(run);
    for (const s of run.stuck) {
      expect(s).toMatchObject({ source: 'workload', index: 0, vm: 'vm1', device: 'data', of: 400, path: 'vmbus-scsi', op: 'write', bytes: 65536 });
      expect(s.lba).toBe(2048 + (s.request - 1) * 128); // the n-th sequential request starts n-1 requests further on
      expect(s.issuedNs).toBeLessThanOrEqual(s.last.t);
      expect(s.last.t).toBeLessThanOrEqual(20_000_000);
    }
    expect(run.notIssued).toHaveLength(1);
    expect(run.notIssued[0]).toMatchObject({ index: 0, requested: 400 });
    const lines = unfinishedMessage(run);
    expect(lines[0]).toMatch(new RegExp(`^\\d+ of 400 requests did not complete \\(${run.stuck.length} issued and still open, \\d+ never issued\\): the run stopped at limits\\.until \\(20 ms\\)`));
    expect(lines).toHaveLength(1 + run.stuck.length + 1);
  });

  it('at limits.maxEvents, on emulated IDE and on network traffic alike', () => {
    const run = runScenario(
      scenarioOf(
        edited((s) => {
          s.vms.push({ id: 'old', os: 'legacy', integrationServices: false, disks: [{ id: 'boot', controller: 'ide', ideMode: 'pio', backend: { kind: 'fixed-vhd', disk: 'd1', sizeGiB: 10 } }] });
          s.vms[0].nics = [{ id: 'net', kind: 'synthetic' }];
          s.workloads = [{ vm: 'old', disk: 'boot', op: 'read', size: '64KiB', count: 3 }];
          s.traffic = [{ vm: 'vm1', nic: 'net', count: 50, packetsPerSecond: 1_000_000 }];
          s.limits = { maxEvents: 400 };
        }),
      ),
    );
    expect(run.output.stop).toBe('maxEvents');
    expectAccounted(run);
    expect(run.stuck.some((s) => s.source === 'workload' && s.path === 'ide-pio' && s.op === 'read')).toBe(true);
    expect(run.stuck.some((s) => s.source === 'traffic' && s.device === 'net' && s.path === 'nic-synthetic')).toBe(true);
    expect(unfinishedMessage(run)[0]).toContain('limits.maxEvents (400 events)');
  });

  it('a workload that starts after the run ends is reported as never issued, with why', () => {
    const run = runScenario(
      scenarioOf(
        edited((s) => {
          s.workloads.push({ vm: 'vm1', disk: 'data', size: '4KiB', count: 3, start: '40ms' });
          s.workloads[0].count = 500;
          s.limits = { until: '41ms', maxEvents: 300 };
        }),
      ),
    );
    expect(run.output.stop).toBe('maxEvents');
    expect(run.output.endNs).toBeLessThan(40_000_000);
    expectAccounted(run);
    const late = run.notIssued.find((n) => n.index === 1);
    expect(late).toMatchObject({ requested: 3, issued: 0, missing: 3 });
    expect(late!.why).toContain('its first request was due at 40 ms');
  });

  it('tells look-alike workloads apart by when their issuers were due', () => {
    // Two workloads with the same VM, disk, op, size and LBA: only their start differs.
    const run = runScenario(
      scenarioOf(
        edited((s) => {
          s.workloads.push({ vm: 'vm1', disk: 'data', size: '4KiB', count: 3, start: '40ms' });
          s.workloads[0].count = 500;
          s.limits = { until: '41ms' };
        }),
      ),
    );
    expectAccounted(run);
    const late = run.notIssued.find((n) => n.index === 1);
    expect(late === undefined || late.issued >= 1).toBe(true);
    for (const s of run.stuck.filter((x) => x.index === 1)) expect(s.issuedNs).toBeGreaterThanOrEqual(40_000_000);
  });
});
