/**
 * Common random numbers: workloads of one stream group draw identical
 * sequences; the claims' rule groups two compared workloads of the same
 * shape by default; the report and --json say which workloads share; and
 * the difference between two compared paths varies far less across seeds
 * with CRN than without.
 */
import { describe, expect, it } from 'vitest';
import { formatJson, formatReport, summarize } from '../../src/cli/report.js';
import { bundledScenario, makePoint, runScenario, type Scenario } from '../../src/scenario/index.js';
import { jsonText, scenarioOf } from './helpers.js';

/** Two identical VMs, each with a synthetic SCSI pass-through disk on its own identical HDD, 8 KiB random writes, and a claim comparing them. */
function twins(edit: (s: any) => void = () => {}): Scenario {
  const vm = (id: string, disk: string) => ({ id, disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'passthrough', disk } }] });
  const load = (v: string) => ({ vm: v, disk: 'data', op: 'write', size: '8KiB', count: 60, pattern: 'random' });
  const s: any = {
    version: 1,
    name: 'twins',
    host: { disks: [{ id: 'd1', kind: 'hdd' }, { id: 'd2', kind: 'hdd' }] },
    vms: [vm('a', 'd1'), vm('b', 'd2')],
    workloads: [load('a'), load('b')],
    claims: [{ text: 'a and b are alike', expect: { left: { vm: 'a', metric: 'latencyNs.mean' }, op: 'within', right: { vm: 'b', metric: 'latencyNs.mean' }, percent: 1 } }],
  };
  edit(s);
  return scenarioOf(jsonText(s));
}

function latencies(run: ReturnType<typeof runScenario>, vm: string): number[] {
  return run.records.filter((r) => r.kind === 'io.request.completed' && r.stream.startsWith(`${vm}/`)).map((r) => (r as { latencyNs: number }).latencyNs);
}

function lbas(run: ReturnType<typeof runScenario>, vm: string): number[] {
  return run.records.filter((r) => r.kind === 'io.request.issued' && r.stream.startsWith(`${vm}/`)).map((r) => (r as { lba: number }).lba);
}

