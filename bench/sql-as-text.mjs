/**
 * A module hook for (c)'s redraw, which loads the app from its sources: the
 * monitoring SQL it imports is loaded as text, as the build does
 * (scripts/build.mjs) and the tests do (vitest.config.ts).
 */
import {readFile} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';

export async function load(url, context, nextLoad) {
	if (!url.endsWith('.sql')) return nextLoad(url, context);
	const text = await readFile(fileURLToPath(url), 'utf8');
	return {format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true};
}
