// The console: tab bar, status bar, the visible pane, footer; the help overlay on `?`. One Ink input listener
// routes every key (see input-router.ts); the root Box is exactly the terminal's size and follows resize.
import {Box, useInput} from 'ink';
import React, {useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore} from 'react';
import {PANES, type ConsoleStore, type PaneId} from '../store/console-store.js';
import {ConsoleContext, type ConsoleContextValue} from './kit/console-context.js';
import {Footer, type FooterMessage} from './components/footer.js';
import {HelpOverlay} from './components/help-overlay.js';
import {StatusBar} from './components/status-bar.js';
import {TabBar} from './components/tab-bar.js';
import {MIN_COLUMNS, MIN_ROWS, TooSmall} from './components/too-small.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {ViewStateContext} from './hooks/use-view-state.js';
import {InputRouter, InputRouterContext} from './kit/input-router.js';
import type {TerminalControl} from './kit/clipboard.js';
import {keyPress, splitKeys, type KeyPress} from './kit/keys.js';
import {disabledByReadonly, resolveKey} from './kit/keymap.js';
import {CachePane} from './panes/cache-pane.js';
import {FarmPane} from './panes/farm-pane.js';
import {HealthPane} from './panes/health-pane.js';
import {LogsPane} from './panes/logs-pane.js';
import {MetricsPane} from './panes/metrics-pane.js';
import type {PaneProps} from './panes/pane-props.js';
import {StructurePane} from './panes/structure-pane.js';
import {UploadsPane} from './panes/uploads-pane.js';
import {ThemeContext, type Theme} from './kit/theme.js';

export type AppProps = {
	console: ConsoleStore;
	theme: Theme;
	readonly: boolean;
	/** q, Ctrl-C: the caller unmounts and restores the terminal. */
	onQuit(): void;
	initialPane?: PaneId;
	/** Every key, before it is handled (the terminal paints the frame that answers it without waiting). */
	onKey?(): void;
	/** The clipboard (OSC 52) and a full repaint (Ctrl-L); run-console gives the real terminal's. */
	terminal?: TerminalControl;
};

const panes: Record<PaneId, (props: PaneProps) => React.JSX.Element> = {
	health: HealthPane,
	cache: CachePane,
	structure: StructurePane,
	metrics: MetricsPane,
	uploads: UploadsPane,
	farm: FarmPane,
	logs: LogsPane,
};

// Tab bar, status bar, footer.
const CHROME_ROWS = 3;

