import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, expect, it, onTestFinished, vi} from 'vitest';
import {emptyConfig} from '../../source/config/types';
import {createRedactor} from '../../source/config/secrets';
import {FileJournal} from '../../source/incident/file-journal';
import type {Journal, JournalLink} from '../../source/incident/journal';
import {startConsole, type RunningConsole} from '../../source/console';
import {builtInRunbooksDir} from '../../source/paths';
import {openForm} from '../../source/actions/forms';
import {actionOfForm} from '../../source/actions/registry';
import {nodeAction} from '../helpers/actions';
import {holdIncidentLock, writeOpenIncident} from '../helpers/incidents';
import {policy} from '../helpers/store';

const dirs: string[] = [];
const consoles: RunningConsole[] = [];

afterEach(async () => {
	await Promise.all(consoles.splice(0).map(running => running.close(0)));
	for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true});
});

/** A console on a data dir holding an open incident, once the incident is on screen. */
async function consoleOnIncident(redact = (text: string) => text) {
	const dataDir = mkdtempSync(join(tmpdir(), 'warroom-close-'));
	dirs.push(dataDir);
	writeOpenIncident(dataDir);
	const running = startConsole({
		policy,
		config: emptyConfig,
		dataDir,
		journal: new FileJournal({dir: dataDir, actor: 'bob@bastion'}),
		actor: 'bob@bastion',
		readOnly: false,
		dryRun: false,
		colour: false,
		size: {columns: 80, rows: 24},
		redact,
		quit: () => {},
		suspend: () => {},
		runbookDirs: [builtInRunbooksDir],
		writeTerminal: () => {},
	});
	consoles.push(running);
	await vi.waitFor(() => expect(running.store.getState().incident).toBeDefined());
	const note = (text: string) =>
		running.controls.actions.request(actionOfForm('note')!, {
			values: {text},
			form: openForm('note', running.store.getState().incident, policy),
		});
	const journal = () => readFileSync(join(dataDir, 'INC-1.jsonl'), 'utf8');
	return {running, dataDir, note, journal};
}

it('waits for a note in flight, then reports nothing unsaved', async () => {
	const {running, note, journal} = await consoleOnIncident();
	note('written before the exit');
	expect(running.store.getState().writesInFlight).toBe(1);
	expect(await running.close(3000)).toEqual([]);
	expect(journal()).toContain('"text":"written before the exit"');
	expect(running.store.getState().writesInFlight).toBe(0);
});

it('stops waiting at the bound and names the note not saved', async () => {
	const {running, dataDir, note, journal} = await consoleOnIncident();
	holdIncidentLock(dataDir);
	note('stuck behind the lock');
	expect(await running.close(100)).toEqual(['note: "stuck behind the lock" (the journal did not answer within 0.1 s)']);
	expect(running.store.getState().quitting).toBe(true);
	expect(journal()).not.toContain('stuck behind the lock');
});

/** The journal after the declaration: the command's start, then its end, aborted. */
function expectStartedThenAborted(text: string) {
	const events = text
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as {type: string; outcome?: string});
	expect(events.map(event => event.type)).toEqual(['declared', 'action_started', 'action_finished']);
	expect(events.at(-1)?.outcome).toBe('aborted');
}

it('quitting while a command runs stops it and waits to journal how it ended', async () => {
	const {running, journal} = await consoleOnIncident();
	const started = join(dirs.at(-1)!, 'started');
	const hangs = `require('fs').writeFileSync(${JSON.stringify(started)}, ''); setInterval(() => {}, 1000)`;
	running.controls.actions.request(nodeAction(hangs, {confirmation: 'none'}));
	await vi.waitFor(() => expect(existsSync(started)).toBe(true));

	expect(await running.close(3000)).toEqual([]);

	expectStartedThenAborted(journal());
});

it('quitting while a command is being journaled aborts it before it runs', async () => {
	const {running, dataDir, journal} = await consoleOnIncident();
	const ran = join(dataDir, 'ran');
	const release = holdIncidentLock(dataDir);
	running.controls.actions.request(nodeAction(`require('fs').writeFileSync(${JSON.stringify(ran)}, '')`, {confirmation: 'none'}));
	const closing = running.close(3000);
	release();

	expect(await closing).toEqual([]);

	expectStartedThenAborted(journal());
	expect(existsSync(ran)).toBe(false);
});

it("shows the journal's link from the start: a file journal is live, with nothing waiting", async () => {
	const {running, dataDir} = await consoleOnIncident();
	expect(running.store.getState().journal).toMatchObject({store: 'file', where: dataDir, state: 'live', waiting: 0});
	expect(running.store.getState().mode.readOnly).toBe(false);
});

it("follows the journal's link as it changes, masked: a store that turns out read-only after the start makes the console so", async () => {
	const password = 's3cret-passw0rd';
	let link: JournalLink = {store: 'postgres', where: 'db.internal:5432/warroom', state: 'connecting', since: 0, waiting: 0};
	const listeners = new Set<() => void>();
	// The file journal's link never changes: this one stands for a shared store's, heard through the same two methods.
	const shared: Journal = FileJournal.prototype;
	vi.spyOn(shared, 'link').mockImplementation(() => link);
	vi.spyOn(shared, 'onLink').mockImplementation(listener => {
		listeners.add(listener);
		return () => listeners.delete(listener);
	});
	onTestFinished(() => {
		vi.restoreAllMocks();
	});
	const {running} = await consoleOnIncident(createRedactor([password]));
	expect(running.store.getState().journal?.state).toBe('connecting');
	link = {
		...link,
		state: 'live',
		error: `postgres://reader:${password}@db.internal/warroom refused`,
		readOnly: `role reader (${password}) may only read the journal`,
	};
	for (const listener of listeners) listener();
	expect(running.store.getState().mode.readOnly).toBe(true);
	expect(running.store.getState().journal?.state).toBe('live');
	expect(JSON.stringify(running.store.getState())).not.toContain(password);
	await running.close(0);
	expect(listeners.size).toBe(0);
});
