import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React from 'react';
import {displayWidth} from '../../format/text.js';
import {footerHints, type Scope} from '../kit/keymap.js';
import {useTheme} from '../kit/theme.js';

export type FooterMessage = {text: string; tone: 'info' | 'error'};

const READONLY_TAG = 'READ-ONLY ';
type Hint = ReturnType<typeof footerHints>[number];

const hintsWidth = (hints: readonly Hint[]) => hints.reduce((sum, hint) => sum + displayWidth(hint.keys) + 1 + displayWidth(hint.label), 0) + 2 * Math.max(0, hints.length - 1);

/**
 * The hints that fit the width. The global ones (help, quit) come last and always stay; the pane's own hints
 * nearest to them go first, so that a narrow terminal still says how to get help and how to quit.
 */
export function fitHints(hints: readonly Hint[], width: number, keep = 2): Hint[] {
	if (hints.length <= keep) return [...hints];
	const kept = [...hints];
	while (hintsWidth(kept) > width && kept.length > keep) kept.splice(kept.length - keep - 1, 1);
	return kept;
}

/** The current pane's key hints from the keymap (a text input's while one is open), or a message until the next key. */
export function Footer({
	scope,
	readonly,
	uploadsHeld = false,
	message,
	width,
	help = false,
	input = false,
}: {
	scope: Scope;
	readonly: boolean;
	/** The Uploads tab shows another process's queue: its keys are off, and the footer says READ-ONLY. */
	uploadsHeld?: boolean;
	message: FooterMessage | null;
	width: number;
	help?: boolean;
	input?: boolean;
}) {
	const theme = useTheme();
	if (help && !message) {
		return (
			<Box width={width} height={1} overflowY="hidden">
				<Text wrap="truncate-end">
					<Text bold>j/k</Text> scroll  <Text bold>Esc</Text> close  <Text bold>q</Text> quit
				</Text>
			</Box>
		);
	}
	if (message) {
		return (
			<Box width={width} height={1} overflowY="hidden">
				<Text wrap="truncate-end" bold color={message.tone === 'error' ? theme.fail : theme.info}>
					{message.text}
				</Text>
			</Box>
		);
	}
	// A text input keeps Enter and Esc whatever the width.
	const tagged = readonly || uploadsHeld;
	const hints = input ? fitHints(footerHints('input', readonly), width) : fitHints(footerHints(scope, readonly, uploadsHeld), width - (tagged ? READONLY_TAG.length : 0));
	return (
		<Box width={width} height={1} overflowY="hidden">
			<Text wrap="truncate-end">
				{tagged && !input ? (
					<Text bold color={theme.warn}>
						{READONLY_TAG}
					</Text>
				) : null}
				{hints.map((hint, index) => (
					<Text key={index} color={hint.disabled ? theme.border : undefined} dimColor={hint.disabled && theme.dim} strikethrough={hint.disabled && !theme.noColor}>
						<Text bold={!hint.disabled}>{hint.keys}</Text>
						{` ${hint.label}${index < hints.length - 1 ? '  ' : ''}`}
					</Text>
				))}
			</Text>
		</Box>
	);
}
