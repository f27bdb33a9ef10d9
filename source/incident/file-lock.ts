/**
 * The lock that keeps an incident's sequence numbers unique: a directory
 * `<file>.lock` beside the journal file, because mkdir either creates it or
 * fails, atomically, on every file system and across processes and hosts.
 * It names its holder (`host pid token`), and the holder touches it every
 * second (a fifth of the stale time), so a waiter can tell a lock left by a killed console from a slow
 * one: a holder on this host is asked directly (is its pid alive?), one on
 * another host by whether it still touches the lock.
 */
import {randomUUID} from 'node:crypto';
import fs from 'node:fs/promises';
import {hostname} from 'node:os';
import path from 'node:path';
import {errorCode, plainFailure} from '../errors';

export type LockOptions = {
	/** How long a lock of another host may go untouched before a waiter breaks it. */
	staleMs: number;
	/** Mode for the lock directory, so that teammates in the group can break it too; the umask's otherwise. */
	dirMode?: number;
};

/** What a waiter sees of a lock held by someone else. */
export type HeldLock = {owner: string; mtimeMs: number};

/** Another holder kept the lock past the wait: a caller that only wanted a turn tells it from a failure by its type. */
export class LockBusyError extends Error {}

/** How long a journal file's or the outbox's lock may go untouched: far longer than a holder leaves it untouched, so only a killed holder leaves one this old. */
export const defaultLockStaleMs = 5000;

const ownerFile = 'owner';
const retryMinMs = 5;
const retryJitterMs = 10;

/**
 * Whether a waiter may break the lock: never while its holder runs on this
 * host; at once when that holder is gone; otherwise when it has not been
 * touched for `staleMs`, by its time stamp or, for a stamp in the future
 * (a skewed clock), by how long the waiter has seen it unchanged.
 */
export function isStale(
	lock: HeldLock,
	context: {unchangedForMs: number; now: number; staleMs: number; here: {host: string; isAlive: (pid: number) => boolean}},
): boolean {
	const [host, pid] = lock.owner.split(' ');
	if (host === context.here.host && pid && /^\d+$/.test(pid)) return !context.here.isAlive(Number(pid));
	return context.now - lock.mtimeMs >= context.staleMs || context.unchangedForMs >= context.staleMs;
}

/** Runs `task` holding `<file>.lock`. */
export async function withLock<T>(file: string, options: LockOptions, task: () => Promise<T>): Promise<T> {
	const lock = `${file}.lock`;
	const owner = await acquire(lock, options);
	// Several touches within the stale time, so one late touch does not make a waiter break it.
	const heartbeat = setInterval(() => {
		const now = new Date();
		// A failed touch only makes the lock look older to other hosts; the task goes on.
		fs.utimes(lock, now, now).catch(() => undefined);
	}, options.staleMs / 5);
	heartbeat.unref();
	try {
		return await task();
	} finally {
		clearInterval(heartbeat);
		await release(lock, owner, options.staleMs);
	}
}

/** Takes the lock; resolves to the owner it names, ours. */
async function acquire(lock: string, options: LockOptions): Promise<string> {
	const owner = `${hostname()} ${process.pid} ${randomUUID()}`;
	// Longer than staleMs: a waiter outlasts a lock whose holder was killed on another host.
	const timeoutMs = options.staleMs * 1.6;
	const started = Date.now();
	let seen: {key: string; since: number} | undefined;
	for (;;) {
		if (await tryCreate(lock, owner, options.dirMode)) return owner;
		const held = await inspect(lock);
		if (!held) continue;
		if (held.key !== seen?.key) seen = {key: held.key, since: Date.now()};
		const context = {
			unchangedForMs: Date.now() - seen.since,
			now: Date.now(),
			staleMs: options.staleMs,
			here: {host: hostname(), isAlive},
		};
		if (isStale(held, context)) {
			if (await breakStale(lock, held.key, options.staleMs)) continue;
		} else if (Date.now() - started >= timeoutMs)
			throw new LockBusyError(
				`${path.basename(lock, '.lock')} is locked by ${holderOf(held.owner)}: try again once it is released`,
			);
		// Jitter keeps waiters from retrying in lockstep.
		await sleep(retryMinMs + Math.random() * retryJitterMs);
	}
}

