/**
 * A new step starts at its head. In the projector view the side column
 * scrolls (the first screen is the window); an answer shown near the
 * column's foot scrolls it down (`answerInView`), and before, the next
 * step kept that scroll, its title and caption above the column's top
 * (audit: vhd-on-512e at 1366×768, Show answer on step 3, then Next: step
 * 4's caption showed one line).
 */

/** The nearest ancestor of `e` that scrolls its content vertically (the side column in the projector view), or null (the window scrolls). */
function scrollingAncestor(e: HTMLElement): HTMLElement | null {
  for (let p = e.parentElement; p !== null && p !== document.body && p !== document.documentElement; p = p.parentElement) {
    const overflow = getComputedStyle(p).overflowY;
    if ((overflow === 'auto' || overflow === 'scroll') && p.scrollHeight > p.clientHeight) return p;
  }
  return null;
}

/** Brings a new step's head (title, step n of m) back into view in its column, from the column's top (the narrator above it shows too). */
export function headInColumn(head: HTMLElement): void {
  const box = scrollingAncestor(head);
  if (box === null) return;
  if (head.getBoundingClientRect().top < box.getBoundingClientRect().top) box.scrollTop = 0;
}
