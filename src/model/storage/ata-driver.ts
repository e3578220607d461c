/**
 * The guest's ATA driver for an emulated IDE disk (ataport/atapi on
 * Windows; the register sequences are libata's, reference §3.1–3.2, which
 * a Windows guest matches in count, E). The driver only executes port I/O
 * (`in`/`out` and `rep ins`/`rep outs`): each access is a VM exit, and the
 * hypervisor routes it through its intercept table to the IDE emulator the
 * VM's worker process registered (ide-worker.ts, partition/worker-process.ts).
 * PIO: READ or
 * WRITE SECTORS, one DRQ block of one sector per interrupt, string I/O
 * trapping once per `rep insw`/`rep outsw` or once per word. DMA: READ or
 * WRITE DMA with a PRD table, one interrupt. One command at a time per
 * channel.
 *
 * Addressing as libata's `ata_build_rw_tf` chooses it: a transfer whose end
 * lies below 2^28 and that moves at most 256 sectors uses the 28-bit
 * commands; any other uses the 48-bit EXT commands (READ/WRITE SECTORS
 * EXT, READ/WRITE DMA EXT), whose task file `ata_sff_tf_load` loads with
 * five extra writes: the high-order bytes of feature, count and the three
 * LBA registers, before the low ones (reference §3.1: "+5 writes if LBA48").
 * A transfer longer than one EXT command can carry (65,535 sectors,
 * libata's ATA_MAX_SECTORS_LBA48) is split into several commands, as the
 * block layer splits at the device's max_sectors.
 */
import { Resource, type ProcessBody } from '../../engine/index.js';
import type { CostTable } from '../costs.js';
import type { Hypervisor } from '../hypervisor/hypervisor.js';
import { VECTOR_IDE } from '../hypervisor/hypervisor.js';
import type { InterruptLine } from '../partition/interrupt-line.js';
import type { Place } from '../topology.js';
import type { Strand, Tracer } from '../tracer.js';
import {
  ATA_ALTSTATUS,
  ATA_DATA,
  ATA_DEVICE,
  ATA_FEATURE,
  ATA_LBAH,
  ATA_LBAL,
  ATA_LBAM,
  ATA_NSECT,
  ATA_STATUS_COMMAND,
  BM_CMD_START,
  BM_CMD_WRITE_TO_MEMORY,
  BM_COMMAND,
  BM_PRD,
  BM_STATUS,
  channelPort,
  type IdeChannelPorts,
  BM_ST_INTR,
  ataCommand,
  lba28Ok,
  MULTIPLE_SECTORS,
  type AtaMode,
  SECTOR_BYTES,
  ST_DRQ,
  WORDS_PER_SECTOR,
  registerName,
} from './ide-protocol.js';

/** A request at the driver. */
export interface AtaRequest {
  op: 'read' | 'write';
  lba: number;
  sectors: number;
}

/** Guest physical address of the PRD table (illustrative). */
const PRD_TABLE_GPA = 0x0010_0000;
/** Sectors one command moves at most: libata's ATA_MAX_SECTORS_LBA48 (65,535, so the count is never 0000h). */
const MAX_SECTORS_PER_COMMAND = 65_535;
/** Bounds the DRQ poll so a device bug cannot spin forever. */
const STATUS_POLL_LIMIT = 1000;

export class AtaDriver {
  private readonly channel = new Resource(1, 'ide channel');

  constructor(
    readonly vmId: string,
    readonly place: Place,
    /** The channel the disk sits on (its ports) and its IRQ line. */
    private readonly ports: IdeChannelPorts,
    private readonly irq: InterruptLine,
    private readonly hv: Hypervisor,
    private readonly costs: CostTable,
    private readonly tracer: Tracer,
    private readonly stringIo: 'per-instruction' | 'per-element',
  ) {}

  /** Issues one request in `mode` and returns when its last interrupt has been handled. */
  *request(s: Strand, req: AtaRequest, mode: AtaMode): ProcessBody<void> {
    yield this.channel;
    yield this.tracer.emit(s, 'stack.layer.passed', this.place, this.costs.stack_port_miniport, 'guest', { layer: 'ataport', direction: 'down' });
    for (let done = 0; done < req.sectors; ) {
      const sectors = Math.min(req.sectors - done, MAX_SECTORS_PER_COMMAND);
      const part: AtaRequest = { op: req.op, lba: req.lba + done, sectors };
      if (mode === 'dma') yield* this.dma(s, part);
      else yield* this.pio(s, part, mode);
      done += sectors;
    }
    this.channel.release();
  }

