/**
 * What every journal store must do, whatever it keeps events in: one suite,
 * run against the file journal and the PostgreSQL journal alike, so a
 * console behaves the same on either. A store gives fresh journals on one
 * shared store (several consoles), and a way to damage an entry.
 */
import {randomUUID} from 'node:crypto';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {JournalEvent, NewEvent} from '../../source/incident/events';
import {DuplicateIncident, type Journal} from '../../source/incident/journal';

export type ContractStore = {
	/**
	 * A new journal on the store, as another console would open it. `actor`
	 * is who it writes as where the store takes that from the console; a
	 * store that takes it from the connection (a database role) may ignore it.
	 */
	journal(actor?: string): Journal;
	/**
	 * Writes the entry `seq` of incident `id` (the next one) as a damaged disk
	 * or a hand edit would: a `severity` event to "P9", which no reader
	 * accepts. Its problem is reported at `line: seq`.
	 */
	corrupt(id: string, seq: number): Promise<void>;
	/** Removes everything the store holds; the journals it gave are closed first. */
	close(): Promise<void>;
};

const declaration = (title = 'API down'): NewEvent => ({type: 'declared', title, severity: 'P1', services: ['api']});
const note = (text: string): NewEvent => ({type: 'note', text});
const textOf = (event: JournalEvent) => (event.type === 'note' ? event.text : event.type);
const seqsOf = (events: readonly JournalEvent[]) => events.map(({seq}) => seq);
/** An incident as another store exported it: written by someone else, at other times, one event late. */
const exported: JournalEvent[] = [
	{seq: 1, at: '2026-11-27T03:00:00.000Z', actor: 'alice@elsewhere', eventId: randomUUID(), ...declaration('from elsewhere')},
	{seq: 2, at: '2026-11-27T03:05:00.000Z', actor: 'bob@elsewhere', eventId: randomUUID(), ...note('one')},
	{seq: 3, at: '2026-11-27T03:01:00.000Z', actor: 'alice@elsewhere', eventId: randomUUID(), late: true, ...note('two')},
];
const oneTo = (n: number) => Array.from({length: n}, (_, index) => index + 1);

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}

