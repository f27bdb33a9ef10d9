/**
 * What a confirmed action does, as data the confirmation can show exactly: a
 * process to run (an argument array, never a shell line), an event to write
 * to the incident journal, or work inside the console (a refresh). Kept
 * apart from the registry so that the store can hold a pending action
 * without importing the registry.
 */
import type {EventType, NewEvent, ProducedText} from '../incident/events';
import type {RefreshReason} from '../sources/collector';
import type {DrillCluster} from '../sources/drill/drill-cluster';
import type {BackendSignals} from '../sources/postgres/backend-signal';
import type {Question, Risk} from './confirm';

/** What work inside the console can reach. */
export type Services = {
	/** Every source and the journal, read again now: as asked (`r`), or for what a change just made. */
	refresh(reason?: RefreshReason): Promise<void>;
	/** In a drill: the simulated cluster its Kubernetes actions act on, never a real one. */
	drillCluster?: DrillCluster;
	/** The database `C` and `K` signal: the configured server, or in a drill its simulated database. */
	database?: BackendSignals;
};

/** A command whose output is what was asked for (a pod's logs, a describe): shown in the output overlay. */
export type OutputSpec = {
	title: string;
	/** Opens at the last line (a log), else at the first. */
	atEnd: boolean;
	/** Set for a text written from the journal (a message, the post-mortem): the overlay copies it (c) or writes it to a file (w). */
	produces?: ProducedText;
};

export type Command =
	| {
			kind: 'argv';
			argv: readonly string[];
			output?: OutputSpec;
			/** Why it failed, in words a responder can act on, from what it wrote to stderr; else its last line is shown. */
			explain?: (stderr: string) => string;
	  }
	| {kind: 'journal'; event: NewEvent; done: (incident: string) => string}
	| {
			kind: 'run';
			name: string;
			/** Resolves with the text to show, for a command with `output`; else with what it did, if it says (journaled as its result). */
			run: (services: Services, signal: AbortSignal) => Promise<string | void>;
			output?: OutputSpec;
	  };

/** Which cluster a Kubernetes command acts on, as the confirmation repeats it. */
export type ClusterScope = {context: string; namespace: string; production: boolean};

/** An action made ready against the state at the moment it runs: the target it resolved and the exact command. */
export type Prepared = {
	/** The row acted on, by name: what the confirmation shows and the journal records. */
	target?: string;
	command: Command;
	/** What will happen, in words, for the confirmation. */
	effect: string;
	/** The write in a few words, named on the way out if it was not saved. */
	summary: string;
	/** For a command on a cluster: which one. */
	cluster?: ClusterScope;
	/** Lines the confirmation shows about the target before it is acted on (a backend's user, state, query, server). */
	details?: readonly string[];
	/** A stricter question than the action's own, for these values (scaling to 0 asks for the name typed). */
	ask?: Pick<Question, 'confirmation'> & Partial<Pick<Question, 'name'>>;
};

export type Refusal = {refused: string};

/** What running an action needs to know about it, whatever it is. */
export type ActionFacts = {
	id: string;
	/** How the timeline names it: `rollout undo`, `note`. */
	title: string;
	risk: Risk;
	timeoutMs: number;
	/** The journal events it writes: `action_started` and `action_finished` around a command, or its one incident change. */
	journals: readonly EventType[];
};

/**
 * An action waiting for its confirmation, with the exact command it shows
 * (secrets masked), and how to prepare it again, from the same row's key,
 * just before it runs.
 */
export type Pending = {
	action: ActionFacts;
	prepared: Prepared;
	shown: string;
	question: Question;
	prepareAgain: () => Prepared | Refusal;
	/** Why `y` would now run nothing: the target changed while the question was open. */
	changed?: string;
};

// Arguments made only of these characters read the same quoted or not.
const plainArgument = /^[\w@%+=:,./-]+$/;

/** An argument as a POSIX shell would need it quoted: for display only, never run through a shell. */
const quoteArgument = (argument: string) => (plainArgument.test(argument) ? argument : `'${argument.replaceAll("'", `'\\''`)}'`);

/** The command as the confirmation shows it and the journal records it. */
export function commandText(command: Command): string {
	switch (command.kind) {
		case 'argv':
			return command.argv.map(quoteArgument).join(' ');
		case 'journal':
			return `journal: ${command.event.type}`;
		case 'run':
			return command.name;
	}
}
