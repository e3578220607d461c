/**
 * The IDE/ATA device emulator that runs in the VM's worker process
 * (vmwp.exe, root user mode): task-file registers, status/alt-status, the
 * bus-master registers and PRD table. It is a register-level state machine
 * (QEMU hw/ide/core.c's shape, reference §3): port reads return the
 * register's value; port writes may start a command, hand over a DRQ block
 * of PIO data, or start bus-master DMA. When the device needs the back end,
 * it returns an `IdeAction` the worker process carries out; when that I/O
 * completes, `hostIoDone` updates the status and asks for IRQ 14.
 */
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
  BM_COMMAND,
  BM_PRD,
  BM_STATUS,
  BM_ST_ACTIVE,
  BM_ST_INTR,
  CMD_READ_DMA,
  CMD_READ_SECTORS,
  CMD_WRITE_DMA,
  CMD_WRITE_SECTORS,
  SECTOR_BYTES,
  ST_BSY,
  ST_DRDY,
  ST_DRQ,
  WORDS_PER_SECTOR,
} from './ide-protocol.js';

/** What the worker must do after a register access. */
export type IdeAction =
  /** Nothing beyond the register update. */
  | { kind: 'none' }
  /** A command was decoded (the worker charges the decode cost). */
  | { kind: 'command'; command: number; sectors: number; lba: number }
  /** Issue a back-end I/O; `sector` is the index of the first sector within the command. */
  | { kind: 'host-io'; op: 'read' | 'write'; lba: number; bytes: number; sector: number; dma: boolean; prdEntries: number };

/** The emulator's registers, as the inspector shows them. */
export interface IdeRegisters {
  feature: number;
  sectorCount: number;
  lbaLow: number;
  lbaMid: number;
  lbaHigh: number;
  device: number;
  status: number;
  command: number;
  bmCommand: number;
  bmStatus: number;
  bmPrd: number;
}

export class IdeEmulator {
  readonly regs: IdeRegisters = {
    feature: 0,
    sectorCount: 0,
    lbaLow: 0,
    lbaMid: 0,
    lbaHigh: 0,
    device: 0xe0,
    status: ST_DRDY,
    command: 0,
    bmCommand: 0,
    bmStatus: 0,
    bmPrd: 0,
  };
  /** Sectors of the current command, the index of the next one, and words of it received or sent. */
  private sectors = 0;
  private sectorIndex = 0;
  private words = 0;
  private lba = 0;
  private irqPending = false;

  /** A guest port read; returns the value the guest sees. */
  read(port: number, words = 1): number {
    const r = this.regs;
    switch (port) {
      case ATA_STATUS_COMMAND:
        this.irqPending = false; // reading status clears INTRQ
        return r.status;
      case ATA_ALTSTATUS:
        return r.status;
      case ATA_DATA:
        this.takeWords(words);
        return 0;
      case BM_STATUS:
        return r.bmStatus;
      case BM_COMMAND:
        return r.bmCommand;
      case ATA_FEATURE:
        return 0; // error register: no error
      default:
        return 0;
    }
  }

  /** A guest port write; returns what the worker must do next. */
  write(port: number, value: number, words = 1): IdeAction {
    const r = this.regs;
    switch (port) {
      case ATA_FEATURE:
        r.feature = value;
        return NONE;
      case ATA_NSECT:
        r.sectorCount = value;
        return NONE;
      case ATA_LBAL:
        r.lbaLow = value;
        return NONE;
      case ATA_LBAM:
        r.lbaMid = value;
        return NONE;
      case ATA_LBAH:
        r.lbaHigh = value;
        return NONE;
      case ATA_DEVICE:
        r.device = value;
        return NONE;
      case ATA_ALTSTATUS:
        return NONE; // device control: nIEN/SRST unchanged in these sequences
      case BM_PRD:
        r.bmPrd = value;
        return NONE;
      case BM_STATUS:
        r.bmStatus &= ~(value & BM_ST_INTR); // write 1 to clear INTR
        return NONE;
      case BM_COMMAND:
        return this.writeBmCommand(value);
      case ATA_STATUS_COMMAND:
        return this.startCommand(value);
      case ATA_DATA:
        return this.takeWords(words);
      default:
        return NONE;
    }
  }

