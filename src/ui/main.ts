/**
 * The web app's entry point: mounts the app, loads the scenario from the
 * link (`#s=1.…`), from `?lesson=<name>` (a bundled lesson and its
 * scenario), from `?scenario=<name>`, or the headline by default,
 * exposes `window.hvsim`, and starts the frame loop. `?renderer=canvas`
 * picks pixi's Canvas 2D renderer (faster than software WebGL on machines
 * without a GPU; ux-ecosystem §0.3).
 */
import { makeApi, type HvsimApi } from './api.js';
import { App } from './app.js';
import { decodeAppLink } from './scenario-link.js';
import { releaseKeysAfterChange } from './select-keys.js';
import { initialViewOptions, rememberedProjector } from './view-options.js';

declare global {
  interface Window {
    hvsim: HvsimApi;
  }
}

const DEFAULT_SCENARIO = 'emulated-vs-synthetic';

/** The page's localStorage, or null where the browser refuses it. */
function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function host(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`index.html lacks #${id}`);
  return el;
}

async function boot(): Promise<void> {
  const params = new URLSearchParams(location.search);
  // A select that was just changed gives →, Space and the other timeline keys back (a clicker after a choice).
  releaseKeysAfterChange(document);
  const renderer = params.get('renderer') === 'canvas' ? 'canvas' : 'webgl';
  const app = new App(
    {
      picker: host('picker'),
      about: host('about'),
      canvas: host('canvas'),
      canvasTitle: host('canvas-title'),
      comparePane: host('pane-compare'),
      compareTitle: host('compare-title'),
      compare: host('canvas-compare'),
      screen: host('screen'),
      controls: host('controls'),
      extras: host('extras'),
      view: host('view-options'),
      inspector: host('inspector'),
      narrator: host('narrator'),
      lesson: host('lesson'),
      strip: host('strip'),
      legend: host('legend'),
      notice: host('notice'),
      events: host('events'),
      charts: host('charts'),
      sweep: host('sweep'),
      help: host('help'),
      footer: host('footer'),
    },
    renderer,
    initialViewOptions(params, window.innerWidth, window.innerHeight, typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches, rememberedProjector(storage())),
  );
  window.hvsim = makeApi(app);
  let loaded = false;
  try {
    const linked = await decodeAppLink(location.hash);
    if (linked !== null) loaded = await app.openLink(linked);
  } catch (e) {
    await app.load(DEFAULT_SCENARIO);
    app.showMessage([`${(e as Error).message}; showing ${DEFAULT_SCENARIO} instead`]);
    loaded = true;
  }
  const lessonName = params.get('lesson');
  if (!loaded && lessonName !== null) loaded = await app.lessons.openFromQuery(lessonName);
  if (!loaded) {
    const named = params.get('scenario');
    if (named === null) await app.load(DEFAULT_SCENARIO);
    else await app.loadNamedOrSay(named, DEFAULT_SCENARIO);
    if (lessonName !== null) app.lessons.sayUnknown(lessonName, app);
  }
  app.startLoop();
  document.body.dataset['ready'] = 'true';
}

void boot();
