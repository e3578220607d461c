/**
 * Colours of the canvas (pure data, no pixi): a dark theme for projectors,
 * with box fills dark enough for white text and packet colours bright
 * enough to stand out on any box.
 */
import type { Band, PlaceRole } from '../model/topology.js';

export const BACKGROUND = 0x0b0f14;
export const TEXT = 0xf5f7fa;
export const TEXT_MUTED = 0xb6c2d1;
export const LINK = 0x6f8098;
export const FRAME = 0x8393a8;

/** Strip colours, subtly tinted by privilege. */
export const BAND_FILL: Readonly<Record<Band, number>> = {
  'guest-user': 0x15202e,
  'guest-kernel': 0x111a27,
  vmbus: 0x0d2529,
  'root-user': 0x1a2216,
  'root-kernel': 0x141b11,
  hypervisor: 0x1d1529,
  hardware: 0x1d1913,
};

/**
 * The one definition of each band's colour, shared by the canvas (band
 * labels) and the charts (src/ui/panels), so a band looks the same in
 * both. Okabe-Ito colour-blind-safe palette, lightened where needed to keep
 * at least 4.5:1 contrast on the dark panels, in BANDS order top to bottom.
 */
export const BAND_COLOURS: Readonly<Record<Band, string>> = {
  'guest-user': '#56b4e9', // sky blue
  'guest-kernel': '#5d9fe0', // blue (lightened)
  vmbus: '#2fc29a', // bluish green (lightened)
  'root-user': '#f0e442', // yellow
  'root-kernel': '#e69f00', // orange
  hypervisor: '#d98cc0', // reddish purple (lightened)
  hardware: '#f07b3f', // vermilion (lightened)
};

/** Band label colours on the canvas: BAND_COLOURS as 0xRRGGBB. */
export const BAND_TEXT: Readonly<Record<Band, number>> = Object.fromEntries(
  Object.entries(BAND_COLOURS).map(([band, css]) => [band, Number.parseInt(css.slice(1), 16)]),
) as Record<Band, number>;

/** Fill (dark) and edge (bright) of a place's box, by role. */
export const ROLE_COLORS: Readonly<Record<PlaceRole, { fill: number; edge: number }>> = {
  app: { fill: 0x1d3b63, edge: 0x64aaff },
  'stack-layer': { fill: 0x273140, edge: 0x8fa1b8 },
  driver: { fill: 0x2b2f60, edge: 0x929bff },
  vsc: { fill: 0x0f4542, edge: 0x3fd6cd },
  vsp: { fill: 0x0f4542, edge: 0x3fd6cd },
  ring: { fill: 0x0b3d4d, edge: 0x4fc8f8 },
  vid: { fill: 0x4a3510, edge: 0xf2b23c },
  worker: { fill: 0x4b2a12, edge: 0xff9c50 },
  service: { fill: 0x3d2a4a, edge: 0xe0a0ff },
  emulator: { fill: 0x521f1f, edge: 0xff6f6f },
  vhd: { fill: 0x34421a, edge: 0xb8dc5a },
  hypervisor: { fill: 0x3b2456, edge: 0xc590ff },
  synic: { fill: 0x4b1f47, edge: 0xff7fdc },
  cpu: { fill: 0x35295c, edge: 0xab8eff },
  hba: { fill: 0x3c3129, edge: 0xcfa782 },
  nic: { fill: 0x2c3a2f, edge: 0x9ad0a4 },
  disk: { fill: 0x34312b, edge: 0xdac9aa },
};

/** Packet colours, one per stream: distinct hues, all bright on the dark boxes. */
export const STREAM_COLORS: readonly number[] = [0xffb000, 0x4cc9f0, 0x7ae582, 0xff5d8f, 0xc77dff, 0xffe66d, 0xff8c42, 0xf1f5f9];

/** Flash colours by record kind: boundary crossings stand out. */
export function flashColor(kind: string): number {
  if (kind.startsWith('hv.intercept.')) return 0xff6b3d;
  if (kind === 'cpu.context.switched' || kind === 'cpu.mode.switched') return 0xc77dff;
  if (kind.startsWith('hv.interrupt.') || kind.startsWith('hv.hypercall.') || kind.startsWith('synic.')) return 0xffe66d;
  if (kind.startsWith('vmbus.signal.')) return 0x4fc8f8;
  if (kind.startsWith('vm.') || kind.startsWith('vmms.') || kind.startsWith('vmwp.') || kind.startsWith('hv.partition.')) return 0x7ae582;
  return 0xffffff;
}

/**
 * Stable colours for streams. A stream (`vm/disk/path`) takes its VM's
 * colour (the VM's position among `vmOrder`) when that colour is free, else
 * the next free one, so the colours do not depend on where playback started
 * for up to `STREAM_COLORS.length` streams with one stream per VM.
 */
export class StreamPalette {
  private readonly assigned = new Map<string, number>();
  private readonly used = new Set<number>();

  constructor(private readonly vmOrder: readonly string[]) {}

  /** The colour of VM `vm`'s first stream, when it got its VM's colour (the usual case): STREAM_COLORS by the VM's position. */
  vmColour(vm: string): number {
    return STREAM_COLORS[Math.max(0, this.vmOrder.indexOf(vm)) % STREAM_COLORS.length]!;
  }

  colorOf(stream: string): number {
    const known = this.assigned.get(stream);
    if (known !== undefined) return STREAM_COLORS[known]!;
    const n = STREAM_COLORS.length;
    const vm = stream.split('/')[0] ?? '';
    const base = Math.max(0, this.vmOrder.indexOf(vm));
    let index = base % n;
    if (this.used.size < n) {
      while (this.used.has(index)) index = (index + 1) % n;
    } else {
      index = this.assigned.size % n;
    }
    this.assigned.set(stream, index);
    this.used.add(index);
    return STREAM_COLORS[index]!;
  }
}
