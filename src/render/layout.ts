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
 *
 * In three stages: what goes where (`layout-plan.ts`: columns, cells,
 * frames, band labels), the sizes (`layout-grid.ts`: the search), and the
 * placing of every band, box and column (here, with the outward types and
 * the metrics). Labels are fitted by `labels.ts`.
 */
import type { Band, PartitionInfo, PlaceRole, Topology } from '../model/topology.js';
import { fitForms, labelForms, type BoxLabel } from './labels.js';
import { boxSizes, searchGrid } from './layout-grid.js';
import { BAND_LABELS, CHAR_WIDTH, estimateTextWidth, gridColumns, planBands, ROOT_WIDE } from './layout-plan.js';

export { boxLabel, fitLabel, type BoxLabel } from './labels.js';
export { BAND_LABELS, BAND_ORDER, estimateTextWidth } from './layout-plan.js';

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

/**
 * One layout at `m`'s text size: what goes where (`planBands`), the sizes
 * (`searchGrid`), then every band, box and column placed.
 */
function layoutWith(topology: Topology, W: number, H: number, m: LayoutMetrics): Layout {
  const boxes = planBands(topology, m);
  const { columns, plans, frameBands, rootWide, rootColumn, gutterMode, gutter } = boxes;
  const sizes = boxSizes(m);
  const { twoLineH, cellPadX, cellPadY, emptyBandH } = sizes;
  const grid = searchGrid(topology, W, H, m, boxes, sizes);
  const { cp, rows, boxH, fixedH, right, contentW, tags } = grid;
  const f = m.fontSize;

  // Vertical placement: boxes no taller than maxBoxH; any height left over pads the bands evenly.
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
      const innerW = grid.cellWidth(cell);
      const n = cell.places.length;
      const cols = gridColumns(n, cell.group, rows[b]!);
      const gridRows = Math.ceil(n / cols);
      const w = Math.floor(grid.boxWidth(innerW, cell, rows[b]!));
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
