/**
 * The migration networks' links, shared by the live migrations and
 * vMotions sending at once (row c.2): each migration's memory on the wire
 * is a flow, and the flows on a host's link share it (processor sharing:
 * each flow's rate is recomputed whenever a transfer on its hosts starts
 * or ends). A link is full duplex, as switched Gigabit and 10 Gigabit
 * Ethernet are (IEEE 802.3 clause 4 full-duplex MAC; 1000BASE-T carries
 * both directions at once on all four pairs, 802.3ab, R): what a host
 * sends and what it receives do not share, so flows share a host's link
 * only in one direction (its sends, or its receives), and only on the
 * same migration network. Used by `LiveMigration` (`live-migration.ts`)
 * to send, and by `Migrations` (`migration.ts`) to drop a run's flow.
 */
import type { Simulation } from '../../engine/index.js';
import { clusterDefault } from './cluster-costs.js';
import { sendNs } from './precopy.js';

/** A migration as its links see it: its two hosts, its rates, and its memory on the wire now. */
export interface Sender {
  from: string;
  to: string;
  /** The migration network it sends over: the cluster's, or another given by the move (`gbps`); flows on different networks do not share. */
  network: string;
  /** One migration's usable rate on the migration network, and what migrations under way together use at most. */
  bytesPerS: number;
  linkBytesPerS: number;
  /** Its memory on the wire now, or null. */
  flow: Flow | null;
}

/** One migration's bytes on the wire: what is left, at what rate since when, and the end as timed now. */
export interface Flow {
  run: Sender;
  /** All it has to send, and what is left of it as of `sinceNs`. */
  bytes: number;
  leftBytes: number;
  bytesPerS: number;
  sinceNs: number;
  timer: ReturnType<Simulation['schedule']> | null;
  done: () => void;
}

/** The flows on the migration links. */
export class MigrationLinks {
  private readonly flows = new Set<Flow>();

  constructor(private readonly sim: Simulation) {}

  /**
   * The rate `run` sends at while the transfers on its hosts stay as they are (itself among them): its own
   * rate, or its equal part of the busier of its source's sending side and its target's receiving side when
   * those sending the same way there together would take more than the link gives (`linkBytesPerS`,
   * lm_link_share_max of the line: row c.2, Finn, Holman). Full duplex: a flow into the source or out of the
   * target does not slow it (before, every flow touching either host counted, so two VMs swapped between two
   * hosts went at half the rate each, as if the link were half duplex). Equal parts of the busier side keep
   * every side within its share (E: no max-min fairness across links).
   */
  shareOf(run: Sender): number {
    let sends = 1;
    let receives = 1;
    for (const f of this.flows) {
      if (f.run === run || f.run.network !== run.network) continue;
      if (f.run.from === run.from) sends++;
      if (f.run.to === run.to) receives++;
    }
    return Math.min(run.bytesPerS, Math.floor(run.linkBytesPerS / Math.max(sends, receives)));
  }

  /** `bytes` of `run`'s memory go over the link as a flow sharing it (`reshare`), then `done`. */
  send(run: Sender, bytes: number, done: () => void): void {
    const flow: Flow = { run, bytes, leftBytes: bytes, bytesPerS: 0, sinceNs: this.sim.now, timer: null, done };
    run.flow = flow;
    this.flows.add(flow);
    this.reshare();
  }

  /**
   * Processor sharing on the migration links: each flow's bytes sent so far at its old rate are counted,
   * and a flow whose share changed (or a new one) is timed anew from what it has left. Called whenever a
   * flow starts or ends, so the links never carry more than their share and a migration that ends leaves
   * its part to the others at once.
   */
  private reshare(): void {
    const now = this.sim.now;
    for (const f of this.flows) {
      f.leftBytes = Math.max(0, f.leftBytes - (f.bytesPerS * (now - f.sinceNs)) / 1e9);
      f.sinceNs = now;
    }
    for (const f of this.flows) {
      const bytesPerS = this.shareOf(f.run);
      if (bytesPerS === f.bytesPerS && f.timer !== null) continue;
      if (f.timer !== null) this.sim.cancel(f.timer);
      f.bytesPerS = bytesPerS;
      f.timer = this.sim.schedule(sendNs(f.leftBytes, bytesPerS), () => this.flowDone(f));
    }
  }

  private flowDone(f: Flow): void {
    this.flows.delete(f);
    f.run.flow = null;
    f.done();
    this.reshare();
  }

  /**
   * Stops `run`'s flow before it is done (its migration ended, aborted) and gives the bytes it had put on the
   * wire by `untilNs` (now, or earlier: when its peer died and so stopped taking them; whole bytes, rounded
   * down), so an aborted migration still counts the traffic it caused; 0 when it sends nothing.
   */
  drop(run: Sender, untilNs: number = this.sim.now): number {
    const f = run.flow;
    if (f === null) return 0;
    if (f.timer !== null) this.sim.cancel(f.timer);
    const left = Math.max(0, f.leftBytes - (f.bytesPerS * Math.max(0, Math.min(this.sim.now, untilNs) - f.sinceNs)) / 1e9);
    this.flows.delete(f);
    run.flow = null;
    this.reshare();
    return Math.floor(f.bytes - left);
  }
}

/** A migration network's usable bytes per second: the line rate times the efficiency one migration achieves (defaults by speed, row c.2). */
export function linkBytesPerS(gbps: number, efficiency: number | null): number {
  const e = efficiency ?? (gbps <= 1 ? clusterDefault('lm_efficiency_1g') : clusterDefault('lm_efficiency_10g'));
  return Math.round((gbps * 1e9 * e) / 8);
}
