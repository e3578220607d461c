/**
 * The cluster view switch: for a run with several hosts, a "Cluster view"
 * switch in the header's view group shows the cluster canvas
 * (`render/cluster-scene.ts`) over the I/O canvas, folded from the same
 * records at the same cursor (`render/cluster-view.ts`), so stepping,
 * playing and scrubbing move both; switching back shows the I/O view.
 *
 * The I/O view opens on any host (issue 15 item 6): click a host on the
 * cluster canvas, or pick it in the "I/O of" control, and the I/O view
 * comes back for that host, with a caption under it naming the VMs on it at the
 * cursor (a VM moved there carries its I/O with it) and those elsewhere.
 * The detailed model runs one host's root, hypervisor and hardware
 * (`cluster.ioHost`); the nodes of a cluster are alike, so that stack is
 * the one drawn for every host (said in the caption). The app reaches it
 * through `setRun`, `show`, `state` and `selectHost` only; compare mode's
 * pane keeps one of its own over its canvas (`compare-pane.ts`).
 */
import type { RecordStore } from '../scenario/index.js';
import { ClusterFolder, type ClusterViewState } from '../render/cluster-view.js';
import { ClusterScene } from '../render/cluster-scene.js';
import { el } from './panels/dom.js';

/** What the cluster mode reports (`window.hvsim.cluster()`, `window.hvsim.clusterHost()`). */
export interface ClusterModeState {
  on: boolean;
  view: ClusterViewState | null;
  /** The host the I/O view shows ('' without a cluster). */
  ioViewHost: string;
  /** The VMs on that host at the cursor, and the others with the host each is on. */
  vmsHere: string[];
  vmsElsewhere: { vm: string; host: string }[];
  /** The caption over the I/O view ('' when none is shown). */
  caption: string;
  /** The cluster canvas's smallest text in px, once it is drawn (null before). */
  smallestTextPx: number | null;
  /** Labels of the cluster view drawn past their box (empty when all fit; null before it is drawn). */
  overflowingText: string[] | null;
}

const NOWHERE: ReadonlySet<string> = new Set();

export class ClusterMode {
  private folder: ClusterFolder | null = null;
  private scene: ClusterScene | null = null;
  private starting: Promise<void> | null = null;
  private readonly overlay: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly label: HTMLElement;
  private readonly hostLabel: HTMLElement;
  private readonly hostSelect: HTMLSelectElement;
  private readonly caption: HTMLElement;
  private on = false;
  private cursor = 0;
  /** What the caption and the shaded VMs were last worked out for (`updateCaption`). */
  private readonly captioned: { cursor: number; host: string; on: boolean; folder: unknown } = { cursor: -1, host: '', on: false, folder: null };
  /** The host the I/O view shows ('' until a run with a cluster: then its detailed host). */
  private ioViewHost = '';
  private hostIds: string[] = [];

