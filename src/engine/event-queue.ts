/**
 * The future-event set, ordered by (time, priority, seq). `seq` only ever
 * increases, so events at the same time and priority fire in the order they
 * were scheduled (FIFO ties, as in SimPy's core.py and OMNeT++'s cEvent
 * ordering). It is not a scheduler: it neither reads a clock nor calls
 * handlers; `Simulation` does that.
 *
 * Structure: a radix heap on time (Ahuja, Mehlhorn, Orlin & Tarjan 1990)
 * with 4-bit digits, which fits a simulation's monotone clock: no event is
 * scheduled before the last one taken. Times are read as base-16 numerals.
 * A level-L block is a run of 16^L consecutive times that share every digit
 * from level L up. The *near block* is one such block, [base, nearHi],
 * holding the earliest pending entries: the one time of the earliest entry
 * (level 0), or a whole sparse level-1 block of 16 times. Every other entry
 * is later; with h the highest bit where its time differs from `base`, it
 * lives at level L = floor(h / 4), in the bucket of its own digit there.
 *  - The near set (`near-set.ts`) holds the near block's entries by (time,
 *    key): a sorted run taking the usual pushes, plus a small heap.
 *  - Every entry of a lower level, or of the same level and a lower digit,
 *    is earlier, so once the near set runs dry the earliest entry is in the
 *    first bucket of the lowest non-empty level (two bit masks find it).
 *    A small level-1 bucket becomes the near block whole, sorted; any other
 *    is emptied relative to its minimum, the new `base`: its entries share
 *    every digit from level L up with it, so each lands in a lower level (or
 *    the near set) and the other buckets stay valid.
 *  - An entry moves at most once per level it descends, by sequential
 *    scans: a delay of d ns costs about log16(d) moves (two or three for the
 *    hold model's microseconds, against a dozen for one-bit digits) instead
 *    of O(log n) random-access sifts.
 * A push below `base` (only possible through a direct `EventQueue` user, or
 * after `peekTime`/`pop(limit)` looked ahead) lowers `base` by merging the
 * near set and the levels it invalidates into one bucket, so any push order
 * stays correct.
 *
 * Storage (STYLE §4.3): the level buckets are FIFO lists of fixed-size chunks
 * carved from one pair of typed arrays (time, key), so memory is bounded by
 * the capacity whatever the bucket occupancy (`radix-buckets.ts`, which
 * knows buckets by number; this file decides which bucket an entry goes
 * to, and when a bucket is emptied into lower ones). The key packs priority, seq
 * and slot into one exactly representable integer:
 * `((priority - PRIORITY_MIN) * 2^23 + seq) * 2^22 + slot` (< 2^53); the
 * (priority, seq) tie-break is one number compare, and the slot (where the
 * handler and payload sit) comes out of the low 22 bits.
 *  - seq has 23 bits. When it runs out, the pending entries' seqs are
 *    renumbered by rank, which keeps every key's relative order intact:
 *    O(n log n) once per ~8 million pushes.
 *  - Capacity doubles when full, up to a hard bound ("put a limit on
 *    everything"); a steady state allocates nothing.
 *  - Cancellation is lazy: a cancelled entry's handler becomes `null` and it
 *    is dropped when it comes due; the store is compacted when more than
 *    half of it is dead.
 *
 * Times must be non-negative safe integers (Simulation guarantees this).
 */
import { NearSet } from './near-set.js';
import { CHUNK, CHUNK_SHIFT, DIGIT_BITS, DIGIT_MASK, RadixBuckets } from './radix-buckets.js';

/** An opaque handle to a scheduled event, for `cancel`. Stale handles are safe to cancel (a no-op). */
export type EventId = number & { readonly __brand: 'EventId' };

/** Priorities are small integers; lower fires first among events at the same time. */
export const PRIORITY_MIN = -128;
export const PRIORITY_MAX = 127;
/** Priority used when none is given. */
export const PRIORITY_NORMAL = 0;

