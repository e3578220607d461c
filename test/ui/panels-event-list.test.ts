// @vitest-environment happy-dom
/** The event list: the pure filter, virtualisation at 200,000 records, jumping by click and keyboard. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecordStore } from '../../src/scenario/index.js';
import { EventList, matchRecord, matchRows, MAX_SCROLL_PX, type EventFilter } from '../../src/ui/panels/event-list.js';
import { makeRecord, syntheticRecords, TOPOLOGY } from './panel-fixtures.js';

afterEach(() => {
  document.body.replaceChildren();
});

describe('matchRecord', () => {
  const exit = makeRecord('hv.intercept.exited', 5, { place: 'hv', flow: 3 });
  const ring = makeRecord('vmbus.ring.written', 6, { place: 'enlightened.ring.data', band: 'vmbus', stream: 'enlightened/data/vmbus-scsi', flow: -1 });
  const match = (r: typeof exit, f: EventFilter) => matchRecord(r, f, TOPOLOGY);

  it('lets everything through an empty filter', () => {
    expect(match(exit, {})).toBe(true);
    expect(match(ring, { kind: '', place: '', partition: '' })).toBe(true);
  });

  it('matches a kind exactly or by a prefix ending in *', () => {
    expect(match(exit, { kind: 'hv.intercept.exited' })).toBe(true);
    expect(match(exit, { kind: 'hv.intercept' })).toBe(false);
    expect(match(exit, { kind: 'hv.*' })).toBe(true);
    expect(match(ring, { kind: 'hv.*' })).toBe(false);
    expect(match(ring, { kind: 'vmbus.*' })).toBe(true);
  });

  it('matches place, the partition of the place, and the request', () => {
    expect(match(exit, { place: 'hv' })).toBe(true);
    expect(match(exit, { place: 'root.vid' })).toBe(false);
    expect(match(exit, { partition: 'hypervisor' })).toBe(true);
    expect(match(ring, { partition: 'enlightened' })).toBe(true);
    expect(match(ring, { partition: 'root' })).toBe(false);
    expect(match(exit, { flow: 3 })).toBe(true);
    expect(match(exit, { flow: 4 })).toBe(false);
    expect(match(ring, { flow: 3 })).toBe(false);
  });

  it('falls back to the place id for a partition the topology does not list', () => {
    const r = makeRecord('stack.layer.passed', 1, { place: 'root.ntfs' });
    expect(match(r, { partition: 'root' })).toBe(true);
  });

  it('searches kind, place id and label, and stream, ignoring case', () => {
    expect(match(ring, { text: 'RING (DATA)' })).toBe(true);
    expect(match(ring, { text: 'enlightened/data' })).toBe(true);
    expect(match(exit, { text: 'intercept' })).toBe(true);
    expect(match(exit, { text: 'storvsc' })).toBe(false);
  });

  it('combines every field with AND', () => {
    expect(match(exit, { kind: 'hv.*', place: 'hv', flow: 3 })).toBe(true);
    expect(match(exit, { kind: 'hv.*', place: 'hv', flow: 2 })).toBe(false);
  });
});

describe('matchRows', () => {
  it('picks exactly the records matchRecord passes, for every kind of filter', () => {
    const records = syntheticRecords(5_000, 40);
    const store = RecordStore.of(records);
    const filters: EventFilter[] = [
      {},
      { kind: 'hv.intercept.exited' },
      { kind: 'vmbus.*' },
      { place: 'hv' },
      { partition: 'root' },
      { flow: 7 },
      { text: 'RING (DATA)' },
      { text: 'enlightened/' },
      { kind: 'hv.*', flow: 6, partition: 'hypervisor' },
      { kind: 'nope' },
      { flow: 10_000 },
    ];
    for (const f of filters) {
      const expected = records.flatMap((r, i) => (matchRecord(r, f, TOPOLOGY) ? [i] : []));
      expect(Array.from(matchRows(store, f, TOPOLOGY)), JSON.stringify(f)).toEqual(expected);
    }
  });
});

describe('EventList', () => {
  const N = 200_000;
  const records = RecordStore.of(syntheticRecords(N, 100));

  function mount() {
    const host = document.createElement('div');
    document.body.append(host);
    const onJump = vi.fn<(index: number) => void>();
    const list = new EventList(host, { onJump });
    list.setRecords(records, TOPOLOGY);
    const grid = host.querySelector<HTMLElement>('[role="grid"]')!;
    const rows = () => [...host.querySelectorAll<HTMLElement>('[role="row"][data-pos]')];
    return { host, list, onJump, grid, rows };
  }

  it('keeps only the rows in view in the DOM for 200,000 records', () => {
    const { list, rows, grid } = mount();
    expect(list.visibleCount).toBe(N);
    expect(rows().length).toBeGreaterThan(0);
    expect(rows().length).toBeLessThanOrEqual(60);
    expect(grid.getAttribute('aria-rowcount')).toBe(String(N + 1));
    // Scrolling far down reuses the same few rows.
    grid.scrollTop = 150_000 * 36;
    grid.dispatchEvent(new Event('scroll'));
    expect(rows().length).toBeLessThanOrEqual(60);
    expect(rows().some((r) => r.firstElementChild?.textContent === '150000')).toBe(true);
  });

  it('caps the scrolled height past about 220,000 rows and still reaches the last record', () => {
    const big = RecordStore.of(syntheticRecords(300_000, 100));
    const host = document.createElement('div');
    document.body.append(host);
    const list = new EventList(host, { onJump: () => {} });
    list.setRecords(big, TOPOLOGY);
    const spacer = host.querySelector<HTMLElement>('.hv-list-spacer')!;
    expect(spacer.style.height).toBe(`${MAX_SCROLL_PX}px`);
    list.setCursor(300_000);
    const texts = [...host.querySelectorAll<HTMLElement>('[role="row"][data-pos]')].map((r) => r.firstElementChild?.textContent);
    expect(texts).toContain('299999');
  });

  it('filters to the matching records and reports the count', () => {
    const { list, rows, host } = mount();
    const started = performance.now();
    list.setFilter({ kind: 'hv.intercept.exited' });
    const elapsed = performance.now() - started;
    expect(list.visibleCount).toBe(N / 5);
    expect(rows().every((r) => r.children[2]!.textContent === 'hv.intercept.exited')).toBe(true);
    list.setFilter({ kind: 'hv.intercept.exited', flow: 7 });
    // Record i has kind index i % 5 and flow i % 100: both hold for i ≡ 1 (mod 5) and i ≡ 7 (mod 100), never at once.
    expect(list.visibleCount).toBe(0);
    list.setFilter({ kind: 'hv.intercept.exited', flow: 6 });
    expect(list.visibleCount).toBe(N / 100);
    list.setFilter({ partition: 'root' });
    expect(list.visibleCount).toBe((2 * N) / 5);
    list.setFilter({});
    expect(list.visibleCount).toBe(N);
    expect(host.querySelector('[role="status"]')!.textContent).toContain('200,000');
    expect(elapsed).toBeLessThan(2000);
  });

  it('filters from its own controls', () => {
    const { list, host } = mount();
    const kind = host.querySelector<HTMLSelectElement>('select')!;
    expect(kind.querySelector('optgroup[label="hv."]')).not.toBeNull();
    kind.value = 'vmbus.*';
    kind.dispatchEvent(new Event('change'));
    expect(list.visibleCount).toBe(N / 5);
    const flow = host.querySelector<HTMLInputElement>('input[type="number"]')!;
    flow.value = '4';
    flow.dispatchEvent(new Event('input'));
    expect(list.visibleCount).toBe(N / 100);
    expect(list.currentFilter).toEqual({ kind: 'vmbus.*', flow: 4 });
  });

  it('rewrites its rows for a new run, and keeps a row on its position while it stays in view', () => {
    const { list, rows } = mount();
    const kindOf = (pos: number) => rows().find((r) => r.dataset.pos === String(pos))!.children[2]!.textContent;
    const before = rows().find((r) => r.dataset.pos === '3')!;
    list.setCursor(5);
    expect(rows().find((r) => r.dataset.pos === '3')).toBe(before);
    const other = RecordStore.of(syntheticRecords(1_000, 100).map((r) => ({ ...r, kind: 'cpu.context.switched' }) as typeof r));
    list.setRecords(other, TOPOLOGY);
    expect(kindOf(3)).toBe('cpu.context.switched');
  });

  it('jumps to record index + 1 on click and on Enter', () => {
    const { onJump, rows, grid } = mount();
    const third = rows()[2]!;
    third.children[3]!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(onJump).toHaveBeenLastCalledWith(3);
    grid.focus();
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(onJump).toHaveBeenLastCalledWith(4);
    expect(grid.getAttribute('aria-activedescendant')).toBe(rows().find((r) => r.getAttribute('aria-selected') === 'true')!.id);
  });

  it('jumps to the filtered record, not the row position', () => {
    const { list, onJump, rows } = mount();
    list.setFilter({ kind: 'vid.intercept.dispatched' });
    rows()[1]!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    // Matches are records 2, 7, 12, ...: the second is record 7.
    expect(onJump).toHaveBeenLastCalledWith(8);
  });

  it('gives a name its column cuts its whole text as a title once painted, and none to one shown whole', async () => {
    // happy-dom lays nothing out: a cell is "cut" here when its text is longer than 12 characters.
    const scroll = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'scrollWidth');
    const client = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth');
    Object.defineProperty(HTMLElement.prototype, 'scrollWidth', { configurable: true, get(this: HTMLElement) { return (this.textContent ?? '').length * 8; } });
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get() { return 12 * 8; } });
    try {
      const { rows } = mount();
      const painted = () => new Promise<void>((done) => requestAnimationFrame(() => setTimeout(() => setTimeout(done, 0), 0)));
      await painted();
      const cells = rows().flatMap((r) => [2, 3, 4].map((c) => r.children[c] as HTMLElement));
      const cut = cells.filter((c) => (c.textContent ?? '').length > 12);
      const whole = cells.filter((c) => (c.textContent ?? '').length <= 12);
      expect(cut.length).toBeGreaterThan(0);
      expect(whole.length).toBeGreaterThan(0);
      for (const c of cut) expect(c.title).toBe(c.textContent);
      for (const c of whole) expect(c.hasAttribute('title')).toBe(false);
    } finally {
      if (scroll !== undefined) Object.defineProperty(HTMLElement.prototype, 'scrollWidth', scroll);
      if (client !== undefined) Object.defineProperty(HTMLElement.prototype, 'clientWidth', client);
    }
  });

  it('highlights the record before the cursor and scrolls it into view', () => {
    const { list, rows } = mount();
    list.setCursor(123_457);
    const current = rows().filter((r) => r.classList.contains('hv-current'));
    expect(current).toHaveLength(1);
    expect(current[0]!.firstElementChild!.textContent).toBe('123456');
    expect(current[0]!.getAttribute('aria-current')).toBe('step');
    expect(rows().length).toBeLessThanOrEqual(60);
  });

  it('keeps End and Home to itself while focused', () => {
    const { grid, onJump } = mount();
    const appKeys = vi.fn();
    document.addEventListener('keydown', appKeys);
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    grid.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    document.removeEventListener('keydown', appKeys);
    expect(appKeys).not.toHaveBeenCalled();
    expect(onJump).toHaveBeenLastCalledWith(N);
  });

  it('"only this request" keeps the selected record\'s request', () => {
    const { list, host } = mount();
    list.setCursor(43); // record 42, request 42
    const toggle = host.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change'));
    expect(list.currentFilter.flow).toBe(42);
    expect(list.visibleCount).toBe(N / 100);
    toggle.checked = false;
    toggle.dispatchEvent(new Event('change'));
    expect(list.visibleCount).toBe(N);
  });
});
