/** The canvas layout: every place has a box, inside its column and band, inside the canvas, with no overlaps, for 1–6 VMs. */
import { describe, expect, it } from 'vitest';
import { BANDS, type Topology } from '../../src/model/topology.js';
import { labelForms } from '../../src/render/labels.js';
import { BAND_ORDER, MIN_FONT_SIZE, boxLabel, contains, estimateTextWidth, fitLabel, layoutMetrics, layoutTopology, overlaps, placeAtPoint, placeCenter, type Layout } from '../../src/render/layout.js';
import { headline } from '../model/worlds.js';
import { manyVms, topologyOf } from './topologies.js';

const SPANNING = new Set(['hypervisor', 'hardware']);
const GUEST = new Set(['guest-user', 'guest-kernel']);
const ROOT = new Set(['root-user', 'root-kernel']);

/** Every structural property the renderer relies on; returns the problems found. */
function problems(topology: Topology, L: Layout): string[] {
  const out: string[] = [];
  const canvas = { x: 0, y: 0, w: L.width, h: L.height };
  if (L.places.length !== topology.places.length) out.push(`${L.places.length} boxes for ${topology.places.length} places`);
  for (const place of topology.places) {
    const box = L.byId.get(place.id);
    if (box === undefined) {
      out.push(`${place.id}: no box`);
      continue;
    }
    if (!(box.w > 0 && box.h > 0)) out.push(`${place.id}: empty box`);
    if (!contains(canvas, box)) out.push(`${place.id}: outside the canvas`);
    const band = L.bands.find((b) => b.band === place.band)!;
    if (!contains(band, box)) out.push(`${place.id}: outside its band ${place.band}`);
    if (!SPANNING.has(place.band)) {
      const col = L.columns.find((c) => c.partition === place.partition);
      if (col === undefined) out.push(`${place.id}: no column for ${place.partition}`);
      else if (box.x < col.x - 0.5 || box.x + box.w > col.x + col.w + 0.5) out.push(`${place.id}: outside its column ${place.partition}`);
      else if (GUEST.has(place.band) && col.kind !== 'child') out.push(`${place.id}: guest band outside a child column`);
      else if (ROOT.has(place.band) && col.kind !== 'root') out.push(`${place.id}: root band outside the root column`);
    }
  }
  for (let i = 0; i < L.places.length; i++) {
    for (let j = i + 1; j < L.places.length; j++) {
      if (overlaps(L.places[i]!, L.places[j]!)) out.push(`${L.places[i]!.id} overlaps ${L.places[j]!.id}`);
    }
  }
  L.bands.forEach((band, i) => {
    if (band.band !== BANDS[i]) out.push(`band ${i} is ${band.band}, not ${BANDS[i]}`);
    if (!contains(canvas, band)) out.push(`band ${band.band} outside the canvas`);
    if (!contains(canvas, band.labelBox)) out.push(`band ${band.band}'s label outside the canvas`);
    const next = L.bands[i + 1];
    if (next !== undefined && band.y + band.h > next.y + 0.5) out.push(`band ${band.band} overlaps ${next.band}`);
  });
  L.columns.forEach((col, i) => {
    if (!contains(canvas, col)) out.push(`column ${col.partition} outside the canvas`);
    if (!contains(col, col.frame)) out.push(`column ${col.partition}'s frame outside it`);
    const next = L.columns[i + 1];
    if (next !== undefined && overlaps(col, next)) out.push(`column ${col.partition} overlaps ${next.partition}`);
  });
  // A band's label never covers a box.
  for (const band of L.bands) {
    for (const box of L.places) if (overlaps(band.labelBox, box)) out.push(`${band.band}'s label covers ${box.id}`);
  }
  return out;
}

function smallestBox(L: Layout): { w: number; h: number } {
  return { w: Math.min(...L.places.map((p) => p.w)), h: Math.min(...L.places.map((p) => p.h)) };
}

