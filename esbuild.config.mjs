// Builds hvsim with esbuild. Usage: node esbuild.config.mjs <build|serve|cli|bench|bench-web>
//   build  the served web app into dist/web (code-split ES modules, for any static
//          file server), the one-file app dist/hvsim.html (everything inline, runs
//          from file://, for a USB stick; a copy sits in dist/web too) and the CLI
//          into dist/cli
//   serve  `npm start`: builds the web app in memory, watches, and serves it on
//          127.0.0.1 (PORT, default 8000) from dist/dev, with live reload; never
//          touches dist/web
//   cli    only the CLI (run by `npm ci` through `prepare`, and by bin/hvsim.mjs if missing)
//   bench  the benchmark runners into dist/bench
//   bench-web  the in-browser half of the render benchmark into dist/bench-web
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

const mode = process.argv[2] ?? 'build';
const shared = { bundle: true, sourcemap: true, target: 'es2022', logLevel: 'warning', legalComments: 'none' };

// `serve` is what trainers run (`npm start`), so it builds like `build`.
// Live reload is one inline script added to the served index.html, never a
// banner: a banner goes into every code-split
// chunk, and twenty EventSources use up Chromium's six connections per host
// before the remaining chunks load.
const web = (serve) => ({
  ...shared,
  entryPoints: { app: 'src/ui/main.ts' },
  outdir: serve ? 'dist/dev' : 'dist/web',
  format: 'esm',
  splitting: true,
  minify: !serve && process.env.HVSIM_NOMINIFY !== '1',
  chunkNames: 'chunks/[name]-[hash]',
  // The dev server serves its outputs from memory; nothing is written.
  write: !serve,
});

// The one-file app: a classic script (module scripts are refused on file://)
// with no code splitting, so pixi's dynamic imports of its renderers are
// bundled in, and no source map. Inlined into the page by `singleFile`.
const single = {
  ...shared,
  entryPoints: ['src/ui/main.ts'],
  format: 'iife',
  splitting: false,
  minify: true,
  sourcemap: false,
  write: false,
  outdir: 'dist/single',
};

const node = (entryPoints, outdir) => ({
  ...shared,
  entryPoints,
  outdir,
  outExtension: { '.js': '.mjs' },
  platform: 'node',
  format: 'esm',
  packages: 'external',
});

