/**
 * The inspector's place-state sections: the ATA task file (status bits
 * decoded), a VMBus channel's rings, the SCSI request block, and a disk's
 * service breakdown. Each marks what this step changed.
 */
import { formatNs } from '../../engine/sim-time.js';
import type { HvRecord, RecordOf } from '../../model/trace-events.js';
import type { ViewState } from '../../render/view-state.js';
import { el, formatBytes, hex, uniqueId } from './dom.js';

/** Appends a dt/dd pair to a definition list; `cls` goes on the dd. */
export function addTerm(dl: HTMLElement, term: string, value: string | Node, cls?: string): HTMLElement {
  const dd = el('dd', cls === undefined ? {} : { class: cls });
  if (typeof value === 'string') dd.textContent = value;
  else dd.append(value);
  dl.append(el('dt', { text: term }), dd);
  return dd;
}

/** A titled block of the inspector. */
export function section(title: string, ...content: Node[]): HTMLElement {
  const id = uniqueId('hv-insp-sec');
  return el('section', { class: 'hv-insp-section', attrs: { 'aria-labelledby': id } }, el('h4', { text: title, attrs: { id } }), ...content);
}

/** One bit of a register: its short name, what it means, and whether it is set. */
export interface RegisterBit {
  name: string;
  meaning: string;
  set: boolean;
}

/** The ATA status (and alternate status) register, bit 7 first. */
const ATA_STATUS_BITS: readonly [string, string, number][] = [
  ['BSY', 'busy', 0x80],
  ['DRDY', 'drive ready', 0x40],
  ['DF', 'device fault', 0x20],
  ['DSC', 'seek complete', 0x10],
  ['DRQ', 'data request', 0x08],
  ['CORR', 'corrected data', 0x04],
  ['IDX', 'index', 0x02],
  ['ERR', 'error', 0x01],
];

/** The bus-master IDE status register's meaningful bits. */
const BM_STATUS_BITS: readonly [string, string, number][] = [
  ['INTR', 'interrupt', 0x04],
  ['ERR', 'error', 0x02],
  ['ACT', 'DMA active', 0x01],
];

const BM_COMMAND_BITS: readonly [string, string, number][] = [
  ['RW', 'direction: write to memory (a disk read)', 0x08],
  ['START', 'start bus master', 0x01],
];

const decode = (bits: readonly [string, string, number][], value: number): RegisterBit[] =>
  bits.map(([name, meaning, mask]) => ({ name, meaning, set: (value & mask) !== 0 }));

/** Decodes an ATA status byte into BSY, DRDY, DF, DSC, DRQ, CORR, IDX, ERR. */
export function decodeAtaStatus(value: number): RegisterBit[] {
  return decode(ATA_STATUS_BITS, value);
}

/** Decodes a bus-master status byte into INTR, ERR, ACT. */
export function decodeBmStatus(value: number): RegisterBit[] {
  return decode(BM_STATUS_BITS, value);
}

/** A row of bit chips: each says its name and, to assistive technology, set or clear. */
function bitList(bits: RegisterBit[]): HTMLElement {
  const ul = el('ul', { class: 'hv-bits' });
  for (const b of bits) {
    ul.append(
      el(
        'li',
        { class: b.set ? 'hv-bit hv-bit-set' : 'hv-bit', attrs: { title: `${b.meaning}: ${b.set ? 'set' : 'clear'}` } },
        el('span', { text: b.name }),
        el('span', { class: 'hv-visually-hidden', text: ` (${b.meaning}) ${b.set ? 'set' : 'clear'};` }),
      ),
    );
  }
  return ul;
}

/** The registers shown, in task-file order. */
const ATA_ROWS: readonly [string, string][] = [
  ['status', 'Status'],
  ['alt-status', 'Alternate status'],
  ['error', 'Error'],
  ['feature', 'Feature'],
  ['sector-count', 'Sector count'],
  ['lba-low', 'LBA low'],
  ['lba-mid', 'LBA mid'],
  ['lba-high', 'LBA high'],
  ['device', 'Device / head'],
  ['command', 'Command'],
  ['bm-command', 'Bus-master command'],
  ['bm-status', 'Bus-master status'],
  ['bm-prd-pointer', 'PRD table address'],
];

