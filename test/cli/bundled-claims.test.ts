/**
 * The bar on the bundled scenarios, read from `hvsim run --json` the
 * way a trainer or a script would: every figure comes out of the simulation.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

interface PathJson {
  vm: string;
  path: string;
  requests: number;
  latencyNs: { mean: number; p50: number; p95: number; p99: number };
  perIo: Record<string, number>;
  timeByBandNs: Record<string, number>;
}

async function runJson(...argv: string[]): Promise<{ fingerprint: string; paths: PathJson[] }> {
  let out = '';
  let err = '';
  const code = await main(['run', ...argv, '--json'], { out: { write: (t: string) => (out += t) }, err: { write: (t: string) => (err += t) } });
  expect(err).toBe('');
  expect(code).toBe(0);
  return JSON.parse(out);
}

const byPath = (paths: PathJson[], path: string, vm?: string): PathJson => paths.find((p) => p.path === path && (vm === undefined || p.vm === vm))!;

describe('emulated-vs-synthetic, profile 2008', async () => {
  const run = await runJson('emulated-vs-synthetic');
  const pio = byPath(run.paths, 'ide-pio');
  const dma = byPath(run.paths, 'ide-dma');
  const syn = byPath(run.paths, 'vmbus-scsi');

  it('PIO: 20 interrupts and 130-220 exits per 10 KiB write', () => {
    expect(pio.perIo['interrupts']).toBe(20);
    expect(pio.perIo['vmExits']).toBeGreaterThanOrEqual(130);
    expect(pio.perIo['vmExits']).toBeLessThanOrEqual(220);
  });
  it('DMA: 25-30 register accesses and 1 interrupt', () => {
    expect(dma.perIo['registerAccesses']).toBeGreaterThanOrEqual(25);
    expect(dma.perIo['registerAccesses']).toBeLessThanOrEqual(30);
    expect(dma.perIo['interrupts']).toBe(1);
  });
  it('synthetic: <= 3 guest exits, 0 root user-mode transitions, 2 ring packets', () => {
    expect(syn.perIo['vmExits']).toBeLessThanOrEqual(3);
    expect(syn.perIo['rootUserTransitions']).toBe(0);
    expect(syn.perIo['ringPackets']).toBe(2);
  });
  it('latency PIO > DMA > synthetic, and the breakdown shows where: root user mode only on the emulated paths', () => {
    expect(pio.latencyNs.mean).toBeGreaterThan(dma.latencyNs.mean);
    expect(dma.latencyNs.mean).toBeGreaterThan(syn.latencyNs.mean);
    expect(pio.timeByBandNs['root-user']).toBeGreaterThan(dma.timeByBandNs['root-user']!);
    expect(dma.timeByBandNs['root-user']).toBeGreaterThan(0);
    expect(syn.timeByBandNs['root-user']).toBe(0);
    expect(syn.timeByBandNs['vmbus']).toBeGreaterThan(0);
  });
  it('per element: more than 5,000 register accesses', async () => {
    // A per-element run of the same scenario: the option is in the file, so use a copy with it set.
    const { readFileSync, writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const data = JSON.parse(readFileSync('scenarios/emulated-vs-synthetic.json', 'utf8'));
    data.options = { ...data.options, stringIo: 'per-element' };
    delete data.$schema;
    const path = join(mkdtempSync(join(tmpdir(), 'hvsim-')), 'per-element.json');
    writeFileSync(path, JSON.stringify(data));
    const perElement = await runJson(path);
    expect(byPath(perElement.paths, 'ide-pio').perIo['registerAccesses']).toBeGreaterThan(5000);
  });
  it('the same scenario and seed twice give the same fingerprint', async () => {
    expect((await runJson('emulated-vs-synthetic')).fingerprint).toBe(run.fingerprint);
  });
});

describe('queue-depth', async () => {
  const run = await runJson('queue-depth');
  it('guest-to-host signals per I/O fall from about 1 at QD 1 to under 0.25 at QD 32', () => {
    const qd = (vm: string) => byPath(run.paths, 'vmbus-scsi', vm).perIo['ringSignalsToHost']!;
    expect(qd('qd1')).toBeGreaterThan(0.95);
    expect(qd('qd4')).toBeLessThan(qd('qd1'));
    expect(qd('qd32')).toBeLessThan(0.25);
  });
});

describe('fastpath-boot', async () => {
  const run = await runJson('fastpath-boot');
  it('the same IDE disk is emulated before integration services load and synthetic after', () => {
    const before = byPath(run.paths, 'ide-dma');
    const after = byPath(run.paths, 'ide-fastpath');
    expect(before.requests).toBe(50);
    expect(after.requests).toBe(50);
    expect(before.perIo['rootUserTransitions']).toBeGreaterThan(20);
    expect(after.perIo['rootUserTransitions']).toBe(0);
    expect(after.perIo['ringPackets']).toBe(2);
    expect(after.latencyNs.mean).toBeLessThan(before.latencyNs.mean);
  });
});

describe('passthrough-vs-native: overheads as ratios to native', async () => {
  let out = '';
  await main(['run', 'passthrough-vs-native'], { out: { write: (t: string) => (out += t) }, err: { write: () => 0 } });
  const json = await runJson('passthrough-vs-native');

  it('prints a section relative to the native baseline', () => {
    expect(out).toMatch(/Relative to native \(bare\/data, no hypervisor\):\n.*latency.*CPU\/IO\n.*vmbus-scsi +1(\.\d+)?× +\d+\.\d+×/);
  });

  it('--json carries nativeBaseline with a ratio per path, matching the paths figures', () => {
    const baseline = (json as unknown as { nativeBaseline: { ratios: { path: string; latencyMean: number }[] } }).nativeBaseline;
    const native = byPath(json.paths, 'native');
    const vm = byPath(json.paths, 'vmbus-scsi');
    expect(baseline.ratios).toHaveLength(1);
    expect(baseline.ratios[0]!.latencyMean).toBeCloseTo(vm.latencyNs.mean / native.latencyNs.mean, 10);
  });
});
