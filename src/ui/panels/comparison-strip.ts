/**
 * The comparison strip: the figures that carry a scenario's lesson (VM
 * exits, root user-mode transitions, VMBus signals, CPU time, latency,
 * records on the path), one
 * block per figure and one row per path, as bars on one scale per figure,
 * following the cursor. Each bar's outline is the whole run and its bright
 * part what has happened up to the cursor, both per I/O of the whole run
 * (a total so far divided by the path's requests), so at the end the
 * bright part fills the outline and the number is the CLI's figure.
 * A step's CPU time counts whole once the step has started ("committed"),
 * so early on it may run ahead of the clock. Latency is the mean of the
 * requests completed so far beside the whole run's mean (not a part of
 * it: the mean so far may be above it, and its bar then stops at the
 * outline). Display-only
 * figures are folded here (`StripFold`), incrementally as the cursor
 * moves forward; the end figures come from `computePathMetrics`.
 * In compare mode the compared run's paths follow the loaded run's in each
 * figure, each run under its scenario's name, on the same scales; its
 * figures are its own run's (its metrics, a fold of its records) at its
 * own pane's cursor.
 */
import { formatNs } from '../../engine/sim-time.js';
import type { RecordStore } from '../../scenario/index.js';
import type { PathMetrics } from '../../metrics/index.js';
import { intervalOf, metricValue, type ReplicatedPath } from '../../scenario/index.js';
import { el, formatCount, uniqueId } from './dom.js';
import { cssColour } from './packet-legend.js';

/** Running totals of one path up to a cursor. */
export interface SoFar {
  exits: number;
  rootUser: number;
  /** VMBus signals (`vmbus.signal.sent`), both ways. */
  signals: number;
  cpuNs: number;
  deviceNs: number;
  records: number;
  completed: number;
  latencySumNs: number;
}

const zero = (): SoFar => ({ exits: 0, rootUser: 0, signals: 0, cpuNs: 0, deviceNs: 0, records: 0, completed: 0, latencySumNs: 0 });

/** Records between the strip's checkpoints. */
const STRIP_CHECKPOINT_EVERY = 4096;

/**
 * Folds the strip's totals per stream up to a cursor, forward
 * incrementally; going back, from the checkpoint at or before the cursor
 * (a copy of the totals every 4,096 records, taken as the fold first
 * passes there), so a step back in a million records costs what a step
 * forward does.
 */
export class StripFold {
  private cursor = 0;
  private readonly totals = new Map<string, SoFar>();
  /** checkpoints[k]: the totals after k × STRIP_CHECKPOINT_EVERY records, in `totals`' order. */
  private readonly checkpoints: SoFar[][] = [];

  /** Per interned string: the totals of the stream it names, if the strip shows it. */
  private readonly byId: (SoFar | undefined)[];
  /** Interned ids of the kinds and words the fold tests. */
  private readonly ids: { exited: number; mode: number; signal: number; completed: number; device: number; guest: number; root: number; hypervisor: number };

  constructor(
    private readonly records: RecordStore,
    streams: readonly string[],
  ) {
    for (const s of streams) this.totals.set(s, zero());
    this.checkpoints.push([...this.totals.values()].map((t) => ({ ...t })));
    const id = (s: string): number => records.idOf(s);
    this.byId = records.strings.values.map((s) => this.totals.get(s));
    this.ids = {
      exited: id('hv.intercept.exited'),
      mode: id('cpu.mode.switched'),
      signal: id('vmbus.signal.sent'),
      completed: id('io.request.completed'),
      device: id('device'),
      guest: id('guest'),
      root: id('root'),
      hypervisor: id('hypervisor'),
    };
  }

