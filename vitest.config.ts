import {configDefaults, defineConfig} from 'vitest/config';

export default defineConfig({
	// The monitoring SQL is imported as text, as the build does (scripts/build.mjs).
	plugins: [
		{
			name: 'sql-as-text',
			transform: (code, id) => (id.endsWith('.sql') ? {code: `export default ${JSON.stringify(code)};`, map: null} : undefined),
		},
	],
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		// The real control plane's suite runs on its own: npm run test:cluster (vitest.cluster.config.ts).
		exclude: [...configDefaults.exclude, 'test/cluster/**'],
		testTimeout: 20_000,
		hookTimeout: 60_000,
		// The end-to-end tests each own a pseudo-terminal; two cores run two at a time.
		maxWorkers: 2,
	},
});