/** The VM's ATA task file as the IDE emulator last reported it. */
export function ataSection(vm: string, view: ViewState, r: HvRecord): HTMLElement {
  const ide = view.ide[vm];
  const title = `ATA task file of ${vm}`;
  if (ide === undefined) return section(title, el('p', { class: 'hv-muted', text: 'The IDE emulator has not reported any register yet.' }));
  const regs = ide.registers;
  const touched = r.kind === 'ide.register.emulated' || r.kind === 'ide.register.accessed' ? r.register : '';
  const table = el('table', { class: 'hv-table hv-ata' });
  table.append(el('caption', { class: 'hv-visually-hidden', text: `${title}, as the IDE emulator last saw it` }));
  table.append(el('thead', {}, el('tr', {}, ...['Register', 'Value', 'Meaning'].map((h) => el('th', { text: h, attrs: { scope: 'col' } })))));
  const body = el('tbody');
  for (const [key, label] of ATA_ROWS) {
    const value = regs[key];
    if (value === undefined && key !== 'status' && key !== 'sector-count' && key !== 'command') continue;
    const meaning = el('td');
    if (value !== undefined) {
      if (key === 'status' || key === 'alt-status') meaning.append(bitList(decodeAtaStatus(value)));
      else if (key === 'bm-status') meaning.append(bitList(decodeBmStatus(value)));
      else if (key === 'bm-command') meaning.append(bitList(decode(BM_COMMAND_BITS, value)));
      else if (key === 'command' && ide.lastCommand !== '') meaning.textContent = ide.lastCommand;
      else if (key === 'sector-count') meaning.textContent = `${value === 0 ? 256 : value} sectors`;
      else if (key === 'device') meaning.textContent = `${(value & 0x40) !== 0 ? 'LBA mode' : 'CHS mode'}, ${(value & 0x10) !== 0 ? 'device 1' : 'device 0'}`;
    }
    const row = el(
      'tr',
      { class: key === touched ? 'hv-changed' : '' },
      el('th', { text: label, attrs: { scope: 'row' } }, key === touched ? el('span', { class: 'hv-visually-hidden', text: ' (accessed at this step)' }) : null),
      el('td', { class: 'hv-num', text: value === undefined ? '—' : hex(value) }),
      meaning,
    );
    body.append(row);
  }
  table.append(body);
  const parts: Node[] = [table];
  const lo = regs['lba-low'];
  const mid = regs['lba-mid'];
  const hi = regs['lba-high'];
  if (lo !== undefined && mid !== undefined && hi !== undefined) {
    const lba = (((regs.device ?? 0) & 0x0f) * 2 ** 24) + hi * 65536 + mid * 256 + lo;
    parts.push(el('p', { class: 'hv-note', text: `LBA (28-bit, from the LBA registers and device bits 0–3): ${lba.toLocaleString('en-US')}` }));
  }
  if (ide.lastCommand !== '') parts.push(el('p', { class: 'hv-note', text: `Last command decoded: ${ide.lastCommand}` }));
  return section(title, ...parts);
}

