/**
 * The VMBus control plane when integration services load (reference §2.4):
 * the handshake goes by HvPostMessage, the channel opens, and only then do
 * requests take the IDE fast path.
 */
import { describe, expect, it } from 'vitest';
import { BUNDLED_SCENARIOS, parseScenarioText, runScenario } from '../../src/scenario/index.js';
import { gpadlMessages } from '../../src/model/vmbus/control-plane.js';

describe('fastpath-boot: the guest connects to VMBus, then the IDE disk moves to the fast path', () => {
  const parsed = parseScenarioText(BUNDLED_SCENARIOS.find((s) => s.name === 'fastpath-boot')!.text);
  if (!parsed.ok) throw new Error('invalid');
  const { records } = runScenario(parsed.scenario);
  const messages = records.filter((r) => r.kind === 'vmbus.message.posted').map((r) => (r.kind === 'vmbus.message.posted' ? r.message : ''));

  it('posts the handshake in order: contact, offers, GPADL, open', () => {
    expect(messages).toEqual([
      'INITIATE_CONTACT',
      'VERSION_RESPONSE',
      'REQUESTOFFERS',
      'OFFERCHANNEL',
      'ALLOFFERS_DELIVERED',
      'GPADL_HEADER',
      ...Array(gpadlMessages(131072) - 1).fill('GPADL_BODY'),
      'GPADL_CREATED',
      'OPENCHANNEL',
      'OPENCHANNEL_RESULT',
    ]);
  });

  it('sends every control message with the HvPostMessage hypercall', () => {
    const posts = records.filter((r) => r.kind === 'hv.hypercall.called' && r.call === 'HvPostMessage');
    expect(posts.length).toBe(messages.length);
  });

  it('issues no fast-path request before the channel is open, and every later one takes it', () => {
    const opened = records.find((r) => r.kind === 'vmbus.channel.changed' && r.state === 'open')!;
    const issued = records.filter((r) => r.kind === 'io.request.issued');
    for (const r of issued) {
      if (r.kind !== 'io.request.issued') continue;
      if (r.path === 'ide-fastpath') expect(r.seq).toBeGreaterThan(opened.seq);
      if (r.seq > opened.seq) expect(r.path).toBe('ide-fastpath');
    }
  });

  it('a 128 KiB ring pair (64 pages) needs one GPADL header and two bodies', () => {
    expect(gpadlMessages(131072)).toBe(3);
  });
});
