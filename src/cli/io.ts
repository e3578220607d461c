/**
 * What the CLI writes to, and its exit codes. `main` and every command take
 * a `CliIo`, so tests drive them in-process with string buffers.
 */

/** Where the CLI writes. */
export interface CliIo {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
}

/** Exit codes: 0 success, 1 a run failed or hit its limits, 2 bad input (usage, scenario). */
export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** Writes `hvsim: message` to stderr and returns `code`. */
export function complain(io: CliIo, message: string, code = EXIT_BAD_INPUT): number {
  io.err.write(`hvsim: ${message}\n`);
  return code;
}