/** A channel's two rings: indices, mask and packets in the ring. */
export function ringSection(channel: string, view: ViewState, touched?: string): HTMLElement {
  const title = `VMBus channel ${channel}`;
  const rings = view.rings[channel];
  if (rings === undefined) return section(title, el('p', { class: 'hv-muted', text: 'No packet has crossed this channel yet.' }));
  const table = el('table', { class: 'hv-table' });
  table.append(el('caption', { class: 'hv-visually-hidden', text: `Ring buffers of channel ${channel}` }));
  table.append(el('thead', {}, el('tr', {}, ...['Ring', 'Write index', 'Read index', 'Packets in ring', 'Reader mask'].map((h) => el('th', { text: h, attrs: { scope: 'col' } })))));
  const body = el('tbody');
  for (const name of ['outbound', 'inbound'] as const) {
    const ring = rings[name];
    body.append(
      el(
        'tr',
        { class: name === touched ? 'hv-changed' : '' },
        el('th', { text: name === 'outbound' ? 'Outbound (guest → host)' : 'Inbound (host → guest)', attrs: { scope: 'row' } }, name === touched ? el('span', { class: 'hv-visually-hidden', text: ' (changed at this step)' }) : null),
        el('td', { class: 'hv-num', text: String(ring.writeIndex) }),
        el('td', { class: 'hv-num', text: String(ring.readIndex) }),
        el('td', { class: 'hv-num', text: String(ring.packets) }),
        el('td', { text: ring.masked ? 'masked (draining)' : 'clear' }),
      ),
    );
  }
  table.append(body);
  // In a box that scrolls sideways if the side column is too narrow for it (1366×768), never the page.
  return section(title, el('div', { class: 'hv-table-scroll' }, table), el('p', { class: 'hv-note', text: 'A writer signals only when a ring goes from empty to non-empty and the reader’s mask is clear.' }));
}

/** The SCSI request block storvsc built or completed. */
export function srbSection(r: RecordOf<'storvsc.srb.built'> | RecordOf<'storvsc.srb.completed'>): HTMLElement {
  const dl = el('dl', { class: 'hv-dl' });
  if (r.kind === 'storvsc.srb.built') {
    addTerm(dl, 'Operation', r.operation);
    addTerm(dl, 'SCSI command (CDB)', r.cdb);
    addTerm(dl, 'Transfer length', `${r.blocks} blocks (${formatBytes(r.blocks * 512)})`);
    addTerm(dl, 'Data pages (PFNs)', String(r.pfns));
  } else {
    addTerm(dl, 'Status', `${r.status} (${r.status === 0 ? 'success' : 'error'})`);
  }
  return section('SCSI request block (SRB)', dl);
}

const DISK_PARTS = [
  ['seekNs', 'Seek', 'hv-seg-seek'],
  ['rotationNs', 'Rotation', 'hv-seg-rotation'],
  ['transferNs', 'Transfer', 'hv-seg-transfer'],
  ['overheadNs', 'Overhead', 'hv-seg-overhead'],
  ['rmwNs', 'Read-modify-write', 'hv-seg-rmw'],
] as const;

/** Where a disk's service time went: seek, rotation, transfer, overhead, and a 512e disk's read-modify-write. */
export function diskSection(r: RecordOf<'disk.request.serviced'>): HTMLElement {
  const parts = DISK_PARTS.filter(([k]) => r[k] !== undefined);
  const total = parts.reduce((s, [k]) => s + (r[k] ?? 0), 0);
  const summary = parts.map(([k, label]) => `${label} ${formatNs(r[k] ?? 0)}`).join(', ');
  const bar = el('div', { class: 'hv-stack', attrs: { role: 'img', 'aria-label': `Service time ${formatNs(total)}: ${summary}` } });
  const legend = el('ul', { class: 'hv-legend' });
  for (const [k, label, cls] of parts) {
    const v = r[k] ?? 0;
    const pct = total > 0 ? (v / total) * 100 : 0;
    if (v > 0) {
      const seg = el('span', { class: `hv-seg ${cls}` });
      seg.style.width = `${pct}%`;
      bar.append(seg);
    }
    legend.append(el('li', {}, el('span', { class: `hv-swatch ${cls}`, attrs: { 'aria-hidden': 'true' } }), el('span', { text: `${label}: ${formatNs(v)} (${Math.round(pct)}%)` })));
  }
  const note = el('p', { class: 'hv-note', text: `${r.op === 'read' ? 'Read' : 'Write'} of ${formatBytes(r.bytes)} at LBA ${r.lba}${r.cached ? ', taken by the write cache' : ''}; total ${formatNs(total)}.` });
  return section(`Disk ${r.disk} service time`, bar, legend, note);
}
