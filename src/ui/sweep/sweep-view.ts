/**
 * The sweep panel: one figure of a sweep's points plotted against one
 * varied field, a line per path, with the 95 % interval as a bar at each
 * point where the points were replicated; a figure picker, an x-field
 * picker when several fields vary, a status line, a Run button for a
 * scenario's own sweep block, and the plotted numbers as a table. Inline
 * SVG and plain DOM; every text (field names, values, scenario names)
 * goes in through textContent, so it shows as text whatever it holds.
 */
import { formatMetricValue, metricWords } from '../../scenario/index.js';
import { el, svg, uniqueId } from '../panels/dom.js';
import { plotSeries, SWEEP_FIGURES, type PlotData, type SweepData } from './sweep-data.js';

/** Line colours, bright enough on the dark panel and told apart by marker shape too. */
const COLOURS = ['#5cc8ff', '#ff9e4a', '#5ee39a', '#f27fd0', '#ffd84d', '#b39dff', '#ff6b6b', '#9be0e0'];
const W = 640;
const H = 300;
/** Margins: the right one holds half of the last x label ("modern" was cut to "moder" at 16). */
const M = { left: 78, right: 40, top: 14, bottom: 46 };

/** What the panel shows, for `window.hvsim.sweep.state()`. */
export interface SweepViewState {
  shown: boolean;
  status: string;
  /** The sweep's scenario, points and runs per point (0 before data). */
  scenario: string;
  points: number;
  replications: number;
  axis: string;
  figure: string;
  /** The lines as plotted: label, values, and the intervals' half widths (null where none). */
  series: { label: string; y: (number | null)[]; halfWidth: (number | null)[] }[];
  xLabels: string[];
}

/** A tick spacing of 1, 2 or 5 × 10^k at least `rough` (1 when there is no range). */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const scaled = rough / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