// The worker threads of replications and sweeps load experiment-worker.mjs from beside hvsim.cjs,
// and a big `hvsim run` folds its records on fold-worker.mjs (the bench's `cli` and `sweep` groups run bin/hvsim.mjs on this build).
// The CLI and its workers carry zod and yaml inside (a start reads two files,
// not two hundred: 0.1 s less per start and per worker thread).
// Without comments and blank space a bundle parses faster (its comments
// hold non-ASCII text, which makes V8 keep the whole source in two-byte
// form): 1.33 -> 0.92 MB, about 15 ms less per start and per worker. Names
// are kept, for stack traces; HVSIM_NOMINIFY=1 keeps all.
const cliShared = {
  ...shared,
  platform: 'node',
  minifyWhitespace: process.env.HVSIM_NOMINIFY !== '1',
  minifySyntax: process.env.HVSIM_NOMINIFY !== '1',
};
// The command itself is CommonJS, which bin/load-cli.mjs compiles with its
// code cache (written below, `cliCodeCache`); `import.meta.url` (where the
// worker entries sit) becomes the bundle's own file URL.
const cliMain = {
  ...cliShared,
  entryPoints: { hvsim: 'src/cli/main.ts' },
  outdir: 'dist/cli',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { 'import.meta.url': 'hvsimModuleUrl' },
  banner: { js: "const hvsimModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};
// The fold thread's entry is an ES module (a Worker takes a file URL); yaml's
// CommonJS code gets a `require` from the banner.
const cliWorkers = {
  ...cliShared,
  entryPoints: { 'fold-worker': 'src/cli/fold-worker.ts' },
  outdir: 'dist/cli',
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  banner: { js: "import { createRequire as hvsimCreateRequire } from 'node:module'; const require = hvsimCreateRequire(import.meta.url);" },
};
// The experiment worker (replications and sweeps) is CommonJS like the
// command, so it too starts from a code cache (`cliCodeCache`): its entry,
// experiment-worker.mjs, loads it through bin/load-cli.mjs and starts it.
const experimentWorker = {
  ...cliMain,
  entryPoints: { 'experiment-worker': 'src/cli/experiment-worker.ts' },
};
const EXPERIMENT_WORKER_ENTRY = `// The worker entry of hvsim's replications and sweeps (written by esbuild.config.mjs):
// the experiment worker's bundle, compiled with its code cache, answers the pool's jobs.
import { fileURLToPath } from 'node:url';
import { loadCli } from '../../bin/load-cli.mjs';

loadCli(fileURLToPath(new URL('./experiment-worker.cjs', import.meta.url))).exports.serveJobs();
`;

/**
 * What the code cache is made from: bundled runs over the synthetic and
 * emulated storage paths and the network, the big-run path (its records
 * folded on the second thread) forced on, so their functions are compiled
 * when the cache is written. About 1.5 s of the build here.
 */
const CODE_CACHE_RUNS = [
  ['validate', 'queue-depth'],
  ['run', 'queue-depth', '--json'],
  ['run', 'emulated-vs-synthetic', '--json'],
  ['run', 'nic-legacy-vs-synthetic', '--json'],
];

/** What the experiment worker's code cache is made from: runs of the storage paths and the network, as for the command's. */
const WORKER_CODE_CACHE_SCENARIOS = ['queue-depth', 'emulated-vs-synthetic', 'nic-legacy-vs-synthetic'];

/** Builds the CLI, then its code cache (bin/load-cli.mjs): a failure there only costs start-up time, so it warns. */
async function buildCli() {
  rmSync('dist/cli/hvsim.mjs', { force: true });
  rmSync('dist/cli/hvsim.mjs.map', { force: true });
  rmSync('dist/cli/experiment-worker.mjs.map', { force: true }); // the worker's bundle was this ES module before it was experiment-worker.cjs
  await Promise.all([esbuild.build(cliMain), esbuild.build(cliWorkers), esbuild.build(experimentWorker)]);
  writeWhole('dist/cli/experiment-worker.mjs', EXPERIMENT_WORKER_ENTRY);
  try {
    await cliCodeCache();
  } catch (error) {
    console.warn(`hvsim: the CLI's code cache was not written (the CLI works, starting slower): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Runs `CODE_CACHE_RUNS` through the freshly built CLI, quietly, and writes
 * what they compiled as its code cache. The cache there stays until then:
 * it serves the same bundle (the build is deterministic) to the commands
 * that start meanwhile (the tests rebuild while others run), and none other.
 */
async function cliCodeCache() {
  const { loadCli, writeCodeCache } = await import('./bin/load-cli.mjs');
  const file = `${process.cwd()}/dist/cli/hvsim.cjs`;
  const { exports, script } = loadCli(file, false);
  const quiet = { write: () => true };
  const fold = process.env.HVSIM_FOLD_THREAD;
  process.env.HVSIM_FOLD_THREAD = '1';
  try {
    for (const argv of CODE_CACHE_RUNS) {
      const code = await exports.main(argv, { out: quiet, err: quiet });
      if (code !== 0) throw new Error(`hvsim ${argv.join(' ')} exited ${code}`);
    }
  } finally {
    if (fold === undefined) delete process.env.HVSIM_FOLD_THREAD;
    else process.env.HVSIM_FOLD_THREAD = fold;
  }
  writeCodeCache(file, script);
  // The experiment worker's: the same scenarios run through its own bundle (a worker is handed validated scenarios).
  const workerFile = `${process.cwd()}/dist/cli/experiment-worker.cjs`;
  const worker = loadCli(workerFile, false);
  for (const name of WORKER_CODE_CACHE_SCENARIOS) {
    const parsed = exports.parseScenarioText(exports.bundledScenario(name).text);
    const outcome = parsed.ok ? worker.exports.runJob({ scenario: parsed.scenario }) : { ok: false, message: 'invalid' };
    if (!outcome.ok) throw new Error(`the experiment worker's run of ${name} failed: ${outcome.message}`);
  }
  writeCodeCache(workerFile, worker.script);
}
const bench = node({ bench: 'bench/main.ts', 'render-bench': 'bench/render-bench.ts' }, 'dist/bench');
const benchWeb = { ...web(false), entryPoints: { 'render-page': 'bench/render-page.ts' }, outdir: 'dist/bench-web' };

const STYLES = ['src/ui/style.css', 'src/ui/panels/panels.css', 'src/ui/lesson/lesson.css', 'src/ui/sweep/sweep.css'];
const NOTICE = /[ \t]*<!-- file-notice -->[\s\S]*?<!-- \/file-notice -->\n?/;
const LIVE_RELOAD = "<script>new EventSource('/esbuild').addEventListener('change', () => location.reload());</script>";

/** Writes `text` to `path` through a temporary file, so a reader never sees half a file. */
function writeWhole(path, text) {
  writeFileSync(`${path}.tmp-${process.pid}`, text);
  renameSync(`${path}.tmp-${process.pid}`, path);
}

/** `text` with `find` replaced once by `by`; throws if `find` is missing (index.html changed shape). */
function replaceOnce(text, find, by) {
  const at = text.indexOf(find);
  if (at < 0) throw new Error(`src/ui/index.html: expected ${find}`);
  return text.slice(0, at) + by + text.slice(at + find.length);
}

/** index.html, style.css and panels.css into `dir`; `extra` goes before </body>. */
function copyStatic(dir, extra = '') {
  mkdirSync(dir, { recursive: true });
  const html = readFileSync('src/ui/index.html', 'utf8');
  writeWhole(`${dir}/index.html`, extra === '' ? html : replaceOnce(html, '</body>', `${extra}\n</body>`));
  for (const css of STYLES) if (existsSync(css)) writeWhole(`${dir}/${css.split('/').pop()}`, readFileSync(css, 'utf8'));
  if (existsSync('assets')) cpSync('assets', `${dir}/assets`, { recursive: true });
}

/** Text safe inside an inline <script> or <style> element: no end tag, no comment opener. */
function inlineSafe(text, tag, what) {
  if (new RegExp(`</${tag}|<!--`, 'i').test(text)) throw new Error(`${what} holds "</${tag}" or "<!--" and cannot be inlined`);
  return text;
}

/**
 * dist/hvsim.html: index.html with both style sheets and the whole app
 * inline, as a classic script at the end of the body. It fetches nothing,
 * so it runs from file:// (a USB stick, a double-click).
 */
async function singleFile() {
  const result = await esbuild.build(single);
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (js === undefined || result.outputFiles.length !== 1) throw new Error('the one-file build must give exactly one script');
  let html = readFileSync('src/ui/index.html', 'utf8').replace(NOTICE, '');
  for (const css of STYLES) {
    const name = css.split('/').pop();
    html = replaceOnce(html, `<link rel="stylesheet" href="${name}">`, `<style>\n${inlineSafe(readFileSync(css, 'utf8'), 'style', css)}</style>`);
  }
  html = replaceOnce(html, '<script type="module" src="app.js"></script>', `<script>${inlineSafe(js.text, 'script', 'the app bundle')}</script>`);
  writeWhole('dist/hvsim.html', html);
  cpSync('dist/hvsim.html', 'dist/web/hvsim.html');
}

if (mode === 'build') {
  rmSync('dist/web', { recursive: true, force: true });
  copyStatic('dist/web');
  await Promise.all([esbuild.build(web(false)), buildCli()]);
  await singleFile();
  console.log('built dist/web, dist/hvsim.html and dist/cli');
} else if (mode === 'cli') {
  await buildCli();
} else if (mode === 'bench') {
  await esbuild.build(bench);
} else if (mode === 'bench-web') {
  await esbuild.build(benchWeb);
} else if (mode === 'serve') {
  // Only the page and its style sheets are on disk (dist/dev); the scripts are
  // served from memory, so `npm start` leaves no development build behind.
  copyStatic('dist/dev', LIVE_RELOAD);
  // The URL is printed once the first build is done: a page opened earlier
  // would connect its live reload first, and the end of that build would
  // reload it halfway through loading.
  let built;
  const firstBuild = new Promise((ok) => (built = ok));
  const ctx = await esbuild.context({ ...web(true), plugins: [{ name: 'first-build', setup: (b) => b.onEnd(() => built()) }] });
  await ctx.watch();
  const port = Number(process.env.PORT ?? 8000);
  let served;
  try {
    served = await ctx.serve({ servedir: 'dist/dev', host: '127.0.0.1', port });
  } catch (e) {
    console.error(`hvsim could not serve on 127.0.0.1:${port} (${e instanceof Error ? e.message : String(e)}). If another program uses the port, pick another: PORT=8001 npm start`);
    await ctx.dispose();
    process.exit(1);
  }
  await firstBuild;
  console.log(`hvsim is serving on http://${served.hosts[0] ?? '127.0.0.1'}:${served.port}/  (Ctrl+C to stop)`);
} else {
  console.error(`unknown mode '${mode}': use build, serve, cli, bench or bench-web`);
  process.exit(2);
}
