// Builds hvsim with esbuild. Usage: node esbuild.config.mjs <build|serve|cli|bench|bench-web>
//   build  the web app into dist/web (static, works offline) and the CLI into dist/cli
//   serve  builds the web app, watches, and serves it on 127.0.0.1 (PORT, default 8000)
//   cli    only the CLI (run by `npm ci` through `prepare`, and by bin/hvsim.mjs if missing)
//   bench  the benchmark runners into dist/bench
//   bench-web  the in-browser half of the render benchmark into dist/bench-web
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';

const mode = process.argv[2] ?? 'build';
const shared = { bundle: true, sourcemap: true, target: 'es2022', logLevel: 'warning', legalComments: 'none' };

// `serve` is what trainers run (`npm start`), so it builds like `build` (no
// immer auto-freeze, which costs ~25x per step) and adds only live reload;
// HVSIM_DEV=1 turns the development checks on.
const web = (serve) => ({
  ...shared,
  entryPoints: { app: 'src/ui/main.ts' },
  outdir: 'dist/web',
  format: 'esm',
  splitting: true,
  minify: !serve,
  chunkNames: 'chunks/[name]-[hash]',
  define: { 'globalThis.HVSIM_DEV': String(process.env.HVSIM_DEV === '1') },
  // Live reload only in serve mode; never shipped in `npm run build`.
  banner: serve ? { js: "new EventSource('/esbuild').addEventListener('change', () => location.reload());" } : {},
});

const node = (entryPoints, outdir) => ({
  ...shared,
  entryPoints,
  outdir,
  outExtension: { '.js': '.mjs' },
  platform: 'node',
  format: 'esm',
  packages: 'external',
});

const cli = node({ hvsim: 'src/cli/main.ts' }, 'dist/cli');
const bench = node({ bench: 'bench/main.ts', 'render-bench': 'bench/render-bench.ts' }, 'dist/bench');
const benchWeb = { ...web(false), entryPoints: { 'render-page': 'bench/render-page.ts' }, outdir: 'dist/bench-web' };

function copyStatic() {
  mkdirSync('dist/web', { recursive: true });
  cpSync('src/ui/index.html', 'dist/web/index.html');
  cpSync('src/ui/style.css', 'dist/web/style.css');
  if (existsSync('src/ui/panels/panels.css')) cpSync('src/ui/panels/panels.css', 'dist/web/panels.css');
  if (existsSync('assets')) cpSync('assets', 'dist/web/assets', { recursive: true });
}

if (mode === 'build') {
  rmSync('dist/web', { recursive: true, force: true });
  copyStatic();
  await Promise.all([esbuild.build(web(false)), esbuild.build(cli)]);
  console.log('built dist/web and dist/cli');
} else if (mode === 'cli') {
  await esbuild.build(cli);
} else if (mode === 'bench') {
  await esbuild.build(bench);
} else if (mode === 'bench-web') {
  await esbuild.build(benchWeb);
} else if (mode === 'serve') {
  rmSync('dist/web', { recursive: true, force: true });
  copyStatic();
  const ctx = await esbuild.context(web(true));
  await ctx.watch();
  const port = Number(process.env.PORT ?? 8000);
  const { hosts, port: actual } = await ctx.serve({ servedir: 'dist/web', host: '127.0.0.1', port });
  console.log(`hvsim is serving on http://${hosts[0] ?? '127.0.0.1'}:${actual}/  (Ctrl+C to stop)`);
} else {
  console.error(`unknown mode '${mode}': use build, serve, cli or bench`);
  process.exit(2);
}
