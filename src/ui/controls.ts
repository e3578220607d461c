/**
 * The control bar: transport buttons, the timeline scrubber, speed,
 * run-until (whose value field suggests the run's record kinds) and the
 * position readout. Plain DOM with labels and titles; every control calls
 * back into the app, which owns the state.
 */
import { formatNs } from '../engine/sim-time.js';
import { uniqueId } from './panels/dom.js';
import type { KindCount } from './run-records.js';

export type UntilKind = 'time' | 'request' | 'kind' | 'place';

export interface ControlsCallbacks {
  start(): void;
  back(): void;
  togglePlay(): void;
  step(): void;
  end(): void;
  seek(index: number): void;
  setSpeed(speed: number): void;
  runUntil(kind: UntilKind, value: string): void;
  copyLink(): void;
  /** Compare with a bundled scenario ('' = off). */
  compare(name: string): void;
  /** Compare with a scenario read from a file. */
  compareText(text: string, fileName: string): void;
}

/** The compare selector's value that opens a file. */
const COMPARE_FILE = '\u0000file';

function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.title = title;
  b.setAttribute('aria-label', title);
  b.addEventListener('click', onClick);
  return b;
}

export class Controls {
  private readonly play: HTMLButtonElement;
  private readonly scrubber: HTMLInputElement;
  private readonly position: HTMLElement;
  private readonly speedLabel: HTMLElement;
  private readonly untilValue: HTMLInputElement;
  private readonly untilKind: HTMLSelectElement;
  /** The loaded run's record kinds, suggested in the value field while the condition is a kind. */
  private readonly untilKinds: HTMLDataListElement;
  /** The value field's example for each condition (a kind's follows the run). */
  private readonly untilExamples: Record<UntilKind, string> = { time: 'e.g. 500', request: 'e.g. 3', kind: 'e.g. hv.interrupt.injected', place: 'e.g. SynIC or hv.synic' };
  private readonly compare: HTMLSelectElement;
  private readonly untilBox: HTMLDetailsElement;
  private readonly compareFileOption: HTMLOptionElement;
  readonly rendererLabel: HTMLElement;

