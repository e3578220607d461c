/**
 * Latency per path, side by side (DESIGN §4, §6). First a chart of one
 * figure across the paths (signals or exits per I/O and latency, against
 * queue depth when the workloads differ in it). Then for each workload
 * stream: the figures that carry the lesson (exits, transitions, CPU time,
 * device time, latency) at the top; where the latency goes, CPU time and
 * device time told apart and reconciled with the latency (or why not:
 * overlap, queueing); a stacked bar of time per I/O by band; the places
 * where the time goes; the latencies (a log2 histogram from
 * `HISTOGRAM_MIN` requests, the values below that); the other counts. Bars
 * and histograms share one scale across the cards. Plain DOM and inline
 * SVG built with createElementNS; every chart has its numbers as text (a
 * legend, a visible list or a visually-hidden table).
 */
import { formatNs } from '../../engine/sim-time.js';
import { BANDS, type Band, type Topology } from '../../model/topology.js';
import type { PathMetrics } from '../../metrics/index.js';
import type { Scenario } from '../../scenario/index.js';
import { BAND_COLOURS, BAND_LABELS } from './band-colours.js';
import { el, formatCount, placeLabel, placesById, svg, uniqueId } from './dom.js';

export { BAND_COLOURS, BAND_LABELS, bandColourNumber } from './band-colours.js';

/** Places listed per path. */
const TOP_PLACES = 8;
const HIST_W = 320;
const HIST_H = 120;
/** Fewer completed requests than this show their latencies as values, not a histogram. */
export const HISTOGRAM_MIN = 20;
/** Below this relative gap, the band total counts as the latency. */
const ADDS_UP = 0.01;

function figure(caption: string, ...content: Node[]): HTMLElement {
  return el('figure', { class: 'hv-figure' }, el('figcaption', { text: caption }), ...content);
}

function sumBands(p: PathMetrics): number {
  let total = 0;
  for (const b of BANDS) total += p.timeByBandNs[b] ?? 0;
  return total;
}

/** The stacked bar by band, `scaleNs` being the longest total of all paths. */
function bandChart(p: PathMetrics, scaleNs: number): HTMLElement {
  const total = sumBands(p);
  const used = BANDS.filter((b) => (p.timeByBandNs[b] ?? 0) > 0);
  const words = used.map((b) => `${BAND_LABELS[b]} ${formatNs(Math.round(p.timeByBandNs[b]))}`).join(', ');
  const track = el('div', { class: 'hv-stack-track' });
  const bar = el('div', { class: 'hv-stack hv-band-stack', attrs: { role: 'img', 'aria-label': `Time per I/O ${formatNs(Math.round(total))}: ${words || 'none'}` } });
  bar.style.width = `${scaleNs > 0 ? Math.max(0.5, (total / scaleNs) * 100) : 0}%`;
  const legend = el('ul', { class: 'hv-legend' });
  for (const b of used) {
    const v = p.timeByBandNs[b];
    const seg = el('span', { class: 'hv-seg', attrs: { title: `${BAND_LABELS[b]}: ${formatNs(Math.round(v))}` } });
    seg.style.width = `${(v / total) * 100}%`;
    seg.style.background = BAND_COLOURS[b];
    bar.append(seg);
    legend.append(legendItem(b, `${BAND_LABELS[b]}: ${formatNs(Math.round(v))} (${pct(v, total)})`));
  }
  track.append(bar);
  return figure(`Time per I/O by band (CPU, device and waiting): ${formatNs(Math.round(total))}`, track, legend);
}

function legendItem(band: Band, text: string): HTMLElement {
  const swatch = el('span', { class: 'hv-swatch', attrs: { 'aria-hidden': 'true' } });
  swatch.style.background = BAND_COLOURS[band];
  return el('li', {}, swatch, el('span', { text }));
}

function pct(v: number, total: number): string {
  if (total <= 0) return '0%';
  const p = (v / total) * 100;
  return p > 0 && p < 1 ? '<1%' : `${Math.round(p)}%`;
}

