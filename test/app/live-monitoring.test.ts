// The live parts the console, watch and upload share (source/app/live-monitoring.ts), on an in-process sandbox:
// the console's alert view names the host and the action, stop({evaluate}) judges the rules once more, and flush()
// delivers to the sandbox's Discord sink before it returns, or gives up in the time it was given.
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {alertsSource} from '../../source/app/console-adapters.js';
import {startLiveMonitoring, type LiveMonitoring} from '../../source/app/live-monitoring.js';
import {openApp, type App} from '../../source/app/open-app.js';
import {ruleDefinitions} from '../../source/metrics/alert-rules.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';

let app: App | undefined;
let live: LiveMonitoring | undefined;
afterEach(async () => {
	live?.stop();
	await live?.flush(100);
	await app?.close();
	app = live = undefined;
});

/** A long sampling interval: nothing is evaluated on the clock during the test, only when it asks. */
async function open(): Promise<{app: App; webhook: string; logsDir: string}> {
	const configDir = testDir('live-config');
	writeFileSync(path.join(configDir, 'optimization.json'), '{"monitoring": {"system_metrics_interval": 600}}');
	writeFileSync(path.join(configDir, 'alerts.json'), '{"rules": {"memory": {"threshold": 1}}} // 1 MB: any process is above it');
	const logsDir = testDir('live-logs');
	app = await openApp({paths: {configDir, stateDir: testDir('live-state'), logsDir}, sandbox: true, sandboxOptions: {seed: 'empty'}});
	const webhook = rememberSecret(app.api.sandbox!.discordWebhookUrl);
	return {app, webhook, logsDir};
}

async function firstSample(monitoring: LiveMonitoring): Promise<void> {
	const until = Date.now() + 5000;
	while (monitoring.metrics.figures(60_000).system.rssBytes.last === null) {
		if (Date.now() > until) throw new Error('no system sample');
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}

describe('startLiveMonitoring', () => {
	it("samples at once; stop({evaluate}) judges the rules; the console's view names the host and the action; flush() delivers", async () => {
		const {app, webhook, logsDir} = await open();
		live = startLiveMonitoring(app, {env: {FRAMEIO_NODE_NAME: 'console-07', FRAMEIO_DISCORD_WEBHOOK: webhook}, probe: false});
		await firstSample(live);
		const view = alertsSource(live.engine);
		expect(view.active()).toEqual([]);

		live.stop({evaluate: true});
		const [memory] = view.active();
		expect(memory).toMatchObject({rule: 'memory', level: 'warning', state: 'firing', host: 'console-07', action: ruleDefinitions.memory.action});
		expect(memory.message).toMatch(/^Process memory [\d.]+ MB > 1 MB over 1 min$/);

		await live.flush(5000);
		const messages = app.api.sandbox!.discord.messages;
		expect(messages).toHaveLength(1);
		const embed = (messages[0].body as {embeds: Array<{title: string; fields: Array<{name: string; value: string}>}>}).embeds[0];
		expect(embed.title).toBe('🟡 FIRING: Process memory');
		expect(embed.fields).toContainEqual(expect.objectContaining({name: 'Host', value: 'console-07'}));
		expect(embed.fields).toContainEqual(expect.objectContaining({name: 'Recommended action', value: ruleDefinitions.memory.action}));
		expect(readFileSync(path.join(logsDir, 'alerts.log'), 'utf8')).toMatch(/ - WARNING - FIRING memory on console-07: Process memory [\d.]+ MB > 1 MB \(window 1 min\) - action: restart /);
	});

	it('flush() gives up on a Discord that keeps answering 429 within its time, and says so in the log', async () => {
		const {app, webhook, logsDir} = await open();
		app.api.sandbox!.discord.failNext(1000, 30);
		live = startLiveMonitoring(app, {env: {FRAMEIO_DISCORD_WEBHOOK: webhook}, probe: false});
		await firstSample(live);
		live.stop({evaluate: true});
		const started = Date.now();
		await live.flush(300);
		expect(Date.now() - started).toBeLessThan(2000);
		expect(app.api.sandbox!.discord.messages).toHaveLength(0);
		app.logging.flush();
		expect(readFileSync(path.join(logsDir, 'frameio_errors.log'), 'utf8')).toContain('alert(s) not delivered before exit');
		// The line in alerts.log was written at once, whatever Discord does.
		expect(readFileSync(path.join(logsDir, 'alerts.log'), 'utf8')).toContain('FIRING memory on ');
	});
});
