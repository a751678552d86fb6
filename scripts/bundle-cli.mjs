// Replaces tsc's dist/cli.js with a bundle of it and everything it imports, split at the dynamic imports.
// Why: on Node 20 every ESM file is resolved and compiled one by one (zod 4 alone is 95 files), which made a
// network-free subcommand take ~320 ms against a 250 ms budget (bench/startup.mjs). tsc still emits every module to
// dist/ first (type errors fail the build there; bench/ and tests import single modules from dist/).
import {build} from 'esbuild';
import {readdir, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, 'dist');
const chunkDir = 'chunks';

// Chunks of an earlier build would pile up: their names carry a content hash.
await rm(path.join(outdir, chunkDir), {recursive: true, force: true});

const result = await build({
	metafile: true,
	entryPoints: {cli: path.join(root, 'source', 'cli.ts')},
	outdir,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	// ESM builds first: jsonc-parser's "main" is a UMD wrapper whose require() calls a bundler cannot follow.
	mainFields: ['module', 'main'],
	chunkNames: `${chunkDir}/[name]-[hash]`,
	sourcemap: true,
	minifySyntax: true,
	minifyWhitespace: true,
	legalComments: 'linked',
	// The CommonJS packages in the bundle call require() for node builtins, and write-file-atomic hashes __filename
	// into its temp names. (pino would use __dirname to find its worker for transports, which we do not use.)
	banner: {
		js: [
			"import {createRequire as __frameioCreateRequire} from 'node:module';",
			"import {fileURLToPath as __frameioFileURLToPath} from 'node:url';",
			'const require=__frameioCreateRequire(import.meta.url);',
			'const __filename=__frameioFileURLToPath(import.meta.url);',
			"const __dirname=__filename.slice(0,__filename.lastIndexOf('/'));",
		].join(''),
	},
	// React and its reconciler pick their build from NODE_ENV when they load; the shipped console is the production
	// build (half the render work and heap of the development one), and fixing it here leaves the development build
	// out of the bundle. Tests that render from source keep React's development checks.
	define: {'process.env.NODE_ENV': '"production"'},
	// Optional at run time and never installed: Ink only loads it when DEV=true.
	external: ['react-devtools-core'],
	logLevel: 'warning',
});

// Which packages each output file holds: bench/startup.mjs maps the chunks a subcommand loads back to packages
// (a subcommand must load no Ink or React).
const outputs = Object.fromEntries(
	Object.entries(result.metafile.outputs)
		.filter(([file]) => file.endsWith('.js'))
		.map(([file, output]) => [path.relative(outdir, path.resolve(root, file)), Object.keys(output.inputs)]),
);
await writeFile(path.join(outdir, 'bundle-inputs.json'), JSON.stringify(outputs, null, '\t'));

// The build is complete: scripts/start.mjs builds again only when a source is newer than this stamp.
await writeFile(path.join(outdir, '.build-stamp'), `${new Date().toISOString()}\n`);

const chunks = await readdir(path.join(outdir, chunkDir));
console.log(`bundled dist/cli.js (+${chunks.filter(name => name.endsWith('.js')).length} chunks)`);