/** The hard ceiling on pending events (2^22): the slot field width of keys and EventIds. */
export const QUEUE_CAPACITY_LIMIT = 1 << 22;
const SLOT_SPAN = QUEUE_CAPACITY_LIMIT;
const SLOT_MASK = SLOT_SPAN - 1;
const SEQ_LIMIT_MAX = 1 << 23;
const GEN_WRAP = 1 << 30; // EventId = gen * SLOT_SPAN + slot stays below 2^52
/**
 * The first generation of a slot, and where a wrapped one starts again.
 * Every EventId is then at least 2^31: never a small integer (Smi) of V8,
 * whose range is 2^31 in Node and 2^30 with pointer compression (Chrome).
 * From 0 the ids would start as Smis and overflow once a slot had been
 * reused 512 times: each function computing one deoptimized on the
 * overflow, and each field holding one (a process's pending event)
 * changed its representation, deoptimizing whatever read that object, all
 * mid-run. Measured on queue-depth: 1.06 -> 0.91 s of optimizing compiles
 * in the first run. Ids are opaque; nothing else sees the offset.
 */
const GEN_FIRST = 1 << 9;
/** Keys per priority band: a key's band is floor(key / BAND_SPAN). */
const BAND_SPAN = SEQ_LIMIT_MAX * SLOT_SPAN;

const TWO_POW_32 = 4294967296;
/** Levels that fit a 32-bit word (the rest are read from a time's high word). */
const LOW_LEVELS = 32 / DIGIT_BITS;
/** Times in a level-1 bucket (16^1). */
const DIGIT_SPAN = 1 << DIGIT_BITS;
/** A level-1 bucket of at most this many entries is sorted whole into the near set. */
const BLOCK_SORT_MAX = 32;

/** A priority queue of events keyed by (time, priority, seq), holding a handler and a payload per event. */
export class EventQueue<H> {
  /** Every entry with a time in [base, nearHi]. */
  private readonly near: NearSet;

  /** Every later entry, in the level buckets (chunk lists: `radix-buckets.ts`). */
  private readonly levels: RadixBuckets;

  /**
   * The near block: base is its first time, nearHi its last (a block of
   * level L spans 16^L times with base's digits from level L up). Every
   * stored entry is at or after base, and the level buckets are relative to it.
   * Both 0 from the constructor (NaN before: V8, sim-time.ts); an empty
   * queue keeps them, which stays valid: a push below base lowers it.
   */
  private base = Number.NaN;
  private baseHigh = 0;
  private nearHi = Number.NaN;
  /** Time of the entry `dueKey` found (NaN before: V8, sim-time.ts). */
  private dueTime = Number.NaN;
  /** Entries stored (live and cancelled). */
  private stored = 0;

  // Slots: what each entry carries, interleaved so that the one random
  // access per fired event touches one cache line:
  //   slots[3s] = handler (null once cancelled), slots[3s+1] = payload,
  //   slots[3s+2] = generation (an integer from GEN_FIRST, bumped when the slot is freed).
  // A freed slot keeps its last handler and payload until reused: the
  // generation check keeps stale ids out, and clearing would cost a write
  // per event. Read by `Simulation.step` right after `pop`.
  /** @internal */ slots: unknown[];
  private freeSlots: Int32Array;
  private freeCount: number;

  private capacity: number;
  private readonly capacityLimit: number;
  private nextSeq = 0;
  private pushed = 0;
  private deadCount = 0;

  /** Time of the entry last taken by `pop` (NaN before: V8, sim-time.ts). */
  poppedTime = Number.NaN;
  /**
   * Key of the entry last taken by `pop` and the generation its slot was
   * freed with, for `repush`; negative once spent (-1), and before the
   * first pop (-Infinity: keys pass 2^31, so V8 should make it a double
   * field from the start, sim-time.ts).
   */
  private poppedKey = -Infinity;
  private poppedGen = 0;
  /** Sink for the cache-warming loads in `refill` (keeps them from being optimised away). */
  private touched = 0;

  private readonly seqLimit: number;