  constructor(
    viewHost: HTMLElement,
    private readonly canvasHost: HTMLElement,
    private readonly renderer: 'webgl' | 'canvas',
    /** The VMs on another host than the I/O view's at the cursor (empty: none), for the I/O canvas to shade. */
    private readonly onElsewhere: (vms: ReadonlySet<string>) => void = () => {},
    /** The smallest text the view must draw, in px (the projector view's floor), or null for the default. */
    private readonly textFloor: () => number | null = () => null,
    /** What the switch's and the host control's ids start with: `view` for the first pane's, another for compare mode's pane. */
    idPrefix = 'view',
  ) {
    const switchId = `${idPrefix}-cluster`;
    const hostId = `${idPrefix}-io-host`;
    this.input = el('input', { attrs: { type: 'checkbox', id: switchId, title: 'Show every host of the cluster: VMs, heartbeats, migrations' } });
    this.input.addEventListener('change', () => this.toggle(this.input.checked));
    this.label = el('label', { class: 'view-toggle', attrs: { for: switchId, title: 'Show every host of the cluster: VMs, heartbeats, migrations' } }, this.input, document.createTextNode('Cluster view'));
    this.label.style.display = 'none'; // .view-toggle sets display, so `hidden` alone would not hide it
    this.hostSelect = el('select', { attrs: { id: hostId, title: 'The host whose I/O view to show' } });
    this.hostSelect.addEventListener('change', () => this.selectHost(this.hostSelect.value));
    this.hostLabel = el('label', { class: 'view-toggle', attrs: { for: hostId, title: 'The host whose I/O view to show' } }, document.createTextNode('I/O of '), this.hostSelect);
    this.hostLabel.style.display = 'none';
    viewHost.append(this.label, this.hostLabel);
    this.overlay = el('div', { attrs: { 'aria-label': 'The cluster: hosts side by side with their VMs, heartbeats, the migration network and the shared storage. Click a host to open its I/O view.', role: 'img' } });
    Object.assign(this.overlay.style, { position: 'absolute', inset: '0', background: '#0b0e13', zIndex: '2', cursor: 'pointer' });
    this.overlay.hidden = true;
    this.overlay.addEventListener('click', (e) => {
      const canvas = this.scene?.canvas;
      if (canvas === undefined) return;
      const box = canvas.getBoundingClientRect();
      const host = this.scene!.hostAt(e.clientX - box.left, e.clientY - box.top);
      if (host !== null) this.selectHost(host);
    });
    // The caption is a line of its own under the canvas (style.css), not over its foot, where it hid the Hardware row.
    this.caption = el('div', { class: 'cluster-io-caption', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.caption.hidden = true;
    canvasHost.append(this.overlay);
    canvasHost.after(this.caption);
  }

  /** Whether the run has a cluster (and so the switch and the host control show). */
  get present(): boolean {
    return this.folder?.present === true;
  }

  /** A new run: the switch and the host control appear only when it has a cluster. */
  setRun(records: RecordStore): void {
    this.folder = new ClusterFolder(records);
    const present = this.folder.present;
    this.label.style.display = present ? '' : 'none';
    this.hostLabel.style.display = present ? '' : 'none';
    const first = present ? this.folder.at(records.length) : null;
    this.ioViewHost = first?.ioHost ?? '';
    this.hostIds = (first?.hosts ?? []).map((h) => h.id);
    this.hostSelect.replaceChildren(...(first?.hosts ?? []).map((h) => el('option', { attrs: { value: h.id } }, document.createTextNode(h.id === first!.ioHost ? `${h.id} (detailed)` : h.id))));
    this.hostSelect.value = this.ioViewHost;
    if (!present && this.on) this.toggle(false);
    this.show(0);
  }

  /**
   * Opens the I/O view on `host` (as a click on its column does): the
   * cluster view gives way to the I/O canvas, captioned with that host's
   * VMs. False (nothing changes) for a host the cluster does not have.
   */
  selectHost(host: string): boolean {
    if (this.folder === null || !this.folder.present) return false;
    if (!this.hostIds.includes(host)) return false;
    this.ioViewHost = host;
    this.hostSelect.value = host;
    if (this.on) this.toggle(false);
    else this.show(this.cursor);
    return true;
  }

  /** Draws the cluster at `cursor` (while the view is on), or captions the I/O view with its host's VMs. */
  show(cursor: number): void {
    this.cursor = cursor;
    this.updateCaption();
    if (!this.on || this.folder === null || this.scene === null) return;
    const box = this.canvasHost.getBoundingClientRect();
    this.scene.resize(Math.max(320, Math.round(box.width)), Math.max(300, Math.round(box.height)));
    this.scene.setFontSize(this.fontSize());
    this.scene.draw(this.folder.at(cursor), this.ioViewHost);
  }

  /** The cluster canvas's main text size: 14 px, or enough that its smallest text (0.8 of it) meets the floor. */
  private fontSize(): number {
    const floor = this.textFloor();
    return floor === null ? 14 : Math.max(14, Math.ceil(floor / 0.8));
  }

  /** Whether the cluster view is shown, what it shows, and the host of the I/O view. */
  state(): ClusterModeState {
    const view = this.folder?.present === true ? this.folder.at(this.cursor) : null;
    const { here, elsewhere } = this.placement(view);
    return { on: this.on, view, ioViewHost: this.ioViewHost, vmsHere: here, vmsElsewhere: elsewhere, caption: this.caption.hidden ? '' : (this.caption.textContent ?? ''), smallestTextPx: this.scene?.smallestTextPx ?? null, overflowingText: this.scene?.overflowingText ?? null };
  }

  toggle(on: boolean): void {
    this.on = on;
    this.input.checked = on;
    this.overlay.hidden = !on;
    if (on && this.scene === null && this.starting === null) {
      const box = this.canvasHost.getBoundingClientRect();
      this.starting = ClusterScene.create(this.overlay, this.renderer, Math.max(320, Math.round(box.width)), Math.max(300, Math.round(box.height))).then((scene) => {
        this.scene = scene;
        this.starting = null;
        this.show(this.cursor);
      });
    }
    this.show(this.cursor);
  }

  /** The VMs on the I/O view's host at the cursor, and the others with their host. */
  private placement(view: ClusterViewState | null): { here: string[]; elsewhere: { vm: string; host: string }[] } {
    if (view === null || !view.formed) return { here: [], elsewhere: [] };
    return {
      here: view.vms.filter((v) => v.host === this.ioViewHost).map((v) => v.id),
      elsewhere: view.vms.filter((v) => v.host !== this.ioViewHost).map((v) => ({ vm: v.id, host: v.host })),
    };
  }

  private updateCaption(): void {
    // Called on every frame while playing: nothing to redo while the cursor, host, switch and run stand still.
    const key = this.captioned;
    if (key.cursor === this.cursor && key.host === this.ioViewHost && key.on === this.on && key.folder === this.folder) return;
    Object.assign(key, { cursor: this.cursor, host: this.ioViewHost, on: this.on, folder: this.folder });
    const view = this.folder?.present === true ? this.folder.at(this.cursor) : null;
    if (view === null || this.on) {
      this.caption.hidden = true;
      this.onElsewhere(NOWHERE);
      return;
    }
    const ioHost = view.ioHost === '' ? this.ioViewHost : view.ioHost;
    const { here, elsewhere } = this.placement(view.formed ? view : null);
    // The detailed stack runs every VM's I/O; the view of this host shades the VMs now on another (their packets faint).
    this.onElsewhere(new Set(elsewhere.map((e) => e.vm)));
    const down = view.hosts.find((h) => h.id === this.ioViewHost)?.alive === false ? ' (FAILED)' : '';
    const parts = [
      `I/O view of host ${this.ioViewHost}${down}`,
      view.formed ? `VMs here now: ${here.length === 0 ? 'none' : here.join(', ')}` : 'the cluster forms at its first record',
      elsewhere.length === 0 ? '' : `elsewhere: ${elsewhere.map((e) => `${e.vm} on ${e.host}`).join(', ')}`,
      this.ioViewHost === ioHost ? '' : `root, hypervisor and hardware drawn as ${ioHost}'s (the detailed host; the nodes are alike)`,
    ].filter((x) => x !== '');
    this.caption.textContent = parts.join(' · ');
    this.caption.hidden = false;
  }
}
