/**
 * The outbox's file: `<dataDir>/outbox/<store key>.jsonl`, one JSON line per
 * event waiting for the shared store, `{incident, actor, eventId, at, type,
 * ...payload}`. Read here for the outbox journal that sends it and for
 * doctor, which counts it.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {errorCode, plainFailure} from '../errors';
import {parseEvent, payloadOf, type NewEvent} from './events';
import {isIncidentId, type AppendStamp} from './journal';

/** One event waiting in the outbox, stamped when it was made by `actor` (`user@host`): consoles on one data directory share it. */
export type Waiting = {incident: string; actor: string; stamp: AppendStamp; event: NewEvent};

/** The outbox as read: its complete lines' events, and the bytes of a torn last line (never an event). */
export type OutboxContents = {waiting: Waiting[]; completeBytes: number; tornBytes: number; problems: string[]};

/** The outbox file's name: a short hash of where the store is, so two stores' events never mix. */
function outboxFileName(where: string): string {
	return `${createHash('sha256').update(where).digest('hex').slice(0, 16)}.jsonl`;
}

/** Where the outbox for the store at `where` lives: its directory, its file, and the file of events the store refused. */
export function outboxPaths(dataDir: string, where: string): {dir: string; file: string; refused: string} {
	const dir = path.join(dataDir, 'outbox');
	const file = path.join(dir, outboxFileName(where));
	return {dir, file, refused: file.replace(/\.jsonl$/, '.refused.jsonl')};
}

/** The event ids of the events set aside in `refused` (the store refused them); none when there is no file. */
export async function readRefused(refused: string): Promise<string[]> {
	let text: string;
	try {
		text = await fs.readFile(refused, 'utf8');
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return [];
		throw cannotRead('the events set aside in', refused, error);
	}
	// Written whole and fsync'd, one a line: a line that does not parse still counts as one set aside.
	return text
		.split('\n')
		.filter(line => line !== '')
		.map(line => {
			try {
				const {eventId} = JSON.parse(line) as {eventId?: unknown};
				return typeof eventId === 'string' ? eventId : '';
			} catch {
				return '';
			}
		});
}

/**
 * What identifies the outbox file as it is now (its inode, size and time),
 * 'none' when there is none: a reader parses it again only once this changed.
 */
export async function outboxVersion(file: string): Promise<string> {
	try {
		const stat = await fs.stat(file);
		return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return 'none';
		throw cannotRead('the outbox', file, error);
	}
}

/** `what`: the outbox, or the events set aside beside it. */
const cannotRead = (what: string, file: string, error: unknown) =>
	new Error(`cannot read ${what} ${file}: ${plainFailure(error, {onDisk: true})}`, {cause: error});

/** What the outbox `file` holds; none when there is no file. A torn last line or a line that is no event is a problem, never an event. */
export async function readOutbox(file: string): Promise<OutboxContents> {
	let bytes: Buffer;
	try {
		bytes = await fs.readFile(file);
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return {waiting: [], completeBytes: 0, tornBytes: 0, problems: []};
		throw cannotRead('the outbox', file, error);
	}
	const completeBytes = bytes.lastIndexOf(0x0a) + 1;
	const tornBytes = bytes.length - completeBytes;
	const problems =
		tornBytes > 0 ? [`outbox ${file}: an incomplete last line (torn write, ${tornBytes} bytes) was ignored, never sent`] : [];
	const waiting: Waiting[] = [];
	const lines = bytes.subarray(0, completeBytes).toString('utf8').split('\n').slice(0, -1);
	for (const [index, line] of lines.entries()) {
		const entry = parseWaiting(line);
		if (typeof entry === 'string') problems.push(`outbox ${file} line ${index + 1}: ${entry}: not an event, ignored`);
		else waiting.push(entry);
	}
	return {waiting, completeBytes, tornBytes, problems};
}

/** The outbox's line for one waiting event. */
export function lineOf({incident, actor, stamp, event}: Waiting): Record<string, unknown> {
	return {incident, actor, eventId: stamp.eventId, at: stamp.at, ...event};
}

/** The waiting event on an outbox line, or what is wrong with it. */
function parseWaiting(line: string): Waiting | string {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return 'not valid JSON';
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
	const {incident, ...fields} = value as Record<string, unknown>;
	if (typeof incident !== 'string' || !isIncidentId(incident)) return '"incident" is not an incident id';
	if (typeof fields.actor !== 'string') return '"actor" is missing';
	const parsed = parseEvent({...fields, seq: 1});
	if (typeof parsed === 'string') return parsed.replace(/^event 1: /, '');
	if (parsed.eventId === undefined) return '"eventId" is missing';
	const event = {type: parsed.type, ...payloadOf(fields)} as NewEvent;
	return {incident, actor: parsed.actor, stamp: {eventId: parsed.eventId, at: parsed.at}, event};
}
