/**
 * The sweep panel's chart, as inline SVG: one figure against one varied
 * field. Numbers along x get a line per series through its points (a
 * trend between two queue depths means something); categories get points
 * only, the series side by side within each category's band under the
 * category's name (there is nothing between `2008` and `modern` to draw a
 * line through). The x axis names the field in words, its path on a
 * smaller second line. Text goes in through textContent; no other DOM.
 */
import { formatMetricValue, metricWords } from '../../scenario/index.js';
import { svg } from '../panels/dom.js';
import type { PlotData } from './sweep-data.js';

/** The chart's box in SVG units; the panel scales it to its width (at most 52rem, `sweep.css`). */
const W = 640;
const H = 318;
/**
 * Margins: the right one holds half of the last x label of a line ("modern"
 * was cut to "moder" at 16); the bottom one the tick labels, the field's
 * words and its path under them.
 */
const M = { left: 78, right: 40, top: 14, bottom: 64 };
/**
 * A character's advance at the tick labels' 12 px and the axis name's 13 px,
 * taken at 0.6 em: DejaVu Sans (Debian's system-ui) averages about that on
 * these labels, and the usual Windows and macOS faces are narrower.
 */
const TICK_CHAR = 7.2;
const AXIS_CHAR = 7.8;
/** The widest spread of one category's points, as a share of its band, and the most between two neighbours. */
const DODGE_SHARE = 0.7;
const DODGE_MAX = 16;

/** The varied field as the x axis names it: in words, and its path in the scenario file. */
export interface AxisName {
  label: string;
  path: string;
}

/** A tick spacing of 1, 2 or 5 × 10^k at least `rough` (1 when there is no range). */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const scaled = rough / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

/** `text` cut to `chars` characters with an ellipsis (whole if it fits). */
export function fitText(text: string, chars: number): string {
  const room = Math.max(2, Math.floor(chars));
  return text.length <= room ? text : `${text.slice(0, room - 1)}…`;
}

/** An SVG text element holding `content`, with a tooltip (`<title>`) when one is given. */
function text(content: string, attrs: Record<string, string | number>, tooltip?: string): SVGTextElement {
  const t = svg('text', attrs);
  t.textContent = content;
  if (tooltip !== undefined) {
    const title = svg('title');
    title.textContent = tooltip;
    t.append(title);
  }
  return t;
}

/** Where each x position and each series' point at it go, in SVG units. */
interface XScale {
  /** The centre of position `i`. */
  at(i: number): number;
  /** Series `si`'s offset from the centre (0 on a line; side by side in a category). */
  dodge(si: number): number;
  /** The room a tick label has, in SVG units. */
  room: number;
}

function xScale(data: PlotData): XScale {
  const width = W - M.left - M.right;
  const n = data.xLabels.length;
  if (!data.categorical) {
    const gap = n <= 1 ? width : width / (n - 1);
    // A line's end labels sit on the plot's edges: half of each must fit in the margin.
    return { at: (i) => M.left + (n <= 1 ? width / 2 : i * gap), dodge: () => 0, room: Math.min(gap, 2 * M.right) };
  }
  const band = width / Math.max(1, n);
  const count = data.series.length;
  const step = count <= 1 ? 0 : Math.min(DODGE_MAX, (band * DODGE_SHARE) / (count - 1));
  return { at: (i) => M.left + (i + 0.5) * band, dodge: (si) => (si - (count - 1) / 2) * step, room: band };
}

/**
 * The chart of `data`, series `si` in `colours[si]`, its x axis named by
 * `axis`.
 * @example panel.append(sweepChart(plotSeries(data, 'profile', 'latencyNs.mean'), ['#5cc8ff'], { label: 'cost profile', path: 'profile' }))
 */
