import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ConfigError, loadConfig} from '../../source/config/index.js';
import {optimizationDefaults} from '../../source/config/optimization-schema.js';
import {testDir} from '../helpers/secret-scan.js';

function configDir(files: Record<string, string>): string {
	const dir = testDir('config');
	for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
	return dir;
}

function loadError(dir: string): ConfigError {
	try {
		loadConfig(dir);
	} catch (error) {
		if (error instanceof ConfigError) return error;
		throw error;
	}
	throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
	it('uses the defaults when the files are missing', () => {
		const config = loadConfig(configDir({}));
		expect(config.optimization).toEqual(optimizationDefaults);
		expect(config.files.every(file => !file.exists)).toBe(true);
	});

	it('loads the shipped config files, comments and all, to the documented defaults', () => {
		const config = loadConfig(path.resolve('config'));
		expect(config.optimization).toEqual(optimizationDefaults);
		expect(config.alerts.rules.error_rate.threshold).toBe(0.05);
		expect(config.files.every(file => file.exists)).toBe(true);
	});

	it('merges a partial file deeply over the defaults', () => {
		const config = loadConfig(configDir({'optimization.json': '{"cache_ttl": {"folders": 60} // one minute\n}'}));
		expect(config.optimization.cache_ttl.folders).toBe(60);
		expect(config.optimization.cache_ttl.projects).toBe(1800);
		expect(config.optimization.rate_limiting.burst_size).toBe(20);
	});

	it('names file:line:col and the path of a wrong type', () => {
		const text = ['// settings', '{', '  "cache_ttl": {', '    "folders": 900,', '    "projects": "30 minutes"', '  }', '}'].join('\n');
		const error = loadError(configDir({'optimization.json': text}));
		expect(error.line).toBe(5);
		expect(error.column).toBe(17);
		expect(error.message).toMatch(/optimization\.json:5:17: expected number, got string at cache_ttl\.projects$/);
	});

	it('points at the position of a JSON syntax error', () => {
		const error = loadError(configDir({'alerts.json': '{\n  "channels": {\n    "console": true,,\n  }\n}'}));
		expect(error.message).toMatch(/alerts\.json:3:21: invalid JSON: PropertyNameExpected/);
	});

	it('rejects an unknown key where it stands, so a typo is not silently ignored', () => {
		const error = loadError(configDir({'optimization.json': '{\n  "cache_tll": {}\n}'}));
		expect(error.message).toMatch(/optimization\.json:1:1: unknown key "cache_tll"/);
	});

	it('rejects an out-of-range value', () => {
		const error = loadError(configDir({'alerts.json': '{"rules": {"memory": {"level": "panic"}}}'}));
		expect(error.message).toMatch(/alerts\.json:1:32: .* at rules\.memory\.level/);
	});
});