export class SweepView {
  private readonly root: HTMLElement;
  private readonly status = el('p', { class: 'hv-note hv-sweep-status', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly runButton = el('button', { class: 'hv-button', text: 'Run the sweep', attrs: { type: 'button' } });
  private readonly figureSelect = el('select');
  private readonly axisSelect = el('select');
  private readonly axisField: HTMLElement;
  private readonly plot = el('div', { class: 'hv-sweep-plot' });
  private readonly legend = el('ul', { class: 'hv-legend hv-sweep-legend' });
  private readonly table = el('table', { class: 'hv-table hv-sweep-table' });
  private data: SweepData | null = null;
  private plotted: PlotData | null = null;

  /**
   * `colourOf`: the canvas's colour of each stream (so a path's line has its
   * packets' colour), or null to number the lines' colours in turn.
   */
  constructor(
    host: HTMLElement,
    onRun: () => void,
    private readonly colourOf: (streams: readonly string[]) => string[] | null = () => null,
  ) {
    const headingId = uniqueId('hv-sweep');
    const figureId = uniqueId('hv-sweep-figure');
    const axisId = uniqueId('hv-sweep-axis');
    this.figureSelect.id = figureId;
    this.axisSelect.id = axisId;
    for (const metric of SWEEP_FIGURES) {
      const option = el('option', { text: `${metricWords(metric)} (${metric})` });
      option.value = metric;
      this.figureSelect.append(option);
    }
    this.figureSelect.value = 'latencyNs.mean';
    this.figureSelect.addEventListener('change', () => this.draw());
    this.axisSelect.addEventListener('change', () => this.draw());
    this.runButton.addEventListener('click', onRun);
    this.axisField = el('label', { class: 'hv-field', attrs: { for: axisId } }, el('span', { text: 'Against' }), this.axisSelect);
    const details = el('details', { class: 'hv-sweep-numbers' }, el('summary', { text: 'The plotted figures as a table' }), this.table);
    this.root = el(
      'section',
      { class: 'hv-panel hv-sweep', attrs: { 'aria-labelledby': headingId } },
      el('h2', { text: 'Sweep', attrs: { id: headingId } }),
      this.status,
      el('div', { class: 'hv-sweep-controls' }, this.runButton, el('label', { class: 'hv-field', attrs: { for: figureId } }, el('span', { text: 'Figure' }), this.figureSelect), this.axisField),
      this.plot,
      this.legend,
      details,
    );
    this.root.hidden = true;
    host.append(this.root);
  }

  /** Shows the panel with a status line; `runnable` shows the Run button (a scenario's own sweep block). */
  show(status: string, runnable: boolean): void {
    this.root.hidden = false;
    this.status.textContent = status;
    this.runButton.hidden = !runnable;
  }

  /**
   * Brings the panel on screen: it sits below the run, off screen at
   * 1366×768, and an opened sweep file changes nothing else there.
   */
  reveal(): void {
    this.root.scrollIntoView({ block: 'start' });
  }

  /** Sets the status line only. */
  setStatus(text: string): void {
    this.status.textContent = text;
  }

  /** Hides the panel and forgets its data. */
  hide(): void {
    this.root.hidden = true;
    this.data = null;
    this.plotted = null;
    this.plot.replaceChildren();
    this.legend.replaceChildren();
    this.table.replaceChildren();
  }

  /** Plots `data` (keeping the chosen figure; the x field is the first varied one). */
  setData(data: SweepData, status: string): void {
    this.data = data;
    this.axisSelect.replaceChildren(
      ...data.vary.map((axis) => {
        const option = el('option', { text: axis.field });
        option.value = axis.field;
        return option;
      }),
    );
    this.axisField.hidden = data.vary.length < 2;
    this.show(status, !this.runButton.hidden);
    this.draw();
  }

  /** Chooses the figure and x field (by name), as the pickers do. */
  choose(figure?: string, axis?: string): void {
    if (figure !== undefined && SWEEP_FIGURES.includes(figure)) this.figureSelect.value = figure;
    if (axis !== undefined && this.data?.vary.some((a) => a.field === axis)) this.axisSelect.value = axis;
    this.draw();
  }

  state(): SweepViewState {
    const p = this.plotted;
    return {
      shown: !this.root.hidden,
      status: this.status.textContent ?? '',
      scenario: this.data?.scenario ?? '',
      points: this.data?.points.length ?? 0,
      replications: this.data?.replications ?? 0,
      axis: p?.axis ?? '',
      figure: p?.metric ?? this.figureSelect.value,
      series: p?.series.map((s) => ({ label: s.label, y: s.y, halfWidth: s.ci95.map((c) => c?.halfWidth ?? null) })) ?? [],
      xLabels: p?.xLabels ?? [],
    };
  }

  private draw(): void {
    if (this.data === null) return;
    const data = plotSeries(this.data, this.axisSelect.value || (this.data.vary[0]?.field ?? ''), this.figureSelect.value);
    this.plotted = data;
    const colours = this.seriesColours(data);
    this.plot.replaceChildren(this.chart(data, colours));
    this.legend.replaceChildren(
      ...data.series.map((s, i) => {
        const swatch = el('span', { class: 'hv-swatch', attrs: { 'aria-hidden': 'true' } });
        swatch.style.background = colours[i]!;
        return el('li', {}, swatch, el('span', { text: s.label }));
      }),
    );
    this.table.replaceChildren(...this.tableRows(data));
  }

  /** Each line's colour: its stream's on the canvas when every line is a stream of its own, else in turn. */
  private seriesColours(data: PlotData): string[] {
    const streams = data.series.map((s) => s.stream);
    const canvas = new Set(streams).size === streams.length ? this.colourOf(streams) : null;
    return data.series.map((_, i) => canvas?.[i] ?? COLOURS[i % COLOURS.length]!);
  }

  private chart(data: PlotData, colours: readonly string[]): SVGSVGElement {
    const words = metricWords(data.metric);
    const axisName = data.axis === '' ? 'runs' : data.axis;
    const step = niceStep((Math.max(data.yMax, 0) - Math.min(0, data.yMin)) / 4);
    const low = Math.floor(Math.min(0, data.yMin) / step) * step;
    const high = Math.max(low + step, Math.ceil(data.yMax / step) * step);
    const x = (i: number): number => M.left + (data.xLabels.length <= 1 ? (W - M.left - M.right) / 2 : (i / (data.xLabels.length - 1)) * (W - M.left - M.right));
    const y = (v: number): number => M.top + (1 - (v - low) / (high - low)) * (H - M.top - M.bottom);
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'hv-sweep-svg', role: 'img' });
    root.setAttribute('aria-label', `${words} against ${axisName}: ${data.series.length} line${data.series.length === 1 ? '' : 's'}; the numbers are in the table below`);
    const text = (content: string, attrs: Record<string, string | number>): SVGTextElement => {
      const t = svg('text', attrs);
      t.textContent = content;
      return t;
    };
    for (let v = low; v <= high + step / 2; v += step) {
      root.append(svg('line', { x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), class: 'hv-sweep-grid' }));
      root.append(text(formatMetricValue(data.metric, v), { x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'hv-sweep-tick' }));
    }
    data.xLabels.forEach((label, i) => root.append(text(label, { x: x(i), y: H - M.bottom + 16, 'text-anchor': 'middle', class: 'hv-sweep-tick' })));
    root.append(text(axisName, { x: (M.left + W - M.right) / 2, y: H - 8, 'text-anchor': 'middle', class: 'hv-sweep-axis' }));
    data.series.forEach((s, si) => {
      const colour = colours[si]!;
      const points = s.y.flatMap((v, i) => (v === null ? [] : [`${x(i)},${y(v)}`]));
      root.append(svg('polyline', { points: points.join(' '), fill: 'none', stroke: colour, 'stroke-width': 2 }));
      s.y.forEach((v, i) => {
        if (v === null) return;
        const ci = s.ci95[i];
        if (ci !== null && ci !== undefined && ci.halfWidth > 0) {
          root.append(svg('line', { x1: x(i), x2: x(i), y1: y(ci.low), y2: y(ci.high), stroke: colour, 'stroke-width': 1.5, class: 'hv-sweep-ci' }));
          for (const end of [ci.low, ci.high]) root.append(svg('line', { x1: x(i) - 5, x2: x(i) + 5, y1: y(end), y2: y(end), stroke: colour, 'stroke-width': 1.5, class: 'hv-sweep-ci' }));
        }
        const mark = si % 2 === 0 ? svg('circle', { cx: x(i), cy: y(v), r: 4, fill: colour }) : svg('rect', { x: x(i) - 4, y: y(v) - 4, width: 8, height: 8, fill: colour });
        const title = svg('title');
        title.textContent = `${s.label}, ${axisName} = ${data.xLabels[i]}: ${formatMetricValue(data.metric, v)}${ci ? ` ± ${formatMetricValue(data.metric, ci.halfWidth)}` : ''}`;
        mark.append(title);
        root.append(mark);
      });
    });
    return root;
  }

  private tableRows(data: PlotData): HTMLElement[] {
    const axisName = data.axis === '' ? 'runs' : data.axis;
    const caption = el('caption', { text: `${metricWords(data.metric)} against ${axisName}${this.data?.replications ? ` (mean ± half the 95 % interval of ${this.data.replications} runs)` : ''}` });
    const head = el('tr', {}, el('th', { text: axisName, attrs: { scope: 'col' } }), ...data.series.map((s) => el('th', { text: s.label, attrs: { scope: 'col' } })));
    const rows = data.xLabels.map((label, i) =>
      el(
        'tr',
        {},
        el('th', { text: label, attrs: { scope: 'row' } }),
        ...data.series.map((s) => {
          const v = s.y[i];
          const ci = s.ci95[i];
          return el('td', { text: v === null || v === undefined ? '—' : `${formatMetricValue(data.metric, v)}${ci ? ` ± ${formatMetricValue(data.metric, ci.halfWidth)}` : ''}` });
        }),
      ),
    );
    return [caption, el('thead', {}, head), el('tbody', {}, ...rows)];
  }
}
