/**
 * Invariants every trace keeps, checked on every bundled scenario: records
 * in time order with gapless seq, each request's records between its issue
 * and its completion, causes pointing backwards; and where CPU time runs
 * (logical processors, reference §2.3).
 */
import { describe, expect, it } from 'vitest';
import { BUNDLED_SCENARIOS, parseScenarioText, runScenario, toWorldConfig } from '../../src/scenario/index.js';
import { ArraySink } from '../../src/engine/index.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { runWorld } from '../../src/model/world.js';
import { queueDepths } from './worlds.js';

describe.each(BUNDLED_SCENARIOS.map((s) => s.name))('trace of %s', (name) => {
  const parsed = parseScenarioText(BUNDLED_SCENARIOS.find((s) => s.name === name)!.text);
  if (!parsed.ok) throw new Error(`${name} does not validate`);
  const { records } = runScenario(parsed.scenario);

  it('is in time order with gapless seq, and every cause points backwards', () => {
    const bad = records.filter((r, i) => r.seq !== i || (i > 0 && r.t < records[i - 1]!.t) || r.cause >= r.seq);
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it("holds each request's records between its issue and its completion", () => {
    const issued = new Set<number>();
    const completed = new Set<number>();
    const bad: string[] = [];
    for (const r of records) {
      // A management action's records (stream '') share a flow of their own, with no issue or completion.
      if (r.flow < 0 || r.stream === '') continue;
      if (completed.has(r.flow)) bad.push(`${r.kind} of request ${r.flow} after its completion`);
      if (r.kind === 'io.request.issued') issued.add(r.flow);
      else if (!issued.has(r.flow)) bad.push(`${r.kind} of request ${r.flow} before its issue`);
      if (r.kind === 'io.request.completed') completed.add(r.flow);
    }
    expect(bad.slice(0, 3)).toEqual([]);
    expect(completed.size).toBe(issued.size);
  });

  it('charges CPU time to a logical processor and device time to none', () => {
    const bad = records.filter((r) => (r.charge === 'device' || r.charge === 'none' ? r.lp !== -1 : r.lp < 0));
    expect(bad.slice(0, 3)).toEqual([]);
  });
});

describe('logical processors', () => {
  const run = (lps: number) => {
    const parsed = parseScenarioText(BUNDLED_SCENARIOS.find((s) => s.name === 'emulated-vs-synthetic')!.text);
    if (!parsed.ok) throw new Error('invalid');
    const config = toWorldConfig(parsed.scenario);
    const sink = new ArraySink<HvRecord>();
    // NVMe disks: an HDD serves each PIO sector when it next comes under the head, which absorbs small CPU delays.
    runWorld({ ...config, host: { ...config.host, logicalProcessors: lps, disks: config.host.disks.map((d) => ({ ...d, kind: 'ssd' as const })) } }, sink);
    return sink.records;
  };

  it("runs a channel's root work on its target VP's LP (OpenVMM run_on_target), and an emulated intercept on the guest LP", () => {
    const records = run(4);
    const synGuest = records.find((r) => r.stream.endsWith('vmbus-scsi') && r.charge === 'guest')!;
    const synRoot = records.filter((r) => r.stream.endsWith('vmbus-scsi') && r.charge === 'root');
    expect(synRoot.length).toBeGreaterThan(0);
    expect(new Set(synRoot.map((r) => r.lp))).toEqual(new Set([synGuest.lp]));
    const pioGuest = records.find((r) => r.stream.endsWith('ide-pio') && r.charge === 'guest')!;
    const pioRoot = records.filter((r) => r.stream.endsWith('ide-pio') && r.charge === 'root');
    expect(new Set(pioRoot.map((r) => r.lp))).toEqual(new Set([pioGuest.lp]));
    expect(pioGuest.lp).not.toBe(0);
  });

  it('makes work wait when VMs share one LP, and the end-to-end time grows', () => {
    const spread = run(4);
    const shared = run(1);
    expect(spread.filter((r) => (r.waitNs ?? 0) > 0 && r.lp >= 0).length).toBeLessThan(shared.filter((r) => (r.waitNs ?? 0) > 0 && r.lp >= 0).length);
    const end = (rs: HvRecord[]) => rs[rs.length - 1]!.t;
    expect(end(shared)).toBeGreaterThan(end(spread));
  });

  it('at queue depth the guest VP queues its own requests (waits appear on the guest LP)', () => {
    const sink = new ArraySink<HvRecord>();
    runWorld(queueDepths([32], 200), sink);
    expect(sink.records.some((r) => r.charge === 'guest' && (r.waitNs ?? 0) > 0)).toBe(true);
  });
});
