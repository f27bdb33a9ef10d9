// Bundles the console into dist/warroom.js: starting from one bundle takes
// about half the time of resolving node_modules at start-up. The YAML parser
// and the validators go to chunks loaded only when there is YAML to read;
// the built-in severity policy and drills are validated here and shipped as JSON.
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import {realpathSync} from 'node:fs';
import {build} from 'esbuild';
import {tsImport} from 'tsx/esm/api';

// yoga-layout's Emscripten loader fetch()es its own base64 data: URL whenever
// a global fetch exists (Node >= 18), which loads Node's bundled undici and
// percent-decodes 120 KB: ~25 ms of every start.
// With `fetch` shadowed in that one module it decodes the base64 in place.
// (esbuild renames the shadow if any other module uses the global fetch.)
const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(build) {
		build.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, async args => ({
			contents: `const fetch = undefined;\n${await readFile(args.path, 'utf8')}`,
			loader: 'js',
		}));
	},
};

// string-width builds a regex of every emoji (\p{RGI_Emoji}) the first time it
// measures anything but printable ASCII: ~14 ms of every start, spent on the
// borders and the '·'. Latin-1, punctuation, arrows and box drawing are one
// column a character when ambiguous ones are narrow (Ink's default; checked
// below against string-width itself), so they take its ASCII fast path too.
const narrowRanges = [
	[0x20, 0x7e],
	[0xa0, 0xac],
	[0xae, 0xff],
	[0x2010, 0x2027],
	[0x2030, 0x205e],
	[0x2190, 0x21ff],
	[0x2500, 0x259f],
];
const {default: stringWidth} = await import('string-width');
for (const [from, to] of narrowRanges) {
	for (let codePoint = from; codePoint <= to; codePoint++) {
		const character = String.fromCodePoint(codePoint);
		if (stringWidth(character) !== 1 || stringWidth(`a${character}${character}`) !== 3) {
			throw new Error(`build: U+${codePoint.toString(16)} is not one column a character; take it out of narrowRanges`);
		}
	}
}
const hex = codePoint => `\\u${codePoint.toString(16).padStart(4, '0')}`;
const narrowClass = narrowRanges.map(([from, to]) => `${hex(from)}-${hex(to)}`).join('');
const asciiFastPath = 'if (/^[\\u0020-\\u007E]*$/.test(string)) {';
const widthFastPaths = new Set();
const stringWidthFastPath = {
	name: 'string-width-fast-path',
	setup(build) {
		build.onLoad({filter: /[\\/]string-width[\\/]index\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			if (!source.includes(asciiFastPath)) return undefined;
			widthFastPaths.add(args.path);
			const fastPath = `if (ambiguousIsNarrow ? /^[${narrowClass}]*$/.test(string) : /^[\\u0020-\\u007E]*$/.test(string)) {`;
			return {contents: source.replace(asciiFastPath, fastPath), loader: 'js'};
		});
	},
};

await rm('dist', {recursive: true, force: true});
const {metafile} = await build({
	entryPoints: {warroom: 'source/cli/main.tsx'},
	outdir: 'dist',
	chunkNames: 'chunks/[name]-[hash]',
	splitting: true,
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
	banner: {
		js: "#!/usr/bin/env node\nimport {createRequire as __createRequire} from 'node:module';\nconst require = __createRequire(import.meta.url);",
	},
	minifySyntax: true,
	minifyWhitespace: true,
	legalComments: 'none',
	logLevel: 'warning',
	plugins: [yogaWithoutFetch, stringWidthFastPath],
	// The monitoring SQL (source/sources/postgres/queries/) goes into the bundle as text.
	loader: {'.sql': 'text'},
	// pg loads its native binding only when asked to (NODE_PG_FORCE_NATIVE); it is not installed.
	external: ['pg-native'],
	metafile: true,
});

// Ink measures text with the top-level string-width: its fast path must be in the bundle.
if (!widthFastPaths.has(realpathSync('node_modules/string-width/index.js'))) {
	throw new Error('build: string-width changed; its ASCII fast path was not found to extend');
}

// source/paths.ts finds runbooks/ relative to its own file: it must stay in dist/warroom.js, not a chunk.
if (!metafile.outputs['dist/warroom.js']?.inputs['source/paths.ts']) {
	throw new Error('build: source/paths.ts left dist/warroom.js; the built-in runbooks would not be found');
}

// A broken built-in runbook fails the build, not a responder's start.
const {loadPolicy} = await tsImport('../source/incident/policy-file.ts', import.meta.url);
await writeFile('dist/severity.json', JSON.stringify(loadPolicy('runbooks/severity.yaml')));
// The built-in playbooks likewise (their keys against the console's own: test/unit/playbooks.test.ts, since the key map needs the bundle's .sql loader).
const {loadPlaybooks} = await tsImport('../source/incident/playbook-file.ts', import.meta.url);
await writeFile('dist/playbooks.json', JSON.stringify(loadPlaybooks(['runbooks'], [])));
// The built-in drills likewise: `--drill NAME` then starts without the YAML parser and the validators.
const {listDrills, loadDrill} = await tsImport('../source/sources/drill/drill-file.ts', import.meta.url);
await mkdir('dist/drills');
for (const name of listDrills(['runbooks']))
	await writeFile(`dist/drills/${name}.json`, JSON.stringify(loadDrill(name, ['runbooks'])));
