import {afterEach, describe, expect, it} from 'vitest';
import {fakePorts} from '../store/fakes.js';
import {KEY, renderConsole, type ConsoleHarness} from './render-console.js';

let harness: ConsoleHarness | null = null;
afterEach(() => {
	harness?.cleanup();
	harness = null;
});

/** The selected row, as the harness sees it (no colour: the one row the cursor is on, found by its position). */
function selectedLine(h: ConsoleHarness): string {
	const frame = h.frame().split('\n');
	const bottom = frame.findIndex(line => / of \d+/.test(line) && !line.includes('  '));
	const [index] = (frame[bottom] ?? '').match(/^\d+/) ?? ['0'];
	const header = frame.findIndex(line => line.startsWith('KEY'));
	return frame[header + Number(index)] ?? '';
}

function cacheWith(setup: (fakes: ReturnType<typeof fakePorts>) => void) {
	const fakes = fakePorts();
	setup(fakes);
	harness = renderConsole(fakes, {pane: 'cache'});
	return {fakes, h: harness};
}

const small = (fakes: ReturnType<typeof fakePorts>) => {
	fakes.cache.set('projects_ws-1', {ageMs: 65_000, ttlMs: 1_800_000});
	fakes.cache.set('folder_f-1_children', {ageMs: 5_000, ttlMs: 900_000});
	fakes.cache.set('folder_f-2_children', {ageMs: 3_600_000, ttlMs: 1_000});
	fakes.cache.set('structure_proj-1', {ageMs: 10_000, ttlMs: 3_600_000});
	fakes.cache.hits = 82;
	fakes.cache.misses = 18;
};

