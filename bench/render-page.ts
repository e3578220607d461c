/**
 * In-browser half of `npm run bench:render`: draws the real scene with N
 * packets in flight and a bare pixi scene moving N sprites the same way,
 * in the same page and renderer, and reports median frame times. Each
 * frame ends with a 1-pixel read so the GPU (or SwiftShader) work is
 * inside the measurement.
 */
import type { HvRecord } from '../src/model/trace-events.js';
import { createBareScene } from '../src/render/bare-scene.js';
import { Scene } from '../src/render/scene.js';
import { initialViewState, type ViewState } from '../src/render/view-state.js';
import { bundledScenario, parseScenarioText, runScenario } from '../src/scenario/index.js';

const FRAMES = 60;
const WIDTH = 1280;
const HEIGHT = 720;

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function flush(canvas: HTMLCanvasElement): void {
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
  if (gl !== null) gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  else canvas.getContext('2d')?.getImageData(0, 0, 1, 1);
}

/** A view with `count` packets, each travelling between two places of the topology. */
function syntheticView(records: readonly HvRecord[], places: string[], count: number): ViewState {
  const view = initialViewState();
  const streams = [...new Set(records.map((r) => r.stream).filter((s) => s !== ''))];
  for (let i = 0; i < count; i++) {
    const from = places[(i * 7) % places.length]!;
    const to = places[(i * 13 + 5) % places.length]!;
    view.packets[i] = { flow: i, stream: streams[i % streams.length]!, from, place: to, seq: i, kind: 'stack.layer.passed' };
  }
  view.last = { seq: 0, kind: 'hv.intercept.exited', place: 'hv', flow: 0 };
  return view;
}

async function measure(renderer: 'webgl' | 'canvas', count: number): Promise<{ frameMs: number; bareMs: number; actual: string }> {
  const parsed = parseScenarioText(bundledScenario('emulated-vs-synthetic')!.text);
  if (!parsed.ok) throw new Error('bundled scenario invalid');
  const run = runScenario(parsed.scenario);
  const host = document.getElementById('stage')!;
  const scene = await Scene.create(host, run.output.topology, { renderer, width: WIDTH, height: HEIGHT });
  const view = syntheticView(run.records, run.output.topology.places.map((p) => p.id), count);
  const times: number[] = [];
  for (let f = 0; f < FRAMES + 10; f++) {
    const t0 = performance.now();
    scene.draw(view, (f % 30) / 30);
    flush(scene.canvas);
    if (f >= 10) times.push(performance.now() - t0);
  }
  const actual = scene.rendererName;
  const radius = scene.packetSize;
  scene.destroy();
  // The same sprites as the scene's packets (its radius), so the comparison is of drawing the scene, not of disc sizes.
  const bare = await createBareScene(host, renderer, WIDTH, HEIGHT, count, radius);
  const bareTimes: number[] = [];
  for (let f = 0; f < FRAMES + 10; f++) {
    const t0 = performance.now();
    bare.frame((f % 30) / 30);
    flush(bare.canvas);
    if (f >= 10) bareTimes.push(performance.now() - t0);
  }
  bare.destroy();
  return { frameMs: median(times), bareMs: median(bareTimes), actual };
}

(window as unknown as { benchRender: typeof measure }).benchRender = measure;
document.body.dataset['ready'] = 'true';
