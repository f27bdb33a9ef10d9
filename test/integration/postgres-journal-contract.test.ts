/**
 * The journal contract (test/helpers/journal-contract.ts) on the PostgreSQL
 * journal: a fresh migrated database per test, a journal per console, all
 * signed in as the writer role (the store takes the actor from the role).
 */
import pg from 'pg';
import {PostgresJournal} from '../../source/incident/postgres-journal';
import {migrateStore} from '../../source/incident/store-schema';
import {journalContract} from '../helpers/journal-contract';
import {incidentStoreGrants, postgresForThisFile, roles} from '../helpers/postgres-server';

const server = postgresForThisFile();
let stores = 0;

journalContract('postgres', async () => {
	const database = `contract_${++stores}`;
	await server.asAdmin('postgres', [`CREATE DATABASE ${database}`]);
	const admin = new pg.Client({
		host: '127.0.0.1',
		port: server.port,
		user: roles.admin.name,
		password: roles.admin.password,
		database,
	});
	await admin.connect();
	await migrateStore(admin, database);
	for (const grant of incidentStoreGrants) await admin.query(grant);
	return {
		journal: () => new PostgresJournal({url: server.url('writer', {database})}),
		async corrupt(id, seq) {
			const incident = Number(id.slice('INC-'.length));
			await admin.query('UPDATE warroom.incidents SET last_seq = $2 WHERE number = $1', [incident, seq]);
			await admin.query(
				`INSERT INTO warroom.events (incident, seq, event_id, at, actor, type, payload)
				VALUES ($1, $2, gen_random_uuid(), $3, 'x', 'severity', '{"severity": "P9", "from": "P1"}')`,
				[incident, seq, new Date().toISOString()],
			);
		},
		async close() {
			await admin.end();
			await server.asAdmin('postgres', [`DROP DATABASE ${database} WITH (FORCE)`]);
		},
	};
});
