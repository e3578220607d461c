/**
 * `hvsim` on a scenario whose workloads run for a duration (a count only
 * caps them): what validate says, and what run, its JSON and its exit code
 * say when the windows close or when limits.until cuts them short.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimatedRecords, shouldFoldOnThread } from '../../src/cli/fold-thread.js';
import { EXIT_OK, EXIT_RUN_FAILED } from '../../src/cli/main.js';
import { bundledScenario, parseScenarioText, runScenario, type Scenario } from '../../src/scenario/index.js';
import { hvsim, tempDir } from './helpers.js';

const dir = tempDir('duration');

/** Two VMs on NVMe: one reading for 2 ms at queue depth 4, one writing for 1 ms from 1 ms, capped at 5 requests. */
function scenario(edit: (s: any) => void = () => {}): string {
  const s = {
    version: 1,
    name: 'timed',
    host: { disks: [{ id: 'd1', kind: 'ssd' }] },
    vms: [
      { id: 'vm1', disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }] },
      { id: 'vm2', disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }] },
    ],
    workloads: [
      { vm: 'vm1', disk: 'data', op: 'read', size: '4KiB', queueDepth: 4, pattern: 'random', duration: '2ms' },
      { vm: 'vm2', disk: 'data', op: 'write', size: '4KiB', duration: 1_000_000, start: '1ms', count: 5 },
    ],
  };
  edit(s);
  const path = join(dir, `${s.name}.json`);
  writeFileSync(path, JSON.stringify(s, null, 2));
  return path;
}

describe('hvsim validate on duration workloads', () => {
  it('says how long each runs as durations are shown elsewhere, and a cap the file sets', async () => {
    const path = scenario();
    expect((await hvsim('validate', path)).out).toBe(`${path}: valid scenario 'timed': 2 VMs, 2 workloads, 2 for 2 ms and 1 ms (at most 5 requests)\n`);
    const same = scenario((s) => {
      s.name = 'same';
      s.workloads[1] = { ...s.workloads[0], vm: 'vm2' };
    });
    expect((await hvsim('validate', same)).out).toBe(`${same}: valid scenario 'same': 2 VMs, 2 workloads, 2 for 2 ms each\n`);
  });
});

describe('hvsim run on duration workloads', () => {
  it('asks for what the windows issued: every request completes, exit 0', async () => {
    const r = await hvsim('run', scenario(), '--json');
    expect([r.code, r.err]).toEqual([EXIT_OK, '']);
    const json = JSON.parse(r.out);
    expect(json.requested).toBe(json.completed);
    expect(json.paths.find((p: { vm: string }) => p.vm === 'vm2').requests).toBe(5);
    expect(json.requested).toBeGreaterThan(5);
    expect(json.requested).toBeLessThan(1000);
  });

  it('cut short by limits.until: exit 1, the windows named as cut short, the cap never counted as asked for', async () => {
    const r = await hvsim('run', scenario((s) => (s.limits = { until: '1200us' })));
    expect(r.code).toBe(EXIT_RUN_FAILED);
    expect(r.out).toMatch(/requests completed \d+ of \d+ {2}stop until/);
    expect(r.err).toMatch(/lower the workloads' count or duration/);
    expect(r.err).toMatch(/workloads\[0\] \(VM vm1 disk data\): cut short: the run stopped at limits\.until \(1\.2 ms\) with 4 of its requests open \(listed above\), 800 µs before its window \(2 ms from 0 ns\) closed; it had issued \d+\n/);
    // The second, 200 µs into its window and below its cap of 5, is cut short too.
    expect(r.err).toMatch(/workloads\[1\] \(VM vm2 disk data\): cut short: the run stopped at limits\.until \(1\.2 ms\) with 1 of its requests open \(listed above\), 800 µs before its window \(1 ms from 1 ms\) closed; it had issued [1-4]\n/);
    expect(r.out + r.err).not.toMatch(/1,000,000/);
  });
});

describe('the fold thread\'s pilot on duration workloads', () => {
  it('estimates the records from what the windows will issue, not from the 1,000,000 cap', () => {
    for (const name of ['queue-depth', 'vhd-types']) {
      const s = bundled(name, (w) => {
        delete w.count;
        w.duration = '20ms';
      });
      const actual = runScenario(s, { keepRecords: false }).output.records;
      const estimate = estimatedRecords(s)!;
      expect(estimate / actual, name).toBeGreaterThan(0.5);
      // High by up to a few times: the pilot's requests meet no queue, those at queue depth 32 do (3.7 here).
      expect(estimate / actual, name).toBeLessThan(5);
    }
    // A small duration run stays on one thread, as a small counted run does.
    const entry = new URL('file:///nowhere/fold-worker.mjs');
    expect(shouldFoldOnThread(bundled('queue-depth', (w) => (w.duration = '5ms')), entry, {})).toBe(false);
  });
});

/** A bundled scenario with `edit` applied to each of its workloads. */
function bundled(name: string, edit: (w: Record<string, unknown>) => void): Scenario {
  const json = JSON.parse(bundledScenario(name)!.text) as { workloads: Record<string, unknown>[] };
  json.workloads.forEach(edit);
  const parsed = parseScenarioText(JSON.stringify(json), `${name}.json`);
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.errors)}`);
  return parsed.scenario;
}
