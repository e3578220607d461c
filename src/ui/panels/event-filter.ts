/**
 * The event list's filter: the pure `matchRecord` and the controls that
 * edit a filter (kind, place, partition, request, "only this request",
 * free-text search). The answer to event floods (ux-ecosystem §1.3).
 */
import type { Topology } from '../../model/topology.js';
import type { HvRecord } from '../../model/trace-events.js';
import type { RecordStore } from '../../scenario/index.js';
import { el, partitionLabel, placeLabel, placePartition, uniqueId } from './dom.js';
import { kindsOfRun } from '../run-records.js';

/**
 * What the event list shows. Every field is optional; an absent or empty
 * field matches everything.
 * - `kind`: an exact kind, or a prefix ending in `*` (`vmbus.*`).
 * - `place`: a place id. `partition`: the partition of the record's place.
 * - `flow`: a request id. `text`: case-insensitive search in the kind,
 *   place id and label, and stream.
 */
export type EventFilter = { kind?: string; place?: string; partition?: string; flow?: number; text?: string };

/** Does `r` pass `f`? Pure; `topology` supplies place partitions and labels. */
export function matchRecord(r: HvRecord, f: EventFilter, topology: Topology): boolean {
  const kind = f.kind;
  if (kind !== undefined && kind !== '') {
    if (kind.endsWith('*')) {
      if (!r.kind.startsWith(kind.slice(0, -1))) return false;
    } else if (r.kind !== kind) return false;
  }
  if (f.place !== undefined && f.place !== '' && r.place !== f.place) return false;
  if (f.partition !== undefined && f.partition !== '' && placePartition(topology, r.place) !== f.partition) return false;
  if (f.flow !== undefined && Number.isFinite(f.flow) && r.flow !== f.flow) return false;
  if (f.text !== undefined && f.text.trim() !== '') {
    const q = f.text.trim().toLowerCase();
    const hit =
      r.kind.toLowerCase().includes(q) ||
      r.place.toLowerCase().includes(q) ||
      placeLabel(topology, r.place).toLowerCase().includes(q) ||
      r.stream.toLowerCase().includes(q);
    if (!hit) return false;
  }
  return true;
}

/**
 * The indices of the records of `store` that pass `f`, ascending: the same
 * test as `matchRecord`, decided once per distinct kind, place and stream
 * (the store interns them) and then read off the columns, so a filter over
 * a million records costs a few milliseconds and builds no record.
 */
export function matchRows(store: RecordStore, f: EventFilter, topology: Topology): Int32Array {
  const n = store.length;
  const strings = store.strings.values;
  const kind = f.kind ?? '';
  const place = f.place ?? '';
  const partition = f.partition ?? '';
  const flow = f.flow !== undefined && Number.isFinite(f.flow) ? f.flow : undefined;
  const q = f.text?.trim().toLowerCase() ?? '';
  // Per interned string: passes as a kind, as a place, and matches the text as a kind, a place (id or label) or a stream.
  const kindOk = new Uint8Array(strings.length);
  const placeOk = new Uint8Array(strings.length);
  const textKind = new Uint8Array(strings.length);
  const textPlace = new Uint8Array(strings.length);
  const textStream = new Uint8Array(strings.length);
  for (let id = 0; id < strings.length; id++) {
    const s = strings[id]!;
    kindOk[id] = kind === '' || (kind.endsWith('*') ? s.startsWith(kind.slice(0, -1)) : s === kind) ? 1 : 0;
    placeOk[id] = (place === '' || s === place) && (partition === '' || placePartition(topology, s) === partition) ? 1 : 0;
    if (q !== '') {
      const lower = s.toLowerCase();
      textKind[id] = lower.includes(q) ? 1 : 0;
      textStream[id] = textKind[id]!;
      textPlace[id] = textKind[id]! === 1 || placeLabel(topology, s).toLowerCase().includes(q) ? 1 : 0;
    }
  }
  const rows = flow === undefined ? null : store.ofFlow(flow);
  const count = rows === null ? n : rows.length;
  const out = new Int32Array(count);
  let k = 0;
  for (let j = 0; j < count; j++) {
    const i = rows === null ? j : rows[j]!;
    const kid = store.kindIdAt(i);
    const pid = store.placeIdAt(i);
    if (kid < 0 || pid < 0 || kindOk[kid] === 0 || placeOk[pid] === 0) continue;
    if (q !== '') {
      const sid = store.streamIdAt(i);
      if (textKind[kid] === 0 && textPlace[pid] === 0 && (sid < 0 || textStream[sid] === 0)) continue;
    }
    out[k++] = i;
  }
  return k === count ? out : out.slice(0, k);
}

/** True when `f` lets every record through. */
export function isEmptyFilter(f: EventFilter): boolean {
  return !f.kind && !f.place && !f.partition && (f.flow === undefined || !Number.isFinite(f.flow)) && !f.text?.trim();
}

/** The option group of a kind: its first dotted part; storvsc and storvsp share one. */
function kindGroup(kind: string): { key: string; label: string; prefix: string } {
  const first = kind.split('.')[0]!;
  if (first === 'storvsc' || first === 'storvsp') return { key: 'storvs', label: 'storvsc. / storvsp.', prefix: 'storvs*' };
  return { key: first, label: `${first}.`, prefix: `${first}.*` };
}

