/**
 * The legacy network adapter's device model: a DEC 21140 emulator as the VM
 * worker process (vmwp.exe, root user mode) runs it. A register-level state
 * machine in QEMU hw/net/tulip.c's shape (V): CSR reads return the
 * register; a CSR1 write (transmit poll demand) wakes a suspended transmit
 * process, which walks the tx descriptor ring in guest memory while the
 * OWN bit is set and suspends with TU when it finds a host-owned
 * descriptor; a received frame goes into the next rx descriptor the guest
 * owns-to-device, setting RI (or RU if there is none); CSR5 bits are write
 * 1 to clear; the interrupt line is (CSR5 & CSR7) & (NIS | AIS). Unlike
 * QEMU, whose `tulip_xmit_list_update` sends synchronously inside the CSR1
 * write, the worker sends each frame to the host as an overlapped write and
 * hands the descriptor back when it completes (as its IDE emulator does
 * with host I/O, E): `fetchTx` / `completeTx` split the walk at that point.
 * No costs, no records: the worker (tulip-worker.ts) charges those.
 */
import type { NicFrame } from './frame.js';
import {
  CSR0,
  CSR0_SWR,
  CSR1,
  CSR2,
  CSR3,
  CSR4,
  CSR5,
  CSR5_ABNORMAL_SOURCES,
  CSR5_AIS,
  CSR5_NIS,
  CSR5_NORMAL_SOURCES,
  CSR5_RI,
  CSR5_RS_SHIFT,
  CSR5_RU,
  CSR5_STATE_MASK,
  CSR5_TI,
  CSR5_TS_SHIFT,
  CSR5_TU,
  CSR5_W1C_MASK,
  CSR6,
  CSR6_SR,
  CSR6_ST,
  CSR7,
  CSR8,
  CSR_COUNT,
  DESC_OWN,
  ETH_FCS_BYTES,
  RDES0_FL_SHIFT,
  RDES0_FS,
  RDES0_LS,
  RS_STOPPED,
  RS_SUSPENDED,
  RS_WAITING,
  RX_RING_SIZE,
  TDES1_IC,
  TDES1_LENGTH_MASK,
  TS_RUNNING,
  TS_STOPPED,
  TS_SUSPENDED,
  TX_RING_SIZE,
  csrIndex,
} from './tulip-protocol.js';

/** One descriptor in guest memory: DES0 (status, OWN), DES1 (control, length) and the buffer it points at. */
export interface TulipDescriptor {
  status: number;
  control: number;
  /** What the buffer holds: the frame to send, or the frame received into it. */
  frame: NicFrame | null;
}

/** The driver's descriptor rings, in guest memory: both sides touch them without a trap. */
export class DescriptorRings {
  readonly tx: TulipDescriptor[];
  readonly rx: TulipDescriptor[];

  constructor(txSize = TX_RING_SIZE, rxSize = RX_RING_SIZE) {
    this.tx = Array.from({ length: txSize }, () => ({ status: 0, control: 0, frame: null }));
    this.rx = Array.from({ length: rxSize }, () => ({ status: 0, control: 0, frame: null }));
  }
}

/** What the worker must do after a CSR write. */
export type TulipAction =
  /** Nothing beyond the register update. */
  | { kind: 'none' }
  /** CSR1 found the transmit process suspended: it is running now; walk the ring. */
  | { kind: 'transmit' };

/** A frame the transmit process took from the ring. */
export interface TxFetch {
  index: number;
  frame: NicFrame;
  bytes: number;
  interruptOnCompletion: boolean;
}

const NONE: TulipAction = { kind: 'none' };

export class TulipEmulator {
  /** CSR0..CSR15; CSR5's summary bits are kept current by `updateSummary`. */
  readonly csr = new Uint32Array(CSR_COUNT);
  private txIndex = 0;
  private rxIndex = 0;
  private missed = 0;

  constructor(readonly rings: DescriptorRings) {
    this.reset();
  }

  /**
   * The state `tulip_up` leaves the chip in, written directly rather than
   * as boot-time intercepts (the world starts with the NIC up, as it starts
   * with VMBus channels open): lists at the ring bases, receive and
   * transmit started, the DC21140 interrupt enables.
   */
  bringUp(csr7: number): void {
    this.csr[CSR6] = CSR6_SR | CSR6_ST;
    this.setTxState(TS_SUSPENDED);
    this.setRxState(RS_WAITING);
    this.csr[CSR7] = csr7;
    this.updateSummary();
  }

  /** The transmit process state (CSR5 TS). */
  get txState(): number {
    return (this.csr[CSR5]! >>> CSR5_TS_SHIFT) & CSR5_STATE_MASK;
  }

  /** The receive process state (CSR5 RS). */
  get rxState(): number {
    return (this.csr[CSR5]! >>> CSR5_RS_SHIFT) & CSR5_STATE_MASK;
  }

  /** True while the device asserts INTA#. */
  get interruptAsserted(): boolean {
    return (this.csr[CSR5]! & this.csr[CSR7]! & (CSR5_NIS | CSR5_AIS)) !== 0;
  }

  /** A guest CSR read; returns the value the guest sees. */
  read(port: number): number {
    const n = csrIndex(port);
    if (n === CSR8) {
      const value = this.missed & 0x1ffff; // the missed-frames counter clears on read
      this.missed = 0;
      return value;
    }
    return n < 0 ? 0xffffffff : this.csr[n]! >>> 0;
  }