  /** The totals after the first `cursor` records (the returned map is reused: read it, do not keep it). */
  at(cursor: number): ReadonlyMap<string, SoFar> {
    const target = Math.max(0, Math.min(this.records.length, cursor));
    if (target < this.cursor) {
      // Restored in place: `byId` holds these very objects.
      const k = Math.min(Math.floor(target / STRIP_CHECKPOINT_EVERY), this.checkpoints.length - 1);
      const saved = this.checkpoints[k]!;
      let n = 0;
      for (const t of this.totals.values()) Object.assign(t, saved[n++]);
      this.cursor = k * STRIP_CHECKPOINT_EVERY;
    }
    // Read off the columns; a record's own fields only for the two kinds that need them.
    const store = this.records;
    const ids = this.ids;
    for (let i = this.cursor; i < target; i++) {
      if (i % STRIP_CHECKPOINT_EVERY === 0 && i / STRIP_CHECKPOINT_EVERY === this.checkpoints.length) this.checkpoints.push([...this.totals.values()].map((t) => ({ ...t })));
      const sid = store.streamIdAt(i);
      const t = sid < 0 ? undefined : this.byId[sid];
      if (t === undefined) continue;
      t.records++;
      const kind = store.kindIdAt(i);
      if (kind === ids.exited) t.exits++;
      else if (kind === ids.mode && store.field(i, 'partition') === 'root' && store.field(i, 'to') === 'user') t.rootUser++;
      else if (kind === ids.signal) t.signals++;
      else if (kind === ids.completed) {
        t.completed++;
        t.latencySumNs += store.field(i, 'latencyNs') as number;
      }
      const cost = store.costNsAt(i);
      if (cost !== 0) {
        const charge = store.chargeIdAt(i);
        if (charge === ids.device) t.deviceNs += cost;
        else if (charge === ids.guest || charge === ids.root || charge === ids.hypervisor) t.cpuNs += cost;
      }
    }
    this.cursor = target;
    return this.totals;
  }
}

/** One path of the strip. */
export interface StripPath {
  metrics: PathMetrics;
  /** Packet colour, 0xRRGGBB. */
  colour: number;
  /** The VM's tag on the canvas (①), or ''. */
  tag: string;
}

interface Figure {
  caption: string;
  /** The value per I/O so far and at the end; null: nothing to show yet. */
  value(s: SoFar, requests: number): number | null;
  end(p: StripPath, whole: SoFar): number;
  format(v: number): string;
  /** 'total': the value so far is part of the whole run's ("0.8 of 1"); 'mean': a mean so far beside the whole run's ("4.14 ms · 4.07 ms", the caption says which is which). */
  reads: 'total' | 'mean';
  /** The figure's name in `PathMetrics`, for its mean ± interval over replications. */
  metric?: string;
}

const per = (x: number, n: number): number => (n === 0 ? 0 : x / n);
const ns = (v: number): string => formatNs(Math.round(v));

const FIGURES: readonly Figure[] = [
  { caption: 'VM exits per I/O', value: (s, n) => per(s.exits, n), end: (p) => p.metrics.perIo.vmExits, format: (v) => formatCount(v, 1), reads: 'total', metric: 'perIo.vmExits' },
  { caption: 'Root user-mode transitions per I/O', value: (s, n) => per(s.rootUser, n), end: (p) => p.metrics.perIo.rootUserTransitions, format: (v) => formatCount(v, 1), reads: 'total', metric: 'perIo.rootUserTransitions' },
  {
    caption: 'VMBus signals per I/O (both ways)',
    value: (s, n) => per(s.signals, n),
    end: (p) => p.metrics.perIo.ringSignalsToHost + p.metrics.perIo.ringSignalsToGuest,
    format: (v) => formatCount(v, 2),
    reads: 'total',
  },
  { caption: 'CPU time per I/O (committed so far)', value: (s, n) => per(s.cpuNs, n), end: (p) => p.metrics.cpuNsPerIo.total, format: ns, reads: 'total', metric: 'cpuNsPerIo.total' },
  { caption: 'Latency: mean so far · whole run', value: (s) => (s.completed === 0 ? null : s.latencySumNs / s.completed), end: (p) => p.metrics.latencyNs.mean, format: ns, reads: 'mean', metric: 'latencyNs.mean' },
  { caption: 'Records on the path per I/O', value: (s, n) => per(s.records, n), end: (p, whole) => per(whole.records, p.metrics.requests), format: (v) => formatCount(v, 1), reads: 'total' },
];

const STRIP_NOTE = 'Per I/O. Outline: whole run; filled: so far.';

/**
 * A row's number: at the end the whole run's figure; before, the value so
 * far "of" the whole run's for a total, or beside it ("·") for a mean,
 * which is no part of it; "—" while there is nothing yet.
 */
