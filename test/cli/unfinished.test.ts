/**
 * `hvsim run` never passes a lost request in silence: a run that ends with
 * requests unfinished exits 1 and names each one on stderr (capped, with
 * "and N more"), `--json` always carries `stuck` and `notIssued`, and a
 * run that completes everything says nothing on stderr.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_RUN_FAILED } from '../../src/cli/main.js';
import { hvsim, tempDir } from './helpers.js';
import { STUCK_LINES } from '../../src/cli/run-command.js';


const dir = tempDir('unfinished');

/** A scenario file: one SCSI disk with `workload`, and `limits`. */
function scenarioFile(name: string, workload: Record<string, unknown>, limits?: Record<string, unknown>): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      version: 1,
      name,
      host: { disks: [{ id: 'd1', kind: 'hdd' }] },
      vms: [{ id: 'vm1', disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }] }],
      workloads: [{ vm: 'vm1', disk: 'data', size: '64KiB', ...workload }],
      ...(limits === undefined ? {} : { limits }),
    }),
  );
  return path;
}

describe('hvsim run with requests left unfinished', () => {
  it('exits 1 and names each open request on stderr, one line each, after the figures on stdout', async () => {
    const file = scenarioFile('until', { count: 400, queueDepth: 4, pattern: 'sequential' }, { until: '20ms' });
    const r = await hvsim('run', file);
    expect(r.code).toBe(EXIT_RUN_FAILED);
    expect(r.out).toContain('stop until');
    const lines = r.err.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^hvsim: warning: the run stopped at limits.until \(20 ms\) with \d+ of 400 requests completed; raise limits.until/);
    const stuck = lines.filter((l) => l.startsWith('  VM vm1 disk data: request '));
    // At most one open request per issuer (an issuer between two requests has none open).
    expect(stuck.length).toBeGreaterThan(0);
    expect(stuck.length).toBeLessThanOrEqual(4);
    const completed = Number(/with (\d+) of 400/.exec(lines[0]!)![1]);
    expect(lines[1]).toBe(`hvsim: ${file}: ${400 - completed} of 400 requests did not complete (${stuck.length} issued and still open, ${400 - completed - stuck.length} never issued):`);
    for (const line of stuck) expect(line).toMatch(/^ {2}VM vm1 disk data: request \d+ of 400 of workloads\[0\], flow \d+: vmbus-scsi write of 64 KiB at LBA [\d,]+, issued at .+; last seen in [a-z.-]+ at [\w.-]+ \(.+\) at .+$/);
    expect(lines.at(-1)).toMatch(new RegExp(`^ {2}workloads\\[0\\] \\(VM vm1 disk data\\): \\d+ of 400 requests never issued: its issuers were still waiting on ${stuck.length} open request`));
  });

  it('--json has the stuck requests and the never-issued counts, and keeps the summary fields', async () => {
    const file = scenarioFile('until-json', { count: 400, queueDepth: 4, pattern: 'sequential' }, { until: '20ms' });
    const r = await hvsim('run', file, '--json');
    expect(r.code).toBe(EXIT_RUN_FAILED);
    const summary = JSON.parse(r.out);
    for (const field of ['scenario', 'seed', 'profile', 'fingerprint', 'events', 'endNs', 'stop', 'issued', 'completed', 'requested', 'paths', 'claims']) expect(summary).toHaveProperty(field);
    expect(summary.stuck.length).toBeGreaterThan(0);
    expect(summary.stuck.length).toBeLessThanOrEqual(4);
    expect(summary.stuck[0]).toEqual({
      source: 'workload',
      index: 0,
      vm: 'vm1',
      device: 'data',
      request: expect.any(Number),
      of: 400,
      flow: expect.any(Number),
      path: 'vmbus-scsi',
      op: 'write',
      bytes: 65536,
      lba: expect.any(Number),
      issuedNs: expect.any(Number),
      last: { kind: expect.any(String), seq: expect.any(Number), t: expect.any(Number), place: expect.any(String), label: expect.any(String) },
    });
    const missing = summary.notIssued.reduce((sum: number, n: { missing: number }) => sum + n.missing, 0);
    expect(summary.completed + summary.stuck.length + missing).toBe(summary.requested);
  });

  it(`lists at most ${STUCK_LINES} open requests, then how many more`, async () => {
    const file = scenarioFile('many', { count: 100, queueDepth: 64, size: '4KiB', pattern: 'random' }, { maxEvents: 3000 });
    const r = await hvsim('run', file, '--json');
    expect(r.code).toBe(EXIT_RUN_FAILED);
    const stuck = JSON.parse(r.out).stuck.length;
    expect(stuck).toBeGreaterThan(STUCK_LINES);
    const lines = r.err.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^hvsim: warning: the run stopped after limits.maxEvents \(3,000 events\)/);
    expect(lines[1]).toMatch(/^hvsim: .*many\.json: \d+ of 100 requests did not complete \(\d+ issued and still open(, \d+ never issued)?\):$/);
    expect(lines.filter((l) => l.startsWith('  VM '))).toHaveLength(STUCK_LINES);
    expect(lines).toContain(`  and ${stuck - STUCK_LINES} more open requests`);
  });

  it('a run that completes every request: exit 0, nothing on stderr, stuck and notIssued empty', async () => {
    const file = scenarioFile('done', { count: 3 });
    const r = await hvsim('run', file, '--json');
    expect(r).toMatchObject({ code: EXIT_OK, err: '' });
    expect(JSON.parse(r.out)).toMatchObject({ completed: 3, requested: 3, stuck: [], notIssued: [] });
  });
});

