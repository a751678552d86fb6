import {readFileSync} from 'node:fs';
import path from 'node:path';
import type {ServerResponse} from 'node:http';
import {afterEach, describe, expect, it} from 'vitest';
import {ADMIN_LOG, createLogging, ERRORS_LOG} from '../../source/log/logger.js';
import {AlertEngine} from '../../source/metrics/alert-engine.js';
import {MetricsStore} from '../../source/metrics/metrics-store.js';
import {createNotifier, resolveDiscordSetting} from '../../source/notify/notifier.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';
import {distinctAlertsConfig} from '../metrics/alert-config.js';
import {MiB, system} from '../metrics/events.js';
import {startWebhookServer} from './webhook-server.js';

const T = 1_736_260_215_000;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
	while (cleanups.length > 0) await cleanups.pop()!();
});

function setup(url: string, tuning: Parameters<typeof createNotifier>[0]['discord'] = {}) {
	const logsDir = testDir('discord-failures');
	const logging = createLogging({logsDir});
	const config = distinctAlertsConfig();
	const notifier = createNotifier({config, logsDir, logger: logging.get('frameio.alerts'), env: {FRAMEIO_DISCORD_WEBHOOK: url}, discord: {retryDelayMs: 10, ...tuning}});
	cleanups.push(() => notifier.close());
	const engine = new AlertEngine(config);
	engine.onAlert(notifier.notify);
	const store = new MetricsStore();
	const logs = () => {
		logging.flush();
		return readFileSync(path.join(logsDir, ADMIN_LOG), 'utf8') + readFileSync(path.join(logsDir, ERRORS_LOG), 'utf8');
	};
	return {logsDir, logging, notifier, engine, store, logs};
}

const until = async (condition: () => boolean, what: string) => {
	for (let i = 0; i < 500 && !condition(); i++) await new Promise(resolve => setTimeout(resolve, 10));
	if (!condition()) throw new Error(`timed out waiting for ${what}`);
};

