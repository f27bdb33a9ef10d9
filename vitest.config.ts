import {defineConfig} from 'vitest/config';

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
		testTimeout: 20_000,
		hookTimeout: 60_000,
		// The end-to-end tests each own a pseudo-terminal; two cores run two at a time.
		maxWorkers: 2,
	},
});
