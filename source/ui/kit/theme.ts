// Colours in one object, so that NO_COLOR is one decision: chalk (under Ink) does not read NO_COLOR, so the
// no-colour theme simply sets no colour anywhere. Meaning never rides on colour alone: every status also has a
// word (PASS, FAIL, SANDBOX…), and the selection is inverse video, which NO_COLOR allows.
import React from 'react';

export type Theme = {
	noColor: boolean;
	accent?: string;
	ok?: string;
	warn?: string;
	fail?: string;
	info?: string;
	border?: string;
	sandbox?: string;
	live?: string;
	/** Secondary text; dim is only used with colours. */
	dim: boolean;
};

export const colorTheme: Theme = {
	noColor: false,
	accent: 'cyan',
	ok: 'green',
	warn: 'yellow',
	fail: 'red',
	info: 'blue',
	border: 'gray',
	sandbox: 'magenta',
	live: 'green',
	dim: true,
};

export const noColorTheme: Theme = {noColor: true, dim: false};

/** https://no-color.org: present and not empty disables colour. */
export function themeFromEnv(env: NodeJS.ProcessEnv = process.env): Theme {
	return env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? noColorTheme : colorTheme;
}

export const ThemeContext = React.createContext<Theme>(colorTheme);

export function useTheme(): Theme {
	return React.useContext(ThemeContext);
}
