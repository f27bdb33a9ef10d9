/**
 * The built-in runbook files the build validated and compiled to JSON
 * (`dist/severity.json`, `dist/drills/NAME.json`, `dist/playbooks.json`): read in place of their
 * YAML, so a plain start or a built-in drill loads neither the YAML parser
 * nor the validators. Absent when running from source, or stale when the YAML
 * was edited after the build: then the caller reads the YAML.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {basename, isAbsolute, join, relative} from 'node:path';
import {drillName, type Drill} from '../sources/drill/drill';
import type {Playbook} from '../incident/playbook';
import {builtInRunbooksDir, compiledRunbooksDir} from '../paths';
import {findInRunbooks} from './runbook-dirs';

/** The compiled form of `yamlFile` when it is a built-in runbook file the build compiled, and compiled since it last changed. */
export function compiledRunbook<T>(yamlFile: string): T | undefined {
	const builtIn = relative(builtInRunbooksDir, yamlFile);
	if (builtIn.startsWith('..') || isAbsolute(builtIn)) return undefined;
	const jsonFile = join(compiledRunbooksDir, builtIn.replace(/\.yaml$/, '.json'));
	try {
		if (statSync(jsonFile).mtimeMs < statSync(yamlFile).mtimeMs) return undefined;
		return JSON.parse(readFileSync(jsonFile, 'utf8')) as T;
	} catch {
		return undefined;
	}
}

/** The built-in playbooks (`dist/playbooks.json`), when compiled since any of them, or their folder, last changed. */
export function compiledPlaybooks(): Playbook[] | undefined {
	const folder = join(builtInRunbooksDir, 'playbooks');
	try {
		const compiledAt = statSync(join(compiledRunbooksDir, 'playbooks.json')).mtimeMs;
		const sources = [folder, ...readdirSync(folder).map(name => join(folder, name))];
		if (sources.some(file => statSync(file).mtimeMs > compiledAt)) return undefined;
		const playbooks = JSON.parse(readFileSync(join(compiledRunbooksDir, 'playbooks.json'), 'utf8')) as Playbook[];
		// Compiled with paths relative to the project: each names its file where this install has it.
		return playbooks.map(playbook => ({...playbook, file: join(folder, basename(playbook.file))}));
	} catch {
		return undefined;
	}
}

/** The compiled drill `name`, when the built-in one is what the runbook directories give. */
export function compiledDrill(name: string, runbookDirs: readonly string[]): Drill | undefined {
	// Checked first, so a name never reaches a path as anything else.
	const file = drillName.test(name) ? findInRunbooks(runbookDirs, join('drills', `${name}.yaml`)) : undefined;
	return file === undefined ? undefined : compiledRunbook<Drill>(file);
}
