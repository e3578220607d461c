/**
 * The sweep panel: one figure of a sweep's points plotted against one
 * varied field (`sweep-chart.ts`: a line per path, or points per category
 * when the field's values are not numbers), with the 95 % interval as a
 * bar at each point where the points were replicated; a figure picker, an
 * x-field picker when several fields vary (each field in words beside its
 * path), a status line, a Run button for a scenario's own sweep block, and
 * the plotted numbers as a table. Plain DOM; every text (field names,
 * values, scenario names) goes in through textContent, so it shows as text
 * whatever it holds.
 */
import { formatMetricValue, metricWords } from '../../scenario/index.js';
import { el, uniqueId } from '../panels/dom.js';
import { fieldLabel } from './field-label.js';
import { sweepChart, type AxisName } from './sweep-chart.js';
import { plotSeries, SWEEP_FIGURES, type PlotData, type SweepData } from './sweep-data.js';

/** Line colours, bright enough on the dark panel and told apart by marker shape too. */
const COLOURS = ['#5cc8ff', '#ff9e4a', '#5ee39a', '#f27fd0', '#ffd84d', '#b39dff', '#ff6b6b', '#9be0e0'];

/** What the panel shows, for `window.hvsim.sweep.state()`. */
export interface SweepViewState {
  shown: boolean;
  status: string;
  /** The sweep's scenario, points and runs per point (0 before data). */
  scenario: string;
  points: number;
  replications: number;
  /** The x field's path, and the same in words as the axis names it ("queue depth (workload 3: qd32/data)"). */
  axis: string;
  axisLabel: string;
  /** Whether the x values are categories, drawn as points without a line. */
  categorical: boolean;
  figure: string;
  /** The lines as plotted: label, values, and the intervals' half widths (null where none). */
  series: { label: string; y: (number | null)[]; halfWidth: (number | null)[] }[];
  xLabels: string[];
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
  /** Each varied field in words, from the scenario the sweep ran when it is known (`field-label.ts`). */
  private labels = new Map<string, string>();
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

  /**
   * Plots `data` (keeping the chosen figure; the x field is the first
   * varied one). `scenario`, the scenario the sweep ran (as read or
   * validated) or null, names the list items its fields are in.
   */
  setData(data: SweepData, status: string, scenario: unknown = null): void {
    this.data = data;
    this.labels = new Map(data.vary.map((axis) => [axis.field, fieldLabel(axis.field, scenario)]));
    this.axisSelect.replaceChildren(
      ...data.vary.map((axis) => {
        const label = this.labels.get(axis.field)!;
        const option = el('option', { text: label === axis.field ? label : `${label} · ${axis.field}` });
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
      axisLabel: p === null ? '' : this.axisName(p).label,
      categorical: p?.categorical ?? false,
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
    this.plot.replaceChildren(sweepChart(data, colours, this.axisName(data)));
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

  /** The x axis's field in words and as its path ('runs' for a replicated run, where nothing varies). */
  private axisName(data: PlotData): AxisName {
    if (data.axis === '') return { label: 'runs', path: 'runs' };
    return { label: this.labels.get(data.axis) ?? data.axis, path: data.axis };
  }

  private tableRows(data: PlotData): HTMLElement[] {
    const axis = this.axisName(data);
    const caption = el('caption', { text: `${metricWords(data.metric)} against ${axis.label}${this.data?.replications ? ` (mean ± half the 95 % interval of ${this.data.replications} runs)` : ''}` });
    const corner = el('th', { text: axis.label, attrs: { scope: 'col' } });
    if (axis.label !== axis.path) corner.append(el('br'), el('code', { class: 'hv-sweep-axis-path', text: axis.path }));
    const head = el('tr', {}, corner, ...data.series.map((s) => el('th', { text: s.label, attrs: { scope: 'col' } })));
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
