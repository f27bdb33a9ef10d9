/**
 * The one executor every action goes through: it finds the action's target
 * from the selected row at the moment it runs, shows the exact command and
 * asks in proportion to the risk, runs it (a process through execa, never a
 * shell, with a timeout and an AbortSignal; a journal write; or work in the
 * console), shows the result, and journals `action_started` and
 * `action_finished` around a command. `--dry-run` journals what would have
 * run and runs nothing that changes a system.
 */
import {messageOf} from '../errors';
import {newEvent, type ActionOutcome, type NewEvent} from '../incident/events';
import {actionFinishedText, actionStartedText} from '../incident/timeline';
import {stripControl, toSingleLine} from '../text/sanitize';
import {update, type WarroomStore} from '../store';
import type {Action, Values} from './action';
import {
	commandText,
	type ActionFacts,
	type Command,
	type OutputSpec,
	type Pending,
	type Prepared,
	type Refusal,
	type Services,
} from './command';
import type {FormState} from './forms';
import {openOutput, outputLines, outputMaxCharacters, outputTail, outputVisibleRows} from './output';
import {selectedKey} from '../view-model/selection';

export type ExecutorOptions = {
	store: WarroomStore;
	/** Writes an event to the incident on screen (a declaration opens a new one); resolves with the incident's id once it is on disk. */
	record(event: NewEvent): Promise<string>;
	/** Every journal write goes through here, so the footer says "saving…" and the way out waits for it. */
	track<T>(what: string, write: Promise<T>): Promise<T>;
	services: Services;
	/** Masks secrets in anything shown or journaled. */
	redact(text: string): string;
};

/** What asked for the action: the values of its form, and the form, reopened if they are refused or the write fails. */
export type Request = {values?: Values; form?: FormState};

export type Executor = {
	/** A key bound to the action was pressed, or its form submitted. */
	request(action: Action, request?: Request): void;
	/** The confirmation was answered yes: run exactly what it showed. Settles once the action is over. */
	run(pending: Pending): Promise<void>;
	/** Stops every command still running (the console is closing). */
	abortAll(): void;
};

export type RunResult = {
	outcome: Exclude<ActionOutcome, 'dry-run'>;
	exitCode?: number;
	error?: string;
	stderr: string;
	/** Kept only for a command whose output is shown. */
	stdout?: string;
	durationMs: number;
};

/** How long a command gets between SIGTERM and SIGKILL once its time is up. */
const killGraceMs = 2000;

/** How long the result of a change waits for the sources to be read again: a source that hangs must not hold it back. */
export const freshReadingWaitMs = 5000;

/**
 * Runs an argument array (never a shell) until it exits, its time is up (it
 * is killed), or `signal` aborts it. With `keepStdout`, what it printed is
 * kept, up to `outputMaxCharacters`: past that the process is stopped and
 * what it printed until then is kept.
 */
export async function runArgv(
	argv: readonly string[],
	options: {timeoutMs: number; signal: AbortSignal; keepStdout?: boolean},
): Promise<RunResult> {
	const [file = '', ...args] = argv;
	const started = performance.now();
	// Loaded on the first command, not at start: execa is a fifth of the main bundle, and most sessions run none.
	const {execa} = await import('execa');
	// execa would start a process it is told to cancel, and kill it at once: an abort before the start runs nothing.
	if (options.signal.aborted) return {outcome: 'aborted', stderr: '', durationMs: 0};
	const result = await execa(file, args, {
		reject: false,
		stdin: 'ignore',
		timeout: options.timeoutMs,
		cancelSignal: options.signal,
		forceKillAfterDelay: killGraceMs,
		maxBuffer: {stdout: options.keepStdout ? outputMaxCharacters : 1_000_000, stderr: 1_000_000},
		// Kept whole, so that output cut at the limit is exactly as long as the limit.
		stripFinalNewline: {stdout: false},
	});
	const durationMs = Math.round(performance.now() - started);
	const stderr = typeof result.stderr === 'string' ? result.stderr : '';
	const output: {stdout?: string} = options.keepStdout && typeof result.stdout === 'string' ? {stdout: result.stdout} : {};
	if (result.timedOut) return {outcome: 'timed-out', stderr, ...output, durationMs};
	if (result.isCanceled) return {outcome: 'aborted', stderr, durationMs};
	// A read command that printed more than is kept: what it printed is shown, and says it was cut.
	if (result.isMaxBuffer && output.stdout !== undefined && output.stdout.length >= outputMaxCharacters)
		return {outcome: 'ok', stderr, stdout: `${output.stdout}\n… cut: more than ${outputMaxCharacters / 1e6} MB`, durationMs};
	if (result.exitCode !== undefined)
		return {outcome: result.exitCode === 0 ? 'ok' : 'failed', exitCode: result.exitCode, stderr, ...output, durationMs};
	const error = result.signal
		? `killed by ${result.signal}`
		: 'originalMessage' in result
			? result.originalMessage
			: 'it did not run';
	return {outcome: 'error', error, stderr, durationMs};
}

