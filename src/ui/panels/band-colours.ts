/**
 * Band colours and names for the panels: the same definitions the canvas
 * uses (src/render/palette.ts and layout.ts), so charts and canvas match.
 */
import type { Band } from '../../model/topology.js';
import { BAND_LABELS } from '../../render/layout.js';
import { BAND_COLOURS } from '../../render/palette.js';

export { BAND_COLOURS, BAND_LABELS };

/** A band's colour as a 0xRRGGBB number (pixi's tint form). */
export function bandColourNumber(band: Band): number {
  return Number.parseInt(BAND_COLOURS[band].slice(1), 16);
}
