/**
 * The journal contract (test/helpers/journal-contract.ts) on the PostgreSQL
 * journal: a fresh migrated database per test, a journal per console, all
 * signed in as the writer role (the store takes the actor from the role).
 */
import {PostgresJournal} from '../../source/incident/postgres-journal';
import {journalContract} from '../helpers/journal-contract';
import {postgresForThisFile, prepareIncidentStore} from '../helpers/postgres-server';

const server = postgresForThisFile();
let stores = 0;

journalContract('postgres', async () => {
	const database = `contract_${++stores}`;
	await server.asAdmin('postgres', [`CREATE DATABASE ${database}`]);
	await prepareIncidentStore(server, database);
	return {
		journal: () => new PostgresJournal({url: server.url('writer', {database})}),
		async corrupt(id, seq) {
			// Numbers and a time written here: nothing to quote.
			const incident = Number(id.slice('INC-'.length));
			await server.asAdmin(database, [
				`UPDATE warroom.incidents SET last_seq = ${seq} WHERE number = ${incident}`,
				`INSERT INTO warroom.events (incident, seq, event_id, at, actor, type, payload)
				VALUES (${incident}, ${seq}, gen_random_uuid(), '${new Date().toISOString()}', 'x', 'severity', '{"severity": "P9", "from": "P1"}')`,
			]);
		},
		async close() {
			await server.asAdmin('postgres', [`DROP DATABASE ${database} WITH (FORCE)`]);
		},
	};
});
