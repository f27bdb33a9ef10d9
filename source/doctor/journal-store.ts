/**
 * What doctor asks of the incident journal's store. The file store: that the
 * incidents in the data directory can be listed (that they can be written is
 * the data dir's check). A shared store (PostgreSQL): that it answers, and
 * in what time; that its schema is the one this warroom knows; whether this
 * console may write to it or only read; and how many events wait in the
 * local outbox to be sent to it. The store is asked through a `StoreProbe`,
 * so that the findings are decided by pure functions.
 */
import path from 'node:path';
import {messageOf} from '../errors';
import type {Journal, JournalLink} from '../incident/journal';
import {outboxPaths, readOutbox, readRefused} from '../incident/outbox-file';
import {schemaVerdict} from '../incident/store-schema';
import {elsewhere} from './data-dir';
import type {Finding} from './finding';
import {plural} from '../text/plural';

/** What doctor asks a shared store, one connection for all of it. */
export type StoreProbe = {
	/** The newest schema version this warroom's migrations know. */
	knownVersion: number;
	/** Signs in and asks who this console is; throws when the store cannot be reached or refuses the sign-in. */
	reach(): Promise<{role: string; roleIdent: string; roundTripMs: number}>;
	/** The schema's version; 0 when the store has no warroom schema. */
	schemaVersion(): Promise<number>;
	/** What this console's role lacks to append, as the console itself judges it; undefined when it may write. */
	cannotWrite(): Promise<string | undefined>;
	/** Why a call failed, in words naming the server but never a password; a refused sign-in wants credentials, not the server. */
	explain(error: unknown): {failure: string; signInRefused: boolean};
	close(): Promise<void>;
};

/** What the probe found: the store out of reach, or its role, round trip, schema and, with a schema, whether it may write. */
export type StoreReading =
	| {reached: false; failure: string; signInRefused: boolean}
	| {
			reached: true;
			role: string;
			roleIdent: string;
			roundTripMs: number;
			knownVersion: number;
			schema: {version: number} | {failure: string};
			/** Asked only of a store with a schema: `ok`, or what the role lacks to write. */
			writes?: 'ok' | {missing: string};
	  };

/** The events waiting in this store's outbox file and what in it is no event, or why it could not be read. */
export type OutboxCount = {file: string} & (
	{waiting: number; problems: string[]; setAside: {file: string; count: number}} | {failure: string}
);

/** The store doctor checks, as the config names it: never a journal opened, so a store a console would refuse is still reported. */
export type StoreToCheck =
	{store: 'file'; where: string; journal: Pick<Journal, 'list'>} | {store: 'postgres'; where: string; probe: () => StoreProbe};

/** Asks the probe everything, in order, stopping where an answer makes the rest moot; always closes it. */
export async function readStore(probe: StoreProbe): Promise<StoreReading> {
	try {
		let reached;
		try {
			reached = await probe.reach();
		} catch (error) {
			return {reached: false, ...probe.explain(error)};
		}
		const found = {reached: true as const, ...reached, knownVersion: probe.knownVersion};
		let version;
		try {
			version = await probe.schemaVersion();
		} catch (error) {
			return {...found, schema: {failure: probe.explain(error).failure}};
		}
		if (version === 0) return {...found, schema: {version}};
		const missing = await probe.cannotWrite();
		return {...found, schema: {version}, writes: missing === undefined ? 'ok' : {missing}};
	} finally {
		await probe.close();
	}
}

/** The events waiting for the store at `where` in `<dataDir>/outbox/`, read as the console reads them; no file is none waiting. */
export async function countOutbox(dataDir: string, where: string): Promise<OutboxCount> {
	const {file, refused} = outboxPaths(dataDir, where);
	try {
		const {waiting, problems} = await readOutbox(file);
		const setAside = await readRefused(refused);
		return {file, waiting: waiting.length, problems, setAside: {file: refused, count: setAside.length}};
	} catch (error) {
		return {file, failure: messageOf(error)};
	}
}

/** The file store: its incidents listed, in what time, or why they cannot be. */
function fileStoreFinding(where: string, listed: {count: number; ms: number} | {failure: string}): Finding {
	if ('failure' in listed)
		return {
			check: 'journal',
			status: 'missing',
			detail: `file store in ${where}: ${listed.failure}`,
			fix: `chmod u+rx ${where} (or chown it to this user), or ${elsewhere}`,
		};
	return {
		check: 'journal',
		status: 'ok',
		detail: `file store in ${where}: ${plural(listed.count, 'incident')}, listed in ${listed.ms} ms`,
	};
}

/** Where the store's address and credentials are set (`${WARROOM_DB_URL}` in the README is only the config's interpolation): the fixes point there. */
const storeSettings = 'incidents.url in warroom.yaml, or PG* variables and ~/.pgpass';