  /** The back-end I/O for sectors [sector, sector + n) completed: update status, raise IRQ 14. */
  hostIoDone(): void {
    const r = this.regs;
    const command = r.command;
    if (command === CMD_WRITE_DMA || command === CMD_READ_DMA) {
      r.bmStatus = (r.bmStatus & ~BM_ST_ACTIVE) | BM_ST_INTR;
      r.status = ST_DRDY;
      this.sectorIndex = this.sectors;
    } else if (command === CMD_WRITE_SECTORS) {
      this.sectorIndex++;
      // Ready for the next DRQ block, or done.
      r.status = this.sectorIndex < this.sectors ? ST_DRDY | ST_DRQ : ST_DRDY;
      r.bmStatus |= BM_ST_INTR;
    } else if (command === CMD_READ_SECTORS) {
      r.status = ST_DRDY | ST_DRQ; // a sector is in the buffer for the guest to read
      r.bmStatus |= BM_ST_INTR;
    }
    this.irqPending = true;
  }

  /** True while the device asserts INTRQ. */
  get interruptPending(): boolean {
    return this.irqPending;
  }

  private startCommand(command: number): IdeAction {
    const r = this.regs;
    r.command = command;
    this.sectors = r.sectorCount === 0 ? 256 : r.sectorCount;
    this.sectorIndex = 0;
    this.words = 0;
    this.lba = r.lbaLow | (r.lbaMid << 8) | (r.lbaHigh << 16) | ((r.device & 0x0f) << 24);
    switch (command) {
      case CMD_WRITE_SECTORS:
        r.status = ST_DRDY | ST_DRQ; // the buffer is free: the guest may send the first block
        break;
      case CMD_READ_SECTORS:
        r.status = ST_BSY; // fetching the first sector
        return { kind: 'host-io', op: 'read', lba: this.lba, bytes: SECTOR_BYTES, sector: 0, dma: false, prdEntries: 0 };
      case CMD_WRITE_DMA:
      case CMD_READ_DMA:
        r.status = ST_DRDY; // waits for the bus-master start bit
        break;
      default:
        r.status = ST_DRDY;
    }
    return { kind: 'command', command, sectors: this.sectors, lba: this.lba };
  }

  private writeBmCommand(value: number): IdeAction {
    const r = this.regs;
    const starting = (value & BM_CMD_START) !== 0 && (r.bmCommand & BM_CMD_START) === 0;
    r.bmCommand = value;
    if (!starting) {
      if ((value & BM_CMD_START) === 0) r.bmStatus &= ~BM_ST_ACTIVE;
      return NONE;
    }
    if (r.command !== CMD_WRITE_DMA && r.command !== CMD_READ_DMA) return NONE;
    r.bmStatus |= BM_ST_ACTIVE;
    r.status = ST_BSY;
    const bytes = this.sectors * SECTOR_BYTES;
    return {
      kind: 'host-io',
      op: r.command === CMD_WRITE_DMA ? 'write' : 'read',
      lba: this.lba,
      bytes,
      sector: 0,
      dma: true,
      prdEntries: Math.max(1, Math.ceil(bytes / 65536)),
    };
  }

  /** PIO data words moved through the data register. */
  private takeWords(words: number): IdeAction {
    const r = this.regs;
    if ((r.status & ST_DRQ) === 0) return NONE;
    this.words += words;
    if (this.words < WORDS_PER_SECTOR) return NONE;
    this.words = 0;
    if (r.command === CMD_WRITE_SECTORS) {
      r.status = ST_BSY; // writing the block to the back end
      return { kind: 'host-io', op: 'write', lba: this.lba + this.sectorIndex, bytes: SECTOR_BYTES, sector: this.sectorIndex, dma: false, prdEntries: 0 };
    }
    if (r.command === CMD_READ_SECTORS) {
      this.sectorIndex++;
      if (this.sectorIndex < this.sectors) {
        r.status = ST_BSY;
        return { kind: 'host-io', op: 'read', lba: this.lba + this.sectorIndex, bytes: SECTOR_BYTES, sector: this.sectorIndex, dma: false, prdEntries: 0 };
      }
      r.status = ST_DRDY;
    }
    return NONE;
  }
}

const NONE: IdeAction = { kind: 'none' };
