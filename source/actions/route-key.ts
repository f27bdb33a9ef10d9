/**
 * One key press (or paste), routed: to the open form, the confirmation, the
 * help overlay, the filter being typed, or the binding the key map names.
 * Works on the store and the console's controls, so it is tested without a
 * terminal.
 */
import type {Action} from './action';
import type {Pending} from './command';
import {answerKey} from './confirm';
import type {Executor} from './executor';
import {formKey, formPaste, openForm, type FormKind} from './forms';
import {pasteMaxLength, pastedLine, typedText, type InputEvent} from './input';
import {bindingFor, unboundReason, type KeyContext, type NavigationId} from './keys';
import {outputKey, outputVisibleRows, type OutputView} from './output';
import type {ProducedHow} from '../incident/events';
import {actionOfForm} from './registry';
import {keepEvidence} from './playbook-actions';
import {update, type WarroomStore} from '../store';
import {panelByNumber, panelIds, panelRows, panelSpec, type PanelId} from '../view-model/panels';
import {moveSelection, selectedKey} from '../view-model/selection';

/** What keys reach beyond the screen's own state: the actions, and the ways out. */
export type Controls = {
	actions: Executor;
	quit(): void;
	/** Ctrl+Z: give the terminal back to the shell until `fg`. */
	suspend(): void;
	/** A text written from the journal leaves the console: copied to the clipboard, or written to a file; journaled either way. */
	produce(produced: NonNullable<OutputView['produced']>, how: ProducedHow): void;
};

const filterMaxLength = 60;

/** The keys of a text written from the journal, in the output overlay. */
const producedKeys: Partial<Record<string, ProducedHow>> = {c: 'copied', w: 'file'};

type PasteEvent = Extract<InputEvent, {kind: 'paste'}>;

const onTarget = ({action, prepared}: Pending) =>
	prepared.target === undefined ? action.title : `${action.title} on ${prepared.target}`;

/**
 * One key press or paste: Ctrl-C and Ctrl-Z act at once, anything else waits
 * until the journal is read (even q may be the start of a note typed ahead),
 * and nothing acts once a way out was taken.
 */
export function routeInput(store: WarroomStore, controls: Controls, event: InputEvent): void {
	const {quitting, journalRead} = store.getState();
	if (quitting) return;
	if (event.kind === 'key' && event.name === 'ctrl-c') controls.quit();
	else if (event.kind === 'key' && event.name === 'ctrl-z') controls.suspend();
	else if (!journalRead) store.setState(state => ({queuedInput: [...state.queuedInput, event]}));
	else if (event.kind === 'paste') routePaste(store, event);
	else routeKey(store, controls, event.name, event.input);
}

/** The journal has been read (into the store): the input that waited runs now, in order, against what it gave. */
export function journalLoaded(store: WarroomStore, controls: Controls): void {
	const {queuedInput} = store.getState();
	store.setState({journalRead: true, queuedInput: []});
	for (const event of queuedInput) routeInput(store, controls, event);
}

function routeKey(store: WarroomStore, controls: Controls, name: string, input: string): void {
	const {ui} = store.getState();
	if (ui.overlay?.kind === 'form') {
		const step = formKey(ui.overlay.form, name, input);
		if ('state' in step) update.ui(store, {overlay: {kind: 'form', form: step.state}});
		else update.ui(store, {overlay: undefined});
		const action = actionOfForm(ui.overlay.form.kind);
		if ('submit' in step && action) controls.actions.request(action, {values: step.submit, form: ui.overlay.form});
		return;
	}
	if (ui.overlay?.kind === 'confirm') {
		const {pending} = ui.overlay;
		const answer = answerKey(pending.question, name, input);
		if ('question' in answer) update.ui(store, {overlay: {kind: 'confirm', pending: {...pending, question: answer.question}}});
		else update.ui(store, {overlay: undefined});
		if ('yes' in answer) void controls.actions.run(pending);
		if ('no' in answer) update.notice(store, {text: `not run: ${onTarget(pending)}`, tone: 'info'});
		return;
	}
	if (ui.overlay?.kind === 'help') {
		update.ui(store, {overlay: undefined});
		return;
	}
	if (ui.overlay?.kind === 'output') {
		const {produced} = ui.overlay.output;
		const how = producedKeys[name];
		if (produced && how) {
			if (store.getState().mode.readOnly) update.notice(store, {text: 'read-only: nothing leaves the console', tone: 'error'});
			else controls.produce(produced, how);
			return;
		}
		if (name === 'e') return controls.actions.request(keepEvidence);
		const step = outputKey(ui.overlay.output, name, outputVisibleRows(store.getState().size.rows));
		update.ui(store, {overlay: 'close' in step ? undefined : {kind: 'output', output: step.view}});
		return;
	}
	if (ui.filtering) {
		editFilter(store, ui.focus, name, input);
		return;
	}
	if (ui.notice) update.notice(store, undefined);
	const state = store.getState();
	const context: KeyContext = {
		focus: ui.focus,
		hasIncident: state.incident !== undefined,
		readOnly: state.mode.readOnly,
		...(state.mode.readOnlyBecause === undefined ? {} : {readOnlyBecause: state.mode.readOnlyBecause}),
		zoomed: ui.zoomed,
		playbooks: state.playbooks,
	};
	const binding = bindingFor(name, context);
	if (binding?.kind === 'action') {
		if (binding.entry.form) openActionForm(store, binding.entry, binding.entry.form);
		else controls.actions.request(binding.entry);
	} else if (binding) navigate(store, controls, binding.action, name);
	else {
		// A key that acts elsewhere, or later, says why it does nothing here.
		const why = unboundReason(name, context);
		if (why) update.notice(store, {text: why, tone: 'error'});
	}
}

