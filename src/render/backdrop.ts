/**
 * The scene's static picture (`scene.ts`, its first layer): the band
 * strips with their labels, the partitions' frames and titles, the links
 * between places (under the boxes, so each line shows only between them),
 * and the places' boxes, a root place that serves one VM striped in that
 * VM's packet colour. Drawn once per layout into the layer the scene
 * renders into the canvas's CSS background. The titles' counters are
 * written here too (`writeColumnStats`) when the scene finds them changed;
 * the labels and everything else that changes per frame stay the scene's.
 */
import { CanvasTextMetrics, Graphics, Text, TextStyle, type BitmapText, type Container } from 'pixi.js';
import type { Topology } from '../model/topology.js';
import { fitLabel, titleLines } from './labels.js';
import type { Layout, LayoutMetrics, PlaceBox, Rect } from './layout.js';
import { BACKGROUND, BAND_FILL, BAND_TEXT, FRAME, LINK, ROLE_COLORS, TEXT, type StreamPalette } from './palette.js';

/** The font stack of every text on the canvas. */
export const FONT = 'system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif';

/** A text style of the canvas's font. */
export function canvasStyle(fontSize: number, fill: number, fontWeight: 'normal' | 'bold'): TextStyle {
  return new TextStyle({ fontFamily: FONT, fontSize, fill, fontWeight });
}

/** A partition's title as drawn: its text object and the title row it sits in. */
export interface DrawnTitle {
  partition: string;
  title: Text;
  box: Rect;
}

/** What `drawBackdrop` drew that the scene keeps: each title, and the VMs whose title is their tag alone. */
export interface Backdrop {
  titles: DrawnTitle[];
  shortTitles: Map<string, string>;
}

/** The root place serving one VM names it in parentheses at its end (`vmwp.exe (legacy-pio)`): that VM, or undefined. */
export function servedVm(box: PlaceBox): string | undefined {
  return /\(([^()]+)\)$/.exec(box.fullLabel)?.[1];
}

/** Draws the static picture of `layout` into `layer` (emptied by the caller). `tags`: each child VM's tag. */
export function drawBackdrop(layer: Container, layout: Layout, topology: Topology, tags: ReadonlyMap<string, string>, palette: StreamPalette): Backdrop {
  const L = layout;
  const m = L.metrics;
  const g = new Graphics();
  layer.addChild(g);
  g.rect(0, 0, L.width, L.height).fill(BACKGROUND);

  // Band strips and their labels.
  for (const band of L.bands) {
    g.rect(band.x, band.y, band.w, band.h).fill(BAND_FILL[band.band]);
    const label = new Text({ text: band.label, style: canvasStyle(m.fontSize, BAND_TEXT[band.band], 'bold') });
    label.anchor.set(band.labelAlign === 'right' ? 1 : 0, 0.5);
    label.position.set(band.labelAlign === 'right' ? band.labelBox.x + band.labelBox.w - m.boxPad : band.labelBox.x + m.boxPad, band.labelBox.y + band.labelBox.h / 2);
    layer.addChild(label);
  }

  // Partition frames and titles.
  const titleStyle = canvasStyle(m.titleSize, TEXT, 'bold');
  const titles: DrawnTitle[] = [];
  const shortTitles = new Map<string, string>();
  for (const col of L.columns) {
    const f = col.frame;
    g.roundRect(f.x, f.y, f.w, f.h, Math.round(m.fontSize * 0.5))
      .fill({ color: 0xffffff, alpha: 0.035 })
      .stroke({ width: 1.5, color: FRAME, alpha: 0.9 });
    if (col.title.h <= 0) continue;
    const tag = tags.get(col.partition);
    const name = tag === undefined ? col.label : `${tag} ${col.label}`;
    // A VM's name is never cut: when it does not fit at the title size, it is written at the label size, then
    // across the frame's whole width, then (projector view) over two lines; when even that is too narrow, its tag alone stands for it and the legend
    // under the canvas names it (Scene.shortTitles).
    const fits = CanvasTextMetrics.measureText(name, titleStyle).width <= col.title.w;
    const style = fits ? titleStyle : canvasStyle(m.fontSize, TEXT, 'bold');
    const wide = Math.max(col.title.w, col.frame.w - 4);
    let text = name;
    let titleX = col.title.x;
    if (!fits && CanvasTextMetrics.measureText(name, style).width > col.title.w) {
      const lines = m.twoLineTitles ? titleLines(name, wide, (s) => CanvasTextMetrics.measureText(s, style).width) : null;
      if (CanvasTextMetrics.measureText(name, style).width <= wide) titleX = col.frame.x + (col.frame.w - wide) / 2;
      else if (lines !== null) {
        // Over two lines before falling back to the tag; the counters then go beside the second line, if they fit.
        text = lines.join('\n');
        titleX = col.frame.x + (col.frame.w - wide) / 2;
      } else if (tag !== undefined) {
        text = tag;
        shortTitles.set(col.partition, tag);
      } else text = fitLabel(name, col.title.w, (s) => CanvasTextMetrics.measureText(s, style).width);
    }
    const title = new Text({ text, style });
    if (m.twoLineTitles) {
      // Name on the first line; the scene writes exits and interrupts on the second.
      title.anchor.set(0, 0);
      title.position.set(titleX, col.title.y + Math.round(m.fontSize * 0.15));
    } else {
      title.anchor.set(0, 0.5);
      title.position.set(titleX, col.title.y + col.title.h / 2);
    }
    layer.addChild(title);
    titles.push({ partition: col.partition, title, box: col.title });
  }

  drawLinks(g, L, topology);

  // Place boxes.
  for (const box of L.places) {
    const colors = ROLE_COLORS[box.role] ?? ROLE_COLORS['stack-layer'];
    g.roundRect(box.x, box.y, box.w, box.h, Math.round(m.fontSize * 0.35))
      .fill(colors.fill)
      .stroke({ width: 2, color: colors.edge, alignment: 1 });
    // A root place that serves one VM carries that VM's packet colour on its left edge.
    const served = servedVm(box);
    if (box.partition !== served && served !== undefined && tags.has(served)) {
      const stripe = Math.max(3, Math.round(m.fontSize * 0.25));
      g.rect(box.x + 2, box.y + 2, stripe, box.h - 4).fill(palette.vmColour(served));
    }
  }
  return { titles, shortTitles };
}