/** The places with the most time per I/O, bars coloured by band. */
function placeChart(p: PathMetrics, topology: Topology): HTMLElement {
  const entries = Object.entries(p.timeByPlaceNs)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_PLACES);
  const total = sumBands(p);
  const max = entries[0]?.[1] ?? 0;
  const places = placesById(topology);
  const list = el('ol', { class: 'hv-barlist' });
  for (const [id, v] of entries) {
    const bar = el('span', { class: 'hv-bar' });
    bar.style.width = `${max > 0 ? Math.max(0.5, (v / max) * 100) : 0}%`;
    const band = places.get(id)?.band;
    if (band !== undefined) bar.style.background = BAND_COLOURS[band];
    list.append(
      el(
        'li',
        {},
        el('span', { class: 'hv-bar-label', text: placeLabel(topology, id) }),
        el('span', { class: 'hv-bar-track', attrs: { 'aria-hidden': 'true' } }, bar),
        el('span', { class: 'hv-bar-value', text: `${formatNs(Math.round(v))} (${pct(v, total)})` }),
      ),
    );
  }
  if (entries.length === 0) list.append(el('li', { class: 'hv-muted', text: 'No time recorded yet.' }));
  return figure(`Where the time goes (top ${entries.length} places)`, list);
}

/** Doubling bins shared by every card: from the power of two at or below the smallest latency to the one above the largest. */
export interface SharedBins {
  edges: number[];
  maxCount: number;
}

export function sharedBins(all: readonly (readonly number[])[]): SharedBins | null {
  const values = all.filter((v) => v.length >= HISTOGRAM_MIN).flat();
  if (values.length === 0) return null;
  const min = Math.max(1, Math.min(...values));
  const max = Math.max(...values);
  const edges = [2 ** Math.floor(Math.log2(min))];
  while (edges[edges.length - 1]! <= max) edges.push(edges[edges.length - 1]! * 2);
  let maxCount = 0;
  for (const v of all) if (v.length >= HISTOGRAM_MIN) maxCount = Math.max(maxCount, ...binCounts(v, edges));
  return { edges, maxCount };
}

function binCounts(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const v of values) {
    let i = 0;
    while (i < counts.length - 1 && v >= edges[i + 1]!) i++;
    counts[i]!++;
  }
  return counts;
}

/**
 * The stream's latencies: under `HISTOGRAM_MIN` requests, the values
 * themselves; else a log2 histogram on the bins shared by every card (same
 * x and y axes), with a hidden table of the bins.
 */
