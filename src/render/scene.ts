/**
 * The canvas: the topology as a static picture and the packets in flight
 * moving over it (pixi v8).
 *
 * Layers, bottom to top (STYLE §4.6):
 * - static: band strips and labels, partition frames and titles, links,
 *   place boxes (`backdrop.ts`). Built once per size and rendered once into an image that
 *   becomes the canvas's CSS background; the layer itself is then hidden.
 *   On software WebGL (SwiftShader) one full-canvas textured quad costs
 *   about 30 ms a frame, which the browser's compositor does for free, so
 *   this makes frames about ten times cheaper there. If the image cannot be
 *   made, the layer stays in the scene, cached as a texture on WebGL.
 * - flash: one pooled highlight over the place of the last record, fading
 *   as the step progresses and leaving an outline while paused.
 * - trail (reduced motion): the places the current request has visited so
 *   far, joined by a line in its packet colour, so a still frame tells
 *   where it has been.
 * - packets: one Sprite per request in flight, all sharing one baked
 *   texture, tinted by stream; the sprites are pooled.
 * - labels: the place names (Text with a dark outline, above the packets,
 *   so a packet never hides one), refitted only when the counter beside
 *   one gains or loses a digit. A label naming a VM is never cut: it is
 *   shortened to the VM's tag (①), which the column titles and the packet
 *   legend explain.
 * - counters: BitmapText per place (records seen) and per partition (exits,
 *   interrupts), rewritten only when a value changes.
 * - follow shade (when stepping follows one VM or request): over the static
 *   picture, the other VMs' columns and the root places serving them are
 *   shaded and their labels faint; packets not followed are drawn faint.
 *   Drawn when the follow or the size changes, never per frame.
 *
 * The scene reads a ViewState and nothing else; it never changes it. The
 * app owns the clock: it calls `draw(view, progress)` each frame.
 */
import { BitmapText, CanvasTextMetrics, Container, Graphics, Rectangle, Sprite, Text, TextStyle, Texture, type Application } from 'pixi.js';
import type { Topology } from '../model/topology.js';
import { canvasStyle, drawBackdrop, FONT, servedVm, writeColumnStats, type ColumnStats } from './backdrop.js';
import { fitWithCounter, labelForms, vmTag } from './labels.js';
import { layoutTopology, type Layout, type LayoutOptions, type PlaceBox } from './layout.js';
import { BACKGROUND, StreamPalette, TEXT, TEXT_MUTED, flashColor } from './palette.js';
import { bakePacketTexture, startPixi, type RendererName } from './pixi-app.js';
import type { ViewState } from './view-state.js';
import { lpLaneText, lpOfPlace, lpRunner } from './lp-lanes.js';
import { ElsewhereVms } from './elsewhere-vms.js';

export interface SceneOptions {
  renderer: RendererName;
  width: number;
  height: number;
  /** Packets jump instead of gliding, the flash does not fade, and the current request's path is drawn (prefers-reduced-motion). */
  reducedMotion?: boolean;
  /** Text size floor and title rows (the projector view asks for 16 px and two-line titles). */
  layout?: LayoutOptions;
}

/** What stepping follows, as the canvas needs it: the VM, and whether a packet is followed (called per packet per frame: must not allocate). */
export interface FollowedView {
  readonly target: { readonly vm: string };
  followsPacket(stream: string, flow: number): boolean;
}

/** The alpha of a packet, and of a label, that is not followed. */
const UNFOLLOWED_PACKET_ALPHA = 0.22;
const UNFOLLOWED_LABEL_ALPHA = 0.45;

