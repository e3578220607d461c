/**
 * Emits trace records. A `Strand` is one thread of execution of a request
 * (or of a shared driver loop): it carries the stream and flow its records
 * belong to and the seq of its last record, which becomes the next one's
 * `cause`. `emit` returns the time the caller must spend so that model code
 * reads `yield tracer.emit(...)`: record the step, then spend its time.
 * A CPU-charged step runs on a logical processor; if that LP is busy, the
 * step waits: the record is written when the step is asked for (`t`, when
 * the model changes the state it describes), with the wait in `waitNs`
 * and the run in `costNs`, and `emit` returns wait + cost. When the sink is
 * disabled no record object is built, nor when
 * the sink takes envelopes and says it needs no records (`EnvelopeSink`).
 * With a VP scheduler attached (`attachScheduler`, a scenario that picks
 * the credit scheduler), a guest or root step first asks it whether its
 * virtual processor is running: the scheduler may record a wake and a wait
 * for the VP, and the step runs after them. Without one (the default,
 * `dedicated`), every VP always runs and nothing else changes.
 */
import type { Simulation, TraceSink } from '../engine/index.js';
import type { LogicalProcessors } from './hardware/logical-processors.js';
import type { Place } from './topology.js';
import { MutableEnvelope } from './trace/record-basics.js';
import type { Charge, EnvelopeSink, HvRecord, KindFields, RecordKind } from './trace-events.js';

/** One thread of execution: the stream/flow its records belong to, and its causal chain. */
export interface Strand {
  stream: string;
  flow: number;
  cause: number;
  /** For work of no workload stream (stream ''): whose CPUs it runs on, as `vm//control`. */
  cpuKey?: string;
  /** The VP (scheduler index) this strand last ran on; hypervisor steps run in its context. Set by the VP scheduler. */
  vp?: number;
  /**
   * The LP its root and hypervisor steps run on while set, in place of its VM's: the processor that took a
   * physical NIC's receive interrupt runs the DPC and what the DPC calls (vswitch.ts `receiveFromWire`).
   */
  rootLp?: number;
}

/** What the tracer asks of a VP scheduler (`scheduler/vp-scheduler.ts`). */
export interface StepScheduler {
  /** Before a CPU step on `lp`: the time it waits for its VP (wake, queue), recording both. */
  before(s: Strand, key: string, charge: Charge, lp: number, kind: RecordKind, fields: object): number;
  /** After it: the step occupies its VP (and its LP, `lp`) for `costNs` until `endNs`. */
  after(s: Strand, key: string, charge: Charge, lp: number, costNs: number, endNs: number): void;
}

/** A strand for work belonging to `stream` and request `flow`. */
export function strand(stream: string, flow: number, cause = -1): Strand {
  return { stream, flow, cause };
}

export class Tracer {
  private nextSeq = 0;
  /** The sink when it takes envelopes (`EnvelopeSink`), else null; and the envelope it gets. */
  private readonly envelopeSink: EnvelopeSink<HvRecord> | null;
  /** The envelope handed to an `EnvelopeSink` beside each record: one object, refilled per record. */
  private readonly envelope = new MutableEnvelope();
  /** Whether to build each record object: the sink is not an `EnvelopeSink`, or it says it needs records. */
  private readonly buildRecords: boolean;
  private scheduler: StepScheduler | null = null;
  /** Per logical processor, until when a guest VP's step holds it (for `guestRunning`). */
  private readonly guestUntil: Float64Array;

  constructor(
    readonly sim: Simulation,
    readonly sink: TraceSink<HvRecord>,
    private readonly lps: LogicalProcessors,
  ) {
    this.guestUntil = new Float64Array(lps.count);
    this.envelopeSink = typeof (sink as Partial<EnvelopeSink<HvRecord>>).writeWithEnvelope === 'function' ? (sink as EnvelopeSink<HvRecord>) : null;
    this.buildRecords = this.envelopeSink === null || this.envelopeSink.needsRecords !== false;
  }

  /**
   * Whether a guest VP is running on the logical processor the root takes
   * `s`'s work on, at this instant: a guest-charged step holds it. A
   * physical interrupt arriving then makes that VP exit.
   */
  guestRunning(s: Strand): boolean {
    const lp = s.rootLp ?? this.lps.lpOf(s.stream !== '' ? s.stream : (s.cpuKey ?? ''), 'root');
    return lp >= 0 && this.guestUntil[lp]! > this.sim.now;
  }