/** The topology's links as arrows between the edges of their places' boxes: firm within a column (the stack), faint across. */
function drawLinks(g: Graphics, L: Layout, topology: Topology): void {
  const head = Math.max(5, Math.round(L.metrics.fontSize * 0.45));
  for (const link of topology.links) {
    const a = L.byId.get(link.from);
    const b = L.byId.get(link.to);
    if (a === undefined || b === undefined) continue;
    const ax = a.x + a.w / 2;
    const ay = a.y + a.h / 2;
    const bx = b.x + b.w / 2;
    const by = b.y + b.h / 2;
    const end = edgePoint(b, ax, ay);
    const start = edgePoint(a, bx, by);
    const dx = end.x - start.x;
    const dy = end.y - start.y;
    const len = Math.hypot(dx, dy);
    if (len < 1) continue;
    const ux = dx / len;
    const uy = dy / len;
    // Links within a column are the stack, drawn firmly; the ones across the picture stay faint.
    const alpha = a.partition === b.partition ? 0.9 : 0.45;
    g.moveTo(start.x, start.y).lineTo(end.x - ux * head * 0.6, end.y - uy * head * 0.6).stroke({ width: 1.5, color: LINK, alpha });
    if (len > head * 1.5) {
      g.poly([end.x, end.y, end.x - ux * head - uy * head * 0.55, end.y - uy * head + ux * head * 0.55, end.x - ux * head + uy * head * 0.55, end.y - uy * head - ux * head * 0.55]).fill({ color: LINK, alpha: Math.min(1, alpha + 0.1) });
    }
  }
}

/** Where the segment from the centre of `box` towards (x, y) leaves the box. */
function edgePoint(box: PlaceBox, x: number, y: number): { x: number; y: number } {
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  const dx = x - cx;
  const dy = y - cy;
  if (dx === 0 && dy === 0) return { x: cx, y: cy };
  const sx = dx === 0 ? Infinity : box.w / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : box.h / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: cx + dx * s, y: cy + dy * s };
}

/** A partition's title with its counters (exits, interrupts, the VM's state), which the scene rewrites as they change. */
export interface ColumnStats extends DrawnTitle {
  text: BitmapText;
  exits: number;
  interrupts: number;
  /** The VM's state badge (Hyper-V's state name), '' when no action manages the VM. */
  state: string;
}

/** Writes the longest form of a partition's state and counters that fits beside (or under) its title, else none. */
export function writeColumnStats(stats: ColumnStats, m: LayoutMetrics): void {
  const lines = stats.title.text.split('\n');
  const wrapped = lines.length > 1 ? CanvasTextMetrics.measureText(lines[lines.length - 1]!, stats.title.style).width + m.fontSize : 0;
  const room = m.twoLineTitles ? stats.box.w - wrapped : stats.box.w - stats.title.width - m.fontSize;
  const counts = stats.exits === 0 && stats.interrupts === 0 ? [''] : [`exits ${stats.exits} · irq ${stats.interrupts}`, `exits ${stats.exits}`];
  // A managed VM's state comes first (the badge), then as many counters as fit.
  const forms = stats.state === '' ? counts : [...counts.filter((c) => c !== '').map((c) => `● ${stats.state} · ${c}`), `● ${stats.state}`];
  for (const form of forms) {
    stats.text.text = form;
    if (stats.text.width <= room) return;
  }
  stats.text.text = '';
}
