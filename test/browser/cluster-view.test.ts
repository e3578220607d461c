/**
 * The cluster view in the built app: the switch appears only for a run with
 * a cluster, draws hosts and the migration bar over the I/O canvas, follows
 * stepping forward and back, and hides again for a single-host scenario.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { appInChromium, openPage, screenshotDir } from './harness.js';

const app = appInChromium();
let page: Page;
let errors: string[];
const shots = screenshotDir();

beforeAll(async () => {
  ({ page, errors } = await openPage(app.browser, app.url));
  console.log(`screenshots: ${shots}`);
});

/** Distinct colours on the cluster canvas. */
const colours = (): Promise<number> =>
  page.evaluate(() => {
    // redraw in this task: a WebGL canvas is read back right after it draws
    window.hvsim.back(1);
    window.hvsim.step(1);
    const source = document.querySelector('#canvas div[role="img"] canvas') as HTMLCanvasElement | null;
    if (source === null) return 0;
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(source, 0, 0);
    const data = ctx.getImageData(0, 0, copy.width, copy.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 29) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  });

describe('the cluster view', () => {
  it('is offered only for a run with a cluster', async () => {
    expect(await page.isVisible('label[for="view-cluster"]')).toBe(false);
    expect(await page.evaluate(() => window.hvsim.load('migration-dirty-rate'))).toBe(true);
    expect(await page.isVisible('label[for="view-cluster"]')).toBe(true);
  });

  it('opens a cluster run with no I/O of its own on its cluster view; the switch goes back to the I/O view and returns', async () => {
    // migration-dirty-rate has no workload and no traffic: its migrations are the story, not an empty I/O view
    expect(await page.evaluate(() => window.hvsim.load('migration-dirty-rate'))).toBe(true);
    expect(await page.evaluate(() => window.hvsim.cluster().on)).toBe(true);
    expect(await page.isChecked('#view-cluster')).toBe(true);
    await page.click('label[for="view-cluster"]');
    expect(await page.evaluate(() => window.hvsim.cluster().on)).toBe(false);
    await page.click('label[for="view-cluster"]');
    expect(await page.evaluate(() => window.hvsim.cluster().on)).toBe(true);
    // a cluster run with I/O (its VMs' disks busy while they move) keeps the view shown: from the I/O view, that I/O
    await page.click('label[for="view-cluster"]');
    expect(await page.evaluate(() => window.hvsim.load('live-vs-quick-migration'))).toBe(true);
    expect(await page.evaluate(() => window.hvsim.cluster().on)).toBe(false);
    expect(await page.evaluate(() => window.hvsim.load('migration-dirty-rate'))).toBe(true);
    expect(await page.evaluate(() => window.hvsim.cluster().on)).toBe(true);
  });

  it('draws the hosts and drains the migration bar as the trace is stepped, forward and back', async () => {
    await page.waitForFunction(() => document.querySelector('#canvas div[role="img"] canvas') !== null);
    const passIndex = await page.evaluate(() => {
      const s = window.hvsim.state();
      return s.total;
    });
    expect(passIndex).toBeGreaterThan(10);
    // step to the third pass of the idle VM's migration
    const cursor = await page.evaluate(() => {
      for (let i = 0; i < 400; i++) {
        window.hvsim.step(1);
        const v = window.hvsim.cluster().view;
        const m = v?.migrations.find((x) => x.vm === 'idle');
        if (m !== undefined && m.pass === 2) return window.hvsim.state().cursor;
      }
      return -1;
    });
    expect(cursor).toBeGreaterThan(0);
    const view = await page.evaluate(() => window.hvsim.cluster());
    expect(view.on).toBe(true);
    expect(view.view!.hosts.map((h) => h.id)).toEqual(['h1', 'h2', 'h3']);
    const left2 = view.view!.migrations.find((m) => m.vm === 'idle')!.leftBytes;
    expect(left2).toBeLessThan(2048 * 2 ** 20);
    expect(await colours()).toBeGreaterThan(5);
    await page.screenshot({ path: join(shots, 'cluster-view-migration.png') });
    const back = await page.evaluate(() => {
      window.hvsim.back(1);
      return window.hvsim.cluster().view!.migrations.find((m) => m.vm === 'idle')!.leftBytes;
    });
    expect(back).toBeGreaterThan(left2);
  });

  it('greys a failed host', async () => {
    expect(await page.evaluate(() => window.hvsim.load('host-failure-ha-vs-dag'))).toBe(true);
    const h1 = await page.evaluate(() => {
      window.hvsim.cluster(true);
      const s = window.hvsim.state();
      window.hvsim.seek(Math.floor(s.total / 2));
      return window.hvsim.cluster().view!.hosts.find((h) => h.id === 'h1');
    });
    expect(h1!.alive).toBe(false);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(shots, 'cluster-view-failure.png') });
  });

  it('opens the I/O view on any host: a click on a host in the cluster view, the control, and window.hvsim', async () => {
    expect(await page.evaluate(() => window.hvsim.load('live-vs-quick-migration'))).toBe(true);
    await page.setViewportSize({ width: 1366, height: 768 });
    expect(await page.isVisible('#view-io-host')).toBe(true);
    // at the end web and mail run on h2; the I/O view starts on the detailed host h1
    const start = await page.evaluate(() => {
      window.hvsim.cluster(false);
      window.hvsim.seek(window.hvsim.state().total);
      return window.hvsim.clusterHost();
    });
    expect(start.ioViewHost).toBe('h1');
    expect(start.vmsHere).toEqual([]);
    expect(start.caption).toContain('I/O view of host h1');
    // the VMs now on h2 are shaded on h1's I/O view, their packets faint (the detailed stack runs their I/O)
    expect((await page.evaluate(() => window.hvsim.canvasText().shaded)).sort()).toEqual(['mail', 'web']);
    // mid-way through web's quick migration: its life cycle's save drains the bar
    const saving = await page.evaluate(() => {
      window.hvsim.cluster(true);
      const total = window.hvsim.state().total;
      for (let i = 0; i < total; i += 250) {
        window.hvsim.seek(i);
        const m = window.hvsim.cluster().view?.migrations.find((x) => x.vm === 'web');
        if (m !== undefined && m.phase === 'saving state' && m.leftBytes <= m.memoryBytes / 2) return m;
      }
      return null;
    });
    expect(saving).not.toBeNull();
    await page.waitForFunction(() => document.querySelector('#canvas div[role="img"] canvas') !== null);
    await page.waitForTimeout(200);
    await page.evaluate(() => window.hvsim.frame(16));
    await page.screenshot({ path: join(shots, 'cluster-view-quick-save-1366x768.png') });
    // click h2's column on the cluster canvas, at the end of the run
    await page.evaluate(() => window.hvsim.seek(window.hvsim.state().total));
    await page.waitForFunction(() => document.querySelector('#canvas div[role="img"] canvas') !== null);
    await page.waitForTimeout(200);
    await page.evaluate(() => window.hvsim.frame(16));
    await page.screenshot({ path: join(shots, 'cluster-view-1366x768.png') });
    const box = (await page.locator('#canvas div[role="img"] canvas').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.25);
    const picked = await page.evaluate(() => window.hvsim.clusterHost());
    expect(picked.on).toBe(false);
    expect(picked.ioViewHost).toBe('h2');
    expect(picked.vmsHere.sort()).toEqual(['mail', 'web']);
    expect(await page.isVisible('.cluster-io-caption')).toBe(true);
    expect(await page.textContent('.cluster-io-caption')).toContain('VMs here now: web, mail');
    expect(await page.inputValue('#view-io-host')).toBe('h2');
    expect(await page.evaluate(() => window.hvsim.canvasText().shaded)).toEqual([]);
    await page.screenshot({ path: join(shots, 'cluster-io-view-h2.png') });
    // back before the quick migration: web is still on h1, so h2 holds nothing yet
    const early = await page.evaluate(() => {
      window.hvsim.seek(5);
      return window.hvsim.clusterHost();
    });
    expect(early.vmsHere).toEqual([]);
    expect((await page.evaluate(() => window.hvsim.canvasText().shaded)).sort()).toEqual(['mail', 'web']);
    // the control picks h1 again; an unknown host changes nothing
    await page.selectOption('#view-io-host', 'h1');
    const h1 = await page.evaluate(() => window.hvsim.clusterHost('nope'));
    expect(h1.ioViewHost).toBe('h1');
    expect(h1.vmsHere.sort()).toEqual(['mail', 'web']);
    expect(await page.evaluate(() => window.hvsim.canvasText().shaded)).toEqual([]);
  });

  it('keeps every label inside its box on every cluster scenario at 1366×768 in the projector view, through the run', async () => {
    const { page, errors } = await openPage(app.browser, app.url, 1366, 768);
    const found: Record<string, string[]> = {};
    for (const name of ['live-vs-quick-migration', 'migration-dirty-rate', 'host-failure-ha-vs-dag', 'vss-backup', 'vmotion']) {
      expect(await page.evaluate((n) => window.hvsim.load(n), name)).toBe(true);
      found[name] = await page.evaluate(async () => {
        window.hvsim.view({ projector: true });
        window.hvsim.cluster(true);
        for (let i = 0; i < 100 && window.hvsim.cluster().overflowingText === null; i++) await new Promise((r) => setTimeout(r, 50));
        const total = window.hvsim.state().total;
        const out = new Set<string>();
        for (let k = 1; k <= 12; k++) {
          window.hvsim.seek(Math.round((total * k) / 12));
          window.hvsim.frame(16);
          for (const label of window.hvsim.cluster().overflowingText ?? ['not drawn']) out.add(label);
        }
        return [...out];
      });
    }
    expect(found).toEqual({ 'live-vs-quick-migration': [], 'migration-dirty-rate': [], 'host-failure-ha-vs-dag': [], 'vss-backup': [], vmotion: [] });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("draws the cluster's smallest text at the projector view's 16 px floor, and at 11 px without it", async () => {
    const sized = await openPage(app.browser, app.url, 1366, 768);
    expect(await sized.page.evaluate(() => window.hvsim.load('vmotion'))).toBe(true);
    const sizes: Record<string, number | null> = {};
    for (const projector of [true, false]) {
      sizes[String(projector)] = await sized.page.evaluate(async (on) => {
        window.hvsim.view({ projector: on });
        window.hvsim.cluster(true);
        for (let i = 0; i < 100 && window.hvsim.cluster().smallestTextPx === null; i++) await new Promise((r) => setTimeout(r, 50));
        window.hvsim.frame(16);
        return window.hvsim.cluster().smallestTextPx;
      }, projector);
    }
    expect(sizes).toEqual({ true: 16, false: 11 });
    await sized.page.screenshot({ path: join(shots, 'cluster-view-projector-text.png') });
    expect(sized.errors).toEqual([]);
    await sized.page.close();
  });

  it("puts the I/O view's caption on a line of its own under the canvas, off the Hardware row, at 1366×768 and 1920×1080", async () => {
    for (const [width, height] of [
      [1366, 768],
      [1920, 1080],
    ] as const) {
      const sized = await openPage(app.browser, app.url, width, height);
      for (const name of ['live-vs-quick-migration', 'vss-backup', 'host-failure-ha-vs-dag', 'migration-dirty-rate', 'vmotion']) {
        expect(await sized.page.evaluate((n) => window.hvsim.load(n), name)).toBe(true);
        const where = await sized.page.evaluate(() => {
          window.hvsim.cluster(false); // the I/O view (a run with no I/O opens on the cluster view)
          window.hvsim.frame(16);
          const caption = document.querySelector('.cluster-io-caption') as HTMLElement;
          const c = caption.getBoundingClientRect();
          const canvas = document.querySelector('#canvas')!.getBoundingClientRect();
          return { text: caption.textContent ?? '', shown: !caption.hidden && c.height > 0, below: c.top >= canvas.bottom - 0.5, inWindow: c.bottom <= innerHeight + 0.5, canvasHeight: canvas.height };
        });
        expect(where.text, name).toContain('I/O view of host h1');
        expect({ shown: where.shown, below: where.below, inWindow: where.inWindow }, `${name} at ${width}×${height}`).toEqual({ shown: true, below: true, inWindow: true });
        expect(where.canvasHeight).toBeGreaterThan(300);
        if (name === 'vss-backup') await sized.page.screenshot({ path: join(shots, `cluster-io-caption-${width}x${height}.png`) });
      }
      expect(sized.errors).toEqual([]);
      await sized.page.close();
    }
  });

  it('hides for a single-host scenario, with no console error', async () => {
    expect(await page.evaluate(() => window.hvsim.load('queue-depth'))).toBe(true);
    expect(await page.isVisible('label[for="view-cluster"]')).toBe(false);
    expect(await page.isVisible('#view-io-host')).toBe(false);
    expect(await page.isVisible('.cluster-io-caption')).toBe(false);
    expect(await page.evaluate(() => window.hvsim.cluster().on)).toBe(false);
    expect(errors).toEqual([]);
  });
});
