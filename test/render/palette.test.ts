/** Stream colours: stable, distinct for up to eight streams, independent of where playback starts for one stream per VM. */
import { describe, expect, it } from 'vitest';
import { BAND_FILL, ROLE_COLORS, STREAM_COLORS, StreamPalette, flashColor } from '../../src/render/palette.js';
import { BANDS } from '../../src/model/topology.js';

describe('StreamPalette', () => {
  const vms = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

  it('gives each VM its own colour whatever the order streams first appear', () => {
    const forward = new StreamPalette(vms);
    const backward = new StreamPalette(vms);
    const streams = vms.map((v) => `${v}/data/path`);
    const f = streams.map((s) => forward.colorOf(s));
    const b = [...streams].reverse().map((s) => backward.colorOf(s)).reverse();
    expect(f).toEqual(b);
    expect(new Set(f).size).toBe(8);
  });

  it('keeps a stream its colour', () => {
    const p = new StreamPalette(['a']);
    const first = p.colorOf('a/d1/x');
    p.colorOf('a/d2/x');
    p.colorOf('zzz');
    expect(p.colorOf('a/d1/x')).toBe(first);
  });

  it('gives a second stream of one VM a different colour', () => {
    const p = new StreamPalette(['a', 'b']);
    expect(p.colorOf('a/d1/x')).not.toBe(p.colorOf('a/d2/x'));
  });

  it('still answers after the colours run out', () => {
    const p = new StreamPalette([]);
    for (let i = 0; i < 20; i++) expect(STREAM_COLORS).toContain(p.colorOf(`s${i}`));
  });
});

describe('colours', () => {
  it('cover every band and role, and flash exits differently from plain records', () => {
    for (const band of BANDS) expect(BAND_FILL[band]).toBeTypeOf('number');
    expect(Object.keys(ROLE_COLORS).length).toBeGreaterThanOrEqual(15);
    expect(flashColor('hv.intercept.exited')).not.toBe(flashColor('stack.layer.passed'));
  });
});
