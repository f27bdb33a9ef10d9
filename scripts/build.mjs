// Bundles the console into one file, dist/warroom.js: starting from one
// bundle takes about half the time of resolving node_modules at start-up.
import {build} from 'esbuild';

await build({
	entryPoints: ['source/cli.tsx'],
	outfile: 'dist/warroom.js',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	jsx: 'automatic',
	// React's production build: no development checks at run time.
	define: {'process.env.NODE_ENV': '"production"'},
	// Ink imports react-devtools-core only when DEV=true; it is not installed.
	alias: {'react-devtools-core': './scripts/empty-module.js'},
	// Bundled CommonJS (signal-exit, pg) still calls require() for Node's built-ins.
	banner: {js: "#!/usr/bin/env node\nimport {createRequire as __createRequire} from 'node:module';\nconst require = __createRequire(import.meta.url);"},
	minifySyntax: true,
	minifyWhitespace: true,
	legalComments: 'none',
	logLevel: 'warning',
});