export class Scene {
  private layout: Layout;
  private readonly staticLayer = new Container();
  /** Place labels: static text, refitted when a counter beside one gains a digit. */
  private readonly labelLayer = new Container();
  private readonly flashLayer = new Container();
  private readonly counterLayer = new Container();
  private readonly packetLayer = new Container();
  private readonly trail = new Graphics();
  /** The places of the trail drawn now, joined (to redraw only on change). */
  private trailKey = '';
  private trailPlaces: readonly string[] = [];
  private trailStream = '';
  /** Each child VM's tag (①, ②…) by VM id, in column order. */
  private readonly tags = new Map<string, string>();
  private readonly flashFill = new Sprite(Texture.WHITE);
  private readonly flashEdges = [new Sprite(Texture.WHITE), new Sprite(Texture.WHITE), new Sprite(Texture.WHITE), new Sprite(Texture.WHITE)];
  private packetTexture: Texture;
  private readonly packets: Sprite[] = [];
  /** The tint each packet sprite has now: pixi v8 re-parses a colour on every `tint` write, so write only on change. */
  private readonly packetTints: number[] = [];
  private readonly palette: StreamPalette;
  /** Place index by id, and the centres by index (x at 2i, y at 2i+1). */
  private readonly placeIndex = new Map<string, number>();
  private centres = new Float64Array(0);
  private counters: BitmapText[] = [];
  private counterValues: number[] = [];
  private labels: Text[] = [];
  /** Digits of the counter each label was fitted beside (-1: not yet). */
  private labelDigits: number[] = [];
  private boxes: PlaceBox[] = [];
  private labelStyle: TextStyle | null = null;
  /** Width reserved for a counter of n digits, by n. */
  private digitWidths: number[] = [0];
  private columnStats: ColumnStats[] = [];
  /** LP places (the credit scheduler's lanes) as [place index, LP number], their texts now, and the bars in the runners' colours. */
  private lpPlaces: [number, number][] = [];
  private lpTexts: string[] = [];
  private lpBars = new Graphics();
  private packetRadius = 8;
  /** The cursor of the last draw; where each flow in flight stood then; the flows that moved since. */
  private drawnCursor = -1;
  private readonly seenAt = new Map<number, string>();
  private readonly gliding = new Set<number>();
  private lastView: ViewState | null = null;
  private lastProgress = 1;
  private destroyed = false;
  /** What is followed, or null; and the shade over what is not. */
  private followed: FollowedView | null = null;
  /** VMs on another host of a cluster at the cursor (`setElsewhere`); the VMs the shade covers now (not followed, or elsewhere). */
  private readonly elsewhere = new ElsewhereVms();
  private shadedVms: string[] = [];
  private readonly followShade = new Graphics();

  private constructor(
    private readonly app: Application,
    readonly rendererName: RendererName,
    private readonly topology: Topology,
    private reducedMotion: boolean,
    private layoutOptions: LayoutOptions,
  ) {
    this.layout = layoutTopology(topology, app.screen.width, app.screen.height, layoutOptions);
    const children = topology.partitions.filter((p) => p.kind === 'child').map((p) => p.id);
    children.forEach((id, i) => this.tags.set(id, vmTag(i)));
    this.palette = new StreamPalette(children);
    topology.places.forEach((p, i) => this.placeIndex.set(p.id, i));
    this.packetTexture = Texture.EMPTY;
    app.stage.addChild(this.staticLayer, this.followShade, this.flashLayer, this.trail, this.packetLayer, this.labelLayer, this.counterLayer);
    this.flashLayer.addChild(this.flashFill, ...this.flashEdges);
    this.flashLayer.visible = false;
    this.build();
  }

  /** Starts pixi in `host` and draws the static picture of `topology`. */
  static async create(host: HTMLElement, topology: Topology, options: SceneOptions): Promise<Scene> {
    // Transparent and without multisampling: the canvas draws only textures over its CSS backdrop.
    const { app, rendererName } = await startPixi(host, options.renderer, Math.max(1, Math.round(options.width)), Math.max(1, Math.round(options.height)), {
      transparent: true,
      antialias: false,
    });
    app.canvas.setAttribute('role', 'img');
    app.canvas.setAttribute('aria-label', 'The Hyper-V host: child partitions and the root partition side by side over the hypervisor and hardware, with requests moving between places');
    const scene = new Scene(app, rendererName, topology, options.reducedMotion ?? false, options.layout ?? {});
    scene.app.render();
    return scene;
  }

