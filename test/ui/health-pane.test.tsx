import {afterEach, describe, expect, it} from 'vitest';
import {fakePorts} from '../store/fakes.js';
import {KEY, renderConsole, type ConsoleHarness} from './render-console.js';

let harness: ConsoleHarness | null = null;
afterEach(() => {
	harness?.cleanup();
	harness = null;
});

function withChecks() {
	const fakes = fakePorts();
	fakes.health.results = [
		{id: 'config', name: 'configuration valid', status: 'pass', reason: '3 files, defaults merged', ms: 3},
		{id: 'me', name: 'GET /v4/me round trip', status: 'fail', reason: 'timed out after 10 s (API did not answer)', ms: 10_000},
		{id: 'disk', name: 'disk space (logs)', status: 'warn', reason: 'only 4 % free on /var/log', ms: 12},
		{id: 'cache', name: 'cache store', status: 'pass', reason: 'readable and writable, hit rate 82 %', ms: 45},
	];
	return fakes;
}

describe('Health pane', () => {
	it('shows every check with status, reason and duration, failing first', async () => {
		harness = renderConsole(withChecks());
		const frame = await harness.waitFor('GET /v4/me');
		expect(frame).toContain('4 checks · 2 pass · 1 warn · 1 fail');
		const lines = frame.split('\n');
		const row = (name: string) => lines.findIndex(line => line.includes(name));
		expect(lines[row('GET /v4/me')]).toMatch(/FAIL\s+GET \/v4\/me round trip\s+10\.0 s timed out after 10 s/);
		expect(lines[row('disk space')]).toMatch(/WARN\s+disk space \(logs\)\s+12 ms only 4 % free/);
		expect(lines[row('cache store')]).toContain('45 ms');
		expect(row('GET /v4/me')).toBeLessThan(row('disk space'));
		expect(row('disk space')).toBeLessThan(row('configuration valid'));
		expect(row('configuration valid')).toBeLessThan(row('cache store'));
	});

	it('re-runs the checks on r and shows the new results', async () => {
		const fakes = withChecks();
		harness = renderConsole(fakes);
		await harness.waitFor('1 fail');
		expect(fakes.health.runs).toBe(1);
		fakes.health.results = fakes.health.results.map(check => ({...check, status: 'pass', reason: 'fine now'}));
		await harness.press('r');
		await harness.waitFor('4 checks · 4 pass · 0 warn · 0 fail');
		expect(fakes.health.runs).toBe(2);
	});

	it('moves the selection and shows the full reason of the selected check on Enter', async () => {
		const fakes = withChecks();
		fakes.health.results[2].reason = `only 4 % free on /var/log; ${'x'.repeat(60)} END-OF-REASON`;
		harness = renderConsole(fakes);
		await harness.waitFor('GET /v4/me');
		expect(harness.frame()).not.toContain('END-OF-REASON');
		await harness.press('j', KEY.enter);
		const frame = await harness.waitFor('END-OF-REASON');
		expect(frame).toContain('WARN disk space (logs) (12 ms)');
		await harness.press(KEY.escape);
		await harness.waitFor(text => !text.includes('END-OF-REASON'));
	});
});
