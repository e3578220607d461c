// @vitest-environment happy-dom
/** Which action a key press asks for (`actionForKey`): the keyboard's rules in one place, apart from the app. */
import { afterEach, describe, expect, it } from 'vitest';
import { actionForKey, type ActionTarget } from '../../src/ui/actions.js';

afterEach(() => {
  document.body.replaceChildren();
});

const app = (lessonOpen = false): ActionTarget => ({
  togglePlay() {},
  stepForward() {},
  stepBack() {},
  seek() {},
  end() {},
  toggleHelp() {},
  nextOfSelectedKind() {},
  lessonNext() {},
  lessonBack() {},
  focusLesson() {},
  lessonOpen,
});

/** A key press dispatched on a new element of `tag` (`input:radio`: an input of that type; or the body), as the page's keydown listener sees it. */
function press(key: string, tag = 'body', init: KeyboardEventInit = {}): KeyboardEvent {
  const [name, type] = tag.split(':') as [string, string | undefined];
  const target = name === 'body' ? document.body : document.body.appendChild(document.createElement(name));
  if (type !== undefined) (target as HTMLInputElement).type = type;
  let seen: KeyboardEvent | undefined;
  document.addEventListener('keydown', (e) => (seen = e), { once: true });
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, ...init }));
  return seen!;
}

describe('actionForKey', () => {
  it('finds the action a key is bound to', () => {
    expect(actionForKey(press(' '), app(), false)?.id).toBe('play');
    expect(actionForKey(press('ArrowRight'), app(), false)?.id).toBe('step');
    expect(actionForKey(press('ArrowRight', 'body', { shiftKey: true }), app(), false)?.id).toBe('step10');
    expect(actionForKey(press('ArrowRight', 'body', { ctrlKey: true }), app(), false)).toBeUndefined();
    expect(actionForKey(press('x'), app(), false)).toBeUndefined();
    // L reaches the Lesson list, which is below the first screen at 1366×768; not while typing.
    expect(actionForKey(press('l'), app(), false)?.id).toBe('lesson-pick');
    expect(actionForKey(press('L'), app(), false)?.id).toBe('lesson-pick');
    expect(actionForKey(press('l', 'input'), app(), false)).toBeUndefined();
  });

  it('leaves keys to a field being typed in, and Space and Enter to a focused button', () => {
    for (const tag of ['input', 'select', 'textarea']) expect(actionForKey(press('ArrowRight', tag), app(), false), tag).toBeUndefined();
    expect(actionForKey(press(' ', 'button'), app(), false)).toBeUndefined();
    expect(actionForKey(press('Enter', 'a'), app(), false)).toBeUndefined();
    expect(actionForKey(press('ArrowRight', 'button'), app(), false)?.id).toBe('step');
  });

  it('takes only ? and Escape while the help is open, and lesson keys only while a lesson is', () => {
    expect(actionForKey(press('ArrowRight'), app(), true)).toBeUndefined();
    expect(actionForKey(press('?'), app(), true)?.id).toBe('help');
    expect(actionForKey(press(']'), app(false), false)).toBeUndefined();
    expect(actionForKey(press(']'), app(true), false)?.id).toBe('lesson-next');
  });

  it("a clicker's PageDown and PageUp turn the lesson's page from a choice, a switch or a one-line field (audit: a picked radio held the lesson)", () => {
    for (const type of ['radio', 'checkbox', 'number', 'text']) {
      expect(actionForKey(press('PageDown', `input:${type}`), app(true), false)?.id, type).toBe('lesson-next');
      expect(actionForKey(press('PageUp', `input:${type}`), app(true), false)?.id, type).toBe('lesson-back');
      // The other keys stay the field's: ] may be typed, arrows move between choices.
      expect(actionForKey(press(']', `input:${type}`), app(true), false), type).toBeUndefined();
      expect(actionForKey(press('ArrowRight', `input:${type}`), app(true), false), type).toBeUndefined();
    }
    // A slider's, a select's and a text area's page keys are their own.
    for (const tag of ['input:range', 'select', 'textarea']) expect(actionForKey(press('PageDown', tag), app(true), false), tag).toBeUndefined();
  });
});
