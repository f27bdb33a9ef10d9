/**
 * Whether the terminal doctor runs in could hold the console: a terminal on
 * standard input and output, at least the console's minimum size, and a
 * TERM that says what it can draw. Doctor piped into a file or a CI log is
 * no fault of the setup, so no terminal is a warning, never missing. Pure.
 */
import {isTooSmall, minimumSize} from '../view-model/layout';
import type {Finding} from './finding';

export type TerminalFacts = {
	stdinIsTty: boolean;
	stdoutIsTty: boolean;
	/** The terminal's size; undefined when standard output is no terminal. */
	columns?: number;
	rows?: number;
	term?: string;
};

const check = 'terminal';
const need = `${minimumSize.columns}×${minimumSize.rows}`;

export function terminalFinding(facts: TerminalFacts): Finding {
	if (!facts.stdoutIsTty || !facts.stdinIsTty) {
		const which = facts.stdoutIsTty ? 'standard input' : 'standard output';
		return {
			check,
			status: 'warn',
			detail: `not a terminal: the console needs one (${which} is a pipe or a file)`,
			fix: 'run `warroom` itself in a terminal (ssh -t HOST for a remote one)',
		};
	}
	const columns = facts.columns ?? 0;
	const rows = facts.rows ?? 0;
	if (isTooSmall(columns, rows))
		return {
			check,
			status: 'missing',
			detail: `${columns}×${rows}: the console needs at least ${need}`,
			fix: `enlarge the window, or the pane (tmux resize-pane -x ${minimumSize.columns} -y ${minimumSize.rows})`,
		};
	if (!facts.term)
		return {
			check,
			status: 'warn',
			detail: `${columns}×${rows}, but TERM is not set: colours and keys may come out wrong`,
			fix: 'export TERM=xterm-256color',
		};
	if (facts.term === 'dumb')
		return {
			check,
			status: 'warn',
			detail: `${columns}×${rows}, TERM=dumb: no colour (every state is still a word)`,
			fix: 'export TERM=xterm-256color',
		};
	return {check, status: 'ok', detail: `${columns}×${rows}, TERM=${facts.term}`};
}