function latencies(samples: readonly number[], bins: SharedBins | null): HTMLElement {
  if (samples.length === 0) return figure('Latency', el('p', { class: 'hv-muted', text: 'No completed requests yet.' }));
  if (samples.length < HISTOGRAM_MIN || bins === null) {
    const sorted = [...samples].sort((a, b) => a - b);
    const list = el('ul', { class: 'hv-values' });
    for (const v of sorted) list.append(el('li', { text: formatNs(v) }));
    const caption = samples.length === 1 ? 'Latency of the one request' : `Latency of each of the ${samples.length} requests (too few for a histogram)`;
    return figure(caption, list);
  }
  const counts = binCounts(samples, bins.edges);
  const chart = svg('svg', { class: 'hv-hist', viewBox: `0 0 ${HIST_W} ${HIST_H}`, preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' });
  const w = HIST_W / counts.length;
  counts.forEach((count, i) => {
    const h = bins.maxCount > 0 ? (count / bins.maxCount) * (HIST_H - 4) : 0;
    const rect = svg('rect', { x: i * w + 1, y: HIST_H - h, width: Math.max(1, w - 2), height: h, class: 'hv-hist-bar' });
    const title = svg('title');
    title.textContent = `${formatNs(bins.edges[i]!)} to ${formatNs(bins.edges[i + 1]!)}: ${count}`;
    rect.append(title);
    chart.append(rect);
  });
  const table = el('table', { class: 'hv-visually-hidden' });
  table.append(el('caption', { text: 'Requests per latency range' }));
  table.append(el('thead', {}, el('tr', {}, el('th', { text: 'From', attrs: { scope: 'col' } }), el('th', { text: 'Below', attrs: { scope: 'col' } }), el('th', { text: 'Requests', attrs: { scope: 'col' } }))));
  const body = el('tbody');
  counts.forEach((count, i) => {
    if (count > 0) body.append(el('tr', {}, el('td', { text: formatNs(bins.edges[i]!) }), el('td', { text: formatNs(bins.edges[i + 1]!) }), el('td', { text: String(count) })));
  });
  table.append(body);
  const axis = el('div', { class: 'hv-axis', attrs: { 'aria-hidden': 'true' } }, el('span', { text: formatNs(bins.edges[0]!) }), el('span', { text: formatNs(bins.edges[bins.edges.length - 1]!) }));
  return figure(`Latency histogram (${samples.length} requests, doubling bins)`, chart, axis, table);
}

/** Where a request's latency goes: CPU time and device time told apart, and whether they (with waits) add up to the latency. */
function breakdown(p: PathMetrics, scaleNs: number): HTMLElement {
  const cpu = p.cpuNsPerIo.total;
  const device = p.deviceNsPerIo;
  const total = sumBands(p);
  const waits = Math.max(0, total - cpu - device);
  const latency = p.latencyNs.mean;
  const parts: [string, number, string][] = [
    ['CPU time (guest + root + hypervisor)', cpu, 'hv-part-cpu'],
    ['Device time (disk, HBA)', device, 'hv-part-device'],
    ['Waiting (locks, rings, queues)', waits, 'hv-part-wait'],
  ];
  const track = el('div', { class: 'hv-stack-track' });
  const bar = el('div', { class: 'hv-stack', attrs: { role: 'img', 'aria-label': `Per I/O: CPU ${formatNs(Math.round(cpu))}, device ${formatNs(Math.round(device))}, waiting ${formatNs(Math.round(waits))}; latency ${formatNs(latency)}` } });
  bar.style.width = `${scaleNs > 0 ? Math.max(0.5, (Math.max(total, latency) / scaleNs) * 100) : 0}%`;
  const legend = el('ul', { class: 'hv-legend' });
  const whole = Math.max(total, latency);
  for (const [name, v, cls] of parts) {
    if (v <= 0) continue;
    const seg = el('span', { class: `hv-seg ${cls}`, attrs: { title: `${name}: ${formatNs(Math.round(v))}` } });
    seg.style.width = `${whole > 0 ? (v / whole) * 100 : 0}%`;
    bar.append(seg);
    const swatch = el('span', { class: `hv-swatch ${cls}`, attrs: { 'aria-hidden': 'true' } });
    legend.append(el('li', {}, swatch, el('span', { text: `${name}: ${formatNs(Math.round(v))}` })));
  }
  track.append(bar);
  return figure(`Where the latency goes: latency ${formatNs(latency)} (mean)`, track, legend, el('p', { class: 'hv-reconcile', text: reconcile(p, total, latency) }));
}

/** Says whether the work per I/O adds up to the latency, and why not when it does not. */
export function reconcile(p: PathMetrics, totalNs: number, latencyNs: number): string {
  const gap = latencyNs - totalNs;
  const t = formatNs(Math.round(totalNs));
  if (latencyNs <= 0) return `CPU, device and waiting time add up to ${t}.`;
  // Within 1 %: they count as the latency, but two different numbers are never called the same one.
  if (formatNs(Math.round(latencyNs)) === t) return `CPU, device and waiting time add up to the latency (${t}).`;
  if (Math.abs(gap) <= ADDS_UP * latencyNs) return `CPU, device and waiting time add up to ${t}, within 1 % of the mean latency (${formatNs(Math.round(latencyNs))}).`;
  const d = formatNs(Math.round(Math.abs(gap)));
  if (gap > 0) {
    return p.requests > 1
      ? `They add up to ${t}, ${d} less than the latency: while a request waits its turn (queueing), the time is spent on other requests' work, counted once there.`
      : `They add up to ${t}, ${d} less than the latency: the request waited for work counted on other streams.`;
  }
  return p.requests > 1
    ? `They add up to ${t}, ${d} more than the latency: requests overlap, so parts of their work run at the same time and are counted once per request.`
    : `They add up to ${t}, ${d} more than the latency: some of the work overlaps (runs at the same time as other steps), or comes after the completion is reported.`;
}

/** The figures that carry the lesson, per I/O, at the top of a card. */
function keyFigures(p: PathMetrics): HTMLElement {
  const c = p.perIo;
  const items: [string, string][] = [
    ['VM exits', formatCount(c.vmExits)],
    ['Root user-mode transitions', formatCount(c.rootUserTransitions)],
    ['CPU time', formatNs(Math.round(p.cpuNsPerIo.total))],
    ['Device time', formatNs(Math.round(p.deviceNsPerIo))],
    ['Latency (mean)', formatNs(p.latencyNs.mean)],
  ];
  return el('dl', { class: 'hv-key-figures' }, ...items.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { class: 'hv-num', text: v })]));
}

