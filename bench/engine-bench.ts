/**
 * `npm run bench`: engine throughput on the hold model, one line per
 * configuration: `hold n=<N> style=<style> events_per_s=<median of 3>`,
 * then how each engine style compares with the bare heap:
 * `hold-ratio n=<N> style=<callback|process> of=bare-heap ratio=<median of 3>`.
 *
 * The three styles take turns (callback, process, bare heap, callback, ...)
 * after one warm-up run each, so a slow spell of a shared machine falls on
 * all of them alike, and each ratio is taken within one turn, as the issue's
 * bar reads: "in the same run".
 */
import { holdEventsPerSecond, type HoldStyle } from './hold.js';

const FIRINGS = 2_000_000;
const REPEATS = 3;
const STYLES: HoldStyle[] = ['callback', 'process', 'bare-heap'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function runEngineBench(print: (line: string) => void): void {
  for (const pending of [1_000, 100_000]) {
    for (const style of STYLES) holdEventsPerSecond(style, pending, FIRINGS / 4, 99); // warm-up
    const runs = new Map<HoldStyle, number[]>(STYLES.map((s) => [s, []]));
    for (let r = 0; r < REPEATS; r++) {
      for (const style of STYLES) runs.get(style)!.push(holdEventsPerSecond(style, pending, FIRINGS, r + 1));
    }
    for (const style of STYLES) print(`hold n=${pending} style=${style} events_per_s=${Math.round(median(runs.get(style)!))}`);
    const bare = runs.get('bare-heap')!;
    for (const style of ['callback', 'process'] as const) {
      const ratios = runs.get(style)!.map((v, r) => v / bare[r]!);
      print(`hold-ratio n=${pending} style=${style} of=bare-heap ratio=${median(ratios).toFixed(2)}`);
    }
  }
}
