// The Logs tab over the real log tail (source/log/log-tail.ts) of a logs directory: lines this process writes through
// the real logger, and a line another process appends, in the seed's human form; the level filter, the search, the
// whole JSON record on Enter, and y copying it.
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {formatHumanLine} from '../../source/log/human-format.js';
import {LogTail} from '../../source/log/log-tail.js';
import {createLogging, type Logging} from '../../source/log/logger.js';
import {testDir} from '../helpers/secret-scan.js';
import {fakePorts} from '../store/fakes.js';
import {KEY, renderConsole, type ConsoleHarness} from './render-console.js';

let harness: ConsoleHarness | null = null;
let logging: Logging | null = null;
let tail: LogTail | null = null;
afterEach(() => {
	harness?.cleanup();
	harness = null;
	logging?.close();
	logging = null;
	tail?.close();
	tail = null;
});

function open(columns = 120, rows = 24) {
	const logsDir = testDir('logs-pane');
	logging = createLogging({logsDir});
	logging.get('frameio.structure').info({key: 'projects_123456'}, 'Cache hit: projects_123456');
	logging.get('frameio.upload').warn({file: 'UNDLM_SEQ01_00042_v002.mp4', attempt: 2}, 'part 3 retried after a 503');
	logging.get('frameio.api').error({status: 500, op: 'folders.children'}, 'GET /v4/accounts/a/folders/f/children failed: HTTP 500');
	logging.flush();
	const fakes = fakePorts();
	tail = new LogTail({logsDir, intervalMs: 50});
	fakes.ports.logs = tail;
	harness = renderConsole(fakes, {pane: 'logs', columns, rows});
	return {logsDir, h: harness};
}

/** Another process appends one of our JSON records to the log, as `frameio-admin upload` in a second shell would. */
function writeFromAnotherProcess(logsDir: string, record: Record<string, unknown>): void {
	const file = path.join(logsDir, 'frameio_admin.log');
	execFileSync(process.execPath, ['-e', `require('node:fs').appendFileSync(${JSON.stringify(file)}, ${JSON.stringify(`${JSON.stringify(record)}\n`)})`]);
}

describe('Logs tab', () => {
	it('shows the tail in the human form and follows a line written by another process', async () => {
		const {logsDir, h} = open();
		let frame = await h.waitFor('Cache hit: projects_123456');
		expect(frame).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - frameio\.structure - INFO - Cache hit: projects_123456/);
		expect(frame).toMatch(/ - frameio\.upload - WARNING - part 3 retried after a 503/);
		expect(frame).toMatch(/ - frameio\.api - ERROR - GET \/v4\/accounts\/a\/folders\/f\/children failed: HTTP 500/);
		expect(frame).toMatch(/^following · all levels · .*\/frameio_admin\.log$/m);
		expect(frame).toContain('3 of 3');
		const record = {level: 'info', time: new Date().toISOString(), pid: 424242, logger: 'frameio.upload', msg: 'Upload complete: UNDLM_SEQ02_00110_v114.mp4 (58.3 MB)'};
		writeFromAnotherProcess(logsDir, record);
		frame = await h.waitFor('Upload complete: UNDLM_SEQ02_00110_v114.mp4');
		expect(frame).toContain(formatHumanLine(record));
		// At the last line, the cursor follows what arrives.
		expect(frame).toContain('4 of 4');
	});

	it('stops following when the cursor moves up, and G follows again', async () => {
		const {logsDir, h} = open();
		await h.waitFor('3 of 3');
		await h.press('k');
		await h.waitFor('2 of 3');
		expect(h.frame()).toContain('stopped at the cursor (G follows)');
		writeFromAnotherProcess(logsDir, {level: 'info', time: new Date().toISOString(), pid: 1, logger: 'frameio.app', msg: 'a new line'});
		await h.waitFor('2 of 4');
		await h.press('G');
		await h.waitFor('4 of 4');
		writeFromAnotherProcess(logsDir, {level: 'info', time: new Date().toISOString(), pid: 1, logger: 'frameio.app', msg: 'and another'});
		await h.waitFor('5 of 5');
	});

	it('filters by level with v and searches with /', async () => {
		const {h} = open();
		await h.waitFor('3 of 3');
		await h.press('v', 'v');
		let frame = await h.waitFor('warn and above');
		expect(frame).not.toContain('Cache hit');
		expect(frame).toContain('part 3 retried');
		expect(frame).toContain('HTTP 500');
		await h.press('v');
		frame = await h.waitFor('errors');
		expect(frame).not.toContain('part 3 retried');
		await h.press('v');
		await h.waitFor('all levels');
		await h.press('/');
		await h.type('retried');
		frame = await h.waitFor('1 of 3 lines');
		expect(frame).toContain('part 3 retried');
		expect(frame).not.toContain('Cache hit');
		await h.press(KEY.enter);
		await h.waitFor('search "retried"');
		await h.press(KEY.escape);
		await h.waitFor('Cache hit');
	});

	it('Enter shows the whole JSON record, following the cursor; y copies it through OSC 52', async () => {
		const {h} = open(80, 30);
		await h.waitFor('3 of 3');
		await h.press('k', KEY.enter);
		let frame = await h.waitFor('attempt');
		expect(frame).toMatch(/level +warn/);
		expect(frame).toMatch(/logger +frameio\.upload/);
		expect(frame).toMatch(/file +UNDLM_SEQ01_00042_v002\.mp4/);
		expect(frame).toMatch(/attempt +2/);
		expect(frame).toMatch(new RegExp(`pid +${process.pid}`));
		expect(frame).toMatch(/msg +part 3 retried after a 503/);
		await h.press('j');
		frame = await h.waitFor(text => /status +500/.test(text));
		expect(frame).toMatch(/op +folders\.children/);
		await h.press('y');
		await h.waitFor('copied the JSON record');
		const [copied] = h.terminal.written;
		const json = Buffer.from(/\u001B\]52;c;([A-Za-z0-9+/=]+)\u0007/.exec(copied)![1], 'base64').toString('utf8');
		expect(JSON.parse(json)).toMatchObject({level: 'error', status: 500, logger: 'frameio.api'});
	});
});
