/**
 * Entry point of `npm run bench`: prints benchmark figures, one per line.
 * It never passes or fails. `npm run bench -- engine`, `-- model`,
 * `-- cli` or `-- sweep` runs one group. `cli-child <file>` is the child process the cli
 * group starts (the CLI on one scenario file).
 */
import { fileURLToPath } from 'node:url';
import { cliChild, runCliBench } from './cli-bench.js';
import { runEngineBench } from './engine-bench.js';
import { runModelBench } from './model-bench.js';
import { runSweepBench } from './sweep-bench.js';

const only = process.argv[2];
const print = (line: string): void => console.log(line);
if (only === 'cli-child') {
  await cliChild(process.argv[3]!);
} else {
  if (only === undefined || only === 'engine') runEngineBench(print);
  if (only === undefined || only === 'model') runModelBench(print);
  if (only === undefined || only === 'cli') runCliBench(print, fileURLToPath(import.meta.url));
  if (only === undefined || only === 'sweep') runSweepBench(print);
}
