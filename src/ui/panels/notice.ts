/**
 * A short notice over the foot of the canvas ("no later record of that
 * kind"): a polite status, not an error, that fades after a few seconds
 * and never moves the page (it is positioned over the stage). Text only.
 */
import { el } from './dom.js';

/** How long a notice stays, in ms. */
export const NOTICE_MS = 4000;

export class Notice {
  private readonly region: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: HTMLElement) {
    this.region = el('p', { class: 'hv-notice', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.region.hidden = true;
    host.append(this.region);
  }

  /** Shows `text` for `NOTICE_MS`. */
  show(text: string): void {
    clearTimeout(this.timer);
    this.region.textContent = text;
    this.region.hidden = false;
    this.timer = setTimeout(() => this.clear(), NOTICE_MS);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.region.hidden = true;
    this.region.textContent = '';
  }

  /** The text shown now ('' when none). */
  get text(): string {
    return this.region.hidden ? '' : (this.region.textContent ?? '');
  }
}
