import { describe, expect, it } from 'vitest';
import type { PathMetrics } from '../../src/metrics/index.js';
import type { RunFigures } from '../../src/metrics/run-figures.js';
import { evaluateClaimsAcross, figureTrueInOf, formatTrueIn, intervalOf, meanWithInterval, replicateFigures, replicatePaths } from '../../src/scenario/experiment/index.js';
import { bundledScenario, evaluateClaims, parseScenarioText, runScenario, type ScenarioClaim } from '../../src/scenario/index.js';

function scenario(name: string) {
  const parsed = parseScenarioText(bundledScenario(name)!.text);
  if (!parsed.ok) throw new Error('bundled scenario invalid');
  return parsed.scenario;
}

describe('mean with interval', () => {
  it('uses Student t with n − 1 degrees of freedom', () => {
    // Values 1..10: mean 5.5, s = 3.0277, t(0.975, 9) = 2.2622 → ± 2.1659.
    const { mean, ci95 } = meanWithInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(mean).toBe(5.5);
    expect(ci95!.halfWidth).toBeCloseTo(2.16585, 4);
    expect(ci95!.low).toBeCloseTo(5.5 - 2.16585, 4);
    const two = meanWithInterval([10, 12]);
    expect(two.ci95!.halfWidth).toBeCloseTo(12.7062 * 1, 3); // s = √2, / √2
    expect(meanWithInterval([7]).ci95).toBeNull();
    expect(meanWithInterval([4, 4, 4]).ci95).toEqual({ low: 4, high: 4, halfWidth: 0 });
  });
});

describe('replicated paths', () => {
  const runs = [1, 2, 3].map((seed) => runScenario(scenario('passthrough-vs-native'), { seed, keepRecords: false }));
  const paths = replicatePaths(runs.map((run) => run.paths));

  it('hold the mean of each figure with its interval under the same name', () => {
    expect(paths.map((p) => p.stream)).toEqual(runs[0]!.paths.map((p) => p.stream));
    const means = runs.map((run) => run.paths[0]!.latencyNs.mean);
    expect(paths[0]!.latencyNs.mean).toBeCloseTo(means.reduce((a, b) => a + b) / 3, 6);
    expect(paths[0]!.replications).toBe(3);
    expect(intervalOf(paths[0]!.ci95, 'latencyNs.mean')).toEqual(meanWithInterval(means).ci95);
    expect(intervalOf(paths[0]!.ci95, 'perIo.vmExits')).not.toBeNull();
    expect(intervalOf(paths[0]!.ci95, 'timeByBandNs.hardware')).not.toBeNull();
    expect(paths[0]!.vm).toBe('vm');
    expect(paths[0]!.ci95['vm']).toBeUndefined(); // names have no interval
  });

  it('give every numeric figure an interval', () => {
    const leaves = (value: unknown, ci: unknown, at: string): string[] => {
      if (typeof value === 'number') return ci !== null && typeof ci === 'object' && 'halfWidth' in ci ? [] : [at];
      if (value === null || typeof value !== 'object') return [];
      return Object.entries(value).flatMap(([key, inner]) => leaves(inner, (ci as Record<string, unknown>)?.[key], `${at}.${key}`));
    };
    const { ci95, replications: _n, completedIn: _k, ...figures } = paths[0]!;
    expect(leaves(figures, ci95, 'path')).toEqual([]);
  });
});

describe('replicated paths where some runs completed nothing', () => {
  // A run that completed nothing on a path has zeros for its latency and per-I/O figures: no measurement (audit finding 1).
  const path = (requests: number, latency: number): PathMetrics =>
    ({ stream: 'vm/data', vm: 'vm', disk: 'data', path: 'vmbus-scsi', requests, iops: requests * 100, latencyNs: { mean: latency, count: requests }, perIo: { vmExits: requests > 0 ? 1 : 0 }, cpuNsPerIo: { total: requests > 0 ? 34_000 : 0 } }) as unknown as PathMetrics;
  const [folded] = replicatePaths([path(0, 0), path(1, 6_000_000), path(1, 4_000_000), path(0, 0)].map((p) => [p]));

  it('leave those runs out of the latency and per-I/O figures, and say over how many runs they are', () => {
    expect(folded!.latencyNs.mean).toBe(5_000_000);
    expect(intervalOf(folded!.ci95, 'latencyNs.mean')).toEqual(meanWithInterval([6_000_000, 4_000_000]).ci95);
    expect(folded!.perIo.vmExits).toBe(1);
    expect(intervalOf(folded!.ci95, 'perIo.vmExits')!.halfWidth).toBe(0);
    expect(folded!.cpuNsPerIo.total).toBe(34_000);
    expect(folded!.completedIn).toBe(2);
    expect(folded!.replications).toBe(4);
  });

  it('keep 0 IOPS as the real zero it is', () => {
    expect(folded!.iops).toBe(50);
    expect(folded!.requests).toBe(0.5);
  });
});

