// The seed keeps its live-alert thresholds in config/optimization.json, under `alerts`: error_rate_threshold,
// latency_threshold, memory_threshold and cache_miss_threshold. Here live alerts are the rules of config/alerts.json,
// each with its own threshold, level, window and cooldown; the seed's keys are accepted and each sets the threshold
// of one rule, in that rule's unit (a share, seconds, MB, a share).
//
// Precedence: a seed key that is present wins over the rule's threshold in alerts.json, explicit or default. The keys
// are absent from the shipped files, so one that is there was written on purpose, usually by someone who brought
// the seed's optimization.json along and expects it to act; and the shipped alerts.json states every threshold, so
// the other way round the seed keys could never act at all. `validate` prints one line per mapped key with the
// alerts.json value it replaced, so the override is never silent. Level, window, cooldown and enabled stay
// alerts.json's.
import type {AlertRuleName, AlertsConfig} from './alerts-schema.js';
import type {OptimizationConfig} from './optimization-schema.js';

/** Each seed key of optimization.json's `alerts` section, and the alerts.json rule whose threshold it sets. */
export const seedAlertKeys = {
	error_rate_threshold: 'error_rate',
	latency_threshold: 'api_latency',
	memory_threshold: 'memory',
	cache_miss_threshold: 'cache_miss_rate',
} as const satisfies Record<string, AlertRuleName>;

export type SeedAlertKey = keyof typeof seedAlertKeys;

export type SeedAlertMapping = {
	/** As written in config/optimization.json, e.g. "alerts.memory_threshold". */
	key: `alerts.${SeedAlertKey}`;
	rule: AlertRuleName;
	/** The seed key's value, now the rule's threshold. */
	threshold: number;
	/** The threshold alerts.json (or its default) gave the rule. */
	replaced: number;
	/** A rule disabled in alerts.json stays disabled: the key sets its threshold only. */
	ruleEnabled: boolean;
};

/** The alerts config with the seed keys applied, and what each one set (in the keys' order). */
export function applySeedAlertKeys(optimization: OptimizationConfig, alerts: AlertsConfig): {alerts: AlertsConfig; mappings: SeedAlertMapping[]} {
	const mappings: SeedAlertMapping[] = [];
	const rules = {...alerts.rules};
	for (const [key, rule] of Object.entries(seedAlertKeys) as Array<[SeedAlertKey, AlertRuleName]>) {
		const threshold = optimization.alerts[key];
		if (threshold === undefined) continue;
		mappings.push({key: `alerts.${key}`, rule, threshold, replaced: rules[rule].threshold, ruleEnabled: rules[rule].enabled});
		rules[rule] = {...rules[rule], threshold};
	}
	return {alerts: mappings.length > 0 ? {...alerts, rules} : alerts, mappings};
}
