import {afterEach, describe, expect, it} from 'vitest';
import {fakePorts} from '../store/fakes.js';
import {KEY, renderConsole, type ConsoleHarness} from './render-console.js';

let harness: ConsoleHarness | null = null;
afterEach(() => {
	harness?.cleanup();
	harness = null;
});

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
		frame = await h.waitFor('1 of 1 001');
		expect(frame).toContain('folder_000000');
	});

	it('d asks before deleting the selected key, with Cancel focused', async () => {
		const {fakes, h} = cacheWith(small);
		await h.waitFor('projects_ws-1');
		await h.press('d');
		let frame = await h.waitFor('Delete cache key?');
		expect(frame).toMatch(/> Cancel </);
		await h.press(KEY.enter);
		await h.waitFor(text => !text.includes('Delete cache key?'));
		expect(fakes.cache.deleted).toEqual([]);

		await h.press('d', KEY.tab);
		frame = await h.waitFor('> Delete <');
		await h.press(KEY.enter);
		frame = await h.waitFor('removed');
		expect(fakes.cache.deleted).toEqual(['projects_ws-1']);
		expect(frame).toContain('entries 3');
		expect(frame).not.toContain('projects_ws-1 ');
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
		expect(frame).toMatch(/> Cancel </);
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

	it('shows a change made by another process without a key press', async () => {
		const {fakes, h} = cacheWith(small);
		await h.waitFor('entries 4');
		fakes.cache.entriesMap.delete('projects_ws-1');
		fakes.cache.notify();
		const frame = await h.waitFor('entries 3');
		expect(frame).not.toContain('projects_ws-1');
	});
});
