/**
 * The IDE/ATA device emulator that runs in the VM's worker process
 * (vmwp.exe, root user mode): task-file registers with their high-order
 * bytes, status/alt-status, the bus-master registers and PRD table. It is a
 * register-level state machine (QEMU hw/ide/core.c's shape, reference §3):
 * port reads return the register's value; port writes may start a
 * command, hand over a DRQ block of PIO data, or start bus-master DMA; a
 * data-port read that empties the sector buffer asks for the next sector.
 * When the device needs the back end, the access returns an `IdeAction`
 * the worker process carries out; when that I/O completes, `hostIoDone`
 * updates the status and asks for IRQ 14.
 *
 * 48-bit addressing (ATA-8 ACS; QEMU `ide_ioport_write` and
 * `ide_get_sector`): each write of feature, sector count or an LBA
 * register first moves the register's old value into its "high-order
 * byte" (HOB) copy, so a driver loads a 48-bit task file by writing each
 * register twice, high byte first. The EXT commands read the LBA from all
 * six bytes and the count from two (0 means 65,536); the 28-bit commands
 * take LBA bits 24-27 from the device register (0 means 256 sectors).
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
  LBA28_MAX_SECTORS,
  LBA48_MAX_SECTORS,
  MULTIPLE_SECTORS,
  PRD_ENTRY_MAX_BYTES,
  SECTOR_BYTES,
  commandInfo,
  ST_BSY,
  ST_DRDY,
  ST_DRQ,
  WORDS_PER_SECTOR,
} from './ide-protocol.js';

/** What the worker must do after a register access. */
export type IdeAction =
  /** Nothing beyond the register update. */
  | { kind: 'none' }
  /** A command was decoded (the worker charges the decode cost); a PIO read also starts fetching its first sector (`io`). */
  | { kind: 'command'; command: number; sectors: number; lba: number; io?: IdeHostIo }
  /** Issue a back-end I/O. */
  | IdeHostIo;

/** A back-end I/O the device asks for; `sector` is the index of the first sector within the command. */
export interface IdeHostIo {
  kind: 'host-io';
  op: 'read' | 'write';
  lba: number;
  bytes: number;
  sector: number;
  dma: boolean;
  prdEntries: number;
}

