/**
 * The cluster canvas (pixi v8): hosts side by side with their VMs, a
 * failed host greyed out, each host's heartbeat (a dot, red with the beats
 * it has missed), the shared storage along the bottom, and the migration
 * network with one bar per migration in flight whose memory drains pass by
 * pass (or chunk by chunk for a quick migration). It draws a
 * `ClusterViewState` (`cluster-view.ts`) and nothing else, and redraws only
 * when the state's last record or the size changes.
 */
import { Container, Graphics, Text, TextStyle, type Application } from 'pixi.js';
import { formatBytes } from './byte-units.js';
import type { ClusterViewState } from './cluster-view.js';
import { FRAME, TEXT, TEXT_MUTED } from './palette.js';
import { startPixi, type RendererName } from './pixi-app.js';

const FONT = 'system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif';

/** Fill colour of a VM by its state. */
export const VM_STATE_COLOURS: Readonly<Record<string, number>> = {
  running: 0x2f9e44,
  frozen: 0x1c7ed6,
  blackout: 0xf08c00,
  saving: 0x5f3dc4,
  moving: 0x5f3dc4,
  restoring: 0x5f3dc4,
  'saved-for-backup': 0x5f3dc4,
  failed: 0xc92a2a,
  booting: 0xe8a500,
  'starting-services': 0xe8a500,
  stopped: 0x5c636a,
};


export class ClusterScene {
  private readonly root = new Container();
  private drawnSeq = -2;
  private drawnHost = '';
  /** Each host's column as last drawn (for `hostAt`). */
  private hostRects: { id: string; x: number; y: number; w: number; h: number }[] = [];
  private width: number;
  private height: number;

  private constructor(
    private readonly app: Application,
    readonly rendererName: RendererName,
    width: number,
    height: number,
    private fontSize: number,
  ) {
    this.width = width;
    this.height = height;
    app.stage.addChild(this.root);
  }

  static async create(host: HTMLElement, renderer: RendererName, width: number, height: number, fontSize = 14): Promise<ClusterScene> {
    const { app, rendererName } = await startPixi(host, renderer, width, height);
    return new ClusterScene(app, rendererName, width, height, fontSize);
  }

  get canvas(): HTMLCanvasElement {
    return this.app.canvas;
  }

  /**
   * The labels drawn past the right edge of the box they start in (a host,
   * or the bars along the bottom), as `label (right edge > box edge)`: none
   * once every label fits (browser tests check it on the cluster scenarios).
   */
  get overflowingText(): string[] {
    const out: string[] = [];
    for (const child of this.root.children) {
      if (!(child instanceof Text) || !child.visible) continue;
      const left = child.x;
      const top = child.y;
      const host = this.hostRects.find((r) => left >= r.x && left < r.x + r.w && top >= r.y && top < r.y + r.h);
      const edge = host !== undefined ? host.x + host.w : this.width - Math.round(this.fontSize * 0.8);
      const right = left + child.width;
      if (right > edge + 0.5) out.push(`${child.text} (${Math.round(right)} > ${Math.round(edge)})`);
    }
    return out;
  }

  /** The smallest text it draws, in px (host status, VM states, the hint). */
  get smallestTextPx(): number {
    return Math.round(this.fontSize * 0.8);
  }

  /** The main text size in px (the smallest text is 0.8 of it); redraws when it changes. */
  setFontSize(px: number): void {
    if (px === this.fontSize) return;
    this.fontSize = px;
    this.drawnSeq = -2;
  }

  resize(width: number, height: number): void {
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    this.app.renderer.resize(width, height);
    this.drawnSeq = -2;
  }

  destroy(): void {
    this.app.destroy(true, { children: true });
  }

  /** The host whose column is at (x, y) in CSS pixels of the canvas, or null. */
  hostAt(x: number, y: number): string | null {
    return this.hostRects.find((r) => x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h)?.id ?? null;
  }

