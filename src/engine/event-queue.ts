/**
 * The future-event set: a binary min-heap ordered by (time, priority, seq).
 * `seq` only ever increases, so events at the same time and priority fire in
 * the order they were scheduled (FIFO ties, as in SimPy's core.py and
 * OMNeT++'s cEvent ordering). It is not a scheduler: it neither reads a clock
 * nor calls handlers; `Simulation` does that.
 *
 * Hot-path shape (STYLE §4.3):
 *  - Two typed arrays in heap order, `heapTime` and `heapKey`, so sifting
 *    moves two words per level and touches adjacent memory only. The key
 *    packs priority, seq and slot into one exactly representable integer:
 *    `((priority - PRIORITY_MIN) * 2^23 + seq) * 2^22 + slot` (< 2^53), so the
 *    whole (priority, seq) tie-break is one number compare, and the slot
 *    (where the handler and payload sit) comes out of the low 22 bits.
 *  - seq has 23 bits. When it runs out, the pending entries' seqs are
 *    renumbered by rank, which keeps every key's relative order (and so the
 *    heap) intact: O(n log n) once per ~8 million pushes.
 *  - Capacity doubles when full, up to a hard bound ("put a limit on
 *    everything"); a steady state allocates nothing.
 *  - Cancellation is lazy: a cancelled entry's handler becomes `null` and it
 *    is dropped when it reaches the top; the heap is compacted when more than
 *    half of it is dead.
 */

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

/** A min-heap of events keyed by (time, priority, seq), holding a handler and a payload per event. */
export class EventQueue<H> {
  // Heap, in heap order.
  private heapTime: Float64Array;
  private heapKey: Float64Array;
  private heapLength = 0;

  // Slots: what each entry carries, interleaved so that the one random
  // access per fired event touches one cache line:
  //   slots[3s] = handler (null once cancelled), slots[3s+1] = payload,
  //   slots[3s+2] = generation (a small integer bumped when the slot is freed).
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

