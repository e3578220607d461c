// @vitest-environment happy-dom
/**
 * The UX review's fixes that a unit can hold: the timeline's keys after a
 * choice in a select, the picker's unloaded choice, the narrator's words
 * (records, not steps; a place or a cost said once; byte counts), glossary
 * links never inside identifiers and never split from their bracket, the
 * comparison strip's honest "so far", the charts' reconciliation, and the
 * projector view's default.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { actionForKey, type ActionTarget } from '../../src/ui/actions.js';
import { releaseKeysAfterChange } from '../../src/ui/select-keys.js';
import { ScenarioPicker } from '../../src/ui/panels/scenario-picker.js';
import { narration } from '../../src/ui/panels/narrator.js';
import { formatBytes } from '../../src/ui/panels/dom.js';
import { insideIdentifier, linkedText } from '../../src/ui/lesson/glossary-view.js';
import { stripText, stripWidth } from '../../src/ui/panels/comparison-strip.js';
import { reconcile } from '../../src/ui/panels/path-charts.js';
import { initialViewOptions, rememberedProjector } from '../../src/ui/view-options.js';
import type { PathMetrics } from '../../src/metrics/index.js';
import { makeRecord, TOPOLOGY } from './panel-fixtures.js';

afterEach(() => {
  document.body.replaceChildren();
});

const target: ActionTarget = {
  togglePlay() {},
  stepForward() {},
  stepBack() {},
  seek() {},
  end() {},
  toggleHelp() {},
  nextOfSelectedKind() {},
  lessonNext() {},
  lessonBack() {},
  focusLesson() {},
  lessonOpen: false,
};

function keyOn(el: Element, key: string): KeyboardEvent {
  let seen: KeyboardEvent | undefined;
  document.addEventListener('keydown', (e) => (seen = e), { once: true });
  el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  return seen!;
}

describe('a select whose choice was just made', () => {
  it('gives →, ← and Space back to the timeline, until ↑ / ↓ choose again', () => {
    const host = document.createElement('div');
    document.body.append(host);
    releaseKeysAfterChange(host);
    const select = document.createElement('select');
    for (const v of ['a', 'b', 'c']) {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = v;
      select.append(o);
    }
    host.append(select);
    expect(actionForKey(keyOn(select, 'ArrowRight'), target, false)).toBeUndefined();
    select.value = 'b';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect(actionForKey(keyOn(select, 'ArrowRight'), target, false)?.id).toBe('step');
    expect(actionForKey(keyOn(select, ' '), target, false)?.id).toBe('play');
    expect(actionForKey(keyOn(select, 'ArrowDown'), target, false)).toBeUndefined();
    expect(actionForKey(keyOn(select, 'ArrowRight'), target, false)).toBeUndefined();
  });
});

describe('the scenario picker', () => {
  it('highlights Load while it names a scenario that is not loaded, and Enter loads it', () => {
    const host = document.createElement('div');
    document.body.append(host);
    const loaded: string[] = [];
    const picker = new ScenarioPicker(host, { bundled: [{ name: 'a', text: '{}' }, { name: 'b', text: '{}' }], onLoadText() {}, onLoadBundled: (n) => loaded.push(n) });
    picker.setSelected('a');
    const load = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Load')!;
    const select = host.querySelector('select')!;
    expect(load.classList.contains('hv-pending')).toBe(false);
    select.value = 'b';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    expect(picker.pending).toBe(true);
    expect(load.classList.contains('hv-pending')).toBe(true);
    expect(load.title).toMatch(/not loaded/);
    select.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(loaded).toEqual(['b']);
    picker.setSelected('b');
    expect(load.classList.contains('hv-pending')).toBe(false);
  });
});

describe('the narrator', () => {
  it('counts records, not steps (a lesson has steps)', () => {
    expect(narration(makeRecord('hv.intercept.exited', 41, { t: 1200 }), TOPOLOGY)).toBe('Record 42 at 1.2 µs: VM exit (I/O port 0x1F7) on legacy-pio, 800 ns.');
  });

  it('says a place once: not again when the record’s words name it', () => {
    const r = makeRecord('disk.request.waited', 9, { stream: '', place: 'hw.disk.d-syn', costNs: 0, waitNs: 3000 });
    expect(narration(r, TOPOLOGY)).toBe('Record 10 at 900 ns: Disk d-syn queue wait, after waiting 3 µs.');
  });

  it('says a duration once: not again when the record’s words give it', () => {
    const r = makeRecord('cluster.migration.pass', 4, { stream: '', costNs: 751_910_000, bytes: 89_852_872 } as never);
    const text = narration(r, TOPOLOGY);
    expect(text.match(/751\.91 ms/g)).toHaveLength(1);
    expect(text).toContain('86 MiB');
    expect(text).not.toContain('89,852,872');
  });
});

describe('formatBytes', () => {
  it('writes big counts in MiB or GiB, as the canvas does', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(8192)).toBe('8 KiB');
    expect(formatBytes(4 << 20)).toBe('4 MiB');
    expect(formatBytes(89_852_872)).toBe('86 MiB');
    expect(formatBytes(3.5 * 2 ** 20)).toBe('3.5 MiB');
    expect(formatBytes(4 * 2 ** 30)).toBe('4 GiB');
    expect(formatBytes(1.25 * 2 ** 30 + 7)).toBe('1.25 GiB');
  });
});

describe('glossary links', () => {
  const buttons = (text: string): string[] => {
    const p = document.createElement('p');
    p.append(linkedText(text));
    return [...p.querySelectorAll('button.hv-term')].map((b) => b.textContent ?? '');
  };

  it('never link a term inside an identifier', () => {
    expect(insideIdentifier('root.vmwp.legacy-dma', 0, 4)).toBe(true);
    expect(insideIdentifier('band root-kernel', 10, 16)).toBe(true);
    expect(insideIdentifier('in the root.', 7, 11)).toBe(false);
    expect(buttons('root.vmwp.legacy-dma')).toEqual([]);
    expect(buttons('root-kernel')).toEqual([]);
    expect(buttons('a hypercall from the root.').length).toBeGreaterThan(0);
  });

  it('keep an opening bracket with its term', () => {
    const p = document.createElement('p');
    p.append(linkedText('Signal to guest (hypercall).'));
    const button = [...p.querySelectorAll('button.hv-term')].find((b) => b.textContent === 'hypercall')!;
    const piece = button.parentElement!;
    expect(piece.classList.contains('hv-nowrap')).toBe(true);
    expect(piece.textContent).toBe('(hypercall).');
    expect(p.textContent).toBe('Signal to guest (hypercall).');
  });
});

describe('the comparison strip', () => {
  it('says a mean so far beside the whole run’s, not "of" it', () => {
    expect(stripText('mean', '4.14 ms', '4.07 ms', false)).toBe('4.14 ms · 4.07 ms');
    expect(stripText('total', '0.8', '1', false)).toBe('0.8 of 1');
    expect(stripText('mean', null, '4.07 ms', false)).toBe('— · 4.07 ms');
    expect(stripText('mean', '4.14 ms', '4.07 ms', true)).toBe('4.07 ms');
  });

  it('never fills a bar past its outline', () => {
    expect(stripWidth(4.14, 4.07, 38.59)).toBeCloseTo((4.07 / 38.59) * 100);
    expect(stripWidth(50, 40, 40)).toBe(100);
    expect(stripWidth(null, 4, 8)).toBe(0);
  });
});

describe('the charts’ reconciliation', () => {
  const p = { requests: 1 } as PathMetrics;
  it('never calls two different numbers the latency', () => {
    const text = reconcile(p, 648_000, 641_600);
    expect(text).toBe('CPU, device and waiting time add up to 648 µs, within 1 % of the mean latency (641.6 µs).');
    expect(reconcile(p, 641_600, 641_600)).toBe('CPU, device and waiting time add up to the latency (641.6 µs).');
  });
});

describe('the projector view’s default', () => {
  const none = new URLSearchParams();
  it('is on up to a 1920×1080 projector, off on a bigger screen', () => {
    expect(initialViewOptions(none, 1366, 768, false).projector).toBe(true);
    expect(initialViewOptions(none, 1920, 1080, false).projector).toBe(true);
    expect(initialViewOptions(none, 1920, 1200, false).projector).toBe(false);
    expect(initialViewOptions(none, 2560, 1440, false).projector).toBe(false);
  });

  it('follows the choice remembered in this browser, and the link over both', () => {
    expect(initialViewOptions(none, 1366, 768, false, false).projector).toBe(false);
    expect(initialViewOptions(none, 2560, 1440, false, true).projector).toBe(true);
    expect(initialViewOptions(new URLSearchParams('projector=1'), 2560, 1440, false, false).projector).toBe(true);
    expect(rememberedProjector({ getItem: () => '0' })).toBe(false);
    expect(rememberedProjector({ getItem: () => null })).toBeUndefined();
    expect(
      rememberedProjector({
        getItem: () => {
          throw new Error('refused');
        },
      }),
    ).toBeUndefined();
  });
});
