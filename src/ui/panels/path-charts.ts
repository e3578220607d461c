/**
 * Latency per path, side by side (DESIGN §4, §6): for each workload stream
 * a stacked bar of time per I/O by band (one scale shared by all paths, so
 * lengths compare), the places where the time goes, a log2 latency
 * histogram, and the counts per I/O with mean and percentiles. Plain DOM
 * and inline SVG built with createElementNS; every chart has its numbers
 * as text (a legend, a visible list or a visually-hidden table).
 */
import { formatNs } from '../../engine/sim-time.js';
import { BANDS, type Band, type Topology } from '../../model/topology.js';
import { log2Histogram, type PathMetrics } from '../../metrics/index.js';
import { BAND_COLOURS, BAND_LABELS } from './band-colours.js';
import { el, formatCount, placeLabel, placesById, svg, uniqueId } from './dom.js';

export { BAND_COLOURS, BAND_LABELS, bandColourNumber } from './band-colours.js';

/** Places listed per path. */
const TOP_PLACES = 8;
const HIST_W = 320;
const HIST_H = 120;

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
  const bar = el('div', { class: 'hv-stack', attrs: { role: 'img', 'aria-label': `Time per I/O ${formatNs(Math.round(total))}: ${words || 'none'}` } });
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
  return figure(`Time per I/O by band: ${formatNs(Math.round(total))}`, track, legend);
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

/** A log2 histogram of the stream's latencies, in SVG, with a hidden table of the bins. */
function histogram(samples: readonly number[]): HTMLElement {
  const bins = log2Histogram(samples);
  if (bins.length === 0) return figure('Latency histogram', el('p', { class: 'hv-muted', text: 'No completed requests yet.' }));
  const maxCount = Math.max(...bins.map((b) => b.count));
  const chart = svg('svg', { class: 'hv-hist', viewBox: `0 0 ${HIST_W} ${HIST_H}`, preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' });
  const w = HIST_W / bins.length;
  bins.forEach((b, i) => {
    const h = maxCount > 0 ? (b.count / maxCount) * (HIST_H - 4) : 0;
    const rect = svg('rect', { x: i * w + 1, y: HIST_H - h, width: Math.max(1, w - 2), height: h, class: 'hv-hist-bar' });
    const title = svg('title');
    title.textContent = `${formatNs(b.lo)} to ${formatNs(b.hi)}: ${b.count}`;
    rect.append(title);
    chart.append(rect);
  });
  const table = el('table', { class: 'hv-visually-hidden' });
  table.append(el('caption', { text: 'Requests per latency range' }));
  table.append(el('thead', {}, el('tr', {}, el('th', { text: 'From', attrs: { scope: 'col' } }), el('th', { text: 'Below', attrs: { scope: 'col' } }), el('th', { text: 'Requests', attrs: { scope: 'col' } }))));
  const body = el('tbody');
  for (const b of bins) body.append(el('tr', {}, el('td', { text: formatNs(b.lo) }), el('td', { text: formatNs(b.hi) }), el('td', { text: String(b.count) })));
  table.append(body);
  const axis = el('div', { class: 'hv-axis', attrs: { 'aria-hidden': 'true' } }, el('span', { text: formatNs(bins[0]!.lo) }), el('span', { text: formatNs(bins[bins.length - 1]!.hi) }));
  return figure(`Latency histogram (${samples.length} ${samples.length === 1 ? 'request' : 'requests'}, doubling bins)`, chart, axis, table);
}

/** Counts per I/O and the latency summary. */
function countsTable(p: PathMetrics): HTMLElement {
  const c = p.perIo;
  const l = p.latencyNs;
  const rows: [string, string][] = [
    ['VM exits', formatCount(c.vmExits)],
    ['Interrupts into the guest', formatCount(c.interrupts)],
    ['EOIs (trapped)', `${formatCount(c.eois)} (${formatCount(c.eoiTraps)})`],
    ['Ring packets', formatCount(c.ringPackets)],
    ['Signals to host', formatCount(c.ringSignalsToHost)],
    ['Signals to guest', formatCount(c.ringSignalsToGuest)],
    ['Root user-mode transitions', formatCount(c.rootUserTransitions)],
    ['Context switches', formatCount(c.contextSwitches)],
    ['CPU time', formatNs(Math.round(p.cpuNsPerIo.total))],
    ['Latency mean', formatNs(l.mean)],
    ['Latency p50', formatNs(l.p50)],
    ['Latency p95', formatNs(l.p95)],
    ['Latency p99', formatNs(l.p99)],
  ];
  const table = el('table', { class: 'hv-table hv-counts' });
  table.append(el('caption', { text: 'Per I/O' }));
  const body = el('tbody');
  for (const [name, value] of rows) body.append(el('tr', {}, el('th', { text: name, attrs: { scope: 'row' } }), el('td', { class: 'hv-num', text: value })));
  table.append(body);
  return table;
}

export class PathCharts {
  private readonly cards = el('div', { class: 'hv-path-cards' });

  constructor(host: HTMLElement) {
    const headingId = uniqueId('hv-charts');
    host.append(
      el(
        'section',
        { class: 'hv-panel hv-path-charts', attrs: { 'aria-labelledby': headingId } },
        el('h2', { text: 'Latency per path', attrs: { id: headingId } }),
        el('p', { class: 'hv-note', text: 'Figures are per completed I/O. The band bars share one scale, so their lengths compare across paths.' }),
        this.cards,
      ),
    );
  }

  /** Draws one card per path; `latencies` holds each stream's completed latencies (`latenciesByStream`). */
  setData(paths: readonly PathMetrics[], latencies: ReadonlyMap<string, readonly number[]>, topology: Topology): void {
    const scale = Math.max(0, ...paths.map(sumBands));
    const cards = paths.map((p) => {
      const id = uniqueId('hv-path');
      return el(
        'article',
        { class: 'hv-path-card', attrs: { 'aria-labelledby': id } },
        el('h3', { text: `${p.vm} · ${p.disk}`, attrs: { id } }),
        el('p', { class: 'hv-path-kind', text: `${p.path === '' ? 'unknown path' : p.path} · ${p.requests} of ${p.issued} ${p.issued === 1 ? 'request' : 'requests'} completed` }),
        bandChart(p, scale),
        placeChart(p, topology),
        histogram(latencies.get(p.stream) ?? []),
        countsTable(p),
      );
    });
    if (cards.length === 0) cards.push(el('p', { class: 'hv-muted', text: 'No workload has run yet.' }));
    this.cards.replaceChildren(...cards);
  }
}
