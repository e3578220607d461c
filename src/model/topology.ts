/**
 * The topology the model emits: places (each a node on the canvas, in one
 * partition and one privilege band) and the links between them. The
 * renderer lays out only what this describes, so a new device or path needs
 * no renderer change (DESIGN §1).
 */
import { intern } from '../engine/index.js';

/** Privilege bands, top to bottom as the book's figures draw them. */
export const BANDS = ['guest-user', 'guest-kernel', 'vmbus', 'root-user', 'root-kernel', 'hypervisor', 'hardware'] as const;
export type Band = (typeof BANDS)[number];

/** One place where work happens. */
export interface Place {
  /** Stable id, e.g. `vm-dma.ata`, `root.vmwp.vm-dma.ide`, `hw.disk.d1`. */
  readonly id: string;
  /** Short label for the canvas. */
  readonly label: string;
  /** `root`, a VM id, `hypervisor` or `hardware`. */
  readonly partition: string;
  readonly band: Band;
  /** What sort of thing it is (for icons and grouping). */
  readonly role: PlaceRole;
  /**
   * The place's number in its world (0, 1, …; the world's builder gives
   * it): the tracer hands it beside the place's id and band, so a sink
   * that keeps per place what it knows of those strings (the fingerprint's
   * ids) finds it by index instead of comparing strings. Absent on places
   * made outside a world (tests of the renderer).
   */
  readonly no?: number;
}

/** Kinds of place. */
export type PlaceRole =
  | 'app'
  | 'stack-layer'
  | 'driver'
  | 'vsc'
  | 'vsp'
  | 'ring'
  | 'vid'
  | 'worker'
  /** A management service of the root (VMMS, the WMI provider). */
  | 'service'
  | 'emulator'
  | 'vhd'
  | 'hypervisor'
  | 'synic'
  | 'cpu'
  | 'hba'
  | 'nic'
  | 'disk';

/** A directed link a packet can travel along. */
export interface Link {
  readonly from: string;
  readonly to: string;
}

/** A partition as drawn: the root, a child, or the shared hypervisor/hardware strips. */
export interface PartitionInfo {
  readonly id: string;
  readonly label: string;
  readonly kind: 'root' | 'child' | 'hypervisor' | 'hardware';
}

/** Everything the renderer needs to draw the static scene. */
export interface Topology {
  readonly partitions: readonly PartitionInfo[];
  readonly places: readonly Place[];
  readonly links: readonly Link[];
}

/** Collects places and links while a world is built; ids are unique. */
export class TopologyBuilder {
  private readonly partitions: PartitionInfo[] = [];
  private readonly places = new Map<string, Place>();
  private readonly links = new Map<string, Link>();
  /** Places numbered so far, drawn or not (`Place.no`). */
  private numbered = 0;

  partition(info: PartitionInfo): void {
    if (!this.partitions.some((p) => p.id === info.id)) this.partitions.push(info);
  }

  /** Adds a place, or returns the existing one with that id. */
  place(id: string, label: string, partition: string, band: Band, role: PlaceRole): Place {
    const existing = this.places.get(id);
    if (existing !== undefined) return existing;
    const place = this.offCanvas(id, label, partition, band, role);
    this.places.set(id, place);
    return place;
  }

  /** A place of this world that the canvas does not draw (the cluster's, which its own view draws), numbered with the others. */
  offCanvas(id: string, label: string, partition: string, band: Band, role: PlaceRole): Place {
    return { id: intern(id), label, partition, band, role, no: this.numbered++ };
  }

  link(from: Place, to: Place): void {
    const key = `${from.id}->${to.id}`;
    if (!this.links.has(key)) this.links.set(key, { from: from.id, to: to.id });
  }

  /** Links each place to the next, in order. */
  chain(...places: Place[]): void {
    for (let i = 1; i < places.length; i++) this.link(places[i - 1]!, places[i]!);
  }

  build(): Topology {
    return { partitions: [...this.partitions], places: [...this.places.values()], links: [...this.links.values()] };
  }
}

