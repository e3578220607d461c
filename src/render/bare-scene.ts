/**
 * A bare pixi scene for the render benchmark: `count` packet sprites moving
 * between fixed points exactly as the Scene moves them (one baked texture,
 * tinted, pooled, positions set per frame), with no topology, text or
 * flash. Comparing its frame time with the Scene's shows what hvsim's own
 * drawing costs on top of pixi.
 */
import { Sprite, type Texture } from 'pixi.js';
import { STREAM_COLORS } from './palette.js';
import { bakePacketTexture, startPixi, type RendererName } from './pixi-app.js';

export interface BareScene {
  readonly rendererName: RendererName;
  readonly canvas: HTMLCanvasElement;
  /** Moves every sprite to `progress` ∈ [0, 1] along its path and renders. */
  frame(progress: number): void;
  destroy(): void;
}

/**
 * Starts the bare scene of `count` sprites of `radius` CSS px in `host` (the
 * Scene's packet radius at that size, so both draw the same pixels).
 * Deterministic: sprite i always takes the same path.
 */
export async function createBareScene(host: HTMLElement, renderer: RendererName, width: number, height: number, count: number, radius = 8): Promise<BareScene> {
  // Drawn like the Scene's moving layers: no multisampling, only textures.
  const { app, rendererName } = await startPixi(host, renderer, Math.max(1, Math.round(width)), Math.max(1, Math.round(height)), { antialias: false });
  const texture: Texture = bakePacketTexture(app.renderer, radius);
  const n = Math.max(0, Math.floor(count));
  // Paths from a fixed integer sequence (no Math.random), spread over the canvas.
  const paths = new Float64Array(n * 4);
  const sprites: Sprite[] = [];
  for (let i = 0; i < n; i++) {
    const h = (k: number): number => (((i + 1) * 2654435761 + k * 40503) >>> 0) / 4294967296;
    paths[4 * i] = h(1) * width;
    paths[4 * i + 1] = h(2) * height;
    paths[4 * i + 2] = h(3) * width;
    paths[4 * i + 3] = h(4) * height;
    const s = new Sprite(texture);
    s.anchor.set(0.5);
    s.tint = STREAM_COLORS[i % STREAM_COLORS.length]!;
    sprites.push(s);
    app.stage.addChild(s);
  }
  let destroyed = false;
  return {
    rendererName,
    canvas: app.canvas,
    frame(progress: number): void {
      if (destroyed) return;
      const t = Math.min(1, Math.max(0, progress));
      for (let i = 0; i < n; i++) {
        const x0 = paths[4 * i]!;
        const y0 = paths[4 * i + 1]!;
        sprites[i]!.position.set(x0 + (paths[4 * i + 2]! - x0) * t, y0 + (paths[4 * i + 3]! - y0) * t);
      }
      app.render();
    },
    destroy(): void {
      if (destroyed) return;
      destroyed = true;
      app.destroy({ removeView: true }, { children: true });
      texture.destroy(true);
    },
  };
}
