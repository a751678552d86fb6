// Confirmation for destructive keys. Each button says what it does ("Keep uploading" / "Cancel upload"), and the one
// that changes nothing has the focus when it opens, so Enter (or Esc) alone never destroys.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React, {useState} from 'react';
import {useKeys} from '../kit/input-router.js';
import {useTheme} from '../kit/theme.js';
import {TextPrompt} from './text-prompt.js';

const MAX_WIDTH = 76;

/** The box both dialogs share: a border and a bold title in the dialog's colour, then its lines. */
function DialogFrame({title, lines, color, width, children}: {title: string; lines: string[]; color: string | undefined; width: number; children: React.ReactNode}) {
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={color} paddingX={1} width={Math.min(width, MAX_WIDTH)}>
			<Text bold color={color} wrap="truncate-end">
				{title}
			</Text>
			{lines.map((line, index) => (
				<Text key={index} wrap="truncate-end">
					{line}
				</Text>
			))}
			{children}
		</Box>
	);
}

export type ConfirmDialogProps = {
	title: string;
	lines: string[];
	/** What the action does: "Delete key", "Cancel upload". */
	confirmLabel: string;
	/** What keeping things as they are means here: "Keep the key", "Keep uploading". */
	cancelLabel: string;
	onConfirm(): void;
	onCancel(): void;
	width: number;
};

export function ConfirmDialog({title, lines, confirmLabel, cancelLabel, onConfirm, onCancel, width}: ConfirmDialogProps) {
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
		<DialogFrame title={title} lines={lines} color={theme.warn} width={width}>
			<Box marginTop={1}>
				{button(cancelLabel, focus === 'cancel')}
				<Text>   </Text>
				{button(confirmLabel, focus === 'confirm', theme.fail)}
			</Box>
			<Text color={theme.border} dimColor={theme.dim}>
				{`Tab/←/→ switch · Enter choose · Esc: ${cancelLabel.toLowerCase()}`}
			</Text>
		</DialogFrame>
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
	const inner = Math.min(width, MAX_WIDTH) - 4;
	return (
		<DialogFrame title={title} lines={lines} color={theme.fail} width={width}>
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
		</DialogFrame>
	);
}
