/**
 * The PostgreSQL actions of the registry, on the selected backend of the
 * Database panel: `C` cancels its query, `K` terminates it (the pid typed to
 * confirm). The backend is named by its pid and when it started, checked
 * before the statement is built and again by the statement itself. The
 * confirmation shows who the backend is, what it runs, on which server, and
 * what the signal will do; in a drill the same statement acts on the
 * drill's simulated database, never a real one.
 */
import {defineAction, type Action, type Resolved} from '../../actions/action';
import type {Services} from '../../actions/command';
import type {WarroomState} from '../../store';
import {formatSpan} from '../../text/duration';
import {toSingleLine} from '../../text/sanitize';
import {findRow} from '../../view-model/selection';
import {backendProblem, signalFunction, type Backend, type BackendSignal, type BackendSignals} from './backend-signal';
import {signalStatement} from './database-signals';

/** A signal is one short statement on a fresh connection: connect (3 s) and statement timeouts, with room to spare. */
const signalTimeoutMs = 10_000;

/** The selected backend, as its row shows it. */
export type BackendTarget = Backend & {
	user: string;
	application: string;
	state: string;
	/** Of its transaction or of its query, as the row knows it. */
	ageSeconds?: number;
	query: string;
};

/** The Database panel's selected row as a backend to signal, its pid and start time checked; or why there is none. */
export function backendTarget(state: WarroomState, selectedKey: string | undefined): Resolved<BackendTarget> {
	const row = selectedKey === undefined ? undefined : findRow(state, 'database', selectedKey);
	if (!row) return {refused: 'no backend selected'};
	const backend =
		row.kind === 'lock'
			? {...row.lock, ageSeconds: row.lock.transactionSeconds ?? row.lock.waitSeconds}
			: {...row.query, backendStart: row.query.backendStart ?? '', ageSeconds: row.query.durationSeconds};
	const problem = backendProblem(backend);
	if (problem) return {refused: problem};
	const {pid, backendStart, user, application, ageSeconds, query} = backend;
	return {value: {pid, backendStart, user, application, state: backend.state, ageSeconds, query}, name: `backend ${pid}`};
}

const orUnknown = (text: string) => toSingleLine(text) || '?';

/** What the confirmation shows of the backend and the server before anything is sent. */
export const backendDetails = (target: BackendTarget, server: string): string[] => [
	[
		`pid ${target.pid}`,
		`user ${orUnknown(target.user)}`,
		`application ${orUnknown(target.application)}`,
		`state ${orUnknown(target.state)}`,
		`age ${target.ageSeconds === undefined ? '?' : formatSpan(target.ageSeconds * 1000)}`,
	].join(' · '),
	`Query: ${orUnknown(target.query)}`,
	`Server: ${server}`,
];

const idleInTransaction = (target: BackendTarget) => target.state.startsWith('idle in transaction');

/** What a signal will do to this backend, in words. */
export function signalEffect(kind: BackendSignal, target: BackendTarget): string {
	if (kind === 'terminate')
		return `end backend ${target.pid}: its connection closes (its client gets 57P01), its open transaction rolls back and its locks are freed`;
	if (idleInTransaction(target))
		return `nothing useful: backend ${target.pid} is idle in transaction, it runs no query, so cancel frees none of its locks; terminate it (K)`;
	// An idle session can still hold session-level advisory locks.
	if (target.state === 'idle')
		return `nothing useful: backend ${target.pid} is idle, it runs no query, so cancel frees nothing it holds; terminate it (K)`;
	return `cancel the query backend ${target.pid} runs (its client gets 57014); the backend stays connected`;
}

/** The database to signal: an error if the console has none, so a drill never falls through to a real one. */
function signals(services: Services): BackendSignals {
	if (!services.database) throw new Error('no database is configured: postgres.url, DATABASE_URL or PG* variables');
	return services.database;
}

const signalAction = (spec: Pick<Action, 'id' | 'title' | 'description'> & {key: string; kind: BackendSignal}) =>
	defineAction<BackendTarget, true>({
		id: spec.id,
		title: spec.title,
		description: spec.description,
		keys: [spec.key],
		keyLabel: spec.key,
		panels: ['database'],
		risk: spec.kind === 'terminate' ? 'destructive' : 'mutating',
		needsIncident: true,
		timeoutMs: signalTimeoutMs,
		journals: ['action_started', 'action_finished'],
		target: backendTarget,
		build: ({state, target}) => {
			const backend = target!;
			const server = state.mode.database ?? 'none configured';
			return {
				command: {
					kind: 'run',
					name: signalStatement(spec.kind, backend),
					// The executor reads the sources again once a change is done: not here, inside the signal's timeout.
					run: (services, abort) => signals(services).signal(spec.kind, backend, abort),
				},
				effect: signalEffect(spec.kind, backend),
				summary: `${signalFunction[spec.kind]} of backend ${backend.pid}`,
				details: backendDetails(backend, server),
				// The pid typed, not the label: the number the responder reads on the row.
				...(spec.kind === 'terminate' ? {ask: {confirmation: 'type-name' as const, name: String(backend.pid)}} : {}),
			};
		},
	});

const cancelQuery = signalAction({
	id: 'cancel-query',
	title: 'cancel query',
	key: 'C',
	kind: 'cancel',
	description: "cancel query: the selected backend's statement (pg_cancel_backend)",
});

const terminateBackend = signalAction({
	id: 'terminate-backend',
	title: 'terminate backend',
	key: 'K',
	kind: 'terminate',
	description: 'terminate backend: end the selected backend, its pid typed to confirm (pg_terminate_backend)',
});

export const postgresActions: readonly Action[] = [cancelQuery, terminateBackend];
