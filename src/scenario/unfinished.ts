/**
 * No request lost in silence: which requests a run left unfinished, and
 * where each one was last seen. `RequestLedger` is a trace sink that folds
 * the records as they are emitted (it never needs the whole trace, so it
 * works when the trace is streamed or discarded): a small map from each
 * open flow to its `io.request.issued` fields and its latest record, so
 * the cost is one map lookup per record and memory grows with the requests
 * in flight, not with the trace. At the end it names every request that
 * was issued and never completed (its VM, disk or NIC, the workload it
 * belongs to and its number there, flow, path, op, and the kind, place
 * and time of its last record), and every request a workload asked for
 * but never issued. `unfinishedLines` words that for the CLI and the app.
 *
 * Each `io.request.issued` record says which workload issued it and its
 * number there (`workload`, `request`), so the ledger needs nothing but
 * the trace, the contract between the model and everything that reads it.
 */
import { formatNs, type StopReason, type TraceSink } from '../engine/index.js';
import { RecordHead } from '../metrics/record-head.js';
import type { Topology } from '../model/topology.js';
import type { HvRecord, KindFields, PathKind, RecordEnvelope } from '../model/trace-events.js';
import type { TrafficConfig, WorkloadConfig } from '../model/world-config.js';

/** The last record a request was seen in. */
export interface LastSeen {
  kind: string;
  seq: number;
  t: number;
  /** The place's id in the topology, and its label. */
  place: string;
  label: string;
}

/** Where a request came from: `workloads[index]` (a disk) or `traffic[index]` (a NIC) of the scenario; index -1 when no workload matches its issue record. */
export interface RequestSource {
  source: 'workload' | 'traffic';
  index: number;
  vm: string;
  /** The VM disk (workloads) or NIC (traffic). */
  device: string;
}

/** A request that was issued and never completed. */
export interface StuckRequest extends RequestSource {
  /** Its number in its workload, from 1 (the n-th request it issued), and the workload's count (a duration workload's: what it issued by the run's end). */
  request: number;
  of: number;
  /** A duration workload's duration: its count is what it issued in that window, not what the file says. */
  durationNs?: number;
  /** The request's id in the trace (every record of it carries this flow). */
  flow: number;
  path: PathKind;
  op: 'read' | 'write';
  bytes: number;
  lba: number;
  issuedNs: number;
  last: LastSeen;
  /** The VM state that holds it, when its last record is `vm.io.held` (its VM saved, paused or off when the run ended, or a write its frozen writers hold). */
  heldBy?: { vm: string; state: string; writersFrozen?: true; refused?: { action: string; t: number; why: string } };
}

/**
 * Requests a workload asked for and never issued, or a duration workload
 * the run cut short before its window closed (`closesNs`): what it would
 * have issued in the rest of its window is unknown, so it is said as a
 * window cut short, with `requested` what it issued and `missing` 0.
 */
export interface NotIssued extends RequestSource {
  requested: number;
  issued: number;
  missing: number;
  /** A duration workload cut short: when its window (start + duration) would have closed. */
  closesNs?: number;
  /** Where its issuer stopped, in words. */
  why: string;
}

/** What a run left unfinished (both lists empty when every request completed). */
export interface Unfinished {
  stuck: StuckRequest[];
  notIssued: NotIssued[];
  /** Requests the workloads and traffic asked for: their counts, but what a duration workload issued once its window closed. */
  requested: number;
}

interface Open {
  /** What its `io.request.issued` record said (a copy: a sink's `own` fields may be refilled for the next record, as the record stream's are), and when it was issued. */
  issued: Pick<KindFields['io.request.issued'], 'vm' | 'disk' | 'path' | 'op' | 'bytes' | 'lba'>;
  issuedNs: number;
  source: number; // index into the ledger's sources, or -1
  request: number;
  kind: string;
  seq: number;
  t: number;
  place: string;
  /** Set while the request is held by its VM's state (`vm.io.held`). */
  held: { vm: string; state: string; writersFrozen: boolean; t: number } | null;
  /** Set while its frame waits in a switch port's buffers for a guest that is not running (`vswitch.frame.kept` until `vswitch.frame.released`): the sender's records may follow. */
  kept?: { vm: string; state: string; writersFrozen: false; t: number } | null;
}