/** Settles when `work` does, or after `ms` at most. */
async function atMost(work: Promise<unknown>, ms: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<void>(done => {
		timer = setTimeout(done, ms);
	});
	try {
		await Promise.race([work, late]);
	} finally {
		clearTimeout(timer);
	}
}

/** The end of what a command wrote to stderr, fit for the journal: no controls, no secrets, the last lines only. */
const stderrTail = (stderr: string, redact: (text: string) => string): string =>
	outputTail(stripControl(redact(stderr)).trimEnd().split('\n'));

/** The pending action for a prepared one, and the question it asks, if its confirmation asks one. */
function pendingFor(
	action: Action,
	prepared: Prepared,
	prepareAgain: Pending['prepareAgain'],
	redact: (text: string) => string,
): Pending | undefined {
	const asked = prepared.ask ?? (action.confirmation === 'none' ? undefined : {confirmation: action.confirmation});
	if (!asked) return undefined;
	const question = {name: prepared.target ?? action.title, ...asked, typed: ''};
	return {action: facts(action), prepared, shown: redact(commandText(prepared.command)), question, prepareAgain};
}

/**
 * What a confirmed action runs: prepared again from the same row's key at
 * this moment, and only if that gives exactly the command confirmed. The
 * row may have gone, or changed, while the question was on screen; the
 * selection may have moved to another row, which is never the target.
 */
function confirmedAgain(pending: Pending): Prepared | Refusal {
	const again = pending.prepareAgain();
	if ('refused' in again) return {refused: `not run: ${again.refused}`};
	if (commandText(again.command) !== commandText(pending.prepared.command) || again.target !== pending.prepared.target) {
		return {refused: `not run: ${pending.prepared.target ?? pending.action.title} changed since it was confirmed; ask again`};
	}
	return again;
}

const facts = ({id, title, risk, timeoutMs, journals}: Action): ActionFacts => ({id, title, risk, timeoutMs, journals});

const changesASystem = (action: ActionFacts) => action.risk === 'mutating' || action.risk === 'destructive';

