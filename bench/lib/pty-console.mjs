// The console in a real pseudo-terminal (node-pty) read through a headless xterm, instrumented for benches:
// every chunk the program writes is timed and counted, and the screen can be awaited after each chunk is parsed.
import {execFileSync} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import {CLI} from './common.mjs';

const {Terminal} = xterm;
const ESC = '\u001B';
const SYNC_BEGIN = `${ESC}[?2026h`;

export const keys = {up: `${ESC}[A`, down: `${ESC}[B`, pageDown: `${ESC}[6~`, pageUp: `${ESC}[5~`, enter: '\r', escape: ESC, tab: '\t'};

export class PtyConsole {
	/** `node dist/cli.js ...args` in a pty of cols × rows. */
	constructor(args, {cols = 80, rows = 24, env = {}, cwd = process.cwd(), file = process.execPath, fileArgs = [CLI]} = {}) {
		this.startedAt = performance.now();
		this.term = new Terminal({cols, rows, allowProposedApi: true, scrollback: 0});
		/** {at (ms since start), bytes} per chunk the program wrote. */
		this.chunks = [];
		this.bytes = 0;
		this.pending = 0;
		this.waiters = new Set();
		/** Called with (ms since spawn) after each chunk is parsed. */
		this.parsed = new Set();
		this.exitCode = null;
		const merged = {};
		for (const [name, value] of Object.entries({...process.env, TERM: 'xterm-256color', ...env})) {
			if (value !== undefined && !['CI', 'CONTINUOUS_INTEGRATION', 'FORCE_COLOR'].includes(name)) merged[name] = value;
		}
		this.proc = pty.spawn(file, [...fileArgs, ...args], {name: 'xterm-256color', cols, rows, cwd, env: merged});
		this.pid = this.proc.pid;
		this.proc.onData(data => {
			const at = performance.now() - this.startedAt;
			const size = Buffer.byteLength(data);
			// The console paints each frame inside a synchronized-output block: one begin mark per painted frame.
			this.chunks.push({at, bytes: size, paints: data.split(SYNC_BEGIN).length - 1});
			this.bytes += size;
			this.pending++;
			this.term.write(data, () => {
				this.pending--;
				this.check();
				for (const listener of this.parsed) listener(at);
			});
		});
		this.exited = new Promise(resolve => {
			this.proc.onExit(({exitCode, signal}) => {
				this.exitCode = exitCode;
				resolve({exitCode, signal});
			});
		});
	}

	screen() {
		const buffer = this.term.buffer.active;
		const lines = [];
		for (let row = 0; row < this.term.rows; row++) lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
		return lines;
	}

	text() {
		return this.screen().join('\n');
	}

	/** ms since spawn. */
	now() {
		return performance.now() - this.startedAt;
	}

	check() {
		if (this.waiters.size === 0) return;
		const lines = this.screen();
		for (const waiter of this.waiters) {
			if (waiter.test(lines)) {
				this.waiters.delete(waiter);
				clearTimeout(waiter.timer);
				waiter.resolve(this.now());
			}
		}
	}

	/**
	 * Resolves with the time (ms since spawn) of the first parsed chunk after which test(lines) holds, checked
	 * as each chunk is parsed (so the time is the chunk's, not a poll's).
	 */
	waitFor(test, timeoutMs = 15_000) {
		return new Promise((resolve, reject) => {
			const waiter = {test, resolve, timer: null};
			waiter.timer = setTimeout(() => {
				this.waiters.delete(waiter);
				reject(new Error(`timed out after ${timeoutMs} ms; screen:\n${this.text()}`));
			}, timeoutMs);
			waiter.timer.unref?.();
			this.waiters.add(waiter);
			if (this.pending === 0) this.check();
		});
	}

	write(data) {
		this.proc.write(data);
	}

	/** The console's own pid (the pty runs node directly, so it is the pty's pid). */
	get consolePid() {
		return this.pid;
	}

	/** Bytes written in (fromMs, toMs] since spawn. */
	bytesBetween(fromMs, toMs) {
		let total = 0;
		for (const chunk of this.chunks) if (chunk.at > fromMs && chunk.at <= toMs) total += chunk.bytes;
		return total;
	}

	/** Frames painted in (fromMs, toMs]. */
	paintsBetween(fromMs, toMs) {
		let total = 0;
		for (const chunk of this.chunks) if (chunk.at > fromMs && chunk.at <= toMs) total += chunk.paints;
		return total;
	}

	chunksBetween(fromMs, toMs) {
		return this.chunks.filter(chunk => chunk.at > fromMs && chunk.at <= toMs);
	}

	/** q, then SIGKILL if it has not gone within timeoutMs. */
	async quit(timeoutMs = 5000) {
		if (this.exitCode !== null) return;
		try {
			this.write('q');
		} catch {
			// already gone
		}
		const timer = setTimeout(() => this.kill(), timeoutMs);
		await this.exited;
		clearTimeout(timer);
	}

	kill() {
		try {
			this.proc.kill('SIGKILL');
		} catch {
			// already gone
		}
	}

	dispose() {
		for (const waiter of this.waiters) clearTimeout(waiter.timer);
		this.waiters.clear();
		this.kill();
		this.term.dispose();
	}
}

/** Full screen of chrome: the tab bar on the first row, the status bar on the second, the footer on the last. */
export function chromeVisible(lines) {
	return lines[0]?.includes('1 Health') && /SANDBOX|LIVE/.test(lines[1] ?? '') && (lines.at(-1) ?? '').trim().length > 0;
}

export function descendants(pid) {
	try {
		return execFileSync('pgrep', ['-P', String(pid)], {encoding: 'utf8'}).trim().split('\n').filter(Boolean).map(Number);
	} catch {
		return [];
	}
}
