/**
 * A drill's simulated database: the backends its scenes script, which `C`
 * and `K` signal in a drill instead of a real server, through the same
 * statement and with the same results as for real:
 *
 * - a terminated backend is gone, and so is every waiter it freed: a waiter
 *   whose every blocker is gone got its lock, ran and finished, which frees
 *   the waiters behind it in turn;
 * - a cancel ends a running query the same way (the scripts' queries are
 *   single statements), and frees nothing from a backend idle in
 *   transaction, which runs no query: it stays, its waiters still wait.
 */
import {backendProblem, signalOutcome, type Backend, type BackendSignal, type BackendSignals} from '../postgres/backend-signal';

/** A backend as a scene scripts it, with its start time. */
export type DrillBackend = Backend & {state: string; blockedBy?: number[]};

/** The scripted backends still there once `ended` are gone, with the waiters they freed gone too. */
export function remainingBackends<T extends DrillBackend>(backends: readonly T[], ended: ReadonlySet<number>): T[] {
	const gone = new Set(ended);
	const freed = (backend: T) =>
		!gone.has(backend.pid) &&
		backend.blockedBy !== undefined &&
		backend.blockedBy.length > 0 &&
		backend.blockedBy.every(pid => gone.has(pid));
	for (let next = backends.find(freed); next; next = backends.find(freed)) gone.add(next.pid);
	return backends
		.filter(backend => !gone.has(backend.pid))
		.map(backend => (backend.blockedBy ? {...backend, blockedBy: backend.blockedBy.filter(pid => !gone.has(pid))} : backend));
}

export class DrillDatabase implements BackendSignals {
	private ended: ReadonlySet<number> = new Set();

	/** `backendsNow`: the drill's backends now, once `ended` are gone. */
	constructor(private readonly backendsNow: (ended: ReadonlySet<number>) => readonly DrillBackend[]) {}

	/** The pids the responder's signals ended. */
	current(): ReadonlySet<number> {
		return this.ended;
	}

	async signal(kind: BackendSignal, backend: Backend): Promise<string> {
		const problem = backendProblem(backend);
		if (problem) throw new Error(problem);
		const found = this.backendsNow(this.ended).find(
			({pid, backendStart}) => pid === backend.pid && backendStart === backend.backendStart,
		);
		const outcome = signalOutcome(kind, backend, found && {signalled: true, state: found.state});
		if ('failed' in outcome) throw new Error(outcome.failed);
		if (kind === 'terminate' || found?.state === 'active') this.ended = new Set([...this.ended, backend.pid]);
		return outcome.done;
	}
}
