import type {Logger} from 'pino';
import type {AlertsConfig} from '../config/alerts-schema.js';
import type {AlertRecord} from '../metrics/alert-engine.js';
import {createAlertsLog, type AlertsLog} from './alerts-log.js';
import {DiscordChannel, registerWebhookSecret, type DiscordChannelOptions, type DiscordStats} from './discord.js';

export const DISCORD_WEBHOOK_ENV = 'FRAMEIO_DISCORD_WEBHOOK';

export type DiscordSetting = {
	enabled: boolean;
	source: 'env' | 'config' | null;
	/** The secret URL: never print it. */
	url: string | null;
	/** Why the channel is off, for health and validate. */
	reason: string | null;
};

/**
 * Where the webhook comes from: FRAMEIO_DISCORD_WEBHOOK wins over alerts.channels.discord.webhook_url.
 * Setting the variable turns the channel on (it is the documented way to configure it without
 * writing the secret into a file); a URL in the config only counts when discord.enabled is true.
 */
export function resolveDiscordSetting(config: AlertsConfig, env: NodeJS.ProcessEnv = process.env): DiscordSetting {
	const discord = config.channels.discord;
	const fromEnv = env[DISCORD_WEBHOOK_ENV]?.trim();
	if (fromEnv) {
		registerWebhookSecret(fromEnv);
		return {enabled: true, source: 'env', url: fromEnv, reason: null};
	}
	const fromConfig = discord.webhook_url.trim();
	if (fromConfig) registerWebhookSecret(fromConfig);
	if (!discord.enabled) return {enabled: false, source: fromConfig ? 'config' : null, url: fromConfig || null, reason: 'discord.enabled is false'};
	if (!fromConfig) return {enabled: false, source: null, url: null, reason: `discord.enabled but no webhook_url and no ${DISCORD_WEBHOOK_ENV}`};
	return {enabled: true, source: 'config', url: fromConfig, reason: null};
}

export type Notifier = {
	/** Fan-out to every channel; never throws and never waits on the network. Pass it to AlertEngine.onAlert. */
	notify(alert: AlertRecord): void;
	/** This node's own channel only (alerts.log). */
	log(alert: AlertRecord): void;
	/** The shared channel only (Discord): what an AlertRelay decides to send. */
	broadcast(alert: AlertRecord): void;
	/** Waits for queued Discord posts (bounded), for a clean exit. */
	flush(timeoutMs?: number): Promise<void>;
	close(): void;
	readonly channels: {log: string; discord: {enabled: boolean; source: DiscordSetting['source']; reason: string | null}};
	readonly discordStats: DiscordStats | null;
	/** Alerts queued or being delivered to Discord. */
	readonly pending: number;
};

export type NotifierOptions = {
	config: AlertsConfig;
	logsDir: string;
	/** The frameio.alerts logger. */
	logger: Logger;
	env?: NodeJS.ProcessEnv;
	/** Tuning for tests (retry delays, queue length). */
	discord?: Partial<Omit<DiscordChannelOptions, 'url' | 'username' | 'logger'>>;
};

export function createNotifier(options: NotifierOptions): Notifier {
	const {config, logger} = options;
	const log: AlertsLog = createAlertsLog({logsDir: options.logsDir, fileName: config.channels.log_file, logger});
	const setting = resolveDiscordSetting(config, options.env);
	const discord =
		setting.enabled && setting.url
			? new DiscordChannel({
					url: setting.url,
					username: config.channels.discord.username,
					logger,
					timeoutMs: config.channels.discord.timeout_seconds * 1000,
					...options.discord,
				})
			: null;
	if (!setting.enabled && setting.reason && config.channels.discord.enabled) logger.warn(`discord webhook: off (${setting.reason})`);
	const toLog = (alert: AlertRecord) => {
		try {
			log.write(alert);
		} catch (error) {
			logger.error({err: error}, 'alerts log: write failed');
		}
	};
	const toDiscord = (alert: AlertRecord) => discord?.send(alert);
	return {
		notify(alert) {
			toLog(alert);
			toDiscord(alert);
		},
		log: toLog,
		broadcast: toDiscord,
		flush: async timeoutMs => discord?.flush(timeoutMs),
		close: () => discord?.close(),
		channels: {log: log.file, discord: {enabled: discord !== null, source: setting.source, reason: setting.reason}},
		get discordStats() {
			return discord?.stats ?? null;
		},
		get pending() {
			return discord?.pending ?? 0;
		},
	};
}
