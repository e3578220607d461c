/**
 * The scenario's claims and whether this run bears them out: each claim's
 * own words, held or not held, and the figures compared. Text only
 * (textContent), since a claim's text comes from the scenario file.
 */
import type { ClaimResult } from '../../scenario/claims.js';
import { el } from './dom.js';

export class ClaimsPanel {
  private readonly list: HTMLElement;
  private readonly root: HTMLElement;

  constructor(host: HTMLElement) {
    this.list = el('ul', { class: 'hv-claims-list' });
    this.root = el('section', { class: 'hv-panel hv-claims', attrs: { 'aria-label': 'Claims' } }, el('h2', { text: 'Claims' }), this.list);
    host.append(this.root);
  }

  /** Shows `claims`; hides the panel when the scenario states none. */
  setClaims(claims: readonly ClaimResult[]): void {
    this.root.hidden = claims.length === 0;
    this.list.replaceChildren(
      ...claims.map((c) =>
        el(
          'li',
          { class: c.holds ? 'hv-claim hv-claim-held' : 'hv-claim hv-claim-not-held' },
          el('span', { class: 'hv-claim-verdict', text: c.holds ? '✓ held' : '✗ not held' }),
          el('span', { class: 'hv-claim-text', text: c.text }),
          el('span', { class: 'hv-claim-detail', text: c.detail }),
        ),
      ),
    );
  }
}
