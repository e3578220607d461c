/** Disk sizes as a scenario gives them, for the checks (`references.ts`) and the build (`build.ts`) alike; no zod. */

/** Sectors per GiB. */
export const SECTORS_PER_GIB = 2_097_152;

/** Hyper-V's default size for a new VHD (127 GB; here GiB). */
export const DEFAULT_VHD_GIB = 127;

/** A VM disk's virtual size in GiB: its VHD's, or for passthrough none (use the host disk). */
export function vhdGiB(backend: { kind: string; sizeGiB?: number | undefined }): number {
  return backend.sizeGiB ?? DEFAULT_VHD_GIB;
}

/** The number of 512-byte sectors of a host disk of `sizeGiB`. */
export function sectorsOfGiB(sizeGiB: number): number {
  return Math.floor(sizeGiB * SECTORS_PER_GIB);
}
