// The real product in a pseudo-terminal: `frameio-admin --sandbox` at 80×24, over the in-process sandbox with
// its demo seed.
import {execFileSync} from 'node:child_process';
import {existsSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {testDir} from '../helpers/secret-scan.js';
import {keys, PtySession, ttySane} from './pty-harness.js';

const built = existsSync('dist/cli.js');

let session: PtySession | null = null;
afterEach(() => {
	session?.dispose();
	session = null;
});

describe.skipIf(!built)('frameio-admin --sandbox in a pseudo-terminal', () => {
	it('starts on the sandbox, shows every tab, purges a pattern, uploads a file to 100 %, follows resize, quits cleanly', async () => {
		const work = testDir('console-sandbox');
		const pty = (session = PtySession.cli(['--sandbox', '--state-dir', path.join(work, 'state'), '--logs-dir', path.join(work, 'logs')], {
			env: {FRAMEIO_TOKEN: undefined, FRAMEIO_API_URL: undefined},
		}));

		// Start: SANDBOX in the status bar and the health checks with their results.
		await pty.waitFor(text => text.split('\n')[1]?.includes('SANDBOX') === true, 15_000);
		await pty.waitFor(/\d+ checks · \d+ pass/, 15_000);
		expect(pty.altScreen()).toBe(true);

		// Every tab.
		await pty.press('3');
		await pty.waitFor('workspace Post Production', 15_000);
		await pty.press('j', keys.right);
		await pty.waitFor('UNDLM_DOCU', 15_000);
		await pty.press('4');
		await pty.waitFor('window 5 m');
		await pty.press('5');
		await pty.waitFor(/PROGRESS|no upload in progress/);
		await pty.press('2');
		await pty.waitFor(/entries \d/);

		// A pattern purge, previewed and confirmed (the Structure tab listed projects, so their keys are cached).
		await pty.press('P');
		await pty.type('projects_');
		await pty.waitFor(/[1-9]\d* keys? match/);
		await pty.press(keys.enter);
		await pty.waitFor('> Keep them <');
		await pty.press(keys.tab, keys.enter);
		await pty.waitFor(/purge "projects_": [1-9]\d* keys? removed/);

		// An upload of a file named by the nomenclature, watched to the end.
		const file = path.join(work, 'UNDLM_SEQ01_00042_v002.mp4');
		writeFileSync(file, Buffer.alloc(3 * 1024 * 1024, 7));
		await pty.press('5');
		// The in-process sandbox throttles part uploads on purpose, and says so.
		await pty.waitFor(/sandbox: uploads throttled on purpose to 0\.75 MiB\/s per part/);
		await pty.press('a');
		await pty.type(file);
		await pty.press(keys.enter);
		await pty.waitFor('queued UNDLM_SEQ01_00042_v002.mp4', 15_000);
		await pty.press(...Array(30).fill('G'));
		await pty.waitFor(/history [1-9]\d* done/, 30_000);
		await pty.waitFor(/UNDLM…00042_v002\.mp4 +done +3\.0 MB +\d+\.\d s +\d+\.\d MB\/s/, 30_000);

		// The Logs tab: the console's own lines, and one that another process writes, followed as it arrives.
		await pty.press('7');
		await pty.waitFor(/^following · all levels · .*frameio_admin\.log$/m);
		await pty.waitFor(/ - frameio\.(api|upload) - INFO - /);
		const logsDir = path.join(work, 'logs');
		execFileSync(process.execPath, [
			'--input-type=module',
			'-e',
			`const {createLogging} = await import(${JSON.stringify(path.resolve('dist/log/logger.js'))}); const logging = createLogging({logsDir: ${JSON.stringify(logsDir)}}); logging.get('frameio.upload').warn({from: 'another process'}, 'written by another frameio-admin process'); logging.close();`,
		]);
		// The demo writes lines all the time: the warnings alone, so that the line stays in view.
		await pty.press('v', 'v');
		const warnings = await pty.waitFor(/ - frameio\.upload - WARNING - written by another frameio-adm/, 15_000);
		expect(warnings).toContain('warn and above');
		expect(warnings).not.toMatch(/ - INFO - /);

		// Resize to 60×20 and back.
		pty.resize(60, 20);
		await pty.waitFor(text => text.split('\n')[19]?.includes('q quit') === true);
		for (const line of pty.screen()) expect(line.length).toBeLessThanOrEqual(60);
		pty.resize(80, 24);
		await pty.waitFor(text => text.split('\n')[23]?.includes('q quit') === true);

		// Quit: the terminal is back as it was.
		await pty.press('q');
		const exit = await pty.waitForExit(15_000);
		expect(exit.status).toBe(0);
		expect(pty.altScreen()).toBe(false);
		expect(pty.cursorVisible()).toBe(true);
		expect(ttySane(exit.stty)).toBe(true);
	}, 120_000);
});
