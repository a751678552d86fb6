// Mounts the console on a real terminal: store and clock, the alternate screen, Ink (rendering through the
// ScreenWriter), and the session that restores everything on the way out. Loaded only when the console opens,
// so that subcommands never load Ink or React.
import {render} from 'ink';
import React from 'react';
import {redactText} from '../log/redact.js';
import {createConsoleStore, type PaneId} from '../store/console-store.js';
import type {ConsoleRuntime} from '../store/ports.js';
import {App} from './app.js';
import {ScreenWriter} from './terminal/screen-writer.js';
import {TerminalSession} from './terminal/terminal-session.js';
import {themeFromEnv, type Theme} from './theme.js';

/** Frames per second at most (Ink's maxFps and the ScreenWriter's paint rate). */
export const MAX_FPS = 12;

export type RunConsoleOptions = {
	readonly: boolean;
	stdout: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
	stderr: NodeJS.WriteStream;
	theme?: Theme;
	initialPane?: PaneId;
	/** console.* while the screen is ours; the runtime passes its app logger. */
	consoleSink?(level: string, args: unknown[]): void;
};

export async function runConsole(runtime: ConsoleRuntime, options: RunConsoleOptions): Promise<number> {
	const consoleStore = createConsoleStore(runtime, {refreshIntervalMs: runtime.refreshIntervalSeconds * 1000});
	const writer = new ScreenWriter(options.stdout, {maxFps: MAX_FPS});
	let instance: ReturnType<typeof render> | null = null;

	const session = new TerminalSession({
		stdout: options.stdout,
		stdin: options.stdin,
		stderr: options.stderr,
		consoleSink: options.consoleSink,
		describeError: error => redactText(error instanceof Error ? (process.env.FRAMEIO_DEBUG === '1' && error.stack ? error.stack : error.message) : String(error)),
		onStop() {
			consoleStore.dispose();
			writer.dispose();
			instance?.unmount();
		},
		onShutdown: reason => runtime.shutdown(reason),
	});

	session.enter();
	try {
		instance = render(
			<App
				console={consoleStore}
				theme={options.theme ?? themeFromEnv()}
				readonly={options.readonly}
				initialPane={options.initialPane}
				onQuit={() => void session.finish('quit')}
			/>,
			{
				stdout: writer as unknown as NodeJS.WriteStream,
				stdin: options.stdin,
				stderr: options.stderr,
				// Frames go to the ScreenWriter whole; it diffs and paints at most MAX_FPS times a second.
				debug: true,
				exitOnCtrlC: false,
				patchConsole: false,
				maxFps: MAX_FPS,
			},
		);
		consoleStore.start();
	} catch (error) {
		return session.finish('crash', error);
	}
	instance.waitUntilExit().then(
		() => void session.finish('quit'),
		error => void session.finish('crash', error),
	);
	return session.done;
}
