// Mounts the console on a real terminal: store and clock, the alternate screen, Ink (rendering through the
// ScreenWriter), and the session that restores everything on the way out. Loaded only when the console opens,
// so that subcommands never load Ink or React.
import {closeSync, openSync, writeSync} from 'node:fs';
import {render} from 'ink';
import React from 'react';
import {redactText} from '../log/redact.js';
import {createConsoleStore, type PaneId} from '../store/console-store.js';
import type {ConsoleRuntime} from '../store/ports.js';
import {App} from './app.js';
import {ScreenWriter} from './terminal/screen-writer.js';
import {TerminalSession} from './terminal/terminal-session.js';
import {themeFromEnv, type Theme} from './kit/theme.js';
import {osc52, type TerminalControl} from './kit/clipboard.js';

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
	/** FRAMEIO_BENCH_RENDER_LOG: a file that gets one `{"renderTime": ms}` line per Ink render (bench/console-busy.mjs). */
	renderLog?: string;
};

/** Ink's onRender, appended to a file as NDJSON; synchronous and tiny, and only ever on when a bench asks for it. */
function renderLogger(file: string): {onRender(metrics: {renderTime: number}): void; close(): void} {
	const fd = openSync(file, 'a');
	let open = true;
	return {
		onRender({renderTime}) {
			if (open) writeSync(fd, `${JSON.stringify({renderTime: Math.round(renderTime * 1000) / 1000})}\n`);
		},
		close() {
			if (!open) return;
			open = false;
			closeSync(fd);
		},
	};
}

export async function runConsole(runtime: ConsoleRuntime, options: RunConsoleOptions): Promise<number> {
	const consoleStore = createConsoleStore(runtime, {
		refreshIntervalMs: runtime.refreshIntervalSeconds * 1000,
		// Idle, only the latency probe talks to the API: stale means several probes went unanswered.
		minStaleMs: 3 * (runtime.probeIntervalSeconds ?? 5) * 1000,
	});
	const writer = new ScreenWriter(options.stdout, {maxFps: MAX_FPS});
	const renderLog = options.renderLog ? renderLogger(options.renderLog) : null;
	// Outside of the frames: the clipboard goes straight to the terminal (tmux and SSH pass OSC 52 on), and Ctrl-L
	// makes the next paint a full one.
	const terminal: TerminalControl = {
		copy: text => options.stdout.write(osc52(text)),
		redraw: () => writer.invalidate(),
	};
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
			renderLog?.close();
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
				// A key's frame is painted at once, not at the next slot of the frame-rate limit.
				onKey={() => writer.expedite()}
				terminal={terminal}
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
				...(renderLog ? {onRender: renderLog.onRender} : {}),
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
