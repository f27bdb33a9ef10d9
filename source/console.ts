/**
 * The console's wiring: the store, the incident desk on the journal, the
 * collectors, the one-second clock, and the commands keys trigger. Nothing
 * here draws; `app.tsx` does.
 */
import {join} from 'node:path';
import type {Drill} from './sources/drill/drill';
import {runSources, sourcesFor} from './sources/source-list';
import {journalLoaded, type Commands} from './actions/route-key';
import {messageOf} from './errors';
import {parseServices, writeSummary, type FormState} from './actions/forms';
import {IncidentDesk} from './incident/desk';
import {FileJournal} from './incident/file-journal';
import {eventFor, type Change} from './incident/changes';
import type {Policy, Severity} from './incident/policy';
import {createWarroomStore, initialState, update, type WarroomStore} from './store';

export type ConsoleOptions = {
	policy: Policy;
	dataDir: string;
	actor: string;
	drill?: Drill;
	incidentId?: string;
	readOnly: boolean;
	dryRun: boolean;
	colour: boolean;
	size: {columns: number; rows: number};
	/** Masks secrets in anything a source reports. */
	redact: (text: string) => string;
	quit: () => void;
	suspend: () => void;
};

export type RunningConsole = {
	store: WarroomStore;
	commands: Commands;
	/**
	 * Settles once the journal has been read for the first time (a failure is
	 * a notice on screen) and the keys typed meanwhile have run.
	 */
	journalRead: Promise<void>;
	/**
	 * The way out: ignores keys from now on, waits for the journal writes in
	 * flight (at most `boundMs`), stops everything, and says which writes were
	 * not saved and why.
	 */
	close(boundMs: number): Promise<string[]>;
};

/** A journal write the console started: what it is, and why it was not saved (undefined once saved). */
type Write = {what: string; failure: Promise<string | undefined>};

/** Drill incidents live apart from real ones, so a drill never shows up in `warroom note`. */
export const journalDir = (dataDir: string, drill?: Drill) => (drill ? join(dataDir, 'drills', drill.name) : dataDir);

/** Calls `tick` on every wall-clock second, so the clock on screen turns over with the second. */
function everySecond(tick: () => void): () => void {
	let timer: NodeJS.Timeout;
	const schedule = () => {
		timer = setTimeout(() => {
			tick();
			schedule();
		}, 1000 - (Date.now() % 1000) + 5);
	};
	schedule();
	return () => clearTimeout(timer);
}

export function startConsole(options: ConsoleOptions): RunningConsole {
	const store = createWarroomStore(
		initialState({
			now: Date.now(),
			policy: options.policy,
			size: options.size,
			mode: {
				colour: options.colour,
				readOnly: options.readOnly,
				dryRun: options.dryRun,
				...(options.drill ? {drill: {name: options.drill.name, title: options.drill.title}} : {}),
			},
			journalRead: false,
		}),
	);
	const notify = (text: string, tone: 'info' | 'error' = 'info') => update.notice(store, {text, tone});
	const failed = (error: unknown) => notify(options.redact(messageOf(error)), 'error');
	const journal = new FileJournal({dir: journalDir(options.dataDir, options.drill), actor: options.actor});
	const desk = new IncidentDesk(
		journal,
		// A fresh `now` with every journal change: the clock never shows an event before its time.
		view => store.setState({incident: view.incident, journalProblems: view.problems, now: Date.now()}),
		{
			...(options.incidentId ? {pinnedId: options.incidentId} : {}),
			...(options.drill ? {drill: options.drill.name} : {}),
			onError: failed,
		},
	);

	const collectors = runSources(
		sourcesFor({...(options.drill ? {drill: options.drill} : {}), startedAt: Date.now()}),
		(source, reading) => update.reading(store, source, reading),
		options.redact,
	);

	const journalRead = desk
		.refresh()
		.catch(failed)
		.then(() => journalLoaded(store, commands));
	const stopWatching = desk.watch();
	const stopTicking = everySecond(() => store.setState({now: Date.now()}));

	const inFlight = new Set<Write>();
	const countWrites = () => store.setState({writesInFlight: inFlight.size});
	/** Every journal write goes through here, so the footer says "saving…" and the way out waits for it. */
	const track = <T>(what: string, write: Promise<T>): Promise<T> => {
		const entry: Write = {what, failure: write.then(() => undefined, (error: unknown) => options.redact(messageOf(error)))};
		inFlight.add(entry);
		countWrites();
		void entry.failure.then(() => {
			inFlight.delete(entry);
			countWrites();
		});
		return write;
	};

	/** Records a change to the incident on screen; a change that changes nothing is refused with a notice. */
	const record = async (change: Change, done: string): Promise<void> => {
		const incident = store.getState().incident;
		if (!incident) throw new Error('no incident: declare one first (d)');
		const outcome = eventFor(change, incident);
		if ('refused' in outcome) return notify(outcome.refused);
		await desk.record(outcome.event);
		notify(done);
	};

	/** A write that failed puts its form back with what was typed, so nothing typed is lost. */
	const reopen = (form: FormState, values: Record<string, string>) => (error: unknown) => {
		const message = options.redact(messageOf(error));
		update.ui(store, {overlay: {kind: 'form', form: {...form, values, error: `not saved: ${message}`}}});
	};

	const write = (form: FormState, values: Record<string, string>): Promise<unknown> => {
		switch (form.kind) {
			case 'declare': {
				const severity = values.severity as Severity;
				const title = values.title!.trim();
				return desk
					.declare({title, severity, services: parseServices(values.services ?? '')})
					.then(id => notify(`${id} declared: ${severity} ${title}`));
			}
			case 'note':
				return record({type: 'note', text: values.text ?? ''}, 'note added to the timeline');
			case 'status':
				return record({type: 'status', status: values.status ?? ''}, `status: ${values.status}`);
			case 'severity':
				return record({type: 'severity', severity: values.severity ?? ''}, `severity: ${values.severity}`);
			case 'escalate':
				return record({type: 'escalated', to: values.to ?? ''}, `escalation to ${values.to?.trim()} recorded`);
			case 'communicate':
				return record({type: 'communicated', template: values.template ?? ''}, `${values.template} customer message recorded as sent`);
		}
	};

	const submitForm = (form: FormState, values: Record<string, string>) => {
		track(writeSummary(form.kind, values), write(form, values)).catch(reopen(form, values));
	};

	const commands: Commands = {
		submitForm,
		toggleItem(item) {
			const done = store.getState().incident?.checked[item] !== undefined;
			const what = `${done ? 'unticked' : 'ticked'}: ${item}`;
			track(what, record({type: 'checked', item}, what)).catch(failed);
		},
		refresh() {
			for (const collector of collectors) collector.refresh();
			void desk.refresh().catch(failed);
		},
		quit: options.quit,
		suspend: options.suspend,
	};

	return {
		store,
		commands,
		journalRead,
		async close(boundMs) {
			store.setState({quitting: true});
			const writes = [...inFlight];
			if (writes.length > 0) notify(`quitting once the journal has what was typed (at most ${boundMs / 1000} s)`);
			let timer: NodeJS.Timeout | undefined;
			const late = new Promise<string>(resolve => {
				timer = setTimeout(resolve, boundMs, `the journal did not answer within ${boundMs / 1000} s`);
			});
			const failures = await Promise.all(writes.map(entry => Promise.race([entry.failure, late])));
			clearTimeout(timer);
			stopTicking();
			stopWatching();
			for (const collector of collectors) collector.stop();
			return writes.flatMap((entry, index) => (failures[index] === undefined ? [] : [`${entry.what} (${failures[index]})`]));
		},
	};
}
