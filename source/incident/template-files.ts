/** The message templates' text: `templates/NAME.md` in the first runbook directory that has it, so a team's own wording overrides the built-in one. */
import {readFile} from 'node:fs/promises';
import {findInRunbooks} from '../config/runbook-dirs';
import type {MessageTemplate} from './events';

export async function readTemplate(runbookDirs: readonly string[], name: MessageTemplate): Promise<string> {
	const file = findInRunbooks(runbookDirs, `templates/${name}.md`);
	if (!file) throw new Error(`no templates/${name}.md in ${runbookDirs.join(', ')}`);
	return readFile(file, 'utf8');
}
