import {Box, Text} from 'ink';
import React from 'react';
import {footerHints, type Scope} from '../keymap.js';
import {useTheme} from '../theme.js';

export type FooterMessage = {text: string; tone: 'info' | 'error'};

/** The current pane's key hints from the keymap, or a message until the next key. */
export function Footer({scope, readonly, message, width, help = false}: {scope: Scope; readonly: boolean; message: FooterMessage | null; width: number; help?: boolean}) {
	const theme = useTheme();
	if (help && !message) {
		return (
			<Box width={width} height={1} overflow="hidden">
				<Text wrap="truncate-end">
					<Text bold>j/k</Text> scroll  <Text bold>Esc</Text> close  <Text bold>q</Text> quit
				</Text>
			</Box>
		);
	}
	if (message) {
		return (
			<Box width={width} height={1} overflow="hidden">
				<Text wrap="truncate-end" bold color={message.tone === 'error' ? theme.fail : theme.info}>
					{message.text}
				</Text>
			</Box>
		);
	}
	const hints = footerHints(scope, readonly);
	return (
		<Box width={width} height={1} overflow="hidden">
			<Text wrap="truncate-end">
				{readonly ? (
					<Text bold color={theme.warn}>
						{'READ-ONLY '}
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
