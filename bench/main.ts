/**
 * Entry point of `npm run bench`: prints benchmark figures, one per line.
 * It never passes or fails. `npm run bench -- engine`, `-- model`,
 * `-- cli` or `-- sweep` runs one group (each of those two runs the built
 * `hvsim` command in child processes).
 */
import { runCliBench } from './cli-bench.js';
import { runEngineBench } from './engine-bench.js';
import { runModelBench } from './model-bench.js';
import { runSweepBench } from './sweep-bench.js';

const only = process.argv[2];
const print = (line: string): void => console.log(line);
if (only === undefined || only === 'engine') runEngineBench(print);
// The model group's null-sink figure is the CLI group's second reference when both run.
const modelRate = only === undefined || only === 'model' ? runModelBench(print) : undefined;
if (only === undefined || only === 'cli') runCliBench(print, modelRate);
if (only === undefined || only === 'sweep') runSweepBench(print);
