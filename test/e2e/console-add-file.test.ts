// The Uploads tab's "add file" prompt in the real console (`frameio-admin --sandbox` in a pseudo-terminal, the demo
// seed with WIP_BYSHOT/SC01_SEQ01): `~` is the home directory, a missing file is said first, a name that follows no
// pattern is asked its scene and shot, a scene folder that differs only in case from SC01_SEQ01 is refused, and every
// message is shown whole at 80 columns.
import {existsSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {testDir} from '../helpers/secret-scan.js';
import {keys, PtySession} from './pty-harness.js';

const built = existsSync('dist/cli.js');

let session: PtySession | null = null;
afterEach(() => {
	session?.dispose();
	session = null;
});

/** The screen without white space: a message wrapped over lines (even inside a word) reads whole. */
const squeezed = (text: string) => text.replace(/\s+/g, '');

describe.skipIf(!built)('the console adds a file by path', () => {
	it('expands ~, says "no such file" first, asks a scene/shot, refuses a case twin of SC01_SEQ01 in full, then queues', async () => {
		const work = testDir('console-add-file');
		const home = testDir('console-add-home');
		writeFileSync(path.join(home, 'take3.mov'), Buffer.alloc(64 * 1024, 3));
		const pty = (session = PtySession.cli(['--sandbox', '--state-dir', path.join(work, 'state'), '--logs-dir', path.join(work, 'logs')], {
			env: {FRAMEIO_TOKEN: undefined, FRAMEIO_API_URL: undefined, HOME: home},
		}));
		await pty.waitFor(text => text.split('\n')[1]?.includes('SANDBOX') === true, 15_000);
		await pty.press('5');
		await pty.waitFor(/PROGRESS|no upload in progress/);

		// A missing file whose name would be refused too: only "no such file", with the expanded path.
		await pty.press('a');
		await pty.type('~/nothing here.mov');
		await pty.press(keys.enter);
		let screen = await pty.waitFor('no such file', 15_000);
		expect(squeezed(screen)).toContain(squeezed(`cannot add: no such file: ~/nothing here.mov (${path.join(home, 'nothing here.mov')})`));
		expect(screen).not.toContain('naming patterns');

		// A name that follows no pattern: asked for its scene and shot; a scene in the wrong case is refused whole.
		await pty.press('a');
		await pty.type('~/take3.mov');
		await pty.press(keys.enter);
		screen = await pty.waitFor('scene/shot:', 15_000);
		expect(squeezed(screen)).toContain(squeezed('take3.mov does not follow the naming patterns'));
		await pty.type('sc01_seq01/UNDLM_00042');
		await pty.press(keys.enter);
		screen = await pty.waitFor('did you mean', 15_000);
		const refusal =
			'cannot add: no scene folder sc01_seq01: did you mean SC01_SEQ01? (the console does not create it; frameio-admin upload FILE --scene SCENE --shot SHOT --create-folders does)';
		expect(refusal.length).toBeGreaterThan(80);
		expect(squeezed(screen)).toContain(squeezed(refusal));
		for (const line of pty.screen()) expect(line.length).toBeLessThanOrEqual(80);

		// The right names: queued into the existing scene.
		await pty.press('a');
		await pty.type('~/take3.mov');
		await pty.press(keys.enter);
		await pty.waitFor('scene/shot:', 15_000);
		await pty.type('SC01_SEQ01/UNDLM_00042');
		await pty.press(keys.enter);
		await pty.waitFor('queued take3.mov to WIP_BYSHOT/SC01_SEQ01/UNDLM_00042', 15_000);

		await pty.press('q');
		expect((await pty.waitForExit(15_000)).status).toBe(0);
	}, 120_000);
});
