/**
 * Reads playbooks from `playbooks/*.yaml` in the runbook directories,
 * validated field by field. Every mistake is one line naming the file, the
 * line in it and the reason: a key that another action already has, a
 * placeholder warroom cannot fill, or bad YAML is refused at load, never
 * found out when a responder presses the key. The built-in playbooks are
 * validated at build time and shipped compiled (see scripts/build.mjs).
 */
import {isNode, parseDocument} from 'yaml';
import * as z from 'zod/mini';
import {InputError} from '../errors';
import {yamlFilesIn} from '../config/runbook-dirs';
import {describeInvalidType, formatIssue, readInputFile, readYaml, section, shortenEchoes} from '../config/yaml-input';
import {mapStrings, stripControl, toSingleLine} from '../text/sanitize';
import {placeholders, pointedPanels, unknownPlaceholders, type Playbook} from './playbook';

const text = z.string().check(z.minLength(1, 'expected some text'));
const argv = z.array(z.string()).check(z.minLength(1, 'expected a command: [program, argument, …]'));

const diagnostic = z.union([
	section({label: text, seed: z.optional(z.string()), argv}),
	section({label: text, seed: z.optional(z.string()), panel: z.enum(pointedPanels)}),
	section({label: text, seed: z.optional(z.string()), key: text}),
]);

const action = section({
	key: z.string().check(z.regex(/^[A-Za-z]$/, 'expected one letter')),
	label: text,
	argv,
	mutates: z.boolean(),
	confirm: z.optional(z.enum(['yes-no', 'type-name'])),
	seed: z.optional(z.string()),
});

const step = section({
	title: text,
	window: z.optional(z.string().check(z.regex(/^\d+-\d+m$/, 'expected minutes from the declaration like "10-30m"'))),
	checklist: z._default(z.array(text), []),
	diagnostics: z._default(z.array(diagnostic), []),
	actions: z._default(z.array(action), []),
});

const playbookSchema = section({
	id: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case id like "api-gateway-outage"')),
	title: text,
	phase: z.optional(z.string()),
	steps: z.array(step).check(z.minLength(1, 'expected at least one step')),
});

/** The line (1-based) of the value at `path` in the YAML text, if the path reaches one. */
function lineAt(yamlText: string, path: ReadonlyArray<PropertyKey>): number | undefined {
	const node = parseDocument(yamlText).getIn(
		path.filter(key => typeof key !== 'symbol'),
		true,
	);
	const offset = isNode(node) ? node.range?.[0] : undefined;
	return offset === undefined ? undefined : yamlText.slice(0, offset).split('\n').length;
}

const failure = (file: string, yamlText: string, path: ReadonlyArray<PropertyKey>, reason: string) => {
	const line = lineAt(yamlText, path);
	return new InputError(file, `${line === undefined ? '' : `line ${line}: `}${reason}`);
};

/**
 * External text made fit for the terminal: labels and checklist items on one
 * line; commands keep their line breaks (a `python -c` script needs them)
 * but lose every control character.
 */
function cleaned(playbook: Playbook): Playbook {
	const single = mapStrings(playbook, toSingleLine);
	return {
		...single,
		steps: single.steps.map((entry, index) => {
			const raw = playbook.steps[index]!;
			return {
				...entry,
				diagnostics: entry.diagnostics.map((item, at) => {
					const original = raw.diagnostics[at]!;
					return 'argv' in original ? {...item, argv: original.argv.map(stripControl)} : item;
				}),
				actions: entry.actions.map((item, at) => ({...item, argv: raw.actions[at]!.argv.map(stripControl)})),
			};
		}),
	};
}

