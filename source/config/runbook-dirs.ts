/** The runbook directories: a later one given in the config overrides an earlier one, and all override the built-in one. */
import {existsSync} from 'node:fs';
import {join} from 'node:path';

/** `relativePath` in the first of the runbook directories (searched in order) that has it. */
export const findInRunbooks = (runbookDirs: readonly string[], relativePath: string): string | undefined =>
	runbookDirs.map(dir => join(dir, relativePath)).find(file => existsSync(file));
