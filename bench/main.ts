/**
 * Entry point of `npm run bench`: prints benchmark figures, one per line.
 * It never passes or fails. `npm run bench -- engine` or `-- model` runs one group.
 */
import { runEngineBench } from './engine-bench.js';
import { runModelBench } from './model-bench.js';

const only = process.argv[2];
const print = (line: string): void => console.log(line);
if (only === undefined || only === 'engine') runEngineBench(print);
if (only === undefined || only === 'model') runModelBench(print);
