/**
 * Per-stream figures folded from a trace in one pass: latency, counts of
 * transitions per I/O, time by band and place, CPU time by charge, IOPS and
 * throughput (DESIGN §4). Pure: the input records are only read, and
 * nothing here formats, draws or imports the model's runtime.
 */
import type { Band, BANDS } from '../model/topology.js';
import type { ExitReason, HvRecord, KindFields, PathKind, RecordEnvelope } from '../model/trace-events.js';
import { RecordHead } from './record-head.js';
import { summarize, type LatencySummary } from './stats.js';

/** Bands in `BANDS` order (a copy, since metrics imports model types only; the annotation fails to compile if they drift). */
const BAND_ORDER: typeof BANDS = ['guest-user', 'guest-kernel', 'vmbus', 'root-user', 'root-kernel', 'hypervisor', 'hardware'];
const BAND_INDEX = new Map<string, number>(BAND_ORDER.map((b, i) => [b, i]));

/** Exit reasons in a fixed order, so every stream's `vmExitsByReason` has the same keys. */
export const EXIT_REASONS = ['io-port', 'eoi', 'hypercall', 'external-interrupt'] as const satisfies readonly ExitReason[];
/** Compiles only while `EXIT_REASONS` names every `ExitReason`. */
const EXIT_REASONS_COMPLETE: [Exclude<ExitReason, (typeof EXIT_REASONS)[number]>] extends [never] ? true : never = true;
void EXIT_REASONS_COMPLETE;

/** The kinds of `cpu.context.switched`. */
export type SwitchKind = 'process' | 'thread';

/** Transition counts of a stream, either totals or per completed request. */
export interface IoCounts {
  /** `ide.register.accessed` records: one per port instruction (a batched `rep outsw` is one access; per-element mode emits one per word). */
  registerAccesses: number;
  /** PIO data words moved through the data register: `words` of each `ide.register.accessed` (1 when absent on a `data` register access, 0 on other registers). */
  dataWords: number;
  /** `hv.intercept.exited` records (VM exits). */
  vmExits: number;
  /** `hv.hypercall.called` records. */
  hypercalls: number;
  /** `hv.interrupt.injected` records whose `target` is not `root` (interrupts into the child). */
  interrupts: number;
  /** `guest.eoi.written` records. */
  eois: number;
  /** `guest.eoi.written` records with `trapped: true` (each a VM exit, unlike auto-EOI). */
  eoiTraps: number;
  /** `cpu.context.switched` records of any kind. */
  contextSwitches: number;
  /** `cpu.mode.switched` records with partition `root` and `to: 'user'` (root kernel → user, e.g. into the worker process). */
  rootUserTransitions: number;
  /** `vmbus.ring.written` records. */
  ringPackets: number;
  /** `vmbus.signal.sent` records with direction `to-host`. */
  ringSignalsToHost: number;
  /** `vmbus.signal.sent` records with direction `to-guest`. */
  ringSignalsToGuest: number;
  /**
   * `vp.halted` records: HLT exits of the VPs that ran the stream's work (its guest VP and the
   * root's), when they went idle after it. Only the credit scheduler emits them; they are VM exits,
   * but counted here, not in `vmExits`, so the I/O paths' own exit counts stay what they were.
   */
  hltExits: number;
  /**
   * `vhd.offset.translated` records of the VHD parser's own metadata (any
   * `purpose` but data): bitmap, footer, BAT, log, zero-fill and header
   * writes and reads, each a device I/O the guest did not ask for.
   */
  metadataIos: number;
}

/** CPU time per completed request by where it is charged. */
export interface CpuNs {
  guest: number;
  root: number;
  hypervisor: number;
  /** guest + root + hypervisor. */
  total: number;
}

/**
 * The figures of one workload stream (`vm/disk/path`). Field names are a
 * contract (the CLI's `--json`). "Per I/O" means the stream's total divided
 * by its completed requests (`requests`), or 0 when none completed; per-I/O
 * figures are not rounded.
 */
