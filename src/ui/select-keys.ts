/**
 * Selects that give the timeline's keys back once a choice is made. A
 * trainer who picks "compare with …", a lesson or a scenario and then
 * presses → or Space on a clicker means the timeline, not the next
 * option: while a select has just changed (until it is clicked, left, or
 * moved through with ↑ / ↓ again), `actionForKey` treats it as no field.
 * The focus stays where it is, so a keyboard user loses nothing.
 */

/** The attribute that marks a select whose value has just been chosen. */
export const JUST_CHANGED = 'data-hv-just-changed';

/** Whether `target` is a select whose choice has just been made (the global keys win over it). */
export function isJustChangedSelect(target: Element | null): boolean {
  return target !== null && target.tagName === 'SELECT' && target.hasAttribute(JUST_CHANGED);
}

/**
 * Marks every select under `root` as just changed when its value changes,
 * and clears the mark when the select is clicked, left, or stepped
 * through with ↑ / ↓ (the user is choosing again).
 */
export function releaseKeysAfterChange(root: Document | HTMLElement = document): void {
  const selectOf = (e: Event): HTMLSelectElement | null => {
    const t = e.target as Element | null;
    return t !== null && t.tagName === 'SELECT' ? (t as HTMLSelectElement) : null;
  };
  root.addEventListener('change', (e) => selectOf(e)?.setAttribute(JUST_CHANGED, ''), true);
  root.addEventListener('mousedown', (e) => selectOf(e)?.removeAttribute(JUST_CHANGED), true);
  root.addEventListener('focusout', (e) => selectOf(e)?.removeAttribute(JUST_CHANGED), true);
  root.addEventListener(
    'keydown',
    (e) => {
      const k = (e as KeyboardEvent).key;
      if (k === 'ArrowUp' || k === 'ArrowDown') selectOf(e)?.removeAttribute(JUST_CHANGED);
    },
    true,
  );
}
