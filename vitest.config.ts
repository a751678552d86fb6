import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
		// Two cores: keep the pool small so loopback timing tests are not starved.
		maxWorkers: 2,
		globalSetup: ['test/global-setup.ts'],
	},
});
