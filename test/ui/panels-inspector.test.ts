// @vitest-environment happy-dom
/** The inspector (decoded registers, text only), the explanations of every kind, and the narrator. */
import { afterEach, describe, expect, it } from 'vitest';
import type { HvRecord } from '../../src/model/trace-events.js';
import { applyRecord, initialViewState, type ViewState } from '../../src/render/view-state.js';
import { explainRecord, Inspector } from '../../src/ui/panels/inspector.js';
import { decodeAtaStatus } from '../../src/ui/panels/inspector-sections.js';
import { RECORD_KINDS, shortLabel } from '../../src/ui/panels/explain.js';
import { narration, Narrator } from '../../src/ui/panels/narrator.js';
import { KINDS, makeRecord, TOPOLOGY } from './panel-fixtures.js';

const XSS = '<img src=x onerror=alert(1)>';

afterEach(() => {
  document.body.replaceChildren();
});

function mount(): { host: HTMLElement; inspector: Inspector } {
  const host = document.createElement('div');
  document.body.append(host);
  return { host, inspector: new Inspector(host) };
}

function fold(records: HvRecord[]): ViewState {
  const s = initialViewState();
  for (const r of records) applyRecord(s, r);
  return s;
}

describe('decodeAtaStatus', () => {
  it('reads BSY, DRDY, DRQ and ERR from the status byte', () => {
    const set = (v: number) => decodeAtaStatus(v).filter((b) => b.set).map((b) => b.name);
    expect(set(0x58)).toEqual(['DRDY', 'DSC', 'DRQ']);
    expect(set(0x80)).toEqual(['BSY']);
    expect(set(0x51)).toEqual(['DRDY', 'DSC', 'ERR']);
    expect(set(0)).toEqual([]);
  });
});

describe('Inspector', () => {
  it('shows the envelope, the fields and the ATA task file with decoded status bits', () => {
    const { host, inspector } = mount();
    const records = [
      makeRecord('ide.register.emulated', 0, { place: 'root.vmwp.legacy-pio.ide', band: 'root-user', register: 'sector-count', access: 'write', value: 20 }),
      makeRecord('ide.register.emulated', 1, { place: 'root.vmwp.legacy-pio.ide', band: 'root-user', register: 'status', access: 'read', value: 0xd0 }),
      makeRecord('ide.register.emulated', 2, { place: 'root.vmwp.legacy-pio.ide', band: 'root-user', register: 'status', access: 'read', value: 0x58 }),
    ];
    const view = fold(records);
    inspector.show(records[2]!, view, TOPOLOGY);
    const text = host.textContent ?? '';
    expect(text).toContain('IDE emulator (legacy-pio)');
    expect(text).toContain('Root partition');
    expect(text).toContain('root-user');
    expect(text).toContain('ATA task file of legacy-pio');
    // Seq counts from 0, as the event list's; the step beside it is the narrator's and the counter's.
    expect(text).toContain('Seq2 (record 3)');
    const bits = [...host.querySelectorAll('.hv-bit')].slice(0, 8);
    expect(bits.map((b) => b.firstElementChild!.textContent)).toEqual(['BSY', 'DRDY', 'DF', 'DSC', 'DRQ', 'CORR', 'IDX', 'ERR']);
    const setBits = bits.filter((b) => b.classList.contains('hv-bit-set')).map((b) => b.firstElementChild!.textContent);
    expect(setBits).toEqual(['DRDY', 'DSC', 'DRQ']);
    expect(bits[0]!.textContent).toContain('clear');
    expect(bits[4]!.textContent).toContain('set');
    // The status row is the register touched at this step.
    expect(host.querySelector('tr.hv-changed th')!.textContent).toContain('Status');
    expect(text).toContain('20 sectors');
    expect(text).toContain(explainRecord(records[2]!));
  });

  it('sets every string as text: HTML in a record never becomes elements', () => {
    const { host, inspector } = mount();
    const r = makeRecord('ide.register.emulated', 3, {
      place: XSS,
      stream: `${XSS}/d/ide-pio`,
      register: XSS,
      access: 'write',
      value: 1,
    });
    const view = fold([r]);
    inspector.show(r, view, TOPOLOGY);
    expect(host.querySelector('img')).toBeNull();
    expect(host.querySelectorAll('*').length).toBeGreaterThan(10);
    expect(host.textContent).toContain(XSS);
    expect([...host.querySelectorAll('dd')].some((dd) => dd.textContent === XSS)).toBe(true);

    const ring = makeRecord('vmbus.ring.written', 4, { channel: XSS, packetType: XSS, stream: XSS });
    inspector.show(ring, fold([ring]), TOPOLOGY);
    expect(host.querySelector('img')).toBeNull();
    expect(host.textContent).toContain(XSS);
  });

  it('shows a channel\'s rings, an SRB and a disk breakdown', () => {
    const { host, inspector } = mount();
    const written = makeRecord('vmbus.ring.written', 0, { place: 'enlightened.ring.data', stream: 'enlightened/data/vmbus-scsi' });
    const masked = makeRecord('vmbus.mask.set', 1, { stream: 'enlightened/data/vmbus-scsi' });
    inspector.show(masked, fold([written, masked]), TOPOLOGY);
    const ringRow = host.querySelector('tr.hv-changed')!;
    expect(ringRow.textContent).toContain('Outbound');
    expect(ringRow.textContent).toContain('128');
    expect(ringRow.textContent).toContain('masked');

    const srb = makeRecord('storvsc.srb.built', 2);
    inspector.show(srb, initialViewState(), TOPOLOGY);
    expect(host.textContent).toContain('SCSI request block');
    expect(host.textContent).toContain('WRITE(10)');
    expect(host.textContent).toContain('10 KiB');

    const disk = makeRecord('disk.request.serviced', 3, { place: 'hw.disk.d-syn', band: 'hardware' });
    inspector.show(disk, initialViewState(), TOPOLOGY);
    expect(host.textContent).toContain('Seek: 419.73 µs');
    expect(host.textContent).toContain('Rotation: 2 ms');
    expect(host.querySelector('.hv-stack[role="img"]')!.getAttribute('aria-label')).toContain('Transfer 68.27 µs');
  });

  it('shows a hint before the first record', () => {
    const { host, inspector } = mount();
    inspector.show(null, initialViewState(), TOPOLOGY);
    expect(host.textContent).toContain('Step forward');
  });

  it('offers the cause as a jump when asked to', () => {
    const host = document.createElement('div');
    let jumped = -1;
    const inspector = new Inspector(host, { onJump: (i) => (jumped = i) });
    inspector.show(makeRecord('hv.intercept.exited', 9), initialViewState(), TOPOLOGY);
    host.querySelector<HTMLButtonElement>('button.hv-link')!.click();
    expect(jumped).toBe(9);
  });
});

