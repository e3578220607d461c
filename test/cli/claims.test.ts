/**
 * Claims in `hvsim run`: the table's Claims section, `--json`'s `claims`
 * with `holds` and both figures for every bundled scenario, and
 * `--check-claims`, which turns a claim that does not hold into exit 1
 * (without it, that is a finding and the exit code stays 0).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED } from '../../src/cli/main.js';
import { hvsim, tempDir } from './helpers.js';
import { BUNDLED_SCENARIOS } from '../../src/scenario/index.js';


const dir = tempDir('claims');

/** A small scenario with one true and one false claim (no 4 KiB write takes under 1 ns). */
function claimsFile(claims: unknown[], name = 'claims.json'): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      version: 1,
      name: 'claims',
      host: { disks: [{ id: 'd1', kind: 'ssd' }] },
      vms: [{ id: 'vm1', disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }] }],
      workloads: [{ vm: 'vm1', disk: 'data', size: '4KiB', count: 3 }],
      claims,
    }),
  );
  return path;
}

const TRUE_CLAIM = { text: 'A synthetic write never enters root user mode.', expect: { left: { vm: 'vm1', metric: 'perIo.rootUserTransitions' }, op: 'less-than', right: { value: 1 } } };
const FALSE_CLAIM = { text: 'A write takes under a nanosecond.', expect: { left: { vm: 'vm1', metric: 'latencyNs.mean' }, op: 'less-than', right: { value: 1 } } };

interface ClaimJson {
  text: string;
  holds: boolean;
  op: string;
  factor?: number;
  percent?: number;
  left: { label: string; value: number | null };
  right: { label: string; value: number | null };
  detail: string;
}

describe('run --json carries the claims', () => {
  for (const bundled of BUNDLED_SCENARIOS) {
    it(`${bundled.name}: every claim holds, with both figures`, async () => {
      const r = await hvsim('run', bundled.name, '--json', '--check-claims');
      expect(r.err).toBe('');
      expect(r.code).toBe(EXIT_OK);
      const { claims } = JSON.parse(r.out) as { claims: ClaimJson[] };
      expect(claims.length).toBeGreaterThan(0);
      for (const claim of claims) {
        expect(Object.keys(claim)).toEqual(['text', 'holds', 'op', claim.op === 'within' ? 'percent' : 'factor', 'left', 'right', 'detail']);
        expect(claim.holds, `${claim.text}\n${claim.detail}`).toBe(true);
        expect(claim.left.value).toEqual(expect.any(Number));
        expect(claim.right.value).toEqual(expect.any(Number));
        // A path's figure (vm/disk/path metric) or a run figure by its dotted name (vms.mail.saveNs, snapshots[0]).
        expect(claim.left.label).toMatch(/^([a-z0-9-]+\/[a-z0-9-]+\/[a-z-]+ [A-Za-z0-9.-]+|[A-Za-z_][\w-]*(\.[\w-]+|\[\d+\])*)$/);
      }
    });
  }

  it('emulated-vs-synthetic: PIO exits against ten times the synthetic ones, DMA latency against synthetic', async () => {
    const { claims, paths } = JSON.parse((await hvsim('run', 'emulated-vs-synthetic', '--json')).out) as { claims: ClaimJson[]; paths: { vm: string; perIo: { vmExits: number }; latencyNs: { mean: number } }[] };
    const vm = (id: string) => paths.find((p) => p.vm === id)!;
    expect(claims.map((c) => [c.op, c.factor, c.left.label, c.right.label])).toEqual([
      ['greater-than', 10, 'legacy-pio/data/ide-pio perIo.vmExits', 'enlightened/data/vmbus-scsi perIo.vmExits'],
      ['greater-than', 1, 'legacy-dma/data/ide-dma latencyNs.mean', 'enlightened/data/vmbus-scsi latencyNs.mean'],
    ]);
    expect(claims[0]!.left.value).toBe(vm('legacy-pio').perIo.vmExits);
    expect(claims[0]!.right.value).toBe(vm('enlightened').perIo.vmExits);
    expect(claims[1]!.left.value).toBe(vm('legacy-dma').latencyNs.mean);
    expect(claims[1]!.detail).toMatch(/^legacy-dma\/data\/ide-dma: [\d.]+ (ms|µs) mean latency > [\d.]+ (ms|µs) mean latency on enlightened\/data\/vmbus-scsi$/);
  });

  it('a false claim is in --json with holds false, and the exit code stays 0', async () => {
    const r = await hvsim('run', claimsFile([TRUE_CLAIM, FALSE_CLAIM]), '--json');
    expect(r).toMatchObject({ code: EXIT_OK, err: '' });
    const { claims } = JSON.parse(r.out) as { claims: ClaimJson[] };
    expect(claims.map((c) => c.holds)).toEqual([true, false]);
    expect(claims[1]).toMatchObject({ op: 'less-than', factor: 1, left: { label: 'vm1/data/vmbus-scsi latencyNs.mean' }, right: { label: 'constant', value: 1 } });
    expect(claims[1]!.detail).toMatch(/^vm1\/data\/vmbus-scsi: [\d.]+ µs mean latency ≥ 1 ns mean latency$/);
  });

  it('--json has an empty claims list for a scenario without claims, and --csv has no claims', async () => {
    expect(JSON.parse((await hvsim('run', claimsFile([], 'none.json'), '--json')).out).claims).toEqual([]);
    const csv = await hvsim('run', claimsFile([TRUE_CLAIM, FALSE_CLAIM]), '--csv');
    expect(csv.code).toBe(EXIT_OK);
    expect(csv.out).toBe((await hvsim('run', claimsFile([], 'none.json'), '--csv')).out); // the same run, so the same rows
  });
});

