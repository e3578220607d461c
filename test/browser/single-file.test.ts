/**
 * The one-file app for a USB stick: dist/hvsim.html opened from file://
 * with the network off runs the headline with the CLI's fingerprint and
 * makes no request but the page itself; scenario links (`#s=1.…`),
 * `?scenario=<name>` and "Open file…" work there too. dist/web/index.html
 * opened from file://, which cannot run (module scripts are refused there),
 * says so and points to hvsim.html instead of showing a blank page.
 * Screenshots at 1366×768 go to test-results/screenshots.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledScenario } from '../../src/scenario/bundled.js';
import { encodeScenarioLink } from '../../src/ui/scenario-link.js';
import { launchChromium, screenshotDir, trackRequests, type RequestLog } from './harness.js';

const SINGLE = pathToFileURL(resolve('dist/hvsim.html')).href;
const SERVED_INDEX = pathToFileURL(resolve('dist/web/index.html')).href;
const shots = screenshotDir();
const scratch = mkdtempSync(join(tmpdir(), 'hvsim-single-'));

/** The fingerprint `hvsim run <scenario> --json` prints (the built CLI, as a trainer runs it). */
function cliFingerprint(scenario: string): string {
  const out = execFileSync(process.execPath, ['bin/hvsim.mjs', 'run', scenario, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return (JSON.parse(out) as { fingerprint: string }).fingerprint;
}

let browser: Browser;

/** A page in a fresh offline context, its requests, workers and errors recorded. */
async function open(url: string): Promise<{ context: BrowserContext; page: Page; requests: RequestLog; workers: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, offline: true });
  const page = await context.newPage();
  const requests = trackRequests(page);
  const workers: string[] = [];
  const errors: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  return { context, page, requests, workers, errors };
}

/** Every request `requests` saw, as URLs without the fragment. */
const urls = (requests: RequestLog): string[] => requests.all.map((r) => r.url().split('#')[0]!);

const ready = (page: Page): Promise<unknown> => page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });

type Shown = { scenario: string; total: number; fingerprint: string; renderer: string; errors: string[] };
const state = (page: Page): Promise<Shown> => page.evaluate(() => window.hvsim.state() as unknown as Shown);

beforeAll(async () => {
  browser = await launchChromium();
  console.log(`screenshots: ${shots}`);
});

afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('dist/hvsim.html, the one file for a USB stick', () => {
  it('is one self-contained page: no module script, no src or href to another file', () => {
    const html = readFileSync('dist/hvsim.html', 'utf8');
    // Booleans, not the page: a failure should not print a megabyte of script.
    const has = (pattern: RegExp | string): boolean => (typeof pattern === 'string' ? html.includes(pattern) : pattern.test(html));
    expect(has('type="module"'), 'a module script').toBe(false);
    expect(has(/<script[^>]*\ssrc=/i), 'a script with src').toBe(false);
    expect(has(/<link[^>]*rel="stylesheet"/i), 'a linked style sheet').toBe(false);
    expect(has('<!-- file-notice -->'), "index.html's file:// notice").toBe(false);
    expect(has('<style>'), 'inline style').toBe(true);
    expect(readFileSync('dist/web/hvsim.html', 'utf8') === html, 'dist/web/hvsim.html is the same file').toBe(true);
  });

  it('runs the headline from file:// with the network off, the same fingerprint as the CLI, no request but itself', async () => {
    const { context, page, requests, workers, errors } = await open(SINGLE);
    await ready(page);
    const s = await state(page);
    expect(s.scenario).toBe('emulated-vs-synthetic');
    expect(s.fingerprint).toBe(cliFingerprint('emulated-vs-synthetic'));
    expect(s.renderer).toBe('webgl');
    expect(await page.locator('#events [role=row]:not(.hv-list-head)').count()).toBeGreaterThan(0);
    // Play a little, so anything loaded lazily (renderer parts, text) is loaded.
    await page.evaluate(() => {
      window.hvsim.step(200);
      for (let i = 0; i < 30; i++) window.hvsim.frame(16);
    });
    expect(urls(requests)).toEqual([SINGLE]);
    expect(requests.failed).toEqual([]);
    expect(workers).toEqual([]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(shots, 'single-file-1366x768.png') });
    await context.close();
  });

  it('opens a scenario link (#s=1.…) from file://', async () => {
    // The headline with its first VM writing 8 KiB instead of 10 KiB: a run of its own.
    const text = bundledScenario('emulated-vs-synthetic')!.text.replace('"size": "10KiB"', '"size": "8KiB"');
    expect(text).toContain('"size": "8KiB"');
    const file = join(scratch, 'linked.json');
    writeFileSync(file, text);
    const link = `${SINGLE}${await encodeScenarioLink(text)}`;
    const { context, page, requests, errors } = await open(link);
    await ready(page);
    const s = await state(page);
    expect(s.errors).toEqual([]);
    expect(s.fingerprint).toBe(cliFingerprint(file));
    expect(s.fingerprint).not.toBe(cliFingerprint('emulated-vs-synthetic'));
    expect(urls(requests)).toEqual([SINGLE]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens ?scenario=<name> from file://', async () => {
    const { context, page, requests, errors } = await open(`${SINGLE}?scenario=emulated-only-guest&renderer=canvas`);
    await ready(page);
    const s = await state(page);
    expect(s.scenario).toBe('emulated-only-guest');
    expect(s.renderer).toBe('canvas');
    expect(s.fingerprint).toBe(cliFingerprint('emulated-only-guest'));
    expect(requests.all).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('loads a scenario with "Open file…" from file://', async () => {
    const { context, page, requests, errors } = await open(SINGLE);
    await ready(page);
    const before = (await state(page)).fingerprint;
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Open file…' }).click();
    await (await chooser).setFiles({ name: 'lesson.json', mimeType: 'application/json', buffer: Buffer.from(bundledScenario('fastpath-boot')!.text) });
    const expected = cliFingerprint('fastpath-boot');
    await page.waitForFunction((f) => window.hvsim.state().fingerprint === f, expected, { timeout: 60_000 });
    expect(expected).not.toBe(before);
    expect(urls(requests)).toEqual([SINGLE]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('dist/web/index.html opened from file://', () => {
  it('says it needs a server and points to hvsim.html, which is beside it and runs', async () => {
    const { context, page } = await open(SERVED_INDEX);
    await page.waitForSelector('body[data-file-notice="true"]', { timeout: 10_000 });
    const notice = page.locator('.file-notice');
    await expect(notice.isVisible()).resolves.toBe(true);
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain('needs a web server');
    expect(text).toContain('hvsim.html');
    expect(text).toContain('npm start');
    expect(await page.locator('main').isVisible()).toBe(false);
    await page.screenshot({ path: join(shots, 'served-index-from-file-1366x768.png') });
    const href = await page.locator('.file-notice a').evaluate((a) => (a as HTMLAnchorElement).href);
    expect(href).toBe(pathToFileURL(resolve('dist/web/hvsim.html')).href);
    expect(existsSync('dist/web/hvsim.html')).toBe(true);
    await page.locator('.file-notice a').click();
    await ready(page);
    expect((await state(page)).scenario).toBe('emulated-vs-synthetic');
    await context.close();
  });
});