interface Source {
  key: RequestSource;
  count: number;
  issued: number;
  startNs: number;
  /** A duration workload's end of issuing (start + duration): past it, what it issued is all it asked for. */
  closesNs?: number;
  durationNs?: number;
}

const NIC_PATHS: readonly PathKind[] = ['nic-legacy', 'nic-synthetic'];

/** Folds trace records into the set of open requests; see the module comment. */
export class RequestLedger implements TraceSink<HvRecord> {
  readonly enabled = true;
  private readonly open = new Map<number, Open>();
  /** The workloads, then the traffic, as the scenario lists them. */
  private readonly sources: Source[];
  private readonly trafficBase: number;
  /** Issue records that named no workload of the run (a model fault; reported as stuck with index -1 if they stay open). */
  unattributed = 0;

  constructor(workloads: readonly WorkloadConfig[], traffic: readonly TrafficConfig[] = []) {
    this.sources = [
      ...workloads.map((w, index): Source => ({
        key: { source: 'workload', index, vm: w.vm, device: w.disk },
        count: w.count,
        issued: 0,
        startNs: w.startNs,
        ...(w.durationNs === undefined ? {} : { closesNs: w.startNs + w.durationNs, durationNs: w.durationNs }),
      })),
      ...traffic.map((w, index): Source => ({ key: { source: 'traffic', index, vm: w.vm, device: w.nic }, count: w.count, issued: 0, startNs: w.startNs })),
    ];
    this.trafficBase = workloads.length;
  }

  /** Each managed VM's state as its last `vm.state.changed` says (for naming what holds a request). */
  private readonly vmStates = new Map<string, string>();
  /** Each managed VM's last refused action (an action meant to run it again may be why a request stays held). */
  private readonly vmRefused = new Map<string, { action: string; t: number; why: string }>();

  private readonly head = new RecordHead();

  write(record: HvRecord): void {
    this.writeRead(record, this.head.read(record));
  }

  /**
   * `write`, with the record's envelope already read into `h` (a run's
   * sinks share one read: `RecordHead`, or the tracer's envelope) and
   * `own`, its kind's own fields (the whole record serves as well).
   */
  writeRead(own: object, h: RecordEnvelope): void {
    const kind = h.kind;
    if (kind === 'vm.state.changed') {
      const r = own as KindFields['vm.state.changed'];
      this.vmStates.set(r.vm, r.to);
    } else if (kind === 'vm.action.refused') {
      const r = own as KindFields['vm.action.refused'];
      this.vmRefused.set(r.vm, { action: r.action, t: h.t, why: r.why });
    }
    const flow = h.flow;
    if (flow < 0) return;
    const open = this.open.get(flow);
    if (open !== undefined) {
      if (kind === 'io.request.completed') {
        this.open.delete(flow);
        return;
      }
      open.kind = kind;
      open.seq = h.seq;
      open.t = h.t;
      open.place = h.place;
      if (kind === 'vm.io.held') {
        const r = own as KindFields['vm.io.held'];
        open.held = { vm: r.vm, state: r.state, writersFrozen: r.writersFrozen === true, t: h.t };
      } else open.held = null;
      if (kind === 'vswitch.frame.kept') {
        const r = own as KindFields['vswitch.frame.kept'];
        open.kept = { vm: r.port.slice(0, r.port.indexOf('/')), state: r.state, writersFrozen: false, t: h.t };
      } else if (kind === 'vswitch.frame.released') open.kept = null;
    } else if (kind === 'io.request.issued') {
      const r = own as KindFields['io.request.issued'];
      const source = this.sourceOf(r);
      if (source >= 0) this.sources[source]!.issued++;
      else this.unattributed++;
      const issued = { vm: r.vm, disk: r.disk, path: r.path, op: r.op, bytes: r.bytes, lba: r.lba };
      this.open.set(flow, { issued, issuedNs: h.t, source, request: (r.request ?? -1) + 1, kind, seq: h.seq, t: h.t, place: h.place, held: null });
    }
  }

