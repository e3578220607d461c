/**
 * The glossary as the app shows it: a dialog listing every term with its
 * two sentences and its source, and term links in running text. Text goes
 * in as text nodes and buttons (`findGlossaryTerms` gives the spans; no
 * HTML is ever parsed), so a caption holding `<b>` shows `<b>`.
 *
 * - `linkedText(text)`: a fragment of text and term buttons (captions).
 * - `GlossaryLinker`: links the terms in panels it does not own (the
 *   narrator, the inspector) after they change, a short while after the
 *   last change, so it costs nothing while playback rewrites them.
 * - A term button carries `data-term`; one click listener on the document
 *   opens the dialog at that term.
 */
import { GLOSSARY, findGlossaryTerms, glossaryEntry } from '../../scenario/index.js';
import { el, uniqueId } from '../panels/dom.js';
import { ModalDialog } from '../panels/modal-dialog.js';

/** Text under these is never linked (controls, code, links already made). */
const SKIP = 'button, select, option, input, textarea, kbd, code, a, summary, label, svg, .hv-term, [data-no-glossary]';

/** A term button for the text `shown` of glossary term `term`. */
export function termButton(shown: string, term: string): HTMLButtonElement {
  return el('button', { class: 'hv-term', text: shown, attrs: { type: 'button', 'data-term': term, title: `${term}: open the glossary` } });
}

/** Characters that join the parts of an identifier (`root.vmwp.legacy-dma`, `root-kernel`, `hv.intercept.exited`). */
const JOINERS = '.-_/:';
const WORD = /[\p{L}\p{N}]/u;

/**
 * Whether the text from `start` to `end` is part of a longer identifier:
 * joined to a word on either side by `.`, `-`, `_`, `/` or `:` ("root" in
 * "root.vmwp.legacy-dma", "kernel" in "root-kernel"). A term at the end
 * of a sentence ("… in the root.") is not.
 */
export function insideIdentifier(text: string, start: number, end: number): boolean {
  const joinedBefore = start >= 2 && JOINERS.includes(text.charAt(start - 1)) && WORD.test(text.charAt(start - 2));
  const joinedAfter = JOINERS.includes(text.charAt(end)) && WORD.test(text.charAt(end + 1));
  return joinedBefore || joinedAfter;
}

/** `text` as text nodes and term buttons (each term linked at its first occurrence only, never inside an identifier). */
export function linkedText(text: string, seen = new Set<string>()): DocumentFragment {
  const out = document.createDocumentFragment();
  let at = 0;
  for (const span of findGlossaryTerms(text)) {
    if (seen.has(span.term) || insideIdentifier(text, span.start, span.end)) continue;
    seen.add(span.term);
    // An opening bracket or quote before the term, and the punctuation after it, stay on its line ("(" never ends a line alone).
    const lead = /[(\[“‘"']$/.exec(text.slice(at, span.start))?.[0] ?? '';
    const trail = /^[)\],.;:!?”’"']+/.exec(text.slice(span.end))?.[0] ?? '';
    if (span.start - lead.length > at) out.append(text.slice(at, span.start - lead.length));
    const button = termButton(text.slice(span.start, span.end), span.term);
    out.append(lead === '' && trail === '' ? button : el('span', { class: 'hv-nowrap' }, document.createTextNode(lead), button, document.createTextNode(trail)));
    at = span.end + trail.length;
  }
  if (at < text.length) out.append(text.slice(at));
  return out;
}

/** Replaces the terms in the text under `root` by term buttons (first occurrence of each). */
export function linkTerms(root: Element): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (parent !== null && parent.closest(SKIP) === null && (n.textContent ?? '').trim() !== '') nodes.push(n as Text);
  }
  const seen = new Set<string>();
  for (const b of root.querySelectorAll<HTMLElement>('.hv-term')) seen.add(b.dataset['term'] ?? '');
  for (const node of nodes) {
    const text = node.textContent ?? '';
    if (findGlossaryTerms(text).every((s) => seen.has(s.term) || insideIdentifier(text, s.start, s.end))) continue;
    node.replaceWith(linkedText(text, seen));
  }
}

/** Links terms in `hosts` a moment after their text last changed. */
export class GlossaryLinker {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly observer: MutationObserver;

  constructor(
    private readonly hosts: readonly Element[],
    private readonly delayMs = 150,
  ) {
    this.observer = new MutationObserver(() => this.schedule());
    for (const host of hosts) this.observer.observe(host, { childList: true, subtree: true, characterData: true });
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.linkNow(), this.delayMs);
  }

  /** Links now (tests and the app may call it; the observer's own mutations find nothing more to link). */
  linkNow(): void {
    clearTimeout(this.timer);
    for (const host of this.hosts) linkTerms(host);
    this.observer.takeRecords();
  }
}

/** The glossary dialog (a modal-dialog.ts dialog): every term, its two sentences and its source. */
export class GlossaryView {
  private readonly modal: ModalDialog;
  private readonly entries = new Map<string, HTMLElement>();
  private current = '';

  constructor(host: HTMLElement) {
    const list = el('dl', { class: 'hv-glossary-list' });
    for (const entry of GLOSSARY) {
      const dt = el('dt', { text: entry.term, attrs: { id: uniqueId('hv-glossary-term'), tabindex: '-1' } });
      const dd = el('dd', {}, el('p', { text: entry.definition }), el('p', { class: 'hv-glossary-source', text: `Source: ${entry.source}` }));
      if (entry.aliases !== undefined && entry.aliases.length > 0) dd.prepend(el('p', { class: 'hv-glossary-aliases', text: `Also: ${entry.aliases.join(', ')}` }));
      list.append(dt, dd);
      this.entries.set(entry.term, dt);
    }
    this.modal = new ModalDialog(
      host,
      { title: `Glossary (${GLOSSARY.length} terms)`, className: 'hv-glossary', attrs: { 'data-no-glossary': '' } },
      el('div', { class: 'hv-glossary-scroll' }, list),
    );
    // Every term button on the page opens its entry.
    host.ownerDocument.addEventListener('click', (e) => {
      const button = e.target instanceof Element ? e.target.closest<HTMLElement>('.hv-term') : null;
      if (button === null || this.modal.dialog.contains(button)) return;
      e.preventDefault();
      this.open(button.dataset['term'] ?? '');
    });
  }

  get isOpen(): boolean {
    return this.modal.isOpen;
  }

  /** The term shown (marked) in the open dialog, or ''. */
  get shownTerm(): string {
    return this.isOpen ? this.current : '';
  }

  /** Opens the glossary, at `term` (any form of it) if given. */
  open(term = ''): void {
    const entry = term === '' ? undefined : glossaryEntry(term);
    for (const dt of this.entries.values()) dt.classList.remove('hv-glossary-current');
    this.current = entry?.term ?? '';
    const dt = entry === undefined ? undefined : this.entries.get(entry.term);
    if (dt === undefined) {
      this.modal.open();
      return;
    }
    dt.classList.add('hv-glossary-current');
    this.modal.open(dt);
    dt.scrollIntoView({ block: 'start' });
  }

  close(): void {
    this.modal.close();
  }
}