  /**
   * One port instruction on the primary-channel register `register` (moved
   * to this disk's channel): `inb`/`outb`, `outl` for the PRD pointer, or a
   * string instruction moving `string.count` elements of `string.size`
   * bytes. The hypervisor takes the exit and routes it.
   */
  private *io(s: Strand, register: number, access: 'read' | 'write', value = 0, string?: { count: number; size: 2 | 4 }): ProcessBody<number> {
    const port = channelPort(this.ports, register);
    const name = registerName(register, access);
    const fields = access === 'write' ? { port, register: name, access, value } : { port, register: name, access };
    yield this.tracer.emit(s, 'ide.register.accessed', this.place, 0, 'guest', string === undefined ? fields : { ...fields, words: (string.count * string.size) / 2 });
    const size = string?.size ?? (register === BM_PRD ? 4 : 1);
    return yield* this.hv.portIo(s, this.vmId, { address: port, access, value, size, count: string?.count ?? 1 });
  }

  /**
   * Select the device and load the task file: 4 + 7 accesses, or 4 + 12
   * with the high-order bytes of a 48-bit command (§3.1). Returns whether
   * the command must be a 48-bit one.
   */
  private *issueTaskFile(s: Strand, req: AtaRequest): ProcessBody<boolean> {
    const lba48 = !lba28Ok(req.lba, req.sectors);
    // 28-bit: LBA bits 24-27 ride in the device register; 48-bit: the device register holds only the LBA bit.
    const device = 0xe0 | (lba48 ? 0 : Math.floor(req.lba / 2 ** 24) & 0x0f);
    yield* this.io(s, ATA_STATUS_COMMAND, 'read');
    yield* this.io(s, ATA_DEVICE, 'write', device);
    yield* this.io(s, ATA_ALTSTATUS, 'read');
    yield* this.io(s, ATA_STATUS_COMMAND, 'read');
    if (lba48) {
      const high = Math.floor(req.lba / 2 ** 24); // LBA bits 24-47
      yield* this.io(s, ATA_FEATURE, 'write', 0);
      yield* this.io(s, ATA_NSECT, 'write', (req.sectors >>> 8) & 0xff);
      yield* this.io(s, ATA_LBAL, 'write', high & 0xff);
      yield* this.io(s, ATA_LBAM, 'write', (high >>> 8) & 0xff);
      yield* this.io(s, ATA_LBAH, 'write', (high >>> 16) & 0xff);
    }
    yield* this.io(s, ATA_FEATURE, 'write', 0);
    yield* this.io(s, ATA_NSECT, 'write', req.sectors & 0xff);
    yield* this.io(s, ATA_LBAL, 'write', req.lba & 0xff);
    yield* this.io(s, ATA_LBAM, 'write', (req.lba >>> 8) & 0xff);
    yield* this.io(s, ATA_LBAH, 'write', (req.lba >>> 16) & 0xff);
    yield* this.io(s, ATA_DEVICE, 'write', device);
    yield* this.io(s, ATA_STATUS_COMMAND, 'read');
    return lba48;
  }

  /**
   * One DRQ block of `sectors` through the data port, in string I/O of
   * `elementWords` 16-bit words per element (1: `rep insw/outsw`, libata's
   * `ata_sff_data_xfer`; 2: `rep insl/outsl`, `ata_sff_data_xfer32`): one trap
   * per `rep` instruction, or one per element.
   */
  private *data(s: Strand, access: 'read' | 'write', sectors: number, elementWords: 1 | 2): ProcessBody<void> {
    const words = sectors * WORDS_PER_SECTOR;
    const size = elementWords === 2 ? 4 : 2;
    if (this.stringIo === 'per-instruction') {
      yield* this.io(s, ATA_DATA, access, 0, { count: words / elementWords, size });
      return;
    }
    for (let w = 0; w < words; w += elementWords) yield* this.io(s, ATA_DATA, access, 0, { count: 1, size });
  }

  /** Waits for IRQ 14, then enters the interrupt handler. */
  private *awaitInterrupt(s: Strand): ProcessBody<void> {
    const cause: number = yield this.irq;
    s.cause = cause;
    yield this.tracer.emit(s, 'guest.interrupt.handled', this.place, 0, 'guest', { vector: VECTOR_IDE });
  }

  /** The ISR's status reads and bus-master interrupt clear: 4 accesses (§3.2). */
  private *interruptStatus(s: Strand): ProcessBody<void> {
    yield* this.io(s, ATA_ALTSTATUS, 'read');
    yield* this.io(s, ATA_STATUS_COMMAND, 'read');
    const bm = yield* this.io(s, BM_STATUS, 'read');
    yield* this.io(s, BM_STATUS, 'write', bm | BM_ST_INTR);
  }

