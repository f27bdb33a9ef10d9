/**
 * Who blocks whom: the backends waiting on locks arranged as a tree under
 * the backends that hold them, so the root of a chain (usually the one to
 * cancel or terminate) is the first line a responder reads. Each line has
 * what is known of its backend, waiter or blocker alike.
 */
import type {BlockedBackend, LockSession} from '../types';

export type LockRow = Omit<LockSession, 'query'> & {
	/** 0 for a backend that blocks others without waiting itself, and for the first of a cycle. */
	depth: number;
	/** Blocks others without waiting itself: where a chain starts. */
	root: boolean;
	/** How long it has waited; undefined for a root. */
	waitSeconds?: number;
	/** Other blockers than the parent it is drawn under. */
	alsoWaitsFor: number[];
	/** How many backends wait behind it, directly or not. */
	blocking: number;
	query: string;
};

/** What is shown of a backend no session describes (the drill's, an old reading's). */
const unknownSession = (pid: number): LockSession => ({
	pid,
	backendStart: '',
	user: '',
	application: '',
	state: '',
	waitEvent: '',
	query: '',
});

export function buildLockTree(blocked: readonly BlockedBackend[], sessions: readonly LockSession[]): LockRow[] {
	const waits = new Map(blocked.map(backend => [backend.pid, backend]));
	const session = new Map(sessions.map(query => [query.pid, query]));
	const waitersOf = new Map<number, number[]>();
	for (const backend of blocked) {
		const parent = Math.min(...backend.blockedBy);
		waitersOf.set(parent, [...(waitersOf.get(parent) ?? []), backend.pid]);
	}
	// `seen` holds the path from the backend counted for, so a cycle is counted once round; it is undone on the way back rather than copied at each step.
	const countBehind = (pid: number, seen: Set<number>): number => {
		let behind = 0;
		for (const waiter of waitersOf.get(pid) ?? []) {
			if (seen.has(waiter)) continue;
			seen.add(waiter);
			behind += 1 + countBehind(waiter, seen);
			seen.delete(waiter);
		}
		return behind;
	};

	const rows: LockRow[] = [];
	const drawn = new Set<number>();
	const draw = (pid: number, depth: number, parent?: number) => {
		if (drawn.has(pid)) return;
		drawn.add(pid);
		const waiting = waits.get(pid);
		const known = session.get(pid) ?? unknownSession(pid);
		rows.push({
			...known,
			...(waiting?.backendStart ? {backendStart: waiting.backendStart} : {}),
			depth,
			root: !waiting,
			...(waiting ? {waitSeconds: waiting.waitSeconds} : {}),
			alsoWaitsFor: (waiting?.blockedBy ?? []).filter(other => other !== parent),
			blocking: countBehind(pid, new Set([pid])),
			query: known.query || (waiting?.query ?? ''),
		});
		for (const waiter of [...(waitersOf.get(pid) ?? [])].sort((a, b) => a - b)) draw(waiter, depth + 1, pid);
	};

	const roots = [...waitersOf.keys()].filter(pid => !waits.has(pid)).sort((a, b) => a - b);
	for (const root of roots) draw(root, 0);
	// Whatever is left waits in a cycle (a deadlock about to be broken): draw it from its lowest pid.
	for (const backend of [...blocked].sort((a, b) => a.pid - b.pid)) draw(backend.pid, 0);
	return rows;
}
