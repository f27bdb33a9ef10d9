// Module hooks that load a .sql file as a module exporting its text, as the
// build and vitest do (scripts/build.mjs, vitest.config.ts): the benchmarks
// run the collectors' and the app's own sources under tsx.
import {readFile} from 'node:fs/promises';

export async function load(url, context, nextLoad) {
	if (!url.endsWith('.sql')) return nextLoad(url, context);
	const text = await readFile(new URL(url), 'utf8');
	return {format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true};
}
