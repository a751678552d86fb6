// `npm start` (scripts/start.mjs) builds dist/ only when something the build reads changed since the last build
// (scripts/build-freshness.mjs); on a built tree it starts the CLI at once. The timing is in bench/startup.mjs.
import {spawnSync} from 'node:child_process';
import {mkdirSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {testDir} from '../helpers/secret-scan.js';

type Decision = {build: boolean; reason: string};
type FreshnessLib = {buildDecision(root: string): Decision; BUILD_INPUTS: string[]; BUILD_STAMP: string};
// A variable specifier: the scripts are plain .mjs, outside the typed sources.
const freshnessPath = '../../scripts/build-freshness.mjs';
const {buildDecision, BUILD_INPUTS, BUILD_STAMP} = (await import(freshnessPath)) as FreshnessLib;

const ROOT = path.resolve('.');

/** A checkout in miniature: every build input, then a finished build a minute later. */
function builtTree() {
	const root = testDir('start-tree');
	mkdirSync(path.join(root, 'source', 'ui'), {recursive: true});
	mkdirSync(path.join(root, 'scripts'));
	mkdirSync(path.join(root, 'dist'));
	const inputs = ['source/cli.ts', 'source/ui/app.tsx', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json', 'scripts/bundle-cli.mjs'];
	const before = new Date(Date.now() - 120_000);
	for (const file of inputs) {
		writeFileSync(path.join(root, file), '');
		utimesSync(path.join(root, file), before, before);
	}
	const built = new Date(Date.now() - 60_000);
	for (const file of ['dist/cli.js', BUILD_STAMP]) {
		writeFileSync(path.join(root, file), '');
		utimesSync(path.join(root, file), built, built);
	}
	return {root, inputs};
}

const touch = (file: string) => {
	const now = new Date();
	utimesSync(file, now, now);
};

describe('npm start: build only when needed', () => {
	it('decides "no build" for a built tree, and "build" once any input is newer than the last build', () => {
		const {root, inputs} = builtTree();
		expect(buildDecision(root)).toEqual({build: false, reason: 'dist/ is up to date'});
		expect(inputs.every(file => BUILD_INPUTS.some(input => file === input || file.startsWith(`${input}/`)))).toBe(true);
		for (const file of inputs) {
			const fresh = builtTree();
			touch(path.join(fresh.root, file));
			expect(buildDecision(fresh.root), file).toEqual({build: true, reason: `${file} changed since the last build`});
		}
		// A new file counts too, however deep.
		const added = builtTree();
		mkdirSync(path.join(added.root, 'source', 'ui', 'panes'));
		writeFileSync(path.join(added.root, 'source', 'ui', 'panes', 'new-pane.tsx'), '');
		expect(buildDecision(added.root)).toMatchObject({build: true, reason: 'source/ui/panes/new-pane.tsx changed since the last build'});
	});

	it('decides "build" when dist/ or the stamp of a finished build is missing (a build that failed half-way writes none)', () => {
		const noStamp = builtTree();
		writeFileSync(path.join(noStamp.root, 'dist', 'x'), '');
		rmSync(path.join(noStamp.root, BUILD_STAMP));
		expect(buildDecision(noStamp.root)).toEqual({build: true, reason: 'dist/ has not been built yet'});
		const noCli = builtTree();
		rmSync(path.join(noCli.root, 'dist', 'cli.js'));
		expect(buildDecision(noCli.root).build).toBe(true);
	});

	it('this checkout, built by `npm test` (or `npm run build`) and touched by no test, needs no build', () => {
		expect(buildDecision(ROOT)).toEqual({build: false, reason: 'dist/ is up to date'});
	});

	it('a real start on this built tree runs the CLI with the arguments after --, and builds nothing', () => {
		const stamp = statSync(path.join(ROOT, BUILD_STAMP)).mtimeMs;
		const result = spawnSync(process.execPath, ['scripts/start.mjs', 'nomenclature', 'UNDLM_SEQ01_00042_v002.mp4', '--json'], {cwd: ROOT, encoding: 'utf8', timeout: 20_000});
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(JSON.parse(result.stdout)).toMatchObject([{ok: true, folderPath: ['WIP_BYSHOT', 'SC01_SEQ01', 'UNDLM_00042']}]);
		expect(statSync(path.join(ROOT, BUILD_STAMP)).mtimeMs).toBe(stamp);
		// The CLI's own exit code comes through: an invalid name exits 1.
		const invalid = spawnSync(process.execPath, ['scripts/start.mjs', 'nomenclature', 'holiday.mov'], {cwd: ROOT, encoding: 'utf8', timeout: 20_000});
		expect(invalid.status).toBe(1);
	});
});
