import {EventEmitter} from 'node:events';
import {describe, expect, it, vi} from 'vitest';
import {redactText, registerSecret} from '../../source/log/redact.js';
import {ENTER_SEQUENCE, RESTORE_SEQUENCE, TerminalSession} from '../../source/ui/terminal/terminal-session.js';
import {rememberSecret} from '../helpers/secret-scan.js';

function setup(options: {shutdown?: () => Promise<void>; describeError?: (error: unknown) => string} = {}) {
	const out: string[] = [];
	const err: string[] = [];
	const proc = new EventEmitter();
	const stdin = Object.assign(new EventEmitter(), {isTTY: true, setRawMode: vi.fn()});
	const onShutdown = vi.fn(options.shutdown ?? (async () => {}));
	const onStop = vi.fn();
	const session = new TerminalSession({
		stdout: {write: chunk => (out.push(chunk), true)},
		stderr: {write: chunk => (err.push(chunk), true)},
		stdin: stdin as unknown as NodeJS.ReadableStream & {isTTY: boolean; setRawMode(mode: boolean): unknown},
		onShutdown,
		onStop,
		process: proc as unknown as NodeJS.Process,
		shutdownTimeoutMs: 200,
		describeError: options.describeError,
	});
	return {session, out, err, proc, stdin, onShutdown, onStop};
}

describe('TerminalSession', () => {
	it('enters the alternate screen with the cursor hidden', () => {
		const {session, out} = setup();
		session.enter();
		expect(out.join('')).toBe(ENTER_SEQUENCE);
		expect(ENTER_SEQUENCE).toContain('\u001B[?1049h');
		expect(ENTER_SEQUENCE).toContain('\u001B[?25l');
	});

	it('q: stops the UI, restores the terminal once, runs the shutdown hook, exit 0', async () => {
		const {session, out, stdin, onShutdown, onStop} = setup();
		session.enter();
		const code = await session.finish('quit');
		await session.finish('quit');
		expect(code).toBe(0);
		expect(await session.done).toBe(0);
		expect(onStop).toHaveBeenCalledTimes(1);
		expect(onShutdown).toHaveBeenCalledTimes(1);
		expect(onShutdown).toHaveBeenCalledWith('quit');
		expect(stdin.setRawMode).toHaveBeenCalledWith(false);
		expect(out.filter(chunk => chunk === RESTORE_SEQUENCE)).toHaveLength(1);
		expect(RESTORE_SEQUENCE).toContain('\u001B[?1049l');
		expect(RESTORE_SEQUENCE).toContain('\u001B[?25h');
	});

	it.each([
		['SIGTERM', 143],
		['SIGHUP', 129],
		['SIGINT', 130],
	] as const)('%s restores the terminal and exits %i', async (signal, expected) => {
		const {session, out, proc, onShutdown} = setup();
		session.enter();
		proc.emit(signal);
		expect(await session.done).toBe(expected);
		expect(out).toContain(RESTORE_SEQUENCE);
		expect(onShutdown).toHaveBeenCalledWith(signal);
		expect(proc.listenerCount(signal)).toBe(0);
	});

	it('an uncaught error restores the terminal first, then reports it without secrets', async () => {
		const secret = rememberSecret(`tok-${Math.random().toString(36).slice(2)}-secret`);
		registerSecret(secret);
		const {session, out, err, proc} = setup({describeError: error => redactText((error as Error).message)});
		session.enter();
		proc.emit('uncaughtException', new Error(`boom with ${secret}`));
		expect(await session.done).toBe(1);
		expect(out.at(-1)).toBe(RESTORE_SEQUENCE);
		expect(err.join('')).toContain('the console stopped on an error: boom with [REDACTED]');
		expect(err.join('')).not.toContain(secret);
	});

	it('does not hang on a shutdown hook that never settles', async () => {
		const {session} = setup({shutdown: () => new Promise(() => {})});
		session.enter();
		expect(await session.finish('quit')).toBe(0);
	});

	it('sends console.* to the sink while the screen is ours, and gives it back after', async () => {
		const sink = vi.fn();
		const proc = new EventEmitter();
		const original = console.log;
		const session = new TerminalSession({
			stdout: {write: () => true},
			stderr: {write: () => true},
			stdin: Object.assign(new EventEmitter(), {isTTY: false}) as unknown as NodeJS.ReadableStream,
			onShutdown: async () => {},
			consoleSink: sink,
			process: proc as unknown as NodeJS.Process,
		});
		session.enter();
		console.log('stray output');
		expect(sink).toHaveBeenCalledWith('log', ['stray output']);
		await session.finish('quit');
		expect(console.log).toBe(original);
	});
});