  /** Time of the entry last taken by `pop`. */
  poppedTime = 0;

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
    this.heapTime = new Float64Array(this.capacity);
    this.heapKey = new Float64Array(this.capacity);
    this.slots = [];
    for (let i = 0; i < this.capacity; i++) this.slots.push(undefined, undefined, 0);
    this.freeSlots = new Int32Array(this.capacity);
    for (let i = 0; i < this.capacity; i++) this.freeSlots[i] = this.capacity - 1 - i;
    this.freeCount = this.capacity;
  }

  /** Number of live (not cancelled) pending events. */
  get size(): number {
    return this.heapLength - this.deadCount;
  }

  /** Total events ever pushed. */
  get scheduledCount(): number {
    return this.pushed;
  }

  /**
   * Adds an event. `time` must be a safe integer, `priority` an integer in
   * PRIORITY_MIN..PRIORITY_MAX (the caller validates; this is the hot path).
   */
  push(time: number, priority: number, handler: H, payload: unknown): EventId {
    if (this.freeCount === 0) this.makeRoom();
    if (this.nextSeq === this.seqLimit) this.renumber();
    const slot = this.freeSlots[--this.freeCount]!;
    const slots = this.slots;
    const at = 3 * slot;
    slots[at] = handler;
    slots[at + 1] = payload;
    this.pushed++;
    const key = ((priority - PRIORITY_MIN) * SEQ_LIMIT_MAX + this.nextSeq++) * SLOT_SPAN + slot;
    this.siftUp(this.heapLength++, time, key);
    return ((slots[at + 2] as number) * SLOT_SPAN + slot) as EventId;
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
    if (this.deadCount > 64 && this.deadCount * 2 > this.heapLength) this.compact();
    return true;
  }

  /** Time of the earliest live event, or `Infinity` when none is pending. */
  peekTime(): number {
    if (this.deadCount > 0) this.dropDeadTop();
    return this.heapLength === 0 ? Infinity : this.heapTime[0]!;
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
    if (this.deadCount > 0) this.dropDeadTop();
    if (this.heapLength === 0) return -1;
    const time = this.heapTime[0]!;
    if (time >= limit) return -1;
    const slot = this.heapKey[0]! & SLOT_MASK;
    this.poppedTime = time;
    this.removeRoot(slot);
    return slot;
  }

  /** Drops every pending event. */
  clear(): void {
    while (this.heapLength > 0) this.removeRoot(this.heapKey[0]! & SLOT_MASK);
    this.deadCount = 0;
  }

  private dropDeadTop(): void {
    while (this.heapLength > 0) {
      const slot = this.heapKey[0]! & SLOT_MASK;
      if (this.slots[3 * slot] !== null) return;
      this.deadCount--;
      this.slots[3 * slot] = undefined;
      this.removeRoot(slot);
    }
  }

  /** Frees the root's slot and restores the heap with the last entry. */
  private removeRoot(slot: number): void {
    const gen = (this.slots[3 * slot + 2] as number) + 1;
    this.slots[3 * slot + 2] = gen === GEN_WRAP ? 0 : gen;
    this.freeSlots[this.freeCount++] = slot;
    const last = --this.heapLength;
    if (last > 0) this.siftDown(0, this.heapTime[last]!, this.heapKey[last]!);
  }

  private siftUp(index: number, time: number, key: number): void {
    const heapTime = this.heapTime;
    const heapKey = this.heapKey;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = heapTime[parent]!;
      if (pt < time || (pt === time && heapKey[parent]! < key)) break;
      heapTime[i] = pt;
      heapKey[i] = heapKey[parent]!;
      i = parent;
    }
    heapTime[i] = time;
    heapKey[i] = key;
  }

  private siftDown(index: number, time: number, key: number): void {
    const heapTime = this.heapTime;
    const heapKey = this.heapKey;
    const length = this.heapLength;
    let i = index;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= length) break;
      let ct = heapTime[child]!;
      const right = child + 1;
      if (right < length) {
        const rt = heapTime[right]!;
        if (rt < ct || (rt === ct && heapKey[right]! < heapKey[child]!)) {
          child = right;
          ct = rt;
        }
      }
      if (time < ct || (time === ct && key < heapKey[child]!)) break;
      heapTime[i] = ct;
      heapKey[i] = heapKey[child]!;
      i = child;
    }
    heapTime[i] = time;
    heapKey[i] = key;
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
    const time = new Float64Array(capacity);
    time.set(this.heapTime);
    this.heapTime = time;
    const key = new Float64Array(capacity);
    key.set(this.heapKey);
    this.heapKey = key;
    const free = new Int32Array(capacity);
    free.set(this.freeSlots.subarray(0, this.freeCount));
    for (let s = capacity - 1; s >= old; s--) free[this.freeCount++] = s;
    this.freeSlots = free;
    for (let s = old; s < capacity; s++) this.slots.push(undefined, undefined, 0);
    this.capacity = capacity;
  }

  /**
   * Replaces every pending entry's seq by its rank among pending keys. The
   * map is order-preserving, so the heap stays valid and FIFO ties hold.
   */
  private renumber(): void {
    const n = this.heapLength;
    const sorted = this.heapKey.slice(0, n).sort();
    const rank = new Map<number, number>();
    for (let r = 0; r < n; r++) rank.set(sorted[r]!, r);
    for (let i = 0; i < n; i++) {
      const key = this.heapKey[i]!;
      const slot = key & SLOT_MASK;
      const band = Math.floor(key / (SEQ_LIMIT_MAX * SLOT_SPAN)); // priority - PRIORITY_MIN
      this.heapKey[i] = (band * SEQ_LIMIT_MAX + rank.get(key)!) * SLOT_SPAN + slot;
    }
    this.nextSeq = n;
    if (n >= this.seqLimit) throw new RangeError(`seqLimit ${this.seqLimit} is below the ${n} events pending`);
  }

  /** Removes every cancelled entry and rebuilds the heap in O(n). */
  private compact(): void {
    let kept = 0;
    for (let i = 0; i < this.heapLength; i++) {
      const key = this.heapKey[i]!;
      const slot = key & SLOT_MASK;
      if (this.slots[3 * slot] === null) {
        this.slots[3 * slot] = undefined;
        const gen = (this.slots[3 * slot + 2] as number) + 1;
        this.slots[3 * slot + 2] = gen === GEN_WRAP ? 0 : gen;
        this.freeSlots[this.freeCount++] = slot;
        continue;
      }
      this.heapTime[kept] = this.heapTime[i]!;
      this.heapKey[kept] = key;
      kept++;
    }
    this.heapLength = kept;
    this.deadCount = 0;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i, this.heapTime[i]!, this.heapKey[i]!);
  }
}
