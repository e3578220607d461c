/**
 * Where everything sits on the canvas, as pure geometry (no pixi, no DOM),
 * so it can be tested in node.
 *
 * The picture follows the book's figures: the child partitions stand side
 * by side as columns (left to right in topology order) and the root
 * partition below them, and the privilege bands are horizontal strips, top
 * to bottom in `BANDS` order. Guest bands hold places only in child columns
 * and root bands only the root's, so the picture reads top to bottom as the
 * path a request takes. When no band mixes the two (Hyper-V's case), the
 * root lies across the whole width in its own bands (`ROOT_WIDE`), and beside
 * the VMs it keeps only the room for the guest bands' labels; otherwise it is
 * a column at the right whose width a search chooses. The VMBus strip lies
 * between the guest and root bands, and the hypervisor and hardware strips
 * span the whole width. Children share their width equally, except that a
 * VM whose name needs more gets it (a VM's name is never cut).
 *
 * The places of one cell (partition × band) are laid side by side, wrapping
 * into a grid when there are more than fit. How many grid rows each band gets
 * is chosen by a small search that maximises the worst box's legibility (its
 * width against a label's shortest uncut form, its height against two lines
 * of text). Band labels go in the empty end of their strip (the guest bands'
 * labels at the right of the VMs, the root bands' at the left of the root);
 * the spanning strips keep a slot at their left for theirs.
 */
import type { Band, PartitionInfo, PlaceRole, Topology } from '../model/topology.js';
import { fitForms, labelForms, vmTag, type BoxLabel } from './labels.js';

export { boxLabel, fitLabel, type BoxLabel } from './labels.js';

/** The bands, top to bottom (`BANDS` in model/topology.ts; a type-only import cannot read the value). */
export const BAND_ORDER = ['guest-user', 'guest-kernel', 'vmbus', 'root-user', 'root-kernel', 'hypervisor', 'hardware'] as const satisfies readonly Band[];

/** Compile-time check that BAND_ORDER names every band. */
type MissingBand = Exclude<Band, (typeof BAND_ORDER)[number]>;
const everyBandListed: MissingBand extends never ? true : false = true;
void everyBandListed;

/** Band names as the canvas shows them. */
export const BAND_LABELS: Readonly<Record<Band, string>> = {
  'guest-user': 'Guest user',
  'guest-kernel': 'Guest kernel',
  vmbus: 'VMBus',
  'root-user': 'Root user',
  'root-kernel': 'Root kernel',
  hypervisor: 'Hypervisor',
  hardware: 'Hardware',
};

/** Bands that always span the whole width. */
const SPANNING: ReadonlySet<Band> = new Set<Band>(['hypervisor', 'hardware']);

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One privilege band: a full-width horizontal strip. */
export interface BandStrip extends Rect {
  band: Band;
  label: string;
  /** Where the band's label is written, and which side of that box it hugs. */
  labelBox: Rect;
  labelAlign: 'left' | 'right';
  /** True when the band holds no place at all. */
  empty: boolean;
}

/** One partition column (a child VM or the root). */
export interface ColumnBox extends Rect {
  partition: string;
  label: string;
  kind: PartitionInfo['kind'];
  /** The outline drawn around the partition's own bands (the VMBus strip stays outside it). */
  frame: Rect;
  /** The title row at the top of the frame. */
  title: Rect;
}

/** One place's box. */
export interface PlaceBox extends Rect {
  id: string;
  /** The full label from the topology. */
  fullLabel: string;
  /** The label as drawn, fitted with an estimated text width (the scene refits with real metrics). */
  label: BoxLabel;
  partition: string;
  band: Band;
  role: PlaceRole;
  /** Whether two text lines fit in the box. */
  twoLine: boolean;
  /** Pixels for a line of text across the box, and for a line that shares its row with the counter. */
  lineWidth: number;
  labelWidth: number;
}

/** Sizes derived from the canvas size; every length on the canvas comes from these. */
export interface LayoutMetrics {
  /** Label text size (px): 14 at 1280×720, 12 to 24 with the canvas size. */
  fontSize: number;
  titleSize: number;
  lineHeight: number;
  margin: number;
  columnGap: number;
  bandGap: number;
  boxGap: number;
  /** Inner padding of a box. */
  boxPad: number;
  /** Width reserved for a one-line box's counter. */
  counterWidth: number;
  titleHeight: number;
  /** Whether the title row holds two lines (name, then counters). */
  twoLineTitles: boolean;
}