  /** Records emitted so far (also counted when the sink discards them). */
  get emitted(): number {
    return this.nextSeq;
  }

  /**
   * Emits one record on `s` at `place` and returns the time to spend: its
   * cost, plus any wait for its logical processor.
   */
  emit<K extends RecordKind>(s: Strand, kind: K, place: Place, costNs: number, charge: Charge, fields: KindFields[K]): number {
    const key = s.stream !== '' ? s.stream : (s.cpuKey ?? '');
    const lp = s.rootLp !== undefined && (charge === 'root' || charge === 'hypervisor') ? s.rootLp : this.lps.lpOf(key, charge);
    if (lp < 0 || this.scheduler === null) {
      const wait = lp < 0 ? 0 : this.lps.reserve(lp, this.sim.now, costNs);
      this.noteGuest(charge, lp, this.sim.now + wait, costNs);
      this.write(s, kind, place, costNs, charge, lp, wait, fields);
      return wait + costNs;
    }
    const ahead = this.scheduler.before(s, key, charge, lp, kind, fields);
    const wait = this.lps.reserve(lp, this.sim.now + ahead, costNs, this.sim.now);
    this.noteGuest(charge, lp, this.sim.now + ahead + wait, costNs);
    this.write(s, kind, place, costNs, charge, lp, wait, fields);
    this.scheduler.after(s, key, charge, lp, costNs, this.sim.now + ahead + wait + costNs);
    return ahead + wait + costNs;
  }

  /** A guest-charged step holds its LP from `start` for `costNs` (for `guestRunning`). */
  private noteGuest(charge: Charge, lp: number, start: number, costNs: number): void {
    if (charge === 'guest' && lp >= 0 && costNs > 0) {
      const end = start + costNs;
      if (end > this.guestUntil[lp]!) this.guestUntil[lp] = end;
    }
  }

  /** Lets `scheduler` decide when each guest or root step's VP runs (the credit scheduler). */
  attachScheduler(scheduler: StepScheduler): void {
    this.scheduler = scheduler;
  }

  /**
   * The VP scheduler's own records: a step on `lp` that takes the LP (`reserve`) or only says what
   * it cost there; never asks the scheduler again. Returns the time it takes from now (wait + cost).
   */
  onLp<K extends RecordKind>(s: Strand, kind: K, place: Place, costNs: number, charge: Charge, lp: number, reserve: boolean, fields: KindFields[K], waitNs = 0): number {
    const wait = reserve ? this.lps.reserve(lp, this.sim.now, costNs) : waitNs;
    this.write(s, kind, place, costNs, charge, lp, wait, fields);
    return wait + costNs;
  }

  private write<K extends RecordKind>(s: Strand, kind: K, place: Place, costNs: number, charge: Charge, lp: number, waitNs: number, fields: KindFields[K]): void {
    const seq = this.nextSeq++;
    if (this.sink.enabled) {
      const t = this.sim.now;
      let record: HvRecord | null = null;
      if (this.buildRecords) {
        record = {
          seq,
          t,
          kind,
          place: place.id,
          band: place.band,
          stream: s.stream,
          flow: s.flow,
          cause: s.cause,
          costNs,
          charge,
          lp,
          ...fields,
        } as HvRecord;
        if (waitNs > 0) record.waitNs = waitNs;
      }
      const to = this.envelopeSink;
      if (to === null) this.sink.write(record!);
      else {
        const e = this.envelope;
        e.kind = kind;
        e.seq = seq;
        e.t = t;
        e.stream = s.stream;
        e.flow = s.flow;
        e.cause = s.cause;
        e.place = place.id;
        e.band = place.band;
        e.placeNo = place.no ?? -1;
        e.costNs = costNs;
        e.waitNs = waitNs > 0 ? waitNs : 0;
        e.charge = charge;
        e.lp = lp;
        to.writeWithEnvelope(record, e, fields);
      }
    }
    s.cause = seq;
  }

  /** Emits a record of time spent waiting (`waitNs`, ending now) and returns 0. */
  waited<K extends RecordKind>(s: Strand, kind: K, place: Place, waitNs: number, fields: KindFields[K]): number {
    this.write(s, kind, place, 0, 'none', -1, waitNs, fields);
    return 0;
  }
}