  /**
   * `seqLimit` (a power of two up to 2^23) exists so tests can exercise
   * renumbering without pushing 8 million events.
   */
  constructor(options: { initialCapacity?: number; capacityLimit?: number; seqLimit?: number } = {}) {
    this.seqLimit = options.seqLimit ?? SEQ_LIMIT_MAX;
    if (!(this.seqLimit >= 2 && this.seqLimit <= SEQ_LIMIT_MAX && (this.seqLimit & (this.seqLimit - 1)) === 0)) {
      throw new RangeError(`seqLimit must be a power of two in 2..${SEQ_LIMIT_MAX}`);
    }
    this.capacityLimit = options.capacityLimit ?? QUEUE_CAPACITY_LIMIT;
    if (!Number.isInteger(this.capacityLimit) || this.capacityLimit < 1 || this.capacityLimit > QUEUE_CAPACITY_LIMIT) {
      throw new RangeError(`capacityLimit must be an integer in 1..${QUEUE_CAPACITY_LIMIT}`);
    }
    this.capacity = Math.max(1, Math.min(options.initialCapacity ?? 1024, this.capacityLimit));
    this.near = new NearSet(this.capacity);
    this.levels = new RadixBuckets(this.capacity);
    this.slots = [];
    for (let i = 0; i < this.capacity; i++) this.slots.push(undefined, undefined, GEN_FIRST);
    this.freeSlots = new Int32Array(this.capacity);
    for (let i = 0; i < this.capacity; i++) this.freeSlots[i] = this.capacity - 1 - i;
    this.freeCount = this.capacity;
    this.base = 0;
    this.nearHi = 0;
  }

  /** Number of live (not cancelled) pending events. */
  get size(): number {
    return this.stored - this.deadCount;
  }

  /** Total events ever pushed. */
  get scheduledCount(): number {
    return this.pushed;
  }

  /**
   * Adds an event. `time` must be a non-negative safe integer, `priority` an
   * integer in PRIORITY_MIN..PRIORITY_MAX (the caller validates; this is the
   * hot path).
   */
  push(time: number, priority: number, handler: H, payload: unknown): EventId {
    if (this.freeCount === 0) this.makeRoom();
    if (this.nextSeq === this.seqLimit) this.renumber(); // before any change: it may throw
    const slot = this.freeSlots[--this.freeCount]!;
    const slots = this.slots;
    const at = 3 * slot;
    // A chain of events (a process, a periodic timer) usually gets back the
    // slot its last event freed, holding the same handler and payload: skip
    // those stores and their write barriers.
    if (slots[at] !== handler) slots[at] = handler;
    if (slots[at + 1] !== payload) slots[at + 1] = payload;
    this.insert(time, priority - PRIORITY_MIN, slot);
    return ((slots[at + 2] as number) * SLOT_SPAN + slot) as EventId;
  }

  /**
   * Stores a new entry at `time` for `slot`, keyed by its priority band
   * (priority - PRIORITY_MIN) and the next seq (the caller has renumbered
   * if seqs ran out).
   */
  private insert(time: number, band: number, slot: number): void {
    this.pushed++;
    const key = (band * SEQ_LIMIT_MAX + this.nextSeq++) * SLOT_SPAN + slot;
    // No special case for a push into an empty queue (it used to move the near block to the push's time): that
    // branch ran only at a run's first push, before V8 keeps feedback for this function, so the optimized
    // insert of the first run on a thread deoptimized at the next run's first push.
    this.stored++;
    if (time < this.base) this.lowerBase(time);
    if (time <= this.nearHi) this.near.push(time, key);
    else this.levels.append(this.bucketOf(time), time, key);
  }

  /** Marks a pending event cancelled. Returns false if it already fired or was cancelled. */
  cancel(id: EventId): boolean {
    const slot = id % SLOT_SPAN;
    const gen = (id - slot) / SLOT_SPAN;
    if (!(slot < this.capacity) || this.slots[3 * slot + 2] !== gen) return false;
    // A matching generation means the slot has not been freed since this id
    // was issued, so the event is pending (or already cancelled: null).
    const handler = this.slots[3 * slot];
    if (handler === null || handler === undefined) return false;
    this.slots[3 * slot] = null;
    this.slots[3 * slot + 1] = undefined;
    this.deadCount++;
    if (this.deadCount > 64 && this.deadCount * 2 > this.stored) this.compact();
    return true;
  }

  /** Time of the earliest live event, or `Infinity` when none is pending. */
  peekTime(): number {
    return this.dueKey() < 0 ? Infinity : this.dueTime;
  }

