/**
 * Browser tests' harness: a static file server for `dist/web` on loopback
 * and Debian's Chromium driven by playwright-core. No browser is ever
 * downloaded: the executable is /usr/bin/chromium (.ci/run installs it).
 */
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Software WebGL (SwiftShader) must be opted into on Chromium 139+ (ux-ecosystem §0.2).
  '--enable-unsafe-swiftshader',
];

/** Serves `root` on 127.0.0.1 at a free port. */
export async function serveStatic(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const base = resolve(root);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(base, path));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(() => ok())) };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * The built app (`dist/web`) served and Chromium launched before a test
 * file's tests, both closed after them: tests read `url` and `browser`
 * once the file's `beforeAll` has run.
 * @example const app = appInChromium(); … await openPage(app.browser, app.url, 1366, 768)
 */
export function appInChromium(): { readonly url: string; readonly browser: Browser } {
  let server: { url: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await serveStatic('dist/web');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get url() {
      return server!.url;
    },
    get browser() {
      return browser!;
    },
  };
}

/**
 * A page of the app (`app`, from `appInChromium`) at `query`, `width`×`height`,
 * for the tests of one describe block: opened before them, and after them
 * checked to have logged no console or page error, then closed. Tests read
 * `page` and `errors` once the block's `beforeAll` has run.
 * @example const at = pageInApp(app, '?scenario=emulated-vs-synthetic', 1366, 768); … await at.page.evaluate(…)
 */
export function pageInApp(app: { readonly url: string; readonly browser: Browser }, query = '', width?: number, height?: number): { readonly page: Page; readonly errors: string[] } {
  let opened: { page: Page; errors: string[] } | undefined;
  beforeAll(async () => {
    opened = await openPage(app.browser, `${app.url}${query}`, width, height);
  });
  afterAll(async () => {
    expect(opened?.errors).toEqual([]);
    await opened?.page.close();
  });
  return {
    get page() {
      return opened!.page;
    },
    get errors() {
      return opened!.errors;
    },
  };
}

/** A page that records console errors and page errors. */
export async function openPage(browser: Browser, url: string, width = 1280, height = 900): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  return { page, errors };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

/**
 * Every request a page's current document makes, from start to finish. An
 * EventSource (live reload) stays open by design, so it is counted apart;
 * every other request must end, in `finished` or `failed`, or it is still in
 * `pending`. When the page navigates (a live reload after a source edit),
 * the log starts again for the new document and `documents` counts up:
 * what the old document left open was cancelled by the navigation.
 */
export interface RequestLog {
  readonly all: Request[];
  readonly pending: Set<Request>;
  readonly finished: Request[];
  readonly failed: { url: string; error: string }[];
  readonly eventSources: Request[];
  /** Main-frame documents loaded so far (1 if the page never reloaded). */
  documents: number;
}

/** Starts recording `page`'s requests; call before `page.goto`. */
export function trackRequests(page: Page): RequestLog {
  const log: RequestLog = { all: [], pending: new Set(), finished: [], failed: [], eventSources: [], documents: 0 };
  const status = new WeakMap<Request, 'pending' | 'finished' | { url: string; error: string }>();
  const file = (r: Request): void => {
    log.all.push(r);
    const s = status.get(r);
    if (r.resourceType() === 'eventsource') log.eventSources.push(r);
    else if (s === 'pending') log.pending.add(r);
    else if (s === 'finished') log.finished.push(r);
    else if (s !== undefined) log.failed.push(s);
  };
  let navigation: Request | null = null;
  page.on('request', (r) => {
    status.set(r, 'pending');
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) navigation = r;
    file(r);
  });
  // A new document commits: what came before belonged to the old one.
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame() || navigation === null) return;
    log.documents++;
    log.all.length = 0;
    log.pending.clear();
    log.finished.length = 0;
    log.failed.length = 0;
    log.eventSources.length = 0;
    file(navigation);
    navigation = null;
  });
  page.on('requestfinished', (r) => {
    status.set(r, 'finished');
    if (log.pending.delete(r)) log.finished.push(r);
  });
  page.on('requestfailed', (r) => {
    const failure = { url: r.url(), error: r.failure()?.errorText ?? 'failed' };
    status.set(r, failure);
    if (log.pending.delete(r)) log.failed.push(failure);
  });
  return log;
}

/** Waits up to `ms` for every non-EventSource request to end; returns the URLs still pending. */
export async function settle(log: RequestLog, ms = 10_000): Promise<string[]> {
  const until = Date.now() + ms;
  while (log.pending.size > 0 && Date.now() < until) await new Promise((ok) => setTimeout(ok, 50));
  return [...log.pending].map((r) => r.url());
}

/** Where screenshots go; printed by the tests so a person can look. */
export function screenshotDir(): string {
  const dir = resolve('test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** One axe-core violation, as the accessibility tests report it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core's WCAG 2 A and AA rules on `page` (its source injected from
 * node_modules, nothing fetched) and returns the violations.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  const { readFileSync } = await import('node:fs');
  const source = readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: source });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}
