/**
 * The console's wiring: the store, the incident desk on the journal, the
 * collectors, the one-second clock, and the executor that runs what keys
 * ask for. Nothing here draws; `app.tsx` does.
 */
import {createHash} from 'node:crypto';
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {Config} from './config/types';
import {drillBackendsAt, type Drill} from './sources/drill/drill';
import {DrillCluster} from './sources/drill/drill-cluster';
import {DrillDatabase} from './sources/drill/drill-database';
import {databaseSignals} from './sources/postgres/database-signals';
import {serverOf} from './sources/postgres/connection';
import {kubectlBinary} from './sources/kubernetes/kubectl';
import {runSources, sourcesFor} from './sources/source-list';
import {alreadyJournaled, checkEvents} from './sources/health/transitions';
import type {HealthData, Reading} from './sources/types';
import {journalLoaded, type Controls} from './actions/route-key';
import {createExecutor} from './actions/executor';
import {messageOf} from './errors';
import {IncidentDesk} from './incident/desk';
import type {Journal} from './incident/journal';
import {journalDir} from './incident/open-journal';
import {messageTemplates, newEvent, type NewEvent, type ProducedHow, type ProducedText} from './incident/events';
import {readTemplate} from './incident/template-files';
import {clipboardSequence} from './text/clipboard';
import {startNotifications} from './notify/notifications';
import {mapStrings} from './text/sanitize';
import type {Policy} from './incident/policy';
import type {Playbook} from './incident/playbook';
import {createWarroomStore, initialState, update, type KubernetesMode, type Mode, type WarroomStore} from './store';

