/**
 * The one store the screen draws from: the incident, every source's latest
 * reading, the clock's `now`, and the state of the interface. Collectors
 * and the incident desk write here; panels only read.
 */
import {createStore} from 'zustand/vanilla';
import type {Incident} from './incident/incident';
import type {JournalLink, JournalProblem, SkippedIncident} from './incident/journal';
import type {Policy} from './incident/policy';
import type {Playbook} from './incident/playbook';
import type {MessageTemplate} from './incident/events';
import type {Contact} from './config/types';
import type {FormState} from './actions/forms';
import type {Pending} from './actions/command';
import type {InputEvent} from './actions/input';
import type {OutputView} from './actions/output';
import type {PanelId} from './view-model/panels';
import {followRows, type Selection, type Selections} from './view-model/selection';
import {disabledReadings, type Reading, type Readings, type SourceName, type SourceData} from './sources/types';

export type Overlay =
	{kind: 'help'} | {kind: 'form'; form: FormState} | {kind: 'confirm'; pending: Pending} | {kind: 'output'; output: OutputView};

export type Notice = {
	/** What was said (an action's result, a refusal); empty when only the selection moved. */
	text: string;
	tone: 'info' | 'error';
	/**
	 * Where the selection went since the last key, said after `text`. Kept
	 * apart from it until a key clears the notice, so that a notice arriving at
	 * the same moment (an action's result) never hides the moves, nor they it.
	 */
	moved?: string;
};

const joined = (...parts: Array<string | undefined>) => parts.filter(Boolean).join(' · ');

/** The footer's line: the notice's own words, then the moves. */
export const noticeLine = ({text, moved}: Notice) => joined(text, moved);

const withMoves = (notice: Notice, moved: string | undefined): Notice => (moved ? {...notice, moved} : notice);

export type UiState = {
	focus: PanelId;
	zoomed: boolean;
	overlay?: Overlay;
	/** True while `/` is taking the focused panel's filter text. */
	filtering: boolean;
	filters: Record<PanelId, string>;
	/** The selected row of each panel, by key; for the timeline, undefined follows the newest event. */
	selection: Selections;
	notice?: Notice;
};

export type Mode = {
	/** False under NO_COLOR or TERM=dumb: states stay readable as text. */
	colour: boolean;
	drill?: {name: string; title: string};
	/** The config's `kubernetes:` choices the actions need: the context and kubectl they pin, the pattern that marks production. */
	kubernetes: KubernetesMode;
	/** The database the Database panel reads, as a confirmation names it (`host:port/database`); absent without one. */
	database?: string;
	readOnly: boolean;
	/** Why the journal's store made the console read-only (a role that may only read it); absent for `--read-only`. */
	readOnlyBecause?: string;
	dryRun: boolean;
	/** The config's escalation roster, masked: shown beside the escalation deadline as it nears, and in `?`. */
	contacts?: readonly Contact[];
};

export type KubernetesMode = {
	/** A regular expression (case-insensitive): a context it matches is production. Absent: isProductionContext's default. */
	production?: string;
	/** The configured context: the one commands pin when the reading does not say which it read. */
	context?: string;
	/** argv[0] of every kubectl command. */
	kubectl: string;
};

export type WarroomState = {
	now: number;
	/** The severity policy in force: fixed for the session. */
	policy: Policy;
	/** The playbooks of the runbook directories: fixed for the session. */
	playbooks: readonly Playbook[];
	size: {columns: number; rows: number};
	mode: Mode;
	readings: Readings;
	incident?: Incident;
	/** The message templates' text, from the runbook directories, once read: `t` fills them. */
	templates?: Partial<Record<MessageTemplate, string>>;
	/** Journal lines, and incident files, that could not be read, for the timeline to report. */
	journalProblems: Array<JournalProblem | SkippedIncident>;
	/** False until the journal has been read once: until then nothing on screen says what incident there is. */
	journalRead: boolean;
	/** How the journal stands with its store: absent until the console has asked. */
	journal?: JournalLink;
	/** Keys pressed and text pasted before the journal was read, in order, to run once it is. */
	queuedInput: InputEvent[];
	/** Journal writes not yet fsync'd: the footer says "saving…" while there are any. */
	writesInFlight: number;
	/** Set once a way out was taken: keys are ignored while writes in flight finish. */
	quitting: boolean;
	ui: UiState;
};