export function App({console: consoleStore, theme, readonly, onQuit, initialPane = 'health', onKey, terminal}: AppProps) {
	const {columns, rows} = useTerminalSize();
	const [pane, setPane] = useState<PaneId>(initialPane);
	const [help, setHelp] = useState(false);
	const [message, setMessage] = useState<FooterMessage | null>(null);
	const [inputOpen, setInputOpenState] = useState(false);
	// Another process's uploads are read-only here: the footer marks their keys as off, as --readonly does.
	const uploadsHeldBy = useSyncExternalStore(consoleStore.store.subscribe, () => consoleStore.store.get().uploads.heldBy);
	// A prompt says it is open after each of its renders: only a change may render the App (and so Ink) again.
	const inputOpenRef = useRef(false);
	const setInputOpen = useCallback((open: boolean) => {
		if (inputOpenRef.current === open) return;
		inputOpenRef.current = open;
		setInputOpenState(open);
	}, []);
	const router = useMemo(() => new InputRouter(), []);
	const viewState = useMemo(() => new Map<string, unknown>(), []);
	const quitRef = useRef(onQuit);
	quitRef.current = onQuit;

	const flash = useCallback((text: string, tone: 'info' | 'error' = 'info') => setMessage({text, tone}), []);
	const terminalRef = useRef(terminal);
	terminalRef.current = terminal;
	const copy = useCallback(
		(text: string | undefined, what: string) => {
			if (!text) return flash(`this row has no ${what} to copy`);
			if (!terminalRef.current) return flash('this terminal has no clipboard', 'error');
			terminalRef.current.copy(text);
			flash(`copied the ${what} to the clipboard (OSC 52): ${text}`);
		},
		[flash],
	);
	const context = useMemo<ConsoleContextValue>(() => ({console: consoleStore, readonly, flash, copy, setInputOpen}), [consoleStore, readonly, flash, copy, setInputOpen]);

	useEffect(() => {
		consoleStore.setActivePane(pane);
	}, [consoleStore, pane]);

	const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;

	const handleKey = (press: KeyPress) => {
		setMessage(null);
		if (press.name === 'ctrl+c') return quitRef.current();
		// Ctrl-L repaints whatever is open, a dialog or a text input included (as in a shell).
		if (resolveKey(press.name, ['global'])?.command === 'redraw') {
			terminalRef.current?.redraw();
			return;
		}
		if (tooSmall) {
			if (press.name === 'q') quitRef.current();
			return;
		}
		if (router.dispatchModal(press)) return;

		// Keys that remove something or write to Frame.io are refused here, once, for every pane: the pane never sees
		// them in read-only mode.
		const paneBinding = resolveKey(press.name, [pane]);
		if (paneBinding && disabledByReadonly(paneBinding) && readonly) {
			flash(`read-only mode: "${paneBinding.description}" is disabled (started with --readonly)`, 'error');
			return;
		}
		// The same for the uploads of another process (watch holds the box's queue): they are its to change.
		const heldBy = consoleStore.store.get().uploads.heldBy;
		if (paneBinding && pane === 'uploads' && heldBy !== null && (disabledByReadonly(paneBinding) || paneBinding.command === 'uploads.pause')) {
			flash(`${heldBy} holds this box's upload queue: "${paneBinding.description}" is its to do (read-only here)`, 'error');
			return;
		}
		if (router.dispatch(press)) return;

		const binding = resolveKey(press.name, ['global']);
		if (!binding) return;
		const index = PANES.indexOf(pane);
		switch (binding.command) {
			case 'quit':
				quitRef.current();
				return;
			case 'help':
				setHelp(true);
				return;
			case 'tab.next':
				setPane(PANES[(index + 1) % PANES.length]);
				return;
			case 'tab.previous':
				setPane(PANES[(index - 1 + PANES.length) % PANES.length]);
				return;
			case 'refresh':
				consoleStore.refreshNow();
				return;
			case 'freeze':
				consoleStore.clock.togglePause();
				flash(consoleStore.clock.state().paused ? 'refresh frozen: the screen stays as it is (f unfreezes, r refreshes once)' : 'refresh unfrozen');
				return;
			case 'interval.faster':
			case 'interval.slower': {
				const before = consoleStore.clock.state().intervalMs;
				if (binding.command === 'interval.faster') consoleStore.clock.faster();
				else consoleStore.clock.slower();
				const after = consoleStore.clock.state().intervalMs;
				flash(after === before ? `refresh every ${after / 1000} s already (${binding.command === 'interval.faster' ? 'the shortest' : 'the longest'})` : `refresh every ${after / 1000} s (+ more often, - less often)`);
				return;
			}
			default:
				if (binding.command.startsWith('tab.')) {
					const target = binding.command.slice(4) as PaneId;
					if (PANES.includes(target)) setPane(target);
				}
		}
	};
	const handleKeyRef = useRef(handleKey);
	handleKeyRef.current = handleKey;

	// Keys that arrived together (fast typing or Tab+Enter over SSH) are handled one at a time, each after the
	// previous one's render has been committed: "P" must have opened the purge prompt, and the prompt registered its
	// key handler (a layout effect), before the "p" typed right after it is routed, or it would pause the pane.
	// Waiting a macrotask is not enough on a busy machine; the layout effect below runs after that commit. The next
	// key then goes through setImmediate, so a long paste is not one chain of nested synchronous renders.
	const queue = useRef<KeyPress[]>([]);
	const draining = useRef(false);
	const [handled, setHandled] = useState(0);
	const handleNext = useCallback(() => {
		const next = queue.current.shift();
		if (!next) {
			draining.current = false;
			return;
		}
		draining.current = true;
		handleKeyRef.current(next);
		setHandled(count => count + 1);
	}, []);
	useLayoutEffect(() => {
		if (!draining.current) return;
		const timer = setImmediate(handleNext);
		return () => clearImmediate(timer);
	}, [handled, handleNext]);
	const onKeyRef = useRef(onKey);
	onKeyRef.current = onKey;
	useInput((input, key) => {
		onKeyRef.current?.();
		const press = keyPress(input, key);
		queue.current.push(...(press.name === 'paste' ? splitKeys(press.text) : [press]));
		if (!draining.current) handleNext();
	});

	if (tooSmall) {
		return <TooSmall columns={columns} rows={rows} />;
	}

	const Pane = panes[pane];
	const paneHeight = rows - CHROME_ROWS;
	// Boxes clip vertically only (overflowY), everywhere in the console: every text is already cut to its box's
	// width (fit, truncate, wrap="truncate-end"), and Ink's horizontal clip re-slices every line of every frame
	// through slice-ansi, about a fifth of a frame's render time.
	return (
		<ThemeContext.Provider value={theme}>
			<ConsoleContext.Provider value={context}>
				<InputRouterContext.Provider value={router}>
					<ViewStateContext.Provider value={viewState}>
						<Box flexDirection="column" width={columns} height={rows} overflowY="hidden">
							<TabBar active={pane} width={columns} />
							<StatusBar width={columns} />
							<Box height={paneHeight} width={columns} overflowY="hidden" flexDirection="column">
								{help ? (
									<HelpOverlay readonly={readonly} pane={pane} width={columns} height={paneHeight} onClose={() => setHelp(false)} onQuit={() => quitRef.current()} />
								) : (
									<Pane key={pane} width={columns} height={paneHeight} />
								)}
							</Box>
							<Footer scope={pane} help={help} input={inputOpen && !help} readonly={readonly} uploadsHeld={pane === 'uploads' && uploadsHeldBy !== null} message={message} width={columns} />
						</Box>
					</ViewStateContext.Provider>
				</InputRouterContext.Provider>
			</ConsoleContext.Provider>
		</ThemeContext.Provider>
	);
}
