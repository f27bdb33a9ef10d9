/**
 * The two signals the Database panel's keys send to a backend, cancel its
 * statement (`pg_cancel_backend`) or end it (`pg_terminate_backend`), as
 * pure decisions shared by the real server and a drill's database: the
 * backend is named by its pid and when it started, both checked before any
 * SQL (and again by the statement that signals it, database-signals.ts), so
 * a pid reused by a later backend is never hit; what happened, and what did
 * not, is said in words: a cancel frees nothing from a backend idle in
 * transaction, and a role may lack the right to signal.
 */
import {toSingleLine} from '../../text/sanitize';
import {postgresFailure} from './connection';

export type BackendSignal = 'cancel' | 'terminate';

/** A backend as a row of the Database panel names it: its pid is reused once it ends, its start time is not. */
export type Backend = {pid: number; backendStart: string};

/** Where `C` and `K` send their signals: the configured server, or a drill's simulated database. Resolves with what happened. */
export type BackendSignals = {signal(kind: BackendSignal, backend: Backend, abort: AbortSignal): Promise<string>};

/** The row a signal statement returns, if the backend is still the one named. */
export type SignalRow = {signalled: boolean; state: string};

export const signalFunction = {cancel: 'pg_cancel_backend', terminate: 'pg_terminate_backend'} as const;

const verb = {cancel: 'cancel the query of', terminate: 'terminate'} as const;

// The server's text for a timestamptz (DateStyle ISO): `2026-11-27 14:03:07.123456+00`, or its `T`/`Z` spelling.
const timestamp = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2}){0,2})$/;
// Pids are positive 32-bit integers on every platform PostgreSQL runs on.
const maxPid = 2 ** 31 - 1;
const shownMaxLength = 40;

const shown = (value: string) => {
	const line = toSingleLine(value);
	return line.length > shownMaxLength ? `${line.slice(0, shownMaxLength)}… (${value.length} characters)` : line;
};

/** Why a pid, a row's or a playbook's text, cannot be a backend's; undefined when it can. */
export function pidProblem(pid: number | string): string | undefined {
	// Digits only, as text: Number() would take ' 42', '0x2a' and '4.2e1' too.
	const text = String(pid);
	return /^[1-9]\d*$/.test(text) && Number(text) <= maxPid ? undefined : `pid "${shown(text)}" is not a positive whole number`;
}

/** Why a row's pid and start time cannot name a backend, in words; undefined when they can. */
export function backendProblem({pid, backendStart}: Backend): string | undefined {
	const badPid = pidProblem(pid);
	if (badPid !== undefined) return badPid;
	if (backendStart === '')
		return `backend ${pid}: when it started cannot be read (the console's role lacks pg_read_all_stats: GRANT pg_monitor; or it is gone), so it cannot be told from a later backend with its pid`;
	if (!timestamp.test(backendStart)) return `backend ${pid}: its start time "${shown(backendStart)}" is not an ISO timestamp`;
	return undefined;
}

/** What a signal did, from the row its statement returned (none: the backend is gone); `failed` when nothing was signalled. */
export function signalOutcome(
	kind: BackendSignal,
	{pid, backendStart}: Backend,
	row: SignalRow | undefined,
): {done: string} | {failed: string} {
	if (!row)
		return {
			failed: `backend ${pid} (started ${backendStart}) is gone: nothing was signalled (a new backend with its pid, if any, was left alone)`,
		};
	if (!row.signalled)
		return {failed: `${signalFunction[kind]} returned false for backend ${pid}: it was not signalled (it may have just ended)`};
	if (kind === 'terminate') return {done: `backend ${pid} was terminated: its transaction rolls back and its locks are freed`};
	if (row.state.startsWith('idle in transaction'))
		return {done: 'the backend was idle in transaction: cancel frees nothing; terminate it (K)'};
	if (row.state === 'idle') return {done: `backend ${pid} was idle: it ran no query to cancel`};
	return {done: `the query of backend ${pid} was cancelled: its client gets 57014 and the backend stays connected`};
}

type PgError = {code?: string; message?: string; detail?: string};

/** A failed signal in words a responder can act on: which privilege is missing, never the password. */
export function signalFailure(error: unknown, kind: BackendSignal, {pid}: Backend, where: string): string {
	const {code, message = '', detail = ''} = (error ?? {}) as PgError;
	if (code === '42501') {
		// PostgreSQL 15 says so in the detail, older servers in the message.
		if (/superuser/i.test(`${message} ${detail}`))
			return `postgres: only a superuser may ${verb[kind]} backend ${pid}: it is a superuser's, and the console's role is not one`;
		return `postgres: not allowed to ${verb[kind]} backend ${pid}: the console's role needs pg_signal_backend (GRANT pg_signal_backend TO it) or membership in the backend's role`;
	}
	if (code === '57014') return `postgres: ${signalFunction[kind]} ran past its statement timeout on ${where}: the server is slow`;
	return postgresFailure(error, where);
}
