// @vitest-environment happy-dom
/**
 * The comparison strip in compare mode: the compared run's paths under the
 * loaded run's in each figure, each run under its scenario's name (as
 * text), on one scale per figure across both; the compared run's figures
 * are its own run's at its own cursor; closing compare mode, or comparing
 * a run without paths, leaves the loaded run's strip as it was alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bundledScenario, parseScenarioText, runScenario, type ReplicatedPath, type ScenarioRun } from '../../src/scenario/index.js';
import { ComparisonStrip, type StripPath } from '../../src/ui/panels/comparison-strip.js';
import { formatCount } from '../../src/ui/panels/dom.js';

const XSS = '<img src=x onerror=alert(1)>';

function runOf(name: string): ScenarioRun {
  const parsed = parseScenarioText(bundledScenario(name)!.text, `${name}.json`);
  if (!parsed.ok) throw new Error(`${name} does not parse`);
  return runScenario(parsed.scenario, { keepRecords: 'columns' });
}

const first = runOf('emulated-vs-synthetic');
const compared = runOf('fastpath-boot');
const cluster = runOf('vmotion');

const pathsOf = (run: ScenarioRun): StripPath[] => run.paths.map((p, i) => ({ metrics: p, colour: 0x224466 + i * 0x111111, tag: '' }));

function host(): HTMLElement {
  const h = document.createElement('div');
  document.body.append(h);
  return h;
}

/** A strip showing the loaded run alone at `cursor`. */
function alone(cursor: number): { strip: ComparisonStrip; h: HTMLElement } {
  const h = host();
  const strip = new ComparisonStrip(h);
  strip.setPaths(pathsOf(first), first.store!, 'emulated-vs-synthetic');
  strip.update(cursor, first.store!.length);
  return { strip, h };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('the comparison strip in compare mode', () => {
  it("puts the compared run's paths under the loaded run's in every figure, each run under its scenario's name, written as text", () => {
    const { strip, h } = alone(100);
    // Alone, the strip names no run.
    expect(h.querySelectorAll('.hv-strip-run')).toHaveLength(0);
    strip.setCompared({ name: XSS, paths: pathsOf(compared), records: compared.store! });
    expect(h.querySelector('img')).toBeNull();
    const figures = [...h.querySelectorAll('.hv-strip-figure')];
    expect(figures).toHaveLength(6);
    for (const f of figures) {
      const items = [...f.querySelectorAll('li')];
      expect(items.map((li) => (li.classList.contains('hv-strip-run') ? `run ${li.textContent}` : 'path'))).toEqual(['run emulated-vs-synthetic', 'path', 'path', 'path', `run ${XSS}`, 'path', 'path']);
    }
    expect(strip.shown.runs.map((r) => [r.scenario, r.paths.map((p) => p.stream)])).toEqual([
      ['emulated-vs-synthetic', first.paths.map((p) => p.stream)],
      [XSS, compared.paths.map((p) => p.stream)],
    ]);
  });

  it("shows the compared run's own figures at its own cursor, the loaded run's at theirs", () => {
    const { strip } = alone(0);
    strip.setCompared({ name: 'fastpath-boot', paths: pathsOf(compared), records: compared.store! });
    const total = compared.store!.length;
    // What the compared run shows when it is the loaded one, alone, at the same cursor: its own records and metrics.
    const itself = new ComparisonStrip(host());
    itself.setPaths(pathsOf(compared), compared.store!, 'fastpath-boot');
    for (const [a, c] of [[700, 0], [1200, Math.floor(total / 3)], [first.store!.length, total - 5], [first.store!.length, total]] as const) {
      strip.update(a, first.store!.length);
      strip.updateCompared(c, total);
      itself.update(c, total);
      expect(strip.shown.runs[1]!.paths, `compared at ${c}`).toEqual(itself.shown.runs[0]!.paths);
      expect(strip.shown.runs[0]!.paths, `loaded at ${a}`).toEqual(alone(a).strip.shown.runs[0]!.paths);
    }
    // At its end, its VM exits per I/O are its metrics'.
    expect(strip.shown.runs[1]!.paths.map((p) => p.values[0])).toEqual(compared.paths.map((p) => formatCount(p.perIo.vmExits, 1)));
  });

  it('draws both runs on one scale per figure', () => {
    const { strip, h } = alone(0);
    strip.setCompared({ name: 'fastpath-boot', paths: pathsOf(compared), records: compared.store! });
    const outlines = (figure: number): number[] => [...h.querySelectorAll('.hv-strip-figure')[figure]!.querySelectorAll<HTMLElement>('.hv-strip-end')].map((e) => parseFloat(e.style.width));
    const both = [...first.paths, ...compared.paths];
    for (const [figure, end] of [[0, both.map((p) => p.perIo.vmExits)], [3, both.map((p) => p.cpuNsPerIo.total)]] as const) {
      const scale = Math.max(...end);
      expect(outlines(figure)).toEqual(end.map((e) => Math.max(0.5, (e / scale) * 100)));
    }
  });

  it('brings back the loaded run alone when compare mode closes, and keeps it alone beside a run without paths', () => {
    const { strip, h } = alone(900);
    const before = h.innerHTML;
    strip.setCompared({ name: 'fastpath-boot', paths: pathsOf(compared), records: compared.store! });
    strip.updateCompared(400, compared.store!.length);
    expect(h.innerHTML).not.toBe(before);
    strip.setCompared(null);
    expect(h.innerHTML).toBe(before);
    expect(cluster.paths).toEqual([]);
    strip.setCompared({ name: 'vmotion', paths: pathsOf(cluster), records: cluster.store! });
    expect(h.innerHTML).toBe(before);
  });

  it("keeps the replications' lines under the loaded run's paths when a run is compared", () => {
    const { strip, h } = alone(0);
    const p = first.paths[0]!;
    const replicated = { ...p, ci95: { latencyNs: { mean: { halfWidth: 10_000, low: 0, high: 0 } } } } as unknown as ReplicatedPath;
    strip.setReplicated(3, [replicated]);
    const lines = (): string[] => [...h.querySelectorAll('.hv-strip-ci')].map((e) => e.textContent ?? '').filter((t) => t !== '');
    expect(lines()).toHaveLength(1);
    strip.setCompared({ name: 'fastpath-boot', paths: pathsOf(compared), records: compared.store! });
    expect(lines()).toHaveLength(1);
    // The line is in the loaded run's first row of the latency figure.
    const latency = h.querySelectorAll('.hv-strip-figure')[4]!;
    expect(latency.querySelectorAll('li:not(.hv-strip-run)')[0]!.querySelector('.hv-strip-ci')!.textContent).toMatch(/^3 runs: /);
    expect(h.querySelector('.hv-strip .hv-note')!.textContent).toMatch(/over 3 runs of emulated-vs-synthetic\.$/);
  });
});
