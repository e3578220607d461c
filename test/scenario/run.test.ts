/**
 * runScenario end to end on the bundled scenarios: the paths each one is
 * about, determinism by fingerprint, seed and profile overrides, the extra
 * trace sink, and the limit check.
 */
import { describe, expect, it } from 'vitest';
import { ArraySink } from '../../src/engine/index.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { bundledScenario, hitLimits, runScenario, type Scenario } from '../../src/scenario/index.js';
import { edited, scenarioOf } from './helpers.js';

const bundled = (name: string): Scenario => scenarioOf(bundledScenario(name)!.text);

describe('runScenario', () => {
  it('runs emulated-vs-synthetic: one request on each of the three paths', () => {
    const run = runScenario(bundled('emulated-vs-synthetic'));
    expect(run.output.stop).toBe('empty');
    expect(run.paths.map((p) => [p.vm, p.path, p.requests])).toEqual([
      ['legacy-pio', 'ide-pio', 1],
      ['legacy-dma', 'ide-dma', 1],
      ['enlightened', 'vmbus-scsi', 1],
    ]);
    expect(run.records.length).toBe(run.output.records);
    expect(run.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(hitLimits(run)).toBe(false);
  });

  it('runs fastpath-boot: emulated DMA before the action, the fast path after it', () => {
    const run = runScenario(bundled('fastpath-boot'));
    expect(run.paths.map((p) => [p.path, p.requests])).toEqual([
      ['ide-dma', 50],
      ['ide-fastpath', 50],
    ]);
    const dma = run.paths[0]!;
    const fast = run.paths[1]!;
    expect(dma.lastCompleteNs!).toBeLessThan(600_000_000); // all emulated writes finish before the drivers load
    expect(fast.firstIssueNs).toBe(700_000_000);
    expect(fast.perIo.vmExits).toBeLessThan(dma.perIo.vmExits);
  });

  it('is deterministic: the same seed gives the same fingerprint', () => {
    const scenario = bundled('emulated-vs-synthetic');
    expect(runScenario(scenario).fingerprint).toBe(runScenario(scenario).fingerprint);
  });

  it('applies seed and profile overrides', () => {
    const scenario = scenarioOf(edited((s) => Object.assign(s.workloads[0], { pattern: 'random', count: 20 })));
    const a = runScenario(scenario, { seed: 1 });
    const b = runScenario(scenario, { seed: 2 });
    expect(a.config.seed).toBe(1);
    expect(b.config.seed).toBe(2);
    expect(a.fingerprint).not.toBe(b.fingerprint); // random LBAs differ
    expect(runScenario(scenario, { profile: 'modern' }).config.profile).toBe('modern');
  });

  it('also writes every record to an extra sink', () => {
    const extra = new ArraySink<HvRecord>();
    const run = runScenario(bundled('emulated-vs-synthetic'), { traceSink: extra });
    expect(extra.records).toEqual(run.records);
  });

  it('reports hitting limits.until with requests unfinished', () => {
    const scenario = scenarioOf(edited((s) => {
      s.workloads[0].count = 100;
      s.limits = { until: '5ms' };
    }));
    const run = runScenario(scenario);
    expect(run.output.stop).toBe('until');
    expect(run.output.completed).toBeLessThan(100);
    expect(run.requested).toBe(100);
    expect(hitLimits(run)).toBe(true);
  });
});