/** The other counts per I/O and the latency percentiles. */
function countsTable(p: PathMetrics): HTMLElement {
  const c = p.perIo;
  const l = p.latencyNs;
  const rows: [string, string][] = [
    ['Interrupts into the guest', formatCount(c.interrupts)],
    ['EOIs (trapped)', `${formatCount(c.eois)} (${formatCount(c.eoiTraps)})`],
    ['Ring packets', formatCount(c.ringPackets)],
    ['Signals to host', formatCount(c.ringSignalsToHost)],
    ['Signals to guest', formatCount(c.ringSignalsToGuest)],
    ['Context switches', formatCount(c.contextSwitches)],
    ...(c.hltExits > 0 ? ([['HLT exits (VPs going idle)', formatCount(c.hltExits)]] as [string, string][]) : []),
    ...(c.metadataIos > 0 ? ([['VHD metadata I/Os (bitmap, footer, BAT, log)', formatCount(c.metadataIos)]] as [string, string][]) : []),
    ['Latency p50', formatNs(l.p50)],
    ['Latency p95', formatNs(l.p95)],
    ['Latency p99', formatNs(l.p99)],
  ];
  const table = el('table', { class: 'hv-table hv-counts' });
  table.append(el('caption', { text: 'Other counts per I/O' }));
  const body = el('tbody');
  for (const [name, value] of rows) body.append(el('tr', {}, el('th', { text: name, attrs: { scope: 'row' } }), el('td', { class: 'hv-num', text: value })));
  table.append(body);
  return table;
}

export class PathCharts {
  private readonly cards = el('div', { class: 'hv-path-cards' });
  private readonly across = el('div', { class: 'hv-across-host' });

  constructor(host: HTMLElement) {
    const headingId = uniqueId('hv-charts');
    host.append(
      el(
        'section',
        { class: 'hv-panel hv-path-charts', attrs: { 'aria-labelledby': headingId } },
        el('h2', { text: 'Latency per path', attrs: { id: headingId } }),
        el('p', { class: 'hv-note', text: 'Figures are per completed I/O. Bars and histograms share one scale across the paths, so their lengths compare.' }),
        this.across,
        this.cards,
      ),
    );
  }