/** The emulator's registers, as the inspector shows them. */
export interface IdeRegisters {
  feature: number;
  sectorCount: number;
  lbaLow: number;
  lbaMid: number;
  lbaHigh: number;
  /** The high-order bytes: each register's previous value (48-bit commands). */
  hobFeature: number;
  hobSectorCount: number;
  hobLbaLow: number;
  hobLbaMid: number;
  hobLbaHigh: number;
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
    hobFeature: 0,
    hobSectorCount: 0,
    hobLbaLow: 0,
    hobLbaMid: 0,
    hobLbaHigh: 0,
    device: 0xe0,
    status: ST_DRDY,
    command: 0,
    bmCommand: 0,
    bmStatus: 0,
    bmPrd: 0,
  };
  /** The current command: PIO (one sector or several per DRQ block) or DMA, read or write (null when none or not implemented). */
  private mode: 'pio' | 'dma' | null = null;
  /** Sectors per DRQ block of the current PIO command: 1, or the multi count for READ/WRITE MULTIPLE. */
  private blockSectors = 1;
  private op: 'read' | 'write' = 'read';
  /** Sectors of the current command, the index of the next one, and words of it received or sent. */
  private sectors = 0;
  private sectorIndex = 0;
  private words = 0;
  private lba = 0;
  private irqPending = false;
  /** What the last read asks of the worker (a data read that emptied the buffer fetches the next sector). */
  private readAction: IdeAction = NONE;

  /** A guest port read; returns the value the guest sees. Then `takeReadAction` says what the worker must do. */
  read(port: number, words = 1): number {
    const r = this.regs;
    this.readAction = NONE;
    switch (port) {
      case ATA_STATUS_COMMAND:
        this.irqPending = false; // reading status clears INTRQ
        return r.status;
      case ATA_ALTSTATUS:
        return r.status;
      case ATA_DATA:
        this.readAction = this.moveWords(words);
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

  /** What the last `read` asks the worker to do (once; then `none`). */
  takeReadAction(): IdeAction {
    const action = this.readAction;
    this.readAction = NONE;
    return action;
  }

  /** A guest port write; returns what the worker must do next. */
  write(port: number, value: number, words = 1): IdeAction {
    const r = this.regs;
    switch (port) {
      case ATA_FEATURE:
        r.hobFeature = r.feature;
        r.feature = value & 0xff;
        return NONE;
      case ATA_NSECT:
        r.hobSectorCount = r.sectorCount;
        r.sectorCount = value & 0xff;
        return NONE;
      case ATA_LBAL:
        r.hobLbaLow = r.lbaLow;
        r.lbaLow = value & 0xff;
        return NONE;
      case ATA_LBAM:
        r.hobLbaMid = r.lbaMid;
        r.lbaMid = value & 0xff;
        return NONE;
      case ATA_LBAH:
        r.hobLbaHigh = r.lbaHigh;
        r.lbaHigh = value & 0xff;
        return NONE;
      case ATA_DEVICE:
        r.device = value & 0xff;
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
        return this.moveWords(words);
      default:
        return NONE;
    }
  }

  /** The back-end I/O the device asked for completed: update status, raise IRQ 14. */
  hostIoDone(): void {
    const r = this.regs;
    if (this.mode === 'dma') {
      r.bmStatus = (r.bmStatus & ~BM_ST_ACTIVE) | BM_ST_INTR;
      r.status = ST_DRDY;
      this.sectorIndex = this.sectors;
    } else if (this.mode === 'pio' && this.op === 'write') {
      this.sectorIndex += this.currentBlock();
      // Ready for the next DRQ block, or done (QEMU ide_sector_write).
      r.status = this.sectorIndex < this.sectors ? ST_DRDY | ST_DRQ : ST_DRDY;
      r.bmStatus |= BM_ST_INTR;
    } else if (this.mode === 'pio') {
      r.status = ST_DRDY | ST_DRQ; // a sector is in the buffer for the guest to read (QEMU ide_sector_read_cb)
      r.bmStatus |= BM_ST_INTR;
    }
    this.irqPending = true;
  }

  /** True while the device asserts INTRQ. */
  get interruptPending(): boolean {
    return this.irqPending;
  }

  /** The LBA and sector count the current task file addresses, in the command's addressing form. */
  private decodeTaskFile(lba48: boolean): void {
    const r = this.regs;
    if (lba48) {
      const count = r.sectorCount | (r.hobSectorCount << 8);
      this.sectors = count === 0 ? LBA48_MAX_SECTORS : count;
      const low = r.lbaLow | (r.lbaMid << 8) | (r.lbaHigh << 16);
      const high = r.hobLbaLow | (r.hobLbaMid << 8) | (r.hobLbaHigh << 16);
      this.lba = high * 2 ** 24 + low; // 48 bits: beyond 32-bit shifts, exact in a double
    } else {
      this.sectors = r.sectorCount === 0 ? LBA28_MAX_SECTORS : r.sectorCount;
      this.lba = (r.lbaLow | (r.lbaMid << 8) | (r.lbaHigh << 16) | ((r.device & 0x0f) << 24)) >>> 0;
    }
  }

  private startCommand(command: number): IdeAction {
    const r = this.regs;
    r.command = command;
    const info = commandInfo(command);
    this.sectorIndex = 0;
    this.words = 0;
    if (info === null) {
      this.mode = null;
      r.status = ST_DRDY;
      return { kind: 'command', command, sectors: 0, lba: 0 };
    }
    this.mode = info.mode === 'dma' ? 'dma' : 'pio';
    this.blockSectors = info.mode === 'pio-multiple' ? MULTIPLE_SECTORS : 1;
    this.op = info.op;
    this.decodeTaskFile(info.lba48);
    if (info.mode === 'dma') {
      r.status = ST_DRDY; // waits for the bus-master start bit
    } else if (info.op === 'write') {
      r.status = ST_DRDY | ST_DRQ; // the buffer is free: the guest may send the first block
    } else {
      r.status = ST_BSY; // fetching the first sector
      return { kind: 'command', command, sectors: this.sectors, lba: this.lba, io: this.sectorIo('read') };
    }
    return { kind: 'command', command, sectors: this.sectors, lba: this.lba };
  }

  /** Sectors in the current DRQ block: a whole block, or what is left of the command. */
  private currentBlock(): number {
    return Math.min(this.blockSectors, this.sectors - this.sectorIndex);
  }

  /** The host I/O for the current PIO DRQ block (QEMU moves a whole block per host I/O: ide_sector_read/ide_sector_write). */
  private sectorIo(op: 'read' | 'write'): IdeHostIo {
    return { kind: 'host-io', op, lba: this.lba + this.sectorIndex, bytes: this.currentBlock() * SECTOR_BYTES, sector: this.sectorIndex, dma: false, prdEntries: 0 };
  }

  private writeBmCommand(value: number): IdeAction {
    const r = this.regs;
    const starting = (value & BM_CMD_START) !== 0 && (r.bmCommand & BM_CMD_START) === 0;
    r.bmCommand = value;
    if (!starting) {
      if ((value & BM_CMD_START) === 0) r.bmStatus &= ~BM_ST_ACTIVE;
      return NONE;
    }
    if (this.mode !== 'dma') return NONE;
    r.bmStatus |= BM_ST_ACTIVE;
    r.status = ST_BSY;
    const bytes = this.sectors * SECTOR_BYTES;
    return { kind: 'host-io', op: this.op, lba: this.lba, bytes, sector: 0, dma: true, prdEntries: Math.max(1, Math.ceil(bytes / PRD_ENTRY_MAX_BYTES)) };
  }

  /** PIO data words moved through the data register (in either direction). */
  private moveWords(words: number): IdeAction {
    const r = this.regs;
    if ((r.status & ST_DRQ) === 0 || this.mode !== 'pio') return NONE;
    this.words += words;
    if (this.words < WORDS_PER_SECTOR * this.currentBlock()) return NONE;
    this.words = 0;
    if (this.op === 'write') {
      r.status = ST_BSY; // writing the block to the back end
      return this.sectorIo('write');
    }
    // The guest emptied the buffer: fetch the next block, or the command is done (no interrupt).
    this.sectorIndex += this.currentBlock();
    if (this.sectorIndex < this.sectors) {
      r.status = ST_BSY;
      return this.sectorIo('read');
    }
    r.status = ST_DRDY;
    return NONE;
  }
}

const NONE: IdeAction = { kind: 'none' };
