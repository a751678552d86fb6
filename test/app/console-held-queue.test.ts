// A console opened on a box where `watch` runs on the same state dir: it starts (it used to exit 1, "upload queue …
// in use by another frameio-admin process"), shows watch's uploads with their real bytes, says whose they are,
// refuses every change with the holder's name, and says so when the holder stops. A real `watch` process, a real
// sandbox over loopback, the console's own runtime.
import {writeFileSync} from 'node:fs';
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createRuntime} from '../../source/app/console-runtime.js';
import type {Sandbox} from '../../source/sandbox/index.js';
import type {ConsoleRuntime} from '../../source/store/ports.js';
import {fastConfigDir, freshDirs, KiB, sandboxEnv, spawnCli, startTestSandbox, testDir} from '../upload-commands/helpers.js';

let sandbox: Sandbox;
let runtime: ConsoleRuntime | undefined;

beforeAll(async () => {
	// Slow parts: the transfer lasts long enough to be seen in flight.
	sandbox = await startTestSandbox({partSize: 64 * KiB, partBytesPerSecond: 256 * KiB});
});
afterAll(async () => {
	await runtime?.shutdown('test');
	await sandbox.close();
});

async function until<T>(read: () => T, ok: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = read();
		if (ok(value)) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)?.slice(0, 400)}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

describe('the console beside a watch that holds the upload queue', () => {
	it('follows its uploads read-only, names it, refuses changes, and says when it stops', async () => {
		const dirs = freshDirs(fastConfigDir());
		const env = sandboxEnv(sandbox);
		const renders = testDir('held-queue-renders');
		const watch = spawnCli(['watch', renders, '--interval', '0.1s', '--stable', '0.2s'], dirs, env);
		try {
			await until(() => watch.output(), text => text.includes('watching') || watch.child.exitCode !== null, 'watch to start');
			expect(watch.child.exitCode).toBeNull();

			const startedAt = Date.now();
			runtime = await createRuntime({sandbox: false, readonly: false, configDir: dirs.config, stateDir: dirs.state, logsDir: dirs.logs, env});
			// Following a live holder does not wait for its lock.
			expect(Date.now() - startedAt).toBeLessThan(10_000);
			const uploads = runtime.uploads;
			expect(uploads.note).toContain(`uploads of watch (pid ${watch.child.pid})`);

			const name = 'UNDLM_SEQ05_00050_v001.mp4';
			writeFileSync(path.join(renders, name), randomBytes(1024 * KiB));
			const inFlight = await until(
				() => uploads.snapshot().jobs.find(job => job.name === name),
				job => job !== undefined && job.state === 'uploading' && job.bytesDone > 0,
				'the transfer in flight',
			);
			expect(inFlight!.bytesDone).toBeLessThan(inFlight!.size);
			expect(uploads.snapshot().total.uploading).toBe(1);

			await expect(uploads.add(path.join(renders, name))).rejects.toThrow(`watch (pid ${watch.child.pid}) holds this box's upload queue`);
			await expect(uploads.cancel(inFlight!.id)).rejects.toThrow(/only it adds, cancels, retries or pauses/);
			await expect(uploads.retryFailed()).rejects.toThrow(/holds this box's upload queue/);
			expect(() => uploads.pause()).toThrow(/holds this box's upload queue/);
			// The console changed nothing: the transfer goes on to the end.
			await until(() => watch.output(), text => text.includes(`done     ${name}`), 'watch to finish the file', 30_000);
		} finally {
			watch.child.kill('SIGINT');
		}
		expect(await watch.exited).toBe(0);
		await until(() => runtime!.uploads.note ?? '', note => note.includes(`watch (pid ${watch.child.pid}) stopped: restart the console`), 'the note that watch stopped');
	}, 60_000);
});
