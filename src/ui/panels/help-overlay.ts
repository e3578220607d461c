/**
 * The keyboard help: a modal dialog listing the shortcuts. It traps focus
 * while open (Tab and Shift+Tab cycle inside it), closes on Escape, `?`,
 * the Close button or a click on the backdrop, and gives focus back to
 * where it was. Keys pressed inside it do not reach the app's shortcuts.
 */
import { el, uniqueId } from './dom.js';

export interface Shortcut {
  keys: string;
  action: string;
}

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

export class HelpOverlay {
  private readonly backdrop: HTMLElement;
  private readonly dialog: HTMLElement;
  private readonly closeButton: HTMLButtonElement;
  private returnFocus: HTMLElement | null = null;
  /** Pulls focus back into the dialog if it wanders out while open. */
  private readonly keepFocus = (e: FocusEvent): void => {
    if (this.isOpen && e.target instanceof Node && !this.dialog.contains(e.target)) this.closeButton.focus();
  };

  constructor(host: HTMLElement, shortcuts: readonly Shortcut[]) {
    const titleId = uniqueId('hv-help-title');
    this.closeButton = el('button', { class: 'hv-button', text: 'Close', attrs: { type: 'button' } });
    const table = el('table', { class: 'hv-table hv-shortcuts' });
    table.append(el('caption', { class: 'hv-visually-hidden', text: 'Keyboard shortcuts' }));
    table.append(el('thead', {}, el('tr', {}, el('th', { text: 'Keys', attrs: { scope: 'col' } }), el('th', { text: 'Action', attrs: { scope: 'col' } }))));
    const body = el('tbody');
    for (const s of shortcuts) body.append(el('tr', {}, el('td', {}, el('kbd', { text: s.keys })), el('td', { text: s.action })));
    table.append(body);
    this.dialog = el(
      'div',
      { class: 'hv-dialog', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, tabindex: '-1' } },
      el('h2', { text: 'Keyboard shortcuts', attrs: { id: titleId } }),
      table,
      el('p', { class: 'hv-note', text: 'In the event list: ↑ and ↓ choose a record, Enter jumps to it.' }),
      el('div', { class: 'hv-dialog-actions' }, this.closeButton),
    );
    this.backdrop = el('div', { class: 'hv-backdrop' }, this.dialog);
    this.backdrop.hidden = true;
    host.append(this.backdrop);

    this.closeButton.addEventListener('click', () => this.close());
    this.backdrop.addEventListener('mousedown', (e) => {
      if (e.target === this.backdrop) this.close();
    });
    this.backdrop.addEventListener('keydown', (e) => this.onKey(e));
  }

  get isOpen(): boolean {
    return !this.backdrop.hidden;
  }

  open(): void {
    if (this.isOpen) return;
    const active = this.backdrop.ownerDocument.activeElement;
    this.returnFocus = active instanceof HTMLElement ? active : null;
    this.backdrop.hidden = false;
    this.backdrop.ownerDocument.addEventListener('focusin', this.keepFocus);
    this.closeButton.focus();
  }

  close(): void {
    if (!this.isOpen) return;
    this.backdrop.hidden = true;
    this.backdrop.ownerDocument.removeEventListener('focusin', this.keepFocus);
    const back = this.returnFocus;
    this.returnFocus = null;
    if (back !== null && back.isConnected) back.focus();
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Escape' || e.key === '?') {
      e.preventDefault();
      this.close();
    } else if (e.key === 'Tab') {
      const items = [...this.dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((n) => !n.hasAttribute('disabled'));
      if (items.length === 0) {
        e.preventDefault();
        this.dialog.focus();
      } else {
        const first = items[0]!;
        const last = items[items.length - 1]!;
        const active = this.dialog.ownerDocument.activeElement;
        if (e.shiftKey && (active === first || active === this.dialog)) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && active === last) {
          e.preventDefault();
          first.focus();
        }
      }
    }
    // The dialog is modal: no key pressed in it drives the app behind.
    e.stopPropagation();
  }
}
