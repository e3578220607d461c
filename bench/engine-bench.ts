/**
 * `npm run bench`: engine throughput on the hold model, one line per
 * configuration: `hold n=<N> style=<style> events_per_s=<median of 3>`.
 * Each figure is the median of three timed runs after one warm-up run.
 */
import { holdEventsPerSecond, type HoldStyle } from './hold.js';

const FIRINGS = 2_000_000;
const REPEATS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function runEngineBench(print: (line: string) => void): void {
  for (const pending of [1_000, 100_000]) {
    for (const style of ['callback', 'process', 'bare-heap'] as HoldStyle[]) {
      holdEventsPerSecond(style, pending, FIRINGS / 4, 99); // warm-up
      const runs: number[] = [];
      for (let r = 0; r < REPEATS; r++) runs.push(holdEventsPerSecond(style, pending, FIRINGS, r + 1));
      print(`hold n=${pending} style=${style} events_per_s=${Math.round(median(runs))}`);
    }
  }
}
