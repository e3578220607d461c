// Loads the bundled CLI (dist/cli/hvsim.cjs; the experiment worker's bundle,
// experiment-worker.cjs, the same way) with V8's code cache beside it
// (hvsim.cjs.code-cache), written when the CLI is built (esbuild.config.mjs
// `cli`, run by `npm ci` through `prepare`): the bytecode of every function
// a few bundled runs compiled, so a start neither parses the 0.9 MB bundle
// nor compiles the model's functions one by one as they are first called.
// Measured here (2 cores): `hvsim run` of 3 M events 1.96-2.07 s against
// 2.09-2.19 s without it; `hvsim --version` 0.19 s against 0.22 s. This is
// Node 22's `module.enableCompileCache` done by hand for Node 20.
//
// The cache holds code we built, never a scenario's: it is our own bundle
// compiled ahead. V8 checks it against the source's length and its own
// version and flags (a cache it refuses is ignored: the bundle compiles as
// without one); the file's first line adds the SHA-256 of the source, so a
// cache left from another build of the same length is never taken.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

/** The cache's file beside the bundle `file`. */
export const codeCacheFile = (file) => `${file}.code-cache`;

/** The first line of a cache for `source`. */
const header = (source) => `hvsim-code-cache sha256=${createHash('sha256').update(source).digest('hex')}\n`;

/**
 * Runs the CommonJS bundle `file` as `require` would, compiled with its code
 * cache when that is there and fits (and `useCache`). Returns its exports,
 * the script (for `writeCodeCache`) and whether a cache was taken.
 */
export function loadCli(file, useCache = true) {
  const source = readFileSync(file, 'utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const cachedData = useCache ? cacheFor(file, header(source)) : undefined;
  const script = new vm.Script(wrapped, { filename: file, ...(cachedData === undefined ? {} : { cachedData }) });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script, cached: cachedData !== undefined && !script.cachedDataRejected };
}

/** The V8 data of `file`'s cache when its first line is `expected`, else undefined. */
function cacheFor(file, expected) {
  const path = codeCacheFile(file);
  if (!existsSync(path)) return undefined;
  try {
    const bytes = readFileSync(path);
    const head = Buffer.from(expected);
    return bytes.length > head.length && bytes.subarray(0, head.length).equals(head) ? bytes.subarray(head.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the code cache of `script`, loaded from `file`, with what it has compiled so far (through a temporary file). */
export function writeCodeCache(file, script) {
  const path = codeCacheFile(file);
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, Buffer.concat([Buffer.from(header(readFileSync(file, 'utf8'))), script.createCachedData()]));
  renameSync(temporary, path);
}
