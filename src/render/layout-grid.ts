/**
 * The second stage of `layout.ts`: the sizes. Given what goes where
 * (`layout-plan.ts`), a small search chooses the root column's width (when
 * the root is a column beside the VMs) and how many grid rows each band
 * gets, maximising the worst box's legibility: its width against its
 * label's shortest uncut form, its height against a line, then two lines,
 * of text (`Score`). Children share their width equally, except that a VM
 * whose name needs more gets it (water-filling). Pure and deterministic.
 */
import type { Topology } from '../model/topology.js';
import { labelForms, titleLines, vmTag } from './labels.js';
import type { LayoutMetrics } from './layout.js';
import { estimateTextWidth, gridColumns, ROOT_WIDE, type BandPlan, type BoxPlan, type Cell } from './layout-plan.js';

/** The lengths the layout derives from the text size, beside `LayoutMetrics`. */
export interface BoxSizes {
  /** A box's target width, and the widest and tallest a box gets. */
  targetW: number;
  maxBoxW: number;
  maxBoxH: number;
  /** Heights of a box holding one line, and two. */
  oneLineH: number;
  twoLineH: number;
  cellPadX: number;
  cellPadY: number;
  /** Height of a band with no place. */
  emptyBandH: number;
}

export function boxSizes(m: LayoutMetrics): BoxSizes {
  const f = m.fontSize;
  const targetW = f * 11;
  return {
    targetW,
    maxBoxW: Math.round(targetW * 1.35),
    maxBoxH: Math.round(f * 3.4),
    oneLineH: m.lineHeight + 4,
    twoLineH: 2 * m.lineHeight + 2,
    cellPadX: Math.max(3, Math.round(f * 0.4)),
    cellPadY: Math.max(2, Math.round(f * 0.3)),
    emptyBandH: Math.round(f * 1.7),
  };
}

/** Placement of the columns for one candidate root width. */
export interface ColumnPlan {
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

/** The chosen sizes (`searchGrid`). */
export interface Grid {
  /** The columns' placement. */
  cp: ColumnPlan;
  /** Grid rows per band (in `BAND_ORDER`; 0 for a band with no place). */
  rows: number[];
  /** Every box's height: no taller than `maxBoxH`. */
  boxH: number;
  /** The height of everything but the boxes: margins, band gaps, title rows, cell padding, empty bands. */
  fixedH: number;
  /** The content's left and right edges (inside the margins and any gutter) and its width. */
  left: number;
  right: number;
  contentW: number;
  /** Each child VM's tag (`vmTag`), by partition id. */
  tags: Map<string, string>;
  /** A cell's width inside its padding. */
  cellWidth(cell: Cell): number;
  /** The width of a cell's boxes when its band has `rows` grid rows. */
  boxWidth(innerW: number, cell: Cell, rows: number): number;
}

/** Chooses the root column's width and each band's grid rows for `plan` on a `W`×`H` canvas. */
export function searchGrid(topology: Topology, W: number, H: number, m: LayoutMetrics, plan: BoxPlan, sizes: BoxSizes): Grid {
  const f = m.fontSize;
  const { columns, children, root, plans, rootWide, gutterMode, gutter } = plan;
  const { targetW, maxBoxW, maxBoxH, oneLineH, twoLineH, cellPadX, cellPadY, emptyBandH } = sizes;
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
  for (const band of plans) {
    for (const cell of band.cells) {
      let w = 0;
      for (const i of cell.places) {
        const p = topology.places[i]!;
        const forms = labelForms(p.label, tags, p.role);
        w = Math.max(w, estimateTextWidth(forms[forms.length - 1]!, f));
      }
      need.set(cell, Math.min(targetW, w + 2 * m.boxPad + m.counterWidth));
    }
  }
  // In bold. In the projector view a title may take two lines (`titleLines`), so a long name asks only for its wider line:
  // the columns stay nearer equal, and a short name is not squeezed to its tag by a long one.
  const bold = (s: string): number => estimateTextWidth(s, f) * 1.1;
  const columnTitle = children.map((c) => {
    const name = `${tags.get(c.id) ?? ''} ${c.label}`;
    const lines = m.twoLineTitles ? titleLines(name, Infinity, bold) : null;
    return Math.min(bold(name), lines === null ? Infinity : Math.max(bold(lines[0]), bold(lines[1]))) + 2 * m.boxPad;
  });
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

  let fixedH = 2 * m.margin + (plans.length - 1) * m.bandGap;
  for (const p of plans) fixedH += (p.header ? m.titleHeight : 0) + (p.cells.length === 0 ? emptyBandH : 2 * cellPadY);

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
    plans.forEach((band, b) => {
      for (const cell of band.cells) {
        const bw = boxWidth(cellWidth(cp, cell), cell, rows[b]!);
        worst = Math.min(worst, Math.min(1, bw / need.get(cell)!));
        sum += (Math.min(1, bw / targetW) + Math.min(1, rh / twoLineH)) * cell.places.length;
        count += 2 * cell.places.length;
      }
    });
    return { worst, rows: rows.reduce((a, r) => a + r, 0), mean: count === 0 ? 1 : sum / count };
  };

  /** The fewest grid rows above `rows` that narrows some cell of `band` by a column (0: none does). */
  const nextRows = (band: BandPlan, rows: number): number => {
    if (rows === 0) return 0;
    let next = 0;
    for (const cell of band.cells) {
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
      plans.forEach((band, b) => {
        const next = nextRows(band, rows[b]!);
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
  return {
    cp,
    rows,
    boxH: Math.max(1, Math.floor(Math.min(maxBoxH, rowHeight(rows)))),
    fixedH,
    left,
    right,
    contentW,
    tags,
    cellWidth: (cell) => cellWidth(cp, cell),
    boxWidth,
  };
}
