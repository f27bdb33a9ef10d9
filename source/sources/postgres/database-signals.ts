/**
 * The signals of `C` and `K` sent to the configured server: the statement
 * in queries/ that checks the backend's start time as it signals it, shown
 * exactly as it runs, through a connection of its own.
 */
import {toSingleLine} from '../../text/sanitize';
import {
	backendProblem,
	signalFailure,
	signalOutcome,
	type Backend,
	type BackendSignal,
	type BackendSignals,
	type SignalRow,
} from './backend-signal';
import {loadPg} from './collector';
import {addressOf, clientOptions} from './connection';
import {signalQueries} from './queries';

/** The statement as it runs, on one line, with its pid and start time written in: what the confirmation shows and the journal records. */
export const signalStatement = (kind: BackendSignal, {pid, backendStart}: Backend) =>
	toSingleLine(signalQueries[kind].replaceAll(/--.*$/gm, '')).replace('$1', String(pid)).replace('$2', `'${backendStart}'`);

/**
 * Sends a signal through a client of its own, connected for this one
 * statement with the console's timeouts: never queued behind a reading of
 * the panel's pool.
 */
export function databaseSignals(url: string | undefined): BackendSignals {
	return {
		async signal(kind, backend, abort) {
			const problem = backendProblem(backend);
			if (problem) throw new Error(problem);
			const {Client} = await loadPg();
			const client = new Client(clientOptions(url));
			const where = addressOf(client);
			const end = () => void client.end().catch(() => undefined);
			abort.addEventListener('abort', end, {once: true});
			let rows: SignalRow[];
			try {
				await client.connect();
				rows = (await client.query<SignalRow>(signalQueries[kind], [backend.pid, backend.backendStart])).rows;
			} catch (error) {
				// Not as a cause: pg's error carries the client, its connection parameters and password with it.
				// eslint-disable-next-line preserve-caught-error
				throw new Error(signalFailure(error, kind, backend, where));
			} finally {
				abort.removeEventListener('abort', end);
				end();
			}
			const outcome = signalOutcome(kind, backend, rows[0]);
			if ('failed' in outcome) throw new Error(outcome.failed);
			return outcome.done;
		},
	};
}
