/**
 * The inspector: one record opened up (ux-ecosystem §6.1, "per-layer
 * detail"). First what it means in one sentence, then its envelope and its
 * own fields, then the state of the place it touched at this step: the
 * VM's ATA task file, the channel's rings, the SRB, or the disk's service
 * breakdown. All text goes in through textContent.
 */
import { formatNs } from '../../engine/sim-time.js';
import type { Topology } from '../../model/topology.js';
import type { HvRecord } from '../../model/trace-events.js';
import type { ViewState } from '../../render/view-state.js';
import { el, formatBytes, formatCount, hex, partitionLabel, placeLabel, placePartition, uniqueId } from './dom.js';
import { explainRecord, shortLabel } from './explain.js';
import { addTerm, ataSection, diskSection, ringSection, section, srbSection } from './inspector-sections.js';

export { explainRecord } from './explain.js';

const ENVELOPE = new Set(['seq', 't', 'kind', 'place', 'band', 'stream', 'flow', 'cause', 'costNs', 'charge', 'waitNs']);

const CHARGE_TEXT: Record<string, string> = {
  guest: 'guest virtual processor',
  root: 'root partition CPU',
  hypervisor: 'hypervisor',
  device: 'device (no CPU)',
  none: 'nobody (waiting)',
};

/** Friendly names of kind fields; a field not listed shows its own name. */
const FIELD_LABELS: Record<string, string> = {
  vm: 'VM',
  lp: 'LP',
  disk: 'Disk',
  path: 'Path',
  op: 'Operation',
  bytes: 'Size',
  lba: 'LBA',
  latencyNs: 'Latency',
  partition: 'Partition',
  to: 'To',
  switchKind: 'Switch kind',
  layer: 'Layer',
  direction: 'Direction',
  port: 'I/O port',
  register: 'Register',
  access: 'Access',
  value: 'Value',
  words: 'Words',
  reason: 'Reason',
  worker: 'Worker',
  command: 'Command',
  name: 'Command name',
  sectors: 'Sectors',
  sector: 'Sector',
  prdEntries: 'PRD entries',
  irq: 'IRQ',
  target: 'Target',
  vector: 'Vector',
  via: 'Via',
  trapped: 'Trapped',
  call: 'Hypercall',
  code: 'Call code',
  sint: 'SINT',
  channel: 'Channel',
  ring: 'Ring',
  packetBytes: 'Packet size',
  packetType: 'Packet type',
  writeIndex: 'Write index',
  readIndex: 'Read index',
  wasEmpty: 'Ring was empty',
  pending: 'Pending packets',
  operation: 'Operation',
  cdb: 'CDB',
  blocks: 'Blocks',
  pfns: 'Page frames',
  status: 'Status',
  backend: 'Back end',
  fileOffset: 'File offset',
  queued: 'Queued ahead',
  overheadNs: 'Overhead',
  seekNs: 'Seek',
  rotationNs: 'Rotation',
  transferNs: 'Transfer',
  cached: 'Write cache',
};

const HEX_FIELDS = new Set(['port', 'value', 'command', 'vector', 'code']);

/** A kind field's value as text. */
export function formatField(key: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (key.endsWith('Ns')) return formatNs(value);
    if (HEX_FIELDS.has(key)) return `${hex(value)} (${value})`;
    if (key === 'bytes' || key === 'packetBytes') return formatBytes(value);
    return formatCount(value, 3);
  }
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

export interface InspectorOptions {
  /** Called when the user follows the "caused by" link; `index` is the cursor to seek to. */
  onJump?(index: number): void;
}

export class Inspector {
  private readonly body = el('div', { class: 'hv-inspector-body' });

  constructor(
    host: HTMLElement,
    private readonly opts: InspectorOptions = {},
  ) {
    const headingId = uniqueId('hv-insp');
    host.append(
      el(
        'section',
        { class: 'hv-panel hv-inspector', attrs: { 'aria-labelledby': headingId } },
        el('h2', { text: 'Inspector', attrs: { id: headingId } }),
        this.body,
      ),
    );
  }

