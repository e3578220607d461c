/**
 * `hvsim run … --trace /dev/stdout | head -c 200`: the trace's reader
 * stopping early ends the run quietly, as every other output does (README:
 * "ends quietly"), not with "cannot write the trace… EPIPE" and exit 1.
 * Runs the built CLI in a real shell pipeline (a pipe, as a user's shell
 * makes it: Node's own child stdio is a socket, which /dev/stdout cannot
 * reopen).
 */
import { execFileSync, spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(() => {
  execFileSync(process.execPath, ['esbuild.config.mjs', 'cli'], { stdio: 'ignore' });
}, 120_000);

describe('--trace to a reader that stops early', () => {
  it("ends quietly with the run's own exit code", async () => {
    const node = JSON.stringify(process.execPath);
    const script = `set -o pipefail; ${node} bin/hvsim.mjs run queue-depth --trace /dev/stdout 2>/tmp/hvsim-epipe-$$.err | head -c 200 >/dev/null; code=$?; cat /tmp/hvsim-epipe-$$.err >&2; rm -f /tmp/hvsim-epipe-$$.err; exit $code`;
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 120_000);
});
