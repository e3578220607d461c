/**
 * bin/load-cli.mjs: the CLI's bundle compiled with its code cache. A cache
 * is taken only for the very source it was made from (a same-length edit
 * included), a cache V8 refuses is ignored, and the built CLI takes the
 * cache its build wrote. Each load runs in a child process: within one
 * process V8 compiles a source it has seen from memory, whatever cache it
 * is handed, and every cache would look taken.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeCacheFile } from '../../bin/load-cli.mjs';
import { tempDir } from './helpers.js';

const dir = tempDir('load-cli');
const loader = pathToFileURL(resolve('bin/load-cli.mjs')).href;

/** A small CommonJS module in `dir` whose `answer` is `answer` (two digits, so edits keep its length). */
function moduleWith(name: string, answer: number): string {
  const file = join(dir, name);
  writeFileSync(file, `const path = require('node:path');\nmodule.exports = { answer: ${answer}, base: path.basename(__filename), twice: (x) => 2 * x };\n`);
  return file;
}

/** Loads `file` in a new process (then writes its cache when `write`): whether the cache was taken, and what the module gave. */
function load(file: string, write = false): { cached: boolean; answer: unknown; base: unknown; twice: unknown } {
  const script = `
    import { loadCli, writeCodeCache } from ${JSON.stringify(loader)};
    const file = ${JSON.stringify(file)};
    const { exports, script, cached } = loadCli(file);
    if (${write}) writeCodeCache(file, script);
    const twice = typeof exports.twice === 'function' ? exports.twice(21) : null;
    console.log(JSON.stringify({ cached, answer: exports.answer, base: exports.base, twice }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as ReturnType<typeof load>;
}

describe('loading the CLI with its code cache', () => {
  it('runs a CommonJS bundle without a cache, then with the one it wrote', () => {
    const file = moduleWith('plain.cjs', 42);
    expect(load(file, true)).toEqual({ cached: false, answer: 42, base: 'plain.cjs', twice: 42 });
    expect(load(file)).toEqual({ cached: true, answer: 42, base: 'plain.cjs', twice: 42 });
  });

  it('ignores a cache made from another source of the same length', () => {
    const file = moduleWith('edited.cjs', 42);
    load(file, true);
    moduleWith('edited.cjs', 43);
    expect(load(file)).toMatchObject({ cached: false, answer: 43 });
  });

  it('ignores a cache whose data V8 refuses', () => {
    const file = moduleWith('broken.cjs', 42);
    load(file, true);
    const bytes = readFileSync(codeCacheFile(file));
    const header = bytes.indexOf(10) + 1;
    bytes.fill(7, header, header + 16);
    writeFileSync(codeCacheFile(file), bytes);
    expect(load(file)).toMatchObject({ cached: false, answer: 42, twice: 42 });
  });

  it('takes the cache the CLI build wrote beside dist/cli/hvsim.cjs', () => {
    const file = resolve('dist/cli/hvsim.cjs');
    const script = `
      import { loadCli } from ${JSON.stringify(loader)};
      const { exports, cached } = loadCli(${JSON.stringify(file)});
      console.log(JSON.stringify({ cached, main: typeof exports.main }));`;
    expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }))).toEqual({ cached: true, main: 'function' });
  });

  it('a sweep\'s worker thread takes the cache the build wrote beside dist/cli/experiment-worker.cjs', () => {
    const file = resolve('dist/cli/experiment-worker.cjs');
    // Loaded in a worker thread with the pool's heap limits, as experiment-worker.mjs loads it.
    const inWorker = join(dir, 'worker-load.mjs');
    writeFileSync(inWorker, `
      import { parentPort } from 'node:worker_threads';
      import { loadCli } from ${JSON.stringify(loader)};
      const { exports, cached } = loadCli(${JSON.stringify(file)});
      parentPort.postMessage({ cached, serveJobs: typeof exports.serveJobs });`);
    const script = `
      import { Worker } from 'node:worker_threads';
      const worker = new Worker(${JSON.stringify(inWorker)}, { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 6 } });
      worker.on('message', (m) => { console.log(JSON.stringify(m)); void worker.terminate(); });`;
    expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }))).toEqual({ cached: true, serveJobs: 'function' });
  });
});
