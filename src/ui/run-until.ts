/**
 * Where "Run until" stops: the cursor just after the first record, from
 * the present cursor on, that meets the condition (a simulated time, a
 * request's completion, a record of a kind, a record at a place), or why
 * there is none (a kind the run does not hold named as such, with the
 * nearest kinds it does). A pure search over the run's records in columns;
 * the app plays to the cursor it gives (`App.runUntil`).
 */
import { holdMs } from '../render/clock.js';
import type { RecordStore } from '../scenario/index.js';
import type { UntilKind } from './controls.js';
import type { Follow } from './lesson/index.js';
import { kindsOfRun } from './run-records.js';

/** How many kinds a "not a kind" message names: enough to show the form, few enough for one notice. */
const KIND_EXAMPLES = 3;

/** The cursor to stop at, or the sentence saying why there is none. */
export type UntilTarget = { ok: true; cursor: number } | { ok: false; message: string };

/**
 * The cursor "Run until `kind` `value`" stops at, from `cursor` on: for a
 * time (µs), the cursor at that simulated time; for a request (its flow
 * number), just after its `io.request.completed`; for a kind or a place,
 * just after the next such record (among `followed`'s records when one is
 * followed). A target before the cursor is returned as it is (the app
 * seeks back to it).
 */
export function untilTarget(
  store: RecordStore,
  cursor: number,
  followed: Pick<Follow, 'findNext'> | null,
  kind: UntilKind,
  value: string,
  places: readonly { id: string; label: string }[] = [],
): UntilTarget {
  if (kind === 'time') {
    const us = Number(value);
    if (value === '' || !Number.isFinite(us) || us < 0) return { ok: false, message: `Run until: '${value}' is not a time in µs.` };
    return { ok: true, cursor: store.cursorAtTime(Math.round(us * 1000)) };
  }
  if (kind === 'request') {
    const flow = Number(value);
    const i = Number.isInteger(flow) ? firstOf(store.ofFlow(flow), (k) => store.kindAt(k) === 'io.request.completed') : -1;
    if (i < 0) return { ok: false, message: `Request ${value} never completes in this run.` };
    return { ok: true, cursor: i + 1 };
  }
  if (kind === 'place' && places.length > 0 && !places.some((p) => p.id === value)) {
    // A place as the canvas names it ("SynIC", "NTFS"): every place of that label (NTFS is in each VM and the root).
    const wanted = value.trim().toLowerCase();
    const ids = places.filter((p) => p.label.toLowerCase() === wanted).map((p) => p.id);
    if (ids.length === 0) return { ok: false, message: `Run until: no place '${value}' in this run; name one as the canvas labels it (e.g. ${places[0]!.label}) or by its id (${places[0]!.id}).` };
    const idSet = new Set(ids.map((placeId) => store.idOf(placeId)));
    const i =
      followed !== null
        ? followed.findNext(cursor, (k) => idSet.has(store.placeIdAt(k)))
        : ids.reduce((first, placeId) => {
            const next = store.nextAtPlace(cursor, placeId);
            return next >= 0 && (first < 0 || next < first) ? next : first;
          }, -1);
    if (i < 0) return { ok: false, message: `No later record at ${value} after record ${cursor}.` };
    return { ok: true, cursor: i + 1 };
  }
  // A kind typed in another case is that kind; a kind the run does not hold is said as such, not as "no later record".
  const name = kind === 'kind' ? kindOfRun(store, value) : value;
  if (name === null) return { ok: false, message: unknownKindMessage(store, value) };
  // The store's index by kind or place answers at once; following, the followed records are tested in turn.
  const id = store.idOf(name);
  const test = kind === 'kind' ? (k: number) => store.kindIdAt(k) === id : (k: number) => store.placeIdAt(k) === id;
  const i = followed !== null ? followed.findNext(cursor, test) : kind === 'kind' ? store.nextOfKind(cursor, name) : store.nextAtPlace(cursor, name);
  if (i < 0) return { ok: false, message: `No later record ${kind === 'kind' ? 'of kind' : 'at'} ${name} after record ${cursor}.` };
  return { ok: true, cursor: i + 1 };
}

/** `typed` as a kind of the run (exactly, else ignoring case), or null when the run holds no such kind. */
function kindOfRun(store: RecordStore, typed: string): string | null {
  if (typed === '') return null;
  if (store.ofKind(typed).length > 0) return typed;
  const wanted = typed.toLowerCase();
  return [...store.kindCounts().keys()].find((k) => k.toLowerCase() === wanted) ?? null;
}

/**
 * Why `typed` names no kind, with the run's kinds nearest to it as
 * examples (those that contain it first, then by edit distance), so a
 * student who typed `io.request.complete` reads `io.request.completed`.
 */
function unknownKindMessage(store: RecordStore, typed: string): string {
  const kinds = kindsOfRun(store).map((k) => k.kind);
  if (kinds.length === 0) return 'Run until: this run has no records.';
  const all = `the value field lists all ${kinds.length}`;
  if (typed === '') return `Run until: type a record kind or pick one from the list (${all}), e.g. ${inWords(kinds.slice(0, KIND_EXAMPLES))}.`;
  const wanted = typed.toLowerCase();
  const ranked = kinds.map((k) => ({ k, rank: (k.includes(wanted) ? 0 : 1000) + editDistance(wanted, k) }));
  const nearest = ranked.sort((a, b) => a.rank - b.rank).slice(0, KIND_EXAMPLES).map((r) => r.k);
  return `Run until: '${typed}' is not a record kind in this run; the nearest are ${inWords(nearest)} (${all}).`;
}

/** `a`, `a and b`, `a, b and c`. */
function inWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Levenshtein distance (insertions, deletions, substitutions), one row at a time. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length]!;
}

/** The first of `rows` that passes `test`, or -1. */
function firstOf(rows: Int32Array, test: (i: number) => boolean): number {
  for (let k = 0; k < rows.length; k++) if (test(rows[k]!)) return rows[k]!;
  return -1;
}

/**
 * How long Run until may play before it jumps instead: past this, playing
 * to the target at the chosen speed would look stuck (500 µs of the
 * headline at 1× had reached 38 µs after 21 s).
 */
export const RUN_UNTIL_PLAY_MS = 8000;

/**
 * Whether playing the records from `from` to `to` at `speed` takes longer
 * than `budgetMs` (the sum of their holds, stopping once past it).
 */
export function playsTooLong(store: RecordStore, from: number, to: number, speed: number, budgetMs = RUN_UNTIL_PLAY_MS): boolean {
  let ms = 0;
  for (let i = from; i < to; i++) {
    ms += holdMs(store.costNsAt(i) + store.waitNsAt(i), speed);
    if (ms > budgetMs) return true;
  }
  return false;
}
