// @vitest-environment happy-dom
/** The scenario picker, the help overlay and the path charts. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ArraySink } from '../../src/engine/index.js';
import { computePathMetrics, latenciesByStream } from '../../src/metrics/index.js';
import { BANDS } from '../../src/model/topology.js';
import type { HvRecord } from '../../src/model/trace-events.js';
import { runWorld } from '../../src/model/world.js';
import { HelpOverlay } from '../../src/ui/panels/help-overlay.js';
import { BAND_COLOURS, PathCharts } from '../../src/ui/panels/path-charts.js';
import { ScenarioPicker } from '../../src/ui/panels/scenario-picker.js';
import { pathLabels } from '../../src/ui/panels/packet-legend.js';
import { headline } from '../model/worlds.js';

const XSS = '<img src=x onerror=alert(1)>';

afterEach(() => {
  document.body.replaceChildren();
});

function host(): HTMLElement {
  const h = document.createElement('div');
  document.body.append(h);
  return h;
}

describe('ScenarioPicker', () => {
  const bundled = [
    { name: 'emulated-vs-synthetic', text: JSON.stringify({ description: 'First line.\nSecond.' }) },
    { name: 'queue-depth', text: '{ not json' },
  ];

  it('shows a description with HTML in it as text, one paragraph per line', () => {
    const h = host();
    const picker = new ScenarioPicker(h, { bundled, onLoadText: () => {}, onLoadBundled: () => {} });
    picker.setDescription(`<b>${XSS}</b>`, `Line one ${XSS}\n<script>alert(2)</script>`);
    expect(h.querySelector('img, b, script')).toBeNull();
    expect(h.textContent).toContain(`<b>${XSS}</b>`);
    const paragraphs = [...h.querySelectorAll('.hv-scenario-description p')].map((p) => p.textContent);
    expect(paragraphs).toEqual([`Line one ${XSS}`, '<script>alert(2)</script>']);
  });

  it('shows errors as text in an alert box and clears them', () => {
    const h = host();
    const picker = new ScenarioPicker(h, { bundled, onLoadText: () => {}, onLoadBundled: () => {} });
    const alert = h.querySelector<HTMLElement>('[role="alert"]')!;
    expect(alert.hidden).toBe(true);
    picker.showErrors([`vms[0].name: found '${XSS}'`, 'seed: expected an integer']);
    expect(alert.hidden).toBe(false);
    expect(h.querySelector('img')).toBeNull();
    expect([...alert.querySelectorAll('li')].map((li) => li.textContent)).toEqual([`vms[0].name: found '${XSS}'`, 'seed: expected an integer']);
    picker.clearErrors();
    expect(alert.hidden).toBe(true);
    expect(alert.textContent).toBe('');
  });

  it('loads the chosen bundled scenario', () => {
    const h = host();
    const onLoadBundled = vi.fn();
    new ScenarioPicker(h, { bundled, onLoadText: () => {}, onLoadBundled });
    const select = h.querySelector('select')!;
    expect([...select.options].filter((o) => !o.hidden).map((o) => o.value)).toEqual(['emulated-vs-synthetic', 'queue-depth']);
    expect(select.options[0]!.title).toBe('First line.');
    select.value = 'queue-depth';
    [...h.querySelectorAll('button')].find((b) => b.textContent === 'Load')!.click();
    expect(onLoadBundled).toHaveBeenCalledWith('queue-depth');
    expect(h.querySelector(`label[for="${select.id}"]`)).not.toBeNull();
  });

  it('reads an opened file as text', async () => {
    const h = host();
    const onLoadText = vi.fn();
    new ScenarioPicker(h, { bundled, onLoadText, onLoadBundled: () => {} });
    const input = h.querySelector<HTMLInputElement>('input[type="file"]')!;
    const file = new File(['{"name":"mine"}'], 'mine.json', { type: 'application/json' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(onLoadText).toHaveBeenCalledWith('{"name":"mine"}', 'mine.json'));
  });
});

describe('HelpOverlay', () => {
  const shortcuts = [
    { keys: 'Space', action: 'Play / pause (in a lesson: on to the next step, stopping where it pauses)' },
    { keys: '→', action: 'Step one record forward' },
  ];

  it('is a modal dialog that lists the shortcuts and closes on Escape, giving focus back', () => {
    const h = host();
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    const help = new HelpOverlay(h, shortcuts);
    expect(help.isOpen).toBe(false);
    help.open();
    expect(help.isOpen).toBe(true);
    const dialog = h.querySelector<HTMLElement>('[role="dialog"]')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).toBe('Keyboard shortcuts');
    expect([...dialog.querySelectorAll('kbd')].map((k) => k.textContent)).toEqual(['Space', '→']);
    expect(dialog.contains(document.activeElement)).toBe(true);

    const appKeys = vi.fn();
    document.addEventListener('keydown', appKeys);
    document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    document.removeEventListener('keydown', appKeys);
    expect(help.isOpen).toBe(false);
    expect(appKeys).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(opener);
  });

  it('traps Tab inside the dialog and toggles', () => {
    const h = host();
    const help = new HelpOverlay(h, shortcuts);
    help.toggle();
    const close = h.querySelector<HTMLButtonElement>('[role="dialog"] button')!;
    expect(document.activeElement).toBe(close);
    const tab = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true });
    close.dispatchEvent(tab);
    expect(tab.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(close);
    help.toggle();
    expect(help.isOpen).toBe(false);
  });
});

describe('PathCharts', () => {
  const sink = new ArraySink<HvRecord>();
  runWorld(headline(), sink);
  const records = sink.records;
  const paths = computePathMetrics(records);
  const latencies = latenciesByStream(records);
  const topology = { partitions: [], places: [], links: [] };

  it('draws one card per path with the key figures, a latency breakdown, a band bar, top places, the latencies and counts, all with text', () => {
    const h = host();
    const charts = new PathCharts(h);
    charts.setData(paths, latencies, topology);
    const cards = h.querySelectorAll('.hv-path-card');
    expect(cards.length).toBe(paths.length);
    expect(paths.length).toBeGreaterThanOrEqual(3);
    for (const [i, card] of [...cards].entries()) {
      const p = paths[i]!;
      const bar = card.querySelector('.hv-band-stack[role="img"]')!;
      expect(bar.getAttribute('aria-label')).toMatch(/Time per I\/O .*Hardware/);
      expect(card.querySelectorAll('.hv-band-stack .hv-seg').length).toBe(BANDS.filter((b) => p.timeByBandNs[b] > 0).length);
      expect(card.querySelectorAll('.hv-barlist li').length).toBeGreaterThan(0);
      // One request: its latency as a value, not a histogram of one bar.
      expect(card.querySelector('svg.hv-hist')).toBeNull();
      expect(card.querySelector('.hv-values')!.textContent).not.toBe('');
      const key = card.querySelector('.hv-key-figures')!.textContent!;
      expect(key).toContain('VM exits');
      expect(key).toContain(String(p.perIo.vmExits));
      expect(key).toContain('CPU time');
      expect(key).toContain('Device time');
      expect(card.querySelector('.hv-reconcile')!.textContent).toMatch(/latency/);
      expect(card.querySelector('table.hv-counts')!.textContent).toContain('Latency p99');
    }
    // The PIO path's band bar is the longest: the scale is shared.
    const widths = [...h.querySelectorAll<HTMLElement>('.hv-band-stack')].map((b) => parseFloat(b.style.width));
    expect(Math.max(...widths)).toBe(100);
    expect(widths.filter((w) => w < 100).length).toBe(paths.length - 1);
  });

  it('colours band segments from BAND_COLOURS', () => {
    const h = host();
    new PathCharts(h).setData(paths, latencies, topology);
    const colours = new Set(Object.values(BAND_COLOURS));
    expect(colours.size).toBe(BANDS.length);
    const seg = h.querySelector<HTMLElement>('.hv-band-stack .hv-seg')!;
    expect(seg.style.background).not.toBe('');
  });

  it("keeps the across-paths chart's point labels inside the plot, off the max labels and off each other", () => {
    const h = host();
    new PathCharts(h).setData(paths, latencies, topology);
    const chart = h.querySelector('svg.hv-across')!;
    const ys = (cls: string): number[] => [...chart.querySelectorAll(`text.hv-point-label.${cls}`)].map((t) => Number(t.getAttribute('y')));
    const xs = [...chart.querySelectorAll('text.hv-point-label.hv-series-a')].map((t) => Number(t.getAttribute('x')));
    const [a, b] = [ys('hv-series-a'), ys('hv-series-b')];
    expect(a.length).toBe(paths.length);
    const axis = Number(chart.querySelector('line.hv-axis-line')!.getAttribute('y1'));
    const maxLabels = [...chart.querySelectorAll('text.hv-tick')].filter((t) => t.textContent!.startsWith('max ')).map((t) => Number(t.getAttribute('y')));
    expect(maxLabels).toHaveLength(2);
    for (const [i, y] of [...a, ...b].entries()) {
      expect(y, `label ${i}`).toBeGreaterThan(Math.max(...maxLabels) + 12); // below the max labels, a line apart
      expect(y, `label ${i}`).toBeLessThanOrEqual(axis + 2); // above the queue-depth or path labels
    }
    xs.forEach((_, i) => expect(Math.abs(a[i]! - b[i]!), `labels at point ${i}`).toBeGreaterThanOrEqual(16));
  });

  it('says so when nothing has run', () => {
    const h = host();
    new PathCharts(h).setData([], new Map(), topology);
    expect(h.textContent).toContain('No workload has run yet');
  });
});

describe('pathLabels', () => {
  it('names the disk where one VM has several streams, so their legend entries differ', () => {
    expect(
      pathLabels([
        { vm: 'mailbox', disk: 'db', path: 'vmbus-scsi' },
        { vm: 'mailbox', disk: 'logs', path: 'vmbus-scsi' },
        { vm: 'hub', disk: 'data', path: 'ide-dma' },
        { vm: 'nic', disk: 'eth0', path: '' },
      ]),
    ).toEqual(['mailbox · db · vmbus-scsi', 'mailbox · logs · vmbus-scsi', 'hub · ide-dma', 'nic · eth0']);
  });
});
