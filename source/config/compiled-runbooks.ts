/**
 * The built-in runbook files the build validated and compiled to JSON
 * (`dist/severity.json`, `dist/drills/NAME.json`): read in place of their
 * YAML, so a plain start or a built-in drill loads neither the YAML parser
 * nor the validators. Absent when running from source, or stale when the YAML
 * was edited after the build: then the caller reads the YAML.
 */
import {existsSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import type {Drill} from '../sources/drill/drill';
import type {Policy} from '../incident/policy';
import {builtInRunbooksDir, compiledDrillFile, compiledPolicyFile} from '../paths';

function readCompiled<T>(yamlFile: string, jsonFile: string): T | undefined {
	try {
		if (statSync(jsonFile).mtimeMs < statSync(yamlFile).mtimeMs) return undefined;
		return JSON.parse(readFileSync(jsonFile, 'utf8')) as T;
	} catch {
		return undefined;
	}
}

/** The compiled built-in policy, when `yamlFile` is the built-in one. */
export const compiledPolicy = (yamlFile: string): Policy | undefined =>
	yamlFile === join(builtInRunbooksDir, 'severity.yaml') ? readCompiled(yamlFile, compiledPolicyFile) : undefined;

// The names drills have (drill-file.ts checks the same), so a name never reaches a path as anything else.
const drillName = /^[a-z0-9-]+$/;

/** The compiled drill `name`, when the built-in one is what the runbook directories (searched in order) give. */
export function compiledDrill(name: string, runbookDirs: readonly string[]): Drill | undefined {
	if (!drillName.test(name)) return undefined;
	const yamlFile = runbookDirs.map(dir => join(dir, 'drills', `${name}.yaml`)).find(file => existsSync(file));
	return yamlFile === join(builtInRunbooksDir, 'drills', `${name}.yaml`)
		? readCompiled(yamlFile, compiledDrillFile(name))
		: undefined;
}