  /** Draws one card per path; `latencies` holds each stream's completed latencies (`latenciesByStream`); `scenario` tells the workloads' queue depths. */
  setData(paths: readonly PathMetrics[], latencies: ReadonlyMap<string, readonly number[]>, topology: Topology, scenario?: Scenario): void {
    const scale = Math.max(0, ...paths.map((p) => Math.max(sumBands(p), p.latencyNs.mean)));
    const bandScale = Math.max(0, ...paths.map(sumBands));
    const bins = sharedBins(paths.map((p) => latencies.get(p.stream) ?? []));
    const cards = paths.map((p) => {
      const id = uniqueId('hv-path');
      return el(
        'article',
        { class: 'hv-path-card', attrs: { 'aria-labelledby': id } },
        el('h3', { text: `${p.vm} · ${p.disk}`, attrs: { id } }),
        el('p', { class: 'hv-path-kind', text: `${p.path === '' ? 'unknown path' : p.path} · ${p.requests} of ${p.issued} ${p.issued === 1 ? 'request' : 'requests'} completed` }),
        keyFigures(p),
        breakdown(p, scale),
        bandChart(p, bandScale),
        placeChart(p, topology),
        latenciesFigure(latencies.get(p.stream) ?? [], bins),
        countsTable(p),
      );
    });
    if (cards.length === 0) cards.push(el('p', { class: 'hv-muted', text: 'No workload has run yet.' }));
    this.across.replaceChildren(...(paths.length > 1 ? [acrossChart(paths, scenario)] : []));
    this.cards.replaceChildren(...cards);
  }
}

const latenciesFigure = latencies;

/** The queue depth of each path's workload, when the scenario gives them and they differ. */
function queueDepths(paths: readonly PathMetrics[], scenario: Scenario | undefined): number[] | null {
  if (scenario === undefined) return null;
  const qd = paths.map((p) => scenario.workloads.find((w) => w.vm === p.vm && w.disk === p.disk)?.queueDepth ?? 0);
  return qd.every((q) => q > 0) && new Set(qd).size > 1 ? qd : null;
}

const ACROSS_W = 640;
const ACROSS_H = 240;
const PAD = { left: 64, right: 72, top: 40, bottom: 40 };
/** A point label's height in the chart's units, and the room between two. */
const LABEL_H = 16;

/**
 * One plot across the paths: VMBus signals per I/O (or VM exits, when no
 * path signals) on the left axis and mean latency on the right, against
 * queue depth when the workloads differ in it (else one point per path).
 */
