#!/usr/bin/env node
// The `hvsim` command. Runs the bundled CLI from dist/cli (with its code
// cache: load-cli.mjs), building it first if this checkout has not been
// built (npm ci builds it through `prepare`).
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCli } from './load-cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'cli', 'hvsim.cjs');
if (!existsSync(entry)) {
  execFileSync(process.execPath, [join(root, 'esbuild.config.mjs'), 'cli'], { cwd: root, stdio: 'inherit' });
}
const { main } = loadCli(entry).exports;
process.exitCode = await main(process.argv.slice(2), { out: process.stdout, err: process.stderr });