  /**
   * Fixes the packet colour of each of `streams`, in order (call once with
   * the run's streams so colours do not depend on where playback starts),
   * and returns them as 0xRRGGBB: the packet legend.
   */
  streamColours(streams: readonly string[]): number[] {
    return streams.map((s) => this.palette.colorOf(s));
  }

  /** Each child VM's tag (①, ②…), as the canvas writes it in titles and shortened labels. */
  get vmTags(): ReadonlyMap<string, string> {
    return this.tags;
  }

  /** The VMs whose column title is their tag alone (their name did not fit): VM id → tag, for the legend. */
  readonly shortTitles = new Map<string, string>();

  /**
   * The places the current request has visited, oldest first, drawn joined
   * in `stream`'s colour while motion is reduced (empty: none).
   */
  setTrail(places: readonly string[], stream: string): void {
    this.trailPlaces = places;
    this.trailStream = stream;
  }

  /** Shades the VMs on another host at the cursor (a cluster's I/O view of one host), their packets faint, as VMs not followed are. */
  setElsewhere(vms: ReadonlySet<string>): void {
    if (!this.elsewhere.set(vms) || this.destroyed) return;
    this.drawFollowShade();
    if (this.lastView !== null) this.draw(this.lastView, this.lastProgress);
  }

  /** Shades what is not `followed` (null: nothing) and redraws. */
  setFollowed(followed: FollowedView | null): void {
    this.followed = followed;
    if (this.destroyed) return;
    this.drawFollowShade();
    if (this.lastView !== null) this.draw(this.lastView, this.lastProgress);
  }

  /** Changes the text floor, title rows or motion, and lays the picture out again. */
  configure(options: { layout?: LayoutOptions; reducedMotion?: boolean }): void {
    if (this.destroyed) return;
    if (options.reducedMotion !== undefined) this.reducedMotion = options.reducedMotion;
    if (options.layout !== undefined) {
      this.layoutOptions = options.layout;
      this.layout = layoutTopology(this.topology, this.app.screen.width, this.app.screen.height, this.layoutOptions);
      this.build();
    }
    this.trailKey = '';
    if (this.lastView !== null) this.draw(this.lastView, this.lastProgress);
  }

  get canvas(): HTMLCanvasElement {
    return this.app.canvas;
  }

  /**
   * Draws `view` with the current step `progress` ∈ [0, 1] done (1 = every
   * packet has arrived). On the first draw, and whenever the cursor has
   * moved forward since the last draw, each packet whose place changed
   * since then (on the first draw: each packet not at its `from`) glides
   * from the centre of its `from` to the centre of its `place`; every other
   * packet sits at its place, and after a step or seek back all of them do.
   * The place of the last record flashes, fading with `progress`; the
   * per-place and per-partition counters follow the view.
   */
  draw(view: ViewState, progress: number): void {
    if (this.destroyed) return;
    const p = this.reducedMotion ? 1 : Math.min(1, Math.max(0, Number.isFinite(progress) ? progress : 1));
    if (view.cursor !== this.drawnCursor) this.noteMoves(view);
    this.lastView = view;
    this.lastProgress = p;
    this.drawTrail();
    this.drawPackets(view, p);
    this.drawFlash(view, p);
    this.drawCounters(view);
    this.app.render();
  }

  /** Resizes the canvas (CSS pixels) and lays the picture out again. */
  resize(width: number, height: number): void {
    if (this.destroyed) return;
    this.app.renderer.resize(Math.max(1, Math.round(width)), Math.max(1, Math.round(height)));
    this.layout = layoutTopology(this.topology, this.app.screen.width, this.app.screen.height, this.layoutOptions);
    this.build();
    this.trailKey = '';
    if (this.lastView !== null) this.draw(this.lastView, this.lastProgress);
    else this.app.render();
  }

  /** The place labels as drawn, by place id, and the column titles (for tests: nothing may be cut that names a VM). */
  get drawnText(): { labels: Record<string, string>; titles: string[]; trail: number; shaded: string[] } {
    const labels: Record<string, string> = {};
    this.topology.places.forEach((p, i) => (labels[p.id] = this.labels[i]?.text ?? ''));
    return { labels, titles: this.columnStats.map((c) => `${c.title.text} | ${c.text.text}`), trail: this.trailKey === '' ? 0 : this.trailPlaces.length, shaded: [...this.shadedVms] };
  }

