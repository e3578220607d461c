/**
 * A sweep block is held at validation to the limit `hvsim sweep` applies
 * (10,000 points), so a file that validates also sweeps; a problem shared
 * by thousands of points prints as one short line; a value too large to
 * hold (1e400) is refused, not labelled Infinity.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gridPoints, makePoint, parseVaryOption, pointErrorLines } from '../../src/scenario/experiment/index.js';
import { BUNDLED_SCENARIOS } from '../../src/scenario/index.js';
import { hvsim, tempDir } from './helpers.js';

const dir = tempDir('sweep-limits');
const queueDepth = JSON.parse(BUNDLED_SCENARIOS.find((s) => s.name === 'queue-depth')!.text) as Record<string, unknown>;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('sweep limits', () => {
  it('validate refuses a sweep block of more than 10,000 points, at sweep.vary, with the count', async () => {
    const file = join(dir, 'big-sweep.json');
    writeFileSync(file, JSON.stringify({ ...queueDepth, sweep: { vary: [{ field: 'seed', values: range(101) }, { field: 'workloads[3].queueDepth', values: range(100) }] } }, null, 2));
    const result = await hvsim('validate', file);
    expect(result.code).toBe(2);
    expect(result.err).toContain('sweep.vary: found a list of 2 items (101 × 100 = 10,100 points), allowed fields whose values make at most 10,000 points');
    const ok = join(dir, 'ok-sweep.json');
    writeFileSync(ok, JSON.stringify({ ...queueDepth, sweep: { vary: [{ field: 'seed', values: range(100) }, { field: 'workloads[3].queueDepth', values: range(100) }] } }, null, 2));
    expect((await hvsim('validate', ok)).code).toBe(0);
  });

  it('lists at most 20 point labels on one error line, then how many more', () => {
    const points = gridPoints([
      { field: 'workloads[3].queueDepth', values: [8, 300] },
      { field: 'seed', values: range(100) },
    ]).map((values) => makePoint(queueDepth, values));
    const [line] = pointErrorLines(points);
    expect(line).toMatch(/queueDepth=300 seed=20 and 80 more \(100 of 200\): workloads\.3\.queueDepth: found 300/);
    expect(line!.length).toBeLessThan(1000);
  });

  it('refuses a --vary value too large to hold instead of sweeping over Infinity', async () => {
    expect(parseVaryOption('workloads[3].count=1e400')).toMatchObject({ ok: false, message: expect.stringContaining("found '1e400', a number too large to hold") });
    const result = await hvsim('sweep', 'queue-depth', '--vary', 'workloads[3].count=1e400');
    expect(result.code).toBe(2);
    expect(result.err).not.toContain('Infinity');
  });
});
