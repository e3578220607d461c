/**
 * The level buckets of the event queue's radix heap (`event-queue.ts`):
 * FIFO lists of fixed-size chunks carved from one pair of typed arrays
 * (time, key), so memory is bounded by the capacity whatever the bucket
 * occupancy (STYLE §4.3), with each bucket's head, tail, fill, count and
 * minimum, and two bit masks that find the lowest non-empty bucket. It
 * knows buckets by number only: which bucket an entry belongs in, and what
 * a key means, are the queue's business.
 */

/** Bits per digit: a level's buckets are its 16 digit values. */
export const DIGIT_BITS = 4;
export const DIGIT_MASK = (1 << DIGIT_BITS) - 1;
/** Levels 0..13 cover bits 0..55, past every time below 2^53. */
export const LEVELS = 14;
/**
 * Bucket b = level * 16 + digit. Level buckets hold digits above the
 * queue's base's, so b = 0 (level 0, digit 0) is never a level bucket.
 */
export const BUCKETS = LEVELS << DIGIT_BITS;
/** Entries per chunk (a power of two). */
export const CHUNK_SHIFT = 5;
export const CHUNK = 1 << CHUNK_SHIFT;

/** Level buckets as chunk lists: a chunk c holds entries at `time`/`key`[c * CHUNK ..]. */
export class RadixBuckets {
  time: Float64Array;
  key: Float64Array;
  /** The chunk after chunk c in its bucket's list. */
  next: Int32Array;
  private free: Int32Array;
  private freeCount: number;
  readonly head = new Int32Array(BUCKETS);
  readonly tail = new Int32Array(BUCKETS);
  /** Entries in the tail chunk; CHUNK when a fresh chunk is needed (also when empty). */
  readonly fill = new Int32Array(BUCKETS).fill(CHUNK);
  readonly count = new Int32Array(BUCKETS);
  readonly min = new Float64Array(BUCKETS);
  /** Non-empty levels (bit L), and each level's non-empty digits (bit d). */
  levelMask = 0;
  readonly digitMask = new Int32Array(LEVELS);

  constructor(capacity: number) {
    const chunks = RadixBuckets.chunksFor(capacity);
    this.time = new Float64Array(chunks * CHUNK);
    this.key = new Float64Array(chunks * CHUNK);
    this.next = new Int32Array(chunks);
    this.free = new Int32Array(chunks);
    for (let i = 0; i < chunks; i++) this.free[i] = chunks - 1 - i;
    this.freeCount = chunks;
  }

  /** Chunks that always suffice for `capacity` entries: full ones, one partial tail per bucket, one being drained. */
  static chunksFor(capacity: number): number {
    return Math.ceil(capacity / CHUNK) + BUCKETS + 1;
  }

  /** Appends an entry to bucket b. */
  append(b: number, time: number, key: number): void {
    let fill = this.fill[b]!;
    let chunk: number;
    if (fill === CHUNK) {
      chunk = this.free[--this.freeCount]!;
      if (this.count[b] === 0) {
        this.head[b] = chunk;
        this.min[b] = time;
        const level = b >> DIGIT_BITS;
        this.digitMask[level]! |= 1 << (b & DIGIT_MASK);
        this.levelMask |= 1 << level;
      } else {
        this.next[this.tail[b]!] = chunk;
      }
      this.tail[b] = chunk;
      fill = 0;
    } else {
      chunk = this.tail[b]!;
    }
    if (time < this.min[b]!) this.min[b] = time;
    const at = (chunk << CHUNK_SHIFT) + fill;
    this.time[at] = time;
    this.key[at] = key;
    this.fill[b] = fill + 1;
    this.count[b] = this.count[b]! + 1;
  }

  /**
   * The first bucket of the lowest non-empty level (two mask lookups),
   * taken off the masks: the caller reads its `head`, `count` and `min`,
   * then `detach`es it and walks its chunks.
   */
  lowest(): number {
    const levels = this.levelMask;
    const level = 31 - Math.clz32(levels & -levels);
    const digits = this.digitMask[level]!;
    const lowest = digits & -digits;
    this.digitMask[level] = digits ^ lowest;
    if (digits === lowest) this.levelMask = levels ^ (1 << level);
    return (level << DIGIT_BITS) | (31 - Math.clz32(lowest));
  }

  /** Empties bucket b's bookkeeping; its chunks stay linked from its old head for the caller to walk and give back (`freeChunk`). */
  detach(b: number): void {
    this.count[b] = 0;
    this.fill[b] = CHUNK;
  }