  /** The packets' radius in CSS px (it follows the text size). */
  get packetSize(): number {
    return this.packetRadius;
  }

  /** The layout in use (read-only; for tests and hit areas). */
  get currentLayout(): Layout {
    return this.layout;
  }

  /** Stops drawing and frees the canvas and its GPU resources. Global pixi pools stay, for other scenes alive at the time. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.app.destroy({ removeView: true }, { children: true });
    this.packetTexture.destroy(true);
  }

  // --- Building the static picture ---

  private build(): void {
    const L = this.layout;
    const m = L.metrics;
    this.staticLayer.cacheAsTexture(false);
    for (const child of this.staticLayer.removeChildren()) child.destroy({ children: true });
    for (const child of this.counterLayer.removeChildren()) child.destroy();
    for (const child of this.labelLayer.removeChildren()) child.destroy();

    const backdrop = drawBackdrop(this.staticLayer, L, this.topology, this.tags, this.palette);
    this.shortTitles.clear();
    for (const [partition, tag] of backdrop.shortTitles) this.shortTitles.set(partition, tag);
    // Each title row's counters: exits and interrupts beside the name, or under it on a two-line title.
    this.columnStats = backdrop.titles.map(({ partition, title, box }) => {
      const stats = new BitmapText({ text: '', style: { fontFamily: FONT, fontSize: m.fontSize, fill: TEXT_MUTED } });
      if (m.twoLineTitles) {
        // Under the name; beside its second line, at the right, when the name takes two lines.
        const wrapped = title.text.includes('\n');
        stats.anchor.set(wrapped ? 1 : 0, 1);
        stats.position.set(wrapped ? box.x + box.w : box.x, box.y + box.h - Math.round(m.fontSize * 0.1));
      } else {
        stats.anchor.set(1, 0.5);
        stats.position.set(box.x + box.w, box.y + box.h / 2);
      }
      this.counterLayer.addChild(stats);
      return { partition, text: stats, title, box, exits: -1, interrupts: -1, state: '' };
    });

    // Place labels and counters.
    this.labelStyle = canvasStyle(m.fontSize, TEXT, 'normal');
    this.labelStyle.lineHeight = m.lineHeight;
    // A dark outline keeps a label readable where a packet passes under it.
    this.labelStyle.stroke = { color: BACKGROUND, width: Math.max(2, Math.round(m.fontSize * 0.2)), join: 'round' };
    this.digitWidths = [0];
    this.centres = new Float64Array(this.topology.places.length * 2);
    this.counters = [];
    this.counterValues = [];
    this.labels = [];
    this.labelDigits = [];
    this.boxes = [];
    // Packets as large as the text is tall, so they can be followed from the back of a room.
    const radius = Math.round(m.fontSize * 0.62);
    for (const box of L.places) {
      const i = this.placeIndex.get(box.id)!;
      this.boxes[i] = box;
      this.labels[i] = new Text({ text: '', style: this.labelStyle });
      this.counters[i] = new BitmapText({ text: '', style: { fontFamily: FONT, fontSize: m.fontSize, fill: TEXT_MUTED } });
      this.counterValues[i] = 0;
      this.labelDigits[i] = -1;
      this.fitPlace(i, 0);
      this.labelLayer.addChild(this.labels[i]!);
      this.counterLayer.addChild(this.counters[i]!);
      this.centres[2 * i] = box.x + box.w / 2;
      this.centres[2 * i + 1] = box.y + box.h / 2;
    }

    // LP lanes: who runs on each LP and who waits (lp-lanes.ts); under the dedicated scheduler there are none.
    this.lpPlaces = [];
    this.topology.places.forEach((p, i) => {
      const lp = lpOfPlace(p.id);
      if (lp !== null) this.lpPlaces.push([i, lp]);
    });
    this.lpTexts = this.lpPlaces.map(() => '');
    this.lpBars = new Graphics();
    this.counterLayer.addChild(this.lpBars);

    // The packet texture follows the text size.
    if (radius !== this.packetRadius || this.packetTexture === Texture.EMPTY) {
      const old = this.packetTexture;
      this.packetRadius = radius;
      this.packetTexture = bakePacketTexture(this.app.renderer, radius);
      for (const s of this.packets) s.texture = this.packetTexture;
      if (old !== Texture.EMPTY) old.destroy(true);
    }

    this.drawFollowShade();
    this.paintBackdrop();
  }

  /** The shade over the columns of VMs not followed and the root places serving them; their labels faint. */
  private drawFollowShade(): void {
    const g = this.followShade;
    g.clear();
    const vm = this.followed?.target.vm ?? null;
    const other = (partition: string | undefined): boolean =>
      partition !== undefined && this.tags.has(partition) && ((vm !== null && partition !== vm) || this.elsewhere.has(partition));
    this.shadedVms = [...this.tags.keys()].filter((partition) => other(partition));
    for (const col of this.layout.columns) if (other(col.partition)) g.rect(col.frame.x, col.frame.y, col.frame.w, col.frame.h).fill({ color: BACKGROUND, alpha: 0.6 });
    for (const box of this.layout.places) {
      const served = servedVm(box);
      const dim = other(box.partition) || (box.partition !== served && other(served));
      if (dim && !other(box.partition)) g.rect(box.x, box.y, box.w, box.h).fill({ color: BACKGROUND, alpha: 0.6 });
      const i = this.placeIndex.get(box.id);
      if (i === undefined) continue;
      const alpha = dim ? UNFOLLOWED_LABEL_ALPHA : 1;
      if (this.labels[i] !== undefined) this.labels[i]!.alpha = alpha;
      if (this.counters[i] !== undefined) this.counters[i]!.alpha = alpha;
    }
  }

