import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {formatTimestamp} from '../../source/log/human-format.js';
import {ADMIN_LOG, createLogging, ERRORS_LOG} from '../../source/log/logger.js';
import {AlertEngine} from '../../source/metrics/alert-engine.js';
import {ruleDefinitions} from '../../source/metrics/alert-rules.js';
import {MetricsStore} from '../../source/metrics/metrics-store.js';
import {createNotifier} from '../../source/notify/notifier.js';
import {distinctAlertsConfig} from '../metrics/alert-config.js';
import {api, MiB, system} from '../metrics/events.js';
import {testDir} from '../helpers/secret-scan.js';

const T = 1_736_260_215_000;

describe('alerts.log channel', () => {
	it('appends one human line per transition to <logsDir>/<log_file>, naming the host and the action, and logs it on frameio.alerts', () => {
		const logsDir = testDir('alerts-log');
		const logging = createLogging({logsDir});
		const config = distinctAlertsConfig();
		config.channels.log_file = 'my-alerts.log';
		const notifier = createNotifier({config, logsDir, logger: logging.get('frameio.alerts'), env: {}});
		expect(notifier.channels.discord.enabled).toBe(false);
		const engine = new AlertEngine(config, {host: 'render-07'});
		engine.onAlert(notifier.notify);
		const store = new MetricsStore();
		for (let i = 0; i < 100; i++) store.record(api(T, 10, i < 8 ? 500 : 200));
		store.record({type: 'breaker', at: T, state: 'open'});
		engine.evaluate(store, T);
		store.record({type: 'breaker', at: T + 60_000, state: 'closed'});
		store.record(system(T + 60_000, 512 * MiB));
		engine.evaluate(store, T + 60_000);
		logging.close();

		const lines = readFileSync(path.join(logsDir, 'my-alerts.log'), 'utf8').trimEnd().split('\n');
		const stamp = (at: number) => formatTimestamp(new Date(at));
		const action = (rule: keyof typeof ruleDefinitions) => ruleDefinitions[rule].action;
		expect(lines).toEqual([
			`${stamp(T)} - frameio.alerts - ERROR - FIRING error_rate on render-07: API error rate 8 % > 7 % (window 5 min) - action: ${action('error_rate')}`,
			`${stamp(T)} - frameio.alerts - CRITICAL - FIRING circuit_breaker_open on render-07: Circuit breaker open: API calls are short-circuited - action: ${action('circuit_breaker_open')}`,
			`${stamp(T + 60_000)} - frameio.alerts - WARNING - FIRING memory on render-07: Process memory 512 MB > 300 MB (window 1 min) - action: ${action('memory')}`,
			`${stamp(T + 60_000)} - frameio.alerts - INFO - RESOLVED circuit_breaker_open on render-07: Circuit breaker closed again`,
		]);
		for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - frameio\.alerts - (INFO|WARNING|ERROR|CRITICAL) - (FIRING|RESOLVED) [a-z_]+ on render-07: /);

		const admin = readFileSync(path.join(logsDir, ADMIN_LOG), 'utf8').trimEnd().split('\n').map(line => JSON.parse(line) as Record<string, unknown>);
		const alerts = admin.filter(record => record.logger === 'frameio.alerts');
		expect(alerts.map(record => [record.level, record.rule, record.state])).toEqual([
			['error', 'error_rate', 'firing'],
			['fatal', 'circuit_breaker_open', 'firing'],
			['warn', 'memory', 'firing'],
			['info', 'circuit_breaker_open', 'resolved'],
		]);
		expect(alerts[0]).toMatchObject({threshold: 0.07, value: 0.08, windowSeconds: 300, host: 'render-07', action: action('error_rate'), msg: 'FIRING error_rate: API error rate 8 % > 7 % over 5 min'});
		expect(alerts[3]).toMatchObject({host: 'render-07', state: 'resolved'});
		expect(alerts[3]).not.toHaveProperty('action');
		// warn+ alerts also reach the errors log
		expect(readFileSync(path.join(logsDir, ERRORS_LOG), 'utf8')).toContain('FIRING memory');
	});

	it('a log file it cannot write is logged, not thrown', () => {
		const logsDir = testDir('alerts-log-bad');
		const logging = createLogging({logsDir});
		const config = distinctAlertsConfig();
		config.channels.log_file = path.join('missing-parent-is-a-file', 'alerts.log');
		// the log file's parent is a file, so that mkdir fails
		const blocker = path.join(logsDir, 'missing-parent-is-a-file');
		writeFileSync(blocker, 'not a directory');
		const notifier = createNotifier({config, logsDir, logger: logging.get('frameio.alerts'), env: {}});
		const engine = new AlertEngine(config);
		engine.onAlert(notifier.notify);
		const store = new MetricsStore();
		store.record(system(T, 900 * MiB));
		expect(engine.evaluate(store, T)).toHaveLength(1);
		logging.close();
		expect(readFileSync(path.join(logsDir, ERRORS_LOG), 'utf8')).toContain('alerts log: cannot append');
	});
});
