// The whole console (App, the real store and clock, Ink in debug mode, the ScreenWriter) over in-memory ports whose
// figures move on every read, as the real services' do: the Health checks' durations and the figures in their
// reasons, the rate-limit headroom between 99 and 100 of 100, cache entries a few seconds old. Nothing a user needs
// to see changes, so nothing may reach the terminal; a real change (a check failing) must.
import {EventEmitter} from 'node:events';
import {render} from 'ink';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import type {HealthCheckResult} from '../../source/store/ports.js';
import {createConsoleStore, type ConsoleStore, type PaneId} from '../../source/store/console-store.js';
import {App} from '../../source/ui/app.js';
import {ScreenWriter} from '../../source/ui/terminal/screen-writer.js';
import {noColorTheme} from '../../source/ui/kit/theme.js';
import {fakePorts, upload} from '../store/fakes.js';

class FakeTerminal extends EventEmitter {
	columns = 80;
	rows = 24;
	readonly writes: Array<{at: number; text: string}> = [];
	write(chunk: string): boolean {
		this.writes.push({at: Date.now(), text: chunk});
		return true;
	}
	/** Bytes written since `at`. */
	since(at: number): string {
		return this.writes
			.filter(write => write.at >= at)
			.map(write => write.text)
			.join('');
	}
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
	read = () => {
		const data = this.data;
		this.data = null;
		return data;
	};
	press(data: string) {
		this.data = data;
		this.emit('readable');
	}
}

// The refresh clock's fastest interval is 250 ms; health re-runs on every other tick.
const REFRESH_MS = 250;
const HEALTH_PERIOD_MS = 300;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Polls until `test` holds; generous, for a loaded machine. */
async function until(test: () => boolean, timeoutMs = 8000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!test()) {
		if (Date.now() > deadline) throw new Error('timed out waiting for the console');
		await sleep(20);
	}
}

let cleanup: (() => void) | null = null;
afterEach(() => {
	cleanup?.();
	cleanup = null;
});

/** Ports whose every read differs from the last one in ways that carry no news. */
function restlessPorts() {
	const fakes = fakePorts();
	let run = 0;
	const checks = (failing: boolean): HealthCheckResult[] => [
		{id: 'api.me', name: 'GET /v4/me round trip', status: failing ? 'fail' : 'pass', reason: failing ? 'ECONNREFUSED 127.0.0.1:443' : `${40 + run} ms; user Camille`, ms: 40 + run},
		{id: 'cache.store', name: 'Cache store and hit rate', status: 'pass', reason: `state dir writable; hit rate ${(70 + run / 10).toFixed(1)} % (${100 + run}/${150 + run} lookups)`, ms: 3 + (run % 5)},
		{id: 'disk.logs', name: 'Disk space (logs)', status: 'pass', reason: `${(77.9 - run / 100).toFixed(1)} GiB free at /tmp`, ms: 1 + (run % 3)},
	];
	let failing = false;
	fakes.health.run = async () => {
		run++;
		fakes.health.runs++;
		return checks(failing);
	};
	const status = fakes.status;
	const read = status.read.bind(status);
	let reads = 0;
	status.read = () => {
		reads++;
		return {...read(), rateLimit: {endpointClass: 'me', remaining: reads % 2 ? 99 : 100, limit: 100}, lastAnswerAt: Date.now(), down: null};
	};
	for (let i = 0; i < 30; i++) fakes.cache.set(`folder_${i}_children`, {ageMs: 3000 + i * 100, ttlMs: 900_000});
	fakes.uploads.jobs = [upload({id: 'u1', name: 'UNDLM_SEQ01_00010_v001.mp4', state: 'done', bytesDone: 100, size: 100})];
	return {fakes, fail: () => (failing = true)};
}

function mount(pane: PaneId) {
	const {fakes, fail} = restlessPorts();
	const consoleStore: ConsoleStore = createConsoleStore(fakes.ports, {refreshIntervalMs: REFRESH_MS, healthMinPeriodMs: HEALTH_PERIOD_MS, minPublishMs: 20});
	const terminal = new FakeTerminal();
	const stdin = new FakeStdin();
	const writer = new ScreenWriter(terminal, {maxFps: 30});
	const instance = render(<App console={consoleStore} theme={noColorTheme} readonly={false} initialPane={pane} onQuit={() => {}} onKey={() => writer.expedite()} />, {
		stdout: writer as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	consoleStore.start();
	cleanup = () => {
		consoleStore.dispose();
		writer.dispose();
		instance.unmount();
	};
	return {fakes, fail, terminal, writer, stdin, consoleStore};
}

describe('an idle console writes nothing', () => {
	it('Health tab: re-runs with new durations and figures, a headroom flipping 99/100 ↔ 100/100: zero bytes', async () => {
		const {fakes, terminal} = mount('health');
		// Settle: the first run shown and painted, and a second run done (on a loaded machine this takes a while).
		await until(() => terminal.since(0).includes('GET /v4/me round trip') && fakes.health.runs >= 2);
		await sleep(100);
		expect(terminal.since(0)).toContain('rate ok');
		const runsBefore = fakes.health.runs;
		const from = Date.now();
		// A window of three re-runs (so the test can fail), plus time for their frames to be painted: nothing written.
		await until(() => fakes.health.runs - runsBefore >= 3);
		await sleep(200);
		expect(terminal.since(from)).toBe('');
	});

	it('Health tab: a check that starts failing is painted on the next run', async () => {
		const {fakes, fail, terminal} = mount('health');
		await until(() => terminal.since(0).includes('GET /v4/me round trip') && fakes.health.runs >= 1);
		const from = Date.now();
		fail();
		await until(() => terminal.since(from).includes('1 fail'));
		const written = terminal.since(from);
		expect(written).toContain('FAIL');
		expect(written).toContain('ECONNREFUSED');
		expect(written).toContain('1 fail');
	});

	it.each<PaneId>(['cache', 'structure', 'uploads'])('%s tab: zero bytes over a window of refreshes', async pane => {
		const {terminal} = mount(pane);
		await until(() => terminal.since(0).length > 0);
		await sleep(400);
		const from = Date.now();
		await sleep(700);
		expect(terminal.since(from)).toBe('');
	});
});
