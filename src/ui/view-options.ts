/**
 * How the page is drawn: the projector view (large canvas text, the first
 * screen holding the description's first lines, the canvas, the controls,
 * the narrator or lesson and the comparison strip; the default in a
 * window up to `PROJECTOR_MAX_WIDTH` × `PROJECTOR_MAX_HEIGHT`, a common
 * projector's 1920×1080 and anything smaller) and reduced motion (packets
 * jump and the current request's path is drawn; the default under
 * prefers-reduced-motion). Two switches in the header; `?projector=0|1`
 * and `?motion=reduced|full` override the defaults, and so does the
 * projector switch last set by hand in this browser (remembered in
 * localStorage). The app hears changes through `onChange`.
 */
import { el } from './panels/dom.js';

/** Up to this window width and height (CSS px) the projector view is the default: a 1920×1080 projector's. */
export const PROJECTOR_MAX_WIDTH = 1920;
export const PROJECTOR_MAX_HEIGHT = 1080;
/** Where the projector switch, set by hand, is remembered ('1' or '0'). */
export const PROJECTOR_CHOICE_KEY = 'hvsim.view.projector';

/** The projector choice remembered in this browser, if any (none where storage is refused). */
export function rememberedProjector(storage: Pick<Storage, 'getItem'> | null): boolean | undefined {
  try {
    const v = storage?.getItem(PROJECTOR_CHOICE_KEY);
    return v === '1' ? true : v === '0' ? false : undefined;
  } catch {
    return undefined;
  }
}

function rememberProjector(on: boolean): void {
  try {
    localStorage.setItem(PROJECTOR_CHOICE_KEY, on ? '1' : '0');
  } catch {
    // Storage refused (a locked-down browser): the choice lasts this page only.
  }
}
/** The smallest canvas text (CSS px) in the projector view. */
export const PROJECTOR_FONT_PX = 16;

export interface ViewOptions {
  projector: boolean;
  reducedMotion: boolean;
}

/**
 * The defaults for this window and link: the link's `?projector=` first,
 * then the choice remembered in this browser (`remembered`), then the
 * window's size.
 */
export function initialViewOptions(params: URLSearchParams, width: number, height: number, prefersReducedMotion: boolean, remembered?: boolean): ViewOptions {
  const projector = params.get('projector');
  const motion = params.get('motion');
  return {
    projector: projector === '1' ? true : projector === '0' ? false : (remembered ?? (width <= PROJECTOR_MAX_WIDTH && height <= PROJECTOR_MAX_HEIGHT)),
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
      input.addEventListener('change', () => {
        if (key === 'projector') rememberProjector(input.checked);
        this.set({ ...this.current, [key]: input.checked });
      });
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
