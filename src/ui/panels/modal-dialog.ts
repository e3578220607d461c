/**
 * A modal dialog over a backdrop, shared by the keyboard help and the
 * glossary: it traps focus while open (Tab and Shift+Tab cycle inside it),
 * closes on Escape (and any extra `closeKeys`), the Close button or a click
 * on the backdrop, and gives focus back to where it was. Keys pressed inside
 * it do not reach the app's shortcuts.
 */
import { el, uniqueId } from './dom.js';

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])';

export interface ModalDialogOptions {
  /** The title, as the dialog's heading and accessible name. */
  title: string;
  /** Extra classes on the dialog and on its backdrop. */
  className?: string;
  /** Extra attributes on the dialog element. */
  attrs?: Record<string, string>;
  /** Keys besides Escape that close it. */
  closeKeys?: readonly string[];
}

export class ModalDialog {
  readonly dialog: HTMLElement;
  readonly closeButton: HTMLButtonElement;
  private readonly backdrop: HTMLElement;
  private returnFocus: HTMLElement | null = null;
  /** Pulls focus back into the dialog if it wanders out while open. */
  private readonly keepFocus = (e: FocusEvent): void => {
    if (this.isOpen && e.target instanceof Node && !this.dialog.contains(e.target)) this.closeButton.focus();
  };

  constructor(host: HTMLElement, options: ModalDialogOptions, ...content: HTMLElement[]) {
    const titleId = uniqueId('hv-dialog-title');
    const extra = options.className === undefined ? '' : ` ${options.className}`;
    this.closeButton = el('button', { class: 'hv-button', text: 'Close', attrs: { type: 'button' } });
    this.dialog = el(
      'div',
      { class: `hv-dialog${extra}`, attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, tabindex: '-1', ...options.attrs } },
      el('h2', { text: options.title, attrs: { id: titleId } }),
      ...content,
      el('div', { class: 'hv-dialog-actions' }, this.closeButton),
    );
    this.backdrop = el('div', { class: `hv-backdrop${options.className === undefined ? '' : ` ${options.className}-backdrop`}` }, this.dialog);
    this.backdrop.hidden = true;
    host.append(this.backdrop);
    const closeKeys = options.closeKeys ?? [];
    this.closeButton.addEventListener('click', () => this.close());
    this.backdrop.addEventListener('mousedown', (e) => {
      if (e.target === this.backdrop) this.close();
    });
    this.backdrop.addEventListener('keydown', (e) => this.onKey(e, closeKeys));
  }

  get isOpen(): boolean {
    return !this.backdrop.hidden;
  }

  /** Shows the dialog (remembering where focus was) and focuses `focus`, or the Close button. */
  open(focus: HTMLElement = this.closeButton): void {
    if (!this.isOpen) {
      const active = this.backdrop.ownerDocument.activeElement;
      this.returnFocus = active instanceof HTMLElement ? active : null;
      this.backdrop.hidden = false;
      this.backdrop.ownerDocument.addEventListener('focusin', this.keepFocus);
    }
    focus.focus();
  }

  close(): void {
    if (!this.isOpen) return;
    this.backdrop.hidden = true;
    this.backdrop.ownerDocument.removeEventListener('focusin', this.keepFocus);
    const back = this.returnFocus;
    this.returnFocus = null;
    if (back !== null && back.isConnected) back.focus();
  }

  private onKey(e: KeyboardEvent, closeKeys: readonly string[]): void {
    if (e.key === 'Escape' || closeKeys.includes(e.key)) {
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
        if (e.shiftKey && (active === first || !items.includes(active as HTMLElement))) {
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