describe('layoutTopology', () => {
  for (const vms of [1, 2, 3, 4, 5, 6]) {
    for (const disks of [1, 2]) {
      it(`lays out ${vms} VM(s) with ${disks} disk(s) each on a 1280×720 projector`, () => {
        const topology = topologyOf(manyVms(vms, disks));
        const L = layoutTopology(topology, 1280, 720);
        expect(problems(topology, L)).toEqual([]);
        expect(L.metrics.fontSize).toBeGreaterThanOrEqual(14);
        // Legible: boxes wide enough for a word or two beside a counter, tall enough for a line of 14 px text.
        const small = smallestBox(L);
        expect(small.w).toBeGreaterThanOrEqual(disks === 1 ? 100 : 80);
        expect(small.h).toBeGreaterThanOrEqual(L.metrics.fontSize + 8);
      });
    }
  }

  it('puts the children left to right in topology order, and the root below them across the width', () => {
    const topology = topologyOf(manyVms(4));
    const L = layoutTopology(topology, 1280, 720);
    const children = topology.partitions.filter((p) => p.kind === 'child').map((p) => p.id);
    expect(L.columns.map((c) => c.partition)).toEqual([...children, 'root']);
    const kids = L.columns.slice(0, -1);
    for (let i = 1; i < kids.length; i++) expect(kids[i]!.x).toBeGreaterThan(kids[i - 1]!.x);
    const root = L.columns[L.columns.length - 1]!;
    // Below every child's column, and wider than all of them together but the band labels.
    for (const kid of kids) expect(root.frame.y).toBeGreaterThanOrEqual(kid.y + kid.h);
    expect(root.frame.w).toBeGreaterThan(0.8 * (kids[kids.length - 1]!.x + kids[kids.length - 1]!.w - kids[0]!.x));
  });

  for (const [w, h] of [
    [1366, 560],
    [1280, 720],
  ] as const) {
    it(`gives each of 8 VMs a column wide enough for its name at ${w}×${h} (projector text), the root below them`, () => {
      // Names of a classroom's length (the oversubscription scenario's `cpu-8b`); longer ones fall back to the tag
      // alone, and the legend under the canvas names them.
      const config = manyVms(8);
      const topology = topologyOf({ ...config, vms: config.vms.map((vm, i) => ({ ...vm, id: `mail-${i + 1}` })), workloads: [] });
      const L = layoutTopology(topology, w, h, { minFontSize: 16 });
      expect(problems(topology, L)).toEqual([]);
      const f = L.metrics.fontSize;
      expect(f).toBeGreaterThanOrEqual(16);
      for (const col of L.columns.slice(0, -1)) {
        const tag = col.label === '' ? '' : '① ';
        // The scene writes the name at the label size when the title size does not fit, across the frame.
        expect(estimateTextWidth(`${tag}${col.label}`, f)).toBeLessThanOrEqual(col.frame.w - 4);
      }
    });
  }

  it('stacks the bands top to bottom in BANDS order, each the full width', () => {
    const L = layoutTopology(topologyOf(headline()), 1280, 720);
    expect(L.bands.map((b) => b.band)).toEqual([...BANDS]);
    for (const band of L.bands) expect(band.w).toBe(1280 - 2 * L.metrics.margin);
    for (let i = 1; i < L.bands.length; i++) expect(L.bands[i]!.y).toBeGreaterThan(L.bands[i - 1]!.y);
  });

  it('keeps a VM worker and its emulator on one grid row', () => {
    const L = layoutTopology(topologyOf(manyVms(6)), 1280, 720);
    for (const box of L.places.filter((p) => p.role === 'worker')) {
      expect(L.byId.get(`${box.id}.ide`)!.y).toBe(box.y);
    }
  });

  it('is deterministic', () => {
    const topology = topologyOf(manyVms(3));
    const a = layoutTopology(topology, 1280, 720);
    const b = layoutTopology(topology, 1280, 720);
    expect(a.places).toEqual(b.places);
    expect(a.bands).toEqual(b.bands);
    expect(a.columns).toEqual(b.columns);
  });

  for (const [w, h] of [
    [1920, 1080],
    [1024, 768],
    [800, 600],
    [640, 400],
    [2560, 1440],
  ] as const) {
    it(`stays inside a ${w}×${h} canvas with no overlaps and boxes a line tall, for 1 and 6 VMs`, () => {
      for (const vms of [1, 6]) {
        const topology = topologyOf(manyVms(vms));
        const L = layoutTopology(topology, w, h);
        expect(problems(topology, L)).toEqual([]);
        if (L.metrics.fontSize > MIN_FONT_SIZE) expect(smallestBox(L).h).toBeGreaterThanOrEqual(L.metrics.fontSize + 6);
      }
    });
  }

  it('scales the text with the canvas and keeps 14 px at 1280×720', () => {
    const topology = topologyOf(headline());
    expect(layoutTopology(topology, 1280, 720).metrics.fontSize).toBe(14);
    expect(layoutTopology(topology, 1920, 1080).metrics.fontSize).toBe(21);
    expect(layoutTopology(topology, 1024, 640).metrics.fontSize).toBe(13);
    expect(layoutMetrics(640, 400).fontSize).toBe(12);
    // Three VMs on 640×400 need smaller text still, so that boxes stay a line tall.
    expect(layoutTopology(topology, 640, 400).metrics.fontSize).toBeLessThanOrEqual(12);
  });

  it('lays out a topology with no root and places of unlisted partitions', () => {
    const topology: Topology = {
      partitions: [{ id: 'hardware', label: 'Hardware', kind: 'hardware' }],
      places: [
        { id: 'a.app', label: 'Application', partition: 'a', band: 'guest-user', role: 'app' },
        { id: 'b.app', label: 'Application', partition: 'b', band: 'guest-user', role: 'app' },
        { id: 'hw.disk', label: 'Disk', partition: 'hardware', band: 'hardware', role: 'disk' },
      ],
      links: [],
    };
    const L = layoutTopology(topology, 1280, 720);
    expect(L.columns.map((c) => c.partition)).toEqual(['a', 'b']);
    expect(problems(topology, L)).toEqual([]);
  });

  it('lays out an empty topology', () => {
    const L = layoutTopology({ partitions: [], places: [], links: [] }, 1280, 720);
    expect(L.places).toEqual([]);
    expect(L.bands).toHaveLength(BANDS.length);
  });
});

