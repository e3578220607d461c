/**
 * Following one VM or one request: stepping (→, ←, N, play) visits only
 * the records of what is followed, so the 44 records of the synthetic
 * write are not lost among the 1,926 of the PIO write. A record belongs to
 * a VM when its stream is that VM's, or, for work of no stream, when its
 * place is in that VM's partition (the rule lesson anchors use,
 * `src/scenario/lesson/resolve.ts`). The followed records' indices are
 * found once, when the follow is set; each step is then a binary search.
 */
import { lowerBound } from '../../engine/index.js';
import type { RecordStore } from '../../scenario/index.js';

/** What stepping follows: a VM, or one of its requests (its flow id; `request` is its number in the VM's issue order). */
export interface FollowTarget {
  vm: string;
  request?: number;
  flow?: number;
}

/** The VM of a stream (`vm/disk/path` → `vm`), or '' for work of no stream. */
export function streamVm(stream: string): string {
  const slash = stream.indexOf('/');
  return slash < 0 ? stream : stream.slice(0, slash);
}

/** The target in words: `VM enlightened`, `request 3 of VM legacy-pio`. */
export function describeFollow(target: FollowTarget): string {
  if (target.flow === undefined) return `VM ${target.vm}`;
  return target.request === undefined ? `request (flow ${target.flow}) of VM ${target.vm}` : `request ${target.request} of VM ${target.vm}`;
}

export class Follow {
  /** Indices of the followed records, ascending. */
  readonly indices: Int32Array;
  /** `vm/`: a followed VM's streams start with it (checked without allocating, per packet per frame). */
  private readonly prefix: string;

  constructor(
    readonly target: FollowTarget,
    records: RecordStore,
    places: readonly { id: string; partition: string }[],
  ) {
    this.prefix = `${target.vm}/`;
    if (target.flow !== undefined) {
      this.indices = records.ofFlow(target.flow);
      return;
    }
    // A record is the VM's by its stream, or with no stream by its place's partition: decided once per interned string, then read off the columns.
    const partition = new Map(places.map((p) => [p.id, p.partition]));
    const strings = records.strings.values;
    const byStream = Uint8Array.from(strings, (s) => (s !== '' && streamVm(s) === target.vm ? 1 : 0));
    const byPlace = Uint8Array.from(strings, (s) => (partition.get(s) === target.vm ? 1 : 0));
    const empty = records.idOf('');
    const out = new Int32Array(records.length);
    let n = 0;
    for (let i = 0; i < records.length; i++) {
      const stream = records.streamIdAt(i);
      if (stream !== empty ? stream >= 0 && byStream[stream] === 1 : byPlace[records.placeIdAt(i)] === 1) out[n++] = i;
    }
    this.indices = out.slice(0, n);
  }

  /** Whether record `index` is followed. */
  has(index: number): boolean {
    const k = this.firstAtOrAfter(index);
    return k < this.indices.length && this.indices[k] === index;
  }

  /** Whether a packet of `stream` and `flow` is followed (for the canvas). */
  followsPacket(stream: string, flow: number): boolean {
    return this.target.flow !== undefined ? flow === this.target.flow : stream === this.target.vm || stream.startsWith(this.prefix);
  }

  /** The cursor after the `n`th followed record after `cursor` (the cursor stands after record cursor - 1); -1 if there is none. */
  forward(cursor: number, n = 1): number {
    const k = this.firstAtOrAfter(cursor) + Math.max(1, n) - 1;
    if (this.firstAtOrAfter(cursor) >= this.indices.length) return -1;
    return this.indices[Math.min(k, this.indices.length - 1)]! + 1;
  }

  /** The cursor after the `n`th followed record before record `cursor - 1`; 0 (the start) if there is none. */
  backward(cursor: number, n = 1): number {
    const k = this.firstAtOrAfter(cursor - 1) - Math.max(1, n);
    return k < 0 ? 0 : this.indices[k]! + 1;
  }

  /** The first followed record at or after `from` that passes `test`, or -1. */
  findNext(from: number, test: (i: number) => boolean): number {
    for (let k = this.firstAtOrAfter(from); k < this.indices.length; k++) if (test(this.indices[k]!)) return this.indices[k]!;
    return -1;
  }

  /** The position in `indices` of the first followed record at or after `index`. */
  private firstAtOrAfter(index: number): number {
    return lowerBound(this.indices, index);
  }
}
