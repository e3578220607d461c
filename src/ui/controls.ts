/**
 * The control bar: transport buttons, the timeline scrubber, speed,
 * run-until and the position readout. Plain DOM with labels and titles;
 * every control calls back into the app, which owns the state.
 */
import { formatNs } from '../engine/sim-time.js';

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
}

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
  readonly rendererLabel: HTMLElement;

  constructor(host: HTMLElement, cb: ControlsCallbacks, compareChoices: readonly string[] = []) {
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
    this.untilValue.size = 18;
    this.untilValue.setAttribute('aria-label', 'Run-until value');
    this.untilValue.placeholder = 'e.g. 500 or hv.interrupt.injected';
    const run = button('Run until', 'Run until the condition holds', () => cb.runUntil(this.untilKind.value as UntilKind, this.untilValue.value.trim()));
    this.untilValue.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') cb.runUntil(this.untilKind.value as UntilKind, this.untilValue.value.trim());
      e.stopPropagation(); // typing here is not a shortcut
    });
    const until = document.createElement('div');
    until.className = 'until';
    until.append(this.untilKind, this.untilValue, run);

    this.rendererLabel = document.createElement('span');
    this.rendererLabel.className = 'renderer-label';
    const speedBox = document.createElement('label');
    speedBox.className = 'speed';
    speedBox.append('Speed ', speed, this.speedLabel);
    const compare = document.createElement('select');
    compare.id = 'compare';
    compare.setAttribute('aria-label', 'Compare with another scenario, in lockstep on simulated time');
    for (const name of ['', ...compareChoices]) {
      const o = document.createElement('option');
      o.value = name;
      o.textContent = name === '' ? 'compare: off' : `compare with ${name}`;
      compare.append(o);
    }
    compare.addEventListener('change', () => cb.compare(compare.value));
    host.append(transport, this.scrubber, this.position, speedBox, until, compare, button('Copy link', 'Copy a link that carries this scenario', () => cb.copyLink()), this.rendererLabel);
  }

  /** Sets the until-kind selector and value (used by shortcuts and tests). */
  setUntil(kind: UntilKind, value: string): void {
    this.untilKind.value = kind;
    this.untilValue.value = value;
  }

  get untilSelection(): { kind: UntilKind; value: string } {
    return { kind: this.untilKind.value as UntilKind, value: this.untilValue.value.trim() };
  }

  update(cursor: number, total: number, timeNs: number, playing: boolean): void {
    this.scrubber.max = String(total);
    this.scrubber.value = String(cursor);
    this.position.textContent = `record ${cursor} / ${total} · t = ${formatNs(timeNs)}`;
    this.play.textContent = playing ? '❚❚' : '▶';
    this.play.title = playing ? 'Pause (Space)' : 'Play (Space)';
    this.play.setAttribute('aria-label', this.play.title);
  }
}
