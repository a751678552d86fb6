import {readFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ADMIN_LOG, createLogging, ERRORS_LOG} from '../../source/log/logger.js';
import {AlertEngine} from '../../source/metrics/alert-engine.js';
import {ruleDefinitions} from '../../source/metrics/alert-rules.js';
import {MetricsStore} from '../../source/metrics/metrics-store.js';
import {createNotifier} from '../../source/notify/notifier.js';
import {startSandbox, type Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';
import {distinctAlertsConfig} from '../metrics/alert-config.js';
import {api, MiB, system} from '../metrics/events.js';

// 2025-01-07 14:30:15 UTC
const T = Date.UTC(2025, 0, 7, 14, 30, 15);

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({seed: 'empty'});
	rememberSecret(sandbox.discordWebhookUrl);
	rememberSecret(sandbox.discordWebhookUrl.split('/').at(-1)!);
});
afterAll(async () => sandbox?.close());

function setup(tuning: Parameters<typeof createNotifier>[0]['discord'] = {}) {
	sandbox.discord.messages.length = 0;
	const logsDir = testDir('discord-sandbox');
	const logging = createLogging({logsDir});
	const config = distinctAlertsConfig();
	config.channels.discord.username = 'ingest-01 alerts';
	const notifier = createNotifier({
		config,
		logsDir,
		logger: logging.get('frameio.alerts'),
		env: {FRAMEIO_DISCORD_WEBHOOK: sandbox.discordWebhookUrl},
		discord: tuning,
	});
	const engine = new AlertEngine(config, {host: 'ingest-01'});
	engine.onAlert(notifier.notify);
	const logs = () => {
		logging.flush();
		return readFileSync(path.join(logsDir, ADMIN_LOG), 'utf8') + readFileSync(path.join(logsDir, ERRORS_LOG), 'utf8');
	};
	return {notifier, engine, store: new MetricsStore(), logs, logging};
}

describe('discord webhook against the sandbox sink', () => {
	it('posts the exact embed for a firing and a resolved alert (HTTP 204)', async () => {
		const {notifier, engine, store} = setup();
		expect(notifier.channels.discord).toMatchObject({enabled: true, source: 'env'});
		for (let i = 0; i < 40; i++) store.record(api(T, 10, i < 3 ? 503 : 200));
		engine.evaluate(store, T);
		for (let i = 0; i < 60; i++) store.record(api(T + 60_000, 10));
		engine.evaluate(store, T + 60_000);
		await notifier.flush(10_000);
		expect(notifier.discordStats).toMatchObject({sent: 2, failed: 0});
		expect(sandbox.discord.messages.map(message => message.body)).toEqual([
			{
				username: 'ingest-01 alerts',
				embeds: [
					{
						title: '🔴 FIRING: API error rate',
						description: 'API error rate 7.5 % > 7 % over 5 min',
						color: 0xe74c3c,
						fields: [
							{name: 'Value', value: '7.5 %', inline: true},
							{name: 'Threshold', value: '7 %', inline: true},
							{name: 'Window', value: '5 min', inline: true},
							{name: 'Host', value: 'ingest-01', inline: true},
							{name: 'Recommended action', value: ruleDefinitions.error_rate.action, inline: false},
						],
						timestamp: '2025-01-07T14:30:15.000Z',
					},
				],
			},
			{
				username: 'ingest-01 alerts',
				embeds: [
					{
						title: '✅ RESOLVED: API error rate',
						description: 'API error rate 3 % ≤ 7 % over 5 min',
						color: 0x2ecc71,
						fields: [
							{name: 'Value', value: '3 %', inline: true},
							{name: 'Threshold', value: '7 %', inline: true},
							{name: 'Window', value: '5 min', inline: true},
							{name: 'Host', value: 'ingest-01', inline: true},
						],
						timestamp: '2025-01-07T14:31:15.000Z',
					},
				],
			},
		]);
		expect(sandbox.discord.messages[0].headers['content-type']).toMatch(/^application\/json/);
	});

	it('on 429 waits retry_after from the body and retries until it is delivered', async () => {
		const {notifier, engine, store, logs} = setup({maxAttempts: 5});
		sandbox.discord.failNext(2, 0.2);
		store.record(system(T, 900 * MiB));
		const started = Date.now();
		engine.evaluate(store, T);
		await notifier.flush(15_000);
		const elapsed = Date.now() - started;
		expect(sandbox.discord.messages).toHaveLength(1);
		expect(notifier.discordStats).toMatchObject({sent: 1, failed: 0, retries: 2});
		// two waits of retry_after = 0.2 s (a lower bound: it really waited, however slow the machine)
		expect(elapsed).toBeGreaterThanOrEqual(380);
		// each warning is in the admin log and again in the errors log
		const text = logs();
		expect(text.match(/rate limited, retrying after retry_after/g)).toHaveLength(4);
		expect(text).toContain('"waitMs":200');
	});

	it('gives up after its bounded attempts when Discord keeps answering 429', async () => {
		const {notifier, engine, store, logs} = setup({maxAttempts: 3});
		sandbox.discord.failNext(10, 0.01);
		store.record(system(T, 900 * MiB));
		engine.evaluate(store, T);
		await notifier.flush(15_000);
		sandbox.discord.failNext(0, 0);
		expect(sandbox.discord.messages).toHaveLength(0);
		expect(notifier.discordStats).toMatchObject({sent: 0, failed: 1, retries: 2});
		expect(logs()).toContain('discord webhook: gave up');
	});

	it('never writes the webhook URL or its token to the logs', async () => {
		const {notifier, engine, store, logs, logging} = setup({maxAttempts: 2});
		const secret = sandbox.discordWebhookUrl.split('/').at(-1)!;
		sandbox.discord.failNext(1, 0.01);
		store.record(system(T, 900 * MiB));
		engine.evaluate(store, T);
		await notifier.flush(10_000);
		// even a careless log line that carries the URL comes out redacted
		logging.get('frameio.alerts').warn(`posting to ${sandbox.discordWebhookUrl}`);
		const text = logs();
		expect(text).toContain('discord webhook');
		expect(text).not.toContain(sandbox.discordWebhookUrl);
		expect(text).not.toContain(secret);
	});
});
