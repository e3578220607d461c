/**
 * The scenario picker: choose a bundled scenario or open a file (button or
 * drag and drop), see the scenario's title and description, and read load
 * errors in an alert box. Scenario text is data: titles, descriptions and
 * errors go in through textContent only, so HTML in them shows as text.
 */
import { el, uniqueId } from './dom.js';

export interface ScenarioPickerOptions {
  /** The bundled scenarios: `name`, and `text`, the file's text. */
  bundled: readonly { name: string; text: string }[];
  /** A file was opened: its text and name. */
  onLoadText(text: string, fileName: string): void;
  /** A bundled scenario was chosen. */
  onLoadBundled(name: string): void;
  /** Where the title and description go, if not under the picker (the header gives them a row of their own). */
  aboutHost?: HTMLElement;
}

/** The first line of a scenario text's `description`, for an option's tooltip; '' if it has none or is not JSON. */
function summaryOf(text: string): string {
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data === 'object' && data !== null && 'description' in data && typeof data.description === 'string') return data.description.split('\n')[0] ?? '';
  } catch {
    // Not JSON (YAML, or broken): no summary.
  }
  return '';
}

export class ScenarioPicker {
  private readonly root: HTMLElement;
  private readonly select = el('select');
  private readonly file = el('input', { class: 'hv-visually-hidden', attrs: { type: 'file', accept: '.json,.yaml,.yml,application/json,text/yaml', tabindex: '-1', 'aria-hidden': 'true' } });
  private readonly errors = el('div', { class: 'hv-errors', attrs: { role: 'alert' } });
  private readonly title = el('h2', { class: 'hv-scenario-title' });
  private readonly description = el('div', { class: 'hv-scenario-description', attrs: { id: uniqueId('hv-description') } });
  /** Shows the whole description or its first lines (the projector view clamps it). */
  private readonly more = el('button', { class: 'hv-button hv-more', text: 'More', attrs: { type: 'button', 'aria-expanded': 'false' } });
  /** The option naming the open file, when a file (not a bundled scenario) is shown. */
  private readonly fileOption = el('option');
  /** Load, highlighted while the picker names a scenario that is not the one shown. */
  private readonly load = el('button', { class: 'hv-button hv-load', text: 'Load', attrs: { type: 'button' } });
  /** The picker's value for the run shown ('' for a file). */
  private loadedValue = '';