export function stripText(reads: 'total' | 'mean', soFar: string | null, whole: string, atEnd: boolean): string {
  return stripParts(reads, soFar, whole, atEnd).join('');
}

/**
 * `stripText` in its two parts: what the row stands at, and what it adds
 * of the whole run (' of 2.4 ms', ' · 6.25 ms'; '' at the end). The
 * compact strip (`strip-swap.ts`) shows the first, the bar's outline
 * standing for the second, and the row's tooltip both.
 * @example stripParts('total', '0.8', '1', false) // ['0.8', ' of 1']
 */
export function stripParts(reads: 'total' | 'mean', soFar: string | null, whole: string, atEnd: boolean): [string, string] {
  if (atEnd) return [whole, ''];
  return [soFar ?? '—', `${reads === 'total' ? ' of ' : ' · '}${whole}`];
}

/** A row's filled bar, in % of the track: the value so far on the figure's scale, never past the whole run's outline. */
export function stripWidth(soFar: number | null, whole: number, scale: number): number {
  if (soFar === null || scale <= 0) return 0;
  return Math.max(0, Math.min(soFar, whole, scale) / scale) * 100;
}

interface Row {
  now: HTMLElement;
  value: HTMLElement;
  /** The value's parts (`stripParts`): where the row stands, and the whole run's figure beside it. */
  stand: HTMLElement;
  whole: HTMLElement;
  /** The figure's mean ± half its 95 % interval over the scenario's replications, when it has them. */
  ci: HTMLElement;
  text: string;
  width: string;
}

/** One run's part of the strip: its paths, their figures at its end, and the fold of its records up to its cursor. */
interface StripRun {
  /** The run's scenario, as its pane's title names it. */
  name: string;
  paths: StripPath[];
  fold: StripFold;
  /** ends[figure][path]: the whole run's figure. */
  ends: number[][];
  /** rows[figure][path], rebuilt with the strip. */
  rows: Row[][];
  /** Where the run's cursor stood at the last update, to show the figures again when the strip is rebuilt. */
  cursor: number;
  total: number;
}

/** What the strip shows, for `window.hvsim.state().strip`: per run, per path, each figure's text in the order of the captions, and under it its ± over replications ('' where none). */
export interface StripState {
  runs: { scenario: string; paths: { stream: string; values: string[]; ci: string[] }[] }[];
}

/** A run's replications: how many, and each path's figures with their `ci95`. */
interface Replicated {
  replications: number;
  paths: readonly ReplicatedPath[];
}

/**
 * The ± line under figure `f` of `stream`: its mean ± half its 95 %
 * interval over the replications `r`; '' without replications, for a
 * figure with no interval, or one that is the same in every run (exits
 * per I/O, CPU time: the run's own figure says it all).
 */
function replicatedText(f: Figure, r: Replicated | null, stream: string): string {
  const replicated = r?.paths.find((x) => x.stream === stream);
  if (replicated === undefined || f.metric === undefined) return '';
  const mean = metricValue(replicated, f.metric);
  const ci = intervalOf(replicated.ci95, f.metric);
  return mean === undefined || ci === null || ci.halfWidth === 0 ? '' : `${r!.replications} runs: ${f.format(mean)} ± ${f.format(ci.halfWidth)}`;
}

function stripRun(name: string, paths: readonly StripPath[], records: RecordStore): StripRun {
  const streams = paths.map((p) => p.metrics.stream);
  const whole = new StripFold(records, streams).at(records.length);
  return {
    name,
    paths: [...paths],
    fold: new StripFold(records, streams),
    ends: FIGURES.map((f) => paths.map((p) => f.end(p, whole.get(p.metrics.stream)!))),
    rows: [],
    cursor: 0,
    total: records.length,
  };
}

/**
 * The strip: the loaded run's paths and, in compare mode, the compared
 * run's under them in each figure, each run under its scenario's name, on
 * one scale per figure across both; each run's "so far" follows its own
 * pane's cursor.
 */
