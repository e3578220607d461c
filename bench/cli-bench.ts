/**
 * `hvsim run` end to end on big runs (`CASES`): each written to a scenario
 * file and run by the command itself (`node bin/hvsim.mjs run <file>
 * --json`, on a fresh `dist/cli` build) in a child process, so the figures
 * include Node's start, loading the bundle, parsing, the run, the online
 * fold of the figures (on the fold thread when the run is big), the
 * fingerprint and the report, and the peak RSS is the child's alone (a
 * hook loaded with `--import` prints its resource usage at exit). Beside
 * each, the model alone on the same world with the null sink, and the
 * ratio of the two rates (the bar: at least 0.5 on the 3 M-event
 * run), three turns each alternating (CLI, model), so a slow spell of a
 * shared machine falls on both; each line gives the medians (the peak RSS:
 * the largest). One line each:
 * `cli scenario=<name> events=<n> events_per_s=<x> peak_rss_mb=<y> cpu_s=<s>`,
 * `model scenario=<name> sink=null events_per_s=<x> cpu_s=<s>` and
 * `cli-ratio scenario=<name> of=model-null ratio=<x> cpu_ratio=<y>`: the
 * ratio of wall-clock rates, and of rates per CPU second (the child's user
 * and system time against this process's during the model's run), which
 * moves less when another process shares the cores. When the model group
 * ran first (`npm run bench`), also
 * `cli-ratio scenario=<name> of=model-bench ratio=<x>`: the CLI's rate
 * against that group's `sink=null` figure (the headline world, warm, 24 M
 * events), the bar as it reads; the same-world ratio is the fairer
 * one for a world whose model runs slower or faster per event.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NullSink } from '../src/engine/index.js';
import type { HvRecord } from '../src/model/trace-events.js';
import { World } from '../src/model/world.js';
import { bundledScenario, parseScenarioText, toWorldConfig } from '../src/scenario/index.js';

/** Loaded into the child with `--import`: its peak RSS and CPU time (every thread's), on stderr, as it exits. */
const USAGE_HOOK = `process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write('\\nhvsim-bench maxrss_kb=' + u.maxRSS + ' cpu_s=' + (u.userCPUTime + u.systemCPUTime) / 1e6 + '\\n');
});
`;

/**
 * The runs: the bundled queue-depth scenario (synthetic SCSI at four queue
 * depths) with each of its four workloads raised to 20,000 and 70,000
 * requests (about 3 M and 11 M events), and the headline
 * (emulated-vs-synthetic: PIO exits beside VMBus) raised to 1,250 writes
 * per VM (about 3 M events), whose model runs fastest per event, so its
 * records weigh most beside it.
 */
const CASES = [
  { scenario: 'queue-depth', count: 20_000 },
  { scenario: 'queue-depth', count: 70_000 },
  { scenario: 'emulated-vs-synthetic', count: 1_250 },
] as const;

/** The bundled `name` with every workload's count set to `count` and the limits lifted. */
function scaledText(name: string, count: number): string {
  const scenario = JSON.parse(bundledScenario(name)!.text) as { workloads: { count: number }[]; limits?: unknown; $schema?: string };
  delete scenario.$schema;
  for (const w of scenario.workloads) w.count = count;
  scenario.limits = { maxEvents: 200_000_000, until: '3600s' };
  return JSON.stringify(scenario);
}

/** The model alone with the null sink: events per wall-clock second and per CPU second. */
function modelNullRate(text: string, name: string): { rate: number; cpuRate: number } {
  const parsed = parseScenarioText(text, `${name}.json`);
  if (!parsed.ok) throw new Error(`${name} does not validate`);
  const world = new World(toWorldConfig(parsed.scenario), new NullSink<HvRecord>());
  const cpu = process.cpuUsage();
  const start = performance.now();
  const out = world.run();
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { rate: out.events / wall, cpuRate: out.events / ((used.user + used.system) / 1e6) };
}

/** Alternating turns per case (CLI, then the model), so a slow spell of a shared machine falls on both; each line gives the medians. */
const TURNS = 3;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One `hvsim run <file> --json` in a child: its wall time, peak RSS, CPU time and events, or why it failed. */
function cliRun(file: string, hook: string): { wall: number; rssMb: number; cpu: number; events: number } | { failed: string } {
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, 'bin/hvsim.mjs', 'run', file, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - start) / 1000;
  const usage = /hvsim-bench (.*)$/m.exec(child.stderr)?.[1] ?? '';
  const fields = Object.fromEntries(usage.split(' ').map((kv) => kv.split('=') as [string, string]));
  if (child.status !== 0 || fields['maxrss_kb'] === undefined) return { failed: `status=${child.status} ${child.stderr.trim().split('\n').slice(-1)[0] ?? ''}` };
  return { wall, rssMb: Number(fields['maxrss_kb']) / 1024, cpu: Number(fields['cpu_s']), events: (JSON.parse(child.stdout) as { events: number }).events };
}

export function runCliBench(print: (line: string) => void, modelBenchRate?: number): void {
  spawnSync(process.execPath, ['esbuild.config.mjs', 'cli'], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'hvsim-cli-bench-'));
  const hook = join(dir, 'usage-hook.mjs');
  writeFileSync(hook, USAGE_HOOK);
  try {
    for (const { scenario, count } of CASES) {
      const name = `${scenario}-x${count}`;
      const file = join(dir, `${name}.json`);
      const text = scaledText(scenario, count);
      writeFileSync(file, text);
      const cli: { rate: number; cpuRate: number; rssMb: number; cpu: number }[] = [];
      const model: { rate: number; cpuRate: number }[] = [];
      let events = 0;
      let failed = '';
      for (let turn = 0; turn < TURNS && failed === ''; turn++) {
        const run = cliRun(file, hook);
        if ('failed' in run) failed = run.failed;
        else {
          events = run.events;
          cli.push({ rate: run.events / run.wall, cpuRate: run.events / run.cpu, rssMb: run.rssMb, cpu: run.cpu });
          model.push(modelNullRate(text, name));
        }
      }
      if (failed !== '') {
        print(`cli scenario=${name} failed ${failed}`);
        continue;
      }
      const rate = median(cli.map((c) => c.rate));
      const modelRate = median(model.map((m) => m.rate));
      const cpuRatio = median(cli.map((c, i) => c.cpuRate / model[i]!.cpuRate));
      print(`cli scenario=${name} events=${events} events_per_s=${Math.round(rate)} peak_rss_mb=${Math.round(Math.max(...cli.map((c) => c.rssMb)))} cpu_s=${median(cli.map((c) => c.cpu)).toFixed(1)}`);
      print(`model scenario=${name} sink=null events_per_s=${Math.round(modelRate)} cpu_s=${median(model.map((m) => events / m.cpuRate)).toFixed(1)}`);
      // The bar: the CLI end to end at least 0.5x the model alone with the null sink.
      print(`cli-ratio scenario=${name} of=model-null ratio=${median(cli.map((c, i) => c.rate / model[i]!.rate)).toFixed(2)} cpu_ratio=${cpuRatio.toFixed(2)}`);
      if (modelBenchRate !== undefined) print(`cli-ratio scenario=${name} of=model-bench ratio=${(rate / modelBenchRate).toFixed(2)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