  /** A guest CSR write; returns what the worker must do next. */
  write(port: number, value: number): TulipAction {
    const n = csrIndex(port);
    switch (n) {
      case CSR0:
        this.csr[CSR0] = value;
        if ((value & CSR0_SWR) !== 0) this.reset();
        return NONE;
      case CSR1:
        if (this.txState !== TS_SUSPENDED) return NONE; // stopped, or already walking the ring
        this.setTxState(TS_RUNNING);
        return { kind: 'transmit' };
      case CSR2:
        // Receive poll demand: a suspended receiver looks at the ring again on the next frame.
        if (this.rxState === RS_SUSPENDED) this.setRxState(RS_WAITING);
        return NONE;
      case CSR3:
        this.csr[CSR3] = value;
        this.rxIndex = 0;
        return NONE;
      case CSR4:
        this.csr[CSR4] = value;
        this.txIndex = 0;
        return NONE;
      case CSR5:
        this.csr[CSR5] = this.csr[CSR5]! & ~(value & CSR5_W1C_MASK);
        this.updateSummary();
        return NONE;
      case CSR6:
        return this.writeMode(value);
      case CSR7:
        this.csr[CSR7] = value;
        this.updateSummary();
        return NONE;
      default:
        if (n > 0) this.csr[n] = value;
        return NONE;
    }
  }

  /**
   * The transmit process takes the next descriptor: the frame it describes,
   * or null when the guest still owns it, which suspends the process and
   * sets TU (QEMU `tulip_xmit_list_update`).
   */
  fetchTx(): TxFetch | null {
    if (this.txState !== TS_RUNNING) return null;
    const d = this.rings.tx[this.txIndex]!;
    if ((d.status & DESC_OWN) === 0 || d.frame === null) {
      this.setTxState(TS_SUSPENDED);
      this.csr[CSR5] = this.csr[CSR5]! | CSR5_TU;
      this.updateSummary();
      return null;
    }
    return { index: this.txIndex, frame: d.frame, bytes: d.control & TDES1_LENGTH_MASK, interruptOnCompletion: (d.control & TDES1_IC) !== 0 };
  }

  /** The frame at `index` is sent: hand the descriptor back (OWN clear, no error bits), TI if it asked. */
  completeTx(index: number): void {
    if (index !== this.txIndex) throw new Error(`tx descriptor ${index} completed out of order (expected ${this.txIndex})`);
    const d = this.rings.tx[index]!;
    d.status = 0;
    if ((d.control & TDES1_IC) !== 0) this.csr[CSR5] = this.csr[CSR5]! | CSR5_TI;
    this.txIndex = (this.txIndex + 1) % this.rings.tx.length;
    this.updateSummary();
  }

  /**
   * A frame arrived for this NIC: write it through the next receive
   * descriptor and set RI; with none owned by the device, count it missed,
   * set RU and suspend (QEMU `tulip_receive`). Returns the descriptor index
   * or null when the frame is dropped.
   */
  receive(frame: NicFrame): number | null {
    if (this.rxState === RS_STOPPED) {
      this.missed++;
      return null;
    }
    const d = this.rings.rx[this.rxIndex]!;
    if ((d.status & DESC_OWN) === 0) {
      this.missed++;
      this.setRxState(RS_SUSPENDED);
      this.csr[CSR5] = this.csr[CSR5]! | CSR5_RU;
      this.updateSummary();
      return null;
    }
    const index = this.rxIndex;
    d.status = RDES0_FS | RDES0_LS | ((frame.bytes + ETH_FCS_BYTES) << RDES0_FL_SHIFT);
    d.frame = frame;
    this.rxIndex = (this.rxIndex + 1) % this.rings.rx.length;
    this.setRxState(RS_WAITING);
    this.csr[CSR5] = this.csr[CSR5]! | CSR5_RI;
    this.updateSummary();
    return index;
  }

  private writeMode(value: number): TulipAction {
    this.csr[CSR6] = value;
    this.setRxState((value & CSR6_SR) !== 0 ? RS_WAITING : RS_STOPPED);
    if ((value & CSR6_ST) === 0) {
      this.setTxState(TS_STOPPED);
      return NONE;
    }
    if (this.txState === TS_RUNNING) return NONE;
    // Starting the transmitter walks the list at once, as a poll demand does.
    this.setTxState(TS_RUNNING);
    return { kind: 'transmit' };
  }

  /** Recomputes NIS/AIS from the enabled sources (QEMU `tulip_update_int`). */
  private updateSummary(): void {
    let csr5 = this.csr[CSR5]! & ~(CSR5_NIS | CSR5_AIS);
    const enabled = csr5 & this.csr[CSR7]!;
    if ((enabled & CSR5_NORMAL_SOURCES) !== 0) csr5 |= CSR5_NIS;
    if ((enabled & CSR5_ABNORMAL_SOURCES) !== 0) csr5 |= CSR5_AIS;
    this.csr[CSR5] = csr5;
  }

  private setTxState(state: number): void {
    this.csr[CSR5] = (this.csr[CSR5]! & ~(CSR5_STATE_MASK << CSR5_TS_SHIFT)) | (state << CSR5_TS_SHIFT);
  }

  private setRxState(state: number): void {
    this.csr[CSR5] = (this.csr[CSR5]! & ~(CSR5_STATE_MASK << CSR5_RS_SHIFT)) | (state << CSR5_RS_SHIFT);
  }

  private reset(): void {
    this.csr.fill(0);
    this.txIndex = 0;
    this.rxIndex = 0;
    this.missed = 0;
  }
}
