// A one-line text input (filter, purge pattern, path). Modal while open: every key is its own, so typing "q"
// types a q.
import {Text} from '../kit/text.js';
import React, {useRef} from 'react';
import {useKeys} from '../kit/input-router.js';
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

export function TextPrompt({label, value, onChange, onSubmit, onCancel, onComplete, suffix, width}: TextPromptProps) {
	const theme = useTheme();
	// Keys can arrive faster than the parent re-renders with the new value: build on the latest one.
	const latest = useRef(value);
	latest.current = value;
	const change = (next: string) => {
		latest.current = next;
		onChange(next);
	};
	useKeys(
		key => {
			const current = latest.current;
			switch (key.name) {
				case 'enter':
					onSubmit(current);
					return true;
				case 'escape':
					onCancel();
					return true;
				case 'backspace':
					change([...current].slice(0, -1).join(''));
					return true;
				case 'tab':
					if (onComplete) change(onComplete(current));
					return true;
				default:
					// Printable text only; a pasted newline would submit half a path.
					if (key.text && !/[\u0000-\u001f\u007f]/.test(key.text)) change(current + key.text);
					return true;
			}
		},
		{modal: true},
	);
	const room = Math.max(4, width - label.length - (suffix ? suffix.length + 2 : 0) - 2);
	const shown = value.length > room ? `…${value.slice(value.length - room + 1)}` : value;
	return (
		<Text wrap="truncate-end">
			<Text bold color={theme.accent}>
				{label}
			</Text>
			{shown}
			<Text inverse> </Text>
			{suffix ? <Text color={theme.info}>{`  ${suffix}`}</Text> : null}
		</Text>
	);
}
