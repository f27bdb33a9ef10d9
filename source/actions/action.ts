/**
 * An action, as data: its keys, where it is live, its risk, how it finds and
 * checks its target at the moment it runs, the form it asks for, the exact
 * command it builds, how it is confirmed, its timeout and the journal events
 * it writes. `defineAction` keeps the target's own type inside the entry, so
 * the registry is one list of actions of any kind.
 */
import type {EventType} from '../incident/events';
import type {Incident} from '../incident/incident';
import type {WarroomState} from '../store';
import type {PanelId} from '../view-model/panels';
import type {ActionFacts, Prepared, Refusal} from './command';
import {confirmationFor, type Confirmation} from './confirm';
import type {FormKind} from './forms';

export type Values = Record<string, string>;

/** What an action's form opens with for the selected row: its values now, and a line saying what they are. */
type FormOpening = {values: Values; note: string};

export type Action = ActionFacts & {
	keys: readonly string[];
	/** How `?` writes the keys. */
	keyLabel: string;
	/** For `?`; the footer shows the part before a colon. */
	description: string;
	/** Listed in the footer's hints. */
	hint: boolean;
	/** Live only while one of these panels has the focus; everywhere when absent. */
	panels?: readonly PanelId[];
	/** Live only while its panel is zoomed: for a key that zooms otherwise (Enter). */
	zoomed?: boolean;
	needsIncident: boolean;
	confirmation: Confirmation;
	/** The form that asks for its input first. */
	form?: FormKind;
	/** What the form opens with for the selected row, or why it does not open (no row to act on). */
	formOpening?(state: WarroomState, selectedKey: string | undefined): FormOpening | Refusal;
	/** Finds the target from the selected row's key, checks it, and builds the exact command; or says why not. */
	prepare(state: WarroomState, selectedKey: string | undefined, values: Values): Prepared | Refusal;
};

/** The row an action acts on, checked, with the name the confirmation shows. */
export type Resolved<T> = {value: T; name: string} | Refusal;

/** The incident on screen, as an action's build sees it: there, when the action needs one (it is refused without). */
type IncidentFor<N extends boolean> = N extends true ? Incident : Incident | undefined;

export type ActionSpec<T, N extends boolean = boolean> = Omit<
	Action,
	'prepare' | 'confirmation' | 'timeoutMs' | 'hint' | 'needsIncident' | 'journals'
> & {
	/** By default, the one its risk asks for (confirm.ts). */
	confirmation?: Confirmation;
	timeoutMs?: number;
	hint?: boolean;
	needsIncident?: N;
	journals: readonly EventType[];
	/** Absent for an action on no row. */
	target?: (state: WarroomState, selectedKey: string | undefined) => Resolved<T>;
	build: (input: {
		state: WarroomState;
		incident: IncidentFor<N>;
		target: T | undefined;
		values: Values;
	}) => Omit<Prepared, 'target'> | Refusal;
};

/** How long a command may run before it is killed, unless its entry says otherwise. */
export const defaultTimeoutMs = 30_000;

export const noIncident: Refusal = {refused: 'no incident: declare one first (d)'};

export function defineAction<T = undefined, N extends boolean = boolean>({target, build, ...spec}: ActionSpec<T, N>): Action {
	return {
		...spec,
		confirmation: spec.confirmation ?? confirmationFor(spec.risk),
		timeoutMs: spec.timeoutMs ?? defaultTimeoutMs,
		hint: spec.hint ?? false,
		needsIncident: spec.needsIncident ?? false,
		prepare(state, selectedKey, values) {
			const {incident} = state;
			if (spec.needsIncident && !incident) return noIncident;
			const resolved = target?.(state, selectedKey);
			if (resolved && 'refused' in resolved) return resolved;
			// There whenever the action needs it: checked just above.
			const built = build({state, incident: incident as IncidentFor<N>, target: resolved?.value, values});
			if ('refused' in built) return built;
			return resolved ? {...built, target: resolved.name} : built;
		},
	};
}
