/**
 * The web app's entry point: mounts the app, loads the scenario from the
 * link (`#s=1.…`), from `?scenario=<name>`, or the headline by default,
 * exposes `window.hvsim`, and starts the frame loop. `?renderer=canvas`
 * picks pixi's Canvas 2D renderer (faster than software WebGL on machines
 * without a GPU; ux-ecosystem §0.3).
 */
import { makeApi, type HvsimApi } from './api.js';
import { App } from './app.js';
import { decodeScenarioLink } from './scenario-link.js';

declare global {
  interface Window {
    hvsim: HvsimApi;
  }
}

const DEFAULT_SCENARIO = 'emulated-vs-synthetic';

function host(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`index.html lacks #${id}`);
  return el;
}

async function boot(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const renderer = params.get('renderer') === 'canvas' ? 'canvas' : 'webgl';
  const app = new App(
    {
      picker: host('picker'),
      canvas: host('canvas'),
      compare: host('canvas-compare'),
      controls: host('controls'),
      inspector: host('inspector'),
      narrator: host('narrator'),
      events: host('events'),
      charts: host('charts'),
      help: host('help'),
    },
    renderer,
  );
  window.hvsim = makeApi(app);
  let loaded = false;
  try {
    const linked = await decodeScenarioLink(location.hash);
    if (linked !== null) loaded = await app.loadText(linked, 'linked scenario');
  } catch (e) {
    await app.load(DEFAULT_SCENARIO);
    app.showMessage([`${(e as Error).message}; showing ${DEFAULT_SCENARIO} instead`]);
    loaded = true;
  }
  if (!loaded) {
    const named = params.get('scenario');
    if (named === null || !(await app.load(named))) await app.load(DEFAULT_SCENARIO);
  }
  app.startLoop();
  document.body.dataset['ready'] = 'true';
}

void boot();
