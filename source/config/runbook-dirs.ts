/** The runbook directories: a later one given in the config overrides an earlier one, and all override the built-in one. */
import {existsSync, readdirSync} from 'node:fs';
import {join} from 'node:path';

/** `relativePath` in the first of the runbook directories (searched in order) that has it. */
export const findInRunbooks = (runbookDirs: readonly string[], relativePath: string): string | undefined =>
	runbookDirs.map(dir => join(dir, relativePath)).find(file => existsSync(file));

/** The `.yaml` files of `folder` (`drills`, `playbooks`) in every runbook directory that has one, directory by directory, by name. */
export const yamlFilesIn = (runbookDirs: readonly string[], folder: string): string[] =>
	runbookDirs
		.map(dir => join(dir, folder))
		.filter(dir => existsSync(dir))
		.flatMap(dir =>
			readdirSync(dir)
				.filter(file => file.endsWith('.yaml'))
				.sort()
				.map(file => join(dir, file)),
		);
