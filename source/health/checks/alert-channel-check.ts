// The alert channel: the Discord webhook's URL shape (the URL is a secret: only its host is ever shown), and with
// --notify-test a real test message (Discord answers 204). alerts.log is always written, so it is named too.
import got from 'got';
import type {AlertsConfig} from '../../config/alerts-schema.js';
import {redactText} from '../../log/redact.js';
import {retryAfterMs} from '../../notify/discord.js';
import {DISCORD_WEBHOOK_ENV, resolveDiscordSetting} from '../../notify/notifier.js';
import {fail, pass, warn, type CheckOutcome, type HealthCheck} from './types.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why the URL is not a Discord webhook URL, or undefined when its shape is right. Never quotes the URL. */
export function webhookUrlProblem(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'is not a URL';
	}
	if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname))) return 'must use https';
	if (!/\/api\/webhooks\/\d+\/[^/]+\/?$/.test(parsed.pathname)) return 'is not a webhook URL (expected the form discord.com/api/webhooks/ID/TOKEN over https)';
	return undefined;
}

async function sendTestMessage(url: string, config: AlertsConfig['channels']['discord'], signal: AbortSignal): Promise<CheckOutcome> {
	const body = {username: config.username, content: `frameio-admin health: test message (${new Date().toISOString()}). The alert channel works.`};
	for (let attempt = 1; attempt <= 2; attempt++) {
		const response = await got.post(url, {json: body, throwHttpErrors: false, retry: {limit: 0}, timeout: {request: config.timeout_seconds * 1000}, responseType: 'text', signal});
		if (response.statusCode >= 200 && response.statusCode < 300) return pass(`test message delivered (HTTP ${response.statusCode})`);
		if (response.statusCode !== 429 || attempt === 2) return fail(`test message refused: HTTP ${response.statusCode}`);
		await new Promise(resolve => setTimeout(resolve, Math.min(2000, retryAfterMs(response.body, response.headers['retry-after']))));
	}
	return fail('test message not delivered');
}

export function alertChannelCheck(config: AlertsConfig, env: NodeJS.ProcessEnv, notifyTest: boolean): HealthCheck {
	return {
		id: 'alerts.channel',
		name: 'Alert channel',
		async run(run) {
			const setting = resolveDiscordSetting(config, env);
			const logFile = `logs/${config.channels.log_file}`;
			if (!setting.enabled || !setting.url) {
				if (notifyTest) return fail(`--notify-test: no Discord webhook to test (${setting.reason})`);
				// Switched on without a URL is a mistake; switched off is a choice.
				if (config.channels.discord.enabled) return fail(`Discord: ${setting.reason}`);
				return warn(`Discord off (${setting.reason}; set ${DISCORD_WEBHOOK_ENV} to turn it on): alerts go to ${logFile} only`);
			}
			const problem = webhookUrlProblem(setting.url);
			const from = setting.source === 'env' ? DISCORD_WEBHOOK_ENV : 'alerts.json';
			if (problem) return fail(`the Discord webhook URL from ${from} ${problem}`);
			const host = new URL(setting.url).host;
			if (!notifyTest) return pass(`Discord webhook on ${host} (from ${from}), and ${logFile}; --notify-test sends a test message`);
			try {
				const outcome = await sendTestMessage(setting.url, config.channels.discord, run.signal);
				return {status: outcome.status, reason: `Discord webhook on ${host}: ${outcome.reason}`};
			} catch (error) {
				const {code, message} = error as {code?: string; message?: string};
				return fail(`Discord webhook on ${host}: test message failed: ${redactText(code ?? message ?? 'request failed')}`);
			}
		},
	};
}
