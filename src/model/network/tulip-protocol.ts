/**
 * DEC 21140 "Tulip" constants: the CSRs (CSR0..CSR15, 8 bytes apart in I/O
 * space), the CSR5 status bits, CSR6/CSR7 bits and the descriptor bits the
 * legacy NIC emulator and the guest's tulip driver share. Sources (V):
 * Linux drivers/net/ethernet/dec/tulip/tulip.h (CSR offsets, `status_bits`,
 * `DescOwned`, TX_RING_SIZE 32, RX_RING_SIZE 128, PKT_BUF_SZ 1536,
 * DESC_RING_WRAP), tulip_core.c (`tulip_tbl` DC21140 valid_intrs 0x0001ebef;
 * `tulip_start_xmit` length flags 0x60000000 / 0xe0000000), interrupt.c
 * (`tulip_interrupt` acks with `csr5 & 0x0001ffff`, clears errors with
 * 0x0800f7ba), QEMU hw/net/tulip.h (CSR5 bit names, TS/RS fields, TDES/RDES
 * bits). Behaviour lives in tulip-emulator.ts (device), tulip-worker.ts (its
 * half of the worker process) and tulip-driver.ts (guest).
 */
import { intern } from '../../engine/index.js';

/** I/O base of the NIC's BAR0 (illustrative: the BIOS assigns it). */
export const TULIP_IO_BASE = 0xec00;
/** CSRs are longwords on quadword boundaries. */
export const CSR_SPACING = 8;
export const CSR_COUNT = 16;
/** The 21140's I/O BAR: CSR0–CSR15 at 8-byte spacing, 128 bytes (QEMU hw/net/tulip.c registers its I/O region with this size). */
export const TULIP_IO_BYTES = 128;

/** The I/O port of CSR `n`. */
export function csrPort(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= CSR_COUNT) throw new RangeError(`no CSR${n}`);
  return TULIP_IO_BASE + n * CSR_SPACING;
}

/** The CSR number of `port`, or -1 if it is not a CSR. */
export function csrIndex(port: number): number {
  const offset = port - TULIP_IO_BASE;
  if (offset < 0 || offset % CSR_SPACING !== 0 || offset / CSR_SPACING >= CSR_COUNT) return -1;
  return offset / CSR_SPACING;
}

/** `CSR0` … `CSR15`, made once (records carry one on every register access). */
const CSR_NAMES = Array.from({ length: CSR_COUNT }, (_, n) => intern(`CSR${n}`));

/** `CSRn` for the inspector. */
export function csrName(port: number): string {
  const n = csrIndex(port);
  return n < 0 ? `port ${port.toString(16)}` : CSR_NAMES[n]!;
}

/** Named CSRs the paths use. */
export const CSR0 = 0; // bus mode
export const CSR1 = 1; // transmit poll demand
export const CSR2 = 2; // receive poll demand
export const CSR3 = 3; // receive list base
export const CSR4 = 4; // transmit list base
export const CSR5 = 5; // status (write 1 to clear)
export const CSR6 = 6; // operating mode
export const CSR7 = 7; // interrupt enable
export const CSR8 = 8; // missed frames counter

/** CSR0 software reset; CSR1/CSR2 poll-demand value (any write demands a poll). */
export const CSR0_SWR = 1 << 0;
export const CSR1_TPD = 0x01;
export const CSR2_RPD = 0x01;

/** CSR5 status bits (QEMU tulip.h CSR5_*; Linux `status_bits`). */
export const CSR5_TI = 1 << 0; // TxIntr: a frame with TDES1 IC finished
export const CSR5_TPS = 1 << 1; // TxDied: transmit process stopped
export const CSR5_TU = 1 << 2; // TxNoBuf: next tx descriptor owned by the host, transmitter suspended
export const CSR5_TJT = 1 << 3;
export const CSR5_UNF = 1 << 5;
export const CSR5_RI = 1 << 6; // RxIntr: a frame was received
export const CSR5_RU = 1 << 7; // RxNoBuf: no rx descriptor, receiver suspended
export const CSR5_RPS = 1 << 8; // RxDied
export const CSR5_RWT = 1 << 9;
export const CSR5_GTE = 1 << 11; // TimerInt
export const CSR5_FBE = 1 << 13; // SystemError
export const CSR5_ERI = 1 << 14;
export const CSR5_AIS = 1 << 15; // AbnormalIntr summary
export const CSR5_NIS = 1 << 16; // NormalIntr summary

/** Sources summarised by NIS and by AIS (QEMU `tulip_update_int`). */
export const CSR5_NORMAL_SOURCES = CSR5_TI | CSR5_TU | CSR5_RI | CSR5_GTE | CSR5_ERI;
export const CSR5_ABNORMAL_SOURCES = CSR5_TPS | CSR5_TJT | CSR5_UNF | CSR5_RU | CSR5_RPS | CSR5_RWT | CSR5_FBE;
/** The bits a CSR5 write clears (write 1 to clear). */
export const CSR5_W1C_MASK = 0x0001ffff;
/** What `tulip_interrupt` writes to acknowledge (`csr5 & 0x0001ffff`) and to clear error sources. */
export const CSR5_ACK_MASK = 0x0001ffff;
export const CSR5_CLEAR_ERRORS = 0x0800f7ba;

/** CSR5 transmit and receive process state fields. */
export const CSR5_TS_SHIFT = 20;
export const CSR5_RS_SHIFT = 17;
export const CSR5_STATE_MASK = 7;
export const TS_STOPPED = 0;
export const TS_RUNNING = 1;
export const TS_SUSPENDED = 6;
export const RS_STOPPED = 0;
export const RS_WAITING = 3;
export const RS_SUSPENDED = 4;

/** CSR6 operating mode: start receive, start transmit. */
export const CSR6_SR = 1 << 1;
export const CSR6_ST = 1 << 13;

/** The interrupt enables Linux programs into CSR7 for a DC21140 (`tulip_tbl`). */
export const CSR7_VALID_INTRS_21140 = 0x0001ebef;

/** Descriptor bits: the OWN bit is bit 31 of DES0 in both rings (`DescOwned`). */
export const DESC_OWN = 0x80000000;
/** TDES1: interrupt on completion, last/first segment, end of ring. */
export const TDES1_IC = 0x80000000;
export const TDES1_LS = 1 << 30;
export const TDES1_FS = 1 << 29;
export const DESC_RING_WRAP = 1 << 25;
/** `tulip_start_xmit`'s length flags: LS|FS without and with IC. */
export const TDES1_FLAGS_NO_INTR = 0x60000000;
export const TDES1_FLAGS_INTR = 0xe0000000;
export const TDES1_LENGTH_MASK = 0x7ff;
/** RDES0: first and last descriptor of a frame, frame length field (includes the 4-byte CRC). */
export const RDES0_LS = 1 << 8;
export const RDES0_FS = 1 << 9;
export const RDES0_FL_SHIFT = 16;
export const RDES0_FL_MASK = 0x3fff;
export const ETH_FCS_BYTES = 4;

/** Ring sizes and the receive buffer size of the Linux driver. */
export const TX_RING_SIZE = 32;
export const RX_RING_SIZE = 128;
export const PKT_BUF_SZ = 1536;

/** IRQ and vector the guest routes the NIC's INTA# to (illustrative, as VECTOR_IDE is). */
export const TULIP_IRQ = 11;
export const VECTOR_TULIP = 0x3b;
