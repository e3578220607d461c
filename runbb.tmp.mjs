// ../../tmp/pp/runbb.ts
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

// ../../tmp/pp/runbb.ts
var data = JSON.parse(readFileSync("/work/main/scenarios/queue-depth.json", "utf8"));
delete data.$schema;
for (const w of data.workloads) w.count = +(process.argv[2] ?? 3e3);
var server = await serveStatic("/tmp/pp/site");
var browser = await launchChromium();
var page = await browser.newPage();
await page.goto(server.url);
console.log(await page.evaluate((t) => window.bench(t), JSON.stringify(data)));
await browser.close();
await server.close();
