/**
 * The `hvsim` command driven in-process through `main(argv, io)` with
 * string buffers: exit codes, what goes to stdout and to stderr, and the
 * contract of `run --json`, `--csv` and `--trace`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_RUN_FAILED, USAGE, VERSION } from '../../src/cli/main.js';
import { hvsim, tempDir } from './helpers.js';
import { BOTH_HOSTS_FAIL } from '../cluster/outage-fixtures.js';
import { BUNDLED_SCENARIOS, bundledScenario, parseScenarioText, runScenario } from '../../src/scenario/index.js';



const dir = tempDir('cli');

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const VALID = {
  version: 1,
  name: 'tiny',
  host: { disks: [{ id: 'd1', kind: 'ssd' }] },
  vms: [{ id: 'vm1', disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }] }],
  workloads: [{ vm: 'vm1', disk: 'data', size: '4KiB', count: 3 }],
};

describe('hvsim basics', () => {
  it('prints the version and the usage', async () => {
    expect(await hvsim('--version')).toEqual({ code: EXIT_OK, out: `${VERSION}\n`, err: '' });
    expect(await hvsim('help')).toEqual({ code: EXIT_OK, out: USAGE, err: '' });
    expect((await hvsim()).out).toBe(USAGE);
  });

  it('rejects an unknown command with exit 2 on stderr', async () => {
    const r = await hvsim('frobnicate');
    expect(r).toMatchObject({ code: EXIT_BAD_INPUT, out: '' });
    expect(r.err).toBe("hvsim: unknown command 'frobnicate'\n\nRun 'hvsim help' for usage.\n");
  });

  it('lists the bundled scenarios with their summary line', async () => {
    const r = await hvsim('list');
    expect(r.code).toBe(EXIT_OK);
    const lines = r.out.split('\n\n')[0]!.trimEnd().split('\n'); // the bundled lessons follow (test/cli/lesson.test.ts)
    expect(lines.map((l) => l.split(' ')[0])).toEqual(BUNDLED_SCENARIOS.map((s) => s.name));
    expect(lines[0]).toMatch(/^emulated-vs-synthetic {2,}One 10 KiB write from each of three VMs/);
  });

  it('prints the JSON Schema, both drafts', async () => {
    expect(JSON.parse((await hvsim('schema')).out).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(JSON.parse((await hvsim('schema', '--draft-07')).out).$schema).toBe('http://json-schema.org/draft-07/schema#');
  });
});

describe('hvsim validate', () => {
  it('accepts a valid file and a bundled name', async () => {
    const path = file('ok.json', JSON.stringify(VALID, null, 2));
    expect(await hvsim('validate', path)).toEqual({ code: EXIT_OK, out: `${path}: valid scenario 'tiny': 1 VM, 1 workload, 3 requests\n`, err: '' });
    expect((await hvsim('validate', 'queue-depth')).out).toBe("queue-depth.json: valid scenario 'queue-depth': 4 VMs, 4 workloads, 8,000 requests\n");
    // Packets, a cluster and timed actions are said when a scenario has them (a traffic-only scenario is not 'nothing').
    expect((await hvsim('validate', 'nic-receive-one-core')).out).toBe("nic-receive-one-core.json: valid scenario 'nic-receive-one-core': 3 VMs, 0 workloads, 0 requests, 3 traffic streams of 12,000 packets; a sweep of 4 points\n");
    expect((await hvsim('validate', 'vss-backup')).out).toBe("vss-backup.json: valid scenario 'vss-backup': 4 VMs, 1 workload, 3,000 requests, a cluster of 2 hosts, 4 timed actions\n");
  });

  it('rejects a bad file with exit 2 and names the field, line and what is allowed', async () => {
    const path = file('bad.json', JSON.stringify({ ...VALID, workloads: [{ ...VALID.workloads[0], queueDepth: 0 }] }, null, 2));
    const r = await hvsim('validate', path);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.out).toBe('');
    expect(r.err).toBe(`hvsim: ${path} is not a valid scenario (1 error):\n  ${path}:33:7 workloads.0.queueDepth: found 0, allowed an integer 1..255\n`);
  });

  it('validates YAML files', async () => {
    const path = file('lab.yaml', 'version: 1\nname: lab\nvms:\n  - id: Bad_Id\n');
    const r = await hvsim('validate', path);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toContain(`${path}:4:5 vms.0.id: found "Bad_Id", allowed an id: a lowercase letter`);
  });

  it('reports a missing file with exit 2 and no stack trace', async () => {
    const r = await hvsim('validate', join(dir, 'nope.json'));
    expect(r.code).toBe(EXIT_BAD_INPUT);
    const names = BUNDLED_SCENARIOS.map((s) => s.name).join(', ');
    expect(r.err).toBe(`hvsim: no scenario file '${join(dir, 'nope.json')}', and no bundled scenario of that name (bundled: ${names})\n`);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('rejects a directory and a missing argument', async () => {
    expect(await hvsim('validate', dir)).toMatchObject({ code: EXIT_BAD_INPUT, err: `hvsim: '${dir}' is not a file\n` });
    expect((await hvsim('validate')).err).toMatch(/^hvsim: 'validate' needs a scenario file or bundled scenario name\n/);
  });
});

describe('hvsim run: bad input', () => {
  const cases: [string[], string][] = [
    [['run', 'emulated-vs-synthetic', '--fast'], "hvsim: unknown option '--fast' for 'run'"],
    [['run', 'emulated-vs-synthetic', '--seed', 'abc'], "hvsim: --seed: found 'abc', allowed an integer 0..4294967295"],
    [['run', 'emulated-vs-synthetic', '--seed', '-1'], "hvsim: --seed: found '-1', allowed an integer 0..4294967295"],
    [['run', 'emulated-vs-synthetic', '--seed'], "hvsim: '--seed' needs a value: an integer 0..4294967295"],
    [['run', 'emulated-vs-synthetic', '--profile', '2012'], "hvsim: --profile: found '2012', allowed one of 2008, modern"],
    [['run', 'emulated-vs-synthetic', '--json', '--csv'], "hvsim: choose one of '--json' and '--csv'"],
    [['run'], "hvsim: 'run' needs a scenario file or bundled scenario name"],
    [['run', 'a', 'b'], "hvsim: 'run' takes one scenario, found also 'b'"],
  ];
  for (const [argv, message] of cases) {
    it(`hvsim ${argv.join(' ')}`, async () => {
      const r = await hvsim(...argv);
      expect(r.code).toBe(EXIT_BAD_INPUT);
      expect(r.out).toBe('');
      expect(r.err.split('\n')[0]).toBe(message);
    });
  }

  it('rejects an invalid scenario before running it', async () => {
    const path = file('badrun.json', JSON.stringify({ ...VALID, workloads: [{ ...VALID.workloads[0], vm: 'ghost' }] }));
    const r = await hvsim('run', path, '--json');
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.out).toBe('');
    expect(r.err).toContain(`workloads.0.vm: found "ghost" (no VM has this id), allowed one of the VM ids: 'vm1'`);
  });

  it('rejects a trace path it cannot write', async () => {
    const r = await hvsim('run', 'emulated-vs-synthetic', '--trace', join(dir, 'no-such-dir', 'out.jsonl'));
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toMatch(/^hvsim: cannot write the trace to '.*out\.jsonl': ENOENT/);
  });

  it('refuses a trace that would overwrite the scenario it runs, and a flag taken for its file name', async () => {
    const path = file('self.json', JSON.stringify(VALID));
    const same = await hvsim('run', path, '--trace', path);
    expect(same.code).toBe(EXIT_BAD_INPUT);
    expect(same.err).toMatch(/--trace .*self\.json: that is the scenario being run; the trace would overwrite it\. Name another file, e\.g\. --trace \S*self\.trace\.jsonl\n$/);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(VALID);
    const flag = await hvsim('run', path, '--trace', '--json');
    expect(flag.code).toBe(EXIT_BAD_INPUT);
    expect(flag.err).toMatch(/'--trace' needs a file name, found the option '--json'/);
    expect(existsSync('--json')).toBe(false);
  });

  it('says a failed trace write (a full disk) as the write that failed', async () => {
    if (!existsSync('/dev/full')) return;
    const r = await hvsim('run', file('full.json', JSON.stringify(VALID)), '--trace', '/dev/full');
    expect(r.code).toBe(EXIT_RUN_FAILED);
    expect(r.err).toMatch(/^hvsim: cannot write the trace to '\/dev\/full': ENOSPC/);
    expect(r.err).not.toMatch(/internal error/);
  });

  it('exports a cluster run\'s own figures with --csv (a run with no path), a row per item', async () => {
    const r = await hvsim('run', 'vmotion', '--csv');
    expect(r.code).toBe(EXIT_OK);
    const [header, ...rows] = r.out.trimEnd().split('\n');
    expect(header!.split(',').slice(0, 5)).toEqual(['table', 'scenario', 'seed', 'profile', 'fingerprint']);
    const tables = rows.map((row) => row.split(',')[0]);
    expect(tables.filter((t) => t === 'migrations')).toHaveLength(2);
    expect(tables).toContain('failovers');
    expect(tables).toContain('backups');
    const columns = header!.split(',');
    const migration = rows.find((row) => row.startsWith('migrations,'))!.match(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
    expect(Number(migration[columns.indexOf('blackoutNs')])).toBeGreaterThan(0);
    // A run with paths and no figures of its own keeps the plain path CSV.
    expect((await hvsim('run', 'emulated-vs-synthetic', '--csv')).out.split('\n')[0]!.startsWith('scenario,seed,profile,fingerprint,stream,vm,')).toBe(true);
  });

  it('finds a bundled scenario even beside a folder of its name', async () => {
    const here = process.cwd();
    try {
      process.chdir(tempDir('cwd'));
      mkdirSync('vmotion');
      const r = await hvsim('validate', 'vmotion');
      expect(r.code).toBe(EXIT_OK);
      expect(r.out).toMatch(/^vmotion\.json: valid scenario 'vmotion'/);
    } finally {
      process.chdir(here);
    }
  });

  it('runs at most as many replications at once as there are cores, and says so', async () => {
    const cores = availableParallelism();
    const r = await hvsim('run', 'passthrough-vs-native', '--replications', String(cores + 1), '--workers', String(cores + 8), '--json');
    expect(r.code).toBe(EXIT_OK);
    expect(r.err).toContain(`--workers ${cores + 8}: this machine has ${cores} core${cores === 1 ? '' : 's'}; running ${cores} at once`);
  });

  it('shows no latency for a path where nothing completed (a run stopped by its limits), not 0 ns', async () => {
    const data = JSON.parse(bundledScenario('emulated-vs-synthetic')!.text) as Record<string, unknown>;
    delete data['$schema'];
    const path = file('stopped.json', JSON.stringify({ ...data, limits: { maxEvents: 10 } }));
    const table = await hvsim('run', path);
    expect(table.code).toBe(EXIT_RUN_FAILED);
    expect(table.out).toMatch(/\nlegacy-pio +data +ide-pio +0 +— +— +— /);
    const csv = (await hvsim('run', path, '--csv')).out.split('\n');
    const columns = csv[0]!.split(',');
    const row = csv[1]!.split(',');
    expect(row[columns.indexOf('latencyNs.count')]).toBe('0');
    expect(row[columns.indexOf('latencyNs.mean')]).toBe('');
    expect(row[columns.indexOf('latencyNs.p99')]).toBe('');
  });

  it('prints the usage for --help after any command', async () => {
    for (const verb of ['run', 'validate', 'sweep', 'lesson', 'check', 'schema', 'list']) {
      const r = await hvsim(verb, '--help');
      expect(r.code).toBe(EXIT_OK);
      expect(r.out).toMatch(/^hvsim .*: a Hyper-V simulator for the classroom/);
    }
  });
});

describe('hvsim run', () => {
  it('shows how many packets each path dropped when a card dropped some, and no such column otherwise', async () => {
    const r = await hvsim('run', 'nic-receive-one-core');
    expect(r.code).toBe(EXIT_OK);
    const lines = r.out.split('\n');
    const dropped = Number(/\((\S+) dropped\)/.exec(lines[1]!)![1]!.replace(/,/g, ''));
    expect(lines[3]).toMatch(/^vm +disk +path +requests +dropped +mean /);
    const perPath = lines.slice(4, 7).map((line) => Number(line.split(/ {2,}/)[4]!.replace(/,/g, '')));
    expect(perPath.every((n) => n > 0)).toBe(true);
    expect(perPath.reduce((a, b) => a + b, 0)).toBe(dropped);
    expect((await hvsim('run', 'queue-depth')).out).not.toMatch(/ dropped/);
  });

  it('prints a table per path with a header naming scenario, seed, profile and fingerprint', async () => {
    const r = await hvsim('run', 'emulated-vs-synthetic');
    expect(r.err).toBe('');
    expect(r.code).toBe(EXIT_OK);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^scenario emulated-vs-synthetic {2}seed 1 {2}profile 2008 {2}fingerprint [0-9a-f]{16}$/);
    expect(lines[1]).toMatch(/^events [\d,]+ {2}simulated time .+ {2}requests completed 3 of 3 {2}stop empty$/);
    expect(lines[3]).toMatch(/^vm +disk +path +requests +mean +p50 +p99 +exits\/IO +interrupts\/IO +ring packets\/IO +signals\/IO +root user\/IO +CPU µs\/IO$/);
    expect(lines.slice(4, 7).map((l) => l.split(/ +/).slice(0, 4))).toEqual([
      ['legacy-pio', 'data', 'ide-pio', '1'],
      ['legacy-dma', 'data', 'ide-dma', '1'],
      ['enlightened', 'data', 'vmbus-scsi', '1'],
    ]);
    expect(r.out).toContain('Time per I/O by band');
    expect(r.out).toMatch(/guest-user +guest-kernel +vmbus +root-user +root-kernel +hypervisor +hardware/);
  });

  it('--json: one object with the contract fields', async () => {
    const r = await hvsim('run', 'emulated-vs-synthetic', '--json');
    expect(r.code).toBe(EXIT_OK);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({ scenario: 'emulated-vs-synthetic', seed: 1, profile: '2008', stop: 'empty' });
    expect(summary.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(summary.events).toBeGreaterThan(0);
    expect(summary.endNs).toBeGreaterThan(0);
    expect(summary.paths).toHaveLength(3);
    for (const path of summary.paths) {
      expect(Object.keys(path)).toEqual(expect.arrayContaining(['vm', 'disk', 'path', 'requests', 'latencyNs', 'perIo', 'timeByBandNs', 'timeByPlaceNs', 'cpuNsPerIo', 'iops']));
      expect(Object.keys(path.latencyNs)).toEqual(expect.arrayContaining(['mean', 'p50', 'p95', 'p99']));
      expect(Object.keys(path.perIo)).toEqual(
        expect.arrayContaining(['registerAccesses', 'vmExits', 'hypercalls', 'interrupts', 'eois', 'contextSwitches', 'rootUserTransitions', 'ringPackets', 'ringSignalsToHost', 'ringSignalsToGuest']),
      );
    }
    const pio = summary.paths.find((p: { path: string }) => p.path === 'ide-pio');
    const scsi = summary.paths.find((p: { path: string }) => p.path === 'vmbus-scsi');
    expect(pio.perIo.vmExits).toBeGreaterThan(scsi.perIo.vmExits);
  });

  it('is deterministic: the same seed twice gives the same fingerprint, another seed may not', async () => {
    const path = file('random.json', JSON.stringify({ ...VALID, workloads: [{ ...VALID.workloads[0], pattern: 'random', count: 50 }] }));
    const a = JSON.parse((await hvsim('run', path, '--json', '--seed', '7')).out);
    const b = JSON.parse((await hvsim('run', path, '--json', '--seed=7')).out);
    const c = JSON.parse((await hvsim('run', path, '--json', '--seed', '8')).out);
    expect(a.seed).toBe(7);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint); // the random LBAs differ
  });

  it('--profile replaces the scenario profile', async () => {
    const r = JSON.parse((await hvsim('run', 'emulated-vs-synthetic', '--json', '--profile', 'modern')).out);
    expect(r.profile).toBe('modern');
  });

  it('--csv: a heading row and one row per path with dotted columns', async () => {
    const r = await hvsim('run', 'emulated-vs-synthetic', '--csv');
    expect(r.code).toBe(EXIT_OK);
    const [heading, ...rows] = r.out.trimEnd().split('\n');
    const columns = heading!.split(',');
    expect(columns.slice(0, 8)).toEqual(['scenario', 'seed', 'profile', 'fingerprint', 'stream', 'vm', 'disk', 'path']);
    expect(columns).toEqual(expect.arrayContaining(['latencyNs.p99', 'perIo.vmExits', 'timeByBandNs.hypervisor', 'cpuNsPerIo.total', 'iops']));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.split(',')).toHaveLength(columns.length);
    expect(rows[0]!.split(',')[columns.indexOf('path')]).toBe('ide-pio');
  });

  it('--trace: JSON Lines with a header line first', async () => {
    const path = join(dir, 'trace.jsonl');
    const r = await hvsim('run', 'emulated-vs-synthetic', '--json', '--trace', path);
    expect(r.code).toBe(EXIT_OK);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({ kind: 'trace.checkpoint', scenario: 'emulated-vs-synthetic', seed: 1, profile: '2008', fingerprint: JSON.parse(r.out).fingerprint });
    expect(header.topology.places.length).toBeGreaterThan(0);
    expect(lines.length - 1).toBe(header.records);
    const first = JSON.parse(lines[1]!);
    expect(first).toMatchObject({ seq: 0, kind: 'io.request.issued' });
    expect(JSON.parse(lines[lines.length - 1]!).seq).toBe(header.records - 1);
    // Kept in columns for the file, every line is the record as emitted, byte for byte.
    const parsed = parseScenarioText(bundledScenario('emulated-vs-synthetic')!.text);
    if (!parsed.ok) throw new Error('emulated-vs-synthetic invalid');
    const records = runScenario(parsed.scenario).records;
    expect(lines.slice(1)).toEqual(records.map((x) => JSON.stringify(x)));
  });

  it('warns and exits 1 when the run hits its limits with requests unfinished', async () => {
    const path = file('short.json', JSON.stringify({ ...VALID, workloads: [{ ...VALID.workloads[0], count: 1000 }], limits: { until: '1ms' } }));
    const r = await hvsim('run', path);
    expect(r.code).toBe(EXIT_RUN_FAILED);
    expect(r.out).toMatch(/^scenario tiny/); // the figures measured so far are still printed
    expect(r.err).toMatch(/^hvsim: warning: the run stopped at limits.until \(1 ms\) with \d+ of 1,000 requests completed; raise limits.until/);
  });

  it('warns and exits 1 when the run hits maxEvents', async () => {
    const path = file('few-events.json', JSON.stringify({ ...VALID, limits: { maxEvents: 10 } }));
    const r = await hvsim('run', path, '--json');
    expect(r.code).toBe(EXIT_RUN_FAILED);
    expect(JSON.parse(r.out).stop).toBe('maxEvents');
    expect(r.err).toMatch(/^hvsim: warning: the run stopped after limits.maxEvents \(10 events\)/);
  });
});

describe('hvsim run: what is still down when the run ends', () => {
  it('says it in the report (exit 0: every request ended; the outage is the outcome), and on stderr beside --json', async () => {
    const path = file('both-fail.json', JSON.stringify(BOTH_HOSTS_FAIL));
    const table = await hvsim('run', path);
    expect(table.code).toBe(EXIT_OK);
    expect(table.err).toBe('');
    const down = table.out.split('\n').filter((l) => l.startsWith('still down: '));
    expect(down).toEqual(['still down: host h1 failed and its VM had not been restarted when the run ended: the cluster lost quorum', expect.stringMatching(/^still down: client u had gone [\d.]+ s without an answer when the run ended$/)]);
    const json = await hvsim('run', path, '--json');
    expect(json.code).toBe(EXIT_OK);
    expect(JSON.parse(json.out).figures.clients.u.openGapNs).toBeGreaterThan(3e9);
    expect(json.err.trimEnd().split('\n')).toEqual(down.map((l) => `hvsim: ${path}: ${l}`));
  });
});