function acrossChart(paths: readonly PathMetrics[], scenario: Scenario | undefined): HTMLElement {
  const qd = queueDepths(paths, scenario);
  const signals = paths.map((p) => p.perIo.ringSignalsToHost + p.perIo.ringSignalsToGuest);
  const useSignals = signals.some((v) => v > 0);
  const left = useSignals ? signals : paths.map((p) => p.perIo.vmExits);
  const leftName = useSignals ? 'VMBus signals per I/O' : 'VM exits per I/O';
  const right = paths.map((p) => p.latencyNs.mean);
  const xName = qd === null ? 'path' : 'queue depth';
  const xLabel = (i: number): string => (qd === null ? paths[i]!.vm : `QD ${qd[i]}`);
  const innerW = ACROSS_W - PAD.left - PAD.right;
  const innerH = ACROSS_H - PAD.top - PAD.bottom;
  const x = (i: number): number => PAD.left + (paths.length === 1 ? innerW / 2 : (i / (paths.length - 1)) * innerW);
  const maxL = Math.max(1e-9, ...left);
  const maxR = Math.max(1, ...right);
  const yL = (v: number): number => PAD.top + innerH - (v / maxL) * innerH;
  const yR = (v: number): number => PAD.top + innerH - (v / maxR) * innerH;
  const chart = svg('svg', { class: 'hv-across', viewBox: `0 0 ${ACROSS_W} ${ACROSS_H}`, 'aria-hidden': 'true', focusable: 'false' });
  chart.append(svg('line', { x1: PAD.left, y1: PAD.top + innerH, x2: PAD.left + innerW, y2: PAD.top + innerH, class: 'hv-axis-line' }));
  const text = (tx: number, ty: number, t: string, cls: string, anchor = 'middle'): void => {
    const node = svg('text', { x: tx, y: ty, class: cls, 'text-anchor': anchor });
    node.textContent = t;
    chart.append(node);
  };
  // Each point's label goes above it (left series) or below it (right series), unless that would leave the plot:
  // under the max labels at the top, or onto the queue-depth labels at the bottom; two labels at one x keep apart.
  const top = PAD.top - 4;
  const bottom = PAD.top + innerH + 2;
  const place = (py: number, above: boolean): number => {
    const want = above ? py - 12 : py + 24;
    if (want - LABEL_H + 4 < top) return py + 24;
    if (want > bottom) return py - 12;
    return want;
  };
  const labelY = (values: number[], y: (v: number) => number, above: boolean): number[] => values.map((v) => place(y(v), above));
  const ya = labelY(left, yL, true);
  const yb = labelY(right, yR, false);
  ya.forEach((a, i) => {
    const b = yb[i]!;
    if (Math.abs(a - b) >= LABEL_H) return;
    if (a <= b) {
      if (b + LABEL_H - (b - a) <= bottom) yb[i] = a + LABEL_H;
      else ya[i] = b - LABEL_H;
    } else if (a + LABEL_H - (a - b) <= bottom) ya[i] = b + LABEL_H;
    else yb[i] = a - LABEL_H;
  });
  const series = (values: number[], y: (v: number) => number, cls: string, fmt: (v: number) => string, labels: number[]): void => {
    chart.append(svg('polyline', { points: values.map((v, i) => `${x(i)},${y(v)}`).join(' '), class: `hv-line ${cls}` }));
    values.forEach((v, i) => {
      chart.append(svg('circle', { cx: x(i), cy: y(v), r: 6, class: `hv-dot ${cls}` }));
      text(x(i), labels[i]!, fmt(v), `hv-point-label ${cls}`);
    });
  };
  series(left, yL, 'hv-series-a', (v) => formatCount(v), ya);
  series(right, yR, 'hv-series-b', (v) => formatNs(Math.round(v)), yb);
  paths.forEach((_, i) => text(x(i), ACROSS_H - 12, xLabel(i), 'hv-tick'));
  text(8, 16, `max ${formatCount(maxL)}`, 'hv-tick hv-series-a', 'start');
  text(ACROSS_W - 8, 16, `max ${formatNs(Math.round(maxR))}`, 'hv-tick hv-series-b', 'end');
  const title = qd === null ? `${leftName} and mean latency, path by path` : `${leftName} and mean latency against queue depth`;
  const legend = el(
    'ul',
    { class: 'hv-legend' },
    el('li', {}, el('span', { class: 'hv-swatch hv-series-a-bg', attrs: { 'aria-hidden': 'true' } }), el('span', { text: `${leftName} (left scale)` })),
    el('li', {}, el('span', { class: 'hv-swatch hv-series-b-bg', attrs: { 'aria-hidden': 'true' } }), el('span', { text: 'Mean latency (right scale)' })),
  );
  const table = el('table', { class: 'hv-table hv-across-table' });
  table.append(el('caption', { class: 'hv-visually-hidden', text: title }));
  table.append(el('thead', {}, el('tr', {}, el('th', { text: xName, attrs: { scope: 'col' } }), el('th', { text: leftName, attrs: { scope: 'col' } }), el('th', { text: 'Mean latency', attrs: { scope: 'col' } }))));
  const body = el('tbody');
  paths.forEach((_, i) => body.append(el('tr', {}, el('th', { text: xLabel(i), attrs: { scope: 'row' } }), el('td', { class: 'hv-num', text: formatCount(left[i]!) }), el('td', { class: 'hv-num', text: formatNs(Math.round(right[i]!)) }))));
  table.append(body);
  return el('div', { class: 'hv-across-wrap' }, figure(title, chart, legend), table);
}
