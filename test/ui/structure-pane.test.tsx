import {afterEach, describe, expect, it} from 'vitest';
import {FakeStructure, fakePorts, folder, type FakeTree} from '../store/fakes.js';
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

	it('expands with →, collapses with ←, and marks listings from the cache', async () => {
		const fakes = fakePorts();
		harness = renderConsole(fakes, {pane: 'structure'});
		await harness.waitFor('OTHER_PROJECT');
		await harness.press('j', 'j', KEY.right);
		let frame = await harness.waitFor('WIP_BYSHOT');
		expect(row(frame, 'UNDLM_DOCU')).toContain('(2 items)');
		await harness.press('j', KEY.right);
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
		await harness.press('j', 'j', KEY.right);
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

	it('Enter opens the details of a file (ids, size, status, times, folder path, view_url), which follow the cursor; y and Y copy', async () => {
		const fakes = fakePorts();
		const render = (id: string, name: string, size: number, updated: string): FakeTree => ({
			node: {
				id,
				kind: 'file',
				name,
				expandable: false,
				size,
				status: 'transcoded',
				mediaType: 'video/mp4',
				createdAt: '2025-01-07T14:30:15.000Z',
				updatedAt: updated,
				viewUrl: `https://next.frame.io/project/proj-1/view/${id}`,
			},
		});
		const shot = folder('f-shot', 'UNDLM_00110', [
			render('file-b', 'UNDLM_SEQ02_00110_v114.mp4', 3 * 1024 * 1024, '2025-01-08T09:00:00.000Z'),
			render('file-a', 'UNDLM_SEQ02_00110_v113.mp4', 9 * 1024 * 1024, '2025-01-07T09:00:00.000Z'),
		]);
		fakes.ports.structure = new FakeStructure([
			{
				node: {id: 'acc-1', kind: 'account', name: 'Demo Post', expandable: true},
				children: [{node: {id: 'ws-1', kind: 'workspace', name: 'Main', expandable: true}, children: [{node: {id: 'proj-1', kind: 'project', name: 'UNDLM_DOCU', expandable: true}, children: [shot]}]}],
			},
		]);
		harness = renderConsole(fakes, {pane: 'structure'});
		await harness.waitFor('UNDLM_DOCU');
		await harness.press('j', 'j', KEY.right);
		await harness.waitFor('UNDLM_00110');
		await harness.press('j', KEY.right);
		await harness.waitFor('v113');
		await harness.press('j', KEY.enter);
		let frame = await harness.waitFor('view_url');
		expect(frame).toMatch(/id +file-b/);
		expect(frame).toMatch(/size +3\.0 MB \(3 145 728 bytes\)/);
		expect(frame).toMatch(/status +transcoded/);
		expect(frame).toMatch(/media type +video\/mp4/);
		expect(frame).toMatch(/created +2025-01-0[78] \d\d:\d\d:\d\d/);
		expect(frame).toMatch(/in +Demo Post \/ Main \/ UNDLM_DOCU \/ UNDLM_00110/);
		expect(frame).toMatch(/view_url +https:\/\/next\.frame\.io\/project\/proj-1\/view\/file-b/);
		// The details follow the cursor.
		await harness.press('j');
		frame = await harness.waitFor(text => /id +file-a/.test(text));
		await harness.press('y');
		await harness.waitFor('copied the file id');
		await harness.press('Y');
		await harness.waitFor('copied the view_url');
		expect(harness.terminal.written).toEqual([
			`\u001B]52;c;${Buffer.from('file-a').toString('base64')}\u0007`,
			`\u001B]52;c;${Buffer.from('https://next.frame.io/project/proj-1/view/file-a').toString('base64')}\u0007`,
		]);
		// Esc closes them; → and ← still open and close.
		await harness.press(KEY.escape);
		await harness.waitFor(text => !text.includes('view_url'));

		// s sorts every node's children: NAME puts v113 before v114; SIZE (largest first) too; S reverses.
		const order = (text: string) => text.split('\n').filter(line => /v11[34]\.mp4/.test(line)).map(line => line.match(/v11[34]/)![0]);
		expect(order(harness.frame())).toEqual(['v114', 'v113']);
		await harness.press('s');
		frame = await harness.waitFor('sorted by NAME ↑');
		expect(order(frame)).toEqual(['v113', 'v114']);
		await harness.press('S');
		frame = await harness.waitFor('sorted by NAME ↓');
		expect(order(frame)).toEqual(['v114', 'v113']);
		await harness.press('s');
		frame = await harness.waitFor('sorted by SIZE ↓');
		expect(order(frame)).toEqual(['v113', 'v114']);
	});
});