  /** Shows `record` (the last applied one) with the state of its place in `view`; null shows a hint. */
  show(record: HvRecord | null, view: ViewState, topology: Topology): void {
    if (record === null) {
      this.body.replaceChildren(el('p', { class: 'hv-muted', text: 'Nothing has happened yet. Step forward to see the first record.' }));
      return;
    }
    const parts: HTMLElement[] = [el('h3', { class: 'hv-record-title', text: shortLabel(record) }), el('p', { class: 'hv-explain', text: explainRecord(record) })];

    const env = el('dl', { class: 'hv-dl' });
    // The narrator and the position counter say "record N" (the Nth record, from 1); the event list's Seq counts from 0.
    addTerm(env, 'Seq', `${record.seq} (record ${(record.seq + 1).toLocaleString('en-US')})`);
    addTerm(env, 'Time', `${formatNs(record.t)} (${record.t.toLocaleString('en-US')} ns)`);
    addTerm(env, 'Kind', breakAtDots(record.kind), 'hv-code');
    addTerm(env, 'Place', placeLabel(topology, record.place));
    addTerm(env, 'Partition', partitionLabel(topology, placePartition(topology, record.place)));
    addTerm(env, 'Band', record.band);
    addTerm(env, 'Stream', record.stream === '' ? '— (host-wide work)' : record.stream);
    addTerm(env, 'Request', record.flow < 0 ? '— (shared by several requests)' : record.stream === '' ? `${record.flow} (a VM management action, not an I/O)` : String(record.flow));
    addTerm(env, 'Caused by', this.causeNode(record.cause));
    addTerm(env, 'Cost', formatNs(record.costNs));
    addTerm(env, 'Charged to', CHARGE_TEXT[record.charge] ?? record.charge);
    if (record.waitNs !== undefined) addTerm(env, 'Waited', formatNs(record.waitNs));
    parts.push(section('Record', env));

    const fields = el('dl', { class: 'hv-dl' });
    for (const [key, value] of Object.entries(record)) {
      if (ENVELOPE.has(key)) continue;
      addTerm(fields, FIELD_LABELS[key] ?? key, formatField(key, value));
    }
    if (fields.childElementCount > 0) parts.push(section('Fields', fields));

    const state = placeState(record, view);
    if (state !== null) parts.push(state);
    this.body.replaceChildren(...parts);
  }

  private causeNode(cause: number): string | Node {
    if (cause < 0) return 'nothing recorded (a starting point)';
    const onJump = this.opts.onJump;
    // Numbered as the record itself is above: its seq, and its place in the run counted from 1 (the narrator's and the position's).
    const label = `seq ${cause} (record ${(cause + 1).toLocaleString('en-US')})`;
    if (onJump === undefined) return label;
    const b = el('button', { class: 'hv-link', text: label, attrs: { type: 'button', 'aria-label': `Go to record ${(cause + 1).toLocaleString('en-US')}, the cause` } });
    b.addEventListener('click', () => onJump(cause + 1));
    return b;
  }
}

/** The state section that fits the record's place, if any. */
function placeState(r: HvRecord, view: ViewState): HTMLElement | null {
  const path = r.stream.split('/').at(-1) ?? '';
  const vm = r.stream.split('/')[0] ?? '';
  if (r.kind.startsWith('ide.') || ((r.kind.startsWith('hv.intercept.') || r.kind.startsWith('vid.')) && path.startsWith('ide-'))) {
    return ataSection(vm, view, r);
  }
  if ('channel' in r && typeof r.channel === 'string') return ringSection(r.channel, view, 'ring' in r ? r.ring : undefined);
  if (r.kind === 'storvsc.srb.built' || r.kind === 'storvsc.srb.completed') return srbSection(r);
  if (r.kind === 'disk.request.serviced') return diskSection(r);
  return null;
}

/** `text` with a line-break opportunity after each dot (a record kind breaks between its words, not inside one). */
function breakAtDots(text: string): DocumentFragment {
  const out = document.createDocumentFragment();
  text.split('.').forEach((part, i, parts) => {
    out.append(i < parts.length - 1 ? `${part}.` : part);
    if (i < parts.length - 1) out.append(document.createElement('wbr'));
  });
  return out;
}