/** One playbook file, validated; `reservedKeys` are the keys warroom binds already. */
export function parsePlaybook(yamlText: string, file: string, reservedKeys: readonly string[]): Playbook {
	const result = playbookSchema.safeParse(readYaml(yamlText, file) ?? {}, {error: describeInvalidType});
	if (!result.success) {
		const [issue] = result.error.issues;
		const path = issue ? (issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path) : [];
		throw failure(file, yamlText, path, shortenEchoes(formatIssue(issue)));
	}
	const playbook = cleaned({...result.data, file});
	playbook.steps.forEach((entry, stepIndex) => {
		const commands = [
			...entry.diagnostics.map((item, index) => ({item, path: ['diagnostics', index]})),
			...entry.actions.map((item, index) => ({item, path: ['actions', index]})),
		];
		for (const {item, path} of commands) {
			const unknown = 'argv' in item ? unknownPlaceholders(item.argv)[0] : undefined;
			if (unknown !== undefined)
				throw failure(
					file,
					yamlText,
					['steps', stepIndex, ...path, 'argv'],
					`unknown placeholder {${unknown}} (known: ${placeholders.map(name => `{${name}}`).join(', ')})`,
				);
		}
		entry.actions.forEach((item, index) => {
			if (reservedKeys.includes(item.key))
				throw failure(
					file,
					yamlText,
					['steps', stepIndex, 'actions', index, 'key'],
					`key "${item.key}" is already warroom's own (see ?)`,
				);
			if (item.mutates && item.confirm === undefined)
				throw failure(
					file,
					yamlText,
					['steps', stepIndex, 'actions', index],
					'a mutating action needs confirm: yes-no or type-name',
				);
		});
	});
	return playbook;
}

/** The line of an action's key in its file, for a collision found across files. */
function keyLine(playbook: Playbook, key: string): string {
	const yamlText = readInputFile(playbook.file, playbook.file);
	const at = playbook.steps
		.flatMap((entry, stepIndex) =>
			entry.actions.map((item, index) => ({item, path: ['steps', stepIndex, 'actions', index, 'key']})),
		)
		.find(({item}) => item.key === key);
	const line = at ? lineAt(yamlText, at.path) : undefined;
	return line === undefined ? '' : `line ${line}: `;
}

/**
 * Checks files against each other: one id per playbook (a directory given
 * later in the config overrides the built-in one of the same id), and one
 * action per key across all of them.
 */
export function checkPlaybooks(playbooks: readonly Playbook[]): Playbook[] {
	const byId = new Map<string, Playbook>();
	for (const playbook of playbooks) if (!byId.has(playbook.id)) byId.set(playbook.id, playbook);
	const kept = [...byId.values()];
	const owners = new Map<string, Playbook>();
	for (const playbook of kept) {
		for (const item of playbook.steps.flatMap(entry => entry.actions)) {
			const owner = owners.get(item.key);
			if (owner && owner !== playbook)
				throw new InputError(
					playbook.file,
					`${keyLine(playbook, item.key)}key "${item.key}" is already bound by playbook ${owner.id} (${owner.file})`,
				);
			owners.set(item.key, playbook);
		}
	}
	return kept;
}

/** Every playbook of the runbook directories, searched in order (the first directory wins an id). */
export function loadPlaybooks(runbookDirs: readonly string[], reservedKeys: readonly string[]): Playbook[] {
	return checkPlaybooks(
		yamlFilesIn(runbookDirs, 'playbooks').map(file => parsePlaybook(readInputFile(file, file), file, reservedKeys)),
	);
}

/** Validates files given on the command line against each other and the playbooks loaded (whose ids they would replace). */
export function validatePlaybookFiles(
	files: readonly string[],
	reservedKeys: readonly string[],
	loaded: readonly Playbook[],
): Playbook[] {
	const parsed = files.map(file => parsePlaybook(readInputFile(file, file), file, reservedKeys));
	// Checked last, so that a collision names the file given; one of the same id replaces the loaded one.
	checkPlaybooks([...loaded.filter(playbook => !parsed.some(({id}) => id === playbook.id)), ...parsed]);
	return parsed;
}