describe('common random numbers', () => {
  it('gives two workloads on identical paths, compared by a claim, identical LBAs and latency sequences', () => {
    const run = runScenario(twins());
    expect(run.config.workloads.map((w) => w.stream)).toEqual(['0', '0']);
    expect(lbas(run, 'a')).toEqual(lbas(run, 'b'));
    expect(latencies(run, 'a')).toEqual(latencies(run, 'b'));
    expect(latencies(run, 'a')).toHaveLength(60);
    expect(run.commonRandomNumbers).toEqual([{ stream: '0', source: 'workload', indices: [0, 1], members: ['a/data', 'b/data'], automatic: true, claims: [0] }]);
  });

  it('draws independently with options.commonRandomNumbers false', () => {
    const run = runScenario(twins((s) => (s.options = { commonRandomNumbers: false })));
    expect(run.config.workloads.map((w) => w.stream)).toEqual([undefined, undefined]);
    expect(lbas(run, 'a')).not.toEqual(lbas(run, 'b'));
    expect(run.commonRandomNumbers).toEqual([]);
  });

  it('does not pair workloads of different shapes, nor ones with a stream of their own, and says so under the claim', () => {
    const bigger = runScenario(twins((s) => (s.workloads[1].size = '4KiB')));
    expect(bigger.commonRandomNumbers).toEqual([]);
    expect(lbas(bigger, 'a')).not.toEqual(lbas(bigger, 'b'));
    expect(bigger.independentStreams).toEqual([{ claim: 0, source: 'workload', indices: [0, 1], members: ['a/data', 'b/data'], why: 'different shapes (size 8192 vs 4096)' }]);
    expect(formatReport(summarize(bigger))).toContain('common random numbers: claim 1 compares workloads 0 (a/data) and 1 (b/data), which draw independent streams: different shapes (size 8192 vs 4096)');
    const own = runScenario(twins((s) => (s.workloads[1].stream = 'mine')));
    expect(own.commonRandomNumbers).toEqual([]);
    expect(own.independentStreams[0]!.why).toBe("workload 1 names stream 'mine'");
    const off = runScenario(twins((s) => (s.options = { commonRandomNumbers: false })));
    expect(off.independentStreams[0]!.why).toBe('options.commonRandomNumbers is false');
    expect(runScenario(twins()).independentStreams).toEqual([]);
  });

  it('pairs workloads whatever their queue depth, count and start: they do not change the sequence of draws (audit finding 4)', () => {
    const run = runScenario(
      twins((s) => {
        s.workloads[1].queueDepth = 4;
        s.workloads[1].count = 80;
        s.workloads[1].start = '1ms';
      }),
    );
    expect(run.config.workloads.map((w) => w.stream)).toEqual(['0', '0']);
    expect(lbas(run, 'b').slice(0, 60)).toEqual(lbas(run, 'a'));
  });

  it("keeps a sweep's untouched baseline the same when the compared workload's queue depth varies (audit finding 4)", () => {
    const data = JSON.parse(bundledScenario('passthrough-vs-native')!.text);
    const bare = [1, 2].map((qd) => {
      const point = makePoint(data, { 'workloads[0].queueDepth': qd });
      if (!point.ok) throw new Error('point invalid');
      const run = runScenario(point.scenario, { keepRecords: false });
      expect(run.commonRandomNumbers.map((g) => g.indices)).toEqual([[0, 1]]);
      return run.paths.find((p) => p.vm === 'bare')!;
    });
    expect(bare[1]).toEqual(bare[0]);
  });

  it('pairs two Poisson flows a claim compares, at the same rate, so they draw the same arrival times (audit finding 6)', () => {
    const data = JSON.parse(bundledScenario('nic-legacy-vs-synthetic')!.text);
    for (const t of data.traffic) t.arrival = 'poisson';
    const issued = (run: ReturnType<typeof runScenario>, vm: string): number[] => run.records.filter((r) => r.kind === 'io.request.issued' && r.stream.startsWith(`${vm}/`)).map((r) => r.t);
    const run = runScenario(scenarioOf(jsonText(data)));
    expect(run.config.traffic!.map((t) => t.stream)).toEqual(['0', '0']);
    expect(run.commonRandomNumbers).toEqual([{ stream: '0', source: 'traffic', indices: [0, 1], members: ['legacy/net', 'synthetic/net'], automatic: true, claims: [0] }]);
    expect(issued(run, 'legacy')).toEqual(issued(run, 'synthetic'));
    data.traffic[1].packetsPerSecond = 2000;
    const faster = runScenario(scenarioOf(jsonText(data)));
    expect(faster.commonRandomNumbers).toEqual([]);
    expect(faster.independentStreams[0]).toMatchObject({ source: 'traffic', why: 'different shapes (packetsPerSecond 1000 vs 2000)' });
  });

  it('shares a stream named in the file, without a claim', () => {
    const run = runScenario(
      twins((s) => {
        s.claims = [];
        s.options = { commonRandomNumbers: false };
        s.workloads[0].stream = 'shared';
        s.workloads[1].stream = 'shared';
        s.workloads[1].queueDepth = 4;
      }),
    );
    expect(lbas(run, 'a')).toEqual(lbas(run, 'b'));
    expect(run.commonRandomNumbers).toEqual([{ stream: 'shared', source: 'workload', indices: [0, 1], members: ['a/data', 'b/data'], automatic: false, claims: [] }]);
  });

  it('keeps the first workload of a group drawing what it drew alone', () => {
    const alone = runScenario(twins((s) => (s.options = { commonRandomNumbers: false })));
    const shared = runScenario(twins());
    expect(lbas(shared, 'a')).toEqual(lbas(alone, 'a'));
  });

  it('says in the table and in --json which workloads share draws', () => {
    const summary = summarize(runScenario(scenarioOf(bundledScenario('passthrough-vs-native')!.text)));
    expect(formatReport(summary)).toContain("common random numbers: workloads 0 (vm/data) and 1 (bare/data) share stream '0' (same shape, compared by claims 1, 2)");
    expect(JSON.parse(formatJson(summary)).commonRandomNumbers).toEqual([{ stream: '0', source: 'workload', indices: [0, 1], members: ['vm/data', 'bare/data'], automatic: true, claims: [0, 1] }]);
  });

  it('makes the passthrough-vs-native latency difference vary far less across seeds 1..8', () => {
    const base = scenarioOf(bundledScenario('passthrough-vs-native')!.text);
    const spread = (crn: boolean): { sd: number; diffs: number[] } => {
      const scenario: Scenario = { ...base, options: { ...base.options, commonRandomNumbers: crn } };
      const diffs = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
        const [vm, bare] = runScenario(scenario, { seed, keepRecords: false }).paths;
        return vm!.latencyNs.mean - bare!.latencyNs.mean;
      });
      const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
      return { sd: Math.sqrt(diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / (diffs.length - 1)), diffs };
    };
    const withCrn = spread(true);
    const without = spread(false);
    console.log(`passthrough-vs-native, mean latency vm - bare over seeds 1..8 (ns): with CRN sd ${withCrn.sd.toFixed(0)} [${withCrn.diffs.join(', ')}]; without sd ${without.sd.toFixed(0)} [${without.diffs.join(', ')}]`);
    expect(withCrn.sd).toBeLessThan(without.sd / 10);
  });
});
