/**
 * ATA/IDE register map and constants for the primary channel of a PIIX-style
 * controller (reference §3: port map, status bits, commands; libata-sff and
 * QEMU hw/ide/core.c). Protocol constants only; behaviour is in
 * ide-emulator.ts (device) and ata-driver.ts (guest).
 */

export const ATA_DATA = 0x1f0;
export const ATA_FEATURE = 0x1f1;
export const ATA_NSECT = 0x1f2;
export const ATA_LBAL = 0x1f3;
export const ATA_LBAM = 0x1f4;
export const ATA_LBAH = 0x1f5;
export const ATA_DEVICE = 0x1f6;
export const ATA_STATUS_COMMAND = 0x1f7;
export const ATA_ALTSTATUS = 0x3f6;
/** Bus-master DMA block (PCI BAR4; the base is illustrative). */
export const BM_BASE = 0xc040;
export const BM_COMMAND = BM_BASE + 0;
export const BM_STATUS = BM_BASE + 2;
export const BM_PRD = BM_BASE + 4;

/**
 * One IDE channel's port blocks as a PIIX-style controller decodes them in
 * compatibility mode: the command block (8 ports), the control block (the
 * alternate status / device control port) and the channel's 8 bytes of the
 * bus-master block (BAR4: primary at +0, secondary at +8). The register
 * constants above are the primary channel's; `channelPort` moves them.
 * OpenVMM's IDE claims the same ranges (vm/devices/storage/ide/src/lib.rs
 * `get_static_regions`: 1F0h–1F7h, 3F6h, 170h–177h, 376h, and a 16-byte
 * "ide bus master" region).
 */
export interface IdeChannelPorts {
  name: 'primary' | 'secondary';
  command: number;
  control: number;
  busMaster: number;
}

export const IDE_CHANNELS: readonly IdeChannelPorts[] = [
  { name: 'primary', command: 0x1f0, control: 0x3f6, busMaster: BM_BASE },
  { name: 'secondary', command: 0x170, control: 0x376, busMaster: BM_BASE + 8 },
];

/** The port on `channel` of the primary channel's register `port`. */
export function channelPort(channel: IdeChannelPorts, port: number): number {
  if (port === ATA_ALTSTATUS) return channel.control;
  if (port >= BM_BASE && port < BM_BASE + 8) return channel.busMaster + (port - BM_BASE);
  return channel.command + (port - ATA_DATA);
}

/** The primary channel's register for `port` on `channel` (the inverse of `channelPort`). */
export function primaryPort(channel: IdeChannelPorts, port: number): number {
  if (port === channel.control) return ATA_ALTSTATUS;
  if (port >= channel.busMaster && port < channel.busMaster + 8) return BM_BASE + (port - channel.busMaster);
  return ATA_DATA + (port - channel.command);
}

/** Status register bits. */
export const ST_BSY = 0x80;
export const ST_DRDY = 0x40;
export const ST_DRQ = 0x08;
export const ST_ERR = 0x01;
/** Bus-master status bits. */
export const BM_ST_ACTIVE = 0x01;
export const BM_ST_INTR = 0x04;
/** Bus-master command bits. */
export const BM_CMD_START = 0x01;
export const BM_CMD_WRITE_TO_MEMORY = 0x08;

/** Commands (ATA-8 ACS): the 28-bit forms and their 48-bit (EXT) forms. */
export const CMD_READ_SECTORS = 0x20;
export const CMD_READ_SECTORS_EXT = 0x24;
export const CMD_WRITE_SECTORS = 0x30;
export const CMD_WRITE_SECTORS_EXT = 0x34;
export const CMD_READ_DMA = 0xc8;
export const CMD_READ_DMA_EXT = 0x25;
export const CMD_WRITE_DMA = 0xca;
export const CMD_WRITE_DMA_EXT = 0x35;
/** READ/WRITE MULTIPLE: PIO with a DRQ block of several sectors (the count SET MULTIPLE MODE chose), one interrupt per block. */
export const CMD_READ_MULTIPLE = 0xc4;
export const CMD_READ_MULTIPLE_EXT = 0x29;
export const CMD_WRITE_MULTIPLE = 0xc5;
export const CMD_WRITE_MULTIPLE_EXT = 0x39;

/**
 * Sectors per DRQ block of READ/WRITE MULTIPLE: QEMU's IDE model offers
 * `MAX_MULT_SECTORS` = 16 (hw/ide/internal.h) and libata's
 * `ata_dev_configure` sets `dev->multi_count` to it from IDENTIFY word 47 at
 * boot, so the guest's multi count is 16 (V for QEMU; Hyper-V's emulator is
 * assumed to offer the same, E).
 */
export const MULTIPLE_SECTORS = 16;

/** Device register: the LBA bit (bits 7 and 5 are obsolete and set by convention, as libata's ATA_DEVICE_OBS). */
export const DEVICE_LBA = 0x40;
export const DEVICE_OBS = 0xa0;

/**
 * Limits of the two addressing forms (libata `lba_28_ok`/`lba_48_ok`,
 * include/linux/ata.h): a 28-bit command reaches LBAs below 2^28 and
 * moves at most 256 sectors (a count of 0 means 256); a 48-bit (EXT)
 * command reaches LBAs below 2^48 and moves at most 65,536 (0 means 65,536).
 */
export const LBA28_LIMIT = 2 ** 28;
export const LBA28_MAX_SECTORS = 256;
export const LBA48_LIMIT = 2 ** 48;
export const LBA48_MAX_SECTORS = 65_536;