export function sweepChart(data: PlotData, colours: readonly string[], axis: AxisName): SVGSVGElement {
  const words = metricWords(data.metric);
  const step = niceStep((Math.max(data.yMax, 0) - Math.min(0, data.yMin)) / 4);
  const low = Math.floor(Math.min(0, data.yMin) / step) * step;
  const high = Math.max(low + step, Math.ceil(data.yMax / step) * step);
  const x = xScale(data);
  const y = (v: number): number => M.top + (1 - (v - low) / (high - low)) * (H - M.top - M.bottom);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'hv-sweep-svg', role: 'img' });
  const shape = data.categorical ? `${data.series.length} series of points, one per ${axis.label} (no line between categories)` : `${data.series.length} line${data.series.length === 1 ? '' : 's'}`;
  root.setAttribute('aria-label', `${words} against ${axis.label}: ${shape}; the numbers are in the table below`);
  for (let v = low; v <= high + step / 2; v += step) {
    root.append(svg('line', { x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), class: 'hv-sweep-grid' }));
    root.append(text(formatMetricValue(data.metric, v), { x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'hv-sweep-tick' }));
  }
  // Categories: a faint rule between two bands, so each category's points read as a group.
  if (data.categorical) for (let i = 1; i < data.xLabels.length; i++) root.append(svg('line', { x1: x.at(i - 0.5), x2: x.at(i - 0.5), y1: M.top, y2: H - M.bottom, class: 'hv-sweep-band' }));
  data.xLabels.forEach((label, i) => {
    const shown = fitText(label, x.room / TICK_CHAR);
    root.append(text(shown, { x: x.at(i), y: H - M.bottom + 16, 'text-anchor': 'middle', class: 'hv-sweep-tick' }, shown === label ? undefined : label));
  });
  appendAxisName(root, axis);
  data.series.forEach((s, si) => appendSeries(root, data, si, colours[si]!, axis.label, (i) => x.at(i) + x.dodge(si), y));
  return root;
}

/** The field in words under the ticks, its path below in a smaller face; each with both as its tooltip. */
function appendAxisName(root: SVGSVGElement, axis: AxisName): void {
  const both = axis.label === axis.path ? axis.path : `${axis.label}: ${axis.path}`;
  const centre = (M.left + W - M.right) / 2;
  const room = (W - 16) / AXIS_CHAR;
  if (axis.label === axis.path) {
    root.append(text(fitText(axis.label, room), { x: centre, y: H - 18, 'text-anchor': 'middle', class: 'hv-sweep-axis' }, both));
    return;
  }
  root.append(text(fitText(axis.label, room), { x: centre, y: H - 24, 'text-anchor': 'middle', class: 'hv-sweep-axis' }, both));
  root.append(text(fitText(axis.path, room), { x: centre, y: H - 6, 'text-anchor': 'middle', class: 'hv-sweep-axis-path' }, both));
}

/** One series: its line (numbers only), its interval bars and its marks, each mark titled with its value. */
function appendSeries(root: SVGSVGElement, data: PlotData, si: number, colour: string, axisLabel: string, xOf: (i: number) => number, y: (v: number) => number): void {
  const s = data.series[si]!;
  if (!data.categorical) {
    const points = s.y.flatMap((v, i) => (v === null ? [] : [`${xOf(i)},${y(v)}`]));
    root.append(svg('polyline', { points: points.join(' '), fill: 'none', stroke: colour, 'stroke-width': 2 }));
  }
  s.y.forEach((v, i) => {
    if (v === null) return;
    const cx = xOf(i);
    const ci = s.ci95[i];
    if (ci !== null && ci !== undefined && ci.halfWidth > 0) {
      root.append(svg('line', { x1: cx, x2: cx, y1: y(ci.low), y2: y(ci.high), stroke: colour, 'stroke-width': 1.5, class: 'hv-sweep-ci' }));
      for (const end of [ci.low, ci.high]) root.append(svg('line', { x1: cx - 5, x2: cx + 5, y1: y(end), y2: y(end), stroke: colour, 'stroke-width': 1.5, class: 'hv-sweep-ci' }));
    }
    const mark = si % 2 === 0 ? svg('circle', { cx, cy: y(v), r: 4, fill: colour, class: 'hv-sweep-mark' }) : svg('rect', { x: cx - 4, y: y(v) - 4, width: 8, height: 8, fill: colour, class: 'hv-sweep-mark' });
    const title = svg('title');
    title.textContent = `${s.label}, ${axisLabel} = ${data.xLabels[i]}: ${formatMetricValue(data.metric, v)}${ci ? ` ± ${formatMetricValue(data.metric, ci.halfWidth)}` : ''}`;
    mark.append(title);
    root.append(mark);
  });
}