describe('yes/no run figures over replications', () => {
  const run = (converged: boolean | undefined, withinLimits: boolean): RunFigures =>
    ({ migrations: [{ vm: 'a', blackoutNs: 10, ...(converged === undefined ? {} : { converged }) }, { vm: 'b', blackoutNs: 20 }], backups: [{ withinLimits }], vms: { a: { saveNs: 5 } } }) as unknown as RunFigures;

  it('count the runs each was true in, in the figures\' shape, beside the first run\'s value', () => {
    const { figures, trueIn } = replicateFigures([run(false, true), run(true, true), run(true, true)]);
    expect((figures['migrations'] as { converged: boolean }[])[0]!.converged).toBe(false);
    // Only yes/no figures: a list item without one is null, a part without one absent.
    expect(trueIn).toEqual({ migrations: [{ converged: { runs: 2, of: 3 } }, null], backups: [{ withinLimits: { runs: 3, of: 3 } }] });
    expect(figureTrueInOf(trueIn, 'migrations[0].converged')).toEqual({ runs: 2, of: 3 });
    expect(figureTrueInOf(trueIn, 'migrations[0].blackoutNs')).toBeNull();
    expect(figureTrueInOf(trueIn, 'vms.a.saveNs')).toBeNull();
  });

  it('count over the runs that have the figure', () => {
    const { trueIn } = replicateFigures([run(true, false), run(undefined, false), run(true, false)]);
    expect(figureTrueInOf(trueIn, 'migrations[0].converged')).toEqual({ runs: 2, of: 2 });
    expect(figureTrueInOf(trueIn, 'backups[0].withinLimits')).toEqual({ runs: 0, of: 3 });
  });

  it('read as true or false in every run, or how many runs were true', () => {
    expect(formatTrueIn({ runs: 5, of: 5 }, 5)).toBe('true (all 5)');
    expect(formatTrueIn({ runs: 0, of: 5 }, 5)).toBe('false (all 5)');
    expect(formatTrueIn({ runs: 4, of: 5 }, 5)).toBe('true in 4 of 5');
    expect(formatTrueIn({ runs: 2, of: 2 }, 3)).toBe('true in 2 of 3 (1 without it)');
  });
});

