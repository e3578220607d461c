/**
 * The near set of the event queue (`event-queue.ts`): the entries of the
 * near block, the earliest pending times, ordered by (time, key). A run
 * sorted by (time, key) in a ring takes the usual pushes, which sort last
 * (FIFO pushes arrive in order) and are appended; a small binary heap on
 * (time, key) takes the rare push that sorts below the run's tail (an event
 * scheduled "now" at a more urgent priority, or before the tail's time).
 *
 * Keys are unique (they carry a seq), so a key names its entry. The queue
 * reads the run's arrays directly on its hot path and fills the run in
 * place when it refills the near block (`setRun`).
 */
export class NearSet {
  /** The run: runTime/runKey[(runHead + i) & runMask] for i < runCount, sorted by (time, key). */
  runTime: Float64Array;
  runKey: Float64Array;
  runMask: number;
  runHead = 0;
  runCount = 0;
  /** The heap of entries that sorted below the run's tail. */
  private heapTime: Float64Array;
  private heapKey: Float64Array;
  heapLength = 0;
  /** Time of the entry `first` found (NaN before: V8, sim-time.ts). */
  firstTime = Number.NaN;

  constructor(capacity: number) {
    const ring = NearSet.ringSize(capacity);
    this.runTime = new Float64Array(ring);
    this.runKey = new Float64Array(ring);
    this.runMask = ring - 1;
    this.heapTime = new Float64Array(capacity);
    this.heapKey = new Float64Array(capacity);
  }

  private static ringSize(capacity: number): number {
    return capacity <= 1 ? 1 : 2 ** Math.ceil(Math.log2(capacity));
  }

  /** Entries held. */
  get size(): number {
    return this.runCount + this.heapLength;
  }

  /** Adds an entry: appended to the run when it sorts last (the usual case), else to the heap. */
  push(time: number, key: number): void {
    const count = this.runCount;
    if (count > 0) {
      const tail = (this.runHead + count - 1) & this.runMask;
      const tailTime = this.runTime[tail]!;
      if (time < tailTime || (time === tailTime && key < this.runKey[tail]!)) {
        this.heapPush(time, key);
        return;
      }
    }
    const at = (this.runHead + count) & this.runMask;
    this.runTime[at] = time;
    this.runKey[at] = key;
    this.runCount = count + 1;
  }

  /** The key of the earliest entry (its time in `firstTime`), or -1 when empty. */
  first(): number {
    if (this.runCount > 0) {
      let key = this.runKey[this.runHead]!;
      let time = this.runTime[this.runHead]!;
      if (this.heapLength > 0) {
        const ht = this.heapTime[0]!;
        if (ht < time || (ht === time && this.heapKey[0]! < key)) {
          key = this.heapKey[0]!;
          time = ht;
        }
      }
      this.firstTime = time;
      return key;
    }
    if (this.heapLength > 0) {
      this.firstTime = this.heapTime[0]!;
      return this.heapKey[0]!;
    }
    return -1;
  }

  /** Removes `key`, which `first` returned. */
  takeFirst(key: number): void {
    if (this.runCount > 0 && this.runKey[this.runHead] === key) {
      this.runHead = (this.runHead + 1) & this.runMask;
      this.runCount--;
    } else {
      this.heapPop();
    }
  }

  /** The run now holds the `count` sorted entries its arrays hold from index 0 (written by the queue); the heap is empty. */
  setRun(count: number): void {
    this.runHead = 0;
    this.runCount = count;
  }

  clear(): void {
    this.runHead = 0;
    this.runCount = 0;
    this.heapLength = 0;
  }

  /** Calls `visit` with every entry, run first, in no promised order. */
  forEach(visit: (time: number, key: number) => void): void {
    for (let i = 0; i < this.runCount; i++) {
      const at = (this.runHead + i) & this.runMask;
      visit(this.runTime[at]!, this.runKey[at]!);
    }
    for (let i = 0; i < this.heapLength; i++) visit(this.heapTime[i]!, this.heapKey[i]!);
  }

  /** Applies `map` to every key in place; `map` must preserve key order. */
  mapKeys(map: (key: number) => number): void {
    for (let i = 0; i < this.runCount; i++) {
      const at = (this.runHead + i) & this.runMask;
      this.runKey[at] = map(this.runKey[at]!);
    }
    for (let i = 0; i < this.heapLength; i++) this.heapKey[i] = map(this.heapKey[i]!);
  }

  /** Drops the entries whose key `drop` accepts (it is called once per entry), keeping the order of the rest. */
  removeWhere(drop: (key: number) => boolean): void {
    let kept = 0;
    for (let i = 0; i < this.runCount; i++) {
      const from = (this.runHead + i) & this.runMask;
      const key = this.runKey[from]!;
      if (drop(key)) continue;
      const to = (this.runHead + kept++) & this.runMask;
      this.runTime[to] = this.runTime[from]!;
      this.runKey[to] = key;
    }
    this.runCount = kept;
    // The heap's survivors, pushed again into a fresh heap.
    const length = this.heapLength;
    kept = 0;
    for (let i = 0; i < length; i++) {
      const key = this.heapKey[i]!;
      if (drop(key)) continue;
      this.heapTime[kept] = this.heapTime[i]!;
      this.heapKey[kept++] = key;
    }
    this.heapLength = 0;
    for (let i = 0; i < kept; i++) this.heapPush(this.heapTime[i]!, this.heapKey[i]!);
  }

  /** Makes room for `capacity` entries, keeping them all. */
  grow(capacity: number): void {
    const ring = NearSet.ringSize(capacity);
    const runTime = new Float64Array(ring);
    const runKey = new Float64Array(ring);
    for (let i = 0; i < this.runCount; i++) {
      runTime[i] = this.runTime[(this.runHead + i) & this.runMask]!;
      runKey[i] = this.runKey[(this.runHead + i) & this.runMask]!;
    }
    this.runHead = 0;
    this.runTime = runTime;
    this.runKey = runKey;
    this.runMask = ring - 1;
    const heapTime = new Float64Array(capacity);
    heapTime.set(this.heapTime);
    this.heapTime = heapTime;
    const heapKey = new Float64Array(capacity);
    heapKey.set(this.heapKey);
    this.heapKey = heapKey;
  }

  private heapPush(time: number, key: number): void {
    const heapTime = this.heapTime;
    const heapKey = this.heapKey;
    let i = this.heapLength++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = heapTime[parent]!;
      const pk = heapKey[parent]!;
      if (pt < time || (pt === time && pk < key)) break;
      heapTime[i] = pt;
      heapKey[i] = pk;
      i = parent;
    }
    heapTime[i] = time;
    heapKey[i] = key;
  }

  private heapPop(): void {
    const heapTime = this.heapTime;
    const heapKey = this.heapKey;
    const length = --this.heapLength;
    if (length === 0) return;
    const time = heapTime[length]!;
    const key = heapKey[length]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && (heapTime[right]! < heapTime[child]! || (heapTime[right] === heapTime[child] && heapKey[right]! < heapKey[child]!))) {
        child = right;
      }
      const ct = heapTime[child]!;
      const ck = heapKey[child]!;
      if (time < ct || (time === ct && key < ck)) break;
      heapTime[i] = ct;
      heapKey[i] = ck;
      i = child;
    }
    heapTime[i] = time;
    heapKey[i] = key;
  }
}
