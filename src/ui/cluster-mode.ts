/**
 * The cluster view switch: for a run with several hosts, a "Cluster view"
 * switch in the header's view group shows the cluster canvas
 * (`render/cluster-scene.ts`) over the I/O canvas, folded from the same
 * records at the same cursor (`render/cluster-view.ts`), so stepping,
 * playing and scrubbing move both; switching back shows the I/O view of
 * the host whose I/O is modelled. The app reaches it through `setRun`,
 * `show` and `state` only.
 */
import type { HvRecord } from '../model/trace-events.js';
import { ClusterFolder, type ClusterViewState } from '../render/cluster-view.js';
import { ClusterScene } from '../render/cluster-scene.js';
import { el } from './panels/dom.js';

export class ClusterMode {
  private folder: ClusterFolder | null = null;
  private scene: ClusterScene | null = null;
  private starting: Promise<void> | null = null;
  private readonly overlay: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly label: HTMLElement;
  private on = false;
  private cursor = 0;

  constructor(
    viewHost: HTMLElement,
    private readonly canvasHost: HTMLElement,
    private readonly renderer: 'webgl' | 'canvas',
  ) {
    this.input = el('input', { attrs: { type: 'checkbox', id: 'view-cluster', title: 'Show every host of the cluster: VMs, heartbeats, migrations' } });
    this.input.addEventListener('change', () => this.toggle(this.input.checked));
    this.label = el('label', { class: 'view-toggle', attrs: { for: 'view-cluster', title: 'Show every host of the cluster: VMs, heartbeats, migrations' } }, this.input, document.createTextNode('Cluster view'));
    this.label.style.display = 'none'; // .view-toggle sets display, so `hidden` alone would not hide it
    viewHost.append(this.label);
    this.overlay = el('div', { attrs: { 'aria-label': 'The cluster: hosts side by side with their VMs, heartbeats, the migration network and the shared storage.', role: 'img' } });
    Object.assign(this.overlay.style, { position: 'absolute', inset: '0', background: '#0b0e13', zIndex: '2' });
    this.overlay.hidden = true;
    canvasHost.append(this.overlay);
  }

  /** A new run: the switch appears only when it has a cluster. */
  setRun(records: readonly HvRecord[]): void {
    this.folder = new ClusterFolder(records);
    this.label.style.display = this.folder.present ? '' : 'none';
    if (!this.folder.present && this.on) this.toggle(false);
    this.show(0);
  }

  /** Draws the cluster at `cursor` (while the view is on). */
  show(cursor: number): void {
    this.cursor = cursor;
    if (!this.on || this.folder === null || this.scene === null) return;
    const box = this.canvasHost.getBoundingClientRect();
    this.scene.resize(Math.max(320, Math.round(box.width)), Math.max(300, Math.round(box.height)));
    this.scene.draw(this.folder.at(cursor));
  }

  /** Whether the cluster view is shown, and what it shows. */
  state(): { on: boolean; view: ClusterViewState | null } {
    return { on: this.on, view: this.folder?.present === true ? this.folder.at(this.cursor) : null };
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
}
