// ../../tmp/pp/stepprof.ts
import { readFileSync, writeFileSync } from "node:fs";

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

// ../../tmp/pp/stepprof.ts
var data = JSON.parse(readFileSync("/work/main/scenarios/queue-depth.json", "utf8"));
delete data.$schema;
for (const w of data.workloads) w.count = 7050;
var server = await serveStatic("/work/main/dist/web");
var browser = await launchChromium();
var page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(`${server.url}?renderer=canvas`);
await page.waitForSelector('body[data-ready="true"]', { timeout: 12e4 });
await page.evaluate(async (t) => {
  await window.hvsim.loadText(t, "x.json");
  window.hvsim.seek(566e3);
}, JSON.stringify(data));
var cdp = await page.context().newCDPSession(page);
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
await cdp.send("Profiler.start");
var ms = await page.evaluate(() => {
  const h = window.hvsim;
  const t0 = performance.now();
  for (let i = 0; i < 100; i++) h.step(1);
  for (let i = 0; i < 100; i++) h.back(1);
  return (performance.now() - t0) / 200;
});
var { profile } = await cdp.send("Profiler.stop");
console.log("per move ms", ms.toFixed(2));
writeFileSync("/tmp/pp/step.cpuprofile", JSON.stringify(profile));
await browser.close();
await server.close();