export class ComparisonStrip {
  private readonly body = el('div', { class: 'hv-strip-body' });
  private first: StripRun | null = null;
  /** Compare mode's run, when it has paths (a run without any adds nothing). */
  private compared: StripRun | null = null;
  /** What the strip says where no run shown has a path. */
  private noPaths = 'No workload in this scenario.';
  /** One scale per figure across the runs shown. */
  private scales: number[] = [];
  /** The loaded run's replications, and compare mode's run's, for the ± under their figures. */
  private replicated: Replicated | null = null;
  private comparedReplicated: Replicated | null = null;
  private readonly note = el('p', { class: 'hv-note', text: STRIP_NOTE });

  constructor(host: HTMLElement) {
    const id = uniqueId('hv-strip');
    host.append(
      el(
        'section',
        { class: 'hv-panel hv-strip', attrs: { 'aria-labelledby': id } },
        el('h2', { text: 'Paths compared', attrs: { id } }),
        this.note,
        this.body,
      ),
    );
  }

  /**
   * Sets the loaded run's paths (from its metrics and records; `name`: its scenario) and shows them at the start.
   * `elsewhere`: where a run with no path shows what it measured (a cluster run's migrations and failures), said in the strip's place.
   */
  setPaths(paths: readonly StripPath[], records: RecordStore, name = '', elsewhere = ''): void {
    this.first = stripRun(name, paths, records);
    this.noPaths = elsewhere === '' ? 'No workload in this scenario.' : `No workload in this scenario: ${elsewhere}.`;
    this.build();
  }

  /**
   * Puts compare mode's run (`name`: its scenario) beside the loaded one,
   * at its start, or takes it away (null). A run without paths adds
   * nothing: the strip then shows the loaded run alone.
   */
  setCompared(compared: { name: string; paths: readonly StripPath[]; records: RecordStore } | null): void {
    this.compared = compared === null || compared.paths.length === 0 ? null : stripRun(compared.name, compared.paths, compared.records);
    this.build();
  }

  /** The runs shown: the loaded run's (when it has paths), then the compared run's. */
  private get runs(): StripRun[] {
    return [this.first, this.compared].filter((r): r is StripRun => r !== null && r.paths.length > 0);
  }

  /** Builds the figures' blocks over the runs shown, then shows each at its cursor. */
  private build(): void {
    const runs = this.runs;
    // One scale per figure across both runs, so that a bar in one is comparable with a bar in the other.
    this.scales = FIGURES.map((_, fi) => Math.max(0, ...runs.flatMap((r) => r.ends[fi]!)));
    // Only two runs need their names: alone, the strip is the loaded run's, as the page says.
    const labelled = this.compared !== null;
    for (const run of runs) run.rows = [];
    const blocks = FIGURES.map((f, fi) => {
      const list = el('ul', { class: 'hv-strip-rows' });
      const scale = this.scales[fi]!;
      for (const run of runs) {
        if (labelled) list.append(el('li', { class: 'hv-strip-run', text: run.name, attrs: { title: run.name } }));
        const rows: Row[] = [];
        run.paths.forEach((p, pi) => {
          const swatch = el('span', { class: 'hv-packet-dot', attrs: { 'aria-hidden': 'true' } });
          swatch.style.background = cssColour(p.colour);
          const endBar = el('span', { class: 'hv-strip-end' });
          endBar.style.width = `${scale > 0 ? Math.max(0.5, (run.ends[fi]![pi]! / scale) * 100) : 0}%`;
          const now = el('span', { class: 'hv-strip-now' });
          now.style.background = cssColour(p.colour);
          const stand = el('span', { class: 'hv-strip-stand' });
          const whole = el('span', { class: 'hv-strip-whole' });
          const value = el('span', { class: 'hv-strip-value' }, stand, whole);
          const ci = el('span', { class: 'hv-strip-ci' });
          const title = labelled ? `${run.name}: ${p.metrics.stream}` : p.metrics.stream;
          list.append(
            el(
              'li',
              {},
              // The tag and colour match the packet legend and the canvas; the VM's name is there for screen readers.
              el('span', { class: 'hv-strip-name', attrs: { title } }, swatch, p.tag === '' ? el('span', { text: p.metrics.vm }) : el('span', { text: p.tag, attrs: { 'aria-hidden': 'true' } }), p.tag === '' ? null : el('span', { class: 'hv-visually-hidden', text: p.metrics.vm })),
              el('span', { class: 'hv-strip-track', attrs: { 'aria-hidden': 'true' } }, endBar, now),
              value,
              ci,
            ),
          );
          rows.push({ now, value, stand, whole, ci, text: '', width: '' });
        });
        run.rows.push(rows);
      }
      return el('figure', { class: 'hv-strip-figure' }, el('figcaption', { text: f.caption, attrs: { title: f.caption } }), list);
    });
    this.body.replaceChildren(...(runs.length === 0 ? [el('p', { class: 'hv-muted', text: this.noPaths })] : blocks));
    this.showReplicated();
    for (const run of runs) this.updateRun(run, run.cursor, run.total);
  }

