/**
 * Crowded columns (vhd-types at 1366×768 in the projector view): a box drops
 * its count before its name and never shows a bare number; a column title
 * takes two lines before it becomes its tag; the VMs' columns stay near
 * equal, so a short name is not squeezed to its tag by long ones.
 */
import { describe, expect, it } from 'vitest';
import { fitWithCounter, labelForms, titleLines } from '../../src/render/labels.js';
import { estimateTextWidth, layoutTopology } from '../../src/render/layout.js';
import { bundledScenario, parseScenarioText, scenarioTopology } from '../../src/scenario/index.js';

const measure = (s: string): number => estimateTextWidth(s, 16);

describe('fitWithCounter', () => {
  it('drops the count before the name: never a bare number', () => {
    const forms = labelForms('VMBus', new Map());
    const width = measure('VMBus') + 4;
    const fitted = fitWithCounter(forms, width, measure('2000') + 6, false, measure);
    expect(fitted.counter).toBe(false);
    expect(fitted.label.lines.join(' ')).toBe('VMBus');
  });

  it('keeps the count beside a name that fits with it', () => {
    const fitted = fitWithCounter(['VMBus'], 200, measure('2000') + 6, false, measure);
    expect(fitted).toEqual({ label: { lines: ['VMBus'], centred: true }, counter: true });
  });

  it('drops the count even when the name must be cut', () => {
    const fitted = fitWithCounter(['Hypervisor'], measure('Hyper'), measure('99') + 6, false, measure);
    expect(fitted.counter).toBe(false);
    expect(fitted.label.lines[0]).not.toBe('');
  });
});

describe('titleLines', () => {
  it('breaks after a hyphen or at a space, the wider line as narrow as can be', () => {
    expect(titleLines('⑤ rewrite-dynamic', 200, measure)).toEqual(['⑤ rewrite-', 'dynamic']);
    expect(titleLines('③ dynamic', 200, measure)).toEqual(['③', 'dynamic']);
    expect(titleLines('④ differencing', measure('differenc'), measure)).toBeNull();
  });
});

describe('vhd-types at 1366×768 in the projector view', () => {
  const parsed = parseScenarioText(bundledScenario('vhd-types')!.text, 'vhd-types.json');
  if (!parsed.ok) throw new Error('vhd-types does not parse');
  const topology = scenarioTopology(parsed.scenario);
  const L = layoutTopology(topology, 940, 555, { minFontSize: 16, twoLineTitles: true });

  it('gives the VMs near-equal columns', () => {
    const children = new Set(topology.partitions.filter((p) => p.kind === 'child').map((p) => p.id));
    const widths = L.columns.filter((c) => children.has(c.partition)).map((c) => c.w);
    expect(widths.length).toBe(6);
    expect(Math.max(...widths) / Math.min(...widths)).toBeLessThan(1.25);
  });

  it('has room for each VM name on at most two lines of its column', () => {
    const tags = ['①', '②', '③', '④', '⑤', '⑥'];
    const children = topology.partitions.filter((p) => p.kind === 'child');
    const bold = (s: string): number => estimateTextWidth(s, L.metrics.fontSize) * 1.1;
    children.forEach((p, i) => {
      const col = L.columns.find((c) => c.partition === p.id)!;
      const name = `${tags[i]} ${p.label}`;
      const fits = bold(name) <= col.frame.w - 4 || titleLines(name, col.frame.w - 4, bold) !== null;
      expect(fits, name).toBe(true);
    });
  });
});