describe('the table shows the claims', () => {
  it('prints a Claims section with held and not held, the text and the figures', async () => {
    const r = await hvsim('run', claimsFile([TRUE_CLAIM, FALSE_CLAIM]));
    expect(r).toMatchObject({ code: EXIT_OK, err: '' });
    const section = r.out.slice(r.out.indexOf('\nClaims')).trimEnd().split('\n').slice(1);
    expect(section[0]).toBe('Claims (1 of 2 held):');
    expect(section[1]).toBe('✓ held      A synthetic write never enters root user mode.');
    expect(section[2]).toBe('            vm1/data/vmbus-scsi: 0 root user-mode transitions/IO < 1 root user-mode transition/IO');
    expect(section[3]).toBe('✗ not held  A write takes under a nanosecond.');
    expect(section[4]).toMatch(/^ {12}vm1\/data\/vmbus-scsi: [\d.]+ µs mean latency ≥ 1 ns mean latency$/);
    expect(section).toHaveLength(5);
  });

  it('prints every bundled claim as held', async () => {
    for (const bundled of BUNDLED_SCENARIOS) {
      const r = await hvsim('run', bundled.name);
      expect(r.out).toMatch(/\nClaims \((\d+) of \1 held\):\n/);
      expect(r.out).not.toContain('✗ not held');
    }
  }, 60_000); // runs every bundled scenario: seconds, more under parallel load

  it('prints no Claims section when the scenario states none', async () => {
    expect((await hvsim('run', claimsFile([], 'none.json'))).out).not.toContain('Claims');
  });
});

describe('--check-claims', () => {
  it('exits 1 when a claim does not hold, and names it on stderr', async () => {
    const r = await hvsim('run', claimsFile([TRUE_CLAIM, FALSE_CLAIM]), '--check-claims');
    expect(r.code).toBe(EXIT_RUN_FAILED);
    expect(r.out).toContain('✗ not held  A write takes under a nanosecond.');
    const lines = r.err.trimEnd().split('\n');
    expect(lines[0]).toBe(`hvsim: 1 of 2 claims of ${join(dir, 'claims.json')} did not hold:`);
    expect(lines[1]).toBe('  A write takes under a nanosecond.');
    expect(lines[2]).toMatch(/^ {4}vm1\/data\/vmbus-scsi: [\d.]+ µs mean latency ≥ 1 ns mean latency$/);
    expect(lines).toHaveLength(3);
  });

  it('exits 1 with --json too, and 0 when every claim holds', async () => {
    expect((await hvsim('run', claimsFile([FALSE_CLAIM]), '--json', '--check-claims')).code).toBe(EXIT_RUN_FAILED);
    expect(await hvsim('run', claimsFile([TRUE_CLAIM]), '--check-claims')).toMatchObject({ code: EXIT_OK, err: '' });
  });

  it('a claim whose path did not run does not hold', async () => {
    const ghost = { text: 'Nothing ran here.', expect: { left: { vm: 'vm1', metric: 'iops' }, op: 'greater-than', right: { value: 0 } } };
    const path = join(dir, 'late.json');
    // The workload starts after the run's end would be an error; instead the run stops before the write completes.
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        name: 'late',
        host: { disks: [{ id: 'd1', kind: 'hdd' }] },
        vms: [{ id: 'vm1', disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }] }],
        workloads: [{ vm: 'vm1', disk: 'data', size: '4KiB' }],
        limits: { until: '1us' },
        claims: [ghost],
      }),
    );
    const r = await hvsim('run', path, '--json', '--check-claims');
    expect(r.code).toBe(EXIT_RUN_FAILED);
    const { claims } = JSON.parse(r.out) as { claims: ClaimJson[] };
    expect(claims[0]).toMatchObject({ holds: false, left: { label: 'vm1/data/vmbus-scsi iops', value: null }, detail: 'cannot be checked: vm1/data/vmbus-scsi completed no requests' });
    expect(r.err).toContain('hvsim: 1 of 1 claim of');
  });

  it('warns when the scenario states no claims, and still exits 0', async () => {
    const path = claimsFile([], 'none.json');
    expect(await hvsim('run', path, '--check-claims')).toMatchObject({ code: EXIT_OK, err: `hvsim: warning: --check-claims: ${path} states no claims\n` });
  });

  it('is a flag without a value', async () => {
    expect(parseArgs(['run', 'x.json', '--check-claims'])).toMatchObject({ ok: true, command: { kind: 'run', checkClaims: true } });
    expect(parseArgs(['run', 'x.json'])).toMatchObject({ ok: true, command: { checkClaims: false } });
    expect(parseArgs(['run', 'x.json', '--check-claims=yes'])).toEqual({ ok: false, message: "'--check-claims' takes no value" });
    expect((await hvsim('run', 'x.json', '--check-claims=yes')).code).toBe(EXIT_BAD_INPUT);
  });
});