export interface PathMetrics {
  /** The records' `stream`. */
  stream: string;
  /** From the stream's first `io.request.issued` (else parsed from `stream`). */
  vm: string;
  disk: string;
  /** From the first `io.request.issued` (else the first `io.request.completed`); '' if the stream has neither. */
  path: PathKind | '';
  /** Completed requests (`io.request.completed` records), not counting dropped packets. */
  requests: number;
  /** Issued requests (`io.request.issued` records). */
  issued: number;
  /**
   * Packets dropped on their way (`io.request.completed` with `dropped`: a
   * legacy card with no free receive descriptor): ended, but neither
   * delivered nor in the latency, bytes or rates. Per-I/O figures divide
   * the stream's work, theirs included, by the delivered requests.
   */
  dropped: number;
  /** Summary of the completed records' `latencyNs` (nearest-rank percentiles, integers). */
  latencyNs: LatencySummary;
  /** Transition counts per I/O. */
  perIo: IoCounts;
  /** The same counts as stream totals (not divided). */
  totals: IoCounts;
  /** VM exits per I/O by `reason`, keys in `EXIT_REASONS` order. */
  vmExitsByReason: Record<ExitReason, number>;
  /** Context switches per I/O by `switchKind`. */
  contextSwitchesByKind: Record<SwitchKind, number>;
  /** Per I/O, sum of `costNs + (waitNs ?? 0)` of the stream's records by their `band`; every band, in `BANDS` order. */
  timeByBandNs: Record<Band, number>;
  /** Per I/O, the same sum by `place`; places in order of first appearance in the stream. */
  timeByPlaceNs: Record<string, number>;
  /** Per I/O, sum of `costNs` of records charged to a guest VP, the root or the hypervisor. */
  cpuNsPerIo: CpuNs;
  /** Per I/O, sum of `costNs` of records charged to a device. */
  deviceNsPerIo: number;
  /** Bytes of the completed requests (each completion matched to its issue by `flow`). */
  bytes: number;
  /** Completed requests per second between `firstIssueNs` and `lastCompleteNs`; 0 if either is missing or the span is not positive. */
  iops: number;
  /** `bytes` per second over the same span; 0 likewise. */
  throughputBytesPerS: number;
  /** Time of the stream's first `io.request.issued`, or null if none. */
  firstIssueNs: number | null;
  /** Time of the stream's last `io.request.completed`, or null if none. */
  lastCompleteNs: number | null;
}

/** One place's running time in a stream, and the band of its last record with its index in `BAND_ORDER` (-1 if none). */
interface PlaceAcc {
  ns: number;
  band: string;
  bandIndex: number;
}

/** Running totals of one stream during the pass. */
class StreamAcc {
  vm: string;
  disk: string;
  path: PathKind | '' = '';
  named = false;
  issued = 0;
  completed = 0;
  dropped = 0;
  /** The completed requests' `latencyNs` in trace order; the first `completed` entries are used (grows by doubling). */
  latencies = new Float64Array(64);
  /** Bytes of issued requests not yet completed, by flow. */
  readonly pendingBytes = new Map<number, number>();
  bytes = 0;
  firstIssueNs = Infinity;
  lastCompleteNs = -Infinity;
  readonly counts: IoCounts = zeroCounts();
  readonly exitsByReason: Record<string, number> = zeroReasons();
  process = 0;
  thread = 0;
  readonly bandNs = new Float64Array(BAND_ORDER.length);
  /** Time by place, in order of first appearance, each with the band its last record named (so a record costs one map lookup, not three). */
  readonly placeNs = new Map<string, PlaceAcc>();
  guestNs = 0;
  rootNs = 0;
  hypervisorNs = 0;
  deviceNs = 0;

  constructor(readonly stream: string) {
    const parts = stream.split('/');
    this.vm = parts[0] ?? '';
    this.disk = parts.length >= 3 ? parts.slice(1, -1).join('/') : (parts[1] ?? '');
  }
}

function zeroCounts(): IoCounts {
  return {
    registerAccesses: 0,
    dataWords: 0,
    vmExits: 0,
    hypercalls: 0,
    interrupts: 0,
    eois: 0,
    eoiTraps: 0,
    contextSwitches: 0,
    rootUserTransitions: 0,
    ringPackets: 0,
    ringSignalsToHost: 0,
    ringSignalsToGuest: 0,
    hltExits: 0,
    metadataIos: 0,
  };
}

function zeroReasons(): Record<ExitReason, number> {
  const out = {} as Record<ExitReason, number>;
  for (const r of EXIT_REASONS) out[r] = 0;
  return out;
}

