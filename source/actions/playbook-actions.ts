/**
 * The playbooks in the engine: each playbook action is an entry like the
 * built-in ones (so confirmation, `--read-only`, `--dry-run` and journaling
 * apply to it alike); `o` on the Runbook panel runs the selected diagnostic
 * into the output overlay, or says which panel shows it live; `e` in the
 * overlay keeps what a command printed as evidence in the journal.
 * Placeholders are filled from the selected pod and backend and the
 * cluster's context, each value checked before a command is built.
 */
import {newEvent} from '../incident/events';
import {fillArgv, type PlaceholderValues, type Playbook, type PlaybookAction} from '../incident/playbook';
import {currentContext} from '../view-model/cluster';
import {panelSpec, type PanelId} from '../view-model/panels';
import {findRow, selectedKey} from '../view-model/selection';
import type {WarroomState} from '../store';
import {defineAction, type Action} from './action';
import type {Refusal} from './command';
import {outputTail} from './output';

/** A diagnostic reads: it may run this long. */
const diagnosticTimeoutMs = 30_000;

/** The values placeholders take now: the selected pod's (or deployment's), the selected backend's, the cluster's context. */
function placeholderValues(state: WarroomState): PlaceholderValues {
	const values: PlaceholderValues = {};
	const context = currentContext(state);
	if (context !== undefined) values.context = context;
	const podKey = selectedKey(state, 'pods');
	const row = podKey === undefined ? undefined : findRow(state, 'pods', podKey);
	if (row?.kind === 'pod') {
		values.namespace = row.pod.namespace;
		values.pod = row.pod.name;
		if (row.pod.owner.kind === 'Deployment') values.deployment = row.pod.owner.name;
	} else if (row?.kind === 'deployment') {
		values.namespace = row.deployment.namespace;
		values.deployment = row.deployment.name;
	}
	const backendKey = selectedKey(state, 'database');
	const backend = backendKey === undefined ? undefined : findRow(state, 'database', backendKey);
	if (backend) values.pid = String(backend.kind === 'lock' ? backend.lock.pid : backend.query.pid);
	return values;
}

/** A runbook's command made ready: placeholders filled and checked; in a drill, nothing that would reach a real cluster. */
function runbookArgv(state: WarroomState, argv: readonly string[]): {argv: string[]} | Refusal {
	if (state.mode.drill && argv[0] === 'kubectl')
		return {
			refused: "a drill's cluster is simulated: a runbook's kubectl command is not run (l, i, u, R, s act on the drill's pods)",
		};
	return fillArgv(argv, placeholderValues(state));
}

const pointedNumber = (panel: PanelId) => panelSpec(panel).number;

/** `o` on the Runbook panel: the selected diagnostic, run with its output in the overlay; or where the console shows it. */
export const runDiagnostic = defineAction({
	id: 'diagnostic',
	title: 'diagnostic',
	keys: ['o'],
	keyLabel: 'o',
	description: 'run the selected diagnostic: its output in an overlay',
	hint: true,
	panels: ['runbook'],
	risk: 'read',
	timeoutMs: diagnosticTimeoutMs,
	// A read journals nothing: what it showed is kept with `e`, as evidence.
	journals: [],
	target: (state, key) => {
		const row = key === undefined ? undefined : findRow(state, 'runbook', key);
		return row?.kind === 'diagnostic' ? {value: row.diagnostic, name: row.diagnostic.label} : {refused: 'no diagnostic selected'};
	},
	build: ({state, target: diagnostic}) => {
		if (!diagnostic) return {refused: 'no diagnostic selected'};
		if ('panel' in diagnostic)
			return {refused: `shown live in the ${panelSpec(diagnostic.panel).title} panel: press ${pointedNumber(diagnostic.panel)}`};
		if ('key' in diagnostic) return {refused: `press ${diagnostic.key}: ${diagnostic.label}`};
		const ready = runbookArgv(state, diagnostic.argv);
		if ('refused' in ready) return ready;
		return {
			command: {kind: 'argv', argv: ready.argv, output: {title: diagnostic.label, atEnd: false}},
			effect: `run ${diagnostic.label}`,
			summary: `diagnostic ${diagnostic.label}`,
		};
	},
});

/** A playbook's action as a registry entry: on every panel; a change confirmed as its file says and journaled around its command, a read shown in the overlay. */
function playbookAction(playbook: Playbook, action: PlaybookAction): Action {
	return defineAction({
		id: `${playbook.id}:${action.key}`,
		title: action.label,
		keys: [action.key],
		keyLabel: action.key,
		description: `${action.label} (playbook ${playbook.id})`,
		risk: action.mutates ? (action.confirm === 'type-name' ? 'destructive' : 'mutating') : 'read',
		...(action.confirm ? {confirmation: action.confirm} : {}),
		needsIncident: action.mutates,
		journals: action.mutates ? ['action_started', 'action_finished'] : [],
		build: ({state}) => {
			const ready = runbookArgv(state, action.argv);
			if ('refused' in ready) return ready;
			return {
				command: action.mutates
					? {kind: 'argv', argv: ready.argv}
					: {kind: 'argv', argv: ready.argv, output: {title: action.label, atEnd: false}},
				effect: action.label,
				summary: action.label,
			};
		},
	});
}

const madeActions = new WeakMap<readonly Playbook[], Action[]>();

/** The registry entries of the playbooks loaded: made once per set. */
export function playbookActions(playbooks: readonly Playbook[]): Action[] {
	const made = madeActions.get(playbooks);
	if (made) return made;
	const actions = playbooks.flatMap(playbook =>
		playbook.steps.flatMap(step => step.actions.map(action => playbookAction(playbook, action))),
	);
	madeActions.set(playbooks, actions);
	return actions;
}

/** `e` in the output overlay: what the command printed (already clean and masked), its exit and duration, journaled as evidence. */
export const keepEvidence = defineAction({
	id: 'evidence',
	title: 'evidence',
	keys: [],
	keyLabel: 'e',
	description: 'journal the output as evidence',
	risk: 'safe',
	needsIncident: true,
	journals: ['evidence'],
	build: ({state}) => {
		const overlay = state.ui.overlay;
		const ran = overlay?.kind === 'output' ? overlay.output.ran : undefined;
		if (overlay?.kind !== 'output' || !ran) return {refused: 'nothing to keep: no command output on screen'};
		return {
			command: {
				kind: 'journal',
				event: newEvent.evidence({command: overlay.output.command, ...ran, output: outputTail(overlay.output.lines)}),
				done: incident => `${incident}: evidence kept: ${overlay.output.command}`,
			},
			effect: 'journal the output as evidence',
			summary: 'evidence',
		};
	},
});