async function tryCreate(lock: string, owner: string, dirMode: number | undefined): Promise<boolean> {
	try {
		await fs.mkdir(lock);
	} catch (error) {
		if (errorCode(error) === 'EEXIST') return false;
		throw new Error(`cannot lock ${lock}: ${plainFailure(error, {onDisk: true})}`, {cause: error});
	}
	try {
		if (dirMode !== undefined) await fs.chmod(lock, dirMode);
		await fs.writeFile(path.join(lock, ownerFile), owner);
		return true;
	} catch (error) {
		// Gone under us: whoever removed it judged it stale; start again.
		if (errorCode(error) === 'ENOENT') return false;
		// Not left behind nameless for every waiter to wait out.
		await fs.rm(lock, {recursive: true, force: true}).catch(() => undefined);
		throw new Error(`cannot lock ${lock}: ${plainFailure(error, {onDisk: true})}`, {cause: error});
	}
}

/** The lock as it is now, or undefined once it is released; `key` changes with every new holder and every touch. */
async function inspect(lock: string): Promise<(HeldLock & {key: string}) | undefined> {
	let stat;
	try {
		stat = await fs.stat(lock, {bigint: true});
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return undefined;
		throw error;
	}
	// No owner yet: it is being taken (or its taker was killed at that moment, which its age will tell).
	const owner = await fs.readFile(path.join(lock, ownerFile), 'utf8').catch(() => '');
	return {owner, mtimeMs: Number(stat.mtimeMs), key: `${stat.ino}:${stat.mtimeNs}:${owner}`};
}

/**
 * Breakers take turns through `<lock>.break` and break only the very lock
 * they judged stale (same inode, time stamp and owner): two waiters that
 * judge one lock stale never break it twice, so never the one taken after.
 * False while another waiter is breaking it.
 */
function breakStale(lock: string, judgedKey: string, staleMs: number): Promise<boolean> {
	return inTurn(lock, staleMs, async () => {
		if ((await inspect(lock))?.key === judgedKey) await removeAtOnce(lock);
	});
}

/**
 * Removes the lock if it is still ours, in turn with breakers. A holder held
 * up past the stale time (a slow fsync) may find it broken and taken by
 * another: that lock stays, or a third writer would get in beside its holder.
 * What the task wrote stands: it is on disk, and reporting it as failed would
 * only make a retry write it twice.
 */
async function release(lock: string, owner: string, staleMs: number): Promise<void> {
	const removeOurs = async () => {
		if ((await inspect(lock))?.owner === owner) await removeAtOnce(lock);
	};
	while (!(await inTurn(lock, staleMs, removeOurs))) await sleep(retryMinMs + Math.random() * retryJitterMs);
}

/**
 * Runs `action` as the only one breaking or releasing `lock`, through
 * `<lock>.break`; false, without running it, while another is. A lock is
 * renamed away first, so it vanishes in one step.
 */
async function inTurn(lock: string, staleMs: number, action: () => Promise<void>): Promise<boolean> {
	const breaker = `${lock}.break`;
	try {
		await fs.mkdir(breaker);
	} catch (error) {
		if (errorCode(error) !== 'EEXIST') throw error;
		// Held for microseconds; one this old was left by a breaker killed in between.
		const stat = await fs.stat(breaker).catch(() => undefined);
		if (stat && Date.now() - stat.mtimeMs >= staleMs) await removeAtOnce(breaker);
		return false;
	}
	try {
		await action();
		return true;
	} finally {
		await fs.rm(breaker, {recursive: true, force: true});
	}
}

async function removeAtOnce(target: string): Promise<void> {
	const away = `${target}.stale-${randomUUID()}`;
	try {
		await fs.rename(target, away);
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return;
		throw error;
	}
	await fs.rm(away, {recursive: true, force: true});
}

function holderOf(owner: string): string {
	const [host, pid] = owner.split(' ');
	return host && pid ? `${host} pid ${pid}` : 'a writer that has not said who it is';
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it runs, as another user.
		return errorCode(error) !== 'ESRCH';
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms));
}