  /**
   * Takes the earliest live event if its time is before `limit` and returns
   * its slot: the caller reads `slots[3 * slot]` (handler) and
   * `slots[3 * slot + 1]` (payload) before anything else is pushed, and
   * `poppedTime`. Returns -1, taking
   * nothing, when the queue is empty or the earliest event is at or after
   * `limit`.
   */
  pop(limit = Infinity): number {
    let key: number;
    let time: number;
    const near = this.near;
    if (this.deadCount === 0 && near.heapLength === 0 && near.runCount > 0) {
      key = near.runKey[near.runHead]!; // the common case: the next entry is the run's head
      time = near.runTime[near.runHead]!;
    } else {
      key = this.dueKey();
      if (key < 0) return -1;
      time = this.dueTime;
    }
    if (time >= limit) return -1;
    this.takeDue(key);
    const slot = key & SLOT_MASK;
    this.poppedTime = time;
    this.poppedKey = key;
    this.poppedGen = this.freeSlot(slot);
    return slot;
  }

  /**
   * Puts the entry last taken by `pop` back, due at `time` with its
   * priority, a new seq (so it ties FIFO like a fresh push), and the same
   * slot, handler, payload and EventId. Possible only while its slot is
   * still the next free one, unused since: nothing has been pushed since the
   * pop. Returns false, changing nothing, otherwise. A chain of events that
   * re-arms itself this way (a process's delays) writes no handler, payload
   * or id anywhere.
   */
  repush(time: number): boolean {
    const key = this.poppedKey;
    const slot = key & SLOT_MASK;
    if (key < 0 || this.freeCount === 0 || this.freeSlots[this.freeCount - 1] !== slot || this.slots[3 * slot + 2] !== this.poppedGen) {
      return false;
    }
    if (this.nextSeq === this.seqLimit) this.renumber(); // before any change: it may throw
    this.poppedKey = -1;
    this.freeCount--;
    const gen = this.poppedGen;
    this.slots[3 * slot + 2] = gen === GEN_FIRST ? GEN_WRAP - 1 : gen - 1; // the generation its EventId names
    this.insert(time, Math.floor(key / BAND_SPAN), slot);
    return true;
  }

  /** After this, `repush` refuses until the next `pop` (the dispatch of the popped event is over). */
  forgetPopped(): void {
    this.poppedKey = -1;
  }

  /** Drops every pending event. */
  clear(): void {
    this.near.forEach((_, key) => this.freeSlot(key & SLOT_MASK));
    this.near.clear();
    this.levels.clear((key) => this.freeSlot(key & SLOT_MASK));
    for (let s = 0; s < this.capacity; s++) if (this.slots[3 * s] === null) this.slots[3 * s] = undefined;
    this.stored = 0;
    this.deadCount = 0;
    this.poppedKey = -1;
  }

  /** Returns a slot to the free stack, bumping its generation (returned) so its EventId goes stale. */
  private freeSlot(slot: number): number {
    let gen = (this.slots[3 * slot + 2] as number) + 1;
    if (gen === GEN_WRAP) gen = GEN_FIRST;
    this.slots[3 * slot + 2] = gen;
    this.freeSlots[this.freeCount++] = slot;
    return gen;
  }

  /**
   * The bucket of a time after `base`: the level of the highest bit where
   * they differ, and the time's digit at that level. (`x >>> s` and `x ^ y`
   * take the low 32 bits of a safe integer.)
   */
  private bucketOf(time: number): number {
    const high = (time / TWO_POW_32) | 0;
    const highDiff = high ^ this.baseHigh;
    if (highDiff !== 0) {
      const level = (31 - Math.clz32(highDiff)) >> 2;
      return ((LOW_LEVELS + level) << DIGIT_BITS) | ((high >>> (level << 2)) & DIGIT_MASK);
    }
    const level = (31 - Math.clz32(time ^ this.base)) >> 2;
    return (level << DIGIT_BITS) | ((time >>> (level << 2)) & DIGIT_MASK);
  }

  /** Digit `level` of a safe integer `time`. */
  private static digitAt(time: number, level: number): number {
    return level >= LOW_LEVELS
      ? (((time / TWO_POW_32) | 0) >>> ((level - LOW_LEVELS) << 2)) & DIGIT_MASK
      : (time >>> (level << 2)) & DIGIT_MASK;
  }