  /** Renders the static layer once into the canvas's CSS background (see the file comment). */
  private paintBackdrop(): void {
    const canvas = this.app.canvas;
    canvas.style.backgroundImage = '';
    this.staticLayer.visible = true;
    try {
      const image = this.app.renderer.extract.canvas({
        target: this.staticLayer,
        frame: new Rectangle(0, 0, this.layout.width, this.layout.height),
        resolution: this.app.renderer.resolution,
        antialias: true,
      }) as HTMLCanvasElement;
      canvas.style.backgroundImage = `url("${image.toDataURL('image/png')}")`;
      canvas.style.backgroundSize = '100% 100%';
      canvas.style.backgroundRepeat = 'no-repeat';
      this.staticLayer.visible = false;
    } catch {
      if (this.rendererName === 'webgl') this.staticLayer.cacheAsTexture({ antialias: true });
    }
  }

  /** Whether the static picture is the canvas's CSS background (true) or drawn by pixi each frame. */
  get backdropIsImage(): boolean {
    return !this.staticLayer.visible;
  }

  /**
   * Fits place `i`'s label beside a counter of `digits` digits (0: no
   * counter) and positions both. Runs when the counter's width changes, so
   * a label uses the room a short or empty counter leaves.
   */
  private fitPlace(i: number, digits: number): void {
    if (this.labelDigits[i] === digits) return;
    this.labelDigits[i] = digits;
    const box = this.boxes[i]!;
    const m = this.layout.metrics;
    const style = this.labelStyle!;
    while (this.digitWidths.length <= digits) {
      const d = this.digitWidths.length;
      this.digitWidths.push(CanvasTextMetrics.measureText('0'.repeat(d), style).width + m.boxPad);
    }
    const measure = (s: string): number => CanvasTextMetrics.measureText(s, style).width;
    const forms = labelForms(box.fullLabel, this.tags, box.role);
    // A box too narrow for its label beside the counter drops the counter first: what a box is matters more than how often it was passed.
    const { label: fitted, counter: counted } = fitWithCounter(forms, box.lineWidth, digits > 0 ? this.digitWidths[digits]! : 0, box.twoLine, measure);
    const label = this.labels[i]!;
    const counter = this.counters[i]!;
    counter.visible = counted;
    const text = fitted.lines.join('\n');
    if (label.text !== text) label.text = text;
    if (fitted.centred) {
      label.anchor.set(0, 0.5);
      label.position.set(box.x + m.boxPad, box.y + box.h / 2);
      counter.anchor.set(1, 0.5);
      counter.position.set(box.x + box.w - m.boxPad, box.y + box.h / 2);
    } else {
      const inset = Math.max(1, (box.h - 2 * m.lineHeight) / 2);
      label.anchor.set(0, 0);
      label.position.set(box.x + m.boxPad, box.y + inset);
      counter.anchor.set(1, 0.5);
      counter.position.set(box.x + box.w - m.boxPad, box.y + inset + m.lineHeight * 1.5);
    }
  }