/** Adds one record's counts, times and request bookkeeping to its stream (`h`: its envelope; `own`: its kind's own fields, or the whole record). */
function fold(acc: StreamAcc, own: object, h: RecordEnvelope): void {
  const c = acc.counts;
  // By the envelope's kind (one layout); each case reads its kind's own fields from `own`.
  switch (h.kind) {
    case 'io.request.issued': {
      const r = own as KindFields['io.request.issued'];
      acc.issued++;
      if (h.t < acc.firstIssueNs) acc.firstIssueNs = h.t;
      acc.pendingBytes.set(h.flow, r.bytes);
      if (!acc.named) {
        acc.named = true;
        acc.vm = r.vm;
        acc.disk = r.disk;
        acc.path = r.path;
      }
      break;
    }
    case 'io.request.completed': {
      const r = own as KindFields['io.request.completed'];
      if (r.dropped === true) {
        acc.dropped++;
        acc.pendingBytes.delete(h.flow);
        break;
      }
      if (acc.completed === acc.latencies.length) {
        const grown = new Float64Array(acc.latencies.length * 2);
        grown.set(acc.latencies);
        acc.latencies = grown;
      }
      acc.latencies[acc.completed++] = r.latencyNs;
      if (h.t > acc.lastCompleteNs) acc.lastCompleteNs = h.t;
      const bytes = acc.pendingBytes.get(h.flow);
      if (bytes !== undefined) {
        acc.bytes += bytes;
        acc.pendingBytes.delete(h.flow);
      }
      if (acc.path === '') acc.path = r.path;
      break;
    }
    case 'ide.register.accessed': {
      const r = own as KindFields['ide.register.accessed'];
      c.registerAccesses++;
      c.dataWords += r.words ?? (r.register === 'data' ? 1 : 0);
      break;
    }
    case 'nic.csr.accessed': // the legacy NIC's registers are device registers too
      c.registerAccesses++;
      break;
    case 'hv.intercept.exited': {
      const r = own as KindFields['hv.intercept.exited'];
      c.vmExits++;
      acc.exitsByReason[r.reason] = (acc.exitsByReason[r.reason] ?? 0) + 1;
      break;
    }
    case 'hv.hypercall.called':
      c.hypercalls++;
      break;
    case 'hv.interrupt.injected': {
      const r = own as KindFields['hv.interrupt.injected'];
      if (r.target !== 'root') c.interrupts++;
      break;
    }
    case 'guest.eoi.written': {
      const r = own as KindFields['guest.eoi.written'];
      c.eois++;
      if (r.trapped) c.eoiTraps++;
      break;
    }
    case 'cpu.context.switched': {
      const r = own as KindFields['cpu.context.switched'];
      c.contextSwitches++;
      if (r.switchKind === 'process') acc.process++;
      else acc.thread++;
      break;
    }
    case 'cpu.mode.switched': {
      const r = own as KindFields['cpu.mode.switched'];
      if (r.partition === 'root' && r.to === 'user') c.rootUserTransitions++;
      break;
    }
    case 'vmbus.ring.written':
      c.ringPackets++;
      break;
    case 'vmbus.signal.sent': {
      const r = own as KindFields['vmbus.signal.sent'];
      if (r.direction === 'to-host') c.ringSignalsToHost++;
      else c.ringSignalsToGuest++;
      break;
    }
    case 'vp.halted':
      c.hltExits++;
      break;
    case 'vhd.offset.translated': {
      const purpose = (own as KindFields['vhd.offset.translated']).purpose;
      if (purpose !== undefined && purpose !== 'data') c.metadataIos++;
      break;
    }
    default:
      break;
  }

  const cost = h.costNs;
  const time = cost + h.waitNs;
  // Every place the stream touches gets a key, even at zero cost, so the breakdown lists the whole route.
  let place = acc.placeNs.get(h.place);
  if (place === undefined) {
    place = { ns: 0, band: h.band, bandIndex: BAND_INDEX.get(h.band) ?? -1 };
    acc.placeNs.set(h.place, place);
  } else if (place.band !== h.band) {
    place.band = h.band;
    place.bandIndex = BAND_INDEX.get(h.band) ?? -1;
  }
  place.ns += time;
  if (time !== 0 && place.bandIndex >= 0) acc.bandNs[place.bandIndex]! += time;
  if (cost !== 0) {
    switch (h.charge) {
      case 'guest':
        acc.guestNs += cost;
        break;
      case 'root':
        acc.rootNs += cost;
        break;
      case 'hypervisor':
        acc.hypervisorNs += cost;
        break;
      case 'device':
        acc.deviceNs += cost;
        break;
      default:
        break;
    }
  }
}

function perIo(total: number, completed: number): number {
  return completed === 0 ? 0 : total / completed;
}

