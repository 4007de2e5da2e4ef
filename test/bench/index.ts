import { engineBench } from './engine.js';

/** `npm run bench`: every benchmark, printing its figures. Speed goals live here, not in tests. */
const print = (line: string) => process.stdout.write(`${line}\n`);

await engineBench(print);
