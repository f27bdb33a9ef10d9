/**
 * The key map (DESIGN.md, "Default keys"): the keys that move around the
 * screen, here, and the keys that act, from the action registry. One list
 * of bindings drives routing, `?`, the footer's hints and read-only mode.
 */
import {panelIds, panelSpec, type PanelId} from '../view-model/panels';
import type {Action} from './action';
import type {Risk} from './confirm';
import {registry} from './registry';
import {playbookActions} from './playbook-actions';
import type {Playbook} from '../incident/playbook';

/** The keys that move around the screen and change nothing. */
export type NavigationId =
	| 'help'
	| 'quit'
	| 'next-panel'
	| 'previous-panel'
	| 'focus-panel'
	| 'zoom'
	| 'back'
	| 'up'
	| 'down'
	| 'page-up'
	| 'page-down'
	| 'filter';

export type KeyContext = {
	focus: PanelId;
	hasIncident: boolean;
	readOnly: boolean;
	/** Why, when the store made the console read-only (a role that may only read it): said with every key it refuses. */
	readOnlyBecause?: string;
	zoomed: boolean;
	/** The playbooks loaded: their actions are bound beside the built-in ones. */
	playbooks?: readonly Playbook[];
};

type BindingFacts = {
	keys: readonly string[];
	/** How `?` writes the keys. */
	label: string;
	description: string;
	/** Listed in the footer's hints. */
	hint: boolean;
	/** Only `read` is bound in read-only mode. */
	risk: Risk;
	/** Needs an incident on screen. */
	needsIncident?: boolean;
	/** Only live while one of these panels has the focus. */
	panels?: readonly PanelId[];
	/** Only live while a panel is zoomed (or, false, while none is). */
	zoomed?: boolean;
};

export type Binding = BindingFacts &
	({kind: 'navigation'; action: NavigationId} | {kind: 'action'; action: string; entry: Action});

const move = (
	keys: string[],
	label: string,
	action: NavigationId,
	description: string,
	more: Partial<BindingFacts> = {},
): Binding => ({
	kind: 'navigation',
	keys,
	label,
	action,
	description,
	hint: false,
	risk: 'read',
	...more,
});

/** The keys 1-5: each panel's number, from the panel table. */
const panelNumbers = panelIds.map(panel => String(panelSpec(panel).number));

const navigation: Binding[] = [
	move(['?'], '?', 'help', 'help: the keys live here', {hint: true}),
	move(['q'], 'q', 'quit', 'quit', {hint: true}),
	move(['tab'], 'Tab', 'next-panel', 'next panel', {hint: true}),
	move(['shift-tab'], 'Shift-Tab', 'previous-panel', 'previous panel'),
	move(panelNumbers, `${panelNumbers[0]}-${panelNumbers.at(-1)}`, 'focus-panel', 'jump to panel'),
	move(['enter'], 'Enter', 'zoom', 'zoom the panel', {hint: true, zoomed: false}),
	move(['esc'], 'Esc', 'back', 'back: unzoom, clear the filter'),
	move(['up', 'k'], '↑/k', 'up', 'move up'),
	move(['down', 'j'], '↓/j', 'down', 'move down'),
	move(['pageup'], 'PgUp', 'page-up', 'page up'),
	move(['pagedown'], 'PgDn', 'page-down', 'page down'),
	move(['/'], '/', 'filter', 'filter the rows', {hint: true}),
];

/** A registry entry as a key binding. */
export const actionBinding = (entry: Action): Binding => ({
	kind: 'action',
	action: entry.id,
	entry,
	keys: entry.keys,
	label: entry.keyLabel,
	description: entry.description,
	hint: entry.hint,
	risk: entry.risk,
	needsIncident: entry.needsIncident,
	...(entry.panels ? {panels: entry.panels} : {}),
	...(entry.zoomed === undefined ? {} : {zoomed: entry.zoomed}),
});

/** Every binding, in the order `?` lists them: moving around, then the registry's actions. */
export const bindings: readonly Binding[] = [...navigation, ...registry.map(actionBinding)];

/** Every key warroom binds itself: a playbook's action may take none of them. */
export const reservedKeys = (): string[] => bindings.flatMap(binding => binding.keys);

/** Whether a binding does something in this context: read-only mode binds nothing but what changes nothing. */
export const isLive = (binding: Binding, context: KeyContext) =>
	!(binding.risk !== 'read' && context.readOnly) &&
	!(binding.needsIncident && !context.hasIncident) &&
	(binding.panels === undefined || binding.panels.includes(context.focus)) &&
	(binding.zoomed === undefined || binding.zoomed === context.zoomed);

/** The bindings that do something in this context, in help order: the built-in ones, then the playbooks' actions. */
export const liveBindings = (context: KeyContext) =>
	[...bindings, ...playbookActions(context.playbooks ?? []).map(actionBinding)].filter(binding => isLive(binding, context));

/** The live binding for a key, if any. */
export const bindingFor = (name: string, context: KeyContext) =>
	liveBindings(context).find(binding => binding.keys.includes(name));

/**
 * Why a key does nothing here when it acts elsewhere: read-only mode, or no
 * incident yet. Undefined for a key that is not an action's, or only acts on
 * another panel (the Pods panel's keys are letters the other panels may use).
 */
export function unboundReason(name: string, context: KeyContext): string | undefined {
	const binding = bindingFor(name, {...context, readOnly: false, hasIncident: true});
	if (binding?.kind !== 'action') return undefined;
	if (context.readOnly && binding.risk !== 'read') {
		const because = context.readOnlyBecause === undefined ? '' : ` (${context.readOnlyBecause})`;
		return `read-only: ${binding.entry.title} is not available${because}`;
	}
	if (!context.hasIncident && binding.needsIncident) return `${binding.entry.title}: no incident: declare one first (d)`;
	return undefined;
}

/** The footer's hints: the live bindings marked as hints, each in a few words, the focused panel's own keys first after moving around. */
export const footerHints = (context: KeyContext) => {
	const hints = liveBindings(context).filter(binding => binding.hint);
	// The focused panel's own keys come right after moving around: a long line loses its end, never them.
	const ownsPanel = (binding: Binding) => binding.kind === 'action' && binding.panels !== undefined;
	return [
		...hints.filter(binding => binding.kind === 'navigation'),
		...hints.filter(ownsPanel),
		...hints.filter(binding => binding.kind === 'action' && !ownsPanel(binding)),
	]
		.map(binding => `${binding.label} ${binding.description.split(':')[0]}`)
		.join(' · ');
};
