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

/** Commands (ATA-8 ACS). */
export const CMD_READ_SECTORS = 0x20;
export const CMD_WRITE_SECTORS = 0x30;
export const CMD_READ_DMA = 0xc8;
export const CMD_WRITE_DMA = 0xca;

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
    case CMD_WRITE_SECTORS:
      return 'WRITE SECTORS';
    case CMD_READ_DMA:
      return 'READ DMA';
    case CMD_WRITE_DMA:
      return 'WRITE DMA';
    default:
      return `0x${command.toString(16)}`;
  }
}
