// The status bar names the account as soon as the API has said it, not at the next refresh of the clock (the
// first frames of a console said nothing there for a whole refresh interval). The console's runtime on its
// in-process sandbox, with a clock that would not tick for a minute.
import {afterAll, describe, expect, it} from 'vitest';
import {createRuntime} from '../../source/app/console-runtime.js';
import {createConsoleStore, type ConsoleStore} from '../../source/store/console-store.js';
import type {ConsoleRuntime} from '../../source/store/ports.js';
import {fastConfigDir, freshDirs} from '../upload-commands/helpers.js';

let runtime: ConsoleRuntime | undefined;
let consoleStore: ConsoleStore | undefined;
afterAll(async () => {
	consoleStore?.dispose();
	await runtime?.shutdown('test');
});

describe('the status bar of the console', () => {
	it('names the account as soon as it is known', async () => {
		const dirs = freshDirs(fastConfigDir());
		runtime = await createRuntime({sandbox: true, readonly: true, configDir: dirs.config, stateDir: dirs.state, logsDir: dirs.logs, env: {}});
		consoleStore = createConsoleStore(runtime, {refreshIntervalMs: 60_000, minPublishMs: 5, healthMinPeriodMs: 60_000});
		consoleStore.start();
		const deadline = Date.now() + 5000;
		while (consoleStore.store.get().status.account === null && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20));
		expect(consoleStore.store.get().status.account).toBe('Undlm Studio');
	}, 30_000);
});
