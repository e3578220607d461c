/**
 * The event list: every record of the run, filterable, virtualised. A
 * filter builds an Int32Array of the matching record indices; only the rows
 * in view (plus a few either side) exist in the DOM, and they are reused
 * as the list scrolls, so 200,000 records cost no more to show than 200.
 *
 * Keyboard: the list is one focusable grid. ↑/↓ move the selection,
 * PageUp/PageDown by a screen, Home/End to the ends, Enter jumps there
 * (`onJump(index + 1)`, so the cursor stands just after that record).
 */
import { lowerBound } from '../../engine/index.js';
import { formatNs } from '../../engine/sim-time.js';
import type { Topology } from '../../model/topology.js';
import type { RecordStore } from '../../scenario/index.js';
import { el, placeLabel, uniqueId } from './dom.js';
import { FilterControls, isEmptyFilter, matchRows, type EventFilter } from './event-filter.js';

export { matchRecord, matchRows, type EventFilter } from './event-filter.js';

/** Height of one row in CSS pixels (the CSS reads it from `--hv-row-h`). */
export const ROW_PX = 36;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 6;
/** Rows assumed visible when the viewport has no layout yet (hidden, or a DOM without layout). */
const FALLBACK_VISIBLE_ROWS = 24;
/** Never more rows than this, whatever the viewport. */
const MAX_ROWS = 160;
/**
 * The tallest the scrolled content gets (px): browsers cap an element's
 * height near 33 M px, which 36 px rows pass at about 900,000 records.
 * Past it the scroll position maps to a row proportionally.
 */
export const MAX_SCROLL_PX = 8_000_000;

const COLUMNS = ['Seq', 'Time', 'Kind', 'Place', 'Stream', 'Request', 'Took'] as const;
/** The columns of names, which the list's width may cut (Kind, Place, Stream): a cut one carries its whole text as its title. */
const NAME_COLUMNS = [2, 3, 4] as const;
/** What a header means where its word alone may not say (the inspector shows the cost and the wait apart). */
const COLUMN_TITLES: Partial<Record<(typeof COLUMNS)[number], string>> = {
  Took: 'What the step took: its cost plus any wait before it (for its processor, a ring or the disk)',
  Request: "The request's number (its flow), or — for work of no request",
};

export interface EventListOptions {
  /** The user chose a record: `index` is the cursor to seek to (the record's index + 1). */
  onJump(index: number): void;
  /** The user edited the filter (optional). */
  onFilterChange?(f: EventFilter): void;
}

export class EventList {
  private readonly root: HTMLElement;
  private readonly controls: FilterControls;
  private readonly status = el('p', { class: 'hv-list-status', attrs: { role: 'status' } });
  private readonly grid: HTMLElement;
  private readonly spacer = el('div', { class: 'hv-list-spacer', attrs: { role: 'presentation' } });
  private rows: HTMLElement[] = [];
  private readonly idPrefix = uniqueId('hv-ev');

  private records: RecordStore | null = null;
  private topology: Topology = { partitions: [], places: [], links: [] };
  private filter: EventFilter = {};
  private matches: Int32Array = new Int32Array(0);
  private cursor = 0;
  /** Selected position in `matches`, or -1. */
  private selected = -1;

