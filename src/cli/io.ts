/**
 * What the CLI writes to, and its exit codes. `main` and every command take
 * a `CliIo`, so tests drive them in-process with string buffers.
 */

/** Where the CLI writes. */
export interface CliIo {
  out: { write(text: string): unknown };
  /** Standard error; `isTTY` when it is a terminal (a progress bar is drawn only there). */
  err: { write(text: string): unknown; isTTY?: boolean };
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

/** A stream the CLI may be handed (`process.stdout`): it reports write failures as 'error' events. */
interface EventfulWriter {
  write(text: string): unknown;
  on?(event: 'error', listener: (error: Error & { code?: string }) => void): unknown;
}

/** Error codes that mean the reader went away (`hvsim list | head -1`): not a failure of ours. */
const READER_GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ECONNRESET']);

/** Whether `error` (thrown by a write, or a stream's 'error' event) means the reader went away: the CLI then ends quietly. */
export function isReaderGone(error: unknown): boolean {
  return error instanceof Error && READER_GONE.has((error as Error & { code?: string }).code ?? '');
}

/**
 * `io` with its streams watched: when the reader of stdout or stderr closes
 * early (`| head -1`), later writes are dropped and nothing is printed (no
 * "Unhandled 'error' event" stack trace); any other write failure is
 * reported once on the other stream and makes `failed()` true. Writers
 * without events (test buffers) pass through unchanged.
 */
export function watchedIo(io: CliIo): CliIo & { failed(): boolean } {
  let failed = false;
  const wrap = (stream: EventfulWriter, name: string, other: () => { write(text: string): unknown }): { write(text: string): unknown; closed: boolean; isTTY?: boolean } => {
    const watched = {
      closed: false,
      write: (text: string): unknown => (watched.closed ? false : stream.write(text)),
      ...((stream as { isTTY?: boolean }).isTTY === true ? { isTTY: true } : {}),
    };
    stream.on?.('error', (error) => {
      if (watched.closed) return;
      watched.closed = true;
      if (isReaderGone(error)) return;
      failed = true;
      other().write(`hvsim: cannot write to ${name}: ${error.message}\n`);
    });
    return watched;
  };
  const out = wrap(io.out as EventfulWriter, 'standard output', () => err);
  const err = wrap(io.err as EventfulWriter, 'standard error', () => out);
  return { out, err, failed: () => failed };
}

/** Whether `io` writes to real streams (whose write errors arrive as later events). */
export function hasStreams(io: CliIo): boolean {
  return typeof (io.out as EventfulWriter).on === 'function' || typeof (io.err as EventfulWriter).on === 'function';
}