describe('claims across replications', () => {
  const fake = (value: number, stream: string): PathMetrics => ({ stream, vm: stream, disk: 'data', path: 'native', requests: 10, latencyNs: { mean: value } } as unknown as PathMetrics);
  const less: ScenarioClaim = { text: 'a is less than b', expect: { left: { vm: 'a', metric: 'latencyNs.mean' }, op: 'less-than', right: { vm: 'b', metric: 'latencyNs.mean' } } };
  const check = (a: number[], b: number[], claim = less) => {
    const runs = a.map((value, i) => [fake(value, 'a'), fake(b[i]!, 'b')]);
    return evaluateClaimsAcross([claim], replicatePaths(runs), runs.map((paths) => evaluateClaims([claim], paths)))[0]!;
  };

  it('judge two figures on their per-replication difference, paired by seed (audit finding 3)', () => {
    const apart = check([10, 11, 12], [20, 21, 22]);
    expect(apart.holds).toBe(true);
    expect(apart.heldIn).toEqual({ runs: 3, of: 3 });
    expect(apart.basis).toBe('paired');
    expect(apart.paired).toEqual({ quantity: 'difference', mean: -10, ci95: { low: -10, high: -10, halfWidth: 0 } });
    // a < b by 5 in every replication: the two means' intervals overlap (each carries the seeds' swing), the paired difference does not.
    const overlapping = check([10, 14, 18], [15, 19, 23]);
    expect(overlapping.left.ci95!.high).toBeGreaterThan(overlapping.right.ci95!.low);
    expect(overlapping.holds).toBe(true);
    expect(overlapping.detail).toMatch(/paired by seed: left − right per replication -5 ns ± 0 ns, below 0 at both ends of its 95 % interval; held in 3 of 3 replications/);
    // The difference changes sign from seed to seed: not shown.
    const mixed = check([10, 14, 18], [15, 13, 23]);
    expect(mixed.heldIn).toEqual({ runs: 2, of: 3 });
    expect(mixed.holds).toBe(false);
    expect(mixed.paired!.ci95!.high).toBeGreaterThan(0);
  });

  it('judge a factor on the ratio and within on the relative difference', () => {
    const tenfold: ScenarioClaim = { text: 'ten times', expect: { left: { vm: 'a', metric: 'latencyNs.mean' }, op: 'greater-than', right: { vm: 'b', metric: 'latencyNs.mean' }, factor: 10 } };
    const ratio = check([110, 220, 330], [10, 20, 30], tenfold);
    expect(ratio.paired).toMatchObject({ quantity: 'ratio', mean: 11 });
    expect(ratio.holds).toBe(true);
    const within: ScenarioClaim = { text: 'close', expect: { left: { vm: 'a', metric: 'latencyNs.mean' }, op: 'within', right: { vm: 'b', metric: 'latencyNs.mean' }, percent: 5 } };
    const relative = check([1010, 2020, 3030], [1000, 2000, 3000], within);
    expect(relative.paired!.quantity).toBe('relative-difference');
    expect(relative.paired!.mean).toBeCloseTo(1, 9);
    expect(relative.holds).toBe(true);
  });

  it('hold a claim on a yes/no figure only if it held in every replication, not on the first run alone (audit finding 2)', () => {
    const converged: ScenarioClaim = { text: 'converges', expect: { left: { figure: 'vms.a.converged' }, op: 'greater-than', right: { value: 0 } } };
    const runFigures = [true, false, false].map((flag) => ({ vms: { a: { converged: flag } } }) as unknown as RunFigures);
    const perRun = runFigures.map((figures) => evaluateClaims([converged], [], figures));
    expect(perRun.map((results) => results[0]!.holds)).toEqual([true, false, false]);
    const result = evaluateClaimsAcross([converged], [], perRun, replicateFigures(runFigures))[0]!;
    expect(result.holds).toBe(false);
    expect(result.basis).toBe('every-run');
    expect(result.detail).toMatch(/vms\.a\.converged is a yes\/no figure, with no interval: held only if it held in every replication; held in 1 of 3/);
    const always = [true, true].map((flag) => ({ vms: { a: { converged: flag } } }) as unknown as RunFigures);
    expect(evaluateClaimsAcross([converged], [], always.map((figures) => evaluateClaims([converged], [], figures)), replicateFigures(always))[0]!.holds).toBe(true);
  });

  it('hold a claim on a figure some replication lacks only if it held in every replication', () => {
    const saved: ScenarioClaim = { text: 'saved fast', expect: { left: { figure: 'vms.a.saveNs' }, op: 'less-than', right: { figure: 'vms.b.saveNs' } } };
    const runFigures = [5, null, 5].map((ns) => ({ vms: { a: { saveNs: ns }, b: { saveNs: 10 } } }) as unknown as RunFigures);
    const perRun = runFigures.map((figures) => evaluateClaims([saved], [], figures));
    const result = evaluateClaimsAcross([saved], [], perRun, replicateFigures(runFigures))[0]!;
    expect(result.heldIn).toEqual({ runs: 2, of: 3 });
    expect(result.holds).toBe(false);
    expect(result.detail).toMatch(/vms\.a\.saveNs is missing in some replication/);
  });

  it('check within at the far ends and against a constant', () => {
    const within: ScenarioClaim = { text: 'close', expect: { left: { vm: 'a', metric: 'latencyNs.mean' }, op: 'within', right: { vm: 'b', metric: 'latencyNs.mean' }, percent: 10 } };
    expect(check([100, 101, 102], [100, 101, 102], within).holds).toBe(true);
    expect(check([100, 110, 90], [100, 101, 102], within).holds).toBe(false);
    const constant: ScenarioClaim = { text: 'under 30', expect: { left: { vm: 'a', metric: 'latencyNs.mean' }, op: 'less-than', right: { value: 30 } } };
    const result = check([10, 11, 12], [0, 0, 0], constant);
    expect(result.holds).toBe(true);
    expect(result.right.ci95).toEqual({ low: 30, high: 30, halfWidth: 0 });
  });

  it('do not hold when a side cannot be read', () => {
    const missing: ScenarioClaim = { text: 'x', expect: { left: { vm: 'nope', metric: 'latencyNs.mean' }, op: 'less-than', right: { vm: 'b', metric: 'latencyNs.mean' } } };
    const result = check([1, 2], [3, 4], missing);
    expect(result.holds).toBe(false);
    expect(result.detail).toMatch(/cannot be checked: no request ran on VM 'nope'/);
  });
});