  constructor(
    host: HTMLElement,
    private readonly opts: EventListOptions,
  ) {
    this.controls = new FilterControls(
      (f) => {
        this.applyFilter(f);
        this.opts.onFilterChange?.(this.filter);
      },
      () => this.focusFlow(),
    );
    const headingId = uniqueId('hv-ev-title');
    const header = el('div', { class: 'hv-list-row hv-list-head', attrs: { role: 'row', 'aria-rowindex': '1' } });
    for (const c of COLUMNS) {
      const title = COLUMN_TITLES[c];
      header.append(el('span', { text: c, attrs: { role: 'columnheader', ...(title === undefined ? {} : { title }) } }));
    }
    this.grid = el(
      'div',
      {
        class: 'hv-list-viewport',
        attrs: { role: 'grid', tabindex: '0', 'aria-labelledby': headingId, 'aria-colcount': String(COLUMNS.length), 'aria-readonly': 'true' },
      },
      el('div', { attrs: { role: 'rowgroup' } }, header),
      el('div', { class: 'hv-list-body', attrs: { role: 'rowgroup' } }, this.spacer),
    );
    this.grid.style.setProperty('--hv-row-h', `${ROW_PX}px`);
    this.root = el(
      'section',
      { class: 'hv-panel hv-event-list', attrs: { 'aria-labelledby': headingId } },
      el('h2', { text: 'Events', attrs: { id: headingId } }),
      this.controls.root,
      this.status,
      this.grid,
    );
    host.append(this.root);

    this.grid.addEventListener('scroll', () => {
      const top = this.grid.scrollTop;
      // The echo of the list's own last write, arriving after it asked for another position (not yet written), is stale.
      if (this.scrollPending && Math.abs(top - this.lastWritten) < 1) return;
      // Anything else is the user's scroll: it wins over a pending write.
      this.scrollPending = false;
      this.scrollPx = top;
      this.render();
    });
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => {
        this.gridHeight = this.grid.clientHeight;
        // Another width cuts other names: every row's titles are worked out again.
        for (const row of this.rows) this.untitled.add(row);
        this.render();
      }).observe(this.grid);
    }
    this.grid.addEventListener('click', (e) => {
      const row = (e.target as Element | null)?.closest?.('[data-pos]');
      if (row === null || row === undefined) return;
      this.select(Number((row as HTMLElement).dataset.pos));
      this.jumpSelected();
    });
    this.grid.addEventListener('keydown', (e) => this.onKey(e));
    this.updateStatus();
  }

  /** Replaces the records (a new run) and reapplies the current filter. */
  setRecords(records: RecordStore, topology: Topology): void {
    this.records = records;
    // A new run: no row shows any of its records yet.
    for (const row of this.rows) delete row.dataset.index;
    this.topology = topology;
    this.controls.populate(records, topology);
    this.controls.write(this.filter);
    this.selected = -1;
    this.setScroll(0);
    this.applyFilter(this.filter);
  }

  /** Marks record `cursor - 1` as current, selects it and scrolls it into view (if it passes the filter). */
  setCursor(cursor: number): void {
    this.cursor = cursor;
    const index = cursor - 1;
    if (index >= 0) {
      const pos = lowerBound(this.matches, index);
      if (pos < this.matches.length && this.matches[pos] === index) this.selected = pos;
      this.scrollIntoView(Math.min(pos, this.matches.length - 1), true);
    }
    this.render();
  }

  /** Sets the filter (and shows it in the controls). */
  setFilter(f: EventFilter): void {
    this.controls.write(f);
    this.applyFilter(f);
  }

  /** The filter in force. */
  get currentFilter(): EventFilter {
    return { ...this.filter };
  }

  /** Records passing the filter. */
  get visibleCount(): number {
    return this.matches.length;
  }

  /** Moves keyboard focus to the list. */
  focus(): void {
    this.grid.focus();
  }

  private applyFilter(f: EventFilter): void {
    const before = this.selected >= 0 ? this.matches[this.selected] : undefined;
    this.filter = { ...f };
    const n = this.records?.length ?? 0;
    if (isEmptyFilter(f) || this.records === null) {
      this.matches = new Int32Array(n);
      for (let i = 0; i < n; i++) this.matches[i] = i;
    } else this.matches = matchRows(this.records, f, this.topology);
    this.selected = -1;
    const keep = before ?? this.cursor - 1;
    if (keep >= 0) {
      const pos = lowerBound(this.matches, keep);
      if (this.matches[pos] === keep) this.selected = pos;
      this.scrollIntoView(Math.min(pos, this.matches.length - 1), true);
    }
    this.spacer.style.height = `${Math.min(this.matches.length * ROW_PX, MAX_SCROLL_PX)}px`;
    this.grid.setAttribute('aria-rowcount', String(this.matches.length + 1));
    this.updateStatus();
    this.render();
  }

  /** The request "only this request" should keep: the selected record's, else the current one's. */
  private focusFlow(): number {
    const records = this.records;
    if (records === null) return -1;
    const sel = this.selected >= 0 ? records.flowAt(this.matches[this.selected]!) : -1;
    if (sel >= 0) return sel;
    return this.cursor - 1 >= 0 && this.cursor - 1 < records.length ? records.flowAt(this.cursor - 1) : -1;
  }

  private updateStatus(): void {
    const total = this.records?.length ?? 0;
    const shown = this.matches.length;
    this.status.textContent =
      shown === total ? `${total.toLocaleString('en-US')} records` : `${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} records match the filter`;
  }

  /**
   * The grid's height, kept by a ResizeObserver: reading `clientHeight`
   * after the step's DOM writes forces a synchronous layout of the page
   * (~10 ms a step here), so it is read only when the box changes.
   */
  private gridHeight = -1;
  /** The grid's scroll position as last set or scrolled to (reading `scrollTop` after DOM writes forces a layout too). */
  private scrollPx = 0;

  private scrollPending = false;
  /** The scroll position the list last wrote. */
  private lastWritten = 0;

  /**
   * Scrolls to `px`: the rows are laid out for it at once, and the grid's
   * `scrollTop` is written at the next animation frame (writing it forces a
   * layout; stepping ten times between two frames would lay the page out
   * ten times).
   */
  private setScroll(px: number): void {
    // The browser clamps to the content; so does this, near enough (the scroll event brings the exact value).
    this.scrollPx = Math.max(0, Math.min(px, Math.min(this.matches.length * ROW_PX, MAX_SCROLL_PX) - Math.max(0, this.gridHeight)));
    if (typeof requestAnimationFrame !== 'function') {
      this.grid.scrollTop = this.lastWritten = this.scrollPx;
      return;
    }
    if (this.scrollPending) return;
    this.scrollPending = true;
    requestAnimationFrame(() => {
      // A user's scroll since then cancelled this write.
      if (!this.scrollPending) return;
      this.scrollPending = false;
      this.grid.scrollTop = this.lastWritten = this.scrollPx;
    });
  }

  private viewRows(): number {
    if (this.gridHeight < 0 || typeof ResizeObserver !== 'function') this.gridHeight = this.grid.clientHeight;
    const h = this.gridHeight;
    return h > 0 ? Math.max(1, Math.floor(h / ROW_PX) - 1) : FALLBACK_VISIBLE_ROWS;
  }

  /** Pixels of scroll per row: ROW_PX, or less when the content is capped at MAX_SCROLL_PX. */
  private scrollPerRow(): number {
    const rows = this.matches.length;
    // At the farthest scroll (the content's height less the grid's), the last row must sit at the bottom.
    this.viewRows();
    const h = Math.max(ROW_PX, this.gridHeight);
    const visible = h / ROW_PX;
    if (rows * ROW_PX <= MAX_SCROLL_PX || rows <= visible) return ROW_PX;
    return (MAX_SCROLL_PX - h) / (rows - visible);
  }

  /** The position (in `matches`) of the first row at the top of the view. */
  private topRow(): number {
    return Math.floor(this.scrollPx / this.scrollPerRow() + 1e-6);
  }

  /** Rows whose text or width changed since their cut cells were last titled (`titleCutCells`). */
  private readonly untitled = new Set<HTMLElement>();
  private titlesPending = false;

  /**
   * Titles the cut names after the next paint: whether a cell is cut is a
   * layout read, which right after the step's DOM writes would force a
   * synchronous layout of the page (as `gridHeight` says); after the paint
   * the layout is clean and the reads are cheap.
   */
  private titleCutCellsLater(): void {
    if (this.titlesPending || this.untitled.size === 0) return;
    this.titlesPending = true;
    const run = (): void => {
      this.titlesPending = false;
      this.titleCutCells();
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(run, 0));
    else run();
  }

  /** A name cut by its column carries its whole text as its title (a tooltip); one shown whole carries none. */
  private titleCutCells(): void {
    for (const row of this.untitled) {
      if (!row.isConnected) continue;
      for (const c of NAME_COLUMNS) {
        const cell = row.children[c] as HTMLElement;
        if (cell.scrollWidth > cell.clientWidth) cell.title = cell.textContent ?? '';
        else cell.removeAttribute('title');
      }
    }
    this.untitled.clear();
  }

  /** Scrolls so position `pos` is visible (`center`: put it mid-view when it must move). */
  private scrollIntoView(pos: number, center = false): void {
    if (pos < 0) return;
    const rows = this.viewRows();
    const top = this.topRow();
    if (pos >= top && pos < top + rows) return;
    const first = center ? pos - Math.floor(rows / 2) : pos < top ? pos : pos - rows + 1;
    this.setScroll(Math.max(0, first) * this.scrollPerRow());
  }

  private render(): void {
    const total = this.matches.length;
    const records = this.records;
    if (records === null) return;
    // Rows sit ROW_PX apart from the top row's place, however many rows a scrolled pixel maps to.
    const top = this.topRow();
    const topPx = top * this.scrollPerRow();
    const first = Math.max(0, top - OVERSCAN);
    const count = Math.max(0, Math.min(total - first, this.viewRows() + 2 * OVERSCAN + 1, MAX_ROWS));
    // A row keeps showing the position it showed, when that position is still in view: its element
    // stays put under a pointer (or an automation) that located it, and its cells are not rewritten.
    const byPos = new Map<number, HTMLElement>();
    const free: HTMLElement[] = [];
    for (const row of this.rows) {
      const pos = Number(row.dataset.pos ?? -1);
      if (pos >= first && pos < first + count && !byPos.has(pos)) byPos.set(pos, row);
      else free.push(row);
    }
    const rows: HTMLElement[] = [];
    for (let i = 0; i < count; i++) {
      let row = byPos.get(first + i) ?? free.pop();
      if (row === undefined) {
        row = el('div', { class: 'hv-list-row', attrs: { role: 'row' } });
        for (let c = 0; c < COLUMNS.length; c++) row.append(el('span', { attrs: { role: 'gridcell' } }));
      }
      rows.push(row);
    }
    for (const row of free) if (!rows.includes(row)) row.remove();
    this.rows = rows;
    const current = this.cursor - 1;
    let activeId = '';
    for (let i = 0; i < count; i++) {
      const pos = first + i;
      const index = this.matches[pos]!;
      const row = rows[i]!;
      if (row.parentNode !== this.spacer) this.spacer.append(row);
      row.id = `${this.idPrefix}-${pos}`;
      row.dataset.pos = String(pos);
      row.style.transform = `translateY(${Math.round(topPx + (pos - top) * ROW_PX)}px)`;
      row.setAttribute('aria-rowindex', String(pos + 2));
      const isSelected = pos === this.selected;
      row.setAttribute('aria-selected', String(isSelected));
      if (isSelected) activeId = row.id;
      row.classList.toggle('hv-current', index === current);
      if (index === current) row.setAttribute('aria-current', 'step');
      else row.removeAttribute('aria-current');
      // A row already showing this record keeps its cells.
      if (row.dataset.index === String(index)) continue;
      row.dataset.index = String(index);
      const cells = row.children;
      // Read off the columns: no record is built for a row.
      const stream = records.streamAt(index);
      const flow = records.flowAt(index);
      cells[0]!.textContent = String(index);
      cells[1]!.textContent = formatNs(records.tAt(index));
      cells[2]!.textContent = records.kindAt(index);
      cells[3]!.textContent = placeLabel(this.topology, records.placeAt(index));
      cells[4]!.textContent = stream === '' ? '—' : stream;
      cells[5]!.textContent = flow < 0 ? '—' : String(flow);
      cells[6]!.textContent = formatNs(records.costNsAt(index) + records.waitNsAt(index));
      this.untitled.add(row);
    }
    this.titleCutCellsLater();
    if (activeId !== '') this.grid.setAttribute('aria-activedescendant', activeId);
    else this.grid.removeAttribute('aria-activedescendant');
  }

  private select(pos: number): void {
    if (this.matches.length === 0) return;
    this.selected = Math.max(0, Math.min(this.matches.length - 1, pos));
    this.scrollIntoView(this.selected);
    this.render();
  }

  private jumpSelected(): void {
    if (this.selected < 0) return;
    this.opts.onJump(this.matches[this.selected]! + 1);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const page = this.viewRows();
    const from = this.selected >= 0 ? this.selected : Math.max(0, this.topRow() - 1);
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        this.select(this.selected < 0 ? from : from + 1);
        break;
      case 'ArrowUp':
        this.select(this.selected < 0 ? from : from - 1);
        break;
      case 'PageDown':
        this.select(from + page);
        break;
      case 'PageUp':
        this.select(from - page);
        break;
      case 'Home':
        this.select(0);
        break;
      case 'End':
        this.select(this.matches.length - 1);
        break;
      case 'Enter':
        this.jumpSelected();
        break;
      default:
        handled = false;
    }
    if (handled) {
      // The list owns these keys while it has focus (the app binds Home/End to seeking).
      e.preventDefault();
      e.stopPropagation();
    }
  }
}