  /** Draws `s` (a no-op when nothing changed since the last draw); `ioViewHost`: the host the I/O view shows (default the detailed one). */
  draw(s: ClusterViewState, ioViewHost = s.ioHost): void {
    if (s.lastSeq === this.drawnSeq && ioViewHost === this.drawnHost) return;
    this.drawnSeq = s.lastSeq;
    this.drawnHost = ioViewHost;
    this.hostRects = [];
    for (const child of this.root.removeChildren()) child.destroy({ children: true });
    const fs = this.fontSize;
    const style = (size: number, fill: number, bold = false): TextStyle => new TextStyle({ fontFamily: FONT, fontSize: size, fill, fontWeight: bold ? '600' : '400' });
    const text = (content: string, x: number, y: number, size: number, fill: number, bold = false): Text => {
      const t = new Text({ text: content, style: style(size, fill, bold) });
      t.position.set(Math.round(x), Math.round(y));
      this.root.addChild(t);
      return t;
    };
    const g = new Graphics();
    this.root.addChild(g);
    const pad = Math.round(fs * 0.8);
    if (!s.formed) {
      text('No cluster yet: step forward to the first cluster record.', pad, pad, fs, TEXT_MUTED);
      this.app.render();
      return;
    }
    const netH = fs * 5.2;
    const bottom = Math.round(netH + fs * 2.6 + pad);
    const hostsH = this.height - bottom - pad * 1.5;
    const n = Math.max(1, s.hosts.length);
    const colW = (this.width - pad * (n + 1)) / n;
    const xOf = new Map<string, number>();
    s.hosts.forEach((h, i) => {
      const x = pad + i * (colW + pad);
      xOf.set(h.id, x);
      this.hostRects.push({ id: h.id, x, y: pad, w: colW, h: hostsH });
      const grey = !h.alive;
      const chosen = h.id === ioViewHost;
      g.roundRect(x, pad, colW, hostsH, 6).fill({ color: grey ? 0x2b2f36 : 0x152232 }).stroke({ width: chosen ? 3 : 1.5, color: grey ? 0x495057 : chosen ? 0x4cc9f0 : FRAME });
      const title = `Host ${h.id}`;
      const roles = [chosen ? 'I/O view' : '', h.id === s.ioHost && !chosen ? 'detailed I/O' : '', s.storage === 'csv' && h.id === s.coordinator ? 'CSV coordinator' : ''].filter((x) => x !== '').join(' · ');
      text(title, x + pad, pad + pad * 0.6, fs, grey ? TEXT_MUTED : TEXT, true);
      // heartbeat: a dot, red with the beats missed, crossed when declared down
      const dotX = x + colW - pad * 1.4;
      const dotY = pad + pad * 0.6 + fs * 0.6;
      g.circle(dotX, dotY, fs * 0.45).fill({ color: h.alive ? 0x51cf66 : 0xfa5252 });
      const beat = h.declared ? 'DOWN (declared)' : !h.alive ? `FAILED · silent, ${h.missed} heartbeats missed` : `heartbeat ${s.round}`;
      const inner = colW - pad * 2;
      const statusY = pad + pad * 0.6 + fs * 1.5;
      const statusSize = Math.round(fs * 0.85);
      const statusFill = h.alive ? TEXT_MUTED : 0xff8787;
      const status = text(roles === '' ? beat : `${beat} · ${roles}`, x + pad, statusY, statusSize, statusFill);
      // A narrow host (three or more at 1366 px) puts its roles on a line of their own, and the VMs one line lower.
      let below = 0;
      if (status.width > inner && roles !== '') {
        status.text = beat;
        fitText(text(roles, x + pad, statusY + fs * 0.95, statusSize, statusFill), inner);
        below = fs * 0.95;
      }
      if (status.width > inner && !h.alive && !h.declared) status.text = `FAILED · ${h.missed} missed`;
      fitText(status, inner);
      const vms = s.vms.filter((v) => v.host === h.id);
      const rowH = Math.round(fs * 2.4);
      vms.forEach((v, j) => {
        const y = pad + fs * 4 + below + j * (rowH + 6);
        if (y + rowH > pad + hostsH) return;
        const colour = VM_STATE_COLOURS[v.state] ?? FRAME;
        g.roundRect(x + pad, y, colW - pad * 2, rowH, 4).fill({ color: colour, alpha: grey ? 0.35 : 0.85 });
        const db = s.databasesOn === v.id ? ' · databases' : '';
        const backup = s.backups.find((b) => b.vm === v.id);
        const room = colW - pad * 3.2;
        const name = text(`${v.id} · ${formatBytes(v.memoryBytes)}`, x + pad * 1.6, y + rowH * 0.12, fs, TEXT, true);
        if (name.width > room) name.text = v.id; // the name first: the memory is in the inspector and the records
        fitText(name, room);
        fitText(text(`${v.state}${db}${backup === undefined ? '' : ` · backup: ${backup.step}`}`, x + pad * 1.6, y + rowH * 0.12 + fs * 1.05, Math.round(fs * 0.8), TEXT), room);
      });
    });
    // the migration network and the storage, along the bottom
    const y0 = this.height - bottom;
    g.roundRect(pad, y0, this.width - pad * 2, netH, 6).fill({ color: 0x1b2a3a }).stroke({ width: 1, color: FRAME });
    text(`Migration network ${s.linkGbps} Gb/s`, pad * 1.6, y0 + fs * 0.3, fs, TEXT, true);
    const barW = this.width - pad * 4;
    s.migrations.slice(0, 2).forEach((m, i) => {
      const y = y0 + fs * 1.6 + i * fs * 1.75;
      const share = m.memoryBytes === 0 ? 0 : Math.min(1, m.leftBytes / m.memoryBytes);
      text(`${m.vm}: ${m.from} → ${m.to} (${m.method}) · ${m.phase} · ${formatBytes(m.leftBytes)} of ${formatBytes(m.memoryBytes)} to move`, pad * 2, y, Math.round(fs * 0.8), TEXT);
      g.rect(pad * 2, y + fs * 1.0, barW, fs * 0.45).fill({ color: 0x0d1620 });
      g.rect(pad * 2, y + fs * 1.0, Math.max(2, barW * share), fs * 0.45).fill({ color: m.phase === 'blackout' ? 0xf08c00 : 0x4cc9f0 });
    });
    if (s.migrations.length > 2) text(`and ${s.migrations.length - 2} more`, this.width - pad * 10, y0 + fs * 0.3, Math.round(fs * 0.8), TEXT_MUTED);
    if (s.migrations.length === 0) text('idle', pad * 2, y0 + fs * 1.6, Math.round(fs * 0.85), TEXT_MUTED);
    const ys = y0 + netH + fs * 0.3;
    g.roundRect(pad, ys, this.width - pad * 2, fs * 2.2, 6).fill({ color: 0x22223a }).stroke({ width: 1, color: FRAME });
    const access = s.csvRedirectedBy.length === 0 ? 'Direct I/O' : `REDIRECTED through ${s.coordinator} (backup of ${s.csvRedirectedBy.join(', ')})`;
    const shared = s.storage === 'csv' ? `Cluster Shared Volume (coordinator ${s.coordinator}) · ${access}` : 'Shared storage: one LUN per VM';
    const storage = s.quorumLost ? 'QUORUM LOST: the cluster service stopped on every node' : shared;
    const waiting = s.clientsWaiting.length === 0 ? '' : ` · clients waiting: ${s.clientsWaiting.join(', ')}`;
    const label = text(`${storage}${waiting}`, pad * 1.6, ys + fs * 0.55, fs, TEXT);
    const hint = text('Click a host to open its I/O view', 0, ys + fs * 0.6, Math.round(fs * 0.8), TEXT_MUTED);
    hint.x = Math.round(this.width - pad * 1.6 - hint.width);
    // The storage line says what matters (redirected access, clients waiting): the hint gives way to it, and a line
    // still wider than its box is narrowed to fit rather than run past it.
    if (label.x + label.width + fs > hint.x) hint.visible = false;
    const room = this.width - pad * 3.2;
    if (label.width > room) label.scale.x = room / label.width;
    this.app.render();
  }
}

/** Shortens `t` with an ellipsis until it is at most `max` px wide (a label that would run out of its box). */
export function fitText(t: Text, max: number): void {
  if (t.width <= max || max <= 0) return;
  const full = t.text;
  let lo = 0;
  let hi = full.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    t.text = `${full.slice(0, mid).trimEnd()}…`;
    if (t.width <= max) lo = mid;
    else hi = mid - 1;
  }
  t.text = lo === 0 ? '…' : `${full.slice(0, lo).trimEnd()}…`;
}