  /**
   * The key of the earliest live entry (its time in `dueTime`), dropping
   * cancelled ones and refilling the near set as needed; -1 when none is left.
   */
  private dueKey(): number {
    for (;;) {
      const key = this.near.first();
      if (key < 0) {
        if (this.stored === 0) return -1;
        this.refill();
        continue;
      }
      this.dueTime = this.near.firstTime;
      if (this.deadCount === 0) return key;
      const slot = key & SLOT_MASK;
      if (this.slots[3 * slot] !== null) return key;
      this.takeDue(key);
      this.deadCount--;
      this.slots[3 * slot] = undefined;
      this.freeSlot(slot);
    }
  }

  /** Removes `key`, the earliest entry of the near set. */
  private takeDue(key: number): void {
    this.stored--;
    this.near.takeFirst(key);
  }

  /**
   * The near set is empty: takes the first bucket of the lowest level. A
   * small level-1 bucket (16 consecutive times) becomes the near block whole,
   * sorted, instead of being spread over 16 one-time buckets taken one by
   * one (the hold model at n = 1,000 has about one event per time). Any
   * other bucket is emptied relative to its minimum: the entries at that
   * time form the near set and the rest go to lower levels.
   */
  private refill(): void {
    const levels = this.levels;
    const b = levels.lowest();
    const min = levels.min[b]!;
    let left = levels.count[b]!;
    let chunk = levels.head[b]!;
    levels.detach(b);
    if (b >> DIGIT_BITS === 1 && left <= BLOCK_SORT_MAX) {
      this.takeBlock(min, chunk, left);
      return;
    }
    this.base = min;
    this.baseHigh = (min / TWO_POW_32) | 0;
    this.nearHi = min;
    const chunkTime = levels.time;
    const chunkKey = levels.key;
    const runTime = this.near.runTime;
    const runKey = this.near.runKey;
    const slots = this.slots;
    let tail = 0;
    let sorted = true;
    let prev = -1;
    let touched = 0;
    while (left > 0) {
      const start = chunk << CHUNK_SHIFT;
      const end = start + Math.min(left, CHUNK);
      left -= end - start;
      for (let i = start; i < end; i++) {
        const time = chunkTime[i]!;
        const key = chunkKey[i]!;
        if (time === min) {
          if (key < prev) sorted = false;
          runTime[tail] = min;
          runKey[tail++] = key;
          prev = key;
          // Touch the entry's slot and its payload object now, while these
          // loads are independent and overlap, so that dispatching it later
          // hits the cache instead of waiting on memory.
          if (typeof slots[3 * (key & SLOT_MASK) + 1] === 'object') touched++;
        } else {
          levels.append(this.bucketOf(time), time, key);
        }
      }
      const next = levels.next[chunk]!;
      levels.freeChunk(chunk);
      chunk = next;
    }
    this.touched = touched;
    if (!sorted) runKey.subarray(0, tail).sort(); // one time: order by key alone
    this.near.setRun(tail);
  }

  /**
   * Makes the level-1 bucket holding `count` entries from `chunk` on (its
   * minimum `min`) the near block: base is the first of its 16 times. Its
   * entries are insertion-sorted by (time, key) into the run. The other
   * buckets lie above the block, so they stay valid relative to the new base.
   */
  private takeBlock(min: number, chunk: number, count: number): void {
    const base = min - (min % DIGIT_SPAN);
    this.base = base;
    this.baseHigh = (base / TWO_POW_32) | 0;
    this.nearHi = base + DIGIT_SPAN - 1;
    const levels = this.levels;
    const chunkTime = levels.time;
    const chunkKey = levels.key;
    const runTime = this.near.runTime;
    const runKey = this.near.runKey;
    const slots = this.slots;
    let tail = 0;
    let touched = 0;
    while (count > 0) {
      const start = chunk << CHUNK_SHIFT;
      const end = start + Math.min(count, CHUNK);
      count -= end - start;
      for (let i = start; i < end; i++) {
        const time = chunkTime[i]!;
        const key = chunkKey[i]!;
        let j = tail++;
        while (j > 0 && (runTime[j - 1]! > time || (runTime[j - 1] === time && runKey[j - 1]! > key))) {
          runTime[j] = runTime[j - 1]!;
          runKey[j] = runKey[j - 1]!;
          j--;
        }
        runTime[j] = time;
        runKey[j] = key;
        if (typeof slots[3 * (key & SLOT_MASK) + 1] === 'object') touched++; // as in refill
      }
      const next = levels.next[chunk]!;
      levels.freeChunk(chunk);
      chunk = next;
    }
    this.touched = touched;
    this.near.setRun(tail);
  }

