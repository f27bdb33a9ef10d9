/**
 * Playbooks: the seed runbook's sections as data the console walks a
 * responder through. A playbook belongs to a phase of the clock; each step
 * has a time window, checklist items, diagnostics (a command to run, or the
 * panel that already shows it live, or the console key that does it) and
 * actions bound to keys. Commands are argument arrays whose placeholders
 * (`{namespace}`, `{pod}`…) are filled from the selected rows and the config
 * at the moment they run, every value checked first. Pure.
 */
import {nameProblem, type NameKind} from '../sources/kubernetes/kubernetes-names';
import {pidProblem} from '../sources/postgres/backend-signal';

export const placeholders = ['namespace', 'deployment', 'pod', 'pid', 'context'] as const;
export type Placeholder = (typeof placeholders)[number];

/** The panels a diagnostic may point at instead of running a command again. */
export const pointedPanels = ['pods', 'database', 'health', 'timeline'] as const;
export type PointedPanel = (typeof pointedPanels)[number];

/** A diagnostic: a read command to run, or where the console already shows the same thing. */
export type Diagnostic = {
	label: string;
	/** The seed runbook's own line for it, quoted: what a responder used to type. */
	seed?: string;
} & ({argv: string[]} | {panel: PointedPanel} | {key: string});

export type PlaybookAction = {
	key: string;
	label: string;
	argv: string[];
	/** Whether it changes a system: a mutating action asks first, and read-only mode binds none. */
	mutates: boolean;
	/** How a mutating action is confirmed: y/N, or the target's name typed. */
	confirm?: 'yes-no' | 'type-name';
	seed?: string;
};

export type PlaybookStep = {
	title: string;
	/** `0-5m`, `10-30m`, or absent for a reference. */
	window?: string;
	checklist: string[];
	diagnostics: Diagnostic[];
	actions: PlaybookAction[];
};

export type Playbook = {
	id: string;
	title: string;
	/** The clock's phase it is shown in (severity.yaml's phase ids); absent for a reference read from `warroom runbooks show`. */
	phase?: string;
	steps: PlaybookStep[];
	/** Where it was read from, for messages. */
	file: string;
};

/** The values a command's placeholders take now; absent when nothing selected gives one. */
export type PlaceholderValues = Partial<Record<Placeholder, string>>;

// `{{` and `}}` are literal braces (a Python f-string's); `{name}` is a placeholder.
const placeholderPattern = /\{\{|\}\}|\{([^{}]*)\}/g;

const isPlaceholder = (name: string): name is Placeholder => (placeholders as readonly string[]).includes(name);

/** The placeholders an argument array uses that are not ones warroom knows. */
export const unknownPlaceholders = (argv: readonly string[]): string[] =>
	argv
		.flatMap(argument => [...argument.matchAll(placeholderPattern)].map(match => match[1]))
		.filter((name): name is string => name !== undefined && !isPlaceholder(name));

const kindOf: Record<Exclude<Placeholder, 'pid'>, NameKind> = {
	namespace: 'namespace',
	deployment: 'deployment',
	pod: 'pod',
	context: 'context',
};

/** Why a value may not fill its placeholder: a name Kubernetes would not give, or a pid that is not a number. */
function valueProblem(name: Placeholder, value: string): string | undefined {
	if (name === 'pid') return pidProblem(value);
	return nameProblem(kindOf[name], value);
}

/** Where a placeholder's value comes from, for the refusal that says it is missing. */
const sourceOf: Record<Placeholder, string> = {
	namespace: 'select a pod in the Pods panel (1)',
	deployment: 'select a pod of a deployment in the Pods panel (1)',
	pod: 'select a pod in the Pods panel (1)',
	pid: 'select a backend in the Database panel (2)',
	context: 'no kubectl context known yet',
};

/** The argument array with every placeholder filled and checked; or why it cannot run. */
export function fillArgv(argv: readonly string[], values: PlaceholderValues): {argv: string[]} | {refused: string} {
	let refused: string | undefined;
	const filled = argv.map(argument =>
		argument.replace(placeholderPattern, (whole, name: string | undefined) => {
			if (name === undefined) return whole[0]!;
			if (!isPlaceholder(name)) {
				refused ??= `unknown placeholder ${whole}`;
				return whole;
			}
			const value = values[name];
			if (value === undefined) {
				refused ??= `{${name}} has no value: ${sourceOf[name]}`;
				return whole;
			}
			refused ??= valueProblem(name, value);
			return value;
		}),
	);
	return refused === undefined ? {argv: filled} : {refused};
}

/** The playbooks shown in a phase of the clock. */
export const playbooksOf = (playbooks: readonly Playbook[], phase: string | undefined): Playbook[] =>
	phase === undefined ? [] : playbooks.filter(playbook => playbook.phase === phase);
