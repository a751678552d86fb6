// `node import-cost.mjs SPECIFIER`: prints how long importing SPECIFIER takes in this fresh process, in ms.
import {performance} from 'node:perf_hooks';
import {pathToFileURL} from 'node:url';
import path from 'node:path';

const specifier = process.argv[2];
const target = path.isAbsolute(specifier) ? pathToFileURL(specifier).href : specifier;
const started = performance.now();
await import(target);
process.stdout.write(`${(performance.now() - started).toFixed(1)}\n`);
