import type {AlertRuleConfig, AlertsConfig} from '../../source/config/alerts-schema.js';
import {alertsDefaults} from '../../source/config/alerts-schema.js';

const rule = (threshold: number, level: AlertRuleConfig['level'], window_seconds: number, cooldown_seconds: number): AlertRuleConfig => ({
	enabled: true,
	threshold,
	level,
	window_seconds,
	cooldown_seconds,
});

/**
 * Every rule has a threshold no other rule shares (and differs from the shipped defaults),
 * so a rule that read another rule's threshold fires (or stays quiet) at the wrong value.
 */
export function distinctAlertsConfig(overrides: Partial<AlertsConfig['rules']> = {}): AlertsConfig {
	return {
		channels: {...alertsDefaults.channels, discord: {...alertsDefaults.channels.discord}},
		rules: {
			error_rate: rule(0.07, 'error', 300, 600),
			api_latency: rule(2, 'warning', 120, 600),
			memory: rule(300, 'warning', 60, 1800),
			cache_miss_rate: rule(0.4, 'info', 600, 600),
			upload_failure_rate: rule(0.25, 'error', 3600, 600),
			api_unreachable: rule(4, 'critical', 60, 600),
			circuit_breaker_open: rule(0, 'critical', 0, 600),
			...overrides,
		},
	};
}
