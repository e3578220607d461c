/**
 * How the page is drawn: the projector view (large canvas text, the first
 * screen holding the description's first lines, the canvas, the controls,
 * the narrator or lesson and the comparison strip; the default up to
 * `PROJECTOR_MAX_WIDTH`) and reduced motion (packets jump and the current
 * request's path is drawn; the default under prefers-reduced-motion). Two
 * switches in the header; `?projector=0|1` and `?motion=reduced|full`
 * override the defaults. The app hears changes through `onChange`.
 */
import { el } from './panels/dom.js';

/** Up to this window width (CSS px) the projector view is the default. */
export const PROJECTOR_MAX_WIDTH = 1440;
/** The smallest canvas text (CSS px) in the projector view. */
export const PROJECTOR_FONT_PX = 16;

export interface ViewOptions {
  projector: boolean;
  reducedMotion: boolean;
}

/** The defaults for this window and link. */
export function initialViewOptions(params: URLSearchParams, width: number, prefersReducedMotion: boolean): ViewOptions {
  const projector = params.get('projector');
  const motion = params.get('motion');
  return {
    projector: projector === '1' ? true : projector === '0' ? false : width <= PROJECTOR_MAX_WIDTH,
    reducedMotion: motion === 'reduced' ? true : motion === 'full' ? false : prefersReducedMotion,
  };
}

export class ViewToggles {
  private readonly boxes: Record<keyof ViewOptions, HTMLInputElement>;

  constructor(
    host: HTMLElement,
    private current: ViewOptions,
    private readonly onChange: (options: ViewOptions) => void,
  ) {
    const box = (key: keyof ViewOptions, label: string, title: string): [HTMLInputElement, HTMLElement] => {
      const input = el('input', { attrs: { type: 'checkbox', id: `view-${key}`, title } });
      input.checked = current[key];
      input.addEventListener('change', () => this.set({ ...this.current, [key]: input.checked }));
      return [input, el('label', { class: 'view-toggle', attrs: { for: input.id, title } }, input, document.createTextNode(label))];
    };
    const [projector, projectorLabel] = box('projector', 'Projector view', 'Large canvas text, and the canvas, controls, narrator and comparison on one screen');
    const [motion, motionLabel] = box('reducedMotion', 'Reduced motion', 'Packets jump instead of gliding, and the current request’s path is drawn');
    this.boxes = { projector, reducedMotion: motion };
    host.append(el('div', { class: 'view-toggles', attrs: { role: 'group', 'aria-label': 'View' } }, projectorLabel, motionLabel));
    this.apply();
  }

  get options(): ViewOptions {
    return this.current;
  }

  /** Changes the options (the switches follow) and tells the app. */
  set(options: ViewOptions): void {
    this.current = options;
    this.boxes.projector.checked = options.projector;
    this.boxes.reducedMotion.checked = options.reducedMotion;
    this.apply();
    this.onChange(options);
  }

  private apply(): void {
    document.body.classList.toggle('projector', this.current.projector);
    document.body.classList.toggle('reduced-motion', this.current.reducedMotion);
  }
}
