/**
 * The one place the privilege bands' colours are defined. The charts use
 * them; the canvas should draw its bands in the same colours (copy these
 * values, or pass them in, since src/render does not import src/ui).
 *
 * Okabe–Ito colour-blind-safe palette, lightened where needed to keep at
 * least 4.5:1 contrast on the dark panel background (#171c25), in BANDS
 * order top to bottom.
 */
import type { Band } from '../../model/topology.js';

/** CSS colour of each band. */
export const BAND_COLOURS: Readonly<Record<Band, string>> = {
  'guest-user': '#56b4e9', // sky blue
  'guest-kernel': '#5d9fe0', // blue (lightened)
  vmbus: '#2fc29a', // bluish green (lightened)
  'root-user': '#f0e442', // yellow
  'root-kernel': '#e69f00', // orange
  hypervisor: '#d98cc0', // reddish purple (lightened)
  hardware: '#f07b3f', // vermilion (lightened)
};

/** Human names of the bands, for legends. */
export const BAND_LABELS: Readonly<Record<Band, string>> = {
  'guest-user': 'Guest user',
  'guest-kernel': 'Guest kernel',
  vmbus: 'VMBus',
  'root-user': 'Root user',
  'root-kernel': 'Root kernel',
  hypervisor: 'Hypervisor',
  hardware: 'Hardware',
};

/** A band's colour as a 0xRRGGBB number (pixi's tint form). */
export function bandColourNumber(band: Band): number {
  return Number.parseInt(BAND_COLOURS[band].slice(1), 16);
}