function option(value: string, text: string): HTMLOptionElement {
  const o = el('option', { text });
  o.value = value;
  return o;
}

function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  const id = uniqueId('hv-filter');
  control.id = id;
  const label = el('label', { class: 'hv-field', attrs: { for: id } }, el('span', { text }), control);
  return label;
}

/** The filter controls. Calls `onChange` with the whole filter after every edit. */
export class FilterControls {
  readonly root: HTMLElement;
  private readonly kind = el('select');
  private readonly place = el('select');
  private readonly partition = el('select');
  private readonly flow = el('input', { attrs: { type: 'number', min: '0', step: '1', inputmode: 'numeric', placeholder: 'any' } });
  private readonly only = el('input', { attrs: { type: 'checkbox' } });
  private readonly text = el('input', { attrs: { type: 'search', placeholder: 'kind, place, stream' } });
  private readonly clear = el('button', { text: 'Clear filters', attrs: { type: 'button' } });

  /**
   * @param currentFlow the request of the selected (or current) record, for
   *   "only this request"; -1 when it belongs to none.
   */
  constructor(
    private readonly onChange: (f: EventFilter) => void,
    private readonly currentFlow: () => number,
  ) {
    this.root = el(
      'div',
      { class: 'hv-filters', attrs: { role: 'group', 'aria-label': 'Event filters' } },
      labelled('Kind', this.kind),
      labelled('Place', this.place),
      labelled('Partition', this.partition),
      labelled('Request', this.flow),
      el('label', { class: 'hv-field hv-toggle' }, this.only, el('span', { text: 'Only this request' })),
      labelled('Search', this.text),
      this.clear,
    );
    const changed = (): void => this.onChange(this.read());
    this.kind.addEventListener('change', changed);
    this.place.addEventListener('change', changed);
    this.partition.addEventListener('change', changed);
    this.flow.addEventListener('input', () => {
      this.only.checked = this.flow.value !== '';
      changed();
    });
    this.text.addEventListener('input', changed);
    this.only.addEventListener('change', () => {
      if (this.only.checked) {
        const flow = this.currentFlow();
        if (flow < 0) this.only.checked = false;
        else this.flow.value = String(flow);
      } else this.flow.value = '';
      changed();
    });
    this.clear.addEventListener('click', () => {
      this.write({});
      changed();
    });
  }

  /** Fills the selects from the records present (kinds with counts, from the store's index by kind) and the topology. */
  populate(records: RecordStore, topology: Topology): void {
    // Catalog order first, then any kind this build does not know (as Run until suggests them).
    const kinds = kindsOfRun(records);
    const groups = new Map<string, HTMLOptGroupElement>();
    const kindOptions: HTMLElement[] = [option('', `All kinds (${records.length.toLocaleString('en-US')})`)];
    for (const { kind: k, count } of kinds) {
      const g = kindGroup(k);
      let group = groups.get(g.key);
      if (group === undefined) {
        group = el('optgroup', { attrs: { label: g.label } });
        group.append(option(g.prefix, `All ${g.label}*`));
        groups.set(g.key, group);
        kindOptions.push(group);
      }
      group.append(option(k, `${k} (${count.toLocaleString('en-US')})`));
    }
    this.kind.replaceChildren(...kindOptions);

    const placeOptions: HTMLElement[] = [option('', 'All places')];
    for (const part of topology.partitions) {
      const places = topology.places.filter((p) => p.partition === part.id);
      if (places.length === 0) continue;
      const group = el('optgroup', { attrs: { label: part.label } });
      for (const p of places) group.append(option(p.id, p.label));
      placeOptions.push(group);
    }
    this.place.replaceChildren(...placeOptions);
    this.partition.replaceChildren(option('', 'All partitions'), ...topology.partitions.map((p) => option(p.id, partitionLabel(topology, p.id))));
  }

  /** The filter the controls show. */
  read(): EventFilter {
    const f: EventFilter = {};
    if (this.kind.value !== '') f.kind = this.kind.value;
    if (this.place.value !== '') f.place = this.place.value;
    if (this.partition.value !== '') f.partition = this.partition.value;
    const flow = this.flow.value.trim() === '' ? NaN : Number(this.flow.value);
    if (Number.isInteger(flow)) f.flow = flow;
    if (this.text.value.trim() !== '') f.text = this.text.value;
    return f;
  }

  /** Shows `f` in the controls (an unknown select value is added as an option, so it stays visible). */
  write(f: EventFilter): void {
    setSelect(this.kind, f.kind ?? '');
    setSelect(this.place, f.place ?? '');
    setSelect(this.partition, f.partition ?? '');
    this.flow.value = f.flow !== undefined && Number.isFinite(f.flow) ? String(f.flow) : '';
    this.only.checked = this.flow.value !== '';
    this.text.value = f.text ?? '';
  }
}

function setSelect(select: HTMLSelectElement, value: string): void {
  if (![...select.options].some((o) => o.value === value)) select.append(option(value, value));
  select.value = value;
}