describe('explainRecord', () => {
  it('covers exactly the catalog', () => {
    expect([...RECORD_KINDS].sort()).toEqual([...KINDS].sort());
  });

  it.each(KINDS)('says what %s means in one plain sentence', (kind) => {
    const r = makeRecord(kind, 10, { waitNs: 1500 });
    const sentence = explainRecord(r);
    expect(sentence.length).toBeGreaterThan(30);
    expect(sentence).toMatch(/^[A-Za-z]/);
    expect(sentence).toMatch(/\.$/);
    expect(sentence).not.toMatch(/undefined|NaN|\[object/);
    const label = shortLabel(r);
    expect(label.length).toBeGreaterThan(3);
    expect(label).not.toMatch(/undefined|NaN|\[object/);
  });

  it('explains a VM exit on an I/O port', () => {
    expect(explainRecord(makeRecord('hv.intercept.exited', 1))).toBe(
      'The virtual processor left the guest: the hypervisor took control because the guest touched an I/O port it cannot touch directly (port 0x1F7).',
    );
  });

  it('survives a kind this build does not know', () => {
    const r = { ...makeRecord('hv.intercept.exited', 1), kind: 'future.thing.happened' } as unknown as HvRecord;
    expect(explainRecord(r)).toContain('future.thing.happened');
    expect(shortLabel(r)).toBe('future.thing.happened');
  });
});

describe('Narrator', () => {
  it('is a polite live region before it says anything', () => {
    const host = document.createElement('div');
    const narrator = new Narrator(host);
    const region = host.querySelector('[aria-live]')!;
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toBe('');
    narrator.say(makeRecord('hv.intercept.exited', 41, { t: 1200 }), TOPOLOGY);
    expect(host.querySelector('[aria-live]')).toBe(region);
    expect(region.textContent).toBe('Record 42 at 1.2 µs: VM exit (I/O port 0x1F7) on legacy-pio, 800 ns.');
  });

  it('names the place for host-wide work, mentions waits, and handles the start', () => {
    const r = makeRecord('disk.request.waited', 9, { stream: '', place: 'hw.disk.d-syn', costNs: 0, waitNs: 3000 });
    expect(narration(r, TOPOLOGY)).toBe('Record 10 at 900 ns: Disk d-syn queue wait, after waiting 3 µs.');
    expect(narration(null, TOPOLOGY)).toContain('nothing has happened');
  });

  it('says record text as text', () => {
    const host = document.createElement('div');
    const narrator = new Narrator(host);
    narrator.say(makeRecord('stack.layer.passed', 1, { layer: XSS }), TOPOLOGY);
    expect(host.querySelector('img')).toBeNull();
    expect(narrator.text).toContain(XSS);
  });
});