  /** What holds a request at the end: its VM's state then, and the VM's last refused action if it came after the hold. */
  private heldBy(held: NonNullable<Open['held']>): NonNullable<StuckRequest['heldBy']> {
    const refused = this.vmRefused.get(held.vm);
    return {
      vm: held.vm,
      state: this.vmStates.get(held.vm) ?? held.state,
      ...(held.writersFrozen ? { writersFrozen: true as const } : {}),
      ...(refused !== undefined && refused.t >= held.t ? { refused } : {}),
    };
  }

  /** The source an issue record names: `workloads[workload]`, or `traffic[workload]` for a NIC path; -1 if it names none. */
  private sourceOf(r: KindFields['io.request.issued']): number {
    if (r.workload === undefined) return -1;
    const index = NIC_PATHS.includes(r.path) ? this.trafficBase + r.workload : r.workload;
    const s = this.sources[index];
    return s !== undefined && s.key.vm === r.vm && s.key.device === r.disk ? index : -1;
  }

  /** Requests open now. */
  get openCount(): number {
    return this.open.size;
  }

  /** What is unfinished when the run has ended (`topology` gives the places' labels). */
  result(end: { topology: Topology; stop: StopReason; endNs: number }): Unfinished {
    const labels = new Map(end.topology.places.map((p) => [p.id, p.label]));
    const stuck = [...this.open.entries()]
      .sort(([a], [b]) => a - b)
      .map(([flow, o]): StuckRequest => {
        const r = o.issued;
        const s = this.sources[o.source];
        const key: RequestSource = s?.key ?? { source: NIC_PATHS.includes(r.path) ? 'traffic' : 'workload', index: -1, vm: r.vm, device: r.disk };
        return {
          ...key,
          request: o.request,
          of: s === undefined ? 0 : requestedOf(s),
          ...(s?.durationNs === undefined ? {} : { durationNs: s.durationNs }),
          flow,
          path: r.path,
          op: r.op,
          bytes: r.bytes,
          lba: r.lba,
          issuedNs: o.issuedNs,
          last: { kind: o.kind, seq: o.seq, t: o.t, place: o.place, label: labels.get(o.place) ?? o.place },
          // Held by the state its VM is in at the end (it may have been held while Saving and stayed for Saved).
          // A write held by a backup's quiesce: the VM runs, its writers are frozen.
          // A frame kept in a port's buffers is held by the receiving VM's state.
          ...(o.held !== null ? { heldBy: this.heldBy(o.held) } : o.kept != null ? { heldBy: this.heldBy(o.kept) } : {}),
        };
      });
    // A duration workload the run cut short is unfinished too, though it may have no request left open (nothing lost in silence).
    // One that reached its count (a cap) first was done, its window or not; and a run that ran out of events did not
    // cut it short: its issuers were all waiting on requests it names as open (held by a saved VM, say), and would issue no more.
    const cutShort = (s: Source): boolean => s.closesNs !== undefined && end.endNs < s.closesNs && s.issued < s.count && end.stop !== 'empty';
    const notIssued = this.sources
      .filter((s) => s.issued < requestedOf(s) || cutShort(s))
      .map((s): NotIssued => {
        const waiting = stuck.filter((r) => r.source === s.key.source && r.index === s.key.index).length;
        if (cutShort(s)) return { ...s.key, requested: s.issued, issued: s.issued, missing: 0, closesNs: s.closesNs!, why: whyCutShort(s, waiting, end) };
        return { ...s.key, requested: s.count, issued: s.issued, missing: s.count - s.issued, why: whyNotIssued(s, waiting, end) };
      });
    const requested = this.sources.reduce((sum, s) => sum + requestedOf(s), 0);
    return { stuck, notIssued, requested };
  }
}

/**
 * What `s` asked for: its count, or for a duration workload what it issued. Its count is only a cap,
 * and how many it would have issued in a window the run cut short is unknown (that is reported apart).
 */
function requestedOf(s: Source): number {
  return s.closesNs !== undefined ? s.issued : s.count;
}

