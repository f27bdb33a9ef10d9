import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 20_000,
		hookTimeout: 60_000,
		// The end-to-end tests each own a pseudo-terminal; two cores run two at a time.
		maxWorkers: 2,
	},
});
