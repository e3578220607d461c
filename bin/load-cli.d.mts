// Types of load-cli.mjs, for the tests that import it.
import type { Script } from 'node:vm';

export declare const codeCacheFile: (file: string) => string;
export declare function loadCli(file: string, useCache?: boolean): { exports: Record<string, unknown>; script: Script; cached: boolean };
export declare function writeCodeCache(file: string, script: Script): void;
