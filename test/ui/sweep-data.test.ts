import { describe, expect, it } from 'vitest';
import { hvsim, tempDir } from '../cli/helpers.js';
import { isSweepText, parseSweepText, plotSeries } from '../../src/ui/sweep/sweep-data.js';
import { runSweepBlock } from '../../src/ui/sweep/sweep-runner.js';
import { LessonController } from '../../src/ui/lesson/lesson-controller.js';
import { bundledScenario, parseScenarioText } from '../../src/scenario/index.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = tempDir('sweep-data');

function smallQueueDepth(sweep?: unknown): string {
  const data = JSON.parse(bundledScenario('queue-depth')!.text) as { workloads: { count: number }[] };
  for (const w of data.workloads) w.count = 100;
  return JSON.stringify(sweep === undefined ? data : { ...data, sweep }, null, 2);
}

describe('sweep data in the app', () => {
  it('reads hvsim sweep --json and plots one figure against a field, with intervals', async () => {
    const file = join(dir, 'qd.json');
    writeFileSync(file, smallQueueDepth());
    const { out } = await hvsim('sweep', file, '--vary', 'profile=2008,modern', '--vary', 'workloads[3].queueDepth=1,8,32', '--replications', '2', '--json');
    expect(isSweepText(out)).toBe(true);
    expect(isSweepText(smallQueueDepth())).toBe(false);
    const parsed = parseSweepText(out);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(parsed.data.points).toHaveLength(6);
    expect(parsed.data.replications).toBe(2);
    const plot = plotSeries(parsed.data, 'workloads[3].queueDepth', 'latencyNs.mean');
    expect(plot.xLabels).toEqual(['1', '8', '32']);
    // Four paths × two profiles.
    expect(plot.series).toHaveLength(8);
    const qd32 = plot.series.find((s) => s.label === 'qd32/data/vmbus-scsi · profile=modern')!;
    const json = JSON.parse(out);
    expect(qd32.y[2]).toBe(json.points[5].paths[3].latencyNs.mean);
    expect(qd32.ci95[2]).toEqual(json.points[5].paths[3].ci95.latencyNs.mean);
    expect(plot.yMax).toBeGreaterThanOrEqual(qd32.ci95[2]!.high);
    const byProfile = plotSeries(parsed.data, 'profile', 'perIo.ringSignalsToHost');
    expect(byProfile.xLabels).toEqual(['2008', 'modern']);
    expect(byProfile.series).toHaveLength(12);
  });

  it('reads a replicated run as one point with its intervals', async () => {
    const { out } = await hvsim('run', 'passthrough-vs-native', '--replications', '3', '--json');
    expect(isSweepText(out)).toBe(true);
    // One run's output is read as a sweep too, to say what it lacks (not as a lesson, whose errors would not fit it).
    const one = (await hvsim('run', 'passthrough-vs-native', '--json')).out;
    expect(isSweepText(one)).toBe(true);
    expect(parseSweepText(one)).toMatchObject({ ok: false, errors: [expect.stringMatching(/^replications: missing \(this is one run's output, hvsim run --json/)] });
    const parsed = parseSweepText(out);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(parsed.data.vary).toEqual([]);
    const plot = plotSeries(parsed.data, '', 'latencyNs.mean');
    expect(plot.xLabels).toEqual(['3 runs']);
    expect(plot.series.map((s) => s.label)).toEqual(['vm/data/vmbus-scsi', 'bare/data/native']);
    const json = JSON.parse(out);
    expect(plot.series[1]!.y[0]).toBe(json.paths[1].latencyNs.mean);
    expect(plot.series[1]!.ci95[0]).toEqual(json.paths[1].ci95.latencyNs.mean);
  });

  it('a sweep file missing its vary, or with points not a list, is read as a sweep and says so, not as a lesson (audit: it said "version: missing, name: missing, …")', () => {
    const points = [{ values: { a: 1 }, paths: [] }];
    const noVary = JSON.stringify({ scenario: 'queue-depth', points });
    expect(isSweepText(noVary)).toBe(true);
    expect(LessonController.isLessonText(noVary)).toBe(true); // why the order matters: the app asks isSweepText first
    expect(parseSweepText(noVary)).toMatchObject({ ok: false, errors: ['vary: found no list, allowed a list of { field, values }'] });
    const pointsObject = JSON.stringify({ scenario: 'queue-depth', vary: [{ field: 'a', values: [1] }], points: {} });
    expect(isSweepText(pointsObject)).toBe(true);
    expect(parseSweepText(pointsObject)).toMatchObject({ ok: false, errors: ['points: found no list, allowed a list of points'] });
    const noSeeds = JSON.stringify({ scenario: 'x', replications: 3, paths: [], fingerprint: 'f' });
    expect(isSweepText(noSeeds)).toBe(true);
    expect(parseSweepText(noSeeds)).toMatchObject({ ok: false, errors: ["seeds: found nothing, allowed the list of the replications' seeds"] });
    // A lesson or a scenario is never a sweep, whatever else it holds.
    expect(isSweepText(JSON.stringify({ scenario: 'queue-depth', steps: [], points: [] }))).toBe(false);
    expect(isSweepText(JSON.stringify({ name: 'x', vms: [], paths: [], fingerprint: 'f' }))).toBe(false);
  });

  it('says which field of a sweep file is wrong', () => {
    expect(parseSweepText('{"vary": [], "points": []}')).toMatchObject({ ok: false, errors: expect.arrayContaining([expect.stringMatching(/^scenario: /), expect.stringMatching(/^vary: found an empty list/)]) });
    const bad = parseSweepText(JSON.stringify({ scenario: 'x', vary: [{ field: 'a', values: [1] }], points: [{ values: { a: 1 }, paths: [{ stream: 's' }] }] }));
    expect(bad).toMatchObject({ ok: false, errors: ['points.0: paths.0: allowed an object with stream, vm, disk, path and its figures'] });
    expect(parseSweepText('nope')).toMatchObject({ ok: false, errors: [expect.stringMatching(/^not JSON/)] });
  });

  it('runs a scenario\'s sweep block in the page to the same figures as hvsim sweep', async () => {
    const text = smallQueueDepth({ vary: [{ field: 'workloads[3].queueDepth', values: [2, 16] }] });
    const parsed = parseScenarioText(text);
    if (!parsed.ok) throw new Error('invalid');
    const progress: number[] = [];
    const outcome = await runSweepBlock(text, parsed.scenario, { cancelled: false, onProgress: (done) => progress.push(done) });
    if (!outcome.ok) throw new Error('failed');
    expect(progress).toEqual([1, 2]);
    const file = join(dir, 'block.json');
    writeFileSync(file, text);
    const cli = JSON.parse((await hvsim('sweep', file, '--json')).out);
    expect(outcome.data.points.map((p) => p.paths)).toEqual(cli.points.map((p: { paths: unknown }) => p.paths));
    const cancelled = await runSweepBlock(text, parsed.scenario, { cancelled: true });
    expect(cancelled).toEqual({ ok: false, cancelled: true });
    const invalid = smallQueueDepth({ vary: [{ field: 'workloads[3].queueDepth', values: [2, 999] }] });
    const parsedInvalid = parseScenarioText(invalid);
    if (!parsedInvalid.ok) throw new Error('invalid');
    expect(await runSweepBlock(invalid, parsedInvalid.scenario, { cancelled: false })).toMatchObject({ ok: false, errors: [expect.stringMatching(/point workloads\[3\]\.queueDepth=999: workloads\.3\.queueDepth: found 999/)] });
    expect(outcome.losses).toEqual([]);
  });

  it('a block varying profile 2008 plots every point: the axis holds "2008" as the points do (a review found none plotted)', async () => {
    const text = smallQueueDepth({ vary: [{ field: 'profile', values: [2008, 'modern'] }] });
    const parsed = parseScenarioText(text);
    if (!parsed.ok) throw new Error('invalid');
    const outcome = await runSweepBlock(text, parsed.scenario, { cancelled: false });
    if (!outcome.ok) throw new Error('failed');
    expect(outcome.data.vary).toEqual([{ field: 'profile', values: ['2008', 'modern'] }]);
    expect(outcome.data.points.map((p) => p.values['profile'])).toEqual(['2008', 'modern']);
    const plot = plotSeries(outcome.data, 'profile', 'latencyNs.mean');
    expect(plot.series.length).toBeGreaterThan(0);
    for (const line of plot.series) expect(line.y.every((y) => y !== null)).toBe(true);
  });

  it('names the points that hit their limits or lost requests, as hvsim sweep does (audit finding 9)', async () => {
    const text = smallQueueDepth({ vary: [{ field: 'limits.maxEvents', values: [3000, 20_000_000] }] });
    const parsed = parseScenarioText(text);
    if (!parsed.ok) throw new Error('invalid');
    const outcome = await runSweepBlock(text, parsed.scenario, { cancelled: false });
    if (!outcome.ok) throw new Error('failed');
    expect(outcome.data.points).toHaveLength(2);
    expect(outcome.losses).toHaveLength(1);
    expect(outcome.losses[0]).toMatch(/^point limits\.maxEvents=3000 seed 1: 354 of 400 requests did not complete \(53 issued and still open, 301 never issued\): the run stopped after limits\.maxEvents/);
  });
});
