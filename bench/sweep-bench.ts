/**
 * `hvsim sweep` on worker threads: the bundled CLI (`bin/hvsim.mjs`, on a
 * fresh `dist/cli` build, so its worker entry is beside it) sweeps the
 * queue-depth scenario's fourth workload over seven queue depths, with one
 * worker and with two, three turns each alternating, so a slow spell of a
 * shared machine falls on both. One line per worker count, the median
 * wall time, and the ratio of the medians:
 * `sweep scenario=queue-depth points=7 workers=<w> wall_s=<x>` and
 * `sweep-ratio workers=2 of=1 ratio=<x>` (the bar: at most 0.7).
 */
import { spawnSync } from 'node:child_process';

const ARGS = ['bin/hvsim.mjs', 'sweep', 'queue-depth', '--vary', 'workloads[3].queueDepth=1,2,4,8,16,32,64', '--json'];
const WORKERS = [1, 2];
const TURNS = 3;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function runSweepBench(print: (line: string) => void): void {
  spawnSync(process.execPath, ['esbuild.config.mjs', 'cli'], { stdio: 'ignore' });
  const walls = new Map<number, number[]>(WORKERS.map((w) => [w, []]));
  for (let turn = 0; turn < TURNS; turn++) {
    for (const workers of WORKERS) {
      const start = performance.now();
      const child = spawnSync(process.execPath, [...ARGS, '--workers', String(workers)], { encoding: 'utf8', maxBuffer: 64 << 20 });
      const wall = (performance.now() - start) / 1000;
      if (child.status !== 0) {
        print(`sweep scenario=queue-depth workers=${workers} failed status=${child.status} ${child.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
        return;
      }
      walls.get(workers)!.push(wall);
    }
  }
  for (const workers of WORKERS) print(`sweep scenario=queue-depth points=7 workers=${workers} wall_s=${median(walls.get(workers)!).toFixed(2)}`);
  print(`sweep-ratio workers=2 of=1 ratio=${(median(walls.get(2)!) / median(walls.get(1)!)).toFixed(2)}`);
}
