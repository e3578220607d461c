/**
 * Monitor-page signals (reference §2.2, §8): no hypercall; the hypervisor
 * notices the bit on its next scan of the page, every 2 × the mean latency,
 * so a signal waits 0–100 µs (50 µs on average over the scan's phase) and
 * signals within one window are noticed together. The hypervisor's scans
 * stray from the exact grid by up to ±20 % of their spacing, so a closed
 * loop does not lock to one phase of them.
 */
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/engine/index.js';
import { resolveCosts } from '../../src/model/costs.js';
import { Hypervisor, MONITOR_SCAN_JITTER } from '../../src/model/hypervisor/hypervisor.js';
import type { Place } from '../../src/model/topology.js';
import { monitorDelay } from '../../src/model/vmbus/channel.js';
import { runScenario } from '../../src/scenario/index.js';
import { scenarioOf } from '../scenario/helpers.js';

/** The longest wait a jittered scan allows: one spacing at its widest, for the default 50 µs mean. */
const MONITOR_SCAN_JITTER_MAX_NS = Math.ceil(((2 * 50_000) / (1 + MONITOR_SCAN_JITTER ** 2 / 3)) * (1 + MONITOR_SCAN_JITTER));
const placeStub = {} as Place;

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

describe("the hypervisor's monitor scans, in a run", () => {
  /** One enlightened VM reading 4 KiB at random from NVMe at queue depth 1, signalling by `via`. */
  const nvme = (via: 'monitor' | 'hypercall') =>
    runScenario(
      scenarioOf(
        JSON.stringify({
          version: 1,
          name: 'mon',
          seed: 1,
          profile: 'modern',
          options: { vmbusSignal: via },
          host: { disks: [{ id: 'd0', kind: 'ssd' }] },
          vms: [{ id: 'a', disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd0' } }] }],
          workloads: [{ vm: 'a', disk: 'data', op: 'read', size: '4KiB', count: 400, pattern: 'random' }],
        }),
      ),
      { keepRecords: false },
    ).paths[0]!.latencyNs;

  it('add 0-100 µs, about 50 on average, at queue depth 1: a closed loop does not lock to one phase of the scans (it added the same 98.5 µs to every read on an exact grid)', () => {
    const hypercall = nvme('hypercall');
    const monitor = nvme('monitor');
    const added = monitor.mean - hypercall.mean;
    expect(added).toBeGreaterThan(35_000);
    expect(added).toBeLessThan(65_000);
    // A spread, not one wait for every request.
    expect(monitor.p99 - monitor.min).toBeGreaterThan(50_000);
    expect(monitor.max - hypercall.max).toBeLessThanOrEqual(MONITOR_SCAN_JITTER_MAX_NS);
  });

  it('stray from the grid by at most MONITOR_SCAN_JITTER of the period, and wait the mean on average', () => {
    const costs = resolveCosts('modern');
    const hv = new Hypervisor(placeStub, placeStub, costs, null as never, new RandomStreams(7).stream('hypervisor.monitor-scan'));
    let sum = 0;
    const n = 20_000;
    let now = 0;
    let max = 0;
    for (let i = 0; i < n; i++) {
      now += 37_123; // arrivals unrelated to the scans
      const d = hv.monitorDelay(now);
      expect(d).toBeGreaterThan(0);
      max = Math.max(max, d);
      sum += d;
    }
    expect(Math.abs(sum / n - costs.vmbus_monitor_latency)).toBeLessThan(costs.vmbus_monitor_latency * 0.05);
    expect(max).toBeLessThanOrEqual(MONITOR_SCAN_JITTER_MAX_NS);
  });
});
