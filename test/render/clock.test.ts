/** The two clocks: a log-scale hold with a minimum, divided by speed. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEED, MAX_SPEED, MIN_HOLD_MS, MIN_SPEED, SPEED_PRESETS, clampSpeed, holdMs, stepProgress, stepSpeed } from '../../src/render/clock.js';

describe('holdMs', () => {
  it('holds a step that takes no time for the minimum', () => {
    expect(holdMs(0)).toBe(MIN_HOLD_MS);
    expect(holdMs(0, 1)).toBe(MIN_HOLD_MS);
  });

  it('grows with the duration, on a log scale', () => {
    const durations = [0, 1, 10, 100, 500, 1e3, 1e4, 1e5, 1e6, 5e6, 1e7, 1e8, 1e9];
    for (let i = 1; i < durations.length; i++) expect(holdMs(durations[i]!)).toBeGreaterThan(holdMs(durations[i - 1]!));
    // Equal ratios of long durations give nearly equal steps of hold.
    const a = holdMs(1e7) - holdMs(1e6);
    const b = holdMs(1e8) - holdMs(1e7);
    expect(Math.abs(a - b)).toBeLessThan(1);
  });

  it('makes a 500 ns exit and a 5 ms seek both watchable at speed 1', () => {
    const exit = holdMs(500);
    const seek = holdMs(5e6);
    expect(exit).toBeGreaterThanOrEqual(150);
    expect(seek).toBeLessThanOrEqual(1500);
    // Four decades of simulated time become less than a factor of five on screen.
    expect(seek / exit).toBeLessThan(5);
    expect(seek / exit).toBeGreaterThan(2);
    expect(exit).toBeCloseTo(236.7, 0);
    expect(seek).toBeCloseTo(824.8, 0);
  });

  it('divides every hold by the speed', () => {
    for (const ns of [0, 500, 5e6]) {
      expect(holdMs(ns, 2)).toBeCloseTo(holdMs(ns) / 2, 9);
      expect(holdMs(ns, 0.1)).toBeCloseTo(holdMs(ns) * 10, 9);
      expect(holdMs(ns, 1000)).toBeCloseTo(holdMs(ns) / 1000, 9);
    }
  });

  it('treats negative, NaN and infinite durations as no time, and clamps the speed', () => {
    expect(holdMs(-5)).toBe(MIN_HOLD_MS);
    expect(holdMs(Number.NaN)).toBe(MIN_HOLD_MS);
    expect(holdMs(Number.POSITIVE_INFINITY)).toBe(MIN_HOLD_MS);
    expect(holdMs(0, 0)).toBe(MIN_HOLD_MS / MIN_SPEED);
    expect(holdMs(0, -3)).toBe(MIN_HOLD_MS / MIN_SPEED);
    expect(holdMs(0, 1e9)).toBe(MIN_HOLD_MS / MAX_SPEED);
    expect(holdMs(0, Number.NaN)).toBe(MIN_HOLD_MS);
    expect(clampSpeed(5)).toBe(5);
  });

  it('is finite and positive for any input', () => {
    for (const ns of [0, 1, 1e15, -1, Number.NaN]) for (const s of [0, 1e-9, 1, 1e9, Number.NaN]) expect(holdMs(ns, s)).toBeGreaterThan(0);
  });
});

describe('speed presets', () => {
  it('run slowest to fastest over a wide logarithmic range, including the default', () => {
    const speeds = SPEED_PRESETS.map((p) => p.speed);
    for (let i = 1; i < speeds.length; i++) expect(speeds[i]!).toBeGreaterThan(speeds[i - 1]!);
    expect(speeds[0]).toBeLessThanOrEqual(0.1);
    expect(speeds[speeds.length - 1]).toBeGreaterThanOrEqual(1000);
    expect(speeds).toContain(DEFAULT_SPEED);
    expect(new Set(SPEED_PRESETS.map((p) => p.label)).size).toBe(SPEED_PRESETS.length);
  });

  it('step faster and slower from the nearest preset, stopping at the ends', () => {
    expect(stepSpeed(1, 1)).toBe(3);
    expect(stepSpeed(1, -1)).toBe(0.3);
    expect(stepSpeed(1.2, 1)).toBe(3);
    expect(stepSpeed(1000, 1)).toBe(1000);
    expect(stepSpeed(0.1, -5)).toBe(0.1);
    expect(stepSpeed(1, 0)).toBe(1);
  });
});

describe('stepProgress', () => {
  it('runs from 0 to 1 over the hold, eased and monotonic', () => {
    expect(stepProgress(0, 200)).toBe(0);
    expect(stepProgress(200, 200)).toBe(1);
    expect(stepProgress(500, 200)).toBe(1);
    expect(stepProgress(100, 200)).toBeCloseTo(0.5, 9);
    let last = -1;
    for (let t = 0; t <= 200; t += 10) {
      const p = stepProgress(t, 200);
      expect(p).toBeGreaterThanOrEqual(last);
      last = p;
    }
  });

  it('is done at once for a zero hold', () => {
    expect(stepProgress(0, 0)).toBe(1);
    expect(stepProgress(5, -1)).toBe(1);
  });
});
