// `node --import ./trace-imports.mjs ...`: records every module URL the process loads into the file named by
// BENCH_TRACE_IMPORTS, one per line, so the startup bench can tell which packages a subcommand pulls in.
import {register} from 'node:module';

const out = process.env.BENCH_TRACE_IMPORTS;
if (out) register(new URL('./trace-imports-hooks.mjs', import.meta.url), {data: {out}});
