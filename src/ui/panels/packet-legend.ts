/**
 * The packet legend under the canvas: one swatch per workload stream in
 * its packet colour, with its VM's tag (①) as the canvas writes it in the
 * column titles and in the shortened labels of the root's places. Text
 * only.
 */
import { el } from './dom.js';

export interface LegendEntry {
  /** The stream's packet colour, 0xRRGGBB. */
  colour: number;
  /** The VM's tag on the canvas (①), or ''. */
  tag: string;
  /** e.g. `legacy-pio · data · ide-pio`. */
  label: string;
}

/** A 0xRRGGBB number as CSS. */
export function cssColour(n: number): string {
  return `#${n.toString(16).padStart(6, '0')}`;
}

export class PacketLegend {
  private readonly list = el('ul', { class: 'hv-packet-legend-list' });

  constructor(host: HTMLElement) {
    host.append(el('div', { class: 'hv-packet-legend' }, el('span', { class: 'hv-packet-legend-title', text: 'Packets:' }), this.list));
  }

  /**
   * `entries`: one per stream. `others`: the VMs with no stream of packets (a CPU load, say), named here too so
   * that a column whose title is only its tag (too narrow for the name) is still named somewhere on screen.
   */
  set(entries: readonly LegendEntry[], others: readonly { tag: string; name: string }[] = []): void {
    const items = entries.map((e) => {
      const dot = el('span', { class: 'hv-packet-dot', attrs: { 'aria-hidden': 'true' } });
      dot.style.background = cssColour(e.colour);
      return el('li', {}, dot, el('span', { text: `${e.tag === '' ? '' : `${e.tag} `}${e.label}` }));
    });
    if (others.length > 0) {
      const names = others.map((o) => `${o.tag === '' ? '' : `${o.tag} `}${o.name}`).join(', ');
      items.push(el('li', { class: 'hv-legend-others' }, el('span', { text: `no I/O: ${names}` })));
    }
    this.list.replaceChildren(...items);
  }
}

/**
 * Shows a run's paths in `legend`, each in its packets' colour with its
 * VM's tag and label (`pathLabels`), and the VMs with no packets named
 * after them: what the main pane's legend and the compared pane's show.
 */
export function showPaths(legend: PacketLegend, paths: readonly { vm: string; disk: string; path: string }[], colours: readonly number[], tags: ReadonlyMap<string, string>): void {
  const labels = pathLabels(paths);
  const withPackets = new Set(paths.map((p) => p.vm));
  legend.set(
    paths.map((p, i) => ({ colour: colours[i]!, tag: tags.get(p.vm) ?? '', label: labels[i]! })),
    [...tags].filter(([vm]) => !withPackets.has(vm)).map(([vm, tag]) => ({ tag, name: vm })),
  );
}

/**
 * Each path's legend label: `vm · path` (`legacy-pio · ide-pio`), with the
 * disk too where one VM has several streams (a database's data and log
 * disks: their colours differ, so must their labels), and `vm · disk` for
 * a path of no kind.
 */
export function pathLabels(paths: readonly { vm: string; disk: string; path: string }[]): string[] {
  const streams = new Map<string, number>();
  for (const p of paths) streams.set(p.vm, (streams.get(p.vm) ?? 0) + 1);
  return paths.map((p) => (p.path === '' ? `${p.vm} · ${p.disk}` : streams.get(p.vm)! > 1 ? `${p.vm} · ${p.disk} · ${p.path}` : `${p.vm} · ${p.path}`));
}