export interface Layout {
  width: number;
  height: number;
  metrics: LayoutMetrics;
  bands: BandStrip[];
  /** Children in topology order, then the root. */
  columns: ColumnBox[];
  /** In topology order. */
  places: PlaceBox[];
  byId: ReadonlyMap<string, PlaceBox>;
}

/** Average advance of a glyph as a fraction of the font size (a conservative sans-serif estimate). */
const CHAR_WIDTH = 0.58;

/** Estimated width (px) of `text` at `fontSize`. */
export function estimateTextWidth(text: string, fontSize: number): number {
  return text.length * fontSize * CHAR_WIDTH;
}

/** How the layout is asked to draw. */
export interface LayoutOptions {
  /**
   * The smallest label size (px). The default, 12 then `MIN_FONT_SIZE`,
   * suits a screen up close; the projector view asks for 16, and the
   * layout then never shrinks the text below it (boxes get shorter first).
   */
  minFontSize?: number;
  /** Title rows of two lines: the partition's name, then its exits and interrupts (which do not fit beside a narrow column's name). */
  twoLineTitles?: boolean;
}

/** The metrics for a canvas of `width`×`height`. */
export function layoutMetrics(width: number, height: number, options: LayoutOptions = {}): LayoutMetrics {
  // 14 px at 1280×720; larger canvases scale the text with them, smaller ones shrink it gently (by the
  // square root of the scale) and never below 12 px (or the asked minimum), so a canvas beside the panels stays legible on a projector.
  const raw = Math.min(width / 1280, height / 720);
  const scale = Number.isFinite(raw) && raw > 0 ? raw : 1;
  const min = options.minFontSize ?? 12;
  return metricsFor(Math.max(min, Math.min(Math.max(24, min), Math.round(14 * (scale >= 1 ? scale : Math.sqrt(scale))))), options.twoLineTitles === true);
}

/** The smallest text size the layout falls back to when boxes would be shorter than their text. */
export const MIN_FONT_SIZE = 9;

function metricsFor(f: number, twoLineTitles = false): LayoutMetrics {
  const lineHeight = Math.round(f * 1.2);
  return {
    fontSize: f,
    titleSize: Math.round(f * 1.15),
    lineHeight,
    margin: Math.round(f * 0.6),
    columnGap: Math.round(f * 0.7),
    bandGap: Math.max(2, Math.round(f * 0.25)),
    boxGap: Math.max(3, Math.round(f * 0.4)),
    boxPad: Math.max(3, Math.round(f * 0.45)),
    counterWidth: Math.round(f * CHAR_WIDTH * 4),
    titleHeight: twoLineTitles ? Math.round(f * 1.25 + lineHeight + f * 0.3) : Math.round(f * 1.8),
    twoLineTitles,
  };
}

interface Cell {
  band: Band;
  /** Column index, -1 for a spanning band, or ROOT_WIDE for the root's own band laid across the width. */
  column: number;
  places: number[];
  /**
   * Size of the cell's groups when all are equal, else 1. A group is a place
   * and the places whose ids extend its id (`root.vmwp.vm1`, `root.vmwp.vm1.ide`);
   * grid rows then hold whole groups, so a VM's worker and emulator share a row.
   */
  group: number;
}

/** The group size of a cell's places (see Cell.group). */
function groupSize(ids: readonly string[]): number {
  const sizes: number[] = [];
  let head = '';
  for (const id of ids) {
    if (head !== '' && id.startsWith(head + '.')) sizes[sizes.length - 1]!++;
    else {
      head = id;
      sizes.push(1);
    }
  }
  return sizes.length > 1 && sizes.every((n) => n === sizes[0]) ? sizes[0]! : 1;
}

/** Grid columns for `n` places in `rows` rows, whole groups per row where more than one column. */
function gridColumns(n: number, group: number, rows: number): number {
  const cols = Math.max(1, Math.ceil(n / Math.max(1, rows)));
  return cols === 1 || group <= 1 ? cols : Math.min(n, Math.ceil(cols / group) * group);
}