/** Whether a transfer of `sectors` from `lba` fits a 28-bit command, as libata's `lba_28_ok` decides (the end, not the start, must be below 2^28). */
export function lba28Ok(lba: number, sectors: number): boolean {
  return lba + sectors < LBA28_LIMIT && sectors <= LBA28_MAX_SECTORS;
}

/** How the guest's ATA driver moves data: PIO one sector per DRQ block, PIO several (READ/WRITE MULTIPLE), or bus-master DMA. */
export type AtaMode = 'pio' | 'pio-multiple' | 'dma';

/** PIO and DMA commands, by mode, direction and addressing form. */
export function ataCommand(mode: AtaMode, op: 'read' | 'write', lba48: boolean): number {
  if (mode === 'pio') return op === 'read' ? (lba48 ? CMD_READ_SECTORS_EXT : CMD_READ_SECTORS) : lba48 ? CMD_WRITE_SECTORS_EXT : CMD_WRITE_SECTORS;
  if (mode === 'pio-multiple') return op === 'read' ? (lba48 ? CMD_READ_MULTIPLE_EXT : CMD_READ_MULTIPLE) : lba48 ? CMD_WRITE_MULTIPLE_EXT : CMD_WRITE_MULTIPLE;
  return op === 'read' ? (lba48 ? CMD_READ_DMA_EXT : CMD_READ_DMA) : lba48 ? CMD_WRITE_DMA_EXT : CMD_WRITE_DMA;
}

/** What a command does: its mode, read or write, 48-bit or not; null for a command the emulator does not implement. */
export function commandInfo(command: number): { mode: AtaMode; op: 'read' | 'write'; lba48: boolean } | null {
  switch (command) {
    case CMD_READ_MULTIPLE:
      return { mode: 'pio-multiple', op: 'read', lba48: false };
    case CMD_READ_MULTIPLE_EXT:
      return { mode: 'pio-multiple', op: 'read', lba48: true };
    case CMD_WRITE_MULTIPLE:
      return { mode: 'pio-multiple', op: 'write', lba48: false };
    case CMD_WRITE_MULTIPLE_EXT:
      return { mode: 'pio-multiple', op: 'write', lba48: true };
    case CMD_READ_SECTORS:
      return { mode: 'pio', op: 'read', lba48: false };
    case CMD_READ_SECTORS_EXT:
      return { mode: 'pio', op: 'read', lba48: true };
    case CMD_WRITE_SECTORS:
      return { mode: 'pio', op: 'write', lba48: false };
    case CMD_WRITE_SECTORS_EXT:
      return { mode: 'pio', op: 'write', lba48: true };
    case CMD_READ_DMA:
      return { mode: 'dma', op: 'read', lba48: false };
    case CMD_READ_DMA_EXT:
      return { mode: 'dma', op: 'read', lba48: true };
    case CMD_WRITE_DMA:
      return { mode: 'dma', op: 'write', lba48: false };
    case CMD_WRITE_DMA_EXT:
      return { mode: 'dma', op: 'write', lba48: true };
    default:
      return null;
  }
}

export const SECTOR_BYTES = 512;
export const WORDS_PER_SECTOR = SECTOR_BYTES / 2;
/** Largest transfer one PRD entry describes (64 KiB). */
export const PRD_ENTRY_MAX_BYTES = 65536;

/** Register names by port, for records and the inspector. */
export function registerName(port: number, access: 'read' | 'write'): string {
  switch (port) {
    case ATA_DATA:
      return 'data';
    case ATA_FEATURE:
      return access === 'read' ? 'error' : 'feature';
    case ATA_NSECT:
      return 'sector-count';
    case ATA_LBAL:
      return 'lba-low';
    case ATA_LBAM:
      return 'lba-mid';
    case ATA_LBAH:
      return 'lba-high';
    case ATA_DEVICE:
      return 'device';
    case ATA_STATUS_COMMAND:
      return access === 'read' ? 'status' : 'command';
    case ATA_ALTSTATUS:
      return access === 'read' ? 'alt-status' : 'device-control';
    case BM_COMMAND:
      return 'bm-command';
    case BM_STATUS:
      return 'bm-status';
    case BM_PRD:
      return 'bm-prd-pointer';
    default:
      return `port-0x${port.toString(16)}`;
  }
}

/** Command names. */
export function commandName(command: number): string {
  switch (command) {
    case CMD_READ_SECTORS:
      return 'READ SECTORS';
    case CMD_READ_SECTORS_EXT:
      return 'READ SECTORS EXT';
    case CMD_WRITE_SECTORS:
      return 'WRITE SECTORS';
    case CMD_WRITE_SECTORS_EXT:
      return 'WRITE SECTORS EXT';
    case CMD_READ_DMA:
      return 'READ DMA';
    case CMD_READ_DMA_EXT:
      return 'READ DMA EXT';
    case CMD_WRITE_DMA:
      return 'WRITE DMA';
    case CMD_WRITE_DMA_EXT:
      return 'WRITE DMA EXT';
    case CMD_READ_MULTIPLE:
      return 'READ MULTIPLE';
    case CMD_READ_MULTIPLE_EXT:
      return 'READ MULTIPLE EXT';
    case CMD_WRITE_MULTIPLE:
      return 'WRITE MULTIPLE';
    case CMD_WRITE_MULTIPLE_EXT:
      return 'WRITE MULTIPLE EXT';
    default:
      return `0x${command.toString(16)}`;
  }
}
