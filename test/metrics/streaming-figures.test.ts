/**
 * The figures folded online (`PathMetricsFolder` as a trace sink, a run
 * that keeps no records) are the figures of the kept trace, bit for bit,
 * on every bundled scenario; so is the fingerprint. The latency summary
 * also matches the one from plain number arrays (`latenciesByStream`), the
 * way it was computed before latencies were kept in typed arrays.
 */
import { describe, expect, it } from 'vitest';
import { Fingerprint, fingerprintOf } from '../../src/engine/index.js';
import { computePathMetrics, latenciesByStream, PathMetricsFolder, summarize } from '../../src/metrics/index.js';
import { BUNDLED_SCENARIOS, parseScenarioText, runScenario, type Scenario } from '../../src/scenario/index.js';

function scenario(text: string, name: string): Scenario {
  const parsed = parseScenarioText(text, `${name}.json`);
  if (!parsed.ok) throw new Error(`${name} does not validate`);
  return parsed.scenario;
}

/** Every number of a value, by path, so a failure names the figure (JSON alone would hide -0 and NaN). */
function numbers(value: unknown, at = '', out: [string, number][] = []): [string, number][] {
  if (typeof value === 'number') out.push([at, value]);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) numbers(v, `${at}.${k}`, out);
  return out;
}

describe.each(BUNDLED_SCENARIOS.map((s) => [s.name, s.text] as const))('%s: streamed figures', (name, text) => {
  const s = scenario(text, name);
  const kept = runScenario(s);
  const streamed = runScenario(s, { keepRecords: false });

  it('keeps no records when asked not to, and the same counts', () => {
    expect(streamed.records).toEqual([]);
    expect(kept.records.length).toBe(kept.output.records);
    expect(streamed.output.records).toBe(kept.output.records);
  });

  it('folds the same figures, bit for bit, as computePathMetrics over the kept trace', () => {
    const fromTrace = computePathMetrics(kept.records);
    expect(JSON.stringify(streamed.paths)).toBe(JSON.stringify(fromTrace));
    expect(JSON.stringify(kept.paths)).toBe(JSON.stringify(fromTrace));
    const a = numbers(streamed.paths);
    const b = numbers(fromTrace);
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(Object.is(a[i]![1], b[i]![1]), a[i]![0]).toBe(true);
    expect(streamed.claims).toEqual(kept.claims);
  });

  it('summarizes latencies as from number arrays, and hands the same samples back', () => {
    const lists = latenciesByStream(kept.records);
    for (const p of streamed.paths) expect(p.latencyNs).toStrictEqual(summarize(lists.get(p.stream)!));
    const folder = new PathMetricsFolder();
    for (const r of kept.records) folder.write(r);
    expect(folder.latencies()).toEqual(lists);
  });

  it('streams the fingerprint of the kept trace, and repeats it', () => {
    expect(streamed.fingerprint).toBe(fingerprintOf(kept.records));
    expect(kept.fingerprint).toBe(streamed.fingerprint);
    expect(runScenario(s, { keepRecords: false }).fingerprint).toBe(streamed.fingerprint);
  });
});

describe('PathMetricsFolder', () => {
  it('grows its latency arrays past their first capacity and can be read twice', () => {
    const folder = new PathMetricsFolder();
    const base = { place: 'vm.app', band: 'guest-user', charge: 'guest', costNs: 0, cause: -1, stream: 'vm/d/native' } as const;
    for (let i = 0; i < 1000; i++) {
      folder.add({ ...base, seq: 2 * i, t: i * 10, flow: i, kind: 'io.request.issued', vm: 'vm', disk: 'd', path: 'native', op: 'write', bytes: 512, lba: 0 } as never);
      folder.add({ ...base, seq: 2 * i + 1, t: i * 10 + 5, flow: i, kind: 'io.request.completed', path: 'native', latencyNs: 1000 - i } as never);
    }
    const [p] = folder.result();
    expect(p!.latencyNs).toEqual({ count: 1000, mean: 501, p50: 500, p95: 950, p99: 990, min: 1, max: 1000 });
    expect(folder.result()).toEqual([p]);
    expect(folder.latencies().get('vm/d/native')!.slice(0, 3)).toEqual([1000, 999, 998]);
  });
});

describe('Fingerprint.add', () => {
  it('tells apart every value a record may hold, and treats an undefined field as absent', () => {
    const base = { kind: 'a', seq: 0, t: 1, x: 'q"\n', w: [1, { b: 2 }], v: { d: 1, c: 0.5 } };
    const variants: unknown[] = [
      { ...base, x: 'q"' },
      { ...base, t: 1.5 },
      { ...base, t: 2 ** 40 },
      { ...base, t: '1' },
      { ...base, t: true },
      { ...base, t: null },
      { ...base, t: NaN },
      { ...base, t: Infinity },
      { ...base, w: [1, { b: 3 }] },
      { ...base, w: [{ b: 2 }, 1] },
      { ...base, v: { d: 1, c: 0.25 } },
      { ...base, extra: 0 },
    ];
    const prints = [base, ...variants].map((r) => fingerprintOf([r]));
    expect(new Set(prints).size).toBe(prints.length);
    expect(fingerprintOf([{ ...base, z: undefined }])).toBe(fingerprintOf([base]));
    // A nested object's keys are sorted; a record's fields are taken in its own order.
    expect(fingerprintOf([{ ...base, v: { c: 0.5, d: 1 } }])).toBe(fingerprintOf([base]));
  });

  it('hashes a string the same whether it is new or seen before, and strings apart from their neighbours', () => {
    const a = fingerprintOf([{ kind: 'k', place: 'p1' }, { kind: 'k', place: 'p2' }, { kind: 'k', place: 'p1' }]);
    const b = fingerprintOf([{ kind: 'k', place: 'p1' }, { kind: 'k', place: 'p2' }, { kind: 'k', place: 'p2' }]);
    const c = fingerprintOf([{ kind: 'k', place: 'p3' }, { kind: 'k', place: 'p4' }, { kind: 'k', place: 'p3' }]);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(new Fingerprint().add({ k: 'ab' }).add({ k: 'c' }).digest()).not.toBe(new Fingerprint().add({ k: 'a' }).add({ k: 'bc' }).digest());
  });
});
