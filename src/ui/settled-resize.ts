/**
 * Calls `refit` once the window and `elements` have kept their size for
 * `delayMs`: a canvas refit rebuilds its backdrop (about 0.5 s on software
 * WebGL), so a drag of the window's edge or a panel toggling refits once,
 * not per pixel.
 */
export function onSettledResize(elements: readonly Element[], refit: () => void, delayMs = 250): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = (): void => {
    clearTimeout(timer);
    timer = setTimeout(refit, delayMs);
  };
  window.addEventListener('resize', later);
  if (typeof ResizeObserver === 'function') {
    const observer = new ResizeObserver(later);
    for (const element of elements) observer.observe(element);
  }
}
