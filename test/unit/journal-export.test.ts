import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, expect, it} from 'vitest';
import {exportIncident} from '../../source/cli/journal-command';
import {OutboxJournal} from '../../source/incident/outbox-journal';
import {CuttableStore} from '../helpers/cuttable-store';

let tempDir: string;

beforeEach(async () => {
	tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'warroom-export-'));
});

afterEach(async () => {
	await fs.rm(tempDir, {recursive: true, force: true});
});

it('exports what the store holds, leaving out the events waiting in the outbox and saying how many', async () => {
	const store = new CuttableStore(path.join(tempDir, 'store'));
	const journal = new OutboxJournal({store, dataDir: path.join(tempDir, 'data'), actor: 'alice@bastion', retryMs: 60_000});
	try {
		const {id} = await journal.create({type: 'declared', title: 'API down', severity: 'P1', services: []});
		await journal.list();
		await journal.append(id, {type: 'note', text: 'stored'});
		store.setCut(true);
		await journal.append(id, {type: 'note', text: 'waiting one'});
		await journal.append(id, {type: 'note', text: 'waiting two'});
		const told: string[] = [];

		const text = await exportIncident(journal, id, notice => told.push(notice));

		const lines = text
			.trimEnd()
			.split('\n')
			.map(line => JSON.parse(line) as Record<string, unknown>);
		expect(lines.map(line => [line.seq, line.text])).toEqual([
			[1, undefined],
			[2, 'stored'],
		]);
		expect(text).not.toContain('"pending"');
		expect(told).toEqual([`${id}: 2 events waiting in the outbox not exported: export again once they are sent`]);
	} finally {
		await journal.close();
	}
});
