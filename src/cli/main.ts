/**
 * The `hvsim` command line: runs scenarios headless and prints or exports
 * their figures. `main` takes argv and two writable streams and returns an
 * exit code, so tests drive it in-process. It never imports render or ui.
 */

/** Where the CLI writes. */
export interface CliIo {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
}

/** Exit codes: 0 success, 1 a run failed, 2 bad input (usage, scenario). */
export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 2;

const VERSION = '0.1.0';

const USAGE = `hvsim ${VERSION}: a Hyper-V I/O simulator for the classroom

Usage:
  hvsim --version        print the version
  hvsim help             this text
`;

/** Runs the CLI with `argv` (without node and script). Returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command] = argv;
  if (command === '--version' || command === '-v') {
    io.out.write(`${VERSION}\n`);
    return EXIT_OK;
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out.write(USAGE);
    return EXIT_OK;
  }
  io.err.write(`hvsim: unknown command '${command}'\n\n${USAGE}`);
  return EXIT_BAD_INPUT;
}