function finish(acc: StreamAcc): PathMetrics {
  const n = acc.completed;
  const per = (x: number): number => perIo(x, n);

  const perIoCounts = zeroCounts();
  for (const key of Object.keys(perIoCounts) as (keyof IoCounts)[]) perIoCounts[key] = per(acc.counts[key]);

  const vmExitsByReason = {} as Record<ExitReason, number>;
  for (const [reason, count] of Object.entries(acc.exitsByReason)) vmExitsByReason[reason as ExitReason] = per(count);

  const timeByBandNs = {} as Record<Band, number>;
  BAND_ORDER.forEach((band, i) => {
    timeByBandNs[band] = per(acc.bandNs[i]!);
  });

  const timeByPlaceNs: Record<string, number> = {};
  for (const [place, { ns }] of acc.placeNs) timeByPlaceNs[place] = per(ns);

  const hasSpan = acc.firstIssueNs !== Infinity && acc.lastCompleteNs !== -Infinity;
  const spanNs = hasSpan ? acc.lastCompleteNs - acc.firstIssueNs : 0;

  return {
    stream: acc.stream,
    vm: acc.vm,
    disk: acc.disk,
    path: acc.path,
    requests: n,
    issued: acc.issued,
    dropped: acc.dropped,
    latencyNs: summarize(acc.latencies.subarray(0, n)),
    perIo: perIoCounts,
    totals: { ...acc.counts },
    vmExitsByReason,
    contextSwitchesByKind: { process: per(acc.process), thread: per(acc.thread) },
    timeByBandNs,
    timeByPlaceNs,
    cpuNsPerIo: {
      guest: per(acc.guestNs),
      root: per(acc.rootNs),
      hypervisor: per(acc.hypervisorNs),
      total: per(acc.guestNs + acc.rootNs + acc.hypervisorNs),
    },
    deviceNsPerIo: per(acc.deviceNs),
    bytes: acc.bytes,
    // Scale before dividing: n * 1e9 / spanNs is exact more often than n / (spanNs / 1e9).
    iops: spanNs > 0 ? (n * 1e9) / spanNs : 0,
    throughputBytesPerS: spanNs > 0 ? (acc.bytes * 1e9) / spanNs : 0,
    firstIssueNs: acc.firstIssueNs === Infinity ? null : acc.firstIssueNs,
    lastCompleteNs: acc.lastCompleteNs === -Infinity ? null : acc.lastCompleteNs,
  };
}

/**
 * Folds records one at a time into per-stream figures: the online form of
 * `computePathMetrics`, for a run that keeps no trace (it is a trace sink:
 * `write` is `add`). Memory grows with the streams, their places and each
 * stream's completed requests (one 8-byte latency each, kept so the
 * percentiles are exact nearest ranks, not a sketch), never with the
 * records. Records of host-wide work (`stream` '') are left out.
 * `result()` may be called at any point and again later; it does not
 * reset the fold.
 */
export class PathMetricsFolder {
  readonly enabled = true;
  private readonly streams = new Map<string, StreamAcc>();
  /** The stream `acc` is for; '' (no stream's, those records are left out) until the first. */
  private lastStream = '';
  private acc: StreamAcc | undefined;
  private readonly head = new RecordHead();

  /** Folds one record. */
  add(r: HvRecord): void {
    this.addRead(r, this.head.read(r));
  }

  /** Reads `r`'s envelope into this folder's `RecordHead` and returns it, for `addRead` and the other folders of a run (valid until the next record). */
  readEnvelope(r: HvRecord): RecordHead {
    return this.head.read(r);
  }

  /**
   * `add`, with the record's envelope already read into `h` (a run's sinks
   * share one read: `RecordHead`, or the tracer's envelope) and `own`, its
   * kind's own fields (the whole record serves as well).
   */
  addRead(own: object, h: RecordEnvelope): void {
    const stream = h.stream;
    if (stream === '') return;
    if (stream !== this.lastStream) {
      let acc = this.streams.get(stream);
      if (acc === undefined) {
        acc = new StreamAcc(stream);
        this.streams.set(stream, acc);
      }
      this.acc = acc;
      this.lastStream = stream;
    }
    fold(this.acc!, own, h);
  }

  /** `add`, under the name a trace sink has. */
  write(r: HvRecord): void {
    this.add(r);
  }

  /** One `PathMetrics` per stream, in order of each stream's first record. */
  result(): PathMetrics[] {
    return [...this.streams.values()].map(finish);
  }

  /** Each stream's completed latencies in trace order (as `latenciesByStream`), streams in first-appearance order. */
  latencies(): Map<string, number[]> {
    return new Map([...this.streams.values()].map((acc) => [acc.stream, Array.from(acc.latencies.subarray(0, acc.completed))]));
  }
}

/**
 * Folds a trace into one `PathMetrics` per workload stream, in order of
 * each stream's first record. Records of host-wide work (`stream` '') are
 * left out. One pass over the records through `PathMetricsFolder` (the
 * same fold a streaming run uses); the output depends only on them
 * (stable key order), so equal traces give equal JSON.
 */
export function computePathMetrics(records: readonly HvRecord[]): PathMetrics[] {
  const folder = new PathMetricsFolder();
  for (let i = 0; i < records.length; i++) folder.add(records[i]!);
  return folder.result();
}

/**
 * The completed requests' `latencyNs` per stream (in trace order), streams
 * in first-appearance order, host-wide records excluded: the samples behind
 * `PathMetrics.latencyNs`, for histograms (`log2Histogram`).
 */
export function latenciesByStream(records: readonly HvRecord[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.stream === '') continue;
    let list = out.get(r.stream);
    if (list === undefined) {
      list = [];
      out.set(r.stream, list);
    }
    if (r.kind === 'io.request.completed' && r.dropped !== true) list.push(r.latencyNs);
  }
  return out;
}
