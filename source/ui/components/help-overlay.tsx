// `?`: every binding of every scope, generated from the keymap, the current pane's first; destructive ones say when
// --readonly disables them.
import {Box} from 'ink';
import {Text} from '../kit/text.js';
import React, {useMemo, useState} from 'react';
import {disabledByReadonly, keymap, keysLabel, scopesFor, scopeTitles, type Scope} from '../kit/keymap.js';
import {useKeys} from '../kit/input-router.js';
import {displayWidth, fit} from '../../format/text.js';
import {useTheme} from '../kit/theme.js';

type Line = {kind: 'title'; text: string} | {kind: 'binding'; keys: string; text: string; disabled: boolean; destructive: boolean};

export function helpLines(readonly: boolean, pane: Scope = 'global'): Line[] {
	const lines: Line[] = [];
	for (const scope of scopesFor(pane)) {
		const bindings = keymap.filter(binding => binding.scope === scope);
		if (bindings.length === 0) continue;
		lines.push({kind: 'title', text: scope === pane ? `${scopeTitles[scope]} (this tab)` : scopeTitles[scope]});
		for (const binding of bindings) {
			const off = disabledByReadonly(binding);
			const suffix = off && readonly ? '  [disabled: --readonly]' : binding.destructive ? '  [asks to confirm; --readonly disables]' : binding.writes ? '  [--readonly disables]' : '';
			lines.push({kind: 'binding', keys: keysLabel(binding), text: binding.description + suffix, disabled: off && readonly, destructive: Boolean(binding.destructive)});
		}
	}
	return lines;
}

export function HelpOverlay({
	readonly,
	pane,
	width,
	height,
	onClose,
	onQuit,
}: {
	readonly: boolean;
	pane: Scope;
	width: number;
	height: number;
	onClose(): void;
	onQuit(): void;
}) {
	const theme = useTheme();
	const lines = useMemo(() => helpLines(readonly, pane), [readonly, pane]);
	const [top, setTop] = useState(0);
	const body = Math.max(1, height - 2);
	const maxTop = Math.max(0, lines.length - body);
	useKeys(
		key => {
			switch (key.name) {
				case 'escape':
				case '?':
				case 'enter':
					onClose();
					break;
				case 'q':
				case 'ctrl+c':
					onQuit();
					break;
				case 'j':
				case 'down':
					setTop(current => Math.min(maxTop, current + 1));
					break;
				case 'k':
				case 'up':
					setTop(current => Math.max(0, current - 1));
					break;
				case 'pagedown':
				case 'space':
				case ' ':
					setTop(current => Math.min(maxTop, current + body));
					break;
				case 'pageup':
					setTop(current => Math.max(0, current - body));
					break;
				case 'g':
					setTop(0);
					break;
				case 'G':
					setTop(maxTop);
					break;
			}
			return true;
		},
		{modal: true},
	);
	const visible = lines.slice(top, top + body);
	// As wide as the widest keys, so that the descriptions keep the room.
	const keysW = useMemo(() => Math.min(22, 2 + Math.max(...lines.map(line => (line.kind === 'binding' ? displayWidth(line.keys) : 0)))), [lines]);
	return (
		<Box flexDirection="column" width={width} height={height} overflowY="hidden">
			<Text bold color={theme.accent} wrap="truncate-end">
				{`Keys${readonly ? ' (read-only mode: destructive keys are disabled)' : ''}`}
			</Text>
			{visible.map((line, index) =>
				line.kind === 'title' ? (
					<Text key={index} bold underline={!theme.noColor} color={theme.info} wrap="truncate-end">
						{line.text}
					</Text>
				) : (
					<Text key={index} wrap="truncate-end" color={line.disabled ? theme.border : undefined} dimColor={line.disabled && theme.dim}>
						<Text bold>{`  ${fit(line.keys, keysW)}`}</Text>
						{line.text}
					</Text>
				),
			)}
			<Text color={theme.border} dimColor={theme.dim} wrap="truncate-end">
				{`${top + 1}-${Math.min(lines.length, top + body)} of ${lines.length} · j/k scroll · Esc or ? close`}
			</Text>
		</Box>
	);
}
