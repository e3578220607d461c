/**
 * Monitor-page signals (reference §2.2, §8): no hypercall; the hypervisor
 * notices the bit on its next scan of the page, every 2 × the mean latency,
 * so a signal waits 0–100 µs (50 µs on average over the scan's phase) and
 * signals within one window are noticed together.
 */
import { describe, expect, it } from 'vitest';
import { monitorDelay } from '../../src/model/vmbus/channel.js';

describe('monitorDelay', () => {
  it('waits until the next scan: in (0, 2 × mean], mean over the phase = mean', () => {
    const mean = 50_000;
    let sum = 0;
    const samples = 10_000;
    for (let i = 0; i < samples; i++) {
      const now = 1_000_000 + i * 10; // 10,000 phases 10 ns apart: the whole 100 µs window
      const delay = monitorDelay(now, mean);
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(2 * mean);
      expect((now + delay) % (2 * mean)).toBe(0); // it lands on a scan
      sum += delay;
    }
    expect(Math.abs(sum / samples - mean)).toBeLessThan(mean * 0.02);
  });

  it('notices signals set in one window together, and costs nothing with a zero latency', () => {
    expect(300_000 + monitorDelay(210_000, 50_000)).toBe(300_000 + 90_000);
    expect(210_000 + monitorDelay(210_000, 50_000)).toBe(299_999 + monitorDelay(299_999, 50_000));
    expect(monitorDelay(123_456, 0)).toBe(0);
  });
});