describe('Cache pane', () => {
	it('shows the summary (entries by type, hit rate, bytes, TTLs) and each key with type, age and TTL left', async () => {
		const {h} = cacheWith(small);
		const frame = await h.waitFor('projects_ws-1');
		expect(frame).toContain('entries 4 (valid 3, expired 1)');
		expect(frame).toContain('hit rate 82.0 % (82 hits, 18 misses)');
		expect(frame).toContain('400 B');
		expect(frame).toContain('folder 2 ttl 15m00s');
		expect(frame).toContain('projects 1 ttl 30m00s');
		const line = (key: string) => frame.split('\n').find(row => row.includes(key))!;
		expect(line('projects_ws-1')).toMatch(/projects_ws-1\s+projects\s+1m\s+28m/);
		expect(line('folder_f-2_children')).toMatch(/folder\s+1h\s+expired/);
	});

	it('renders only the visible rows of 100 000 keys, and moves with j, G, g, PgDn', async () => {
		const {h} = cacheWith(fakes => fakes.cache.fill(100_000));
		let frame = await h.waitFor('folder_000000');
		expect(frame.split('\n')).toHaveLength(24);
		expect(frame).toContain('1 of 100 000');
		expect(frame).not.toContain('folder_000030');
		await h.press('G');
		frame = await h.waitFor('100 000 of 100 000');
		expect(frame).toContain('folder_099999');
		expect(frame).not.toContain('folder_000000');
		await h.press('g', 'j', 'j');
		await h.waitFor('3 of 100 000');
		await h.press(KEY.pageDown);
		frame = await h.waitFor(text => /\b1[0-9] of 100 000/.test(text));
		expect(frame).toContain('folder_000002');
	});

	it('filters the keys with / (Enter keeps the filter, Esc clears it)', async () => {
		const {h} = cacheWith(fakes => {
			fakes.cache.fill(1000);
			fakes.cache.set('projects_ws-1');
		});
		await h.waitFor('folder_000000');
		await h.press('/');
		await h.type('0099');
		let frame = await h.waitFor('11 of 1 001 keys');
		expect(frame).toContain('folder_000099');
		expect(frame).toContain('folder_000990');
		expect(frame).not.toContain('folder_000100');
		await h.press(KEY.enter);
		frame = await h.waitFor('filter "0099" of 1 001');
		await h.press(KEY.escape);
		// The filter is gone, the selection stays on the key it found.
		frame = await h.waitFor('100 of 1 001');
		expect(frame.split('\n').find(line => line.startsWith('folder_000099'))).toBeDefined();
	});

	it('d asks before deleting the selected key, "Keep the key" focused, then the cursor goes to its neighbour', async () => {
		const {fakes, h} = cacheWith(small);
		await h.waitFor('projects_ws-1');
		// Sorted by key: folder_f-1…, folder_f-2…, projects_ws-1, structure_proj-1.
		await h.press('j', 'j', 'd');
		let frame = await h.waitFor('Delete cache key?');
		expect(frame).toContain('projects_ws-1');
		expect(frame).toMatch(/> Keep the key < +Delete key/);
		await h.press(KEY.enter);
		await h.waitFor(text => !text.includes('Delete cache key?'));
		expect(fakes.cache.deleted).toEqual([]);

		await h.press('d', KEY.tab);
		frame = await h.waitFor('> Delete key <');
		await h.press(KEY.enter);
		frame = await h.waitFor('removed');
		expect(fakes.cache.deleted).toEqual(['projects_ws-1']);
		expect(frame).toContain('entries 3');
		expect(frame).not.toContain('projects_ws-1 ');
		// The row below the deleted one, at the same place.
		frame = await h.waitFor('3 of 3');
		expect(selectedLine(h)).toMatch(/^structure_proj-1 /);
	});

	it('after a purge, the cursor stays on its key, or goes to the nearest key left', async () => {
		const {h} = cacheWith(fakes => {
			for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) fakes.cache.set(`folder_${name}_children`);
			fakes.cache.set('folder_d_subfolders');
			fakes.cache.set('folder_e_subfolders');
		});
		await h.waitFor('folder_a_children');
		// Sorted: a_c, b_c, c_c, d_c, d_s, e_c, e_s, f_c, g_c, h_c: on e_children (6th).
		await h.press('j', 'j', 'j', 'j', 'j');
		await h.waitFor('6 of 10');
		expect(selectedLine(h)).toMatch(/^folder_e_children /);
		// Purge what is above it: the cursor stays on folder_e_children.
		await h.press('P');
		await h.type('_subfolders');
		await h.press(KEY.enter, KEY.tab, KEY.enter);
		await h.waitFor('2 keys removed');
		await h.waitFor('5 of 8');
		expect(selectedLine(h)).toMatch(/^folder_e_children /);
		// Purge it and the ones after it: the nearest key left is the one before.
		await h.press('P');
		await h.type('folder_e');
		await h.press(KEY.enter, KEY.tab, KEY.enter);
		await h.waitFor('1 key removed');
		await h.waitFor('5 of 7');
		expect(selectedLine(h)).toMatch(/^folder_f_children /);
		await h.press('G', 'P');
		await h.type('_h_');
		await h.press(KEY.enter, KEY.tab, KEY.enter);
		await h.waitFor('6 of 6');
		expect(selectedLine(h)).toMatch(/^folder_g_children /);
	});

	it('Esc closes a confirmation without acting', async () => {
		const {fakes, h} = cacheWith(small);
		await h.waitFor('projects_ws-1');
		await h.press('x');
		await h.waitFor('Purge 1 expired entry?');
		await h.press(KEY.right, KEY.escape);
		await h.waitFor(text => !text.includes('Purge 1 expired'));
		expect(fakes.cache.purges).toEqual([]);
	});

	it('P previews how many keys a pattern matches, then purges them after confirmation', async () => {
		const {fakes, h} = cacheWith(small);
		await h.waitFor('projects_ws-1');
		await h.press('P');
		await h.type('folder_');
		let frame = await h.waitFor('2 keys match');
		expect(frame).toContain('purge keys containing: folder_');
		await h.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
		await h.type('proj');
		await h.waitFor('2 keys match'); // projects_ws-1 and structure_proj-1
		await h.type('ects');
		await h.waitFor('1 key matches');
		await h.type('x');
		await h.waitFor('0 keys match');
		await h.press(KEY.backspace);
		await h.press(KEY.enter);
		frame = await h.waitFor('Purge 1 key containing "projects"?');
		expect(frame).toMatch(/> Keep them < +Purge 1 key/);
		await h.press(KEY.tab, KEY.enter);
		await h.waitFor('purge "projects": 1 key removed');
		expect(fakes.cache.purges).toEqual([{pattern: 'projects'}]);
	});

	it('handles keys that arrive in one read (fast typing over SSH) one by one', async () => {
		const {fakes, h} = cacheWith(small);
		await h.waitFor('projects_ws-1');
		// One chunk: P opens the prompt, the rest is typed into it, Enter confirms the pattern.
		await h.press('Pprojects_\r');
		await h.waitFor('Purge 1 key containing "projects_"?');
		await h.press('\t\r');
		await h.waitFor('purge "projects_": 1 key removed');
		expect(fakes.cache.purges).toEqual([{pattern: 'projects_'}]);
		expect(h.consoleStore.clock.state().paused).toBe(false); // the p went into the prompt, not to "pause"
	});

	it('previews the seed\'s pattern "expired" as the expired entries, as the cache purges it', async () => {
		const {h} = cacheWith(small);
		await h.waitFor('projects_ws-1');
		await h.press('P');
		await h.type('expired');
		await h.waitFor('purge keys containing: expired   1 key matches: the expired entries');
	});

	it('x purges expired entries after confirmation', async () => {
		const {fakes, h} = cacheWith(small);
		await h.waitFor('projects_ws-1');
		await h.press('x');
		await h.waitFor('Purge 1 expired entry?');
		await h.press(KEY.left, KEY.enter);
		await h.waitFor('purge expired: 1 key removed');
		expect(fakes.cache.purges).toEqual([{expired: true}]);
		expect(h.frame()).not.toContain('folder_f-2_children');
	});

	it('C clears everything only once "clear" is typed', async () => {
		const {fakes, h} = cacheWith(small);
		await h.waitFor('projects_ws-1');
		await h.press('C');
		await h.waitFor('Clear the whole cache (4 entries)?');
		await h.press(KEY.enter);
		await h.waitFor('That is not "clear"');
		await h.type('clea');
		await h.press(KEY.enter);
		await h.waitFor('That is not "clear"');
		expect(fakes.cache.purges).toEqual([]);
		await h.type('r');
		await h.press(KEY.enter);
		await h.waitFor('clear: 4 keys removed');
		expect(fakes.cache.purges).toEqual([{all: true}]);
		await h.waitFor('the cache is empty');
	});

	it('refuses every destructive key in read-only mode', async () => {
		const fakes = fakePorts();
		small(fakes);
		harness = renderConsole(fakes, {pane: 'cache', readonly: true});
		await harness.waitFor('projects_ws-1');
		for (const key of ['d', 'P', 'x', 'C']) {
			await harness.press(key);
			const frame = await harness.waitFor('read-only mode');
			expect(frame).not.toContain('Cancel');
			expect(frame).not.toContain('purge keys containing');
			await harness.press('j');
		}
		expect(harness.frame()).toContain('READ-ONLY');
		expect(fakes.cache.purges).toEqual([]);
		expect(fakes.cache.deleted).toEqual([]);
	});

	it('says that nothing would be purged or cleared instead of asking', async () => {
		const {fakes, h} = cacheWith(fakes => fakes.cache.set('projects_ws-1', {ttlMs: 60_000}));
		await h.waitFor('projects_ws-1');
		await h.press('x');
		let frame = await h.waitFor('no entry has expired: nothing to purge');
		expect(frame).not.toContain('Purge 0');
		fakes.cache.entriesMap.clear();
		fakes.cache.notify();
		await h.waitFor('the cache is empty');
		await h.press('C');
		frame = await h.waitFor('the cache is already empty: nothing to clear');
		expect(frame).not.toContain('Type "clear"');
		expect(fakes.cache.purges).toEqual([]);
	});

	it('s cycles the sort column and S reverses it, marked in the header', async () => {
		const {h} = cacheWith(small);
		let frame = await h.waitFor('projects_ws-1');
		const keys = (text: string) => text.split('\n').slice(6, 10).map(line => line.split(' ')[0]);
		expect(frame).toContain('KEY↑');
		expect(keys(frame)).toEqual(['folder_f-1_children', 'folder_f-2_children', 'projects_ws-1', 'structure_proj-1']);
		await h.press('S');
		frame = await h.waitFor('KEY↓');
		expect(keys(frame)).toEqual(['structure_proj-1', 'projects_ws-1', 'folder_f-2_children', 'folder_f-1_children']);
		await h.press('s');
		frame = await h.waitFor('TYPE↑');
		expect(keys(frame).map(key => key.split('_')[0])).toEqual(['folder', 'folder', 'projects', 'structure']);
		await h.press('s');
		// AGE, youngest first: 5 s, 10 s, 65 s, 1 h.
		frame = await h.waitFor('AGE↑');
		expect(keys(frame)).toEqual(['folder_f-1_children', 'structure_proj-1', 'projects_ws-1', 'folder_f-2_children']);
		await h.press('s');
		frame = await h.waitFor('TTL LEFT↑');
		expect(keys(frame)[0]).toBe('folder_f-2_children');
		await h.press('s');
		await h.waitFor('KEY↑');
	});

	it('Enter shows the selected key (size, cached at, expiry, TTL), following the cursor; y copies it through OSC 52', async () => {
		const {h} = cacheWith(small);
		await h.waitFor('projects_ws-1');
		await h.press('j', 'j', KEY.enter);
		let frame = await h.waitFor('cached at');
		expect(frame).toMatch(/key +projects_ws-1/);
		expect(frame).toMatch(/type +projects/);
		expect(frame).toMatch(/size +100 B/);
		// As of the pane's clock, which moves in 10 s steps.
		expect(frame).toMatch(/cached at +\d\d:\d\d:\d\d \(1m[01]\ds ago\)/);
		expect(frame).toMatch(/expires at +\d\d:\d\d:\d\d \(TTL left 28m\d\ds\)/);
		expect(frame).toMatch(/TTL +30m00s/);
		await h.press('j');
		frame = await h.waitFor(/key +structure_proj-1/.test.bind(/key +structure_proj-1/));
		await h.press('y');
		frame = await h.waitFor('copied the key');
		expect(frame.split('\n').at(-1)).toContain('copied the key to the clipboard (OSC 52): structure_proj-1');
		expect(h.terminal.written).toEqual([`\u001B]52;c;${Buffer.from('structure_proj-1').toString('base64')}\u0007`]);
		await h.press(KEY.escape);
		await h.waitFor(text => !text.includes('cached at'));
	});

	it('adapts its columns: KEY keeps the end of a long key at 60 columns, and does not push TYPE to the edge at 200', async () => {
		const uuid = '4ff684c5-1a1f-5e6a-b154-42473a5f06b9';
		const {h} = cacheWith(fakes => {
			fakes.cache.set(`folder_${uuid}_children`);
			fakes.cache.set(`folder_${uuid}_subfolders`);
		});
		let frame = await h.waitFor('KEY');
		h.resize(60, 20);
		frame = await h.waitFor(text => text.split('\n').length === 20 && text.includes('folder '));
		const rows = frame.split('\n').filter(line => /_(children|subfolders) +folder/.test(line));
		expect(rows).toHaveLength(2);
		expect(rows[0]).toMatch(/…[0-9a-f-]*_children +folder/);
		expect(rows[1]).toMatch(/…[0-9a-f-]*_subfolders +folder/);
		for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
		h.resize(200, 30);
		frame = await h.waitFor(text => text.split('\n').length === 30);
		const wide = frame.split('\n').find(line => line.includes('_subfolders'))!;
		// Whole, and TYPE right after the longest key, not at column 180.
		expect(wide).toContain(`folder_${uuid}_subfolders`);
		expect(wide.indexOf(' folder ')).toBeLessThan(70);
		expect(frame.split('\n').find(line => line.startsWith('KEY'))!.indexOf('TYPE')).toBeLessThan(70);
	});

	it('shows a change made by another process without a key press', async () => {
		const {fakes, h} = cacheWith(small);
		await h.waitFor('entries 4');
		fakes.cache.entriesMap.delete('projects_ws-1');
		fakes.cache.notify();
		const frame = await h.waitFor('entries 3');
		expect(frame).not.toContain('projects_ws-1');
	});
});
