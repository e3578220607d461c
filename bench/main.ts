/** Entry point of `npm run bench`: prints benchmark figures, one per line. It never passes or fails. */
import { runEngineBench } from './engine-bench.js';

const only = process.argv[2];
const print = (line: string): void => console.log(line);
if (only === undefined || only === 'engine') runEngineBench(print);
