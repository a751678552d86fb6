import {afterEach, describe, expect, it, vi} from 'vitest';

// chalk (under Ink) decides its colour level when first loaded, and the test stdout is not a TTY; force colours
// so that the colour theme really emits them, and the no-colour theme's silence means something.
vi.hoisted(() => {
	process.env.FORCE_COLOR = '1';
});

const {colorTheme, noColorTheme, themeFromEnv} = await import('../../source/ui/kit/theme.js');
const {fakePorts} = await import('../store/fakes.js');
const {renderConsole} = await import('./render-console.js');

type Harness = ReturnType<typeof renderConsole>;
let harness: Harness | null = null;
afterEach(() => {
	harness?.cleanup();
	harness = null;
});

// SGR colour parameters: 30-37, 39, 90-97 foreground; 40-47, 49, 100-107 background; 38;… / 48;… extended.
const COLOR_SGR = /\u001B\[(?:[0-9;]*;)?(?:3[0-9]|9[0-7]|4[0-9]|10[0-7])(?:;[0-9;]*)?m/;

function busy() {
	const fakes = fakePorts();
	fakes.health.results = [
		{id: 'a', name: 'config', status: 'pass', reason: 'ok', ms: 1},
		{id: 'b', name: 'me', status: 'fail', reason: 'timeout', ms: 5000},
	];
	return fakes;
}

describe('themes', () => {
	it('reads NO_COLOR as no-color.org says: present and not empty', () => {
		expect(themeFromEnv({NO_COLOR: '1'})).toBe(noColorTheme);
		expect(themeFromEnv({NO_COLOR: 'anything'})).toBe(noColorTheme);
		expect(themeFromEnv({NO_COLOR: ''})).toBe(colorTheme);
		expect(themeFromEnv({})).toBe(colorTheme);
	});

	it('the colour theme colours the screen', async () => {
		harness = renderConsole(busy(), {theme: colorTheme});
		const frame = await harness.waitFor('FAIL');
		expect(frame).toMatch(COLOR_SGR);
	});

	it('the no-colour theme emits no colour at all, but keeps the selection visible in inverse video', async () => {
		harness = renderConsole(busy(), {theme: noColorTheme});
		const frame = await harness.waitFor('FAIL');
		expect(frame).not.toMatch(COLOR_SGR);
		expect(frame).toContain('\u001B[7m'); // inverse: the selected row and the active tab
		for (const key of ['2', '3', '4', '5', '?']) {
			await harness.press(key);
			expect(harness.frame()).not.toMatch(COLOR_SGR);
		}
	});
});