  /**
   * PIO: 13 issue accesses (18 for EXT), then one DRQ block and one
   * interrupt per block (§3.2, §9.1). READ/WRITE SECTORS moves one sector per
   * block in 16-bit string I/O; READ/WRITE MULTIPLE (`pio-multiple`) moves up
   * to the multi count (16) per block in 32-bit string I/O, as libata does
   * when the device has a multi count and the port does 32-bit PIO, still
   * one string instruction per sector: libata's ata_pio_sectors calls
   * ata_pio_sector once per sector of the block (§3.2: "the data is still
   * 20 rep outsw"), so a 10 KiB WRITE MULTIPLE has 20 data intercepts when
   * string I/O is batched (it had 2), and 2,560 elements when it is not.
   * A write's first block goes from the PIO task by polling (HSM_ST_FIRST);
   * each later block from the interrupt handler.
   */
  private *pio(s: Strand, req: AtaRequest, mode: 'pio' | 'pio-multiple'): ProcessBody<void> {
    const block = mode === 'pio-multiple' ? MULTIPLE_SECTORS : 1;
    const element = mode === 'pio-multiple' ? 2 : 1;
    const blocks = Math.ceil(req.sectors / block);
    const sectorsIn = (k: number): number => Math.min(block, req.sectors - k * block);
    const lba48 = yield* this.issueTaskFile(s, req);
    yield* this.io(s, ATA_STATUS_COMMAND, 'write', ataCommand(mode, req.op, lba48));
    yield* this.io(s, ATA_ALTSTATUS, 'read');
    if (req.op === 'write') {
      // First block from the PIO task: poll for DRQ, send, flush.
      let polls = 0;
      while (((yield* this.io(s, ATA_STATUS_COMMAND, 'read')) & ST_DRQ) === 0) {
        if (++polls > STATUS_POLL_LIMIT) throw new Error(`${this.vmId}: DRQ never set`);
      }
      for (let j = sectorsIn(0); j > 0; j--) yield* this.data(s, 'write', 1, element);
      yield* this.io(s, ATA_ALTSTATUS, 'read');
    }
    for (let k = 0; k < blocks; k++) {
      yield* this.awaitInterrupt(s);
      yield* this.interruptStatus(s);
      // A read takes block k now; a write sends block k + 1, if there is one.
      const next = req.op === 'write' ? k + 1 : k;
      if (next < blocks) {
        for (let j = sectorsIn(next); j > 0; j--) yield* this.data(s, req.op, 1, element);
        yield* this.io(s, ATA_ALTSTATUS, 'read');
      }
      yield* this.hv.eoi(s, this.place, 'edge'); // IRQ 14, an ISA interrupt: edge-triggered
    }
  }

  /** DMA: 18 issue accesses (23 for EXT), one interrupt, 8 completion accesses (§3.1, §9.2). */
  private *dma(s: Strand, req: AtaRequest): ProcessBody<void> {
    const toMemory = req.op === 'read';
    const lba48 = yield* this.issueTaskFile(s, req);
    yield* this.io(s, BM_PRD, 'write', PRD_TABLE_GPA);
    const cmd = yield* this.io(s, BM_COMMAND, 'read');
    const dir = toMemory ? cmd | BM_CMD_WRITE_TO_MEMORY : cmd & ~BM_CMD_WRITE_TO_MEMORY;
    yield* this.io(s, BM_COMMAND, 'write', dir);
    yield* this.io(s, ATA_STATUS_COMMAND, 'write', ataCommand('dma', req.op, lba48));
    yield* this.io(s, ATA_ALTSTATUS, 'read');
    const before = yield* this.io(s, BM_COMMAND, 'read');
    yield* this.io(s, BM_COMMAND, 'write', before | BM_CMD_START);
    yield* this.awaitInterrupt(s);
    yield* this.io(s, BM_STATUS, 'read');
    const running = yield* this.io(s, BM_COMMAND, 'read');
    yield* this.io(s, BM_COMMAND, 'write', running & ~BM_CMD_START);
    yield* this.io(s, ATA_ALTSTATUS, 'read');
    yield* this.interruptStatus(s);
    yield* this.hv.eoi(s, this.place, 'edge'); // IRQ 14, an ISA interrupt: edge-triggered
  }
}

/** Sectors in `bytes`. */
export function sectorsOf(bytes: number): number {
  return Math.ceil(bytes / SECTOR_BYTES);
}
