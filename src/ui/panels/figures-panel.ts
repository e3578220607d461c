/**
 * The run's figures beyond its I/O paths, as `hvsim run` prints them under
 * "Figures of the run" (the same names, `flattenFigures`, and units,
 * `formatFigure`): each migration's passes, total and blackout, each
 * failure's detection and downtime per VM, the DAG's failovers, backups,
 * clients' gaps, each VM's life cycle, the scheduler's. A cluster run has
 * no I/O path to chart: without this panel the app showed nothing it
 * measured there but the claims. Each part folds; each item (a migration,
 * a VM) has its tables under its own heading, a list in it (a live
 * migration's passes) a table of its own, a row per element; a filter keeps
 * the rows whose figure's name, or item's heading, holds its text. Every
 * value's title names its figure in full, as a claim names it
 * (`migrations[0].blackoutNs`), so a trainer can copy it into a scenario.
 * Text only (textContent): names hold scenario ids.
 * Hidden for a run with no such figures (an I/O run's are its paths').
 */
import { flattenFigures, type FigureLeaf, type RunFigures } from '../../metrics/run-figures.js';
import { formatFigure } from '../../scenario/claims.js';
import { el } from './dom.js';

/** One figure as the panel shows it: its full name, and its value in its unit (`—` for none). */
export interface FigureRow {
  name: string;
  value: string;
}

/** What the panel shows (`window.hvsim.figures()`): each part, whether it is open, and its figures that pass the filter. */
export interface FiguresPanelState {
  shown: boolean;
  filter: string;
  parts: { part: string; open: boolean; rows: FigureRow[] }[];
}

/** A table row the filter shows or hides: one figure, or one element of a list (a migration's pass) with its figures. */
interface Row {
  figures: FigureRow[];
  row: HTMLElement;
}

interface Item {
  /** The item's name under its part (`migrations[0]`, `vms.mail`), or the part's own for a part with no items. */
  key: string;
  heading: string;
  rows: Row[];
  /** Its heading and tables, hidden when the filter keeps none of its rows. */
  box: HTMLElement;
}

interface Part {
  part: string;
  details: HTMLDetailsElement;
  items: Item[];
}

/** A leaf as the CLI writes it: a number in its unit, a yes/no as true or false, none as a dash. */
function valueText(name: string, value: FigureLeaf): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'number' ? formatFigure(name, value) : String(value);
}

/**
 * The item a figure belongs to: `migrations[0]` of `migrations[0].passes[1].sentBytes`,
 * `vms.mail` of `vms.mail.saveNs`; the part itself for a part's own figures (`cluster.heartbeatRounds`).
 */
