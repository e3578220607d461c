/**
 * Compare mode's comparison strip on a short screen. Beside two canvases
 * the projector view keeps the strip off the first screen where the
 * window is under 900 px tall, and beside an open lesson's step
 * (`style.css`): there a **Paths compared** switch in the playback bar
 * swaps the strip in for the narrator and the lesson, its six figures in
 * one row, and back. The switch shows only where the strip is hidden; the
 * swap moves panels and nothing else (the canvases refit to the height
 * left, `settled-resize.ts`), and the strip's figures are its own.
 */
import { el } from './panels/dom.js';

export class StripSwap {
  readonly button: HTMLButtonElement;

  /** `bar`: where the switch goes (the playback bar); `side`: the row under the canvases that holds the narrator, the lesson and the strip. */
  constructor(
    bar: HTMLElement,
    private readonly side: HTMLElement,
  ) {
    this.button = el('button', {
      class: 'strip-swap',
      text: 'Paths compared',
      attrs: { type: 'button', 'aria-pressed': 'false', title: 'Show the comparison strip in place of the narrator and the lesson (the window is too short for all three beside two canvases); again to swap back' },
    });
    this.button.addEventListener('click', () => this.set(!this.swapped));
    bar.append(this.button);
  }

  /** Whether the strip is swapped in (it shows only where the switch does). */
  get swapped(): boolean {
    return this.side.classList.contains('strip-swapped');
  }

  /** Whether the switch shows: compare mode where the strip is hidden for want of height. */
  get offered(): boolean {
    return this.button.offsetParent !== null;
  }

  set(on: boolean): void {
    this.side.classList.toggle('strip-swapped', on);
    this.button.setAttribute('aria-pressed', String(on));
  }
}