const noSelection = {pods: undefined, database: undefined, health: undefined, timeline: undefined, runbook: undefined};
const noFilters = {pods: '', database: '', health: '', timeline: '', runbook: ''};

export function initialState(options: {
	now: number;
	policy: Policy;
	playbooks?: readonly Playbook[];
	size: WarroomState['size'];
	mode: Mode;
	/** False for a console that reads the journal after this. */
	journalRead?: boolean;
}): WarroomState {
	return {
		now: options.now,
		policy: options.policy,
		playbooks: options.playbooks ?? [],
		size: options.size,
		mode: options.mode,
		readings: disabledReadings(),
		journalProblems: [],
		journalRead: options.journalRead ?? true,
		queuedInput: [],
		writesInFlight: 0,
		quitting: false,
		ui: {focus: 'pods', zoomed: false, filtering: false, filters: noFilters, selection: noSelection},
	};
}

/** A store whose selections follow their rows through every change (view-model/selection.ts). */
export function createWarroomStore(state: WarroomState) {
	const store = createStore<WarroomState>()(() => state);
	const follow = (current: WarroomState, previous?: WarroomState) => {
		const followed = followRows(previous, current);
		if (!followed) return;
		const moved = joined(...followed.notices);
		store.setState(latest => {
			const shown = latest.ui.notice;
			// What was on the footer stays, the moves added after it.
			const notice = moved === '' ? shown : withMoves(shown ?? {text: '', tone: 'info'}, joined(shown?.moved, moved));
			return {ui: {...latest.ui, selection: followed.selection, notice}};
		});
	};
	follow(state);
	store.subscribe(follow);
	return store;
}

export type WarroomStore = ReturnType<typeof createWarroomStore>;

/** What closing an overlay that would write once answered leaves undone (a form, the confirmation of anything but a read); none for any other. */
function unansweredWrite(overlay: Overlay | undefined): string | undefined {
	if (overlay?.kind === 'form') return 'the open form was closed unsaved';
	if (overlay?.kind === 'confirm' && overlay.pending.action.risk !== 'read') return 'the confirmation was closed, nothing run';
	return undefined;
}

/** Small, named updates; everything else reads. */
export const update = {
	reading<K extends SourceName>(store: WarroomStore, source: K, reading: Reading<SourceData[K]>) {
		store.setState(state => ({readings: {...state.readings, [source]: reading}}));
	},
	ui(store: WarroomStore, change: Partial<UiState>) {
		store.setState(state => ({ui: {...state.ui, ...change}}));
	},
	select(store: WarroomStore, panel: PanelId, selection: Selection | undefined) {
		store.setState(state => ({ui: {...state.ui, selection: {...state.ui.selection, [panel]: selection}}}));
	},
	/** The selection follows: a row the filter hides starts it over (view-model/selection.ts). */
	filter(store: WarroomStore, panel: PanelId, text: string) {
		store.setState(state => ({ui: {...state.ui, filters: {...state.ui.filters, [panel]: text}}}));
	},
	/**
	 * How the journal stands with its store. A store that lets this console
	 * only read makes it read-only as `--read-only` does, from then on, even
	 * when that is learnt after the first frame: a form or confirmation open
	 * then is closed unsaved, and the footer says why, once.
	 */
	journalLink(store: WarroomStore, link: JournalLink) {
		const {mode, ui} = store.getState();
		if (link.readOnly === undefined || mode.readOnly) {
			store.setState({journal: link});
			return;
		}
		const closed = unansweredWrite(ui.overlay);
		store.setState({
			journal: link,
			mode: {...mode, readOnly: true, readOnlyBecause: link.readOnly},
			...(closed ? {ui: {...ui, overlay: undefined}} : {}),
		});
		update.notice(store, {text: `read-only: ${link.readOnly}${closed ? `; ${closed}` : ''}`, tone: 'error'});
	},
	/** Says `notice` on the footer, the selection's moves since the last key kept with it; none clears both. */
	notice(store: WarroomStore, notice: Notice | undefined) {
		store.setState(state => ({ui: {...state.ui, notice: notice && withMoves(notice, state.ui.notice?.moved)}}));
	},
};
