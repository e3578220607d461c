/**
 * Small DOM helpers shared by the panels. Every piece of text goes in
 * through `textContent` (never `innerHTML`), so scenario and record text
 * always shows as text, whatever it contains.
 */
import { clusterPlaceLabel } from './cluster-places.js';
import type { Place, Topology } from '../../model/topology.js';
import { partitionOfPlace } from '../../render/view-state.js';

/** Byte counts as the canvas writes them (`render/byte-units.ts`). */
export { formatBytes } from '../../render/byte-units.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Options for `el`: a class, text (set with textContent) and attributes. */
export interface ElOptions {
  class?: string;
  text?: string;
  attrs?: Record<string, string>;
}

/** Creates an element with optional class, text (textContent) and attributes, then appends `children`. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, opts: ElOptions = {}, ...children: (Node | null)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (opts.class !== undefined) node.className = opts.class;
  if (opts.text !== undefined) node.textContent = opts.text;
  if (opts.attrs !== undefined) for (const [k, v] of Object.entries(opts.attrs)) node.setAttribute(k, v);
  for (const c of children) if (c !== null) node.append(c);
  return node;
}

/** Creates an SVG element (createElementNS) with attributes. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

let idCounter = 0;

/**
 * A fresh element id for ARIA references (`aria-labelledby`,
 * `aria-activedescendant`). A plain counter: ids are only ever compared
 * within one document, and nothing else depends on it.
 */
export function uniqueId(prefix: string): string {
  return `${prefix}-${++idCounter}`;
}

const placeMaps = new WeakMap<Topology, Map<string, Place>>();

/** The topology's places by id (cached per topology object). */
export function placesById(topology: Topology): Map<string, Place> {
  let map = placeMaps.get(topology);
  if (map === undefined) {
    map = new Map(topology.places.map((p) => [p.id, p]));
    placeMaps.set(topology, map);
  }
  return map;
}

/** A place's label, or its id if the topology does not know it (a cluster place gets its words). */
export function placeLabel(topology: Topology, id: string): string {
  return placesById(topology).get(id)?.label ?? clusterPlaceLabel(id) ?? id;
}

/** The partition a place sits in (from the topology, else from its id). */
export function placePartition(topology: Topology, id: string): string {
  return placesById(topology).get(id)?.partition ?? partitionOfPlace(id);
}

/** A partition's label, or its id. */
export function partitionLabel(topology: Topology, id: string): string {
  return topology.partitions.find((p) => p.id === id)?.label ?? id;
}

/** A number with at most `digits` decimals and thousands separators: 2292.5 → "2,292.5". */
/** One formatter per digit count: `toLocaleString` builds a new one per call (a step formats dozens). */
const COUNT_FORMATS = new Map<number, Intl.NumberFormat>();

export function formatCount(x: number, digits = 2): string {
  let f = COUNT_FORMATS.get(digits);
  if (f === undefined) COUNT_FORMATS.set(digits, (f = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits })));
  return f.format(x);
}

/** Upper-case hex with a 0x prefix: 503 → "0x1F7". */
export function hex(n: number): string {
  return `0x${n.toString(16).toUpperCase()}`;
}
