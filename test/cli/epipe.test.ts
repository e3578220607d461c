/**
 * `hvsim <verb> | head -1`: a reader that closes the pipe early must not
 * turn into a Node stack trace. Each verb runs as a real process
 * (`node bin/hvsim.mjs`, on a fresh `dist/cli` build) with its stdout
 * pipe closed by the reader, either after the first chunk (as `head -1`
 * does) or before the command writes anything (so the very first write
 * fails, every time). The command must exit with its own code and write
 * nothing to stderr.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'hvsim-epipe-'));
const tiny = join(dir, 'tiny.json');

beforeAll(() => {
  execFileSync(process.execPath, ['esbuild.config.mjs', 'cli'], { stdio: 'ignore' });
  writeFileSync(
    tiny,
    JSON.stringify({
      version: 1,
      name: 'tiny',
      host: { disks: [{ id: 'd1', kind: 'ssd' }] },
      vms: [{ id: 'vm1', disks: [{ id: 'data', controller: 'scsi', backend: { kind: 'fixed-vhd', disk: 'd1' } }] }],
      workloads: [{ vm: 'vm1', disk: 'data', size: '4KiB', count: 3 }],
    }),
  );
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  chunks: number;
}

/** Runs `node bin/hvsim.mjs ...argv`, closing its stdout after the first chunk (or at once). */
function closedEarly(argv: string[], when: 'first-chunk' | 'at-once'): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/hvsim.mjs', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let chunks = 0;
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    if (when === 'at-once') child.stdout.destroy();
    else
      child.stdout.once('data', () => {
        chunks++;
        child.stdout.destroy();
      });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, chunks }));
  });
}

const VERBS: [string, string[]][] = [
  ['list', ['list']],
  ['schema', ['schema']],
  ['schema --draft-07', ['schema', '--draft-07']],
  ['validate', ['validate', 'queue-depth']],
  ['run (table)', ['run', '@tiny']],
  ['run --json', ['run', '@tiny', '--json']],
  ['run --csv', ['run', '@tiny', '--csv']],
  ['help', ['help']],
  ['--version', ['--version']],
];

describe('a reader that closes the pipe early', () => {
  for (const when of ['first-chunk', 'at-once'] as const) {
    for (const [name, argv] of VERBS) {
      it(`hvsim ${name}, stdout closed ${when === 'at-once' ? 'before the first write' : 'after the first chunk'}: quiet, exit 0`, async () => {
        const ended = await closedEarly(
          argv.map((a) => (a === '@tiny' ? tiny : a)),
          when,
        );
        expect(ended.stderr).toBe('');
        expect(ended.stderr).not.toMatch(/Error|EPIPE|at .*\(/);
        expect(ended.signal).toBeNull();
        expect(ended.code).toBe(0);
      }, 60_000);
    }
  }
});
