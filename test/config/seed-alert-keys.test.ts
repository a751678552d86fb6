// The seed's alert keys in config/optimization.json (alerts.error_rate_threshold, latency_threshold, memory_threshold,
// cache_miss_threshold) set the thresholds of the live rules of config/alerts.json, and win over them.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {alertsDefaults} from '../../source/config/alerts-schema.js';
import {ConfigError, loadConfig} from '../../source/config/index.js';
import {loadConfigLenient} from '../../source/config/lenient-load.js';
import {testDir} from '../helpers/secret-scan.js';

function configDir(files: Record<string, string>): string {
	const dir = testDir('seed-alert-keys');
	for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
	return dir;
}

const seedOptimization = `{
  // as the seed writes them
  "alerts": {
    "error_rate_threshold": 0.02,
    "latency_threshold": 2.5,
    "memory_threshold": 800,
    "cache_miss_threshold": 0.5
  }
}`;

describe('the seed alert keys of optimization.json', () => {
	it('set the threshold of error_rate, api_latency, memory and cache_miss_rate, and nothing else', () => {
		const config = loadConfig(configDir({'optimization.json': seedOptimization}));
		const {rules} = config.alerts;
		expect([rules.error_rate.threshold, rules.api_latency.threshold, rules.memory.threshold, rules.cache_miss_rate.threshold]).toEqual([0.02, 2.5, 800, 0.5]);
		// Only the threshold: level, window, cooldown and the other rules keep alerts.json's values.
		expect({...rules.memory, threshold: 0}).toEqual({...alertsDefaults.rules.memory, threshold: 0});
		expect(rules.upload_failure_rate).toEqual(alertsDefaults.rules.upload_failure_rate);
		expect(config.seedAlertKeys).toEqual([
			{key: 'alerts.error_rate_threshold', rule: 'error_rate', threshold: 0.02, replaced: 0.05, ruleEnabled: true},
			{key: 'alerts.latency_threshold', rule: 'api_latency', threshold: 2.5, replaced: 5, ruleEnabled: true},
			{key: 'alerts.memory_threshold', rule: 'memory', threshold: 800, replaced: 500, ruleEnabled: true},
			{key: 'alerts.cache_miss_threshold', rule: 'cache_miss_rate', threshold: 0.5, replaced: 0.3, ruleEnabled: true},
		]);
		// The report's own targets are not touched.
		expect(config.optimization.alerts.error_rate_max).toBe(0.05);
	});

	it("win over a threshold alerts.json sets explicitly, and keep that rule's other settings", () => {
		const alerts = '{"rules": {"memory": {"threshold": 300, "level": "critical", "window_seconds": 30, "enabled": false}}}';
		const config = loadConfig(configDir({'optimization.json': '{"alerts": {"memory_threshold": 1}}', 'alerts.json': alerts}));
		expect(config.alerts.rules.memory).toMatchObject({threshold: 1, level: 'critical', window_seconds: 30, enabled: false});
		expect(config.seedAlertKeys).toEqual([{key: 'alerts.memory_threshold', rule: 'memory', threshold: 1, replaced: 300, ruleEnabled: false}]);
		expect(config.alerts.rules.error_rate.threshold).toBe(0.05);
	});

	it('without them, alerts.json alone decides and nothing is mapped', () => {
		const config = loadConfig(path.resolve('config'));
		expect(config.seedAlertKeys).toEqual([]);
		expect(config.alerts.rules).toEqual(alertsDefaults.rules);
	});

	it('a value out of range is refused with file:line:col, like any other key', () => {
		const dir = configDir({'optimization.json': '{\n  "alerts": {"error_rate_threshold": 5}\n}'});
		expect(() => loadConfig(dir)).toThrow(ConfigError);
		expect(() => loadConfig(dir)).toThrow(/optimization\.json:2:38: Too big: expected number to be <=1.* at alerts\.error_rate_threshold/);
		const negative = configDir({'optimization.json': '{"alerts": {"memory_threshold": -1}}'});
		expect(() => loadConfig(negative)).toThrow(/at alerts\.memory_threshold/);
	});

	it('the lenient loader (health, validate) maps them too, even when alerts.json does not load', () => {
		const lenient = loadConfigLenient(configDir({'optimization.json': '{"alerts": {"latency_threshold": 9}}', 'alerts.json': '{"rules": 1}'}));
		expect(lenient.errors).toHaveLength(1);
		expect(lenient.config.alerts.rules.api_latency.threshold).toBe(9);
		expect(lenient.config.seedAlertKeys).toEqual([{key: 'alerts.latency_threshold', rule: 'api_latency', threshold: 9, replaced: 5, ruleEnabled: true}]);
	});
});
