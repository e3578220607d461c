/**
 * Starting pixi the way both the scene and the benchmark's bare scene do:
 * a stopped ticker (the caller draws), the requested renderer with a
 * fallback to Canvas 2D, and packet sprites' texture baked once.
 */
import { Application, Graphics, type Renderer, type Texture } from 'pixi.js';
import { BACKGROUND } from './palette.js';

export type RendererName = 'webgl' | 'canvas';

export interface PixiStart {
  app: Application;
  /** The renderer pixi actually runs, which differs from the request after a fallback. */
  rendererName: RendererName;
}

export interface StartOptions {
  /** A transparent canvas (the caller paints its own background, e.g. as a CSS image). */
  transparent?: boolean;
  /** Multisampled drawing buffer (default true). Unneeded when only textures are drawn. */
  antialias?: boolean;
}

async function tryStart(preference: RendererName, width: number, height: number, options: StartOptions): Promise<Application> {
  const app = new Application();
  try {
    await app.init({
      width,
      height,
      // An array restricts pixi's fallback chain to what we name (no WebGPU).
      preference: [preference],
      // Transparent must clear to black: a premultiplied canvas adds the colour of a zero-alpha clear to what lies beneath.
      background: options.transparent === true ? 0x000000 : BACKGROUND,
      backgroundAlpha: options.transparent === true ? 0 : 1,
      antialias: options.antialias ?? true,
      autoStart: false,
      sharedTicker: false,
      resolution: typeof window === 'undefined' ? 1 : Math.min(2, window.devicePixelRatio || 1),
      autoDensity: true,
    });
    return app;
  } catch (e) {
    try {
      app.destroy();
    } catch {
      // A half-initialised app may not destroy cleanly; nothing is left to free.
    }
    throw e;
  }
}

/**
 * Starts a pixi Application of `width`×`height` CSS pixels with the
 * `renderer` asked for, falling back to Canvas 2D when WebGL cannot start,
 * and appends its canvas to `host`. The ticker is not started.
 */
export async function startPixi(host: HTMLElement, renderer: RendererName, width: number, height: number, options: StartOptions = {}): Promise<PixiStart> {
  let app: Application;
  try {
    app = await tryStart(renderer, width, height, options);
  } catch (e) {
    if (renderer === 'canvas') throw e;
    app = await tryStart('canvas', width, height, options);
  }
  app.ticker.stop();
  const name = app.renderer.name === 'webgl' ? 'webgl' : 'canvas';
  app.canvas.style.display = 'block';
  host.appendChild(app.canvas);
  return { app, rendererName: name };
}

/**
 * A packet's texture: a white disc with a dark rim, baked once so every
 * packet is a Sprite (the fastest path; ux-ecosystem §2.2) tinted by its
 * stream. `radius` is in CSS pixels.
 */
export function bakePacketTexture(renderer: Renderer, radius: number): Texture {
  const rim = Math.max(1.5, radius * 0.22);
  const g = new Graphics()
    .circle(radius + rim, radius + rim, radius)
    .fill(0xffffff)
    .stroke({ width: rim, color: BACKGROUND, alignment: 0.5 });
  const texture = renderer.generateTexture({ target: g, resolution: 2, antialias: true });
  g.destroy();
  return texture;
}