interface BandPlan {
  band: Band;
  spanning: boolean;
  cells: Cell[];
  /** Whether a column's title row sits at the top of this band. */
  header: boolean;
  labelWidth: number;
  /** For partition bands: where the label can go without a reserved slot. */
  labelSide: 'left' | 'right' | null;
}

/** Placement of the columns for one candidate root width. */
interface ColumnPlan {
  xs: number[];
  ws: number[];
  /** Left edge and width of the spanning bands' cells (after their label slot). */
  spanX: number;
  spanW: number;
  /** Left edge and width of the root's own bands when the root lies across the width (see ROOT_WIDE). */
  rootX: number;
  rootW: number;
}

/**
 * The column of a root cell laid across the width. When no band holds both the root's places and a child's
 * (Hyper-V's root bands, root user and root kernel, hold only the root's), the root needs no column beside the
 * VMs: below them it takes the whole width after its band label, and beside them only the width of the guest
 * bands' labels. Eight VMs then share the width instead of the width left by the root partition.
 */
const ROOT_WIDE = -2;

/**
 * How legible a candidate layout is, compared in order: the worst box
 * (its width against a label's natural width and its height against two
 * text lines, each capped at 1); then the number of grid rows (fewer is
 * less stacking, and taller boxes); then the mean box width.
 */
interface Score {
  worst: number;
  rows: number;
  mean: number;
}

const EPS = 1e-9;
/** For the greedy row search: a better worst box, else a better mean (the row count would block progress when two bands tie for worst). */
const betterStep = (a: Score, b: Score): boolean => a.worst > b.worst + EPS || (Math.abs(a.worst - b.worst) <= EPS && a.mean > b.mean + EPS);
/** For choosing among finished candidates. */
const better = (a: Score, b: Score): boolean => {
  if (Math.abs(a.worst - b.worst) > EPS) return a.worst > b.worst;
  if (a.rows !== b.rows) return a.rows < b.rows;
  return a.mean > b.mean + EPS;
};

/**
 * Lays out `topology` on a `width`×`height` canvas. Deterministic: the same
 * arguments give the same layout.
 */
export function layoutTopology(topology: Topology, width: number, height: number, options: LayoutOptions = {}): Layout {
  const W = Math.max(1, width);
  const H = Math.max(1, height);
  // A crowded topology on a small canvas gets smaller text rather than boxes shorter than a line (never below the asked minimum).
  const floor = Math.max(MIN_FONT_SIZE, options.minFontSize ?? MIN_FONT_SIZE);
  let m = layoutMetrics(W, H, options);
  for (;;) {
    const layout = layoutWith(topology, W, H, m);
    const shortest = layout.places.reduce((a, p) => Math.min(a, p.h), Infinity);
    if (shortest >= m.fontSize + 6 || m.fontSize <= floor) return layout;
    m = metricsFor(m.fontSize - 1, m.twoLineTitles);
  }
}