  /** `extras`, if given, receives compare and Copy link (the projector view keeps them out of the bar under the canvas). */
  constructor(host: HTMLElement, cb: ControlsCallbacks, compareChoices: readonly string[] = [], extras: HTMLElement = host) {
    host.classList.add('controls');
    host.setAttribute('role', 'toolbar');
    host.setAttribute('aria-label', 'Playback');
    this.play = button('▶', 'Play (Space)', () => cb.togglePlay());
    this.play.id = 'play';
    const transport = document.createElement('div');
    transport.className = 'transport';
    transport.append(
      button('⇤', 'Jump to start (Home)', () => cb.start()),
      button('◀', 'Step back (←)', () => cb.back()),
      this.play,
      button('▶|', 'Step forward (→)', () => cb.step()),
      button('⇥', 'Jump to end (End)', () => cb.end()),
    );

    this.scrubber = document.createElement('input');
    this.scrubber.type = 'range';
    this.scrubber.min = '0';
    this.scrubber.value = '0';
    this.scrubber.id = 'scrubber';
    this.scrubber.setAttribute('aria-label', 'Timeline position (records applied)');
    this.scrubber.addEventListener('input', () => cb.seek(Number(this.scrubber.value)));

    this.position = document.createElement('output');
    this.position.className = 'position';

    const speed = document.createElement('input');
    speed.type = 'range';
    speed.min = '-1';
    speed.max = '3';
    speed.step = '0.1';
    speed.value = '0';
    speed.id = 'speed';
    speed.setAttribute('aria-label', 'Speed (logarithmic)');
    this.speedLabel = document.createElement('span');
    this.speedLabel.className = 'speed-label';
    const onSpeed = (): void => {
      const value = 10 ** Number(speed.value);
      this.speedLabel.textContent = `${value < 10 ? value.toFixed(1) : Math.round(value)}×`;
      cb.setSpeed(value);
    };
    speed.addEventListener('input', onSpeed);
    this.speedLabel.textContent = '1.0×';

    this.untilKind = document.createElement('select');
    this.untilKind.setAttribute('aria-label', 'Run until');
    for (const [value, label] of [
      ['time', 'time (µs)'],
      ['request', 'request # completes'],
      ['kind', 'next record of kind'],
      ['place', 'next record at place'],
    ] as const) {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = label;
      this.untilKind.append(o);
    }
    this.untilValue = document.createElement('input');
    this.untilValue.type = 'text';
    // Room for most kind names whole beside the list's ▾ (storvsp.request.completed, 25 characters).
    this.untilValue.size = 24;
    this.untilValue.setAttribute('aria-label', 'Run-until value');
    // A student picks a kind the run holds instead of guessing its name; a datalist keeps typing free (and is a combobox to a screen reader).
    this.untilKinds = document.createElement('datalist');
    this.untilKinds.id = uniqueId('until-kinds');
    this.untilKind.addEventListener('change', () => this.showCondition());
    this.showCondition();
    const run = button('Run until', 'Run until the condition holds', () => cb.runUntil(this.untilKind.value as UntilKind, this.untilValue.value.trim()));
    this.untilValue.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') cb.runUntil(this.untilKind.value as UntilKind, this.untilValue.value.trim());
      e.stopPropagation(); // typing here is not a shortcut
    });
    const untilRow = document.createElement('div');
    untilRow.className = 'until';
    untilRow.append(this.untilKind, this.untilValue, this.untilKinds, run);
    // Run until opens over the canvas's foot, so the bar stays one row.
    const until = document.createElement('details');
    until.className = 'until-box';
    const summary = document.createElement('summary');
    summary.textContent = 'Run until…';
    summary.title = 'Run until a time, a request completes, a kind of record or a place (N: next of the chosen kind)';
    until.append(summary, untilRow);
    this.untilBox = until;

    this.rendererLabel = document.createElement('span');
    this.rendererLabel.className = 'renderer-label';
    const speedBox = document.createElement('label');
    speedBox.className = 'speed';
    speedBox.append('Speed ', speed, this.speedLabel);
    const compare = document.createElement('select');
    this.compare = compare;
    compare.id = 'compare';
    compare.setAttribute('aria-label', 'Compare with another scenario, side by side on the same simulated time');
    for (const name of ['', ...compareChoices, COMPARE_FILE]) {
      const o = document.createElement('option');
      o.value = name;
      o.textContent = name === '' ? 'compare: off' : name === COMPARE_FILE ? 'compare with a file…' : `compare with ${name}`;
      compare.append(o);
    }
    this.compareFileOption = document.createElement('option');
    this.compareFileOption.hidden = true;
    compare.append(this.compareFileOption);
    const file = document.createElement('input');
    file.type = 'file';
    file.accept = '.json,.yaml,.yml,application/json,text/yaml';
    file.hidden = true;
    file.tabIndex = -1;
    file.setAttribute('aria-hidden', 'true');
    file.addEventListener('change', () => {
      const f = file.files?.[0];
      file.value = '';
      if (f !== undefined) void f.text().then((text) => cb.compareText(text, f.name));
    });
    compare.addEventListener('change', () => {
      if (compare.value === COMPARE_FILE) {
        compare.value = '';
        file.click();
      } else cb.compare(compare.value);
    });
    const group = document.createElement('div');
    group.className = 'controls-extras';
    group.append(compare, file, button('Copy link', 'Copy link: a link that carries this scenario, the position and compare mode', () => cb.copyLink()));
    const bar = document.createElement('div');
    bar.className = 'controls-row';
    bar.append(transport, this.scrubber, this.position, speedBox, until);
    host.append(bar);
    if (extras === host) bar.append(group);
    else extras.append(group);
  }

  /** Shows what compare mode shows: a bundled name, a file's name, or '' (off). */
  setCompared(name: string, bundled: boolean): void {
    this.compareFileOption.hidden = bundled || name === '';
    if (!bundled && name !== '') {
      this.compareFileOption.value = `file:${name}`;
      this.compareFileOption.textContent = `compare with file: ${name}`;
      this.compare.value = this.compareFileOption.value;
    } else this.compare.value = name;
  }

  /** The value field follows the chosen condition: its example, and the run's kinds as suggestions when it is a kind. */
  private showCondition(): void {
    const kind = this.untilKind.value as UntilKind;
    this.untilValue.placeholder = this.untilExamples[kind] ?? '';
    if (kind === 'kind') this.untilValue.setAttribute('list', this.untilKinds.id);
    else this.untilValue.removeAttribute('list');
  }

  /** Offers the loaded run's record kinds (in the event list's order, each with its count) in the value field. */
  setKinds(kinds: readonly KindCount[]): void {
    this.untilKinds.replaceChildren(
      ...kinds.map(({ kind, count }) => {
        const o = document.createElement('option');
        o.value = kind;
        o.label = `${count.toLocaleString('en-US')} record${count === 1 ? '' : 's'}`;
        return o;
      }),
    );
    // The example is a kind of this run: the request's completion where there is one (the kind students run to most).
    const example = kinds.find((k) => k.kind === 'io.request.completed') ?? kinds[0];
    this.untilExamples.kind = example === undefined ? '' : `e.g. ${example.kind}`;
    this.showCondition();
  }

  /** Sets the until-kind selector and value (used by shortcuts and tests). */
  setUntil(kind: UntilKind, value: string): void {
    this.untilBox.open = true;
    this.untilKind.value = kind;
    this.untilKind.dispatchEvent(new Event('change'));
    this.untilValue.value = value;
  }

  get untilSelection(): { kind: UntilKind; value: string } {
    return { kind: this.untilKind.value as UntilKind, value: this.untilValue.value.trim() };
  }

  /**
   * Shows position `cursor` of `total` at simulated time `timeNs`; `joint`,
   * in compare mode when the compared run goes on past the first's end,
   * says what the positions are (for the readout's tooltip).
   */
  update(cursor: number, total: number, timeNs: number, playing: boolean, joint = ''): void {
    this.scrubber.max = String(total);
    this.scrubber.value = String(cursor);
    this.position.textContent = `${cursor} / ${total} · ${formatNs(timeNs)}`;
    this.position.title = `record ${cursor} of ${total}${joint}, at simulated time ${formatNs(timeNs)}`;
    this.play.textContent = playing ? '❚❚' : '▶';
    this.play.title = playing ? 'Pause (Space)' : 'Play (Space)';
    this.play.setAttribute('aria-label', this.play.title);
  }
}