/** Runs the contract against the store `makeStore` gives, a fresh one for each test. */
export function journalContract(name: string, makeStore: () => Promise<ContractStore>): void {
	describe(`journal contract: ${name}`, () => {
		let store: ContractStore;
		const opened: Journal[] = [];
		const journal = (actor?: string) => {
			const made = store.journal(actor);
			opened.push(made);
			return made;
		};

		beforeEach(async () => {
			store = await makeStore();
		});

		afterEach(async () => {
			await Promise.all(opened.splice(0).map(each => each.close()));
			await store.close();
		});

		it('gives distinct ids INC-1… to concurrent declarations from several consoles, and lists them oldest first', async () => {
			const consoles = [journal('a'), journal('b'), journal('c'), journal('d')];

			const created = await Promise.all(
				Array.from({length: 12}, (_, index) => consoles[index % consoles.length]!.create(declaration(`n${index}`))),
			);

			expect(created.map(({id}) => id).sort()).toEqual(
				oneTo(12)
					.map(n => `INC-${n}`)
					.sort(),
			);
			expect(await journal().list()).toEqual(oneTo(12).map(n => `INC-${n}`));
			for (const {id, event} of created) {
				expect(event).toMatchObject({seq: 1, type: 'declared'});
				expect((await consoles[0]!.read(id)).events).toEqual([event]);
			}
		});

		it('numbers 8 consoles × 200 concurrent appends to one incident without a gap or a duplicate, each readable in order elsewhere', async () => {
			const consoles = Array.from({length: 8}, (_, index) => journal(`w${index}`));
			const {id} = await consoles[0]!.create(declaration());

			const appended = await Promise.all(
				consoles.map(async (each, writer) => {
					const own: JournalEvent[] = [];
					for (let n = 0; n < 200; n++) own.push(await each.append(id, note(`${writer}:${n}`)));
					return own;
				}),
			);

			const seqs = appended.flat().map(({seq}) => seq);
			expect(seqs.sort((a, b) => a - b)).toEqual(oneTo(1601).slice(1));
			const log = await journal().read(id);
			expect(log.problems).toEqual([]);
			expect(seqsOf(log.events)).toEqual(oneTo(1601));
			expect(log.events.slice(1)).toEqual(appended.flat().sort((a, b) => a.seq - b.seq));
			for (const [writer, own] of appended.entries()) {
				const mine = log.events.filter(event => textOf(event).startsWith(`${writer}:`));
				expect(mine.map(textOf)).toEqual(own.map(textOf));
			}
		}, 60_000);

		it('resolves an append only once another console can read it', async () => {
			const writer = journal('alice');
			const reader = journal('bob');
			const {id} = await writer.create(declaration());
			await reader.read(id);

			for (let n = 0; n < 20; n++) {
				const event = await writer.append(id, note(String(n)));
				expect((await reader.read(id)).events.at(-1)).toEqual(event);
			}
		});

		it('replays an incident in seq order, and keeps each incident to itself', async () => {
			const writer = journal();
			const one = await writer.create(declaration('one'));
			const two = await writer.create(declaration('two'));
			for (const text of ['a', 'b', 'c']) await writer.append(one.id, note(text));
			await writer.append(two.id, note('elsewhere'));

			const log = await journal().read(one.id);

			expect(log).toEqual({id: one.id, events: [one.event, ...log.events.slice(1)], problems: []});
			expect(log.events.map(textOf)).toEqual(['declared', 'a', 'b', 'c']);
			expect(seqsOf(log.events)).toEqual([1, 2, 3, 4]);
			expect(seqsOf((await journal().read(two.id)).events)).toEqual([1, 2]);
		});

		it('reads an incident it does not hold as empty', async () => {
			expect(await journal().read('INC-41')).toEqual({id: 'INC-41', events: [], problems: []});
		});

		it('owns the envelope: a payload cannot set seq, at, actor, eventId, late, pending or importedBy', async () => {
			const writer = journal('alice');
			const {id} = await writer.create(declaration());
			const honest = await writer.append(id, note('honest'));
			const envelope = {
				seq: 99,
				at: '2000-01-01T00:00:00.000Z',
				actor: 'mallory',
				eventId: randomUUID(),
				late: true,
				pending: true,
				importedBy: 'mallory',
			};

			const event = await writer.append(id, {...note('forged'), ...envelope} as NewEvent);

			expect(event).toMatchObject({seq: 3, actor: honest.actor, type: 'note', text: 'forged'});
			expect(event.at).not.toBe(envelope.at);
			expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
			expect(event.eventId).not.toBe(envelope.eventId);
			for (const field of ['late', 'pending', 'importedBy']) expect(event).not.toHaveProperty(field);
			expect((await journal().read(id)).events[2]).toEqual(event);
		});

		it('keeps a stamp’s event id and time, and keeps a resent event once, under the seq it got first', async () => {
			const writer = journal('alice');
			const {id} = await writer.create(declaration());
			const stamp = {eventId: randomUUID(), at: new Date(Date.now() + 1000).toISOString()};

			const first = await writer.append(id, note('queued while offline'), stamp);
			const resent = await journal('alice').append(id, note('queued while offline'), stamp);
			const after = await writer.append(id, note('next'));

			expect(first).toMatchObject({seq: 2, eventId: stamp.eventId, at: stamp.at, text: 'queued while offline'});
			expect(resent).toEqual(first);
			expect(after.seq).toBe(3);
			const {events} = await journal().read(id);
			expect(events.filter(({eventId}) => eventId === stamp.eventId)).toEqual([first]);
		});

		it('marks late an event stamped before one already there, and only that one', async () => {
			const writer = journal('alice');
			const {id, event: declared} = await writer.create(declaration());
			const before = new Date(Date.parse(declared.at) - 60_000).toISOString();
			const after = new Date(Date.parse(declared.at) + 60_000).toISOString();

			const onTime = await writer.append(id, note('on time'), {eventId: randomUUID(), at: after});
			const late = await writer.append(id, note('from the outbox'), {eventId: randomUUID(), at: before, queued: true});

			expect(onTime).not.toHaveProperty('late');
			expect(late).toMatchObject({seq: 3, at: before, late: true});
			expect((await journal().read(id)).events.slice(1)).toEqual([onTime, late]);
		});

		it('judges late by the moment, not the text: an imported whole second is before the same second and a half', async () => {
			const second = '2026-11-27T03:00:00Z';
			const id = await journal('carol').importIncident([
				{seq: 1, at: second, actor: 'alice@elsewhere', eventId: randomUUID(), ...declaration('whole seconds')},
			]);
			const queued = (at: string) => journal('alice').append(id, note(at), {eventId: randomUUID(), at, queued: true});

			expect(await queued('2026-11-27T03:00:00.5Z')).not.toHaveProperty('late');
			expect(await queued('2026-11-27T03:00:00.500000Z')).not.toHaveProperty('late');
			expect(await queued('2026-11-27T03:00:00.25Z')).toMatchObject({late: true});
		});

		it('never marks late a live append whose host clock runs behind: only an event that waited in an outbox is judged', async () => {
			const writer = journal('alice');
			const {id, event: declared} = await writer.create(declaration());
			const behind = new Date(Date.parse(declared.at) - 2_000).toISOString();

			const skewed = await writer.append(id, note('from a host 2 s behind'), {eventId: randomUUID(), at: behind});

			expect(skewed).not.toHaveProperty('late');
			expect((await journal().read(id)).events[1]).not.toHaveProperty('late');
		});

		it('refuses a stamp whose time is no time, and writes nothing', async () => {
			const writer = journal();
			const {id} = await writer.create(declaration());

			await expect(writer.append(id, note('x'), {eventId: randomUUID(), at: '2026-02-30T00:00:00.000Z'})).rejects.toThrow();

			expect(seqsOf((await journal().read(id)).events)).toEqual([1]);
		});

		it('keeps a 100 KB note and terminal escapes as data', async () => {
			const writer = journal();
			const {id} = await writer.create(declaration('\u001B]0;owned\u0007title\u001B[2J'));
			const long = await writer.append(id, note('x'.repeat(100_000)));

			const {events, problems} = await journal().read(id);

			expect(problems).toEqual([]);
			expect(events[0]).toMatchObject({title: '\u001B]0;owned\u0007title\u001B[2J'});
			expect(events[1]).toEqual(long);
			expect(textOf(events[1]!)).toHaveLength(100_000);
		});

		it('reports a damaged entry as a problem on its line, never a crash, and appends on after it', async () => {
			const writer = journal();
			const {id} = await writer.create(declaration());
			await writer.append(id, note('before'));
			await store.corrupt(id, 3);

			const damaged = await journal().read(id);
			const after = await writer.append(id, note('after'));
			const log = await journal().read(id);

			expect(damaged.problems).toEqual([{line: 3, message: 'event 3: "severity" is not one of P0, P1, P2, P3'}]);
			expect(seqsOf(damaged.events)).toEqual([1, 2]);
			expect(after.seq).toBeGreaterThan(2);
			expect(log.events.map(textOf)).toEqual(['declared', 'before', 'after']);
			expect(log.problems).toEqual(damaged.problems);
		});

		it('tells a watcher of another console’s appends while it watches', async () => {
			const writer = journal('bob');
			const {id} = await writer.create(declaration());
			const watcher = journal('alice');
			let calls = 0;
			const stop = watcher.watch(() => calls++);
			try {
				// A store may start listening after watch() returns, and tell a catch-up once it does: append until told once.
				for (let tries = 1; calls === 0; tries++) {
					if (tries > 20) throw new Error('no change told after 20 appends');
					await writer.append(id, note(`hello ${tries}`));
					await waitFor(() => calls > 0, 'a change told', 500).catch(() => undefined);
				}
				const told = calls;
				await writer.append(id, note('heard'));
				await waitFor(() => calls > told, 'the next append told');
			} finally {
				stop();
			}
		});

		it('imports an incident under a fresh id, keeping seq, at, actor and event id, and refuses it a second time', async () => {
			const {id: here} = await journal('carol').create(declaration('already here'));

			const imported = await journal('carol').importIncident(exported);
			const log = await journal().read(imported);

			expect(imported).not.toBe(here);
			expect(await journal().list()).toEqual([here, imported]);
			expect(log.problems).toEqual([]);
			expect(log.events.map(({importedBy: _, ...kept}) => kept)).toEqual(exported);
			for (const event of log.events) expect(typeof event.importedBy).toBe('string');
			const again = journal('dave').importIncident(exported);
			await expect(again).rejects.toThrow(DuplicateIncident);
			await expect(again).rejects.toMatchObject({existing: imported});
			expect(await journal().list()).toEqual([here, imported]);
		});

		it('refuses to import events that are not one incident numbered from its declaration', async () => {
			const importer = journal('carol');
			const [declared, one, two] = exported as [JournalEvent, JournalEvent, JournalEvent];

			await expect(importer.importIncident([])).rejects.toThrow();
			await expect(importer.importIncident([one, two])).rejects.toThrow();
			await expect(importer.importIncident([declared, two])).rejects.toThrow();
			await expect(importer.importIncident([declared, one, one])).rejects.toThrow();
			expect(await journal().list()).toEqual([]);
		});
	});
}
