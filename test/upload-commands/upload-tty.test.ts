// `upload` on a real terminal (node-pty, read back through a headless xterm at 80×24): a live view rewritten in
// place while uploading, gone at the end, leaving the result lines and the summary.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Sandbox} from '../../source/sandbox/index.js';
import {PtySession} from '../e2e/pty-harness.js';
import {dirFlags, freshDirs, KiB, makeFile, MiB, sandboxEnv, startTestSandbox, testDir} from './helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox({partSize: 64 * KiB, partBytesPerSecond: 256 * KiB});
});
afterAll(() => sandbox.close());

describe('upload on a terminal', () => {
	it('shows a live row per upload and a total row, then leaves only the results', async () => {
		const dir = testDir('tty-files');
		const files = ['UNDLM_SEQ10_00100_v001.mp4', 'UNDLM_SEQ10_00100_v002.mp4'].map(name => makeFile(dir, name, 1 * MiB));
		const session = PtySession.cli(['upload', ...files, '--parallel', '1', ...dirFlags(freshDirs())], {env: {...sandboxEnv(sandbox), FRAMEIO_TOKEN: sandbox.token}});
		try {
			const live = await session.waitFor(text => /^UNDLM\S*_v00\d\.mp4 +\[#*-*\] +\d+ % +[\d.]+\/1\.0 MB +[\d.-]+ MB\/s +ETA \S+ +parts \d+\/16$/m.test(text) && /^total \[/m.test(text), 20_000);
			// One row per active upload, cut to the terminal's width: no line wraps.
			for (const line of live.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
			const exit = await session.waitForExit(30_000);
			expect(exit.status).toBe(0);
			const screen = session.text();
			expect(screen).toMatch(/^done +UNDLM_SEQ10_00100_v001\.mp4 +1\.0 MB/m);
			expect(screen).toMatch(/^done +UNDLM_SEQ10_00100_v002\.mp4 +1\.0 MB/m);
			expect(screen).toMatch(/^summary +2 done/m);
			// The live view is erased, not left behind.
			expect(screen).not.toMatch(/^total \[/m);
			expect(screen).not.toMatch(/\[#*-+\]/);
		} finally {
			session.kill('SIGKILL');
		}
	}, 60_000);
});