export type ConsoleOptions = {
	policy: Policy;
	/** None when absent. */
	playbooks?: readonly Playbook[];
	/** Where the message templates are looked for, in order. */
	runbookDirs: readonly string[];
	/** Writes to the terminal outside the frame: the clipboard's escape sequence. */
	writeTerminal: (text: string) => void;
	/** Which sources to read. */
	config: Config;
	dataDir: string;
	/** From openJournal: the file journal (always, on a drill) or the shared store. */
	journal: Journal;
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
	controls: Controls;
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

/** Calls `tick` on every wall-clock second, so the clock on screen turns over with the second. */
function everySecond(tick: () => void): () => void {
	let timer: NodeJS.Timeout;
	const schedule = () => {
		timer = setTimeout(
			() => {
				tick();
				schedule();
			},
			1000 - (Date.now() % 1000) + 5,
		);
	};
	schedule();
	return () => clearTimeout(timer);
}

/** What the Kubernetes actions take from the config: without a `kubernetes:` section, the defaults of kubectl and of production. */
const kubernetesMode = ({kubernetes}: Config): KubernetesMode => ({
	kubectl: kubectlBinary(kubernetes ?? {}),
	...(kubernetes === undefined ? {} : {production: kubernetes.production}),
	...(kubernetes?.context === undefined ? {} : {context: kubernetes.context}),
});

/** The database the confirmations of `C` and `K` name: the drill's simulated one, or the configured server (never its password). */
const databaseMode = ({drill, config}: Pick<ConsoleOptions, 'drill' | 'config'>): Pick<Mode, 'database'> =>
	drill
		? {database: "the drill's simulated database, nothing real"}
		: config.postgres
			? {database: serverOf(config.postgres.url, process.env)}
			: {};

/** Where `C` and `K` send their signals: a drill's database, or the configured server through a connection of their own. */
function signalsFor(drill: Drill | undefined, postgres: Config['postgres'], startedAt: number) {
	if (drill) {
		const database: DrillDatabase = new DrillDatabase(ended =>
			drillBackendsAt(drill, Date.now() - startedAt, {startedAt, ended}),
		);
		return {database, drillDatabase: database};
	}
	return postgres ? {database: databaseSignals(postgres.url)} : {};
}

export function startConsole(options: ConsoleOptions): RunningConsole {
	const startedAt = Date.now();
	const store = createWarroomStore(
		initialState({
			now: Date.now(),
			policy: options.policy,
			playbooks: options.playbooks ?? [],
			size: options.size,
			mode: {
				colour: options.colour,
				readOnly: options.readOnly,
				dryRun: options.dryRun,
				kubernetes: kubernetesMode(options.config),
				...databaseMode(options),
				contacts: options.config.contacts.map(contact => mapStrings(contact, options.redact)),
				...(options.drill ? {drill: {name: options.drill.name, title: options.drill.title}} : {}),
			},
			journalRead: false,
		}),
	);
	const notify = (text: string, tone: 'info' | 'error' = 'info') => update.notice(store, {text, tone});
	const failed = (error: unknown) => notify(options.redact(messageOf(error)), 'error');
	const {journal} = options;
	// Masked here too, as every source's words are: the store's error may quote its URL.
	const showLink = () => update.journalLink(store, mapStrings(journal.link(), options.redact));
	showLink();
	const stopLink = journal.onLink(showLink);
	const stopNotices = journal.onNotice?.(text => notify(options.redact(text), 'error'));
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

	// A drill's Kubernetes keys act on its simulated cluster, which its collector reads.
	const drillCluster = options.drill && new DrillCluster(options.drill.deployments, () => Date.now() - startedAt);
	// …and its database keys on its simulated database.
	const {database, drillDatabase} = signalsFor(options.drill, options.config.postgres, startedAt);
	/**
	 * A check that turns failing or recovers is journaled on the incident on
	 * screen; without one, or on a read-only screen, it is only shown. An
	 * event another console wrote already is not written again.
	 */
	const journalChecks = (reading: Reading<HealthData>) => {
		const {incident, readings, mode} = store.getState();
		if (!incident || mode.readOnly || !reading.data) return;
		for (const event of checkEvents(readings.health.data?.checks, reading.data.checks))
			if (!alreadyJournaled(incident.events, event)) void track(`${event.type} ${event.check}`, record(event)).catch(failed);
	};
	const collectors = runSources(
		sourcesFor({
			...(options.drill ? {drill: options.drill, drillCluster} : {}),
			...(drillDatabase ? {drillDatabase} : {}),
			startedAt,
			config: options.config,
		}),
		(source, reading) => {
			if (source === 'health') journalChecks(reading as Reading<HealthData>);
			update.reading(store, source, reading);
		},
		options.redact,
	);

	const journalRead = desk
		.refresh()
		.catch(failed)
		.then(() => journalLoaded(store, controls));
	const stopWatching = desk.watch();
	const stopTicking = everySecond(() => store.setState({now: Date.now()}));

	const inFlight = new Set<Write>();
	const countWrites = () => store.setState({writesInFlight: inFlight.size});
	/** Every journal write goes through here, so the footer says "saving…" and the way out waits for it. */
	const track = <T>(what: string, write: Promise<T>): Promise<T> => {
		const entry: Write = {
			what,
			failure: write.then(
				() => undefined,
				(error: unknown) => options.redact(messageOf(error)),
			),
		};
		inFlight.add(entry);
		countWrites();
		void entry.failure.then(() => {
			inFlight.delete(entry);
			countWrites();
		});
		return write;
	};

	/** A declaration opens a new incident; anything else is appended to the one on screen. */
	const record = async (event: NewEvent): Promise<string> =>
		event.type === 'declared' ? desk.declare(event) : (await desk.record(event)).incident;

	const actions = createExecutor({
		store,
		record,
		track,
		redact: options.redact,
		services: {
			async refresh(reason) {
				await Promise.all([...collectors.map(collector => collector.refresh(reason)), desk.refresh()]);
			},
			...(drillCluster ? {drillCluster} : {}),
			...(database ? {database} : {}),
		},
	});
	void Promise.all(messageTemplates.map(async name => [name, await readTemplate(options.runbookDirs, name)] as const)).then(
		templates => store.setState({templates: Object.fromEntries(templates)}),
		(error: unknown) => {
			// Read, if unreadable: the notifications wait for them, and go out with their one-line summary instead.
			store.setState({templates: {}});
			failed(error);
		},
	);
	const dir = journalDir(options.dataDir, options.drill?.name);
	const stopNotifying = startNotifications({
		...options,
		store,
		journal,
		dir,
		track,
		warn: text => notify(text, 'error'),
		failed,
	});
	/** Copies or writes a text from the journal, then journals which text went out, and how. */
	async function produce(what: ProducedText, text: string, how: ProducedHow): Promise<string> {
		const sha256 = createHash('sha256').update(text).digest('hex');
		const named = what === 'postmortem' ? 'the post-mortem draft' : `the ${what} message`;
		let file: string | undefined;
		if (how === 'copied') options.writeTerminal(clipboardSequence(text));
		else {
			const incident = store.getState().incident?.id ?? 'incident';
			file = join(dir, 'messages', `${incident}-${what}-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
			await mkdir(join(dir, 'messages'), {recursive: true});
			await writeFile(file, text.endsWith('\n') ? text : `${text}\n`, {flag: 'wx'});
		}
		await track(`${named}, ${how}`, record(newEvent.messageProduced({template: what, how, sha256, ...(file ? {file} : {})})));
		return how === 'copied' ? `copied ${named} to the clipboard (OSC 52)` : `wrote ${named} to ${file}`;
	}
	const controls: Controls = {
		actions,
		quit: options.quit,
		suspend: options.suspend,
		produce: ({what, text}, how) => void produce(what, text, how).then(notify, failed),
	};

	return {
		store,
		controls,
		journalRead,
		async close(boundMs) {
			store.setState({quitting: true});
			actions.abortAll();
			stopNotifying();
			if (inFlight.size > 0) notify(`quitting once the journal has what was typed (at most ${boundMs / 1000} s)`);
			let timer: NodeJS.Timeout | undefined;
			const late = new Promise<string>(resolve => {
				timer = setTimeout(resolve, boundMs, `the journal did not answer within ${boundMs / 1000} s`);
			});
			const unsaved = (entry: Write) =>
				Promise.race([entry.failure, late]).then(failure => (failure === undefined ? [] : [`${entry.what} (${failure})`]));
			// A saved write can lead to another (a command's `action_started`, then how it ended): wait until none is left.
			const waited = new Set<Write>();
			const failures: string[] = [];
			for (let writes = [...inFlight]; writes.length > 0; writes = [...inFlight].filter(entry => !waited.has(entry))) {
				for (const entry of writes) waited.add(entry);
				failures.push(...(await Promise.all(writes.map(unsaved))).flat());
			}
			clearTimeout(timer);
			stopTicking();
			stopWatching();
			stopLink();
			stopNotices?.();
			for (const collector of collectors) collector.stop();
			return failures;
		},
	};
}
