/** The journal contract (test/helpers/journal-contract.ts) on the file journal: one data directory, a journal per console. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {FileJournal} from '../../source/incident/file-journal';
import {journalContract} from '../helpers/journal-contract';

journalContract('file', async () => {
	const tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'warroom-contract-'));
	const dir = path.join(tempDir, 'incidents');
	return {
		journal: (actor = 'alice@bastion') => new FileJournal({dir, actor}),
		async corrupt(id, seq) {
			const damaged = {seq, at: new Date().toISOString(), actor: 'alice@bastion', type: 'severity', severity: 'P9', from: 'P1'};
			await fs.appendFile(path.join(dir, `${id}.jsonl`), `${JSON.stringify(damaged)}\n`);
		},
		close: () => fs.rm(tempDir, {recursive: true, force: true}),
	};
});