export function createExecutor(options: ExecutorOptions): Executor {
	const {store, redact} = options;
	const running = new Set<AbortController>();
	let closing = false;
	const notify = (text: string, tone: 'info' | 'error' = 'info') => update.notice(store, {text, tone});

	// A question left open while its target changes (another rollout, a pod gone) says so at once: `y` would run nothing.
	store.subscribe((state, previous) => {
		const {overlay} = state.ui;
		if (overlay?.kind !== 'confirm' || overlay.pending.changed !== undefined || state.readings === previous.readings) return;
		const again = confirmedAgain(overlay.pending);
		if ('refused' in again) update.ui(store, {overlay: {kind: 'confirm', pending: {...overlay.pending, changed: again.refused}}});
	});

	/** A form whose values were refused, or whose write failed, comes back with what was typed and why, so nothing typed is lost. */
	const reopen = (form: FormState, values: Values | undefined, error: string) =>
		update.ui(store, {overlay: {kind: 'form', form: {...form, values: values ?? {}, error}}});

	/** Runs `work` with an AbortSignal that fires when the console closes, or has fired if it is closing: nothing starts after the way out. */
	async function abortable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
		const controller = new AbortController();
		if (closing) controller.abort();
		running.add(controller);
		try {
			return await work(controller.signal);
		} finally {
			running.delete(controller);
		}
	}

	/** Work in the console, bounded like a process: past its timeout, or aborted, it counts as over. */
	async function runInside(action: ActionFacts, run: (signal: AbortSignal) => Promise<string | void>): Promise<RunResult> {
		const started = performance.now();
		const took = () => Math.round(performance.now() - started);
		const signal = AbortSignal.timeout(action.timeoutMs);
		return abortable(async aborted => {
			const both = AbortSignal.any([signal, aborted]);
			const over = new Promise<never>((_, reject) => both.addEventListener('abort', () => reject(both.reason), {once: true}));
			try {
				// An abort already fired never reaches `over`.
				both.throwIfAborted();
				const stdout = await Promise.race([run(both), over]);
				return {outcome: 'ok', stderr: '', ...(typeof stdout === 'string' ? {stdout} : {}), durationMs: took()};
			} catch (error) {
				if (signal.aborted) return {outcome: 'timed-out', stderr: '', durationMs: took()};
				if (aborted.aborted) return {outcome: 'aborted', stderr: '', durationMs: took()};
				return {outcome: 'error', error: messageOf(error), stderr: '', durationMs: took()};
			}
		});
	}

	/** A process or work in the console, between `action_started` and `action_finished` when the action journals them. */
	async function runCommand(
		action: ActionFacts,
		prepared: Prepared,
		command: Exclude<Command, {kind: 'journal'}>,
	): Promise<void> {
		const shown = redact(commandText(command));
		const about = {action: action.id, label: action.title, ...(prepared.target === undefined ? {} : {target: prepared.target})};
		const journals = action.journals.includes('action_started');
		const {mode} = store.getState();
		const dryRun = mode.dryRun && changesASystem(action);
		// A drill's commands act on its simulated cluster: the journal says so, not only its folder.
		const drill = mode.drill ? {drill: true} : {};
		const journal = (event: NewEvent) =>
			journals ? options.track(prepared.summary, options.record(event)) : Promise.resolve('');
		await journal(newEvent.actionStarted({...about, command: shown, dryRun, ...drill}));
		if (dryRun) {
			await journal(newEvent.actionFinished({...about, outcome: 'dry-run', durationMs: 0}));
			notify(actionStartedText({...about, command: shown, dryRun, ...drill}));
			return;
		}
		// Tracked to its last event: the way out aborts the command, then waits for `action_finished`.
		const finishing = finish(action, about, command, journal);
		await (journals ? options.track(`${prepared.summary}: how it ended`, finishing) : finishing);
	}

	/** Runs the command and journals how it ended: its exit, its error, or its abort when the console closes. */
	async function finish(
		action: ActionFacts,
		about: {action: string; label: string; target?: string},
		command: Exclude<Command, {kind: 'journal'}>,
		journal: (event: NewEvent) => Promise<unknown>,
	): Promise<void> {
		const keepStdout = command.output !== undefined;
		const result =
			command.kind === 'argv'
				? await abortable(signal => runArgv(command.argv, {timeoutMs: action.timeoutMs, signal, keepStdout}))
				: await runInside(action, signal => command.run(options.services, signal));
		const tail = stderrTail(result.stderr, redact);
		// Work in the console that says what it did, and shows no output: that is its result, journaled and shown.
		const said = command.kind === 'run' && !command.output && result.stdout ? toSingleLine(redact(result.stdout)) : '';
		const finished = {
			...about,
			outcome: result.outcome,
			...(result.exitCode === undefined ? {} : {exitCode: result.exitCode}),
			...(result.error === undefined ? {} : {error: redact(result.error)}),
			...(tail === '' ? {} : {stderrTail: tail}),
			...(said === '' ? {} : {result: said}),
			durationMs: result.durationMs,
		};
		await journal(newEvent.actionFinished(finished));
		if (command.output) return showOutput(command.output, commandText(command), result, finished);
		// A change is shown done once the sources are read again: the panels, and the next action's target, are what it made.
		if (changesASystem(action) && result.outcome === 'ok') await atMost(options.services.refresh('changed'), freshReadingWaitMs);
		// Work in the console shows itself (a refresh redraws the panels) unless it says what it did; a process shows its exit, and any failure shows.
		if (command.kind !== 'argv' && result.outcome === 'ok' && said === '') return;
		const why = result.outcome === 'failed' && command.kind === 'argv' ? failureWords(command, result.stderr) : '';
		notify(`${actionFinishedText(finished)}${why === '' ? '' : `: ${why}`}`, result.outcome === 'ok' ? 'info' : 'error');
	}

	/** Why a process failed, from its stderr: in the command's own words if it has them, else its last line. */
	function failureWords(command: Extract<Command, {kind: 'argv'}>, stderr: string): string {
		const clean = stripControl(redact(stderr)).trim();
		if (clean === '') return '';
		return command.explain ? command.explain(clean) : (clean.split('\n').at(-1) ?? '');
	}

	/** What a read command printed, in the output overlay; if it failed, why, from its stderr. */
	function showOutput(
		output: OutputSpec,
		command: string,
		result: RunResult,
		finished: Parameters<typeof actionFinishedText>[0],
	): void {
		const ended = actionFinishedText(finished);
		const failed = result.outcome !== 'ok';
		const text = failed
			? [ended, redact(result.error ?? ''), redact(result.stderr)].filter(Boolean).join('\n')
			: redact(result.stdout ?? '');
		const lines = outputLines(text);
		const title = failed ? `${output.title} · failed` : output.title;
		const visible = outputVisibleRows(store.getState().size.rows);
		const {outcome, exitCode, durationMs} = finished;
		const ran = {outcome, ...(exitCode === undefined ? {} : {exitCode}), durationMs};
		// A text written from the journal is copied or written out, not kept as evidence of itself.
		const kept = output.produces && !failed ? {produced: {what: output.produces, text}} : {ran};
		const shown = {title, command: redact(command), lines, ...kept};
		update.ui(store, {overlay: {kind: 'output', output: openOutput(shown, visible, output.atEnd && !failed)}});
		if (failed) notify(ended, 'error');
	}

	async function run(action: ActionFacts, prepared: Prepared, request: Request = {}): Promise<void> {
		const {command} = prepared;
		try {
			if (command.kind === 'journal') {
				const incident = await options.track(prepared.summary, options.record(command.event));
				notify(command.done(incident));
			} else await runCommand(action, prepared, command);
		} catch (error) {
			const why = redact(messageOf(error));
			if (request.form) reopen(request.form, request.values, `not saved: ${why}`);
			else notify(why, 'error');
		}
	}

	return {
		request(action, request = {}) {
			const state = store.getState();
			if (state.mode.readOnly && action.risk !== 'read') return notify(`read-only: ${action.title} is not available`, 'error');
			const key = selectedKey(state, state.ui.focus);
			const values = request.values ?? {};
			const prepared = action.prepare(state, key, values);
			if ('refused' in prepared) return request.form ? reopen(request.form, values, prepared.refused) : notify(prepared.refused);
			const pending = pendingFor(action, prepared, () => action.prepare(store.getState(), key, values), redact);
			if (pending) update.ui(store, {overlay: {kind: 'confirm', pending}});
			else void run(facts(action), prepared, request);
		},
		async run(pending) {
			const prepared = confirmedAgain(pending);
			if ('refused' in prepared) notify(prepared.refused, 'error');
			else await run(pending.action, prepared);
		},
		abortAll() {
			closing = true;
			for (const controller of running) controller.abort();
		},
	};
}
