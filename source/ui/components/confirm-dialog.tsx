// Confirmation for destructive keys. Cancel has the focus when it opens, so Enter (or Esc) alone never destroys.
import {Box, Text} from 'ink';
import React, {useState} from 'react';
import {useKeys} from '../input-router.js';
import {useTheme} from '../theme.js';
import {TextPrompt} from './text-prompt.js';

export type ConfirmDialogProps = {
	title: string;
	lines: string[];
	confirmLabel: string;
	onConfirm(): void;
	onCancel(): void;
	width: number;
};

export function ConfirmDialog({title, lines, confirmLabel, onConfirm, onCancel, width}: ConfirmDialogProps) {
	const theme = useTheme();
	const [focus, setFocus] = useState<'cancel' | 'confirm'>('cancel');
	useKeys(
		key => {
			switch (key.name) {
				case 'tab':
				case 'shift+tab':
				case 'left':
				case 'right':
				case 'h':
				case 'l':
					setFocus(current => (current === 'cancel' ? 'confirm' : 'cancel'));
					return true;
				case 'enter':
					if (focus === 'confirm') onConfirm();
					else onCancel();
					return true;
				case 'escape':
					onCancel();
					return true;
				default:
					return true;
			}
		},
		{modal: true},
	);
	const button = (label: string, focused: boolean, color?: string) => (
		<Text inverse={focused} bold={focused} color={color}>
			{focused ? `> ${label} <` : `  ${label}  `}
		</Text>
	);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={theme.warn} paddingX={1} width={Math.min(width, 76)}>
			<Text bold color={theme.warn} wrap="truncate-end">
				{title}
			</Text>
			{lines.map((line, index) => (
				<Text key={index} wrap="truncate-end">
					{line}
				</Text>
			))}
			<Box marginTop={1}>
				{button('Cancel', focus === 'cancel')}
				<Text>   </Text>
				{button(confirmLabel, focus === 'confirm', theme.fail)}
			</Box>
			<Text color={theme.border} dimColor={theme.dim}>
				Tab/←/→ switch · Enter choose · Esc cancel
			</Text>
		</Box>
	);
}

/** For the heaviest action: the user types a word (e.g. "clear"); Enter with anything else does nothing. */
export function TypedConfirmDialog({
	title,
	lines,
	word,
	onConfirm,
	onCancel,
	width,
}: {
	title: string;
	lines: string[];
	word: string;
	onConfirm(): void;
	onCancel(): void;
	width: number;
}) {
	const theme = useTheme();
	const [value, setValue] = useState('');
	const [wrong, setWrong] = useState(false);
	const inner = Math.min(width, 76) - 4;
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={theme.fail} paddingX={1} width={Math.min(width, 76)}>
			<Text bold color={theme.fail} wrap="truncate-end">
				{title}
			</Text>
			{lines.map((line, index) => (
				<Text key={index} wrap="truncate-end">
					{line}
				</Text>
			))}
			<TextPrompt
				label={`Type "${word}" to confirm: `}
				value={value}
				width={inner}
				onChange={next => {
					setValue(next);
					setWrong(false);
				}}
				onSubmit={submitted => {
					if (submitted === word) onConfirm();
					else setWrong(true);
				}}
				onCancel={onCancel}
			/>
			<Text color={wrong ? theme.fail : theme.border} dimColor={!wrong && theme.dim}>
				{wrong ? `That is not "${word}". Type it exactly, or Esc to cancel.` : 'Enter confirm · Esc cancel'}
			</Text>
		</Box>
	);
}
