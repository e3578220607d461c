/**
 * `hvsim run` folding on a second thread (`cli/fold-thread.ts`) prints what
 * the one-thread run prints: the same summary for bundled scenarios (one
 * that leaves requests unfinished among them), through a worker built from
 * this source and through the bundled CLI; and it is used only when asked
 * for or when the run is big.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { estimatedRecords, FOLD_THREAD_MIN_RECORDS, FOLD_THREAD_MIN_REQUESTS, runScenarioFolded, shouldFoldOnThread } from '../../src/cli/fold-thread.js';
import { summarize } from '../../src/cli/report.js';
import { bundledScenario, parseScenarioText, runScenario, type Scenario } from '../../src/scenario/index.js';
import { tempDir } from './helpers.js';

const dir = tempDir('fold');

function scenario(name: string, edit: (s: Record<string, unknown>) => void = () => {}): Scenario {
  const json = JSON.parse(bundledScenario(name)!.text) as Record<string, unknown>;
  edit(json);
  const parsed = parseScenarioText(JSON.stringify(json), `${name}.json`);
  if (!parsed.ok) throw new Error(`${name} is invalid`);
  return parsed.scenario;
}

describe('folding on a second thread', () => {
  it('gives the summary the one-thread run gives (worker built from this source)', async () => {
    const outfile = join(dir, 'fold-worker.mjs');
    await esbuild.build({ entryPoints: ['src/cli/fold-worker.ts'], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning' });
    const entry = new URL(`file://${outfile}`);
    const cases: Scenario[] = [
      scenario('emulated-vs-synthetic'),
      scenario('queue-depth'),
      scenario('snapshot-revert'),
      // Stopped early: requests left unfinished, named the same way by the ledger on either thread.
      scenario('queue-depth', (s) => (s['limits'] = { maxEvents: 5000 })),
    ];
    for (const s of cases) {
      const here = summarize(runScenario(s, { keepRecords: false }));
      const folded = summarize(await runScenarioFolded(s, {}, entry));
      expect(folded).toEqual(here);
    }
    const seeded = scenario('passthrough-vs-native');
    expect(summarize(await runScenarioFolded(seeded, { seed: 7 }, entry))).toEqual(summarize(runScenario(seeded, { seed: 7, keepRecords: false })));
  }, 120_000);

  it('is used when asked, or for a big run on a machine with a second core', () => {
    const entry = new URL('file:///nowhere/fold-worker.mjs');
    const small = scenario('queue-depth');
    const big = scenario('queue-depth', (s) => {
      for (const w of s['workloads'] as { count: number }[]) w.count = FOLD_THREAD_MIN_REQUESTS;
    });
    expect(shouldFoldOnThread(small, null, { HVSIM_FOLD_THREAD: '1' })).toBe(false); // no worker entry: the TypeScript source
    expect(shouldFoldOnThread(small, entry, { HVSIM_FOLD_THREAD: '1' })).toBe(true);
    expect(shouldFoldOnThread(big, entry, { HVSIM_FOLD_THREAD: '0' })).toBe(false);
    expect(shouldFoldOnThread(small, entry, {})).toBe(false);
    expect(shouldFoldOnThread(big, entry, {})).toBe(true);
  });

  it('is used for a run of few requests and many records (emulated I/O), found by a pilot', () => {
    const entry = new URL('file:///nowhere/fold-worker.mjs');
    // The headline at 1,250 writes per VM: 3,750 requests, 3 M records (PIO exits).
    const emulated = scenario('emulated-vs-synthetic', (s) => {
      for (const w of s['workloads'] as { count: number }[]) w.count = 1250;
    });
    const estimate = estimatedRecords(emulated)!;
    expect(estimate).toBeGreaterThan(FOLD_THREAD_MIN_RECORDS);
    expect(shouldFoldOnThread(emulated, entry, {})).toBe(true);
    // The estimate scales the pilot's records by the requests: within a few per cent of the run's own count here.
    const scaled = scenario('vhd-types');
    const actual = runScenario(scaled, { keepRecords: false }).output.records;
    expect(Math.abs(estimatedRecords(scaled)! - actual) / actual).toBeLessThan(0.05);
    // Records per request have no bound worth using: 300 PIO writes of 64 KiB (a word per exit) write over a million.
    const pio = scenario('emulated-vs-synthetic', (s) => {
      const [pioWrites] = s['workloads'] as Record<string, unknown>[];
      Object.assign(pioWrites!, { size: '64KiB', count: 300 });
      s['limits'] = { maxEvents: 50_000_000, until: '3600s' };
    });
    expect(estimatedRecords(pio)!).toBeGreaterThan(FOLD_THREAD_MIN_RECORDS);
    expect(shouldFoldOnThread(pio, entry, {})).toBe(true);
    // A run no bigger than its pilot gets none (the headline as bundled: one write per VM).
    expect(shouldFoldOnThread(scenario('emulated-vs-synthetic'), entry, {})).toBe(false);
    // A world whose own work outside the requests fills the pilot gives no estimate, and folds by its requests.
    expect(estimatedRecords(scenario('snapshot-revert'))).toBeNull();
    expect(shouldFoldOnThread(scenario('snapshot-revert'), entry, {})).toBe(false);
    // The pilot follows the run's overrides (another seed: another estimate, here the same order of size).
    expect(estimatedRecords(scaled, { seed: 99 })).toBeGreaterThan(actual / 2);
  });

  it('the bundled CLI prints the same either way', () => {
    execFileSync(process.execPath, ['esbuild.config.mjs', 'cli'], { stdio: 'ignore' });
    const run = (fold: string): string => execFileSync(process.execPath, ['bin/hvsim.mjs', 'run', 'queue-depth', '--json'], { encoding: 'utf8', env: { ...process.env, HVSIM_FOLD_THREAD: fold } });
    expect(run('1')).toBe(run('0'));
  }, 60_000);
});