  // --- Per frame ---

  /** On a new cursor: which flows moved since the last drawn cursor (see draw). */
  private noteMoves(view: ViewState): void {
    const forward = this.drawnCursor < 0 || view.cursor > this.drawnCursor;
    this.gliding.clear();
    for (const key in view.packets) {
      const packet = view.packets[key]!;
      const seen = this.seenAt.get(packet.flow);
      // A flow first seen mid-way glides in from its previous place, if the view knows one.
      if (forward && packet.from !== packet.place && (seen === undefined || seen !== packet.place)) this.gliding.add(packet.flow);
    }
    this.seenAt.clear();
    for (const key in view.packets) this.seenAt.set(view.packets[key]!.flow, view.packets[key]!.place);
    this.drawnCursor = view.cursor;
  }

  /** The current request's path so far, while motion is reduced; redrawn only when it changes. */
  private drawTrail(): void {
    const places = this.reducedMotion ? this.trailPlaces : [];
    const key = places.length < 2 ? '' : `${this.trailStream}|${places.join(' ')}`;
    if (key === this.trailKey) return;
    this.trailKey = key;
    this.trail.clear();
    if (key === '') return;
    const color = this.palette.colorOf(this.trailStream);
    const width = Math.max(3, Math.round(this.layout.metrics.fontSize * 0.3));
    let first = true;
    for (const id of places) {
      const i = this.placeIndex.get(id);
      if (i === undefined) continue;
      const x = this.centres[2 * i]!;
      const y = this.centres[2 * i + 1]!;
      if (first) this.trail.moveTo(x, y);
      else this.trail.lineTo(x, y);
      first = false;
    }
    this.trail.stroke({ width, color, alpha: 0.85, join: 'round', cap: 'round' });
    for (const id of new Set(places)) {
      const i = this.placeIndex.get(id);
      if (i === undefined) continue;
      this.trail.circle(this.centres[2 * i]!, this.centres[2 * i + 1]!, width * 1.2).fill({ color, alpha: 0.9 });
    }
  }

  private drawPackets(view: ViewState, progress: number): void {
    const r = this.packetRadius;
    let used = 0;
    for (const key in view.packets) {
      const packet = view.packets[key]!;
      const to = this.placeIndex.get(packet.place);
      if (to === undefined) continue;
      const from = this.placeIndex.get(packet.from) ?? to;
      let sprite = this.packets[used];
      if (sprite === undefined) {
        sprite = new Sprite(this.packetTexture);
        sprite.anchor.set(0.5);
        this.packets.push(sprite);
        this.packetLayer.addChild(sprite);
      }
      used++;
      const t = this.gliding.has(packet.flow) ? progress : 1;
      const x0 = this.centres[2 * from]!;
      const y0 = this.centres[2 * from + 1]!;
      const x1 = this.centres[2 * to]!;
      const y1 = this.centres[2 * to + 1]!;
      // A small offset per flow keeps packets at one place apart.
      const flow = packet.flow;
      const ox = ((flow * 7) % 5) - 2;
      const oy = ((flow * 3) % 3) - 1;
      sprite.position.set(x0 + (x1 - x0) * t + ox * r * 0.9, y0 + (y1 - y0) * t + oy * r * 0.6);
      const tint = this.palette.colorOf(packet.stream);
      if (this.packetTints[used - 1] !== tint) {
        sprite.tint = tint;
        this.packetTints[used - 1] = tint;
      }
      if (!sprite.visible) sprite.visible = true;
      const alpha = (this.followed === null || this.followed.followsPacket(packet.stream, packet.flow)) && !this.elsewhere.holdsStream(packet.stream) ? 1 : UNFOLLOWED_PACKET_ALPHA;
      if (sprite.alpha !== alpha) sprite.alpha = alpha;
    }
    for (let i = used; i < this.packets.length; i++) if (this.packets[i]!.visible) this.packets[i]!.visible = false;
  }

