// The console's Text: Ink's, with every string child made printable (format/printable.ts). Names, messages and
// reasons from the API reach the panes as strings, and a pane cannot forget to escape one: panes and components
// import Text from here, never from ink (test/architecture/printable-text.test.ts keeps it so). An escape sequence
// in a folder name then neither drives the terminal nor splits and corrupts its row.
import {Text as InkText} from 'ink';
import React, {type ReactNode} from 'react';
import {printable} from '../../format/printable.js';

type TextProps = React.ComponentProps<typeof InkText>;

function safe(node: ReactNode): ReactNode {
	if (typeof node === 'string') return printable(node);
	if (Array.isArray(node)) return node.map(safe);
	return node;
}

export function Text({children, ...props}: TextProps) {
	return <InkText {...props}>{safe(children)}</InkText>;
}
