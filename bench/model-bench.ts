/**
 * The full model's speed: the headline (emulated vs synthetic, three VMs)
 * scaled to 10,000 requests per VM, once with the null sink (no records
 * built) and once keeping every record in an array. One line each:
 * `model scenario=<name> sink=<null|array> events_per_s=<median of 3>`.
 * Until the scenario layer lands, the world comes from the same builder
 * the model tests use.
 */
import { ArraySink, NullSink, type TraceSink } from '../src/engine/index.js';
import type { HvRecord } from '../src/model/trace-events.js';
import { World } from '../src/model/world.js';
import { headline } from '../test/model/worlds.js';

const REQUESTS_PER_VM = 10_000;

function eventsPerSecond(sink: TraceSink<HvRecord>, requests: number): number {
  const world = new World(headline('2008', 'per-instruction', requests), sink);
  const start = performance.now();
  const out = world.run();
  const elapsed = (performance.now() - start) / 1000;
  if (out.completed !== 3 * requests) throw new Error(`model bench: ${out.completed} of ${3 * requests} requests completed (${out.stop})`);
  return out.events / elapsed;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

export function runModelBench(print: (line: string) => void): void {
  eventsPerSecond(new NullSink(), 500); // warm-up
  for (const [name, make] of [
    ['null', () => new NullSink<HvRecord>()],
    ['array', () => new ArraySink<HvRecord>(50_000_000)],
  ] as const) {
    const runs = [0, 1, 2].map(() => eventsPerSecond(make(), REQUESTS_PER_VM));
    print(`model scenario=emulated-vs-synthetic sink=${name} events_per_s=${Math.round(median(runs))}`);
  }
}
