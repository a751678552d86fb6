import * as z from 'zod';
import {DAY, MINUTE, seconds, secondsOrZero} from './durations.js';

export const alertLevels = ['info', 'warning', 'error', 'critical'] as const;
export type AlertLevel = (typeof alertLevels)[number];

export const alertRuleNames = [
	'error_rate',
	'api_latency',
	'memory',
	'cache_miss_rate',
	'upload_failure_rate',
	'api_unreachable',
	'circuit_breaker_open',
] as const;
export type AlertRuleName = (typeof alertRuleNames)[number];

const ruleSchema = z.strictObject({
	enabled: z.boolean(),
	threshold: z.number().min(0),
	level: z.enum(alertLevels),
	/** 0: all retained data. */
	window_seconds: secondsOrZero(DAY),
	cooldown_seconds: secondsOrZero(7 * DAY),
});
export type AlertRuleConfig = z.infer<typeof ruleSchema>;

export const alertsSchema = z.strictObject({
	channels: z.strictObject({
		console: z.boolean(),
		log_file: z.string().min(1),
		discord: z.strictObject({
			enabled: z.boolean(),
			webhook_url: z.string(),
			username: z.string().min(1),
			timeout_seconds: seconds(5 * MINUTE),
		}),
	}),
	rules: z.strictObject(
		Object.fromEntries(alertRuleNames.map(name => [name, ruleSchema])) as Record<AlertRuleName, typeof ruleSchema>,
	),
});

export type AlertsConfig = z.infer<typeof alertsSchema>;

const rule = (threshold: number, level: AlertLevel, window_seconds: number, cooldown_seconds: number): AlertRuleConfig => ({
	enabled: true,
	threshold,
	level,
	window_seconds,
	cooldown_seconds,
});

export const alertsDefaults: AlertsConfig = {
	channels: {
		console: true,
		log_file: 'alerts.log',
		discord: {enabled: false, webhook_url: '', username: 'frameio-admin', timeout_seconds: 10},
	},
	rules: {
		error_rate: rule(0.05, 'error', 300, 900),
		api_latency: rule(5, 'warning', 300, 900),
		memory: rule(500, 'warning', 60, 1800),
		cache_miss_rate: rule(0.3, 'info', 600, 3600),
		upload_failure_rate: rule(0.1, 'error', 3600, 900),
		api_unreachable: rule(3, 'critical', 60, 300),
		circuit_breaker_open: rule(0, 'critical', 0, 300),
	},
};
