// Checks that need no API: the cache store, the nomenclature, disk space.
import {statfs} from 'node:fs/promises';
import path from 'node:path';
import type {ApiCache} from '../../cache/index.js';
import type {AppConfig} from '../../config/index.js';
import {formatBytes} from '../../format/bytes.js';
import {compile} from '../../nomenclature/index.js';
import {fail, pass, warn, type HealthCheck} from './types.js';

/** Free space below which a directory is a warning, and a failure. */
export const DISK_WARN_BYTES = 1024 ** 3;
export const DISK_FAIL_BYTES = 100 * 1024 ** 2;

/** Hit rates over fewer lookups than this say nothing yet. */
export const MIN_LOOKUPS_FOR_HIT_RATE = 20;

export function cacheCheck(cache: ApiCache, minHitRate: number): HealthCheck {
	return {
		id: 'cache.store',
		name: 'Cache store and hit rate',
		async run() {
			const store = await cache.checkStore();
			if (!store.ok) return fail(store.detail);
			const stats = cache.stats();
			const lookups = stats.hits + stats.misses;
			const target = `${Math.round(minHitRate * 100)} %`;
			if (stats.hitRate === null) return pass(`${store.detail}; no lookups yet`);
			const rate = `hit rate ${(stats.hitRate * 100).toFixed(1)} % (${stats.hits}/${lookups} lookups)`;
			if (lookups < MIN_LOOKUPS_FOR_HIT_RATE) return pass(`${store.detail}; ${rate}, too few lookups to judge`);
			if (stats.hitRate < minHitRate) return warn(`${store.detail}; ${rate}, below the ${target} target`);
			return pass(`${store.detail}; ${rate}`);
		},
	};
}

export function nomenclatureCheck(config: AppConfig['nomenclature']): HealthCheck {
	return {
		id: 'nomenclature',
		name: 'Nomenclature patterns',
		async run() {
			const nomenclature = compile(config);
			const errors = nomenclature.patternErrors();
			if (errors.length > 0) return fail(errors.map(error => (error.pattern ? `pattern ${error.pattern}: ${error.message}` : error.message)).join('; '));
			const problems = nomenclature.validateExamples();
			if (problems.length > 0) return fail(problems.map(problem => `example ${problem.example} fails pattern ${problem.pattern}: ${problem.message}`).join('; '));
			const enabled = nomenclature.patterns.filter(pattern => pattern.enabled);
			const examples = nomenclature.patterns.reduce((sum, pattern) => sum + pattern.examples.length, 0);
			return pass(`${enabled.length} pattern(s) compile (active: ${nomenclature.active}); ${examples} example(s) valid; layout ${nomenclature.layout}`);
		},
	};
}

/** statfs needs an existing path: the directory, or its nearest existing parent (a logs dir not created yet). */
async function statNearest(dir: string): Promise<{free: number; at: string}> {
	let current = path.resolve(dir);
	for (;;) {
		try {
			const stats = await statfs(current);
			return {free: stats.bavail * stats.bsize, at: current};
		} catch (error) {
			const parent = path.dirname(current);
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
			current = parent;
		}
	}
}

export function diskCheck(id: string, label: string, dir: string, thresholds: {warnBytes: number; failBytes: number}): HealthCheck {
	return {
		id,
		name: `Disk space (${label})`,
		async run() {
			const {free, at} = await statNearest(dir);
			const text = `${formatBytes(free)} free at ${at}`;
			if (free < thresholds.failBytes) return fail(`${text}, under ${formatBytes(thresholds.failBytes)}`);
			if (free < thresholds.warnBytes) return warn(`${text}, under ${formatBytes(thresholds.warnBytes)}`);
			return pass(text);
		},
	};
}