  /**
   * Lowers `base` to `time` (< base). With h the highest bit where they
   * differ (set in `base`, clear in `time`, and at or above the near block's
   * level since base is the block's first time) and L = floor(h / 4), every
   * entry of the near set and of levels below L agrees with the old base
   * from level L up, so relative to `time` it sits at level L with the old
   * base's digit there: that bucket (empty until now, since level buckets
   * hold digits above the base's) takes them all. Level L's other buckets
   * and the higher levels stay valid. The near block becomes `time` alone.
   */
  private lowerBase(time: number): void {
    const oldBase = this.base;
    const level = this.bucketOf(time) >> DIGIT_BITS;
    const target = (level << DIGIT_BITS) | EventQueue.digitAt(oldBase, level);
    this.base = time;
    this.baseHigh = (time / TWO_POW_32) | 0;
    this.nearHi = time;
    const levels = this.levels;
    this.near.forEach((t, key) => levels.append(target, t, key));
    this.near.clear();
    const firstOfLevel = target & ~DIGIT_MASK;
    for (let b = 1; b < firstOfLevel; b++) {
      if (levels.count[b] === 0) continue;
      levels.markEmpty(b);
      levels.drain(b, (t, key) => levels.append(target, t, key));
    }
  }

  /** Called when no slot is free: drop cancelled entries, else grow (never past the limit). */
  private makeRoom(): void {
    if (this.deadCount > 0) {
      this.compact();
      if (this.freeCount > 0) return;
    }
    if (this.capacity >= this.capacityLimit) {
      throw new RangeError(`event queue is full: ${this.capacity} events pending (capacity limit)`);
    }
    this.grow(Math.min(this.capacity * 2, this.capacityLimit));
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    this.near.grow(capacity);
    this.levels.grow(capacity);
    const free = new Int32Array(capacity);
    free.set(this.freeSlots.subarray(0, this.freeCount));
    for (let s = capacity - 1; s >= old; s--) free[this.freeCount++] = s;
    this.freeSlots = free;
    for (let s = old; s < capacity; s++) this.slots.push(undefined, undefined, GEN_FIRST);
    this.capacity = capacity;
  }

  /** Applies `map` to every stored key (in place; `map` must preserve order). */
  private mapKeys(map: (key: number) => number): void {
    this.near.mapKeys(map);
    this.levels.mapKeys(map);
  }

  /**
   * Replaces every pending entry's seq by its rank among pending keys. The
   * map is order-preserving, so the near set stays sorted and FIFO ties hold.
   */
  private renumber(): void {
    const n = this.stored;
    const all = new Float64Array(n);
    let at = 0;
    this.mapKeys((key) => {
      all[at++] = key;
      return key;
    });
    all.sort();
    const rank = new Map<number, number>();
    for (let r = 0; r < n; r++) rank.set(all[r]!, r);
    this.mapKeys((key) => {
      const slot = key & SLOT_MASK;
      const band = Math.floor(key / BAND_SPAN); // priority - PRIORITY_MIN
      return (band * SEQ_LIMIT_MAX + rank.get(key)!) * SLOT_SPAN + slot;
    });
    this.nextSeq = n;
    if (n >= this.seqLimit) throw new RangeError(`seqLimit ${this.seqLimit} is below the ${n} events pending`);
  }

  /** Frees a cancelled entry's slot if `key` is one; returns whether it was. */
  private dropIfDead(key: number): boolean {
    const slot = key & SLOT_MASK;
    if (this.slots[3 * slot] !== null) return false;
    this.slots[3 * slot] = undefined;
    this.freeSlot(slot);
    return true;
  }

  /** Removes every cancelled entry, keeping each bucket's order. */
  private compact(): void {
    this.near.removeWhere((key) => this.dropIfDead(key));
    this.levels.removeWhere((key) => this.dropIfDead(key));
    this.stored -= this.deadCount;
    this.deadCount = 0;
  }
}