/** A cluster of two vSphere 4 hosts and a 2 GiB VM whose vMotion starts at 1 s, run until `until`, with `more` actions besides. */
function vmotionFile(name: string, until: string, more: Record<string, unknown>[] = []): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      version: 1,
      name,
      vms: [{ id: 'web', memoryMiB: 2048 }],
      cluster: { platform: 'vsphere-4', hosts: [{ id: 'esx1' }, { id: 'esx2' }], vms: [{ vm: 'web', host: 'esx1', dirtyRateMBps: 10 }], migrationNetwork: { gbps: 1 } },
      actions: [{ at: '1s', do: 'vmotion', vm: 'web', to: 'esx2' }, ...more],
      limits: { until },
    }),
  );
  return path;
}

describe('hvsim run with actions left unfinished', () => {
  it('a vMotion cut short by limits.until exits 1 and says so on stderr (the figures said only outcome: unfinished)', async () => {
    const file = vmotionFile('vmotion-cut', '10s');
    const r = await hvsim('run', file);
    expect(r.code).toBe(EXIT_RUN_FAILED);
    expect(r.out).toContain('stop until');
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`hvsim: ${file}: the scenario's actions left 1 piece of work unfinished: the run stopped at limits.until (10 s); raise limits.until`);
    // 2 GiB at 1 Gb/s takes about 18 s: at 10 s the first pass is still being sent.
    expect(lines[1]).toBe('  the vmotion migration of VM web from esx1 to esx2 had not finished its first pass of memory');
  });

  it('the same vMotion given the time it needs ends 0 with nothing on stderr', async () => {
    const r = await hvsim('run', vmotionFile('vmotion-done', '120s'));
    expect(r.err).toBe('');
    expect(r.code).toBe(EXIT_OK);
  });

  it('hvsim sweep names the point whose vMotion was cut short and exits 1', async () => {
    const r = await hvsim('sweep', vmotionFile('vmotion-sweep', '10s'), '--vary', 'limits.until=10s,120s', '--workers', '1');
    expect(r.code).toBe(EXIT_RUN_FAILED);
    expect(r.err).toContain("point limits.until=10s seed 1: the scenario's actions left 1 piece of work unfinished");
    expect(r.err).not.toContain('limits.until=120s');
  });
});

describe('hvsim run with an action refused when it came', () => {
  it('says on stderr which action VMMS refused (4097) and why, lists it among the figures, and keeps exit 0 (an audit: a pause during a snapshot said nothing)', async () => {
    // Valid in order (validation walks settled states), but the pause comes while the snapshot writes the memory.
    const path = join(dir, 'refused.json');
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        name: 'refused',
        host: { disks: [{ id: 'd1', kind: 'hdd', sizeGiB: 100 }] },
        vms: [{ id: 'vm1', memoryMiB: 64, disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1', sizeGiB: 20 } }] }],
        workloads: [{ vm: 'vm1', disk: 'data', size: '64KiB', count: 20, pattern: 'sequential' }],
        actions: [
          { at: '10ms', do: 'snapshot', vm: 'vm1' },
          { at: '11ms', do: 'pause', vm: 'vm1' },
        ],
      }),
    );
    const r = await hvsim('run', path);
    expect(r.code).toBe(EXIT_OK);
    expect(r.err).toContain("1 of the scenario's actions was refused");
    expect(r.err).toMatch(/the action 'pause' of VM vm1 at 11 ms \(actions\[1\]\) was refused with 4097, Invalid State Transition: the VM is Snapshotting/);
    expect(r.out).toMatch(/vms\.vm1\.refusals\[0\]\.action\s+pause/);
  });
});
