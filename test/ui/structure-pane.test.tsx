import {afterEach, describe, expect, it} from 'vitest';
import {fakePorts} from '../store/fakes.js';
import {KEY, renderConsole, type ConsoleHarness} from './render-console.js';

let harness: ConsoleHarness | null = null;
afterEach(() => {
	harness?.cleanup();
	harness = null;
});

// Below the tab bar, the status bar and the headline.
const row = (frame: string, name: string) => frame.split('\n').slice(3).find(line => line.includes(name)) ?? '';

describe('Structure pane', () => {
	it('opens on the tree down to the projects, with item counts', async () => {
		harness = renderConsole(fakePorts(), {pane: 'structure'});
		const frame = await harness.waitFor('OTHER_PROJECT');
		expect(row(frame, 'Demo Post')).toMatch(/▾ account Demo Post\s+\(1 item\)/);
		expect(row(frame, 'Main workspace')).toMatch(/^\s+▾ workspace Main workspace\s+\(2 items\)/);
		expect(row(frame, 'UNDLM_DOCU')).toMatch(/^\s+▸ project UNDLM_DOCU/);
		expect(frame).toContain('4 nodes loaded');
	});

	it('expands with → and Enter, collapses with ←, and marks listings from the cache', async () => {
		const fakes = fakePorts();
		harness = renderConsole(fakes, {pane: 'structure'});
		await harness.waitFor('OTHER_PROJECT');
		await harness.press('j', 'j', KEY.right);
		let frame = await harness.waitFor('WIP_BYSHOT');
		expect(row(frame, 'UNDLM_DOCU')).toContain('(2 items)');
		await harness.press('j', KEY.enter);
		frame = await harness.waitFor('SC01_OPENING');
		expect(row(frame, 'WIP_BYSHOT')).toContain('[cache]');
		expect(row(frame, 'UNDLM_DOCU')).not.toContain('[cache]');
		await harness.press(KEY.left);
		frame = await harness.waitFor(text => !text.includes('SC01_OPENING'));
		expect(row(frame, 'WIP_BYSHOT')).toContain('▸');
		// ← on a collapsed node goes to its parent
		await harness.press(KEY.left);
		await harness.press(KEY.left);
		frame = await harness.waitFor(text => !text.includes('WIP_BYSHOT'));
		expect(row(frame, 'UNDLM_DOCU')).toContain('▸');
		expect(fakes.structure.calls.filter(id => id === 'proj-1')).toHaveLength(1);
	});

	it('shows a spinner on a node while its listing loads', async () => {
		const fakes = fakePorts();
		let release!: () => void;
		harness = renderConsole(fakes, {pane: 'structure'});
		await harness.waitFor('OTHER_PROJECT');
		fakes.structure.gate = () => new Promise<void>(resolve => (release = resolve));
		await harness.press('j', 'j', KEY.right);
		const frame = await harness.waitFor('loading 1');
		expect(row(frame, 'UNDLM_DOCU')).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] project UNDLM_DOCU/);
		fakes.structure.gate = null;
		release();
		await harness.waitFor('WIP_BYSHOT');
	});

	it('lists every page of a 10 000-child folder and scrolls to its last child', async () => {
		const fakes = fakePorts({bigFolderChildren: 10_000, pageSize: 1000});
		harness = renderConsole(fakes, {pane: 'structure'});
		await harness.waitFor('OTHER_PROJECT');
		await harness.press('j', 'j', KEY.right);
		await harness.waitFor('BIG_FOLDER');
		await harness.press('j', 'j', KEY.enter);
		let frame = await harness.waitFor('10 000 items · 10 pages');
		expect(frame.split('\n')).toHaveLength(24);
		await harness.press('G');
		frame = await harness.waitFor('UNDLM_09999_v001.mov');
		expect(frame).toContain('10 006 of 10 006'); // the last row is OTHER_PROJECT, below the big folder
		expect(frame).not.toContain('UNDLM_00000_v001.mov');
	});

	it('filters the loaded nodes with /', async () => {
		const fakes = fakePorts();
		harness = renderConsole(fakes, {pane: 'structure'});
		await harness.waitFor('OTHER_PROJECT');
		await harness.press('j', 'j', KEY.right);
		await harness.waitFor('WIP_BYSHOT');
		await harness.press('j', KEY.right);
		await harness.waitFor('SC01_OPENING');
		await harness.press(KEY.left, '/');
		await harness.type('opening');
		let frame = await harness.waitFor('1 match');
		expect(frame).toContain('SC01_OPENING');
		expect(frame).not.toContain('OTHER_PROJECT');
		expect(frame).toContain('WIP_BYSHOT'); // the path to the match stays
		await harness.press(KEY.escape);
		frame = await harness.waitFor('OTHER_PROJECT');
		expect(frame).not.toContain('SC01_OPENING');
	});

	it('r reloads the selected listing', async () => {
		const fakes = fakePorts();
		harness = renderConsole(fakes, {pane: 'structure'});
		await harness.waitFor('OTHER_PROJECT');
		await harness.press('j', 'j', KEY.right);
		await harness.waitFor('WIP_BYSHOT');
		await harness.press('r');
		await harness.waitFor('WIP_BYSHOT');
		expect(fakes.structure.calls.filter(id => id === 'proj-1')).toHaveLength(2);
	});
});
