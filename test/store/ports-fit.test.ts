// The real services satisfy the ports as they are, where their shapes already match: a compile-time check
// (tsc runs over the tests), plus one runtime assertion so the file is a real test.
import {describe, expect, it} from 'vitest';
import type {ApiCache} from '../../source/cache/api-cache.js';
import {MetricsStore} from '../../source/metrics/metrics-store.js';
import type {CacheSource, MetricsSource} from '../../source/store/ports.js';

type Fits<T extends U, U> = T;
export type CacheFits = Fits<Pick<ApiCache, 'stats' | 'rows' | 'del' | 'purge' | 'onChange'>, CacheSource>;

describe('ports', () => {
	it('MetricsStore is a MetricsSource', () => {
		const source: MetricsSource = new MetricsStore();
		expect(source.series('requestRate', 3)).toEqual([0, 0, 0]);
	});
});
