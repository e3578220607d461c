/**
 * Where "Run until" stops: the cursor just after the first record, from
 * the present cursor on, that meets the condition (a simulated time, a
 * request's completion, a record of a kind, a record at a place), or why
 * there is none. A pure search over the run's records in columns; the app
 * plays to the cursor it gives (`App.runUntil`).
 */
import { holdMs } from '../render/clock.js';
import type { RecordStore } from '../scenario/index.js';
import type { UntilKind } from './controls.js';
import type { Follow } from './lesson/index.js';

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
  // The store's index by kind or place answers at once; following, the followed records are tested in turn.
  const id = store.idOf(value);
  const test = kind === 'kind' ? (k: number) => store.kindIdAt(k) === id : (k: number) => store.placeIdAt(k) === id;
  const i = followed !== null ? followed.findNext(cursor, test) : kind === 'kind' ? store.nextOfKind(cursor, value) : store.nextAtPlace(cursor, value);
  if (i < 0) return { ok: false, message: `No later record ${kind === 'kind' ? 'of kind' : 'at'} ${value} after record ${cursor}.` };
  return { ok: true, cursor: i + 1 };
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