  /**
   * Shows, under each figure of a path of the loaded run (`which`:
   * 'first') or of compare mode's run ('compared'), its mean ± half the
   * 95 % interval over `replications` runs of its scenario (`paths` by
   * stream); null clears them.
   */
  setReplicated(replications: number, paths: readonly ReplicatedPath[] | null, which: 'first' | 'compared' = 'first'): void {
    const r = paths === null ? null : { replications, paths };
    if (which === 'first') this.replicated = r;
    else this.comparedReplicated = r;
    this.showReplicated();
  }

  private showReplicated(): void {
    const shown: string[] = [];
    for (const [run, r] of [[this.first, this.replicated], [this.compared, this.comparedReplicated]] as const) {
      if (run === null) continue;
      FIGURES.forEach((f, fi) => {
        run.paths.forEach((p, pi) => {
          const row = run.rows[fi]?.[pi];
          if (row === undefined) return;
          row.ci.textContent = replicatedText(f, r, p.metrics.stream);
        });
      });
      if (r !== null) shown.push(`${r.replications} runs${this.compared === null ? '' : ` of ${run.name}`}`);
    }
    const two = this.compared !== null && this.runs.length === 2 ? " Both runs on one scale per figure, each so far at its own pane's cursor." : '';
    this.note.textContent = shown.length === 0 ? `${STRIP_NOTE}${two}` : `${STRIP_NOTE}${two} Under a figure that varies from run to run: its mean ± half the 95 % interval over ${shown.join(' and over ')}.`;
  }

  /** Shows the loaded run's figures after its first `cursor` records (writes only what changed). */
  update(cursor: number, total: number): void {
    if (this.first !== null) this.updateRun(this.first, cursor, total);
  }

  /** Shows the compared run's figures after its first `cursor` records, where its own pane stands. */
  updateCompared(cursor: number, total: number): void {
    if (this.compared !== null) this.updateRun(this.compared, cursor, total);
  }

  /** What the strip shows now. */
  get shown(): StripState {
    return { runs: this.runs.map((r) => ({ scenario: r.name, paths: r.paths.map((p, pi) => ({ stream: p.metrics.stream, values: r.rows.map((rows) => rows[pi]!.text), ci: r.rows.map((rows) => rows[pi]!.ci.textContent ?? '') })) })) };
  }

  /** Writes `run`'s figures after its first `cursor` of `total` records (a run without paths has nothing to fold). */
  private updateRun(run: StripRun, cursor: number, total: number): void {
    run.cursor = cursor;
    run.total = total;
    if (run.paths.length === 0) return;
    const soFar = run.fold.at(cursor);
    const atEnd = cursor >= total;
    FIGURES.forEach((f, fi) => {
      const scale = this.scales[fi]!;
      run.paths.forEach((p, pi) => {
        const row = run.rows[fi]![pi]!;
        const s = soFar.get(p.metrics.stream)!;
        const v = f.value(s, p.metrics.requests);
        const end = run.ends[fi]![pi]!;
        const parts = stripParts(f.reads, v === null ? null : f.format(v), f.format(end), atEnd);
        const text = parts.join('');
        const width = `${stripWidth(v, end, scale)}%`;
        if (row.text !== text) {
          row.stand.textContent = parts[0];
          row.whole.textContent = parts[1];
          row.value.title = text;
          row.text = text;
        }
        if (row.width !== width) {
          row.now.style.width = width;
          row.width = width;
        }
      });
    });
  }
}
