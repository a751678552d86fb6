// Opens the real console (node dist/cli.js, no command) in a pseudo-terminal against a standalone sandbox in its
// own process (background activity off, so an idle console has nothing to show), with a fresh state dir that a
// bench may fill first (e.g. a 100 000-key cache snapshot). Used by the console-* benches.
import path from 'node:path';
import {distHas, ROOT, tempDir} from './common.mjs';
import {chromeVisible, PtyConsole} from './pty-console.mjs';
import {startSandboxProcess} from './sandbox-proc.mjs';

/** Why the console cannot be benched in this build, or null when it can be tried. */
export function consoleMissing() {
	if (!distHas('ui/run-console.js')) return 'dist/ui/run-console.js is not built';
	if (!distHas('app/open-app.js')) return 'the console runtime (dist/app/open-app.js) is not built';
	return null;
}

/**
 * → {session, sandbox, stateDir, logsDir, readyAt, close()} once the console shows its chrome and the account;
 * throws with the console's first line when it exits or never draws.
 */
export async function openConsoleOnSandbox({sandboxOptions = {}, prepare, cols = 80, rows = 24, env = {}, args = []} = {}) {
	const sandbox = await startSandboxProcess({seed: 'demo', activity: false, ...sandboxOptions});
	const stateDir = tempDir('console-state');
	const logsDir = tempDir('console-logs');
	let session;
	try {
		await prepare?.({sandbox, stateDir});
		session = new PtyConsole(['--state-dir', stateDir, '--logs-dir', logsDir, ...args], {
			cols,
			rows,
			env: {
				FRAMEIO_API_URL: sandbox.url,
				FRAMEIO_TOKEN: sandbox.token,
				FRAMEIO_ACCOUNT_ID: sandbox.ids.accountId,
				FRAMEIO_PROJECT_ID: sandbox.ids.projectId,
				FRAMEIO_CONFIG_DIR: path.join(ROOT, 'config'),
				FRAMEIO_STATE_DIR: stateDir,
				FRAMEIO_LOGS_DIR: logsDir,
				FRAMEIO_DEBUG: undefined,
				NO_COLOR: undefined,
				...env,
			},
		});
		const gone = session.exited.then(() => {
			throw new Error(`the console exited (${session.exitCode}): ${session.screen().find(line => line.trim()) ?? ''}`);
		});
		// The account name replaces "…" in the status bar once the first API answers are in.
		const ready = session.waitFor(lines => chromeVisible(lines) && !/(SANDBOX|LIVE)\s*│\s*…/.test(lines[1]), 30_000);
		for (const promise of [gone, ready]) promise.catch(() => {});
		const readyAt = await Promise.race([ready, gone]);
		return {
			session,
			sandbox,
			stateDir,
			logsDir,
			readyAt,
			async close() {
				await session.quit();
				session.dispose();
				await sandbox.close();
			},
		};
	} catch (error) {
		session?.dispose();
		await sandbox.close();
		throw error;
	}
}

/** The text of the list row drawn in inverse video (the selection), outside the tab bar; null when none. */
export function selectedRow(session) {
	const buffer = session.term.buffer.active;
	for (let row = 2; row < session.term.rows - 1; row++) {
		const line = buffer.getLine(buffer.viewportY + row);
		if (!line) continue;
		let inverse = 0;
		const cell = buffer.getNullCell();
		for (let col = 0; col < session.term.cols; col++) {
			line.getCell(col, cell);
			if (cell.isInverse()) inverse++;
		}
		if (inverse > session.term.cols / 2) return line.translateToString(true);
	}
	return null;
}

/**
 * Presses `key` and resolves with the ms from the write to the first parsed chunk after which changed(lines)
 * holds (the frame that shows the key's effect).
 */
export async function keyLatency(session, key, changed, timeoutMs = 5000) {
	// Written first, then awaited in the same tick: no chunk can be parsed in between, so the first check sees the
	// screen as it was before the key.
	const sentAt = session.now();
	session.write(key);
	const at = await session.waitFor(changed, timeoutMs);
	return at - sentAt;
}