  constructor(
    host: HTMLElement,
    private readonly opts: ScenarioPickerOptions,
  ) {
    const selectId = uniqueId('hv-scenario');
    this.select.id = selectId;
    for (const s of opts.bundled) {
      const o = el('option', { text: s.name });
      o.value = s.name;
      const summary = summaryOf(s.text);
      if (summary !== '') o.title = summary;
      this.select.append(o);
    }
    const load = this.load;
    const open = el('button', { class: 'hv-button', text: 'Open file…', attrs: { type: 'button' } });
    load.addEventListener('click', () => {
      if (this.select.value !== '') this.opts.onLoadBundled(this.select.value);
    });
    open.addEventListener('click', () => this.file.click());
    // A choice is not loaded until Load (or Enter on the picker): Load says so while they differ.
    this.select.addEventListener('change', () => this.showPending());
    this.select.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && this.pending) {
        e.preventDefault();
        load.click();
      }
    });
    this.file.addEventListener('change', () => {
      const f = this.file.files?.[0];
      if (f !== undefined) void this.readFile(f);
      this.file.value = '';
    });
    this.fileOption.value = '';
    this.fileOption.hidden = true;
    this.select.append(this.fileOption);
    this.more.setAttribute('aria-controls', this.description.id);
    this.more.addEventListener('click', () => this.setExpanded(this.more.getAttribute('aria-expanded') !== 'true'));
    this.errors.hidden = true;
    this.root = el(
      'section',
      { class: 'hv-panel hv-scenario-picker', attrs: { 'aria-label': 'Scenario' } },
      el(
        'div',
        { class: 'hv-picker-row' },
        el('label', { class: 'hv-field', attrs: { for: selectId } }, el('span', { text: 'Scenario' }), this.select),
        load,
        open,
        this.file,
      ),
      this.errors,
    );
    const about = el('div', { class: 'hv-about' }, this.title, this.description, this.more);
    if (opts.aboutHost === undefined) this.root.append(about);
    else opts.aboutHost.append(about);
    this.root.addEventListener('dragover', (e) => {
      e.preventDefault();
      this.root.classList.add('hv-drop');
    });
    this.root.addEventListener('dragleave', () => this.root.classList.remove('hv-drop'));
    this.root.addEventListener('drop', (e) => {
      e.preventDefault();
      this.root.classList.remove('hv-drop');
      const f = e.dataTransfer?.files[0];
      if (f !== undefined) void this.readFile(f);
    });
    host.append(this.root);
  }

  /** Shows load or validation errors, one per line, as text in the alert box (under `title` when given, e.g. for a run that left requests unfinished). */
  showErrors(lines: readonly string[], title?: string): void {
    if (lines.length === 0) return this.clearErrors();
    const heading = title ?? (lines.length === 1 ? 'The scenario has a problem:' : `The scenario has ${lines.length} problems:`);
    // A long list scrolls in its box (panels.css); focusable, so the keyboard can scroll it too.
    const list = el('ul', { attrs: { tabindex: '0', 'aria-label': heading } });
    for (const line of lines) list.append(el('li', { text: line }));
    const close = el('button', { class: 'hv-button hv-errors-close', text: 'Dismiss', attrs: { type: 'button', 'aria-label': 'Dismiss these messages' } });
    close.addEventListener('click', () => this.clearErrors());
    this.errors.replaceChildren(el('p', { class: 'hv-errors-title', text: heading }), list, close);
    this.errors.hidden = false;
  }

  clearErrors(): void {
    this.errors.replaceChildren();
    this.errors.hidden = true;
  }

  /** Shows the scenario's title and description (paragraphs at line breaks), as text. */
  setDescription(title: string, description: string): void {
    this.title.textContent = title;
    const paragraphs = description.split('\n').filter((p) => p.trim() !== '');
    this.description.replaceChildren(...paragraphs.map((p) => el('p', { text: p })));
    this.setExpanded(false);
  }

  /** Shows the whole description (true) or its first lines. */
  setExpanded(expanded: boolean): void {
    this.more.setAttribute('aria-expanded', String(expanded));
    this.more.textContent = expanded ? 'Less' : 'More';
    this.description.classList.toggle('hv-expanded', expanded);
  }

  /** Shows `name` as the chosen bundled scenario (when the app loads one itself, e.g. from a link). */
  setSelected(name: string): void {
    const known = [...this.select.options].some((o) => o.value === name && o !== this.fileOption);
    if (!known) return this.setFile(name);
    this.fileOption.hidden = true;
    this.select.value = name;
    this.loadedValue = name;
    this.showPending();
  }

  /** Names the open file (or linked scenario) in the picker, in place of a bundled name. */
  setFile(fileName: string): void {
    this.fileOption.textContent = `file: ${fileName}`;
    this.fileOption.hidden = false;
    this.select.value = '';
    this.fileOption.selected = true;
    this.loadedValue = '';
    this.showPending();
  }

  /** Whether the picker names a bundled scenario other than the one shown (chosen, not loaded). */
  get pending(): boolean {
    return this.select.value !== '' && this.select.value !== this.loadedValue;
  }

  private showPending(): void {
    const pending = this.pending;
    this.load.classList.toggle('hv-pending', pending);
    if (pending) this.load.title = `${this.select.value} is chosen but not loaded: press Load (or Enter)`;
    else this.load.removeAttribute('title');
  }

  /** What the picker names now (the chosen option's text). */
  get shown(): string {
    return this.select.selectedOptions[0]?.textContent ?? '';
  }

  private async readFile(f: File): Promise<void> {
    try {
      this.opts.onLoadText(await f.text(), f.name);
    } catch (err) {
      this.showErrors([`Could not read ${f.name}: ${err instanceof Error ? err.message : String(err)}`]);
    }
  }
}
