/** The 21140 emulator at register level: the QEMU hw/net/tulip.c behaviours the paths rely on. */
import { describe, expect, it } from 'vitest';
import { SimEvent } from '../../../src/engine/index.js';
import type { NicFrame } from '../../../src/model/network/frame.js';
import { DescriptorRings, TulipEmulator } from '../../../src/model/network/tulip-emulator.js';
import {
  CSR1,
  CSR2,
  CSR5,
  CSR5_AIS,
  CSR5_NIS,
  CSR5_RI,
  CSR5_RU,
  CSR5_TI,
  CSR5_TU,
  CSR7,
  CSR7_VALID_INTRS_21140,
  CSR8,
  DESC_OWN,
  RDES0_FL_SHIFT,
  RS_SUSPENDED,
  RS_WAITING,
  TDES1_FLAGS_INTR,
  TDES1_FLAGS_NO_INTR,
  TS_RUNNING,
  TS_SUSPENDED,
  csrIndex,
  csrName,
  csrPort,
} from '../../../src/model/network/tulip-protocol.js';

const frame = (bytes = 1514): NicFrame => ({ bytes, to: 'external', stream: 's', flow: 0, done: new SimEvent<number>(), dropped: false });

function upNic(txSize = 4, rxSize = 2) {
  const rings = new DescriptorRings(txSize, rxSize);
  const nic = new TulipEmulator(rings);
  nic.bringUp(CSR7_VALID_INTRS_21140);
  return { rings, nic };
}

function queueTx(rings: DescriptorRings, index: number, bytes: number, interrupt: boolean): void {
  const d = rings.tx[index]!;
  d.frame = frame(bytes);
  d.control = (bytes | (interrupt ? TDES1_FLAGS_INTR : TDES1_FLAGS_NO_INTR)) >>> 0;
  d.status = DESC_OWN;
}

describe('tulip CSRs', () => {
  it('sit 8 bytes apart in I/O space', () => {
    expect(csrPort(5) - csrPort(4)).toBe(8);
    expect(csrIndex(csrPort(15))).toBe(15);
    expect(csrIndex(csrPort(0) + 4)).toBe(-1);
    expect(csrName(csrPort(7))).toBe('CSR7');
  });
});

describe('transmit', () => {
  it('a CSR1 poll demand wakes a suspended transmitter, which walks owned descriptors and suspends with TU', () => {
    const { rings, nic } = upNic();
    expect(nic.txState).toBe(TS_SUSPENDED);
    queueTx(rings, 0, 1514, false);
    queueTx(rings, 1, 60, false);
    expect(nic.write(csrPort(CSR1), 0)).toEqual({ kind: 'transmit' });
    expect(nic.txState).toBe(TS_RUNNING);
    // A second poll demand while it runs does nothing: the running walk will find new descriptors.
    expect(nic.write(csrPort(CSR1), 0)).toEqual({ kind: 'none' });
    const first = nic.fetchTx()!;
    expect([first.index, first.bytes, first.interruptOnCompletion]).toEqual([0, 1514, false]);
    nic.completeTx(0);
    expect(rings.tx[0]!.status & DESC_OWN).toBe(0);
    expect(nic.fetchTx()!.bytes).toBe(60);
    nic.completeTx(1);
    expect(nic.interruptAsserted).toBe(false); // no IC, ring not yet found drained
    expect(nic.fetchTx()).toBeNull();
    expect(nic.txState).toBe(TS_SUSPENDED);
    const csr5 = nic.read(csrPort(CSR5));
    expect(csr5 & CSR5_TU).not.toBe(0);
    expect(csr5 & CSR5_TI).toBe(0);
    expect(csr5 & CSR5_NIS).not.toBe(0);
    expect(nic.interruptAsserted).toBe(true);
  });

  it('sets TI for a descriptor with interrupt-on-completion', () => {
    const { rings, nic } = upNic();
    queueTx(rings, 0, 1514, true);
    nic.write(csrPort(CSR1), 0);
    nic.completeTx(nic.fetchTx()!.index);
    expect(nic.read(csrPort(CSR5)) & CSR5_TI).not.toBe(0);
  });
});

describe('status and interrupt line', () => {
  it('CSR5 is write-1-to-clear and the line follows (CSR5 & CSR7) & (NIS | AIS)', () => {
    const { rings, nic } = upNic();
    queueTx(rings, 0, 100, false);
    nic.write(csrPort(CSR1), 0);
    nic.completeTx(nic.fetchTx()!.index);
    nic.fetchTx();
    const csr5 = nic.read(csrPort(CSR5));
    nic.write(csrPort(CSR5), 0); // writing zeros clears nothing
    expect(nic.interruptAsserted).toBe(true);
    nic.write(csrPort(CSR5), csr5 & 0x0001ffff); // tulip_interrupt's ack
    expect(nic.read(csrPort(CSR5)) & (CSR5_TU | CSR5_NIS)).toBe(0);
    expect(nic.interruptAsserted).toBe(false);
  });

  it('masks a source that CSR7 does not enable', () => {
    const { rings, nic } = upNic();
    nic.write(csrPort(CSR7), 0);
    queueTx(rings, 0, 100, false);
    nic.write(csrPort(CSR1), 0);
    nic.completeTx(nic.fetchTx()!.index);
    nic.fetchTx();
    expect(nic.read(csrPort(CSR5)) & CSR5_TU).not.toBe(0);
    expect(nic.interruptAsserted).toBe(false);
    nic.write(csrPort(CSR7), CSR7_VALID_INTRS_21140);
    expect(nic.interruptAsserted).toBe(true);
  });
});

describe('receive', () => {
  it('writes a frame through the next device-owned descriptor and sets RI', () => {
    const { rings, nic } = upNic();
    rings.rx[0]!.status = DESC_OWN;
    expect(nic.receive(frame(1514))).toBe(0);
    const d = rings.rx[0]!;
    expect(d.status & DESC_OWN).toBe(0);
    expect(d.status >>> RDES0_FL_SHIFT).toBe(1518); // length includes the CRC
    expect(nic.read(csrPort(CSR5)) & CSR5_RI).not.toBe(0);
    expect(nic.interruptAsserted).toBe(true);
  });

  it('with no descriptor, counts the frame missed, sets RU (abnormal) and suspends; CSR8 clears on read', () => {
    const { nic } = upNic();
    expect(nic.receive(frame())).toBeNull();
    expect(nic.rxState).toBe(RS_SUSPENDED);
    const csr5 = nic.read(csrPort(CSR5));
    expect(csr5 & CSR5_RU).not.toBe(0);
    expect(csr5 & CSR5_AIS).not.toBe(0);
    expect(nic.read(csrPort(CSR8))).toBe(1);
    expect(nic.read(csrPort(CSR8))).toBe(0);
    nic.write(csrPort(CSR2), 1);
    expect(nic.rxState).toBe(RS_WAITING);
  });
});