function whyCutShort(s: Source, waiting: number, end: { stop: StopReason; endNs: number }): string {
  const open = waiting === 0 ? '' : ` with ${waiting} of its requests open (listed above)`;
  return `${stopWords(end.stop, end.endNs)}${open}, ${formatNs(s.closesNs! - end.endNs)} before its window (${formatNs(s.durationNs!)} from ${formatNs(s.startNs)}) closed; it had issued ${s.issued.toLocaleString('en-US')}`;
}

function whyNotIssued(s: Source, waiting: number, end: { stop: StopReason; endNs: number }): string {
  const stopped = stopWords(end.stop, end.endNs);
  if (s.issued === 0 && s.startNs >= end.endNs) return `its first request was due at ${formatNs(s.startNs)}, but ${stopped}`;
  if (waiting > 0) {
    return s.key.source === 'workload'
      ? `its issuers were still waiting on ${waiting} open request${waiting === 1 ? '' : 's'} (listed above) when ${stopped}`
      : `${stopped} while ${waiting} of its packets were open`;
  }
  return end.stop === 'empty'
    ? `its issuer stopped with none of its requests open, and ${stopped}`
    : `${stopped} before it issued them`;
}

function stopWords(stop: StopReason, endNs: number): string {
  switch (stop) {
    case 'empty':
      return `the simulation ran out of events at ${formatNs(endNs)}`;
    case 'until':
      return `the run stopped at limits.until (${formatNs(endNs)})`;
    case 'maxEvents':
      return `the run stopped at limits.maxEvents (at ${formatNs(endNs)})`;
    default:
      return `the run was stopped at ${formatNs(endNs)}`;
  }
}

/** A size in words: "4 KiB", "8 MiB", "1,514 B". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_048_576 && bytes % 1_048_576 === 0) return `${bytes / 1_048_576} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes.toLocaleString('en-US')} B`;
}

/** Where a request came from, in words: `workloads[0]` or `traffic[2]`. */
function sourceName(s: RequestSource): string {
  return s.index < 0 ? `no ${s.source === 'traffic' ? 'traffic' : 'workload'} of the scenario matches it` : `${s.source === 'traffic' ? 'traffic' : 'workloads'}[${s.index}]`;
}

/** One line per stuck request. */
export function stuckLine(r: StuckRequest): string {
  const device = r.source === 'traffic' ? 'NIC' : 'disk';
  const number =
    r.index < 0
      ? `request (${sourceName(r)})`
      : r.durationNs !== undefined
        ? `request ${r.request.toLocaleString('en-US')} of ${sourceName(r)} (a workload for ${formatNs(r.durationNs)}: ${r.of.toLocaleString('en-US')} issued)`
        : `request ${r.request.toLocaleString('en-US')} of ${r.of.toLocaleString('en-US')} of ${sourceName(r)}`;
  const at = r.source === 'traffic' ? '' : ` at LBA ${r.lba.toLocaleString('en-US')}`;
  return (
    `VM ${r.vm} ${device} ${r.device}: ${number}, flow ${r.flow}: ${r.path} ${r.op} of ${formatBytes(r.bytes)}${at}, issued at ${formatNs(r.issuedNs)}; ` +
    `last seen in ${r.last.kind} at ${r.last.place} (${r.last.label}) at ${formatNs(r.last.t)}` +
    (r.heldBy === undefined ? '' : r.heldBy.writersFrozen === true ? `; held: VM '${r.heldBy.vm}' has its writers frozen (a backup)` : `; held: VM '${r.heldBy.vm}' is ${r.heldBy.state}`) +
    (r.heldBy?.refused === undefined ? '' : ` (its ${r.heldBy.refused.action} at ${formatNs(r.heldBy.refused.t)} was refused: ${r.heldBy.refused.why})`)
  );
}