function layoutWith(topology: Topology, W: number, H: number, m: LayoutMetrics): Layout {
  const f = m.fontSize;
  const targetW = f * 11;
  const twoLineH = 2 * m.lineHeight + 2;
  const maxBoxH = Math.round(f * 3.4);
  const maxBoxW = Math.round(targetW * 1.35);
  const cellPadX = Math.max(3, Math.round(f * 0.4));
  const cellPadY = Math.max(2, Math.round(f * 0.3));
  const emptyBandH = Math.round(f * 1.7);

  // Columns: children (and any unknown partition that owns places in partition bands), then the root.
  const partitions = new Map(topology.partitions.map((p) => [p.id, p]));
  const children: PartitionInfo[] = topology.partitions.filter((p) => p.kind === 'child');
  const root = topology.partitions.find((p) => p.kind === 'root');
  for (const place of topology.places) {
    if (SPANNING.has(place.band) || partitions.has(place.partition)) continue;
    if (!children.some((c) => c.id === place.partition)) children.push({ id: place.partition, label: place.partition, kind: 'child' });
  }
  const columns: PartitionInfo[] = root === undefined ? children : [...children, root];
  const columnOf = new Map(columns.map((c, i) => [c.id, i]));

  // Cells.
  const plans: BandPlan[] = BAND_ORDER.map((band) => {
    const indices = topology.places.flatMap((p, i) => (p.band === band ? [i] : []));
    const spanning = SPANNING.has(band) || (indices.length > 0 && indices.every((i) => !columnOf.has(topology.places[i]!.partition)));
    const cells: Cell[] = [];
    if (spanning) {
      if (indices.length > 0) cells.push({ band, column: -1, places: indices, group: 1 });
    } else {
      const byColumn = new Map<number, number[]>();
      for (const i of indices) {
        // A place of a partition with no column (not expected) joins the last column.
        const col = columnOf.get(topology.places[i]!.partition) ?? columns.length - 1;
        const list = byColumn.get(col) ?? [];
        list.push(i);
        byColumn.set(col, list);
      }
      for (const [column, places] of [...byColumn].sort((a, b) => a[0] - b[0])) {
        cells.push({ band, column, places, group: groupSize(places.map((i) => topology.places[i]!.id)) });
      }
    }
    return { band, spanning, cells, header: false, labelWidth: estimateTextWidth(BAND_LABELS[band], f) + 2 * m.boxPad, labelSide: null };
  });

  // Frames: a column's frame covers its bands with places, apart from the VMBus strip (unless that is all it has).
  const frameBands = columns.map((_, col) => {
    const all = plans.filter((p) => p.cells.some((c) => c.column === col)).map((p) => BAND_ORDER.indexOf(p.band));
    const own = all.filter((b) => BAND_ORDER[b] !== 'vmbus');
    return own.length > 0 ? own : all;
  });
  for (const bands of frameBands) if (bands.length > 0) plans[Math.min(...bands)]!.header = true;

  // Band labels: in the free end of a partition band, else every band gets a left slot (gutter mode).
  for (const plan of plans) {
    if (plan.spanning || plan.cells.length === 0) continue;
    const used = new Set(plan.cells.map((c) => c.column));
    if (!used.has(columns.length - 1)) plan.labelSide = 'right';
    else if (!used.has(0)) plan.labelSide = 'left';
  }
  const rootColumn = root === undefined ? -1 : columns.length - 1;
  const rootWide =
    rootColumn > 0 && plans.every((p) => p.spanning || !p.cells.some((c) => c.column === rootColumn) || p.cells.every((c) => c.column === rootColumn));
  if (rootWide) for (const plan of plans) for (const cell of plan.cells) if (cell.column === rootColumn) cell.column = ROOT_WIDE;
  const gutterMode = columns.length > 0 && plans.some((p) => !p.spanning && p.cells.length > 0 && p.labelSide === null);
  const gutter = gutterMode ? Math.max(...plans.map((p) => p.labelWidth)) : 0;

  const left = m.margin + gutter;
  const right = W - m.margin;
  const contentW = Math.max(1, right - left);
  const spanSlot = gutterMode ? 0 : Math.max(...plans.filter((p) => p.spanning).map((p) => p.labelWidth), 0);
  // Root bands laid across the width keep their label at the left; beside the VMs the root column holds only the guest bands' labels.
  const rootSlot = Math.max(...plans.filter((p) => p.cells.some((c) => c.column === ROOT_WIDE)).map((p) => p.labelWidth), 0) + m.columnGap;
  const rootBesideVms = Math.max(...plans.filter((p) => !p.spanning && p.labelSide === 'right').map((p) => p.labelWidth), 0);

  const columnPlan = (rootW: number): ColumnPlan => {
    const n = columns.length;
    const gaps = Math.max(0, n - 1) * m.columnGap;
    const xs: number[] = [];
    const ws: number[] = [];
    if (n > 0) {
      const hasRoot = root !== undefined;
      const childCount = hasRoot ? n - 1 : n;
      const rw = hasRoot ? (childCount === 0 ? contentW - gaps : rootW) : 0;
      // Children share the width in proportion to what their widest box and their title need.
      const free = Math.max(childCount, contentW - gaps - rw);
      let x = left;
      for (let i = 0; i < n; i++) {
        const w = hasRoot && i === n - 1 ? rw : Math.max(1, childWidth(i, free));
        xs.push(x);
        ws.push(w);
        x += w + m.columnGap;
      }
    }
    const rootX = gutterMode ? left : m.margin + rootSlot;
    return {
      xs,
      ws,
      spanX: m.margin + (gutterMode ? gutter : spanSlot),
      spanW: Math.max(1, right - m.margin - (gutterMode ? gutter : spanSlot)),
      rootX,
      rootW: Math.max(1, right - rootX),
    };
  };

  // The width each cell's boxes need: its widest label in its shortest uncut form, with padding and a counter.
  const tags = new Map(children.map((c, i) => [c.id, vmTag(i)]));
  const need = new Map<Cell, number>();
  for (const plan of plans) {
    for (const cell of plan.cells) {
      let w = 0;
      for (const i of cell.places) {
        const p = topology.places[i]!;
        const forms = labelForms(p.label, tags, p.role);
        w = Math.max(w, estimateTextWidth(forms[forms.length - 1]!, f));
      }
      need.set(cell, Math.min(targetW, w + 2 * m.boxPad + m.counterWidth));
    }
  }
  const oneLineH = m.lineHeight + 4;
  const columnTitle = children.map((c) => estimateTextWidth(`${tags.get(c.id) ?? ''} ${c.label}`, f) * 1.1 + 2 * m.boxPad); // in bold
  /**
   * A child column's width out of `free`: an equal share, except that a column whose title needs more gets what
   * its title needs (a VM's name is never cut) and the others share the rest equally (water-filling).
   */
  const childWidth = (i: number, free: number): number => {
    const wide = new Set<number>();
    let share = free / Math.max(1, children.length);
    for (;;) {
      const grown = columnTitle.flatMap((t, k) => (!wide.has(k) && t > share ? [k] : []));
      if (grown.length === 0 || wide.size + grown.length >= children.length) break;
      for (const k of grown) wide.add(k);
      const taken = [...wide].reduce((a, k) => a + columnTitle[k]!, 0);
      share = (free - taken) / (children.length - wide.size);
    }
    return wide.has(i) ? columnTitle[i]! : share;
  };

  const cellWidth = (cp: ColumnPlan, cell: Cell): number =>
    (cell.column === ROOT_WIDE ? cp.rootW : cell.column < 0 ? cp.spanW : cp.ws[cell.column]!) - 2 * cellPadX;
  const boxWidth = (innerW: number, cell: Cell, rows: number): number => {
    const cols = gridColumns(cell.places.length, cell.group, rows);
    return Math.min(maxBoxW, Math.max(1, (innerW - (cols - 1) * m.boxGap) / cols));
  };

  const fixedHeight = (): number => {
    let h = 2 * m.margin + (plans.length - 1) * m.bandGap;
    for (const p of plans) h += (p.header ? m.titleHeight : 0) + (p.cells.length === 0 ? emptyBandH : 2 * cellPadY);
    return h;
  };
  const fixedH = fixedHeight();

  const rowHeight = (rows: number[]): number => {
    let total = 0;
    let gaps = 0;
    rows.forEach((r) => {
      total += r;
      gaps += Math.max(0, r - 1) * m.boxGap;
    });
    return total === 0 ? maxBoxH : (H - fixedH - gaps) / total;
  };

  const score = (cp: ColumnPlan, rows: number[]): Score => {
    // The worst box: a line of text tall, and as wide as its shortest uncut label (a box that meets both is legible).
    // The mean rewards room beyond that: two lines of height and the target width.
    const rh = rowHeight(rows);
    // A box shorter than its text is worse than a narrow one (whose label is shortened): it counts half.
    let worst = rh >= f + 6 ? Math.min(1, rh / oneLineH) : (0.5 * rh) / oneLineH;
    let sum = 0;
    let count = 0;
    plans.forEach((plan, b) => {
      for (const cell of plan.cells) {
        const bw = boxWidth(cellWidth(cp, cell), cell, rows[b]!);
        worst = Math.min(worst, Math.min(1, bw / need.get(cell)!));
        sum += (Math.min(1, bw / targetW) + Math.min(1, rh / twoLineH)) * cell.places.length;
        count += 2 * cell.places.length;
      }
    });
    return { worst, rows: rows.reduce((a, r) => a + r, 0), mean: count === 0 ? 1 : sum / count };
  };

  /** The fewest grid rows above `rows` that narrows some cell of `plan` by a column (0: none does). */
  const nextRows = (plan: BandPlan, rows: number): number => {
    if (rows === 0) return 0;
    let next = 0;
    for (const cell of plan.cells) {
      const n = cell.places.length;
      const cols = gridColumns(n, cell.group, rows);
      for (let r = rows + 1; r <= n && cols > 1; r++) {
        if (gridColumns(n, cell.group, r) < cols) {
          if (next === 0 || r < next) next = r;
          break;
        }
      }
    }
    return next;
  };

  /** Greedy: keep adding grid rows to the band whose change helps most, while it helps. */
  const planRows = (cp: ColumnPlan): { rows: number[]; score: Score } => {
    const rows: number[] = plans.map((p) => (p.cells.length > 0 ? 1 : 0));
    let best = score(cp, rows);
    for (;;) {
      let pick = -1;
      let pickScore = best;
      let pickRows = 0;
      plans.forEach((plan, b) => {
        const next = nextRows(plan, rows[b]!);
        if (next === 0) return;
        const was = rows[b]!;
        rows[b] = next;
        const s = score(cp, rows);
        rows[b] = was;
        if (betterStep(s, pickScore)) {
          pick = b;
          pickRows = next;
          pickScore = s;
        }
      });
      if (pick < 0) return { rows, score: best };
      rows[pick] = pickRows;
      best = pickScore;
    }
  };

  // Search the root column's width.
  let chosen: { cp: ColumnPlan; rows: number[]; score: Score } | null = null;
  const sharesWidth = root !== undefined && columns.length > 1;
  const fractions = rootWide ? [Math.max(1, rootBesideVms) / contentW] : sharesWidth ? Array.from({ length: 46 }, (_, i) => 0.15 + i * 0.01) : [1];
  for (const fraction of fractions) {
    const cp = columnPlan(Math.round(contentW * fraction));
    const planned = planRows(cp);
    if (chosen === null || better(planned.score, chosen.score)) chosen = { cp, ...planned };
  }
  const { cp, rows } = chosen!;

  // Vertical placement: boxes no taller than maxBoxH; any height left over pads the bands evenly.
  const boxH = Math.max(1, Math.floor(Math.min(maxBoxH, rowHeight(rows))));
  const contentH = plans.map((p, b) => (p.cells.length === 0 ? 0 : rows[b]! * boxH + Math.max(0, rows[b]! - 1) * m.boxGap));
  const used = fixedH + contentH.reduce((a, b) => a + b, 0);
  const filled = plans.filter((p) => p.cells.length > 0).length;
  const extra = filled === 0 ? 0 : Math.max(0, H - used) / filled;

  const bands: BandStrip[] = [];
  const bandTop: number[] = [];
  const bandContentTop: number[] = [];
  let y = m.margin;
  plans.forEach((plan, b) => {
    const header = plan.header ? m.titleHeight : 0;
    const h = plan.cells.length === 0 ? header + emptyBandH : header + 2 * cellPadY + contentH[b]! + extra;
    bandTop.push(y);
    bandContentTop.push(y + header + cellPadY + extra / 2);
    const labelH = Math.min(h, m.lineHeight + 4);
    const labelY = y + header + Math.max(0, (h - header - labelH) / 2);
    let labelBox: Rect;
    let labelAlign: 'left' | 'right' = 'left';
    if (gutterMode || plan.spanning || plan.cells.length === 0 || plan.labelSide === 'left') {
      labelBox = { x: m.margin, y: labelY, w: Math.max(gutter, plan.labelWidth), h: labelH };
      if (plan.cells.length === 0 && !gutterMode && plan.labelSide === null) labelBox.w = contentW;
    } else {
      labelBox = { x: right - plan.labelWidth, y: labelY, w: plan.labelWidth, h: labelH };
      labelAlign = 'right';
    }
    bands.push({ band: plan.band, label: BAND_LABELS[plan.band], x: m.margin, y, w: W - 2 * m.margin, h, labelBox, labelAlign, empty: plan.cells.length === 0 });
    y += h + m.bandGap;
  });

  // Places.
  const places: PlaceBox[] = topology.places.map((p) => ({
    id: p.id,
    fullLabel: p.label,
    label: { lines: [p.label], centred: true },
    partition: p.partition,
    band: p.band,
    role: p.role,
    x: 0,
    y: 0,
    w: 0,
    h: 0,
    twoLine: false,
    lineWidth: 0,
    labelWidth: 0,
  }));
  const twoLine = boxH >= twoLineH;
  plans.forEach((plan, b) => {
    for (const cell of plan.cells) {
      const cellX = (cell.column === ROOT_WIDE ? cp.rootX : cell.column < 0 ? cp.spanX : cp.xs[cell.column]!) + cellPadX;
      const innerW = cellWidth(cp, cell);
      const n = cell.places.length;
      const cols = gridColumns(n, cell.group, rows[b]!);
      const gridRows = Math.ceil(n / cols);
      const w = Math.floor(boxWidth(innerW, cell, rows[b]!));
      const gridW = cols * w + (cols - 1) * m.boxGap;
      const gridH = gridRows * boxH + (gridRows - 1) * m.boxGap;
      const x0 = cellX + Math.max(0, (innerW - gridW) / 2);
      const y0 = bandContentTop[b]! + Math.max(0, (contentH[b]! - gridH) / 2);
      cell.places.forEach((index, k) => {
        const box = places[index]!;
        box.x = Math.round(x0 + (k % cols) * (w + m.boxGap));
        box.y = Math.round(y0 + Math.floor(k / cols) * (boxH + m.boxGap));
        box.w = w;
        box.h = boxH;
        box.twoLine = twoLine;
        box.lineWidth = Math.max(0, w - 2 * m.boxPad);
        box.labelWidth = Math.max(0, box.lineWidth - m.counterWidth);
        box.label = fitForms(labelForms(box.fullLabel, tags, box.role), box.lineWidth, box.labelWidth, twoLine, (s) => estimateTextWidth(s, f));
      });
    }
  });

  // Columns and their frames.
  const contentTop = m.margin;
  const contentBottom = bands.length > 0 ? bands[bands.length - 1]!.y + bands[bands.length - 1]!.h : H - m.margin;
  const columnBoxes: ColumnBox[] = columns.map((info, col) => {
    const wide = rootWide && col === rootColumn;
    const x = wide ? cp.rootX : cp.xs[col]!;
    const w = wide ? cp.rootW : cp.ws[col]!;
    const fb = frameBands[col]!;
    const first = fb.length > 0 ? Math.min(...fb) : 0;
    const last = fb.length > 0 ? Math.max(...fb) : 0;
    const top = bands[first]!.y;
    const bottom = bands[last]!.y + bands[last]!.h;
    const frame = { x, y: top, w, h: bottom - top };
    const title = { x: x + m.boxPad, y: top, w: Math.max(0, w - 2 * m.boxPad), h: plans[first]!.header ? m.titleHeight : 0 };
    if (!rootWide) return { partition: info.id, label: info.label, kind: info.kind, x, y: contentTop, w, h: contentBottom - contentTop, frame, title };
    // Across the width, the root's column is its own bands and each VM's column ends where its last band does.
    const all = plans.flatMap((p, b) => (p.cells.some((c) => c.column === (wide ? ROOT_WIDE : col)) ? [b] : []));
    const y0 = wide ? top : contentTop;
    const lastBand = bands[all.length > 0 ? Math.max(...all) : last]!;
    return { partition: info.id, label: info.label, kind: info.kind, x, y: y0, w, h: lastBand.y + lastBand.h - y0, frame, title };
  });

  return { width: W, height: H, metrics: m, bands, columns: columnBoxes, places, byId: new Map(places.map((p) => [p.id, p])) };
}

/** The centre of a place's box, or null for an unknown place. */
export function placeCenter(layout: Layout, placeId: string): { x: number; y: number } | null {
  const box = layout.byId.get(placeId);
  return box === undefined ? null : { x: box.x + box.w / 2, y: box.y + box.h / 2 };
}

/** The place whose box contains (x, y), or null. */
export function placeAtPoint(layout: Layout, x: number, y: number): string | null {
  for (const box of layout.places) if (x >= box.x && x <= box.x + box.w && y >= box.y && y <= box.y + box.h) return box.id;
  return null;
}

/** Whether `inner` lies within `outer` (edges may touch). */
export function contains(outer: Rect, inner: Rect, slack = 0.5): boolean {
  return inner.x >= outer.x - slack && inner.y >= outer.y - slack && inner.x + inner.w <= outer.x + outer.w + slack && inner.y + inner.h <= outer.y + outer.h + slack;
}

/** Whether two rectangles overlap (touching edges do not count). */
export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
