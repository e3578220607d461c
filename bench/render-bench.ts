/**
 * `npm run bench:render`: frame time of the real scene at 100, 1,000 and
 * 5,000 packets in flight, for the WebGL and the Canvas renderer, beside a
 * bare pixi scene moving as many sprites in the same browser; then the
 * timeline's step, back and scrub times at 100,000 records in the built
 * app, and at about 1 M records with the time to ready and the JS heap
 * (issue 13 item 5's figures). Debian's Chromium through playwright-core;
 * figures, never a verdict.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { launchChromium, serveStatic } from '../test/browser/harness.js';

const fmt = (ms: number): string => ms.toFixed(2);

async function main(): Promise<void> {
  execFileSync(process.execPath, ['esbuild.config.mjs', 'build'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['esbuild.config.mjs', 'bench-web'], { stdio: 'inherit' });
  mkdirSync('dist/bench-web', { recursive: true });
  writeFileSync('dist/bench-web/index.html', '<!doctype html><meta charset="utf-8"><body style="margin:0;background:#000"><div id="stage" style="width:1280px;height:720px"></div><script type="module" src="render-page.js"></script></body>');
  cpSync('dist/web', 'dist/bench-web/app', { recursive: true });
  const server = await serveStatic('dist/bench-web');
  const browser = await launchChromium();
  try {
    for (const renderer of ['webgl', 'canvas'] as const) {
      for (const packets of [100, 1000, 5000]) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
        await page.goto(server.url);
        await page.waitForSelector('body[data-ready="true"]');
        const r = await page.evaluate(([rd, n]) => (window as any).benchRender(rd, n), [renderer, packets] as const);
        console.log(`render renderer=${r.actual} packets=${packets} frame_ms=${fmt(r.frameMs)} bare_frame_ms=${fmt(r.bareMs)}`);
        await page.close();
      }
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}app/?scenario=queue-depth&renderer=canvas`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    const t = await page.evaluate(() => {
      const h = (window as any).hvsim;
      const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const time = (f: () => void) => {
        const t0 = performance.now();
        f();
        return performance.now() - t0;
      };
      const total = h.state().total;
      h.seek(100_000);
      const steps = Array.from({ length: 100 }, () => time(() => h.step(1)));
      const backs = Array.from({ length: 100 }, () => time(() => h.back(1)));
      const scrubs = Array.from({ length: 40 }, (_, i) => time(() => h.seek(Math.floor(((i * 7919) % 997) / 997 * total))));
      return { total, step: med(steps), back: med(backs), scrub: med(scrubs) };
    });
    console.log(`timeline records=${t.total} step_ms=${fmt(t.step)} back_ms=${fmt(t.back)} scrub_ms=${fmt(t.scrub)}`);
    await page.close();
    await timelineAtScale(browser, server.url);
  } finally {
    await browser.close();
    await server.close();
  }
}

/** queue-depth with every workload's count raised to about a million trace records in all (about 37 records per request). */
function millionRecordScenario(): string {
  const data = JSON.parse(readFileSync('scenarios/queue-depth.json', 'utf8')) as { workloads: { count: number }[]; $schema?: string };
  delete data.$schema;
  for (const w of data.workloads) w.count = 7_050;
  return JSON.stringify(data);
}

/**
 * Issue 13 item 5's figures at about 1 M records, in the built app: the
 * time from handing it the scenario to a run ready to step (the run, the
 * timeline's checkpoints, the panels), the JS heap after a full GC (from
 * the DevTools protocol), and the median step, back and scrub times.
 * `timeline-1m records=<n> ready_ms=… heap_mb=… buffers_mb=… step_ms=… back_ms=… scrub_ms=…`
 * (the issue's targets: heap under 100 MB, ready under 3 s, step and back
 * within a frame, scrub under 100 ms).
 */
async function timelineAtScale(browser: Awaited<ReturnType<typeof launchChromium>>, url: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${url}app/?renderer=canvas`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
  const text = millionRecordScenario();
  const ready = await page.evaluate(async (t) => {
    const t0 = performance.now();
    const ok = await (window as any).hvsim.loadText(t, 'queue-depth-1m.json');
    return ok ? performance.now() - t0 : -1;
  }, text);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const t = await page.evaluate(() => {
    const h = (window as any).hvsim;
    const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const time = (f: () => void) => {
      const t0 = performance.now();
      f();
      return performance.now() - t0;
    };
    const total = h.state().total;
    h.seek(Math.floor(total / 2));
    const steps = Array.from({ length: 100 }, () => time(() => h.step(1)));
    const backs = Array.from({ length: 100 }, () => time(() => h.back(1)));
    const scrubs = Array.from({ length: 40 }, (_, i) => time(() => h.seek(Math.floor((((i * 7919) % 997) / 997) * total))));
    return { total, step: med(steps), back: med(backs), scrub: med(scrubs), bytes: h.state().recordBytes as number };
  });
  // buffers_mb: the typed arrays holding the records (outside the JS heap, which heap_mb reports).
  console.log(
    `timeline-1m records=${t.total} ready_ms=${ready.toFixed(0)} heap_mb=${(heap.usedSize / 1_048_576).toFixed(1)} buffers_mb=${(t.bytes / 1_048_576).toFixed(1)} step_ms=${fmt(t.step)} back_ms=${fmt(t.back)} scrub_ms=${fmt(t.scrub)}`,
  );
  await page.close();
}

await main();