/** One line per workload with requests never issued. */
export function notIssuedLine(n: NotIssued): string {
  const device = n.source === 'traffic' ? 'NIC' : 'disk';
  if (n.closesNs !== undefined) return `${sourceName(n)} (VM ${n.vm} ${device} ${n.device}): cut short: ${n.why}`;
  return `${sourceName(n)} (VM ${n.vm} ${device} ${n.device}): ${n.missing.toLocaleString('en-US')} of ${n.requested.toLocaleString('en-US')} requests never issued: ${n.why}`;
}

/** Whether anything was left unfinished. */
export function isUnfinished(u: Pick<Unfinished, 'stuck' | 'notIssued'>): boolean {
  return u.stuck.length > 0 || u.notIssued.length > 0;
}

/**
 * The message for an unfinished run: a headline (with why the run ended
 * unless `withReason` is false), then one line per stuck request (at most
 * `maxStuckLines`, then "and N more"), then one line per workload with
 * requests never issued. Empty when nothing is unfinished.
 */
export function unfinishedLines(
  u: Unfinished,
  run: RunEnd & { requested: number },
  maxStuckLines = 20,
  withReason = true,
): string[] {
  if (!isUnfinished(u)) return [];
  const missing = u.notIssued.reduce((sum, n) => sum + n.missing, 0);
  const total = u.stuck.length + missing;
  const cut = u.notIssued.filter((n) => n.closesNs !== undefined).length;
  const parts = [
    ...(u.stuck.length > 0 ? [`${u.stuck.length.toLocaleString('en-US')} issued and still open`] : []),
    ...(missing > 0 ? [`${missing.toLocaleString('en-US')} never issued`] : []),
  ];
  const held = u.stuck.length > 0 && u.stuck.every((r) => r.heldBy !== undefined);
  const windows = cut === 0 ? '' : `${cut === 1 ? 'a duration workload' : `${cut} duration workloads`} cut short before ${cut === 1 ? 'its window' : 'their windows'} closed`;
  const what = total === 0 ? windows : `${total.toLocaleString('en-US')} of ${run.requested.toLocaleString('en-US')} requests did not complete (${parts.join(', ')})${windows === '' ? '' : `, and ${windows}`}`;
  const headline = `${what}${withReason ? `: ${endWords(run, held, cut > 0)}` : ':'}`;
  const shown = u.stuck.slice(0, maxStuckLines).map(stuckLine);
  const more = u.stuck.length > maxStuckLines ? [`and ${(u.stuck.length - maxStuckLines).toLocaleString('en-US')} more open requests`] : [];
  return [headline, ...shown, ...more, ...u.notIssued.map(notIssuedLine)];
}

/** How a run ended, as its unfinished message says it; `outages`: the failed hosts whose VMs never ran again (`hostsDownAtEnd`), the reason a held request stayed held. */
interface RunEnd {
  stop: StopReason;
  endNs: number;
  maxEvents?: number;
  outages?: readonly string[];
}

function endWords(run: RunEnd, held = false, timed = false): string {
  // A duration workload is shortened by its duration, not its count (only a cap).
  const lower = timed ? "lower the workloads' count or duration" : "lower the workloads' count";
  switch (run.stop) {
    case 'empty':
      // Held by a VM that a failed host took down and nothing restarted: that is why, and no action of the VM's own would help.
      if (held && run.outages !== undefined && run.outages.length > 0) return `the simulation ran out of events at ${formatNs(run.endNs)} with them held by VMs that never ran again: ${run.outages.join('; ')}`;
      if (held) return `the simulation ran out of events at ${formatNs(run.endNs)} with them held by their VMs' states (a VM saved, paused or off that nothing runs again): add an action that runs it (restore, resume, start)`;
      return `the simulation ran out of events at ${formatNs(run.endNs)} with them unfinished, so they were lost (a fault in the model, not in the scenario)`;
    case 'until':
      return `the run stopped at limits.until (${formatNs(run.endNs)}); raise limits.until or ${lower}`;
    case 'maxEvents':
      return `the run stopped after limits.maxEvents${run.maxEvents === undefined ? '' : ` (${run.maxEvents.toLocaleString('en-US')} events)`} at ${formatNs(run.endNs)}; raise limits.maxEvents or ${lower}`;
    default:
      return `the run was stopped at ${formatNs(run.endNs)}`;
  }
}
