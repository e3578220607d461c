/**
 * The full model's speed: the headline (emulated vs synthetic, three VMs)
 * scaled to 10,000 requests per VM with the null sink (no records built,
 * about 24 M events), and to 1,000 per VM keeping every record in an array
 * (about 2.4 M records: the 24 M records of the larger run do not fit in
 * the default heap, and the bench died there). One line each:
 * `model scenario=<name> sink=<null|array> events_per_s=<median of 3>`.
 * The world is the bundled scenario file with each workload's count raised.
 */
import { ArraySink, NullSink, type TraceSink } from '../src/engine/index.js';
import type { HvRecord } from '../src/model/trace-events.js';
import type { WorldConfig } from '../src/model/world-config.js';
import { World } from '../src/model/world.js';
import { bundledScenario, parseScenarioText, toWorldConfig } from '../src/scenario/index.js';

const SCENARIO = 'emulated-vs-synthetic';
const REQUESTS_PER_VM = 10_000;
/** Requests per VM of the array-sink run: its records stay in memory. */
const ARRAY_REQUESTS_PER_VM = 1_000;

function scaledHeadline(requests: number): WorldConfig {
  const parsed = parseScenarioText(bundledScenario(SCENARIO)!.text, `${SCENARIO}.json`);
  if (!parsed.ok) throw new Error(`bundled scenario ${SCENARIO} does not validate`);
  const config = toWorldConfig(parsed.scenario);
  // 10,000 PIO writes take about 7 simulated minutes: lift the limits with the count.
  return { ...config, workloads: config.workloads.map((w) => ({ ...w, count: requests })), limits: { maxEvents: 500_000_000, untilNs: 3600e9 } };
}

function eventsPerSecond(sink: TraceSink<HvRecord>, requests: number): number {
  const world = new World(scaledHeadline(requests), sink);
  const start = performance.now();
  const out = world.run();
  const elapsed = (performance.now() - start) / 1000;
  if (out.completed !== 3 * requests) throw new Error(`model bench: ${out.completed} of ${3 * requests} requests completed (${out.stop})`);
  return out.events / elapsed;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** Prints the group's lines; returns the null sink's events per second (the CLI group's reference: the bar). */
export function runModelBench(print: (line: string) => void): number {
  eventsPerSecond(new NullSink(), 500); // warm-up
  let nullRate = 0;
  for (const [name, make, requests] of [
    ['null', () => new NullSink<HvRecord>(), REQUESTS_PER_VM],
    ['array', () => new ArraySink<HvRecord>(50_000_000), ARRAY_REQUESTS_PER_VM],
  ] as const) {
    const runs = [0, 1, 2].map(() => eventsPerSecond(make(), requests));
    if (name === 'null') nullRate = median(runs);
    print(`model scenario=${SCENARIO} sink=${name} events_per_s=${Math.round(median(runs))}`);
  }
  return nullRate;
}
