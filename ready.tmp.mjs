// ../../tmp/pp/ready.ts
import { readFileSync } from "node:fs";

// test/browser/harness.ts
import { createReadStream, existsSync, mkdirSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { chromium } from "playwright-core";
var TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml"
};
var CHROMIUM = "/usr/bin/chromium";
var CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  // Software WebGL (SwiftShader) must be opted into on Chromium 139+ (ux-ecosystem §0.2).
  "--enable-unsafe-swiftshader"
];
async function serveStatic(root) {
  const base = resolve(root);
  const server2 = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = normalize(join(base, path));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server2.listen(0, "127.0.0.1", ok));
  const address = server2.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server2.close(() => ok())) };
}
async function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

// ../../tmp/pp/ready.ts
var data = JSON.parse(readFileSync("/work/main/scenarios/queue-depth.json", "utf8"));
delete data.$schema;
for (const w of data.workloads) w.count = 7050;
var text = JSON.stringify(data);
var server = await serveStatic("/work/main/dist/web");
var browser = await launchChromium();
for (let rep = 0; rep < +(process.argv[2] ?? 1); rep++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}?renderer=canvas`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 12e4 });
  const ready = await page.evaluate(async (t2) => {
    const t0 = performance.now();
    await window.hvsim.loadText(t2, "x.json");
    return performance.now() - t0;
  }, text);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  const t = await page.evaluate(() => {
    const h = window.hvsim;
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const time = (f) => {
      const t0 = performance.now();
      f();
      return performance.now() - t0;
    };
    const total = h.state().total;
    h.seek(Math.floor(total / 2));
    const steps = Array.from({ length: 100 }, () => time(() => h.step(1)));
    const backs = Array.from({ length: 100 }, () => time(() => h.back(1)));
    const scrubs = Array.from({ length: 40 }, (_, i) => time(() => h.seek(Math.floor(i * 7919 % 997 / 997 * total))));
    return { total, step: med(steps), back: med(backs), scrub: med(scrubs), bytes: h.state().recordBytes };
  });
  console.log(`ready_ms=${ready.toFixed(0)} heap_mb=${(heap.usedSize / 1048576).toFixed(1)} buffers_mb=${(t.bytes / 1048576).toFixed(1)} step=${t.step.toFixed(2)} back=${t.back.toFixed(2)} scrub=${t.scrub.toFixed(2)}`);
  await page.close();
}
await browser.close();
await server.close();
