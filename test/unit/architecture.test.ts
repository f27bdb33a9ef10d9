/**
 * The layering of DESIGN.md, checked on the import graph: the engine
 * (`source/`) never imports the view (`panels/`) apart from the entry and
 * the app shell, panels never reach for processes, the network or the file
 * system, and no two modules import each other, even for types only.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {describe, expect, it} from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const sourceFile = /\.tsx?$/;
const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function filesUnder(dir: string): string[] {
	return readdirSync(join(root, dir), {withFileTypes: true}).flatMap(entry =>
		entry.isDirectory() ? filesUnder(join(dir, entry.name)) : sourceFile.test(entry.name) ? [join(dir, entry.name)] : [],
	);
}

const modules = [...filesUnder('source'), ...filesUnder('panels')];
const known = new Set(modules);

/** The project modules and the packages a module imports. */
function importsOf(file: string): {local: string[]; packages: string[]} {
	const text = readFileSync(join(root, file), 'utf8');
	const local: string[] = [];
	const packages: string[] = [];
	for (const match of text.matchAll(importPattern)) {
		const specifier = match[1] ?? match[2]!;
		if (!specifier.startsWith('.')) {
			packages.push(specifier);
			continue;
		}
		const base = relative(root, resolve(root, dirname(file), specifier));
		const found = [base, `${base}.ts`, `${base}.tsx`].find(candidate => known.has(candidate));
		if (found) local.push(found);
	}
	return {local, packages};
}

const graph = new Map(modules.map(file => [file, importsOf(file)]));

/** Every cycle found by a depth-first walk, each as the modules along it. */
function cycles(): string[][] {
	const found: string[][] = [];
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	const visit = (file: string) => {
		state.set(file, 'open');
		stack.push(file);
		for (const next of graph.get(file)?.local ?? []) {
			if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
			else if (!state.has(next)) visit(next);
		}
		stack.pop();
		state.set(file, 'done');
	};
	for (const file of modules) if (!state.has(file)) visit(file);
	return found;
}

describe('the import graph', () => {
	it('has no cycle, type-only imports included', () => {
		expect(cycles().map(cycle => cycle.join(' → '))).toEqual([]);
	});

	it('keeps source/ free of panels/, but for the entry and the app shell', () => {
		const shell = new Set(['source/app.tsx', 'source/cli/main.tsx']);
		const offenders = modules
			.filter(file => file.startsWith('source/') && !shell.has(file))
			.flatMap(file =>
				graph
					.get(file)!
					.local.filter(target => target.startsWith('panels/'))
					.map(target => `${file} → ${target}`),
			);
		expect(offenders).toEqual([]);
	});

	it('keeps panels/ to drawing: no processes, database, network or file system', () => {
		const forbidden = /^(node:|execa$|pg$|fs$|child_process$|net$|http|https$)/;
		const offenders = modules
			.filter(file => file.startsWith('panels/'))
			.flatMap(file =>
				graph
					.get(file)!
					.packages.filter(name => forbidden.test(name))
					.map(name => `${file} → ${name}`),
			);
		expect(offenders).toEqual([]);
	});

	it('can fail: it sees the imports it checks', () => {
		expect(graph.get('source/store.ts')?.packages).toContain('zustand/vanilla');
	});
});