  /** Takes bucket b off the masks (it has become empty). */
  markEmpty(b: number): void {
    const level = b >> DIGIT_BITS;
    const digits = this.digitMask[level]! & ~(1 << (b & DIGIT_MASK));
    this.digitMask[level] = digits;
    if (digits === 0) this.levelMask &= ~(1 << level);
  }

  /** Gives chunk c back. */
  freeChunk(c: number): void {
    this.free[this.freeCount++] = c;
  }

  /** Every entry of bucket b, in order, to `visit`, then the bucket emptied and its chunks given back (the masks are the caller's). */
  drain(b: number, visit: (time: number, key: number) => void): void {
    let left = this.count[b]!;
    let chunk = this.head[b]!;
    this.detach(b);
    while (left > 0) {
      const start = chunk << CHUNK_SHIFT;
      const end = start + Math.min(left, CHUNK);
      left -= end - start;
      for (let i = start; i < end; i++) visit(this.time[i]!, this.key[i]!);
      const next = this.next[chunk]!;
      this.freeChunk(chunk);
      chunk = next;
    }
  }

  /** Room for `capacity` entries: more chunks, the old ones kept where they are. */
  grow(capacity: number): void {
    const oldChunks = this.next.length;
    const chunks = RadixBuckets.chunksFor(capacity);
    const time = new Float64Array(chunks * CHUNK);
    time.set(this.time);
    this.time = time;
    const key = new Float64Array(chunks * CHUNK);
    key.set(this.key);
    this.key = key;
    const next = new Int32Array(chunks);
    next.set(this.next);
    this.next = next;
    const free = new Int32Array(chunks);
    free.set(this.free.subarray(0, this.freeCount));
    for (let c = chunks - 1; c >= oldChunks; c--) free[this.freeCount++] = c;
    this.free = free;
  }

  /** Applies `map` to every stored key, in place. */
  mapKeys(map: (key: number) => number): void {
    for (let b = 1; b < BUCKETS; b++) {
      let left = this.count[b]!;
      let chunk = this.head[b]!;
      while (left > 0) {
        const start = chunk << CHUNK_SHIFT;
        const end = start + Math.min(left, CHUNK);
        left -= end - start;
        for (let i = start; i < end; i++) this.key[i] = map(this.key[i]!);
        chunk = this.next[chunk]!;
      }
    }
  }

  /** Empties every bucket, giving each key to `onKey` first. */
  clear(onKey: (key: number) => void): void {
    for (let b = 1; b < BUCKETS; b++) if (this.count[b] !== 0) this.drain(b, (_, key) => onKey(key));
    this.levelMask = 0;
    this.digitMask.fill(0);
  }

  /** Removes every entry whose key `drop` says to, keeping each bucket's order (a stable in-place filter along its chunk list). */
  removeWhere(drop: (key: number) => boolean): void {
    for (let b = 1; b < BUCKETS; b++) {
      let left = this.count[b]!;
      if (left === 0) continue;
      // `w` trails `r`.
      let rChunk = this.head[b]!;
      let wChunk = rChunk;
      let w = 0;
      let count = 0;
      let min = Infinity;
      while (left > 0) {
        const n = Math.min(left, CHUNK);
        left -= n;
        for (let i = 0; i < n; i++) {
          const r = (rChunk << CHUNK_SHIFT) + i;
          const key = this.key[r]!;
          if (drop(key)) continue;
          if (w === CHUNK) {
            wChunk = this.next[wChunk]!;
            w = 0;
          }
          const time = this.time[r]!;
          const at = (wChunk << CHUNK_SHIFT) + w++;
          this.time[at] = time;
          this.key[at] = key;
          if (time < min) min = time;
          count++;
        }
        if (left > 0) rChunk = this.next[rChunk]!;
      }
      // Give back the chunks after the last written one.
      let c = count === 0 ? this.head[b]! : this.next[wChunk]!;
      const last = rChunk;
      if (count === 0 || wChunk !== last) {
        for (;;) {
          const next = this.next[c]!;
          this.freeChunk(c);
          if (c === last) break;
          c = next;
        }
      }
      this.count[b] = count;
      if (count === 0) {
        this.fill[b] = CHUNK;
        this.markEmpty(b);
      } else {
        this.tail[b] = wChunk;
        this.fill[b] = w;
        this.min[b] = min;
      }
    }
  }
}
