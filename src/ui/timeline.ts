/**
 * The timeline store: the view state at a cursor over a run's records,
 * kept in columns (`RecordStore`), never re-simulated. The view at the
 * cursor is a working copy that stepping forward folds on in place, one
 * record at a time (`applyRecord`). Checkpoints, copies of the fold taken
 * every `every` records (in idle slices once the run shows, or when a
 * move needs them first: the fold of a million records is a quarter of a
 * second), make any other move cheap:
 * going back or seeking copies the nearest checkpoint at or before the
 * target and folds forward from it, at most `every` records. `every`
 * grows with the run so that a million records keep a few hundred
 * checkpoints: on this machine a back or a scrub then costs a
 * millisecond or two, well within a frame (issue 13 item 5).
 *
 * This replaced immer's patches (ux-ecosystem §3.4): drafts and inverse
 * patches cost ~3 µs a record to build, and freezing ~25× that, against
 * a fraction of a microsecond for the plain fold; the same checkpoint
 * idea, without a library in the hot path.
 */
import type { HvRecord } from '../model/trace-events.js';
import { applyRecord, cloneViewState, initialViewState, KINDS_READ_WHOLE, type ViewState } from '../render/view-state.js';
import type { RecordStore } from '../scenario/index.js';

/** Checkpoints kept at most (about): `every` doubles from 512 until the run fits in this many. */
export const MAX_CHECKPOINTS = 512;
/** The smallest checkpoint interval. */
export const MIN_CHECKPOINT_EVERY = 512;

/** The checkpoint interval for a run of `total` records: a power of two, at least 512. */
export function checkpointInterval(total: number): number {
  let every = MIN_CHECKPOINT_EVERY;
  while (total / every > MAX_CHECKPOINTS) every *= 2;
  return every;
}

export class Timeline {
  /** Records between checkpoints. */
  readonly every: number;
  private readonly checkpoints: ViewState[] = [];
  /** The fold the next checkpoint is taken from (at the last one taken, or past it), or null once all are taken. */
  private builder: ViewState | null;
  /** The fold at the cursor: never one of `checkpoints`, which stay as they were taken. */
  private state: ViewState;
  /** Per interned string: 1 when it is a kind `applyRecord` reads whole (`KINDS_READ_WHOLE`). */
  private readonly readWhole: Uint8Array;
  /** The envelope handed to `applyRecord` for the other kinds, refilled per record. */
  private readonly envelope = { seq: 0, t: 0, kind: '', place: '', flow: -1, stream: '' };

  /**
   * Over `records`, folding its checkpoints here: off the columns, a
   * record built whole only for the kinds `applyRecord` reads whole (the
   * run builds no record objects for the app at all).
   */
  constructor(readonly records: RecordStore) {
    const strings = records.strings.values;
    this.readWhole = Uint8Array.from(strings, (s) => (KINDS_READ_WHOLE.has(s) ? 1 : 0));
    this.every = checkpointInterval(records.length);
    const s = initialViewState();
    this.checkpoints.push(cloneViewState(s));
    this.builder = records.length < this.every ? null : s;
    this.state = cloneViewState(this.checkpoints[0]!);
  }

  /**
   * Folds the next checkpoints, about `records` records' worth (at least
   * one checkpoint's), and says whether every checkpoint is now taken. The
   * app calls it in idle slices once a run shows; a seek past the last one
   * taken folds the missing ones first, so a move is never wrong, only at
   * worst as slow as the fold it needs.
   */
  buildCheckpoints(records = this.every): boolean {
    const last = Math.floor(this.total / this.every);
    const upTo = Math.min(last, this.checkpoints.length - 1 + Math.max(1, Math.ceil(records / this.every)));
    this.checkpointsTo(upTo);
    return this.checkpointsDone;
  }

  /** Whether every checkpoint is taken (`buildCheckpoints`). */
  get checkpointsDone(): boolean {
    return this.builder === null;
  }

  /** Takes the checkpoints up to number `k` (that is, k × `every` records folded), folding on from the last one taken. */
  private checkpointsTo(k: number): void {
    const s = this.builder;
    if (s === null || k < this.checkpoints.length) return;
    const end = Math.min(this.total, k * this.every);
    for (let i = s.cursor; i < end; i++) {
      applyRecord(s, this.recordAt(i));
      if ((i + 1) % this.every === 0) this.checkpoints.push(cloneViewState(s));
    }
    if (this.checkpoints.length - 1 >= Math.floor(this.total / this.every)) this.builder = null;
  }

  /** The view state at the cursor: read it, do not keep it (the next move changes it in place). */
  get view(): ViewState {
    return this.state;
  }

  /** Records applied so far. */
  get cursor(): number {
    return this.state.cursor;
  }

  get total(): number {
    return this.records.length;
  }

  /** Applies the next `n` records. Returns the new cursor. */
  step(n = 1): number {
    return this.seek(this.cursor + Math.max(0, Math.floor(n)));
  }

  /** Un-applies the last `n` records. Returns the new cursor. */
  back(n = 1): number {
    return this.seek(this.cursor - Math.max(0, Math.floor(n)));
  }

  /** Moves the cursor to `index` (0 = before the first record): forward from here when that is shorter, else from the checkpoint at or before it. */
  seek(index: number): number {
    const target = Math.max(0, Math.min(this.total, Math.floor(index)));
    if (target === this.cursor) return target;
    this.checkpointsTo(Math.floor(target / this.every));
    const base = Math.min(Math.floor(target / this.every), this.checkpoints.length - 1);
    if (!(target > this.cursor && target - this.cursor <= target - base * this.every)) this.state = cloneViewState(this.checkpoints[base]!);
    for (let i = this.state.cursor; i < target; i++) applyRecord(this.state, this.recordAt(i));
    return this.cursor;
  }

  /** Record `i` as `applyRecord` needs it: whole for the kinds it reads whole, else its envelope (valid until the next call). */
  private recordAt(i: number): HvRecord {
    const store = this.records;
    const kind = store.kindIdAt(i);
    if (kind < 0 || kind >= this.readWhole.length || this.readWhole[kind] === 1) return store.at(i)!;
    const e = this.envelope;
    e.seq = i;
    e.t = store.tAt(i);
    e.kind = store.strings.values[kind]!;
    e.place = store.placeAt(i);
    e.flow = store.flowAt(i);
    e.stream = store.streamAt(i);
    return e as unknown as HvRecord;
  }

  /** The cursor at which simulated time first reaches `timeNs` (all records with t <= timeNs applied). */
  cursorAtTime(timeNs: number): number {
    return this.records.cursorAtTime(timeNs);
  }
}

/** Records folded per idle slice: a few milliseconds, so a step or a click between slices waits for none. */
const SLICE_RECORDS = 32_768;

/**
 * Takes `timeline`'s checkpoints in slices between other work (a timer
 * each), while `wanted()` says the timeline is still shown; done at once
 * when it is already.
 */
export function buildCheckpointsLater(timeline: Timeline, wanted: () => boolean): void {
  const slice = (): void => {
    if (!wanted() || timeline.buildCheckpoints(SLICE_RECORDS)) return;
    setTimeout(slice, 0);
  };
  if (!timeline.checkpointsDone) setTimeout(slice, 0);
}
