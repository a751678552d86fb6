// Renders the whole console (App + a real ConsoleStore) over in-memory ports with ink-testing-library, at a
// chosen terminal size, and drives it with key presses.
import {render} from 'ink-testing-library';
import React from 'react';
import {createConsoleStore, type PaneId} from '../../source/store/console-store.js';
import {App} from '../../source/ui/app.js';
import {osc52} from '../../source/ui/kit/clipboard.js';
import {noColorTheme, type Theme} from '../../source/ui/kit/theme.js';
import {fakePorts} from '../store/fakes.js';

export const KEY = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	pageDown: '\u001B[6~',
	pageUp: '\u001B[5~',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	shiftTab: '\u001B[Z',
	backspace: '\u007F',
	ctrlC: '\u0003',
	ctrlA: '\u0001',
	ctrlE: '\u0005',
	ctrlK: '\u000B',
	ctrlL: '\u000C',
	ctrlU: '\u0015',
	ctrlW: '\u0017',
	home: '\u001B[H',
	end: '\u001B[F',
} as const;

export type ConsoleHarness = ReturnType<typeof renderConsole>;

export function renderConsole(
	fakes: ReturnType<typeof fakePorts> = fakePorts(),
	options: {readonly?: boolean; columns?: number; rows?: number; pane?: PaneId; theme?: Theme} = {},
) {
	const consoleStore = createConsoleStore(fakes.ports, {refreshIntervalMs: 60_000, minPublishMs: 5, healthMinPeriodMs: 60_000});
	let quits = 0;
	const size = {columns: options.columns ?? 80, rows: options.rows ?? 24};
	// What the console asked of the terminal outside its frames: the bytes of each OSC 52 copy, and Ctrl-L repaints.
	const terminal = {written: [] as string[], redraws: 0};
	const instance = render(
		<App
			console={consoleStore}
			theme={options.theme ?? noColorTheme}
			readonly={options.readonly ?? false}
			initialPane={options.pane}
			onQuit={() => quits++}
			terminal={{copy: text => terminal.written.push(osc52(text)), redraw: () => terminal.redraws++}}
		/>,
	);
	const stdout = instance.stdout as unknown as NodeJS.EventEmitter & {columns: number; rows: number};
	Object.defineProperty(stdout, 'columns', {get: () => size.columns, configurable: true});
	Object.defineProperty(stdout, 'rows', {get: () => size.rows, configurable: true});
	stdout.emit('resize');

	const frame = () => instance.lastFrame() ?? '';
	const tick = (ms = 15) => new Promise(resolve => setTimeout(resolve, ms));

	return {
		fakes,
		consoleStore,
		terminal,
		frame,
		/** Frame lines (no trailing empty line). */
		lines: () => frame().split('\n'),
		quits: () => quits,
		tick,
		async press(...keys: string[]) {
			for (const key of keys) {
				instance.stdin.write(key);
				await tick();
			}
		},
		async type(text: string) {
			for (const char of text) {
				instance.stdin.write(char);
				await tick(2);
			}
			await tick();
		},
		async waitFor(check: string | ((frame: string) => boolean), timeoutMs = 10_000): Promise<string> {
			const test = typeof check === 'string' ? (text: string) => text.includes(check) : check;
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				consoleStore.store.flush();
				await tick(5);
				const current = frame();
				if (test(current)) return current;
				if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof check === 'string' ? JSON.stringify(check) : 'a frame'}; last frame:\n${current}`);
			}
		},
		resize(columns: number, rows: number) {
			size.columns = columns;
			size.rows = rows;
			stdout.emit('resize');
		},
		cleanup() {
			instance.unmount();
			instance.cleanup();
			consoleStore.dispose();
		},
	};
}
