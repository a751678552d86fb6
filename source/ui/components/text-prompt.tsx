// A one-line text input (filter, purge pattern, path) that edits like a readline: ←/→, Home/End, Ctrl-A/E, Ctrl-U/W/K,
// Backspace at the cursor. Modal while open: every key is its own, so typing "q" types a q; the footer shows the
// editing keys meanwhile.
import {Text} from '../kit/text.js';
import React, {useLayoutEffect, useRef} from 'react';
import {displayWidth, graphemes, terminalText} from '../../format/text.js';
import {useConsole} from '../kit/console-context.js';
import {useKeys} from '../kit/input-router.js';
import {resolveKey} from '../kit/keymap.js';
import {useTheme} from '../kit/theme.js';

export type TextPromptProps = {
	label: string;
	value: string;
	onChange(value: string): void;
	onSubmit(value: string): void;
	onCancel(): void;
	/** Tab: returns the completed value. */
	onComplete?(value: string): string;
	/** Shown after the input, e.g. a live match count. */
	suffix?: string;
	width: number;
};

export type Edit = {value: string; cursor: number};

/** What an editing command does to the text and the cursor (a grapheme index); null for other commands. */
export function applyEdit(command: string, edit: Edit, typed = ''): Edit | null {
	const chars = graphemes(edit.value);
	const at = Math.max(0, Math.min(edit.cursor, chars.length));
	const join = (parts: string[], cursor: number): Edit => ({value: parts.join(''), cursor});
	switch (command) {
		case 'input.left':
			return {value: edit.value, cursor: Math.max(0, at - 1)};
		case 'input.right':
			return {value: edit.value, cursor: Math.min(chars.length, at + 1)};
		case 'input.home':
			return {value: edit.value, cursor: 0};
		case 'input.end':
			return {value: edit.value, cursor: chars.length};
		case 'input.backspace':
			return at === 0 ? {value: edit.value, cursor: 0} : join([...chars.slice(0, at - 1), ...chars.slice(at)], at - 1);
		case 'input.deleteToStart':
			return join(chars.slice(at), 0);
		case 'input.deleteToEnd':
			return join(chars.slice(0, at), at);
		case 'input.deleteWord': {
			// readline's unix-word-rubout: the spaces before the cursor, then the word before them.
			let from = at;
			while (from > 0 && /\s/.test(chars[from - 1])) from--;
			while (from > 0 && !/\s/.test(chars[from - 1])) from--;
			return join([...chars.slice(0, from), ...chars.slice(at)], from);
		}
		case 'insert': {
			const added = graphemes(typed);
			return join([...chars.slice(0, at), ...added, ...chars.slice(at)], at + added.length);
		}
		default:
			return null;
	}
}

/** The part of the value around the cursor that fits `room` cells: before, the cursor's character, after. */
export function visiblePart(value: string, cursor: number, room: number): {before: string; at: string; after: string} {
	const chars = graphemes(terminalText(value));
	const at = chars[cursor] ?? ' ';
	const avail = Math.max(1, room - displayWidth(at));
	const afterAll = chars.slice(cursor + 1);
	const afterWidth = displayWidth(afterAll.join(''));
	// Most of the room goes to what is before the cursor (what was just typed), a third at least to what follows.
	const beforeRoom = avail - Math.min(afterWidth, Math.floor(avail / 3));
	let before = '';
	let used = 0;
	for (let i = Math.min(cursor, chars.length) - 1; i >= 0; i--) {
		const w = displayWidth(chars[i]);
		if (used + w > beforeRoom - (i > 0 ? 1 : 0)) {
			before = `…${before}`;
			used += 1;
			break;
		}
		before = chars[i] + before;
		used += w;
	}
	let after = '';
	let afterUsed = 0;
	const afterRoom = avail - used;
	for (let i = 0; i < afterAll.length; i++) {
		const w = displayWidth(afterAll[i]);
		if (afterUsed + w > afterRoom - (i < afterAll.length - 1 ? 1 : 0)) {
			after += '…';
			break;
		}
		after += afterAll[i];
		afterUsed += w;
	}
	return {before, at, after};
}

export function TextPrompt({label, value, onChange, onSubmit, onCancel, onComplete, suffix, width}: TextPromptProps) {
	const theme = useTheme();
	const {setInputOpen} = useConsole();
	// Keys can arrive faster than the parent re-renders with the new value: build on the latest one.
	const latest = useRef<Edit>({value, cursor: graphemes(value).length});
	const emitted = useRef(value);
	// A value set from outside (a completion, a reset) puts the cursor at its end; our own, not yet re-rendered,
	// stays as we left it.
	if (latest.current.value !== value && value !== emitted.current) {
		latest.current = {value, cursor: graphemes(value).length};
		emitted.current = value;
	}
	const [, rerender] = React.useReducer((n: number) => n + 1, 0);

	// Open while mounted. Enter and Esc say it closes in the same update as the pane's own change, so that no frame
	// shows the pane without its prompt but with the prompt's keys; a prompt that stays open sets it again.
	useLayoutEffect(() => {
		setInputOpen(true);
	});
	useLayoutEffect(() => () => setInputOpen(false), [setInputOpen]);

	const apply = (next: Edit) => {
		const changed = next.value !== latest.current.value;
		latest.current = next;
		if (changed) {
			emitted.current = next.value;
			onChange(next.value);
		} else rerender();
	};

	useKeys(
		key => {
			const current = latest.current;
			const binding = resolveKey(key.name, ['input']);
			switch (binding?.command) {
				case 'input.submit':
					setInputOpen(false);
					onSubmit(current.value);
					return true;
				case 'input.cancel':
					setInputOpen(false);
					onCancel();
					return true;
				case 'input.complete':
					if (onComplete) {
						const completed = onComplete(current.value);
						apply({value: completed, cursor: graphemes(completed).length});
					}
					return true;
			}
			const edit = binding ? applyEdit(binding.command, current) : null;
			if (edit) {
				apply(edit);
				return true;
			}
			// Printable text only; a pasted newline would submit half a path.
			if (key.text && !/[\u0000-\u001f\u007f]/.test(key.text)) apply(applyEdit('insert', current, key.text)!);
			return true;
		},
		{modal: true},
	);
	const room = Math.max(4, width - displayWidth(label) - (suffix ? displayWidth(suffix) + 2 : 0) - 1);
	const shown = visiblePart(latest.current.value, latest.current.cursor, room);
	return (
		<Text wrap="truncate-end">
			<Text bold color={theme.accent}>
				{label}
			</Text>
			{shown.before}
			<Text inverse>{shown.at}</Text>
			{shown.after}
			{suffix ? <Text color={theme.info}>{`  ${suffix}`}</Text> : null}
		</Text>
	);
}