function itemOf(part: string, value: unknown, name: string): string {
  const rest = name.slice(part.length);
  if (Array.isArray(value)) return part + (/^\[\d+\]/.exec(rest)?.[0] ?? '');
  if (value !== null && typeof value === 'object' && Object.values(value).every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
    const key = /^\.([^.[]+)/.exec(rest)?.[1];
    return key === undefined ? part : `${part}.${key}`;
  }
  return part;
}

/** The value under `key` in its part (`migrations[2]`: the third migration). */
function itemValue(part: string, value: unknown, key: string): unknown {
  if (key === part) return value;
  if (Array.isArray(value)) return value[Number(/\[(\d+)\]$/.exec(key)![1])];
  return (value as Record<string, unknown>)[key.slice(part.length + 1)];
}

/** A heading that says which item it is: the index or key, then what names it (a migration's VM, hosts and method; a failure's host). */
function headingOf(key: string, item: unknown): string {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return key;
  const f = item as Record<string, unknown>;
  const text = (k: string): string | undefined => (typeof f[k] === 'string' && f[k] !== '' ? (f[k] as string) : undefined);
  const vm = text('vm');
  const route = text('from') !== undefined && text('to') !== undefined ? `${text('from')} → ${text('to')}` : undefined;
  const method = text('method');
  const words = [vm ?? text('host'), route, method === undefined ? undefined : `(${method})`].filter((w) => w !== undefined);
  return words.length === 0 ? key : `${key} · ${words.join(' ')}`;
}

const headRow = (...names: string[]): HTMLElement => el('thead', {}, el('tr', {}, ...names.map((n) => el('th', { attrs: { scope: 'col' }, text: n }))));

const valueCell = (f: FigureRow): HTMLElement => el('td', { text: f.value, attrs: f.value === '—' ? { title: `${f.name}: none in this run`, 'data-figure': f.name } : { title: f.name, 'data-figure': f.name } });

/**
 * An item's tables: its own figures, a row each (`blackoutNs  51.32 ms`), then each list of
 * records in it (a live migration's passes) as a table of its own, a row per element and a
 * column per figure, as a student reads pass after pass.
 */
function itemTables(key: string, figures: readonly FigureRow[]): { rows: Row[]; tables: HTMLElement[] } {
  const plain: Row[] = [];
  const lists = new Map<string, Map<number, FigureRow[]>>();
  for (const f of figures) {
    const rest = f.name.slice(key.length).replace(/^\./, '');
    const listed = /^([^.[]+)\[(\d+)\]\.([^.[]+)$/.exec(rest);
    if (listed === null) {
      plain.push({ figures: [f], row: el('tr', { attrs: { 'data-figure': f.name } }, el('th', { attrs: { scope: 'row', title: f.name }, text: rest }), valueCell(f)) });
      continue;
    }
    const list = lists.get(listed[1]!) ?? new Map<number, FigureRow[]>();
    lists.set(listed[1]!, list);
    const element = list.get(Number(listed[2])) ?? [];
    list.set(Number(listed[2]), element);
    element.push(f);
  }
  const tables = plain.length === 0 ? [] : [el('table', { class: 'hv-figures-table' }, headRow('figure', 'value'), el('tbody', {}, ...plain.map((r) => r.row)))];
  const rows = [...plain];
  for (const [list, elements] of lists) {
    const columns = [...new Set([...elements.values()].flatMap((fs) => fs.map((f) => f.name.slice(f.name.lastIndexOf('.') + 1))))];
    const listRows = [...elements].map(([index, fs]): Row => {
      const byColumn = new Map(fs.map((f) => [f.name.slice(f.name.lastIndexOf('.') + 1), f]));
      return {
        figures: fs,
        row: el('tr', {}, el('th', { attrs: { scope: 'row' }, text: String(index) }), ...columns.map((c) => (byColumn.has(c) ? valueCell(byColumn.get(c)!) : el('td', { text: '' })))),
      };
    });
    rows.push(...listRows);
    tables.push(
      el(
        'table',
        { class: 'hv-figures-table hv-figures-list', attrs: { 'data-list': `${key}.${list}` } },
        el('caption', { text: `${list}[i]` }),
        headRow('i', ...columns),
        el('tbody', {}, ...listRows.map((r) => r.row)),
      ),
    );
  }
  return { rows, tables };
}

export class FiguresPanel {
  private readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly empty: HTMLElement;
  private readonly note = el('p', { class: 'hv-figures-note' });
  private parts: Part[] = [];

  constructor(host: HTMLElement) {
    this.input = el('input', { attrs: { type: 'search', id: 'figures-filter', placeholder: 'blackout, downtime…', autocomplete: 'off', spellcheck: 'false' } });
    this.input.addEventListener('input', () => this.applyFilter());
    this.body = el('div', { class: 'hv-figures-parts' });
    this.empty = el('p', { class: 'hv-muted', text: 'No figure has that in its name.' });
    this.empty.hidden = true;
    this.root = el(
      'section',
      { class: 'hv-panel hv-figures', attrs: { 'aria-label': 'Figures of the run' } },
      el('h2', { text: 'Figures of the run' }),
      this.note,
      el('label', { class: 'hv-figures-filter', attrs: { for: 'figures-filter' } }, document.createTextNode('Filter '), this.input),
      this.empty,
      this.body,
    );
    this.root.hidden = true;
    host.append(this.root);
  }

  /** A new run's figures, all shown (a filter typed for the last run would hide the new one's without a word). */
  setFigures(figures: RunFigures): void {
    this.input.value = '';
    this.parts = Object.entries(figures).flatMap(([part, value]): Part[] => {
      const flat = flattenFigures({ [part]: value } as RunFigures);
      if (flat.length === 0) return [];
      const byItem = new Map<string, FigureRow[]>();
      for (const [name, leaf] of flat) {
        const key = itemOf(part, value, name);
        const list = byItem.get(key) ?? [];
        byItem.set(key, list);
        list.push({ name, value: valueText(name, leaf) });
      }
      const items = [...byItem].map(([key, rows]): Item => {
        const heading = key === part ? '' : headingOf(key, itemValue(part, value, key));
        const { rows: shown, tables } = itemTables(key, rows);
        const box = el('div', { class: 'hv-figures-item', attrs: { 'data-item': key } }, heading === '' ? null : el('h3', { text: heading }), ...tables);
        return { key, heading, rows: shown, box };
      });
      const details = el(
        'details',
        { class: 'hv-figures-part', attrs: { 'data-part': part } },
        el('summary', { text: `${part} · ${flat.length === 1 ? '1 figure' : `${flat.length.toLocaleString('en-US')} figures`}` }),
        ...items.map((i) => i.box),
      );
      details.open = true;
      return [{ part, details, items }];
    });
    this.body.replaceChildren(...this.parts.map((p) => p.details));
    this.root.hidden = this.parts.length === 0;
    const example = this.parts.find((p) => p.part === 'migrations' || p.part === 'failovers')?.items[0]?.rows.find((r) => /Ns$/.test(r.figures[0]!.name)) ?? this.parts[0]?.items[0]?.rows[0];
    this.note.textContent = `The whole run’s figures, as hvsim run prints them. A value’s tooltip gives its full name, the one a claim names it by${example === undefined ? '' : ` (${example.figures[0]!.name})`}.`;
    this.applyFilter();
  }

  /** Keeps the rows whose full name holds `text` (any case); '' shows them all. Returns what is shown. */
  filter(text: string): FiguresPanelState {
    this.input.value = text;
    this.applyFilter();
    return this.state();
  }

  state(): FiguresPanelState {
    return {
      shown: !this.root.hidden,
      filter: this.input.value,
      parts: this.parts.map((p) => ({
        part: p.part,
        open: p.details.open,
        rows: p.items.flatMap((i) => i.rows.filter((r) => !r.row.hidden).flatMap((r) => r.figures)),
      })),
    };
  }

  private applyFilter(): void {
    const words = this.input.value.trim().toLowerCase();
    let any = false;
    for (const part of this.parts) {
      let inPart = false;
      for (const item of part.items) {
        let inItem = false;
        // An item's heading counts too: 'mail' finds the migration of VM mail, whose figures' names hold only its index.
        const heading = item.heading.toLowerCase();
        for (const r of item.rows) {
          r.row.hidden = words !== '' && !heading.includes(words) && !r.figures.some((f) => f.name.toLowerCase().includes(words));
          inItem ||= !r.row.hidden;
        }
        for (const table of item.box.querySelectorAll('table')) table.hidden = [...table.tBodies[0]!.rows].every((row) => row.hidden);
        item.box.hidden = !inItem;
        inPart ||= inItem;
      }
      part.details.hidden = !inPart;
      // A filter opens the parts it finds rows in (a folded part would hide them); clearing it leaves them as they are.
      if (words !== '' && inPart) part.details.open = true;
      any ||= inPart;
    }
    this.empty.hidden = any || this.parts.length === 0;
  }
}