describe('discord channel failure paths', () => {
	it('a webhook that hangs does not block evaluate(): the alert is logged and delivered later', async () => {
		let release: (() => void) | null = null;
		const server = await startWebhookServer(({index}, response: ServerResponse) => {
			// the first post hangs until released; later ones are answered at once
			if (index === 0) release = () => response.writeHead(204).end();
			else response.writeHead(204).end();
		});
		cleanups.push(server.close);
		rememberSecret(server.url);
		const {notifier, engine, store, logsDir} = setup(server.url);
		store.record(system(T, 900 * MiB));
		const transitions = engine.evaluate(store, T);
		// evaluate() returned while the post is queued or in flight, and the log channel already has the line
		expect(transitions.map(alert => alert.rule)).toEqual(['memory']);
		expect(readFileSync(path.join(logsDir, 'alerts.log'), 'utf8')).toContain('FIRING memory');
		await until(() => release !== null, 'the webhook request');
		expect(notifier.discordStats).toMatchObject({sent: 0});
		// the app keeps evaluating while the webhook hangs
		store.record(system(T + 1000, 10 * MiB));
		expect(engine.evaluate(store, T + 1000).map(alert => alert.state)).toEqual(['resolved']);
		release!();
		await notifier.flush(10_000);
		expect(notifier.discordStats).toMatchObject({sent: 2, failed: 0});
		expect(server.bodies).toHaveLength(2);
	});

	it('retries 5xx with back-off, gives up after maxAttempts, and never logs the webhook URL', async () => {
		const server = await startWebhookServer((_request, response) => response.writeHead(502).end('bad gateway'));
		cleanups.push(server.close);
		rememberSecret(server.url);
		const token = rememberSecret(server.url.split('/').at(-1)!);
		const {notifier, engine, store, logs} = setup(server.url, {maxAttempts: 3});
		store.record(system(T, 900 * MiB));
		engine.evaluate(store, T);
		await notifier.flush(10_000);
		expect(server.bodies).toHaveLength(3);
		expect(notifier.discordStats).toMatchObject({sent: 0, failed: 1, retries: 2});
		const text = logs();
		expect(text).toContain('discord webhook: gave up');
		expect(text).not.toContain(server.url);
		expect(text).not.toContain(token);
	});

	it('a refused connection is retried and logged by its code, without the URL', async () => {
		const server = await startWebhookServer((_request, response) => response.writeHead(204).end());
		const url = server.url;
		await server.close(); // nothing listens on that port any more
		rememberSecret(url);
		const {notifier, engine, store, logs} = setup(url, {maxAttempts: 2});
		store.record(system(T, 900 * MiB));
		engine.evaluate(store, T);
		await notifier.flush(10_000);
		expect(notifier.discordStats).toMatchObject({sent: 0, failed: 1});
		const text = logs();
		expect(text).toContain('ECONNREFUSED');
		expect(text).not.toContain(url);
	});

	it('does not retry a 4xx other than 429', async () => {
		const server = await startWebhookServer((_request, response) => response.writeHead(404).end('{"message":"Unknown Webhook"}'));
		cleanups.push(server.close);
		rememberSecret(server.url);
		const {notifier, engine, store} = setup(server.url);
		store.record(system(T, 900 * MiB));
		engine.evaluate(store, T);
		await notifier.flush(10_000);
		expect(server.bodies).toHaveLength(1);
		expect(notifier.discordStats).toMatchObject({sent: 0, failed: 1, retries: 0});
	});

	it('bounds its queue: the oldest waiting alerts are dropped', async () => {
		const pending: ServerResponse[] = [];
		const server = await startWebhookServer((_request, response) => pending.push(response));
		cleanups.push(server.close);
		rememberSecret(server.url);
		const {notifier, store} = setup(server.url, {maxQueue: 2});
		// five transitions: memory fires and resolves, and so on; cooldown 0 lets it refire
		const quick = new AlertEngine(distinctAlertsConfig({memory: {enabled: true, threshold: 300, level: 'warning', window_seconds: 60, cooldown_seconds: 0}}));
		quick.onAlert(notifier.notify);
		for (let i = 0; i < 5; i++) {
			store.record(system(T + i * 1000, i % 2 === 0 ? 900 * MiB : 10 * MiB));
			quick.evaluate(store, T + i * 1000);
		}
		expect(quick.recent()).toHaveLength(5);
		// one in flight, two waiting, two dropped
		expect(notifier.discordStats).toMatchObject({dropped: 2});
		await until(() => pending.length === 1, 'the first post');
		for (let i = 0; i < 3; i++) {
			await until(() => pending.length > 0, 'a post');
			pending.shift()!.writeHead(204).end();
		}
		await notifier.flush(10_000);
		expect(notifier.discordStats).toMatchObject({sent: 3, dropped: 2});
		const titles = server.bodies.map(body => (JSON.parse(body) as {embeds: Array<{title: string}>}).embeds[0].title);
		expect(titles).toEqual(['🟡 FIRING: Process memory', '✅ RESOLVED: Process memory', '🟡 FIRING: Process memory']);
	});
});

describe('where the webhook comes from', () => {
	const url = rememberSecret('https://discord.com/api/webhooks/42/config-token-abcdefgh');
	const envUrl = rememberSecret('https://discord.com/api/webhooks/43/env-token-abcdefgh');

	it('FRAMEIO_DISCORD_WEBHOOK wins and turns the channel on', () => {
		const config = distinctAlertsConfig();
		config.channels.discord.webhook_url = url;
		expect(resolveDiscordSetting(config, {FRAMEIO_DISCORD_WEBHOOK: envUrl})).toMatchObject({enabled: true, source: 'env', url: envUrl});
	});

	it('a configured URL needs discord.enabled', () => {
		const config = distinctAlertsConfig();
		config.channels.discord.webhook_url = url;
		expect(resolveDiscordSetting(config, {})).toMatchObject({enabled: false, reason: 'discord.enabled is false'});
		config.channels.discord.enabled = true;
		expect(resolveDiscordSetting(config, {})).toMatchObject({enabled: true, source: 'config', url});
		config.channels.discord.webhook_url = '';
		expect(resolveDiscordSetting(config, {})).toMatchObject({enabled: false, reason: expect.stringContaining('no webhook_url')});
	});
});