describe('placeCenter and placeAtPoint', () => {
  const L = layoutTopology(topologyOf(headline()), 1280, 720);

  it('finds the centre of a box, and the box under a point', () => {
    for (const box of L.places) {
      const c = placeCenter(L, box.id)!;
      expect(c).toEqual({ x: box.x + box.w / 2, y: box.y + box.h / 2 });
      expect(placeAtPoint(L, c.x, c.y)).toBe(box.id);
    }
  });

  it('answers null off the boxes and for unknown places', () => {
    expect(placeCenter(L, 'nowhere')).toBeNull();
    expect(placeAtPoint(L, 0, 0)).toBeNull();
    expect(placeAtPoint(L, -10, 5000)).toBeNull();
  });
});

describe('labels', () => {
  const measure = (s: string): number => estimateTextWidth(s, 10);

  it('keeps a label that fits', () => {
    expect(fitLabel('NTFS', 100, measure)).toBe('NTFS');
  });

  it('cuts a long label with an ellipsis, within the width', () => {
    const cut = fitLabel('StorPort + miniport', 70, measure);
    expect(cut.endsWith('…')).toBe(true);
    expect(measure(cut)).toBeLessThanOrEqual(70);
  });

  it('drops a parenthetical rather than keep only a stub of it', () => {
    expect(fitLabel('ATA driver (data)', measure('ATA driver') + 1, measure)).toBe('ATA driver');
  });

  it('gives an empty label when nothing fits', () => {
    expect(fitLabel('Hypervisor', 2, measure)).toBe('');
  });

  it('breaks a two-line label before its parenthesis', () => {
    const label = boxLabel('IDE emulator (legacy-pio)', measure('IDE emulator') + 2, measure('(legacy-pio)') + 2, true, measure);
    expect(label).toEqual({ lines: ['IDE emulator', '(legacy-pio)'], centred: false });
  });

  it('centres a label that fits beside the counter', () => {
    expect(boxLabel('NTFS', 200, 150, true, measure)).toEqual({ lines: ['NTFS'], centred: true });
  });

  it('matches the model band order', () => {
    expect([...BAND_ORDER]).toEqual([...BANDS]);
  });
});

describe('labelForms', () => {
  const tags = new Map([
    ['legacy-pio', '①'],
    ['vm', '②'],
  ]);

  it("shortens a VM's label down to its first word and its tag, never past the tag", () => {
    expect(labelForms('IDE emulator (legacy-pio)', tags)).toEqual(['IDE emulator (legacy-pio)', 'IDE emulator ①', 'IDE ①']);
    expect(labelForms('vmwp.exe (vm)', tags)).toEqual(['vmwp.exe (vm)', 'vmwp.exe ②', 'vmwp ②']);
  });

  it('gives the generic labels every VM repeats a short form, after their own shortenings', () => {
    expect(labelForms('Application', tags)).toEqual(['Application', 'App']);
    expect(labelForms('Volume + partition', tags)).toEqual(['Volume + partition', 'Volume', 'Vol']);
    expect(labelForms('storvsc (data)', tags)).toEqual(['storvsc (data)', 'storvsc', 'VSC']);
    expect(labelForms('NTFS', tags)).toEqual(['NTFS']);
  });
});
