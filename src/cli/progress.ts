/**
 * A progress bar on standard error for long commands (`hvsim sweep`,
 * `hvsim run --replications`): one line redrawn in place, shown only when
 * standard error is a terminal and the CI variable is unset, so piped or
 * logged output never holds carriage returns. It is cleared when done.
 */

/** A stream the bar may draw on: a terminal says so with `isTTY`. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Draws the bar; `done` clears it. */
export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

const NONE: Progress = { update: () => {}, done: () => {} };

/** Whether to draw on `stream`: a terminal, and not a CI job (CI set to anything but '' or 'false'). */
export function wantsProgress(stream: ProgressStream, env: Record<string, string | undefined>): boolean {
  const ci = env['CI'];
  return stream.isTTY === true && (ci === undefined || ci === '' || ci === 'false' || ci === '0');
}

/** The bar's text for `done` of `total` `what`: `[########--------]  3/7 points`. */
export function progressLine(done: number, total: number, what: string, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total} ${what}`;
}

/**
 * A bar on `stream` when it is a terminal (see `wantsProgress`), else one
 * that draws nothing.
 * @example const bar = progressBar(process.stderr, process.env, 'points'); bar.update(3, 7); bar.done();
 */
export function progressBar(stream: ProgressStream, env: Record<string, string | undefined>, what: string): Progress {
  if (!wantsProgress(stream, env)) return NONE;
  let drawn = false;
  return {
    update(done, total) {
      stream.write(`\r${progressLine(done, total, what)}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