  private drawFlash(view: ViewState, progress: number): void {
    const last = view.last;
    const box = last === null ? undefined : this.layout.byId.get(last.place);
    if (last === null || box === undefined) {
      this.flashLayer.visible = false;
      return;
    }
    this.flashLayer.visible = true;
    const color = flashColor(last.kind);
    const edge = Math.max(2, Math.round(this.layout.metrics.fontSize * 0.2));
    placeSprite(this.flashFill, box.x, box.y, box.w, box.h);
    placeSprite(this.flashEdges[0]!, box.x - edge, box.y - edge, box.w + 2 * edge, edge);
    placeSprite(this.flashEdges[1]!, box.x - edge, box.y + box.h, box.w + 2 * edge, edge);
    placeSprite(this.flashEdges[2]!, box.x - edge, box.y, edge, box.h);
    placeSprite(this.flashEdges[3]!, box.x + box.w, box.y, edge, box.h);
    this.flashFill.tint = color;
    this.flashFill.alpha = this.reducedMotion ? 0.15 : 0.45 * (1 - progress);
    const edgeAlpha = this.reducedMotion ? 0.9 : 1 - 0.35 * progress;
    for (const s of this.flashEdges) {
      s.tint = color;
      s.alpha = edgeAlpha;
    }
  }

  private drawCounters(view: ViewState): void {
    const places = this.topology.places;
    if (this.lpPlaces.length > 0) this.drawLpLanes(view);
    for (let i = 0; i < places.length; i++) {
      if (this.lpTexts.length > 0 && lpOfPlace(places[i]!.id) !== null) continue; // an LP lane: drawLpLanes writes it
      const n = view.placeCounts[places[i]!.id] ?? 0;
      if (n === this.counterValues[i]) continue;
      this.counterValues[i] = n;
      const text = n === 0 ? '' : String(n);
      this.fitPlace(i, text.length);
      this.counters[i]!.text = text;
    }
    for (const stats of this.columnStats) {
      const exits = view.exits[stats.partition] ?? 0;
      const interrupts = view.interrupts[stats.partition] ?? 0;
      const state = view.vmStates[stats.partition]?.state ?? '';
      if (exits === stats.exits && interrupts === stats.interrupts && state === stats.state) continue;
      stats.exits = exits;
      stats.interrupts = interrupts;
      stats.state = state;
      writeColumnStats(stats, this.layout.metrics);
    }
  }

  /** Each LP lane's text (the running VP and how many wait) and a bar in the running VM's colour along its foot. */
  private drawLpLanes(view: ViewState): void {
    let changed = false;
    this.lpPlaces.forEach(([i, lp], n) => {
      const text = lpLaneText(view.lps[lp], this.tags);
      if (text === this.lpTexts[n]) return;
      this.lpTexts[n] = text;
      changed = true;
      this.fitPlace(i, text.length);
      this.counters[i]!.text = text;
    });
    if (!changed) return;
    const g = this.lpBars.clear();
    const bar = Math.max(3, Math.round(this.layout.metrics.fontSize * 0.3));
    for (const [i, lp] of this.lpPlaces) {
      const runner = lpRunner(view.lps[lp]);
      const box = this.boxes[i];
      if (runner === null || box === undefined) continue;
      const colour = runner.vm === 'root' ? TEXT_MUTED : this.palette.vmColour(runner.vm);
      g.rect(box.x + 2, box.y + box.h - bar - 2, box.w - 4, bar).fill(colour);
    }
  }
}

function placeSprite(s: Sprite, x: number, y: number, w: number, h: number): void {
  s.position.set(x, y);
  s.width = w;
  s.height = h;
}
