/**
 * The keyboard help: a modal dialog (modal-dialog.ts) listing the
 * shortcuts; `?` closes it as well as Escape.
 */
import { el } from './dom.js';
import { ModalDialog } from './modal-dialog.js';

export interface Shortcut {
  keys: string;
  action: string;
}

export class HelpOverlay {
  private readonly modal: ModalDialog;

  constructor(host: HTMLElement, shortcuts: readonly Shortcut[]) {
    const table = el('table', { class: 'hv-table hv-shortcuts' });
    table.append(el('caption', { class: 'hv-visually-hidden', text: 'Keyboard shortcuts' }));
    table.append(el('thead', {}, el('tr', {}, el('th', { text: 'Keys', attrs: { scope: 'col' } }), el('th', { text: 'Action', attrs: { scope: 'col' } }))));
    const body = el('tbody');
    for (const s of shortcuts) body.append(el('tr', {}, el('td', {}, el('kbd', { text: s.keys })), el('td', { text: s.action })));
    table.append(body);
    this.modal = new ModalDialog(
      host,
      { title: 'Keyboard shortcuts', closeKeys: ['?'] },
      table,
      el('p', { class: 'hv-note', text: 'In the event list: ↑ and ↓ choose a record, Enter jumps to it.' }),
    );
  }

  get isOpen(): boolean {
    return this.modal.isOpen;
  }

  open(): void {
    this.modal.open();
  }

  close(): void {
    this.modal.close();
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }
}
