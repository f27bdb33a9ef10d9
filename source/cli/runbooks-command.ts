/**
 * `warroom runbooks list|show ID|validate [FILE…]`: the playbooks the
 * console walks a responder through, read without a terminal. A bad
 * playbook is bad input: one line naming its file, line and reason, exit 2.
 */
import {commandText} from '../actions/command';
import {reservedKeys} from '../actions/keys';
import type {Diagnostic, Playbook, PlaybookAction} from '../incident/playbook';
import {UsageError} from '../errors';
import {readPlaybooks, type Settings} from '../config/settings';
import {panels} from '../view-model/panels';
import type {Output} from './subcommands';

const argvText = (argv: readonly string[]) => commandText({kind: 'argv', argv});

function diagnosticText(diagnostic: Diagnostic): string {
	if ('argv' in diagnostic) return `${diagnostic.label}: $ ${argvText(diagnostic.argv)}`;
	if ('panel' in diagnostic) {
		const {title, number} = panels[diagnostic.panel];
		return `${diagnostic.label}: shown live in the ${title} panel (${number})`;
	}
	return `${diagnostic.label}: key ${diagnostic.key}`;
}

const actionText = (action: PlaybookAction) =>
	`${action.key}  ${action.label}: $ ${argvText(action.argv)}${action.mutates ? ` (changes a system; confirmed ${action.confirm})` : ' (reads only)'}`;

const counts = (playbook: Playbook) => {
	const steps = playbook.steps;
	const diagnostics = steps.reduce((sum, step) => sum + step.diagnostics.length, 0);
	const actions = steps.reduce((sum, step) => sum + step.actions.length, 0);
	return `${steps.length} steps, ${diagnostics} diagnostics, ${actions} actions`;
};

/** One line a playbook: its id, the phase it is shown in, its title and what it holds. */
export const playbookListText = (playbooks: readonly Playbook[]) =>
	playbooks
		.map(playbook => `${playbook.id}  ${playbook.phase ?? 'reference'}  ${playbook.title} (${counts(playbook)})\n`)
		.join('');

/** A playbook whole: each step with its window, checklist, diagnostics and actions. */
export function playbookText(playbook: Playbook): string {
	const lines = [
		`${playbook.title} (${playbook.id}, ${playbook.phase ? `phase ${playbook.phase}` : 'reference'}; ${playbook.file})`,
	];
	for (const step of playbook.steps) {
		lines.push('', `${step.title}${step.window ? ` (${step.window})` : ''}`);
		lines.push(...step.checklist.map(item => `  [ ] ${item}`));
		lines.push(...step.diagnostics.map(diagnostic => `  ${diagnosticText(diagnostic)}`));
		lines.push(...step.actions.map(action => `  ${actionText(action)}`));
	}
	return `${lines.join('\n')}\n`;
}

export async function runbooksCommand(settings: Settings, args: readonly string[], out: Output): Promise<number> {
	const [verb, ...rest] = args;
	const playbooks = await readPlaybooks(settings.runbookDirs);
	switch (verb) {
		case 'list':
			out.write(playbookListText(playbooks));
			return 0;
		case 'show': {
			const playbook = playbooks.find(({id}) => id === rest[0]);
			if (!playbook)
				throw new UsageError(`no playbook "${rest[0] ?? ''}" (playbooks: ${playbooks.map(({id}) => id).join(', ')})`);
			out.write(playbookText(playbook));
			return 0;
		}
		case 'validate': {
			// The runbook directories were read, and checked, to get here; files named are checked against warroom's keys and each other.
			const {validatePlaybookFiles} = await import('../incident/playbook-file');
			const checked = rest.length > 0 ? validatePlaybookFiles(rest, reservedKeys(), playbooks) : playbooks;
			out.write(`${checked.length} playbooks valid: ${checked.map(({id}) => id).join(', ')}\n`);
			return 0;
		}
		default:
			throw new UsageError(`runbooks takes list, show ID or validate [FILE…], got "${verb ?? ''}"`);
	}
}
