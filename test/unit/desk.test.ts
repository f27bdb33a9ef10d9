import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import fs, {mkdir, mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {IncidentDesk, resolveIncident, type DeskView} from '../../source/incident/desk';
import {FileJournal} from '../../source/incident/file-journal';
import {newEvent} from '../../source/incident/events';

let dir: string;
beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), 'warroom-desk-'));
});
afterEach(async () => {
	vi.restoreAllMocks();
	await rm(dir, {recursive: true, force: true});
});

async function waitFor(condition: () => boolean): Promise<void> {
	const deadline = Date.now() + 2000;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met within 2 s');
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

function desk(pinnedId?: string) {
	const views: DeskView[] = [];
	const journal = new FileJournal({dir, actor: 'alice@bastion'});
	return {journal, views, desk: new IncidentDesk(journal, view => views.push(view), pinnedId ? {pinnedId} : {})};
}

describe('the incident desk', () => {
	it('shows nothing before a declaration, then the incident it declared', async () => {
		const {desk: console, views} = desk();
		await console.refresh();
		expect(views.at(-1)).toEqual({problems: []});
		const id = await console.declare(newEvent.declared({title: 'API down', severity: 'P0', services: ['api']}));
		expect(id).toBe('INC-1');
		expect(views.at(-1)?.incident).toMatchObject({id: 'INC-1', title: 'API down', severity: 'P0', status: 'investigating'});
	});

	it('records changes to the incident on screen', async () => {
		const {desk: console, views} = desk();
		await console.declare(newEvent.declared({title: 'API down', severity: 'P1', services: []}));
		await console.record(newEvent.severity('P0', 'P1'));
		await console.record(newEvent.note('rolling back'));
		expect(views.at(-1)?.incident?.severity).toBe('P0');
		expect(views.at(-1)?.incident?.events.map(event => event.type)).toEqual(['declared', 'severity', 'note']);
	});

	it('keeps a resolved incident on screen until another is declared', async () => {
		const {desk: console, views} = desk();
		await console.declare(newEvent.declared({title: 'first', severity: 'P2', services: []}));
		await console.record(newEvent.status('resolved', 'investigating'));
		await console.refresh();
		expect(views.at(-1)?.incident).toMatchObject({id: 'INC-1', status: 'resolved'});
		const other = desk();
		await other.desk.declare(newEvent.declared({title: 'second', severity: 'P1', services: []}));
		await console.refresh();
		expect(views.at(-1)?.incident?.id).toBe('INC-2');
	});

	it('refuses to record when there is no incident', async () => {
		await expect(desk().desk.record(newEvent.note('x'))).rejects.toThrow('no incident: declare one first (d)');
	});

	it('reads each incident file once per refresh, so a long journal is parsed once at start', async () => {
		const {journal, desk: console} = desk();
		await console.declare(newEvent.declared({title: 'API down', severity: 'P1', services: []}));
		const reads: string[] = [];
		const read = journal.read.bind(journal);
		journal.read = id => {
			reads.push(id);
			return read(id);
		};
		await console.refresh();
		expect(reads).toEqual(['INC-1']);
	});
});

describe('a console watching the journal', () => {
	it('reads the journal twice for its own record: once after writing it, once on hearing it', async () => {
		const journal = new FileJournal({dir, actor: 'alice@bastion', pollMs: 50});
		const console = new IncidentDesk(journal, () => undefined);
		await console.declare(newEvent.declared({title: 'API down', severity: 'P1', services: []}));
		const stat = vi.spyOn(fs, 'stat');
		const polls = () => stat.mock.calls.filter(([file]) => file === dir).length;
		const read = vi.spyOn(journal, 'read');
		const stopWatching = console.watch();
		try {
			await waitFor(() => polls() >= 2);
			await console.record(newEvent.note('rolling back'));
			await waitFor(() => read.mock.calls.length >= 2);
			// Polls enough to have seen the append, and whatever the lock's removal did to the directory, twice over.
			const seen = polls();
			await waitFor(() => polls() >= seen + 4);
		} finally {
			stopWatching();
		}

		expect(read).toHaveBeenCalledTimes(2);
	});
});

describe('which incident a command acts on', () => {
	it('is the newest unresolved one, or the one named', async () => {
		const {desk: console, journal} = desk();
		await console.declare(newEvent.declared({title: 'old', severity: 'P2', services: []}));
		await console.declare(newEvent.declared({title: 'new', severity: 'P1', services: []}));
		await journal.append('INC-2', newEvent.status('resolved', 'investigating'));
		expect((await resolveIncident(journal)).incident.title).toBe('old');
		expect((await resolveIncident(journal, 'INC-2')).incident.title).toBe('new');
	});

	it('says what to do when there is none', async () => {
		await expect(resolveIncident(desk().journal)).rejects.toThrow(
			'no unresolved incident: declare one, or name it with --incident INC-N',
		);
	});
});

describe('an incident file that cannot be read', () => {
	async function withUnreadableSecond() {
		const {desk: console, views, journal} = desk();
		await console.declare(newEvent.declared({title: 'API down', severity: 'P0', services: []}));
		await mkdir(join(dir, 'INC-2.jsonl'));
		return {console, views, journal};
	}

	it('is skipped and reported, and the open incident stays on screen', async () => {
		await withUnreadableSecond();
		const fresh = desk();
		await fresh.desk.refresh();
		expect(fresh.views.at(-1)?.incident).toMatchObject({id: 'INC-1', severity: 'P0'});
		expect(fresh.views.at(-1)?.problems).toEqual([
			{incident: 'INC-2', message: `cannot read ${join(dir, 'INC-2.jsonl')}: is a directory`},
		]);
	});

	it('does not stop a command from finding the incident it acts on', async () => {
		const {journal} = await withUnreadableSecond();
		const found = await resolveIncident(journal);
		expect(found.incident.id).toBe('INC-1');
		expect(found.skipped).toEqual([{incident: 'INC-2', message: `cannot read ${join(dir, 'INC-2.jsonl')}: is a directory`}]);
	});

	it('does not fail a declaration, so nobody declares twice', async () => {
		const {console, views} = await withUnreadableSecond();
		expect(await console.declare(newEvent.declared({title: 'DB down', severity: 'P1', services: []}))).toBe('INC-3');
		expect(views.at(-1)?.incident?.id).toBe('INC-3');
		expect((await readdir(dir)).filter(name => name.startsWith('INC-')).sort()).toEqual([
			'INC-1.jsonl',
			'INC-2.jsonl',
			'INC-3.jsonl',
		]);
	});
});

describe('a refresh after a change to one incident', () => {
	async function twoIncidents() {
		const {desk: console, views, journal} = desk();
		await console.declare(newEvent.declared({title: 'old', severity: 'P2', services: []}));
		await console.record(newEvent.status('resolved', 'investigating'));
		await console.declare(newEvent.declared({title: 'open', severity: 'P1', services: []}));
		const shown = views.at(-1)?.incident;
		expect(shown).toMatchObject({id: 'INC-2', title: 'open'});
		return {console, views, journal, shown, elsewhere: new FileJournal({dir, actor: 'bob@laptop'})};
	}

	it('does not replay an incident whose events did not change', async () => {
		const {console, views, shown, elsewhere} = await twoIncidents();
		await elsewhere.append('INC-1', newEvent.note('post-mortem filed'));
		await console.refresh();
		expect(views.at(-1)?.incident).toBe(shown);
		await elsewhere.append('INC-2', newEvent.note('rolling back'));
		await console.refresh();
		expect(views.at(-1)?.incident).not.toBe(shown);
		expect(views.at(-1)?.incident?.events.at(-1)).toMatchObject({type: 'note', text: 'rolling back'});
	});

	it('replays an incident whose journal was rewritten in place, even to as many events', async () => {
		const {console, views} = await twoIncidents();
		const file = join(dir, 'INC-2.jsonl');
		const rewritten = (await fs.readFile(file, 'utf8')).replace('"title":"open"', '"title":"open \\u001b[2J renamed"');
		await fs.writeFile(file, rewritten);
		await console.refresh();
		expect(views.at(-1)?.incident?.title).toBe('open \u001b[2J renamed');
	});
});
