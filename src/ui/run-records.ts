/**
 * What the app reads off a run's records in columns (`RecordStore`) when
 * it loads one: the streams in the order they first appear, each stream's
 * request latencies, a request's trail of places, the kinds it holds.
 * Each reads one or two columns or the store's index by kind or flow, and
 * builds no record.
 */
import type { RecordStore } from '../scenario/index.js';
import { RECORD_KINDS } from './panels/explain.js';

/** The distinct non-empty streams, in the order of their first record. */
export function streamsInOrder(store: RecordStore): string[] {
  const k = store.stringColumnIndex('stream');
  const first: { stream: string; at: number }[] = [];
  for (const s of store.strings.values) {
    if (s === '') continue;
    const rows = store.rowsWithString(k, s);
    if (rows.length > 0) first.push({ stream: s, at: rows[0]! });
  }
  return first.sort((a, b) => a.at - b.at).map((f) => f.stream);
}

/**
 * Every stream's request latencies (ns) in completion order, keyed in the
 * order streams first appear: `metrics/latenciesByStream` over columns.
 */
export function latenciesOfStore(store: RecordStore): Map<string, number[]> {
  const out = new Map<string, number[]>(streamsInOrder(store).map((s) => [s, []]));
  for (const i of store.ofKind('io.request.completed')) {
    const list = out.get(store.streamAt(i));
    const latency = store.field(i, 'latencyNs');
    if (list !== undefined && typeof latency === 'number' && store.field(i, 'dropped') !== true) list.push(latency);
  }
  return out;
}

/** The places request `flow` visited in its records before `cursor`, a place repeated in a row once. */
export function trailOf(store: RecordStore, flow: number, cursor: number): string[] {
  if (flow < 0) return [];
  const places: string[] = [];
  for (const i of store.ofFlow(flow)) {
    if (i >= cursor) break;
    const place = store.placeAt(i);
    if (places[places.length - 1] !== place) places.push(place);
  }
  return places;
}

/** The request's stream whose trail `trailOf(store, flow, …)` draws ('' for none): its first record's. */
export function streamOfFlow(store: RecordStore, flow: number): string {
  const first = flow < 0 ? undefined : store.ofFlow(flow)[0];
  return first === undefined ? '' : store.streamAt(first);
}

/** A record kind present in a run and how many records it has. */
export interface KindCount {
  kind: string;
  count: number;
}

/**
 * The kinds `store` holds, with their counts: the catalog's order first
 * (the event list's kind filter shows them in the same order), then any
 * kind this build does not know.
 */
export function kindsOfRun(store: RecordStore): KindCount[] {
  const counts = store.kindCounts();
  const catalog: readonly string[] = RECORD_KINDS;
  const kinds = [...catalog.filter((k) => counts.has(k)), ...[...counts.keys()].filter((k) => !catalog.includes(k))];
  return kinds.map((kind) => ({ kind, count: counts.get(kind)! }));
}