/** Opens an action's form, with what it knows of the selected row; or says why there is nothing to act on. */
function openActionForm(store: WarroomStore, action: Action, kind: FormKind): void {
	const state = store.getState();
	const opening = action.formOpening?.(state, selectedKey(state, state.ui.focus));
	if (opening && 'refused' in opening) return update.notice(store, {text: opening.refused, tone: 'error'});
	const form = openForm(kind, state.incident, state.policy);
	update.ui(store, {
		overlay: {
			kind: 'form',
			form: opening ? {...form, values: {...form.values, ...opening.values}, note: opening.note} : form,
		},
	});
}

/** A paste goes into the text field being typed, as one line; anywhere else it is refused, never run as keys. */
function routePaste(store: WarroomStore, {text, cut}: PasteEvent): void {
	if (!pasteIntoField(store, text)) update.notice(store, {text: 'paste ignored: not in a text field', tone: 'error'});
	else if (cut) update.notice(store, {text: `paste cut: only its first ${pasteMaxLength / 1024} KB was read`, tone: 'error'});
}

/** Types a paste into the form's text field or the filter being typed; false when neither is. */
function pasteIntoField(store: WarroomStore, text: string): boolean {
	const {ui} = store.getState();
	if (ui.overlay?.kind === 'form') {
		const form = formPaste(ui.overlay.form, text);
		if (form) update.ui(store, {overlay: {kind: 'form', form}});
		return form !== undefined;
	}
	if (!ui.filtering) return false;
	update.filter(store, ui.focus, (ui.filters[ui.focus] + pastedLine(text)).slice(0, filterMaxLength));
	return true;
}

function editFilter(store: WarroomStore, panel: PanelId, name: string, input: string) {
	const current = store.getState().ui.filters[panel];
	if (name === 'enter') update.ui(store, {filtering: false});
	else if (name === 'esc') {
		update.ui(store, {filtering: false});
		update.filter(store, panel, '');
	} else if (name === 'backspace') update.filter(store, panel, current.slice(0, -1));
	else {
		const typed = typedText(name, input);
		if (typed !== '') update.filter(store, panel, (current + typed).slice(0, filterMaxLength));
	}
}

const cyclePanel = (panel: PanelId, step: number) =>
	panelIds[(panelIds.indexOf(panel) + step + panelIds.length) % panelIds.length]!;

/** j/k and the pages: the timeline follows the newest event until the reader scrolls back; reaching the end follows again. */
function moveCursor(store: WarroomStore, step: number) {
	const state = store.getState();
	const panel = state.ui.focus;
	update.select(store, panel, moveSelection(state.ui.selection[panel], panelRows(state, panel), step, panelSpec(panel)));
}

function navigate(store: WarroomStore, controls: Controls, action: NavigationId, name: string) {
	const state = store.getState();
	const {ui} = state;
	const page = Math.max(1, state.size.rows - 8);
	switch (action) {
		case 'help':
			update.ui(store, {overlay: {kind: 'help'}});
			return;
		case 'quit':
			controls.quit();
			return;
		case 'next-panel':
		case 'previous-panel':
			update.ui(store, {focus: cyclePanel(ui.focus, action === 'next-panel' ? 1 : -1)});
			return;
		case 'focus-panel':
			update.ui(store, {focus: panelByNumber(Number(name)) ?? ui.focus});
			return;
		case 'zoom':
			update.ui(store, {zoomed: true});
			return;
		case 'back':
			if (ui.filters[ui.focus] !== '') update.filter(store, ui.focus, '');
			else update.ui(store, {zoomed: false});
			return;
		case 'up':
		case 'down':
			moveCursor(store, action === 'up' ? -1 : 1);
			return;
		case 'page-up':
		case 'page-down':
			moveCursor(store, action === 'page-up' ? -page : page);
			return;
		case 'filter':
			update.ui(store, {filtering: true});
			return;
	}
}
