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

/** The bar's widest, in characters between its brackets. */
const BAR_WIDTH = 30;

/**
 * The bar's text for `done` of `total` `what`: `[########--------]  3/7
 * points`, within `columns` characters less one (a line that fills the
 * terminal's last column wraps on some terminals, and `\r` then redraws
 * only the wrapped part): the bar narrows first, then goes.
 */
export function progressLine(done: number, total: number, what: string, columns = Infinity): string {
  const count = `${String(done).padStart(String(total).length)}/${total} ${what}`;
  const width = Math.min(BAR_WIDTH, columns - 1 - count.length - 3);
  if (width < 5) return count.slice(0, Math.max(0, columns - 1));
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${count}`;
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
      stream.write(`\r${progressLine(done, total, what, stream.columns ?? Infinity)}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