/** What waits in the outbox, and, apart, what in it is no event (never sent). */
function outboxFindings(outbox: OutboxCount, reached: boolean): Finding[] {
	const check = 'journal outbox';
	if ('failure' in outbox)
		return [
			{
				check,
				status: 'missing',
				detail: `${outbox.failure}: events kept there while the store was offline cannot be sent`,
				fix: `chmod u+rw ${path.dirname(outbox.file)} and the files in it (or chown them to this user)`,
			},
		];
	const waiting: Finding =
		outbox.waiting === 0
			? {check, status: 'ok', detail: 'nothing waiting to be sent'}
			: {
					check,
					status: 'warn',
					detail: `${plural(outbox.waiting, 'event')} waiting to be sent (in ${outbox.file})`,
					fix: reached
						? 'start warroom here: it sends them as soon as it opens the store'
						: 'they are sent once the store answers (see journal above)',
				};
	const {setAside} = outbox;
	const refused: Finding[] =
		setAside.count === 0
			? []
			: [
					{
						check,
						status: 'warn',
						detail: `${plural(setAside.count, 'event')} set aside in ${setAside.file}: the store refused them, so they are not in the incident`,
						// Sending them again would be refused again: each line says why ("refused"); a person decides what still matters.
						fix: `read them, enter again by hand what still matters (warroom note INC-N ...), then delete ${setAside.file}`,
					},
				];
	const [first, ...more] = outbox.problems;
	if (first === undefined) return [waiting, ...refused];
	return [
		waiting,
		...refused,
		{
			check,
			status: 'warn',
			detail: `${first}${more.length > 0 ? ` (and ${plural(more.length, 'other problem')})` : ''}`,
			fix: 'nothing to do for a torn last line (a write cut by a kill); a line that is no event is never sent: copy what you need from it',
		},
	];
}

/** The schema against the version this warroom knows: none, older or newer each has its one fix (schemaVerdict). */
function schemaFinding(where: string, schema: {version: number} | {failure: string}, knownVersion: number): Finding {
	const check = 'journal schema';
	if ('failure' in schema)
		return {
			check,
			status: 'missing',
			detail: `cannot read the schema version: ${schema.failure}`,
			fix: 'as the store owner: GRANT USAGE ON SCHEMA warroom and SELECT ON warroom.schema_migrations to this role',
		};
	const verdict = schemaVerdict(schema.version, knownVersion);
	if ('problem' in verdict) return {check, status: 'missing', detail: `${where} has ${verdict.problem}`, fix: verdict.fix};
	return {check, status: 'ok', detail: `version ${schema.version} (current)`};
}

/** Every finding about a shared store, from the probe's reading and the outbox. Pure. */
export function sharedStoreFindings(
	{store, where}: Pick<JournalLink, 'store' | 'where'>,
	reading: StoreReading,
	outbox: OutboxCount,
): Finding[] {
	if (!reading.reached)
		return [
			{
				check: 'journal',
				status: 'missing',
				detail: `${store} store at ${where}: ${reading.failure}`,
				fix: reading.signInRefused
					? `check the user and password: ${storeSettings}`
					: `check that the server at ${where} is up and reachable from here (pg_isready), then ${storeSettings}`,
			},
			...outboxFindings(outbox, false),
		];
	const {role, roleIdent, roundTripMs, knownVersion, schema, writes} = reading;
	const writeFindings: Finding[] =
		writes === undefined
			? []
			: writes === 'ok'
				? [
						{
							check: 'journal writes',
							status: 'ok',
							detail: `role ${role} may write (INSERT on warroom.events, EXECUTE on warroom.append_event)`,
						},
					]
				: [
						{
							check: 'journal writes',
							status: 'warn',
							detail: `role ${role} may only read the incident store (${writes.missing}): the console runs read-only`,
							fix: `as the store owner: the writers' grants (README, "A shared store for a team") TO ${roleIdent}`,
						},
					];
	return [
		{check: 'journal', status: 'ok', detail: `${store} store at ${where} answers as ${role} (round trip ${roundTripMs} ms)`},
		schemaFinding(where, schema, knownVersion),
		...writeFindings,
		...outboxFindings(outbox, true),
	];
}

/** The journal's findings: a file store is listed; a shared store is asked through its probe, and its outbox under the data directory counted. */
export async function journalFindings(target: StoreToCheck, dataDir: string): Promise<Finding[]> {
	if (target.store === 'file') {
		const started = performance.now();
		const listed = await target.journal.list().then(
			ids => ({count: ids.length, ms: Math.round(performance.now() - started)}),
			(error: unknown) => ({failure: messageOf(error)}),
		);
		return [fileStoreFinding(target.where, listed)];
	}
	const [reading, outbox] = await Promise.all([readStore(target.probe()), countOutbox(dataDir, target.where)]);
	return sharedStoreFindings(target, reading, outbox);
}
