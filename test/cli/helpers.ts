/** What the CLI tests share: `hvsim` run in-process with its output captured, and a temporary folder removed after the file's tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { main } from '../../src/cli/main.js';

/** What one `hvsim` call returned and printed. */
export interface Captured {
  code: number;
  out: string;
  err: string;
}

/** Runs `hvsim argv…` in this process, capturing stdout and stderr. */
export async function hvsim(...argv: string[]): Promise<Captured> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: { write: (t: string) => (out += t) }, err: { write: (t: string) => (err += t) } });
  return { code, out, err };
}

/** A fresh temporary folder named `hvsim-<prefix>-…`, removed when the test file ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hvsim-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
